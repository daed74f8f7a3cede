"""Encryption at rest: the passphrase opens the logbook, the recovery key opens it (and every
backup) when the passphrase is forgotten, with neither nothing does; backups stay encrypted."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

from logbook.domain.errors import LogbookError, StorageError
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.backups import location_backups, newest_good_backup, restore_location
from logbook.services.encryption import CANNOT_RECOVER
from logbook.services.integrity import (
    DamagedLogbookError,
    KeyFileError,
    LockedLogbookError,
    WrongPassphraseError,
)
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.storage.encryption import Unlock, format_recovery_key, parse_recovery_key
from tests.encryption_support import change_passphrase, encrypt

PASSPHRASE = "kettle on the hob"
SECRET_TEXT = "Reflection about a difficult ending"


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheaper scrypt keeps the suite fast; the stored cost makes unlocking use the same."""
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)


@pytest.fixture
def encrypted(location: DataLocation) -> Iterator[tuple[DataLocation, str]]:
    """A closed, encrypted logbook with two sessions and a backup; yields its recovery key."""
    logbook = Logbook.open(location)
    logbook.records.create_many(
        [
            SupervisionSession(date=date(2026, 3, 2), duration_minutes=60, reflection=SECRET_TEXT),
            SupervisionSession(date=date(2026, 3, 9), duration_minutes=90),
        ]
    )
    result = encrypt(logbook, PASSPHRASE)
    logbook.backups.backup_now()
    logbook.close()
    return location, result.recovery_key


def _sessions(logbook: Logbook) -> int:
    return logbook.records.count(RecordKind.SUPERVISION)


def test_encrypting_leaves_no_readable_text_in_the_logbook_or_its_backups(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, _ = encrypted
    files = [location.database, *location.backups.glob("*.sqlite")]
    assert len(files) >= 3  # the logbook, the backup taken before encrypting, one after
    for path in files:
        data = path.read_bytes()
        assert not data.startswith(b"SQLite format 3")
        assert SECRET_TEXT.encode() not in data
        assert b"supervision" not in data


def test_an_encrypted_logbook_needs_its_passphrase(encrypted: tuple[DataLocation, str]) -> None:
    location, _ = encrypted
    with pytest.raises(LockedLogbookError, match="encrypted"):
        Logbook.open(location)
    with pytest.raises(WrongPassphraseError, match="does not unlock"):
        Logbook.open(location, Unlock(passphrase="kettle on the hob "))
    logbook = Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    try:
        assert _sessions(logbook) == 2
        assert logbook.records.all(RecordKind.SUPERVISION)[0].reflection == SECRET_TEXT
        report = logbook.integrity.check()
        assert [r.name for r in report.results if r.ok] == [
            "File integrity",
            "Entries",
            "References",
            "Encryption",
            "Signatures",
        ]
    finally:
        logbook.close()


def test_the_recovery_key_opens_it_when_the_passphrase_is_forgotten(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, recovery_key = encrypted
    typed = recovery_key.lower().replace("-", " ").replace("0", "o")  # as a person types it
    logbook = Logbook.open(location, Unlock(recovery_key=typed))
    try:
        assert _sessions(logbook) == 2
        change_passphrase(logbook, Unlock(recovery_key=typed), "a brand new one")
    finally:
        logbook.close()
    Logbook.open(location, Unlock(passphrase="a brand new one")).close()


def test_the_recovery_key_alone_opens_it_even_without_the_key_file(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, recovery_key = encrypted
    (location.root / "logbook.sqlite.keys").unlink()
    for kept in (location.root / "backups").iterdir():
        kept.unlink()  # no copy of the key file anywhere: only the recovery key is left
    with pytest.raises(DamagedLogbookError, match="only its recovery key can open"):
        Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    # The file was set aside, not lost: the recovery key still opens the set-aside copy.
    [kept] = location.root.glob("logbook.damaged-*.sqlite")
    copy = Logbook.open_file(kept, Unlock(recovery_key=recovery_key))
    assert _sessions(copy) == 2
    copy.close()


def test_a_passphrase_change_gives_a_new_key_the_old_key_file_cannot_open(
    encrypted: tuple[DataLocation, str], tmp_path: Path
) -> None:
    location, old_recovery = encrypted
    old_keys = (location.root / "logbook.sqlite.keys").read_bytes()
    logbook = Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    _, new_recovery = change_passphrase(logbook, Unlock(passphrase=PASSPHRASE), "new words here")
    logbook.records.create(SupervisionSession(date=date(2026, 4, 1), duration_minutes=50))
    logbook.close()

    # Someone kept the old key file and knows the old passphrase: it opens nothing new.
    (location.root / "logbook.sqlite.keys").write_bytes(old_keys)
    with pytest.raises((WrongPassphraseError, DamagedLogbookError, StorageError)):
        Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    with pytest.raises(WrongPassphraseError):
        Logbook.open(location, Unlock(recovery_key=old_recovery))
    reopened = Logbook.open(location, Unlock(recovery_key=new_recovery))
    assert _sessions(reopened) == 3
    reopened.close()


def test_a_wrong_recovery_key_is_refused_with_a_clear_message(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, recovery_key = encrypted
    other = format_recovery_key(bytes(20))
    with pytest.raises(WrongPassphraseError, match="belongs to a different logbook"):
        Logbook.open(location, Unlock(recovery_key=other))
    with pytest.raises(WrongPassphraseError, match="this one has 31"):
        Logbook.open(location, Unlock(recovery_key=recovery_key[:-1]))
    with pytest.raises(WrongPassphraseError, match="'U' never appears"):
        Logbook.open(location, Unlock(recovery_key="U" + recovery_key[1:]))


def test_recovery_keys_read_back_exactly() -> None:
    for secret in (bytes(20), bytes(range(20)), b"\xff" * 20):
        text = format_recovery_key(secret)
        assert len(text.split("-")) == 8
        assert parse_recovery_key(text) == secret


def test_changing_the_passphrase_locks_out_the_old_one_everywhere(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, _ = encrypted
    logbook = Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    with pytest.raises(WrongPassphraseError):
        change_passphrase(logbook, Unlock(passphrase="not the one"), "whatever123")
    with pytest.raises(WrongPassphraseError, match="at least 8"):
        change_passphrase(logbook, Unlock(passphrase=PASSPHRASE), "short")
    before = len(logbook.backups.all())
    rewrapped, _ = change_passphrase(logbook, Unlock(passphrase=PASSPHRASE), "new words here")
    assert rewrapped == before + 1 >= 3  # and the backup taken just before the change
    logbook.close()

    with pytest.raises(WrongPassphraseError):
        Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    logbook = Logbook.open(location, Unlock(passphrase="new words here"))
    logbook.close()
    # Backups answer to the new passphrase too (each carries its own copy of the key file).
    backup = newest_good_backup(location)
    assert backup is not None
    assert backup.snapshot.envelope is not None
    with pytest.raises(WrongPassphraseError):
        backup.snapshot.envelope.unseal(PASSPHRASE)
    backup.snapshot.envelope.unseal("new words here")


def test_an_encrypted_backup_cannot_be_read_without_the_key(
    encrypted: tuple[DataLocation, str], tmp_path: Path
) -> None:
    location, recovery_key = encrypted
    backup = newest_good_backup(location)
    assert backup is not None
    assert backup.encrypted
    with sqlite3.connect(backup.path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
    attempt = sqlcipher3.connect(str(backup.path))
    try:
        attempt.execute("PRAGMA key = 'kettle on the hob'")  # the passphrase is not the key
        with pytest.raises(sqlcipher3.DatabaseError, match="not a database"):
            attempt.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        attempt.close()
    # Its manifest describes it without revealing anything inside.
    manifest = json.loads(backup.snapshot.manifest_path.read_text())
    assert manifest["encrypted"] is True
    assert SECRET_TEXT not in json.dumps(manifest)
    # With the recovery key, an exported copy opens on its own, anywhere.
    logbook = Logbook.open(location, Unlock(recovery_key=recovery_key))
    [copy, keys] = logbook.backups.export(backup.id, tmp_path / "copy.sqlite")
    logbook.close()
    keys.unlink()
    opened = Logbook.open_file(copy, Unlock(recovery_key=recovery_key))
    assert _sessions(opened) == 2
    opened.close()


def test_a_damaged_encrypted_logbook_is_restored_from_its_encrypted_backup(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, _ = encrypted
    data = bytearray(location.database.read_bytes())
    data[4096 + 100] ^= 0x01  # one bit flipped on the second page
    location.database.write_bytes(bytes(data))
    with pytest.raises(DamagedLogbookError) as raised:
        Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    offer = raised.value.offer
    assert offer is not None
    assert offer.encrypted
    with pytest.raises(LockedLogbookError):
        restore_location(location, offer)
    restore_location(location, offer, Unlock(passphrase=PASSPHRASE))
    logbook = Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    assert _sessions(logbook) == 2
    assert logbook.db.encrypted
    logbook.close()


def test_decrypting_stores_it_plain_and_keeps_old_backups_encrypted(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, recovery_key = encrypted
    logbook = Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    with pytest.raises(WrongPassphraseError):
        logbook.encryption.decrypt(Unlock(passphrase="guess"))
    logbook.encryption.decrypt(Unlock(passphrase=PASSPHRASE))
    assert not logbook.db.encrypted
    logbook.records.create(SupervisionSession(date=date(2026, 3, 16), duration_minutes=60))
    logbook.close()

    assert location.database.read_bytes().startswith(b"SQLite format 3\x00")
    assert not (location.root / "logbook.sqlite.keys").exists()
    logbook = Logbook.open(location)
    assert _sessions(logbook) == 3
    older = [b for b in logbook.backups.all() if b.encrypted]
    assert older  # still encrypted, still restorable with the recovery key
    logbook.backups.restore(older[0], Unlock(recovery_key=recovery_key))
    assert _sessions(logbook) == 2
    assert not logbook.db.encrypted  # the logbook keeps its current (plain) state
    logbook.close()


def test_encrypting_twice_or_decrypting_a_plain_logbook_is_refused(logbook: Logbook) -> None:
    with pytest.raises(LogbookError, match="not encrypted"):
        logbook.encryption.decrypt(Unlock(passphrase=PASSPHRASE))
    with pytest.raises(WrongPassphraseError, match="at least 8"):
        encrypt(logbook, "short")
    encrypt(logbook, PASSPHRASE)
    with pytest.raises(LogbookError, match="already encrypted"):
        encrypt(logbook, PASSPHRASE)


def test_locking_after_idle_time_closes_the_logbook_until_unlocked(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, recovery_key = encrypted
    logbook = Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    try:
        logbook.encryption.lock()
        assert logbook.encryption.locked
        with pytest.raises(LockedLogbookError, match="locked"):
            _sessions(logbook)
        with pytest.raises(LockedLogbookError):
            logbook.backups.backup_now()
        with pytest.raises(WrongPassphraseError):
            logbook.encryption.unlock(Unlock(passphrase="wrong again"))
        assert logbook.encryption.locked
        logbook.encryption.unlock(Unlock(recovery_key=recovery_key))
        assert _sessions(logbook) == 2
    finally:
        logbook.close()


def test_the_key_file_stores_a_strong_derivation_by_default(
    logbook: Logbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 17)
    encrypt(logbook, PASSPHRASE)
    stored = json.loads((logbook.path.parent / "logbook.sqlite.keys").read_text())
    assert stored["kdf"] == {"name": "scrypt", "log2_n": 17, "r": 8, "p": 1}
    assert PASSPHRASE not in json.dumps(stored)


def test_a_damaged_key_file_still_leaves_the_recovery_key(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, recovery_key = encrypted
    (location.root / "logbook.sqlite.keys").write_text('{"format": "practice-logbook-keys"')
    for kept in (location.root / "backups").iterdir():
        kept.unlink()  # no copy of the key file to rebuild it from
    with pytest.raises(KeyFileError, match="recovery key"):
        Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    Logbook.open(location, Unlock(recovery_key=recovery_key)).close()


def test_with_neither_passphrase_nor_recovery_key_the_app_says_it_cannot_be_recovered() -> None:
    assert "cannot be opened by anyone" in CANNOT_RECOVER
    assert "no back door" in CANNOT_RECOVER


def test_backups_of_an_encrypted_logbook_list_without_the_key(
    encrypted: tuple[DataLocation, str],
) -> None:
    location, _ = encrypted
    found = location_backups(location)
    assert found
    assert all(b.encrypted for b in found)
    assert found[0].counts == {RecordKind.SUPERVISION: 2}


def test_backups_on_a_drive_away_when_encrypting_are_encrypted_when_it_returns(
    logbook: Logbook, tmp_path: Path
) -> None:
    logbook.records.create(SupervisionSession(date=date(2026, 3, 2), duration_minutes=60))
    drive = tmp_path / "usb"
    logbook.backups.choose_folder(drive)
    plain = logbook.backups.backup_now()
    assert not plain.encrypted
    away = tmp_path / "usb-in-a-drawer"
    drive.rename(away)  # the drive is unplugged while the logbook is encrypted
    encrypt(logbook, PASSPHRASE)
    away.rename(drive)  # ...and plugged in again
    assert plain.path.read_bytes().startswith(b"SQLite format 3")  # missed while away
    logbook.backups.backup_now()
    assert all(b.encrypted for b in logbook.backups.all())
    assert not plain.path.read_bytes().startswith(b"SQLite format 3")
