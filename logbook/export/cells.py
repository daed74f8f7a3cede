"""Texts of table cells and the record selections that several layouts print."""

from __future__ import annotations

from collections.abc import Sequence

from logbook.domain.records import (
    Milestone,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.signoff import SignoffEvidence
from logbook.export import text as t
from logbook.export.data import PortfolioData

# --- selections ----------------------------------------------------------------------------------


def supervision(data: PortfolioData, direction: str) -> list[SupervisionSession]:
    """Supervision sessions of one direction ("received" or "given"), oldest first."""
    return [
        s
        for s in data.typed(RecordKind.SUPERVISION, SupervisionSession)
        if s.direction == direction
    ]


def received(data: PortfolioData) -> list[SupervisionSession]:
    """Supervision the practitioner received in the period, oldest first."""
    return supervision(data, "received")


def given(data: PortfolioData) -> list[SupervisionSession]:
    """Supervision the practitioner gave to others in the period, oldest first."""
    return supervision(data, "given")


def minutes_total(sessions: Sequence[SupervisionSession]) -> int:
    """Time spent in ``sessions``, in full (group time not divided)."""
    return sum(s.duration_minutes for s in sessions)


def credited_minutes(session: SupervisionSession, data: PortfolioData) -> float:
    """Supervision time credited to the supervisee by the group formula the data names."""
    return credit_minutes(session, data.group_credit)[0]


def credited_total(sessions: Sequence[SupervisionSession], data: PortfolioData) -> float:
    """Supervision minutes credited for ``sessions``, group time divided as the data says."""
    return sum(credited_minutes(s, data) for s in sessions)


def credited_hours_text(minutes: float) -> str:
    """Credited minutes (a fraction when group time is divided) as hours to two decimals."""
    return f"{minutes / 60:.2f}"


def current_stage(milestones: Sequence[Milestone]) -> str:
    """The latest completed milestone of a pathway, or the first one in progress."""
    complete = [m for m in milestones if m.status == "complete"]
    if complete:
        return complete[-1].title
    going = [m for m in milestones if m.status == "in_progress"]
    return going[0].title if going else ""


# --- cell texts ----------------------------------------------------------------------------------


def supervision_type_text(session: SupervisionSession) -> str:
    """The type of supervision, marked when it was given rather than received or was live."""
    parts = [session.supervision_type.label]
    if session.direction == "given":
        parts.append("(given)")
    if session.live:
        parts.append("Live")
    return "\n".join(parts)


def supervision_format_text(session: SupervisionSession) -> str:
    """Individual or group (with its size when known), over the mode it was held in."""
    if session.format == "group":
        size = f" of {session.group_size}" if session.group_size else ""
        return f"Group{size}\n{session.mode.label}"
    return f"Individual\n{session.mode.label}"


def counterpart_text(session: SupervisionSession, data: PortfolioData) -> str:
    """The other person in a session: the supervisor, or the supervisee when it was given."""
    name = data.person_name(session.counterpart_uid)
    if session.direction == "given" and name:
        return f"{name} (supervisee)"
    return name


def practice_hours_text(entry: PracticeEntry) -> str:
    """A practice entry's hours; a missed session reads "DNA", a contact-only entry its count."""
    if entry.did_not_attend:
        return "DNA\n(0.00)"
    if entry.contact_only:  # recorded that contact took place, never for how long
        plural = "" if entry.clients == 1 else "s"
        return f"{entry.clients} contact{plural}\n(no hours)"
    return t.hours_text(entry.duration_minutes)


def practice_role_text(entry: PracticeEntry) -> str:
    """The practitioner's role in a practice entry, and whether it was supervised."""
    supervised = "supervised" if entry.supervised else "unsupervised"
    return f"{entry.role.label}\n{supervised}"


def course_role_text(course: TeachingCourse) -> str:
    """The practitioner's teaching role on a course and their share of the teaching."""
    return f"{course.role.label}\n{course.share_percent} % share"


def course_sessions_text(course: TeachingCourse) -> str:
    """Sessions of a course delivered out of those planned ("7 of 8")."""
    return f"{course.sessions_delivered} of {course.sessions_planned}"


def reflection_text(record: Record) -> str:
    """An entry's reflection, marked when it is private (included on request)."""
    reflection = str(getattr(record, "reflection", ""))
    if not reflection:
        return ""
    prefix = "PRIVATE – " if getattr(record, "reflection_private", False) else ""
    return prefix + reflection


def fingerprint_text(fingerprint: str) -> str:
    """A fingerprint as it is read aloud: groups of four joined by dashes (e.g. 7K2M-QX4R-…)."""
    clean = fingerprint.replace(":", "").replace(" ", "").replace("-", "")
    return "-".join(clean[i : i + 4] for i in range(0, len(clean), 4))


def signer_text(evidence: SignoffEvidence) -> str:
    """The signer, and why they signed when they were not the supervisor recorded."""
    if evidence.cosign_reason:
        return f"{evidence.signer_name}\n(in the supervisor's place: {evidence.cosign_reason})"
    return evidence.signer_name
