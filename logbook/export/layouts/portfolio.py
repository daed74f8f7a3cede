"""The professional portfolio: every section, from the summary with charts to the appendix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from logbook.domain.catalogue import describe, filed_on
from logbook.domain.periods import Period, month_starts
from logbook.domain.records import (
    CpdActivity,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    minutes_of,
)
from logbook.domain.roles import words_for
from logbook.export import cells, charts
from logbook.export import text as t
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import FRAME_WIDTH, Column, escape, figures_table
from logbook.export.layouts.log_columns import log_columns
from logbook.export.sections import PathwaysSection, RequirementsSection, SignoffsSection

K = RecordKind
S = SectionInfo

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
# Kinds logged many times a week: summarised month by month, entry by entry only on request.
MONTHLY_KINDS = (K.PRACTICE, K.PERSONAL_PRACTICE)
# Kinds whose entries carry a reflection, gathered in the reflections section.
REFLECTING_KINDS = (K.SUPERVISION, K.PRACTICE, K.COURSE, K.CPD, K.FEEDBACK)
# Kinds the reflections section names in its coverage line (practice, logged many times a week,
# is counted in its own section).
LISTED_REFLECTING_KINDS = (K.SUPERVISION, K.COURSE, K.CPD, K.FEEDBACK)


class GenericPortfolioRenderer(RequirementsSection, SignoffsSection, PathwaysSection):
    """Every section: the whole record for a reviewer who wants all of it."""

    key = "portfolio"
    title = "Professional portfolio"
    description = (
        "Every section: summary with charts, requirement status, each log, sign-off evidence."
    )
    section_list: ClassVar[tuple[SectionInfo, ...]] = (
        S("summary", "Summary", frozenset(CHARTED_KINDS) | frozenset(FIGURE_KINDS)),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
        S(
            "supervision",
            "Supervision",
            frozenset({K.SUPERVISION, K.COURSE}),
            frozenset({"signoffs"}),
        ),
        S("practice", "Practice", frozenset({K.PRACTICE})),
        S("courses", "Teaching courses", frozenset({K.COURSE}), omit_when_empty=True),
        S("cpd", "Continuing professional development", frozenset({K.CPD}), omit_when_empty=True),
        S(
            "personal_practice",
            "Personal practice and retreats",
            frozenset({K.PERSONAL_PRACTICE}),
            omit_when_empty=True,
        ),
        S(
            "pathways",
            "Training pathways and milestones",
            frozenset({K.PATHWAY, K.MILESTONE}),
            omit_when_empty=True,
        ),
        S("feedback", "Feedback", frozenset({K.FEEDBACK}), omit_when_empty=True),
        S(
            "reflective_accounts",
            "Reflective accounts",
            frozenset({K.REFLECTIVE_ACCOUNT}),
            omit_when_empty=True,
        ),
        S(
            "attestations",
            "Reflective discussions and confirmations",
            frozenset({K.ATTESTATION}),
            omit_when_empty=True,
        ),
        S("reflections", "Reflections", frozenset(REFLECTING_KINDS)),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
        S(
            "entries",
            "Appendix: practice logs entry by entry",
            frozenset(MONTHLY_KINDS),
            frozenset({"signoffs"}),
            on_request=True,
        ),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "summary": FIGURE_KINDS,
        "supervision": (K.SUPERVISION,),
        "practice": (K.PRACTICE,),
        "courses": (K.COURSE,),
        "cpd": (K.CPD,),
        "personal_practice": (K.PERSONAL_PRACTICE,),
        "pathways": (K.MILESTONE,),
        "feedback": (K.FEEDBACK,),
        "reflective_accounts": (K.REFLECTIVE_ACCOUNT,),
        "attestations": (K.ATTESTATION,),
        "reflections": LISTED_REFLECTING_KINDS,
    }

    # --- summary -----------------------------------------------------------------------------

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The record at a glance: entries and hours of each kind, hours per month, and
        supervision per month and by organisation."""
        story: list[Flowable] = [
            self.para(
                f"Entries and hours recorded between {t.day(data.start)} and {t.day(data.end)}. "
                "Hours are shown to two decimals; sessions marked did-not-attend are listed in "
                "the practice log but not counted."
            ),
            self.gap(3 * mm),
            figures_table(
                ["Record", "Entries", "Hours", "Signed"],
                self.key_figures(data),
                [52, 16, 16, 16],
                self.styles,
            ),
            *self.coverage_notes(data),
            self.gap(6 * mm),
            KeepTogether([charts.monthly_hours_chart(self.monthly_series(data), FRAME_WIDTH, 170)]),
            self.gap(5 * mm),
            KeepTogether(
                [charts.monthly_hours_chart(self.supervision_series(data), FRAME_WIDTH, 150)]
            ),
        ]
        if data.supervision_minimum_hours is None:
            story.append(
                self.para(
                    "No monthly supervision minimum applies: none of the requirement packs "
                    "followed sets one.",
                    "muted",
                )
            )
        by_org = self.supervision_by_organisation(data)
        if by_org:
            story += [
                self.gap(5 * mm),
                self.totals_chart(by_org, "Supervision received by organisation"),
            ]
        return story

    def key_figures(self, data: PortfolioData) -> list[Sequence[str]]:
        """Entries, hours and entries signed of each kind gathered, hours only for the kinds
        that take time."""
        index = self.signoffs(data)
        rows: list[Sequence[str]] = []
        for kind in FIGURE_KINDS:
            if kind not in data.totals:
                continue
            total = data.total(kind)
            hours = t.hours_text(total.minutes) if kind in CHARTED_KINDS else t.DASH
            found = data.of(kind)
            signed = cells.signed_percent_text(found, index) if found else t.DASH
            rows.append([kind.label, f"{total.count:,}", hours, signed])
        return rows

    def coverage_notes(self, data: PortfolioData) -> list[Flowable]:
        """Under the key figures: what counts as signed, and the coverage line of each kind
        with entries signed with less proof, or on their way to a signature or back from one."""
        index = self.signoffs(data)
        lines = [
            cells.coverage_text(group, index) + "."
            for group in self.listed(data)
            if group.kind in FIGURE_KINDS and cells.coverage_notes(group.records, index)
        ]
        text = "Signed counts the entries whose content as printed carries a valid signature."
        return [self.gap(1.5 * mm), self.para(" ".join([text, *lines]), "muted")]

    def monthly_series(self, data: PortfolioData) -> charts.MonthlySeries:
        """Hours per month of each kind that takes time, stacked in the chart."""
        months = month_starts(data.period)
        index = {m: i for i, m in enumerate(months)}
        series: dict[str, list[float]] = {}
        for kind in CHARTED_KINDS:
            values = [0.0] * len(months)
            for record in data.of(kind):
                day = filed_on(record)
                if day is not None:
                    values[index[day.replace(day=1)]] += minutes_of(record) / 60
            series[kind.label] = values
        return charts.MonthlySeries(months, series, title="Hours per month by kind")

    # --- the logs ----------------------------------------------------------------------------

    def columns(self, kind: RecordKind, data: PortfolioData) -> list[Column]:
        """Columns of the log table of ``kind`` (widths are relative), sign-off last: the
        catalogue's, with the settings each supervision session covered beside its organisation
        and its credited time when a followed pack's formula divides group time, and the span
        of a practice entry covering a period."""
        index = self.signoffs(data)
        records = {r.uid: r for r in data.of(kind)}
        columns = log_columns(kind, data, lambda uid: cells.signoff_text(records[uid], data, index))
        if kind is K.SUPERVISION:
            columns = [self.supervision_column(c, data) for c in columns]
            if divides(data):
                at = next(i for i, c in enumerate(columns) if c.title == "Hours") + 1
                columns.insert(
                    at, Column("Credited", 30, lambda r: credited_text(r, data), "RIGHT")
                )
        if kind is K.CPD:
            # The provider under the activity's title, so that no column is cut mid-word.
            columns = [
                replace(c, value=lambda r: t.join([r.title, r.provider], "\n"))
                if c.title == "Activity"
                else c
                for c in columns
                if c.title != "Provider"
            ]
        if kind is K.PRACTICE:
            columns = [
                Column("Dates", 50, lambda r: t.day_range(r.date, r.end_date))
                if c.title == "Date"
                else c
                for c in columns
            ]
        return columns

    def supervision_column(self, column: Column, data: PortfolioData) -> Column:
        """A column of the supervision log, the organisation's with the settings covered."""
        if column.title != "Organisation":
            return column
        return Column(
            "Organisation and settings",
            column.width,
            lambda r: t.join([data.organisation_name(r.organisation_uid), settings_text(r)], "\n"),
        )

    def kind_section(
        self,
        data: PortfolioData,
        kind: RecordKind,
        intro: str = "",
        before: Sequence[Flowable] = (),
    ) -> list[Flowable]:
        """The log of one kind: a line counting its entries (and hours), ``intro``, what goes
        ``before`` the table, then the table, entry by entry, or month by month for the kinds
        logged many times a week."""
        listed = cells.Listed(kind.label, kind, data.of(kind))
        lead = [*self.signed_lead(data, self.count_line(data, kind), intro, listed), *before]
        if kind in MONTHLY_KINDS:
            return lead + self.monthly_table(data, kind)
        return lead + self.log_table(self.columns(kind, data), data.of(kind))

    def count_line(self, data: PortfolioData, kind: RecordKind) -> str:
        """ "767 entries, 527.83 hours, 01 Jan 2026 – 31 Dec 2026." """
        total = data.total(kind)
        line = f"{total.count} {'entry' if total.count == 1 else 'entries'}"
        if kind in CHARTED_KINDS:
            line += f", {t.hours_text(total.minutes)} hours"
        return line + f", {t.period_text(data.period)}."

    def monthly_table(self, data: PortfolioData, kind: RecordKind) -> list[Flowable]:
        """Month by month and by setting (or kind of practice): entries, hours, how many were
        signed; and where the entries are listed one by one, when they are."""
        index = self.signoffs(data)
        rows = cells.monthly_rows(data.of(kind))
        where = (
            "Each entry is listed in the appendix."
            if data.wants("entries")
            else "Entry by entry, they are an appendix the practitioner can add when exporting."
        )
        columns = [
            Column("Month", 50, lambda r: r.month, bold=True),
            Column(cells.MONTHLY_GROUP_TITLE[kind], 120, lambda r: r.group),
            Column("Entries", 36, lambda r: f"{len(r.records):,}", "RIGHT"),
            Column("Not attended", 40, lambda r: r.missed_text, "RIGHT"),
            Column("Hours", 40, lambda r: t.hours_text(r.minutes), "RIGHT"),
            Column("Signed", 44, lambda r: cells.signed_share_text(r.records, index), "RIGHT"),
        ]
        if any(row.contacts for row in rows):
            contacts = Column(
                "Contacts (no hours)",
                44,
                lambda r: f"{r.contacts:,}" if r.contacts else "",
                "RIGHT",
            )
            columns.insert(3, contacts)
        return [self.para(where, "muted"), *self.log_table(columns, rows)]

    def section_entries(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The logs summarised month by month, entry by entry, each with its sign-off."""
        story: list[Flowable] = [
            self.para(
                "Every entry the monthly summaries count, oldest first, with its sign-off.",
                "muted",
            )
        ]
        for part, kind in enumerate(MONTHLY_KINDS, 1):
            story += self.h2(f"{number}{part}  {kind.label}", f"entries_{kind}")
            story += self.log_table(self.columns(kind, data), data.of(kind))
        return story

    def section_supervision(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The supervision log, received and given, with each session's sign-off: the group
        formula the followed packs apply, named, and the months of practice with no supervision
        received."""
        received = cells.minutes_total(cells.received(data))
        given = data.total(K.SUPERVISION).minutes - received
        credited = ""
        if divides(data):
            minutes = cells.credited_total(cells.received(data), data)
            credited = f", credited {cells.credited_hours_text(minutes)} h"
        return self.kind_section(
            data,
            K.SUPERVISION,
            f"Received {t.hours_text(received)} h{credited}, given {t.hours_text(given)} h. "
            "Group sessions show the number of supervisees present (the facilitator is not "
            "counted); the type of supervision is followed by the methods used. Reflections are "
            "in their own section.",
            [*self.formula_note(data), *self.gaps_note(data)],
        )

    def formula_note(self, data: PortfolioData) -> list[Flowable]:
        """How group time is credited: the followed pack's formula by name and source, or, with
        none, that group time is shown as recorded."""
        source = data.group_credit_source
        if not source:
            text = (
                "<b>Group supervision credit.</b> No followed requirement pack sets a formula for "
                "group supervision, so group time is shown as recorded, with no credit applied."
            )
        else:
            cited = pack_source(data, source)
            whence = f" ({escape(cited)})" if cited else ""
            rest = (
                " Individual sessions count in full; the Credited column applies it."
                if divides(data)
                else " Credited time is the time recorded."
            )
            text = (
                f"<b>Group supervision credit, by the formula of {escape(source)}</b>{whence}: "
                f"{escape(data.group_credit.description.strip())}{rest}"
            )
        return [self.notice(text), self.gap(2.5 * mm)]

    def gaps_note(self, data: PortfolioData) -> list[Flowable]:
        """The months with practice and no supervision received (a service audit's "interval
        met")."""
        gaps = unsupervised_months(data)
        line = (
            "Months with practice and no supervision received: "
            + (", ".join(f"{m:%b %Y}" for m in gaps) if gaps else "none")
            + "."
        )
        return [self.para(line, "muted"), self.gap(2.5 * mm)]

    def section_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The practice log, named as the practitioner's role names it: what was done, where
        and in what role, never with whom; and the entries covering a period, each with its
        span."""
        words = words_for(data.profile)
        story = self.kind_section(
            data,
            K.PRACTICE,
            f"{words.practice_log}: what happened, never with whom ({words.people} are never "
            "identified). Sessions not attended are counted apart and add no hours.",
        )
        spans = [
            e
            for e in data.typed(K.PRACTICE, PracticeEntry)
            if e.end_date is not None and e.end_date > e.date
        ]
        if spans:
            listed = "; ".join(
                f"{t.day_range(e.date, e.end_date)}, {cells.practice_hours_text(e)} h "
                f"({e.setting.label})"
                for e in spans
            )
            story += [
                self.gap(2 * mm),
                self.para(
                    f"{len(spans)} {'entry covers' if len(spans) == 1 else 'entries cover'} a "
                    f"period of practice, counted in the month the period starts: {listed}.",
                    "muted",
                ),
            ]
        return story

    def section_courses(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The log of teaching courses."""
        return self.kind_section(data, K.COURSE)

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The CPD log, opening with the hours of participatory learning."""
        participatory = sum(
            r.effective_participatory_minutes for r in data.typed(K.CPD, CpdActivity)
        )
        return self.kind_section(
            data, K.CPD, f"Participatory learning: {t.hours_text(participatory)} hours."
        )

    def section_personal_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The log of personal practice and retreats."""
        return self.kind_section(data, K.PERSONAL_PRACTICE)

    def section_feedback(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The log of feedback received."""
        return self.kind_section(data, K.FEEDBACK)

    def section_reflective_accounts(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The log of reflective accounts."""
        return self.kind_section(data, K.REFLECTIVE_ACCOUNT)

    def section_attestations(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The log of reflective discussions and confirmations."""
        return self.kind_section(data, K.ATTESTATION)

    # --- reflections -----------------------------------------------------------------------

    def reflections(self, data: PortfolioData) -> list[tuple[Record, str, bool]]:
        """(record, reflection, private) of every reflection the data holds, by date."""
        found: list[tuple[Record, str, bool]] = []
        for kind in REFLECTING_KINDS:
            for record in data.of(kind):
                text = getattr(record, "reflection", "")
                if text:
                    found.append((record, text, bool(getattr(record, "reflection_private", False))))
        found.sort(key=lambda item: (filed_on(item[0]) or data.start, item[0].uid))
        return found

    def section_reflections(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Every reflection written with the entries, in date order, private ones marked (and
        only when the practitioner asked for them)."""
        intro = (
            "Shareable reflections written with the entries above."
            if not data.include_private
            else "Shareable reflections, and private reflections included at the practitioner's "
            "request (marked “private”)."
        )
        return [
            self.para(intro, "muted"),
            self.gap(2 * mm),
            *self.log_table(
                [
                    Column("Date", 46, lambda row: t.day(filed_on(row[0]))),
                    Column(
                        "Entry",
                        110,
                        lambda row: describe(row[0], names=data.person_name),
                        bold=True,
                    ),
                    Column(
                        "Reflection",
                        310,
                        lambda row: ("PRIVATE – " if row[2] else "") + row[1],
                        max_lines=24,
                    ),
                ],
                self.reflections(data),
                empty="No shareable reflections are recorded in this period.",
            ),
        ]


# --- words and figures ---------------------------------------------------------------------------


def divides(data: PortfolioData) -> bool:
    """Whether the followed packs' formula credits group time at less than in full."""
    return bool(data.group_credit_source) and data.group_credit.key != "full"


def credited_text(session: SupervisionSession, data: PortfolioData) -> str:
    """Hours of a session received credited by the followed packs' formula (a dash for one
    given: the formula is the supervisee's)."""
    if session.direction == "given":
        return t.DASH
    return cells.credited_hours_text(cells.credited_minutes(session, data))


def settings_text(session: SupervisionSession) -> str:
    """The settings a session covered ("" when none is recorded)."""
    return ", ".join(setting.label for setting in session.effective_settings)


def pack_source(data: PortfolioData, title: str) -> str:
    """Where the pack titled ``title`` takes its supervision rule from: the source of its first
    rule about supervision ("" when its results are not in the document)."""
    for pack in data.requirements:
        if pack.title == title:
            for rule in pack.rules:
                if "supervision" in rule.title.lower() and rule.source_title:
                    return t.join([rule.source_title, rule.source_url], ", ")
    return ""


def practice_months(entry: PracticeEntry) -> list[date]:
    """The first day of each month a practice entry covers (its span, for a period entry)."""
    first = entry.date.replace(day=1)
    if not entry.end_date or entry.end_date < first:
        return [first]
    return month_starts(Period(first, max(entry.date, entry.end_date)))


def unsupervised_months(data: PortfolioData) -> list[date]:
    """Months of the document with practice that took place (not missed) and no supervision
    received, oldest first."""
    practised = {
        month
        for entry in data.typed(K.PRACTICE, PracticeEntry)
        if not entry.did_not_attend
        for month in practice_months(entry)
    }
    supervised = {s.date.replace(day=1) for s in cells.received(data)}
    first = data.start.replace(day=1)
    return sorted(m for m in practised - supervised if first <= m <= data.end)
