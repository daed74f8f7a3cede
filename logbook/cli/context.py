"""What every command receives: where the logbook is, and a way to open it (asking for the
passphrase of an encrypted logbook).

The command modules import the services they use inside their handlers, not at the top: most
of the app's start-up time is spent importing services (SQLAlchemy, ReportLab, cryptography),
and a command should load only what it uses. Building the parser, ``--help``, ``summary`` and
``list`` load none of it (see :meth:`CliContext.records`).
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from logbook.domain.errors import LockedLogbookError, LogbookError
from logbook.services.locations import DataLocation
from logbook.storage.encryption import ENV_PASSPHRASE, ENV_RECOVERY_KEY, Unlock

if TYPE_CHECKING:
    from logbook.services.logbook import Logbook
    from logbook.services.reading import QuickRecords, RecordReading


@dataclass
class CliContext:
    """One command's run: the logbook's data folder, where its output and errors are written
    (the terminal unless given), and the logbook once the command opens it."""

    location: DataLocation
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _logbook: Logbook | None = None
    _records: QuickRecords | None = None

    def open(self, *, recovery: bool = False) -> Logbook:
        """The logbook, opened (and created or migrated) on first use.

        An encrypted logbook is unlocked with the passphrase (or, with ``recovery``, the recovery
        key) from the environment or a terminal prompt. If the daily backup due at opening could
        not be made (a full disk, say), a warning says so.
        """
        if self._logbook is None:
            from logbook.services.logbook import Logbook

            self._close_records()
            try:
                self._logbook = Logbook.open(self.location)
            except LockedLogbookError:
                self._logbook = Logbook.open(self.location, ask_unlock(recovery))
            if warning := self._logbook.backup_warning:
                print(
                    f"warning: today's automatic backup could not be made: {warning}", file=self.err
                )
        return self._logbook

    def records(self) -> RecordReading:
        """The logbook's records, for a command that only reads them.

        They are read straight from the file (``logbook.services.reading``) when opening the
        logbook would do nothing but read it; otherwise, and should such a read fail, the
        logbook is opened as :meth:`open` opens it, with all it does and says.
        """
        if self._logbook is None and self._records is None:
            from logbook.services.reading import open_records

            self._records = open_records(self.location, lambda: self.open().records)
        if self._records is not None and self._records.quick:
            return self._records
        return self.open().records

    def close(self) -> None:
        """Close the logbook if the command opened it; a later ``open`` opens it afresh."""
        self._close_records()
        if self._logbook is not None:
            self._logbook.close()
            self._logbook = None

    def _close_records(self) -> None:
        if self._records is not None:
            self._records.close()
            self._records = None

    def print(self, text: str = "") -> None:
        """Write a line of the command's output to ``out``."""
        print(text, file=self.out)


def ask_unlock(recovery: bool = False, what: str = "the logbook") -> Unlock:
    """The passphrase (or recovery key) from the environment, or else from a prompt.

    Raises:
        LogbookError: neither is available (no terminal to ask on).
    """
    if not recovery and (value := os.environ.get(ENV_PASSPHRASE)):
        return Unlock(passphrase=value)
    if value := os.environ.get(ENV_RECOVERY_KEY):
        return Unlock(recovery_key=value)
    if recovery:
        return Unlock(recovery_key=prompt_secret(f"Recovery key for {what}: ", ENV_RECOVERY_KEY))
    return Unlock(passphrase=prompt_secret(f"Passphrase for {what}: ", ENV_PASSPHRASE))


def prompt_secret(question: str, variable: str) -> str:
    """Ask on the terminal without echo; scripts set ``variable`` instead (never an argument).

    Raises:
        LogbookError: there is no terminal, or nothing was entered.
    """
    if not sys.stdin.isatty():
        raise LogbookError(
            f"A passphrase is needed and there is no terminal to ask on. Set ${variable} "
            "for scripts (never put a passphrase on the command line)."
        )
    answer = getpass.getpass(question)
    if not answer:
        raise LogbookError("Nothing was entered; nothing was changed.")
    return answer
