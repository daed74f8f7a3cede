"""The encryption windows as a user meets them: unlocking (passphrase or recovery key), the
lock after idle time, encrypting with the recovery key shown once, changing and decrypting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.encryption import LockedLogbookError, Unlock
from logbook.services.integrity import DamagedLogbookError
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.ui.encryption_dialog import EncryptionDialog
from logbook.ui.unlock_dialog import ATTEMPTS_BEFORE_WARNING, IdleLock, UnlockDialog
from tests.encryption_support import encrypt

PASSPHRASE = "blackbird at dawn"
KEY_PATTERN = re.compile(r"^(?:[0-9A-Z]{4}-){7}[0-9A-Z]{4}$")


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)


@pytest.fixture
def encrypted(location: DataLocation) -> Iterator[tuple[Logbook, str]]:
    logbook = Logbook.open(location)
    logbook.records.create(SupervisionSession(date=date(2026, 3, 2), duration_minutes=60))
    recovery_key = encrypt(logbook, PASSPHRASE).recovery_key
    yield logbook, recovery_key
    logbook.close()


def _type(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


# --- unlocking ---------------------------------------------------------------------------


def test_a_wrong_passphrase_is_explained_and_the_dialog_stays_open(
    qtbot: QtBot, encrypted: tuple[Logbook, str], location: DataLocation
) -> None:
    logbook, _ = encrypted
    logbook.close()
    opened: list[Logbook] = []

    def open_with(unlock: Unlock) -> Logbook:
        opened.append(Logbook.open(location, unlock))
        return opened[-1]

    dialog = UnlockDialog(open_with)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.unlock_button.isEnabled()
    for attempt in range(1, ATTEMPTS_BEFORE_WARNING + 1):
        _type(qtbot, dialog.field, "not it at all")
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "does not unlock this logbook" in dialog.error.text()
        assert dialog.no_way_back.isVisible() == (attempt == ATTEMPTS_BEFORE_WARNING)
    assert "cannot be opened by anyone" in dialog.no_way_back.text()

    _type(qtbot, dialog.field, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.result_value is opened[0]
    assert dialog.field.text() == ""  # nothing secret lingers in the widget
    assert opened[0].records.count(RecordKind.SUPERVISION) == 1
    opened[0].close()


def test_the_recovery_key_can_be_used_instead(
    qtbot: QtBot, encrypted: tuple[Logbook, str], location: DataLocation
) -> None:
    logbook, recovery_key = encrypted
    logbook.close()
    dialog = UnlockDialog(lambda unlock: Logbook.open(location, unlock))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.switch, Qt.MouseButton.LeftButton)
    assert dialog.using_recovery_key
    assert dialog.field.echoMode() == QLineEdit.EchoMode.Normal
    _type(qtbot, dialog.field, recovery_key.lower())
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    dialog.result_value.close()


# --- locking after idle time ---------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    shown = QMainWindow()
    shown.setCentralWidget(QLabel("Supervision with a reflection that is nobody else's business"))
    shown.resize(800, 500)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_the_logbook_locks_when_idle_and_unlocks_with_the_passphrase(
    qtbot: QtBot, encrypted: tuple[Logbook, str], window: QMainWindow
) -> None:
    logbook, _ = encrypted
    lock = IdleLock(window, logbook.encryption, minutes=0.002)  # a fraction of a second
    with qtbot.waitSignal(lock.locked, timeout=10_000):
        pass
    assert lock.is_locked
    assert lock.cover is not None
    assert lock.cover.isVisible()
    assert lock.cover.geometry() == window.rect()  # the whole window is covered
    with pytest.raises(LockedLogbookError):
        logbook.records.count(RecordKind.SUPERVISION)

    dialog = lock.dialog
    assert dialog is not None
    _type(qtbot, dialog.field, "guess")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert lock.is_locked
    assert "does not unlock this logbook" in dialog.error.text()
    _type(qtbot, dialog.field, PASSPHRASE)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.is_locked
    assert logbook.records.count(RecordKind.SUPERVISION) == 1
    assert lock.timer.isActive()  # counting again from now


def test_a_dismissed_unlock_dialog_leaves_the_window_covered(
    qtbot: QtBot, encrypted: tuple[Logbook, str], window: QMainWindow
) -> None:
    logbook, _ = encrypted
    lock = IdleLock(window, logbook.encryption, minutes=10)
    lock.lock_now()
    assert lock.dialog is not None
    lock.dialog.reject()
    assert lock.is_locked
    assert lock.cover is not None
    qtbot.mouseClick(lock.cover.button, Qt.MouseButton.LeftButton)
    assert lock.dialog is not None
    assert lock.dialog.isVisible()


def test_idle_locking_can_be_turned_off_and_ignores_plain_logbooks(
    logbook: Logbook, window: QMainWindow
) -> None:
    lock = IdleLock(window, logbook.encryption, minutes=5)
    assert not lock.timer.isActive()  # nothing to lock: the logbook is not encrypted
    lock.lock_now()
    assert not lock.is_locked
    encrypt(logbook, PASSPHRASE)
    lock.set_minutes(5)
    assert lock.timer.isActive()
    lock.set_minutes(0)
    assert not lock.timer.isActive()


# --- the encryption dialog -------------------------------------------------------------------


def test_the_recovery_key_is_shown_and_confirmed_before_anything_is_encrypted(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    logbook.records.create(SupervisionSession(date=date(2026, 3, 2), duration_minutes=60))
    dialog = EncryptionDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pages.currentWidget() is dialog.encrypt_page
    _type(qtbot, dialog.new_passphrase, "short")
    assert "At least 8 characters" in dialog.encrypt_hint.text()
    _type(qtbot, dialog.new_passphrase, PASSPHRASE)
    _type(qtbot, dialog.repeat_passphrase, PASSPHRASE + "!")
    assert not dialog.encrypt_button.isEnabled()
    _type(qtbot, dialog.repeat_passphrase, PASSPHRASE)
    assert dialog.encrypt_button.isEnabled()

    qtbot.mouseClick(dialog.encrypt_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.key_page
    recovery_key = dialog.recovery_key.text()
    assert KEY_PATTERN.match(recovery_key)
    # Shown first: nothing is encrypted until the user shows they kept it.
    assert not logbook.db.encrypted
    assert not dialog.done_button.isEnabled()
    _type(qtbot, dialog.typed_back, "ZZZZ")
    assert not dialog.done_button.isEnabled()
    _type(qtbot, dialog.typed_back, recovery_key[-4:].lower())
    assert dialog.done_button.isEnabled()

    with qtbot.waitSignal(dialog.changed, timeout=20_000):
        qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert logbook.db.encrypted
    assert dialog.recovery_key.text() == ""
    assert dialog.message is not None
    assert "The logbook is encrypted" in dialog.message.text()

    logbook.close()
    reopened = Logbook.open(location, Unlock(recovery_key=recovery_key))
    assert reopened.records.count(RecordKind.SUPERVISION) == 1
    reopened.close()


def test_changing_the_passphrase_in_the_dialog(
    qtbot: QtBot, encrypted: tuple[Logbook, str]
) -> None:
    logbook, _ = encrypted
    dialog = EncryptionDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pages.currentWidget() is dialog.manage_page
    _type(qtbot, dialog.current, "wrong one here")
    _type(qtbot, dialog.changed_passphrase, "song thrush at dusk")
    _type(qtbot, dialog.changed_again, "song thrush at dusk")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert dialog.manage_error.isVisible()
    assert "does not" in dialog.manage_error.text()

    _type(qtbot, dialog.current, PASSPHRASE)
    _type(qtbot, dialog.changed_passphrase, "song thrush at dusk")
    _type(qtbot, dialog.changed_again, "song thrush at dusk")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert not dialog.manage_error.isVisible()
    assert dialog.pages.currentWidget() is dialog.key_page
    new_key = dialog.recovery_key.text()
    assert KEY_PATTERN.match(new_key)
    logbook.encryption.check(Unlock(passphrase=PASSPHRASE))  # nothing changed yet
    _type(qtbot, dialog.typed_back, new_key[-4:])
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message is not None, timeout=20_000)
    assert dialog.message is not None
    assert "new passphrase and recovery key are in use" in dialog.message.text()
    logbook.encryption.check(Unlock(passphrase="song thrush at dusk"))
    logbook.encryption.check(Unlock(recovery_key=new_key))


def test_decrypting_in_the_dialog_after_a_confirmation(
    qtbot: QtBot, encrypted: tuple[Logbook, str]
) -> None:
    logbook, recovery_key = encrypted
    dialog = EncryptionDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.use_recovery.setChecked(True)
    _type(qtbot, dialog.current, recovery_key)
    qtbot.mouseClick(dialog.decrypt_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm.isVisible()
    with qtbot.waitSignal(dialog.changed, timeout=20_000):
        qtbot.mouseClick(
            dialog.confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
        )
    assert not logbook.db.encrypted
    assert dialog.pages.currentWidget() is dialog.encrypt_page
    assert logbook.records.count(RecordKind.SUPERVISION) == 1


def test_a_logbook_found_damaged_while_unlocking_closes_the_dialog_with_the_reason(
    qtbot: QtBot, encrypted: tuple[Logbook, str], location: DataLocation
) -> None:
    logbook, _ = encrypted
    logbook.close()
    data = bytearray(location.database.read_bytes())
    data[5000:9000] = bytes(4000)
    location.database.write_bytes(bytes(data))
    dialog = UnlockDialog(lambda unlock: Logbook.open(location, unlock))
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.field, PASSPHRASE)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert isinstance(dialog.failure, DamagedLogbookError)
    assert dialog.failure.quarantined is not None
