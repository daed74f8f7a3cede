"""Merging another copy of the logbook into this one without losing an edit or a deletion.

Each record and each deletion that arrives is compared with this copy by version (the rules
are in ``domain/versions.py``): the newer side wins, and when both sides changed, the other
copy's side is kept as a conflict for the user to decide, counted nowhere until then.

Two things are settled without asking, and said in the summary. A record deleted here that an
arriving record refers to is put back, since the arriving record needs it; and a deletion
arriving for a record that something here still refers to is not carried out (deleting it
would change those records), which also tells the other copy, next time, that it is back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from logbook.domain.codec import encode
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.records import Record, RecordKind
from logbook.domain.versions import (
    ConflictReason,
    DeletionMark,
    Relation,
    content_version,
    describe,
    relation,
)
from logbook.services.changes import Change
from logbook.storage import history_repository as history
from logbook.storage import repository as repo


@dataclass(frozen=True)
class Incoming:
    """What another copy sends: its records, the histories it keeps (record id → versions
    besides the current one) and its deletions. ``source`` names it in messages."""

    records: Sequence[Record]
    histories: Mapping[str, frozenset[str]]
    deletions: Sequence[DeletionMark]
    source: str


@dataclass(frozen=True)
class Merged:
    added: tuple[Record, ...]
    updated: tuple[Record, ...]
    deleted: tuple[DeletionMark, ...]
    unchanged: int
    conflicts: tuple[str, ...]  # a line for each conflict this merge found
    notes: tuple[str, ...]  # what was settled without asking

    @property
    def change(self) -> Change:
        written = self.added + self.updated
        return Change(
            created=tuple(r.uid for r in self.added),
            updated=tuple(r.uid for r in self.updated),
            deleted=tuple(m.uid for m in self.deleted),
            kinds=frozenset(r.kind for r in written) | {m.kind for m in self.deleted},
        )


@dataclass
class _Conflict:
    kind: RecordKind
    uid: str
    reason: ConflictReason
    version: str
    history: frozenset[str]
    theirs: Record | None
    title: str
    deleted_at: datetime | None = None


@dataclass
class _Plan:
    add: dict[str, Record] = field(default_factory=dict)
    update: dict[str, Record] = field(default_factory=dict)
    delete: dict[str, tuple[DeletionMark, Record]] = field(default_factory=dict)
    marks: list[DeletionMark] = field(default_factory=list)  # deletions of records never here
    conflicts: dict[str, _Conflict] = field(default_factory=dict)
    learn: dict[str, set[str]] = field(default_factory=dict)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def writes(self) -> list[Record]:
        return [*self.add.values(), *self.update.values()]


class _Here:
    """This copy as the merge sees it: its records, histories and deletions."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.histories = {uid: set(versions) for uid, versions in history.histories(session)}
        self.deleted = {mark.uid: mark for mark in history.deletions(session)}

    def find(self, kind: RecordKind, uid: str) -> Record | None:
        return repo.find(self.session, kind, uid)

    def state(self, record: Record | None, uid: str) -> tuple[str, set[str]] | None:
        """(the version here, the history here with it) of record ``uid``, or None if this
        copy never had it."""
        if record is not None:
            ours = content_version(record)
        elif uid in self.deleted:
            ours = self.deleted[uid].version
        else:
            return None
        return ours, self.histories.get(uid, set()) | {ours}


def merge(session: Session, incoming: Incoming, now: datetime) -> Merged:
    """Merge ``incoming`` into the logbook of ``session`` (the caller's transaction).

    Raises:
        ValidationError: an arriving record refers to a record that is nowhere.
    """
    here, plan = _Here(session), _Plan()
    for record in incoming.records:
        _plan_record(record, incoming, here, plan)
    for mark in incoming.deletions:
        _plan_deletion(mark, incoming, here, plan)
    _put_back_what_arrivals_need(incoming, here, plan)
    _keep_what_is_still_used(session, incoming.source, plan)
    return _apply(session, incoming, plan, now)


def _plan_record(record: Record, incoming: Incoming, here: _Here, plan: _Plan) -> None:
    uid = record.uid
    stored = incoming.histories.get(uid, frozenset())
    theirs = content_version(record)
    ours_record = here.find(record.kind, uid)
    state = here.state(ours_record, uid)
    plan.learn[uid] = set(stored)
    if state is None:
        plan.add[uid] = record
        return
    ours, our_history = state
    found = relation(ours, our_history, theirs, stored | {theirs})
    if found is Relation.THEIRS_NEWER:
        (plan.update if ours_record is not None else plan.add)[uid] = record
    elif found is Relation.DIVERGED:
        del plan.learn[uid]  # their side is kept with the conflict, not taken as seen
        reason = ConflictReason.EDITED_ON_BOTH if ours_record else ConflictReason.DELETED_HERE
        plan.conflicts[uid] = _Conflict(
            record.kind, uid, reason, theirs, stored | {theirs}, record, describe(record)
        )
    else:
        plan.unchanged += 1


def _plan_deletion(mark: DeletionMark, incoming: Incoming, here: _Here, plan: _Plan) -> None:
    uid = mark.uid
    stored = incoming.histories.get(uid, frozenset())
    plan.learn[uid] = set(stored) | {mark.version}
    ours_record = here.find(mark.kind, uid)
    state = here.state(ours_record, uid)
    if ours_record is None:
        if state is None:
            plan.marks.append(mark)  # so the deletion travels on from here
        plan.unchanged += 1
        return
    assert state is not None
    ours, our_history = state
    found = relation(ours, our_history, mark.version, stored | {mark.version})
    if found is Relation.THEIRS_NEWER:
        plan.delete[uid] = (mark, ours_record)
    elif found is Relation.DIVERGED:
        del plan.learn[uid]
        plan.conflicts[uid] = _Conflict(
            mark.kind,
            uid,
            ConflictReason.DELETED_THERE,
            mark.version,
            stored | {mark.version},
            None,
            describe(ours_record),
            mark.deleted_at,
        )
    else:
        plan.unchanged += 1


def _put_back_what_arrivals_need(incoming: Incoming, here: _Here, plan: _Plan) -> None:
    """A record deleted here that an arriving record refers to comes back (as the other copy
    has it), so the arriving record is complete."""
    arriving = {r.uid: r for r in incoming.records}
    waiting = plan.writes()
    while waiting:
        record = waiting.pop()
        for name in repo.reference_fields(record.kind):
            target = getattr(record, name, None)
            if not target or target not in here.deleted or target in plan.add:
                continue
            needed = arriving.get(target)
            if needed is None:
                continue  # refers to nothing: reported with the other missing references
            if plan.conflicts.pop(target, None) is None:
                plan.unchanged -= 1  # it was counted as older than the deletion
            plan.learn.setdefault(target, set(incoming.histories.get(target, frozenset())))
            plan.add[target] = needed
            plan.notes.append(
                f"{describe(needed)}: deleted here, but put back because "
                f"{describe(record)} from {incoming.source} refers to it"
            )
            waiting.append(needed)


def _keep_what_is_still_used(session: Session, source: str, plan: _Plan) -> None:
    """A deletion from the other copy is not carried out while a record that stays refers to
    the record (it would change that record); remembering the deletion as seen tells the
    other copy, next time, that the record is back."""
    if not plan.delete:
        return
    used = repo.referrers(session, plan.delete)
    for record in plan.writes():
        for name in repo.reference_fields(record.kind):
            target = getattr(record, name, None)
            if target in plan.delete:
                used.setdefault(target, set()).add(record.uid)
    kept = True
    while kept:
        kept = False
        for uid, (_mark, ours) in list(plan.delete.items()):
            users = used.get(uid, set()) - plan.delete.keys()
            if users:
                del plan.delete[uid]
                plan.unchanged += 1
                kept = True
                plan.notes.append(
                    f"{describe(ours)}: deleted in {source}, but kept because "
                    f"{len(users)} record(s) here refer to it"
                )


# Children before what they belong to, so deleting never cascades past what was decided.
_DELETE_ORDER = {kind: -position for position, kind in enumerate(repo.INSERT_ORDER)}


def _apply(session: Session, incoming: Incoming, plan: _Plan, now: datetime) -> Merged:
    _check_references(session, plan.writes(), incoming.source)
    repo.insert_many(session, plan.add.values())
    for record in plan.update.values():
        repo.replace(session, record)
    deleted = sorted(plan.delete.values(), key=lambda item: _DELETE_ORDER[item[0].kind])
    for mark, _ours in deleted:
        repo.delete(session, mark.kind, mark.uid, at=mark.deleted_at)
        history.mark_deleted(session, mark)  # the same mark as the other copy's
    for mark in plan.marks:
        history.mark_deleted(session, mark)
    history.remember_many(
        session, ((uid, v) for uid, versions in plan.learn.items() for v in versions)
    )
    lines = []
    for conflict in plan.conflicts.values():
        if _keep_conflict(session, conflict, incoming.source, now):
            lines.append(f"{conflict.title}: {conflict.reason.explain(incoming.source)}")
        else:
            plan.unchanged += 1  # already waiting for a decision
    _settle_conflicts(session, plan.learn.keys())
    return Merged(
        tuple(plan.add.values()),
        tuple(plan.update.values()),
        tuple(mark for mark, _ in deleted),
        plan.unchanged,
        tuple(lines),
        tuple(plan.notes),
    )


def _keep_conflict(session: Session, conflict: _Conflict, source: str, now: datetime) -> bool:
    return history.add_conflict(
        session,
        kind=conflict.kind,
        uid=conflict.uid,
        reason=conflict.reason,
        version=conflict.version,
        history=conflict.history,
        theirs=None if conflict.theirs is None else encode(conflict.theirs),
        deleted_at=conflict.deleted_at,
        source=source,
        arrived_at=now,
    )


def _settle_conflicts(session: Session, uids: Iterable[str]) -> None:
    """Drop conflicts this merge settled: their side is now the record's version or part of
    its history (the other copy decided them, or has since taken this copy's side)."""
    touched = set(uids)
    for row in history.conflict_rows(session):
        if row.uid in touched and row.version in versions_of(
            session, RecordKind(row.kind), row.uid
        ):
            history.drop_conflict(session, row)


def versions_of(session: Session, kind: RecordKind, uid: str) -> set[str]:
    """Every version record ``uid`` has been in here, the one it is in now included."""
    record = repo.find(session, kind, uid)
    mark = history.deletion(session, uid)
    now = content_version(record) if record else mark.version if mark else None
    return history.history(session, uid) | ({now} if now else set())


def _check_references(session: Session, records: list[Record], name: str) -> None:
    problems = [
        Problem(
            field,
            f"refers to a missing {kind.label.lower()}",
            None,
            f"{name}, {record.kind.label.lower()} {record.uid}",
        )
        for record, field, kind in repo.dangling_references(session, records)
    ]
    if problems:
        raise ValidationError(problems, f"{name} was not imported; nothing was changed")
