"""Each record kind described once: what it is called, which fields play a common part, which
fields people see and under what labels, which columns its lists and log show, and how a record
of it is put in words.

The descriptor names *which* fields; each door (the app, the command line, the PDF) decides how
to draw them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import Any

from logbook.domain.choices import Choice, Direction
from logbook.domain.dates import short_date
from logbook.domain.records import (
    RECORD_TYPES,
    PersonalPractice,
    PracticeEntry,
    Record,
    RecordKind,
    Registration,
    SupervisionSession,
)

# A person's name by id (a record names the people it is with by id).
Names = Callable[[str], str]
# Words a kind adds to a record's one-line description ("group of 6", "did not attend").
Details = Callable[[Record], tuple[str, ...]]

# Free text in a one-line description: its first line, cut to this many characters.
GIST_LENGTH = 80


def no_details(record: Record) -> tuple[str, ...]:
    """No words beyond the name, sub-kind and person: the details of most kinds."""
    return ()


@dataclass(frozen=True, kw_only=True, eq=False)
class KindInfo:
    """Everything the doors need to know about one kind of record.

    Attributes:
        label: Its name in menus, headings and lists ("Teaching course").
        noun: One record of it in a sentence or a window title ("New supervision session").
        one, many: How a count of it reads ("1 session", "12 sessions").
        date_field: The date it is filed under.
        subtype_field: The choice that divides it into sub-kinds (the "kind" filter).
        person_field: The person it is about (supervisor, assessor, co-teacher), if any.
        organisation_field: The organisation it happened in, if any.
        title_field: The name a record goes by, if it has one.
        about_field: What a record without a name is about (a summary, who confirmed it).
        text_fields: Free text that full-text search looks in.
        has_minutes: Whether it contributes hours.
        labels: The fields people see, in the order a form shows them, with their labels.
        list_columns: The fields its list shows, in order (no list when empty).
        log_columns: The fields its log in the portfolio shows, in order (no log when empty).
        details: Words its one-line description adds after the name, sub-kind and person.
        later_fields: Fields added after records of the kind were first signed and merged.
            While a record leaves them empty they are no part of its signed content or its
            version, so records saved before they existed keep their signatures and versions.
    """

    kind: RecordKind
    label: str
    noun: str
    one: str
    many: str
    date_field: str | None = None
    subtype_field: str | None = None
    person_field: str | None = None
    organisation_field: str | None = None
    title_field: str | None = None
    about_field: str | None = None
    text_fields: tuple[str, ...] = ()
    has_minutes: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    list_columns: tuple[str, ...] = ()
    log_columns: tuple[str, ...] = ()
    details: Details = no_details
    later_fields: tuple[str, ...] = ()

    @property
    def record_type(self) -> type[Record]:
        """The class its records are made of."""
        return RECORD_TYPES[self.kind]

    @cached_property  # read for every row a list converts, so worked out once
    def field_names(self) -> tuple[str, ...]:
        """The fields a record of this kind is made from (identity fields first)."""
        return tuple(f.name for f in fields(self.record_type) if f.init)

    @cached_property
    def later_defaults(self) -> dict[str, Any]:
        """Each of the ``later_fields`` with its empty value (what older records read as)."""
        return {f.name: f.default for f in fields(self.record_type) if f.name in self.later_fields}


def supervision_details(record: Record) -> tuple[str, ...]:
    """Group size, live and given: what group credit and live-supervision rules turn on."""
    assert isinstance(record, SupervisionSession)
    words = []
    if record.group_size and record.group_size > 1:
        words.append(f"group of {record.group_size}")
    if record.live:
        words.append("live")
    if record.direction is Direction.GIVEN:
        words.append("given")
    return tuple(words)


def practice_details(record: Record) -> tuple[str, ...]:
    """The setting, and whether the client did not attend (such an entry counts no hours)."""
    assert isinstance(record, PracticeEntry)
    attended = ("did not attend",) if record.did_not_attend else ()
    return (record.setting.label.lower(), *attended)


def retreat_details(record: Record) -> tuple[str, ...]:
    """How many days a retreat lasted; nothing for everyday practice."""
    assert isinstance(record, PersonalPractice)
    return (f"{record.days:g} days",) if record.days else ()


K = RecordKind
KINDS: dict[RecordKind, KindInfo] = {
    info.kind: info
    for info in (
        KindInfo(
            kind=K.PROFILE,
            label="Profile",
            noun="profile",
            one="profile",
            many="profiles",
            title_field="name",
            text_fields=("name",),
            labels={
                "name": "Name",
                "email": "Email",
                "qualified_on": "Qualified",
                "client_groups": "Client groups",
                "roles": "Roles over time",
                "registrations": "Registrations",
            },
        ),
        KindInfo(
            kind=K.ORGANISATION,
            label="Organisation",
            noun="organisation",
            one="organisation",
            many="organisations",
            subtype_field="organisation_kind",
            title_field="name",
            text_fields=("name", "address", "notes"),
            labels={
                "name": "Name",
                "organisation_kind": "Kind",
                "employer": "Employer",
                "supervising": "Supervision",
                "address": "Address",
                "notes": "Notes",
            },
            list_columns=("name", "organisation_kind", "employer", "supervising", "notes"),
            later_fields=("address",),
        ),
        KindInfo(
            kind=K.PERSON,
            label="Person",
            noun="person",
            one="person",
            many="people",
            organisation_field="organisation_uid",
            title_field="name",
            text_fields=("name", "notes"),
            labels={
                "name": "Name",
                "roles": "Roles",
                "organisation_uid": "Organisation",
                "registration_body": "Registration body",
                "registration_number": "Registration number",
                "email": "Email",
                "notes": "Notes",
            },
            list_columns=(
                "name",
                "organisation_uid",
                "roles",
                "registration_body",
                "registration_number",
                "email",
            ),
        ),
        KindInfo(
            kind=K.SUPERVISION,
            label="Supervision",
            noun="supervision session",
            one="session",
            many="sessions",
            date_field="date",
            subtype_field="supervision_type",
            person_field="counterpart_uid",
            organisation_field="organisation_uid",
            text_fields=("arrangement", "themes", "action_points", "reflection"),
            has_minutes=True,
            labels={
                "date": "Date",
                "duration_minutes": "Duration",
                "direction": "Supervision",
                "counterpart_uid": "Supervisor",
                "organisation_uid": "Organisation",
                "arrangement": "Arrangement",
                "supervision_type": "Type",
                "format": "Format",
                "group_size": "Supervisees in group",
                "group_contracted_size": "Supervisees contracted",
                "group_member_uids": "Group members",
                "mode": "Mode",
                "setting": "Work setting",
                "settings": "Settings covered",
                "course_uid": "Course",
                "live": "Live",
                "methods": "Methods",
                "themes": "Themes",
                "action_points": "Action points",
                "reflection": "Reflection",
            },
            list_columns=(
                "date",
                "duration_minutes",
                "direction",
                "supervision_type",
                "format",
                "mode",
                "counterpart_uid",
                "organisation_uid",
                "live",
                "themes",
            ),
            log_columns=(
                "date",
                "duration_minutes",
                "supervision_type",
                "format",
                "counterpart_uid",
                "organisation_uid",
                "themes",
                "action_points",
            ),
            details=supervision_details,
            later_fields=(
                "methods",
                "arrangement",
                "group_contracted_size",
                "group_member_uids",
                "settings",
            ),
        ),
        KindInfo(
            kind=K.PRACTICE,
            label="Practice",
            noun="practice entry",
            one="entry",
            many="entries",
            date_field="date",
            subtype_field="activity",
            organisation_field="organisation_uid",
            text_fields=("client_group", "intervention", "notes", "reflection"),
            has_minutes=True,
            labels={
                "date": "Date",
                "end_date": "Until",
                "duration_minutes": "Duration",
                "activity": "Activity",
                "setting": "Setting",
                "delivery": "Delivery",
                "organisation_uid": "Organisation",
                "client_group": "Client group",
                "intervention": "Intervention model",
                "clients": "Clients present",
                "role": "Role",
                "course_uid": "Course",
                "supervised": "Supervised",
                "did_not_attend": "Did not attend",
                "notes": "Notes",
                "reflection": "Reflection",
                "nmc_work_setting": "NMC work setting",
                "nmc_scope": "NMC scope of practice",
                "nmc_registration": "NMC registration",
            },
            list_columns=(
                "date",
                "duration_minutes",
                "activity",
                "setting",
                "delivery",
                "client_group",
                "intervention",
                "clients",
                "supervised",
                "role",
                "organisation_uid",
            ),
            log_columns=(
                "date",
                "duration_minutes",
                "activity",
                "setting",
                "delivery",
                "client_group",
                "intervention",
                "role",
                "organisation_uid",
            ),
            details=practice_details,
            later_fields=(
                "nmc_work_setting",
                "nmc_scope",
                "end_date",
                "nmc_registration",
                "reflection",
                "reflection_private",
            ),
        ),
        KindInfo(
            kind=K.COURSE,
            label="Teaching course",
            noun="teaching course",
            one="course",
            many="courses",
            date_field="start_date",
            subtype_field="curriculum",
            person_field="co_teacher_uid",
            organisation_field="organisation_uid",
            title_field="title",
            text_fields=("title", "population", "notes", "reflection"),
            labels={
                "title": "Title",
                "curriculum": "Curriculum",
                "role": "Your role",
                "share_percent": "Share of teaching",
                "co_teacher_uid": "Co-teacher",
                "population": "Population",
                "clinical_population": "Clinical population",
                "setting": "Setting",
                "organisation_uid": "Organisation",
                "start_date": "First session",
                "end_date": "Last session",
                "sessions_planned": "Sessions planned",
                "sessions_delivered": "Sessions delivered",
                "participants": "Participants",
                "notes": "Notes",
                "reflection": "Reflection",
            },
            list_columns=(
                "start_date",
                "end_date",
                "title",
                "curriculum",
                "role",
                "share_percent",
                "population",
                "sessions_delivered",
                "participants",
                "co_teacher_uid",
                "organisation_uid",
            ),
            log_columns=(
                "start_date",
                "title",
                "curriculum",
                "role",
                "population",
                "setting",
                "sessions_delivered",
                "participants",
                "co_teacher_uid",
            ),
            later_fields=("clinical_population",),
        ),
        KindInfo(
            kind=K.CPD,
            label="CPD",
            noun="CPD activity",
            one="activity",
            many="activities",
            date_field="start_date",
            subtype_field="cpd_type",
            title_field="title",
            text_fields=(
                "title",
                "provider",
                "standard_link",
                "learning_outcomes",
                "impact",
                "reflection",
            ),
            has_minutes=True,
            labels={
                "title": "Title",
                "provider": "Provider",
                "cpd_type": "Type",
                "learning_type": "HCPC activity type",
                "start_date": "Date",
                "end_date": "Until",
                "duration_minutes": "Hours",
                "participatory": "Participatory",
                "participatory_minutes": "Participatory part",
                "skills_focused": "Skills",
                "cbt_related": "CBT-related",
                "standard_link": "Standard or code",
                "code_themes": "NMC Code themes",
                "learning_outcomes": "Learning outcomes",
                "impact": "How it benefited the people I work with",
                "reflection": "Reflection",
            },
            list_columns=(
                "start_date",
                "title",
                "provider",
                "duration_minutes",
                "cpd_type",
                "participatory",
                "skills_focused",
                "standard_link",
            ),
            log_columns=(
                "start_date",
                "title",
                "provider",
                "cpd_type",
                "duration_minutes",
                "participatory",
                "skills_focused",
                "learning_outcomes",
            ),
            later_fields=(
                "learning_type",
                "code_themes",
                "impact",
                "participatory_minutes",
                "cbt_related",
            ),
        ),
        KindInfo(
            kind=K.PERSONAL_PRACTICE,
            label="Personal practice & retreats",
            noun="practice or retreat",
            one="entry",
            many="entries",
            date_field="start_date",
            subtype_field="practice_kind",
            title_field="title",
            text_fields=("title", "notes"),
            has_minutes=True,
            labels={
                "practice_kind": "Kind",
                "title": "Title",
                "start_date": "Date",
                "end_date": "Until",
                "mode": "Where",
                "duration_minutes": "Duration",
                "days": "Retreat days",
                "silence_percent": "In silence",
                "teacher_led": "Teacher-led",
                "supervisor_agreed": "Agreed with supervisor",
                "notes": "Notes",
            },
            list_columns=(
                "start_date",
                "end_date",
                "practice_kind",
                "mode",
                "duration_minutes",
                "silence_percent",
                "teacher_led",
                "title",
            ),
            log_columns=(
                "start_date",
                "practice_kind",
                "mode",
                "duration_minutes",
                "days",
                "silence_percent",
                "teacher_led",
                "title",
            ),
            details=retreat_details,
            later_fields=("supervisor_agreed",),
        ),
        KindInfo(
            kind=K.PATHWAY,
            label="Pathway",
            noun="pathway",
            one="pathway",
            many="pathways",
            date_field="started_on",
            subtype_field="pathway_kind",
            title_field="title",
            text_fields=("title", "notes"),
            labels={
                "title": "Title",
                "pathway_kind": "Kind",
                "started_on": "Started",
                "completed_on": "Completed",
                "training_hours": "Training hours",
                "notes": "Notes",
            },
            list_columns=("started_on", "title", "pathway_kind", "completed_on", "notes"),
            later_fields=("training_hours",),
        ),
        KindInfo(
            kind=K.MILESTONE,
            label="Milestone",
            noun="milestone",
            one="milestone",
            many="milestones",
            date_field="due_date",
            subtype_field="status",
            person_field="assessor_uid",
            title_field="title",
            text_fields=("title", "evidence", "notes"),
            labels={
                "pathway_uid": "Pathway",
                "title": "Title",
                "route": "Conversion route",
                "sequence": "Order",
                "status": "Status",
                "due_date": "Due",
                "completed_on": "Completed",
                "assessor_uid": "Assessor",
                "evidence": "Evidence",
                "notes": "Notes",
            },
            list_columns=(
                "due_date",
                "title",
                "pathway_uid",
                "status",
                "route",
                "completed_on",
                "assessor_uid",
            ),
        ),
        KindInfo(
            kind=K.FEEDBACK,
            label="Feedback",
            noun="feedback",
            one="piece of feedback",
            many="pieces of feedback",
            date_field="date",
            subtype_field="source",
            about_field="summary",
            text_fields=("summary", "reflection"),
            labels={
                "date": "Date",
                "source": "From",
                "summary": "Summary",
                "reflection": "Reflection",
            },
            list_columns=("date", "source", "summary"),
            log_columns=("date", "source", "summary", "reflection"),
        ),
        KindInfo(
            kind=K.REFLECTIVE_ACCOUNT,
            label="Reflective account",
            noun="reflective account",
            one="reflective account",
            many="reflective accounts",
            date_field="date",
            title_field="title",
            text_fields=("title", "experience", "learning", "change_in_practice"),
            labels={
                "date": "Date",
                "title": "Title",
                "experience": "What happened",
                "learning": "What you learned",
                "change_in_practice": "Change in practice",
                "code_themes": "Code themes",
                "private": "This account",
            },
            list_columns=("date", "title", "code_themes", "private"),
            log_columns=(
                "date",
                "title",
                "experience",
                "learning",
                "change_in_practice",
                "code_themes",
            ),
        ),
        KindInfo(
            kind=K.ATTESTATION,
            label="Discussion / confirmation",
            noun="discussion or confirmation",
            one="record",
            many="records",
            date_field="date",
            subtype_field="attestation_kind",
            about_field="by_name",
            text_fields=("by_name", "notes"),
            labels={
                "date": "Date",
                "attestation_kind": "Kind",
                "by_name": "With",
                "by_role": "Their role",
                "confirmer_category": "Confirmer category",
                "by_registration": "Their registration",
                "by_email": "Their email",
                "by_address": "Their address",
                "notes": "Notes",
            },
            list_columns=("date", "attestation_kind", "by_name", "by_role", "by_registration"),
            log_columns=(
                "date",
                "attestation_kind",
                "by_name",
                "by_role",
                "by_registration",
                "notes",
            ),
            later_fields=("confirmer_category", "by_email", "by_address"),
        ),
        KindInfo(
            kind=K.ATTACHMENT,
            label="Attachment",
            noun="attachment",
            one="attachment",
            many="attachments",
            title_field="filename",
            text_fields=("filename", "label"),
            labels={"filename": "File", "size": "Size"},
        ),
    )
}

# The kinds that make up the practitioner's logs (as opposed to reference data).
LOG_KINDS = (
    K.SUPERVISION,
    K.PRACTICE,
    K.COURSE,
    K.CPD,
    K.PERSONAL_PRACTICE,
    K.PATHWAY,
    K.MILESTONE,
    K.FEEDBACK,
    K.REFLECTIVE_ACCOUNT,
    K.ATTESTATION,
)

# Reference fields and the kind they point to (``owner_uid`` of attachments points anywhere).
REFERENCES: dict[str, RecordKind] = {
    "counterpart_uid": K.PERSON,
    "co_teacher_uid": K.PERSON,
    "assessor_uid": K.PERSON,
    "organisation_uid": K.ORGANISATION,
    "course_uid": K.COURSE,
    "pathway_uid": K.PATHWAY,
}
# Fields that name several records, and the kind they point to (stored as a list of ids, so
# the checks of single references are made for them by each door that reads or deletes).
REFERENCE_LISTS: dict[str, RecordKind] = {
    "group_member_uids": K.PERSON,
}
# Parts of a record (a profile's registrations) that gained fields later: while such a field
# is empty it is left out of the record's content, as ``KindInfo.later_fields`` are.
LATER_PARTS: dict[type, tuple[str, ...]] = {
    Registration: ("indemnity", "indemnity_provider"),
}


# --- a record in words -------------------------------------------------------------------------


def empty_later_fields(record: Record) -> frozenset[str]:
    """The ``later_fields`` of the record's kind that it leaves empty (see ``KindInfo``)."""
    defaults = KINDS[record.kind].later_defaults
    return frozenset(name for name, empty in defaults.items() if getattr(record, name) == empty)


def empty_later_parts(value: Any) -> frozenset[str]:
    """The ``LATER_PARTS`` fields of a part of a record (a registration) it leaves empty."""
    names = LATER_PARTS.get(type(value), ())
    if not names:
        return frozenset()
    defaults = {f.name: f.default for f in fields(value) if f.name in names}
    return frozenset(name for name, empty in defaults.items() if getattr(value, name) == empty)


def filed_on(record: Record) -> date | None:
    """The date a record is filed under (its date, start, or due date), if it has one."""
    name = KINDS[record.kind].date_field
    day = getattr(record, name, None) if name else None
    return day if isinstance(day, date) else None


def name_of(record: Record, *, or_date: bool = False) -> str:
    """The name a record goes by ("Dr A Shah", "MBCT spring"): for pickers and headings.

    Args:
        record: The record to name.
        or_date: For a record without a name, the date it is filed under ("4 Mar 2026"), so a
            window title still says which entry it is.
    """
    name = KINDS[record.kind].title_field
    title = str(getattr(record, name) or "").strip() if name else ""
    if title or not or_date:
        return title
    day = filed_on(record)
    return short_date(day) if day else ""


def mention(record: Record) -> str:
    """A record as a sentence mentions it, for undo and confirmations: "supervision on
    04 Mar 2026", "teaching course 'MBCT spring'"."""
    label = record.kind.label.lower()
    if name := name_of(record):
        return f"{label} '{name}'"
    day = filed_on(record)
    return f"{label} on {day:%d %b %Y}" if day else label


def describe(
    record: Record,
    *,
    names: Names | None = None,
    kind: bool = True,
    dated: bool = False,
    detail: bool = True,
) -> str:
    """One line saying what a record is, from fields that are never private (no reflection):
    "Supervision · Clinical · Dr A Shah · group of 6 · live", "CPD · Risk workshop · Workshop".

    The same words serve requirement findings, the command line, merge summaries and the PDF.

    Args:
        record: The record to describe.
        names: Names people by id, so the line says who the record is with.
        kind: Start with the kind's label; a listing of one kind leaves it out.
        dated: Follow the label with the date the record is filed under.
        detail: Add the sub-kind, the person and the kind's details. A merge summary leaves
            them out: it names which record two copies disagree on, not what either says.
    """
    info = KINDS[record.kind]
    heading = [info.label] if kind else []
    day = filed_on(record) if dated else None
    if day is not None:
        heading.append(short_date(day))
    parts = [" ".join(heading), _gist(record, info)]
    if detail:
        parts += [_subtype(record, info), _person(record, info, names), *info.details(record)]
    return " · ".join(part for part in parts if part)


def _gist(record: Record, info: KindInfo) -> str:
    """The record's name, else what it is about: its first line, cut short when long."""
    name = info.title_field or info.about_field
    lines = str(getattr(record, name) or "").strip().splitlines() if name else []
    line = lines[0].strip() if lines else ""
    return line if len(line) <= GIST_LENGTH else line[: GIST_LENGTH - 1].rstrip() + "…"


def _subtype(record: Record, info: KindInfo) -> str:
    value = getattr(record, info.subtype_field) if info.subtype_field else None
    return value.label if isinstance(value, Choice) else ""


def _person(record: Record, info: KindInfo, names: Names | None) -> str:
    uid = getattr(record, info.person_field) if info.person_field else None
    return names(uid) if names is not None and uid else ""
