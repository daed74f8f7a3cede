"""Sections that several layouts print, each a small renderer class a layout inherits.

A layout lists the ones it prints among its bases, before :class:`LayoutRenderer`, and may
still override any of their steps (e.g. :meth:`RequirementsSection.requirement_packs`).
"""

from __future__ import annotations

from collections import defaultdict

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from logbook.domain.findings import PackResult, RuleResult, Status
from logbook.domain.records import Milestone, Pathway, RecordKind
from logbook.domain.requirements.text import finding_words
from logbook.export import cells
from logbook.export import text as t
from logbook.export.data import PortfolioData
from logbook.export.document import Column, escape
from logbook.export.renderer import LayoutRenderer

K = RecordKind

SIGNOFF_INTRO = (
    "Every signature covers the exact content of the entry at the revision shown, "
    "or for a period summary the totals it states. "
    "A later change to a signed entry is shown as “changed since signed” and needs "
    "a new signature. Each signature names this practitioner: one made for anyone "
    "else is never listed. The fingerprint identifies the key that signed, and "
    "beside it is how and when the practitioner confirmed that key with the signer, "
    "so a reviewer can check it with them. A signature shows the signer's consent "
    "to what was recorded; it does not grade the quality of the work. Scanned paper "
    "signatures are listed as unverified evidence."
)


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
        """A rule's findings that fall short, with why and what would meet it."""
        short = [f for f in rule.findings if f.status == Status.NOT_YET_MET]
        if not short and not rule.projection:
            return []
        story: list[Flowable] = [
            CondPageBreak(40 * mm),
            Paragraph(escape(f"{rule.title}: {t.shortfall_count(short)}"), self.styles.h3),
        ]
        if rule.projection:
            story.append(self.para(rule.projection, "small"))
        if rule.basis:
            story.append(self.para(rule.basis, "small"))
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


class SignoffsSection(LayoutRenderer):
    """ "Sign-off evidence": every signature of the document's entries, and the history head."""

    def section_signoffs(self, data: PortfolioData, number: str) -> list[Flowable]:
        """For a reviewer checking signatures: what each covers, who signed and how, the key's
        fingerprint, and the history head a later export must still hold."""
        story: list[Flowable] = [self.para(SIGNOFF_INTRO), self.gap(3 * mm)]
        ordered = sorted(data.signoffs, key=lambda e: (e.signed_at, e.target_uid))
        story += self.log_table(
            [
                Column(
                    "What was signed",
                    104,
                    lambda e: f"{e.description}\n(revision {e.target_revision})",
                ),
                Column("Signed by", 70, cells.signer_text, bold=True),
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
                    lambda e: t.join(
                        [cells.fingerprint_text(e.fingerprint), e.key_confirmed], "\n"
                    ),
                ),
            ],
            ordered,
            empty="No entries in this document have been signed off.",
        )
        if data.signoff_history is not None:
            story += [self.gap(3 * mm), self.para(history_text(*data.signoff_history))]
        return story


def history_text(count: int, head: str) -> str:
    """The sign-off history's length and newest link, which a later export must still hold."""
    return (
        f"The practitioner's sign-off history held {count} events when this "
        f"document was made; its newest link is {cells.fingerprint_text(head[:32])}. "
        "Any later export of the same logbook must still hold this link, or "
        "sign-off events were removed."
    )


class PathwaysSection(LayoutRenderer):
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
            self.para(f"Progress as at {t.day(data.generated_at.date())}.", "muted")
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
