"""The columns of the generic portfolio's log of each record kind (widths are relative).

Which fields a log shows, and in what order, is the kind's descriptor's ``log_columns``; here is
how the PDF draws each of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Choice
from logbook.domain.records import RecordKind
from logbook.export import cells
from logbook.export import text as t
from logbook.export.data import PortfolioData
from logbook.export.document import Column

K = RecordKind

# The sign-off cell of a record (its uid), as the layout words it.
SignoffCell = Callable[[str], str]

# Fields a kind's log draws inside another field's column, the room being short.
DRAWN_WITH: dict[tuple[RecordKind, str], str] = {(K.PRACTICE, "delivery"): "setting"}


def text(name: str) -> Callable[[Any], str]:
    """The value of a free-text field as written."""
    return lambda r: str(getattr(r, name))


def label(name: str) -> Callable[[Any], str]:
    """The label of a choice field."""
    return lambda r: str(getattr(r, name).label)


def listed(name: str) -> Callable[[Any], str]:
    """The items of a list field, separated by semicolons (a list of choices by its labels)."""
    return lambda r: "; ".join(
        item.label if isinstance(item, Choice) else str(item) for item in getattr(r, name)
    )


def yes(name: str, no: str = "") -> Callable[[Any], str]:
    """ "Yes" for a set flag, otherwise ``no`` (blank unless a log spells out the "No")."""
    return lambda r: "Yes" if getattr(r, name) else no


def field_columns(data: PortfolioData) -> dict[str, Column]:
    """How a field reads in every log that shows it."""
    return {
        "date": Column("Date", 44, lambda r: t.day(r.date)),
        "start_date": Column("Dates", 58, lambda r: t.day_range(r.start_date, r.end_date)),
        "duration_minutes": Column(
            "Hours", 30, lambda r: t.hours_text(r.duration_minutes), "RIGHT"
        ),
        "supervision_type": Column("Type", 62, cells.supervision_type_text),
        "format": Column("Format", 46, cells.supervision_format_text),
        "counterpart_uid": Column("With", 62, lambda r: cells.counterpart_text(r, data)),
        "organisation_uid": Column(
            "Organisation", 62, lambda r: data.organisation_name(r.organisation_uid)
        ),
        "themes": Column("Themes", 95, listed("themes")),
        "action_points": Column("Action points", 80, text("action_points"), max_lines=8),
        "activity": Column("Activity", 62, label("activity")),
        "setting": Column("Setting", 62, label("setting")),
        "delivery": Column("Delivery", 48, label("delivery")),
        "client_group": Column("Client group", 56, text("client_group")),
        "intervention": Column("Intervention", 56, text("intervention")),
        "title": Column("Title", 70, text("title"), bold=True),
        "curriculum": Column("Curriculum", 50, label("curriculum")),
        "population": Column("Population", 66, text("population")),
        "sessions_delivered": Column("Sessions", 36, cells.course_sessions_text, "RIGHT"),
        "participants": Column("Participants", 34, lambda r: str(r.participants or ""), "RIGHT"),
        "co_teacher_uid": Column("Co-teacher", 54, lambda r: data.person_name(r.co_teacher_uid)),
        "provider": Column("Provider", 64, text("provider")),
        "cpd_type": Column("Type", 52, label("cpd_type")),
        "participatory": Column("Participatory", 40, yes("participatory", "No")),
        "skills_focused": Column("Skills", 30, yes("skills_focused")),
        "learning_outcomes": Column(
            "Learning outcomes", 120, text("learning_outcomes"), max_lines=10
        ),
        "practice_kind": Column("Kind", 50, label("practice_kind")),
        "mode": Column("Mode", 50, label("mode")),
        "days": Column("Days", 28, lambda r: f"{r.days:g}" if r.days else "", "RIGHT"),
        "silence_percent": Column(
            "Silence", 34, lambda r: f"{r.silence_percent} %" if r.days else "", "RIGHT"
        ),
        "teacher_led": Column("Teacher-led", 40, yes("teacher_led")),
        "source": Column("From", 60, label("source")),
        "summary": Column("Feedback", 190, text("summary"), max_lines=14),
        "reflection": Column("What I take from it", 170, cells.reflection_text, max_lines=14),
        "experience": Column("What happened", 100, text("experience"), max_lines=16),
        "learning": Column("What I learned", 90, text("learning"), max_lines=16),
        "change_in_practice": Column(
            "What I changed", 90, text("change_in_practice"), max_lines=16
        ),
        "code_themes": Column("The Code", 60, listed("code_themes")),
        "attestation_kind": Column("Kind", 80, label("attestation_kind")),
        "by_name": Column("By", 80, text("by_name"), bold=True),
        "by_role": Column("Role", 70, text("by_role")),
        "by_registration": Column("Registration", 70, text("by_registration")),
        "notes": Column("Notes", 120, text("notes"), max_lines=10),
    }


def kind_columns(data: PortfolioData) -> dict[tuple[RecordKind, str], Column]:
    """Where one kind's log draws a field its own way."""
    return {
        (K.SUPERVISION, "duration_minutes"): Column(
            "Hours", 27, lambda r: t.hours_text(r.duration_minutes), "RIGHT"
        ),
        (K.SUPERVISION, "organisation_uid"): Column(
            "Organisation", 64, lambda r: data.organisation_name(r.organisation_uid)
        ),
        (K.PRACTICE, "duration_minutes"): Column("Hours", 30, cells.practice_hours_text, "RIGHT"),
        (K.PRACTICE, "role"): Column("Role", 50, cells.practice_role_text),
        (K.PRACTICE, "setting"): Column(
            "Setting and delivery", 62, lambda r: f"{r.setting.label}\n{r.delivery.label}"
        ),
        (K.COURSE, "title"): Column("Course", 90, text("title"), bold=True),
        (K.COURSE, "role"): Column("Role", 58, cells.course_role_text),
        (K.COURSE, "setting"): Column("Setting", 54, label("setting")),
        (K.CPD, "start_date"): Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
        (K.CPD, "title"): Column("Activity", 100, text("title"), bold=True),
        (K.PERSONAL_PRACTICE, "duration_minutes"): Column(
            "Hours", 32, lambda r: t.hours_text(r.duration_minutes), "RIGHT"
        ),
        (K.PERSONAL_PRACTICE, "title"): Column(
            "Title and notes", 160, lambda r: t.join([r.title, r.notes], " · ")
        ),
        (K.FEEDBACK, "date"): Column("Date", 46, lambda r: t.day(r.date)),
        (K.ATTESTATION, "date"): Column("Date", 46, lambda r: t.day(r.date)),
    }


def log_columns(kind: RecordKind, data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    """Columns of the log table of ``kind``, ending with each entry's sign-off.

    Raises:
        ValueError: the kind has no log in the portfolio (people, pathways …).
    """
    names = KINDS[kind].log_columns
    if not names:
        raise ValueError(f"no log table for {kind.label}")
    shared, own = field_columns(data), kind_columns(data)
    columns = [
        own.get((kind, name)) or shared[name] for name in names if (kind, name) not in DRAWN_WITH
    ]
    return [
        *columns,
        Column("Sign-off", cells.SIGNOFF_WEIGHT, lambda r: signoff(r.uid), max_lines=9),
    ]
