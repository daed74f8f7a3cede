"""When the logbook cannot be opened, the app says what happened, shows the newest good
backup (its date and what it holds) and restores it, or starts anew at the user's word."""

from __future__ import annotations

import os
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from logbook.domain.records import PracticeEntry, RecordKind, SupervisionSession
from logbook.services.encryption import Unlock
from logbook.services.integrity import DamagedLogbookError
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.ui.recovery_dialog import RecoveryChoice, RecoveryDialog
from tests.encryption_support import encrypt as encrypt_logbook

PASSPHRASE = "the river in spate"


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)


def _damage(location: DataLocation, *, encrypt: bool = False) -> DamagedLogbookError:
    logbook = Logbook.open(location)
    logbook.records.create_many(
        [SupervisionSession(date=date(2026, 3, d), duration_minutes=60) for d in (2, 9, 16)]
        + [PracticeEntry(date=date(2026, 3, 3), duration_minutes=50)]
    )
    if encrypt:
        encrypt_logbook(logbook, PASSPHRASE)
    logbook.backups.backup_now()
    logbook.close()
    location.database.write_bytes(os.urandom(30_000))
    unlock = Unlock(passphrase=PASSPHRASE) if encrypt else None
    with pytest.raises(DamagedLogbookError) as raised:
        Logbook.open(location, unlock)
    return raised.value


def _labels(dialog: RecoveryDialog) -> list[str]:
    return [label.text() for label in dialog.offer_card.findChildren(QLabel)]


def test_the_newest_good_backup_is_offered_with_its_date_and_counts(
    qtbot: QtBot, location: DataLocation
) -> None:
    error = _damage(location)
    dialog = RecoveryDialog(error, location)
    qtbot.addWidget(dialog)
    dialog.show()
    offer = error.offer
    assert offer is not None
    assert dialog.offer_heading.text() == f"Newest good backup: {offer.when()}"
    labels = _labels(dialog)
    assert "Supervision" in labels
    assert "3" in labels
    assert "Practice" in labels
    assert "4 records" in dialog.offer_detail.text()

    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is RecoveryChoice.RESTORED
    restored = Logbook.open(location)
    assert restored.records.count(RecordKind.SUPERVISION) == 3
    restored.close()


def test_an_older_backup_can_be_chosen(qtbot: QtBot, location: DataLocation) -> None:
    logbook = Logbook.open(location)
    logbook.records.create(SupervisionSession(date=date(2026, 1, 5), duration_minutes=60))
    logbook.backups.backup_now()
    logbook.close()
    error = _damage(location)
    dialog = RecoveryDialog(error, location)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.others.isEnabled()
    qtbot.mouseClick(dialog.others, Qt.MouseButton.LeftButton)
    assert dialog.list.isVisible()
    dialog.list.setCurrentRow(dialog.list.count() - 1)
    assert dialog.chosen is not None
    assert dialog.chosen.records == 1
    assert dialog.offer_heading.text().startswith("Backup: ")
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    restored = Logbook.open(location)
    assert restored.records.count(RecordKind.SUPERVISION) == 1
    restored.close()


def test_an_encrypted_backup_asks_for_the_passphrase_first(
    qtbot: QtBot, location: DataLocation
) -> None:
    error = _damage(location, encrypt=True)
    dialog = RecoveryDialog(error, location)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "encrypted" in dialog.offer_detail.text()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    ask = dialog.ask
    ask.field.setText("not the passphrase")
    qtbot.mouseClick(ask.unlock_button, Qt.MouseButton.LeftButton)
    assert ask.isVisible()
    assert "does not unlock" in ask.error.text()
    ask.field.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(ask.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.unlock == Unlock(passphrase=PASSPHRASE)
    restored = Logbook.open(location, dialog.unlock)
    assert restored.db.encrypted
    assert restored.records.count(RecordKind.SUPERVISION) == 3
    restored.close()


def test_starting_anew_is_confirmed_and_keeps_everything(
    qtbot: QtBot, location: DataLocation
) -> None:
    error = _damage(location)
    dialog = RecoveryDialog(error, location)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert "every backup are kept" in dialog.confirm.text()
    qtbot.mouseClick(
        dialog.confirm.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(
            dialog.confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
        )
    assert dialog.choice is RecoveryChoice.START_NEW
    fresh = Logbook.open(location, start_new=True)
    assert fresh.records.count(RecordKind.SUPERVISION) == 0
    assert len(fresh.backups.all()) == 0  # a new logbook; the old one's backups are still there
    fresh.close()
    assert list(location.backups.glob("*.sqlite"))


def test_with_no_backup_the_dialog_says_so(qtbot: QtBot, location: DataLocation) -> None:
    location.root.mkdir(parents=True)
    location.database.write_bytes(b"not a logbook at all" * 100)
    with pytest.raises(DamagedLogbookError) as raised:
        Logbook.open(location)
    dialog = RecoveryDialog(raised.value, location)
    qtbot.addWidget(dialog)
    assert dialog.offer_heading.text() == "There is no backup to restore"
    assert not dialog.restore_button.isEnabled()
    assert "set aside" in dialog.findChildren(QLabel)[1].text()
