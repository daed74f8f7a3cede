"""The base renderer: the machinery every layout shares, each step overridable.

A layout (see :mod:`logbook.export.layouts`) is a subclass that names its sections and
supplies a ``section_<key>`` method for each; it may replace any other step too: the cover
details, a log's columns. Sections that several layouts print (requirement status, sign-off
evidence, pathways) are in :mod:`logbook.export.sections`. pretix's invoice renderers are the
model.
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

from logbook.domain.findings import Status
from logbook.domain.periods import month_starts
from logbook.domain.records import Profile, RecordKind
from logbook.export import cells, charts
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
    fit_columns,
    key_value_table,
    make_styles,
    table_style,
    with_urls_broken,
)
from logbook.export.proof_page import check_page, fingerprint_block
from logbook.export.tagging import TableTags

PRIVATE_NOTICE = (
    "<b>This portfolio includes private reflections.</b> They were added at the "
    "practitioner's request and are marked “private” where they appear. Share "
    "this document only with the people it was made for."
)
COVER_NOTICE = (
    "Produced from the practitioner's own records. Requirement status reads "
    "“criteria met for the recorded period” or “not yet met”: it is a check of the "
    "recorded entries against the published rules cited, not a decision of any "
    "professional body. Signatures are listed with their fingerprints in the "
    "sign-off appendix. The logbook holds no client-identifiable information."
)


class LayoutRenderer:
    """Renders a :class:`PortfolioData` as a PDF in the shape of one layout.

    Subclasses set ``key``, ``title``, ``description`` and ``section_list``, and give each
    section a method named ``section_<key>``; they override :meth:`cover_details` and the
    other steps they need.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    section_list: ClassVar[tuple[SectionInfo, ...]] = ()
    # Requirement packs whose id or title holds one of these words are the layout's own; the
    # requirement section shows only those when any is followed (all packs when empty).
    pack_words: ClassVar[tuple[str, ...]] = ()
    # A register whose entry the layout prints: (body, what the profile entry needs).
    needs_registration: ClassVar[tuple[str, str] | None] = None
    # What the practitioner declares on the closing page.
    declaration_words: ClassVar[str] = (
        "I confirm that this record is accurate and complete to the best of my knowledge, "
        "that it is my own work, and that it holds nothing that identifies a client."
    )

    def __init__(self) -> None:
        self.styles: Styles = make_styles()

    # --- what the layout needs -------------------------------------------------------------

    @classmethod
    def sections(cls) -> tuple[SectionInfo, ...]:
        """The sections a person can include or leave out, in the order they print."""
        return cls.section_list

    @classmethod
    def kinds_needed(cls, sections: frozenset[str] | None) -> frozenset[RecordKind]:
        """The record kinds the chosen sections print (the services gather only these)."""
        kinds: set[RecordKind] = set()
        for section in cls._chosen(sections):
            kinds |= section.kinds
        return frozenset(kinds)

    @classmethod
    def uses(cls, sections: frozenset[str] | None) -> frozenset[str]:
        """Other evidence the chosen sections print ("requirements", "signoffs")."""
        found: set[str] = set()
        for section in cls._chosen(sections):
            found |= section.uses
        return frozenset(found)

    @classmethod
    def _chosen(cls, sections: frozenset[str] | None) -> list[SectionInfo]:
        return [s for s in cls.section_list if sections is None or s.key in sections]

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
        """The title on the cover and in every page header (a layout may word it from the data)."""
        return self.title

    def subject(self, data: PortfolioData) -> str:
        """The PDF's subject property: which layout, whose portfolio, and the period."""
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
            ),
            title=f"{title} – {data.profile.name}",
            author=data.profile.name,
            subject=self.subject(data),
            creator=f"Practice Logbook {data.app_version}",
            keywords=[k for k in (self.key, data.document_id, t.period_text(data.period)) if k],
            progress=progress,
            cancelled=cancelled,
            total_rows=total_rows,
            invariant=invariant,
            first_template="body" if data.compact else "cover",
        )
        document.build_story(story)
        return document.pages

    def story(self, data: PortfolioData) -> list[Flowable]:
        """Cover, contents, the chosen sections, numbered, and the page on how to check the
        document (or the compact form)."""
        if data.compact:
            return self.compact_story(data)
        story: list[Flowable] = [*self.cover(data), NextPageTemplate("body"), PageBreak()]
        story.append(Heading("Contents", self.styles.h1, "contents", contents=False))
        contents_at = len(story)
        for number, section in enumerate(self.wanted_sections(data), 1):
            story.append(PageBreak())
            story.extend(self.section(section, number, data))
        story += [PageBreak(), *self.declaration(data)]
        story += [PageBreak(), *check_page(data, self.styles)]
        lines = contents_lines(story)
        entries = [ContentsEntry(line, self.styles) for line in lines]
        story[contents_at:contents_at] = [*entries, *self.empty_note(data)]
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
        story += self.empty_note(data)
        for number, section in enumerate(self.wanted_sections(data), 1):
            story += [self.gap(6 * mm), *self.section(section, number, data)]
        return [*story, self.gap(6 * mm), *check_page(data, self.styles, brief=True)]

    def wanted_sections(self, data: PortfolioData) -> list[SectionInfo]:
        """The sections the person chose to print, in the layout's order, less the logs with
        nothing in them."""
        return [s for s in self.section_list if data.wants(s.key) and not self.is_empty(s, data)]

    def is_empty(self, section: SectionInfo, data: PortfolioData) -> bool:
        """Whether a log left out when empty has nothing to print in the period."""
        return section.omit_when_empty and not self.has_entries(section, data)

    def has_entries(self, section: SectionInfo, data: PortfolioData) -> bool:
        """Whether the period holds entries a section lists (any of its kinds, unless the
        layout says more precisely)."""
        return any(data.of(kind) for kind in section.kinds)

    def empty_note(self, data: PortfolioData) -> list[Flowable]:
        """One line naming the logs left out because nothing was recorded in the period."""
        empty = [s.title for s in self.section_list if data.wants(s.key) and self.is_empty(s, data)]
        if not empty:
            return []
        return [
            self.gap(3 * mm),
            self.para(
                "Nothing was recorded in this period for: " + "; ".join(empty) + ".", "muted"
            ),
        ]

    def written(self, key: str, data: PortfolioData) -> list[Flowable]:
        """What the practitioner wrote for the statement of section ``key``, a paragraph per
        blank-line-separated part ([] when nothing is written)."""
        text = data.statements.get(key, "").strip()
        return [self.para(part) for part in text.split("\n\n")] if text else []

    def statement_draft(self, key: str, data: PortfolioData) -> str:
        """A first-person draft from the records for the statement of section ``key``, for the
        practitioner to rewrite ("" when the layout offers none)."""
        return ""

    def declaration(self, data: PortfolioData) -> list[Flowable]:
        """The practitioner's closing statement, with their name and room to sign and date
        (the document's own signature stands for it when the file is signed)."""
        registrations = "; ".join(
            t.join([r.body, r.number], " ") for r in data.profile.registrations
        )
        story: list[Flowable] = [
            Heading("Declaration", self.styles.h1, "closing_declaration"),
            self.para(self.declaration_words),
            self.gap(4 * mm),
            self.form_box(
                [
                    ("Name", data.profile.name),
                    ("Registration", registrations),
                    ("Signature", ""),
                    ("Date", ""),
                ]
            ),
        ]
        if data.signed_by is not None:
            story += [
                self.gap(3 * mm),
                self.para(
                    f"This document is signed digitally by {data.signed_by.name} (key "
                    f"{data.signed_by.fingerprint}); checked as the last page describes, that "
                    "signature stands for this one.",
                    "muted",
                ),
            ]
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
        """A bookmarked sub-heading, listed in the contents unless ``contents`` is False."""
        # Keep a sub-heading with at least the start of what follows it.
        return [CondPageBreak(60 * mm), Heading(text, self.styles.h2, key, 1, contents)]

    def para(self, text: str, style: str = "body") -> Paragraph:
        """Plain text as a paragraph in the named style of :class:`Styles` (escaped here)."""
        return Paragraph(escape(text), getattr(self.styles, style))

    def markup(self, html: str, style: str = "body") -> Paragraph:
        """A paragraph of ReportLab markup (``<b>``, ``<font>``); the caller escapes any text."""
        return Paragraph(html, getattr(self.styles, style))

    def gap(self, height: float = 4 * mm) -> Spacer:
        """Vertical space of ``height`` points between blocks."""
        return Spacer(1, height)

    def lead(self, line: str, note: str = "") -> list[Flowable]:
        """The bold line that opens a log (counts and hours), a muted note, then a gap."""
        story: list[Flowable] = [self.markup(f"<b>{escape(line)}</b>")]
        if note:
            story.append(self.para(note, "muted"))
        return [*story, self.gap(2.5 * mm)]

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
        """Questions, each shaded, with the practitioner's answer below it (a dash if none)."""
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

    def form_box(self, rows: Sequence[tuple[str, str]]) -> Table:
        """A form to complete or confirm: a label and its value per row, the rows named
        "Signature" tall enough to sign by hand."""
        table = Table(
            [
                [
                    Paragraph(escape(label), self.styles.cell_bold),
                    Paragraph(escape(value or " "), self.styles.body),
                ]
                for label, value in rows
            ],
            colWidths=[48 * mm, FRAME_WIDTH - 48 * mm],
            rowHeights=[14 * mm if label.startswith("Signature") else None for label, _ in rows],
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

    def rich_table(
        self, header: Sequence[str], rows: Sequence[Sequence[Flowable]], widths: Sequence[float]
    ) -> Table:
        """A short table of Paragraph cells with the standard header and stripes; a web
        address in a cell breaks only between its parts."""
        header_style = self.styles.cell_bold.clone("header", textColor="#FFFFFF")
        scale = FRAME_WIDTH / sum(widths)
        column_widths = [w * scale for w in widths]
        cells = [
            [with_urls_broken(cell, width) for cell, width in zip(row, column_widths, strict=True)]
            for row in rows
        ]
        table = Table(
            [[Paragraph(escape(h), header_style) for h in header], *cells],
            colWidths=column_widths,
            repeatRows=1,
            hAlign="LEFT",
            renderCB=TableTags(1),
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

    def status_markup(self, status: Status) -> str:
        """A requirement status in bold: green when met, red when not yet met."""
        colour = {Status.MET: MET, Status.NOT_YET_MET: NOT_MET}.get(status, NAVY)
        return f'<font color="{colour.hexval()}"><b>{escape(status.label)}</b></font>'

    # --- cover ---------------------------------------------------------------------------

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        """Label/value pairs printed on the cover (layouts add their own)."""
        profile = data.profile
        pairs = [
            ("Name", profile.name),
            ("Roles", "\n".join(self.role_lines(data)) or t.DASH),
            (
                "Registrations",
                "; ".join(t.registration_text(r) for r in profile.registrations) or t.DASH,
            ),
            ("Organisations", "; ".join(self.cover_organisations(data)) or t.DASH),
        ]
        if profile.client_groups:
            pairs.append(("Client groups covered", ", ".join(profile.client_groups)))
        pairs += [
            ("Period", t.period_text(data.period)),
            ("Generated", t.stamp(data.generated_at)),
            ("Document fingerprint", data.document_id or t.DASH),
            ("Signed by", self.signer_line(data)),
            ("Produced with", f"Practice Logbook {data.app_version}"),
        ]
        return pairs

    def signer_line(self, data: PortfolioData) -> str:
        """Who signed the file and with which key, or that it is not signed."""
        signer = data.signed_by
        if signer is None:
            return "Not signed (see the last page)"
        return f"{signer.name}, key {signer.fingerprint}"

    def role_lines(self, data: PortfolioData) -> list[str]:
        """The roles held in the period, one line each: title, organisation and dates."""
        lines = []
        for role in t.roles_in(data.profile, data.period):
            where = data.organisation_name(role.organisation_uid)
            dates = t.day_range(role.start, role.end) if role.end else f"since {t.day(role.start)}"
            lines.append(t.join([role.title, where], ", ") + f" ({dates})")
        return lines

    def cover_organisations(self, data: PortfolioData) -> list[str]:
        """Employers and supervising organisations (every organisation when none is either)."""
        organisations = data.organisations.values()
        return sorted(
            {o.name for o in organisations if o.employer or o.supervising}
            or {o.name for o in organisations}
        )

    def cover(self, data: PortfolioData) -> list[Flowable]:
        """The cover page: title, practitioner, period, the cover details and the notices (a
        warning first when private reflections are included)."""
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
            key_value_table(self.cover_details(data), styles),
            Spacer(1, 5 * mm),
            fingerprint_block(data, styles),
            Spacer(1, 6 * mm),
        ]
        if data.include_private:
            story += [self.notice(PRIVATE_NOTICE, warning=True), Spacer(1, 4 * mm)]
        story.append(self.notice(COVER_NOTICE))
        return story

    # --- sign-off in the logs --------------------------------------------------------------

    # --- supervision charts ----------------------------------------------------------------

    def supervision_series(self, data: PortfolioData) -> charts.MonthlySeries:
        """Supervision received per month, against the followed packs' minimum if any."""
        months = month_starts(data.period)
        index = {m: i for i, m in enumerate(months)}
        values = [0.0] * len(months)
        for session in cells.received(data):
            values[index[session.date.replace(day=1)]] += session.duration_minutes / 60
        target = data.supervision_minimum_hours
        title = (
            "Supervision received per month against the required minimum"
            if target is not None
            else "Supervision received per month"
        )
        return charts.MonthlySeries(months, {"Supervision": values}, target=target, title=title)

    def supervision_by_organisation(self, data: PortfolioData) -> list[tuple[str, float]]:
        """Hours of supervision received per organisation, the most first."""
        minutes: dict[str, int] = defaultdict(int)
        for session in cells.received(data):
            name = data.organisation_name(session.organisation_uid) or "Not recorded"
            minutes[name] += session.duration_minutes
        ordered = sorted(minutes.items(), key=lambda item: (-item[1], item[0]))
        return [(name, m / 60) for name, m in ordered]

    def totals_chart(self, pairs: Sequence[tuple[str, float]], title: str) -> Flowable:
        """A bar chart of named totals, kept on one page; only the first twelve are drawn, so
        pass them largest first."""
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
