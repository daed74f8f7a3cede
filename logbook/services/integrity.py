"""Check logbook: is the file sound, do its references hold, do its signatures verify?

Also the errors the app shows when a logbook cannot be opened, gathered in one place for the
user-facing layers (they are raised by storage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from logbook.domain.catalogue import REFERENCE_LISTS
from logbook.domain.errors import (
    DamagedLogbookError,
    KeyFileError,
    LockedLogbookError,
    LogbookInUseError,
    NewerSchemaError,
    StorageError,
    WrongPassphraseError,
)
from logbook.storage import repository as repo
from logbook.storage import sqlite
from logbook.storage.database import Database, unreadable_records

__all__ = [
    "CheckReport",
    "CheckResult",
    "DamagedLogbookError",
    "IntegrityService",
    "KeyFileError",
    "LockedLogbookError",
    "LogbookInUseError",
    "NewerSchemaError",
    "StorageError",
    "WrongPassphraseError",
]

MAX_SHOWN = 20


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, whether it passed, a one-line summary and any details."""

    name: str
    ok: bool
    summary: str
    details: tuple[str, ...] = ()
    skipped: bool = False


@dataclass(frozen=True)
class CheckReport:
    """Every check of one run over the logbook, and when it ran."""

    results: tuple[CheckResult, ...]
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        """Whether every check passed (a skipped check counts as passed)."""
        return all(r.ok for r in self.results)

    def text(self) -> str:
        """The report as plain text (the command line prints it; the app can copy it)."""
        lines = []
        for result in self.results:
            mark = "skipped" if result.skipped else "ok" if result.ok else "PROBLEM"
            lines.append(f"[{mark}] {result.name}: {result.summary}")
            lines.extend(f"    {detail}" for detail in result.details[:MAX_SHOWN])
            if len(result.details) > MAX_SHOWN:
                lines.append(f"    … and {len(result.details) - MAX_SHOWN} more")
        verdict = (
            "The logbook is sound."
            if self.ok
            else "Problems were found. Restore a recent backup (File → Backups), or keep "
            "working and back up first; the problems are listed above."
        )
        lines.append(verdict)
        return "\n".join(lines)


class SignatureReport(Protocol):
    """What the sign-off service's ``verify_all`` returns (see ``services/signoff/evidence.py``)."""

    @property
    def ok(self) -> bool: ...

    def lines(self) -> list[str]: ...


SignatureCheck = Callable[[], SignatureReport]
"""Verifies every signature of the logbook."""


class IntegrityService:
    """Runs "Check logbook" on an open logbook."""

    def __init__(self, db: Database, signatures: Callable[[], SignatureCheck | None]) -> None:
        self.db = db
        self._signatures = signatures

    def check(self) -> CheckReport:
        """Integrity check, every entry readable, foreign keys, page authentication (if
        encrypted) and signatures.

        Runs on a separate read-only connection, so the app stays usable meanwhile.
        """
        with self.db.connection(read_only=True) as conn:
            integrity = sqlite.integrity_problems(conn, limit=1000)
            references = sqlite.foreign_key_problems(conn) + _missing_in_lists(conn)
            pages = sqlite.cipher_problems(conn, self.db.key)
            entries = sqlite.undecodable_text(conn)
        if not entries:
            with self.db.reading() as session:
                entries = unreadable_records(session)
        results = [
            _result(
                "File integrity",
                integrity,
                "SQLite's integrity check found nothing wrong",
                "SQLite's integrity check found {n} problem(s)",
            ),
            _result(
                "Entries",
                entries,
                "every entry reads back as the app wrote it",
                "{n} kind(s) of entry hold values the app cannot read",
            ),
            _result(
                "References",
                references,
                "every reference between records points to a record that exists",
                "{n} reference(s) point to records that do not exist",
            ),
        ]
        if self.db.key is not None:
            results.append(
                _result(
                    "Encryption",
                    pages,
                    "every page is authentic (nothing was altered outside the app)",
                    "{n} page(s) failed authentication",
                )
            )
        results.append(self._check_signatures())
        return CheckReport(tuple(results))

    def _check_signatures(self) -> CheckResult:
        verify = self._signatures()
        if verify is None:
            return CheckResult(
                "Signatures", True, "not checked: this version has no sign-off", skipped=True
            )
        report = verify()
        lines = report.lines()
        # The report's first line counts what was checked; its last is a verdict we repeat.
        summary = lines[0] if lines else "checked"
        details = tuple(line.strip() for line in lines[1:-1])
        return CheckResult("Signatures", report.ok, summary, details)


def _missing_in_lists(conn: Any) -> list[str]:
    """Ids in a list of references (a group's members) that name no record: lists have no
    foreign key for SQLite to check."""
    return [
        f"{kind.value} {uid} names a missing {REFERENCE_LISTS[name].value} ({target}) in {name}"
        for kind, name, sql in repo.missing_in_lists_sql()
        for uid, target in conn.execute(sql).fetchall()
    ]


def _result(name: str, problems: list[str], good: str, bad: str) -> CheckResult:
    if not problems:
        return CheckResult(name, True, good)
    return CheckResult(name, False, bad.format(n=len(problems)), tuple(problems))
