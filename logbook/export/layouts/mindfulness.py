"""The mindfulness-based teacher record a BAMBA listing or the Scottish NHS pathway asks for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from logbook.domain.records import (
    Milestone,
    PersonalPractice,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
    minutes_of,
)
from logbook.export import cells, charts
from logbook.export import text as t
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import FRAME_WIDTH, Column, escape, figures_table
from logbook.export.layouts.log_columns import log_columns
from logbook.export.sections import PathwaysSection, RequirementsSection, SignoffsSection

K = RecordKind
S = SectionInfo

# A retreat year: the year, its retreat days and the days spent in silence.
RetreatYear = tuple[int, float, float]
# A month of personal practice: its first day, days practised, minutes and its sessions.
PracticeMonth = tuple[date, int, int, list[PersonalPractice]]


class MindfulnessTeacherRenderer(RequirementsSection, SignoffsSection, PathwaysSection):
    """The record a BAMBA listing or the Scottish NHS mindfulness pathway asks for."""

    key = "mindfulness"
    title = "Mindfulness-based teacher record"
    description = (
        "Courses taught (curriculum, role, share, population), supervision per course, retreat "
        "days with silence share, personal practice and pathway stage."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S(
            "summary",
            "Summary",
            frozenset({K.COURSE, K.SUPERVISION, K.PERSONAL_PRACTICE, K.PATHWAY, K.MILESTONE}),
        ),
        S("courses", "Courses taught", frozenset({K.COURSE, K.SUPERVISION})),
        S("course_supervision", "Supervision per course", frozenset({K.COURSE, K.SUPERVISION})),
        S("retreats", "Retreats", frozenset({K.PERSONAL_PRACTICE})),
        S("personal_practice", "Personal practice", frozenset({K.PERSONAL_PRACTICE})),
        S("cpd", "Continuing professional development", frozenset({K.CPD})),
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

    def course_supervision(self, data: PortfolioData) -> dict[str, list[SupervisionSession]]:
        """Supervision received for each course, by the course's uid (sessions not linked to a
        course are left out)."""
        found: dict[str, list[SupervisionSession]] = defaultdict(list)
        for session in cells.received(data):
            if session.course_uid:
                found[session.course_uid].append(session)
        return found

    def retreats(self, data: PortfolioData) -> list[PersonalPractice]:
        """The retreats attended in the period."""
        practice = data.typed(K.PERSONAL_PRACTICE, PersonalPractice)
        return [r for r in practice if r.practice_kind == "retreat"]

    def daily(self, data: PortfolioData) -> list[PersonalPractice]:
        """Personal practice other than retreats (the practitioner's own regular practice)."""
        practice = data.typed(K.PERSONAL_PRACTICE, PersonalPractice)
        return [r for r in practice if r.practice_kind != "retreat"]

    def retreat_years(self, data: PortfolioData) -> list[RetreatYear]:
        """Retreat days and days in silence in each year (by the year a retreat started)."""
        days: dict[int, float] = defaultdict(float)
        silent: dict[int, float] = defaultdict(float)
        for retreat in self.retreats(data):
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
                "practice, and progress along the training pathway."
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
        """The summary's figures: courses, their supervision, retreats, practice, pathway stage."""
        courses = self.courses(data)
        led = sum(1 for c in courses if c.role == "lead")
        supervision = self.course_supervision(data)
        course_minutes = sum(cells.minutes_total(s) for s in supervision.values())
        retreats = self.retreats(data)
        retreat_days = sum(r.days for r in retreats)
        silent_days = sum(r.days * r.silence_percent / 100 for r in retreats)
        daily = self.daily(data)
        practice_minutes = sum(r.duration_minutes for r in daily)
        milestones = sorted(
            data.typed(K.MILESTONE, Milestone), key=lambda m: (m.pathway_uid, m.sequence)
        )
        return [
            ["Courses taught", f"{len(courses)} ({led} as lead teacher)"],
            ["Supervision for these courses", f"{t.hours_text(course_minutes)} h"],
            ["Retreat days", f"{retreat_days:g} days, of which {silent_days:.1f} in silence"],
            ["Personal practice", f"{t.hours_text(practice_minutes)} h over {len(daily)} sessions"],
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
        """Each course taught: curriculum, role and share, population, sessions, participants,
        co-teacher and the supervision received for it."""
        supervision = self.course_supervision(data)
        courses = self.courses(data)

        def supervision_hours(course: TeachingCourse) -> str:
            return t.hours_text(cells.minutes_total(supervision.get(course.uid, [])))

        story = self.signed_lead(
            data,
            f"{len(courses)} courses, {t.period_text(data.period)}.",
            "",
            cells.Listed("Courses", K.COURSE, courses),
        )
        return story + self.log_table(
            [
                Column("Dates", 58, lambda c: t.day_range(c.start_date, c.end_date)),
                Column("Course", 88, lambda c: c.title, bold=True),
                Column("Curriculum", 48, lambda c: c.curriculum.label),
                Column("Role and share", 58, cells.course_role_text),
                Column("Population", 70, lambda c: t.join([c.population, c.setting.label], "\n")),
                Column("Sessions", 36, cells.course_sessions_text, "RIGHT"),
                Column("Participants", 36, lambda c: str(c.participants or ""), "RIGHT"),
                Column("Co-teacher", 56, lambda c: data.person_name(c.co_teacher_uid)),
                Column("Supervision (h)", 40, supervision_hours, "RIGHT"),
                self.signoff_column(data),
            ],
            courses,
        )

    def section_course_supervision(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The supervision received for each course, course by course, to set against BAMBA's
        three hours per eight-week course."""
        supervision = self.course_supervision(data)
        story: list[Flowable] = [
            self.para(
                "Supervision received for each course (BAMBA asks new teachers for at least "
                "three hours per eight-week course).",
                "muted",
            ),
            *self.coverage(data, *(g for g in self.listed(data) if g.kind is K.SUPERVISION)),
        ]
        courses = self.courses(data)
        if not courses:
            story.append(self.para("No course is recorded in this period.", "muted"))
        for course in courses:
            story += self.one_course_supervision(course, supervision.get(course.uid, []), data)
        return story

    def one_course_supervision(
        self, course: TeachingCourse, sessions: list[SupervisionSession], data: PortfolioData
    ) -> list[Flowable]:
        """One course's heading with its session count and hours, then its sessions."""
        heading = (
            f"{course.title} ({t.day_range(course.start_date, course.end_date)}): "
            f"{len(sessions)} sessions, {t.hours_text(cells.minutes_total(sessions))} h"
        )
        return [
            CondPageBreak(35 * mm),
            Paragraph(escape(heading), self.styles.h3),
            *self.log_table(
                [
                    Column("Date", 50, lambda s: t.day(s.date)),
                    Column("Hours", 34, lambda s: t.hours_text(s.duration_minutes), "RIGHT"),
                    Column("Type", 70, cells.supervision_type_text),
                    Column("Format", 60, cells.supervision_format_text),
                    Column("Supervisor", 90, lambda s: data.person_name(s.counterpart_uid)),
                    Column("Themes", 160, lambda s: "; ".join(s.themes)),
                    self.signoff_column(data),
                ],
                sessions,
                empty="No supervision is recorded for this course.",
            ),
        ]

    # --- retreats and personal practice ------------------------------------------------------

    def section_retreats(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Retreat days and days in silence per year, against BAMBA's five a year, then each
        retreat."""
        years = self.retreat_years(data)
        story: list[Flowable] = [
            self.para(
                "Retreat days with the share spent in silence (BAMBA asks for five retreat days "
                "a year, at least half in silence; they may be split or online).",
                "muted",
            ),
            *self.coverage(
                data, cells.Listed("Retreats", K.PERSONAL_PRACTICE, self.retreats(data))
            ),
            self.gap(2.5 * mm),
        ]
        if years:
            story += [
                figures_table(
                    ["Year", "Retreat days", "Days in silence"],
                    [[str(y), f"{d:g}", f"{s:.1f}"] for y, d, s in years],
                    [40, 30, 30],
                    self.styles,
                ),
                self.gap(4 * mm),
            ]
        return story + self.log_table(
            [
                Column("Dates", 64, lambda r: t.day_range(r.start_date, r.end_date)),
                Column("Retreat", 150, lambda r: r.title or "Retreat", bold=True),
                Column("Mode", 60, lambda r: r.mode.label),
                Column("Days", 34, lambda r: f"{r.days:g}", "RIGHT"),
                Column("Silence", 40, lambda r: f"{r.silence_percent} %", "RIGHT"),
                Column("Teacher-led", 48, lambda r: "Yes" if r.teacher_led else "No"),
                Column("Notes", 90, lambda r: r.notes),
                self.signoff_column(data),
            ],
            self.retreats(data),
            empty="No retreat is recorded in this period.",
        )

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
        """Personal practice month by month: sessions, days practised and time, to set against
        the Scottish NHS pathway's guidance."""
        rows = self.practice_months(data)
        total_minutes = sum(r[2] for r in rows)
        index = self.signoffs(data)
        story = self.signed_lead(
            data,
            f"{sum(len(r[3]) for r in rows)} practice sessions, "
            f"{t.hours_text(total_minutes)} hours.",
            "Month by month: the days with practice and the time practised (the Scottish "
            "NHS pathway's ideal is 30 minutes on six days a week; its minimum 20 minutes on "
            "four days a week).",
            cells.Listed("Personal practice", K.PERSONAL_PRACTICE, self.daily(data)),
        )
        return story + self.log_table(
            [
                Column("Month", 90, lambda r: f"{r[0]:%B %Y}"),
                Column("Sessions", 60, lambda r: str(len(r[3])), "RIGHT"),
                Column("Days practised", 70, lambda r: str(r[1]), "RIGHT"),
                Column("Hours", 60, lambda r: t.hours_text(r[2]), "RIGHT"),
                Column(
                    "Average per practice day",
                    90,
                    lambda r: f"{r[2] / max(1, r[1]):.0f} min",
                    "RIGHT",
                ),
                Column("Signed", 60, lambda r: cells.signed_share_text(r[3], index), "RIGHT"),
            ],
            rows,
            empty="No personal practice is recorded in this period.",
        )

    # --- CPD ---------------------------------------------------------------------------------

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The CPD log beside the teaching: workshops, training and the like, with hours."""
        cpd = data.of(K.CPD)
        index = self.signoffs(data)
        by_uid = {r.uid: r for r in cpd}
        total = sum(minutes_of(r) for r in cpd)
        story = self.signed_lead(
            data,
            f"{len(cpd)} CPD activities, {t.hours_text(total)} hours.",
            "Good practice guidelines ask teachers to keep up their learning alongside their "
            "teaching and personal practice.",
            cells.Listed("CPD", K.CPD, cpd),
        )
        columns = log_columns(K.CPD, data, lambda uid: cells.signoff_text(by_uid[uid], data, index))
        return story + self.log_table(columns, cpd, empty="No CPD is recorded in this period.")
