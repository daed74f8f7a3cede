"""Which dates may lie after today, and the slips asked about before saving (the domain rules)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from logbook.domain.choices import PersonalPracticeKind
from logbook.domain.plausibility import doubts
from logbook.domain.records import (
    CpdActivity,
    PersonalPractice,
    PracticeEntry,
    RecordKind,
    SupervisionSession,
)
from logbook.domain.timing import date_rule, future_problems
from logbook.services.exchange import export_json
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook

TODAY = date(2026, 12, 2)
LATER = TODAY + timedelta(days=1)


def test_things_that_happened_cannot_be_dated_after_today() -> None:
    session = SupervisionSession(date=LATER, duration_minutes=60)
    assert [(p.field, p.message) for p in future_problems(session, TODAY)] == [
        (
            "date",
            "A supervision session cannot be in the future: it is recorded once it has happened",
        )
    ]
    assert future_problems(SupervisionSession(date=TODAY, duration_minutes=60), TODAY) == []
    cpd = CpdActivity(start_date=TODAY, end_date=LATER, title="Pain", duration_minutes=60)
    assert [p.field for p in future_problems(cpd, TODAY)] == ["end_date"]


def test_a_date_the_record_already_had_is_not_refused_again() -> None:
    session = SupervisionSession(date=LATER, duration_minutes=60)
    assert future_problems(session, TODAY, before=session) == []


def test_a_retreat_may_be_planned_but_daily_practice_has_happened() -> None:
    retreat = {"practice_kind": PersonalPracticeKind.RETREAT}
    daily = {"practice_kind": PersonalPracticeKind.DAILY_PRACTICE}
    kind = RecordKind.PERSONAL_PRACTICE
    assert date_rule(kind, "start_date", retreat).planned
    assert not date_rule(kind, "start_date", retreat).refusal
    assert date_rule(kind, "start_date", daily).refusal
    booked = PersonalPractice(
        start_date=LATER, end_date=LATER + timedelta(days=4), practice_kind=retreat["practice_kind"]
    )
    assert future_problems(booked, TODAY) == []


def test_planned_kinds_and_undated_fields_have_their_rules() -> None:
    assert date_rule(RecordKind.COURSE, "start_date", {}).planned
    assert date_rule(RecordKind.MILESTONE, "due_date", {}).planned
    assert date_rule(RecordKind.MILESTONE, "completed_on", {}).refusal
    assert date_rule(RecordKind.PATHWAY, "started_on", {}).planned
    assert date_rule(RecordKind.PROFILE, "qualified_on", {}) == date_rule(
        RecordKind.PERSON, "anything", {}
    )


def test_importing_a_whole_logbook_keeps_sessions_saved_ahead(tmp_path: Path) -> None:
    """An export from before the rule, with a series planned ahead, imports as it was."""
    ahead = date.today() + timedelta(days=14)
    source = Logbook.open(DataLocation(tmp_path / "a"))
    source.records.create(SupervisionSession(date=ahead, duration_minutes=60))
    export_json(source.db, tmp_path / "old.json")
    source.close()
    target = Logbook.open(DataLocation(tmp_path / "b"))
    target.import_json(tmp_path / "old.json")
    assert [r.date for r in target.records.all(RecordKind.SUPERVISION)] == [ahead]  # type: ignore[attr-defined]
    target.close()


def test_long_sessions_long_days_and_copies_are_doubted() -> None:
    long = SupervisionSession(date=TODAY, duration_minutes=241)
    assert [d.field for d in doubts(long, [])] == ["duration_minutes"]
    assert doubts(SupervisionSession(date=TODAY, duration_minutes=240), []) == []

    day = [PracticeEntry(date=TODAY, duration_minutes=600)]
    assert doubts(PracticeEntry(date=TODAY, duration_minutes=120), day) == []
    (too_long,) = doubts(PracticeEntry(date=TODAY, duration_minutes=121), day)
    assert "12 hours" in too_long.message
    did_not_attend = [PracticeEntry(date=TODAY, duration_minutes=600, did_not_attend=True)]
    assert doubts(PracticeEntry(date=TODAY, duration_minutes=300), did_not_attend) == []

    logged = SupervisionSession(date=TODAY, duration_minutes=60, counterpart_uid="a")
    again = SupervisionSession(date=TODAY, duration_minutes=60, counterpart_uid="a")
    assert [d.field for d in doubts(again, [logged])] == ["date"]
    other = SupervisionSession(date=TODAY, duration_minutes=60, counterpart_uid="b")
    assert doubts(other, [logged]) == []
    assert doubts(logged, [logged]) == []  # itself, being edited
    # Identical practice sessions in a day are normal, not a copy.
    hour = PracticeEntry(date=TODAY, duration_minutes=60)
    assert doubts(PracticeEntry(date=TODAY, duration_minutes=60), [hour]) == []
