"""The window is drawn before the logbook opens: its shell (sidebar, menus, toolbar, the list's
frame and column titles, the status bar) comes first, with nothing that reaches the logbook
enabled, and the logbook, its pages and its rows follow. A logbook that needs a dialog to open
(a passphrase, a recovery, the first-run welcome) asks over the shell, and the app ends as it
always has when the user declines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from logbook import app
from logbook.domain.records import Profile, RecordKind, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.ui.main_window import SHELL_ACTIONS, MainWindow
from logbook.ui.settings import Preferences, UiState
from tests.encryption_support import encrypt
from tests.ui_helpers import when_modal

STORAGE_STACK = (
    "sqlalchemy",
    "alembic",
    "reportlab",
    "cryptography",
    "logbook.storage",
    "logbook.services.logbook",
)


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def shell(qtbot: QtBot, location: DataLocation) -> MainWindow:
    """The window as the app first shows it: no logbook yet."""
    window = MainWindow(preferences=Preferences.for_location(location), ui_state=UiState(location))
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def with_sessions(logbook: Logbook, count: int = 3) -> Logbook:
    logbook.records.create(Profile(name="Sam Carter"))
    for day in range(1, count + 1):
        logbook.records.create(SupervisionSession(date=date(2026, 3, day), duration_minutes=60))
    return logbook


def remember_section(location: DataLocation, key: str) -> None:
    state = UiState(location)
    state.save_value("window/section", key)
    state.sync()


def test_the_shell_waits_for_the_logbook_with_nothing_that_reaches_it_enabled(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    with_sessions(logbook)
    remember_section(location, "supervision")
    window = shell(qtbot, location)

    assert not window.is_open
    assert window.opening_label.isVisible()
    assert window.opening_label.text() == "Opening the logbook…"
    assert window.current_key == "supervision"
    outline = window.stack.currentWidget().findChild(QTableView)
    assert outline is not None
    titles = [
        outline.model().headerData(n, Qt.Orientation.Horizontal)
        for n in range(outline.model().columnCount())
    ]
    assert titles[0] == "Date"
    assert outline.model().rowCount() == 0

    waiting = [name for name, action in window.registry if not action.isEnabled()]
    assert "file.new" in waiting
    assert "edit.undo" in waiting
    assert "help.about" in waiting  # it names the logbook's file
    for name, action in window.registry:
        assert action.isEnabled() == (name in SHELL_ACTIONS), name
    for name in waiting:
        window.registry.trigger(name)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    assert window.editors == []
    assert QApplication.activeModalWidget() is None
    assert window.pages == {}


def test_going_to_a_section_before_the_logbook_opens_shows_it_once_open(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    with_sessions(logbook)
    remember_section(location, "supervision")
    window = shell(qtbot, location)

    row = window.section_keys.index("cpd")
    item = window.sidebar.visualItemRect(window.sidebar.item(row))
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=item.center())
    assert window.current_key == "cpd"
    window.registry.trigger("go.practice")
    assert window.current_key == "practice"
    assert window.pages == {}  # only outlines: no page reads a half-open logbook
    assert window.current_list() is None

    opened: list[bool] = []
    window.opened.connect(lambda: opened.append(True))
    window.attach(logbook)
    assert opened == [True]
    assert window.is_open
    assert window.current_key == "practice"
    assert set(window.pages) == {"practice"}


def test_once_attached_the_list_shows_its_rows_and_the_actions_work(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    with_sessions(logbook, count=5)
    remember_section(location, "supervision")
    window = shell(qtbot, location)

    window.attach(logbook)
    page = window.list_page(RecordKind.SUPERVISION)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    assert window.stack.currentWidget().isAncestorOf(page.view)
    assert not window.opening_label.isVisible()
    assert str(logbook.path) in window.path_label.text()
    for name in ("file.new", "file.import", "file.export", "edit.find", "help.about"):
        assert window.registry[name].isEnabled(), name
    assert not window.registry["edit.undo"].isEnabled()  # nothing to undo yet

    page.view.selectRow(0)
    assert window.registry["edit.open"].isEnabled()
    dialog = window.new_entry()
    assert dialog is not None
    assert window.editors == [dialog]
    dialog.reject()


def test_the_window_is_drawn_before_the_storage_stack_is_imported(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "logbook")
    with Logbook.open(location) as logbook:
        with_sessions(logbook)
    script = tmp_path / "watch.py"
    script.write_text(FIRST_PAINT_WATCHER, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(script), str(location.root), json.dumps(STORAGE_STACK)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["status"] == 0
    assert seen["painted"] == []  # nothing of the storage stack when the window was drawn
    assert seen["actions_at_paint"] == sorted(SHELL_ACTIONS)
    assert "sqlalchemy" in seen["opened"]
    assert seen["rows"] == 3


# Starts the app as the ``logbook`` command does, noting which modules of the storage stack are
# loaded when the main window is first painted, and the rows its list shows once open.
FIRST_PAINT_WATCHER = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from logbook import app

STACK = json.loads(sys.argv[2])
qt = QApplication([sys.argv[0]])
seen = {}

def loaded():
    return sorted(name for name in STACK if name in sys.modules)

def opened(window):
    from logbook.domain.records import RecordKind

    seen["opened"] = loaded()
    seen["rows"] = window.list_page(RecordKind.SUPERVISION).model.rowCount()
    QTimer.singleShot(0, window.close)

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and type(watched).__name__ == "MainWindow":
            if "painted" not in seen:
                seen["painted"] = loaded()
                seen["actions_at_paint"] = sorted(
                    name for name, action in watched.registry if action.isEnabled()
                )
                watched.opened.connect(lambda: opened(watched))
        return False

watcher = FirstPaint()
qt.installEventFilter(watcher)
status = app.main(["--data-dir", sys.argv[1], "--theme", "light"])
qt.removeEventFilter(watcher)
print(json.dumps({"status": status, **seen}))
"""


def over_the_shell(seen: dict[str, object], press: str) -> None:
    """On the next dialog: note whether it opened over the waiting shell, then press ``press``
    (a button's text, or "reject")."""

    def act(dialog: QWidget) -> None:
        parent = dialog.parentWidget()
        seen["over_shell"] = (
            isinstance(parent, MainWindow) and parent.isVisible() and not parent.is_open
        )
        seen["dialog"] = type(dialog).__name__
        if press == "reject":
            assert isinstance(dialog, QDialog)
            dialog.reject()
            return
        buttons = [b for b in dialog.findChildren(QPushButton) if press in b.text()]
        assert buttons, f"no '{press}' button"
        buttons[0].click()

    when_modal(act, attempts=2000)


def test_a_passphrase_is_asked_for_over_the_shell_and_cancelling_ends_the_app(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)
    location = DataLocation(tmp_path / "data")
    with Logbook.open(location) as first:
        first.records.create(Profile(name="Sam Rivera"))
        encrypt(first, "correct horse battery staple")
    seen: dict[str, object] = {}
    over_the_shell(seen, "reject")
    assert app.main(["--data-dir", str(location.root), "--theme", "light"]) == 1
    assert seen == {"over_shell": True, "dialog": "UnlockDialog"}
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in qtbot_windows())


def test_a_damaged_logbook_offers_recovery_over_the_shell_and_quitting_ends_the_app(
    qtbot: QtBot, tmp_path: Path
) -> None:
    location = DataLocation(tmp_path / "data")
    location.root.mkdir()
    location.database.write_bytes(b"garbage" * 500)
    seen: dict[str, object] = {}
    over_the_shell(seen, "Quit")
    assert app.main(["--data-dir", str(location.root), "--theme", "light"]) == 1
    assert seen == {"over_shell": True, "dialog": "RecoveryDialog"}
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in qtbot_windows())


def test_the_first_run_welcome_opens_over_the_shell_and_closing_it_ends_the_app(
    qtbot: QtBot, tmp_path: Path
) -> None:
    location = DataLocation(tmp_path / "data")
    Logbook.open(location).close()  # a logbook without a profile: a first run
    seen: dict[str, object] = {}
    over_the_shell(seen, "reject")
    assert app.main(["--data-dir", str(location.root), "--theme", "light"]) == 0
    assert seen == {"over_shell": True, "dialog": "FirstRunWizard"}
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in qtbot_windows())


def qtbot_windows() -> list[QWidget]:
    return list(QApplication.topLevelWidgets())
