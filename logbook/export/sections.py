"""Sections that several layouts print, each a small renderer class a layout inherits.

A layout lists the ones it prints among its bases, before :class:`LayoutRenderer`, and may
still override any of their steps (e.g. :meth:`RequirementsSection.requirement_packs`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from logbook.domain.catalogue import LOG_KINDS, describe
from logbook.domain.findings import PackResult, RuleResult, Status
from logbook.domain.records import Milestone, Pathway, Record, RecordKind
from logbook.domain.requirements.text import finding_words
from logbook.domain.signing import PERIOD_SUMMARY
from logbook.domain.signoff import SignoffEvidence, SignoffMode
from logbook.export import cells, fonts
from logbook.export import text as t
from logbook.export.data import EntrySignoff, PortfolioData
from logbook.export.document import (
    FRAME_WIDTH,
    NAVY,
    PALE,
    Column,
    PagedTable,
    escape,
    fit_columns,
    table_style,
)
from logbook.export.renderer import LayoutRenderer

K = RecordKind

SIGNOFF_INTRO = (
    "Every signature covers the exact content of the entry at the revision shown, or the "
    "totals a period summary states; an entry changed after it was signed shows as “changed "
    "since signed”. Signatures are listed by signing (a request answered, a batch, a sitting "
    "with the signer, a period summary), oldest first, each under its signer and the whole "
    "fingerprint of the key that signed, with how and when the practitioner confirmed that key, "
    "so a reviewer can check it with the signer. Only signatures made for this practitioner are "
    "listed. A signature shows the signer's consent to what was recorded; it does not grade the "
    "quality of the work. Scanned paper signatures are unverified evidence. The logs count an "
    "entry as signed only when a valid signature covers what it says now."
)
# Room kept at the foot of a page for a signing's heading and its first rows.
SIGNING_ROOM = 38 * mm
# A signing with at most this many entries is kept on one page.
SHORT_SIGNING = 8


class SignedEntries(LayoutRenderer):
    """Sign-off shown where the entries are: how many of them are signed, and a sign-off
    column in every log.

    ``listing`` names, for each section that lists entries, the kinds it lists; the coverage
    lines, the cover and the appendix count and show only those entries.
    """

    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {}
    # The document the sign-off index was built for, and the index.
    _index: tuple[PortfolioData, cells.SignoffIndex] | None = None

    @classmethod
    def uses(cls, sections: frozenset[str] | None) -> frozenset[str]:
        """What the chosen sections print besides records: sign-off evidence too when any
        of them lists entries (each shows their sign-off)."""
        found = super().uses(sections)
        if any(s.key in cls.listing for s in cls._chosen(sections)):
            return found | {"signoffs"}
        return found

    def signoffs(self, data: PortfolioData) -> cells.SignoffIndex:
        """The sign-off of each entry of ``data`` (built once per document)."""
        if self._index is None or self._index[0] is not data:
            self._index = (data, cells.SignoffIndex(data))
        return self._index[1]

    def listed_kinds(self, data: PortfolioData) -> list[RecordKind]:
        """The kinds of entry the chosen sections list, in the catalogue's order."""
        chosen = {k for s in self.wanted_sections(data) for k in self.listing.get(s.key, ())}
        return [kind for kind in LOG_KINDS if kind in chosen]

    def entries(self, data: PortfolioData, kind: RecordKind) -> Sequence[Record]:
        """The entries of ``kind`` the layout lists (a layout that lists some only narrows it)."""
        return data.of(kind)

    def listed(self, data: PortfolioData) -> list[cells.Listed]:
        """The entries the document lists, kind by kind, as its coverage lines count them."""
        return [
            cells.Listed(kind.label, kind, self.entries(data, kind))
            for kind in self.listed_kinds(data)
        ]

    def coverage(self, data: PortfolioData, *listed: cells.Listed) -> list[Flowable]:
        """How many of the entries listed are signed: one line per group; groups with no
        entries are left out."""
        index = self.signoffs(data)
        groups = [g for g in listed if g.records]
        return [
            self.markup(escape(cells.coverage_text(group, index)) + ".", "small")
            for group in groups
        ]

    def coverage_box(self, data: PortfolioData) -> list[Flowable]:
        """The coverage of the whole document in a panel, for its summary: one line a kind."""
        lines = [
            escape(cells.coverage_text(g, self.signoffs(data))) + "."
            for g in self.listed(data)
            if g.records
        ]
        if not lines:
            return []
        panel = Table(
            [
                [
                    self.markup("<b>Signed entries</b>", "small"),
                    self.markup("<br/>".join(lines), "small"),
                ]
            ],
            colWidths=[30 * mm, FRAME_WIDTH - 30 * mm],
        )
        panel.setStyle(table_style(PANEL_STYLE))
        return [panel, self.gap(4 * mm)]

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        """The usual cover details, with how much of the work listed is signed (under the
        period)."""
        pairs = super().cover_details(data)
        index = self.signoffs(data)
        lines = [
            f"{g.label}: {cells.signed_share_text(g.records, index)} {cells.noun(g)}"
            for g in self.listed(data)
            if g.records
        ]
        if lines:
            at = next((i + 1 for i, (label, _) in enumerate(pairs) if label == "Period"), 0)
            pairs.insert(at, ("Entries signed", "; ".join(lines)))
        return pairs

    def signed_lead(
        self, data: PortfolioData, line: str, note: str, *listed: cells.Listed
    ) -> list[Flowable]:
        """The bold line that opens a log and its note, then how many of its entries are
        signed."""
        story = self.lead(line, note)
        return [*story[:-1], *self.coverage(data, *listed), story[-1]]

    def signoff_column(self, data: PortfolioData, width: float = cells.SIGNOFF_WEIGHT) -> Column:
        """The sign-off column of a log of entries (``width`` is its weight when it wraps)."""
        index = self.signoffs(data)
        return Column("Sign-off", width, lambda r: cells.signoff_text(r, data, index), max_lines=9)

    def signoff_line(self, record: Record, data: PortfolioData) -> Flowable:
        """An entry's sign-off on a line of its own, for entries printed as text."""
        words = cells.signoff_text(record, data, self.signoffs(data)).replace("\n", " · ")
        return self.markup(f"<b>Sign-off:</b> {escape(words)}", "muted")


class RequirementsSection(LayoutRenderer):
    """ "Requirement status": each followed pack's rules, with every shortfall explained."""

    def section_requirements(self, data: PortfolioData, number: str) -> list[Flowable]:
        """For a reviewer: whether each followed pack's criteria are met for the period, and
        why not where they fall short (or a note that no pack is followed)."""
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
        """One pack under its own numbered heading: overall status, its rules, its shortfalls."""
        story: list[Flowable] = [
            *self.h2(f"{number}  {pack.title}", f"pack_{pack.pack_id}"),
            self.markup(f"Overall: {self.status_markup(pack.status)}"),
            self.gap(2 * mm),
            self.rule_table(pack),
        ]
        for rule in pack.rules:
            story += self.shortfalls(rule)
        return story

    def rule_table(self, pack: PackResult) -> Flowable:
        """A pack's rules with their status, the published source cited and when it was
        last checked."""
        cell = self.styles.cell
        rows = [
            [
                Paragraph(f"<b>{escape(rule.title)}</b><br/>{escape(rule.description)}", cell),
                Paragraph(self.status_markup(rule.status), cell),
                Paragraph(
                    escape(rule.source_title)
                    + (
                        f"<br/><font color='#5B6770'>{escape(rule.source_url)}</font>"
                        if rule.source_url
                        else ""
                    ),
                    cell,
                ),
                Paragraph(escape(t.day(rule.checked_on)), cell),
            ]
            for rule in pack.rules
        ]
        return self.rich_table(["Rule", "Status", "Source", "Checked"], rows, [44, 17, 29, 10])

    def shortfalls(self, rule: RuleResult) -> list[Flowable]:
        """A rule's findings that fall short, with why and what would meet it; a period still
        running is no shortfall yet, and says in a line what would meet it in time."""
        unmet = [f for f in rule.findings if f.status == Status.NOT_YET_MET]
        short = [f for f in unmet if not f.in_progress]
        running = [f for f in unmet if f.in_progress]
        if not unmet and not rule.projection:
            return []
        story: list[Flowable] = [
            CondPageBreak(40 * mm),
            Paragraph(escape(f"{rule.title}: {t.shortfall_count(unmet)}"), self.styles.h3),
        ]
        if rule.projection:
            story.append(self.para(rule.projection, "small"))
        if rule.basis:
            story.append(self.para(rule.basis, "small"))
        for finding in running:
            words = finding_words(finding)
            story.append(self.para(f"Still running, {words.title}: {words.to_close}", "small"))
        if not short:
            return story
        # The same words as the app and the command line (finding_words).
        return story + self.log_table(
            [
                Column("Period", 60, lambda f: finding_words(f).title),
                Column("Required", 34, lambda f: t.figure(f.required, f.unit), "RIGHT"),
                Column("Recorded", 34, lambda f: t.figure(f.actual, f.unit), "RIGHT"),
                Column("Why", 150, lambda f: finding_words(f).explanation),
                Column("What would meet it", 110, lambda f: finding_words(f).to_close),
            ],
            short,
            empty="No shortfalls.",
        )


class SignoffsSection(SignedEntries):
    """ "Sign-off evidence": the signatures of the document's entries, one block per signing,
    the entries returned or whose signature was withdrawn, and the history head."""

    def section_signoffs(self, data: PortfolioData, number: str) -> list[Flowable]:
        """For a reviewer checking signatures: each signing with its signer, key fingerprint
        and what it covered; then what was returned or withdrawn, and the history head a
        later export must still hold."""
        story: list[Flowable] = [self.para(SIGNOFF_INTRO), self.gap(3 * mm)]
        shown = self.shown_signatures(data)
        found = cells.signings(shown, cells.entry_dates(data))
        if not found:
            story.append(self.para("No entries in this document have been signed off.", "muted"))
        # One set of widths for every signing, so the blocks line up down the pages.
        columns = fit_columns(self.signing_columns(data), shown)
        for signing in found:
            story += self.signing_block(signing, columns)
        story += self.withdrawn(data)
        if data.signoff_history is not None:
            history = self.markup(history_markup(*data.signoff_history))
            story += [self.gap(3 * mm), KeepTogether([history])]
        return story

    def shown_signatures(self, data: PortfolioData) -> list[SignoffEvidence]:
        """The signatures of the entries the document lists, and of the period summaries."""
        listed = {r.uid for group in self.listed(data) for r in group.records}
        return [
            e for e in data.signoffs if e.target_uid in listed or e.target_kind == PERIOD_SUMMARY
        ]

    def signing_block(self, signing: cells.Signing, columns: list[Column]) -> list[Flowable]:
        """One signing: a heading with when, how, who and the key, then what it covered."""
        head = self.signing_head(signing)
        # The header row repeats on every page a long signing takes: it says whose it is.
        first = signing.first
        what = f"What was signed on {t.stamp(first.signed_at)} by {first.signer_name}"
        named = [dataclasses.replace(c, title=what) if i == 1 else c for i, c in enumerate(columns)]
        table = PagedTable(named, signing.signatures)
        if len(signing.signatures) <= SHORT_SIGNING:
            return [KeepTogether([head, table]), self.gap(4 * mm)]
        return [CondPageBreak(SIGNING_ROOM), head, table, self.gap(4 * mm)]

    def signing_head(self, signing: cells.Signing) -> Table:
        """The heading of a signing: when and how, who signed, and the key that signed."""
        first = signing.first
        count = len(signing.signatures)
        title = f"<b>{escape(t.stamp(first.signed_at))} · {escape(signing.title)}</b>"
        if first.target_kind != PERIOD_SUMMARY:
            title += f" · {count} {'entry' if count == 1 else 'entries'}"
        lines = [
            title,
            signer_markup(first),
            key_markup(first),
        ]
        table = Table([[self.markup("<br/>".join(lines), "small")]], colWidths=[FRAME_WIDTH])
        table.setStyle(table_style(PANEL_STYLE))
        return table

    def signing_columns(self, data: PortfolioData) -> list[Column]:
        """The columns of a signing's entries: date, what was signed, revision and status."""
        records = {r.uid: r for found in data.records.values() for r in found}
        dates = cells.entry_dates(data)

        def status(e: SignoffEvidence) -> str:
            record = records.get(e.target_uid)
            return cells.signature_status(e, cells.named_supervisor(record, data) if record else "")

        return [
            Column("Date", 46, lambda e: t.day(dates.get(e.target_uid))),
            Column("What was signed", 250, lambda e: e.description, max_lines=6),
            Column("Revision", 34, lambda e: str(e.target_revision), "RIGHT"),
            Column("Status", 140, status, max_lines=6),
        ]

    def withdrawn(self, data: PortfolioData) -> list[Flowable]:
        """Entries the signer returned with a comment, and signatures withdrawn with the
        reason, oldest first (nothing when there are none)."""
        rows = self.withdrawn_rows(data)
        if not rows:
            return []
        return [
            CondPageBreak(40 * mm),
            Paragraph("Returned entries and withdrawn signatures", self.styles.h3),
            *self.log_table(
                [
                    Column("When", 50, lambda r: t.stamp(r[0])),
                    Column("Entry", 140, lambda r: r[1]),
                    Column("What happened", 80, lambda r: r[2]),
                    Column("By", 60, lambda r: r[3]),
                    Column("Comment or reason", 150, lambda r: r[4], max_lines=8),
                ],
                rows,
            ),
        ]

    def withdrawn_rows(self, data: PortfolioData) -> list[Withdrawn]:
        """Every return and withdrawal of the entries the document lists, oldest first."""
        rows: list[Withdrawn] = []
        for group in self.listed(data):
            for record in group.records:
                entry = data.entry_signoffs.get(record.uid)
                if entry is not None and (entry.returned_at or entry.revocations):
                    rows += withdrawn_of(
                        describe(record, names=data.person_name, dated=True), entry
                    )
        return sorted(rows, key=lambda row: (row[0], row[1]))


# A return or withdrawal: when, the entry, what happened, by whom, the comment or reason.
Withdrawn = tuple[datetime, str, str, str, str]


def withdrawn_of(entry_text: str, entry: EntrySignoff) -> list[Withdrawn]:
    """The entry's return (with the signer's comment) and its withdrawn signatures (with the
    reason), as rows."""
    rows: list[Withdrawn] = []
    if entry.returned_at is not None:
        rows.append((entry.returned_at, entry_text, "Returned", entry.returned_by, entry.comment))
    for revoked in entry.revocations:
        what = f"Signature of {t.day(revoked.signed_at.date())} by {revoked.signer_name} withdrawn"
        rows.append((revoked.revoked_at, entry_text, what, revoked.revoked_by, revoked.reason))
    return rows


# The coverage panel and a signing's heading: pale, with a navy rule on the left.
PANEL_STYLE: list[tuple[Any, ...]] = [
    ("BACKGROUND", (0, 0), (-1, -1), PALE),
    ("LINEBEFORE", (0, 0), (0, -1), 2.5, NAVY),
    ("LEFTPADDING", (0, 0), (-1, -1), 7),
    ("TOPPADDING", (0, 0), (-1, -1), 4),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def mono(text: str) -> str:
    """Markup setting ``text`` in the monospaced face (fingerprints and hashes, read out
    character by character)."""
    return f'<font name="{fonts.MONO}">{escape(text)}</font>'


def signer_markup(evidence: SignoffEvidence) -> str:
    """Who signed, with their registration and organisation as the signature states them."""
    details = t.join([evidence.signer_registration, evidence.signer_organisation], " · ")
    named = f"Signed by <b>{escape(evidence.signer_name)}</b>"
    return f"{named} · {escape(details)}" if details else named


def key_markup(evidence: SignoffEvidence) -> str:
    """The key that signed, by its whole fingerprint, and how it was confirmed with the
    signer (paper evidence has no key)."""
    if evidence.mode is SignoffMode.PAPER or not evidence.fingerprint:
        return "No key: paper evidence is not a verified signature."
    confirmed = evidence.key_confirmed or "key not confirmed"
    holder = evidence.key_holder
    if holder and not cells.same_person(holder, evidence.signer_name):
        confirmed += f", as the key of {holder}"  # not of the person the signature names
    return f"Key {mono(cells.fingerprint_text(evidence.fingerprint))} · {escape(confirmed)}"


def history_markup(count: int, head: str) -> str:
    """The sign-off history's length and newest link, which a later export must still hold."""
    return (
        f"The practitioner's sign-off history held {count} events when this "
        f"document was made; its newest link is {mono(cells.fingerprint_text(head[:32]))}. "
        "Any later export of the same logbook must still hold this link, or "
        "sign-off events were removed."
    )


class PathwaysSection(SignedEntries):
    """Training pathways: each with its milestones and where the practitioner stands."""

    def section_pathways(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each training pathway or conversion plan, how far along it is, and its milestones."""
        pathways = data.typed(K.PATHWAY, Pathway)
        if not pathways:
            return [self.para("No training pathway or conversion plan is recorded.", "muted")]
        milestones: dict[str, list[Milestone]] = defaultdict(list)
        for milestone in data.typed(K.MILESTONE, Milestone):
            milestones[milestone.pathway_uid].append(milestone)
        story: list[Flowable] = [
            self.para(f"Progress as at {t.day(data.generated_at.date())}.", "muted"),
            *self.coverage(data, cells.Listed("Milestones", K.MILESTONE, data.of(K.MILESTONE))),
        ]
        for index, pathway in enumerate(pathways, 1):
            steps = sorted(milestones.get(pathway.uid, []), key=lambda m: (m.sequence, m.title))
            story += self.h2(f"{number}{index}  {pathway.title}", f"pathway_{pathway.uid}")
            story += [self.para(pathway_line(pathway, steps), "small"), self.gap(2 * mm)]
            story += self.milestone_table(steps, data)
        return story

    def milestone_table(self, steps: list[Milestone], data: PortfolioData) -> list[Flowable]:
        """A pathway's milestones in order, with their status, dates, assessor and evidence."""
        return self.log_table(
            [
                Column("#", 16, lambda m: str(m.sequence or ""), "RIGHT"),
                Column("Milestone", 130, lambda m: m.title, bold=True),
                Column("Route", 70, lambda m: m.route.label if m.route else ""),
                Column("Status", 56, lambda m: m.status.label),
                Column("Due", 46, lambda m: t.day(m.due_date)),
                Column("Completed", 46, lambda m: t.day(m.completed_on)),
                Column("Assessor", 60, lambda m: data.person_name(m.assessor_uid)),
                Column("Evidence", 80, lambda m: m.evidence),
                self.signoff_column(data),
            ],
            steps,
            empty="No milestones recorded.",
        )


def pathway_line(pathway: Pathway, steps: list[Milestone]) -> str:
    """ "Conversion; started 01 Jan 2024. 1 of 3 milestones complete; current stage: …" """
    done = sum(1 for m in steps if m.status in ("complete", "waived"))
    completed = f", completed {t.day(pathway.completed_on)}" if pathway.completed_on else ""
    stage = cells.current_stage(steps)
    return (
        f"{pathway.pathway_kind.label}; started {t.day(pathway.started_on) or t.DASH}"
        + completed
        + f". {done} of {len(steps)} milestones complete"
        + (f"; current stage: {stage}." if stage else ".")
    )
