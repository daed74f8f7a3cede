"""The ``logbook`` command: options, the demo logbook, and clear dialogs when a logbook cannot be
opened (never a traceback)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from logbook import __version__, app
from logbook.domain.records import Profile, RecordKind
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.main_window import MainWindow
from tests.encryption_support import encrypt
from tests.ui_helpers import when_modal


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        app.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"logbook {__version__}"


def test_demo_opens_a_filled_logbook_in_a_throwaway_folder(qtbot: QtBot) -> None:
    seen: dict[str, object] = {}

    def look_and_close() -> None:
        # Only this start's window: other tests' windows may still exist, hidden.
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        if not windows or not windows[0].is_open:
            QTimer.singleShot(50, look_and_close)
            return
        window = windows[0]
        seen["root"] = window.logbook.location.root  # type: ignore[union-attr]
        seen["sessions"] = window.logbook.records.count(RecordKind.SUPERVISION)
        seen["profile"] = window.profile
        seen["title"] = window.windowTitle()
        window.close()

    QTimer.singleShot(0, look_and_close)
    status = app.main(["--temp-data-dir", "--demo", "--theme", "light"])
    assert status == 0
    assert seen["sessions"] > 20  # type: ignore[operator]
    assert seen["profile"] is not None
    assert seen["title"] == "Practice Logbook"
    assert not Path(str(seen["root"])).exists()  # the throwaway folder is gone
    assert QApplication.applicationName() == "Practice Logbook"
    assert QApplication.organizationName() == "Practice Logbook"
    assert not QApplication.windowIcon().isNull()


def read_and_press(texts: list[str], button: str | None = None) -> None:
    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(f"{box.text()}\n{box.informativeText()}")
        chosen = next((b for b in box.buttons() if b.text() == button), None) if button else None
        if chosen is not None:
            chosen.click()
        else:
            box.close()

    when_modal(act, attempts=1000)


def test_a_logbook_open_elsewhere_is_explained(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    texts: list[str] = []
    read_and_press(texts)
    assert app.open_logbook(location) is None
    assert "could not be opened" in texts[0]
    assert "already has it open" in texts[0] or "close it and try again" in texts[0]


def answer_recovery(texts: list[str], choice: str) -> None:
    """Read the recovery dialog and press the button named ``choice``."""

    def act(dialog: QWidget) -> None:
        texts.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        buttons = [b for b in dialog.findChildren(QPushButton) if choice in b.text()]
        assert buttons, f"no '{choice}' button"
        if choice == "new":
            when_modal(confirm, attempts=1000)
        buttons[0].click()

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        next(b for b in box.buttons() if b.text() == "Start a new logbook").click()

    when_modal(act, attempts=1000)


def test_a_damaged_file_is_set_aside_and_a_new_logbook_can_be_started(
    qtbot: QtBot, tmp_path: Path
) -> None:
    location = DataLocation(tmp_path / "data")
    location.root.mkdir()
    location.database.write_bytes(b"this is not a logbook at all" * 100)
    texts: list[str] = []
    answer_recovery(texts, "new")
    opened = app.open_logbook(location)
    assert opened is not None
    try:
        assert opened.records.profile() is None
        assert "damaged" in texts[0]
        assert "set aside" in texts[0]
        kept = [p for p in location.root.iterdir() if "damaged" in p.name]
        assert kept, "the damaged file is kept"
        assert kept[0].read_bytes().startswith(b"this is not a logbook")
    finally:
        opened.close()


def test_a_damaged_logbook_is_restored_from_its_newest_backup(qtbot: QtBot, tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "data")
    first = Logbook.open(location)
    first.records.create(Profile(name="Sam Rivera"))
    first.backups.backup_now()
    first.close()
    location.database.write_bytes(b"garbage" * 500)
    texts: list[str] = []
    answer_recovery(texts, "Restore")
    opened = app.open_logbook(location)
    assert opened is not None
    try:
        profile = opened.records.profile()
        assert profile is not None
        assert profile.name == "Sam Rivera"
    finally:
        opened.close()


def test_quitting_at_the_damaged_logbook_question_opens_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    location = DataLocation(tmp_path / "data")
    location.root.mkdir()
    location.database.write_bytes(b"garbage" * 500)
    texts: list[str] = []
    answer_recovery(texts, "Quit")
    assert app.open_logbook(location) is None
    assert len(texts) == 1


def test_an_encrypted_logbook_asks_for_its_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "data")
    first = Logbook.open(location)
    first.records.create(Profile(name="Sam Rivera"))
    encrypt(first, "correct horse battery staple")
    first.close()
    attempts: list[str] = []

    def type_passphrase(dialog: QWidget) -> None:
        field = dialog.findChild(QLineEdit)
        assert field is not None
        field.setText("wrong guess" if not attempts else "correct horse battery staple")
        attempts.append(field.text())
        dialog.try_unlock()  # type: ignore[attr-defined]
        if dialog.isVisible():
            assert "passphrase" in dialog.error.text().lower()  # type: ignore[attr-defined]
            type_passphrase(dialog)

    when_modal(type_passphrase, attempts=1000)
    opened = app.open_logbook(location)
    assert opened is not None
    try:
        assert attempts == ["wrong guess", "correct horse battery staple"]
        assert opened.records.profile().name == "Sam Rivera"  # type: ignore[union-attr]
    finally:
        opened.close()


def test_an_unexpected_error_is_shown_in_a_dialog_and_logged(qtbot: QtBot, tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "data")
    app.install_error_hook(location)
    texts: list[str] = []
    read_and_press(texts)
    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError as error:
        sys.excepthook(RuntimeError, error, error.__traceback__)
    assert "unexpected problem" in texts[0]
    assert "the printer caught fire" in texts[0]
    log = (location.root / "error-log.txt").read_text(encoding="utf-8")
    assert "RuntimeError: the printer caught fire" in log
