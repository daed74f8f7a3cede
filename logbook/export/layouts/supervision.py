"""The supervision log a BABCP audit or a BACP application asks for, titled in the words of the
practitioner's role."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from logbook.domain.records import (
    CpdActivity,
    Person,
    PracticeEntry,
    RecordKind,
    SupervisionSession,
    minutes_of,
)
from logbook.domain.roles import words_for
from logbook.export import cells, charts
from logbook.export import text as t
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import (
    FRAME_WIDTH,
    Column,
    escape,
    figures_table,
)
from logbook.export.sections import SignoffsSection

K = RecordKind
S = SectionInfo
# The areas of supervision listed in the summary, the most frequent first.
AREAS_SHOWN = 12


class SupervisionLogRenderer(SignoffsSection):
    """The supervision record a BABCP audit or a BACP application asks for."""

    key = "supervision"
    title = "Supervision log"
    description = (
        "BABCP Clinical Supervision Logbook / BACP supervision record: date, duration, type, "
        "format and group size, supervisor, credited time, themes and sign-off."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S("summary", "Summary", frozenset({K.SUPERVISION})),
        S(
            "log",
            "Supervision received",
            frozenset({K.SUPERVISION, K.COURSE}),
            frozenset({"signoffs"}),
        ),
        S(
            "given",
            "Supervision given",
            frozenset({K.SUPERVISION}),
            frozenset({"signoffs"}),
            omit_when_empty=True,
        ),
        S(
            "breaks",
            "Breaks in supervision",
            frozenset({K.SUPERVISION, K.PRACTICE}),
            statement="Reasons for the breaks, and how they were remedied",
        ),
        S("cpd", "CPD and reflective statements", frozenset({K.CPD}), omit_when_empty=True),
        S("declaration", "Supervisor declaration", frozenset({K.SUPERVISION})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "summary": (K.SUPERVISION,),
        "log": (K.SUPERVISION,),
        "given": (K.SUPERVISION,),
    }

    def has_entries(self, section: SectionInfo, data: PortfolioData) -> bool:
        """Supervision given is a log of its own: empty when none was given."""
        if section.key == "given":
            return bool(cells.given(data))
        return super().has_entries(section, data)

    def document_title(self, data: PortfolioData) -> str:
        """The log's title in the words of the practitioner's role ("Supervision and support
        log" for a peer support worker, never "clinical")."""
        return words_for(data.profile).supervision_log

    def listed(self, data: PortfolioData) -> list[cells.Listed]:
        """Supervision received (the summary and the log) and given, each counted apart."""
        chosen = {s.key for s in self.wanted_sections(data)}
        groups = []
        if chosen & {"summary", "log"}:
            groups.append(self.received_listed(data))
        if "given" in chosen:
            groups.append(self.given_listed(data))
        return groups

    def received_listed(self, data: PortfolioData) -> cells.Listed:
        """The sessions of supervision received, as a coverage line counts them."""
        return cells.Listed("Supervision received", K.SUPERVISION, cells.received(data))

    def given_listed(self, data: PortfolioData) -> cells.Listed:
        """The sessions of supervision given, as a coverage line counts them."""
        return cells.Listed("Supervision given", K.SUPERVISION, cells.given(data))

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        """The usual cover details with the supervision received: sessions, hours recorded and
        hours credited."""
        received = cells.received(data)
        pairs = super().cover_details(data)
        pairs.insert(
            5,
            (
                "Supervision received",
                f"{len(received)} sessions, "
                f"{t.hours_text(cells.minutes_total(received))} h recorded, "
                f"{cells.credited_hours_text(cells.credited_total(received, data))} h credited",
            ),
        )
        return pairs

    # --- summary -----------------------------------------------------------------------------

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """For an auditor: how group time is credited, the supervision received by type and by
        supervisor, and hours per month against any required minimum."""
        story: list[Flowable] = [
            self.para(credit_words(data)),
            self.gap(3 * mm),
            *self.coverage_box(data),
            figures_table(
                ["Type of supervision", "Sessions", "Hours", "Credited hours"],
                self.type_rows(data),
                [52, 16, 16, 16],
                self.styles,
                total_row=True,
            ),
            self.gap(5 * mm),
            figures_table(
                ["Twelve months", "Sessions", "Live", "Hours", "Credited hours"],
                self.twelve_month_rows(data),
                [40, 15, 15, 15, 15],
                self.styles,
            ),
            self.gap(5 * mm),
            figures_table(
                ["Supervisor", "Organisation", "Sessions", "Hours", "Credited hours"],
                self.supervisor_rows(data),
                [30, 34, 12, 12, 12],
                self.styles,
                align_right_from=2,
            ),
            self.gap(5 * mm),
            figures_table(
                ["Areas covered in supervision", "Sessions"],
                self.area_rows(data),
                [80, 20],
                self.styles,
            ),
            self.gap(6 * mm),
            KeepTogether(
                [charts.monthly_hours_chart(self.supervision_series(data), FRAME_WIDTH, 170)]
            ),
        ]
        by_org = self.supervision_by_organisation(data)
        if len(by_org) > 1:
            story += [
                self.gap(4 * mm),
                self.totals_chart(by_org, "Supervision received by organisation"),
            ]
        return story

    def type_rows(self, data: PortfolioData) -> list[list[str]]:
        """Sessions, hours and credited hours per type of supervision, then in all."""
        received = cells.received(data)
        by_type: dict[str, list[SupervisionSession]] = defaultdict(list)
        for session in received:
            by_type[session.supervision_type.label].append(session)
        rows = [[label, *self.figures(s, data)] for label, s in sorted(by_type.items())]
        return [*rows, ["All supervision received", *self.figures(received, data)]]

    def twelve_month_rows(self, data: PortfolioData) -> list[list[str]]:
        """Supervision received in each twelve months back from the end of the period, as an
        audit totals it, with the sessions where the supervisor saw the work live."""
        received = cells.received(data)
        rows = []
        for span in cells.twelve_months_back(data.period):
            sessions = [s for s in received if span.contains(s.date)]
            count, hours, credited = self.figures(sessions, data)
            live = sum(1 for s in sessions if s.live)
            rows.append([t.period_text(span), count, str(live), hours, credited])
        return rows

    def area_rows(self, data: PortfolioData) -> list[list[str]]:
        """The themes discussed in supervision received, the most frequent first (an audit
        asks which areas supervision covered in the period)."""
        areas = Counter(theme for s in cells.received(data) for theme in s.themes)
        rows = [[theme, str(count)] for theme, count in areas.most_common(AREAS_SHOWN)]
        if len(areas) > AREAS_SHOWN:
            rows.append([f"{len(areas) - AREAS_SHOWN} more themes, each in fewer sessions", ""])
        return rows or [["No themes recorded", ""]]

    def supervisor_rows(self, data: PortfolioData) -> list[list[str]]:
        """Sessions, hours and credited hours per supervisor and organisation."""
        by_person: dict[tuple[str, str], list[SupervisionSession]] = defaultdict(list)
        for session in cells.received(data):
            key = (
                data.person_name(session.counterpart_uid) or "Not recorded",
                data.organisation_name(session.organisation_uid),
            )
            by_person[key].append(session)
        return [
            [name, organisation, *self.figures(sessions, data)]
            for (name, organisation), sessions in sorted(by_person.items())
        ]

    def figures(self, sessions: Sequence[SupervisionSession], data: PortfolioData) -> list[str]:
        """Sessions, hours and credited hours of ``sessions``, as a row of the summary tables."""
        return [
            str(len(sessions)),
            t.hours_text(cells.minutes_total(sessions)),
            cells.credited_hours_text(cells.credited_total(sessions, data)),
        ]

    # --- the logs ----------------------------------------------------------------------------

    def log_columns(self, data: PortfolioData, given: bool = False) -> list[Column]:
        """Columns of a supervision log; with ``given`` the other person is the supervisee."""

        def who(session: SupervisionSession) -> str:
            name = data.person_name(session.counterpart_uid)
            organisation = data.organisation_name(session.organisation_uid)
            return t.join([name, organisation], "\n")

        def themes(session: SupervisionSession) -> str:
            course = data.courses.get(session.course_uid or "")
            course_title = f"Course: {getattr(course, 'title', '')}" if course else ""
            return t.join(["; ".join(session.themes), course_title], "\n")

        def credited(session: SupervisionSession) -> str:
            return cells.credited_hours_text(cells.credited_minutes(session, data))

        return [
            Column("Date", 46, lambda s: t.day(s.date)),
            Column("Duration (h)", 38, lambda s: t.hours_text(s.duration_minutes), "RIGHT"),
            Column("Type", 64, cells.supervision_type_text),
            Column("Format (group size)", 58, cells.supervision_format_text),
            Column("Supervisee" if given else "Supervisor", 110, who),
            Column("Credited (h)", 38, credited, "RIGHT"),
            Column("Themes discussed", 110, themes, max_lines=10),
            self.signoff_column(data, 56),
        ]

    def section_log(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Every session of supervision received, with credited time, themes and sign-off."""
        received = cells.received(data)
        hours = t.hours_text(cells.minutes_total(received))
        credited = cells.credited_hours_text(cells.credited_total(received, data))
        line = (
            f"{len(received)} sessions, {hours} hours recorded, {credited} hours credited, "
            f"{t.period_text(data.period)}."
        )
        lead = self.signed_lead(data, line, "", self.received_listed(data))
        return lead + self.log_table(self.log_columns(data), received)

    def section_given(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Every session of supervision the practitioner gave, for those who supervise too."""
        given = cells.given(data)
        line = f"{len(given)} sessions, {t.hours_text(cells.minutes_total(given))} hours given."
        return self.signed_lead(data, line, "", self.given_listed(data)) + self.log_table(
            self.log_columns(data, given=True),
            given,
            empty="No supervision given is recorded in this period.",
        )

    # --- breaks and CPD ----------------------------------------------------------------------

    def statement_draft(self, key: str, data: PortfolioData) -> str:
        """For the breaks, a line per month without supervision to complete with why and
        how it was remedied."""
        if key != "breaks":
            return ""
        return "\n\n".join(f"{month}: " for month, _ in supervision_breaks(data))

    def section_breaks(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each month with practice but no supervision received, and the practitioner's own
        account of why and of how it was remedied (an audit asks for both)."""
        breaks = supervision_breaks(data)
        story: list[Flowable] = [
            self.para(
                "Months in which practice was recorded but no supervision was received.",
                "muted",
            ),
            *self.log_table(
                [
                    Column("Month", 60, lambda r: r[0], bold=True),
                    Column("Practice (h)", 40, lambda r: t.hours_text(r[1]), "RIGHT"),
                    Column("Supervision", 60, lambda _: "None received"),
                ],
                breaks,
                empty="No break: every month with practice had supervision.",
            ),
        ]
        written = self.written("breaks", data)
        if written:
            story += [self.gap(3 * mm), *written]
        elif breaks:
            story += [
                self.gap(3 * mm),
                self.notice(
                    "<b>Reasons and remedies are not yet written by the practitioner</b> (in "
                    "the export window, or with --statement breaks=FILE).",
                    warning=True,
                ),
            ]
        return story

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The CPD of the period, numbered in date order, each with its reflective statement:
        what was learnt and how it changed the work (shareable words only)."""
        story: list[Flowable] = [
            self.para(
                "Numbered in date order; evidence files are numbered to match (CPD EV 1, "
                "CPD EV 2 …).",
                "muted",
            )
        ]
        for index, activity in enumerate(data.typed(K.CPD, CpdActivity), 1):
            header = (
                f"{index}. {activity.title} ({t.day_range(activity.start_date, activity.end_date)}"
                f", {activity.cpd_type.label.lower()}, {t.hours_text(activity.duration_minutes)} h"
                + (", skills" if activity.skills_focused else "")
                + ")"
            )
            pairs = [("What I learnt", activity.learning_outcomes)]
            if activity.impact:
                pairs.append(("How it changed my work", activity.impact))
            story += [
                CondPageBreak(30 * mm),
                Paragraph(escape(header), self.styles.h3),
                self.question_block(pairs),
                self.gap(2 * mm),
            ]
        return story

    # --- declaration -------------------------------------------------------------------------

    def section_declaration(self, data: PortfolioData, number: str) -> list[Flowable]:
        """A box for each supervisor to sign on paper, confirming the supervision recorded
        with them."""
        supervisors = sorted(
            {s.counterpart_uid for s in cells.received(data) if s.counterpart_uid},
            key=lambda uid: data.person_name(uid),
        )
        story: list[Flowable] = [
            self.para(
                "Each supervisor confirms that the supervision recorded above with them took "
                f"place as described, between {t.day(data.start)} and {t.day(data.end)}. "
                "Entries signed in the app are listed in the sign-off evidence; this page "
                "serves a signature on paper where one is asked for."
            ),
            self.gap(4 * mm),
        ]
        for uid in supervisors:
            story += [KeepTogether([self.declaration_box(uid, data)]), self.gap(6 * mm)]
        if not supervisors:
            story.append(self.para("No supervisor is named in this period.", "muted"))
        return story

    def declaration_box(self, uid: str, data: PortfolioData) -> Table:
        """A supervisor's name, registration and organisation, with room to sign and date."""
        person: Person | None = data.people.get(uid)
        registration = (
            t.join([person.registration_body, person.registration_number], " ") if person else ""
        )
        organisation = data.organisation_name(person.organisation_uid) if person else ""
        return self.form_box(
            [
                ("Supervisor", data.person_name(uid)),
                ("Registration", registration),
                ("Organisation", organisation),
                ("Signature", ""),
                ("Date", ""),
            ]
        )


def credit_words(data: PortfolioData) -> str:
    """How credited time was worked out, naming the pack whose formula it is."""
    if not data.group_credit_source:
        return (
            "Credited time: no requirement pack followed says how group supervision is "
            "credited, so all supervision counts in full."
        )
    return (
        f"Credited time, by the formula of {data.group_credit_source}: individual sessions "
        f"count in full. {data.group_credit.description.strip()}"
    )


def supervision_breaks(data: PortfolioData) -> list[tuple[str, int]]:
    """Months with practice recorded and no supervision received: (month, practice minutes)."""
    practice: dict[date, int] = defaultdict(int)
    for entry in data.typed(K.PRACTICE, PracticeEntry):
        practice[entry.date.replace(day=1)] += minutes_of(entry)
    supervised = {s.date.replace(day=1) for s in cells.received(data)}
    return [
        (f"{month:%B %Y}", minutes)
        for month, minutes in sorted(practice.items())
        if minutes and month not in supervised
    ]
