"""Opening tells damage from circumstance: a full disk or a lost key file changes nothing on
disk and says what to do; only a damaged file is ever set aside."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from logbook.cli.main import main as cli
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.storage.database import UnavailableLogbookError
from logbook.storage.encryption import Unlock, WrongPassphraseError, keys_path
from tests.disk_support import leave_free, tmpfs
from tests.encryption_support import encrypt

PASSPHRASE = "correct horse battery"


def _fill(book: Logbook, count: int) -> None:
    for day in range(1, count + 1):
        book.records.create(SupervisionSession(date=date(2026, 3, day), duration_minutes=60))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def small_volume() -> Iterator[Path]:
    """A real 3 MB tmpfs volume (needs the privilege to mount; skipped without it)."""
    try:
        with tmpfs(3) as mount:
            yield mount
    except PermissionError as error:
        pytest.skip(str(error))


def test_a_full_disk_at_start_up_is_not_damage_and_nothing_is_lost(
    small_volume: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = DataLocation(small_volume / "logbook")
    book = Logbook.open(location)
    _fill(book, 4)
    book.close()
    before = _sha(location.database)
    leave_free(small_volume, 8)

    with pytest.raises(UnavailableLogbookError, match="is full") as raised:
        Logbook.open(location)
    assert "Free some space on it" in str(raised.value)
    assert "Nothing was changed" in str(raised.value)
    assert cli(["--data-dir", str(location.root), "list", "supervision"]) == 1
    assert "cannot be opened just now" in capsys.readouterr().err
    assert location.database.exists()
    assert _sha(location.database) == before
    assert not list(location.root.glob("*damaged*"))

    (small_volume / "filler").unlink()
    with Logbook.open(location) as reopened:
        assert len(reopened.records.all(RecordKind.SUPERVISION)) == 4


@pytest.fixture
def encrypted(tmp_path: Path) -> DataLocation:
    location = DataLocation(tmp_path / "logbook")
    book = Logbook.open(location)
    _fill(book, 3)
    encrypt(book, PASSPHRASE)
    book.backups.backup_now("manual")
    book.close()
    return location


def test_a_lost_key_file_is_rebuilt_from_the_backups_with_the_passphrase(
    encrypted: DataLocation,
) -> None:
    keys = keys_path(encrypted.database)
    kept = keys.read_bytes()
    keys.unlink()

    with pytest.raises(WrongPassphraseError):
        Logbook.open(encrypted, Unlock(passphrase="not the passphrase"))
    assert not keys.exists()
    assert not list(encrypted.root.glob("*damaged*"))

    with Logbook.open(encrypted, Unlock(passphrase=PASSPHRASE)) as book:
        assert len(book.records.all(RecordKind.SUPERVISION)) == 3
    assert keys.read_bytes() == kept


def test_a_damaged_key_file_is_rebuilt_from_the_backups(encrypted: DataLocation) -> None:
    keys = keys_path(encrypted.database)
    keys.write_text("{ not a key file")

    with Logbook.open(encrypted, Unlock(passphrase=PASSPHRASE)) as book:
        assert len(book.records.all(RecordKind.SUPERVISION)) == 3
    assert '"sealed_key"' in keys.read_text()


def test_a_full_disk_never_makes_an_encrypted_logbook_look_damaged(
    small_volume: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)
    location = DataLocation(small_volume / "logbook")
    book = Logbook.open(location)
    _fill(book, 3)
    encrypt(book, PASSPHRASE)
    book.close()
    before = _sha(location.database)
    leave_free(small_volume, 8)

    with pytest.raises(UnavailableLogbookError, match="is full"):
        Logbook.open(location, Unlock(passphrase=PASSPHRASE))
    assert _sha(location.database) == before
    assert not list(location.root.glob("*damaged*"))
    (small_volume / "filler").unlink()
    with Logbook.open(location, Unlock(passphrase=PASSPHRASE)) as reopened:
        assert len(reopened.records.all(RecordKind.SUPERVISION)) == 3
