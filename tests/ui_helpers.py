"""Shared pieces of the window tests: a main window over a real logbook, and keyboard drivers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.main_window import MainWindow
from logbook.ui.settings import Preferences, UiState


def open_window(qtbot: QtBot, logbook: Logbook, location: DataLocation | None = None) -> MainWindow:
    """A shown, active main window over ``logbook`` (preferences and state in ``location``)."""
    window = MainWindow(
        logbook,
        preferences=Preferences.for_location(location),
        ui_state=UiState(location),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def press(
    qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press a key where the keyboard focus is (as a user would)."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has keyboard focus"
    qtbot.keyClick(target, key, modifiers)


def ctrl(qtbot: QtBot, key: Qt.Key, shift: bool = False) -> None:
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    press(qtbot, key, modifiers)


def type_text(qtbot: QtBot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has keyboard focus"
    qtbot.keyClicks(target, text)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def when_modal(
    action: Callable[[Any], None], attempts: int = 200, kind: type[QWidget] = QWidget
) -> None:
    """Run ``action`` on the next modal dialog (of ``kind``) once it is open (message boxes,
    file pickers, a dialog opened from another)."""

    def poll(remaining: int = attempts) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind):
            action(modal)
        elif remaining:
            QTimer.singleShot(10, lambda: poll(remaining - 1))

    QTimer.singleShot(0, poll)
