"""One copy of the app per logbook: an operating-system lock on a file beside the database.

The lock belongs to an open file handle, so the operating system releases it when the process
ends in any way (even a crash or a kill): a stale lock never keeps anyone out. The file also
says who holds it, so the second copy can tell the user where the logbook is open.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from logbook.domain.errors import LogbookInUseError

LOCK_SUFFIX = ".lock"
# On Windows the locked byte cannot be read by others, so lock one far past the holder's note.
_WINDOWS_LOCK_OFFSET = 1 << 20


def lock_path(database: Path) -> Path:
    """Where the lock file of ``database`` lives: beside it, same name plus ``.lock``."""
    return database.with_name(database.name + LOCK_SUFFIX)


class LogbookLock:
    """An exclusive lock on one logbook, held until :meth:`release`."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._handle: IO[str] | None = None

    @classmethod
    def acquire(cls, database: Path) -> LogbookLock:
        """Take the lock of ``database`` or say who has it.

        Raises:
            LogbookInUseError: another copy of the app (or another window) has it open.
        """
        lock = cls(database)
        lock._take()
        return lock

    @property
    def held(self) -> bool:
        """Whether this copy of the app still holds the lock (it has not been released)."""
        return self._handle is not None

    def _take(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        try:
            _lock(handle)
        except OSError:
            holder = handle.read(500)
            handle.close()
            raise LogbookInUseError(_in_use_message(self.path, holder)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
        )
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Let other copies of the app open the logbook. Safe to call twice."""
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        try:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
        finally:
            handle.close()


def _in_use_message(path: Path, holder: str) -> str:
    where = ""
    try:
        info = json.loads(holder)
        since = datetime.fromisoformat(info["since"]).astimezone()
        where = f" (by process {info['pid']} on {info['host']}, since {since:%d %b %Y %H:%M})"
    except (ValueError, KeyError, TypeError):
        pass
    database = path.name.removesuffix(LOCK_SUFFIX)
    return (
        f"This logbook ({database} in {path.parent}) is already open in another window or "
        f"copy of Practice Logbook{where}. Switch to that window, or close it and try again. "
        "Nothing has been changed."
    )


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        handle.seek(0)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        # flock locks belong to the open file, so a second open in the same process conflicts too.
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
