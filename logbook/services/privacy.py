"""The privacy guard on every way into the logbook: checking records for client identifiers,
refusing them unless the user chose to keep them, and remembering that choice on the entry.

Each door (the command line, CSV and JSON imports, sign-off requests, the form) asks the same
questions here, inside its own transaction, so what is refused is refused everywhere and a
kept finding is written with the record it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from logbook.domain.allowances import (
    MAX_FINDINGS_LISTED,
    Allowance,
    Door,
    FieldFinding,
    allowances_for,
    content_texts,
    describe_findings,
    field_texts,
    fingerprint,
    scan_record,
    scan_texts,
)
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.limits import ProblemLog
from logbook.domain.privacy import find_identifiers
from logbook.domain.records import Record, utc_now
from logbook.storage import allowance_repository as allowances
from logbook.storage.database import Database, Session

if TYPE_CHECKING:  # sign-off screens its requests here: importing it now would be circular
    from logbook.services.signoff.files import RequestItem

CLI_HINT = "Remove them, or pass --allow-identifiers to keep them."


class IdentifiersFoundError(ValidationError):
    """Free text looks client-identifiable and the user has not chosen to keep it; nothing
    was saved. ``problems`` name the file, row or record, and field of each finding."""

    def __init__(self, problems: Sequence[Problem], what: str = "Nothing was saved") -> None:
        self.what = what
        super().__init__(list(problems), f"{what}: this text may identify a client")

    def with_hint(self, hint: str) -> IdentifiersFoundError:
        """The same refusal, with what to do next on its last line."""
        error = IdentifiersFoundError(self.problems, self.what)
        error.args = (f"{error}\n{hint}",)
        return error


@dataclass
class Screening:
    """Findings gathered over many records (an import), the first few kept for the message,
    and the allowances that keep them all if the user said so."""

    door: Door
    allow: bool = False
    findings: ProblemLog = field(default_factory=lambda: ProblemLog(keep=MAX_FINDINGS_LISTED))
    pending: list[Allowance] = field(default_factory=list)

    def check(
        self,
        record: Record,
        allowed: Iterable[str] = (),
        *,
        row: int | None = None,
        source: str | None = None,
    ) -> None:
        """Look at ``record``: note its findings, or (when allowed) the allowances for them."""
        self.check_texts(record.uid, field_texts(record), allowed, row=row, source=source)

    def check_texts(
        self,
        uid: str,
        texts: Iterable[tuple[str, str]],
        allowed: Iterable[str] = (),
        *,
        row: int | None = None,
        source: str | None = None,
    ) -> None:
        """Look at the (field, text) pairs of entry ``uid``, as ``check`` does."""
        found = scan_texts(uid, texts, allowed)
        if not found:
            return
        if self.allow:
            self.pending.extend(allowances_for(uid, found, self.door, utc_now()))
            return
        for name, text in describe_findings(found):
            self.findings.append(Problem(name, text, row, source))

    def refuse_if_found(self, what: str = "Nothing was saved") -> None:
        """Raise if anything was found that the user has not kept.

        Raises:
            IdentifiersFoundError: listing the first findings and counting the rest.
        """
        if self.findings:
            raise IdentifiersFoundError(self.findings.listed(), what)

    def save(self, session: Session) -> None:
        """Write the allowances gathered so far (inside the caller's transaction)."""
        if self.pending:
            allowances.add(session, self.pending)
            self.pending = []


def screen(
    session: Session, records: Sequence[Record], door: Door, *, allow: bool, source: str = ""
) -> None:
    """Check ``records`` before they are written in ``session``'s transaction: refuse them if
    they hold identifiers not kept before, or (``allow``) keep those identifiers.

    Raises:
        IdentifiersFoundError: something was found and ``allow`` is false.
    """
    screening = Screening(door, allow)
    kept = allowances.fingerprints(session, (r.uid for r in records))
    for record in records:
        screening.check(record, kept, source=source or None)
    screening.refuse_if_found()
    screening.save(session)


class PrivacyService:
    """Allowances as the app's forms need them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def keep(self, record: Record, kept: dict[str, set[str]], door: Door = Door.FORM) -> int:
        """Remember that the user kept these matched texts (by field) in ``record`` as saved;
        texts no longer in the record are not remembered. Returns how many were added."""
        chosen = [f for f in scan_record(record) if f.warning.text in kept.get(f.field, ())]
        made = allowances_for(record.uid, chosen, door, utc_now())
        if made:
            with self.db.transaction() as session:
                allowances.add(session, made)
        return len(made)

    def kept_texts(self, record: Record) -> dict[str, set[str]]:
        """The matched texts of ``record`` the user kept before, by field (so the form does
        not warn about them again)."""
        with self.db.reading() as session:
            allowed = allowances.fingerprints(session, [record.uid])
        kept: dict[str, set[str]] = {}
        for name, text in field_texts(record):
            for warning in find_identifiers(text):
                if fingerprint(record.uid, name, warning.text) in allowed:
                    kept.setdefault(name, set()).add(warning.text)
        return kept

    def allowances(self, record_uid: str) -> list[Allowance]:
        """The findings the user chose to keep on the entry ``record_uid``, oldest first."""
        with self.db.reading() as session:
            return allowances.of_record(session, record_uid)

    def unkept(self, record: Record) -> list[FieldFinding]:
        """What in ``record`` would be refused as it stands."""
        with self.db.reading() as session:
            allowed = allowances.fingerprints(session, [record.uid])
        return scan_record(record, allowed)


def request_findings(items: Iterable[RequestItem]) -> list[str]:
    """What in a received request's entries looks client-identifiable, one line per entry
    and field (for the supervisor opening it)."""
    lines = []
    for item in items:
        found = scan_texts(item.uid, content_texts(item.target_kind, item.content))
        for name, text in describe_findings(found):
            lines.append(f"{item.description}, {name}: {text}")
    return lines
