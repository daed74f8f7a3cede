"""Opening a logbook safely: one copy of the app at a time, damaged files set aside (never
overwritten) with the newest good backup offered, files from newer versions refused."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.errors import LogbookInUseError, NewerSchemaError, StorageError
from logbook.domain.records import PracticeEntry, RecordKind, SupervisionSession
from logbook.services.backups import location_backups, newest_good_backup, restore_location
from logbook.services.integrity import DamagedLogbookError
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage.database import MissingLogbookError, open_database


def _fill(logbook: Logbook, sessions: int = 3) -> None:
    logbook.records.create_many(
        [
            SupervisionSession(date=date(2026, 3, day), duration_minutes=60)
            for day in range(1, sessions + 1)
        ]
        + [PracticeEntry(date=date(2026, 3, 1), duration_minutes=50)]
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def backed_up(location: DataLocation) -> DataLocation:
    """A logbook with records and one backup, closed."""
    logbook = Logbook.open(location)
    _fill(logbook)
    logbook.backups.backup_now()
    logbook.close()
    return location


def _set_aside(location: DataLocation) -> list[Path]:
    return sorted(location.root.glob("logbook.damaged-*.sqlite"))


# --- one copy of the app at a time -------------------------------------------------------------


def test_a_second_open_is_told_the_logbook_is_in_use(
    logbook: Logbook, location: DataLocation
) -> None:
    with pytest.raises(LogbookInUseError, match="already open in another window") as raised:
        Logbook.open(location)
    assert f"process {os.getpid()}" in str(raised.value)
    # The first copy carries on undisturbed.
    logbook.records.create(SupervisionSession(date=date(2026, 3, 2), duration_minutes=60))
    assert logbook.records.count(RecordKind.SUPERVISION) == 1


def test_a_second_process_is_refused_and_nothing_is_corrupted(
    logbook: Logbook, location: DataLocation
) -> None:
    _fill(logbook)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from logbook.domain.errors import LogbookInUseError
        from logbook.storage.database import open_database
        try:
            open_database(Path({str(location.database)!r}))
        except LogbookInUseError as error:
            print("IN USE:", error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.startswith("IN USE: This logbook (logbook.sqlite")
    with logbook.db.connection() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert logbook.records.count(RecordKind.SUPERVISION) == 3


def test_the_lock_is_released_on_close_and_when_the_holder_is_killed(
    location: DataLocation,
) -> None:
    Logbook.open(location).close()
    Logbook.open(location).close()  # closing released it
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from logbook.storage.database import open_database; "
            f"db = open_database(Path({str(location.database)!r})); print('open', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(LogbookInUseError):
            open_database(location.database)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    # The operating system dropped the dead process's lock: no stale lock keeps anyone out.
    Logbook.open(location).close()


# --- files readable by their owner only ---------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_logbook_and_its_backups_are_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)
    try:
        location = DataLocation(tmp_path / "new" / "logbook")
        logbook = Logbook.open(location)
        _fill(logbook)
        backup = logbook.backups.backup_now()
        logbook.close()
    finally:
        os.umask(old)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(location.database) == 0o600
    assert mode(location.root) == 0o700
    assert mode(location.backups) == 0o700
    assert mode(backup.path) == 0o600
    assert mode(backup.snapshot.manifest_path) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_opening_takes_away_group_and_world_access(location: DataLocation) -> None:
    Logbook.open(location).close()
    os.chmod(location.database, 0o644)
    Logbook.open(location).close()
    assert stat.S_IMODE(location.database.stat().st_mode) == 0o600


# --- integrity at open: every way a file can be wrong -------------------------------------------


def test_a_truncated_logbook_is_set_aside_and_the_newest_good_backup_offered(
    backed_up: DataLocation,
) -> None:
    data = backed_up.database.read_bytes()
    backed_up.database.write_bytes(data[: len(data) // 2])
    truncated = _sha(backed_up.database)

    with pytest.raises(DamagedLogbookError) as raised:
        Logbook.open(backed_up)

    error = raised.value
    assert "cannot be used" in str(error)
    [moved] = _set_aside(backed_up)
    assert error.quarantined == moved
    assert _sha(moved) == truncated  # set aside byte for byte, never rewritten
    assert not backed_up.database.exists()
    offer = error.offer
    assert offer is not None
    assert offer.counts == {RecordKind.SUPERVISION: 3, RecordKind.PRACTICE: 1}
    assert "4 records" in offer.describe()
    assert offer.when() in str(error)  # the message says how old the offered backup is


def test_a_file_of_random_bytes_is_set_aside(backed_up: DataLocation) -> None:
    noise = os.urandom(64 * 1024)
    backed_up.database.write_bytes(noise)
    with pytest.raises(DamagedLogbookError, match="not an SQLite database") as raised:
        Logbook.open(backed_up)
    assert raised.value.quarantined is not None
    assert raised.value.quarantined.read_bytes() == noise
    assert raised.value.offer is not None


def test_an_sqlite_file_that_is_not_a_logbook_is_set_aside_untouched(
    location: DataLocation,
) -> None:
    location.root.mkdir(parents=True)
    with sqlite3.connect(location.database) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('scones')")
    conn.close()
    before = _sha(location.database)
    with pytest.raises(DamagedLogbookError, match="not a Practice Logbook") as raised:
        Logbook.open(location)
    assert raised.value.offer is None  # there are no backups to offer
    moved = raised.value.quarantined
    assert moved is not None
    assert _sha(moved) == before
    with sqlite3.connect(moved) as conn:
        assert conn.execute("SELECT name FROM recipes").fetchall() == [("scones",)]
    conn.close()


def test_a_logbook_with_corrupted_pages_is_detected(backed_up: DataLocation) -> None:
    data = bytearray(backed_up.database.read_bytes())
    # Overwrite a stretch in the middle of the file (past the header and schema pages).
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xa5" * 8192
    backed_up.database.write_bytes(bytes(data))
    with pytest.raises(DamagedLogbookError, match=r"integrity check failed|cannot be read"):
        Logbook.open(backed_up)
    assert len(_set_aside(backed_up)) == 1


def test_a_logbook_from_a_newer_version_is_refused_not_set_aside(backed_up: DataLocation) -> None:
    with sqlite3.connect(backed_up.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = _sha(backed_up.database)
    with pytest.raises(NewerSchemaError, match="newer version"):
        Logbook.open(backed_up)
    assert _sha(backed_up.database) == before
    assert _set_aside(backed_up) == []


def test_an_emptied_logbook_with_backups_is_damaged_not_silently_new(
    backed_up: DataLocation,
) -> None:
    backed_up.database.write_bytes(b"")
    with pytest.raises(DamagedLogbookError, match="empty"):
        Logbook.open(backed_up)


def test_a_missing_logbook_with_backups_offers_them_instead_of_starting_empty(
    backed_up: DataLocation,
) -> None:
    backed_up.database.unlink()
    with pytest.raises(MissingLogbookError) as raised:
        Logbook.open(backed_up)
    assert raised.value.offer is not None
    # Starting anew is the user's explicit choice; the backups stay.
    fresh = Logbook.open(backed_up, start_new=True)
    assert fresh.records.count(RecordKind.SUPERVISION) == 0
    fresh.close()
    assert len(location_backups(backed_up)) == 1


# --- recovering: restore the offered backup -------------------------------------------------


def test_the_offered_backup_restores_a_damaged_logbook(backed_up: DataLocation) -> None:
    backed_up.database.write_bytes(os.urandom(10_000))
    with pytest.raises(DamagedLogbookError) as raised:
        Logbook.open(backed_up)
    offer = raised.value.offer
    assert offer is not None
    assert restore_location(backed_up, offer) is None  # nothing was in the way any more

    restored = Logbook.open(backed_up)
    try:
        assert restored.records.count(RecordKind.SUPERVISION) == 3
        assert restored.records.count(RecordKind.PRACTICE) == 1
        assert restored.integrity.check().ok
    finally:
        restored.close()
    assert len(_set_aside(backed_up)) == 1  # the damaged file is still kept


def test_a_damaged_backup_is_never_offered(backed_up: DataLocation) -> None:
    logbook = Logbook.open(backed_up)
    logbook.records.create(SupervisionSession(date=date(2026, 3, 9), duration_minutes=30))
    newer = logbook.backups.backup_now()
    logbook.close()
    data = bytearray(newer.path.read_bytes())
    data[5000] ^= 0xFF  # one flipped bit of rot in the newest backup
    newer.path.write_bytes(bytes(data))

    offer = newest_good_backup(backed_up)
    assert offer is not None
    assert offer.id != newer.id
    assert offer.counts[RecordKind.SUPERVISION] == 3


def test_restoring_over_an_existing_file_sets_it_aside(backed_up: DataLocation) -> None:
    [backup] = location_backups(backed_up)
    logbook = Logbook.open(backed_up)
    logbook.records.create(SupervisionSession(date=date(2026, 3, 9), duration_minutes=30))
    logbook.close()
    set_aside = restore_location(backed_up, backup)
    assert set_aside is not None
    assert set_aside.name.startswith("logbook.replaced-")
    restored = Logbook.open(backed_up)
    assert restored.records.count(RecordKind.SUPERVISION) == 3
    restored.close()
    kept = Logbook.open_file(set_aside)
    assert kept.records.count(RecordKind.SUPERVISION) == 4
    kept.close()


def test_leftovers_of_an_interrupted_swap_are_removed_at_open(location: DataLocation) -> None:
    Logbook.open(location).close()
    leftover = location.root / "logbook.sqlite.staging-convert"
    leftover.write_bytes(b"half-written copy")
    Logbook.open(location).close()
    assert not leftover.exists()


def test_a_folder_that_cannot_hold_a_logbook_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot be used for a logbook"):
        Logbook.open(DataLocation(blocker / "logbook"))
