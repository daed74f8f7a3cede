"""The mindfulness-based teacher record a BAMBA listing or the Scottish NHS pathway asks for."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from logbook.domain.choices import (
    ConversionRoute,
    Direction,
    PathwayKind,
    PracticeActivity,
    RetreatMode,
    SupervisionMethod,
    SupervisionType,
    TeachingRole,
)
from logbook.domain.findings import Status
from logbook.domain.periods import Period, add_months, month_of
from logbook.domain.records import (
    CpdActivity,
    Milestone,
    Pathway,
    PersonalPractice,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
    minutes_of,
)
from logbook.domain.requirements.text import singular
from logbook.export import cells, charts
from logbook.export import text as t
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import FRAME_WIDTH, Column, escape, figures_table
from logbook.export.sections import PathwaysSection, RequirementsSection, SignoffsSection

K = RecordKind
# Whom a file's name could identify, in the words of the role.
PEOPLE = "a participant"
S = SectionInfo

# A retreat year: the year, the retreat days that count and the days of them in silence.
RetreatYear = tuple[int, float, float]
# A month of personal practice: its first day, days practised, minutes and its sessions.
PracticeMonth = tuple[date, int, int, list[PersonalPractice]]

# BAMBA: supervision for a new teacher's eight-week course, retreat days a year (at least half
# of the waking time in silence), hours of teacher training over at least twelve months.
COURSE_SUPERVISION_MINUTES = 3 * 60
RETREAT_DAYS = 5
SILENCE_PERCENT = 50
TRAINING_HOURS = 120
TRAINING_MONTHS = 12
TRAINING_RETREAT_DAYS = 5
# NES: trainers and supervisors have taught nine courses, five with patients or their own
# client group; daily practice of at least 20 minutes on four days a week (ideally 30 on six).
TRAINER_COURSES = 9
TRAINER_CLINICAL = 5
PRACTICE_DAY_MINUTES = 20
PRACTICE_DAYS = 4
IDEAL_DAY_MINUTES = 30
IDEAL_DAYS = 6
# Supervision that is no mindfulness-based supervision: line management; peer supervision
# "compliments regular supervision and does not replace it" (BAMBA).
NOT_SUPERVISION = frozenset({SupervisionType.MANAGEMENT, SupervisionType.PEER})
# Methods in which a more experienced teacher gives feedback on the teaching itself.
FEEDBACK_METHODS = frozenset(
    {
        SupervisionMethod.LIVE_OBSERVATION,
        SupervisionMethod.RECORDING_REVIEW,
        SupervisionMethod.CO_TEACHING_FEEDBACK,
    }
)
# How a line reads that the records cannot decide (its reason says why).
SHOWN = "Not judged"


@dataclass(frozen=True)
class Criterion:
    """One thing the guidance asks beside what is recorded: its status (None when the records
    cannot decide it) and the reason it reads as it does."""

    item: str
    asked: str
    recorded: str
    status: Status | None
    reason: str = ""
    # What a line the records cannot decide reads as instead of a status ("Not judged").
    head: str = ""


class MindfulnessTeacherRenderer(RequirementsSection, SignoffsSection, PathwaysSection):
    """The record a BAMBA listing or the Scottish NHS mindfulness pathway asks for."""

    key = "mindfulness"
    title = "Mindfulness-based teacher record"
    description = (
        "Courses taught (curriculum, role, share, population, patients or client group), "
        "supervision per course and while teaching, retreat days with silence share, personal "
        "practice, CPD, teacher training hours and pathway stage."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S(
            "summary",
            "Summary",
            frozenset({K.COURSE, K.SUPERVISION, K.PERSONAL_PRACTICE, K.PATHWAY, K.MILESTONE}),
        ),
        S("courses", "Courses taught", frozenset({K.COURSE, K.SUPERVISION, K.ATTACHMENT})),
        S("course_supervision", "Supervision per course", frozenset({K.COURSE, K.SUPERVISION})),
        S("retreats", "Retreats", frozenset({K.PERSONAL_PRACTICE})),
        S("personal_practice", "Personal practice", frozenset({K.PERSONAL_PRACTICE})),
        S("cpd", "Continuing professional development", frozenset({K.CPD})),
        S(
            "criteria",
            "Training, background and pathway criteria",
            frozenset(
                {
                    K.COURSE,
                    K.SUPERVISION,
                    K.PERSONAL_PRACTICE,
                    K.PATHWAY,
                    K.MILESTONE,
                    K.PRACTICE,
                }
            ),
        ),
        S("pathways", "Pathway stage and milestones", frozenset({K.PATHWAY, K.MILESTONE})),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "summary": (K.COURSE, K.SUPERVISION, K.PERSONAL_PRACTICE, K.MILESTONE),
        "courses": (K.COURSE,),
        "course_supervision": (K.SUPERVISION,),
        "retreats": (K.PERSONAL_PRACTICE,),
        "personal_practice": (K.PERSONAL_PRACTICE,),
        "cpd": (K.CPD,),
        "pathways": (K.MILESTONE,),
    }

    pack_words = ("bamba", "mindful", "mbct")

    # --- selections --------------------------------------------------------------------------

    def listed(self, data: PortfolioData) -> list[cells.Listed]:
        """The entries the record lists, its supervision named for the courses it is for."""
        return [
            cells.Listed("Supervision for courses", g.kind, g.records)
            if g.kind is K.SUPERVISION
            else g
            for g in super().listed(data)
        ]

    def entries(self, data: PortfolioData, kind: RecordKind) -> Sequence[Record]:
        """The entries the record lists: of supervision, only that received for a course."""
        if kind is K.SUPERVISION:
            return [s for sessions in self.course_supervision(data).values() for s in sessions]
        return super().entries(data, kind)

    def courses(self, data: PortfolioData) -> list[TeachingCourse]:
        """The mindfulness-based courses taught in the period, oldest first."""
        return data.typed(K.COURSE, TeachingCourse)

    def courses_to_date(self, data: PortfolioData) -> list[TeachingCourse]:
        """Every course taught up to the end of the period, oldest first: the pathway's stages
        count every course ever taught, not only the period's."""
        every = [
            c
            for c in data.courses.values()
            if isinstance(c, TeachingCourse) and c.start_date <= data.end
        ]
        return sorted(every or self.courses(data), key=lambda c: (c.start_date, c.title))

    def course_supervision(self, data: PortfolioData) -> dict[str, list[SupervisionSession]]:
        """Supervision received for each course, by the course's uid (sessions not linked to a
        course are left out)."""
        found: dict[str, list[SupervisionSession]] = defaultdict(list)
        for session in cells.received(data):
            if session.course_uid:
                found[session.course_uid].append(session)
        return found

    def supervision(self, data: PortfolioData) -> list[SupervisionSession]:
        """Mindfulness-based supervision received in the period, whatever it was linked to
        (line management and peer supervision left out)."""
        return [s for s in cells.received(data) if s.supervision_type not in NOT_SUPERVISION]

    def retreats(self, data: PortfolioData) -> list[PersonalPractice]:
        """The retreats attended in the period."""
        practice = data.typed(K.PERSONAL_PRACTICE, PersonalPractice)
        return [r for r in practice if r.practice_kind == "retreat"]

    def daily(self, data: PortfolioData) -> list[PersonalPractice]:
        """Personal practice other than retreats (the practitioner's own regular practice)."""
        practice = data.typed(K.PERSONAL_PRACTICE, PersonalPractice)
        return [r for r in practice if r.practice_kind != "retreat"]

    def retreat_years(self, data: PortfolioData) -> list[RetreatYear]:
        """Retreat days that count, and the days of them in silence, in each year (by the year
        a retreat started)."""
        days: dict[int, float] = defaultdict(float)
        silent: dict[int, float] = defaultdict(float)
        for retreat in self.retreats(data):
            if retreat_counts(retreat):
                days[retreat.start_date.year] += retreat.days
                silent[retreat.start_date.year] += retreat.days * retreat.silence_percent / 100
        return [(year, days[year], silent[year]) for year in sorted(days)]

    # --- summary -----------------------------------------------------------------------------

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The teaching record at a glance: headline figures and a chart of retreat days."""
        story: list[Flowable] = [
            self.para(
                f"The teaching record between {t.day(data.start)} and {t.day(data.end)}: "
                "courses taught with the supervision received for each, retreats and personal "
                "practice, and progress along the training pathway. Courses taught to date and "
                "the pathway cover the whole record."
            ),
            self.gap(3 * mm),
            figures_table(["", "Recorded"], self.summary_rows(data), [45, 55], self.styles),
            self.gap(4 * mm),
            *self.coverage_box(data),
        ]
        years = self.retreat_years(data)
        if years:
            story.append(KeepTogether([self.retreat_chart(years)]))
        return story

    def summary_rows(self, data: PortfolioData) -> list[list[str]]:
        """The summary's figures: courses, supervision, retreats, practice, training hours and
        pathway stage."""
        courses = self.courses(data)
        led = sum(1 for c in courses if c.role == "lead")
        clinical = sum(1 for c in courses if c.clinical_population)
        to_date = self.courses_to_date(data)
        done = [c for c in to_date if completed(c, data.end)]
        supervision = self.course_supervision(data)
        course_minutes = sum(cells.minutes_total(s) for s in supervision.values())
        sessions = self.supervision(data)
        counted = [r for r in self.retreats(data) if retreat_counts(r)]
        retreat_days = sum(r.days for r in counted)
        silent_days = sum(r.days * r.silence_percent / 100 for r in counted)
        daily = self.daily(data)
        practice_minutes = sum(r.duration_minutes for r in daily)
        milestones = sorted(
            data.typed(K.MILESTONE, Milestone), key=lambda m: (m.pathway_uid, m.sequence)
        )
        return [
            [
                "Courses taught",
                f"{len(courses)} ({led} as lead teacher, {clinical} with patients or the "
                "client group)",
            ],
            [
                "Courses taught to date",
                f"{len(to_date)} ({len(done)} completed, "
                f"{sum(1 for c in done if c.clinical_population)} of them with patients or the "
                "client group)",
            ],
            ["Supervision for these courses", f"{t.hours_text(course_minutes)} h"],
            [
                "Mindfulness-based supervision",
                f"{len(sessions)} sessions, {t.hours_text(cells.minutes_total(sessions))} h",
            ],
            ["Retreat days", f"{retreat_days:g} days, of which {silent_days:.1f} in silence"],
            ["Personal practice", f"{t.hours_text(practice_minutes)} h over {len(daily)} sessions"],
            ["Teacher training", training_text(data)],
            ["Pathway stage", cells.current_stage(milestones) or "Not recorded"],
        ]

    def retreat_chart(self, years: list[RetreatYear]) -> Flowable:
        """A bar chart of retreat days per year."""
        return charts.totals_bar_chart(
            [str(y) for y, _, _ in years],
            [days for _, days, _ in years],
            FRAME_WIDTH,
            30 + 18 * len(years),
            title="Retreat days per year",
            unit="days",
        )

    # --- courses -----------------------------------------------------------------------------

    def section_courses(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each course taught in the period: curriculum, role and share, co-teacher,
        population and whether it was taught to patients or the client group, sessions,
        participants and the supervision received for it; then every course taught to date,
        against the Scottish NHS pathway's nine for a trainer."""
        supervision = self.course_supervision(data)
        courses = self.courses(data)
        files = cells.attachments_by_owner(data)

        def supervision_hours(course: TeachingCourse) -> str:
            return t.hours_text(cells.minutes_total(supervision.get(course.uid, [])))

        def course_text(course: TeachingCourse) -> str:
            agreements = [
                f"Attached: {cells.attachment_name(a, PEOPLE)}" for a in files.get(course.uid, [])
            ]
            where = data.organisation_name(course.organisation_uid)
            return t.join([course.title, course.curriculum.label, where, *agreements], "\n")

        def role_text(course: TeachingCourse) -> str:
            return t.join([cells.course_role_text(course), co_teacher_text(course, data)], "\n")

        def sessions_text(course: TeachingCourse) -> str:
            running = "" if completed(course, data.end) else "\nrunning"
            return f"{cells.course_sessions_text(course)}{running}\n{course.participants} part."

        story = self.signed_lead(
            data,
            f"{counted(len(courses), 'courses')}, {t.period_text(data.period)}.",
            "Sessions: delivered of planned, and the participants (part.).",
            cells.Listed("Courses", K.COURSE, courses),
        )
        story += self.log_table(
            [
                Column("Dates", 50, lambda c: course_dates(c)),
                Column("Course", 92, course_text),
                Column("Role and share", 74, role_text),
                Column("Population", 88, lambda c: population_text(c)),
                Column("Sessions", 40, sessions_text, "RIGHT"),
                Column("Supervision (h)", 42, supervision_hours, "RIGHT"),
                self.signoff_column(data),
            ],
            courses,
        )
        return story + self.courses_to_date_block(data)

    def courses_to_date_block(self, data: PortfolioData) -> list[Flowable]:
        """Every course taught to date, with the curricula taught and the trainer's count of
        the Scottish NHS pathway."""
        every = self.courses_to_date(data)
        done = [c for c in every if completed(c, data.end)]
        curricula = Counter(c.curriculum.label for c in done)
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(curricula.items()))
        trainer = trainer_criterion(every, data.end)
        return [
            *self.h2("Every course taught to date", "courses_to_date", contents=False),
            self.markup(
                escape(
                    f"{counted(len(every), 'courses')}, {len(done)} completed; curricula of "
                    f"completed courses: {listed or 'none'}. {trainer.recorded}: "
                )
                + self.verdict_words(trainer),
                "small",
            ),
            self.gap(2 * mm),
            *self.log_table(
                [
                    Column("Dates", 58, course_dates),
                    Column("Course", 96, lambda c: c.title),
                    Column("Curriculum", 46, lambda c: c.curriculum.label),
                    Column("Role", 56, lambda c: c.role.label),
                    Column("Population", 110, lambda c: c.population),
                    Column("Patients or client group", 56, lambda c: yes_no(c.clinical_population)),
                    Column(
                        "Completed",
                        46,
                        lambda c: "Yes" if completed(c, data.end) else "Running",
                    ),
                ],
                every,
                empty="No course is recorded.",
            ),
        ]

    def section_course_supervision(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The supervision received for each course, course by course, to set against BAMBA's
        three hours per eight-week course; then mindfulness-based supervision month by month
        while teaching and year by year, and a box for each supervisor to confirm it."""
        supervision = self.course_supervision(data)
        story: list[Flowable] = [
            self.para(
                "Supervision received for each course (BAMBA asks new teachers for at least "
                "three hours per eight-week course). Methods show how the teaching was seen: "
                "a recording reviewed, live observation, co-teaching with feedback.",
                "muted",
            ),
            *self.coverage(data, *(g for g in self.listed(data) if g.kind is K.SUPERVISION)),
        ]
        courses = self.courses(data)
        if not courses:
            story.append(self.para("No course is recorded in this period.", "muted"))
        for course in courses:
            story += self.one_course_supervision(course, supervision.get(course.uid, []), data)
        story += self.supervision_while_teaching(data)
        story += self.supervisor_boxes(data)
        return story

    def one_course_supervision(
        self, course: TeachingCourse, sessions: list[SupervisionSession], data: PortfolioData
    ) -> list[Flowable]:
        """One course's heading with its session count and hours, whether it reaches BAMBA's
        three hours, then its sessions."""
        minutes = cells.minutes_total(sessions)
        heading = (
            f"{course.title} ({t.day_range(course.start_date, course.end_date)}): "
            f"{counted(len(sessions), 'sessions')}, {t.hours_text(minutes)} h"
        )
        if minutes >= COURSE_SUPERVISION_MINUTES:
            verdict = judged(Status.MET)
        elif not completed(course, data.end):
            verdict = judged(
                None,
                f"Course still running: {t.hours_text(COURSE_SUPERVISION_MINUTES - minutes)} h "
                "more by its end would meet it.",
            )
        else:
            verdict = judged(
                Status.NOT_YET_MET,
                f"{t.hours_text(COURSE_SUPERVISION_MINUTES - minutes)} h short of the three "
                "hours over the course.",
            )
        return [
            CondPageBreak(35 * mm),
            Paragraph(escape(heading), self.styles.h3),
            self.markup(f"Three hours over the course: {self.verdict_words(verdict)}", "small"),
            self.gap(1.5 * mm),
            *self.log_table(
                [
                    Column("Date", 50, lambda s: t.day(s.date)),
                    Column("Hours", 34, lambda s: t.hours_text(s.duration_minutes), "RIGHT"),
                    Column("Type and methods", 76, cells.supervision_type_text),
                    Column("Format", 56, cells.supervision_format_text),
                    Column("Supervisor", 84, lambda s: data.person_name(s.counterpart_uid)),
                    Column("Themes", 150, lambda s: "; ".join(s.themes)),
                    self.signoff_column(data),
                ],
                sessions,
                empty="No supervision is recorded for this course.",
            ),
        ]

    def supervision_while_teaching(self, data: PortfolioData) -> list[Flowable]:
        """Each month with a course running, against BAMBA's supervision at least monthly while
        teaching; then each year, against at least one meeting a year even when not teaching."""
        sessions = self.supervision(data)
        months = self.teaching_months(data)
        month_rows = []
        for month, running in months:
            found = [s for s in sessions if month.contains(s.date)]
            met = bool(found)
            if met:
                verdict = judged(Status.MET)
            elif month.end is not None and month.end > data.end:
                verdict = judged(None, "Month still running.")
            else:
                verdict = judged(
                    Status.NOT_YET_MET,
                    "No mindfulness-based supervision in a month with a course running.",
                )
            assert month.start is not None
            month_rows.append(
                [
                    self.cell(f"{month.start:%B %Y}"),
                    self.cell(", ".join(c.title for c in running)),
                    self.cell(f"{len(found)} ({t.hours_text(cells.minutes_total(found))} h)"),
                    self.markup(self.verdict_words(verdict), "cell"),
                ]
            )
        year_rows = []
        for year in range(data.start.year, data.end.year + 1):
            span = Period(max(data.start, date(year, 1, 1)), min(data.end, date(year, 12, 31)))
            found = [s for s in sessions if span.contains(s.date)]
            if found:
                verdict = judged(Status.MET)
            elif date(year, 12, 31) > data.end:
                verdict = judged(None, f"{year} is still running.")
            elif date(year, 1, 1) < data.start:
                verdict = judged(None, f"Part of {year} lies before this period: none in the rest.")
            else:
                verdict = judged(Status.NOT_YET_MET, f"No supervision recorded in {year}.")
            year_rows.append(
                [
                    self.cell(t.period_text(span)),
                    self.cell(f"{len(found)} ({t.hours_text(cells.minutes_total(found))} h)"),
                    self.markup(self.verdict_words(verdict), "cell"),
                ]
            )
        story: list[Flowable] = [
            *self.h2(
                "Mindfulness-based supervision while teaching",
                "supervision_monthly",
                contents=False,
            ),
            self.para(
                "BAMBA: once trained, and after two closely supervised courses, "
                "mindfulness-based supervision at least monthly during periods of "
                "mindfulness-based work, and at least one meeting with the supervisor each year "
                "even when not teaching. All supervision received counts here, linked to a "
                "course or not; line management and peer supervision (which complements "
                "supervision and does not replace it) do not.",
                "muted",
            ),
            self.gap(2 * mm),
        ]
        if month_rows:
            story.append(
                self.rich_table(
                    ["Month", "Courses running", "Sessions (hours)", "At least monthly"],
                    month_rows,
                    [18, 40, 16, 26],
                )
            )
        else:
            story.append(self.para("No course was running in this period.", "muted"))
        return [
            *story,
            self.gap(3 * mm),
            self.rich_table(
                ["Year (in this period)", "Sessions (hours)", "At least once a year"],
                year_rows,
                [34, 20, 46],
            ),
        ]

    def teaching_months(self, data: PortfolioData) -> list[tuple[Period, list[TeachingCourse]]]:
        """The months of the period with a course running, each with the courses."""
        found: dict[date, list[TeachingCourse]] = defaultdict(list)
        for course in self.courses_to_date(data):
            last = min(course.end_date or data.end, data.end)
            month = max(course.start_date, data.start).replace(day=1)
            while month <= last:
                found[month].append(course)
                month = add_months(month, 1)
        return [(month_of(first), running) for first, running in sorted(found.items())]

    def supervisor_boxes(self, data: PortfolioData) -> list[Flowable]:
        """A box for each supervisor of the courses' supervision to confirm it on paper."""
        by_supervisor: dict[str, list[SupervisionSession]] = defaultdict(list)
        for sessions in self.course_supervision(data).values():
            for session in sessions:
                if session.counterpart_uid:
                    by_supervisor[session.counterpart_uid].append(session)
        if not by_supervisor:
            return []
        story: list[Flowable] = [
            *self.h2("Supervisor's confirmation", "supervisor_confirmation", contents=False),
            self.para(
                "Each supervisor confirms that the supervision listed above for the courses "
                "took place as recorded. Entries signed in the app are listed in the sign-off "
                "evidence.",
                "muted",
            ),
            self.gap(2 * mm),
        ]
        for uid in sorted(by_supervisor, key=data.person_name):
            person = data.people.get(uid)
            sessions = by_supervisor[uid]
            titles = dict.fromkeys(
                getattr(data.courses.get(s.course_uid or ""), "title", "") for s in sessions
            )
            box = self.form_box(
                [
                    ("Supervisor", data.person_name(uid)),
                    (
                        "Organisation",
                        data.organisation_name(person.organisation_uid) if person else "",
                    ),
                    ("Period", t.period_text(data.period)),
                    ("Courses supervised", "; ".join(title for title in titles if title)),
                    ("Signature", ""),
                    ("Date", ""),
                ]
            )
            story += [KeepTogether([box]), self.gap(5 * mm)]
        return story

    # --- retreats and personal practice ------------------------------------------------------

    def section_retreats(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Retreat days and days in silence per year, against BAMBA's five a year, then each
        retreat with whether it counts."""
        years = self.retreat_years(data)
        story: list[Flowable] = [
            self.para(
                "Retreat days with the share spent in silence (BAMBA asks for five retreat days "
                "a year, in periods of silence for at least 50 % of the waking time; they may be "
                "split or online, and are led by a qualified teacher). An un-guided solitary "
                "retreat counts only when it was agreed in discussion with the supervisor.",
                "muted",
            ),
            *self.coverage(
                data, cells.Listed("Retreats", K.PERSONAL_PRACTICE, self.retreats(data))
            ),
            self.gap(2.5 * mm),
        ]
        rows = self.retreat_year_rows(data)
        if rows:
            story += [
                self.rich_table(
                    ["Year", "Retreat days counted", "Days in silence", "Five days a year"],
                    rows,
                    [16, 22, 20, 42],
                ),
                self.gap(4 * mm),
            ]
        elif not years:
            story.append(self.para("No retreat days count in this period.", "muted"))
        return story + self.log_table(
            [
                Column("Dates", 62, lambda r: t.day_range(r.start_date, r.end_date)),
                Column(
                    "Retreat",
                    130,
                    lambda r: t.join([r.title or "Retreat", r.notes], "\n"),
                ),
                Column("Mode", 50, lambda r: r.mode.label),
                Column("Days", 30, lambda r: f"{r.days:g}", "RIGHT"),
                Column("Silence", 40, lambda r: f"{r.silence_percent} %", "RIGHT"),
                Column("Led by", 70, led_text),
                Column("Counts", 70, counts_text),
                self.signoff_column(data),
            ],
            self.retreats(data),
            empty="No retreat is recorded in this period.",
        )

    def retreat_year_rows(self, data: PortfolioData) -> list[list[Flowable]]:
        """Each calendar year of the period: retreat days that count, the days in silence,
        and whether the five a year are reached (with why not)."""
        counted = {year: (days, silent) for year, days, silent in self.retreat_years(data)}
        rows = []
        for year in range(data.start.year, data.end.year + 1):
            days, silent = counted.get(year, (0.0, 0.0))
            if days >= RETREAT_DAYS:
                verdict = judged(Status.MET)
            elif date(year, 12, 31) > data.end:
                verdict = judged(
                    None,
                    f"{year} is still running: {RETREAT_DAYS - days:g} more days by 31 Dec.",
                )
            elif date(year, 1, 1) < data.start:
                verdict = judged(
                    None,
                    f"Part of {year} lies before this period; {days:g} days in the rest.",
                )
            else:
                verdict = judged(
                    Status.NOT_YET_MET,
                    f"{days:g} days counted; {RETREAT_DAYS - days:g} more were needed.",
                )
            rows.append(
                [
                    self.cell(str(year)),
                    self.cell(f"{days:g}"),
                    self.cell(f"{silent:.1f}"),
                    self.markup(self.verdict_words(verdict), "cell"),
                ]
            )
        return rows

    def practice_months(self, data: PortfolioData) -> list[PracticeMonth]:
        """Regular personal practice month by month (retreats left out), oldest first."""
        months: dict[date, list[PersonalPractice]] = defaultdict(list)
        for session in self.daily(data):
            months[session.start_date.replace(day=1)].append(session)
        return [
            (
                month,
                len({s.start_date for s in sessions}),
                sum(s.duration_minutes for s in sessions),
                sessions,
            )
            for month, sessions in sorted(months.items())
        ]

    def section_personal_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Personal practice month by month: sessions, days practised and time, and the weeks
        that reach the Scottish NHS pathway's minimum."""
        rows = self.practice_months(data)
        total_minutes = sum(r[2] for r in rows)
        index = self.signoffs(data)
        weeks = practice_weeks(self.daily(data), data.period)
        story = self.signed_lead(
            data,
            f"{sum(len(r[3]) for r in rows)} practice sessions, "
            f"{t.hours_text(total_minutes)} hours.",
            "Month by month: the days with practice and the time practised, and the weeks "
            "(Monday to Sunday, counted in the month they start, once ended) with at least 20 "
            "minutes on four days, the Scottish NHS pathway's minimum (its ideal is 30 minutes "
            "on six days a week).",
            cells.Listed("Personal practice", K.PERSONAL_PRACTICE, self.daily(data)),
        )

        def weeks_text(row: PracticeMonth) -> str:
            mine = [w for w in weeks if w.ended and w.start.replace(day=1) == row[0]]
            return f"{sum(1 for w in mine if w.minimum)} of {len(mine)}"

        return story + self.log_table(
            [
                Column("Month", 80, lambda r: f"{r[0]:%B %Y}"),
                Column("Sessions", 50, lambda r: str(len(r[3])), "RIGHT"),
                Column("Days practised", 60, lambda r: str(r[1]), "RIGHT"),
                Column("Hours", 50, lambda r: t.hours_text(r[2]), "RIGHT"),
                Column(
                    "Average per practice day",
                    70,
                    lambda r: f"{r[2] / max(1, r[1]):.0f} min",
                    "RIGHT",
                ),
                Column("Weeks at the minimum", 70, weeks_text, "RIGHT"),
                Column("Signed", 50, lambda r: cells.signed_share_text(r[3], index), "RIGHT"),
            ],
            rows,
            empty="No personal practice is recorded in this period.",
        )

    # --- CPD ---------------------------------------------------------------------------------

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The CPD log beside the teaching: workshops, training and the like, with hours."""
        cpd = data.typed(K.CPD, CpdActivity)
        total = sum(minutes_of(r) for r in cpd)
        story = self.signed_lead(
            data,
            f"{len(cpd)} CPD activities, {t.hours_text(total)} hours.",
            "Good practice guidelines ask teachers to keep up their learning alongside their "
            "teaching and personal practice: further training, contact with other teachers, "
            "keeping up with the evidence.",
            cells.Listed("CPD", K.CPD, cpd),
        )
        columns = [
            Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
            Column("Activity", 110, lambda r: t.join([r.title, r.provider], "\n")),
            Column("Type", 60, lambda r: r.cpd_type.label),
            Column("Hours", 36, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
            Column(
                "Learning outcomes",
                150,
                lambda r: t.join([r.learning_outcomes, cells.reflection_text(r)], "\n"),
                max_lines=12,
            ),
            self.signoff_column(data),
        ]
        return story + self.log_table(columns, cpd, empty="No CPD is recorded in this period.")

    # --- criteria ----------------------------------------------------------------------------

    def section_criteria(self, data: PortfolioData, number: str) -> list[Flowable]:
        """What BAMBA's good practice guidelines (A training, B background) and the Scottish
        NHS pathway ask, beside what is recorded, with the reason behind each shortfall."""
        story: list[Flowable] = [
            self.para(
                "Each item of BAMBA's Good Practice Guidelines (A: teacher training; B: "
                "background) and of the Scottish NHS Mindfulness Network pathway, beside what "
                "the records hold. Courses and the pathway count the whole record; practice, "
                "retreats and supervision count this period. Ongoing good practice (C) is in "
                "the sections above.",
                "muted",
            ),
            self.gap(2 * mm),
        ]
        groups = (
            ("BAMBA A: mindfulness-based teacher training", self.training_criteria(data)),
            ("BAMBA B: background", self.background_criteria(data)),
            ("Scottish NHS Mindfulness Network pathway", self.pathway_criteria(data)),
        )
        for index, (title, rows) in enumerate(groups, 1):
            story += [
                *self.h2(f"{number}{index}  {title}", f"criteria_{index}"),
                self.criteria_table(rows),
                self.gap(4 * mm),
            ]
        return story

    def criteria_table(self, rows: Sequence[Criterion]) -> Table:
        """Items, what each asks, what is recorded and its status with the reason."""
        return self.rich_table(
            ["Item", "What is asked", "Recorded", "Status"],
            [
                [
                    self.cell(row.item, "bold"),
                    self.cell(row.asked),
                    self.cell(row.recorded),
                    self.markup(self.verdict_words(row), "cell"),
                ]
                for row in rows
            ],
            [19, 29, 28, 24],
        )

    def training_criteria(self, data: PortfolioData) -> list[Criterion]:
        """BAMBA A: the course taken as a participant, daily practice, the training retreat,
        the training programme's hours, teaching under supervision, formative feedback and the
        programmes taught."""
        milestones = data.typed(K.MILESTONE, Milestone)
        every = self.courses_to_date(data)
        done = [c for c in every if completed(c, data.end)]
        participant = next(
            (m for m in milestones if is_participant(m) and m.status == "complete"), None
        )
        retreat = next(
            (r for r in self.retreats(data) if r.teacher_led and r.days >= TRAINING_RETREAT_DAYS),
            None,
        )
        retreat_step = next(
            (m for m in milestones if "retreat" in m.title.casefold() and m.status == "complete"),
            None,
        )
        supervised = [c for c in every if c.role in (TeachingRole.TRAINEE, TeachingRole.CO_TEACHER)]
        linked = [s for found in self.course_supervision(data).values() for s in found]
        assessed = [m for m in milestones if m.assessor_uid and m.status == "complete"]
        assessors = dict.fromkeys(data.person_name(m.assessor_uid) for m in assessed)
        seen = [s for s in self.supervision(data) if FEEDBACK_METHODS & set(s.methods)]
        curricula = Counter(c.curriculum.label for c in done)
        return [
            Criterion(
                "8-week course as participant",
                "Completion of an eight week, group-based, teacher-led mindfulness-based course "
                "as a participant.",
                f"{participant.title}, completed {t.day(participant.completed_on)}"
                if participant
                else "No completed milestone for it",
                Status.MET if participant else Status.NOT_YET_MET,
                ""
                if participant
                else "Record the course as a completed pathway milestone (or a conversion "
                "route “8-week course as participant”).",
            ),
            self.daily_practice_criterion(data, "Daily formal practice"),
            Criterion(
                "Teacher-led retreat of at least five days",
                "A teacher-led mindfulness retreat of at least five days, during training.",
                t.join(
                    [
                        f"{retreat.title or 'Retreat'}, "
                        f"{t.day_range(retreat.start_date, retreat.end_date)}"
                        if retreat
                        else "",
                        f"{retreat_step.title}, completed {t.day(retreat_step.completed_on)}"
                        if retreat_step
                        else "",
                    ],
                    "; ",
                )
                or "None in this period, and no completed retreat milestone",
                Status.MET if retreat or retreat_step else Status.NOT_YET_MET,
                ""
                if retreat or retreat_step
                else "No teacher-led retreat of five days or more is recorded in this period, "
                "nor a completed pathway milestone for one.",
            ),
            *self.training_hours_criteria(data),
            Criterion(
                "Practising teaching under supervision",
                "Closely supervised courses while training (with two teachers, the first "
                "co-run with a mentor).",
                f"{counted(len(supervised), 'courses')} as trainee or co-teacher to date; "
                f"{counted(len(linked), 'supervision sessions')} linked to courses in this period",
                Status.MET if supervised else Status.NOT_YET_MET,
                "" if supervised else "No course is recorded with the role trainee or co-teacher.",
            ),
            Criterion(
                "Formative feedback from more experienced teachers",
                "Feedback on the teaching from more experienced teachers.",
                t.join(
                    [
                        f"{counted(len(assessed), 'milestones')} assessed ({', '.join(assessors)})"
                        if assessed
                        else "",
                        f"{counted(len(seen), 'supervision sessions')} in this period with a "
                        "recording reviewed, live observation or co-teaching feedback",
                    ],
                    "; ",
                ),
                Status.MET if assessed or seen else Status.NOT_YET_MET,
                ""
                if assessed or seen
                else "No milestone names an assessor, and no supervision in this period "
                "reviewed a recording, observed the teaching or gave co-teaching feedback.",
            ),
            Criterion(
                "Listed programme(s)",
                "The mindfulness-based programmes taught (MBCT, MBSR …).",
                ", ".join(f"{name} ({count})" for name, count in sorted(curricula.items()))
                or "No completed course",
                Status.MET if done else Status.NOT_YET_MET,
                "" if done else "No course taught to its end is recorded.",
            ),
        ]

    def training_hours_criteria(self, data: PortfolioData) -> list[Criterion]:
        """The teacher training of each training pathway: at least 120 hours (personal
        practice and retreat apart) over at least twelve months."""
        pathways = [
            p for p in data.typed(K.PATHWAY, Pathway) if p.pathway_kind is PathwayKind.TRAINING
        ]
        asked = (
            "At least 120 hours of training (excluding personal practice and retreat) over at "
            "least 12 months."
        )
        if not pathways:
            return [
                Criterion(
                    "Training programme",
                    asked,
                    "No training pathway recorded",
                    Status.NOT_YET_MET,
                    "Record the training programme as a pathway, with its hours.",
                )
            ]
        rows = []
        for pathway in pathways:
            hours = pathway.training_hours
            ended = pathway.completed_on or data.end
            months = months_between(pathway.started_on, ended) if pathway.started_on else 0
            reasons = []
            if hours is None:
                reasons.append("The training hours are not recorded on the pathway.")
            elif hours < TRAINING_HOURS:
                reasons.append(f"{TRAINING_HOURS - hours:g} hours more are needed.")
            if pathway.started_on is None:
                reasons.append("The pathway's start is not recorded.")
            elif months < TRAINING_MONTHS:
                reasons.append(f"It has run {months} months of the twelve.")
            rows.append(
                Criterion(
                    f"Training programme: {pathway.title}",
                    asked,
                    t.join(
                        [
                            f"{hours:g} hours" if hours is not None else "Hours not recorded",
                            f"started {t.day(pathway.started_on)}" if pathway.started_on else "",
                            f"completed {t.day(pathway.completed_on)}"
                            if pathway.completed_on
                            else "",
                            f"{months} months" if pathway.started_on else "",
                        ]
                    ),
                    Status.NOT_YET_MET if reasons else Status.MET,
                    " ".join(reasons),
                )
            )
        return rows

    def daily_practice_criterion(self, data: PortfolioData, item: str) -> Criterion:
        """The weeks of the period with at least 20 minutes of practice on four days."""
        weeks = [w for w in practice_weeks(self.daily(data), data.period) if w.ended]
        short = [w for w in weeks if not w.minimum]
        ideal = sum(1 for w in weeks if w.ideal)
        return Criterion(
            item,
            "A daily, personal, formal practice (NES: at least 20 minutes on four days a week, "
            "ideally 30 minutes on six).",
            f"{len(weeks) - len(short)} of {len(weeks)} whole weeks at the minimum, {ideal} at "
            "the ideal",
            Status.MET if weeks and not short else Status.NOT_YET_MET,
            ""
            if weeks and not short
            else "No whole week of this period is recorded."
            if not weeks
            else f"{len(short)} weeks had fewer than four days of 20 minutes or more (see "
            "Personal practice).",
        )

    def background_criteria(self, data: PortfolioData) -> list[Criterion]:
        """BAMBA B: a professional qualification, knowledge of the populations taught, the
        ethical framework of the teacher's professional background."""
        profile = data.profile
        registrations = "; ".join(t.registration_text(r) for r in profile.registrations)
        latest = sorted(profile.roles, key=lambda r: r.start)[-1:] or []
        populations = dict.fromkeys(
            c.population for c in self.courses_to_date(data) if c.population
        )
        bodies = dict.fromkeys(r.body for r in profile.registrations)
        return [
            Criterion(
                "Professional qualification",
                "A professional qualification in mental or physical health care, education or "
                "social care, or equivalent life experience.",
                t.join([registrations, *(f"Role: {r.title}" for r in latest)], "; ")
                or "No registration or role in the profile",
                Status.MET if profile.registrations else Status.NOT_YET_MET,
                ""
                if profile.registrations
                else "No professional registration is recorded in the profile; equivalent life "
                "experience is for the practitioner to describe.",
            ),
            Criterion(
                "Knowledge of the populations taught",
                "Knowledge of the populations taught (NES: only client groups the professional "
                "qualification covers; with two teachers, one qualified suffices).",
                t.join(
                    [
                        "Taught: " + "; ".join(populations) if populations else "",
                        "Client groups: " + "; ".join(profile.client_groups)
                        if profile.client_groups
                        else "",
                    ],
                    ". ",
                )
                or "No population recorded",
                None,
                "Whether the qualification covers each population is for the reader to judge.",
                "For the reader",
            ),
            Criterion(
                "Ethical framework",
                "The ethical framework of the teacher's professional background.",
                ", ".join(bodies) or "No registration in the profile",
                None,
                "The framework is the registering body's.",
                "Recorded",
            ),
        ]

    def pathway_criteria(self, data: PortfolioData) -> list[Criterion]:
        """The Scottish NHS pathway: the stage reached, the first course co-run with a mentor,
        the reflective log, the trainer's courses and residential training, the supervisor's
        own supervision, conversion training."""
        milestones = sorted(data.typed(K.MILESTONE, Milestone), key=lambda m: m.sequence)
        every = self.courses_to_date(data)
        first = next((c for c in every if c.role is TeachingRole.CO_TEACHER), None)
        given = [
            s
            for s in data.typed(K.SUPERVISION, SupervisionSession)
            if s.direction is Direction.GIVEN
        ]
        own = [
            s
            for s in cells.received(data)
            if s.supervision_type is SupervisionType.SUPERVISION_OF_SUPERVISION
        ]
        residential = [r for r in self.retreats(data) if r.mode is RetreatMode.RESIDENTIAL]
        conversions = [
            p for p in data.typed(K.PATHWAY, Pathway) if p.pathway_kind is PathwayKind.CONVERSION
        ]
        routes = [
            m
            for m in milestones
            if m.route is not None
            and m.status in ("complete", "waived")
            and any(m.pathway_uid == p.uid for p in conversions)
        ]
        stage = cells.current_stage(milestones)
        rows = [
            Criterion(
                "Stage reached",
                "Prospective therapist (teacher), therapist, trainer, supervisor, trainer of "
                "trainers.",
                stage or "No milestone completed or in progress",
                None,
                "The latest milestone completed, else the first in progress."
                if stage
                else "Record the pathway's milestones to show the stage.",
                "Recorded" if stage else "",
            ),
            Criterion(
                "First course co-run with a mentor",
                "“a new teacher should run a course jointly with a more experienced teacher, "
                "who will act as mentor”.",
                f"{first.title} ({course_dates(first).replace(chr(10), ' ')}), with "
                f"{data.person_name(first.co_teacher_uid) or 'co-teacher not named'}"
                if first
                else "No course recorded as co-teacher",
                Status.MET if first else Status.NOT_YET_MET,
                "" if first else "No course is recorded with the role co-teacher.",
            ),
            self.reflective_log_criterion(data),
            trainer_criterion(every, data.end),
            Criterion(
                "Residential training annually (trainers)",
                "Trainers attend residential training every year.",
                f"{counted(len(residential), 'residential retreats')} in this period",
                Status.MET if residential else None,
                ""
                if residential
                else "None in this period; this applies to trainers and supervisors.",
            ),
            Criterion(
                "Supervisors receive supervision on supervision",
                "Supervisors themselves receive supervision.",
                f"{counted(len(own), 'sessions')} of supervision of supervision; "
                f"{counted(len(given), 'sessions')} of "
                "supervision given in this period",
                None if not given else Status.MET if own else Status.NOT_YET_MET,
                "No supervision given in this period, so this does not apply."
                if not given
                else ""
                if own
                else "Supervision was given in this period but none was received on it.",
            ),
            Criterion(
                "Conversion training",
                "For teachers trained in another curriculum: an 8-week course, individual "
                "mentoring, NHS therapist training or helping to run a course with an "
                "established NHS therapist.",
                "; ".join(f"{m.title} ({m.route.label if m.route else ''})" for m in routes)
                or ("No route completed" if conversions else "No conversion plan recorded"),
                None if not conversions else Status.MET if routes else Status.NOT_YET_MET,
                ""
                if routes
                else "No route of the conversion plan is complete."
                if conversions
                else "Does not apply: no conversion plan is recorded.",
            ),
        ]
        return rows

    def reflective_log_criterion(self, data: PortfolioData) -> Criterion:
        """How many course sessions of the period have an entry in the reflective log, never
        what it says (NES: the log is "not seen by the mentor")."""
        sessions = [
            p
            for p in data.typed(K.PRACTICE, PracticeEntry)
            if p.course_uid and p.activity is PracticeActivity.COURSE_SESSION
        ]
        written = sum(1 for p in sessions if p.reflection)
        asked = (
            "Entries “after every session”, on a critical incident, and daily on personal "
            "practice for one month; “not seen by the mentor”, so only the count is printed."
        )
        if not data.include_private:
            shared = (
                f"{counted(written, 'shared entries')} on "
                f"{counted(len(sessions), 'course sessions')} in this period"
            )
            return Criterion(
                "Reflective log",
                asked,
                shared,
                None,
                "Entries kept private are counted only when the export includes private "
                "reflections; their text is never printed.",
            )
        return Criterion(
            "Reflective log",
            asked,
            f"{counted(written, 'entries')} on {counted(len(sessions), 'course sessions')} in this "
            "period",
            None,
            "The log is kept while learning to teach (the first course, co-run with a mentor); "
            "private entries are counted, never printed.",
            "Recorded",
        )

    # --- small parts -------------------------------------------------------------------------

    def cell(self, text: str, style: str = "") -> Paragraph:
        """A table cell of plain text, bold when ``style`` says so."""
        return Paragraph(
            escape(text), self.styles.cell_bold if style == "bold" else self.styles.cell
        )

    def verdict_words(self, row: Criterion) -> str:
        """A status in colour and its reason after it; for what the records cannot decide,
        the reason alone."""
        shown = f"<b>{escape(row.head or SHOWN)}</b>"
        head = shown if row.status is None else self.status_markup(row.status)
        return head + (f". {escape(row.reason)}" if row.reason else "")


# --- helpers -------------------------------------------------------------------------------------


def counted(count: int, noun: str) -> str:
    """A count with its noun in the right number ("1 session", "2 sessions")."""
    return f"{count} {noun if count != 1 else singular(noun)}"


def judged(status: Status | None, reason: str = "") -> Criterion:
    """A status with its reason, for a line that needs no item of its own."""
    return Criterion("", "", "", status, reason)


@dataclass(frozen=True)
class PracticeWeek:
    """A week of personal practice (Monday to Sunday): whether it reached the minimum and the
    ideal, and whether it had ended by the end of the period."""

    start: date
    minimum: bool
    ideal: bool
    ended: bool


def practice_weeks(sessions: Sequence[PersonalPractice], period: Period) -> list[PracticeWeek]:
    """The weeks that start in ``period``, with the days practised 20 and 30 minutes or more."""
    assert period.start is not None
    assert period.end is not None
    minutes: dict[date, int] = defaultdict(int)
    for session in sessions:
        minutes[session.start_date] += session.duration_minutes
    weeks = []
    monday = period.start + timedelta(days=(7 - period.start.weekday()) % 7)
    while monday <= period.end:
        days = [minutes.get(monday + timedelta(days=i), 0) for i in range(7)]
        weeks.append(
            PracticeWeek(
                monday,
                sum(1 for m in days if m >= PRACTICE_DAY_MINUTES) >= PRACTICE_DAYS,
                sum(1 for m in days if m >= IDEAL_DAY_MINUTES) >= IDEAL_DAYS,
                monday + timedelta(days=6) <= period.end,
            )
        )
        monday += timedelta(weeks=1)
    return weeks


def trainer_criterion(courses: Sequence[TeachingCourse], today: date) -> Criterion:
    """The courses taught to their end to date, against the trainer's nine with five for
    patients or the client group."""
    done = [c for c in courses if completed(c, today)]
    clinical = sum(1 for c in done if c.clinical_population)
    reasons = []
    if len(done) < TRAINER_COURSES:
        reasons.append(f"{counted(TRAINER_COURSES - len(done), 'more courses')}")
    if clinical < TRAINER_CLINICAL:
        reasons.append(f"{TRAINER_CLINICAL - clinical} more with patients or the client group")
    return Criterion(
        "Trainer: courses taught",
        "At least nine courses taught, at least five “with patients or the client group with "
        "whom they work”.",
        f"{counted(len(done), 'courses')} taught to date, {clinical} with patients or the client "
        "group",
        Status.NOT_YET_MET if reasons else Status.MET,
        f"{' and '.join(reasons).capitalize()} would meet it." if reasons else "",
    )


def training_text(data: PortfolioData) -> str:
    """The teacher training hours recorded on the training pathways, against BAMBA's 120."""
    pathways = [p for p in data.typed(K.PATHWAY, Pathway) if p.pathway_kind is PathwayKind.TRAINING]
    hours = [p.training_hours for p in pathways if p.training_hours is not None]
    if not hours:
        return "Training hours not recorded (BAMBA: at least 120)"
    return f"{sum(hours):g} hours of teacher training (BAMBA: at least 120)"


def completed(course: TeachingCourse, today: date) -> bool:
    """Whether a course had been taught to its end by ``today``."""
    if course.end_date is not None:
        return course.end_date <= today
    return course.sessions_delivered >= course.sessions_planned > 0


def course_dates(course: TeachingCourse) -> str:
    """A course's first and last day, on two lines."""
    if course.end_date and course.end_date != course.start_date:
        return f"{t.day(course.start_date)}\n– {t.day(course.end_date)}"
    return t.day(course.start_date)


def population_text(course: TeachingCourse) -> str:
    """The population taught, its setting, and whether it was a clinical population."""
    clinical = (
        "Patients or the client group" if course.clinical_population else "Not a clinical group"
    )
    return t.join([course.population, course.setting.label, clinical], "\n")


def co_teacher_text(course: TeachingCourse, data: PortfolioData) -> str:
    """The co-teacher, with their registration when known (NES: with two teachers, one
    professionally qualified suffices)."""
    if not course.co_teacher_uid:
        return ""
    person = data.people.get(course.co_teacher_uid)
    registration = (
        t.join([person.registration_body, person.registration_number], " ") if person else ""
    )
    name = data.person_name(course.co_teacher_uid)
    return f"with {name}" + (f" ({registration})" if registration else "")


def yes_no(flag: bool) -> str:
    """ "Yes" or "No"."""
    return "Yes" if flag else "No"


def retreat_counts(retreat: PersonalPractice) -> bool:
    """Whether a retreat counts towards BAMBA's retreat days: led by a teacher, or un-guided
    and agreed with the supervisor, with at least half the waking time in silence."""
    return (retreat.teacher_led or retreat.supervisor_agreed) and (
        retreat.silence_percent >= SILENCE_PERCENT
    )


def led_text(retreat: PersonalPractice) -> str:
    """Who led a retreat: a teacher, or no one (agreed with the supervisor or not)."""
    if retreat.teacher_led:
        return "Teacher-led"
    agreed = "agreed with supervisor" if retreat.supervisor_agreed else "not agreed with supervisor"
    return f"Un-guided, solitary; {agreed}"


def counts_text(retreat: PersonalPractice) -> str:
    """Whether a retreat counts towards the five days a year, and why not."""
    if retreat_counts(retreat):
        return "Yes"
    if not (retreat.teacher_led or retreat.supervisor_agreed):
        return "No: un-guided and not agreed with the supervisor"
    return f"No: silence under {SILENCE_PERCENT} %"


def is_participant(milestone: Milestone) -> bool:
    """Whether a milestone stands for the 8-week course taken as a participant."""
    if milestone.route is ConversionRoute.COURSE_PARTICIPANT:
        return True
    return bool(re.search(r"participant|8-week course as", milestone.title, re.IGNORECASE))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1
