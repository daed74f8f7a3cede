"""Backups: checked copies taken at start, on demand and before risky changes; rotated so old
mistakes stay recoverable; listed, restored (after backing up the present) and exported."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from logbook.domain.errors import NotFoundError, StorageError
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.backups import KeepPolicy, plan_rotation
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage.snapshots import Snapshot

DATA = Path(__file__).parent / "data"


def _session(day: int, minutes: int = 60) -> SupervisionSession:
    return SupervisionSession(date=date(2026, 3, day), duration_minutes=minutes)


def _supervision(logbook: Logbook) -> int:
    return logbook.records.count(RecordKind.SUPERVISION)


@pytest.fixture
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time = UTC, so day, week and month boundaries are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# --- taking backups ---------------------------------------------------------------------------


def test_a_backup_is_a_checked_complete_copy_with_its_counts(logbook: Logbook) -> None:
    logbook.records.create_many([_session(d) for d in range(1, 6)])
    steps: list[tuple[int, int]] = []
    backup = logbook.backups.backup_now(progress=lambda done, total: steps.append((done, total)))

    assert backup.counts == {RecordKind.SUPERVISION: 5}
    assert backup.reason == "Taken by you"
    assert steps
    assert steps[-1][0] == steps[-1][1] > 0
    with sqlite3.connect(backup.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM supervision").fetchone()[0] == 5
        # A backup is one self-contained file, not a database waiting for its log.
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    manifest = json.loads(backup.snapshot.manifest_path.read_text())
    assert manifest["counts"]["supervision"] == 5
    assert manifest["sha256"] == backup.snapshot.sha256
    assert not list(logbook.backups.folder.glob(".*"))  # no partial file left behind
    assert [b.id for b in logbook.backups.all()] == [backup.id]


def test_a_backup_holds_what_was_committed_while_a_change_is_under_way(logbook: Logbook) -> None:
    logbook.records.create(_session(1))
    with logbook.db.transaction() as session:
        session.execute(text("UPDATE supervision SET duration_minutes = 5"))
        backup = logbook.backups.backup_now()
    with sqlite3.connect(backup.path) as conn:
        assert conn.execute("SELECT duration_minutes FROM supervision").fetchone()[0] == 60
    conn.close()


def test_the_daily_backup_is_taken_at_start_when_the_last_is_a_day_old(
    location: DataLocation,
) -> None:
    logbook = Logbook.open(location)
    assert logbook.backups.all() == []  # a brand-new logbook has nothing to protect yet
    logbook.records.create(_session(1))
    logbook.close()

    logbook = Logbook.open(location)
    [daily] = logbook.backups.all()
    assert daily.reason == "Daily, at start"
    assert daily.counts == {RecordKind.SUPERVISION: 1}
    logbook.close()

    logbook = Logbook.open(location)
    assert len(logbook.backups.all()) == 1  # not again on the same day
    tomorrow = datetime.now(UTC) + timedelta(days=1, minutes=1)
    assert logbook.backups.backup_if_due(now=tomorrow) is not None
    assert logbook.backups.backup_if_due(now=tomorrow + timedelta(hours=2)) is None
    logbook.close()


def test_backups_can_go_to_another_folder_and_old_ones_stay_listed(
    logbook: Logbook, tmp_path: Path
) -> None:
    first = logbook.backups.backup_now()
    drive = tmp_path / "usb-drive" / "logbook backups"
    assert logbook.backups.choose_folder(drive) == drive.resolve()
    second = logbook.backups.backup_now()
    assert second.path.parent == drive.resolve()
    assert {b.id for b in logbook.backups.all()} == {first.id, second.id}
    # The choice is kept outside the database, so it is known even if the database is not.
    settings = json.loads((logbook.path.parent / "backup-settings.json").read_text())
    assert settings["folder"] == str(drive.resolve())


def test_a_folder_that_cannot_be_written_is_refused(logbook: Logbook, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot be written"):
        logbook.backups.choose_folder(blocker / "backups")
    assert logbook.backups.folder == logbook.backups.default_folder


def test_automatic_backups_fall_back_when_the_chosen_drive_is_gone(
    logbook: Logbook, tmp_path: Path
) -> None:
    drive = tmp_path / "usb"
    logbook.backups.choose_folder(drive)
    shutil.rmtree(drive)  # unplugged: its folder is gone
    daily = logbook.backups.backup_now("daily")
    assert daily.path.parent == logbook.backups.default_folder
    assert not drive.exists()  # never recreated on the internal disk under the mount point
    with pytest.raises(StorageError, match="is not available"):
        logbook.backups.backup_now("manual")  # asked for: say so rather than go elsewhere
    drive.mkdir()
    drive.chmod(0o500)  # plugged in again, but read-only
    try:
        if os.access(drive, os.W_OK):
            return  # running as a user who can write anywhere: nothing more to see
        assert logbook.backups.backup_now("daily").path.parent == logbook.backups.default_folder
        with pytest.raises(StorageError, match="could not be written"):
            logbook.backups.backup_now("manual")
    finally:
        drive.chmod(0o700)


# --- rotation -------------------------------------------------------------------------------


def _fake(when: datetime) -> Snapshot:
    return Snapshot(Path(f"/b/{when:%Y%m%dT%H%M}.sqlite"), when, "daily", "0001", "id", {}, 0, "")


def test_rotation_keeps_recent_daily_weekly_and_monthly_copies(utc_clock: None) -> None:
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)
    # Two backups a day for 400 days, newest first.
    found = [_fake(start + timedelta(hours=12 * i)) for i in range(800)][::-1]
    kept = plan_rotation(found, KeepPolicy(recent=5, daily=7, weekly=5, monthly=12))

    kept_times = sorted((s.created_at for s in found if s.path in kept), reverse=True)
    newest = found[0].created_at
    assert kept_times[:5] == [s.created_at for s in found[:5]]
    days = {t.date() for t in kept_times}
    assert {(newest - timedelta(days=d)).date() for d in range(7)} <= days
    months = {(t.year, t.month) for t in kept_times}
    assert len(months) == 12  # a year back, month by month
    assert min(kept_times) < newest - timedelta(days=300)
    assert len(kept) <= 5 + 7 + 5 + 12


def test_rotation_deletes_real_backups_beyond_the_policy(logbook: Logbook, utc_clock: None) -> None:
    logbook.records.create(_session(1))
    logbook.backups.set_keep(KeepPolicy(recent=2, daily=3, weekly=2, monthly=2))
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for day in range(40):
        logbook.backups.backup_now("daily", now=start + timedelta(days=day))
    kept = logbook.backups.all()
    days = [b.created_at.date() for b in kept]
    assert days[:3] == [date(2026, 2, 9), date(2026, 2, 8), date(2026, 2, 7)]
    assert date(2026, 1, 31) in days  # the newest of January: a month back is recoverable
    assert len(kept) <= 2 + 3 + 2 + 2
    on_disk = sorted(p.name for p in logbook.backups.folder.iterdir())
    assert len(on_disk) == 2 * len(kept)  # each backup and its manifest, nothing else


# --- restore and export -----------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_present_as_a_backup(
    logbook: Logbook,
) -> None:
    logbook.records.create_many([_session(1), _session(2)])
    good = logbook.backups.backup_now()
    mistake = logbook.records.all(RecordKind.SUPERVISION)[0]
    logbook.records.delete(RecordKind.SUPERVISION, mistake.uid)
    logbook.records.create(_session(3, minutes=5))

    result = logbook.backups.restore(good.id)

    assert _supervision(logbook) == 2
    assert {r.uid for r in logbook.records.all(RecordKind.SUPERVISION)} >= {mistake.uid}
    assert result.change.touches(RecordKind.SUPERVISION)
    assert result.safety.reason == "Before a restore"
    assert result.safety.counts == {RecordKind.SUPERVISION: 2}  # what was there before
    with logbook.db.connection() as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The restored logbook keeps working normally.
    logbook.records.create(_session(4))
    assert _supervision(logbook) == 3


def test_restore_takes_effect_for_the_next_start(location: DataLocation) -> None:
    logbook = Logbook.open(location)
    logbook.records.create(_session(1))
    good = logbook.backups.backup_now()
    logbook.records.create(_session(2))
    logbook.backups.restore(good)
    logbook.close()
    reopened = Logbook.open(location)
    assert _supervision(reopened) == 1
    reopened.close()


def test_a_damaged_backup_is_not_restored_and_nothing_changes(logbook: Logbook) -> None:
    logbook.records.create(_session(1))
    backup = logbook.backups.backup_now()
    logbook.records.create(_session(2))
    with backup.path.open("r+b") as handle:
        handle.truncate(backup.size // 2)
    with pytest.raises(StorageError, match="damaged"):
        logbook.backups.restore(backup)
    assert _supervision(logbook) == 2


def test_restoring_a_backup_from_an_older_schema_upgrades_it(location: DataLocation) -> None:
    location.root.mkdir(parents=True)
    shutil.copyfile(DATA / "logbook-schema-0001.sqlite", location.database)
    logbook = Logbook.open(location)  # upgrades, backing up the 0001 file first
    try:
        [before_upgrade] = logbook.backups.all()
        assert before_upgrade.snapshot.schema == "0001"
        logbook.records.delete(RecordKind.FEEDBACK, logbook.records.all(RecordKind.FEEDBACK)[0].uid)
        logbook.backups.restore(before_upgrade)
        assert logbook.records.count(RecordKind.FEEDBACK) == 1
        assert logbook.records.count(RecordKind.PRACTICE) == 3
    finally:
        logbook.close()


def test_export_writes_a_logbook_that_opens_on_its_own(logbook: Logbook, tmp_path: Path) -> None:
    logbook.records.create_many([_session(1), _session(2)])
    backup = logbook.backups.backup_now()
    [written] = logbook.backups.export("1", tmp_path / "keep-forever.sqlite")
    assert written == tmp_path / "keep-forever.sqlite"
    copy = Logbook.open_file(written)
    try:
        assert _supervision(copy) == 2
        assert copy.db.logbook_id == logbook.db.logbook_id
    finally:
        copy.close()
    assert backup.path.exists()  # exporting copies, never moves


def test_a_restored_export_comes_back(logbook: Logbook, tmp_path: Path) -> None:
    logbook.records.create(_session(1))
    [exported] = logbook.backups.export(logbook.backups.backup_now(), tmp_path)
    logbook.records.create(_session(2))
    logbook.backups.restore_file(exported)
    assert _supervision(logbook) == 1


def test_backups_are_found_by_number_or_name(logbook: Logbook) -> None:
    older = logbook.backups.backup_now(now=datetime(2026, 1, 1, 9, tzinfo=UTC))
    newer = logbook.backups.backup_now(now=datetime(2026, 2, 1, 9, tzinfo=UTC))
    assert logbook.backups.find("1") == newer
    assert logbook.backups.find("2") == older
    assert logbook.backups.find(older.id) == older
    assert logbook.backups.find("logbook-20260101") == older
    with pytest.raises(NotFoundError, match="No backup called"):
        logbook.backups.find("nothing-like-this")
    with pytest.raises(NotFoundError, match="matches 2 backups"):
        logbook.backups.find("logbook-2026")


def test_files_in_the_backup_folder_that_are_not_backups_are_left_alone(logbook: Logbook) -> None:
    folder = logbook.backups.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.json").write_text('{"not": "a manifest"}')
    (folder / "holiday.sqlite").write_bytes(os.urandom(100))
    for _ in range(8):
        logbook.backups.backup_now()
    logbook.backups.set_keep(KeepPolicy(recent=1, daily=0, weekly=0, monthly=0))
    logbook.backups.rotate()
    assert len(logbook.backups.all()) == 1
    assert (folder / "notes.json").exists()
    assert (folder / "holiday.sqlite").exists()


def test_a_backup_holding_unreadable_text_is_refused(logbook: Logbook, tmp_path: Path) -> None:
    # integrity_check sees a sound file; a value inside it is not UTF-8 (rot, or a crafted file).
    logbook.records.create(_session(1))
    [copy] = logbook.backups.export(logbook.backups.backup_now(), tmp_path / "copy.sqlite")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE supervision SET reflection = CAST(X'C328FF' AS TEXT)")
    conn.close()
    logbook.records.create(_session(2))
    with pytest.raises(StorageError, match="cannot be restored: table supervision"):
        logbook.backups.restore_file(copy)
    assert _supervision(logbook) == 2


def test_a_backup_holding_values_the_app_cannot_read_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    logbook.records.create(_session(1))
    [copy] = logbook.backups.export(logbook.backups.backup_now(), tmp_path / "copy.sqlite")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE supervision SET mode = 'teleport'")
    conn.close()
    with pytest.raises(StorageError, match="a supervision entry cannot be read"):
        logbook.backups.restore_file(copy)
    assert _supervision(logbook) == 1


def test_check_logbook_finds_entries_the_app_cannot_read(logbook: Logbook) -> None:
    logbook.records.create(_session(1))
    with sqlite3.connect(logbook.path) as conn:
        conn.execute("UPDATE supervision SET date = 'the second of March'")
    conn.close()
    report = logbook.integrity.check()
    entries = next(r for r in report.results if r.name == "Entries")
    assert not entries.ok
    assert "supervision entry cannot be read" in entries.details[0]
    assert "[PROBLEM] Entries" in report.text()
