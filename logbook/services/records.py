"""Create, edit, delete, list and total every kind of record; one transaction per action."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TypeVar

from logbook.domain.allowances import Door
from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Direction
from logbook.domain.errors import ConflictError, Problem, ValidationError
from logbook.domain.periods import Period
from logbook.domain.queries import GroupBy, RecordQuery, Total
from logbook.domain.records import Milestone, Profile, Record, RecordKind, utc_now
from logbook.domain.validation import ensure_valid, validate
from logbook.services.changes import Change, Deleted, Saved
from logbook.services.privacy import screen
from logbook.storage import repository as repo
from logbook.storage.database import Database, Session
from logbook.storage.failures import saving

R = TypeVar("R", bound=Record)


class RecordService:
    """The use cases on records. Every method is one transaction: all of it, or nothing."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- writing ---------------------------------------------------------------------------

    def create(self, record: R) -> Saved[R]:
        """Save a new record after checking it and everything it refers to.

        Raises:
            ValidationError: listing every problem with the record; nothing is written.
        """
        ensure_valid(record)
        with saving(), self.db.transaction() as session:
            self._check_references(session, record)
            if repo.find(session, record.kind, record.uid) is not None:
                raise ConflictError(f"A {record.kind.label.lower()} with this id already exists")
            repo.insert(session, record)
        return Saved(record, Change(created=(record.uid,), kinds=frozenset({record.kind})))

    def create_many(
        self,
        records: Iterable[Record],
        *,
        guard: Door | None = None,
        allow_identifiers: bool = False,
    ) -> Change:
        """Save many new records in one transaction (imports, series, demo logbooks).

        Args:
            records: The new records, each with an id of its own; whatever they refer to must
                be saved already or be among them.
            guard: The door the records came through, to check their text for client
                identifiers (the forms check as the user types, so they pass None).
            allow_identifiers: Keep what the check finds, recording the choice on each entry.

        Raises:
            ValidationError: every problem of every record; nothing is written.
            IdentifiersFoundError: ``guard`` found identifiers not allowed; nothing is written.
        """
        batch = list(records)
        problems = [
            dataclasses.replace(p, source=f"{r.kind.label} {i}")
            for i, r in enumerate(batch, 1)
            for p in validate(r)
        ]
        if problems:
            raise ValidationError(problems, "Nothing was saved")
        repeated = _repeated_uids(batch)
        if repeated:
            raise ConflictError(
                f"{len(repeated)} record(s) share an id with another in the same batch (for "
                f"example {repeated[0]}); nothing was saved"
            )
        with saving(), self.db.transaction() as session:
            self._check_batch_references(session, batch)
            clashes = {
                uid
                for kind in {r.kind for r in batch}
                for uid in repo.existing_uids(
                    session, kind, (r.uid for r in batch if r.kind is kind)
                )
            }
            if clashes:
                raise ConflictError(
                    f"{len(clashes)} record(s) already exist in this logbook "
                    f"(for example {sorted(clashes)[0]}); nothing was saved"
                )
            if guard is not None:
                screen(session, batch, guard, allow=allow_identifiers)
            repo.insert_many(session, batch)
        return Change(created=tuple(r.uid for r in batch), kinds=frozenset(r.kind for r in batch))

    def update(
        self, record: R, *, guard: Door | None = None, allow_identifiers: bool = False
    ) -> Saved[R]:
        """Save an edit of ``record``, which must carry the revision it was edited from.

        Returns the stored record with its revision raised by one.

        Args:
            record: The edited record, carrying the revision it was read at.
            guard: The door the edit came through, to check its text for client identifiers
                (as ``create_many``); the forms check as the user types, so they pass None.
            allow_identifiers: Keep what the check finds, recording the choice on the entry.

        Raises:
            ValidationError: the edit is not valid; the stored record is unchanged.
            ConflictError: the record changed since it was read.
            IdentifiersFoundError: ``guard`` found identifiers not allowed; nothing is written.
        """
        ensure_valid(record)
        with saving(), self.db.transaction() as session:
            stored = repo.get(session, record.kind, record.uid)
            if stored.revision != record.revision:
                raise ConflictError(
                    f"This {record.kind.label.lower()} was changed elsewhere "
                    f"(revision {stored.revision}, you edited {record.revision}). Reload it."
                )
            if stored == record:
                return Saved(record, Change())
            self._check_references(session, record)
            saved = dataclasses.replace(
                record,
                revision=record.revision + 1,
                updated_at=utc_now(),
                created_at=stored.created_at,
            )
            if guard is not None:
                screen(session, [saved], guard, allow=allow_identifiers)
            repo.replace(session, saved)
            if record.kind in (RecordKind.PERSON, RecordKind.ORGANISATION):
                repo.reindex_references(session, record.uid)
        return Saved(saved, Change(updated=(record.uid,), kinds=frozenset({record.kind})))

    def delete(self, kind: RecordKind, uid: str) -> Deleted:
        """Delete a record (a pathway takes its milestones with it; attachments go too).

        Raises:
            ConflictError: other records still refer to it (a supervisor with sessions).
        """
        with saving(), self.db.transaction() as session:
            return remove(session, kind, uid)

    def delete_many(self, targets: Sequence[tuple[RecordKind, str]]) -> list[Deleted]:
        """Delete records in the order given, in one transaction: all of them, or none.

        Raises:
            ConflictError: one is still referred to by a record not deleted before it.
        """
        with saving(), self.db.transaction() as session:
            return [remove(session, kind, uid) for kind, uid in targets]

    def restore(self, deleted: Deleted) -> Change:
        """Put back exactly what ``delete`` removed (its undo)."""
        return self.restore_many([deleted])

    def restore_many(self, deleted: Sequence[Deleted]) -> Change:
        """Put back what ``delete_many`` removed, in one transaction: all of it, or nothing.

        Records go back in the reverse order of their deletion, so whatever one refers to is
        back before it.
        """
        with saving(), self.db.transaction() as session:
            for gone in reversed(deleted):
                repo.insert(session, gone.record)
                for record in (*gone.milestones, *gone.attachments):
                    repo.insert(session, record)
        return Change(
            created=tuple(uid for gone in deleted for uid in gone.change.deleted),
            kinds=frozenset(kind for gone in deleted for kind in gone.change.kinds),
        )

    # --- reading ---------------------------------------------------------------------------

    def get(self, kind: RecordKind, uid: str) -> Record:
        """The stored record ``uid`` of ``kind``.

        Raises:
            NotFoundError: there is no such record (it may have been deleted).
        """
        with self.db.reading() as session:
            return repo.get(session, kind, uid)

    def query(self, query: RecordQuery) -> list[Record]:
        """The page of records ``query`` asks for, filtered and sorted as it says."""
        with self.db.reading() as session:
            return repo.query(session, query)

    def summarise(self, query: RecordQuery) -> Total:
        """How many records the query matches and their minutes, ignoring paging."""
        with self.db.reading() as session:
            return repo.summarise(session, query)

    def totals(self, query: RecordQuery, group_by: GroupBy) -> list[Total]:
        """Count and minutes of what ``query`` matches, grouped by month, year, sub-kind or
        person or organisation, ignoring paging."""
        with self.db.reading() as session:
            return repo.totals(session, query, group_by)

    def totals_by_direction(
        self, query: RecordQuery, group_by: GroupBy
    ) -> list[tuple[Direction, Total]]:
        """Count and minutes of supervision per person or organisation, received and given
        apart (a supervisor's hours never mix with a supervisee's), for what ``query`` matches.

        Raises:
            ValueError: the kind has no direction (only supervision does).
        """
        if query.kind is not RecordKind.SUPERVISION:
            raise ValueError(f"{query.kind.label} records have no direction")
        wanted = [query.direction] if query.direction is not None else list(Direction)
        with self.db.reading() as session:
            return [
                (direction, total)
                for direction in wanted
                for total in repo.totals(
                    session, dataclasses.replace(query, direction=direction), group_by
                )
            ]

    def ordered_uids(self, query: RecordQuery) -> list[str]:
        """The ids of every record ``query`` matches, in its order (ignoring its page)."""
        with self.db.reading() as session:
            return repo.ordered_uids(session, query)

    def get_many(self, kind: RecordKind, uids: Sequence[str]) -> list[Record]:
        """The records of ``uids`` that still exist, in the order given."""
        with self.db.reading() as session:
            return repo.find_many(session, kind, uids)

    def all(self, kind: RecordKind) -> list[Record]:
        """Every record of ``kind``, oldest first (all in memory: :meth:`query` pages)."""
        with self.db.reading() as session:
            return list(repo.iterate(session, kind))

    def count(self, kind: RecordKind) -> int:
        """How many records of ``kind`` the logbook holds."""
        with self.db.reading() as session:
            return repo.count(session, kind)

    def summary(self, period: Period) -> dict[RecordKind, Total]:
        """Count and minutes of every dated kind within ``period``."""
        with self.db.reading() as session:
            return {
                kind: repo.summarise(session, RecordQuery(kind, period=period))
                for kind, info in KINDS.items()
                if info.date_field
            }

    def profile(self) -> Profile | None:
        """The practitioner's profile, or None before the first-run welcome."""
        with self.db.reading() as session:
            found = repo.query(session, RecordQuery(RecordKind.PROFILE, limit=1, sort="created_at"))
        return found[0] if found else None  # type: ignore[return-value]

    # --- integrity -------------------------------------------------------------------------

    def _check_references(self, session: Session, record: Record) -> None:
        problems = [
            Problem(name, f"the {kind.label.lower()} it refers to does not exist")
            for _, name, kind in repo.dangling_references(session, [record])
        ]
        if problems:
            raise ValidationError(problems, f"This {record.kind.label.lower()} cannot be saved")

    def _check_batch_references(self, session: Session, batch: list[Record]) -> None:
        problems = [
            Problem(
                name,
                f"refers to a {kind.label.lower()} that does not exist",
                None,
                f"{record.kind.label} {record.uid}",
            )
            for record, name, kind in repo.dangling_references(session, batch)
        ]
        if problems:
            raise ValidationError(problems, "Nothing was saved")


def _repeated_uids(batch: Iterable[Record]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for record in batch:
        if record.uid in seen and record.uid not in repeated:
            repeated.append(record.uid)
        seen.add(record.uid)
    return repeated


def _describe(record: Record) -> str:
    name = getattr(record, "name", None) or getattr(record, "title", None)
    return f"{record.kind.label} '{name}'" if name else f"This {record.kind.label.lower()}"


def remove(session: Session, kind: RecordKind, uid: str) -> Deleted:
    """Delete a record with what belongs to it (a pathway's milestones, attachments) within
    the caller's transaction.

    Raises:
        ConflictError: other records still refer to it (a supervisor with sessions).
    """
    record = repo.get(session, kind, uid)
    _check_unreferenced(session, record)
    milestones = _milestones_of(session, uid) if kind is RecordKind.PATHWAY else ()
    attachments = tuple(
        a
        for owner in (uid, *(m.uid for m in milestones))
        for a in repo.attachments_of(session, owner)
    )
    for attachment in attachments:
        repo.delete(session, RecordKind.ATTACHMENT, attachment.uid)
    for milestone in milestones:
        repo.delete(session, RecordKind.MILESTONE, milestone.uid)
    repo.delete(session, kind, uid)
    gone = (uid, *(m.uid for m in milestones), *(a.uid for a in attachments))
    kinds = {kind} | ({RecordKind.MILESTONE} if milestones else set())
    if attachments:
        kinds.add(RecordKind.ATTACHMENT)
    return Deleted(record, milestones, attachments, Change(deleted=gone, kinds=frozenset(kinds)))


def _check_unreferenced(session: Session, record: Record) -> None:
    users = repo.count_references(session, record.kind, record.uid)
    if users:
        listing = ", ".join(f"{n} {kind.label.lower()}" for kind, n in users.items())
        raise ConflictError(
            f"{_describe(record)} is still used by {listing}. Change or delete those first."
        )


def _milestones_of(session: Session, pathway_uid: str) -> tuple[Milestone, ...]:
    return tuple(m for m in repo.milestones_of(session, pathway_uid) if isinstance(m, Milestone))
