"""The NMC revalidation record, in the order of the NMC templates."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from logbook.domain.choices import (
    AttestationKind,
    CodeTheme,
    FeedbackSource,
    Indemnity,
    NmcRegistration,
    NmcScope,
    NmcWorkSetting,
    OrganisationKind,
    Setting,
)
from logbook.domain.findings import PackResult
from logbook.domain.periods import add_months
from logbook.domain.records import (
    Attachment,
    Attestation,
    CpdActivity,
    FeedbackEntry,
    PracticeEntry,
    Profile,
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
# Whom a file's name could identify, in the words of the role.
PEOPLE = "a patient or service user"
# The requirement pack whose figures the summary sets beside the recorded ones.
NMC_PACK = "nmc_revalidation"
S = SectionInfo

# The questions of the NMC reflective account form, each with the field that answers it.
ACCOUNT_QUESTIONS = (
    (
        "What was the nature of the CPD activity and/or practice-related feedback and/or event "
        "or experience in your practice?",
        "experience",
    ),
    ("What did you learn from it?", "learning"),
    ("How did you change or improve your practice as a result?", "change_in_practice"),
)
# The account form's last question, answered by ticking the themes of the Code.
CODE_QUESTION = "How is this relevant to the Code? (select one or more themes)"
TICKED, UNTICKED = "\u2612", "\u2610"
# Practice of one kind resumed after a break of more than this many days is a new line of
# the practice hours log (eight weeks: more than leave or a short illness).
BREAK_DAYS = 56
# The NMC work setting the app's own setting stands for, until the registrant chooses one
# (community work for a charity is the voluntary sector; the rest have no NMC equivalent).
WORK_SETTINGS = {
    Setting.PRIMARY_CARE: NmcWorkSetting.PRIMARY_CARE,
    Setting.SECONDARY_CARE: NmcWorkSetting.SECONDARY_CARE,
    Setting.COMMUNITY: NmcWorkSetting.COMMUNITY,
    Setting.PRISON: NmcWorkSetting.PRISON,
    Setting.SCHOOL: NmcWorkSetting.SCHOOL,
    Setting.UNIVERSITY: NmcWorkSetting.UNIVERSITY,
}
# What the NMC calls the people the feedback source names "clients" in the app.
FEEDBACK_SOURCES = {FeedbackSource.CLIENT: "Patient or service user"}
# The indemnity arrangement to complete by hand when the registration does not record it.
INDEMNITY_CHOICES = (
    "Through my employer / through membership of a professional body / a private insurance "
    "arrangement (strike out those that do not apply)"
)


@dataclass(frozen=True)
class PracticeLine:
    """A line of the NMC practice hours log: one continuous period of practice at one
    organisation, in one work setting and scope of practice, under one registration.

    Attributes:
        start: The first day of the period.
        end: The last day (the last entry's end date, for a period entry).
        organisation: The organisation's name and its address with the postcode.
        setting: The NMC work setting (a default from the app's setting says so).
        scope: The NMC scope of practice.
        registration: The part of the register the work was done under.
        description: A brief description of the work, drafted from the records.
        entries: The practice entries of the line, oldest first.
    """

    start: date
    end: date
    organisation: str
    setting: str
    scope: str
    registration: str
    description: str
    entries: tuple[PracticeEntry, ...]

    @property
    def minutes(self) -> int:
        """The hours of the line, in minutes (did-not-attend sessions count none)."""
        return sum(minutes_of(e) for e in self.entries)

    @property
    def dates(self) -> str:
        """ "From – to", as the log asks."""
        return t.day_range(self.start, self.end)


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
        S(
            "practice",
            "Practice hours",
            frozenset({K.PRACTICE}),
            statement="Brief description of your work",
        ),
        S("cpd", "Continuing professional development", frozenset({K.CPD, K.ATTACHMENT})),
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
        """Minutes of participatory CPD, of which the NMC asks for a minimum (the part of an
        activity recorded as participatory, else all of a participatory one)."""
        return sum(r.effective_participatory_minutes for r in data.typed(K.CPD, CpdActivity))

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
        """The lines of the NMC practice hours log, the most recent first: one per
        organisation, work setting, scope of practice and registration, and per continuous
        period of that practice. Period entries ("full time, 1 Apr to 30 Jun") that follow on
        from each other make a line of their own; for entries of a day, a break of more than
        eight weeks starts a new line."""
        default = registration_default(data.profile)
        groups: dict[tuple[str, str, str, str, bool], list[PracticeEntry]] = defaultdict(list)
        for entry in data.typed(K.PRACTICE, PracticeEntry):
            key = (
                entry.organisation_uid or "",
                work_setting(entry, data),
                scope_text(entry),
                entry_registration(entry, default),
                entry.end_date is not None,
            )
            groups[key].append(entry)
        lines = []
        for (uid, setting, scope, registration, spans), entries in groups.items():
            for run in continuous_runs(entries, 0 if spans else BREAK_DAYS):
                first, last = run[0].date, max(entry_end(e) for e in run)
                lines.append(
                    PracticeLine(
                        first,
                        last,
                        self.organisation_text(uid, data),
                        setting,
                        scope,
                        registration,
                        self.work_description(run, uid, first, last, data),
                        tuple(run),
                    )
                )
        # "Please enter your most recent practice first."
        lines.sort(
            key=lambda line: (
                -line.end.toordinal(),
                -line.start.toordinal(),
                line.organisation,
                line.setting,
                line.scope,
                line.registration,
            )
        )
        return lines

    def organisation_text(self, uid: str, data: PortfolioData) -> str:
        """The organisation's name and, beneath it, its address with the postcode."""
        if not uid:
            return "Not recorded"
        organisation = data.organisations.get(uid)
        if organisation is None:
            return data.organisation_name(uid)
        address = organisation.address.strip() or "Address not recorded"
        return f"{organisation.name}\n{address}"

    def work_description(
        self,
        entries: Sequence[PracticeEntry],
        uid: str,
        first: date,
        last: date,
        data: PortfolioData,
    ) -> str:
        """A brief description of the work of a line, drafted from the records: the role held
        (at that organisation, when recorded) and the work most done, by hours."""
        held = [
            r for r in data.profile.roles if r.start <= last and (r.end is None or r.end >= first)
        ]
        role = next(
            (r for r in reversed(held) if r.organisation_uid == uid),
            held[-1] if held else None,
        )
        work: Counter[str] = Counter()
        for entry in entries:
            work[entry.intervention.strip() or entry.activity.label.lower()] += max(
                minutes_of(entry), 1
            )
        done = ", ".join(name for name, _ in work.most_common(3))
        return t.join([role.title if role else "", done], ": ")

    def statement_draft(self, key: str, data: PortfolioData) -> str:
        """For the practice hours log, a brief description of the work of each line (its
        dates, organisation, work setting and scope first), to rewrite in the registrant's
        words."""
        if key != "practice":
            return ""
        return "\n\n".join(
            f"{line.dates}, {line.organisation.split(chr(10))[0]}, {line.setting}, "
            f"{line.scope} – {line.description}."
            for line in self.practice_lines(data)
        )

    def section_practice(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The NMC practice hours log: a line per organisation, work setting, scope of
        practice, registration and continuous period, the most recent first, with the brief
        description of the work (the registrant's own words, or a draft from the records)."""
        total = data.total(K.PRACTICE)
        index = self.signoffs(data)
        written = self.written("practice", data)
        story = self.signed_lead(
            data,
            f"{t.hours_text(total.minutes)} practice hours from {total.count} entries.",
            "As the NMC practice hours log sets them out: the most recent practice first, a line "
            "for each organisation, work setting, scope of practice and registration, and for "
            "each continuous period of it (a break of more than eight weeks starts a new line, "
            "and practice recorded as a period has lines of its own); "
            "sessions marked did-not-attend count no hours. "
            + (
                "The brief descriptions of the work are the registrant's own, below the log."
                if written
                else "The brief descriptions are drafted from the role held and the work most "
                "done: check them before copying them to the NMC form."
            ),
            cells.Listed("Practice", K.PRACTICE, data.of(K.PRACTICE)),
        )
        columns = [
            Column("Dates", 58, lambda r: r.dates.replace(" – ", " –\n")),
            Column("Name and address of organisation", 100, lambda r: r.organisation),
            Column("Work setting", 96, lambda r: r.setting),
            Column("Scope of practice", 58, lambda r: r.scope),
            Column("Number of hours", 40, lambda r: t.hours_text(r.minutes), "RIGHT"),
            Column("Registration", 52, lambda r: r.registration),
        ]
        if not written:
            columns.append(Column("Brief description of your work", 100, lambda r: r.description))
        columns.append(
            Column("Signed", 40, lambda r: cells.signed_share_text(r.entries, index), "RIGHT")
        )
        story += self.log_table(columns, self.practice_lines(data))
        if written:
            story += [
                self.gap(3 * mm),
                Paragraph("Brief description of your work", self.styles.h3),
                *written,
            ]
        return story

    def section_cpd(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The CPD log of the NMC template: dates, method, the topic and how it relates to the
        registrant's practice, the link to the Code, hours and participatory hours, and the
        evidence held (the files attached, and the signature)."""
        cpd = data.typed(K.CPD, CpdActivity)
        attached = cells.attachments_by_owner(data)
        index = self.signoffs(data)
        story = self.signed_lead(
            data,
            f"{len(cpd)} activities, {t.hours_text(data.total(K.CPD).minutes)} hours, "
            f"of which {t.hours_text(self.participatory_minutes(data))} participatory.",
            "Participatory hours are those spent learning with other professionals, in person "
            "or online (the part recorded as participatory, or all of a participatory "
            "activity). Evidence names each file attached, with the start of its SHA-256 hash.",
            cells.Listed("CPD", K.CPD, cpd),
        )

        def evidence(activity: CpdActivity) -> str:
            files = attached.get(activity.uid, ()) if attached is not None else ()
            named = [file_text(f) for f in files] or (
                ["No file attached"] if attached is not None else []
            )
            return "\n".join([*named, cells.signoff_text(activity, data, index)])

        return story + self.log_table(
            [
                Column("Dates", 50, lambda r: t.day_range(r.start_date, r.end_date)),
                Column("Method", 46, lambda r: r.cpd_type.label),
                Column("Topic", 90, lambda r: t.join([r.title, r.provider], "\n")),
                Column(
                    "How it relates to my practice",
                    104,
                    lambda r: r.impact or r.learning_outcomes,
                    max_lines=10,
                ),
                Column("Link to the Code", 84, code_text, max_lines=10),
                Column("Hours", 30, lambda r: t.hours_text(r.duration_minutes), "RIGHT"),
                Column(
                    "Participatory hours",
                    40,
                    lambda r: t.hours_text(r.effective_participatory_minutes),
                    "RIGHT",
                ),
                Column("Evidence", 70, evidence, max_lines=10),
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
        """Each piece of practice-related feedback: its date and source, its content, and how
        the registrant used it to improve their practice."""
        return [
            *self.kind_count(data, K.FEEDBACK, "piece", "pieces"),
            *self.log_table(
                [
                    Column("Date", 46, lambda r: t.day(r.date)),
                    Column("Source", 70, feedback_source),
                    Column("Content of the feedback", 180, lambda r: r.summary, max_lines=14),
                    Column(
                        "How I used it to improve my practice",
                        170,
                        cells.reflection_text,
                        max_lines=14,
                    ),
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
        """One written reflective account, as the questions of the NMC form and its answers,
        the themes of the Code ticked."""
        answers = [(question, getattr(account, field)) for question, field in ACCOUNT_QUESTIONS]
        ticked, other = code_boxes(account.code_themes)
        answers.append((CODE_QUESTION, ticked))
        if other:
            answers.append(("How it is relevant to the Code, in my words", other))
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
        """The confirmation: what the confirmer confirms, with the figures recorded, then the
        confirmer's box, one per confirmation recorded, else a blank one to complete and
        sign."""
        intro = (
            "Confirmation by an appropriate person, the line manager where possible, in the "
            "final twelve months before revalidation. The confirmer has seen the evidence of "
            "each requirement below. The confirmer does not judge the registrant's fitness to "
            "practise, nor the health and character declaration or the indemnity arrangement, "
            "which the registrant declares online."
        )
        cpd = t.hours_text(data.total(K.CPD).minutes)
        participatory = t.hours_text(self.participatory_minutes(data))
        checklist = [
            ["Practice hours", f"{t.hours_text(data.total(K.PRACTICE).minutes)} h"],
            ["CPD hours", f"{cpd} h, of which {participatory} h participatory"],
            ["Pieces of practice-related feedback", str(data.total(K.FEEDBACK).count)],
            ["Written reflective accounts", str(data.total(K.REFLECTIVE_ACCOUNT).count)],
            ["Reflective discussion", self.who_and_when(data, "reflective_discussion")],
        ]
        return [
            self.para(intro, "muted"),
            self.gap(3 * mm),
            self.para("Requirements confirmed, with the figures recorded:", "small"),
            figures_table(["Requirement", "Recorded"], checklist, [60, 40], self.styles),
            self.gap(4 * mm),
            *self.attestation_forms(data, "confirmation", "", "Confirmer"),
        ]

    def section_declarations(self, data: PortfolioData, number: str) -> list[Flowable]:
        """The two declarations made in the online application: a reminder of the health and
        character declaration, and the indemnity arrangement as the NMC registration records
        it (to complete by hand when it does not)."""
        found = t.registration_for(data.profile, "NMC")
        indemnity = found.indemnity if found else None
        provider = found.indemnity_provider.strip() if found else ""
        if indemnity is None:
            rows = [
                ("Professional indemnity", INDEMNITY_CHOICES),
                ("Provider, if not my employer", provider),
            ]
        elif indemnity is Indemnity.EMPLOYER:
            rows = [
                ("Professional indemnity", indemnity.label),
                (
                    "Provider, if not my employer",
                    provider or "Not needed: cover through my employer",
                ),
            ]
        else:
            rows = [
                ("Professional indemnity", indemnity.label),
                ("Provider, if not my employer", provider),
            ]
        return [
            self.para(
                "Both are declared online when you apply to revalidate, not to your confirmer. "
                "Health and character: you declare any caution or conviction, or any finding "
                "against you by another body, since you last renewed. Professional indemnity: "
                "you declare that you have, or will have when practising, appropriate cover. No "
                "evidence of either needs sending.",
                "muted",
            ),
            self.gap(3 * mm),
            self.form_box([*rows, ("Health and character", "Declared in the online application")]),
        ]

    def attestation_forms(
        self, data: PortfolioData, kind: str, intro: str, who: str
    ) -> list[Flowable]:
        """The NMC form of an attestation ``kind``, completed from each one recorded (with
        its sign-off, and the notes recorded beneath it), or blank to complete by hand when
        none is."""
        found = self.attestations(data, kind)
        listed = cells.Listed(AttestationKind(kind).label, K.ATTESTATION, found)
        story: list[Flowable] = [self.para(intro, "muted"), self.gap(2 * mm)] if intro else []
        story += self.coverage(data, listed)
        nmc = t.registration_for(data.profile, "NMC")
        registrant = [
            ("Registrant", data.profile.name),
            ("Registrant's NMC Pin", nmc.number if nmc else ""),
        ]
        discussion = kind == "reflective_discussion"
        pin = (
            f"{who}'s NMC Pin"
            if discussion
            else "NMC Pin or other professional identification number"
        )
        when = "Date of discussion" if discussion else "Date of confirmation"
        if not found:
            story.append(
                self.para("None is recorded in this period: this form is to complete by hand.")
            )
            blank = [
                (f"{who}'s name", ""),
                *([] if discussion else [("Category", "")]),
                (pin, ""),
                ("Email", ""),
                ("Professional address and postcode", ""),
                (when, ""),
                (f"Signature of the {who.lower()}", ""),
            ]
            return [*story, self.gap(2 * mm), KeepTogether([self.form_box([*registrant, *blank])])]
        index = self.signoffs(data)
        renewal = nmc.renewal_date if nmc else None
        for attestation in found:
            signed = cells.signoff_text(attestation, data, index).replace("\n", " · ")
            category = attestation.confirmer_category
            dated = t.day(attestation.date)
            if not discussion and renewal is not None:
                dated += final_year_note(attestation.date, renewal)
            rows = [
                *registrant,
                (f"{who}'s name", attestation.by_name),
                ("Role", attestation.by_role),
                *([("Category", category.label)] if category is not None else []),
                (pin, attestation.by_registration),
                ("Email", attestation.by_email),
                ("Professional address and postcode", attestation.by_address),
                (when, dated),
                ("Sign-off in the app", signed),
                (f"Signature of the {who.lower()}", ""),
            ]
            box: list[Flowable] = [self.form_box(rows)]
            if attestation.notes.strip():
                box += [
                    self.gap(1.5 * mm),
                    self.para(f"Notes (not part of the NMC form): {attestation.notes}", "small"),
                ]
            story += [self.gap(3 * mm), KeepTogether(box)]
        return story


def entry_end(entry: PracticeEntry) -> date:
    """The last day of an entry: its end date for a period entry, else its date."""
    return entry.end_date or entry.date


def continuous_runs(entries: Sequence[PracticeEntry], allowed: int) -> list[list[PracticeEntry]]:
    """``entries`` cut into continuous periods: a run ends when more than ``allowed`` days
    pass, after the last day it covers, before the next entry (0 for period entries, which
    make one line only when each starts the day after the last ends)."""
    runs: list[list[PracticeEntry]] = []
    covered: date | None = None
    for entry in sorted(entries, key=lambda e: (e.date, entry_end(e), e.uid)):
        if covered is None or entry.date > covered + timedelta(days=allowed + 1):
            runs.append([])
        runs[-1].append(entry)
        covered = max(covered or entry_end(entry), entry_end(entry))
    return runs


def work_setting(entry: PracticeEntry, data: PortfolioData) -> str:
    """The entry's NMC work setting; when none is chosen, the one the app's own setting
    stands for (the voluntary sector for community work at a charity), marked as assumed, or
    Other for a setting the NMC has no equivalent of."""
    if entry.nmc_work_setting is not None:
        return entry.nmc_work_setting.label
    assumed = WORK_SETTINGS.get(entry.setting)
    organisation = data.organisations.get(entry.organisation_uid or "")
    charity = (
        organisation is not None and organisation.organisation_kind is OrganisationKind.CHARITY
    )
    if assumed is NmcWorkSetting.COMMUNITY and charity:
        assumed = NmcWorkSetting.VOLUNTARY
    if assumed is None:
        return (
            f"{NmcWorkSetting.OTHER.label} ({entry.setting.label} has no NMC equivalent: "
            "choose one)"
        )
    return f"{assumed.label} (assumed from {entry.setting.label}: confirm)"


def scope_text(entry: PracticeEntry) -> str:
    """The entry's NMC scope of practice; direct clinical care, marked as assumed, when none
    is chosen."""
    if entry.nmc_scope is not None:
        return entry.nmc_scope.label
    return f"{NmcScope.DIRECT_CLINICAL_CARE.label} (assumed: confirm)"


def registration_part(body: str) -> NmcRegistration:
    """The part of the NMC register a registration's body names ("NMC", "NMC midwife",
    "NMC nursing associate", "NMC SCPHN" …): a registered nurse unless it says otherwise."""
    words = body.casefold()
    scphn = "scphn" in words or "specialist community public health" in words
    if "midwi" in words:
        return NmcRegistration.MIDWIFE_SCPHN if scphn else NmcRegistration.MIDWIFE
    if "associate" in words:
        return NmcRegistration.NURSING_ASSOCIATE
    return NmcRegistration.NURSE_SCPHN if scphn else NmcRegistration.REGISTERED_NURSE


def registration_default(profile: Profile) -> NmcRegistration | None:
    """The part of the register practice is done under when an entry does not say: the one
    the profile's NMC registration names (none for a dual registrant, who must choose)."""
    parts = {registration_part(r.body) for r in profile.registrations if "nmc" in r.body.casefold()}
    return parts.pop() if len(parts) == 1 else None


def entry_registration(entry: PracticeEntry, default: NmcRegistration | None) -> str:
    """The entry's registration, else the profile's, else a note to choose one."""
    chosen = entry.nmc_registration or default
    return chosen.label if chosen is not None else "Not recorded (dual registration: choose)"


def code_text(activity: CpdActivity) -> str:
    """The themes of the Code an activity links to, with the registrant's own words on the
    link beneath."""
    themes = ", ".join(theme.label for theme in activity.code_themes)
    return t.join([themes, activity.standard_link.strip()], "\n")


def code_boxes(themes: Sequence[str]) -> tuple[str, str]:
    """The four themes of the Code, each ticked when the account names it, and the words of
    any theme recorded that is not one of the four (or that adds to it)."""
    chosen: set[CodeTheme] = set()
    other: list[str] = []
    for value in themes:
        words = value.strip()
        theme = next(
            (c for c in CodeTheme if words.casefold().startswith(c.label.casefold())),
            next((c for c in CodeTheme if words.casefold() == c.value), None),
        )
        if theme is None:
            other.append(words)
            continue
        chosen.add(theme)
        rest = words[len(theme.label) :].strip(" :–-") if words.casefold() != theme.value else ""
        if rest:
            other.append(rest)
    boxes = "\u00a0\u00a0 ".join(
        f"{TICKED if theme in chosen else UNTICKED}\u00a0{theme.label}" for theme in CodeTheme
    )
    return boxes, "; ".join(o for o in other if o)


def feedback_source(entry: FeedbackEntry) -> str:
    """Where a piece of feedback came from, in the NMC's words."""
    return FEEDBACK_SOURCES.get(entry.source, entry.source.label)


def file_text(attachment: Attachment) -> str:
    """A file attached as evidence: its name (withheld when it may identify a service user)
    and the start of its SHA-256 hash."""
    return f"{cells.attachment_name(attachment, PEOPLE)} (SHA-256 {attachment.sha256[:12]}…)"


def final_year_note(day: date, renewal: date) -> str:
    """Whether a confirmation falls in the final twelve months before renewal, as the NMC
    asks."""
    if add_months(renewal, -12) <= day <= renewal:
        return f" (in the final 12 months before renewal on {t.day(renewal)})"
    return f" (NOT in the final 12 months before renewal on {t.day(renewal)})"


def summary_figure(value: float | None, unit: str) -> str:
    """A required or recorded figure as the rest of the record prints it (hours to two
    decimals)."""
    if value is not None and unit in ("hours", "h"):
        return f"{t.hours_text(round(value * 60))} h"
    return t.figure(value, unit)
