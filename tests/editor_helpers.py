"""Shared pieces of the editor tests: a host over the real record service, and dialog drivers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.records import Record
from logbook.services.logbook import Logbook


class ServiceHost:
    """An editor host that saves straight through the logbook's RecordService."""

    def __init__(self, logbook: Logbook) -> None:
        self.logbook = logbook
        self.created: list[list[Record]] = []
        self.updated: list[Record] = []

    def create(self, records: list[Record]) -> None:
        if len(records) == 1:
            self.logbook.records.create(records[0])
        else:
            self.logbook.records.create_many(records)
        self.created.append(list(records))

    def update(self, record: Record) -> None:
        self.logbook.records.update(record)
        self.updated.append(record)


def show(qtbot: QtBot, dialog: QDialog) -> QDialog:
    """Show a dialog as the active window, so keyboard focus behaves as for a user."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def when_modal(action: Callable[[QWidget], None], attempts: int = 100) -> None:
    """Run ``action`` on the next modal dialog once it is open (for message boxes, pickers)."""

    def poll(remaining: int = attempts) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            action(modal)
        elif remaining:
            QTimer.singleShot(20, lambda: poll(remaining - 1))

    QTimer.singleShot(0, poll)
