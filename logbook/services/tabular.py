"""Records from rows of text (CSV files, ``logbook-cli add``), with every problem located.

Columns are the record's field names, plus friendlier ones: ``duration`` (90, 1:30, 1.5h),
``type`` for the kind's sub-kind, and names instead of ids for people, organisations, courses
and pathways (``supervisor``, ``organisation``, ``course`` …; ``group_members`` takes several
names separated by ``;``). People and organisations named for the first time are created with
the rows; courses and pathways must exist already.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from logbook.domain.catalogue import KINDS, REFERENCE_LISTS, REFERENCES
from logbook.domain.codec import LIST_SEPARATOR, field_types, parse_text
from logbook.domain.errors import Problem
from logbook.domain.limits import describe
from logbook.domain.records import Organisation, Person, Record, RecordKind
from logbook.domain.timing import future_problems
from logbook.domain.uids import is_uid, is_uid_field, not_a_uid
from logbook.domain.validation import validate
from logbook.storage import repository as repo
from logbook.storage.database import Database, Session

IDENTITY = ("uid", "created_at", "updated_at", "revision")
NAME_COLUMNS: dict[str, str] = {
    "supervisor": "counterpart_uid",
    "supervisee": "counterpart_uid",
    "co_teacher": "co_teacher_uid",
    "assessor": "assessor_uid",
    "organisation": "organisation_uid",
    "course": "course_uid",
    "pathway": "pathway_uid",
    "group_members": "group_member_uids",
}
# People and organisations one file may name for the first time: far more than anyone's
# history holds, and each is remembered until the import ends.
MAX_NEW_NAMES = 10_000
# Columns a header row may have; no kind has a tenth of this many.
MAX_COLUMNS = 1000


def columns(kind: RecordKind) -> list[str]:
    """The columns a row of ``kind`` may have, in the order the docs list them."""
    names = [n for n in KINDS[kind].field_names if n not in IDENTITY]
    result: list[str] = []
    for name in names:
        if name == "duration_minutes":
            result.append("duration")
        elif name in REFERENCES or name in REFERENCE_LISTS:
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
    organisations (returned in ``created`` so they are saved with the rows).

    Names are looked up in ``session`` when given (an import's own transaction), otherwise in
    a short read of their own.
    """

    db: Database
    session: Session | None = None
    created: list[Record] = field(default_factory=list)
    new_names: int = 0
    _cache: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        """More new names than one file may bring: the rest of it is not read."""
        return self.new_names > MAX_NEW_NAMES

    def resolve(self, reference_field: str, name: str) -> str:
        """The uid of the record ``name`` stands for in ``reference_field`` (a supervisor, a
        course…), a new person or organisation being made for a name not found.

        Raises:
            ValueError: no such course or pathway, a name no record could have, or too many
                new names in one file; the message says which.
        """
        target = REFERENCES.get(reference_field) or REFERENCE_LISTS[reference_field]
        key = (target.value, name.strip().casefold())
        if key not in self._cache:
            self._cache[key] = self._lookup(target, name.strip())
        return self._cache[key]

    def resolve_list(self, reference_field: str, names: str) -> tuple[str, ...]:
        """The uids of the records ``names`` (separated by semicolons) stand for in a field
        that names several (a group's members), each once, in the order given.

        Raises:
            ValueError: as :meth:`resolve` does, for the first name that cannot stand.
        """
        parts = (part.strip() for part in names.split(LIST_SEPARATOR))
        return tuple(dict.fromkeys(self.resolve(reference_field, part) for part in parts if part))

    def _lookup(self, target: RecordKind, name: str) -> str:
        new = _new_record(target, name)
        # A name no record could have is refused before it costs a search of the table.
        problems = validate(new) if new is not None else []
        if problems:
            raise ValueError(problems[0].message)
        found = self._find(target, name)
        if found:
            return found
        if new is None:
            raise ValueError(f"no {target.label.lower()} called {describe(name)} in this logbook")
        self.new_names += 1
        if self.full:
            raise ValueError(
                f"more than {MAX_NEW_NAMES:,} new people and organisations in one file; "
                "add them first, or import the file in parts"
            )
        self.created.append(new)
        return new.uid

    def _find(self, target: RecordKind, name: str) -> str | None:
        if self.session is not None:
            return repo.uid_named(self.session, target, name)
        with self.db.reading() as session:
            return repo.uid_named(session, target, name)


def _new_record(target: RecordKind, name: str) -> Record | None:
    """The record a new name creates (people and organisations only)."""
    if target is RecordKind.PERSON:
        return Person(name=name)
    if target is RecordKind.ORGANISATION:
        return Organisation(name=name)
    return None


def parse_row(
    kind: RecordKind,
    row: Mapping[str, str | None],
    resolver: NameResolver,
    *,
    row_number: int | None = None,
    source: str | None = None,
    today: date | None = None,
) -> tuple[Record | None, list[Problem]]:
    """A record from one row of text cells, or the problems that stop it (all of them).

    A new entry of something that has happened (supervision, practice …) dated after
    ``today`` (the current date unless given) is refused, as in the app's forms.
    """
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
            if name in REFERENCES:
                values[name] = resolver.resolve(name, text)
            elif name in REFERENCE_LISTS:
                values[name] = resolver.resolve_list(name, text)
            else:
                values[name] = parse_text(kind, name, text)
        except ValueError as error:
            problem(column, str(error))
    for name in required_fields(kind):
        # A field filled in but refused already has its problem; "required" would be noise.
        if name not in values and name not in filled_by:
            if field_types(kind)[name] is str:
                values[name] = ""  # validation names the field and says it is required
            else:
                column = column_of.get(name, columns_of_field(kind, name))
                problem(column, f"{column.replace('_', ' ')} is required")
    if problems:
        return None, problems
    record = KINDS[kind].record_type(**values)
    for found in [*validate(record), *future_problems(record, today or date.today())]:
        column = column_of.get(
            found.field, "duration" if found.field == "duration" else found.field
        )
        problem(column, found.message)
    return (None if problems else record), problems


def header_problems(kind: RecordKind, header: Iterable[str], source: str) -> Iterator[Problem]:
    """Problems with a header row: unknown columns, and columns given twice.

    A column given twice is refused rather than one of its values silently winning (a row
    cannot tell which was meant). Different columns for one field, such as ``supervisor`` and
    ``supervisee``, may both be present; a row that fills in both is refused by ``parse_row``.
    """
    names = list(header)
    if len(names) > MAX_COLUMNS:
        yield Problem(
            "", f"the header row has {len(names):,} columns (at most {MAX_COLUMNS:,})", 1, source
        )
        return
    known = set(columns(kind)) | {"type"} | set(KINDS[kind].field_names)
    unknown = f"unknown column for {kind.label.lower()}; expected some of: " + ", ".join(
        columns(kind)
    )
    for column in names:
        if column not in known:
            yield Problem(column, unknown, 1, source)
    for column, count in Counter(names).items():
        if count > 1:
            yield Problem(
                column, f"the column '{column}' appears {count} times; keep only one", 1, source
            )
