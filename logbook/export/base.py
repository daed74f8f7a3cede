"""The base renderer: the steps every layout shares, each one overridable.

A layout (see :mod:`logbook.export.layouts`) is a subclass that names its sections and may
replace any step: the cover details, the columns of a log, a whole section. The generic
portfolio is this class as it stands. pretix's invoice renderers are the model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import IO, Any, ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from logbook.domain.findings import PackResult, Status
from logbook.domain.periods import month_starts
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Milestone,
    Pathway,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    ReflectiveAccount,
    SupervisionSession,
    TeachingCourse,
    minutes_of,
)
from logbook.domain.requirements.text import finding_words
from logbook.domain.signoff import SignoffEvidence, SignoffState
from logbook.export import charts
from logbook.export import text as t
from logbook.export.data import Cancelled, PortfolioData, Progress, SectionInfo
from logbook.export.document import (
    FRAME_WIDTH,
    MET,
    NAVY,
    NOT_MET,
    PALE,
    RULE,
    WARNING,
    WARNING_BG,
    Column,
    ContentsEntry,
    Heading,
    PagedTable,
    PageFrame,
    PortfolioDocument,
    Styles,
    contents_lines,
    escape,
    figures_table,
    fit_columns,
    key_value_table,
    make_styles,
    table_style,
)

K = RecordKind

# Kinds whose time is charted month by month, in stacking order.
CHARTED_KINDS = (K.SUPERVISION, K.PRACTICE, K.CPD, K.PERSONAL_PRACTICE)
# Dated kinds listed in the key figures, in the order a reviewer reads them.
FIGURE_KINDS = (
    K.SUPERVISION,
    K.PRACTICE,
    K.COURSE,
    K.CPD,
    K.PERSONAL_PRACTICE,
    K.FEEDBACK,
    K.REFLECTIVE_ACCOUNT,
    K.ATTESTATION,
)

S = SectionInfo
GENERIC_SECTIONS = (
    S("summary", "Summary", frozenset(CHARTED_KINDS) | frozenset(FIGURE_KINDS)),
    S("requirements", "Requirement status", uses=frozenset({"requirements"})),
    S("supervision", "Supervision", frozenset({K.SUPERVISION, K.COURSE}), frozenset({"signoffs"})),
    S("practice", "Practice", frozenset({K.PRACTICE})),
    S("courses", "Teaching courses", frozenset({K.COURSE})),
    S("cpd", "Continuing professional development", frozenset({K.CPD})),
    S("personal_practice", "Personal practice and retreats", frozenset({K.PERSONAL_PRACTICE})),
    S("pathways", "Training pathways and milestones", frozenset({K.PATHWAY, K.MILESTONE})),
    S("feedback", "Feedback", frozenset({K.FEEDBACK})),
    S("reflective_accounts", "Reflective accounts", frozenset({K.REFLECTIVE_ACCOUNT})),
    S("attestations", "Reflective discussions and confirmations", frozenset({K.ATTESTATION})),
    S(
        "reflections",
        "Reflections",
        frozenset({K.SUPERVISION, K.COURSE, K.CPD, K.FEEDBACK}),
    ),
    S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
)


PRIVATE_NOTICE = (
    "<b>This portfolio includes private reflections.</b> They were added at the "
    "practitioner's request and are marked “private” where they appear. Share "
    "this document only with the people it was made for."
)


class PortfolioRenderer:
    """Renders a :class:`PortfolioData` as a PDF; the generic portfolio as it stands.

    Subclasses set ``key``, ``title`` and ``section_list`` and override the steps they need:
    :meth:`cover_details`, :meth:`columns`, or a section method named ``section_<key>``.
    """

    key: ClassVar[str] = "portfolio"
    title: ClassVar[str] = "Professional portfolio"
    description: ClassVar[str] = (
        "Every section: summary with charts, requirement status, each log, sign-off evidence."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = GENERIC_SECTIONS
    # Requirement packs whose id or title holds one of these words are the layout's own; the
    # requirement section shows only those when any is followed (all packs when empty).
    pack_words: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.styles: Styles = make_styles()

    # --- what the layout needs -------------------------------------------------------------

    @classmethod
    def sections(cls) -> tuple[SectionInfo, ...]:
        return cls.section_list

    @classmethod
    def kinds_needed(cls, sections: frozenset[str] | None) -> frozenset[RecordKind]:
        """The record kinds the chosen sections print (the services gather only these)."""
        kinds: set[RecordKind] = set()
        for section in cls.section_list:
            if sections is None or section.key in sections:
                kinds |= section.kinds
        return frozenset(kinds)

    @classmethod
    def uses(cls, sections: frozenset[str] | None) -> frozenset[str]:
        """Other evidence the chosen sections print ("requirements", "signoffs")."""
        found: set[str] = set()
        for section in cls.section_list:
            if sections is None or section.key in sections:
                found |= section.uses
        return frozenset(found)

    # A register whose entry the layout prints: (body, what the profile entry needs).
    needs_registration: ClassVar[tuple[str, str] | None] = None

    @classmethod
    def missing_data(cls, profile: Profile) -> list[str]:
        """Why this layout cannot be made from the logbook, in words for the user (or [])."""
        if cls.needs_registration is None:
            return []
        body, details = cls.needs_registration
        if t.registration_for(profile, body) is not None:
            return []
        return [
            f"The {cls.title} layout needs your {body} registration: add it to your profile "
            f"(body “{body}”, with {details})."
        ]

    def document_title(self, data: PortfolioData) -> str:
        return self.title

    def subject(self, data: PortfolioData) -> str:
        return f"{self.title} of {data.profile.name}, {t.period_text(data.period)}"

    # --- the whole document ----------------------------------------------------------------

    def render(
        self,
        data: PortfolioData,
        output: str | IO[bytes],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        invariant: bool = False,
    ) -> int:
        """Write the PDF to ``output`` and return its page count.

        Raises:
            ExportCancelled: ``cancelled`` returned True part-way.
        """
        story = self.story(data)
        total_rows = sum(f.row_count for f in story if isinstance(f, PagedTable))
        title = self.document_title(data)
        document = PortfolioDocument(
            output,
            PageFrame(
                document_title=title,
                person=data.profile.name,
                document_id=data.document_id,
                generated=t.stamp(data.generated_at),
            ),
            title=f"{title} – {data.profile.name}",
            author=data.profile.name,
            subject=self.subject(data),
            creator=f"Practice Logbook {data.app_version}",
            keywords=[self.key, data.document_id, t.period_text(data.period)],
            progress=progress,
            cancelled=cancelled,
            total_rows=total_rows,
            invariant=invariant,
            first_template="body" if data.compact else "cover",
        )
        document.build_story(story)
        return document.pages

    def story(self, data: PortfolioData) -> list[Flowable]:
        """Cover, contents, then the chosen sections, numbered (or the compact form)."""
        if data.compact:
            return self.compact_story(data)
        story: list[Flowable] = [*self.cover(data), NextPageTemplate("body"), PageBreak()]
        story.append(Heading("Contents", self.styles.h1, "contents", contents=False))
        contents_at = len(story)
        number = 0
        for section in self.section_list:
            if not data.wants(section.key):
                continue
            number += 1
            story.append(PageBreak())
            story.extend(self.section(section, number, data))
        lines = contents_lines(story)
        story[contents_at:contents_at] = [ContentsEntry(line, self.styles) for line in lines]
        return story

    def compact_story(self, data: PortfolioData) -> list[Flowable]:
        """A title block with the cover's details, then the sections one after another."""
        styles = self.styles
        story: list[Flowable] = [
            Heading(self.document_title(data), styles.h1, "cover", contents=False),
            Paragraph(escape(f"{data.profile.name} · {t.period_text(data.period)}"), styles.muted),
            self.gap(),
            key_value_table(self.cover_details(data), styles),
            self.gap(),
        ]
        if data.include_private:
            story += [self.notice(PRIVATE_NOTICE, warning=True), self.gap()]
        sections = [s for s in self.section_list if data.wants(s.key)]
        for number, section in enumerate(sections, 1):
            story += [self.gap(6 * mm), *self.section(section, number, data)]
        return story

    def section(self, section: SectionInfo, number: int, data: PortfolioData) -> list[Flowable]:
        """A numbered section: its heading, then ``section_<key>`` (the layout's own)."""
        build: Callable[[PortfolioData, str], list[Flowable]] = getattr(
            self, f"section_{section.key}"
        )
        heading = Heading(f"{number}  {section.title}", self.styles.h1, section.key)
        return [heading, *build(data, f"{number}.")]

    # --- small building blocks -------------------------------------------------------------

    def h2(self, text: str, key: str, contents: bool = True) -> list[Flowable]:
        # Keep a sub-heading with at least the start of what follows it.
        return [CondPageBreak(60 * mm), Heading(text, self.styles.h2, key, 1, contents)]

    def para(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), getattr(self.styles, style))

    def markup(self, html: str, style: str = "body") -> Paragraph:
        return Paragraph(html, getattr(self.styles, style))

    def gap(self, height: float = 4 * mm) -> Spacer:
        return Spacer(1, height)

    def notice(self, html: str, *, warning: bool = False) -> Table:
        """A boxed notice: a warning in red, otherwise a pale information panel."""
        table = Table([[self.markup(html, "notice")]], colWidths=[FRAME_WIDTH])
        table.setStyle(
            table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), WARNING_BG if warning else PALE),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, WARNING if warning else NAVY),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        return table

    def question_block(self, pairs: Sequence[tuple[str, str]]) -> Table:
        rows = []
        for question, answer in pairs:
            rows.append([Paragraph(escape(question), self.styles.cell_bold)])
            rows.append([Paragraph(escape(answer) or "–", self.styles.body)])
        table = Table(rows, colWidths=[FRAME_WIDTH])
        commands: list[tuple[Any, ...]] = [("BOX", (0, 0), (-1, -1), 0.5, RULE)]
        for index in range(0, len(rows), 2):
            commands.append(("BACKGROUND", (0, index), (-1, index), PALE))
            commands.append(("TOPPADDING", (0, index + 1), (-1, index + 1), 3))
            commands.append(("BOTTOMPADDING", (0, index + 1), (-1, index + 1), 7))
        table.setStyle(table_style(commands))
        return table

    def log_table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Any],
        row_styles: dict[int, list[tuple[Any, ...]]] | None = None,
        empty: str = "Nothing recorded in this period.",
    ) -> list[Flowable]:
        """A long table cut into page-sized tables, or a line saying there is nothing."""
        if not rows:
            return [self.para(empty, "muted")]
        return [PagedTable(fit_columns(columns, rows), rows, row_styles)]

    def status_markup(self, status: Status) -> str:
        colour = {Status.MET: MET, Status.NOT_YET_MET: NOT_MET}.get(status, NAVY)
        return f'<font color="{colour.hexval()}"><b>{escape(status.label)}</b></font>'

    # --- cover ---------------------------------------------------------------------------

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        """Label/value pairs printed on the cover (layouts add their own)."""
        profile = data.profile
        roles = []
        for role in t.roles_in(profile, data.period):
            where = data.organisation_name(role.organisation_uid)
            dates = t.day_range(role.start, role.end) if role.end else f"since {t.day(role.start)}"
            roles.append(t.join([role.title, where], ", ") + f" ({dates})")
        organisations = sorted(
            {o.name for o in data.organisations.values() if o.employer or o.supervising}
            or {o.name for o in data.organisations.values()}
        )
        pairs = [
            ("Name", profile.name),
            ("Roles", "\n".join(roles) or t.DASH),
            (
                "Registrations",
                "; ".join(t.registration_text(r) for r in profile.registrations) or t.DASH,
            ),
            ("Organisations", "; ".join(organisations) or t.DASH),
        ]
        if profile.client_groups:
            pairs.append(("Client groups covered", ", ".join(profile.client_groups)))
        pairs += [
            ("Period", t.period_text(data.period)),
            ("Generated", t.stamp(data.generated_at)),
            ("Document identifier", data.document_id),
            ("Produced with", f"Practice Logbook {data.app_version}"),
        ]
        return pairs

    def cover(self, data: PortfolioData) -> list[Flowable]:
        styles = self.styles
        story: list[Flowable] = [
            Spacer(1, 14 * mm),
            Paragraph("PRACTICE LOGBOOK", styles.cover_kicker),
            Spacer(1, 3 * mm),
            Heading(self.document_title(data), styles.cover_title, "cover", contents=False),
            Spacer(1, 2 * mm),
            Paragraph(escape(data.profile.name), styles.cover_name),
            Paragraph(escape(t.period_text(data.period)), styles.muted),
            Spacer(1, 9 * mm),
        ]
        details = key_value_table(self.cover_details(data), styles)
        story += [details, Spacer(1, 8 * mm)]
        if data.include_private:
            story += [
                self.notice(PRIVATE_NOTICE, warning=True),
                Spacer(1, 4 * mm),
            ]
        story.append(
            self.notice(
                "Produced from the practitioner's own records. Requirement status reads "
                "“criteria met for the recorded period” or “not yet met”: it is a check of the "
                "recorded entries against the published rules cited, not a decision of any "
                "professional body. Signatures are listed with their fingerprints in the "
                "sign-off appendix. The logbook holds no client-identifiable information."
            )
        )
        return story

    # --- summary -----------------------------------------------------------------------------

    def key_figures(self, data: PortfolioData) -> list[Sequence[str]]:
        rows: list[Sequence[str]] = []
        for kind in FIGURE_KINDS:
            if kind not in data.totals:
                continue
            total = data.total(kind)
            has_time = kind in CHARTED_KINDS
            rows.append(
                [kind.label, str(total.count), t.hours_text(total.minutes) if has_time else t.DASH]
            )
        return rows

    def monthly_series(self, data: PortfolioData) -> charts.MonthlySeries:
        months = month_starts(data.period)
        index = {m: i for i, m in enumerate(months)}
        series: dict[str, list[float]] = {}
        for kind in CHARTED_KINDS:
            values = [0.0] * len(months)
            for record in data.of(kind):
                day = _day_of(record)
                if day is not None:
                    values[index[day.replace(day=1)]] += minutes_of(record) / 60
            series[kind.label] = values
        return charts.MonthlySeries(months, series, title="Hours per month by kind")

    def supervision_series(self, data: PortfolioData) -> charts.MonthlySeries:
        months = month_starts(data.period)
        index = {m: i for i, m in enumerate(months)}
        values = [0.0] * len(months)
        for record in data.of(K.SUPERVISION):
            assert isinstance(record, SupervisionSession)
            if record.direction == "received":
                values[index[record.date.replace(day=1)]] += record.duration_minutes / 60
        target = data.supervision_minimum_hours
        title = (
            "Supervision received per month against the required minimum"
            if target is not None
            else "Supervision received per month"
        )
        return charts.MonthlySeries(months, {"Supervision": values}, target=target, title=title)

    def supervision_by(self, data: PortfolioData, field: str) -> list[tuple[str, float]]:
        minutes: dict[str, int] = defaultdict(int)
        for record in data.of(K.SUPERVISION):
            assert isinstance(record, SupervisionSession)
            if record.direction != "received":
                continue
            uid = getattr(record, field)
            name = (
                data.organisation_name(uid)
                if field == "organisation_uid"
                else data.person_name(uid)
            ) or "Not recorded"
            minutes[name] += record.duration_minutes
        ordered = sorted(minutes.items(), key=lambda item: (-item[1], item[0]))
        return [(name, m / 60) for name, m in ordered]

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        story: list[Flowable] = [
            self.para(
                f"Entries and hours recorded between {t.day(data.start)} and {t.day(data.end)}. "
                "Hours are shown to two decimals; sessions marked did-not-attend are listed in "
                "the practice log but not counted."
            ),
            self.gap(3 * mm),
            figures_table(
                ["Record", "Entries", "Hours"],
                self.key_figures(data),
                [60, 20, 20],
                self.styles,
            ),
            self.gap(6 * mm),
        ]
        story.append(
            KeepTogether([charts.monthly_hours_chart(self.monthly_series(data), FRAME_WIDTH, 190)])
        )
        story.append(self.gap(5 * mm))
        story.append(
            KeepTogether(
                [charts.monthly_hours_chart(self.supervision_series(data), FRAME_WIDTH, 165)]
            )
        )
        if data.supervision_minimum_hours is None:
            story.append(
                self.para(
                    "No monthly supervision minimum applies: none of the requirement packs "
                    "followed sets one.",
                    "muted",
                )
            )
        by_org = self.supervision_by(data, "organisation_uid")
        if by_org:
            story += [
                self.gap(5 * mm),
                self.totals_chart(by_org, "Supervision received by organisation"),
            ]
        return story

    def totals_chart(self, pairs: Sequence[tuple[str, float]], title: str) -> Flowable:
        shown = list(pairs[:12])
        height = 30 + 18 * len(shown)
        drawing = charts.totals_bar_chart(
            [name for name, _ in shown],
            [round(value, 2) for _, value in shown],
            FRAME_WIDTH,
            height,
            title=title,
        )
        return KeepTogether([drawing])

    # --- requirement status ----------------------------------------------------------------

    def section_requirements(self, data: PortfolioData, number: str) -> list[Flowable]:
        packs = self.requirement_packs(data)
        if not packs:
            return [
                self.para(
                    "No requirement packs are followed in this logbook, so nothing was checked. "
                    "Choose the professional bodies you report to in the app to see, month by "
                    "month, whether their criteria are met for the recorded period."
                )
            ]
        story: list[Flowable] = [
            self.para(
                "Each rule is checked against the entries recorded in this period. Every "
                "shortfall is listed with the reason and what would meet the rule. The source "
                "of each figure and the date it was last checked are given."
            )
        ]
        for index, pack in enumerate(packs, 1):
            story += self.pack_result(pack, f"{number}{index}")
        return story

    def requirement_packs(self, data: PortfolioData) -> list[PackResult]:
        """The requirement results this layout prints: its body's packs, else every pack."""
        own = [
            pack
            for pack in data.requirements
            if any(word in f"{pack.pack_id} {pack.title}".lower() for word in self.pack_words)
        ]
        return own or list(data.requirements)

    def pack_result(self, pack: PackResult, number: str) -> list[Flowable]:
        styles = self.styles
        story: list[Flowable] = [
            *self.h2(f"{number}  {pack.title}", f"pack_{pack.pack_id}"),
            self.markup(f"Overall: {self.status_markup(pack.status)}"),
            self.gap(2 * mm),
        ]
        rule_rows = [
            [
                Paragraph(
                    f"<b>{escape(rule.title)}</b><br/>{escape(rule.description)}", styles.cell
                ),
                Paragraph(self.status_markup(rule.status), styles.cell),
                Paragraph(
                    escape(rule.source_title)
                    + (
                        f"<br/><font color='#5B6770'>{escape(rule.source_url)}</font>"
                        if rule.source_url
                        else ""
                    ),
                    styles.cell,
                ),
                Paragraph(escape(t.day(rule.checked_on)), styles.cell),
            ]
            for rule in pack.rules
        ]
        story.append(
            self.rich_table(["Rule", "Status", "Source", "Checked"], rule_rows, [44, 17, 29, 10])
        )
        for rule in pack.rules:
            shortfalls = [f for f in rule.findings if f.status == Status.NOT_YET_MET]
            if not shortfalls and not rule.projection:
                continue
            story += [
                CondPageBreak(40 * mm),
                Paragraph(escape(f"{rule.title}: {t.shortfall_count(shortfalls)}"), styles.h3),
            ]
            if rule.projection:
                story.append(self.para(rule.projection, "small"))
            if rule.basis:
                story.append(self.para(rule.basis, "small"))
            # The same words as the app and the command line (finding_words).
            story += self.log_table(
                [
                    Column("Period", 60, lambda f: finding_words(f).title),
                    Column("Required", 34, lambda f: t.figure(f.required, f.unit), "RIGHT"),
                    Column("Recorded", 34, lambda f: t.figure(f.actual, f.unit), "RIGHT"),
                    Column("Why", 150, lambda f: finding_words(f).explanation),
                    Column("What would meet it", 110, lambda f: finding_words(f).to_close),
                ],
                shortfalls,
                empty="No shortfalls.",
            )
        return story

    def rich_table(
        self, header: Sequence[str], rows: Sequence[Sequence[Flowable]], widths: Sequence[float]
    ) -> Table:
        """A short table of Paragraph cells with the standard header and stripes."""
        header_style = self.styles.cell_bold.clone("header", textColor="#FFFFFF")
        scale = FRAME_WIDTH / sum(widths)
        table = Table(
            [[Paragraph(escape(h), header_style) for h in header], *rows],
            colWidths=[w * scale for w in widths],
            repeatRows=1,
            hAlign="LEFT",
        )
        table.setStyle(
            table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), NAVY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["#FFFFFF", "#F2F5F8"]),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2.6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2.6),
                ]
            )
        )
        return table

    # --- the logs ----------------------------------------------------------------------------

    def signoff_of(self, data: PortfolioData) -> dict[str, SignoffEvidence]:
        """The latest sign-off evidence of each record."""
        latest: dict[str, SignoffEvidence] = {}
        for evidence in data.signoffs:
            known = latest.get(evidence.target_uid)
            if known is None or evidence.signed_at > known.signed_at:
                latest[evidence.target_uid] = evidence
        return latest

    def signoff_cell(self, evidence: SignoffEvidence | None) -> str:
        if evidence is None:
            return t.DASH
        if evidence.state == SignoffState.VERIFIED:
            return f"Signed\n{evidence.signer_name}"
        return f"{evidence.state.label}\n{evidence.signer_name}"

    def columns(self, kind: RecordKind, data: PortfolioData) -> list[Column]:
        """Columns of the log table of ``kind`` (widths are relative)."""
        signed = self.signoff_of(data)
        match kind:
            case K.SUPERVISION:
                return [
                    Column("Date", 44, lambda r: t.day(r.date)),
                    Column("Hours", 27, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
                    Column("Type", 62, supervision_type_text),
                    Column("Format", 46, supervision_format_text),
                    Column("With", 62, lambda r: counterpart_text(r, data)),
                    Column(
                        "Organisation", 64, lambda r: data.organisation_name(r.organisation_uid)
                    ),
                    Column("Themes", 95, lambda r: "; ".join(r.themes)),
                    Column("Action points", 80, lambda r: r.action_points, max_lines=8),
                    Column("Sign-off", 46, lambda r: self.signoff_cell(signed.get(r.uid))),
                ]
            case K.PRACTICE:
                return [
                    Column("Date", 44, lambda r: t.day(r.date)),
                    Column("Hours", 30, practice_hours_text, "RIGHT"),
                    Column("Activity", 62, lambda r: r.activity.label),
                    Column("Setting", 62, lambda r: r.setting.label),
                    Column("Delivery", 48, lambda r: r.delivery.label),
                    Column("Client group", 56, lambda r: r.client_group),
                    Column("Intervention", 56, lambda r: r.intervention),
                    Column("Role", 50, practice_role_text),
                    Column(
                        "Organisation", 62, lambda r: data.organisation_name(r.organisation_uid)
                    ),
                ]
            case K.COURSE:
                return [
                    Column("Dates", 58, lambda r: t.day_range(r.start_date, r.end_date)),
                    Column("Course", 90, lambda r: r.title, bold=True),
                    Column("Curriculum", 50, lambda r: r.curriculum.label),
                    Column("Role", 58, course_role_text),
                    Column("Population", 66, lambda r: r.population),
                    Column("Setting", 54, lambda r: r.setting.label),
                    Column("Sessions", 36, course_sessions_text, "RIGHT"),
                    Column("Participants", 34, lambda r: str(r.participants or ""), "RIGHT"),
                    Column("Co-teacher", 54, lambda r: data.person_name(r.co_teacher_uid)),
                ]
            case K.CPD:
                return [
                    Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
                    Column("Activity", 100, lambda r: r.title, bold=True),
                    Column("Provider", 64, lambda r: r.provider),
                    Column("Type", 52, lambda r: r.cpd_type.label),
                    Column("Hours", 30, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
                    Column("Participatory", 40, lambda r: "Yes" if r.participatory else "No"),
                    Column("Skills", 30, lambda r: "Yes" if r.skills_focused else ""),
                    Column("Learning outcomes", 120, lambda r: r.learning_outcomes, max_lines=10),
                ]
            case K.PERSONAL_PRACTICE:
                return [
                    Column("Dates", 58, lambda r: t.day_range(r.start_date, r.end_date)),
                    Column("Kind", 50, lambda r: r.practice_kind.label),
                    Column("Mode", 50, lambda r: r.mode.label),
                    Column("Hours", 32, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
                    Column("Days", 28, lambda r: f"{r.days:g}" if r.days else "", "RIGHT"),
                    Column(
                        "Silence", 34, lambda r: f"{r.silence_percent} %" if r.days else "", "RIGHT"
                    ),
                    Column("Teacher-led", 40, lambda r: "Yes" if r.teacher_led else ""),
                    Column("Title and notes", 160, lambda r: t.join([r.title, r.notes], " · ")),
                ]
            case K.FEEDBACK:
                return [
                    Column("Date", 46, lambda r: t.day(r.date)),
                    Column("From", 60, lambda r: r.source.label),
                    Column("Feedback", 190, lambda r: r.summary, max_lines=14),
                    Column("What I take from it", 170, lambda r: reflection_text(r), max_lines=14),
                ]
            case K.REFLECTIVE_ACCOUNT:
                return [
                    Column("Date", 44, lambda r: t.day(r.date)),
                    Column("Title", 70, lambda r: r.title, bold=True),
                    Column("What happened", 100, lambda r: r.experience, max_lines=16),
                    Column("What I learned", 90, lambda r: r.learning, max_lines=16),
                    Column("What I changed", 90, lambda r: r.change_in_practice, max_lines=16),
                    Column("The Code", 60, lambda r: "; ".join(r.code_themes)),
                ]
            case K.ATTESTATION:
                return [
                    Column("Date", 46, lambda r: t.day(r.date)),
                    Column("Kind", 80, lambda r: r.attestation_kind.label),
                    Column("By", 80, lambda r: r.by_name, bold=True),
                    Column("Role", 70, lambda r: r.by_role),
                    Column("Registration", 70, lambda r: r.by_registration),
                    Column("Notes", 120, lambda r: r.notes, max_lines=10),
                ]
        raise ValueError(f"no log table for {kind.label}")

    def kind_section(
        self, data: PortfolioData, kind: RecordKind, intro: str = ""
    ) -> list[Flowable]:
        total = data.total(kind)
        line = f"{total.count} {'entry' if total.count == 1 else 'entries'}"
        if kind in CHARTED_KINDS:
            line += f", {t.hours_text(total.minutes)} hours"
        line += f", {t.period_text(data.period)}."
        story: list[Flowable] = [self.markup(f"<b>{escape(line)}</b>")]
        if intro:
            story.append(self.para(intro, "muted"))
        story.append(self.gap(2.5 * mm))
        story += self.log_table(self.columns(kind, data), data.of(kind))
        return story

    def section_supervision(self, data: PortfolioData, number: str) -> list[Flowable]:
        received = sum(
            r.duration_minutes
            for r in data.of(K.SUPERVISION)
            if isinstance(r, SupervisionSession) and r.direction == "received"
        )
        given = data.total(K.SUPERVISION).minutes - received
        return self.kind_section(
            data,
            K.SUPERVISION,
            f"Received {t.hours_text(received)} h, given {t.hours_text(given)} h. Group sessions "
            "show the number of supervisees present (the facilitator is not counted). "
            "Reflections are in their own section.",
        )

    def section_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        return self.kind_section(
            data,
            K.PRACTICE,
            "What happened, never with whom: no client is identified. Did-not-attend sessions "
            "are listed and count no hours.",
        )

    def section_courses(self, data: PortfolioData, number: str) -> list[Flowable]:
        return self.kind_section(data, K.COURSE)

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        participatory = sum(
            r.duration_minutes
            for r in data.of(K.CPD)
            if isinstance(r, CpdActivity) and r.participatory
        )
        return self.kind_section(
            data, K.CPD, f"Participatory learning: {t.hours_text(participatory)} hours."
        )

    def section_personal_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        return self.kind_section(data, K.PERSONAL_PRACTICE)

    def section_feedback(self, data: PortfolioData, number: str) -> list[Flowable]:
        return self.kind_section(data, K.FEEDBACK)

    def section_reflective_accounts(self, data: PortfolioData, number: str) -> list[Flowable]:
        return self.kind_section(data, K.REFLECTIVE_ACCOUNT)

    def section_attestations(self, data: PortfolioData, number: str) -> list[Flowable]:
        return self.kind_section(data, K.ATTESTATION)

    def section_pathways(self, data: PortfolioData, number: str) -> list[Flowable]:
        pathways = [p for p in data.of(K.PATHWAY) if isinstance(p, Pathway)]
        milestones: dict[str, list[Milestone]] = defaultdict(list)
        for milestone in data.of(K.MILESTONE):
            assert isinstance(milestone, Milestone)
            milestones[milestone.pathway_uid].append(milestone)
        if not pathways:
            return [self.para("No training pathway or conversion plan is recorded.", "muted")]
        story: list[Flowable] = [
            self.para(f"Progress as at {t.day(data.generated_at.date())}.", "muted")
        ]
        for index, pathway in enumerate(pathways, 1):
            steps = sorted(milestones.get(pathway.uid, []), key=lambda m: (m.sequence, m.title))
            done = sum(1 for m in steps if m.status in ("complete", "waived"))
            story += self.h2(f"{number}{index}  {pathway.title}", f"pathway_{pathway.uid}")
            story.append(
                self.para(
                    f"{pathway.pathway_kind.label}; started {t.day(pathway.started_on) or t.DASH}"
                    + (f", completed {t.day(pathway.completed_on)}" if pathway.completed_on else "")
                    + f". {done} of {len(steps)} milestones complete"
                    + (f"; current stage: {stage}." if (stage := current_stage(steps)) else "."),
                    "small",
                )
            )
            story.append(self.gap(2 * mm))
            story += self.log_table(
                [
                    Column("#", 16, lambda m: str(m.sequence or ""), "RIGHT"),
                    Column("Milestone", 130, lambda m: m.title, bold=True),
                    Column("Route", 70, lambda m: m.route.label if m.route else ""),
                    Column("Status", 56, lambda m: m.status.label),
                    Column("Due", 46, lambda m: t.day(m.due_date)),
                    Column("Completed", 46, lambda m: t.day(m.completed_on)),
                    Column("Assessor", 60, lambda m: data.person_name(m.assessor_uid)),
                    Column("Evidence", 80, lambda m: m.evidence),
                ],
                steps,
                empty="No milestones recorded.",
            )
        return story

    # --- reflections -----------------------------------------------------------------------

    def reflections(self, data: PortfolioData) -> list[tuple[Record, str, bool]]:
        """(record, reflection, private) of every reflection the data holds, by date."""
        found: list[tuple[Record, str, bool]] = []
        for kind in (K.SUPERVISION, K.COURSE, K.CPD, K.FEEDBACK):
            for record in data.of(kind):
                text = getattr(record, "reflection", "")
                if text:
                    found.append((record, text, bool(getattr(record, "reflection_private", False))))
        found.sort(key=lambda item: (_day_of(item[0]) or data.start, item[0].uid))
        return found

    def section_reflections(self, data: PortfolioData, number: str) -> list[Flowable]:
        rows = self.reflections(data)
        intro = (
            "Shareable reflections written with the entries above."
            if not data.include_private
            else "Shareable reflections, and private reflections included at the practitioner's "
            "request (marked “private”)."
        )
        story: list[Flowable] = [self.para(intro, "muted"), self.gap(2 * mm)]
        story += self.log_table(
            [
                Column("Date", 46, lambda row: t.day(_day_of(row[0]))),
                Column("Entry", 110, lambda row: describe(row[0], data), bold=True),
                Column(
                    "Reflection",
                    310,
                    lambda row: ("PRIVATE – " if row[2] else "") + row[1],
                    max_lines=24,
                ),
            ],
            rows,
            empty="No shareable reflections are recorded in this period.",
        )
        return story

    # --- sign-off evidence -------------------------------------------------------------------

    def section_signoffs(self, data: PortfolioData, number: str) -> list[Flowable]:
        story: list[Flowable] = [
            self.para(
                "Every signature covers the exact content of the entry at the revision shown, "
                "or for a period summary the totals it states. "
                "A later change to a signed entry is shown as “changed since signed” and needs "
                "a new signature. Each signature names this practitioner: one made for anyone "
                "else is never listed. The fingerprint identifies the key that signed, and "
                "beside it is how and when the practitioner confirmed that key with the signer, "
                "so a reviewer can check it with them. A signature shows the signer's consent "
                "to what was recorded; it does not grade the quality of the work. Scanned paper "
                "signatures are listed as unverified evidence."
            ),
            self.gap(3 * mm),
        ]
        ordered = sorted(data.signoffs, key=lambda e: (e.signed_at, e.target_uid))
        story += self.log_table(
            [
                Column(
                    "What was signed",
                    104,
                    lambda e: f"{e.description}\n(revision {e.target_revision})",
                ),
                Column("Signed by", 70, signer_text, bold=True),
                Column(
                    "Registration and organisation",
                    74,
                    lambda e: t.join([e.signer_registration, e.signer_organisation], "\n"),
                ),
                Column("Signed at", 50, lambda e: t.stamp(e.signed_at)),
                Column("How", 50, lambda e: e.mode.label),
                Column("Status", 50, lambda e: e.state.label),
                Column(
                    "Fingerprint",
                    90,
                    lambda e: t.join([fingerprint_text(e.fingerprint), e.key_confirmed], "\n"),
                ),
            ],
            ordered,
            empty="No entries in this document have been signed off.",
        )
        if data.signoff_history is not None:
            count, head = data.signoff_history
            story += [
                self.gap(3 * mm),
                self.para(
                    f"The practitioner's sign-off history held {count} events when this "
                    f"document was made; its newest link is {fingerprint_text(head[:32])}. "
                    "Any later export of the same logbook must still hold this link, or "
                    "sign-off events were removed."
                ),
            ]
        return story


# --- cell texts shared by layouts ----------------------------------------------------------------


def _day_of(record: Record) -> Any:
    for name in ("date", "start_date", "started_on", "due_date"):
        value = getattr(record, name, None)
        if value is not None:
            return value
    return None


def supervision_type_text(session: SupervisionSession) -> str:
    parts = [session.supervision_type.label]
    if session.direction == "given":
        parts.append("(given)")
    if session.live:
        parts.append("Live")
    return "\n".join(parts)


def supervision_format_text(session: SupervisionSession) -> str:
    if session.format == "group":
        size = f" of {session.group_size}" if session.group_size else ""
        return f"Group{size}\n{session.mode.label}"
    return f"Individual\n{session.mode.label}"


def counterpart_text(session: SupervisionSession, data: PortfolioData) -> str:
    name = data.person_name(session.counterpart_uid)
    if session.direction == "given" and name:
        return f"{name} (supervisee)"
    return name


def practice_hours_text(entry: PracticeEntry) -> str:
    if entry.did_not_attend:
        return "DNA\n(0.00)"
    if entry.contact_only:  # recorded that contact took place, never for how long
        plural = "" if entry.clients == 1 else "s"
        return f"{entry.clients} contact{plural}\n(no hours)"
    return t.hours_text(entry.duration_minutes)


def practice_role_text(entry: PracticeEntry) -> str:
    supervised = "supervised" if entry.supervised else "unsupervised"
    return f"{entry.role.label}\n{supervised}"


def course_role_text(course: TeachingCourse) -> str:
    return f"{course.role.label}\n{course.share_percent} % share"


def course_sessions_text(course: TeachingCourse) -> str:
    return f"{course.sessions_delivered} of {course.sessions_planned}"


def reflection_text(record: Any) -> str:
    if not getattr(record, "reflection", ""):
        return ""
    prefix = "PRIVATE – " if getattr(record, "reflection_private", False) else ""
    return prefix + str(record.reflection)


def fingerprint_text(fingerprint: str) -> str:
    """A fingerprint as it is read aloud: groups of four joined by dashes (e.g. 7K2M-QX4R-…)."""
    clean = fingerprint.replace(":", "").replace(" ", "").replace("-", "")
    return "-".join(clean[i : i + 4] for i in range(0, len(clean), 4))


def signer_text(evidence: SignoffEvidence) -> str:
    """The signer, and why they signed when they were not the supervisor recorded."""
    if evidence.cosign_reason:
        return f"{evidence.signer_name}\n(in the supervisor's place: {evidence.cosign_reason})"
    return evidence.signer_name


def current_stage(milestones: Sequence[Milestone]) -> str:
    """The latest completed milestone of a pathway, or the first one in progress."""
    complete = [m for m in milestones if m.status == "complete"]
    if complete:
        return complete[-1].title
    going = [m for m in milestones if m.status == "in_progress"]
    return going[0].title if going else ""


def describe(record: Record, data: PortfolioData) -> str:
    """A one-line description of an entry for lists of reflections and signatures."""
    match record:
        case SupervisionSession():
            who = data.person_name(record.counterpart_uid)
            return t.join([f"Supervision ({record.supervision_type.label.lower()})", who], ", ")
        case TeachingCourse():
            return f"Course: {record.title}"
        case CpdActivity():
            return f"CPD: {record.title}"
        case FeedbackEntry():
            return f"Feedback from {record.source.label.lower()}"
        case ReflectiveAccount():
            return f"Reflective account: {record.title}"
        case Attestation():
            return f"{record.attestation_kind.label}: {record.by_name}"
        case PersonalPractice():
            return record.title or record.practice_kind.label
    return record.kind.label
