"""Keys you cannot lose: the recovery key is kept before anything is encrypted with it, and an
encryption or key change cut short at any point leaves a logbook its keys open."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from logbook.cli.main import main as cli
from logbook.domain.errors import LogbookError
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.encryption import new_recovery_key
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.storage.encryption import (
    KeyEnvelope,
    Unlock,
    WrongPassphraseError,
    database_key,
    keys_path,
    next_keys_path,
    write_envelope,
)
from tests.encryption_support import change_passphrase, encrypt

OLD, NEW = "kettle on the hob", "song thrush at dusk"


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)


def _book(location: DataLocation, sessions: int = 2) -> Logbook:
    book = Logbook.open(location)
    for day in range(1, sessions + 1):
        book.records.create(SupervisionSession(date=date(2026, 3, day), duration_minutes=60))
    return book


def _count(location: DataLocation, unlock: Unlock | None) -> int:
    with Logbook.open(location, unlock) as book:
        return book.records.count(RecordKind.SUPERVISION)


def test_nothing_is_encrypted_until_the_recovery_key_is_confirmed(location: DataLocation) -> None:
    book = _book(location)
    recovery = new_recovery_key()
    with pytest.raises(LogbookError, match="Type the last four characters"):
        book.encryption.encrypt(OLD, recovery, "WXYZ" if recovery.last_group != "WXYZ" else "ABCD")
    assert not book.db.encrypted
    assert not keys_path(location.database).exists()
    book.encryption.encrypt(OLD, recovery, recovery.last_group.lower())
    assert book.db.encrypted
    book.close()
    assert _count(location, Unlock(recovery_key=recovery.text)) == 2


def test_killed_before_the_swap_the_plain_logbook_is_kept(location: DataLocation) -> None:
    _book(location).close()
    recovery = new_recovery_key()
    key = database_key(recovery.secret)
    write_envelope(next_keys_path(location.database), KeyEnvelope.seal(key, OLD))

    assert _count(location, None) == 2
    assert not next_keys_path(location.database).exists()


def test_killed_after_the_swap_the_new_key_file_is_put_in_place(location: DataLocation) -> None:
    book = _book(location)
    encrypt(book, OLD)
    book.close()
    old_keys = keys_path(location.database).read_bytes()
    with Logbook.open(location, Unlock(passphrase=OLD)) as book:
        _, new_recovery = change_passphrase(book, Unlock(passphrase=OLD), NEW)
    # As if the app stopped between the swap and moving the new key file into place.
    os.replace(keys_path(location.database), next_keys_path(location.database))
    keys_path(location.database).write_bytes(old_keys)

    assert _count(location, Unlock(passphrase=NEW)) == 2
    assert not next_keys_path(location.database).exists()
    assert _count(location, Unlock(recovery_key=new_recovery)) == 2
    with pytest.raises(WrongPassphraseError):
        Logbook.open(location, Unlock(passphrase=OLD))
    assert not list(location.root.glob("*damaged*"))


def test_killed_before_a_key_change_swapped_the_old_passphrase_still_opens(
    location: DataLocation,
) -> None:
    book = _book(location)
    encrypt(book, OLD)
    book.close()
    unused = database_key(new_recovery_key().secret)
    write_envelope(next_keys_path(location.database), KeyEnvelope.seal(unused, NEW))

    with pytest.raises(WrongPassphraseError):
        Logbook.open(location, Unlock(passphrase=NEW))
    assert _count(location, Unlock(passphrase=OLD)) == 2
    assert not list(location.root.glob("*damaged*"))


def test_an_old_key_file_opens_nothing_written_after_a_passphrase_change(
    location: DataLocation, tmp_path: Path
) -> None:
    book = _book(location)
    first = encrypt(book, OLD)
    book.close()
    stolen = tmp_path / "old.keys"
    shutil.copy(keys_path(location.database), stolen)
    with Logbook.open(location, Unlock(passphrase=OLD)) as book:
        change_passphrase(book, Unlock(passphrase=OLD), NEW)
        book.records.create(SupervisionSession(date=date(2026, 4, 1), duration_minutes=45))
    shutil.copy(stolen, keys_path(location.database))

    with pytest.raises(WrongPassphraseError, match="before a passphrase change"):
        Logbook.open(location, Unlock(passphrase=OLD))
    with pytest.raises(WrongPassphraseError):
        Logbook.open(location, Unlock(recovery_key=first.recovery_key))
    assert not list(location.root.glob("*damaged*"))
    assert _count(location, Unlock(passphrase=NEW)) == 3  # the key file is put right again


def test_the_command_line_keeps_the_recovery_key_before_encrypting(
    location: DataLocation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _book(location).close()
    monkeypatch.setenv("PRACTICE_LOGBOOK_NEW_PASSPHRASE", OLD)
    folder = str(location.root)

    assert cli(["--data-dir", folder, "encrypt"]) == 1
    assert "nothing was encrypted" in capsys.readouterr().err
    assert not keys_path(location.database).exists()

    saved = tmp_path / "recovery.txt"
    assert cli(["--data-dir", folder, "encrypt", "--save-recovery-key", str(saved)]) == 0
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    assert _count(location, Unlock(recovery_key=saved.read_text().strip())) == 2
