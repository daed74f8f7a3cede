"""The recovery window lists what `logbook-cli recover` lists: every good backup and every
set-aside logbook file, each with its date and record counts, newest first; and restores a
set-aside file as `recover --restore FILE` does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from logbook import app
from logbook.cli.main import main as cli
from logbook.domain.records import PracticeEntry, RecordKind, SupervisionSession
from logbook.services.encryption import Unlock
from logbook.services.integrity import DamagedLogbookError
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.storage.database import quarantine
from logbook.ui.recovery_dialog import RecoveryChoice, RecoveryDialog
from tests.encryption_support import encrypt
from tests.ui_helpers import when_modal

PASSPHRASE = "the river in spate"
NOW = datetime.now(UTC).replace(microsecond=0)


def _add(book: Logbook, days: range) -> None:
    for day in days:
        book.records.create(SupervisionSession(date=date(2026, 3, day), duration_minutes=60))


@pytest.fixture
def set_aside(location: DataLocation) -> Path:
    """A logbook set aside whole (5 sessions and a practice entry, written last), with a
    backup of two days ago (2 sessions) and one of yesterday (4 sessions)."""
    book = Logbook.open(location)
    _add(book, range(1, 3))
    book.backups.backup_now("manual", now=NOW - timedelta(days=2))
    _add(book, range(3, 5))
    book.backups.backup_now("manual", now=NOW - timedelta(days=1))
    _add(book, range(5, 6))
    book.records.create(PracticeEntry(date=date(2026, 3, 6), duration_minutes=50))
    book.close()
    return quarantine(location.database)


def _dialog(qtbot: QtBot, location: DataLocation, unlock: Unlock | None = None) -> RecoveryDialog:
    with pytest.raises(DamagedLogbookError) as raised:
        Logbook.open(location, unlock)
    dialog = RecoveryDialog(raised.value, location)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _rows(dialog: RecoveryDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def _pick(qtbot: QtBot, dialog: RecoveryDialog, row: int) -> None:
    """Open the list and click one of its rows, as a user does."""
    qtbot.mouseClick(dialog.others, Qt.MouseButton.LeftButton)
    assert dialog.list.isVisible()
    where = dialog.list.visualItemRect(dialog.list.item(row)).center()
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=where)


def _row_of(dialog: RecoveryDialog, name: str) -> int:
    return next(i for i, text in enumerate(_rows(dialog)) if name in text)


def _counts(dialog: RecoveryDialog) -> list[str]:
    """The kinds and numbers the card shows, in reading order."""
    shown = (dialog.counts.itemAt(i).widget() for i in range(dialog.counts.count()))
    return [w.text() for w in shown if isinstance(w, QLabel)]


def _local(when: datetime) -> str:
    local = when.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


def test_every_candidate_is_listed_newest_first_with_its_date_and_counts(
    qtbot: QtBot,
    location: DataLocation,
    set_aside: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    written = datetime.fromtimestamp(set_aside.stat().st_mtime, UTC)

    dialog = _dialog(qtbot, location)

    assert _rows(dialog) == [
        f"{_local(written)}  ·  set aside as {set_aside.name}  ·  6 records",
        f"{_local(NOW - timedelta(days=1))}  ·  Taken by you  ·  4 records",
        f"{_local(NOW - timedelta(days=2))}  ·  Taken by you  ·  2 records",
    ]
    # The newest good backup is still what is offered, with what the set-aside file adds.
    assert dialog.offer_heading.text() == f"Newest good backup: {_local(NOW - timedelta(1))}"
    assert "holds 2 record(s) this backup does not have" in dialog.left_behind.text()
    # The command line lists the same candidates in the same order.
    assert cli(["--data-dir", str(location.root), "recover"]) == 1
    listed = [line for line in capsys.readouterr().out.splitlines() if line[:3].strip().isdigit()]
    assert len(listed) == 3
    assert "set aside: 6 records" in listed[0]
    assert "4 records" in listed[1]
    assert "2 records" in listed[2]

    _pick(qtbot, dialog, 0)

    assert dialog.offer_heading.text() == f"File set aside: {_local(written)}"
    assert dialog.offer_detail.text() == f"{set_aside.name} · 6 records"
    assert _counts(dialog) == ["Supervision", "5", "Practice", "1"]
    assert not dialog.left_behind.isVisible()
    assert dialog.restore_button.text() == "&Restore this file"


def test_choosing_the_set_aside_file_restores_its_records(
    qtbot: QtBot, location: DataLocation, set_aside: Path
) -> None:
    dialog = _dialog(qtbot, location)
    _pick(qtbot, dialog, 0)

    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert dialog.choice is RecoveryChoice.RESTORED
    with Logbook.open(location) as restored:
        assert restored.records.count(RecordKind.SUPERVISION) == 5
        assert restored.records.count(RecordKind.PRACTICE) == 1
    assert set_aside.exists()  # restored from a copy, kept as it was


def test_the_app_restores_the_set_aside_file_and_then_offers_nothing_more(
    qtbot: QtBot, location: DataLocation, set_aside: Path
) -> None:
    asked: list[str] = []
    watching = [True]

    def note_any_offer(remaining: int = 3000) -> None:
        # After a restore the app offers to add back what a set-aside file holds; restored
        # from that very file, there is nothing to add. (Watches until the logbook is open,
        # and no longer: a later test's offer is not this one's.)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and "set-aside" in box.windowTitle():
            asked.append(box.text())
            next(b for b in box.buttons() if b.text() == "Not now").click()
        elif remaining and watching:
            QTimer.singleShot(10, lambda: note_any_offer(remaining - 1))

    def restore_the_file(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        dialog.others.click()
        dialog.list.setCurrentRow(0)
        QTimer.singleShot(0, note_any_offer)
        dialog.restore_button.click()

    when_modal(restore_the_file, attempts=1000)
    try:
        opened = app.open_logbook(location)
    finally:
        watching.clear()

    assert opened is not None
    try:
        assert opened.records.count(RecordKind.SUPERVISION) == 5
        assert asked == []
    finally:
        opened.close()


def test_an_encrypted_set_aside_file_asks_for_the_passphrase_then_restores(
    qtbot: QtBot, location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)
    book = Logbook.open(location)
    _add(book, range(1, 4))
    encrypt(book, PASSPHRASE)
    book.close()
    kept = quarantine(location.database)
    unlock = Unlock(passphrase=PASSPHRASE)

    dialog = _dialog(qtbot, location, unlock)

    row = _row_of(dialog, kept.name)
    assert _rows(dialog)[row].endswith(f"set aside as {kept.name}  ·  encrypted or unreadable")
    _pick(qtbot, dialog, row)
    assert "restoring it asks for the passphrase" in dialog.offer_detail.text()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    dialog.ask.field.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.ask.unlock_button, Qt.MouseButton.LeftButton)

    assert dialog.unlock == unlock
    with Logbook.open(location, dialog.unlock) as restored:
        assert restored.db.encrypted
        assert restored.records.count(RecordKind.SUPERVISION) == 3
