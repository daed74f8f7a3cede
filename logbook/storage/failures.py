"""Database failures in words: what went wrong with a save, never the driver's own text.

A failed commit (a full or failing disk, a record deleted meanwhile) reaches the user as a
``StorageError`` that says nothing was saved and what to do; the original error stays chained
for the error log.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from logbook.domain.errors import StorageError

NOTHING_SAVED = "Nothing was saved."
# Below this much free space, SQLite cannot make its side files for reading (or finish a write).
LOW_SPACE = 1024 * 1024


def explain(error: BaseException) -> str:
    """A message for the user about a database error (a driver or SQLAlchemy exception)."""
    detail = str(getattr(error, "orig", None) or error).strip()
    lowered = detail.lower()
    if "foreign key constraint failed" in lowered:
        return (
            "This change refers to a record that no longer exists in the logbook (it may have "
            f"been deleted meanwhile). {NOTHING_SAVED} Reload the list and try again."
        )
    if "unique constraint failed" in lowered:
        what = _column_words(detail)
        if what in ("", "uid"):
            return f"A record with the same id is already in the logbook. {NOTHING_SAVED}"
        return f"The logbook already holds an entry with the same {what}. {NOTHING_SAVED}"
    if "not null constraint failed" in lowered:
        what = _column_words(detail) or "a required field"
        return f"The {what} is missing. {NOTHING_SAVED} Fill it in and save again."
    if "check constraint failed" in lowered:
        return f"A value is outside what the logbook accepts. {NOTHING_SAVED} Check the entry."
    if "disk is full" in lowered or "database or disk is full" in lowered:
        return f"The disk is full. {NOTHING_SAVED} Free some space, then save again."
    if "disk i/o error" in lowered:
        return (
            f"The disk reported an error while the logbook was being written. {NOTHING_SAVED} "
            "Check the drive, then save again; if it keeps happening, restore a backup onto "
            "a healthy disk."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return (
            f"The logbook file cannot be written (it is read-only). {NOTHING_SAVED} Check the "
            "permissions of the logbook's folder."
        )
    if "locked" in lowered or "busy" in lowered:
        return f"The logbook is busy with other work. {NOTHING_SAVED} Try again in a moment."
    if "malformed" in lowered or "not a database" in lowered:
        return (
            f"The logbook file is damaged. {NOTHING_SAVED} Restore the newest good backup "
            "(File > Backups…)."
        )
    return (
        f"The logbook could not save this change (a database error). {NOTHING_SAVED} Try "
        "again; if it keeps happening, restore a backup."
    )


def disk_full(error: BaseException, folder: Path, needed: int = 0) -> bool:
    """Whether ``error`` (the operating system's, or a database driver's or SQLAlchemy's) came
    from the disk holding ``folder`` running out of space.

    SQLite reports some writes that fail on a full disk as a "disk I/O error" (growing its
    shared-memory file, say): that is the full disk too when less than ``needed`` bytes (what
    was being written, deleted since) and a little more are free.
    """
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    driver = getattr(error, "orig", None) or error
    detail = str(driver).lower()
    if "disk is full" in detail:
        return True
    if "disk i/o error" not in detail:
        return False
    if getattr(driver, "sqlite_errorname", "") == "SQLITE_IOERR_SHMSIZE":
        return True
    try:
        return shutil.disk_usage(folder).free < needed + LOW_SPACE
    except OSError:
        return False


def _column_words(detail: str) -> str:
    # "UNIQUE constraint failed: supervision.uid" -> "uid"; "...: attachment.owner_uid" ->
    # "owner"; the table name is ours, not the user's.
    _, _, where = detail.partition(":")
    column = where.split(",")[0].strip().rpartition(".")[2]
    if column == "uid":
        return column
    return column.removesuffix("_uid").replace("_", " ")


@contextmanager
def saving() -> Iterator[None]:
    """Turn a database error raised inside the block into a ``StorageError`` in words.

    Put it around the whole transaction, so a failed commit is caught too.
    """
    # Imported here, as in the two functions below: backups and the reader (``reader.py``) use
    # this module without SQLAlchemy.
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as error:
        raise StorageError(explain(error)) from error


@contextmanager
def storing() -> Iterator[None]:
    """Any database error inside the block, a read's too (the logbook may be locked), as a
    ``StorageError`` in words."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as error:
        raise StorageError(explain(error)) from error


def is_database_error(error: BaseException) -> bool:
    """Whether ``error`` came from the database (SQLAlchemy's or either driver's own)."""
    from sqlalchemy.exc import DBAPIError

    return isinstance(error, DBAPIError) or type(error).__module__.startswith(
        ("sqlite3", "sqlcipher")
    )
