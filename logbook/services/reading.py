"""Records for a command that only reads them, without opening the logbook in full.

``Logbook.open`` imports every service (SQLAlchemy, ReportLab and cryptography with them),
checks the file, takes the daily backup when one is due and tidies what an interrupted save
left behind. When the file is plain and sound, a backup was taken within the day and nothing is
left to tidy, all it does for ``logbook-cli summary`` or ``list`` is read, and the reader of
``storage/reader.py`` reads the same records in a fraction of the time. :func:`open_records`
gives them through that reader in that case, and ``None`` in every other: the command then
opens the logbook in full, as it always did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from logbook.domain.catalogue import KINDS
from logbook.domain.periods import Period
from logbook.domain.queries import GroupBy, RecordQuery, Total
from logbook.domain.records import Record, RecordKind
from logbook.services.backups import BackupSettings, backup_due
from logbook.services.identity import IDENTITIES_FOLDER, IdentityStore
from logbook.services.locations import DataLocation
from logbook.storage import snapshots
from logbook.storage.reader import LogbookReader, ReadFailed

T = TypeVar("T")


class RecordReading(Protocol):
    """What a command that only reads records asks of them; ``RecordService`` answers it too."""

    def query(self, query: RecordQuery) -> list[Record]:
        """The page of records ``query`` asks for, filtered and sorted as it says."""
        ...

    def summarise(self, query: RecordQuery) -> Total:
        """How many records the query matches and their minutes, ignoring paging."""
        ...

    def totals(self, query: RecordQuery, group_by: GroupBy) -> list[Total]:
        """Count and minutes of what ``query`` matches, grouped by ``group_by``."""
        ...

    def summary(self, period: Period) -> dict[RecordKind, Total]:
        """Count and minutes of every dated kind within ``period``."""
        ...


class QuickRecords:
    """Records read through the reader; should a read fail (a value read differently, say),
    that read and every later one go through the logbook opened in full (``full``)."""

    def __init__(self, reader: LogbookReader, full: Callable[[], RecordReading]) -> None:
        self._reader: LogbookReader | None = reader
        self._full = full

    @property
    def quick(self) -> bool:
        """Whether the records are still read through the reader."""
        return self._reader is not None

    def query(self, query: RecordQuery) -> list[Record]:
        """The page of records ``query`` asks for, as ``RecordService.query``."""
        return self._read(lambda r: r.records(query), lambda s: s.query(query))

    def summarise(self, query: RecordQuery) -> Total:
        """Count and minutes of what ``query`` matches, as ``RecordService.summarise``."""
        return self._read(lambda r: r.summarise(query), lambda s: s.summarise(query))

    def totals(self, query: RecordQuery, group_by: GroupBy) -> list[Total]:
        """Count and minutes grouped by ``group_by``, as ``RecordService.totals``."""
        return self._read(lambda r: r.totals(query, group_by), lambda s: s.totals(query, group_by))

    def summary(self, period: Period) -> dict[RecordKind, Total]:
        """Count and minutes of every dated kind within ``period``, as
        ``RecordService.summary``."""
        return {
            kind: self.summarise(RecordQuery(kind, period=period))
            for kind, info in KINDS.items()
            if info.date_field
        }

    def close(self) -> None:
        """Close the reader (and release the logbook's lock). Safe to call twice."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _read(self, quick: Callable[[LogbookReader], T], full: Callable[[RecordReading], T]) -> T:
        if self._reader is not None:
            try:
                return quick(self._reader)
            except ReadFailed:
                self.close()
        return full(self._full())


def open_records(location: DataLocation, full: Callable[[], RecordReading]) -> QuickRecords | None:
    """The records of the logbook in ``location``, read without opening it in full; ``None``
    when opening it in full would do more than read (see the module's description).

    ``full`` opens the logbook in full and gives its records, should a read fail.
    """
    reader = LogbookReader.open(location.database)
    if reader is None:
        return None
    try:
        settings = BackupSettings.load(location.root)
        due = backup_due(reader.path, settings, reader.logbook_id, datetime.now(UTC))
        more_to_do = due or bool(_leftovers(location, settings))
    except OSError:
        more_to_do = True
    except BaseException:
        reader.close()
        raise
    if more_to_do:
        reader.close()
        return None
    return QuickRecords(reader, full)


def _leftovers(location: DataLocation, settings: BackupSettings) -> list[Path]:
    """What ``Logbook.remove_leftovers`` would delete when the logbook is opened in full."""
    folders = {location.backups, settings.folder or location.backups}
    found = [leftover for folder in folders for leftover in snapshots.leftovers(folder)]
    return found + IdentityStore(location.root / IDENTITIES_FOLDER).leftovers()
