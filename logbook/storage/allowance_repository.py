"""Privacy allowances: stored, looked up by entry, exported and merged."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from logbook.domain.allowances import Allowance, Door
from logbook.storage.models import PrivacyAllowanceRow

_CHUNK = 500


def add(session: Session, allowances: Iterable[Allowance]) -> None:
    """Store ``allowances``; one already there keeps its first date and door."""
    rows = [
        {
            "record_uid": a.record_uid,
            "fingerprint": a.fingerprint,
            "field": a.field,
            "kind": a.kind,
            "door": a.door.value,
            "allowed_at": a.allowed_at,
        }
        for a in allowances
    ]
    for start in range(0, len(rows), _CHUNK):
        statement = sqlite_insert(PrivacyAllowanceRow).on_conflict_do_nothing()
        session.execute(statement, rows[start : start + _CHUNK])


def fingerprints(session: Session, record_uids: Iterable[str]) -> set[str]:
    """The fingerprints allowed on any of ``record_uids``."""
    wanted = list(dict.fromkeys(record_uids))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            session.scalars(
                select(PrivacyAllowanceRow.fingerprint).where(
                    PrivacyAllowanceRow.record_uid.in_(chunk)
                )
            )
        )
    return found


def of_record(session: Session, record_uid: str) -> list[Allowance]:
    """The findings kept on one entry, oldest first, for showing or exporting with it."""
    rows = session.scalars(
        select(PrivacyAllowanceRow)
        .where(PrivacyAllowanceRow.record_uid == record_uid)
        .order_by(PrivacyAllowanceRow.allowed_at, PrivacyAllowanceRow.fingerprint)
    )
    return [_allowance(row) for row in rows]


def every(session: Session) -> Iterator[Allowance]:
    """Every kept finding in the logbook, entry by entry, read in batches for a full export."""
    statement = select(PrivacyAllowanceRow).order_by(
        PrivacyAllowanceRow.record_uid, PrivacyAllowanceRow.fingerprint
    )
    for row in session.scalars(statement.execution_options(yield_per=5000)):
        yield _allowance(row)


def _allowance(row: PrivacyAllowanceRow) -> Allowance:
    return Allowance(
        row.record_uid, row.field, row.fingerprint, row.kind, Door(row.door), row.allowed_at
    )
