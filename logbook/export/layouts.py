"""One layout per body: each a renderer over the shared base with the shape the body asks for.

- Generic portfolio: every section (the base renderer itself).
- Supervision log: the BABCP Clinical Supervision Logbook / BACP supervision record.
- NMC revalidation: practice hours, CPD, feedback, reflective accounts, discussion, confirmation.
- HCPC CPD profile: practice summary, statement material and a dated activity list with gaps.
- Mindfulness teacher record: courses, supervision per course, retreats, practice, pathway.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from logbook.domain.periods import add_months
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Milestone,
    PersonalPractice,
    PracticeEntry,
    RecordKind,
    ReflectiveAccount,
    SupervisionSession,
    TeachingCourse,
    minutes_of,
)
from logbook.domain.requirements.credit import credit_minutes
from logbook.export import charts
from logbook.export import text as t
from logbook.export.base import (
    PortfolioRenderer,
    course_role_text,
    course_sessions_text,
    current_stage,
    supervision_format_text,
    supervision_type_text,
)
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import (
    FRAME_WIDTH,
    NAVY,
    PALE,
    RULE,
    WARNING,
    Column,
    escape,
    figures_table,
    table_style,
)

K = RecordKind
S = SectionInfo


def credited_minutes(session: SupervisionSession, data: PortfolioData) -> float:
    """Supervision time credited to the supervisee by the group formula the data names."""
    return credit_minutes(session, data.group_credit)[0]


def _received(data: PortfolioData) -> list[SupervisionSession]:
    return [
        r
        for r in data.of(K.SUPERVISION)
        if isinstance(r, SupervisionSession) and r.direction == "received"
    ]


def _given(data: PortfolioData) -> list[SupervisionSession]:
    return [
        r
        for r in data.of(K.SUPERVISION)
        if isinstance(r, SupervisionSession) and r.direction == "given"
    ]


def _minutes_text(minutes: float) -> str:
    return f"{minutes / 60:.2f}"


# --- supervision log ---------------------------------------------------------------------------


class SupervisionLogRenderer(PortfolioRenderer):
    """The supervision record a BABCP audit or a BACP application asks for."""

    key = "supervision"
    title = "Clinical supervision log"
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
        S("given", "Supervision given", frozenset({K.SUPERVISION}), frozenset({"signoffs"})),
        S("declaration", "Supervisor declaration", frozenset({K.SUPERVISION})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        received = _received(data)
        pairs = super().cover_details(data)
        pairs.insert(
            5,
            (
                "Supervision received",
                f"{len(received)} sessions, "
                f"{t.hours_text(sum(r.duration_minutes for r in received))} h recorded, "
                f"{_minutes_text(sum(credited_minutes(r, data) for r in received))} h credited",
            ),
        )
        return pairs

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        received = _received(data)
        by_type: dict[str, list[SupervisionSession]] = defaultdict(list)
        for session in received:
            by_type[session.supervision_type.label].append(session)
        type_rows = [
            [
                label,
                str(len(sessions)),
                t.hours_text(sum(s.duration_minutes for s in sessions)),
                _minutes_text(sum(credited_minutes(s, data) for s in sessions)),
            ]
            for label, sessions in sorted(by_type.items())
        ]
        type_rows.append(
            [
                "All supervision received",
                str(len(received)),
                t.hours_text(sum(s.duration_minutes for s in received)),
                _minutes_text(sum(credited_minutes(s, data) for s in received)),
            ]
        )
        by_person: dict[tuple[str, str], list[SupervisionSession]] = defaultdict(list)
        for session in received:
            key = (
                data.person_name(session.counterpart_uid) or "Not recorded",
                data.organisation_name(session.organisation_uid),
            )
            by_person[key].append(session)
        person_rows = [
            [
                name,
                organisation,
                str(len(sessions)),
                t.hours_text(sum(s.duration_minutes for s in sessions)),
                _minutes_text(sum(credited_minutes(s, data) for s in sessions)),
            ]
            for (name, organisation), sessions in sorted(by_person.items())
        ]
        story: list[Flowable] = [
            self.para(
                "Credited time: individual sessions count in full. "
                + data.group_credit.description.strip()
            ),
            self.gap(3 * mm),
            figures_table(
                ["Type of supervision", "Sessions", "Hours", "Credited hours"],
                type_rows,
                [52, 16, 16, 16],
                self.styles,
                total_row=True,
            ),
            self.gap(5 * mm),
            figures_table(
                ["Supervisor", "Organisation", "Sessions", "Hours", "Credited hours"],
                person_rows,
                [30, 34, 12, 12, 12],
                self.styles,
                align_right_from=2,
            ),
            self.gap(6 * mm),
            KeepTogether(
                [charts.monthly_hours_chart(self.supervision_series(data), FRAME_WIDTH, 170)]
            ),
        ]
        by_org = self.supervision_by(data, "organisation_uid")
        if len(by_org) > 1:
            story += [
                self.gap(4 * mm),
                self.totals_chart(by_org, "Supervision received by organisation"),
            ]
        return story

    def log_columns(self, data: PortfolioData, given: bool = False) -> list[Column]:
        signed = self.signoff_of(data)

        def who(session: SupervisionSession) -> str:
            name = data.person_name(session.counterpart_uid)
            organisation = data.organisation_name(session.organisation_uid)
            return t.join([name, organisation], "\n")

        def themes(session: SupervisionSession) -> str:
            course = data.courses.get(session.course_uid or "")
            course_title = f"Course: {getattr(course, 'title', '')}" if course else ""
            return t.join(["; ".join(session.themes), course_title], "\n")

        return [
            Column("Date", 46, lambda s: t.day(s.date)),
            Column("Duration (h)", 38, lambda s: t.hours_text(s.duration_minutes), "RIGHT"),
            Column("Type", 64, supervision_type_text),
            Column("Format (group size)", 58, supervision_format_text),
            Column("Supervisee" if given else "Supervisor", 110, who),
            Column("Credited (h)", 38, lambda s: _minutes_text(credited_minutes(s, data)), "RIGHT"),
            Column("Themes discussed", 110, themes, max_lines=10),
            Column("Sign-off", 56, lambda s: self.signoff_cell(signed.get(s.uid))),
        ]

    def section_log(self, data: PortfolioData, number: str) -> list[Flowable]:
        received = _received(data)
        total = sum(s.duration_minutes for s in received)
        credited = sum(credited_minutes(s, data) for s in received)
        story: list[Flowable] = [
            self.markup(
                f"<b>{len(received)} sessions, {t.hours_text(total)} hours recorded, "
                f"{_minutes_text(credited)} hours credited, {escape(t.period_text(data.period))}."
                "</b>"
            ),
            self.gap(2.5 * mm),
        ]
        story += self.log_table(self.log_columns(data), received)
        return story

    def section_given(self, data: PortfolioData, number: str) -> list[Flowable]:
        given = _given(data)
        total = sum(s.duration_minutes for s in given)
        story: list[Flowable] = [
            self.markup(f"<b>{len(given)} sessions, {t.hours_text(total)} hours given.</b>"),
            self.gap(2.5 * mm),
        ]
        story += self.log_table(
            self.log_columns(data, given=True),
            given,
            empty="No supervision given is recorded in this period.",
        )
        return story

    def section_declaration(self, data: PortfolioData, number: str) -> list[Flowable]:
        supervisors = sorted(
            {s.counterpart_uid for s in _received(data) if s.counterpart_uid},
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
            person = data.people.get(uid)
            name = data.person_name(uid)
            registration = (
                t.join([person.registration_body, person.registration_number], " ")
                if person
                else ""
            )
            organisation = data.organisation_name(person.organisation_uid) if person else ""
            rows = [
                ["Supervisor", name],
                ["Registration", registration or " "],
                ["Organisation", organisation or " "],
                ["Signature", " "],
                ["Date", " "],
            ]
            table = Table(
                [
                    [
                        Paragraph(escape(a), self.styles.cell_bold),
                        Paragraph(escape(b), self.styles.body),
                    ]
                    for a, b in rows
                ],
                colWidths=[38 * mm, FRAME_WIDTH - 38 * mm],
                rowHeights=[None, None, None, 14 * mm, None],
            )
            table.setStyle(
                table_style(
                    [
                        ("BOX", (0, 0), (-1, -1), 0.6, NAVY),
                        ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
                        ("BACKGROUND", (0, 0), (0, -1), PALE),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story += [KeepTogether([table]), self.gap(6 * mm)]
        if not supervisors:
            story.append(self.para("No supervisor is named in this period.", "muted"))
        return story


# --- NMC revalidation --------------------------------------------------------------------------


class NmcRevalidationRenderer(PortfolioRenderer):
    """The record NMC revalidation asks for, in the order of the NMC templates."""

    key = "nmc"
    title = "NMC revalidation record"
    description = (
        "Practice hours, CPD with participatory hours, practice-related feedback, reflective "
        "accounts, reflective discussion and confirmation."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S(
            "summary",
            "Revalidation summary",
            frozenset({K.PRACTICE, K.CPD, K.FEEDBACK, K.REFLECTIVE_ACCOUNT, K.ATTESTATION}),
        ),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
        S("practice", "Practice hours", frozenset({K.PRACTICE})),
        S("cpd", "Continuing professional development", frozenset({K.CPD})),
        S("feedback", "Practice-related feedback", frozenset({K.FEEDBACK})),
        S("reflective_accounts", "Written reflective accounts", frozenset({K.REFLECTIVE_ACCOUNT})),
        S("discussion", "Reflective discussion", frozenset({K.ATTESTATION})),
        S("confirmation", "Confirmation", frozenset({K.ATTESTATION})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )

    pack_words = ("nmc",)

    needs_registration = ("NMC", "your PIN and renewal date")

    def registration(self, data: PortfolioData) -> str:
        found = t.registration_for(data.profile, "NMC")
        return t.registration_text(found) if found else ""

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        pairs = super().cover_details(data)
        found = t.registration_for(data.profile, "NMC")
        if found:
            pairs.insert(1, ("NMC PIN", found.number or t.DASH))
            if found.renewal_date:
                pairs.insert(2, ("Revalidation due", t.day(found.renewal_date)))
        return pairs

    def attestations(self, data: PortfolioData, kind: str) -> list[Attestation]:
        return [
            a
            for a in data.of(K.ATTESTATION)
            if isinstance(a, Attestation) and a.attestation_kind == kind
        ]

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        cpd = [r for r in data.of(K.CPD) if isinstance(r, CpdActivity)]
        participatory = sum(r.duration_minutes for r in cpd if r.participatory)
        discussions = self.attestations(data, "reflective_discussion")
        confirmations = self.attestations(data, "confirmation")
        rows = [
            ["Practice hours", f"{t.hours_text(data.total(K.PRACTICE).minutes)} h"],
            ["CPD hours", f"{t.hours_text(data.total(K.CPD).minutes)} h"],
            ["  of which participatory", f"{t.hours_text(participatory)} h"],
            ["Pieces of practice-related feedback", str(data.total(K.FEEDBACK).count)],
            ["Written reflective accounts", str(data.total(K.REFLECTIVE_ACCOUNT).count)],
            [
                "Reflective discussion",
                "; ".join(f"{a.by_name}, {t.day(a.date)}" for a in discussions)
                or "Not yet recorded",
            ],
            [
                "Confirmation",
                "; ".join(f"{a.by_name}, {t.day(a.date)}" for a in confirmations)
                or "Not yet recorded",
            ],
        ]
        return [
            self.para(
                f"Registration: {self.registration(data)}. Figures are the entries recorded "
                f"between {t.day(data.start)} and {t.day(data.end)}; the requirement status "
                "section checks them against the NMC's published numbers."
            ),
            self.gap(3 * mm),
            figures_table(["Requirement", "Recorded"], rows, [60, 40], self.styles),
        ]

    def section_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        # One line per year, organisation and work setting, as in the NMC practice hours log.
        groups: dict[tuple[int, str, str], list[PracticeEntry]] = defaultdict(list)
        for entry in data.of(K.PRACTICE):
            assert isinstance(entry, PracticeEntry)
            key = (
                entry.date.year,
                data.organisation_name(entry.organisation_uid),
                entry.setting.label,
            )
            groups[key].append(entry)
        rows = []
        for (_, organisation, setting), entries in sorted(groups.items()):
            activities = Counter(e.activity.label for e in entries)
            rows.append(
                (
                    t.day_range(entries[0].date, entries[-1].date),
                    organisation or "Not recorded",
                    ", ".join(a for a, _ in activities.most_common(4)),
                    setting,
                    sum(minutes_of(e) for e in entries),
                    len(entries),
                )
            )
        total = data.total(K.PRACTICE)
        story: list[Flowable] = [
            self.markup(
                f"<b>{t.hours_text(total.minutes)} practice hours from {total.count} entries.</b>"
            ),
            self.para(
                "By year, organisation and work setting, as in the NMC practice hours log; "
                "sessions marked did-not-attend count no hours.",
                "muted",
            ),
            self.gap(2.5 * mm),
        ]
        story += self.log_table(
            [
                Column("Dates", 70, lambda r: r[0]),
                Column("Organisation", 100, lambda r: r[1], bold=True),
                Column("Scope of practice", 130, lambda r: r[2]),
                Column("Work setting", 80, lambda r: r[3]),
                Column("Entries", 36, lambda r: str(r[5]), "RIGHT"),
                Column("Hours", 44, lambda r: t.hours_text(r[4]), "RIGHT"),
            ],
            rows,
        )
        return story

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        cpd = [r for r in data.of(K.CPD) if isinstance(r, CpdActivity)]
        participatory = sum(r.duration_minutes for r in cpd if r.participatory)
        story: list[Flowable] = [
            self.markup(
                f"<b>{len(cpd)} activities, {t.hours_text(data.total(K.CPD).minutes)} hours, "
                f"of which {t.hours_text(participatory)} participatory.</b>"
            ),
            self.gap(2.5 * mm),
        ]
        story += self.log_table(
            [
                Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
                Column("Method", 56, lambda r: r.cpd_type.label),
                Column("Topic", 110, lambda r: t.join([r.title, r.provider], "\n"), bold=False),
                Column("Link to the Code", 70, lambda r: r.standard_link),
                Column("Hours", 32, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
                Column(
                    "Participatory hours",
                    40,
                    lambda r: t.hours_text(r.duration_minutes if r.participatory else 0),
                    "RIGHT",
                ),
                Column("What I learned", 110, lambda r: r.learning_outcomes, max_lines=10),
            ],
            cpd,
        )
        return story

    def section_feedback(self, data: PortfolioData, number: str) -> list[Flowable]:
        story: list[Flowable] = [self.kind_count(data, K.FEEDBACK, "piece", "pieces")]
        story += self.log_table(
            [
                Column("Date", 46, lambda r: t.day(r.date)),
                Column("Source", 70, lambda r: r.source.label),
                Column("Content of the feedback", 180, lambda r: r.summary, max_lines=14),
                Column("How I used it", 170, _shareable_reflection, max_lines=14),
            ],
            data.of(K.FEEDBACK),
        )
        return story

    def kind_count(self, data: PortfolioData, kind: RecordKind, one: str, many: str) -> Flowable:
        count = data.total(kind).count
        return self.markup(f"<b>{count} {one if count == 1 else many} recorded.</b>")

    def section_reflective_accounts(self, data: PortfolioData, number: str) -> list[Flowable]:
        accounts = [a for a in data.of(K.REFLECTIVE_ACCOUNT) if isinstance(a, ReflectiveAccount)]
        story: list[Flowable] = [
            self.kind_count(data, K.REFLECTIVE_ACCOUNT, "account", "accounts"),
            self.gap(2 * mm),
        ]
        if not accounts:
            story.append(self.para("No reflective account is recorded in this period.", "muted"))
        for index, account in enumerate(accounts, 1):
            story += [
                CondPageBreak(55 * mm),
                *self.h2(
                    f"Reflective account {index}: {account.title}",
                    f"account_{account.uid}",
                    contents=False,
                ),
                self.para(
                    t.day(account.date)
                    + (" · PRIVATE (included on request)" if account.private else ""),
                    "muted",
                ),
                self.gap(1.5 * mm),
                self.question_block(
                    [
                        (
                            "What was the nature of the CPD activity, practice-related feedback "
                            "or event or experience in your practice?",
                            account.experience,
                        ),
                        ("What did you learn from it?", account.learning),
                        (
                            "How did you change or improve your practice as a result?",
                            account.change_in_practice,
                        ),
                        (
                            "How is this relevant to the Code?",
                            "; ".join(account.code_themes),
                        ),
                    ]
                ),
            ]
        return story

    def attestation_table(self, data: PortfolioData, kind: str, empty: str) -> list[Flowable]:
        return self.log_table(
            [
                Column("Date", 50, lambda a: t.day(a.date)),
                Column("Name", 100, lambda a: a.by_name, bold=True),
                Column("Role", 90, lambda a: a.by_role),
                Column("NMC PIN or registration", 90, lambda a: a.by_registration),
                Column("Notes", 140, lambda a: a.notes, max_lines=12),
            ],
            self.attestations(data, kind),
            empty=empty,
        )

    def section_discussion(self, data: PortfolioData, number: str) -> list[Flowable]:
        return [
            self.para(
                "A reflective discussion with another NMC registrant covering the five written "
                "reflective accounts.",
                "muted",
            ),
            self.gap(2 * mm),
            *self.attestation_table(
                data,
                "reflective_discussion",
                "No reflective discussion is recorded in this period.",
            ),
        ]

    def section_confirmation(self, data: PortfolioData, number: str) -> list[Flowable]:
        return [
            self.para(
                "Confirmation by an appropriate person in the final twelve months before "
                "revalidation.",
                "muted",
            ),
            self.gap(2 * mm),
            *self.attestation_table(
                data, "confirmation", "No confirmation is recorded in this period."
            ),
        ]


def _shareable_reflection(record: FeedbackEntry) -> str:
    if not record.reflection:
        return ""
    return ("PRIVATE – " if record.reflection_private else "") + record.reflection


# --- HCPC CPD profile --------------------------------------------------------------------------


class HcpcCpdProfileRenderer(PortfolioRenderer):
    """The CPD profile an HCPC audit asks for."""

    key = "hcpc"
    title = "HCPC CPD profile"
    description = (
        "Summary of practice, material for the statement, and a dated chronological list of "
        "CPD with gaps of three months or more flagged."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S("practice_summary", "Summary of recent work", frozenset({K.PRACTICE, K.SUPERVISION})),
        S("statement", "Personal statement: activities and their benefit", frozenset({K.CPD})),
        S("activities", "Dated list of CPD activities", frozenset({K.CPD})),
        S("learning_types", "Types of learning", frozenset({K.CPD})),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
    )

    pack_words = ("hcpc",)

    needs_registration = ("HCPC", "your registration number")

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
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

    def practice_summary(self, data: PortfolioData) -> str:
        profile = data.profile
        roles = t.roles_in(profile, data.period)
        role_text = "; ".join(
            t.join([r.title, data.organisation_name(r.organisation_uid)], " at ") for r in roles
        )
        entries = [e for e in data.of(K.PRACTICE) if isinstance(e, PracticeEntry)]
        by_setting: Counter[str] = Counter()
        by_activity: Counter[str] = Counter()
        groups: Counter[str] = Counter()
        for entry in entries:
            minutes = minutes_of(entry)
            by_setting[entry.setting.label.lower()] += minutes
            by_activity[entry.activity.label.lower()] += minutes
            if entry.client_group:
                groups[entry.client_group] += 1
        supervision = sum(
            r.duration_minutes
            for r in data.of(K.SUPERVISION)
            if isinstance(r, SupervisionSession) and r.direction == "received"
        )
        parts = [
            f"{profile.name} works as {role_text}." if role_text else f"{profile.name}.",
        ]
        if entries:
            settings = ", ".join(
                f"{name} ({minutes / 60:.0f} h)" for name, minutes in by_setting.most_common(4)
            )
            activities = ", ".join(name for name, _ in by_activity.most_common(4))
            parts.append(
                f"Between {t.day(data.start)} and {t.day(data.end)} they recorded "
                f"{t.hours_text(data.total(K.PRACTICE).minutes)} hours of practice in "
                f"{settings}, mainly {activities}."
            )
        if groups:
            parts.append(
                "Client groups: " + ", ".join(name for name, _ in groups.most_common(5)) + "."
            )
        if profile.client_groups:
            parts.append(
                "Their qualification covers work with " + ", ".join(profile.client_groups) + "."
            )
        if supervision:
            parts.append(
                f"They received {t.hours_text(supervision)} hours of supervision in the period."
            )
        return " ".join(parts)

    def section_practice_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        summary = self.practice_summary(data)
        words = len(summary.split())
        return [
            self.para(summary),
            self.gap(2 * mm),
            self.para(
                f"{words} words, drawn from the recorded roles and practice (the HCPC asks for "
                "no more than 500). Edit it into your own words before submitting.",
                "muted",
            ),
        ]

    def statement_activities(self, data: PortfolioData) -> list[CpdActivity]:
        """Activities with written outcomes, the richest first (four to six are asked for)."""
        cpd = [r for r in data.of(K.CPD) if isinstance(r, CpdActivity)]
        rich = [r for r in cpd if r.learning_outcomes or r.reflection]
        rich.sort(
            key=lambda r: (-(len(r.learning_outcomes) + len(r.reflection)), -r.duration_minutes)
        )
        chosen = rich[:6]
        chosen.sort(key=lambda r: r.start_date)
        return chosen

    def section_statement(self, data: PortfolioData, number: str) -> list[Flowable]:
        chosen = self.statement_activities(data)
        story: list[Flowable] = [
            self.para(
                "The HCPC asks for a statement of about 1,500 words on four to six activities, "
                "showing how they improved the quality of your work and benefited service "
                "users. These are the activities with the fullest written outcomes, with what "
                "you recorded about each, as material for that statement.",
                "muted",
            ),
            self.gap(3 * mm),
        ]
        if not chosen:
            story.append(self.para("No CPD activity with written outcomes is recorded.", "muted"))
        for index, activity in enumerate(chosen, 1):
            header = (
                f"Activity {index}: {activity.title} "
                f"({t.day_range(activity.start_date, activity.end_date)}, "
                f"{activity.cpd_type.label.lower()}, {t.hours_text(activity.duration_minutes)} h)"
            )
            pairs = [("Learning outcomes", activity.learning_outcomes)]
            if activity.reflection:
                label = (
                    "Reflection (private, included on request)"
                    if activity.reflection_private
                    else "Reflection"
                )
                pairs.append((label, activity.reflection))
            if activity.standard_link:
                pairs.append(("Standards it relates to", activity.standard_link))
            story += [
                CondPageBreak(40 * mm),
                Paragraph(escape(header), self.styles.h3),
                self.question_block(pairs),
                self.gap(3 * mm),
            ]
        return story

    def activity_rows(self, data: PortfolioData) -> tuple[list[Any], dict[int, list[Any]]]:
        """Activities oldest first, with a flagged row for every gap of three months or more."""
        cpd = sorted(
            (r for r in data.of(K.CPD) if isinstance(r, CpdActivity)),
            key=lambda r: (r.start_date, r.uid),
        )
        rows: list[Any] = []
        styles: dict[int, list[Any]] = {}
        previous = data.start

        def flag(start: Any, end: Any) -> None:
            # A gap counts from the day after the last activity (or the period start).
            if add_months(start, 3) <= end:
                months = (end.year - start.year) * 12 + end.month - start.month
                rows.append(("gap", start, end, months))
                styles[len(rows) - 1] = [
                    ("BACKGROUND", "#FBEDEA"),
                    ("TEXTCOLOR", WARNING),
                ]

        for activity in cpd:
            flag(previous, activity.start_date)
            rows.append(("activity", activity))
            previous = activity.end_date or activity.start_date
        flag(previous, data.end)
        return rows, styles

    def section_activities(self, data: PortfolioData, number: str) -> list[Flowable]:
        rows, row_styles = self.activity_rows(data)
        gaps = [r for r in rows if r[0] == "gap"]
        count = sum(1 for r in rows if r[0] == "activity")

        def cell(index: int) -> Any:
            def value(row: Any) -> str:
                if row[0] == "gap":
                    if index == 0:
                        return t.day_range(row[1], row[2])
                    if index == 1:
                        return (
                            f"GAP of {row[3]} months with no CPD recorded – explain this gap "
                            "in your profile"
                        )
                    return ""
                activity: CpdActivity = row[1]
                return [
                    t.day_range(activity.start_date, activity.end_date),
                    t.join([activity.title, activity.provider], " – "),
                    activity.cpd_type.label,
                    t.hours_text(activity.duration_minutes),
                    activity.learning_outcomes,
                ][index]

            return value

        story: list[Flowable] = [
            self.markup(
                f"<b>{count} activities, {t.hours_text(data.total(K.CPD).minutes)} hours; "
                f"{len(gaps)} gap(s) of three months or more.</b>"
            ),
            self.para(
                "In date order, as the HCPC asks (an audit looks at the last two years; 12 to "
                "50 activities is typical). Gaps of three months or more are flagged so that "
                "they can be explained.",
                "muted",
            ),
            self.gap(2.5 * mm),
        ]
        # Styles of flagged rows are colour commands applied to the whole row.
        commands = {
            index: [(name, value) for name, value in spec] for index, spec in row_styles.items()
        }
        story += self.log_table(
            [
                Column("Date", 62, cell(0)),
                Column("Activity", 160, cell(1), bold=True),
                Column("Type of learning", 66, cell(2)),
                Column("Hours", 32, cell(3), "RIGHT"),
                Column("Outcome", 140, cell(4), max_lines=8),
            ],
            rows,
            commands,
        )
        return story

    def section_learning_types(self, data: PortfolioData, number: str) -> list[Flowable]:
        counts: Counter[str] = Counter()
        minutes: Counter[str] = Counter()
        for activity in data.of(K.CPD):
            assert isinstance(activity, CpdActivity)
            counts[activity.cpd_type.label] += 1
            minutes[activity.cpd_type.label] += activity.duration_minutes
        rows = [[label, str(n), t.hours_text(minutes[label])] for label, n in counts.most_common()]
        return [
            self.para(
                f"{len(counts)} different types of learning recorded (the HCPC asks for a mix, "
                "at least two).",
            ),
            self.gap(2 * mm),
            figures_table(
                ["Type of learning", "Activities", "Hours"], rows, [60, 20, 20], self.styles
            ),
        ]


# --- mindfulness teacher record ----------------------------------------------------------------


class MindfulnessTeacherRenderer(PortfolioRenderer):
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
        S("pathways", "Pathway stage and milestones", frozenset({K.PATHWAY, K.MILESTONE})),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )

    pack_words = ("bamba", "mindful", "mbct")

    def courses(self, data: PortfolioData) -> list[TeachingCourse]:
        return [c for c in data.of(K.COURSE) if isinstance(c, TeachingCourse)]

    def course_supervision(self, data: PortfolioData) -> dict[str, list[SupervisionSession]]:
        found: dict[str, list[SupervisionSession]] = defaultdict(list)
        for session in _received(data):
            if session.course_uid:
                found[session.course_uid].append(session)
        return found

    def retreats(self, data: PortfolioData) -> list[PersonalPractice]:
        return [
            r
            for r in data.of(K.PERSONAL_PRACTICE)
            if isinstance(r, PersonalPractice) and r.practice_kind == "retreat"
        ]

    def daily(self, data: PortfolioData) -> list[PersonalPractice]:
        return [
            r
            for r in data.of(K.PERSONAL_PRACTICE)
            if isinstance(r, PersonalPractice) and r.practice_kind != "retreat"
        ]

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        courses = self.courses(data)
        supervision = self.course_supervision(data)
        led = sum(1 for c in courses if c.role == "lead")
        retreats = self.retreats(data)
        retreat_days = sum(r.days for r in retreats)
        silent_days = sum(r.days * r.silence_percent / 100 for r in retreats)
        daily = self.daily(data)
        practice_minutes = sum(r.duration_minutes for r in daily)
        milestones = sorted(
            (m for m in data.of(K.MILESTONE) if isinstance(m, Milestone)),
            key=lambda m: (m.pathway_uid, m.sequence),
        )
        stage = current_stage(milestones)
        course_minutes = sum(s.duration_minutes for v in supervision.values() for s in v)
        rows = [
            ["Courses taught", f"{len(courses)} ({led} as lead teacher)"],
            ["Supervision for these courses", f"{t.hours_text(course_minutes)} h"],
            [
                "Retreat days",
                f"{retreat_days:g} days, of which {silent_days:.1f} in silence",
            ],
            [
                "Personal practice",
                f"{t.hours_text(practice_minutes)} h over {len(daily)} sessions",
            ],
            ["Pathway stage", stage or "Not recorded"],
        ]
        story: list[Flowable] = [
            self.para(
                f"The teaching record between {t.day(data.start)} and {t.day(data.end)}: "
                "courses taught with the supervision received for each, retreats and personal "
                "practice, and progress along the training pathway."
            ),
            self.gap(3 * mm),
            figures_table(["", "Recorded"], rows, [45, 55], self.styles),
            self.gap(6 * mm),
        ]
        years = self.retreat_years(data)
        if years:
            story.append(
                KeepTogether(
                    [
                        charts.totals_bar_chart(
                            [str(y) for y, _, _ in years],
                            [days for _, days, _ in years],
                            FRAME_WIDTH,
                            30 + 18 * len(years),
                            title="Retreat days per year",
                            unit="days",
                        )
                    ]
                )
            )
        return story

    def retreat_years(self, data: PortfolioData) -> list[tuple[int, float, float]]:
        days: dict[int, float] = defaultdict(float)
        silent: dict[int, float] = defaultdict(float)
        for retreat in self.retreats(data):
            days[retreat.start_date.year] += retreat.days
            silent[retreat.start_date.year] += retreat.days * retreat.silence_percent / 100
        return [(year, days[year], silent[year]) for year in sorted(days)]

    def section_courses(self, data: PortfolioData, number: str) -> list[Flowable]:
        supervision = self.course_supervision(data)
        courses = self.courses(data)
        story: list[Flowable] = [
            self.markup(f"<b>{len(courses)} courses, {escape(t.period_text(data.period))}.</b>"),
            self.gap(2.5 * mm),
        ]
        story += self.log_table(
            [
                Column("Dates", 58, lambda c: t.day_range(c.start_date, c.end_date)),
                Column("Course", 88, lambda c: c.title, bold=True),
                Column("Curriculum", 48, lambda c: c.curriculum.label),
                Column("Role and share", 58, course_role_text),
                Column("Population", 70, lambda c: t.join([c.population, c.setting.label], "\n")),
                Column("Sessions", 36, course_sessions_text, "RIGHT"),
                Column("Participants", 36, lambda c: str(c.participants or ""), "RIGHT"),
                Column("Co-teacher", 56, lambda c: data.person_name(c.co_teacher_uid)),
                Column(
                    "Supervision (h)",
                    40,
                    lambda c: t.hours_text(
                        sum(s.duration_minutes for s in supervision.get(c.uid, []))
                    ),
                    "RIGHT",
                ),
            ],
            courses,
        )
        return story

    def section_course_supervision(self, data: PortfolioData, number: str) -> list[Flowable]:
        supervision = self.course_supervision(data)
        story: list[Flowable] = [
            self.para(
                "Supervision received for each course (BAMBA asks new teachers for at least "
                "three hours per eight-week course).",
                "muted",
            )
        ]
        courses = self.courses(data)
        if not courses:
            story.append(self.para("No course is recorded in this period.", "muted"))
        for course in courses:
            sessions = supervision.get(course.uid, [])
            minutes = sum(s.duration_minutes for s in sessions)
            story += [
                CondPageBreak(35 * mm),
                Paragraph(
                    escape(
                        f"{course.title} ({t.day_range(course.start_date, course.end_date)}): "
                        f"{len(sessions)} sessions, {t.hours_text(minutes)} h"
                    ),
                    self.styles.h3,
                ),
            ]
            story += self.log_table(
                [
                    Column("Date", 50, lambda s: t.day(s.date)),
                    Column("Hours", 34, lambda s: t.hours_text(s.duration_minutes), "RIGHT"),
                    Column("Type", 70, supervision_type_text),
                    Column("Format", 60, supervision_format_text),
                    Column("Supervisor", 90, lambda s: data.person_name(s.counterpart_uid)),
                    Column("Themes", 160, lambda s: "; ".join(s.themes)),
                ],
                sessions,
                empty="No supervision is recorded for this course.",
            )
        return story

    def section_retreats(self, data: PortfolioData, number: str) -> list[Flowable]:
        retreats = self.retreats(data)
        years = self.retreat_years(data)
        story: list[Flowable] = [
            self.para(
                "Retreat days with the share spent in silence (BAMBA asks for five retreat days "
                "a year, at least half in silence; they may be split or online).",
                "muted",
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
        story += self.log_table(
            [
                Column("Dates", 64, lambda r: t.day_range(r.start_date, r.end_date)),
                Column("Retreat", 150, lambda r: r.title or "Retreat", bold=True),
                Column("Mode", 60, lambda r: r.mode.label),
                Column("Days", 34, lambda r: f"{r.days:g}", "RIGHT"),
                Column("Silence", 40, lambda r: f"{r.silence_percent} %", "RIGHT"),
                Column("Teacher-led", 48, lambda r: "Yes" if r.teacher_led else "No"),
                Column("Notes", 90, lambda r: r.notes),
            ],
            retreats,
            empty="No retreat is recorded in this period.",
        )
        return story

    def section_personal_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        months: dict[Any, list[PersonalPractice]] = defaultdict(list)
        for session in self.daily(data):
            months[session.start_date.replace(day=1)].append(session)
        rows = [
            (
                month,
                len(sessions),
                len({s.start_date for s in sessions}),
                sum(s.duration_minutes for s in sessions),
            )
            for month, sessions in sorted(months.items())
        ]
        total_minutes = sum(r[3] for r in rows)
        story: list[Flowable] = [
            self.markup(
                f"<b>{sum(r[1] for r in rows)} practice sessions, {t.hours_text(total_minutes)} "
                "hours.</b>"
            ),
            self.para(
                "Month by month: the days with practice and the time practised (the Scottish "
                "NHS pathway's ideal is 30 minutes on six days a week; its minimum 20 minutes on "
                "four days a week).",
                "muted",
            ),
            self.gap(2.5 * mm),
        ]
        story += self.log_table(
            [
                Column("Month", 90, lambda r: f"{r[0]:%B %Y}"),
                Column("Sessions", 60, lambda r: str(r[1]), "RIGHT"),
                Column("Days practised", 70, lambda r: str(r[2]), "RIGHT"),
                Column("Hours", 60, lambda r: t.hours_text(r[3]), "RIGHT"),
                Column(
                    "Average per practice day",
                    90,
                    lambda r: f"{r[3] / max(1, r[2]):.0f} min",
                    "RIGHT",
                ),
            ],
            rows,
            empty="No personal practice is recorded in this period.",
        )
        return story


LAYOUTS: dict[str, type[PortfolioRenderer]] = {
    renderer.key: renderer
    for renderer in (
        PortfolioRenderer,
        SupervisionLogRenderer,
        NmcRevalidationRenderer,
        HcpcCpdProfileRenderer,
        MindfulnessTeacherRenderer,
    )
}
