"""A disk with room to open the logbook but not to finish the work: the disk fills up part-way.

Each command fails with the app's own words (never the database driver's), loses nothing,
leaves no partial file behind (an export it would replace stays the old, complete file) and
never sets the logbook aside as damaged. A few representative cases of the "nearly full"
column of ``bench/fault_matrix.py``, which runs every operation at many levels.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from logbook.cli.main import main as cli
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import encryption
from logbook.storage.encryption import keys_path
from tests.disk_support import leave_free, tmpfs

pytestmark = pytest.mark.slow

RECORDS = 30
# The database driver's or the operating system's own words, which the user must never see.
RAW_TEXT = (
    "sqlite3",
    "OperationalError",
    "(Background on this error",
    "[Errno",
    "database or disk is full",
    "disk I/O error",
)


@pytest.fixture
def volume() -> Iterator[Path]:
    """A real 16 MB tmpfs volume (needs the privilege to mount; skipped without it)."""
    try:
        with tmpfs(16) as mount:
            yield mount
    except PermissionError as error:
        pytest.skip(str(error))


@pytest.fixture
def location(volume: Path, tmp_path: Path) -> DataLocation:
    """A logbook of about 1 MB (records and an attachment) with one backup and a JSON export."""
    location = DataLocation(volume / "logbook")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n" + random.Random(1).randbytes(1024 * 1024))
    with Logbook.open(location) as book:
        for day in range(RECORDS):
            book.records.create(
                SupervisionSession(date=date(2026, 1, 1) + timedelta(days=day), duration_minutes=60)
            )
        owner = book.records.all(RecordKind.SUPERVISION)[0]
        book.attachments.add_file(owner, certificate, "certificate")
        book.backups.backup_now("manual")
    export = ["--data-dir", str(location.root), "export-json", str(location.root / "out.json")]
    assert cli(export) == 0
    return location


def _size_kb(location: DataLocation) -> int:
    return location.database.stat().st_size // 1024


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def _run(location: DataLocation, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = cli(["--data-dir", str(location.root), *args])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert not [mark for mark in RAW_TEXT if mark in output], output
    return status, output


def _intact(location: DataLocation, volume: Path) -> None:
    """With the space back, the logbook opens with every record and nothing set aside."""
    (volume / "filler").unlink()
    assert not list(location.root.glob("*damaged*"))
    with Logbook.open(location, auto_backup=False) as book:
        assert len(book.records.all(RecordKind.SUPERVISION)) == RECORDS
        assert len(book.records.all(RecordKind.ATTACHMENT)) == 1


def test_a_backup_the_disk_has_no_room_for_says_so_and_leaves_nothing(
    location: DataLocation, volume: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(location.root)
    leave_free(volume, _size_kb(location) // 2)

    status, output = _run(location, capsys, "backup", "now")

    assert status == 1
    assert "the disk is full" in output
    assert _files(location.root) <= before | {"logbook.sqlite-wal", "logbook.sqlite-shm"}
    _intact(location, volume)


def test_a_daily_backup_with_no_room_is_a_warning_and_the_logbook_still_opens(
    location: DataLocation, volume: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for manifest in location.backups.glob("*.json"):
        kept = json.loads(manifest.read_text(encoding="utf-8"))
        taken = datetime.fromisoformat(kept["created_at"]) - timedelta(days=2)
        manifest.write_text(json.dumps({**kept, "created_at": taken.isoformat()}))
    before = _files(location.root)
    leave_free(volume, _size_kb(location) // 2)

    status, output = _run(location, capsys, "list", "supervision")

    assert status == 0
    assert f"{RECORDS} supervision record(s)" in output
    assert "warning: today's automatic backup could not be made" in output
    assert "the disk is full" in output
    assert _files(location.root) <= before | {"logbook.sqlite-wal", "logbook.sqlite-shm"}
    _intact(location, volume)


def test_an_export_with_no_room_keeps_the_earlier_export(
    location: DataLocation, volume: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    earlier = (location.root / "out.json").read_bytes()
    before = _files(location.root)
    leave_free(volume, len(earlier) // 2048)

    status, _ = _run(location, capsys, "export-json", str(location.root / "out.json"))

    assert status == 1
    assert (location.root / "out.json").read_bytes() == earlier
    assert _files(location.root) <= before | {"logbook.sqlite-wal", "logbook.sqlite-shm"}
    _intact(location, volume)


def test_a_restore_with_no_room_for_the_copy_never_calls_the_backup_damaged(
    location: DataLocation, volume: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Room for the backup taken before a restore, not for the copy of the one restored.
    leave_free(volume, _size_kb(location) * 3 // 2)

    status, output = _run(location, capsys, "backup", "restore", "1")

    assert status == 1
    assert "is full, so" in output
    assert "was not restored" in output
    assert "damaged" not in output
    assert not list(location.root.glob("*.staging-*"))
    assert not list(location.backups.glob(".*"))
    _intact(location, volume)


def test_encrypting_with_no_room_for_the_encrypted_copy_leaves_the_logbook_plain(
    location: DataLocation,
    volume: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)
    monkeypatch.setenv("PRACTICE_LOGBOOK_NEW_PASSPHRASE", "a new passphrase here")
    # Room for the backup taken before encrypting, not for the encrypted copy.
    leave_free(volume, _size_kb(location) * 3 // 2)

    status, output = _run(
        location, capsys, "encrypt", "--save-recovery-key", str(tmp_path / "key.txt")
    )

    assert status == 1
    assert "is full, so the logbook was not encrypted" in output
    assert not keys_path(location.database).exists()
    assert not list(location.root.glob("*.staging-*"))
    assert not list(location.root.glob("*.next"))
    assert not list(location.backups.glob(".*"))
    assert location.database.read_bytes()[:16] == b"SQLite format 3\x00"
    _intact(location, volume)
