"""Every item of BAMBA's good practice guidelines and of the Scottish NHS mindfulness pathway, read
back from the mindfulness teacher's demo logbook exported in the mindfulness layout for its
default period (the twelve months to the day of export; courses taught to date and the pathway
cover the whole record).

``FIELDS`` below is a table of (part of the guidance, item, how to find it), in the order of the
"Mindfulness teaching pathway" section of docs/layouts.md: each row names the section of the
record that prints the item and works out, from the demo's records, the words that must be
printed there (the item's label and its value). Items the demo cannot show (solitary retreats,
a co-teacher's registration, an agreement attached to a joint course, a course short of its
supervision, a month of teaching without supervision, a conversion plan, supervision given,
training hours short of BAMBA's 120) are read back from a small logbook made in the tests after
the table.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from logbook.domain.choices import (
    ConversionRoute,
    CpdType,
    Curriculum,
    Direction,
    MilestoneStatus,
    PathwayKind,
    PersonalPracticeKind,
    PracticeActivity,
    RetreatMode,
    SupervisionMethod,
    SupervisionType,
    TeachingRole,
)
from logbook.domain.durations import hours
from logbook.domain.periods import Period
from logbook.domain.records import (
    CpdActivity,
    Milestone,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    Registration,
    RoleSpell,
    SupervisionSession,
    TeachingCourse,
    minutes_of,
)
from logbook.services.demo import SESSION_REFLECTIONS, generate_demo
from logbook.services.export import (
    ExportOptions,
    default_period,
    export_portfolio,
)
from logbook.services.logbook import Logbook
from tests.layout_support import EXPORTED, TODAY, Exported, day, flat
from tests.signoff_support import open_book

K = RecordKind
R = TypeVar("R", bound=Record)
# BAMBA's yearly items (retreats, supervision while teaching, CPD, practice): the twelve months
# to the day of export.
TWELVE_MONTHS = Period(date(2025, 12, 1), TODAY)
FEEDBACK = {
    SupervisionMethod.LIVE_OBSERVATION,
    SupervisionMethod.RECORDING_REVIEW,
    SupervisionMethod.CO_TEACHING_FEEDBACK,
}


def export_mindfulness(folder: Path, include_private: bool = False) -> Exported:
    """The mindfulness demo, exported in its layout for the default period the export
    proposes: the twelve months to the day of export that BAMBA's yearly items ask about."""
    with open_book(folder / "logbook") as book:
        generate_demo(book, persona="mindfulness", years=3, today=TODAY)
        profile = book.records.profile()
        assert profile is not None
        chosen = default_period("mindfulness", profile, TODAY)
        assert chosen is not None
        period = chosen.period
        assert period == TWELVE_MONTHS
        options = ExportOptions(period, "mindfulness", include_private=include_private)
        export_portfolio(book, folder / "mindfulness.pdf", options, now=EXPORTED)
        records = {kind: list(book.records.all(kind)) for kind in RecordKind}
    return Exported(profile, records, period, flat(folder / "mindfulness.pdf"))


@pytest.fixture(scope="module")
def teacher(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return export_mindfulness(tmp_path_factory.mktemp("mindfulness-fields"))


@pytest.fixture(scope="module")
def teacher_private(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return export_mindfulness(tmp_path_factory.mktemp("mindfulness-private"), True)


# --- what the records say each item holds -------------------------------------------------------


def of(e: Exported, kind: RecordKind, cls: type[R]) -> list[R]:
    return [r for r in e.of(kind) if isinstance(r, cls)]


def completed(course: TeachingCourse) -> bool:
    if course.end_date is not None:
        return course.end_date <= TODAY
    return course.sessions_delivered >= course.sessions_planned > 0


def courses(e: Exported) -> list[TeachingCourse]:
    return e.in_period(K.COURSE, TeachingCourse)


def to_date(e: Exported) -> list[TeachingCourse]:
    every = [c for c in of(e, K.COURSE, TeachingCourse) if c.start_date <= TODAY]
    return sorted(every, key=lambda c: (c.start_date, c.title))


def course_dates(c: TeachingCourse) -> str:
    return f"{day(c.start_date)} – {day(c.end_date)}" if c.end_date else day(c.start_date)


def received(e: Exported) -> list[SupervisionSession]:
    return [
        s
        for s in e.in_period(K.SUPERVISION, SupervisionSession)
        if s.direction is Direction.RECEIVED
    ]


def for_course(e: Exported, course: TeachingCourse) -> list[SupervisionSession]:
    return [s for s in received(e) if s.course_uid == course.uid]


def mindfulness_supervision(e: Exported) -> list[SupervisionSession]:
    left_out = {SupervisionType.MANAGEMENT, SupervisionType.PEER}
    return [s for s in received(e) if s.supervision_type not in left_out]


def retreats(e: Exported) -> list[PersonalPractice]:
    return [
        r
        for r in e.in_period(K.PERSONAL_PRACTICE, PersonalPractice)
        if r.practice_kind is PersonalPracticeKind.RETREAT
    ]


def daily(e: Exported) -> list[PersonalPractice]:
    return [
        r
        for r in e.in_period(K.PERSONAL_PRACTICE, PersonalPractice)
        if r.practice_kind is PersonalPracticeKind.DAILY_PRACTICE
    ]


def milestones(e: Exported) -> list[Milestone]:
    return sorted(of(e, K.MILESTONE, Milestone), key=lambda m: m.sequence)


def pathway(e: Exported) -> Pathway:
    [found] = of(e, K.PATHWAY, Pathway)
    return found


def weeks(e: Exported) -> list[tuple[date, bool, bool, bool]]:
    """Each week starting in the period: its Monday, whether it had 20 minutes or more on four
    days, 30 minutes or more on six, and whether it had ended."""
    minutes: dict[date, int] = defaultdict(int)
    for r in daily(e):
        minutes[r.start_date] += r.duration_minutes
    start = TWELVE_MONTHS.start
    assert start is not None
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    found = []
    while monday <= TODAY:
        days = [minutes[monday + timedelta(days=i)] for i in range(7)]
        found.append(
            (
                monday,
                sum(1 for m in days if m >= 20) >= 4,
                sum(1 for m in days if m >= 30) >= 6,
                monday + timedelta(days=6) <= TODAY,
            )
        )
        monday += timedelta(weeks=1)
    return found


MET = "Criteria met for the recorded period"


def counted(count: int, noun: str) -> str:
    single = noun.removesuffix("ies") + "y" if noun.endswith("ies") else noun.removesuffix("s")
    return f"{count} {noun if count != 1 else single}"


# --- the guidance, item by item -----------------------------------------------------------------

SUMMARY = ("1 Summary", "2 Courses taught")
COURSES = ("2 Courses taught", "3 Supervision per course")
SUPERVISION = ("3 Supervision per course", "4 Retreats")
RETREATS = ("4 Retreats", "5 Personal practice")
PRACTICE = ("5 Personal practice", "6 Continuing professional development")
CPD = ("6 Continuing professional development", "7 Training, background and pathway criteria")
CRITERIA = ("7 Training, background and pathway criteria", "8 Pathway stage and milestones")
PATHWAYS = ("8 Pathway stage and milestones", "9 Requirement status")
WHOLE = ("the whole record", None)


def default_period_printed(e: Exported) -> list[str]:
    return [
        f"Period {day(TWELVE_MONTHS.start or TODAY)} – {day(TODAY)}",
        "Courses taught to date and the pathway cover the whole record.",
    ]


def participant_course(e: Exported) -> list[str]:
    [step] = [m for m in milestones(e) if "Participant" in m.title]
    assert step.status is MilestoneStatus.COMPLETE
    return [
        "8-week course as participant Completion of an eight week, group-based, teacher-led "
        f"mindfulness-based course as a participant. {step.title}, completed "
        f"{day(step.completed_on)} {MET}",
        f"1 {step.title} Complete",
    ]


def daily_formal_practice(e: Exported) -> list[str]:
    ended = [w for w in weeks(e) if w[3]]
    short = [w for w in ended if not w[1]]
    ideal = sum(1 for w in ended if w[2])
    assert short  # the demo falls short some weeks: the reason is printed
    return [
        f"Daily formal practice A daily, personal, formal practice (NES: at least 20 minutes on "
        f"four days a week, ideally 30 minutes on six). {len(ended) - len(short)} of {len(ended)} "
        f"whole weeks at the minimum, {ideal} at the ideal Not yet met. {len(short)} weeks had "
        "fewer than four days of 20 minutes or more (see Personal practice)."
    ]


def training_retreat(e: Exported) -> list[str]:
    retreat = next(r for r in retreats(e) if r.teacher_led and r.days >= 5)
    [step] = [m for m in milestones(e) if "retreat" in m.title]
    return [
        f"Teacher-led retreat of at least five days A teacher-led mindfulness retreat of at least "
        f"five days, during training. {retreat.title}, {course_dates_of(retreat)}; {step.title}, "
        f"completed {day(step.completed_on)} {MET}"
    ]


def course_dates_of(r: PersonalPractice) -> str:
    return f"{day(r.start_date)} – {day(r.end_date)}" if r.end_date else day(r.start_date)


def training_hours(e: Exported) -> list[str]:
    found = pathway(e)
    assert found.training_hours is not None
    assert found.training_hours >= 120
    assert found.started_on is not None
    months = (TODAY.year - found.started_on.year) * 12 + TODAY.month - found.started_on.month
    return [
        f"Training programme: {found.title} At least 120 hours of training (excluding personal "
        f"practice and retreat) over at least 12 months. {found.training_hours:g} hours, started "
        f"{day(found.started_on)}, {months} months {MET}",
        f"Teacher training {found.training_hours:g} hours of teacher training (BAMBA: at least "
        "120)",
    ]


def teaching_under_supervision(e: Exported) -> list[str]:
    supervised = [
        c for c in to_date(e) if c.role in (TeachingRole.TRAINEE, TeachingRole.CO_TEACHER)
    ]
    linked = [s for s in received(e) if s.course_uid]
    return [
        f"{counted(len(supervised), 'courses')} as trainee or co-teacher to date; "
        f"{counted(len(linked), 'supervision sessions')} linked to courses in this period {MET}"
    ]


def formative_feedback(e: Exported) -> list[str]:
    assessed = [m for m in milestones(e) if m.assessor_uid and m.status is MilestoneStatus.COMPLETE]
    assessors = ", ".join(dict.fromkeys(e.person(m.assessor_uid).name for m in assessed))
    seen = [s for s in mindfulness_supervision(e) if FEEDBACK & set(s.methods)]
    assert seen
    return [
        f"{counted(len(assessed), 'milestones')} assessed ({assessors}); "
        f"{counted(len(seen), 'supervision sessions')} in this period with a recording "
        f"reviewed, live observation or co-teaching feedback {MET}",
        *(
            f"{day(s.date)} {hours(s.duration_minutes)} {s.supervision_type.label} "
            + " ".join(m.label for m in s.methods)
            for s in seen
        ),
    ]


def listed_programmes(e: Exported) -> list[str]:
    counts = Counter(c.curriculum.label for c in to_date(e) if completed(c))
    listed = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items()))
    return [
        "Listed programme(s) The mindfulness-based programmes taught (MBCT, MBSR …). "
        f"{listed} {MET}"
    ]


def professional_qualification(e: Exported) -> list[str]:
    registrations = "; ".join(
        f"{r.body} {r.number} (renewal {day(r.renewal_date)})" for r in e.profile.registrations
    )
    latest = sorted(e.profile.roles, key=lambda r: r.start)[-1]
    return [f"{registrations}; Role: {latest.title} {MET}"]


def populations(e: Exported) -> list[str]:
    taught = "; ".join(dict.fromkeys(c.population for c in to_date(e)))
    groups = "; ".join(e.profile.client_groups)
    return [
        f"Taught: {taught}. Client groups: {groups} For the reader. Whether the qualification "
        "covers each population is for the reader to judge."
    ]


def course_rows(e: Exported) -> list[str]:
    found = courses(e)
    assert found
    rows = ["Dates Course Role and share Population Sessions Supervision (h) Sign-off"]
    for c in found:
        clinical = (
            "Patients or the client group" if c.clinical_population else "Not a clinical group"
        )
        minutes = sum(s.duration_minutes for s in for_course(e, c))
        rows.append(
            f"{course_dates(c)} {c.title} {c.curriculum.label} "
            f"{e.organisation(c.organisation_uid).name} {c.role.label} {c.share_percent} % share "
            f"{c.population} {c.setting.label} "
            f"{clinical} {c.sessions_delivered} of {c.sessions_planned} {c.participants} part. "
            f"{hours(minutes)}"
        )
    return rows


def clinical_population(e: Exported) -> list[str]:
    every = to_date(e)
    done = [c for c in every if completed(c)]
    clinical = sum(1 for c in done if c.clinical_population)
    assert any(not c.clinical_population for c in every)
    return [
        "Dates Course Curriculum Role Population Patients or client group Completed",
        *(
            f"{course_dates(c)} {c.title} {c.curriculum.label} {c.role.label} {c.population} "
            f"{'Yes' if c.clinical_population else 'No'} {'Yes' if completed(c) else 'Running'}"
            for c in every
        ),
        f"{counted(len(done), 'courses')} taught to date, {clinical} with patients or the client "
        f"group: {MET}",
    ]


def supervision_per_course(e: Exported) -> list[str]:
    found = []
    for c in courses(e):
        sessions = for_course(e, c)
        minutes = sum(s.duration_minutes for s in sessions)
        assert minutes >= 180
        found.append(
            f"{c.title} ({course_dates(c)}): {counted(len(sessions), 'sessions')}, "
            f"{hours(minutes)} h Three "
            f"hours over the course: {MET} Date Hours Type and methods Format Supervisor Themes"
        )
        found += [
            f"{day(s.date)} {hours(s.duration_minutes)} {s.supervision_type.label} "
            + " ".join(m.label for m in s.methods)
            + f" Individual {s.mode.label} {e.person(s.counterpart_uid).name} "
            + "; ".join(s.themes)
            for s in sessions
        ]
    return found


def supervision_while_teaching(e: Exported) -> list[str]:
    running: dict[date, list[str]] = defaultdict(list)
    for c in to_date(e):
        month = max(c.start_date, TWELVE_MONTHS.start or TODAY).replace(day=1)
        last = min(c.end_date or TODAY, TODAY)
        while month <= last:
            running[month].append(c.title)
            month = (month + timedelta(days=32)).replace(day=1)
    sessions = mindfulness_supervision(e)
    rows = ["Month Courses running Sessions (hours) At least monthly"]
    for month, titles in sorted(running.items()):
        found = [s for s in sessions if s.date.replace(day=1) == month]
        assert found
        rows.append(
            f"{month:%B %Y} {', '.join(titles)} {len(found)} "
            f"({hours(sum(s.duration_minutes for s in found))} h) {MET}"
        )
    return rows


def supervision_each_year(e: Exported) -> list[str]:
    sessions = mindfulness_supervision(e)
    rows = ["Year (in this period) Sessions (hours) At least once a year"]
    for span in (Period(date(2025, 12, 1), date(2025, 12, 31)), Period(date(2026, 1, 1), TODAY)):
        found = [s for s in sessions if span.contains(s.date)]
        rows.append(
            f"{day(span.start or TODAY)} – {day(span.end or TODAY)} {len(found)} "
            f"({hours(sum(s.duration_minutes for s in found))} h) {MET}"
        )
    return rows


def retreat_days(e: Exported) -> list[str]:
    found = retreats(e)
    assert found
    assert all(r.teacher_led for r in found)
    rows = ["Dates Retreat Mode Days Silence Led by Counts Sign-off"]
    rows += [
        f"{course_dates_of(r)} {r.title} {r.mode.label} {r.days:g} {r.silence_percent} % "
        "Teacher-led Yes"
        for r in found
    ]
    days = sum(r.days for r in found if r.start_date.year == 2026)
    silent = sum(r.days * r.silence_percent / 100 for r in found if r.start_date.year == 2026)
    return [
        *rows,
        "Year Retreat days counted Days in silence Five days a year",
        f"2026 {days:g} {silent:.1f} {MET}",
        "2025 0 0.0 Not judged. Part of 2025 lies before this period; 0 days in the rest.",
    ]


def practice_months(e: Exported) -> list[str]:
    months: dict[date, list[PersonalPractice]] = defaultdict(list)
    for r in daily(e):
        months[r.start_date.replace(day=1)].append(r)
    at_minimum = [w for w in weeks(e) if w[3]]
    rows = [
        "Month Sessions Days practised Hours Average per practice day Weeks at the minimum Signed"
    ]
    for month, sessions in sorted(months.items()):
        practised = len({s.start_date for s in sessions})
        minutes = sum(s.duration_minutes for s in sessions)
        mine = [w for w in at_minimum if w[0].replace(day=1) == month]
        rows.append(
            f"{month:%B %Y} {len(sessions)} {practised} {hours(minutes)} "
            f"{minutes / practised:.0f} min {sum(1 for w in mine if w[1])} of {len(mine)}"
        )
    return rows


def cpd_rows(e: Exported) -> list[str]:
    found = e.in_period(K.CPD, CpdActivity)
    total = sum(minutes_of(a) for a in found)
    rows = [
        f"{len(found)} CPD activities, {hours(total)} hours.",
        "Dates Activity Type Hours Learning outcomes Sign-off",
    ]
    for a in found:
        shared = f" {a.reflection}" if a.reflection and not a.reflection_private else ""
        rows.append(
            f"{day(a.start_date)} {a.title} {a.provider} {a.cpd_type.label} "
            f"{hours(a.duration_minutes)} {a.learning_outcomes}{shared}"
        )
    return rows


def ethical_framework(e: Exported) -> list[str]:
    bodies = ", ".join(r.body for r in e.profile.registrations)
    return [
        "Ethical framework The ethical framework of the teacher's professional background. "
        f"{bodies} Recorded. The framework is the registering body's."
    ]


def stage_reached(e: Exported) -> list[str]:
    complete = [m for m in milestones(e) if m.status is MilestoneStatus.COMPLETE]
    stage = complete[-1].title
    return [
        f"Stage reached Prospective therapist (teacher), therapist, trainer, supervisor, trainer "
        f"of trainers. {stage} Recorded.",
        f"current stage: {stage}.",
    ]


def pathway_steps(e: Exported) -> list[str]:
    return [
        f"{m.sequence} {m.title} Complete {day(m.due_date)} {day(m.completed_on)} "
        f"{e.person(m.assessor_uid).name} {m.evidence}"
        for m in milestones(e)
    ]


def first_course(e: Exported) -> list[str]:
    first = next(c for c in to_date(e) if c.role is TeachingRole.CO_TEACHER)
    return [
        f"First course co-run with a mentor “a new teacher should run a course jointly with a "
        f"more experienced teacher, who will act as mentor”. {first.title} ({course_dates(first)})"
        f", with {e.person(first.co_teacher_uid).name} {MET}"
    ]


def course_sessions(e: Exported) -> list[PracticeEntry]:
    return [
        p
        for p in e.in_period(K.PRACTICE, PracticeEntry)
        if p.course_uid and p.activity is PracticeActivity.COURSE_SESSION
    ]


def reflective_log(e: Exported) -> list[str]:
    sessions = course_sessions(e)
    shared = sum(1 for p in sessions if p.reflection and not p.reflection_private)
    assert any(p.reflection for p in sessions)
    return [
        f"Reflective log Entries “after every session”, on a critical incident, and daily on "
        "personal practice for one month; “not seen by the mentor”, so only the count is "
        f"printed. {counted(shared, 'shared entries')} on "
        f"{counted(len(sessions), 'course sessions')} in this period Not "
        "judged. Entries kept private are counted only when the export includes private "
        "reflections; their text is never printed."
    ]


def trainer(e: Exported) -> list[str]:
    done = [c for c in to_date(e) if completed(c)]
    clinical = sum(1 for c in done if c.clinical_population)
    assert len(done) >= 9
    assert clinical >= 5
    return [
        "Trainer: courses taught At least nine courses taught, at least five “with patients or "
        f"the client group with whom they work”. {counted(len(done), 'courses')} taught to date, "
        f"{clinical} "
        f"with patients or the client group {MET}"
    ]


def residential(e: Exported) -> list[str]:
    found = [r for r in retreats(e) if r.mode is RetreatMode.RESIDENTIAL]
    return [f"{counted(len(found), 'residential retreats')} in this period {MET}"]


def supervisor_stage(e: Exported) -> list[str]:
    assert not [
        s for s in e.in_period(K.SUPERVISION, SupervisionSession) if s.direction is Direction.GIVEN
    ]
    return [
        "0 sessions of supervision of supervision; 0 sessions of supervision given in this period "
        "Not judged. No supervision given in this period, so this does not apply."
    ]


def conversion(e: Exported) -> list[str]:
    assert all(p.pathway_kind is PathwayKind.TRAINING for p in of(e, K.PATHWAY, Pathway))
    return [
        "No conversion plan recorded Not judged. Does not apply: no conversion plan is recorded."
    ]


def joint_courses(e: Exported) -> list[str]:
    return [
        f"{c.title} {c.curriculum.label} {e.organisation(c.organisation_uid).name}"
        for c in courses(e)
    ]


def supervisor_box(e: Exported) -> list[str]:
    supervisors = {s.counterpart_uid for c in courses(e) for s in for_course(e, c)}
    [uid] = supervisors
    who = e.person(uid)
    titles = "; ".join(c.title for c in courses(e))
    return [
        f"Supervisor {who.name} Organisation {e.organisation(who.organisation_uid).name} Period "
        f"{day(TWELVE_MONTHS.start or TODAY)} – {day(TODAY)} Courses supervised {titles} "
        "Signature Date"
    ]


def no_group_credit(e: Exported) -> list[str]:
    # BAMBA and NES set no group formula: group supervision counts in full, nothing is credited.
    assert "credited" not in e.text.casefold()
    return []


@dataclass(frozen=True)
class Item:
    """An item of the guidance: where the record prints it, and what it must say."""

    part: str
    item: str
    section: tuple[str, str | None]
    printed: Callable[[Exported], list[str]]


FIELDS = [
    Item(
        "Default period", "twelve months; courses and pathway whole", WHOLE, default_period_printed
    ),
    Item("A. Training", "8-week course as participant", WHOLE, participant_course),
    Item("A. Training", "Daily formal practice", CRITERIA, daily_formal_practice),
    Item("A. Training", "Teacher-led retreat of at least 5 days", CRITERIA, training_retreat),
    Item("A. Training", "Training programme (120 hours, 12 months)", WHOLE, training_hours),
    Item(
        "A. Training", "Practising teaching under supervision", CRITERIA, teaching_under_supervision
    ),
    Item("A. Training", "Formative feedback", WHOLE, formative_feedback),
    Item("A. Training", "Listed programme(s)", CRITERIA, listed_programmes),
    Item("B. Background", "Professional qualification", CRITERIA, professional_qualification),
    Item("B. Background", "Knowledge of the populations taught", CRITERIA, populations),
    Item("C. Good practice", "Courses taught", COURSES, course_rows),
    Item("C. Good practice", "Course with patients / client group", COURSES, clinical_population),
    Item("C. Good practice", "Supervision per course", SUPERVISION, supervision_per_course),
    Item("C. Good practice", "Supervision while teaching", SUPERVISION, supervision_while_teaching),
    Item("C. Good practice", "Supervision when not teaching", SUPERVISION, supervision_each_year),
    Item("C. Good practice", "Retreat days", RETREATS, retreat_days),
    Item("C. Good practice", "Personal practice", PRACTICE, practice_months),
    Item("C. Good practice", "CPD", CPD, cpd_rows),
    Item("C. Good practice", "Ethical framework", CRITERIA, ethical_framework),
    Item("NES pathway", "Stage reached", WHOLE, stage_reached),
    Item(
        "NES pathway",
        "Prospective therapist, Teacher Development Training",
        PATHWAYS,
        pathway_steps,
    ),
    Item("NES pathway", "First course co-run with a mentor", CRITERIA, first_course),
    Item("NES pathway", "Reflective log (count only)", CRITERIA, reflective_log),
    Item("NES pathway", "Reflective essay, mentor feedback", PATHWAYS, pathway_steps),
    Item("NES pathway", "Trainer: nine courses, five clinical", CRITERIA, trainer),
    Item("NES pathway", "Trainer: residential training annually", CRITERIA, residential),
    Item("NES pathway", "Supervisor: supervision on supervision", CRITERIA, supervisor_stage),
    Item("NES pathway", "Conversion training", CRITERIA, conversion),
    Item("NES pathway", "Joint NHS / community courses", COURSES, joint_courses),
    Item("Closing", "Supervisor's confirmation box", SUPERVISION, supervisor_box),
    Item("Group supervision credit", "none: no formula", WHOLE, no_group_credit),
]


def without_furniture(e: Exported, text: str) -> str:
    """``text`` without the page furniture (running head and footer) between its pages, so a
    row or block that runs over a page reads on."""
    furniture = rf" ?Mindfulness-based teacher record {re.escape(e.profile.name)} Document "
    return re.sub(furniture + r"fingerprint [0-9A-Z-]+ Page \d+ of \d+", "", text)


@pytest.mark.parametrize("item", FIELDS, ids=lambda f: f"{f.part}: {f.item}")
def test_each_item_of_the_guidance_is_printed_from_the_records(
    teacher: Exported, item: Item
) -> None:
    bounds = item.section
    text = without_furniture(teacher, teacher.text if bounds is WHOLE else teacher.section(*bounds))
    for printed in item.printed(teacher):
        assert printed in text, printed


def test_the_reflective_log_is_counted_never_printed(
    teacher: Exported, teacher_private: Exported
) -> None:
    sessions = course_sessions(teacher_private)
    written = sum(1 for p in sessions if p.reflection)
    assert written
    assert (
        f"Reflective log Entries “after every session”, on a critical incident, and daily on "
        "personal practice for one month; “not seen by the mentor”, so only the count is "
        f"printed. {counted(written, 'entries')} on {counted(len(sessions), 'course sessions')} in "
        "this period Recorded."
    ) in without_furniture(teacher_private, teacher_private.section(*CRITERIA))
    for text in SESSION_REFLECTIONS.values():
        assert text not in teacher.text
        assert text not in teacher_private.text


# --- items the demo cannot show: a small logbook ------------------------------------------------

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 1, 10, 9, 0)
AGREEMENT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Logbook]:
    """A community teacher's year: a course co-taught with a registered co-teacher for a charity
    (with the written agreement attached), a closely supervised course short of its three hours,
    a month of teaching with no supervision, three retreats of which only the agreed solitary
    one counts, supervision given, a conversion plan and a training pathway short of its hours."""
    with open_book(tmp_path / "logbook") as book:
        charity = Organisation(name="Bristol Mindfulness Collective")
        nhs = Organisation(name="NHS Bristol")
        supervisor = Person(name="Dr Ruth Kerr", organisation_uid=nhs.uid)
        co_teacher = Person(
            name="Ann Lowe",
            organisation_uid=nhs.uid,
            registration_body="HCPC",
            registration_number="PYL55501",
        )
        supervisee = Person(name="Jo Hale", organisation_uid=charity.uid)
        joint = TeachingCourse(
            title="Community MBSR",
            curriculum=Curriculum.MBSR,
            role=TeachingRole.CO_TEACHER,
            share_percent=50,
            population="carers",
            organisation_uid=charity.uid,
            co_teacher_uid=co_teacher.uid,
            start_date=date(2025, 2, 3),
            end_date=date(2025, 3, 24),
            sessions_delivered=8,
            participants=10,
        )
        closely = TeachingCourse(
            title="Supervised MBCT",
            role=TeachingRole.TRAINEE,
            population="adults with recurrent depression",
            clinical_population=True,
            organisation_uid=nhs.uid,
            start_date=date(2025, 9, 1),
            end_date=date(2025, 10, 20),
            sessions_delivered=8,
            participants=9,
        )
        training = Pathway(
            title="Teacher training programme",
            started_on=date(2025, 7, 1),
            training_hours=96,
        )
        plan = Pathway(title="MBCT conversion", pathway_kind=PathwayKind.CONVERSION)
        records: list[Record] = [
            Profile(
                name="Mo Dean",
                roles=(RoleSpell(title="Mindfulness teacher", start=date(2024, 1, 1)),),
                registrations=(Registration(body="UKCP", number="2011-12345"),),
            ),
            charity,
            nhs,
            supervisor,
            co_teacher,
            supervisee,
            joint,
            closely,
            training,
            plan,
            Milestone(
                pathway_uid=plan.uid,
                title="Helped run an NHS course",
                route=ConversionRoute.CO_TEACHING,
                status=MilestoneStatus.COMPLETE,
                completed_on=date(2025, 6, 1),
            ),
            # Two hours for the closely supervised course: one short of three.
            *(
                SupervisionSession(
                    date=day_,
                    duration_minutes=60,
                    counterpart_uid=supervisor.uid,
                    supervision_type=SupervisionType.MINDFULNESS,
                    course_uid=closely.uid,
                    methods=(SupervisionMethod.LIVE_OBSERVATION,),
                )
                for day_ in (date(2025, 9, 10), date(2025, 9, 24))
            ),
            # February only, for the joint course: March goes without.
            SupervisionSession(
                date=date(2025, 2, 12),
                duration_minutes=60,
                counterpart_uid=supervisor.uid,
                supervision_type=SupervisionType.MINDFULNESS,
                course_uid=joint.uid,
            ),
            SupervisionSession(
                date=date(2025, 5, 6),
                duration_minutes=60,
                direction=Direction.GIVEN,
                counterpart_uid=supervisee.uid,
                supervision_type=SupervisionType.MINDFULNESS,
            ),
            SupervisionSession(
                date=date(2025, 5, 20),
                duration_minutes=60,
                counterpart_uid=supervisor.uid,
                supervision_type=SupervisionType.SUPERVISION_OF_SUPERVISION,
            ),
            PersonalPractice(
                start_date=date(2025, 4, 4),
                end_date=date(2025, 4, 6),
                practice_kind=PersonalPracticeKind.RETREAT,
                days=3,
                silence_percent=100,
                supervisor_agreed=True,
                title="Solitary weekend",
            ),
            PersonalPractice(
                start_date=date(2025, 6, 6),
                end_date=date(2025, 6, 7),
                practice_kind=PersonalPracticeKind.RETREAT,
                days=2,
                silence_percent=100,
                title="Solitary days, not discussed",
            ),
            PersonalPractice(
                start_date=date(2025, 8, 1),
                end_date=date(2025, 8, 2),
                practice_kind=PersonalPracticeKind.RETREAT,
                mode=RetreatMode.ONLINE,
                days=2,
                silence_percent=40,
                teacher_led=True,
                title="Online weekend",
            ),
            CpdActivity(
                start_date=date(2025, 11, 3),
                title="Inquiry skills day",
                duration_minutes=360,
                cpd_type=CpdType.WORKSHOP,
                learning_outcomes="Three layers of inquiry.",
            ),
        ]
        for record in records:
            book.records.create(record)
        agreement = tmp_path / "joint-working-agreement.pdf"
        agreement.write_bytes(AGREEMENT)
        book.attachments.add_file(joint, agreement, label="Joint working agreement")
        yield book


def export_small(book: Logbook, path: Path) -> str:
    export_portfolio(book, path, ExportOptions(YEAR, "mindfulness"), now=NOW)
    return flat(path)


def test_only_a_solitary_retreat_agreed_with_the_supervisor_counts(
    small: Logbook, tmp_path: Path
) -> None:
    text = export_small(small, tmp_path / "a.pdf")
    assert (
        "04 Apr 2025 – 06 Apr 2025 Solitary weekend At home 3 100 % Un-guided, solitary; agreed "
        "with supervisor Yes"
    ) in text
    assert (
        "Solitary days, not discussed At home 2 100 % Un-guided, solitary; not agreed with "
        "supervisor No: un-guided and not agreed with the supervisor"
    ) in text
    assert "Online weekend Online 2 40 % Teacher-led No: silence under 50 %" in text
    # Of seven retreat days, the three agreed ones count: two short of five.
    assert "2025 3 3.0 Not yet met. 3 days counted; 2 more were needed." in text
    assert "Retreat days 3 days, of which 3.0 in silence" in text


def test_a_joint_course_names_the_co_teachers_registration_and_its_agreement(
    small: Logbook, tmp_path: Path
) -> None:
    text = export_small(small, tmp_path / "a.pdf")
    assert (
        "03 Feb 2025 – 24 Mar 2025 Community MBSR MBSR Bristol Mindfulness Collective Attached: "
        "Joint working agreement Co-teacher 50 % share with Ann Lowe (HCPC PYL55501) carers "
        "Primary care Not a clinical group 8 of 8 10 part. 1.00"
    ) in text


def test_shortfalls_in_supervision_are_given_with_their_reasons(
    small: Logbook, tmp_path: Path
) -> None:
    text = export_small(small, tmp_path / "a.pdf")
    assert (
        "Supervised MBCT (01 Sep 2025 – 20 Oct 2025): 2 sessions, 2.00 h Three hours over the "
        "course: Not yet met. 1.00 h short of the three hours over the course."
    ) in text
    assert "Live observation" in text
    assert (
        "March 2025 Community MBSR 0 (0.00 h) Not yet met. No mindfulness-based supervision in "
        "a month with a course running."
    ) in text
    assert "October 2025 Supervised MBCT 0 (0.00 h) Not yet met." in text


def test_the_training_pathway_conversion_and_supervisors_stage_read_from_the_records(
    small: Logbook, tmp_path: Path
) -> None:
    text = export_small(small, tmp_path / "a.pdf")
    assert (
        "Training programme: Teacher training programme At least 120 hours of training "
        "(excluding personal practice and retreat) over at least 12 months. 96 hours, started "
        "01 Jul 2025, 5 months Not yet met. 24 hours more are needed. It has run 5 months of "
        "the twelve."
    ) in text
    assert (
        "Helped run an NHS course (Co-teaching with an established therapist) Criteria met" in text
    )
    assert (
        "1 session of supervision of supervision; 1 session of supervision given in this "
        "period Criteria met for the recorded period"
    ) in text
    assert (
        "2 courses taught to date, 1 with patients or the client group Not yet met. 7 more "
        "courses and 4 more with patients or the client group would meet it."
    ) in text
