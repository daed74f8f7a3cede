"""The CPD profile an HCPC audit asks for: practice summary, statement material, dated list."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from logbook.domain.periods import add_months
from logbook.domain.records import CpdActivity, PracticeEntry, RecordKind, minutes_of
from logbook.export import cells
from logbook.export import text as t
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import WARNING, Column, escape, figures_table
from logbook.export.sections import RequirementsSection, SignoffsSection

K = RecordKind
S = SectionInfo

# The HCPC's standards for CPD, as the HCPC words them.
STANDARDS = (
    "1. Maintain a continuous, up-to-date and accurate record of their CPD activities",
    "2. Demonstrate that their CPD activities are a mixture of learning activities relevant to "
    "current or future practice",
    "3. Seek to ensure that their CPD has contributed to the quality of their practice and "
    "service delivery",
    "4. Seek to ensure that their CPD benefits the service user",
    "5. Upon request, present a written profile (which must be their own work and supported by "
    "evidence) explaining how they have met the standards for CPD",
)
# The HCPC's limit for the summary of practice history.
SUMMARY_WORDS = 500
# How a gap of three months or more stands out in the dated list.
GAP_STYLE: list[tuple[Any, ...]] = [("BACKGROUND", "#FBEDEA"), ("TEXTCOLOR", WARNING)]


@dataclass(frozen=True)
class ActivityLine:
    """A line of the dated list of CPD: an activity, or a gap the practitioner must explain."""

    dates: str
    activity: str
    learning_type: str = ""
    hours: str = ""
    outcome: str = ""
    gap: bool = False
    activity_record: CpdActivity | None = None


class HcpcCpdProfileRenderer(RequirementsSection, SignoffsSection):
    """The CPD profile an HCPC audit asks for."""

    key = "hcpc"
    title = "HCPC CPD profile"
    description = (
        "Summary of practice, material for the statement, and a dated chronological list of "
        "CPD with gaps of three months or more flagged."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S(
            "practice_summary",
            "Summary of practice history",
            frozenset({K.PRACTICE, K.SUPERVISION}),
            statement="Summary of practice history",
            words=SUMMARY_WORDS,
        ),
        S(
            "statement",
            "Personal statement: activities and their benefit",
            frozenset({K.CPD}),
            statement="Personal statement",
        ),
        S("standards", "How this profile meets the standards for CPD"),
        S("activities", "Dated list of CPD activities", frozenset({K.CPD})),
        S("learning_types", "Types of learning", frozenset({K.CPD})),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "practice_summary": (K.SUPERVISION, K.PRACTICE),
        "statement": (K.CPD,),
        "activities": (K.CPD,),
        "learning_types": (K.CPD,),
    }

    pack_words = ("hcpc",)

    needs_registration = ("HCPC", "your registration number")
    declaration_words = (
        "This profile is my own work and is supported by evidence. It explains how I have met "
        "the HCPC's standards for continuing professional development, and it holds nothing "
        "that identifies a service user."
    )

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        """The usual cover details, with the HCPC registration number and the profession
        (the latest role held) after the name."""
        pairs = super().cover_details(data)
        found = t.registration_for(data.profile, "HCPC")
        if found:
            pairs.insert(1, ("HCPC registration", found.number or t.DASH))
            profession = next(
                (r.title for r in reversed(t.roles_in(data.profile, data.period))), ""
            )
            if profession:
                pairs.insert(2, ("Profession", profession))
        return pairs

    # --- summary of recent work --------------------------------------------------------------

    def section_practice_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The summary of practice history in the practitioner's own words; until they write
        it, a draft from the records, marked as such so it is never taken for theirs."""
        written = self.written("practice_summary", data)
        if written:
            words = len(data.statements["practice_summary"].split())
            story: list[Flowable] = written
            note = f"{words} words (the HCPC allows up to {SUMMARY_WORDS})."
        else:
            draft = self.practice_summary(data)
            story = [
                self.notice(
                    "<b>Not yet written by the practitioner.</b> A draft from the records "
                    "follows, to rewrite in their own words (in the export window, or with "
                    "--statement practice_summary=FILE):<br/><br/>" + escape(draft),
                    warning=True,
                )
            ]
            note = f"The draft has {len(draft.split())} words (the HCPC allows {SUMMARY_WORDS})."
        return [
            *story,
            self.gap(2 * mm),
            self.para(note, "muted"),
            self.gap(3 * mm),
            *self.coverage_box(data),
        ]

    def statement_draft(self, key: str, data: PortfolioData) -> str:
        """Drafts of the summary of practice history and of the personal statement."""
        if key == "practice_summary":
            return self.practice_summary(data)
        if key == "statement":
            return "\n\n".join(activity_draft(a) for a in self.statement_activities(data))
        return ""

    def practice_summary(self, data: PortfolioData) -> str:
        """A first-person draft of the summary of practice history, from the roles and
        practice recorded, for the practitioner to rewrite."""
        profile = data.profile
        role_text = "; ".join(
            t.join([r.title, data.organisation_name(r.organisation_uid)], " at ")
            for r in t.roles_in(profile, data.period)
        )
        parts = [f"My roles in this period: {role_text}."] if role_text else []
        parts += self.practice_sentences(data)
        if profile.client_groups:
            parts.append("My work is with " + ", ".join(profile.client_groups) + ".")
        supervision = cells.minutes_total(cells.received(data))
        if supervision:
            parts.append(f"I received {t.hours_text(supervision)} hours of supervision.")
        return " ".join(parts)

    def practice_sentences(self, data: PortfolioData) -> list[str]:
        """Where and what the practice was (the busiest settings first), and for whom."""
        by_setting: Counter[str] = Counter()
        by_activity: Counter[str] = Counter()
        groups: Counter[str] = Counter()
        entries = data.typed(K.PRACTICE, PracticeEntry)
        for entry in entries:
            minutes = minutes_of(entry)
            by_setting[entry.setting.label.lower()] += minutes
            by_activity[entry.activity.label.lower()] += minutes
            if entry.client_group:
                groups[entry.client_group] += 1
        sentences = []
        if entries:
            settings = ", ".join(
                f"{name} ({minutes / 60:.0f} h)" for name, minutes in by_setting.most_common(4)
            )
            activities = ", ".join(name for name, _ in by_activity.most_common(4))
            sentences.append(
                f"Between {t.day(data.start)} and {t.day(data.end)} I recorded "
                f"{t.hours_text(data.total(K.PRACTICE).minutes)} hours of practice in "
                f"{settings}, mainly {activities}."
            )
        if groups:
            names = ", ".join(name for name, _ in groups.most_common(5))
            sentences.append(f"The people I worked with: {names}.")
        return sentences

    # --- statement ---------------------------------------------------------------------------

    def statement_activities(self, data: PortfolioData) -> list[CpdActivity]:
        """Activities with written outcomes, the richest first (four to six are asked for)."""
        rich = [
            r
            for r in data.typed(K.CPD, CpdActivity)
            if r.learning_outcomes or r.reflection or r.impact
        ]
        rich.sort(
            key=lambda r: (
                -(len(r.learning_outcomes) + len(r.reflection) + len(r.impact)),
                -r.duration_minutes,
            )
        )
        chosen = rich[:6]
        chosen.sort(key=lambda r: r.start_date)
        return chosen

    def section_statement(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The personal statement in the practitioner's own words when written, then what was
        recorded about the four to six activities with the fullest written outcomes (the
        material for it, or the evidence behind it)."""
        chosen = self.statement_activities(data)
        written = self.written("statement", data)
        story: list[Flowable] = []
        if written:
            words = len(data.statements["statement"].split())
            story += written
            story += [
                self.para(f"{words:,} words (the HCPC asks for about 1,500).", "muted"),
                self.gap(3 * mm),
                Paragraph("The activities it draws on, as recorded", self.styles.h3),
            ]
        else:
            story.append(
                self.notice(
                    "<b>The statement is not yet written by the practitioner.</b> The HCPC asks "
                    "for about 1,500 words on four to six activities, showing how they improved "
                    "the quality of your work and benefited service users. What you recorded "
                    "about the activities with the fullest written outcomes follows, as material "
                    "(write it in the export window, or with --statement statement=FILE).",
                    warning=True,
                )
            )
        story.append(self.gap(3 * mm))
        if not chosen:
            story.append(self.para("No CPD activity with written outcomes is recorded.", "muted"))
        story += self.coverage(data, cells.Listed("Activities chosen", K.CPD, chosen))
        for index, activity in enumerate(chosen, 1):
            story += self.statement_activity(index, activity, data)
        return story

    def statement_activity(
        self, index: int, activity: CpdActivity, data: PortfolioData
    ) -> list[Flowable]:
        """One numbered activity: its outcomes, reflection and the standards it relates to."""
        header = (
            f"Activity {index}: {activity.title} "
            f"({t.day_range(activity.start_date, activity.end_date)}, "
            f"{activity.hcpc_learning_type.label.lower()}, "
            f"{t.hours_text(activity.duration_minutes)} h)"
        )
        pairs = [("Learning outcomes", activity.learning_outcomes)]
        if activity.impact:
            pairs.append(("How it benefited the people I work with", activity.impact))
        if activity.reflection:
            label = (
                "Reflection (private, included on request)"
                if activity.reflection_private
                else "Reflection"
            )
            pairs.append((label, activity.reflection))
        if activity.standard_link:
            pairs.append(("Standards it relates to", activity.standard_link))
        return [
            CondPageBreak(40 * mm),
            Paragraph(escape(header), self.styles.h3),
            self.signoff_line(activity, data),
            self.gap(1.5 * mm),
            self.question_block(pairs),
            self.gap(3 * mm),
        ]

    # --- the standards -----------------------------------------------------------------------

    def section_standards(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each of the HCPC's five standards for CPD beside the part of this profile that
        shows it is met."""
        numbers = {s.key: n for n, s in enumerate(self.wanted_sections(data), 1)}

        def where(*keys: str) -> str:
            found = [f"section {numbers[k]}" for k in keys if k in numbers]
            return ", ".join(found) or "not printed in this profile"

        rows = [
            [STANDARDS[0], f"The dated list of CPD activities ({where('activities')})"],
            [
                STANDARDS[1],
                "Types of learning and the summary "
                f"({where('learning_types', 'practice_summary')})",
            ],
            [STANDARDS[2], f"The personal statement ({where('statement')})"],
            [
                STANDARDS[3],
                f"The personal statement, on benefit to service users ({where('statement')})",
            ],
            [STANDARDS[4], "This profile, the practitioner's own work, with its evidence"],
        ]
        return [
            self.para("A registrant must:", "muted"),
            figures_table(
                ["Standard", "Where this profile shows it"],
                rows,
                [55, 45],
                self.styles,
                align_right_from=2,
            ),
        ]

    # --- dated list --------------------------------------------------------------------------

    def activity_lines(self, data: PortfolioData) -> list[ActivityLine]:
        """Activities oldest first, with a flagged line for every gap of three months or more."""
        activities = sorted(data.typed(K.CPD, CpdActivity), key=lambda r: (r.start_date, r.uid))
        lines: list[ActivityLine] = []
        previous = data.start
        for activity in activities:
            lines += gap_line(previous, activity.start_date)
            lines.append(
                ActivityLine(
                    t.day_range(activity.start_date, activity.end_date),
                    t.join([activity.title, activity.provider], " – "),
                    activity.hcpc_learning_type.label,
                    t.hours_text(activity.duration_minutes),
                    activity.learning_outcomes,
                    activity_record=activity,
                )
            )
            previous = activity.end_date or activity.start_date
        return lines + gap_line(previous, data.end)

    def section_activities(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The dated list of CPD an audit asks for, with gaps of three months or more flagged
        so the practitioner can explain them."""
        lines = self.activity_lines(data)
        gaps = sum(1 for line in lines if line.gap)
        index = self.signoffs(data)
        story = self.signed_lead(
            data,
            f"{len(lines) - gaps} activities, {t.hours_text(data.total(K.CPD).minutes)} hours; "
            f"{gaps} gap(s) of three months or more.",
            "In date order, as the HCPC asks (an audit looks at the last two years; 12 to "
            "50 activities is typical). Gaps of three months or more are flagged so that "
            "they can be explained.",
            cells.Listed("CPD", K.CPD, data.of(K.CPD)),
        )

        def signoff(line: ActivityLine) -> str:
            record = line.activity_record
            return cells.signoff_text(record, data, index) if record else ""

        return story + self.log_table(
            [
                Column("Date", 62, lambda line: line.dates),
                Column("Activity", 160, lambda line: line.activity, bold=True),
                Column("Type of learning", 66, lambda line: line.learning_type),
                Column("Hours", 32, lambda line: line.hours, "RIGHT"),
                Column("Outcome", 140, lambda line: line.outcome, max_lines=8),
                Column("Sign-off", 62, signoff, max_lines=9),
            ],
            lines,
            {index: list(GAP_STYLE) for index, line in enumerate(lines) if line.gap},
        )

    def section_learning_types(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Activities and hours of each type of learning, to show the mix the HCPC asks for."""
        counts: Counter[str] = Counter()
        minutes: Counter[str] = Counter()
        members: dict[str, list[CpdActivity]] = defaultdict(list)
        for activity in data.typed(K.CPD, CpdActivity):
            kind = activity.hcpc_learning_type.label
            counts[kind] += 1
            minutes[kind] += activity.duration_minutes
            members[kind].append(activity)
        index = self.signoffs(data)
        rows = [
            [
                label,
                str(n),
                t.hours_text(minutes[label]),
                cells.signed_share_text(members[label], index),
            ]
            for label, n in counts.most_common()
        ]
        return [
            self.para(
                f"{len(counts)} different types of learning recorded (the HCPC asks for a mix, "
                "at least two).",
            ),
            self.gap(2 * mm),
            figures_table(
                ["Type of learning", "Activities", "Hours", "Signed"],
                rows,
                [52, 16, 16, 16],
                self.styles,
            ),
        ]


def gap_line(start: date, end: date) -> list[ActivityLine]:
    """A flagged line when three months or more pass from ``start`` (the day after the last
    activity, or the period start) to ``end`` with no CPD; none otherwise."""
    if add_months(start, 3) > end:
        return []
    months = (end.year - start.year) * 12 + end.month - start.month
    text = f"GAP of {months} months with no CPD recorded – explain this gap in your profile"
    return [ActivityLine(t.day_range(start, end), text, gap=True)]


def activity_draft(activity: CpdActivity) -> str:
    """A paragraph of the personal statement's draft: what an activity was, what was learnt,
    and how it benefited the people worked with, in the first person, from the records."""
    parts = [
        f"{t.day_range(activity.start_date, activity.end_date)}: I took part in "
        f"{activity.title} ({activity.hcpc_learning_type.label.lower()})."
    ]
    if activity.learning_outcomes:
        parts.append(f"What I learnt: {activity.learning_outcomes.strip()}")
    if activity.impact:
        parts.append(f"How it improved my work and benefited service users: {activity.impact}")
    return " ".join(parts)
