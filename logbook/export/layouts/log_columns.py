"""The columns of the generic portfolio's log of each record kind (widths are relative)."""

from __future__ import annotations

from collections.abc import Callable

from logbook.domain.records import RecordKind
from logbook.export import cells
from logbook.export import text as t
from logbook.export.data import PortfolioData
from logbook.export.document import Column

K = RecordKind

# The sign-off cell of a record (its uid), as the renderer words it.
SignoffCell = Callable[[str], str]


def supervision(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Date", 44, lambda r: t.day(r.date)),
        Column("Hours", 27, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
        Column("Type", 62, cells.supervision_type_text),
        Column("Format", 46, cells.supervision_format_text),
        Column("With", 62, lambda r: cells.counterpart_text(r, data)),
        Column("Organisation", 64, lambda r: data.organisation_name(r.organisation_uid)),
        Column("Themes", 95, lambda r: "; ".join(r.themes)),
        Column("Action points", 80, lambda r: r.action_points, max_lines=8),
        Column("Sign-off", 46, lambda r: signoff(r.uid)),
    ]


def practice(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Date", 44, lambda r: t.day(r.date)),
        Column("Hours", 30, cells.practice_hours_text, "RIGHT"),
        Column("Activity", 62, lambda r: r.activity.label),
        Column("Setting", 62, lambda r: r.setting.label),
        Column("Delivery", 48, lambda r: r.delivery.label),
        Column("Client group", 56, lambda r: r.client_group),
        Column("Intervention", 56, lambda r: r.intervention),
        Column("Role", 50, cells.practice_role_text),
        Column("Organisation", 62, lambda r: data.organisation_name(r.organisation_uid)),
    ]


def course(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Dates", 58, lambda r: t.day_range(r.start_date, r.end_date)),
        Column("Course", 90, lambda r: r.title, bold=True),
        Column("Curriculum", 50, lambda r: r.curriculum.label),
        Column("Role", 58, cells.course_role_text),
        Column("Population", 66, lambda r: r.population),
        Column("Setting", 54, lambda r: r.setting.label),
        Column("Sessions", 36, cells.course_sessions_text, "RIGHT"),
        Column("Participants", 34, lambda r: str(r.participants or ""), "RIGHT"),
        Column("Co-teacher", 54, lambda r: data.person_name(r.co_teacher_uid)),
    ]


def cpd(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
        Column("Activity", 100, lambda r: r.title, bold=True),
        Column("Provider", 64, lambda r: r.provider),
        Column("Type", 52, lambda r: r.cpd_type.label),
        Column("Hours", 30, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
        Column("Participatory", 40, lambda r: "Yes" if r.participatory else "No"),
        Column("Skills", 30, lambda r: "Yes" if r.skills_focused else ""),
        Column("Learning outcomes", 120, lambda r: r.learning_outcomes, max_lines=10),
    ]


def personal_practice(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Dates", 58, lambda r: t.day_range(r.start_date, r.end_date)),
        Column("Kind", 50, lambda r: r.practice_kind.label),
        Column("Mode", 50, lambda r: r.mode.label),
        Column("Hours", 32, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
        Column("Days", 28, lambda r: f"{r.days:g}" if r.days else "", "RIGHT"),
        Column("Silence", 34, lambda r: f"{r.silence_percent} %" if r.days else "", "RIGHT"),
        Column("Teacher-led", 40, lambda r: "Yes" if r.teacher_led else ""),
        Column("Title and notes", 160, lambda r: t.join([r.title, r.notes], " · ")),
    ]


def feedback(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Date", 46, lambda r: t.day(r.date)),
        Column("From", 60, lambda r: r.source.label),
        Column("Feedback", 190, lambda r: r.summary, max_lines=14),
        Column("What I take from it", 170, cells.reflection_text, max_lines=14),
    ]


def reflective_account(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Date", 44, lambda r: t.day(r.date)),
        Column("Title", 70, lambda r: r.title, bold=True),
        Column("What happened", 100, lambda r: r.experience, max_lines=16),
        Column("What I learned", 90, lambda r: r.learning, max_lines=16),
        Column("What I changed", 90, lambda r: r.change_in_practice, max_lines=16),
        Column("The Code", 60, lambda r: "; ".join(r.code_themes)),
    ]


def attestation(data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    return [
        Column("Date", 46, lambda r: t.day(r.date)),
        Column("Kind", 80, lambda r: r.attestation_kind.label),
        Column("By", 80, lambda r: r.by_name, bold=True),
        Column("Role", 70, lambda r: r.by_role),
        Column("Registration", 70, lambda r: r.by_registration),
        Column("Notes", 120, lambda r: r.notes, max_lines=10),
    ]


LOG_COLUMNS: dict[RecordKind, Callable[[PortfolioData, SignoffCell], list[Column]]] = {
    K.SUPERVISION: supervision,
    K.PRACTICE: practice,
    K.COURSE: course,
    K.CPD: cpd,
    K.PERSONAL_PRACTICE: personal_practice,
    K.FEEDBACK: feedback,
    K.REFLECTIVE_ACCOUNT: reflective_account,
    K.ATTESTATION: attestation,
}


def log_columns(kind: RecordKind, data: PortfolioData, signoff: SignoffCell) -> list[Column]:
    """Columns of the log table of ``kind``.

    Raises:
        ValueError: the kind has no log in the portfolio (people, pathways …).
    """
    try:
        columns = LOG_COLUMNS[kind]
    except KeyError:
        raise ValueError(f"no log table for {kind.label}") from None
    return columns(data, signoff)
