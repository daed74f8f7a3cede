"""The queries behind totals and lists of records, as plain SQL text.

SQLAlchemy builds its statements from the models, and importing the two takes longer than a
whole command-line summary of a 20-year logbook. These statements are text with named
parameters, which SQLAlchemy runs as they are (``repository.summarise`` and
``repository.totals``) and so does the standard library's ``sqlite3`` (``reader.py``): a total
is computed one way, however the logbook was opened.

Every name in the text comes from the record catalogue (a kind's table is named after the kind
and its columns after the kind's fields, as ``models.py`` declares them); every value is a bound
parameter. Filtering by sign-off state is left to the repository's own statements.
"""

from __future__ import annotations

from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Choice
from logbook.domain.codec import field_types
from logbook.domain.queries import GroupBy, RecordQuery
from logbook.domain.records import RecordKind
from logbook.storage import sqlite

Statement = tuple[str, dict[str, Any]]
"""SQL text and the values of its named parameters."""


def table(kind: RecordKind) -> str:
    """The table holding the records of ``kind`` (it is named after the kind)."""
    return kind.value


def column(kind: RecordKind, field: str) -> str:
    """The column of a field of ``kind``, named with its table."""
    return f"{table(kind)}.{field}"


def minutes(kind: RecordKind) -> str:
    """What a record of ``kind`` counts for, in minutes: did-not-attend sessions count none."""
    if not KINDS[kind].has_minutes:
        return "0"
    duration = column(kind, "duration_minutes")
    if kind is RecordKind.PRACTICE:
        return f"CASE WHEN {column(kind, 'did_not_attend')} = 1 THEN 0 ELSE {duration} END"
    return duration


def group_key(kind: RecordKind, group_by: GroupBy) -> str:
    """What the records of ``kind`` are grouped by: the month or year of their date, their
    sub-kind, or the person or organisation they refer to.

    Raises:
        ValueError: the kind has no such field.
    """
    info = KINDS[kind]
    field = {
        "month": info.date_field,
        "year": info.date_field,
        "subtype": info.subtype_field,
        "person": info.person_field,
        "organisation": info.organisation_field,
    }[group_by]
    if field is None:
        raise ValueError(f"{kind.label} records cannot be grouped by {group_by}")
    if group_by == "month":
        return sqlite.month_key(column(kind, field))
    if group_by == "year":
        return sqlite.year_key(column(kind, field))
    return column(kind, field)


def tally(q: RecordQuery, group_by: GroupBy | None = None) -> Statement:
    """Count and minutes of what ``q`` matches, ignoring its page: one row (count, minutes),
    or with ``group_by`` a row (key, count, minutes) for each group, in the order of the keys.

    Raises:
        ValueError: the query filters by sign-off state, or cannot be grouped so.
    """
    where, params = _where(q)
    counted = f"count(*), coalesce(sum({minutes(q.kind)}), 0)"
    if group_by is None:
        return f"SELECT {counted} FROM {table(q.kind)}{where}", params
    key = group_key(q.kind, group_by)
    return (
        f"SELECT {key}, {counted} FROM {table(q.kind)}{where} GROUP BY {key} ORDER BY {key}",
        params,
    )


def rows(q: RecordQuery) -> Statement:
    """The fields of the page of records ``q`` asks for (in the catalogue's order of the
    kind's fields), filtered and sorted as it says.

    Raises:
        ValueError: the query filters by sign-off state, or sorts by a field the kind lacks.
    """
    fields = ", ".join(column(q.kind, name) for name in KINDS[q.kind].field_names)
    where, params = _where(q)
    order = ", ".join(_order(q))
    page = {"limit": -1 if q.limit is None else q.limit, "offset": q.offset}
    sql = f"SELECT {fields} FROM {table(q.kind)}{where} ORDER BY {order}"
    return f"{sql} LIMIT :limit OFFSET :offset", {**params, **page}


def _where(q: RecordQuery) -> Statement:
    if q.signoff_states:
        raise ValueError("sign-off states are filtered by the repository's own statements")
    info, kind = KINDS[q.kind], q.kind
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if info.date_field:
        day = column(kind, info.date_field)
        if q.period.start:
            clauses.append(f"{day} >= :start")
            params["start"] = q.period.start.isoformat()
        if q.period.end:
            clauses.append(f"{day} <= :end")
            params["end"] = q.period.end.isoformat()
    if q.subtypes and info.subtype_field:
        names = [f"subtype_{n}" for n in range(len(q.subtypes))]
        listed = ", ".join(f":{name}" for name in names)
        clauses.append(f"{column(kind, info.subtype_field)} IN ({listed})")
        params.update(zip(names, _stored(kind, info.subtype_field, q.subtypes), strict=True))
    if q.person_uid and info.person_field:
        clauses.append(f"{column(kind, info.person_field)} = :person")
        params["person"] = q.person_uid
    if q.organisation_uid and info.organisation_field:
        clauses.append(f"{column(kind, info.organisation_field)} = :organisation")
        params["organisation"] = q.organisation_uid
    if q.direction is not None and "direction" in info.field_names:
        clauses.append(f"{column(kind, 'direction')} = :direction")
        params["direction"] = q.direction.value
    if search := sqlite.match_expression(q.text):
        clauses.append(f"{column(kind, 'uid')} IN ({sqlite.search_match_sql(kind.value)})")
        params["search"] = search
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _stored(kind: RecordKind, field: str, values: frozenset[str]) -> list[str]:
    """``values`` of a field as its column stores them, checked as its column type checks
    them (``types.ChoiceType``).

    Raises:
        ValueError: a value is not one of the field's choices.
    """
    declared = field_types(kind)[field]
    if isinstance(declared, type) and issubclass(declared, Choice):
        return [declared(value).value for value in sorted(values)]
    return sorted(values)


def _order(q: RecordQuery) -> list[str]:
    info, kind = KINDS[q.kind], q.kind
    name = q.sort or info.date_field or "created_at"
    if name == "person" and info.person_field:
        key = _name_of(RecordKind.PERSON, column(kind, info.person_field))
    elif name == "organisation" and info.organisation_field:
        key = _name_of(RecordKind.ORGANISATION, column(kind, info.organisation_field))
    elif name in info.field_names:
        key = column(kind, name)
    else:
        raise ValueError(f"cannot sort {kind.label.lower()} by '{name}'")
    direction = "DESC" if q.descending else "ASC"
    return [f"{key} {direction}", f"{column(kind, 'uid')} {direction}"]


def _name_of(kind: RecordKind, uid: str) -> str:
    return f"(SELECT named.name FROM {table(kind)} AS named WHERE named.uid = {uid})"
