"""The columns each list shows, how a record's field reads in a cell, and how it sorts in SQL.

Names of people, organisations, courses and pathways come from a small directory loaded once
and refreshed when those records change; the lists themselves never hold ORM objects or SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from logbook.domain.catalogue import KINDS, name_of
from logbook.domain.choices import Choice, Direction, SupervisionFormat
from logbook.domain.durations import hours
from logbook.domain.records import (
    PersonalPractice,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
)

if TYPE_CHECKING:
    # Only a type here: the window's outline reads the columns before the storage stack loads.
    from logbook.services.records import RecordService

K = RecordKind


class NameDirectory:
    """Display names of the records other records point at (people, places, courses …)."""

    KINDS = (K.PERSON, K.ORGANISATION, K.COURSE, K.PATHWAY)

    def __init__(self, records: RecordService) -> None:
        self._records = records
        self._names: dict[str, str] = {}
        self._by_kind: dict[RecordKind, list[tuple[str, str]]] = {}
        self._loaded: set[RecordKind] = set()

    def _load(self, kind: RecordKind) -> None:
        entries = []
        for record in self._records.all(kind):
            name = name_of(record)
            self._names[record.uid] = name
            entries.append((record.uid, name))
        self._by_kind[kind] = sorted(entries, key=lambda item: item[1].casefold())
        self._loaded.add(kind)

    def name(self, uid: str | None) -> str:
        """The name of the record ``uid``, or "" (nothing referred to, or deleted)."""
        if not uid:
            return ""
        if uid not in self._names:
            for kind in self.KINDS:
                if kind not in self._loaded:
                    self._load(kind)
                    if uid in self._names:
                        break
        return self._names.get(uid, "")

    def entries(self, kind: RecordKind) -> list[tuple[str, str]]:
        """(uid, name) of every record of ``kind``, sorted by name."""
        if kind not in self._loaded:
            self._load(kind)
        return list(self._by_kind.get(kind, []))

    def forget(self, kinds: Iterable[RecordKind] | None = None) -> None:
        """Drop cached names so they are read again (after records of ``kinds`` changed)."""
        for kind in list(kinds) if kinds is not None else list(self._loaded):
            if kind in self._loaded:
                self._loaded.discard(kind)
                for uid, _name in self._by_kind.pop(kind, []):
                    self._names.pop(uid, None)


Reader = Callable[[Record, NameDirectory], str]


@dataclass(frozen=True)
class Column:
    """One column of a list.

    Attributes:
        key: A stable identifier (column layouts are remembered by it).
        title: The header people read.
        read: Turns a record into the cell's text.
        sort: What SQL sorts by when the header is clicked (a field name, "person" or
            "organisation"); None when the column cannot be sorted.
        numeric: Right-aligned figures.
        width: A starting width in characters.
        tooltip: Whether the cell's full text is worth a tooltip (long free text).
    """

    key: str
    title: str
    read: Reader
    sort: str | None = None
    numeric: bool = False
    width: int = 12
    tooltip: bool = False


def show(value: Any) -> str:
    """A field value as a cell reads it: labels for choices, dates as 04 Mar 2025."""
    if value is None:
        return ""
    if isinstance(value, Choice):
        return value.label
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, tuple):
        return ", ".join(show(v) for v in value)
    return str(value)


def field(name: str) -> Reader:
    """A cell showing the record's field ``name`` as :func:`show` reads it."""
    return lambda record, _names: show(getattr(record, name))


def flag(name: str) -> Reader:
    """Yes, or nothing, so rare flags stand out instead of drowning in "No"."""
    return lambda record, _names: "Yes" if getattr(record, name) else ""


def ref(name: str) -> Reader:
    """A cell showing the name of the record that the field ``name`` points at."""
    return lambda record, names: names.name(getattr(record, name))


def duration(record: Record, _names: NameDirectory) -> str:
    """The record's time in hours, or in days for a retreat counted in days."""
    minutes = int(getattr(record, "duration_minutes", 0) or 0)
    if isinstance(record, PersonalPractice) and record.days:
        return f"{record.days:g} d"
    return hours(minutes)


def first_line(name: str, limit: int = 90) -> Reader:
    """A cell showing the first line of the text field ``name``, cut to ``limit`` characters."""

    def read(record: Record, _names: NameDirectory) -> str:
        text = str(getattr(record, name) or "").strip().splitlines()
        line = text[0] if text else ""
        return line if len(line) <= limit else line[: limit - 1] + "…"

    return read


def _format(record: Record, _names: NameDirectory) -> str:
    assert isinstance(record, SupervisionSession)
    if record.format is SupervisionFormat.GROUP and record.group_size:
        return f"Group of {record.group_size}"
    return record.format.label


def _direction(record: Record, _names: NameDirectory) -> str:
    assert isinstance(record, SupervisionSession)
    return "Received" if record.direction is Direction.RECEIVED else "Given"


def _sessions(record: Record, _names: NameDirectory) -> str:
    assert isinstance(record, TeachingCourse)
    return f"{record.sessions_delivered} / {record.sessions_planned}"


def _share(record: Record, _names: NameDirectory) -> str:
    assert isinstance(record, TeachingCourse)
    return f"{record.share_percent} %"


def _practice_hours(record: Record, _names: NameDirectory) -> str:
    assert isinstance(record, PracticeEntry)
    if record.did_not_attend:
        return "DNA"
    return "contact" if record.contact_only else hours(record.duration_minutes)


def _silence(record: Record, _names: NameDirectory) -> str:
    assert isinstance(record, PersonalPractice)
    return f"{record.silence_percent} %" if record.silence_percent else ""


SIGNOFF_KEY = "signoff"

# How a field reads as a column, in every list that shows it; the kind's descriptor says which
# fields a list shows and in what order.
FIELD_COLUMNS: dict[str, Column] = {
    "date": Column("date", "Date", field("date"), "date", width=11),
    "start_date": Column("start", "Date", field("start_date"), "start_date", width=11),
    "end_date": Column("end", "Until", field("end_date"), "end_date", width=11),
    "started_on": Column("started", "Started", field("started_on"), "started_on", width=11),
    "completed_on": Column(
        "completed", "Completed", field("completed_on"), "completed_on", width=11
    ),
    "due_date": Column("due", "Due", field("due_date"), "due_date", width=11),
    "duration_minutes": Column(
        "hours", "Hours", duration, "duration_minutes", numeric=True, width=6
    ),
    "direction": Column("direction", "Direction", _direction, "direction", width=9),
    "supervision_type": Column(
        "type", "Type", field("supervision_type"), "supervision_type", width=16
    ),
    "format": Column("format", "Format", _format, "format", width=10),
    "mode": Column("mode", "Mode", field("mode"), "mode", width=9),
    "counterpart_uid": Column(
        "person", "Supervisor / supervisee", ref("counterpart_uid"), "person", width=18
    ),
    "organisation_uid": Column(
        "organisation", "Organisation", ref("organisation_uid"), "organisation", width=20
    ),
    "live": Column("live", "Live", flag("live"), "live", width=5),
    "themes": Column("themes", "Themes", field("themes"), None, width=28, tooltip=True),
    "activity": Column("activity", "Activity", field("activity"), "activity", width=21),
    "setting": Column("setting", "Setting", field("setting"), "setting", width=16),
    "delivery": Column("delivery", "Delivery", field("delivery"), "delivery", width=11),
    "client_group": Column(
        "client_group", "Client group", field("client_group"), "client_group", width=14
    ),
    "intervention": Column(
        "intervention", "Intervention", field("intervention"), "intervention", width=14
    ),
    "clients": Column("clients", "Clients", field("clients"), "clients", numeric=True, width=6),
    "supervised": Column("supervised", "Supervised", flag("supervised"), "supervised", width=8),
    "role": Column("role", "Role", field("role"), "role", width=12),
    "title": Column("title", "Title", field("title"), "title", width=28, tooltip=True),
    "curriculum": Column("curriculum", "Curriculum", field("curriculum"), "curriculum", width=10),
    "share_percent": Column("share", "Share", _share, "share_percent", numeric=True, width=6),
    "population": Column("population", "Population", field("population"), "population", width=16),
    "sessions_delivered": Column(
        "sessions", "Sessions", _sessions, "sessions_delivered", numeric=True, width=7
    ),
    "participants": Column(
        "participants", "Participants", field("participants"), "participants", numeric=True, width=8
    ),
    "co_teacher_uid": Column("co_teacher", "Co-teacher", ref("co_teacher_uid"), "person", width=16),
    "provider": Column("provider", "Provider", field("provider"), "provider", width=18),
    "cpd_type": Column("type", "Type", field("cpd_type"), "cpd_type", width=14),
    "participatory": Column(
        "participatory", "Participatory", flag("participatory"), "participatory", width=9
    ),
    "skills_focused": Column("skills", "Skills", flag("skills_focused"), "skills_focused", width=6),
    "standard_link": Column(
        "standard", "Standard", field("standard_link"), "standard_link", width=14
    ),
    "practice_kind": Column("kind", "Kind", field("practice_kind"), "practice_kind", width=12),
    "silence_percent": Column(
        "silence", "Silence", _silence, "silence_percent", numeric=True, width=7
    ),
    "teacher_led": Column(
        "teacher_led", "Teacher-led", flag("teacher_led"), "teacher_led", width=8
    ),
    "pathway_kind": Column("kind", "Kind", field("pathway_kind"), "pathway_kind", width=14),
    "notes": Column("notes", "Notes", first_line("notes"), None, width=30, tooltip=True),
    "pathway_uid": Column("pathway", "Pathway", ref("pathway_uid"), None, width=22),
    "status": Column("status", "Status", field("status"), "status", width=11),
    "route": Column("route", "Route", field("route"), "route", width=18),
    "assessor_uid": Column("assessor", "Assessor", ref("assessor_uid"), "person", width=16),
    "source": Column("source", "From", field("source"), "source", width=14),
    "summary": Column(
        "summary", "Summary", first_line("summary"), "summary", width=40, tooltip=True
    ),
    "code_themes": Column("themes", "Code themes", field("code_themes"), None, width=24),
    "private": Column("private", "Private", flag("private"), "private", width=7),
    "attestation_kind": Column(
        "kind", "Kind", field("attestation_kind"), "attestation_kind", width=18
    ),
    "by_name": Column("by", "By", field("by_name"), "by_name", width=20),
    "by_role": Column("role", "Role", field("by_role"), "by_role", width=16),
    "by_registration": Column(
        "registration", "Registration", field("by_registration"), None, width=14
    ),
    "name": Column("name", "Name", field("name"), "name", width=22),
    "roles": Column("roles", "Roles", field("roles"), None, width=20),
    "registration_body": Column(
        "body", "Registered with", field("registration_body"), "registration_body", width=12
    ),
    "registration_number": Column("number", "Number", field("registration_number"), None, width=12),
    "email": Column("email", "Email", field("email"), "email", width=22),
    "organisation_kind": Column(
        "kind", "Kind", field("organisation_kind"), "organisation_kind", width=20
    ),
    "employer": Column("employer", "Employer", flag("employer"), "employer", width=8),
    "supervising": Column("supervising", "Supervises", flag("supervising"), "supervising", width=8),
}

# Where one kind's list reads a field its own way.
KIND_COLUMNS: dict[tuple[RecordKind, str], Column] = {
    (K.PRACTICE, "duration_minutes"): Column(
        "hours", "Hours", _practice_hours, "duration_minutes", numeric=True, width=6
    ),
    (K.PERSONAL_PRACTICE, "duration_minutes"): Column(
        "amount", "Time", duration, "duration_minutes", numeric=True, width=6
    ),
    (K.PERSONAL_PRACTICE, "mode"): Column("mode", "Mode", field("mode"), "mode", width=11),
    (K.PERSONAL_PRACTICE, "title"): Column(
        "title", "Title", field("title"), "title", width=24, tooltip=True
    ),
    (K.COURSE, "start_date"): Column(
        "start", "Starts", field("start_date"), "start_date", width=11
    ),
    (K.COURSE, "end_date"): Column("end", "Ends", field("end_date"), "end_date", width=11),
    (K.COURSE, "title"): Column("title", "Course", field("title"), "title", width=24),
    (K.PATHWAY, "title"): Column("title", "Pathway", field("title"), "title", width=30),
    (K.MILESTONE, "title"): Column("title", "Milestone", field("title"), "title", width=28),
    (K.REFLECTIVE_ACCOUNT, "title"): Column("title", "Title", field("title"), "title", width=30),
    (K.PERSON, "organisation_uid"): Column(
        "organisation", "Organisation", ref("organisation_uid"), "organisation", width=22
    ),
    (K.ORGANISATION, "name"): Column("name", "Name", field("name"), "name", width=30),
}


def column(kind: RecordKind, name: str) -> Column:
    """How the list of ``kind`` shows the field ``name``."""
    return KIND_COLUMNS.get((kind, name)) or FIELD_COLUMNS[name]


# The columns of every kind that has a list, in the order its descriptor gives.
COLUMNS: dict[RecordKind, tuple[Column, ...]] = {
    kind: tuple(column(kind, name) for name in info.list_columns)
    for kind, info in KINDS.items()
    if info.list_columns
}

# A column shown for the kinds that supervisors sign, when sign-off is available.
SIGNED_KINDS = frozenset({K.SUPERVISION, K.PRACTICE, K.COURSE, K.CPD, K.MILESTONE})


def columns_for(kind: RecordKind, with_signoff: bool) -> tuple[Column, ...]:
    """The columns of the list of ``kind``, with a sign-off column for the kinds supervisors
    sign when ``with_signoff`` is set."""
    columns = COLUMNS[kind]
    if with_signoff and kind in SIGNED_KINDS:
        columns = (
            *columns,
            Column(SIGNOFF_KEY, "Sign-off", lambda _r, _n: "", None, width=14),
        )
    return columns
