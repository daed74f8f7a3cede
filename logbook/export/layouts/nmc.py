"""The NMC revalidation record, in the order of the NMC templates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from logbook.domain.choices import AttestationKind
from logbook.domain.findings import PackResult
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    PracticeEntry,
    RecordKind,
    ReflectiveAccount,
    minutes_of,
)
from logbook.export import cells
from logbook.export import text as t
from logbook.export.data import PortfolioData, SectionInfo
from logbook.export.document import Column, escape, figures_table
from logbook.export.sections import RequirementsSection, SignoffsSection

K = RecordKind
# The requirement pack whose figures the summary sets beside the recorded ones.
NMC_PACK = "nmc_revalidation"
S = SectionInfo

# The questions of the NMC reflective account form, each with the field that answers it.
ACCOUNT_QUESTIONS = (
    (
        "What was the nature of the CPD activity, practice-related feedback "
        "or event or experience in your practice?",
        "experience",
    ),
    ("What did you learn from it?", "learning"),
    ("How did you change or improve your practice as a result?", "change_in_practice"),
)

# A practice hours line: dates, organisation, scope, setting, minutes, and its entries.
PracticeLine = tuple[str, str, str, str, int, list[PracticeEntry]]


class NmcRevalidationRenderer(RequirementsSection, SignoffsSection):
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
            frozenset({"requirements"}),
        ),
        S("requirements", "Requirement status", uses=frozenset({"requirements"})),
        S("practice", "Practice hours", frozenset({K.PRACTICE})),
        S("cpd", "Continuing professional development", frozenset({K.CPD})),
        S("feedback", "Practice-related feedback", frozenset({K.FEEDBACK})),
        S("reflective_accounts", "Written reflective accounts", frozenset({K.REFLECTIVE_ACCOUNT})),
        S("discussion", "Reflective discussion", frozenset({K.ATTESTATION})),
        S("confirmation", "Confirmation", frozenset({K.ATTESTATION})),
        S("declarations", "Health and character, and indemnity"),
        S("signoffs", "Sign-off evidence", uses=frozenset({"signoffs"})),
    )
    listing: ClassVar[Mapping[str, tuple[RecordKind, ...]]] = {
        "summary": (K.PRACTICE, K.CPD, K.FEEDBACK, K.REFLECTIVE_ACCOUNT, K.ATTESTATION),
        "practice": (K.PRACTICE,),
        "cpd": (K.CPD,),
        "feedback": (K.FEEDBACK,),
        "reflective_accounts": (K.REFLECTIVE_ACCOUNT,),
        "discussion": (K.ATTESTATION,),
        "confirmation": (K.ATTESTATION,),
    }

    pack_words = ("nmc",)

    needs_registration = ("NMC", "your PIN and renewal date")

    def registration(self, data: PortfolioData) -> str:
        """The practitioner's NMC registration as the summary states it ("" if not recorded)."""
        found = t.registration_for(data.profile, "NMC")
        return t.registration_text(found) if found else ""

    def cover_details(self, data: PortfolioData) -> list[tuple[str, str]]:
        """The usual cover details, with the NMC PIN and when revalidation is due after the
        name."""
        pairs = super().cover_details(data)
        found = t.registration_for(data.profile, "NMC")
        if found:
            pairs.insert(1, ("NMC PIN", found.number or t.DASH))
            if found.renewal_date:
                pairs.insert(2, ("Revalidation due", t.day(found.renewal_date)))
        return pairs

    def attestations(self, data: PortfolioData, kind: str) -> list[Attestation]:
        """Attestations of one kind ("reflective_discussion" or "confirmation") in the period."""
        return [a for a in data.typed(K.ATTESTATION, Attestation) if a.attestation_kind == kind]

    def participatory_minutes(self, data: PortfolioData) -> int:
        """Minutes of participatory CPD, of which the NMC asks for a minimum."""
        return sum(r.duration_minutes for r in data.typed(K.CPD, CpdActivity) if r.participatory)

    # --- summary -----------------------------------------------------------------------------

    def section_summary(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The registration, and for each revalidation requirement what the NMC requires
        beside what is recorded."""
        intro = (
            f"Registration: {self.registration(data)}. Figures are the entries recorded "
            f"between {t.day(data.start)} and {t.day(data.end)}."
        )
        pack = next((p for p in data.requirements if p.pack_id == NMC_PACK), None)
        if pack is None:
            table = figures_table(
                ["Requirement", "Recorded"], self.summary_rows(data), [60, 40], self.styles
            )
            intro += (
                " Follow the NMC revalidation requirement pack in the app to see what the NMC "
                "requires beside each figure."
            )
        else:
            table = self.rich_table(
                ["Requirement", "Required", "Recorded", "Status"],
                self.required_rows(pack),
                [42, 14, 18, 26],
            )
        return [
            self.para(intro),
            self.gap(3 * mm),
            table,
            self.gap(4 * mm),
            *self.coverage_box(data),
        ]

    def required_rows(self, pack: PackResult) -> list[list[Paragraph]]:
        """Each requirement of the NMC pack: what it requires, what is recorded, whether it is
        met (its first finding: the cycle, or the final twelve months)."""
        cell = self.styles.cell
        rows = []
        for rule in pack.rules:
            first = rule.findings[0] if rule.findings else None
            required = summary_figure(first.required, first.unit) if first else t.DASH
            recorded = summary_figure(first.actual, first.unit) if first else t.DASH
            status = first.status if first else rule.status
            rows.append(
                [
                    Paragraph(escape(rule.title), cell),
                    Paragraph(escape(required), cell),
                    Paragraph(escape(recorded), cell),
                    Paragraph(self.status_markup(status), cell),
                ]
            )
        return rows

    def summary_rows(self, data: PortfolioData) -> list[list[str]]:
        """The summary's figures: hours, feedback, accounts, and who gave the discussion and
        confirmation."""
        return [
            ["Practice hours", f"{t.hours_text(data.total(K.PRACTICE).minutes)} h"],
            ["CPD hours", f"{t.hours_text(data.total(K.CPD).minutes)} h"],
            ["  of which participatory", f"{t.hours_text(self.participatory_minutes(data))} h"],
            ["Pieces of practice-related feedback", str(data.total(K.FEEDBACK).count)],
            ["Written reflective accounts", str(data.total(K.REFLECTIVE_ACCOUNT).count)],
            ["Reflective discussion", self.who_and_when(data, "reflective_discussion")],
            ["Confirmation", self.who_and_when(data, "confirmation")],
        ]

    def who_and_when(self, data: PortfolioData, kind: str) -> str:
        """Who made each attestation of ``kind`` and on what date, or "Not yet recorded"."""
        found = self.attestations(data, kind)
        return "; ".join(f"{a.by_name}, {t.day(a.date)}" for a in found) or "Not yet recorded"

    # --- practice hours and CPD --------------------------------------------------------------

    def practice_lines(self, data: PortfolioData) -> list[PracticeLine]:
        """One line per year, organisation and work setting, as in the NMC practice hours log."""
        groups: dict[tuple[int, str, str], list[PracticeEntry]] = defaultdict(list)
        for entry in data.typed(K.PRACTICE, PracticeEntry):
            organisation = data.organisation_name(entry.organisation_uid)
            groups[(entry.date.year, organisation, work_setting(entry))].append(entry)
        lines = []
        # The most recent year first, as the NMC practice hours log is filled in.
        for (_, organisation, setting), entries in sorted(
            groups.items(), key=lambda item: (-item[0][0], item[0][1], item[0][2])
        ):
            lines.append(
                (
                    t.day_range(entries[0].date, entries[-1].date),
                    organisation or "Not recorded",
                    scope_text(entries),
                    setting,
                    sum(minutes_of(e) for e in entries),
                    entries,
                )
            )
        return lines

    def section_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Practice hours by year, organisation and work setting, as the NMC practice hours log
        sets them out."""
        total = data.total(K.PRACTICE)
        index = self.signoffs(data)
        story = self.signed_lead(
            data,
            f"{t.hours_text(total.minutes)} practice hours from {total.count} entries.",
            "By year, organisation and work setting, as in the NMC practice hours log; "
            "sessions marked did-not-attend count no hours.",
            cells.Listed("Practice", K.PRACTICE, data.of(K.PRACTICE)),
        )
        return story + self.log_table(
            [
                Column("Dates", 70, lambda r: r[0]),
                Column("Organisation", 100, lambda r: r[1], bold=True),
                Column("Scope of practice", 130, lambda r: r[2]),
                Column("Work setting", 80, lambda r: r[3]),
                Column("Entries", 36, lambda r: str(len(r[5])), "RIGHT"),
                Column("Hours", 44, lambda r: t.hours_text(r[4]), "RIGHT"),
                Column("Signed", 44, lambda r: cells.signed_share_text(r[5], index), "RIGHT"),
            ],
            self.practice_lines(data),
        )

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The CPD log of the NMC template: method, topic, link to the Code, hours and
        participatory hours, and what was learned."""
        cpd = data.typed(K.CPD, CpdActivity)
        story = self.signed_lead(
            data,
            f"{len(cpd)} activities, {t.hours_text(data.total(K.CPD).minutes)} hours, "
            f"of which {t.hours_text(self.participatory_minutes(data))} participatory.",
            "",
            cells.Listed("CPD", K.CPD, cpd),
        )
        return story + self.log_table(
            [
                Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
                Column("Method", 56, lambda r: r.cpd_type.label),
                Column("Topic", 110, lambda r: t.join([r.title, r.provider], "\n"), bold=False),
                Column("Link to the Code", 70, code_text),
                Column("Hours", 32, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
                Column(
                    "Participatory hours",
                    40,
                    lambda r: t.hours_text(r.duration_minutes if r.participatory else 0),
                    "RIGHT",
                ),
                Column("What I learned", 110, lambda r: r.learning_outcomes, max_lines=10),
                self.signoff_column(data),
            ],
            cpd,
        )

    # --- feedback and reflection -------------------------------------------------------------

    def kind_count(
        self, data: PortfolioData, kind: RecordKind, one: str, many: str
    ) -> list[Flowable]:
        """A bold line counting the records of ``kind`` ("1 piece recorded.", "5 pieces …"),
        then how many of them are signed."""
        count = data.total(kind).count
        return [
            self.markup(f"<b>{count} {one if count == 1 else many} recorded.</b>"),
            *self.coverage(data, cells.Listed(kind.label, kind, data.of(kind))),
            self.gap(2 * mm),
        ]

    def section_feedback(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each piece of practice-related feedback, its source and how the practitioner used
        it."""
        return [
            *self.kind_count(data, K.FEEDBACK, "piece", "pieces"),
            *self.log_table(
                [
                    Column("Date", 46, lambda r: t.day(r.date)),
                    Column("Source", 70, lambda r: r.source.label),
                    Column("Content of the feedback", 180, lambda r: r.summary, max_lines=14),
                    Column("How I used it", 170, cells.reflection_text, max_lines=14),
                    self.signoff_column(data),
                ],
                data.of(K.FEEDBACK),
            ),
        ]

    def section_reflective_accounts(self, data: PortfolioData, number: str) -> list[Flowable]:
        """Each written reflective account in the form's question-and-answer shape."""
        accounts = data.typed(K.REFLECTIVE_ACCOUNT, ReflectiveAccount)
        story = self.kind_count(data, K.REFLECTIVE_ACCOUNT, "account", "accounts")
        if not accounts:
            story.append(self.para("No reflective account is recorded in this period.", "muted"))
        for index, account in enumerate(accounts, 1):
            story += self.account(index, account, data)
        return story

    def account(
        self, index: int, account: ReflectiveAccount, data: PortfolioData
    ) -> list[Flowable]:
        """One written reflective account, as the questions of the NMC form and its answers."""
        answers = [(question, getattr(account, field)) for question, field in ACCOUNT_QUESTIONS]
        answers.append(("How is this relevant to the Code?", "; ".join(account.code_themes)))
        return [
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
            self.signoff_line(account, data),
            self.gap(1.5 * mm),
            self.question_block(answers),
        ]

    # --- discussion and confirmation ---------------------------------------------------------

    def section_discussion(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The reflective discussion form: one per discussion recorded, else a blank form for
        the discussion partner to complete and sign."""
        intro = (
            "A reflective discussion with another NMC registrant covering the five written "
            "reflective accounts. The partner records their name, NMC Pin, email, professional "
            "address and postcode, and the date of the discussion."
        )
        return self.attestation_forms(data, "reflective_discussion", intro, "Discussion partner")

    def section_confirmation(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The confirmation form, with what the confirmer confirms: one per confirmation
        recorded, else a blank form for the confirmer to complete and sign."""
        intro = (
            "Confirmation by an appropriate person, the line manager where possible, in the "
            "final twelve months before revalidation. The confirmer has seen the evidence of "
            "each requirement below."
        )
        story = self.attestation_forms(data, "confirmation", intro, "Confirmer")
        # The five things confirmed (the participatory share is part of the CPD line).
        checklist = [row for row in self.summary_rows(data) if not row[0].startswith(" ")][:5]
        return [
            *story,
            self.gap(4 * mm),
            self.para("Requirements confirmed, with the figures recorded:", "small"),
            figures_table(["Requirement", "Recorded"], checklist, [60, 40], self.styles),
        ]

    def section_declarations(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The two declarations made in the online application, which the app keeps nothing
        about: a reminder of the first, and the indemnity arrangement to complete."""
        return [
            self.para(
                "Both are declared online when you apply to revalidate, not to your confirmer. "
                "Health and character: you declare any caution or conviction, or any finding "
                "against you by another body, since you last renewed. No evidence of either "
                "needs sending.",
                "muted",
            ),
            self.gap(3 * mm),
            self.form_box(
                [
                    (
                        "Professional indemnity",
                        "Through my employer / through membership of a professional body / "
                        "a private insurance arrangement (strike out those that do not apply)",
                    ),
                    ("Provider, if not my employer", ""),
                    ("Health and character", "Declared in the online application"),
                ]
            ),
        ]

    def attestation_forms(
        self, data: PortfolioData, kind: str, intro: str, who: str
    ) -> list[Flowable]:
        """The NMC form of an attestation ``kind``, completed from each one recorded (with
        its sign-off), or blank to complete by hand when none is."""
        found = self.attestations(data, kind)
        listed = cells.Listed(AttestationKind(kind).label, K.ATTESTATION, found)
        story: list[Flowable] = [self.para(intro, "muted"), self.gap(2 * mm)]
        story += self.coverage(data, listed)
        nmc = t.registration_for(data.profile, "NMC")
        registrant = [
            ("Registrant", data.profile.name),
            ("Registrant's NMC Pin", nmc.number if nmc else ""),
        ]
        if not found:
            story.append(
                self.para("None is recorded in this period: this form is to complete by hand.")
            )
            blank = [
                (f"{who}'s name", ""),
                ("NMC Pin or other professional ID", ""),
                ("Email", ""),
                ("Professional address and postcode", ""),
                ("Date", ""),
                (f"Signature of the {who.lower()}", ""),
            ]
            return [*story, self.gap(2 * mm), KeepTogether([self.form_box([*registrant, *blank])])]
        index = self.signoffs(data)
        for attestation in found:
            signed = cells.signoff_text(attestation, data, index).replace("\n", " · ")
            category = attestation.confirmer_category
            rows = [
                *registrant,
                (f"{who}'s name", attestation.by_name),
                ("Role", attestation.by_role),
                *([("Category", category.label)] if category is not None else []),
                ("NMC Pin or other professional ID", attestation.by_registration),
                ("Email", attestation.by_email),
                ("Date", t.day(attestation.date)),
                ("Sign-off in the app", signed),
                (f"Signature of the {who.lower()}", ""),
            ]
            story += [self.gap(3 * mm), KeepTogether([self.form_box(rows)])]
        return story


def work_setting(entry: PracticeEntry) -> str:
    """The entry's work setting in the NMC's words, else the app's own setting, marked."""
    if entry.nmc_work_setting is not None:
        return entry.nmc_work_setting.label
    return f"{entry.setting.label} (not an NMC work setting)"


def scope_text(entries: Sequence[PracticeEntry]) -> str:
    """The NMC scopes of practice of ``entries``, the commonest first; else their activities,
    for a registrant who has not recorded a scope."""
    scopes = Counter(e.nmc_scope.label for e in entries if e.nmc_scope is not None)
    if scopes:
        return ", ".join(label for label, _ in scopes.most_common())
    activities = Counter(e.activity.label for e in entries)
    return "Not recorded (" + ", ".join(a for a, _ in activities.most_common(3)) + ")"


def code_text(activity: CpdActivity) -> str:
    """The themes of the Code an activity links to (the free-text link when none is chosen)."""
    return ", ".join(theme.label for theme in activity.code_themes) or activity.standard_link


def summary_figure(value: float | None, unit: str) -> str:
    """A required or recorded figure as the rest of the record prints it (hours to two
    decimals)."""
    if value is not None and unit in ("hours", "h"):
        return f"{t.hours_text(round(value * 60))} h"
    return t.figure(value, unit)
