"""Recovering a logbook that cannot be opened: every candidate to restore from, and nothing in a
set-aside file lost without the user being told.

A damaged logbook is set aside, never deleted. The candidates are that set-aside file (when it
is still readable) and each backup, with their dates and record counts, newest first. After a
restore, the records a readable set-aside file holds that the restored logbook does not are
counted, and can be merged in (a set-aside file is read from a copy, never changed).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from logbook.domain.errors import StorageError
from logbook.domain.records import RecordKind
from logbook.services.backups import BackupInfo, location_backups
from logbook.services.exchange import ImportSummary, export_json, import_json
from logbook.services.locations import DataLocation
from logbook.storage.database import DAMAGED_MARK, Database, open_database
from logbook.storage.repository import uids_in_file

SET_ASIDE = "set aside"


@dataclass(frozen=True)
class Candidate:
    """Something a logbook can be restored from.

    Attributes:
        when: When its content was last written (a backup's time, a set-aside file's change).
        records: How many records it holds (None when it cannot be read without a key).
        backup: The backup, when it is one.
        counts: How many records of each kind it holds (kinds with none left out), when known.
    """

    path: Path
    when: datetime
    source: str
    records: int | None
    backup: BackupInfo | None = None
    counts: dict[RecordKind, int] = field(default_factory=dict)

    def local_time(self) -> str:
        """When, in local time as backups show it (``Mon 2 Mar 2026 09:15``)."""
        local = self.when.astimezone()
        return f"{local:%a} {local.day} {local:%b %Y %H:%M}"

    def describe(self) -> str:
        """One line for the command line's list: when, where from, what it holds, its file."""
        held = "encrypted" if self.records is None else f"{self.records} records"
        return (
            f"{self.when.astimezone():%a %d %b %Y %H:%M}  {self.source}: {held}  ({self.path.name})"
        )


def set_aside_files(location: DataLocation) -> list[Path]:
    """Files set aside as damaged beside the logbook, newest first."""
    database = location.database
    found = database.parent.glob(f"{database.stem}{DAMAGED_MARK}*{database.suffix}")
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def candidates(location: DataLocation) -> list[Candidate]:
    """Every readable set-aside file and every good backup, newest first."""
    found = []
    for path in set_aside_files(location):
        held = uids_in_file(path)
        if held is None and _plain(path):
            continue  # a plain file too damaged to read offers nothing
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        counts = {kind: len(uids) for kind, uids in (held or {}).items() if uids}
        records = None if held is None else sum(counts.values())
        found.append(Candidate(path, when, SET_ASIDE, records, counts=counts))
    for backup in location_backups(location):
        if backup.snapshot.problems():
            continue
        records = None if backup.encrypted else backup.records
        found.append(
            Candidate(
                backup.path,
                backup.created_at,
                f"backup ({backup.reason})",
                records,
                backup,
                backup.counts,
            )
        )
    return sorted(found, key=lambda c: c.when, reverse=True)


def record_uids(path: Path) -> set[str] | None:
    """The uids of every record in a plain logbook file, read only; None if it cannot be read."""
    held = uids_in_file(path)
    return None if held is None else set().union(*held.values())


def left_behind(location: DataLocation, source: Path) -> int:
    """The most records a readable set-aside file holds that a logbook restored from
    ``source`` would not (0 when ``source`` cannot be read without its key)."""
    restored = record_uids(source)
    if restored is None:
        return 0
    missing = 0
    for path in set_aside_files(location):
        theirs = record_uids(path) if path != source else None
        if theirs:
            missing = max(missing, len(theirs - restored))
    return missing


def missing_from(database: Database, source: Path) -> int:
    """How many records of a readable, plain ``source`` file ``database`` does not hold."""
    theirs = record_uids(source)
    if not theirs:
        return 0
    ours = record_uids(database.path) or set()
    return len(theirs - ours)


def merge_from(database: Database, source: Path) -> ImportSummary:
    """Merge the records (and sign-off) of a set-aside or other logbook file into ``database``.

    The file is copied first and read from the copy, so it is never changed; it merges by the
    rules of a JSON import (``merging``): newer versions win, and a record changed on both
    sides is kept as a conflict for the user to decide.

    Raises:
        StorageError: the file cannot be read as a logbook.
    """
    with _copy_of(source) as copy:
        try:
            opened = open_database(copy, backup_dir=copy.parent / "backups")
        except StorageError as error:
            raise StorageError(f"{source.name} cannot be read as a logbook: {error}") from None
        try:
            exported = copy.parent / "records.json"
            export_json(opened, exported)
        finally:
            opened.close()
        return import_json(database, exported)


@contextmanager
def _copy_of(source: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="logbook-merge-") as folder:
        copy = Path(folder) / "logbook.sqlite"
        shutil.copy2(source, copy)
        yield copy


def _plain(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"
