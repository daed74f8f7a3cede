"""Records from rows of text (CSV files, ``logbook-cli add``), with every problem located.

Columns are the record's field names, plus friendlier ones: ``duration`` (90, 1:30, 1.5h),
``type`` for the kind's sub-kind, and names instead of ids for people, organisations, courses
and pathways (``supervisor``, ``organisation``, ``course`` …). People and organisations named
for the first time are created with the rows; courses and pathways must exist already.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from logbook.domain.catalogue import KINDS, REFERENCES
from logbook.domain.codec import field_types, parse_text
from logbook.domain.errors import Problem
from logbook.domain.records import Organisation, Person, Record, RecordKind
from logbook.domain.uids import is_uid, is_uid_field, not_a_uid
from logbook.domain.validation import validate
from logbook.storage.database import Database
from logbook.storage.models import CourseRow, OrganisationRow, PathwayRow, PersonRow

IDENTITY = ("uid", "created_at", "updated_at", "revision")
NAME_COLUMNS: dict[str, str] = {
    "supervisor": "counterpart_uid",
    "supervisee": "counterpart_uid",
    "co_teacher": "co_teacher_uid",
    "assessor": "assessor_uid",
    "organisation": "organisation_uid",
    "course": "course_uid",
    "pathway": "pathway_uid",
}


def columns(kind: RecordKind) -> list[str]:
    """The columns a row of ``kind`` may have, in the order the docs list them."""
    names = [n for n in KINDS[kind].field_names if n not in IDENTITY]
    result: list[str] = []
    for name in names:
        if name == "duration_minutes":
            result.append("duration")
        elif name in REFERENCES:
            result.extend(c for c, target in NAME_COLUMNS.items() if target == name)
        else:
            result.append(name)
    return result


def required_fields(kind: RecordKind) -> list[str]:
    """Fields a record of ``kind`` cannot be made without."""
    return [
        f.name
        for f in dataclasses.fields(KINDS[kind].record_type)
        if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


def columns_of_field(kind: RecordKind, name: str) -> str:
    """The column that sets field ``name`` (the inverse of ``field_of``)."""
    return next((c for c in columns(kind) if field_of(kind, c) == name), name)


def field_of(kind: RecordKind, column: str) -> str:
    """The record field a column sets ("type" is the kind's sub-kind)."""
    if column == "duration":
        return "duration_minutes"
    if column == "type" and KINDS[kind].subtype_field:
        return KINDS[kind].subtype_field or column
    return NAME_COLUMNS.get(column, column)


@dataclass
class NameResolver:
    """Finds people, organisations, courses and pathways by name; creates missing people and
    organisations (returned in ``created`` so they are saved with the rows)."""

    db: Database
    created: list[Record] = field(default_factory=list)
    _cache: dict[tuple[str, str], str] = field(default_factory=dict)

    def resolve(self, reference_field: str, name: str) -> str:
        target = REFERENCES[reference_field]
        key = (target.value, name.strip().casefold())
        if key not in self._cache:
            self._cache[key] = self._lookup(target, name.strip())
        return self._cache[key]

    def _lookup(self, target: RecordKind, name: str) -> str:
        table, column = {
            RecordKind.PERSON: (PersonRow, PersonRow.name),
            RecordKind.ORGANISATION: (OrganisationRow, OrganisationRow.name),
            RecordKind.COURSE: (CourseRow, CourseRow.title),
            RecordKind.PATHWAY: (PathwayRow, PathwayRow.title),
        }[target]
        with self.db.reading() as session:
            found = session.scalar(select(table.uid).where(column.ilike(name)).limit(1))
        if found:
            return str(found)
        if target is RecordKind.PERSON:
            record: Record = Person(name=name)
        elif target is RecordKind.ORGANISATION:
            record = Organisation(name=name)
        else:
            raise ValueError(f"no {target.label.lower()} called '{name}' in this logbook")
        self.created.append(record)
        return record.uid


def parse_row(
    kind: RecordKind,
    row: Mapping[str, str | None],
    resolver: NameResolver,
    *,
    row_number: int | None = None,
    source: str | None = None,
) -> tuple[Record | None, list[Problem]]:
    """A record from one row of text cells, or the problems that stop it (all of them)."""
    fields_ = set(KINDS[kind].field_names)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    column_of: dict[str, str] = {}
    filled_by: dict[str, str] = {}

    def problem(column: str, message: str) -> None:
        problems.append(Problem(column, message, row_number, source))

    for column, cell in row.items():
        name = field_of(kind, column)
        column_of[name] = column
        if name not in fields_:
            problem(column, f"unknown column for {kind.label.lower()}")
            continue
        text = (cell or "").strip()
        if not text:
            continue
        if name in filled_by:
            problem(
                column, f"'{filled_by[name]}' and '{column}' set the same field; fill in only one"
            )
            continue
        filled_by[name] = column
        if is_uid_field(name) and name not in REFERENCES and not is_uid(text):
            problem(column, not_a_uid(text))
            continue
        try:
            values[name] = (
                resolver.resolve(name, text) if name in REFERENCES else parse_text(kind, name, text)
            )
        except ValueError as error:
            problem(column, str(error))
    for name in required_fields(kind):
        if name not in values:
            if field_types(kind)[name] is str:
                values[name] = ""  # validation names the field and says it is required
            else:
                column = column_of.get(name, columns_of_field(kind, name))
                problem(column, f"{column.replace('_', ' ')} is required")
    if problems:
        return None, problems
    record = KINDS[kind].record_type(**values)
    for found in validate(record):
        column = column_of.get(
            found.field, "duration" if found.field == "duration" else found.field
        )
        problem(column, found.message)
    return (None if problems else record), problems


def header_problems(kind: RecordKind, header: Iterable[str], source: str) -> list[Problem]:
    """Problems with a header row: unknown columns, and columns given twice.

    A column given twice is refused rather than one of its values silently winning (a row
    cannot tell which was meant). Different columns for one field, such as ``supervisor`` and
    ``supervisee``, may both be present; a row that fills in both is refused by ``parse_row``.
    """
    known = set(columns(kind)) | {"type"} | set(KINDS[kind].field_names)
    names = list(header)
    problems = [
        Problem(
            column,
            f"unknown column for {kind.label.lower()}; expected some of: "
            + ", ".join(columns(kind)),
            1,
            source,
        )
        for column in names
        if column not in known
    ]
    times = Counter(names)
    problems.extend(
        Problem(column, f"the column '{column}' appears {count} times; keep only one", 1, source)
        for column, count in times.items()
        if count > 1
    )
    return problems
