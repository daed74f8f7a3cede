"""The CPD profile an HCPC audit asks for: practice summary, statement material, dated list,
and the numbered index of supporting evidence the statement and the standards map refer to."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from logbook.domain.choices import Direction, HcpcLearningType
from logbook.domain.findings import Status
from logbook.domain.periods import Period, add_months
from logbook.domain.records import (
    Attachment,
    CpdActivity,
    PracticeEntry,
    RecordKind,
    SupervisionSession,
    minutes_of,
)
from logbook.export import cells
from logbook.export import text as t
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import WARNING, Column, escape, figures_table
from logbook.export.sections import RequirementsSection, SignoffsSection

K = RecordKind
# Whom a file's name could identify, in the words of the role.
PEOPLE = "a service user"
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
# The section holding the numbered evidence that the statement and the standards map cite.
EVIDENCE = "evidence"
# The fewest activities in each year of the period that show a continuous record (standard 1).
ACTIVITIES_A_YEAR = 2
# Supervision received is work-based learning: it adds to the mixture of learning (standard 2)
# and is about the quality of the practitioner's work (standard 3).
SUPERVISION_STANDARDS = (2, 3)
# A number a statement cites: four digits or more (a year) are never taken for one.
CITED_NUMBER = r"\d{1,3}(?!\d)"
# What the practitioner's own statement cites: "Evidence 3", "evidence 3, 5 and 9",
# "Evidence 2–4".
CITED = re.compile(
    rf"\bevidence\s+({CITED_NUMBER}(?:\s*(?:,|&|\band\b|\bto\b|-|–)\s*{CITED_NUMBER})*)",
    re.IGNORECASE,
)
# A cited range wider than this is read as two numbers, not as that many items.
MAX_CITED_RANGE = 500
# The requirement pack whose gap rule counts leave out of a gap in the CPD record.
HCPC_PACK = "hcpc_cpd"
# How the pack's gap finding says that leave was recorded in the gap.
LEAVE_IN_GAP = re.compile(r"not counting (\d+) days? of leave")
# What the HCPC asks the summary of practice history to describe.
SUMMARY_ASKS = (
    "your role and the type of work you do, your main responsibilities, the specialist areas "
    "you work in and the people you communicate and work with most"
)


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
    gap_period: Period | None = None


@dataclass(frozen=True)
class EvidenceItem:
    """One numbered item of the index of supporting evidence.

    Attributes:
        number: Its number, which the statement and the standards map cite ("Evidence 3").
        dates: When (the day of an activity, the first and last session of supervision).
        what: The activity and its provider, or what the record holds.
        learning_type: The HCPC's type of learning.
        held: The evidence the logbook holds for it: its signature, and the files attached
            to it when the document was given them.
        standards: The standards for CPD (1 to 4) it supports.
        record: The CPD activity it is (None for the record of supervision).
    """

    number: int
    dates: str
    what: str
    learning_type: str
    held: str
    standards: tuple[int, ...]
    record: CpdActivity | None = None

    @property
    def label(self) -> str:
        """ "Evidence 3", as the statement cites it."""
        return f"Evidence {self.number}"


class HcpcCpdProfileRenderer(RequirementsSection, SignoffsSection):
    """The CPD profile an HCPC audit asks for."""

    key = "hcpc"
    title = "HCPC CPD profile"
    description = (
        "Summary of practice, material for the statement, a dated chronological list of CPD "
        "with gaps of three months or more flagged, and a numbered index of supporting "
        "evidence that the statement and the standards map refer to."
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
        S("standards", "How this profile meets the standards for CPD", frozenset({K.CPD})),
        S(
            "activities",
            "Dated list of CPD activities",
            frozenset({K.CPD}),
            frozenset({"requirements"}),
        ),
        S("learning_types", "Types of learning", frozenset({K.CPD})),
        S(
            EVIDENCE,
            "Index of supporting evidence",
            frozenset({K.CPD, K.SUPERVISION, K.ATTACHMENT}),
        ),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "practice_summary": (K.SUPERVISION, K.PRACTICE),
        "statement": (K.CPD,),
        "activities": (K.CPD,),
        "learning_types": (K.CPD,),
        EVIDENCE: (K.SUPERVISION, K.CPD),
    }

    pack_words = ("hcpc",)

    needs_registration = ("HCPC", "your registration number")
    declaration_words = (
        "This profile is my own work and is supported by evidence. It explains how I have met "
        "the HCPC's standards for continuing professional development, and it holds nothing "
        "that identifies a service user."
    )

    # The document the evidence index was numbered for, and its items.
    _evidence: tuple[PortfolioData, list[EvidenceItem]] | None = None

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

    def where(self, data: PortfolioData, *keys: str) -> str:
        """Where sections of this profile are ("section 4, section 1"), or that none of them
        is printed."""
        numbers = {s.key: n for n, s in enumerate(self.wanted_sections(data), 1)}
        found = [f"section {numbers[k]}" for k in keys if k in numbers]
        return ", ".join(found) or "not printed in this profile"

    # --- summary of recent work --------------------------------------------------------------

    def section_practice_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The profile's header as the HCPC's form begins (name, registration number,
        profession and the CPD number to fill in), then the summary of practice history in the
        practitioner's own words; until they write it, a draft from the records, marked as
        such so it is never taken for theirs."""
        written = self.written("practice_summary", data)
        if written:
            words = len(data.statements["practice_summary"].split())
            story: list[Flowable] = written
            note = self.para(f"{words} words (the HCPC allows up to {SUMMARY_WORDS}).", "muted")
        else:
            draft = self.practice_summary(data)
            story = [
                self.notice(
                    "<b>Not yet written by the practitioner.</b> A draft from the records "
                    "follows, to rewrite in their own words (in the export window, or with "
                    "--statement practice_summary=FILE). The HCPC asks it to describe "
                    f"{SUMMARY_ASKS}; the records cannot say what the main responsibilities "
                    "are.<br/><br/>" + escape(draft),
                    warning=True,
                )
            ]
            count = len(draft.split())
            note = (
                self.para(
                    f"The draft has {count} words (the HCPC allows {SUMMARY_WORDS}).", "muted"
                )
                if count <= SUMMARY_WORDS
                else self.notice(
                    f"<b>The draft has {count} words, more than the {SUMMARY_WORDS} the HCPC "
                    "allows:</b> shorten it when rewriting it.",
                    warning=True,
                )
            )
        return [
            self.form_box(self.header_rows(data)),
            self.gap(4 * mm),
            *story,
            self.gap(2 * mm),
            note,
            self.gap(3 * mm),
            *self.coverage_box(data),
        ]

    def header_rows(self, data: PortfolioData) -> list[tuple[str, str]]:
        """The profile's header: name, HCPC registration number, profession (the latest role
        held) and the CPD number of the audit, which the logbook does not keep (to fill in)."""
        found = t.registration_for(data.profile, "HCPC")
        profession = next((r.title for r in reversed(t.roles_in(data.profile, data.period))), "")
        return [
            ("Name", data.profile.name),
            ("Registration number", found.number if found else ""),
            ("Profession", profession),
            ("CPD number", ""),
        ]

    def statement_draft(self, key: str, data: PortfolioData) -> str:
        """Drafts of the summary of practice history and of the personal statement (each
        activity in the statement's draft citing its number in the evidence index)."""
        if key == "practice_summary":
            return self.practice_summary(data)
        if key == "statement":
            return "\n\n".join(
                activity_draft(a, self.cite(a, data)) for a in self.statement_activities(data)
            )
        return ""

    def practice_summary(self, data: PortfolioData) -> str:
        """A first-person draft of the summary of practice history, from the roles and
        practice recorded, for the practitioner to rewrite: the role and type of work, the
        specialist areas, and the people worked with most (never by name)."""
        profile = data.profile
        role_text = "; ".join(
            t.join([r.title, data.organisation_name(r.organisation_uid)], " at ")
            for r in t.roles_in(profile, data.period)
        )
        parts = [f"My roles in this period: {role_text}."] if role_text else []
        parts += self.practice_sentences(data)
        if profile.client_groups:
            parts.append("My work is with " + ", ".join(profile.client_groups) + ".")
        parts += self.people_sentences(data)
        supervision = cells.minutes_total(cells.received(data))
        if supervision:
            parts.append(f"I received {t.hours_text(supervision)} hours of supervision.")
        return " ".join(parts)

    def practice_sentences(self, data: PortfolioData) -> list[str]:
        """Where and what the practice was (the busiest settings first), and the specialist
        areas: the interventions most practised."""
        by_setting: Counter[str] = Counter()
        by_activity: Counter[str] = Counter()
        by_intervention: Counter[str] = Counter()
        entries = data.typed(K.PRACTICE, PracticeEntry)
        for entry in entries:
            minutes = minutes_of(entry)
            by_setting[entry.setting.label.lower()] += minutes
            by_activity[entry.activity.label.lower()] += minutes
            if entry.intervention.strip():
                by_intervention[entry.intervention.strip()] += max(minutes, 1)
        sentences = []
        if entries:
            settings = ", ".join(
                f"{name} ({t.hours_text(minutes)} h)" for name, minutes in by_setting.most_common(4)
            )
            activities = ", ".join(name for name, _ in by_activity.most_common(4))
            sentences.append(
                f"Between {t.day(data.start)} and {t.day(data.end)} I recorded "
                f"{t.hours_text(data.total(K.PRACTICE).minutes)} hours of practice in "
                f"{settings}, mainly {activities}."
            )
        if by_intervention:
            names = ", ".join(name for name, _ in by_intervention.most_common(5))
            sentences.append(f"My specialist areas: {names}.")
        return sentences

    def people_sentences(self, data: PortfolioData) -> list[str]:
        """The people the practitioner works with most: the client groups of the practice
        recorded, and the colleagues met in supervision, by their role (never by name)."""
        groups: Counter[str] = Counter()
        for entry in data.typed(K.PRACTICE, PracticeEntry):
            if entry.client_group.strip():
                groups[entry.client_group.strip()] += 1
        colleagues: Counter[str] = Counter()
        for session in data.typed(K.SUPERVISION, SupervisionSession):
            colleagues[counterpart_role(session, data)] += 1
        people = (
            [f"service users ({', '.join(n for n, _ in groups.most_common(5))})"]
            if (groups)
            else []
        )
        people += [role for role, _ in colleagues.most_common(3)]
        if not people:
            return []
        listed = ", ".join(people[:-1]) + " and " + people[-1] if len(people) > 1 else people[0]
        return [f"The people I communicate and work with most: {listed}."]

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
        """The personal statement in the practitioner's own words when written, exactly as
        written, with the evidence it cites; then what was recorded about the four to six
        activities with the fullest written outcomes (the material for it, or the evidence
        behind it), each citing its number in the evidence index."""
        chosen = self.statement_activities(data)
        written = self.written("statement", data)
        story: list[Flowable] = []
        if written:
            words = len(data.statements["statement"].split())
            story += written
            story += [
                self.gap(2 * mm),
                self.para(f"{words:,} words (the HCPC asks for about 1,500).", "muted"),
                *self.cited_evidence(data),
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

    def cited_evidence(self, data: PortfolioData) -> list[Flowable]:
        """Under the practitioner's own statement, which items of the evidence index it refers
        to, read from their words ("Evidence 3"), never added to them: a number the index does
        not hold is flagged, and a statement citing none says so."""
        if data.statements.get("statement") is None or not self.indexed(data):
            return []
        count = len(self.evidence(data))
        where = self.where(data, EVIDENCE)
        cited = cited_numbers(data.statements["statement"])
        held = [n for n in cited if 1 <= n <= count]
        unknown = [n for n in cited if not 1 <= n <= count]
        story: list[Flowable] = []
        if held:
            story.append(
                self.para(
                    f"Evidence referred to: {items_text(held)} of the index of supporting "
                    f"evidence ({where}).",
                    "muted",
                )
            )
        elif not cited and count:
            story.append(
                self.para(
                    "The statement refers to no evidence by number. The index of supporting "
                    f"evidence ({where}) lists {items_text(range(1, count + 1))}; the HCPC asks "
                    "the statement to refer to the evidence, for example “(Evidence 1)”.",
                    "muted",
                )
            )
        if unknown:
            held_text = f"it lists {items_text(range(1, count + 1))}" if count else "it is empty"
            story += [
                self.gap(2 * mm),
                self.notice(
                    f"<b>The statement refers to Evidence {escape(numbers_text(unknown))}, "
                    f"which the index does not hold</b> ({escape(held_text)}, {escape(where)}). "
                    "Check the numbers before sending the profile.",
                    warning=True,
                ),
            ]
        return story

    def statement_activity(
        self, index: int, activity: CpdActivity, data: PortfolioData
    ) -> list[Flowable]:
        """One numbered activity, with the evidence number it has in the index: its outcomes,
        reflection and the standards it relates to."""
        cite = self.cite(activity, data)
        header = f"Activity {index}: {activity.title}" + (f" ({cite})" if cite else "")
        details = ", ".join(
            [
                t.day_range(activity.start_date, activity.end_date),
                activity.hcpc_learning_type.label.lower(),
                f"{t.hours_text(activity.duration_minutes)} h",
            ]
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
            self.para(details, "muted"),
            self.signoff_line(activity, data),
            self.gap(1.5 * mm),
            self.question_block(pairs),
            self.gap(3 * mm),
        ]

    # --- the standards -----------------------------------------------------------------------

    def section_standards(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each of the HCPC's five standards for CPD beside the part of this profile that
        shows it is met and the evidence for it, by number; where nothing in the period shows
        a standard, what is missing and what would meet it."""
        where = self.where
        rows = [
            [STANDARDS[0], f"The dated list of CPD activities ({where(data, 'activities')})"],
            [
                STANDARDS[1],
                "Types of learning and the summary "
                f"({where(data, 'learning_types', 'practice_summary')})",
            ],
            [STANDARDS[2], f"The personal statement ({where(data, 'statement')})"],
            [
                STANDARDS[3],
                f"The personal statement, on benefit to service users ({where(data, 'statement')})",
            ],
            [
                STANDARDS[4],
                "This profile, the practitioner's own work, with its evidence "
                f"({where(data, EVIDENCE)})",
            ],
        ]
        shown = [
            self.standard_1(data),
            self.standard_2(data),
            self.standard_3(data),
            self.standard_4(data),
            self.standard_5(data),
        ]
        cell = self.styles.cell
        table = self.rich_table(
            ["Standard", "Where this profile shows it", "Evidence"],
            [
                [Paragraph(escape(a), cell), Paragraph(escape(b), cell), Paragraph(c, cell)]
                for (a, b), c in zip(rows, shown, strict=True)
            ],
            [36, 24, 40],
        )
        note = (
            "Evidence numbers are those of the index of supporting evidence "
            f"({where(data, EVIDENCE)})."
            if self.indexed(data)
            else "The index of supporting evidence is not printed, so the evidence is "
            "described rather than numbered."
        )
        return [
            self.para("A registrant must:", "muted"),
            table,
            self.gap(2 * mm),
            self.para(note, "muted"),
        ]

    def standard_1(self, data: PortfolioData) -> str:
        """The evidence of a continuous record: the dated activities, and any gap of three
        months or more or any year with fewer than two activities, with what would close it."""
        activities = self.indexed_activities(data)
        if not activities:
            return warning_markup(
                "No CPD activity is recorded in this period. The HCPC asks for a continuous, "
                "up-to-date record: record each activity with its date as you complete it, at "
                f"least {ACTIVITIES_A_YEAR} in each year."
            )
        listed = f"the {count_text(len(activities), 'activity')} of the dated list, oldest first."
        numbers = self.evidence_numbers(data)
        cited = f"{self.refer(data, activities)}: {listed}" if numbers else listed.capitalize()
        lines = [escape(cited)]
        gaps = sum(1 for line in self.activity_lines(data) if line.gap)
        if gaps:
            lines.append(
                warning_markup(
                    f"{count_text(gaps, 'gap')} of three months or more with no CPD recorded "
                    f"({self.where(data, 'activities')}): explain each in the profile (leave, "
                    "illness, a change of role), or record the CPD done then."
                )
            )
        for year, count in thin_years(data.period, activities):
            lines.append(
                warning_markup(
                    f"Only {count_text(count, 'activity')} in the year "
                    f"{t.period_text(year)}: at least {ACTIVITIES_A_YEAR} in each year would "
                    "show a continuous record. Record any CPD done that year and not yet "
                    "recorded, or explain in the statement why there was little."
                )
            )
        return "<br/>".join(lines)

    def standard_2(self, data: PortfolioData) -> str:
        """The evidence of a mixture of learning: the items of each type of learning, the
        commonest first, and a note when fewer than two types are recorded."""
        indexed = self.indexed(data)
        by_type: dict[str, list[EvidenceItem]] = defaultdict(list)
        for item in self.evidence(data):
            if item.record is not None or indexed:  # the supervision, only when numbered
                by_type[item.learning_type].append(item)
        if not by_type:
            return warning_markup(
                "No CPD activity is recorded in this period, so no mixture of learning shows. "
                "The HCPC asks for at least two types of learning (for example work-based "
                "learning, such as case discussions or supervising a student, besides courses)."
            )
        ordered = sorted(by_type.items(), key=lambda pair: (-len(pair[1]), pair[0]))
        lines = [
            f"<b>{escape(label)}</b>: {escape(self.refer_items(data, items))}"
            for label, items in ordered
        ]
        if len(by_type) < 2:
            lines.append(
                warning_markup(
                    f"Only one type of learning is recorded ({ordered[0][0].lower()}). The HCPC "
                    "asks for a mixture, at least two types: add the others you did (work-based "
                    "learning, professional activity, formal and educational, self-directed "
                    "learning)."
                )
            )
        return "<br/>".join(lines)

    def standard_3(self, data: PortfolioData) -> str:
        """The activities whose written outcomes show what they brought to the quality of the
        practitioner's work, or what would show it."""
        found = [
            a
            for a in self.indexed_activities(data)
            if a.learning_outcomes.strip() or a.impact.strip()
        ]
        if not found:
            return warning_markup(
                "No activity in this period records what was learnt or how it changed your "
                "work. Record the learning outcomes of the four to six activities the statement "
                "describes, and show in the statement how they improved the quality of your "
                "practice and service."
            )
        return self.by_title(data, found)

    def standard_4(self, data: PortfolioData) -> str:
        """The activities with a recorded benefit to service users, or what would show one."""
        found = [a for a in self.indexed_activities(data) if a.impact.strip()]
        if not found:
            return warning_markup(
                "No activity in this period records how it benefited service users. Record the "
                "benefit (“How it benefited the people I work with”) on the activities the "
                "statement describes, or describe in the statement a way of working that "
                "changed and how you believe it helped the people you work with."
            )
        return self.by_title(data, found)

    def standard_5(self, data: PortfolioData) -> str:
        """The profile's own work and its evidence: the index, and what is not yet written by
        the practitioner."""
        lines = []
        if self.indexed(data):
            count = len(self.evidence(data))
            lines.append(
                escape(
                    f"The index of supporting evidence ({self.where(data, EVIDENCE)}): "
                    f"{items_text(range(1, count + 1))}."
                    if count
                    else "The index of supporting evidence is empty: no CPD is recorded."
                )
            )
        else:
            lines.append(
                warning_markup(
                    "The index of supporting evidence is not printed: include it, so that the "
                    "statement can refer to numbered evidence."
                )
            )
        unwritten = {
            "practice_summary": "The summary of practice history is a draft from the records "
            f"({self.where(data, 'practice_summary')}), still to be rewritten in the "
            "practitioner's own words: the profile must be their own work.",
            "statement": "The personal statement is still to be written in the practitioner's "
            f"own words ({self.where(data, 'statement')}), from the material there: the "
            "profile must be their own work.",
        }
        for key, what in (
            ("practice_summary", "summary of practice history"),
            ("statement", "personal statement"),
        ):
            if not data.wants(key):
                continue
            if data.statements.get(key, "").strip():
                lines.append(escape(f"The {what}, in the practitioner's own words."))
            else:
                lines.append(warning_markup(unwritten[key]))
        return "<br/>".join(lines)

    def by_title(self, data: PortfolioData, activities: Sequence[CpdActivity]) -> str:
        """Activities one line a title, in the order first done, each citing its evidence
        ("Case presentation (Evidence 3, 6 and 17)")."""
        groups: dict[str, list[CpdActivity]] = {}
        for activity in activities:
            groups.setdefault(activity.title, []).append(activity)
        return "<br/>".join(
            escape(f"{title} ({self.refer(data, members)})") for title, members in groups.items()
        )

    def refer(self, data: PortfolioData, activities: Sequence[CpdActivity]) -> str:
        """How the standards map cites activities: "Evidence 1–4 and 7" from the index, or
        when the index is not printed, their dates."""
        numbers = self.evidence_numbers(data)
        if numbers:
            return unbroken_tail("Evidence " + numbers_text(numbers[a.uid] for a in activities))
        return "; ".join(t.day(a.start_date) for a in activities)

    def refer_items(self, data: PortfolioData, items: Sequence[EvidenceItem]) -> str:
        """Items of the index cited by number (or counted, when the index is not printed)."""
        if self.indexed(data):
            return unbroken_tail("Evidence " + numbers_text(i.number for i in items))
        return count_text(len(items), "activity")

    # --- dated list --------------------------------------------------------------------------

    def activity_lines(self, data: PortfolioData) -> list[ActivityLine]:
        """Activities oldest first, with a flagged line for every gap of three months or more."""
        activities = self.indexed_activities(data)
        lines: list[ActivityLine] = []
        previous = data.start
        leave = leave_in_gaps(data)
        for activity in activities:
            lines += gap_line(previous, activity.start_date, leave)
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
        return lines + gap_line(previous, data.end, leave)

    def section_activities(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The dated list of CPD an audit asks for, with gaps of three months or more flagged
        so the practitioner can explain them (the evidence index numbers the activities in
        the same order)."""
        lines = self.activity_lines(data)
        gaps = sum(1 for line in lines if line.gap)
        index = self.signoffs(data)
        numbers = self.evidence_numbers(data)
        note = (
            "In date order, as the HCPC asks (an audit looks at the last two years; 12 to "
            "50 activities is typical). Gaps of three months or more are flagged so that "
            "they can be explained."
        )
        if numbers:
            note += (
                f" The index of supporting evidence ({self.where(data, EVIDENCE)}) numbers the "
                f"activities in this order: {self.refer(data, self.indexed_activities(data))}."
            )
        story = self.signed_lead(
            data,
            f"{len(lines) - gaps} activities, {t.hours_text(data.total(K.CPD).minutes)} hours; "
            f"{gaps} gap(s) of three months or more.",
            note,
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

    # --- the index of supporting evidence ----------------------------------------------------

    def indexed(self, data: PortfolioData) -> bool:
        """Whether this profile prints the index of supporting evidence (its numbers are
        cited only then)."""
        return any(s.key == EVIDENCE for s in self.wanted_sections(data))

    def indexed_activities(self, data: PortfolioData) -> list[CpdActivity]:
        """The CPD activities of the period in the order they are numbered: by date, then
        title."""
        return sorted(
            data.typed(K.CPD, CpdActivity),
            key=lambda r: (r.start_date, r.title.casefold(), r.title, r.uid),
        )

    def evidence(self, data: PortfolioData) -> list[EvidenceItem]:
        """The numbered items of the index of supporting evidence (worked out once per
        document)."""
        if self._evidence is None or self._evidence[0] is not data:
            self._evidence = (data, self.evidence_items(data))
        return self._evidence[1]

    def evidence_numbers(self, data: PortfolioData) -> dict[str, int]:
        """Each CPD activity's evidence number, by uid ({} when the index is not printed)."""
        if not self.indexed(data):
            return {}
        return {i.record.uid: i.number for i in self.evidence(data) if i.record is not None}

    def cite(self, activity: CpdActivity, data: PortfolioData) -> str:
        """ "Evidence 4": how the statement and the standards map cite an activity ("" when
        the index is not printed)."""
        number = self.evidence_numbers(data).get(activity.uid)
        return f"Evidence {number}" if number else ""

    def evidence_items(self, data: PortfolioData) -> list[EvidenceItem]:
        """One item per CPD activity of the period, by date then title, then one for the
        supervision received in it (work-based learning, whose sessions are in the logbook's
        supervision log)."""
        attached = cells.attachments_by_owner(data) if K.ATTACHMENT in data.records else None
        index = self.signoffs(data)
        items = [
            EvidenceItem(
                number,
                t.day_range(activity.start_date, activity.end_date).replace(" – ", " –\n"),
                t.join([activity.title, activity.provider], " – "),
                activity.hcpc_learning_type.label,
                self.held_text(activity, attached, index, data),
                activity_standards(activity),
                activity,
            )
            for number, activity in enumerate(self.indexed_activities(data), 1)
        ]
        received = sorted(cells.received(data), key=lambda s: (s.date, s.uid))
        if received:
            items.append(self.supervision_item(len(items) + 1, received, index, data))
        return items

    def held_text(
        self,
        activity: CpdActivity,
        attached: Mapping[str, Sequence[Attachment]] | None,
        index: cells.SignoffIndex,
        data: PortfolioData,
    ) -> str:
        """The evidence the logbook holds for an activity: the signature that confirms it, and
        the files attached to it (``attached``, by entry; None when the document was not given
        the attachments, so that nothing is said of them)."""
        files = attached.get(activity.uid, ()) if attached is not None else ()
        lines = [f"Attached: {cells.attachment_name(f, PEOPLE)}" for f in files]
        if index.state(activity.uid) in cells.SIGNED_STATES:
            evidence = index.latest.get(activity.uid)
            signer = f" by {cells.signer_note(evidence, '')}" if evidence else ""
            lines.append(f"Signed{signer}{self.see(data, 'signoffs')}")
        if lines:
            return "\n".join(lines)
        return "No file attached; not signed" if attached is not None else "Not signed"

    def supervision_item(
        self,
        number: int,
        sessions: Sequence[SupervisionSession],
        index: cells.SignoffIndex,
        data: PortfolioData,
    ) -> EvidenceItem:
        """The supervision received in the period as one item: how many sessions and hours,
        with whom, and how many are signed."""
        names = sorted({data.person_name(s.counterpart_uid) for s in sessions} - {""})
        who = ", ".join(names[:3]) + (" and others" if len(names) > 3 else "")
        what = (
            f"Supervision received: {count_text(len(sessions), 'session')}, "
            f"{t.hours_text(cells.minutes_total(sessions))} h" + (f", with {who}" if who else "")
        )
        held = (
            "Supervision log in the logbook; "
            f"{cells.signed_share_text(sessions, index)} sessions signed"
            f"{self.see(data, 'signoffs')}"
        )
        dates = t.day_range(sessions[0].date, sessions[-1].date).replace(" – ", " –\n")
        return EvidenceItem(
            number,
            dates,
            what,
            HcpcLearningType.WORK_BASED.label,
            held,
            SUPERVISION_STANDARDS,
        )

    def see(self, data: PortfolioData, key: str) -> str:
        """ " (section 8)": where a section is, to add to a cell ("" when it is not printed)."""
        where = self.where(data, key)
        return "" if where.startswith("not printed") else f" ({where})"

    def section_evidence(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The numbered index of supporting evidence the HCPC asks for: one item per CPD
        activity of the period and one for the supervision received, each with the evidence
        the logbook holds for it and the standards it supports."""
        items = self.evidence(data)
        activities = [i.record for i in items if i.record is not None]
        line = f"{count_text(len(items), 'item')}: {count_text(len(activities), 'CPD activity')}"
        if len(items) > len(activities):
            line += " and the record of supervision received"
        held = (
            "the files attached to each entry and the signature confirming it; send those documents"
            if K.ATTACHMENT in data.records
            else "the signature confirming each entry; send the documents that back each item "
            "(certificates, notes, presentations)"
        )
        note = (
            "Numbered as the personal statement and the standards map cite them (“Evidence 3”): "
            f"the CPD activities by date, then title, then the supervision received. Evidence "
            f"held: {held} with the profile, with anything that could identify a service user "
            "removed. Standards: each activity keeps the record continuous (1) and adds to the "
            "mixture of learning (2); written outcomes show what it brought to the work (3); a "
            "recorded benefit to service users shows standard 4."
        )
        story = self.signed_lead(data, line + ".", note, cells.Listed("CPD", K.CPD, activities))
        return story + self.log_table(
            [
                Column("Evidence", 46, lambda i: i.label, bold=True),
                Column("Date", 70, lambda i: i.dates),
                Column("Activity", 170, lambda i: i.what),
                Column("Type of learning", 66, lambda i: i.learning_type),
                Column("Evidence held", 110, lambda i: i.held, max_lines=8),
                Column("Standards", 44, lambda i: ", ".join(str(n) for n in i.standards)),
            ],
            items,
            empty=(
                "No CPD activity or supervision is recorded in this period, so there is no "
                "evidence to index. Record the CPD of the last two years, each activity with its "
                "date, so that the statement can refer to it."
            ),
        )


def activity_standards(activity: CpdActivity) -> tuple[int, ...]:
    """The standards for CPD an activity supports, from what is recorded of it: every dated
    activity keeps the record continuous (1) and adds to the mixture of learning (2); written
    learning outcomes or benefit show what it brought to the work (3); a recorded benefit to the
    people worked with shows standard 4."""
    found = [1, 2]
    if activity.learning_outcomes.strip() or activity.impact.strip():
        found.append(3)
    if activity.impact.strip():
        found.append(4)
    return tuple(found)


def thin_years(period: Period, activities: Iterable[CpdActivity]) -> list[tuple[Period, int]]:
    """The whole years of ``period`` (counted back from its end, as an audit's two years are)
    with fewer than ``ACTIVITIES_A_YEAR`` activities, each with how many it has."""
    assert period.start is not None
    assert period.end is not None
    days = [a.start_date for a in activities]
    years: list[tuple[Period, int]] = []
    end = period.end
    while (start := add_months(end, -12) + timedelta(days=1)) >= period.start:
        count = sum(1 for day in days if start <= day <= end)
        if count < ACTIVITIES_A_YEAR:
            years.append((Period(start, end), count))
        end = start - timedelta(days=1)
    return years[::-1]


def cited_numbers(text: str) -> list[int]:
    """The evidence numbers a statement cites ("Evidence 3", "evidence 3, 5 and 9",
    "Evidence 2–4"), in order, each once."""
    found: set[int] = set()
    for match in CITED.finditer(text):
        previous: int | None = None
        ranged = False
        for token in re.findall(r"\d+|\bto\b|-|–", match[1], re.IGNORECASE):
            if not token.isdigit():
                ranged = True
                continue
            number = int(token)
            if ranged and previous is not None and 0 < number - previous <= MAX_CITED_RANGE:
                found.update(range(previous, number + 1))
            else:
                found.add(number)
            previous, ranged = number, False
    return sorted(found)


def numbers_text(numbers: Iterable[int]) -> str:
    """ "1–4, 7 and 9": numbers in order, each run of three or more as a range."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{ordered[i]}–{ordered[j]}")
        else:
            parts += [str(n) for n in ordered[i : j + 1]]
        i = j + 1
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def items_text(numbers: Iterable[int]) -> str:
    """ "items 1–18", "item 3": numbers of the evidence index as a phrase."""
    ordered = sorted(set(numbers))
    return f"{'item' if len(ordered) == 1 else 'items'} {numbers_text(ordered)}"


def unbroken_tail(text: str) -> str:
    """``text`` with its last space a no-break space, so a citation never leaves its last
    number alone on a line ("… 2 and 9)")."""
    head, space, tail = text.rpartition(" ")
    return f"{head}\u00a0{tail}" if space else text


def count_text(count: int, noun: str) -> str:
    """ "1 activity", "17 activities", "2 gaps"."""
    if count == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count} {plural}"


def warning_markup(text: str) -> str:
    """Plain text as cell markup in the warning colour: a standard nothing shows yet."""
    return f'<font color="#{WARNING.hexval()[2:]}">{escape(text)}</font>'


def gap_line(
    start: date, end: date, leave: Sequence[tuple[Period, int]] = ()
) -> list[ActivityLine]:
    """A flagged line when three months or more pass from ``start`` (the day after the last
    activity, or the period start) to ``end`` with no CPD, naming the days of leave recorded
    in it (``leave``: the gaps the HCPC pack found, with the leave it did not count); none
    otherwise."""
    if add_months(start, 3) > end:
        return []
    months = (end.year - start.year) * 12 + end.month - start.month
    days = sum(n for found, n in leave if overlaps(found, start, end))
    on_leave = f" ({days} day{'' if days == 1 else 's'} of leave recorded in it)" if days else ""
    text = (
        f"GAP of {months} months with no CPD recorded{on_leave} – explain this gap in your profile"
    )
    return [ActivityLine(t.day_range(start, end), text, gap=True, gap_period=Period(start, end))]


def leave_in_gaps(data: PortfolioData) -> list[tuple[Period, int]]:
    """The gaps in the CPD record that the HCPC pack's gap rule found, each with the days of
    leave recorded in it (in the pack's settings), for the gaps with any ([] when the pack is
    not followed)."""
    pack = next((p for p in data.requirements if p.pack_id == HCPC_PACK), None)
    if pack is None:
        return []
    found = []
    for rule in pack.rules:
        if rule.kind != "gap":
            continue
        for finding in rule.findings:
            days = LEAVE_IN_GAP.search(finding.explanation)
            if finding.status is Status.NOT_YET_MET and days:
                found.append((finding.period, int(days[1])))
    return found


def overlaps(period: Period, start: date, end: date) -> bool:
    """Whether ``period`` shares a day with ``start``..``end``."""
    return (period.start is None or period.start <= end) and (
        period.end is None or period.end >= start
    )


def counterpart_role(session: SupervisionSession, data: PortfolioData) -> str:
    """Who a supervision session was with, by role and never by name: "my supervisor" (or the
    role recorded for the person, "my mentor"), or "the colleagues I supervise"."""
    if session.direction is Direction.GIVEN:
        return "the colleagues I supervise"
    person = data.people.get(session.counterpart_uid or "")
    role = person.roles[0].strip() if person and person.roles else ""
    return f"my {role or 'supervisor'}"


def activity_draft(activity: CpdActivity, cite: str = "") -> str:
    """A paragraph of the personal statement's draft: what an activity was (with the evidence
    number it has in the index, ``cite``), what was learnt, and how it benefited the people
    worked with, in the first person, from the records."""
    when = t.day_range(activity.start_date, activity.end_date)
    parts = [
        f"{when}{f' ({cite})' if cite else ''}: I took part in "
        f"{activity.title} ({activity.hcpc_learning_type.label.lower()})."
    ]
    if activity.learning_outcomes:
        parts.append(f"What I learnt: {activity.learning_outcomes.strip()}")
    if activity.impact:
        parts.append(f"How it improved my work and benefited service users: {activity.impact}")
    return " ".join(parts)
