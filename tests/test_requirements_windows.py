"""Grids, windows, averages, exclusions, advice and wording of requirement checks.

Each rule's periods are cut from the rule (its cycle start, else the first recorded day), never
from the dates asked for; the dates asked for only choose which periods are shown. Expected
figures below are worked out by hand from the records in each test.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import (
    AttestationKind,
    PersonalPracticeKind,
    PracticeActivity,
    SupervisionFormat,
    SupervisionType,
)
from logbook.domain.findings import Finding, PackResult, Status
from logbook.domain.periods import Period
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    FeedbackEntry,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    ReflectiveAccount,
    Registration,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.requirements import Evidence, PackSettings, evaluate_pack
from logbook.domain.requirements.loader import load_pack
from logbook.domain.requirements.model import (
    AverageParams,
    EveryPeriodParams,
    GapParams,
    Pack,
    Rule,
    RuleParams,
    Selector,
    Source,
    Window,
)
from logbook.domain.requirements.registry import RULE_KINDS
from logbook.domain.requirements.text import amount, finding_line, finding_words
from logbook.resources import resource_path

SOURCE = Source("test", "Test guidance", "https://example.org", date(2026, 1, 5))
TODAY = date(2026, 3, 15)
K = RecordKind
SHIPPED = [load_pack(path, shipped=True) for path in sorted(resource_path("packs").glob("*.toml"))]


def sup(day: date, minutes: int = 60, **fields: object) -> SupervisionSession:
    return SupervisionSession(date=day, duration_minutes=minutes, **fields)  # type: ignore[arg-type]


def prac(day: date, minutes: int = 60, **fields: object) -> PracticeEntry:
    return PracticeEntry(date=day, duration_minutes=minutes, **fields)  # type: ignore[arg-type]


def run(
    params: RuleParams,
    records: list[Record],
    *,
    period: Period = Period(),  # noqa: B008
    pack_settings: PackSettings | None = None,
    cycle_years: int | None = None,
    today: date = TODAY,
) -> PackResult:
    """One rule in a pack of its own, checked as ``status`` checks it."""
    rule = Rule("rule", "A rule", "kind", "What it checks", SOURCE, params)
    pack = Pack("p", "Pack", "Body", "", (rule,), cycle_years=cycle_years)
    return evaluate_pack(pack, Evidence(records, today), pack_settings or PackSettings(), period)


def findings(result: PackResult) -> tuple[Finding, ...]:
    return result.rules[0].findings


def verdicts(result: PackResult) -> dict[tuple[str, Period, str], Status]:
    return {
        (rule.rule_id, f.period, f.label): f.status for rule in result.rules for f in rule.findings
    }


# --- 1. the grid belongs to the rule -----------------------------------------------------------

FORTNIGHTLY = EveryPeriodParams(
    count=Selector(K.SUPERVISION, label="supervision"), every="fortnight", minimum=1.0
)


@pytest.mark.parametrize("asked_from", [date(2025, 1, 6), date(2025, 1, 13), date(2025, 1, 20)])
def test_fortnights_do_not_move_with_the_date_asked_from(asked_from: date):
    # First record Monday 6 Jan 2025: fortnights 6–19 Jan, 20 Jan – 2 Feb, 3–16 Feb.
    # Sessions on 17 Jan and 22 Jan: one in each of the first two fortnights, none in the third.
    records: list[Record] = [sup(date(2025, 1, 6)), sup(date(2025, 1, 17)), sup(date(2025, 1, 22))]
    result = run(FORTNIGHTLY, records, period=Period(asked_from, date(2025, 2, 16)))
    shown = {f.period.start: f.status for f in findings(result)}
    expected = {
        date(2025, 1, 6): Status.MET,
        date(2025, 1, 20): Status.MET,
        date(2025, 2, 3): Status.NOT_YET_MET,
    }
    assert shown == {
        day: status for day, status in expected.items() if day >= asked_from - timedelta(days=13)
    }
    assert "the Monday on or before the first recorded day (6 Jan 2025)" in result.rules[0].basis


def test_fortnights_run_from_the_cycle_start_when_there_is_one():
    # Cycle start Wednesday 1 Jan 2025: fortnights from Monday 30 Dec 2024, whatever is asked.
    records: list[Record] = [sup(date(2025, 1, 8)), sup(date(2025, 1, 20))]
    result = run(
        FORTNIGHTLY,
        records,
        period=Period(date(2025, 1, 8), date(2025, 1, 26)),
        pack_settings=PackSettings(cycle_start=date(2025, 1, 1)),
    )
    assert [f.period.start for f in findings(result)] == [date(2024, 12, 30), date(2025, 1, 13)]
    assert "Monday 30 Dec 2024, the Monday on or before the cycle start" in result.rules[0].basis


def test_years_of_a_cycle_run_from_its_start():
    params = EveryPeriodParams(
        count=Selector(K.SUPERVISION, measure="count", label="live assessments", live=True),
        every="year",
        minimum=2,
        window=Window("cycle"),
    )
    records: list[Record] = [sup(date(2024, 5, 1), live=True), sup(date(2025, 3, 1), live=True)]
    result = run(
        params,
        records,
        pack_settings=PackSettings(cycle_start=date(2024, 4, 1)),
        cycle_years=3,
    )
    (first, second) = findings(result)
    # 1 Apr 2024 – 31 Mar 2025 holds both assessments; the second year is running.
    assert first.period == Period(date(2024, 4, 1), date(2025, 3, 31))
    assert first.status is Status.MET
    assert second.in_progress
    assert "Years run from the cycle start (1 Apr)" in result.rules[0].basis


# Logbooks for the property: supervision, practice, CPD, retreats, feedback and courses.
FIRST = date(2024, 1, 1)
offsets = st.integers(0, (TODAY - FIRST).days)
any_supervision = st.builds(
    lambda o, m, size, kind, live: sup(
        FIRST + timedelta(days=o),
        m,
        format=SupervisionFormat.GROUP if size else SupervisionFormat.INDIVIDUAL,
        group_size=size or None,
        supervision_type=kind,
        live=live,
    ),
    offsets,
    st.sampled_from([30, 60, 90]),
    st.sampled_from([0, 0, 3, 6]),
    st.sampled_from(list(SupervisionType)),
    st.booleans(),
)
any_practice = st.builds(
    lambda o, m, activity, dna: prac(
        FIRST + timedelta(days=o), m, activity=activity, did_not_attend=dna
    ),
    offsets,
    st.sampled_from([50, 120]),
    st.sampled_from(list(PracticeActivity)),
    st.booleans(),
)
any_cpd = st.builds(
    lambda o, m, p: CpdActivity(
        start_date=FIRST + timedelta(days=o), title="CPD", duration_minutes=m, participatory=p
    ),
    offsets,
    st.sampled_from([60, 420]),
    st.booleans(),
)
any_retreat = st.builds(
    lambda o, silence: PersonalPractice(
        start_date=FIRST + timedelta(days=o),
        practice_kind=PersonalPracticeKind.RETREAT,
        days=1.0,
        silence_percent=silence,
    ),
    offsets,
    st.sampled_from([30, 80]),
)
any_feedback = st.builds(
    lambda o: FeedbackEntry(date=FIRST + timedelta(days=o), summary="Feedback"), offsets
)
logbooks = st.lists(
    st.one_of(any_supervision, any_practice, any_cpd, any_retreat, any_feedback), max_size=40
)
asked_days = st.dates(date(2023, 6, 1), date(2026, 6, 30))
asked = st.one_of(
    st.just(Period()),
    st.tuples(asked_days, st.integers(0, 700)).map(lambda t: Period(t[0], t[0] + timedelta(t[1]))),
    asked_days.map(lambda d: Period(d, None)),
    asked_days.map(lambda d: Period(None, d)),
)
circumstances = st.builds(
    PackSettings,
    cycle_start=st.none() | st.dates(date(2022, 1, 1), date(2026, 1, 1)),
    qualified_on=st.none() | st.dates(date(2023, 1, 1), date(2026, 1, 1)),
    leave=st.lists(
        st.tuples(asked_days, st.integers(0, 60)).map(
            lambda t: Period(t[0], t[0] + timedelta(t[1]))
        ),
        max_size=1,
    ).map(tuple),
)


def test_the_property_covers_every_rule_kind():
    assert {rule.kind for pack in SHIPPED for rule in pack.rules} == set(RULE_KINDS)


@settings(max_examples=60, deadline=None)
@given(logbooks, circumstances, asked, asked)
def test_a_period_shown_by_two_questions_has_one_verdict(
    records: list[Record], chosen: PackSettings, one: Period, other: Period
):
    """Whatever the dates asked for, a period both answers show has the same verdict, for
    every rule kind of every shipped pack."""
    evidence = Evidence(records, TODAY)
    for pack in SHIPPED:
        first = verdicts(evaluate_pack(pack, evidence, chosen, one))
        second = verdicts(evaluate_pack(pack, evidence, chosen, other))
        for key in first.keys() & second.keys():
            assert first[key] is second[key], f"{pack.id} {key}: {first[key]} / {second[key]}"


# --- 2. the window asked for, periods in progress, cycles ------------------------------------

WEEKLY = EveryPeriodParams(
    count=Selector(K.SUPERVISION, label="supervision"),
    every="week",
    minimum=1.0,
    window=Window("cycle"),
)


def test_weeks_before_the_first_record_are_not_checked():
    # Eight weeks of records from Monday 19 Jan 2026 to Sunday 15 Mar 2026 (today), no cycle
    # start: a 3-year cycle is assumed, but only the eight weeks from the first record count.
    records: list[Record] = [sup(date(2026, 1, 19) + timedelta(weeks=n)) for n in range(7)]
    result = run(WEEKLY, records, cycle_years=3)
    weeks = findings(result)
    assert len(weeks) == 8
    assert weeks[0].period.start == date(2026, 1, 19)
    # The week of 9 Mar ends today with nothing in it: in progress, not short.
    assert weeks[-1].in_progress
    assert finding_words(weeks[-1]).state == "in progress"
    assert result.rules[0].status is Status.MET


def test_a_cycle_rule_keeps_to_the_dates_asked_for():
    gap = GapParams(count=Selector(K.CPD, measure="count", label="CPD"), max_gap_months=3)
    params = dataclasses.replace(gap, window=Window("cycle"))
    # CPD on 10 Jan and 1 Apr 2025, then nothing: as at 30 Apr 2025 there is no gap of three
    # months; the long silence after April is not part of 10 Jan – 30 Apr 2025.
    records: list[Record] = [
        CpdActivity(start_date=date(2025, 1, 10), title="A", duration_minutes=60),
        CpdActivity(start_date=date(2025, 4, 1), title="B", duration_minutes=60),
    ]
    result = run(
        params,
        records,
        period=Period(date(2025, 1, 10), date(2025, 4, 30)),
        pack_settings=PackSettings(cycle_start=date(2025, 1, 1)),
        cycle_years=2,
        today=date(2026, 12, 2),
    )
    assert [f.status for f in findings(result)] == [Status.MET]
    assert all(f.period.end and f.period.end <= date(2025, 4, 30) for f in findings(result))


def test_after_a_renewal_date_the_ended_and_the_new_cycle_are_both_shown():
    nmc = load_pack(resource_path("packs", "nmc_revalidation.toml"), shipped=True)
    profile = Profile(
        name="A. Nurse",
        registrations=(Registration(body="NMC", number="1", renewal_date=date(2026, 3, 1)),),
    )
    records: list[Record] = [
        profile,
        CpdActivity(start_date=date(2025, 5, 1), title="Course", duration_minutes=40 * 60),
    ]
    result = evaluate_pack(nmc, Evidence(records, TODAY), PackSettings())
    cpd = next(r for r in result.rules if "cpd" in r.rule_id)
    labels = [f.label for f in cpd.findings]
    assert labels == [
        "ended cycle 1 Mar 2023 – 28 Feb 2026",
        "current cycle 1 Mar 2026 – 28 Feb 2029",
    ]


def test_a_year_that_has_ended_is_not_in_progress():
    retreats = EveryPeriodParams(
        count=Selector(K.PERSONAL_PRACTICE, measure="days", label="retreat days"),
        every="year",
        minimum=5,
    )
    records: list[Record] = [
        PersonalPractice(
            start_date=date(2025, 6, 2), practice_kind=PersonalPracticeKind.RETREAT, days=2.0
        )
    ]
    result = run(retreats, records)
    year_2025, year_2026 = findings(result)
    assert not year_2025.in_progress
    assert "(in progress)" not in finding_words(year_2025).title
    assert finding_words(year_2026).title == "2026 (in progress)"


# --- 3. averages over the window the body names ----------------------------------------------

AVERAGE = AverageParams(
    count=Selector(K.SUPERVISION, label="clinical-skills supervision"), every="fortnight", minimum=1
)


@pytest.mark.parametrize(
    ("minutes", "today", "asked", "words", "status"),
    [
        # First record Mon 2 Feb 2026; fortnights 2–15 Feb, 16 Feb – 1 Mar, 2–15 Mar (today).
        # Two fortnights have ended; the third joins the average when it ends.
        ([60, 60], TODAY, Period(), "2 sessions, 2 h over 2 fortnights", Status.MET),
        ([60, 30], TODAY, Period(), "average 45 minutes a fortnight", Status.NOT_YET_MET),
        # Asked up to 15 Feb: one fortnight, one session.
        (
            [60, 30],
            TODAY,
            Period(None, date(2026, 2, 15)),
            "1 session, 1 h over 1 fortnight",
            Status.MET,
        ),
    ],
)
def test_average_over_the_fortnights_that_have_ended(
    minutes: list[int], today: date, asked: Period, words: str, status: Status
):
    records: list[Record] = [
        sup(date(2026, 2, 3), minutes[0]),
        sup(date(2026, 2, 17), minutes[1]),
    ]
    result = run(AVERAGE, records, period=asked, today=today)
    (finding,) = findings(result)
    assert words in finding.explanation
    assert finding.status is status
    assert "months" not in finding.explanation  # no months before the first record


def test_average_over_a_cycle_counts_from_the_cycle_start():
    params = dataclasses.replace(AVERAGE, window=Window("cycle"))
    # Cycle from Mon 5 Jan 2026: fortnights 5–18 Jan, 19 Jan – 1 Feb, 2–15 Feb, 16 Feb – 1 Mar
    # have ended by 15 Mar; four hour-long sessions make 4 h over 4 fortnights.
    records: list[Record] = [sup(date(2026, 1, 5) + timedelta(days=14 * n)) for n in range(4)]
    result = run(
        params, records, pack_settings=PackSettings(cycle_start=date(2026, 1, 5)), cycle_years=3
    )
    (finding,) = findings(result)
    assert (
        "4 sessions, 4 h over 4 fortnights (5 Jan 2026 – 1 Mar 2026): average 1 h a fortnight"
        in (finding.explanation)
    )
    assert finding.status is Status.MET


# --- 4. every exclusion explained, only advice that changes the verdict ----------------------


@pytest.mark.parametrize(
    ("params", "records", "words"),
    [
        (
            EveryPeriodParams(
                count=Selector(
                    K.PERSONAL_PRACTICE,
                    measure="days",
                    label="retreat days",
                    types=("retreat",),
                    min_silence_percent=50,
                ),
                every="year",
                minimum=5,
                exclude_leave=False,
            ),
            [
                PersonalPractice(
                    start_date=date(2025, 6, 2),
                    practice_kind=PersonalPracticeKind.RETREAT,
                    days=1.0,
                    silence_percent=30,
                )
            ],
            "Not counted: below the 50% silence threshold, 1 entry.",
        ),
        (
            dataclasses.replace(
                WEEKLY,
                count=Selector(K.SUPERVISION, label="supervision", formats=("individual",)),
                window=Window(),
            ),
            [sup(date(2026, 3, 3), 90, format=SupervisionFormat.GROUP, group_size=4)],
            "Not counted: group sessions, under a rule for individual sessions, 1 entry "
            "(1 h 30 min).",
        ),
        (
            EveryPeriodParams(
                count=Selector(K.PRACTICE, label="practice"), every="week", minimum=2
            ),
            [prac(date(2026, 3, 3), 120, did_not_attend=True)],
            "Not counted: did not attend, 1 entry (2 h).",
        ),
    ],
)
def test_what_was_not_counted_is_said(params: RuleParams, records: list[Record], words: str):
    result = run(params, records)
    assert any(words in finding_words(f).explanation for f in findings(result))


INDIVIDUAL = Selector(K.SUPERVISION, label="supervision", formats=("individual",))


@pytest.mark.parametrize(
    ("params", "label"),
    [
        # Week of 2 Mar 2026 is met by the individual session; the group one is still named.
        (dataclasses.replace(WEEKLY, count=INDIVIDUAL, window=Window()), "week of 2 Mar 2026"),
        # No gap over 14 days: met, and the group session did not count towards it.
        (GapParams(count=INDIVIDUAL, max_gap_days=14), "3 Mar 2026 – 15 Mar 2026"),
    ],
)
def test_a_met_finding_names_what_it_left_out(params: RuleParams, label: str):
    records: list[Record] = [
        sup(date(2026, 3, 3), 60),
        sup(date(2026, 3, 4), 90, format=SupervisionFormat.GROUP, group_size=4),
        sup(date(2026, 3, 10), 60),
    ]
    found = {f.label: f for f in findings(run(params, records))}
    assert found[label].status is Status.MET
    assert (
        "Not counted: group sessions, under a rule for individual sessions, 1 entry "
        "(1 h 30 min)." in finding_words(found[label]).explanation
    )


def test_a_gap_names_the_sessions_that_did_not_count_inside_it():
    gap = GapParams(count=INDIVIDUAL, max_gap_days=14)
    records: list[Record] = [
        sup(date(2026, 1, 5)),
        sup(date(2026, 1, 20), 60, format=SupervisionFormat.GROUP, group_size=4),
        sup(date(2026, 2, 9)),
    ]
    short = [f for f in findings(run(gap, records)) if f.status is Status.NOT_YET_MET]
    assert [f.label for f in short][:1] == ["gap 6 Jan 2026 – 8 Feb 2026"]
    words = finding_words(short[0]).explanation
    assert words.startswith("No supervision recorded from 6 Jan 2026 to 8 Feb 2026")
    assert "Not counted: group sessions, under a rule for individual sessions, 1 entry" in words


def test_work_recorded_on_leave_is_pointed_out():
    monthly = EveryPeriodParams(
        count=Selector(K.SUPERVISION, label="supervision"),
        every="month",
        minimum=1.5,
        only_when=Selector(K.PRACTICE, label="practice"),
    )
    records: list[Record] = [prac(date(2025, 8, 12)), sup(date(2025, 7, 2), 90)]
    leave = PackSettings(leave=(Period(date(2025, 8, 1), date(2025, 8, 31)),))
    result = run(
        monthly, records, pack_settings=leave, period=Period(date(2025, 8, 1), date(2025, 8, 31))
    )
    (august,) = findings(result)
    assert august.status is Status.NOT_APPLICABLE
    assert "1 entry recorded on days marked as leave" in august.explanation


def test_no_leave_advice_for_a_rule_that_ignores_leave():
    retreats = EveryPeriodParams(
        count=Selector(K.PERSONAL_PRACTICE, measure="days", label="retreat days"),
        every="year",
        minimum=5,
        exclude_leave=False,
    )
    kept_from_new_year = PersonalPractice(start_date=date(2025, 1, 1), duration_minutes=20)
    result = run(
        retreats, [kept_from_new_year, PersonalPractice(start_date=date(2025, 2, 3), days=1.0)]
    )
    year_2025 = findings(result)[0]
    assert year_2025.status is Status.NOT_YET_MET
    assert "leave" not in year_2025.to_close_gap
    assert {a.action for a in year_2025.advice} == {"record"}


# The per-pack advice test: every advice offered is applied, and must change the verdict.


def _default(kind: RecordKind, day: date) -> Record:
    makers = {
        K.SUPERVISION: lambda: SupervisionSession(date=day, duration_minutes=60),
        K.PRACTICE: lambda: PracticeEntry(date=day, duration_minutes=60),
        K.CPD: lambda: CpdActivity(start_date=day, title="Added", duration_minutes=60),
        K.PERSONAL_PRACTICE: lambda: PersonalPractice(start_date=day, duration_minutes=60),
        K.FEEDBACK: lambda: FeedbackEntry(date=day, summary="Added"),
        K.REFLECTIVE_ACCOUNT: lambda: ReflectiveAccount(date=day, title="Added"),
        K.ATTESTATION: lambda: Attestation(date=day, by_name="A. Colleague"),
        K.COURSE: lambda: TeachingCourse(title="Added", start_date=day, end_date=day),
    }
    return makers[kind]()


def matching(selector: Selector, day: date, how_much: float, link: str = "") -> list[Record]:
    """Records that ``selector`` keeps, adding up to at least ``how_much``."""
    record = _default(selector.records, day)
    changes: dict[str, object] = {}
    subtype = KINDS[selector.records].subtype_field
    if subtype:
        choice = type(getattr(record, subtype))
        if selector.types:
            changes[subtype] = choice(selector.types[0])
        elif getattr(record, subtype).value in selector.exclude_types:
            changes[subtype] = next(c for c in choice if c.value not in selector.exclude_types)
    for name, attribute in (("formats", "format"), ("settings", "setting"), ("roles", "role")):
        values = getattr(selector, name)
        if values:
            changes[attribute] = type(getattr(record, attribute))(values[0])
    if selector.direction:
        changes["direction"] = type(record.direction)(selector.direction)  # type: ignore[attr-defined]
    for flag in ("live", "supervised", "participatory", "skills_focused", "teacher_led"):
        if getattr(selector, flag) is not None:
            changes[flag] = getattr(selector, flag)
    if selector.with_reflection:
        changes["reflection"] = "What I learnt."
    if selector.with_code_themes:
        changes["code_themes"] = ("Prioritise people",)
    if selector.min_silence_percent is not None:
        changes["silence_percent"] = 100
    if selector.min_share_percent is not None:
        changes["share_percent"] = 100
    if link:
        changes["course_uid"] = link
    if selector.measure == "hours":
        changes["duration_minutes"] = max(60, math.ceil(how_much * 60))
    if selector.min_days is not None and selector.measure != "days":
        changes["days"] = float(math.ceil(selector.min_days))
        changes["end_date"] = day + timedelta(days=math.ceil(selector.min_days) - 1)
    if selector.measure == "active_days":
        changes["duration_minutes"] = max(60, selector.day_minimum_minutes)
    if selector.measure == "days":
        days = max(how_much, selector.min_days or 0)
        changes["days"] = float(math.ceil(days))
        changes["end_date"] = day + timedelta(days=math.ceil(days) - 1)
        changes.setdefault("practice_kind", PersonalPracticeKind.RETREAT)
    if selector.records is K.ATTESTATION and not selector.types:
        changes["attestation_kind"] = AttestationKind.CONFIRMATION
    made = dataclasses.replace(record, **changes)  # type: ignore[arg-type]
    count = 1 if selector.measure in ("hours", "days") else max(1, math.ceil(how_much - 1e-9))
    found = [dataclasses.replace(made, uid=f"{made.uid[:-4]}{n:04d}") for n in range(count)]
    if selector.measure == "active_days":  # one a day
        field = KINDS[selector.records].date_field or "date"
        found = [
            dataclasses.replace(r, **{field: day + timedelta(days=n)}) for n, r in enumerate(found)
        ]
    if selector.measure == "distinct" and selector.distinct_field:  # every kind there is
        choice = type(getattr(made, selector.distinct_field))
        found = [dataclasses.replace(made, **{selector.distinct_field: c}) for c in choice]
    return found


def _scenario() -> list[Record]:
    """A year of patchy work: practice every week, supervision now and then, little CPD."""
    records: list[Record] = [prac(date(2025, 3, 3) + timedelta(weeks=n), 50) for n in range(54)]
    records += [sup(date(2025, 3, 5) + timedelta(days=40 * n), 60) for n in range(9)]
    records += [
        sup(date(2025, 6, 10), 120, format=SupervisionFormat.GROUP, group_size=5),
        CpdActivity(start_date=date(2025, 4, 2), title="Workshop", duration_minutes=180),
        TeachingCourse(title="Spring MBCT", start_date=date(2025, 4, 7)),
    ]
    return records


def _apply(pack: Pack, rule_id: str, finding: Finding, advice, records, chosen):  # type: ignore[no-untyped-def]
    """The records and settings after doing what ``advice`` says."""
    params = pack.rule(rule_id).params
    if advice.action == "leave":
        return records, dataclasses.replace(chosen, leave=(*chosen.leave, advice.period))
    if advice.action == "setting":
        return records, dataclasses.replace(chosen, **{advice.setting: date(2024, 1, 1)})
    selector = params.count
    if advice.setting == "share":
        selector = params.share.count or params.count
    period = advice.period
    day = max(period.start or TODAY, date(2025, 3, 3))
    day = min(day, period.end or TODAY, TODAY) if period.end and period.end >= day else day
    link = finding.entries[0] if params.__class__.__name__ == "PerItemParams" else ""
    return [*records, *matching(selector, day, advice.amount or 1, link)], chosen


@pytest.mark.parametrize("pack", SHIPPED, ids=lambda p: p.id)
def test_every_advice_in_a_pack_changes_the_verdict(pack: Pack):
    records = _scenario()
    chosen = PackSettings()
    result = evaluate_pack(pack, Evidence(records, TODAY), chosen)
    tried = 0
    for rule in result.rules:
        short = [f for f in rule.findings if f.status is Status.NOT_YET_MET]
        for finding in short[:3]:
            if not finding.advice:
                continue
            # Doing everything the finding advises (each piece is needed) changes its verdict.
            after_records, after_settings = records, chosen
            for advice in finding.advice:
                assert advice.text in finding.to_close_gap
                after_records, after_settings = _apply(
                    pack, rule.rule_id, finding, advice, after_records, after_settings
                )
            after = evaluate_pack(pack, Evidence(after_records, TODAY), after_settings)
            same = verdicts(after).get((rule.rule_id, finding.period, finding.label))
            assert same is not Status.NOT_YET_MET, (
                f"{pack.id}/{rule.rule_id} {finding.label}: '{finding.to_close_gap}' did not "
                "change it"
            )
            tried += 1
    if any(f.advice for r in result.rules for f in r.findings):
        assert tried


# --- 5. one unit, clean words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (10 / 60, "hours", "10 minutes"),
        (1 + 20 / 60, "hours", "1 h 20 min"),
        (2.0, "hours", "2 h"),
        (1, "days", "1 day"),
        (2.5, "days", "2.5 days"),
        (3, "", "3"),
    ],
)
def test_amounts_in_hours_and_minutes(value: float, unit: str, words: str):
    assert amount(value, unit) == words


def test_a_shortfall_and_its_credit_read_in_one_unit_and_the_label_once():
    monthly = EveryPeriodParams(
        count=Selector(
            K.SUPERVISION,
            label="supervision",
            group_credit=SHIPPED[2].rules[2].params.count.group_credit,
        ),  # type: ignore[union-attr]
        every="month",
        minimum=0.5,
    )
    # Two hours in a group of six: BACP credits 2 h ÷ 6 = 20 minutes, 10 minutes short.
    records: list[Record] = [
        prac(date(2025, 2, 1)),  # the record is kept from the first of February
        sup(date(2025, 2, 4), 120, format=SupervisionFormat.GROUP, group_size=6),
    ]
    (february, *_) = findings(
        run(monthly, records, period=Period(date(2025, 2, 1), date(2025, 2, 28)))
    )
    assert "2 h ÷ 6 → 20 minutes" in february.explanation
    assert february.to_close_gap.startswith("10 minutes short.")
    assert finding_line(february).count("February 2025") == 1


def test_one_of_something_is_singular():
    discussions = EveryPeriodParams(
        count=Selector(K.ATTESTATION, measure="count", label="reflective discussions"),
        every="year",
        minimum=2,
    )
    records: list[Record] = [Attestation(date=date(2025, 5, 1), by_name="A. Colleague")]
    (year, *_) = findings(run(discussions, records))
    assert year.explanation.startswith("1 reflective discussion from 1 entry")
