"""A logbook read through the standard library's ``sqlite3``, without SQLAlchemy.

Opening a logbook in full (``database.open_database``) imports SQLAlchemy and the models, which
takes several times as long as a command-line summary of a 50,000-entry logbook takes itself.
A command that only reads records can use this reader instead, but only where opening in full
would do nothing but read: :meth:`LogbookReader.open` gives ``None`` whenever the full open
would have more to do or to say (the file is missing, encrypted, at another schema, not a
logbook, damaged or in use elsewhere, or has beside it a log, a journal, a key file or a copy
that opening settles or tidies away), and the caller then opens the logbook in full, which
deals with each case as it always has.

While open, the reader holds the logbook's lock, as the app does. Its statements are those the
repository runs (``record_sql``), and it reads values back as the column types do (``values``).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.codec import field_types
from logbook.domain.errors import LogbookInUseError
from logbook.domain.queries import GroupBy, RecordQuery, Total
from logbook.domain.records import Record, RecordKind
from logbook.storage import record_sql, sqlite, values
from logbook.storage.lockfile import LogbookLock, lock_path
from logbook.storage.sqlite import SQLITE_MAGIC

READABLE_SCHEMA = "0007"
"""The schema revision the reader's statements are written for: the newest, which a test keeps
equal to ``database.SCHEMA_HEAD`` and to Alembic's head. A logbook at any other revision is
opened in full, which upgrades it (or refuses one from a newer version of the app)."""

# Bytes 18 and 19 of an SQLite file: its format versions for writing and reading, both 2 in
# write-ahead-log mode. The app's connection switches a file to that mode when it opens it.
WAL_VERSIONS = b"\x02\x02"


class ReadFailed(Exception):
    """The reader could not read what was asked (the caller opens the logbook in full)."""


class LogbookReader:
    """A plain logbook at the current schema, open for reading records through ``sqlite3``."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, lock: LogbookLock, logbook_id: str
    ) -> None:
        self.path = path
        self.logbook_id = logbook_id
        self._connection = connection
        self._lock = lock

    @classmethod
    def open(cls, path: Path) -> LogbookReader | None:
        """The logbook at ``path`` open for reading, or ``None`` when it must be opened in full
        (see the module's description)."""
        path = path.expanduser().resolve()
        try:
            if not path.is_file():
                return None
            lock = LogbookLock.acquire(path)
        except (OSError, LogbookInUseError):
            return None
        try:
            reader = cls._open_locked(path, lock)
        except (OSError, sqlite3.Error):
            reader = None
        except BaseException:
            lock.release()
            raise
        if reader is None:
            lock.release()
        return reader

    @classmethod
    def _open_locked(cls, path: Path, lock: LogbookLock) -> LogbookReader | None:
        if not _settled(path):
            return None
        # Read-write, but refusing every write (query_only): a read-only connection to a file
        # in write-ahead-log mode cannot remove the log and shared-memory files it makes beside
        # the file, where the last connection to close normally does. With no log beside the
        # file (see _settled) and the lock held, nothing is left to fold into the file either.
        connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True)
        try:
            connection.isolation_level = None
            connection.execute("PRAGMA query_only = ON")
            connection.execute(f"PRAGMA busy_timeout = {sqlite.BUSY_TIMEOUT_MS}")
            logbook_id = _logbook_id(connection)
        except BaseException:
            connection.close()
            raise
        if logbook_id is None:
            connection.close()
            return None
        return cls(path, connection, lock, logbook_id)

    def summarise(self, q: RecordQuery) -> Total:
        """Count and minutes of everything ``q`` matches (as ``repository.summarise``).

        Raises:
            ReadFailed: the logbook could not be read.
        """
        [(found, minutes)] = self._rows(lambda: record_sql.tally(q))
        return Total(None, int(found), int(minutes))

    def totals(self, q: RecordQuery, group_by: GroupBy) -> list[Total]:
        """Count and minutes of what ``q`` matches, by ``group_by`` (as ``repository.totals``).

        Raises:
            ReadFailed: the logbook could not be read.
        """
        found = self._rows(lambda: record_sql.tally(q, group_by))
        return [Total(None if k is None else str(k), int(n), int(m)) for k, n, m in found]

    def records(self, q: RecordQuery) -> list[Record]:
        """The page of records ``q`` asks for (as ``repository.query``).

        Raises:
            ReadFailed: the logbook could not be read, or holds a value read differently here.
        """
        try:
            readers = _readers(q.kind)
            record_type, names = KINDS[q.kind].record_type, KINDS[q.kind].field_names
            return [
                record_type(**{n: read(v) for n, read, v in zip(names, readers, row, strict=True)})
                for row in self._rows(lambda: record_sql.rows(q))
            ]
        except (ValueError, LookupError, TypeError) as error:
            raise ReadFailed(f"a {q.kind.value} record could not be read: {error}") from error

    def close(self) -> None:
        """Close the file and release the logbook's lock. Safe to call twice."""
        self._connection.close()
        self._lock.release()

    def __enter__(self) -> LogbookReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _rows(self, statement: Callable[[], record_sql.Statement]) -> list[Any]:
        try:
            sql, params = statement()
            return self._connection.execute(sql, params).fetchall()
        except (sqlite3.Error, ValueError) as error:
            # ValueError: the query asks for what the repository's statements refuse (a
            # sub-kind that is not one of the kind's choices); the full open says so as it did.
            raise ReadFailed(str(error)) from error


def _settled(path: Path) -> bool:
    """Whether opening the file in full would only read it: a plain SQLite file in
    write-ahead-log mode, private to its owner, with nothing beside it but its lock."""
    with path.open("rb") as handle:
        header = handle.read(20)
    if header[:16] != SQLITE_MAGIC or header[18:20] != WAL_VERSIONS:
        return False  # encrypted, not SQLite at all, or not yet in the app's journal mode
    if not _private(path.stat().st_mode):
        return False  # the full open takes group and world access away
    # The full open folds in a write-ahead log or rolls back a journal (-wal, -shm, -journal),
    # removes a key file beside a plain file (.keys, .keys.next) and deletes a copy staged for
    # a restore or a conversion that never finished (.staging-...).
    own = {path.name, lock_path(path).name}
    beside = (p.name for p in path.parent.iterdir() if p.name.startswith(path.name))
    return all(name in own for name in beside)


def _private(mode: int) -> bool:
    if os.name == "nt":
        return bool(mode & stat.S_IWRITE)  # chmod there only clears the read-only flag
    return not mode & 0o077


def _logbook_id(connection: sqlite3.Connection) -> str | None:
    """The logbook's id, once the file passes the checks of the full open (``None`` if not)."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "alembic_version" not in tables or "logbook_meta" not in tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or str(row[0]) != READABLE_SCHEMA:
        return None
    # The full open runs SQLite's quick check every time and sets a damaged file aside,
    # offering the newest good backup. Reading only the pages a summary needs could print
    # totals from a damaged file without a word, so the reader runs the same check and leaves
    # a file that fails it to the full open, to be reported as before. It reads every page:
    # about 40 ms for a 30 MB logbook, which the full open spends as well.
    if sqlite.integrity_problems(connection, quick=True, limit=5):
        return None
    found = connection.execute("SELECT value FROM logbook_meta WHERE key = 'logbook_id'")
    value = found.fetchone()
    return None if value is None or value[0] is None else str(value[0])


@cache
def _readers(kind: RecordKind) -> list[Callable[[Any], Any]]:
    declared = field_types(kind)
    return [values.reader_for(declared[name]) for name in KINDS[kind].field_names]
