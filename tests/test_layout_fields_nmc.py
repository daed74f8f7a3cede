"""Every field of the NMC's revalidation forms, read back from the nurse's demo logbook exported
in the NMC layout for its default period (the current three-year cycle).

``FIELDS`` below is a table of (part of the form, form field, how to find it), in the order of
the "NMC revalidation" section of docs/layouts.md: each row names the section of the record that
prints the field and works out, from the demo's records, the words that must be printed there
(the field's label and its value). Fields the demo cannot show (a setting the NMC has no word
for, an attached certificate, an indemnity provider, a form with nothing recorded) are read back
from a small logbook made in the tests after the table.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import pytest

from logbook.domain.choices import (
    AttestationKind,
    CodeTheme,
    CpdType,
    FeedbackSource,
    Indemnity,
    OrganisationKind,
    PracticeActivity,
    Setting,
)
from logbook.domain.durations import hours
from logbook.domain.periods import Period, add_months, cycle_ending
from logbook.domain.records import (
    Attachment,
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Organisation,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    ReflectiveAccount,
    Registration,
    RoleSpell,
    minutes_of,
)
from logbook.export.layouts.nmc import ACCOUNT_QUESTIONS
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.logbook import Logbook
from tests.layout_support import TODAY, Exported, day, export_demo, flat
from tests.signoff_support import open_book

K = RecordKind
R = TypeVar("R", bound=Record)
TICKED, UNTICKED = "\u2612", "\u2610"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nmc-fields")


@pytest.fixture(scope="module")
def nurse(folder: Path) -> Exported:
    return export_demo(folder, "nurse", "nmc")


# --- what the records say each field holds ------------------------------------------------------


def nmc(e: Exported) -> Registration:
    return next(r for r in e.profile.registrations if r.body == "NMC")


@dataclass(frozen=True)
class Line:
    """A line of the practice hours log as the records make it."""

    first: date
    last: date
    entries: tuple[PracticeEntry, ...]

    @property
    def entry(self) -> PracticeEntry:
        return self.entries[0]

    @property
    def dates(self) -> str:
        return (
            f"{day(self.first)} – {day(self.last)}" if self.last != self.first else day(self.first)
        )


def practice_lines(e: Exported) -> list[Line]:
    """One line per organisation, NMC work setting, scope and registration, and per continuous
    period: entries of a day break after more than eight weeks without one, period entries
    when the next does not start the day after the last ends. The most recent first."""
    groups: dict[tuple[object, ...], list[PracticeEntry]] = defaultdict(list)
    key: tuple[object, ...]
    for entry in e.in_period(K.PRACTICE, PracticeEntry):
        assert entry.nmc_work_setting
        assert entry.nmc_scope
        assert entry.nmc_registration
        key = (
            entry.organisation_uid,
            entry.nmc_work_setting,
            entry.nmc_scope,
            entry.nmc_registration,
            entry.end_date is not None,
        )
        groups[key].append(entry)
    lines = []
    for key, entries in groups.items():
        allowed = 1 if key[-1] else 57
        run: list[PracticeEntry] = []
        for entry in entries:
            if run and (entry.date - max(r.end_date or r.date for r in run)).days > allowed:
                lines.append(Line(run[0].date, max(r.end_date or r.date for r in run), tuple(run)))
                run = []
            run.append(entry)
        lines.append(Line(run[0].date, max(r.end_date or r.date for r in run), tuple(run)))
    return sorted(lines, key=lambda line: (line.last, line.first), reverse=True)


def line_row(e: Exported, line: Line) -> str:
    """The line as the log prints it, from its dates to the role that begins its description."""
    entry = line.entry
    where = e.organisation(entry.organisation_uid)
    assert where.address
    minutes = sum(minutes_of(r) for r in line.entries)
    [role] = e.profile.roles
    assert entry.nmc_work_setting
    assert entry.nmc_scope
    assert entry.nmc_registration
    return (
        f"{line.dates} {where.name} {where.address} {entry.nmc_work_setting.label} "
        f"{entry.nmc_scope.label} {hours(minutes)} {entry.nmc_registration.label} {role.title}: "
    )


def commonest_work(line: Line) -> set[str]:
    """The work most done in a line (by hours), which its description names first."""
    work: Counter[str] = Counter()
    for entry in line.entries:
        work[entry.intervention] += minutes_of(entry)
    most = max(work.values())
    return {name for name, minutes in work.items() if minutes == most}


def cpd_row(activity: CpdActivity) -> str:
    """An activity of the CPD log, from its dates to its participatory hours."""
    dates = day(activity.start_date)
    if activity.end_date and activity.end_date != activity.start_date:
        dates += f" – {day(activity.end_date)}"
    themes = ", ".join(theme.label for theme in activity.code_themes)
    return (
        f"{dates} {activity.cpd_type.label} {activity.title} {activity.provider} "
        f"{activity.impact or activity.learning_outcomes} {themes} "
        f"{hours(activity.duration_minutes)} {hours(activity.effective_participatory_minutes)} "
    )


def feedback_source(entry: FeedbackEntry) -> str:
    return (
        "Patient or service user" if entry.source is FeedbackSource.CLIENT else entry.source.label
    )


def boxes(account: ReflectiveAccount) -> str:
    return " ".join(
        f"{TICKED if theme.label in account.code_themes else UNTICKED} {theme.label}"
        for theme in CodeTheme
    )


def attestation(e: Exported, kind: AttestationKind) -> Attestation:
    [found] = [a for a in e.in_period(K.ATTESTATION, Attestation) if a.attestation_kind is kind]
    return found


def practice_minutes(e: Exported) -> int:
    return sum(minutes_of(r) for r in e.in_period(K.PRACTICE, PracticeEntry))


def cpd_minutes(e: Exported) -> int:
    return sum(r.duration_minutes for r in e.in_period(K.CPD, CpdActivity))


def participatory(e: Exported) -> int:
    return sum(r.effective_participatory_minutes for r in e.in_period(K.CPD, CpdActivity))


# --- the forms, field by field ------------------------------------------------------------------

PRACTICE = ("3 Practice hours", "4 Continuing professional development")
CPD = ("4 Continuing professional development", "5 Practice-related feedback")
FEEDBACK = ("5 Practice-related feedback", "6 Written reflective accounts")
ACCOUNTS = ("6 Written reflective accounts", "7 Reflective discussion")
DISCUSSION = ("7 Reflective discussion", "8 Confirmation")
CONFIRMATION = ("8 Confirmation", "9 Health and character, and indemnity")
DECLARATIONS = ("9 Health and character, and indemnity", "10 Sign-off evidence")
WHOLE = ("the whole record", None)

PRACTICE_HEADER = (
    "Dates Name and address of organisation Work setting Scope of practice Number of hours "
    "Registration Brief description of your work Signed"
)
CPD_HEADER = (
    "Dates Method Topic How it relates to my practice Link to the Code Hours Participatory "
    "hours Evidence"
)
FEEDBACK_HEADER = (
    "Date Source Content of the feedback How I used it to improve my practice Sign-off"
)
CODE_QUESTION = "How is this relevant to the Code? (select one or more themes)"


def default_period(e: Exported) -> list[str]:
    renewal = nmc(e).renewal_date
    assert renewal is not None
    cycle = cycle_ending(renewal, 3)
    assert e.period == cycle
    assert cycle.start is not None
    assert cycle.end is not None
    return [
        f"Period {day(cycle.start)} – {day(min(cycle.end, TODAY))}",
        f"NMC PIN {nmc(e).number}",
        f"Revalidation due {day(renewal)}",
    ]


def practice_dates(e: Exported) -> list[str]:
    lines = practice_lines(e)
    assert any(line.entry.end_date for line in lines)  # the secondment, month by month
    return [
        PRACTICE_HEADER,
        *(f"{line.dates} {e.organisation(line.entry.organisation_uid).name}" for line in lines),
    ]


def practice_line_rows(e: Exported) -> list[str]:
    return [line_row(e, line) for line in practice_lines(e)]


def practice_description(e: Exported) -> list[str]:
    found = []
    for line in practice_lines(e):
        row = line_row(e, line)
        found.append(row)
        # The description names the work most done first (any of a tie).
        assert any(f"{row}{work}" in e.text for work in commonest_work(line)), row
    return found


def practice_most_recent_first(e: Exported) -> list[str]:
    text = unpaged(e, e.section(*PRACTICE))
    places = [text.index(line_row(e, line)) for line in practice_lines(e)]
    assert places == sorted(places)
    return [PRACTICE_HEADER]


def practice_total(e: Exported) -> list[str]:
    minutes = practice_minutes(e)
    assert minutes >= 450 * 60
    return [
        f"{hours(minutes)} practice hours from "
        f"{len(e.in_period(K.PRACTICE, PracticeEntry))} entries."
    ]


def cpd_rows(e: Exported) -> list[str]:
    activities = e.in_period(K.CPD, CpdActivity)
    assert any(a.participatory_minutes is not None for a in activities)  # partly participatory
    assert any(not a.participatory for a in activities)
    return [CPD_HEADER, *(cpd_row(a) + "No file attached" for a in activities)]


def cpd_total(e: Exported) -> list[str]:
    return [
        f"{len(e.in_period(K.CPD, CpdActivity))} activities, {hours(cpd_minutes(e))} hours, "
        f"of which {hours(participatory(e))} participatory."
    ]


def feedback_rows(e: Exported) -> list[str]:
    found = e.in_period(K.FEEDBACK, FeedbackEntry)
    assert any(f.source is FeedbackSource.CLIENT for f in found)
    assert not any(f.reflection_private for f in found)
    return [
        FEEDBACK_HEADER,
        *(f"{day(f.date)} {feedback_source(f)} {f.summary} {f.reflection}" for f in found),
    ]


def account_blocks(e: Exported) -> list[str]:
    (experience, _), (learning, _), (change, _) = ACCOUNT_QUESTIONS
    accounts = e.in_period(K.REFLECTIVE_ACCOUNT, ReflectiveAccount)
    assert len(accounts) == 5
    return [
        f"Reflective account {number}: {a.title} {day(a.date)} Sign-off: "
        for number, a in enumerate(accounts, 1)
    ] + [
        f"{experience} {a.experience} {learning} {a.learning} {change} {a.change_in_practice} "
        f"{CODE_QUESTION} {boxes(a)}"
        for a in accounts
    ]


def registrant(e: Exported) -> str:
    return f"Registrant {e.profile.name} Registrant's NMC Pin {nmc(e).number} "


def discussion_form(e: Exported) -> list[str]:
    given = attestation(e, AttestationKind.REFLECTIVE_DISCUSSION)
    assert given.by_email
    assert given.by_address
    assert given.notes
    return [
        registrant(e) + f"Discussion partner's name {given.by_name} Role {given.by_role} "
        f"Discussion partner's NMC Pin {given.by_registration} Email {given.by_email} "
        f"Professional address and postcode {given.by_address} "
        f"Date of discussion {day(given.date)} Sign-off in the app ",
        "Signature of the discussion partner Notes (not part of the NMC form): " + given.notes,
    ]


def confirmation_form(e: Exported) -> list[str]:
    given = attestation(e, AttestationKind.CONFIRMATION)
    renewal = nmc(e).renewal_date
    assert renewal is not None
    assert add_months(renewal, -12) <= given.date <= renewal
    assert given.confirmer_category is not None
    return [
        registrant(e) + f"Confirmer's name {given.by_name} Role {given.by_role} "
        f"Category {given.confirmer_category.label} "
        f"NMC Pin or other professional identification number {given.by_registration} "
        f"Email {given.by_email} Professional address and postcode {given.by_address} "
        f"Date of confirmation {day(given.date)} (in the final 12 months before renewal on "
        f"{day(renewal)}) Sign-off in the app ",
        "Signature of the confirmer",
    ]


def confirmed_requirements(e: Exported) -> list[str]:
    discussion = attestation(e, AttestationKind.REFLECTIVE_DISCUSSION)
    text = unpaged(e, e.section(*CONFIRMATION))
    # The requirement checklist comes first, then the confirmer's box.
    assert text.index("Requirements confirmed") < text.index("Confirmer's name")
    return [
        "Requirements confirmed, with the figures recorded: Requirement Recorded "
        f"Practice hours {hours(practice_minutes(e))} h "
        f"CPD hours {hours(cpd_minutes(e))} h, of which {hours(participatory(e))} h "
        "participatory Pieces of practice-related feedback "
        f"{len(e.in_period(K.FEEDBACK, FeedbackEntry))} Written reflective accounts "
        f"{len(e.in_period(K.REFLECTIVE_ACCOUNT, ReflectiveAccount))} "
        f"Reflective discussion {discussion.by_name}, {day(discussion.date)}",
        "The confirmer does not judge the registrant's fitness to practise, nor the health and "
        "character declaration or the indemnity arrangement",
    ]


def indemnity(e: Exported) -> list[str]:
    assert nmc(e).indemnity is Indemnity.EMPLOYER
    return [
        f"Professional indemnity {Indemnity.EMPLOYER.label} Provider, if not my employer "
        "Not needed: cover through my employer"
    ]


def health_and_character(e: Exported) -> list[str]:
    return [
        "Health and character: you declare any caution or conviction",
        "Health and character Declared in the online application",
    ]


def no_group_credit(e: Exported) -> list[str]:
    assert "credited" not in e.text.casefold()
    return []


@dataclass(frozen=True)
class FormField:
    """A field of the NMC's forms: where the record prints it, and what it must say."""

    part: str
    field: str
    section: tuple[str, str | None]
    printed: Callable[[Exported], list[str]]


FIELDS = [
    FormField("Default period", "the current three-year cycle", WHOLE, default_period),
    FormField("Practice hours log", "Dates", PRACTICE, practice_dates),
    FormField(
        "Practice hours log", "most recent practice first", PRACTICE, practice_most_recent_first
    ),
    FormField(
        "Practice hours log", "Name and address of organisation", PRACTICE, practice_line_rows
    ),
    FormField("Practice hours log", "Your work setting", PRACTICE, practice_line_rows),
    FormField("Practice hours log", "Your scope of practice", PRACTICE, practice_line_rows),
    FormField("Practice hours log", "Number of hours", PRACTICE, practice_total),
    FormField("Practice hours log", "Your registration", PRACTICE, practice_line_rows),
    FormField(
        "Practice hours log", "Brief description of your work", PRACTICE, practice_description
    ),
    FormField("CPD log", "Dates, method, topic, Code, hours, participatory hours", CPD, cpd_rows),
    FormField("CPD log", "Number of participatory hours (total)", CPD, cpd_total),
    FormField(
        "Practice-related feedback", "Date, source, content, how used", FEEDBACK, feedback_rows
    ),
    FormField(
        "Written reflective accounts", "the four questions, numbered", ACCOUNTS, account_blocks
    ),
    FormField("Reflective discussion form", "every field", DISCUSSION, discussion_form),
    FormField("Confirmation form", "every field", CONFIRMATION, confirmation_form),
    FormField("Confirmation form", "Requirements confirmed", CONFIRMATION, confirmed_requirements),
    FormField(
        "Declarations made online", "Professional indemnity arrangement", DECLARATIONS, indemnity
    ),
    FormField(
        "Declarations made online", "Health and character", DECLARATIONS, health_and_character
    ),
    FormField(
        "Group supervision credit", "none: the NMC sets no supervision", WHOLE, no_group_credit
    ),
]


def unpaged(e: Exported, text: str) -> str:
    """``text`` without the page furniture (running head and footer) between its pages, so a
    block that runs over a page reads on."""
    furniture = rf" ?NMC revalidation record {re.escape(e.profile.name)} Document fingerprint "
    return re.sub(furniture + r"[0-9A-Z-]+ Page \d+ of \d+", "", text)


@pytest.mark.parametrize("form_field", FIELDS, ids=lambda f: f"{f.part}: {f.field}")
def test_each_field_of_the_nmc_forms_is_printed_from_the_records(
    nurse: Exported, form_field: FormField
) -> None:
    bounds = form_field.section
    text = unpaged(nurse, nurse.text if bounds is WHOLE else nurse.section(*bounds))
    for printed in form_field.printed(nurse):
        assert printed in text, printed


# --- fields the demo cannot show: a small logbook -----------------------------------------------

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 1, 10, 9, 0)
CERTIFICATE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Small:
    """A registrant's year with a charity and a GP practice, and what it holds."""

    book: Logbook
    charity: Organisation
    surgery: Organisation
    course: CpdActivity


def entry(
    when: date, organisation: Organisation, setting: Setting, **fields: object
) -> PracticeEntry:
    given: dict[str, object] = {
        "duration_minutes": 420,
        "activity": PracticeActivity.ASSESSMENT,
        "intervention": "assessment clinic",
        **fields,
    }
    return PracticeEntry(
        date=when,
        setting=setting,
        organisation_uid=organisation.uid,
        **given,  # type: ignore[arg-type]
    )


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    charity = Organisation(
        name="Leeds Mind",
        organisation_kind=OrganisationKind.CHARITY,
        address="Clarence House, Leeds LS10 1LR",
    )
    surgery = Organisation(name="Hyde Park Surgery", organisation_kind=OrganisationKind.NHS)
    course = CpdActivity(
        start_date=date(2025, 3, 4),
        title="Motivational interviewing course",
        provider="Leeds Beckett University",
        cpd_type=CpdType.COURSE,
        duration_minutes=360,
        participatory=True,
        participatory_minutes=240,
        code_themes=(CodeTheme.PRACTISE_EFFECTIVELY,),
        standard_link="Code 6.2: keeping my knowledge up to date",
        learning_outcomes="Used reflective listening in assessments.",
    )
    with open_book(tmp_path / "small") as book:
        book.records.create_many(
            [
                Profile(
                    name="Morgan Ellis",
                    roles=(
                        RoleSpell(
                            title="Mental health nurse",
                            organisation_uid=charity.uid,
                            start=date(2024, 1, 1),
                        ),
                    ),
                    registrations=(
                        Registration(
                            body="NMC",
                            number="98Z7654E",
                            renewal_date=date(2027, 3, 31),
                            indemnity=Indemnity.PROFESSIONAL_BODY,
                            indemnity_provider="Royal College of Nursing",
                        ),
                    ),
                ),
                charity,
                surgery,
                course,
                # Community work for a charity, twice, eleven weeks apart: two lines.
                entry(date(2025, 1, 6), charity, Setting.COMMUNITY),
                entry(date(2025, 1, 13), charity, Setting.COMMUNITY),
                entry(date(2025, 4, 1), charity, Setting.COMMUNITY),
                entry(date(2025, 2, 3), surgery, Setting.PRIMARY_CARE, intervention="GP liaison"),
                entry(date(2025, 2, 4), charity, Setting.DRUG_AND_ALCOHOL),
                # A period entry, then another from the next day: one line.
                entry(
                    date(2025, 6, 1),
                    charity,
                    Setting.COMMUNITY,
                    end_date=date(2025, 6, 30),
                    duration_minutes=9000,
                    intervention="full-time secondment",
                ),
                entry(
                    date(2025, 7, 1),
                    charity,
                    Setting.COMMUNITY,
                    end_date=date(2025, 7, 31),
                    duration_minutes=9900,
                    intervention="full-time secondment",
                ),
            ]
        )
        certificate = tmp_path / "certificate.pdf"
        certificate.write_bytes(CERTIFICATE)
        book.attachments.add_file(course, certificate, label="Certificate of attendance")
        yield Small(book, charity, surgery, course)


def export(small: Small, path: Path, **options: object) -> str:
    export_portfolio(small.book, path, ExportOptions(YEAR, "nmc", **options), now=NOW)  # type: ignore[arg-type]
    return flat(path)


def practice(text: str) -> str:
    start = text.rindex("3 Practice hours")
    return text[start : text.index("4 Continuing professional development", start)]


def test_a_setting_the_nmc_has_no_word_for_is_mapped_or_left_to_choose(
    small: Small, tmp_path: Path
) -> None:
    log = practice(export(small, tmp_path / "n.pdf"))
    address = small.charity.address
    assumed = "Direct clinical care (assumed: confirm)"
    registered = "Registered nurse"  # from the profile's NMC registration
    assert (
        f"01 Jun 2025 – 31 Jul 2025 Leeds Mind {address} Voluntary or charity sector (assumed "
        f"from Community / third sector: confirm) {assumed} {hours(18900)} {registered} "
        "Mental health nurse: full-time secondment" in log
    )
    assert (
        f"01 Apr 2025 Leeds Mind {address} Voluntary or charity sector (assumed from Community / "
        f"third sector: confirm) {assumed} 7.00 {registered} Mental health nurse: assessment "
        "clinic" in log
    )
    assert f"06 Jan 2025 – 13 Jan 2025 Leeds Mind {address} Voluntary" in log
    assert (
        "Other (Drug and alcohol has no NMC equivalent: choose one) "
        f"{assumed} 7.00 {registered}" in log
    )
    assert (
        "03 Feb 2025 Hyde Park Surgery Address not recorded GP practice or other primary care "
        f"(assumed from Primary care: confirm) {assumed} 7.00 {registered} Mental health nurse: "
        "GP liaison" in log
    )
    # The most recent practice first.
    assert (
        log.index("01 Jun 2025 – 31 Jul 2025")
        < log.index("01 Apr 2025")
        < log.index("06 Jan 2025 – 13 Jan 2025")
    )


def test_a_dual_registrant_chooses_the_registration_of_each_entry(
    small: Small, tmp_path: Path
) -> None:
    profile = small.book.records.profile()
    assert profile is not None
    midwife = Registration(body="NMC midwife", number="98Z7655E")
    small.book.records.update(
        dataclasses.replace(profile, registrations=(*profile.registrations, midwife))
    )
    log = practice(export(small, tmp_path / "n.pdf"))
    assert "Not recorded (dual registration: choose)" in log
    assert "Registered nurse" not in log


def test_the_brief_description_in_the_registrants_own_words(small: Small, tmp_path: Path) -> None:
    mine = "Assessments for the charity's community team, two days a week."
    log = practice(export(small, tmp_path / "n.pdf", statements={"practice": mine}))
    assert f"Brief description of your work {mine}" in log
    assert "Brief description of your work Signed" not in log  # the drafted column gives way
    assert "Mental health nurse: assessment clinic" not in log


def test_the_evidence_of_a_cpd_activity_names_the_file_and_its_hash(
    small: Small, tmp_path: Path
) -> None:
    text = export(small, tmp_path / "n.pdf")
    cpd = text[text.rindex("4 Continuing professional development") :]
    [attached] = [a for a in small.book.records.all(K.ATTACHMENT) if isinstance(a, Attachment)]
    assert (
        "04 Mar 2025 Course Motivational interviewing course Leeds Beckett University Used "
        "reflective listening in assessments. Practise effectively Code 6.2: keeping my "
        f"knowledge up to date 6.00 4.00 Certificate of attendance (SHA-256 "
        f"{attached.sha256[:12]}…) Not signed" in cpd
    )


def test_the_indemnity_provider_is_printed_and_a_box_left_when_none_is_recorded(
    small: Small, tmp_path: Path
) -> None:
    text = export(small, tmp_path / "n.pdf")
    assert (
        "Professional indemnity Through membership of a professional body Provider, if not my "
        "employer Royal College of Nursing Health and character" in text
    )
    profile = small.book.records.profile()
    assert profile is not None
    unrecorded = Registration(body="NMC", number="98Z7654E")
    small.book.records.update(dataclasses.replace(profile, registrations=(unrecorded,)))
    blank = export(small, tmp_path / "blank.pdf")
    assert (
        "Professional indemnity Through my employer / through membership of a professional "
        "body / a private insurance arrangement (strike out those that do not apply) Provider, "
        "if not my employer Health and character" in blank
    )


def test_with_no_discussion_or_confirmation_the_forms_are_left_to_complete(
    small: Small, tmp_path: Path
) -> None:
    text = export(small, tmp_path / "n.pdf")
    start = text.rindex("7 Reflective discussion")
    discussion = text[start : text.index("8 Confirmation", start)]
    confirmation = text[text.rindex("8 Confirmation") :]
    assert (
        "Registrant Morgan Ellis Registrant's NMC Pin 98Z7654E Discussion partner's name "
        "Discussion partner's NMC Pin Email Professional address and postcode Date of "
        "discussion Signature of the discussion partner" in discussion
    )
    assert (
        "Confirmer's name Category NMC Pin or other professional identification number Email "
        "Professional address and postcode Date of confirmation Signature of the confirmer"
        in confirmation
    )


def test_a_private_reflection_on_feedback_is_printed_only_on_request(
    small: Small, tmp_path: Path
) -> None:
    small.book.records.create(
        FeedbackEntry(
            date=date(2025, 5, 5),
            source=FeedbackSource.CLIENT,
            summary="A carer said the visit felt rushed.",
            reflection="I now leave ten minutes for questions.",
            reflection_private=True,
        )
    )
    shared = export(small, tmp_path / "shared.pdf")
    assert "05 May 2025 Patient or service user A carer said the visit felt rushed." in shared
    assert "ten minutes" not in shared
    asked = export(small, tmp_path / "asked.pdf", include_private=True)
    assert "PRIVATE – I now leave ten minutes for questions." in asked


def test_a_confirmation_before_the_final_twelve_months_is_flagged(
    small: Small, tmp_path: Path
) -> None:
    small.book.records.create(
        Attestation(
            date=date(2025, 11, 3),
            attestation_kind=AttestationKind.CONFIRMATION,
            by_name="Ruth Hale",
            by_address="Clarence House, Leeds LS10 1LR",
        )
    )
    text = export(small, tmp_path / "n.pdf")
    assert (
        "Date of confirmation 03 Nov 2025 (NOT in the final 12 months before renewal on "
        "31 Mar 2027)" in text
    )
    assert "Professional address and postcode Clarence House, Leeds LS10 1LR" in text
