"""Each rule kind against hand-worked examples.

Every expected figure below was worked out by hand from the records in the test, not by
running the engine; the comments show the working.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from logbook.domain.choices import (
    AttestationKind,
    Curriculum,
    MilestoneStatus,
    PersonalPracticeKind,
    PracticeActivity,
    Setting,
    SupervisionFormat,
    SupervisionType,
    TeachingRole,
)
from logbook.domain.findings import Status
from logbook.domain.periods import Period
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    Milestone,
    Pathway,
    PersonalPractice,
    PracticeEntry,
    Record,
    ReflectiveAccount,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.records import RecordKind as K
from logbook.domain.requirements.checking import pro_rata_factor
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.requirements.loader import load_pack
from logbook.domain.requirements.model import (
    CoverageParams,
    EveryPeriodParams,
    GapParams,
    GroupCredit,
    MilestonesParams,
    MilestoneSpec,
    PackSettings,
    PerItemParams,
    RatioParams,
    Rule,
    RuleParams,
    Selector,
    Share,
    Source,
    SpanParams,
    Tier,
    TimingParams,
    TotalParams,
    Window,
)
from logbook.domain.requirements.rules import check_rule

TODAY = date(2026, 11, 22)
YEAR_2025 = Period(date(2025, 1, 1), date(2025, 12, 31))
SOURCE = Source("test", "Test guidance", "https://example.org/guidance", date(2026, 1, 5))
BACP = GroupCredit(
    "bacp", small_group_max=4, small_group_share=0.5, divide_by_size=True, description="BACP"
)
BABCP = GroupCredit("babcp", divide_by_size=True, multiplier=2, max_group_size=6)
CWP = GroupCredit("cwp", max_group_size=4, min_minutes_each=30)

PACKS = Path(__file__).resolve().parent.parent / "resources" / "packs"
SUPERVISION = Selector(K.SUPERVISION, label="supervision")
PRACTICE = Selector(K.PRACTICE, label="practice")


def sup(day: date, minutes: int = 60, **fields: object) -> SupervisionSession:
    return SupervisionSession(date=day, duration_minutes=minutes, **fields)  # type: ignore[arg-type]


def group(day: date, minutes: int, size: int, **fields: object) -> SupervisionSession:
    return sup(day, minutes, format=SupervisionFormat.GROUP, group_size=size, **fields)


def prac(day: date, minutes: int = 60, **fields: object) -> PracticeEntry:
    return PracticeEntry(date=day, duration_minutes=minutes, **fields)  # type: ignore[arg-type]


def cpd(day: date, minutes: int, **fields: object) -> CpdActivity:
    return CpdActivity(start_date=day, title="Workshop", duration_minutes=minutes, **fields)  # type: ignore[arg-type]


def retreat(day: date, days: float, silence: int) -> PersonalPractice:
    return PersonalPractice(
        start_date=day,
        end_date=day + timedelta(days=max(0, int(days) - 1)),
        practice_kind=PersonalPracticeKind.RETREAT,
        days=days,
        silence_percent=silence,
    )


def weekly(start: date, end: date, make: object) -> list[Record]:
    out = []
    day = start
    while day <= end:
        out.append(make(day))  # type: ignore[operator]
        day += timedelta(days=7)
    return out


def run(
    params: RuleParams,
    records: list[Record],
    *,
    settings: PackSettings | None = None,
    period: Period = Period(),  # noqa: B008
    cycle: Period | None = None,
    today: date = TODAY,
):  # type: ignore[no-untyped-def]
    rule = Rule("rule", "A rule", "kind", "What it checks", SOURCE, params)
    return check_rule(
        rule,
        records,
        today=today,
        settings=settings or PackSettings(),
        requested=period,
        cycle=cycle,
    )


def by_label(findings):  # type: ignore[no-untyped-def]
    return {f.label: f for f in findings}


# --- every month, no averaging (BACP) ---------------------------------------------------------

BACP_MONTHLY = EveryPeriodParams(
    count=Selector(K.SUPERVISION, label="supervision", group_credit=BACP),
    every="month",
    minimum=1.5,
    only_when=PRACTICE,
)


def _every(days: int, minutes: int) -> list[Record]:
    out: list[Record] = []
    day = date(2025, 1, 6)
    while day <= date(2025, 12, 31):
        out.append(sup(day, minutes))
        day += timedelta(days=days)
    return out


PRACTICE_2025 = weekly(date(2025, 1, 2), date(2025, 12, 31), lambda d: prac(d, 50))


@pytest.mark.parametrize(
    ("every_days", "minutes", "short_months"),
    [
        # One hour every three weeks from Mon 6 Jan 2025 falls on 6, 27 Jan; 17 Feb; 10, 31 Mar;
        # 21 Apr; 12 May; 2, 23 Jun; 14 Jul; 4, 25 Aug; 15 Sep; 6, 27 Oct; 17 Nov; 8, 29 Dec.
        # Months with one session have 1.00 h < 1.5 h.
        (21, 60, ["February", "April", "May", "July", "September", "November"]),
        # An hour every fortnight gives every month at least two sessions (2.00 h).
        (14, 60, []),
        # An hour and a half every three weeks: every month has a session of 1.5 h.
        (21, 90, []),
        # An hour a month does not average up: every month is short.
        (35, 60, None),
    ],
)
def test_bacp_month_boundaries(every_days: int, minutes: int, short_months: list[str] | None):
    findings = run(BACP_MONTHLY, [*_every(every_days, minutes), *PRACTICE_2025], period=YEAR_2025)
    assert len(findings) == 12
    short = [f.label.split()[0] for f in findings if f.status is Status.NOT_YET_MET]
    if short_months is None:
        assert len(short) >= 9
    else:
        assert short == short_months
    february = by_label(findings)["February 2025"]
    assert february.required == 1.5
    if short_months and "February" in short_months:
        assert february.actual == 1.0
        assert "30 minutes short" in february.to_close_gap
        assert "no averaging" in february.to_close_gap


def test_months_without_practice_need_no_supervision():
    practice = [prac(date(2025, 3, 4)), prac(date(2025, 5, 6))]
    findings = run(BACP_MONTHLY, [sup(date(2025, 3, 5), 90), *practice], period=YEAR_2025)
    statuses = {f.label: f.status for f in findings}
    assert statuses["March 2025"] is Status.MET
    assert statuses["May 2025"] is Status.NOT_YET_MET
    assert statuses["April 2025"] is Status.NOT_APPLICABLE
    assert "No practice recorded" in by_label(findings)["April 2025"].explanation


def test_a_period_of_practice_needs_supervision_in_every_month_it_runs_through():
    # "Full time, 3 Mar–16 May": one entry whose practice runs through three months.
    spell = prac(date(2025, 3, 3), 60 * 7 * 50, end_date=date(2025, 5, 16))
    findings = run(BACP_MONTHLY, [sup(date(2025, 3, 5), 90), spell], period=YEAR_2025)
    statuses = {f.label: f.status for f in findings}
    assert statuses["March 2025"] is Status.MET
    assert statuses["April 2025"] is Status.NOT_YET_MET
    assert statuses["May 2025"] is Status.NOT_YET_MET
    assert statuses["June 2025"] is Status.NOT_APPLICABLE


def test_the_current_month_is_in_progress_not_failed():
    findings = run(
        BACP_MONTHLY,
        [prac(date(2026, 11, 3)), sup(date(2026, 11, 4), 60)],
        period=Period(date(2026, 11, 1), None),
    )
    (november,) = findings
    assert november.status is Status.NOT_YET_MET
    assert november.in_progress
    assert "by 30 Nov 2026" in november.to_close_gap


# --- group supervision credit -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "minutes", "size", "credited", "words"),
    [
        # BACP: four or fewer supervisees count half the time; five or more, time ÷ size.
        (BACP, 90, 3, 45.0, "half the time"),
        (BACP, 90, 4, 45.0, "half the time"),
        (BACP, 90, 5, 18.0, "÷ 5"),
        (BACP, 90, 8, 11.25, "÷ 8"),
        (BACP, 120, 6, 20.0, "÷ 6"),  # BACP's own example: two hours, six people, 20 minutes
        # BABCP (training): time ÷ supervisees × 2, never more than the session.
        (BABCP, 120, 4, 60.0, "÷ 4 × 2"),
        (BABCP, 105, 3, 70.0, "÷ 3 × 2"),  # BABCP's example: 1:45 ÷ 3 × 2 = 1:10
        (BABCP, 60, 2, 60.0, "÷ 2 × 2"),
        (BABCP, 120, 8, 0.0, "more than 6"),
        # CWP clinical-skills groups: at most four, at least 30 minutes each, then in full.
        (CWP, 120, 4, 120.0, "in full"),
        (CWP, 90, 4, 0.0, "less than the 30 minutes"),
        (CWP, 150, 5, 0.0, "more than 4"),
    ],
)
def test_group_credit(formula: GroupCredit, minutes: int, size: int, credited: float, words: str):
    counted, note = credit_minutes(group(date(2025, 3, 3), minutes, size), formula)
    assert counted == pytest.approx(credited)
    assert words in note


def test_bacp_counts_those_contracted_to_a_group_when_recorded():
    contracted = dataclasses.replace(BACP, count_contracted=True)
    # Seven contracted, four came: BACP divides by seven, not the half for four or fewer.
    session = group(date(2025, 3, 3), 120, 4, group_contracted_size=7)
    counted, note = credit_minutes(session, contracted)
    assert counted == pytest.approx(120 / 7)
    assert "group of 7 contracted" in note
    # Where the number contracted is not recorded, those present are counted.
    assert credit_minutes(group(date(2025, 3, 3), 120, 4), contracted)[0] == 60.0
    # A formula counting those present ignores the number contracted.
    assert credit_minutes(session, BACP)[0] == 60.0


def test_the_shipped_bacp_pack_counts_those_contracted():
    pack = load_pack(PACKS / "bacp_accreditation.toml", shipped=True)
    credits = [getattr(rule.params, "count", None) for rule in pack.rules]
    bacp = [c.group_credit for c in credits if c is not None and c.group_credit.key == "bacp"]
    assert bacp
    assert all(credit.count_contracted for credit in bacp)


def test_individual_sessions_count_in_full_and_peer_groups_say_so():
    assert credit_minutes(sup(date(2025, 3, 3), 75), BACP) == (75.0, "")
    _, note = credit_minutes(
        group(date(2025, 3, 3), 90, 5, supervision_type=SupervisionType.PEER), BACP
    )
    assert "peer group" in note


@pytest.mark.parametrize(("size", "met"), [(3, True), (4, True), (5, False), (8, False)])
def test_group_credit_decides_the_month(size: int, met: bool):
    # Three hours in a group: 3 or 4 supervisees → 1.5 h credited (met);
    # 5 → 0.6 h, 8 → 0.375 h (not met).
    # Practice from the first of the month: the whole of June is in the record.
    records = [group(date(2025, 6, 10), 180, size), prac(date(2025, 6, 1)), prac(date(2025, 6, 11))]
    (june,) = run(BACP_MONTHLY, records, period=Period(date(2025, 6, 1), date(2025, 6, 30)))
    assert (june.status is Status.MET) is met
    assert june.actual == pytest.approx({3: 1.5, 4: 1.5, 5: 0.6, 8: 0.375}[size])
    assert len(june.credits) == 1
    assert f"group of {size}" in june.credits[0].note
    assert f"group of {size}" in june.explanation


# --- pro rata and leave ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "full_from", "factor"),
    [
        (1.0, 1.0, 1.0),
        (0.6, 1.0, 0.6),  # three days a week: 60 % of the full-time amount
        (0.6, 0.5, 1.0),  # BABCP: the full amount from half time up
        (0.4, 0.5, 0.8),  # below half time: 0.4 / 0.5
        (0.5, 0.5, 1.0),
    ],
)
def test_pro_rata_factor(fraction: float, full_from: float, factor: float):
    settings = PackSettings(working_fraction=fraction)
    assert pro_rata_factor(settings, full_from) == pytest.approx(factor)


WEEKLY_CASE_MANAGEMENT = EveryPeriodParams(
    count=Selector(K.SUPERVISION, types=(SupervisionType.CASE_MANAGEMENT.value,)),
    every="week",
    minimum=1.0,
    pro_rata=True,
)


@pytest.mark.parametrize(
    ("fraction", "minutes", "met", "required"),
    [
        (1.0, 40, False, 1.0),
        (0.6, 40, True, 0.6),  # 0.6 h = 36 minutes needed; 40 recorded
        (0.6, 30, False, 0.6),
        (0.5, 30, True, 0.5),
    ],
)
def test_weekly_supervision_pro_rata(fraction: float, minutes: int, met: bool, required: float):
    week = Period(date(2025, 3, 3), date(2025, 3, 9))  # Monday to Sunday
    records = [sup(date(2025, 3, 5), minutes, supervision_type=SupervisionType.CASE_MANAGEMENT)]
    (finding,) = run(
        WEEKLY_CASE_MANAGEMENT,
        records,
        settings=PackSettings(working_fraction=fraction),
        period=week,
    )
    assert finding.required == pytest.approx(required)
    assert (finding.status is Status.MET) is met
    if fraction < 1:
        assert "pro rata" in finding.explanation


def test_babcp_pro_rata_below_half_time():
    params = EveryPeriodParams(
        count=SUPERVISION, every="month", minimum=1.5, pro_rata=True, full_from_fraction=0.5
    )
    march = Period(date(2025, 3, 1), date(2025, 3, 31))
    records = [prac(date(2025, 3, 1)), sup(date(2025, 3, 12), 72)]  # 1.2 h of March, all kept
    (at_60,) = run(params, records, settings=PackSettings(working_fraction=0.6), period=march)
    (at_40,) = run(params, records, settings=PackSettings(working_fraction=0.4), period=march)
    assert at_60.required == pytest.approx(1.5)
    assert at_60.status is Status.NOT_YET_MET
    assert at_40.required == pytest.approx(1.2)
    assert at_40.status is Status.MET


def test_months_mostly_on_leave_are_not_checked():
    leave = PackSettings(leave=(Period(date(2025, 8, 1), date(2025, 8, 20)),))  # 20 of 31 days
    findings = run(
        BACP_MONTHLY,
        PRACTICE_2025,
        settings=leave,
        period=Period(date(2025, 7, 1), date(2025, 9, 30)),
    )
    statuses = {f.label: f.status for f in findings}
    assert statuses == {
        "July 2025": Status.NOT_YET_MET,
        "August 2025": Status.NOT_APPLICABLE,
        "September 2025": Status.NOT_YET_MET,
    }
    assert "On leave for 20 of 31 days" in by_label(findings)["August 2025"].explanation


def test_fortnights_are_counted_from_the_cycle_start():
    params = EveryPeriodParams(count=SUPERVISION, every="fortnight", minimum=1.0)
    # Cycle starts Wednesday 1 Jan 2025, so fortnights run from Monday 30 Dec 2024.
    settings = PackSettings(cycle_start=date(2025, 1, 1))
    records = [sup(date(2025, 1, 8)), sup(date(2025, 1, 20))]
    findings = run(
        params, records, settings=settings, period=Period(date(2025, 1, 1), date(2025, 1, 26))
    )
    assert [(f.period.start, f.status) for f in findings] == [
        (date(2024, 12, 30), Status.MET),  # 30 Dec – 12 Jan: the session of 8 Jan
        (date(2025, 1, 13), Status.MET),  # 13 Jan – 26 Jan: the session of 20 Jan
    ]


# --- totals, shares and exclusions ------------------------------------------------------------

NMC_CYCLE = Period(date(2024, 4, 1), date(2027, 3, 31))
NMC_CPD = TotalParams(
    count=Selector(K.CPD, label="CPD"),
    minimum=35,
    window=Window("cycle"),
    share=Share(20, "participatory", Selector(K.CPD, label="CPD", participatory=True)),
)


@pytest.mark.parametrize(
    ("participatory_hours", "other_hours", "met", "gap_words"),
    [
        (20, 15, True, ""),  # 35 h, 20 participatory
        (18, 17, False, "2 h more participatory"),  # 35 h but only 18 participatory
        (25, 9, False, "1 h more CPD"),  # 25 participatory but 34 h in all
        (30, 0, False, "5 h more CPD"),
    ],
)
def test_nmc_participatory_share(
    participatory_hours: int, other_hours: int, met: bool, gap_words: str
):
    records: list[Record] = [cpd(date(2025, 5, 1), participatory_hours * 60, participatory=True)]
    if other_hours:
        records.append(cpd(date(2025, 9, 1), other_hours * 60, participatory=False))
    (finding,) = run(NMC_CPD, records, cycle=NMC_CYCLE)
    assert (finding.status is Status.MET) is met
    assert finding.actual == participatory_hours + other_hours
    assert f"{participatory_hours} h participatory" in finding.explanation
    assert gap_words in finding.to_close_gap
    if not met:
        assert "by 31 Mar 2027" in finding.to_close_gap


BACP_HOURS = TotalParams(
    count=Selector(
        K.PRACTICE,
        label="supervised practice",
        supervised=True,
        exclude_types=("assessment", "helpline", "guided_self_help", "text_or_email"),
    ),
    minimum=450,
    window=Window("rolling", 72),
    share=Share(150, "after qualifying", after_qualification=True),
)


def test_bacp_exclusions_and_hours_after_qualifying():
    records: list[Record] = [
        prac(date(2024, 2, 1), 300 * 60),
        prac(date(2025, 2, 1), 140 * 60),
        prac(date(2025, 3, 1), 20 * 60, activity=PracticeActivity.ASSESSMENT),
        prac(date(2025, 3, 2), 5 * 60, activity=PracticeActivity.HELPLINE),
        prac(date(2025, 3, 3), 7 * 60, activity=PracticeActivity.TEXT_OR_EMAIL),
        prac(date(2025, 3, 4), 9 * 60, supervised=False),
        prac(date(2025, 3, 5), 60, did_not_attend=True),
    ]
    settings = PackSettings(qualified_on=date(2025, 1, 1))
    (finding,) = run(BACP_HOURS, records, settings=settings)
    # Counted: 300 + 140 = 440 h; after qualifying (1 Jan 2025): 140 h.
    assert finding.actual == 440
    assert finding.status is Status.NOT_YET_MET
    for words in ("assessment, 1 entry (20 h)", "helpline, 1 entry (5 h)", "not supervised"):
        assert words in finding.explanation
    assert "asynchronous text / email" in finding.explanation
    assert "did not attend" in finding.explanation
    assert "140 h after qualifying" in finding.explanation
    assert "10 h more supervised practice" in finding.to_close_gap
    assert "10 h more after qualifying" in finding.to_close_gap


def test_share_after_qualifying_needs_the_date():
    (finding,) = run(BACP_HOURS, [prac(date(2025, 2, 1), 460 * 60)])
    assert finding.status is Status.NOT_YET_MET
    assert "qualification date" in finding.explanation


def test_projection_at_the_recent_average():
    # Ten hours a month from August 2024 to October 2026: 27 months, 270 hours.
    records: list[Record] = []
    month = date(2024, 8, 1)
    while month <= date(2026, 10, 1):
        records.append(prac(month + timedelta(days=9), 600))
        month = (month + timedelta(days=32)).replace(day=1)
    from logbook.domain.requirements.evidence import Evidence
    from logbook.domain.requirements.rules import Context, evaluate_rule

    params = TotalParams(count=Selector(K.PRACTICE, label="practice"), minimum=450)
    rule = Rule("hours", "450 hours", "total", "d", SOURCE, params)
    evidence = Evidence(records, TODAY)
    result = evaluate_rule(rule, evidence, Context(TODAY, recorded=evidence.recorded_period()))
    # 180 hours to go at 10 a month: 18 months after November 2026 is May 2028.
    assert result.findings[0].actual == 270
    assert result.projection == (
        "At your average of the last 6 months (10 h a month), 450 h will be reached in May 2028."
    )


def test_counts_reflective_accounts_linked_to_the_code():
    params = TotalParams(
        count=Selector(
            K.REFLECTIVE_ACCOUNT,
            measure="count",
            label="reflective accounts",
            with_code_themes=True,
        ),
        minimum=5,
        window=Window("cycle"),
    )
    accounts: list[Record] = [
        ReflectiveAccount(
            date=date(2025, m, 3), title=f"Account {m}", code_themes=("Prioritise people",)
        )
        for m in (2, 4, 6, 8)
    ]
    accounts.append(ReflectiveAccount(date=date(2025, 10, 3), title="Not linked"))
    (finding,) = run(params, accounts, cycle=NMC_CYCLE)
    assert finding.actual == 4
    assert finding.status is Status.NOT_YET_MET
    assert "not linked to the Code, 1 entry" in finding.explanation
    accounts.append(
        ReflectiveAccount(
            date=date(2025, 11, 3), title="Fifth", code_themes=("Practise effectively",)
        )
    )
    (finding,) = run(params, accounts, cycle=NMC_CYCLE)
    assert finding.status is Status.MET


def test_hcpc_counts_types_of_learning():
    params = TotalParams(
        count=Selector(
            K.CPD, measure="distinct", distinct_field="cpd_type", label="types of learning"
        ),
        minimum=2,
    )
    from logbook.domain.choices import CpdType

    one_type = [cpd(date(2025, m, 1), 60, cpd_type=CpdType.WORKSHOP) for m in (1, 2, 3)]
    (finding,) = run(params, one_type, period=YEAR_2025)
    assert finding.actual == 1
    assert finding.status is Status.NOT_YET_MET
    (finding,) = run(
        params, [*one_type, cpd(date(2025, 4, 1), 60, cpd_type=CpdType.READING)], period=YEAR_2025
    )
    assert finding.actual == 2
    assert finding.status is Status.MET


# --- BAMBA retreat days --------------------------------------------------------------------------

RETREAT_DAYS = EveryPeriodParams(
    count=Selector(
        K.PERSONAL_PRACTICE,
        measure="days",
        label="retreat days",
        types=("retreat",),
        min_silence_percent=50,
    ),
    every="year",
    minimum=5,
)


@pytest.mark.parametrize(
    ("retreats", "days", "met"),
    [
        ([(2, 60), (3, 50)], 5, True),  # a weekend and three days: 5 days, both half silent
        ([(1, 80), (1, 80), (1, 80), (2, 50)], 5, True),  # three day retreats and two days
        ([(2, 60), (2.5, 70)], 4.5, False),
        ([(2, 60), (3, 40)], 2, False),  # the three days were under half in silence
        ([(5, 100)], 5, True),
    ],
)
def test_bamba_split_retreat_days(retreats: list[tuple[float, int]], days: float, met: bool):
    records: list[Record] = [
        retreat(date(2025, 2 + 2 * n, 7), length, silence)
        for n, (length, silence) in enumerate(retreats)
    ]
    # Daily practice never counts as retreat (kept from 1 January: the whole year is recorded).
    records.append(PersonalPractice(start_date=date(2025, 1, 1), duration_minutes=30))
    records.append(PersonalPractice(start_date=date(2025, 3, 3), duration_minutes=30))
    (year,) = run(RETREAT_DAYS, records, period=YEAR_2025)
    assert year.label == "2025"
    assert year.actual == days
    assert (year.status is Status.MET) is met
    if any(silence < 50 for _, silence in retreats):
        assert year.status is Status.NOT_YET_MET


def test_a_year_the_record_begins_part_way_through_is_not_a_shortfall():
    """Retreats only from September: the months before are not in the logbook, so 2025 is not
    checked; kept from 1 January, the same retreats leave 2025 short."""
    september = [retreat(date(2025, 9, 5), 2, 80)]
    (part,) = run(RETREAT_DAYS, september, period=YEAR_2025)
    assert part.status is Status.NOT_APPLICABLE
    assert "The record begins on 5 Sep 2025, part way through this year" in part.explanation
    whole = [PersonalPractice(start_date=date(2025, 1, 1), duration_minutes=20), *september]
    (year,) = run(RETREAT_DAYS, whole, period=YEAR_2025)
    assert year.status is Status.NOT_YET_MET


# --- ratios ------------------------------------------------------------------------------------

RATIO_1_TO_8 = RatioParams(
    count=SUPERVISION,
    per=Selector(K.PRACTICE, label="client work"),
    numerator=1,
    denominator=8,
    every="month",
)
TIERED = RatioParams(
    count=SUPERVISION,
    per=PRACTICE,
    tiers=(Tier(12, 1.5), Tier(16, 2.0), Tier(20, 2.5), Tier(None, 3.0)),
    every="month",
)


@pytest.mark.parametrize(
    ("params", "client_hours", "supervision_minutes", "required", "met"),
    [
        (RATIO_1_TO_8, 24, 180, 3.0, True),  # 24 ÷ 8 = 3 hours
        (RATIO_1_TO_8, 24, 150, 3.0, False),
        (RATIO_1_TO_8, 10, 75, 1.25, True),
        (TIERED, 12, 90, 1.5, True),  # up to 12 client hours: 1.5 hours
        (TIERED, 14, 90, 2.0, False),  # 13–16: 2 hours
        (TIERED, 20, 150, 2.5, True),  # 17–20: 2.5 hours
        (TIERED, 25, 150, 3.0, False),  # above 20: the top tier
    ],
)
def test_ratios_and_tiers(
    params: RatioParams, client_hours: int, supervision_minutes: int, required: float, met: bool
):
    records = [
        prac(date(2025, 5, 6), client_hours * 60),
        sup(date(2025, 5, 20), supervision_minutes),
    ]
    (may,) = run(params, records, period=Period(date(2025, 5, 1), date(2025, 5, 31)))
    assert may.required == pytest.approx(required)
    assert (may.status is Status.MET) is met


def test_ratio_month_without_client_work_needs_nothing():
    (april,) = run(
        RATIO_1_TO_8, [sup(date(2025, 4, 3))], period=Period(date(2025, 4, 1), date(2025, 4, 30))
    )
    assert april.status is Status.NOT_APPLICABLE


# --- gaps ---------------------------------------------------------------------------------------

HCPC_GAP = GapParams(count=Selector(K.CPD, measure="count", label="CPD"), max_gap_months=3)


@pytest.mark.parametrize(
    ("days", "leave", "gaps"),
    [
        # 11 Jan – 8 Apr is 2 months 29 days: no gap. 10 Apr – 9 Jul is 3 months: a gap.
        (
            [date(2025, 1, 10), date(2025, 4, 9), date(2025, 7, 10)],
            (),
            ["gap 10 Apr 2025 – 9 Jul 2025"],
        ),
        # Two weeks of leave bring the same stretch under three months.
        (
            [date(2025, 1, 10), date(2025, 4, 9), date(2025, 7, 10)],
            ((date(2025, 5, 1), date(2025, 5, 14)),),
            [],
        ),
        ([date(2025, 1, 10), date(2025, 3, 1), date(2025, 5, 20), date(2025, 7, 25)], (), []),
    ],
)
def test_hcpc_three_month_gap(
    days: list[date], leave: tuple[tuple[date, date], ...], gaps: list[str]
):
    records = [cpd(day, 120) for day in days]
    settings = PackSettings(leave=tuple(Period(a, b) for a, b in leave))
    findings = run(
        HCPC_GAP, records, settings=settings, period=Period(date(2025, 1, 10), date(2025, 7, 31))
    )
    found = [f.label for f in findings if f.status is Status.NOT_YET_MET]
    assert found == gaps
    if gaps:
        assert "3 months" in findings[0].explanation
        assert "explaining" in findings[0].explanation
    else:
        assert findings[0].status is Status.MET


def test_a_gap_still_open_today_is_in_progress():
    findings = run(HCPC_GAP, [cpd(date(2026, 6, 1), 60)], period=Period(date(2026, 6, 1), None))
    (gap,) = findings
    assert gap.status is Status.NOT_YET_MET
    assert gap.in_progress
    assert "still open" in gap.explanation


def test_supervision_at_least_fortnightly_while_on_placement():
    params = GapParams(
        count=Selector(K.SUPERVISION, measure="count", label="supervision"),
        max_gap_days=14,
        within=Selector(K.PRACTICE, measure="count", label="client work"),
    )
    placement = weekly(date(2025, 3, 3), date(2025, 5, 26), lambda d: prac(d))
    # 4 Mar, 18 Mar (14 days: fine), 3 Apr (16 days: too long), 17 Apr, 1 May, 15 May, 26 May.
    sessions = [
        sup(date(2025, m, d))
        for m, d in ((3, 4), (3, 18), (4, 3), (4, 17), (5, 1), (5, 15), (5, 26))
    ]
    findings = run(params, [*placement, *sessions])
    short = [f for f in findings if f.status is Status.NOT_YET_MET]
    assert [f.label for f in short] == ["gap 19 Mar 2025 – 2 Apr 2025"]
    assert "16 days" in short[0].explanation


# --- timing, span, coverage, per item ----------------------------------------------------------

NMC_CONFIRMATION = TimingParams(
    count=Selector(K.ATTESTATION, measure="count", label="confirmations", types=("confirmation",)),
    final_months=12,
)


@pytest.mark.parametrize(
    ("confirmed_on", "today", "status", "in_progress"),
    [
        (date(2026, 5, 1), TODAY, Status.MET, False),  # final 12 months: 1 Apr 2026 – 31 Mar 2027
        (date(2026, 3, 1), TODAY, Status.NOT_YET_MET, True),  # too early, and time remains
        (None, date(2025, 12, 1), Status.NOT_YET_MET, True),  # not due yet
        (None, date(2027, 6, 1), Status.NOT_YET_MET, False),  # the cycle ended without it
    ],
)
def test_nmc_confirmation_in_the_final_year(
    confirmed_on: date | None, today: date, status: Status, in_progress: bool
):
    records: list[Record] = []
    if confirmed_on:
        records.append(
            Attestation(
                date=confirmed_on,
                attestation_kind=AttestationKind.CONFIRMATION,
                by_name="A. Manager",
            )
        )
    (finding,) = run(NMC_CONFIRMATION, records, cycle=NMC_CYCLE, today=today)
    assert finding.status is status
    assert finding.in_progress is in_progress
    assert finding.period == Period(date(2026, 4, 1), date(2027, 3, 31))
    if confirmed_on == date(2026, 3, 1):
        assert "Earlier in the cycle (1 Mar 2026) does not count" in finding.explanation


def test_three_years_in_practice():
    params = SpanParams(count=PRACTICE, minimum_months=36)
    (short,) = run(params, [prac(date(2023, 3, 1)), prac(date(2026, 2, 27))])
    assert short.status is Status.NOT_YET_MET
    assert "28 Feb 2026" in short.to_close_gap  # 1 Mar 2023 + 36 months − 1 day
    (enough,) = run(params, [prac(date(2023, 3, 1)), prac(date(2026, 2, 28))])
    assert enough.status is Status.MET


def test_each_setting_supervised():
    params = CoverageParams(
        count=Selector(K.PRACTICE, measure="count", label="practice"),
        by=Selector(K.SUPERVISION, measure="count", label="supervision"),
    )
    records = [
        prac(date(2025, 1, 6), setting=Setting.PRIMARY_CARE),
        prac(date(2025, 2, 6), setting=Setting.PRISON),
        sup(date(2025, 1, 7), setting=Setting.PRIMARY_CARE),
    ]
    findings = by_label(run(params, records))
    assert findings["primary care"].status is Status.MET
    assert findings["prison"].status is Status.NOT_YET_MET
    # With one setting only, supervision with no setting recorded covers it.
    (only,) = run(params, [prac(date(2025, 1, 6)), sup(date(2025, 1, 7))])
    assert only.status is Status.MET
    assert "only setting" in only.explanation


def test_three_hours_of_supervision_per_course():
    params = PerItemParams(
        items=Selector(K.COURSE, measure="count", label="course", roles=("trainee",)),
        count=SUPERVISION,
        minimum=3,
    )
    spring = TeachingCourse(
        title="Spring MBCT",
        start_date=date(2025, 3, 3),
        end_date=date(2025, 4, 21),
        role=TeachingRole.TRAINEE,
    )
    autumn = TeachingCourse(
        title="Autumn MBCT",
        start_date=date(2025, 9, 1),
        end_date=date(2025, 10, 20),
        role=TeachingRole.TRAINEE,
    )
    led = TeachingCourse(title="Led alone", start_date=date(2025, 6, 2), curriculum=Curriculum.MBSR)
    records: list[Record] = [
        spring,
        autumn,
        led,
        sup(date(2025, 3, 10), 90, course_uid=spring.uid),
        sup(date(2025, 4, 7), 90, course_uid=spring.uid),
        sup(date(2025, 9, 8), 120, course_uid=autumn.uid),
    ]
    findings = by_label(run(params, records))
    assert set(findings) == {"Spring MBCT", "Autumn MBCT"}
    assert findings["Spring MBCT"].status is Status.MET
    assert findings["Autumn MBCT"].status is Status.NOT_YET_MET
    assert "1 h more supervision" in findings["Autumn MBCT"].to_close_gap


# --- milestones ---------------------------------------------------------------------------------

STAGES = MilestonesParams(
    template="pathway",
    ordered=True,
    milestones=(
        MilestoneSpec("Participant course"),
        MilestoneSpec("Daily practice", due_months=12),
        MilestoneSpec("Teacher training", aliases=("Teacher development training",)),
        MilestoneSpec("Trainer", optional=True),
    ),
)


def _pathway(*steps: tuple[str, MilestoneStatus, date | None]) -> list[Record]:
    pathway = Pathway(title="My pathway", template_key="pathway", started_on=date(2024, 1, 1))
    return [
        pathway,
        *(
            Milestone(
                pathway_uid=pathway.uid, title=title, sequence=n, status=status, completed_on=done
            )
            for n, (title, status, done) in enumerate(steps, start=1)
        ),
    ]


DONE, OPEN = MilestoneStatus.COMPLETE, MilestoneStatus.IN_PROGRESS


def test_milestones_in_order_and_on_time():
    records = _pathway(
        ("Participant course", DONE, date(2024, 3, 1)),
        ("Daily practice", OPEN, None),  # due 1 Jan 2025: overdue
        ("Teacher Development Training", DONE, date(2025, 6, 1)),
    )
    findings = by_label(run(STAGES, records))
    assert findings["Participant course"].status is Status.MET
    assert findings["Daily practice"].status is Status.NOT_YET_MET
    assert "overdue" in findings["Daily practice"].explanation
    teacher = findings["Teacher training"]
    assert teacher.status is Status.NOT_YET_MET
    assert "before 'Daily practice'" in teacher.explanation
    assert findings["Trainer"].status is Status.NOT_APPLICABLE


def test_milestones_completed_out_of_date_order():
    records = _pathway(
        ("Participant course", DONE, date(2024, 9, 1)),
        ("Daily practice", DONE, date(2024, 6, 1)),
        ("Teacher training", DONE, date(2025, 1, 1)),
    )
    findings = by_label(run(STAGES, records))
    assert findings["Daily practice"].status is Status.NOT_YET_MET
    assert "before 'Participant course'" in findings["Daily practice"].explanation
    assert findings["Teacher training"].status is Status.MET


def test_no_pathway_yet_says_how_to_start():
    findings = run(STAGES, [])
    assert all(
        "Start the pathway" in f.to_close_gap for f in findings if f.status is Status.NOT_YET_MET
    )


def test_peer_support_induction_needs_no_order():
    params = MilestonesParams(
        template="pathway",
        milestones=(MilestoneSpec("Safeguarding"), MilestoneSpec("Breakaway training")),
    )
    records = _pathway(
        ("Breakaway training", DONE, date(2024, 2, 1)),
        ("Safeguarding adults and children", DONE, date(2024, 5, 1)),
    )
    assert {f.status for f in run(params, records)} == {Status.MET}
