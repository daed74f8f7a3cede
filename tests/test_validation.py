"""Validation names the field and says what is wrong, for every record kind."""

from __future__ import annotations

from datetime import date

import pytest

from logbook.domain.choices import MilestoneStatus, PersonalPracticeKind, SupervisionFormat
from logbook.domain.errors import ValidationError
from logbook.domain.records import (
    Attachment,
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Milestone,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    ReflectiveAccount,
    Registration,
    RoleSpell,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.validation import ensure_valid, validate

D = date(2026, 3, 2)
PATHWAY_UID = "0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b"

CASES: list[tuple[Record, str, str]] = [
    (Profile(name=" "), "name", "name is required"),
    (Profile(name="A", email="not-an-email"), "email", "is not an email address"),
    (
        Profile(name="A", roles=(RoleSpell(title="PWP", start=D, end=date(2025, 1, 1)),)),
        "roles[1].end",
        "role 1: end date is before start date",
    ),
    (
        Profile(name="A", registrations=(Registration(body=""),)),
        "registrations[1].body",
        "registration 1: body is required",
    ),
    (Organisation(name=""), "name", "name is required"),
    (Person(name="x" * 301), "name", "name is too long"),
    (Person(name="Ana", email="ana@"), "email", "is not an email address"),
    (
        SupervisionSession(date=D, duration_minutes=0),
        "duration",
        "duration must be between 1 and 1440 minutes",
    ),
    (
        SupervisionSession(date=D, duration_minutes=1441),
        "duration",
        "duration must be between 1 and 1440 minutes",
    ),
    (
        SupervisionSession(date=D, duration_minutes=60, format=SupervisionFormat.GROUP),
        "group_size",
        "group size is required for group supervision",
    ),
    (
        SupervisionSession(date=D, duration_minutes=60, group_size=5),
        "group_size",
        "group size only applies to group supervision",
    ),
    (
        SupervisionSession(date=date(1900, 1, 1), duration_minutes=60),
        "date",
        "date must be between 1950 and 2100",
    ),
    (
        PracticeEntry(date=D, duration_minutes=50, clients=0),
        "clients",
        "number of clients must be between 1 and 500",
    ),
    (
        TeachingCourse(title="MBCT", start_date=D, end_date=date(2026, 1, 1)),
        "end_date",
        "end date is before start date",
    ),
    (
        TeachingCourse(title="MBCT", start_date=D, share_percent=0),
        "share_percent",
        "share of responsibility (%) must be between 1 and 100",
    ),
    (
        TeachingCourse(title="MBCT", start_date=D, sessions_delivered=9),
        "sessions_delivered",
        "sessions delivered must be between 0 and the number planned",
    ),
    (CpdActivity(title="", start_date=D, duration_minutes=60), "title", "title is required"),
    (
        CpdActivity(title="Workshop", start_date=D, duration_minutes=0),
        "duration",
        "duration must be between 1 and 60000 minutes",
    ),
    (
        PersonalPractice(start_date=D, practice_kind=PersonalPracticeKind.RETREAT, days=0.3),
        "days",
        "retreat days must be a whole or half number of days",
    ),
    (
        PersonalPractice(start_date=D, duration_minutes=0),
        "duration",
        "duration must be between 1 and 1440 minutes",
    ),
    (
        PersonalPractice(start_date=D, duration_minutes=30, silence_percent=101),
        "silence_percent",
        "share in silence (%) must be between 0 and 100",
    ),
    (
        Pathway(title="Pathway", started_on=D, completed_on=date(2020, 1, 1)),
        "completed_on",
        "completion date is before start date",
    ),
    (
        Milestone(pathway_uid="p", title="Induction", status=MilestoneStatus.COMPLETE),
        "completed_on",
        "a completed milestone needs its completion date",
    ),
    (
        Milestone(pathway_uid="p", title="Induction", completed_on=D),
        "completed_on",
        "only a completed milestone has a completion date",
    ),
    (FeedbackEntry(date=D, summary=""), "summary", "summary is required"),
    (ReflectiveAccount(date=D, title=""), "title", "title is required"),
    (Attestation(date=D, by_name=""), "by_name", "name of the person is required"),
    (
        Attachment(owner_uid="x", filename="c.pdf", sha256="abc"),
        "sha256",
        "content hash must be 64 hexadecimal characters",
    ),
    (
        Attachment(owner_uid="../../etc/passwd", filename="c.pdf", sha256="a" * 64),
        "owner_uid",
        "'../../etc/passwd' is not a valid id",
    ),
    (
        Milestone(pathway_uid="p", title="Induction"),
        "pathway_uid",
        "'p' is not a valid id",
    ),
    (PracticeEntry(uid="", date=D, duration_minutes=50), "uid", "'' is not a valid id"),
]


@pytest.mark.parametrize(
    ("record", "field", "message"), CASES, ids=[f"{r.kind}-{f}" for r, f, _ in CASES]
)
def test_problem_names_the_field_and_says_what_is_wrong(
    record: Record, field: str, message: str
) -> None:
    problems = validate(record)
    assert any(p.field == field and message in p.message for p in problems), problems


def test_every_problem_is_reported_at_once() -> None:
    session = SupervisionSession(
        date=date(1900, 1, 1), duration_minutes=0, format=SupervisionFormat.GROUP
    )
    with pytest.raises(ValidationError) as caught:
        ensure_valid(session)
    assert {p.field for p in caught.value.problems} == {"date", "duration", "group_size"}
    assert "This supervision cannot be saved" in str(caught.value)


@pytest.mark.parametrize(
    "record",
    [
        Profile(name="Priya Shah"),
        SupervisionSession(
            date=D, duration_minutes=90, format=SupervisionFormat.GROUP, group_size=5
        ),
        PracticeEntry(date=D, duration_minutes=50),
        TeachingCourse(title="MBCT autumn", start_date=D, end_date=date(2026, 4, 20)),
        CpdActivity(title="Risk workshop", start_date=D, duration_minutes=180),
        PersonalPractice(start_date=D, practice_kind=PersonalPracticeKind.RETREAT, days=2.5),
        Milestone(
            pathway_uid=PATHWAY_UID,
            title="Induction",
            status=MilestoneStatus.COMPLETE,
            completed_on=D,
        ),
    ],
    ids=lambda r: r.kind.value,
)
def test_valid_records_have_no_problems(record: Record) -> None:
    assert validate(record) == []
