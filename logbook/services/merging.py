"""Merging another copy of the logbook into this one without losing an edit or a deletion.

Each record and each deletion that arrives is compared with this copy by version (the rules
are in ``domain/versions.py``): the newer side wins, and when both sides changed, the other
copy's side is kept as a conflict for the user to decide, counted nowhere until then.

Records arrive a batch at a time (``Merger.add``), so a file of any size merges in bounded
memory; deletions follow, and references are settled last, when everything has arrived. Two
things are settled without asking, and said in the summary. A record deleted here that an
arriving record refers to is put back, since the arriving record needs it; and a deletion
arriving for a record that something here still refers to is not carried out (deleting it
would change those records), which also tells the other copy, next time, that it is back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from logbook.domain.catalogue import describe
from logbook.domain.codec import encode
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.records import Attachment, Record, RecordKind
from logbook.domain.versions import (
    ConflictReason,
    DeletionMark,
    Relation,
    content_version,
    relation,
)
from logbook.services.changes import Change
from logbook.storage import history_repository as history
from logbook.storage import repository as repo
from logbook.storage.database import Session

# The records of the arriving file with the given ids (to put back what arrivals need).
Fetch = Callable[[set[str]], list[Record]]


@dataclass(frozen=True)
class Merged:
    """What one merge did to this copy: records added, updated, deleted or already the same,
    the conflicts it kept for the user, and the ``Change`` it made."""

    added: int
    updated: int
    deleted: int
    unchanged: int
    conflicts: tuple[str, ...]  # a line for each conflict this merge found
    notes: tuple[str, ...]  # what was settled without asking
    change: Change


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


class _Here:
    """This copy as the merge sees it: its records, histories and deletions."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.histories = {uid: set(versions) for uid, versions in history.histories(session)}
        self.deleted = {mark.uid: mark for mark in history.deletions(session)}
        self.read: dict[tuple[RecordKind, str], Record | None] = {}

    def find(self, kind: RecordKind, uid: str) -> Record | None:
        key = (kind, uid)
        if key in self.read:
            return self.read[key]
        return repo.find(self.session, kind, uid)

    def read_ahead(self, wanted: Iterable[tuple[RecordKind, str]]) -> None:
        """Read the records ``wanted`` (kind, id) a kind at a time, for ``find`` to answer
        from while a batch is planned (a query for every 500 rather than one for each)."""
        by_kind: dict[RecordKind, list[str]] = {}
        for kind, uid in wanted:
            by_kind.setdefault(kind, []).append(uid)
        self.read = {}
        for kind, uids in by_kind.items():
            found = {record.uid: record for record in repo.find_many(self.session, kind, uids)}
            self.read.update(((kind, uid), found.get(uid)) for uid in uids)

    def forget_read(self) -> None:
        """What was read ahead is stale once the plan is applied."""
        self.read = {}

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


def _plan_record(
    record: Record, histories: Mapping[str, frozenset[str]], here: _Here, plan: _Plan
) -> None:
    uid = record.uid
    stored = histories.get(uid, frozenset())
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
            record.kind,
            uid,
            reason,
            theirs,
            stored | {theirs},
            record,
            describe(record, dated=True, detail=False),
        )
    else:
        plan.unchanged += 1


def _plan_deletion(
    mark: DeletionMark, histories: Mapping[str, frozenset[str]], here: _Here, plan: _Plan
) -> None:
    uid = mark.uid
    stored = histories.get(uid, frozenset())
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
            describe(ours_record, dated=True, detail=False),
            mark.deleted_at,
        )
    else:
        plan.unchanged += 1


def _keep_what_is_still_used(session: Session, source: str, plan: _Plan) -> None:
    """A deletion from the other copy is not carried out while a record that stays refers to
    the record (it would change that record); remembering the deletion as seen tells the
    other copy, next time, that the record is back. Arrived records are here by now."""
    if not plan.delete:
        return
    used = repo.referrers(session, plan.delete)
    kept = True
    while kept:
        kept = False
        for uid, (_mark, ours) in list(plan.delete.items()):
            users = used.get(uid, set()) - plan.delete.keys()
            if users:
                del plan.delete[uid]
                plan.unchanged += 1
                kept = True
                named = describe(ours, dated=True, detail=False)
                plan.notes.append(
                    f"{named}: deleted in {source}, but kept because "
                    f"{len(users)} record(s) here refer to it"
                )


# Children before what they belong to, so deleting never cascades past what was decided.
_DELETE_ORDER = {kind: -position for position, kind in enumerate(repo.INSERT_ORDER)}


class Merger:
    """Merges another copy into this logbook within the caller's transaction: records a batch
    at a time (``add``), then the deletions (``delete``), then ``settle``.

    Args:
        histories: The file's histories: record id → the versions it has been in.
        source: The file's name, for messages.
    """

    def __init__(
        self,
        session: Session,
        histories: Mapping[str, frozenset[str]],
        source: str,
        now: datetime,
    ) -> None:
        self.session = session
        self.histories = histories
        self.source = source
        self.now = now
        self.here = _Here(session)
        self.created: list[str] = []
        self.updated: list[str] = []
        self.deleted: list[DeletionMark] = []
        self.kinds: set[RecordKind] = set()
        self.unchanged = 0
        self.conflicts: dict[str, str] = {}
        self.notes: list[str] = []
        self.touched: set[str] = set()
        self.owners: dict[str, str] = {}  # arrived attachment → the record it belongs to
        # A reference to a record still to come (or to be put back) is checked at the end.
        repo.defer_foreign_keys(session)

    def add(self, records: Iterable[Record]) -> None:
        """Merge one batch of arriving records."""
        plan = _Plan()
        arrived = list(records)
        self.here.read_ahead((record.kind, record.uid) for record in arrived)
        for record in arrived:
            _plan_record(record, self.histories, self.here, plan)
        self.here.forget_read()
        self._apply(plan)

    def delete(self, marks: Iterable[DeletionMark]) -> None:
        """Merge the arriving deletions (after every record has arrived)."""
        plan = _Plan()
        arrived = list(marks)
        self.here.read_ahead((mark.kind, mark.uid) for mark in arrived)
        for mark in arrived:
            _plan_deletion(mark, self.histories, self.here, plan)
        self.here.forget_read()
        _keep_what_is_still_used(self.session, self.source, plan)
        self._apply(plan)

    def settle(self, fetch: Fetch) -> Merged:
        """Put back what arrivals refer to (from the file, through ``fetch``), check every
        reference, and say what the merge did.

        Raises:
            ValidationError: an arriving record refers to a record that is nowhere.
        """
        asked: set[str] = set()
        while True:
            wanted = {
                target
                for _kind, _uid, _field, target in self._missing_references()
                if target in self.here.deleted and target not in asked
            }
            found = fetch(wanted) if wanted else []
            if not found:
                break
            asked |= wanted
            self._put_back(found)
        missing = self._missing_references()
        if missing:
            raise ValidationError(
                [
                    Problem(
                        name,
                        "refers to a record that is not in the logbook or the file",
                        None,
                        f"{self.source}, {kind.label.lower()} {uid}",
                    )
                    for kind, uid, name, _target in missing[:100]
                ],
                f"{self.source} was not imported; nothing was changed",
            )
        settle_conflicts(self.session, self.touched)
        change = Change(
            created=tuple(self.created),
            updated=tuple(self.updated),
            deleted=tuple(m.uid for m in self.deleted),
            kinds=frozenset(self.kinds),
        )
        return Merged(
            len(self.created),
            len(self.updated),
            len(self.deleted),
            self.unchanged,
            tuple(self.conflicts.values()),
            tuple(self.notes),
            change,
        )

    def _apply(self, plan: _Plan) -> None:
        session = self.session
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
        for conflict in plan.conflicts.values():
            if _keep_conflict(session, conflict, self.source, self.now):
                line = f"{conflict.title}: {conflict.reason.explain(self.source)}"
                self.conflicts[conflict.uid] = line
            else:
                plan.unchanged += 1  # already waiting for a decision
        self._count(plan, [mark for mark, _ in deleted])

    def _count(self, plan: _Plan, deleted: list[DeletionMark]) -> None:
        written = [*plan.add.values(), *plan.update.values()]
        self.created += plan.add
        self.updated += plan.update
        self.deleted += deleted
        self.kinds |= {r.kind for r in written} | {m.kind for m in deleted}
        self.unchanged += plan.unchanged
        self.notes += plan.notes
        self.touched |= plan.learn.keys()
        self.owners |= {r.uid: r.owner_uid for r in written if isinstance(r, Attachment)}

    def _missing_references(self) -> list[tuple[RecordKind, str, str, str]]:
        """(kind, id, field, the id it names) for each arrived record that refers to a record
        that is not here."""
        arrived = set(self.created) | set(self.updated)
        missing = [found for found in repo.broken_references(self.session) if found[1] in arrived]
        present = repo.existing_anywhere(self.session, self.owners.values())
        missing += [
            (RecordKind.ATTACHMENT, uid, "owner_uid", owner)
            for uid, owner in self.owners.items()
            if owner not in present and owner in self.here.deleted
        ]
        return missing

    def _put_back(self, found: list[Record]) -> None:
        """Records deleted here that arrivals need come back as the file has them."""
        plan = _Plan()
        for record in found:
            plan.add[record.uid] = record
            plan.learn[record.uid] = set(self.histories.get(record.uid, frozenset()))
            if self.conflicts.pop(record.uid, None) is not None:
                for conflict in history.kept_conflicts(self.session, record.uid):
                    history.drop_conflict(self.session, conflict)
            else:
                self.unchanged -= 1  # it was counted as older than the deletion
            named = describe(record, dated=True, detail=False)
            plan.notes.append(
                f"{named}: deleted here, but put back because a record from "
                f"{self.source} refers to it"
            )
        self._apply(plan)


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


def settle_conflicts(session: Session, uids: Iterable[str]) -> None:
    """Drop conflicts this merge settled: their side is now the record's version or part of
    its history (the other copy decided them, or has since taken this copy's side)."""
    touched = set(uids)
    for conflict in history.kept_conflicts(session):
        if conflict.uid in touched and conflict.version in versions_of(
            session, RecordKind(conflict.kind), conflict.uid
        ):
            history.drop_conflict(session, conflict)


def versions_of(session: Session, kind: RecordKind, uid: str) -> set[str]:
    """Every version record ``uid`` has been in here, the one it is in now included."""
    record = repo.find(session, kind, uid)
    mark = history.deletion(session, uid)
    now = content_version(record) if record else mark.version if mark else None
    return history.history(session, uid) | ({now} if now else set())
