"""The supervision log a BABCP audit or a BACP application asks for, titled in the words of the
practitioner's role."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from logbook.domain.choices import Direction, SupervisionFormat, SupervisionMethod, SupervisionType
from logbook.domain.findings import Status
from logbook.domain.periods import Period, add_months
from logbook.domain.records import (
    Attachment,
    CpdActivity,
    Person,
    PracticeEntry,
    RecordKind,
    SupervisionSession,
    minutes_of,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.domain.requirements.model import GroupCredit
from logbook.domain.requirements.text import singular
from logbook.domain.roles import Role, role_of, words_for
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
# Whom a file's name could identify, in the words of the role.
PEOPLE = "a client"
S = SectionInfo
# The areas of supervision listed in the summary, the most frequent first.
AREAS_SHOWN = 12
# Methods in which the supervisor sees the work itself: BABCP's live sampling.
LIVE_METHODS = frozenset({SupervisionMethod.LIVE_OBSERVATION, SupervisionMethod.RECORDING_REVIEW})
# The roles BABCP registers as wellbeing practitioners (PWP, CWP, EMHP).
WELLBEING = frozenset({Role.PWP})
# What BABCP asks in a year: CPD activities, hours of CBT skills development, supervision given
# by a supervisor, live assessments of a wellbeing practitioner.
CPD_A_YEAR = 5
SKILLS_MINUTES = 6 * 60
GIVEN_MINUTES = 20 * 60
LIVE_A_YEAR = 2
# The worked example of the group formula: two hours with four supervisees.
EXAMPLE_MINUTES = 120
EXAMPLE_SIZE = 4
DAYS_A_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Criterion:
    """One line of what a body asks beside what is recorded; ``status`` None when the period
    cannot say (part of a year), and ``reason`` why it reads as it does."""

    asked: str
    required: str
    recorded: str
    status: Status | None
    reason: str = ""


class SupervisionLogRenderer(SignoffsSection):
    """The supervision record a BABCP audit or a BACP application asks for."""

    key = "supervision"
    title = "Supervision log"
    description = (
        "BABCP Clinical Supervision Logbook / BACP supervision record: date, duration, type and "
        "method, format and group, supervisor or group members, credited time, content, live "
        "sampling, breaks, CPD statements and sign-off."
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
        S(
            "cpd",
            "CPD and reflective statements",
            frozenset({K.CPD, K.ATTACHMENT}),
            omit_when_empty=True,
        ),
        S("declaration", "Supervisor declaration", frozenset({K.SUPERVISION})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "summary": (K.SUPERVISION,),
        "log": (K.SUPERVISION,),
        "given": (K.SUPERVISION,),
    }

    def has_entries(self, section: SectionInfo, data: PortfolioData) -> bool:
        """Supervision given is a log of its own: empty when none was given; the CPD
        statements are empty without CPD (files attached to other entries aside)."""
        if section.key == "given":
            return bool(cells.given(data))
        if section.key == "cpd":
            return bool(data.of(K.CPD))
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
        hours credited (by the formula named)."""
        received = cells.received(data)
        pairs = super().cover_details(data)
        formula = (
            f" by the formula of {data.group_credit_source}" if data.group_credit_source else ""
        )
        pairs.insert(
            5,
            (
                "Supervision received",
                f"{len(received)} sessions, "
                f"{t.hours_text(cells.minutes_total(received))} h recorded, "
                f"{cells.credited_hours_text(cells.credited_total(received, data))} h credited"
                + formula,
            ),
        )
        return pairs

    # --- summary -----------------------------------------------------------------------------

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """For an auditor: how group time is credited, the supervision received by type, in
        each twelve months and by supervisor, the areas covered, and hours per month against
        any required minimum."""
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
            *self.twelve_months_table(data),
            self.gap(5 * mm),
            figures_table(
                [
                    "Supervisor",
                    "Organisation",
                    "Arrangement",
                    "Sessions",
                    "Hours",
                    "Credited hours",
                    "Signed",
                ],
                self.supervisor_rows(data),
                [22, 22, 22, 12, 10, 12, 10],
                self.styles,
                align_right_from=3,
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

    def twelve_months_table(self, data: PortfolioData) -> list[Flowable]:
        """The twelve-month totals an audit asks for ("total hours for each section and/or
        sheet"), with the live sessions and, for a wellbeing practitioner, case-management and
        clinical-skills hours in columns of their own; then what "live" counts."""
        split = split_types(cells.received(data))
        header = ["Twelve months", "Sessions", "Live", "Hours", "Credited hours"]
        header += ["Credited a month (mean)"]
        header += [f"{kind.label} (h)" for kind in split]
        widths = [30, 11, 8, 10, 12, 14] + [17] * len(split)
        story: list[Flowable] = [
            figures_table(header, self.twelve_month_rows(data), widths, self.styles),
            self.gap(1.5 * mm),
            self.para(live_words(data), "muted"),
        ]
        if role_of(data.profile) in WELLBEING:
            story.append(self.para(live_assessment_line(data), "muted"))
        return story

    def twelve_month_rows(self, data: PortfolioData) -> list[list[str]]:
        """Supervision received in each twelve months back from the end of the period, as an
        audit totals it: sessions, those sampled live, hours, credited hours and their mean a
        month, and the hours of each type a wellbeing practitioner's log keeps apart."""
        received = cells.received(data)
        split = split_types(received)
        rows = []
        for span in cells.twelve_months_back(data.period):
            sessions = [s for s in received if span.contains(s.date)]
            count, hours, credited = self.figures(sessions, data)
            live = sum(1 for s in sessions if live_sampled(s))
            mean = cells.credited_hours_text(
                cells.credited_total(sessions, data) / max(1.0, months_in(span))
            )
            by_type = [
                t.hours_text(cells.minutes_total([s for s in sessions if s.supervision_type is k]))
                for k in split
            ]
            rows.append([t.period_text(span), count, str(live), hours, credited, mean, *by_type])
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
        """Sessions, hours, credited hours and the share signed per supervisor, organisation
        and supervision arrangement."""
        by_person: dict[tuple[str, str, str], list[SupervisionSession]] = defaultdict(list)
        for session in cells.received(data):
            key = (
                data.person_name(session.counterpart_uid) or "Not recorded",
                data.organisation_name(session.organisation_uid),
                session.arrangement,
            )
            by_person[key].append(session)
        index = self.signoffs(data)
        return [
            [
                name,
                organisation,
                arrangement,
                *self.figures(sessions, data),
                cells.signed_share_text(sessions, index),
            ]
            for (name, organisation, arrangement), sessions in sorted(by_person.items())
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
        """Columns of a supervision log, one row per session as BABCP's log keeps it; with
        ``given`` the other person is the supervisee."""

        def content(session: SupervisionSession) -> str:
            course = data.courses.get(session.course_uid or "")
            course_title = f"Course: {getattr(course, 'title', '')}" if course else ""
            actions = f"Action points: {session.action_points}" if session.action_points else ""
            return t.join(["; ".join(session.themes), actions, course_title], "\n")

        def credited(session: SupervisionSession) -> str:
            return cells.credited_hours_text(cells.credited_minutes(session, data))

        return [
            Column("Date", 46, lambda s: t.day(s.date)),
            Column("Duration (h)", 38, lambda s: t.hours_text(s.duration_minutes), "RIGHT"),
            Column("Type and method", 100, cells.supervision_type_text),
            Column("Format (group size)", 50, cells.supervision_format_text),
            Column(
                "Supervisee" if given else "Supervisor or group members",
                84,
                lambda s: people_text(s, data),
            ),
            Column("Credited (h)", 38, credited, "RIGHT"),
            Column("Themes discussed and action points", 104, content, max_lines=10),
            self.signoff_column(data, 50),
        ]

    def section_log(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Every session of supervision received, with credited time (by the formula named),
        content and sign-off."""
        received = cells.received(data)
        hours = t.hours_text(cells.minutes_total(received))
        credited = cells.credited_hours_text(cells.credited_total(received, data))
        line = (
            f"{len(received)} sessions, {hours} hours recorded, {credited} hours credited, "
            f"{t.period_text(data.period)}."
        )
        lead = self.signed_lead(data, line, credit_words(data), self.received_listed(data))
        return lead + self.log_table(self.log_columns(data), received)

    def section_given(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Every session of supervision the practitioner gave (BABCP's Provision of
        Supervision Log), after what BABCP asks of a supervisor beside what is recorded."""
        given = cells.given(data)
        line = f"{len(given)} sessions, {t.hours_text(cells.minutes_total(given))} hours given."
        note = (
            "BABCP asks an accredited supervisor for at least 20 hours of CBT supervision given "
            "a year (the Provision of Supervision Log), and for supervision of that supervision "
            "“equivalent to five per cent of your supervisory caseload or one hour per month”."
        )
        story = self.signed_lead(data, line, note, self.given_listed(data))
        story += [self.criteria_table(self.given_criteria(data)), self.gap(4 * mm)]
        return story + self.log_table(
            self.log_columns(data, given=True),
            given,
            empty="No supervision given is recorded in this period.",
        )

    def given_criteria(self, data: PortfolioData) -> list[Criterion]:
        """For each twelve months: the supervision given against 20 hours, and the supervision
        of supervision received against five per cent of it or an hour a month."""
        given, received = cells.given(data), cells.received(data)
        rows = []
        for span in cells.twelve_months_back(data.period):
            whole = whole_year(span)
            out = [s for s in given if span.contains(s.date)]
            out_minutes = cells.minutes_total(out)
            people = len({s.counterpart_uid for s in out if s.counterpart_uid})
            rows.append(
                Criterion(
                    f"Supervision given, {t.period_text(span)}",
                    "20.00 h a year",
                    f"{t.hours_text(out_minutes)} h to {counted(people, 'supervisees')}",
                    verdict(whole, out_minutes >= GIVEN_MINUTES),
                    ""
                    if not whole or out_minutes >= GIVEN_MINUTES
                    else f"{t.hours_text(GIVEN_MINUTES - out_minutes)} h more would meet it.",
                )
            )
            own = [
                s
                for s in received
                if span.contains(s.date)
                and s.supervision_type is SupervisionType.SUPERVISION_OF_SUPERVISION
            ]
            own_minutes = cells.minutes_total(own)
            share = out_minutes * 5 / 100
            monthly = round(60 * months_in(span))
            enough = own_minutes >= min(share, monthly)
            rows.append(
                Criterion(
                    f"Supervision of supervision, {t.period_text(span)}",
                    f"{t.hours_text(round(share))} h (5 % of supervision given) or "
                    f"{t.hours_text(monthly)} h (an hour a month)",
                    f"{t.hours_text(own_minutes)} h in {counted(len(own), 'sessions')}",
                    verdict(whole, enough),
                    ""
                    if not whole or enough
                    else f"{t.hours_text(round(min(share, monthly) - own_minutes))} h more "
                    "would meet it.",
                )
            )
        return rows

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
                "Months in which practice was recorded but no supervision was received. BABCP "
                "asks for “details and reasons for breaks in supervision, including steps taken "
                "to remedy any problems”; leave is part of that account.",
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
            story += [
                self.gap(3 * mm),
                self.markup("<b>Reasons for the breaks, and how they were remedied</b>"),
                *written,
            ]
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
        """The CPD of the period, numbered in date order, each with its reflective statement
        (what was learnt, how it changed the work; a private reflection only when the
        practitioner asked for it), after what BABCP asks of the year's CPD."""
        activities = data.typed(K.CPD, CpdActivity)
        files = cells.attachments_by_owner(data)
        story: list[Flowable] = [
            self.para(cpd_words(data), "muted"),
            self.gap(2 * mm),
            self.criteria_table(self.cpd_criteria(data)),
        ]
        if len([a for a in activities if not a.cbt_related]) > 1:
            story += [self.gap(2 * mm), self.notice(escape(non_cbt_words(activities)))]
        story += [
            self.gap(3 * mm),
            self.para(
                "Numbered in date order; evidence files are numbered to match (CPD EV 1, "
                "CPD EV 2 …). For webinars and reading the statement alone suffices.",
                "muted",
            ),
        ]
        for index, activity in enumerate(activities, 1):
            story += [
                CondPageBreak(30 * mm),
                Paragraph(escape(cpd_heading(index, activity)), self.styles.h3),
                self.para(cpd_details(index, activity, files.get(activity.uid, [])), "muted"),
                self.gap(1 * mm),
                self.question_block(statement_pairs(activity)),
                self.gap(2 * mm),
            ]
        return story

    def cpd_criteria(self, data: PortfolioData) -> list[Criterion]:
        """The twelve months' CPD against BABCP's five activities with reflective statements,
        six hours of skills development and at most one of the five not specific to CBT (for a
        wellbeing practitioner, the BPS register's three of five CBT-related too)."""
        span = cells.twelve_months_back(data.period)[-1]
        whole = whole_year(span)
        year = [a for a in data.typed(K.CPD, CpdActivity) if span.contains(a.start_date)]
        stated = [a for a in year if a.learning_outcomes.strip() or a.impact.strip()]
        skills = sum(a.duration_minutes for a in year if a.skills_focused)
        cbt = sum(1 for a in year if a.cbt_related)
        when = t.period_text(span)
        rows = [
            Criterion(
                f"Five CPD activities, each with a reflective statement ({when})",
                f"{CPD_A_YEAR} activities",
                f"{counted(len(year), 'activities')}, {len(stated)} with a statement",
                verdict(whole, len(stated) >= CPD_A_YEAR),
                ""
                if len(stated) >= CPD_A_YEAR
                else f"{counted(CPD_A_YEAR - len(stated), 'more activities')} with a reflective "
                "statement would meet it.",
            ),
            Criterion(
                f"Six hours of CBT skills development ({when})",
                "6.00 h",
                f"{t.hours_text(skills)} h",
                verdict(whole, skills >= SKILLS_MINUTES),
                ""
                if skills >= SKILLS_MINUTES
                else f"{t.hours_text(SKILLS_MINUTES - skills)} h more of skills-focused CPD "
                "would meet it.",
            ),
            Criterion(
                "At most one of the five not specific to CBT",
                "4 CBT-related",
                f"{cbt} of {len(year)} CBT-related",
                verdict(whole, cbt >= CPD_A_YEAR - 1),
                ""
                if cbt >= CPD_A_YEAR - 1
                else f"Five activities with at most one non-CBT need {CPD_A_YEAR - 1} that are "
                f"CBT-related; {CPD_A_YEAR - 1 - cbt} more would meet it.",
            ),
        ]
        if role_of(data.profile) in WELLBEING:
            rows.append(
                Criterion(
                    "BPS PWP register: at least three of the five CBT-related",
                    "3 CBT-related",
                    f"{cbt} of {len(year)} CBT-related",
                    verdict(whole, cbt >= 3),
                    "" if cbt >= 3 else f"{3 - cbt} more CBT-related activities would meet it.",
                )
            )
        return rows

    def criteria_table(self, rows: Sequence[Criterion]) -> Table:
        """What the body asks, what it requires, what is recorded, and whether it is met, with
        the reason where it is not."""
        cell = self.styles.cell
        return self.rich_table(
            ["What BABCP asks", "Required", "Recorded", "Status"],
            [
                [
                    Paragraph(escape(row.asked), cell),
                    Paragraph(escape(row.required), cell),
                    Paragraph(escape(row.recorded), cell),
                    Paragraph(self.verdict_markup(row), cell),
                ]
                for row in rows
            ],
            [36, 20, 20, 24],
        )

    def verdict_markup(self, row: Criterion) -> str:
        """A criterion's status in colour and its reason below it; "Not judged" when the
        period holds only part of the year asked about."""
        if row.status is None:
            head = "<b>Not judged</b>"
            reason = t.join(["The period holds only part of these twelve months.", row.reason], " ")
        else:
            head, reason = self.status_markup(row.status), row.reason
        return head + (f"<br/>{escape(reason)}" if reason else "")

    # --- declaration -------------------------------------------------------------------------

    def section_declaration(self, data: PortfolioData, number: str) -> list[Flowable]:
        """A box for each supervisor, and one for each peer group, to sign on paper,
        confirming the supervision recorded with them."""
        received = cells.received(data)
        led = [s for s in received if s.supervision_type is not SupervisionType.PEER]
        supervisors = sorted(
            {s.counterpart_uid for s in led if s.counterpart_uid},
            key=lambda uid: data.person_name(uid),
        )
        peer_groups: dict[str, list[SupervisionSession]] = defaultdict(list)
        for session in received:
            if session.supervision_type is SupervisionType.PEER:
                peer_groups[session.arrangement or "Peer supervision"].append(session)
        story: list[Flowable] = [
            self.para(
                "Each supervisor confirms that the supervision recorded above with them took "
                f"place as described, between {t.day(data.start)} and {t.day(data.end)}. BABCP: "
                "“endeavour to obtain the signatures of all your supervisors from the shown "
                "period. One signature from a peer group is sufficient. Electronic signatures "
                "are acceptable.” Entries signed in the app are listed in the sign-off evidence; "
                "this page serves a signature on paper where one is asked for."
            ),
            self.gap(4 * mm),
        ]
        for uid in supervisors:
            mine = [s for s in led if s.counterpart_uid == uid]
            story += [KeepTogether([self.declaration_box(uid, mine, data)]), self.gap(6 * mm)]
        for name, sessions in sorted(peer_groups.items()):
            story += [KeepTogether([self.peer_group_box(name, sessions, data)]), self.gap(6 * mm)]
        if not supervisors and not peer_groups:
            story.append(self.para("No supervisor is named in this period.", "muted"))
        return story

    def declaration_box(
        self, uid: str, sessions: Sequence[SupervisionSession], data: PortfolioData
    ) -> Table:
        """A supervisor's name, registration and organisation and the supervision recorded
        with them, with room to sign and date."""
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
                ("Supervised", supervised_text(sessions)),
                ("Signature", ""),
                ("Date", ""),
            ]
        )

    def peer_group_box(
        self, name: str, sessions: Sequence[SupervisionSession], data: PortfolioData
    ) -> Table:
        """A peer group's members and the supervision recorded with it, for one member to
        sign for the group."""
        members = dict.fromkeys(
            uid for s in sessions for uid in (s.counterpart_uid, *s.group_member_uids) if uid
        )
        return self.form_box(
            [
                ("Peer group", name),
                ("Members", ", ".join(data.person_name(uid) for uid in members)),
                ("Supervised", supervised_text(sessions)),
                ("Signed for the group by", ""),
                ("Signature", ""),
                ("Date", ""),
            ]
        )


# --- words ---------------------------------------------------------------------------------------


def credit_words(data: PortfolioData) -> str:
    """How credited time was worked out, naming the pack whose formula it is, with a worked
    example."""
    if not data.group_credit_source:
        return (
            "Credited time: no requirement pack followed says how group supervision is "
            "credited, so all supervision counts in full."
        )
    return (
        f"Credited time, by the formula of {data.group_credit_source}: individual sessions "
        f"count in full. {data.group_credit.description.strip()} "
        f"{credit_example(data.group_credit)}"
    )


def credit_example(credit: GroupCredit) -> str:
    """The formula worked for two hours of group supervision with four supervisees."""
    example = SupervisionSession(
        date=date(2000, 1, 1),
        duration_minutes=EXAMPLE_MINUTES,
        format=SupervisionFormat.GROUP,
        group_size=EXAMPLE_SIZE,
    )
    credited, _ = credit_minutes(example, credit)
    return (
        "Worked example: two hours of group supervision with four supervisees credit "
        f"{cells.credited_hours_text(credited)} h to each."
    )


def live_words(data: PortfolioData) -> str:
    """What the "Live" column counts, in the words of the practitioner's role."""
    counted = (
        "Live: sessions in which the supervisor saw the work as it happened or reviewed a "
        "recording of it (marked live, or with live observation or a recording reviewed among "
        "the methods)."
    )
    if role_of(data.profile) in WELLBEING:
        return f"{counted} For a wellbeing practitioner these are the live assessments."
    return f"{counted} BABCP asks for “regular episodes of live sampling in supervision”."


def live_assessment_line(data: PortfolioData) -> str:
    """The live assessments of the last twelve months against BABCP's two a year."""
    span = cells.twelve_months_back(data.period)[-1]
    live = sum(1 for s in cells.received(data) if span.contains(s.date) and live_sampled(s))
    head = (
        f"Live assessments, {t.period_text(span)}: {live}; BABCP asks for at least "
        f"{LIVE_A_YEAR} a year"
    )
    if live >= LIVE_A_YEAR:
        return f"{head}: {Status.MET.label.lower()}."
    if not whole_year(span):
        return f"{head} (the period holds only part of this year)."
    return f"{head}: {Status.NOT_YET_MET.label.lower()}, {LIVE_A_YEAR - live} more needed."


def cpd_words(data: PortfolioData) -> str:
    """What BABCP asks of a year's CPD, for the reader of the statements."""
    words = (
        "BABCP asks for five CPD activities a year, each with a reflective statement, "
        "including at least six hours of CBT skills development; one of the five may be an "
        "activity that is not specific to CBT (not as skills development)."
    )
    if role_of(data.profile) in WELLBEING:
        words += " The BPS PWP register asks that at least three of the five are CBT-related."
    return words


def non_cbt_words(activities: Sequence[CpdActivity]) -> str:
    """Which activities are not specific to CBT, when more than one is: BABCP accepts one."""
    numbers = [str(i) for i, a in enumerate(activities, 1) if not a.cbt_related]
    return (
        f"{len(numbers)} of these activities are not CBT-related (numbers "
        f"{', '.join(numbers)}). BABCP allows one non-CBT activity of the five: submit at most "
        "one of them among the five reflective statements."
    )


def cpd_heading(index: int, activity: CpdActivity) -> str:
    """ "1. Title (dates, type, 3.00 h, skills)" """
    return (
        f"{index}. {activity.title} ({t.day_range(activity.start_date, activity.end_date)}"
        f", {activity.cpd_type.label.lower()}, {t.hours_text(activity.duration_minutes)} h"
        + (", skills" if activity.skills_focused else "")
        + ")"
    )


def cpd_details(index: int, activity: CpdActivity, files: Sequence[Attachment]) -> str:
    """The provider, whether the activity is CBT-related, and its evidence files."""
    cbt = "CBT-related: yes" if activity.cbt_related else "CBT-related: no (not specific to CBT)"
    evidence = (
        f"Evidence CPD EV {index}: " + "; ".join(cells.attachment_name(f, PEOPLE) for f in files)
        if files
        else f"Evidence CPD EV {index}: no file attached"
    )
    provider = f"Provider: {activity.provider}" if activity.provider else ""
    return t.join([provider, cbt, evidence], " · ")


def statement_pairs(activity: CpdActivity) -> list[tuple[str, str]]:
    """The reflective statement: what was learnt, how it changed the work, and the
    reflection when the document holds it (a private one only on request)."""
    pairs = [
        ("What I learnt", activity.learning_outcomes),
        ("How it changed my work", activity.impact),
    ]
    if activity.reflection:
        question = (
            "Private reflection (included at the practitioner's request)"
            if activity.reflection_private
            else "Reflection"
        )
        pairs.append((question, activity.reflection))
    return pairs


def people_text(session: SupervisionSession, data: PortfolioData) -> str:
    """The supervisor (or supervisee), or in a group the facilitator and the colleagues in it,
    over the organisation."""
    name = data.person_name(session.counterpart_uid)
    organisation = data.organisation_name(session.organisation_uid)
    if session.format is not SupervisionFormat.GROUP:
        return t.join([name, organisation], "\n")
    members = ", ".join(data.person_name(uid) for uid in session.group_member_uids)
    led = session.direction is Direction.RECEIVED and (
        session.supervision_type is not SupervisionType.PEER
    )
    lead = f"{name} (facilitator)" if name and led else name
    return t.join([lead, f"Group members: {members}" if members else "", organisation], "\n")


def supervised_text(sessions: Sequence[SupervisionSession]) -> str:
    """ "12 sessions, 18.00 h, 02 Dec 2025 – 24 Nov 2026" """
    if not sessions:
        return ""
    dates = [s.date for s in sessions]
    return (
        f"{counted(len(sessions), 'sessions')}, {t.hours_text(cells.minutes_total(sessions))} h, "
        f"{t.day_range(min(dates), max(dates))}"
    )


def counted(count: int, noun: str) -> str:
    """A count with its noun in the right number ("1 session", "2 sessions")."""
    return f"{count} {noun if count != 1 else singular(noun)}"


def live_sampled(session: SupervisionSession) -> bool:
    """Whether the supervisor saw the work live or from a recording in the session."""
    return session.live or any(method in LIVE_METHODS for method in session.methods)


def split_types(sessions: Sequence[SupervisionSession]) -> list[SupervisionType]:
    """The types a wellbeing practitioner's log totals apart (case management, clinical
    skills), those present only."""
    present = {s.supervision_type for s in sessions}
    wanted = (SupervisionType.CASE_MANAGEMENT, SupervisionType.CLINICAL_SKILLS)
    return [kind for kind in wanted if kind in present]


def whole_year(span: Period) -> bool:
    """Whether a span of the twelve-month totals is a whole twelve months (the first may be
    shorter)."""
    assert span.start is not None
    assert span.end is not None
    return span.start <= add_months(span.end, -12) + timedelta(days=1)


def months_in(span: Period) -> float:
    """How many months a span lasts (twelve for a whole year)."""
    assert span.start is not None
    assert span.end is not None
    return ((span.end - span.start).days + 1) / DAYS_A_MONTH


def verdict(whole: bool, met: bool) -> Status | None:
    """Met, or not yet met; None (not judged) when a shortfall is over part of a year only."""
    if met:
        return Status.MET
    return Status.NOT_YET_MET if whole else None


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
