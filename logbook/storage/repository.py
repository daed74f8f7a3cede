"""Reading and writing records: rows in, domain records out (never ORM instances)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, literal_column, select, text
from sqlalchemy import delete as delete_from
from sqlalchemy import insert as insert_into
from sqlalchemy.orm import InstrumentedAttribute, Session

from logbook.domain.catalogue import KINDS, REFERENCE_LISTS, REFERENCES
from logbook.domain.errors import NotFoundError
from logbook.domain.queries import GroupBy, RecordQuery, Total
from logbook.domain.records import Attachment, Record, RecordKind
from logbook.domain.versions import DeletionMark, content_version, deletion_version
from logbook.storage import history_repository as history
from logbook.storage import record_sql, sqlite
from logbook.storage.models import (
    AttachmentBlob,
    AttachmentRow,
    AttestationRow,
    CourseRow,
    CpdRow,
    FeedbackRow,
    LogbookMeta,
    MilestoneRow,
    OrganisationRow,
    PathwayRow,
    PersonalPracticeRow,
    PersonRow,
    PracticeRow,
    ProfileRow,
    RecordRow,
    ReflectiveAccountRow,
    SupervisionRow,
)

ROWS: dict[RecordKind, type[RecordRow]] = {
    RecordKind.PROFILE: ProfileRow,
    RecordKind.ORGANISATION: OrganisationRow,
    RecordKind.PERSON: PersonRow,
    RecordKind.SUPERVISION: SupervisionRow,
    RecordKind.PRACTICE: PracticeRow,
    RecordKind.COURSE: CourseRow,
    RecordKind.CPD: CpdRow,
    RecordKind.PERSONAL_PRACTICE: PersonalPracticeRow,
    RecordKind.PATHWAY: PathwayRow,
    RecordKind.MILESTONE: MilestoneRow,
    RecordKind.FEEDBACK: FeedbackRow,
    RecordKind.REFLECTIVE_ACCOUNT: ReflectiveAccountRow,
    RecordKind.ATTESTATION: AttestationRow,
    RecordKind.ATTACHMENT: AttachmentRow,
}


# Kinds in an order where every reference points at an earlier kind.
INSERT_ORDER = [
    RecordKind.PROFILE,
    RecordKind.ORGANISATION,
    RecordKind.PERSON,
    RecordKind.PATHWAY,
    RecordKind.COURSE,
    RecordKind.MILESTONE,
    RecordKind.SUPERVISION,
    RecordKind.PRACTICE,
    RecordKind.CPD,
    RecordKind.PERSONAL_PRACTICE,
    RecordKind.FEEDBACK,
    RecordKind.REFLECTIVE_ACCOUNT,
    RecordKind.ATTESTATION,
    RecordKind.ATTACHMENT,
]


# --- conversion --------------------------------------------------------------------------------


def to_record(kind: RecordKind, row: Any) -> Record:
    """A domain record from a row or a result tuple with the kind's columns."""
    info = KINDS[kind]
    return info.record_type(**{name: getattr(row, name) for name in info.field_names})


def to_row(record: Record) -> RecordRow:
    """A new row of the record's kind holding ``record`` (the counterpart of :func:`to_record`)."""
    info = KINDS[record.kind]
    return ROWS[record.kind](**{name: getattr(record, name) for name in info.field_names})


def _columns(kind: RecordKind) -> list[InstrumentedAttribute[Any]]:
    row = ROWS[kind]
    return [getattr(row, name) for name in KINDS[kind].field_names]


# --- single records ----------------------------------------------------------------------------


def get(session: Session, kind: RecordKind, uid: str) -> Record:
    """The record ``uid`` of ``kind``.

    Raises:
        NotFoundError: there is no such record (it may have been deleted).
    """
    row = session.get(ROWS[kind], uid)
    if row is None:
        raise NotFoundError(f"No {kind.label.lower()} with id {uid} (it may have been deleted)")
    return to_record(kind, row)


def find(session: Session, kind: RecordKind, uid: str) -> Record | None:
    """The record ``uid`` of ``kind``, or ``None`` if there is no such record."""
    row = session.get(ROWS[kind], uid)
    return None if row is None else to_record(kind, row)


def insert(session: Session, record: Record) -> None:
    """Add ``record`` and index its text for search; a record deleted before is no longer marked
    deleted."""
    session.add(to_row(record))
    session.flush()
    history.forget_deletions(session, [record.uid])
    _reindex(session, record)


def insert_many(session: Session, records: Iterable[Record]) -> int:
    """Insert records in bulk (one flush, Core inserts), indexing their text for search."""
    by_kind: dict[RecordKind, list[Record]] = {}
    for record in records:
        by_kind.setdefault(record.kind, []).append(record)
    for kind, batch in _in_dependency_order(by_kind):
        names = KINDS[kind].field_names
        # A Core insert of the table (one executemany): the ORM's bulk insert buys nothing here.
        session.execute(
            insert_into(ROWS[kind].__table__),  # type: ignore[arg-type]
            [{n: getattr(r, n) for n in names} for r in batch],
        )
        history.forget_deletions(session, [r.uid for r in batch])
        names_cache = _NameCache(session)
        bodies = [
            {"u": r.uid, "k": kind.value, "b": body}
            for r in batch
            if (body := search_body(r, names_cache))
        ]
        if bodies:
            session.execute(
                text(f"INSERT INTO {sqlite.SEARCH_TABLE} (uid, kind, body) VALUES (:u, :k, :b)"),
                bodies,
            )
    return sum(len(b) for b in by_kind.values())


def replace(session: Session, record: Record) -> None:
    """Store ``record`` over the one with its id, keeping the version it replaces in its
    history (so a copy that still has that version knows it is older)."""
    row = session.get(ROWS[record.kind], record.uid)
    if row is None:
        raise NotFoundError(f"No {record.kind.label.lower()} with id {record.uid}")
    history.remember(session, record.uid, [content_version(to_record(record.kind, row))])
    for name in KINDS[record.kind].field_names:
        setattr(row, name, getattr(record, name))
    session.flush()
    _reindex(session, record)


def delete(session: Session, kind: RecordKind, uid: str, *, at: datetime | None = None) -> None:
    """Delete a record, leaving a deletion mark (so the deletion reaches other copies) and its
    last version in its history."""
    row = session.get(ROWS[kind], uid)
    if row is None:
        raise NotFoundError(f"No {kind.label.lower()} with id {uid} (it may have been deleted)")
    last = content_version(to_record(kind, row))
    history.remember(session, uid, [last])
    history.mark_deleted(
        session, DeletionMark(kind, uid, deletion_version(last), at or datetime.now(UTC))
    )
    session.delete(row)
    session.flush()
    sqlite.unindex_record(session.connection(), uid)


def iterate(session: Session, kind: RecordKind, batch: int = 2000) -> Iterator[Record]:
    """Every record of a kind, oldest first, streamed in batches."""
    for row in iterate_rows(session, kind, batch):
        yield to_record(kind, row)


def iterate_rows(session: Session, kind: RecordKind, batch: int = 2000) -> Iterator[Any]:
    """Every record of a kind as a row of its columns (each named as its field and holding
    the field's domain value, in the order of the kind's ``field_names``), oldest first,
    streamed in batches: for bulk reading, where building each record would buy nothing
    (``codec.encode_values`` takes the rows)."""
    info = KINDS[kind]
    order = [getattr(ROWS[kind], info.date_field)] if info.date_field else []
    statement = select(*_columns(kind)).order_by(*order, ROWS[kind].uid)
    yield from session.execute(statement.execution_options(yield_per=batch))


def existing_uids(session: Session, kind: RecordKind, uids: Iterable[str]) -> set[str]:
    """Which of ``uids`` exist as records of ``kind``."""
    wanted, found = sorted(set(uids)), set[str]()
    row = ROWS[kind]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(session.scalars(select(row.uid).where(row.uid.in_(chunk))))
    return found


def dangling_references(
    session: Session, records: Sequence[Record]
) -> list[tuple[Record, str, RecordKind]]:
    """(record, field, kind) for each reference to a record that neither exists nor is among
    ``records`` (so a batch may refer to records it brings along)."""
    in_batch = {r.uid for r in records}
    wanted: dict[RecordKind, set[str]] = {}
    for record in records:
        for name, kind in REFERENCES.items():
            uid = getattr(record, name, None)
            if uid and uid not in in_batch:
                wanted.setdefault(kind, set()).add(uid)
        for name, kind in REFERENCE_LISTS.items():
            for uid in getattr(record, name, ()):
                if uid not in in_batch:
                    wanted.setdefault(kind, set()).add(uid)
    missing = {
        (kind, uid)
        for kind, uids in wanted.items()
        for uid in uids - existing_uids(session, kind, uids)
    }
    found = [
        (record, name, kind)
        for record in records
        for name, kind in REFERENCES.items()
        if (kind, getattr(record, name, None)) in missing
    ]
    found += [
        (record, name, kind)
        for record in records
        for name, kind in REFERENCE_LISTS.items()
        if any((kind, uid) in missing for uid in getattr(record, name, ()))
    ]
    return found


def count(session: Session, kind: RecordKind) -> int:
    """How many records of ``kind`` the logbook holds."""
    return int(session.scalar(select(func.count()).select_from(ROWS[kind])) or 0)


def edit_totals(session: Session, kind: RecordKind) -> tuple[int, datetime | None, int | None]:
    """How many records of ``kind`` there are, their latest edit and the sum of their revisions
    (every edit raises one): together they move with any change to the kind."""
    row = ROWS[kind]
    found, latest, revisions = session.execute(
        select(func.count(), func.max(row.updated_at), func.sum(row.revision))
    ).one()
    return int(found), latest, revisions


# Where a record of each kind that people pick by name keeps that name.
_NAMED_BY: dict[RecordKind, InstrumentedAttribute[str]] = {
    RecordKind.PERSON: PersonRow.name,
    RecordKind.ORGANISATION: OrganisationRow.name,
    RecordKind.COURSE: CourseRow.title,
    RecordKind.PATHWAY: PathwayRow.title,
}


def uid_named(session: Session, kind: RecordKind, name: str) -> str | None:
    """The id of a person or organisation called ``name`` (a course or pathway titled so),
    whatever its case; None when there is none."""
    column = _NAMED_BY[kind]
    # Matched as typed: a % or _ in a name is not a wildcard.
    pattern = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    statement = select(ROWS[kind].uid).where(column.ilike(pattern, escape="\\")).limit(1)
    found = session.scalar(statement)
    return str(found) if found else None


# --- lists, filters and totals -----------------------------------------------------------------


def query(session: Session, q: RecordQuery) -> list[Record]:
    """The page of records ``q`` asks for, filtered and sorted in SQL."""
    statement, params = query_statement(q)
    return [to_record(q.kind, row) for row in session.execute(statement, params)]


def query_statement(q: RecordQuery) -> tuple[Select[*tuple[Any, ...]], dict[str, str]]:
    """The SQL statement (and its text-search parameter) behind ``query``."""
    statement = _filtered(select(*_columns(q.kind)), q)
    statement = statement.order_by(*_order(q)).offset(q.offset)
    if q.limit is not None:
        statement = statement.limit(q.limit)
    return statement, _params(q)


def ordered_uids(session: Session, q: RecordQuery) -> list[str]:
    """The ids of everything ``q`` matches, in its order (ignoring its page): one sort, however
    the list is sorted, where paging through it would sort again for every page."""
    row = ROWS[q.kind]
    statement = _filtered(select(row.uid), q).order_by(*_order(q))
    return list(session.scalars(statement, _params(q)))


def find_many(session: Session, kind: RecordKind, uids: Sequence[str]) -> list[Record]:
    """The records of ``uids`` that exist, in the order of ``uids``."""
    row = ROWS[kind]
    found: dict[str, Record] = {}
    for start in range(0, len(uids), 500):
        chunk = list(uids[start : start + 500])
        for item in session.execute(select(*_columns(kind)).where(row.uid.in_(chunk))):
            record = to_record(kind, item)
            found[record.uid] = record
    return [found[uid] for uid in uids if uid in found]


def summarise(session: Session, q: RecordQuery) -> Total:
    """Count and minutes of everything ``q`` matches (ignoring its page).

    The statement is the one the command line's reader runs (``record_sql.tally``), except
    for a filter by sign-off state, which only this module's statements know.
    """
    if q.signoff_states:
        aggregate: Select[*tuple[Any, ...]] = select(
            func.count(), func.coalesce(func.sum(_minutes(q.kind)), 0)
        )
        found, minutes = session.execute(_filtered(aggregate, q), _params(q)).one()
    else:
        sql, params = record_sql.tally(q)
        found, minutes = session.execute(text(sql), params).one()
    return Total(None, int(found), int(minutes))


def totals(session: Session, q: RecordQuery, group_by: GroupBy) -> list[Total]:
    """Count and minutes of what ``q`` matches, grouped by month, year, sub-kind or reference
    (with the statement of ``record_sql.tally``, as :func:`summarise`)."""
    if q.signoff_states:
        key: ColumnElement[Any] = literal_column(record_sql.group_key(q.kind, group_by))
        statement = select(key, func.count(), func.coalesce(func.sum(_minutes(q.kind)), 0))
        found = session.execute(_filtered(statement, q).group_by(key).order_by(key), _params(q))
    else:
        sql, params = record_sql.tally(q, group_by)
        found = session.execute(text(sql), params)
    return [Total(None if k is None else str(k), int(n), int(m)) for k, n, m in found]


def _filtered(statement: Select[*tuple[Any, ...]], q: RecordQuery) -> Select[*tuple[Any, ...]]:
    info, row = KINDS[q.kind], ROWS[q.kind]
    statement = statement.select_from(row)
    if info.date_field:
        day = getattr(row, info.date_field)
        if q.period.start:
            statement = statement.where(day >= q.period.start)
        if q.period.end:
            statement = statement.where(day <= q.period.end)
    if q.subtypes and info.subtype_field:
        statement = statement.where(getattr(row, info.subtype_field).in_(sorted(q.subtypes)))
    if q.person_uid and info.person_field:
        statement = statement.where(getattr(row, info.person_field) == q.person_uid)
    if q.organisation_uid and info.organisation_field:
        statement = statement.where(getattr(row, info.organisation_field) == q.organisation_uid)
    if q.direction is not None and hasattr(row, "direction"):
        statement = statement.where(row.direction == q.direction)
    if _search(q):
        statement = statement.where(row.uid.in_(text(sqlite.search_match_sql(q.kind.value))))
    if q.signoff_states:
        # Imported here: the sign-off queries build on this module's rows.
        from logbook.storage.signoff_repository import state_filter

        statement = statement.where(state_filter(row, q.signoff_states))
    return statement


def _search(q: RecordQuery) -> str:
    return sqlite.match_expression(q.text)


def _params(q: RecordQuery) -> dict[str, str]:
    expression = _search(q)
    return {"search": expression} if expression else {}


def _order(q: RecordQuery) -> list[ColumnElement[Any]]:
    info, row = KINDS[q.kind], ROWS[q.kind]
    name = q.sort or info.date_field or "created_at"
    if name == "person" and info.person_field:
        key: Any = _name_of(PersonRow, getattr(row, info.person_field))
    elif name == "organisation" and info.organisation_field:
        key = _name_of(OrganisationRow, getattr(row, info.organisation_field))
    elif name in info.field_names:
        key = getattr(row, name)
    else:
        raise ValueError(f"cannot sort {q.kind.label.lower()} by '{name}'")
    ordered = [key.desc() if q.descending else key.asc()]
    tie = row.uid.desc() if q.descending else row.uid.asc()
    return [*ordered, tie]


def _name_of(table: type[PersonRow] | type[OrganisationRow], uid: Any) -> Any:
    return select(table.name).where(table.uid == uid).scalar_subquery()


def _minutes(kind: RecordKind) -> Any:
    # Did-not-attend sessions are logged but never counted.
    return literal_column(record_sql.minutes(kind))


# --- full-text index ---------------------------------------------------------------------------


class _NameCache:
    """Names of people and organisations, looked up once per write batch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.names: dict[str, str] = {}

    def name(self, uid: str | None) -> str:
        if not uid:
            return ""
        if uid not in self.names:
            found = self.session.scalar(select(PersonRow.name).where(PersonRow.uid == uid))
            if found is None:
                found = self.session.scalar(
                    select(OrganisationRow.name).where(OrganisationRow.uid == uid)
                )
            self.names[uid] = found or ""
        return self.names[uid]


def search_body(record: Record, names: _NameCache) -> str:
    """The text a record is found by: its free text plus the names it refers to."""
    info = KINDS[record.kind]
    parts: list[str] = []
    for name in info.text_fields:
        value = getattr(record, name)
        parts.extend(value if isinstance(value, tuple) else [value])
    for ref in (info.person_field, info.organisation_field):
        if ref:
            parts.append(names.name(getattr(record, ref)))
    return " ".join(p for p in parts if p)


def _reindex(session: Session, record: Record) -> None:
    body = search_body(record, _NameCache(session))
    sqlite.index_record(session.connection(), record.uid, record.kind.value, body)


def reindex_references(session: Session, uid: str) -> None:
    """Refresh the search text of records that mention a renamed person or organisation."""
    for kind, info in KINDS.items():
        refs = [f for f in (info.person_field, info.organisation_field) if f]
        if not refs or kind in (RecordKind.PERSON,):
            continue
        row = ROWS[kind]
        condition = [getattr(row, f) == uid for f in refs]
        statement = select(*_columns(kind)).where(
            condition[0] if len(condition) == 1 else condition[0] | condition[1]
        )
        for found in session.execute(statement):
            _reindex(session, to_record(kind, found))


def _in_dependency_order(
    by_kind: dict[RecordKind, list[Record]],
) -> list[tuple[RecordKind, list[Record]]]:
    # Referenced kinds first, so foreign keys hold within one bulk insert.
    return sorted(by_kind.items(), key=lambda item: INSERT_ORDER.index(item[0]))


# --- attachments and meta ----------------------------------------------------------------------


def store_blob(session: Session, sha256: str, data: bytes) -> None:
    """Keep attachment content under its SHA-256, unless the same content is already kept."""
    if session.get(AttachmentBlob, sha256) is None:
        session.add(AttachmentBlob(sha256=sha256, data=data))
        session.flush()


def load_blob(session: Session, sha256: str) -> bytes:
    """The attachment content kept under ``sha256``.

    Raises:
        NotFoundError: the content is missing from the logbook.
    """
    blob = session.get(AttachmentBlob, sha256)
    if blob is None:
        raise NotFoundError(f"The attachment content {sha256[:12]}… is missing from the logbook")
    return blob.data


def delete_blob_unless_used(session: Session, sha256: str) -> None:
    """Delete the content ``sha256`` once no attachment uses it (attachments share content)."""
    users = session.scalar(
        select(func.count()).select_from(AttachmentRow).where(AttachmentRow.sha256 == sha256)
    )
    if not users:
        blob = session.get(AttachmentBlob, sha256)
        if blob is not None:
            session.delete(blob)


def milestones_of(session: Session, pathway_uid: str) -> list[Record]:
    """The milestones of pathway ``pathway_uid``, in no particular order."""
    statement = select(*_columns(RecordKind.MILESTONE)).where(
        MilestoneRow.pathway_uid == pathway_uid
    )
    return [to_record(RecordKind.MILESTONE, row) for row in session.execute(statement)]


def attachments_of(session: Session, owner_uid: str) -> list[Attachment]:
    """The attachments of record ``owner_uid``, oldest first."""
    statement = select(*_columns(RecordKind.ATTACHMENT)).where(AttachmentRow.owner_uid == owner_uid)
    rows = session.execute(statement.order_by(AttachmentRow.created_at))
    return [to_record(RecordKind.ATTACHMENT, row) for row in rows]  # type: ignore[misc]


def meta(session: Session, key: str) -> str | None:
    """The logbook fact stored under ``key`` (``None`` if there is none)."""
    return session.scalar(select(LogbookMeta.value).where(LogbookMeta.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    """Store ``value`` as the logbook fact ``key``, replacing any value already there."""
    session.merge(LogbookMeta(key=key, value=value))


def meta_starting_with(session: Session, prefix: str) -> list[tuple[str, str]]:
    """(key, value) of every meta entry whose key starts with ``prefix`` (taken as typed)."""
    statement = select(LogbookMeta.key, LogbookMeta.value).where(
        LogbookMeta.key.startswith(prefix, autoescape=True)
    )
    return [(key, value) for key, value in session.execute(statement)]


def delete_meta(session: Session, key: str) -> None:
    """Remove the logbook fact ``key`` (nothing happens if there is none)."""
    session.execute(delete_from(LogbookMeta).where(LogbookMeta.key == key))


def count_references(session: Session, kind: RecordKind, uid: str) -> dict[RecordKind, int]:
    """How many records of each kind point at ``uid`` (milestones of a pathway excepted)."""
    found: dict[RecordKind, int] = {}
    for other, info in KINDS.items():
        row = ROWS[other]
        for name in info.field_names:
            if REFERENCE_LISTS.get(name) is kind:
                table = row.__tablename__  # names from the schema, the id a parameter
                n = session.scalar(
                    text(
                        f'SELECT count(*) FROM "{table}" AS t WHERE EXISTS '
                        f'(SELECT 1 FROM json_each(t."{name}") WHERE value = :uid)'
                    ),
                    {"uid": uid},
                )
            elif REFERENCES.get(name) is kind and name != "pathway_uid":
                n = session.scalar(
                    select(func.count()).select_from(row).where(getattr(row, name) == uid)
                )
            else:
                continue
            if n:
                found[other] = found.get(other, 0) + int(n)
    return found


def reference_fields(kind: RecordKind) -> tuple[str, ...]:
    """The fields of ``kind`` that name another record (an attachment names its owner)."""
    names = KINDS[kind].field_names
    own = ("owner_uid",) if kind is RecordKind.ATTACHMENT else ()
    return (*(n for n in names if n in REFERENCES), *own)


def referrers(session: Session, uids: Iterable[str]) -> dict[str, set[str]]:
    """For each of ``uids`` that any record refers to, the ids of the records that do."""
    wanted = sorted(set(uids))
    found: dict[str, set[str]] = {}
    for kind in KINDS:
        row = ROWS[kind]
        for name in reference_fields(kind):
            column = getattr(row, name)
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for referrer, target in session.execute(
                    select(row.uid, column).where(column.in_(chunk))
                ):
                    found.setdefault(target, set()).add(referrer)
        for name in reference_list_fields(kind):
            statement = text(
                f'SELECT t.uid, j.value FROM "{row.__tablename__}" AS t, '
                f'json_each(t."{name}") AS j WHERE j.value IN :chunk'
            ).bindparams(bindparam("chunk", expanding=True))
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for referrer, target in session.execute(statement, {"chunk": chunk}):
                    found.setdefault(target, set()).add(referrer)
    return found


def reference_list_fields(kind: RecordKind) -> tuple[str, ...]:
    """The fields of ``kind`` that name several records (a group's members)."""
    return tuple(n for n in KINDS[kind].field_names if n in REFERENCE_LISTS)


def existing_anywhere(session: Session, uids: Iterable[str]) -> set[str]:
    """Which of ``uids`` exist as records of any kind."""
    wanted = set(uids)
    return {uid for kind in ROWS for uid in existing_uids(session, kind, wanted)}


# --- references checked at commit --------------------------------------------------------------

_KIND_OF_TABLE = {row.__tablename__: kind for kind, row in ROWS.items()}


def defer_foreign_keys(session: Session) -> None:
    """Check references when the transaction commits rather than at each write, so a record may
    refer to one that is still to come."""
    session.execute(text("PRAGMA defer_foreign_keys = ON"))


def broken_references(session: Session) -> list[tuple[RecordKind, str, str, str]]:
    """(kind, id, field, the id it names) for each record that refers to a record that is not
    here: what a commit with deferred references would refuse, and an id in a list of them
    (a group's members) that names no record."""
    found = []
    for table, rowid, _parent, key in session.execute(text("PRAGMA foreign_key_check")):
        name = _foreign_key_field(session, table, key)
        uid, target = session.execute(
            text(f'SELECT uid, "{name}" FROM "{table}" WHERE rowid = :row'), {"row": rowid}
        ).one()
        found.append((_KIND_OF_TABLE[table], uid, name, target))
    # Lists of ids have no foreign key: each id is looked for in the table it names.
    for kind, name, sql in missing_in_lists_sql():
        found += [(kind, uid, name, target) for uid, target in session.execute(text(sql))]
    return found


def missing_in_lists_sql() -> list[tuple[RecordKind, str, str]]:
    """(kind, field, SQL) for each field that names several records: the SQL selects (id,
    the id it names) for each id in the list that names no record of the kind it should."""
    found = []
    for kind, row in ROWS.items():
        for name in reference_list_fields(kind):
            target = ROWS[REFERENCE_LISTS[name]].__tablename__
            sql = (
                f'SELECT t.uid, j.value FROM "{row.__tablename__}" AS t, '
                f'json_each(t."{name}") AS j WHERE j.value NOT IN (SELECT uid FROM "{target}")'
            )
            found.append((kind, name, sql))
    return found


def _foreign_key_field(session: Session, table: str, key: int) -> str:
    for row in session.execute(text(f'PRAGMA foreign_key_list("{table}")')):
        if row[0] == key:
            return str(row[3])
    raise LookupError(f"{table} has no foreign key {key}")


# --- logbook files set aside -------------------------------------------------------------------


def uids_in_file(path: Path) -> dict[RecordKind, set[str]] | None:
    """The ids of each kind of record in a plain logbook file, read only; None if it cannot
    be read."""
    try:
        with sqlite.connection(path, None, read_only=True) as conn:
            if sqlite.integrity_problems(conn, quick=True, limit=1):
                return None
            tables = set(sqlite.user_tables(conn))
            held: dict[RecordKind, set[str]] = {}
            for kind, row in ROWS.items():
                if row.__tablename__ in tables:
                    query = f'SELECT uid FROM "{row.__tablename__}"'  # names from the schema
                    held[kind] = {str(r[0]) for r in conn.execute(query)}
            return held
    except Exception as error:
        if sqlite.is_database_error(error):
            return None
        raise
