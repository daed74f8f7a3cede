"""Records two copies of the logbook both changed: listing them and the user's decision.

A conflict keeps the other copy's side apart from the records, so nothing counts twice while
it waits. Deciding keeps one side whole (never a mix of fields: a mixed record is one nobody
wrote or signed) and records the other side in the history, so neither copy raises the same
conflict again and the other copy takes the decision when the two next meet.
"""

from __future__ import annotations

import enum

from logbook.domain.catalogue import REFERENCE_LISTS, REFERENCES
from logbook.domain.errors import NotFoundError, Problem, ValidationError
from logbook.domain.records import Record, RecordKind
from logbook.domain.versions import Conflict, ConflictReason, Difference, differences
from logbook.services.changes import Change
from logbook.services.merging import settle_conflicts
from logbook.services.records import remove
from logbook.storage import history_repository as history
from logbook.storage import repository as repo
from logbook.storage.database import Database, Session
from logbook.storage.failures import saving
from logbook.storage.history_repository import KeptConflict


class Keep(enum.Enum):
    """Which side of a conflict the user keeps."""

    HERE = "here"
    OTHER = "other"


class ConflictService:
    """The conflicts of one open logbook: records another copy also changed, awaiting a decision."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[Conflict]:
        """Every conflict still waiting for the user to keep one side, oldest first."""
        with self.db.reading() as session:
            return [_conflict(session, kept) for kept in history.kept_conflicts(session)]

    def count(self) -> int:
        """How many conflicts are waiting (cheaper than :meth:`all`, for a badge or status)."""
        with self.db.reading() as session:
            return history.conflict_count(session)

    def differences(self, conflict: Conflict) -> list[Difference]:
        """What differs between the two sides, people and places shown by name."""
        with self.db.reading() as session:
            names = _names(session, (conflict.ours, conflict.theirs))
        return differences(conflict.ours, conflict.theirs, names)

    def resolve(self, conflict_id: int, keep: Keep) -> Change:
        """Keep one side of a conflict, in one transaction.

        Raises:
            NotFoundError: no such conflict (it may have been decided already).
            ValidationError: the other side refers to a record that is no longer here.
            ConflictError: deleting the record here is refused (other records use it).
        """
        with saving(), self.db.transaction() as session:
            kept = history.kept_conflict(session, conflict_id)
            if kept is None:
                raise NotFoundError(f"No conflict {conflict_id} (it may have been decided already)")
            kind = RecordKind(kept.kind)
            change = _take_theirs(session, kept) if keep is Keep.OTHER else Change()
            history.remember(session, kept.uid, (*kept.history, kept.version))
            settle_conflicts(session, [kept.uid])  # this one, and any it also answers
        return change | Change(kinds=frozenset({kind}))


def _take_theirs(session: Session, kept: KeptConflict) -> Change:
    kind, uid = RecordKind(kept.kind), kept.uid
    theirs = history.their_record(kept)
    if theirs is None:  # the other copy deleted it
        return remove(session, kind, uid).change
    missing = repo.dangling_references(session, [theirs])
    if missing:
        raise ValidationError(
            [
                Problem(field, f"refers to a {target.label.lower()} that is no longer here")
                for _, field, target in missing
            ],
            "The other copy's version cannot be kept",
        )
    if repo.find(session, kind, uid) is None:
        repo.insert(session, theirs)
        return Change(created=(uid,), kinds=frozenset({kind}))
    repo.replace(session, theirs)
    return Change(updated=(uid,), kinds=frozenset({kind}))


def _names(session: Session, records: tuple[Record | None, ...]) -> dict[str, str]:
    """The name or title of each record the given records refer to."""
    names: dict[str, str] = {}
    for record in records:
        if record is None:
            continue
        wanted = [
            (REFERENCES.get(n), getattr(record, n, None))
            for n in repo.reference_fields(record.kind)
        ]
        wanted += [
            (REFERENCE_LISTS[n], uid)
            for n in repo.reference_list_fields(record.kind)
            for uid in getattr(record, n, ())
        ]
        for kind, uid in wanted:
            found = repo.find(session, kind, uid) if uid and kind else None
            if found is not None:
                names[str(uid)] = str(
                    getattr(found, "name", "") or getattr(found, "title", "") or uid
                )
    return names


def _conflict(session: Session, kept: KeptConflict) -> Conflict:
    kind = RecordKind(kept.kind)
    return Conflict(
        id=kept.id,
        kind=kind,
        uid=kept.uid,
        reason=ConflictReason(kept.reason),
        source=kept.source,
        arrived_at=kept.arrived_at,
        theirs=history.their_record(kept),
        ours=repo.find(session, kind, kept.uid),
        deleted_at=kept.deleted_at,
    )
