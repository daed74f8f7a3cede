"""Record histories, deletions and merge conflicts (see ``domain/versions.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from logbook.domain.codec import decode
from logbook.domain.errors import LogbookError, StorageError
from logbook.domain.records import Record, RecordKind
from logbook.domain.versions import ConflictReason, DeletionMark
from logbook.storage.models import DeletionRow, MergeConflictRow, RecordVersionRow

_CHUNK = 500


def history(session: Session, uid: str) -> set[str]:
    """The versions record ``uid`` has been in here (besides the one it is in now)."""
    return set(session.scalars(select(RecordVersionRow.version).where(RecordVersionRow.uid == uid)))


def histories(session: Session) -> Iterator[tuple[str, list[str]]]:
    """(uid, versions) for every record with a history, deleted ones included."""
    statement = select(RecordVersionRow.uid, RecordVersionRow.version).order_by(
        RecordVersionRow.uid, RecordVersionRow.version
    )
    uid, versions = "", list[str]()
    for row_uid, version in session.execute(statement.execution_options(yield_per=5000)):
        if row_uid != uid and versions:
            yield uid, versions
            versions = []
        uid = row_uid
        versions.append(version)
    if versions:
        yield uid, versions


def remember(session: Session, uid: str, versions: Iterable[str]) -> None:
    """Add ``versions`` to the history of record ``uid`` (those already there are kept once)."""
    remember_many(session, ((uid, version) for version in versions))


def remember_many(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """Add each (record id, version) to that record's history."""
    rows = [{"uid": uid, "version": version} for uid, version in set(pairs)]
    for start in range(0, len(rows), _CHUNK):
        statement = sqlite_insert(RecordVersionRow).on_conflict_do_nothing()
        session.execute(statement, rows[start : start + _CHUNK])


def mark_deleted(session: Session, mark: DeletionMark) -> None:
    """Remember that a record was deleted, so the deletion reaches other copies.

    The version it was deleted at joins its history; a record marked again keeps the new mark.
    """
    session.merge(
        DeletionRow(
            uid=mark.uid, kind=mark.kind.value, version=mark.version, deleted_at=mark.deleted_at
        )
    )
    remember(session, mark.uid, [mark.version])


def deletion(session: Session, uid: str) -> DeletionMark | None:
    """The deletion mark of record ``uid`` (``None`` if it has not been deleted)."""
    row = session.get(DeletionRow, uid)
    return None if row is None else _mark(row)


def deletions(session: Session) -> list[DeletionMark]:
    """Every deletion mark in the logbook, oldest first."""
    rows = session.scalars(select(DeletionRow).order_by(DeletionRow.deleted_at, DeletionRow.uid))
    return [_mark(row) for row in rows]


def forget_deletions(session: Session, uids: Iterable[str]) -> None:
    """The records ``uids`` are back: they are no longer deleted (their histories stay)."""
    wanted = list(uids)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        session.execute(delete(DeletionRow).where(DeletionRow.uid.in_(chunk)))


def _mark(row: DeletionRow) -> DeletionMark:
    return DeletionMark(RecordKind(row.kind), row.uid, row.version, row.deleted_at)


# --- conflicts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptConflict:
    """The other copy's side of a record both copies changed, kept until the user decides.

    Attributes:
        content: The other copy's record (JSON), empty when the other copy deleted it.
    """

    id: int
    uid: str
    kind: str
    reason: str
    version: str
    history: tuple[str, ...]
    content: str
    deleted_at: datetime | None
    source: str
    arrived_at: datetime


def _kept(row: MergeConflictRow) -> KeptConflict:
    return KeptConflict(
        id=row.id,
        uid=row.uid,
        kind=row.kind,
        reason=row.reason,
        version=row.version,
        history=row.history,
        content=row.content,
        deleted_at=row.deleted_at,
        source=row.source,
        arrived_at=row.arrived_at,
    )


def add_conflict(
    session: Session,
    *,
    kind: RecordKind,
    uid: str,
    reason: ConflictReason,
    version: str,
    history: Iterable[str],
    theirs: dict[str, object] | None,
    deleted_at: datetime | None,
    source: str,
    arrived_at: datetime,
) -> bool:
    """Keep the other copy's side of a conflict; False if the same side is already kept."""
    known = session.scalar(
        select(MergeConflictRow.id).where(
            MergeConflictRow.uid == uid, MergeConflictRow.version == version
        )
    )
    if known is not None:
        return False
    session.add(
        MergeConflictRow(
            uid=uid,
            kind=kind.value,
            reason=reason.value,
            version=version,
            history=tuple(sorted(set(history))),
            content="" if theirs is None else json.dumps(theirs, ensure_ascii=False),
            deleted_at=deleted_at,
            source=source[:300],
            arrived_at=arrived_at,
        )
    )
    session.flush()
    return True


def kept_conflicts(session: Session, uid: str | None = None) -> list[KeptConflict]:
    """The conflicts waiting for a decision (of record ``uid`` only, if given), oldest first."""
    statement = select(MergeConflictRow).order_by(MergeConflictRow.id)
    if uid is not None:
        statement = statement.where(MergeConflictRow.uid == uid)
    return [_kept(row) for row in session.scalars(statement)]


def kept_conflict(session: Session, conflict_id: int) -> KeptConflict | None:
    """The conflict numbered ``conflict_id`` (``None`` if it was resolved or never kept)."""
    row = session.get(MergeConflictRow, conflict_id)
    return None if row is None else _kept(row)


def conflict_count(session: Session) -> int:
    """How many conflicts are waiting for a decision."""
    return int(session.scalar(select(func.count()).select_from(MergeConflictRow)) or 0)


def their_record(conflict: KeptConflict) -> Record | None:
    """The other copy's record kept in a conflict (None if the other copy deleted it)."""
    if not conflict.content:
        return None
    try:
        return decode(
            RecordKind(conflict.kind), json.loads(conflict.content), source="merge conflict"
        )
    except (ValueError, TypeError, LogbookError):  # altered outside the app
        raise StorageError(
            f"The other side of conflict {conflict.id} is damaged and cannot be shown; keep this "
            f"computer's side (logbook-cli conflicts resolve {conflict.id} --keep here)."
        ) from None


def drop_conflict(session: Session, conflict: KeptConflict) -> None:
    """Forget a conflict once it is resolved (nothing happens if it is already gone)."""
    row = session.get(MergeConflictRow, conflict.id)
    if row is not None:
        session.delete(row)
        session.flush()
