"""Every field of the HCPC CPD profile, read back from the arts therapist's demo logbook exported
in the HCPC layout for its default period (the two years to the day of export).

``FIELDS`` below is a table of (part of the profile, form field, how to find it), in the order
of the "HCPC CPD profile" section of docs/layouts.md: each row names the section of the profile
that prints the field and works out, from the demo's records, the words that must be printed
there (the field's label and its value). Fields the demo cannot show (leave recorded in a gap,
the practitioner's own words, an attached file, a draft over the word limit) are read back from a
small logbook made in the tests after the table.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from logbook.domain.choices import Direction, HcpcLearningType, Setting
from logbook.domain.durations import hours
from logbook.domain.periods import Period, add_months
from logbook.domain.records import (
    CpdActivity,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    Registration,
    RoleSpell,
    SupervisionSession,
    minutes_of,
)
from logbook.domain.requirements.model import PackSettings
from logbook.export.layouts.hcpc import STANDARDS, numbers_text
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.logbook import Logbook
from tests.layout_support import TODAY, Exported, day, export_demo, flat
from tests.signoff_support import open_book

K = RecordKind
R = TypeVar("R", bound=Record)


@pytest.fixture(scope="module")
def therapist(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return export_demo(tmp_path_factory.mktemp("hcpc-fields"), "hcpc", "hcpc")


# --- what the records say each field holds ------------------------------------------------------


def activities(e: Exported) -> list[CpdActivity]:
    """The CPD of the period in the order the profile numbers it: by date, then title."""
    found = e.in_period(K.CPD, CpdActivity)
    return sorted(found, key=lambda a: (a.start_date, a.title.casefold(), a.title, a.uid))


def numbers(e: Exported) -> dict[str, int]:
    return {a.uid: n for n, a in enumerate(activities(e), 1)}


def received(e: Exported) -> list[SupervisionSession]:
    found = e.in_period(K.SUPERVISION, SupervisionSession)
    return [s for s in found if s.direction is Direction.RECEIVED]


def hcpc(e: Exported) -> Registration:
    return next(r for r in e.profile.registrations if r.body == "HCPC")


def by_minutes(entries: list[PracticeEntry], name: Callable[[PracticeEntry], str]) -> list[str]:
    """Names of what the entries did, the most hours first."""
    found: Counter[str] = Counter()
    for entry in entries:
        if name(entry):
            found[name(entry)] += max(minutes_of(entry), 1)
    return [n for n, _ in found.most_common()]


def dates(activity: CpdActivity) -> str:
    if activity.end_date and activity.end_date != activity.start_date:
        return f"{day(activity.start_date)} – {day(activity.end_date)}"
    return day(activity.start_date)


def standards(activity: CpdActivity) -> str:
    found = ["1", "2"]
    if activity.learning_outcomes or activity.impact:
        found.append("3")
    if activity.impact:
        found.append("4")
    return ", ".join(found)


def gaps(e: Exported) -> list[tuple[date, date]]:
    """Stretches of three months or more with no CPD, from the period's start (or the last
    activity) to the next activity (or the period's end)."""
    assert e.period.start is not None
    previous, found = e.period.start, []
    for activity in activities(e):
        if add_months(previous, 3) <= activity.start_date:
            found.append((previous, activity.start_date))
        previous = activity.end_date or activity.start_date
    if add_months(previous, 3) <= TODAY:
        found.append((previous, TODAY))
    return found


def statement_activities(e: Exported) -> list[CpdActivity]:
    """The four to six activities with the fullest written outcomes, in date order."""

    def written(a: CpdActivity) -> str:
        return a.learning_outcomes + a.impact + ("" if a.reflection_private else a.reflection)

    rich = [a for a in e.in_period(K.CPD, CpdActivity) if written(a)]
    rich.sort(key=lambda a: (-len(written(a)), -a.duration_minutes))
    return sorted(rich[:6], key=lambda a: a.start_date)


# --- the profile, field by field ----------------------------------------------------------------

SUMMARY = ("1 Summary of practice history", "2 Personal statement")
STATEMENT = ("2 Personal statement", "3 How this profile meets")
STANDARDS_MAP = ("3 How this profile meets the standards for CPD", "4 Dated list")
LIST = ("4 Dated list of CPD activities", "5 Types of learning")
TYPES = ("5 Types of learning", "6 Index of supporting evidence")
INDEX = ("6 Index of supporting evidence", "7 Requirement status")
DECLARATION = ("Declaration This profile", "How to check this document")
WHOLE = ("the whole profile", None)


def default_period(e: Exported) -> list[str]:
    assert e.period == Period(TODAY.replace(year=TODAY.year - 2) + timedelta(days=1), TODAY)
    assert e.period.start is not None
    return [f"Period {day(e.period.start)} – {day(TODAY)}"]


def cover(e: Exported) -> list[str]:
    [role] = e.profile.roles
    return [f"Name {e.profile.name} HCPC registration {hcpc(e).number} Profession {role.title}"]


def header(e: Exported) -> list[str]:
    [role] = e.profile.roles
    return [
        f"Name {e.profile.name} Registration number {hcpc(e).number} Profession {role.title} "
        "CPD number Not yet written",  # the CPD number left to fill in
    ]


def role_and_work(e: Exported) -> list[str]:
    [role] = e.profile.roles
    practice = e.in_period(K.PRACTICE, PracticeEntry)
    total = hours(sum(minutes_of(p) for p in practice))
    [setting] = {p.setting.label.lower() for p in practice}
    done = ", ".join(by_minutes(practice, lambda p: p.activity.label.lower())[:4])
    where = e.organisation(role.organisation_uid).name
    return [
        f"My roles in this period: {role.title} at {where}. Between {day(e.period.start)} and "  # type: ignore[arg-type]
        f"{day(TODAY)} I recorded {total} hours of practice in {setting} ({total} h), mainly "
        f"{done}."
    ]


def main_responsibilities(e: Exported) -> list[str]:
    return [
        "The HCPC asks it to describe your role and the type of work you do, your main "
        "responsibilities, the specialist areas you work in and the people you communicate "
        "and work with most; the records cannot say what the main responsibilities are."
    ]


def specialist_areas(e: Exported) -> list[str]:
    practice = e.in_period(K.PRACTICE, PracticeEntry)
    areas = ", ".join(by_minutes(practice, lambda p: p.intervention)[:5])
    return [
        f"My specialist areas: {areas}.",
        "My work is with " + ", ".join(e.profile.client_groups) + ".",
    ]


def people(e: Exported) -> list[str]:
    practice = e.in_period(K.PRACTICE, PracticeEntry)
    groups = Counter(p.client_group for p in practice)
    [supervisor] = {s.counterpart_uid for s in received(e)}
    assert e.person(supervisor).roles == ("supervisor",)
    names = ", ".join(n for n, _ in groups.most_common(5))
    return [
        f"The people I communicate and work with most: service users ({names}) and my supervisor."
    ]


def word_count(e: Exported) -> list[str]:
    summary = e.section(*SUMMARY)
    draft = summary[summary.index("My roles in this period") : summary.index(" The draft has")]
    assert e.person(received(e)[0].counterpart_uid).name not in draft  # colleagues by role only
    return [f"The draft has {len(draft.split())} words (the HCPC allows 500)."]


def dated_list(e: Exported) -> list[str]:
    found = activities(e)
    assert len(found) >= 12
    return [
        "Date Activity Type of learning Hours Outcome Sign-off",
        *(
            f"{dates(a)} {a.title} – {a.provider} {a.hcpc_learning_type.label} "
            f"{hours(a.duration_minutes)} {a.learning_outcomes}".rstrip()
            for a in found
        ),
    ]


def evidence_range(e: Exported) -> list[str]:
    return [f"numbers the activities in this order: Evidence 1–{len(activities(e))}."]


def gap_lines(e: Exported) -> list[str]:
    found = gaps(e)
    assert found
    lines = []
    for start, end in found:
        months = (end.year - start.year) * 12 + end.month - start.month
        lines.append(
            f"{day(start)} – {day(end)} GAP of {months} months with no CPD recorded – explain this "
            "gap in your profile"
        )
    return [f"; {len(found)} gap(s) of three months or more.", *lines]


def statement_material(e: Exported) -> list[str]:
    chosen = statement_activities(e)
    assert 4 <= len(chosen) <= 6
    found = []
    for index, a in enumerate(chosen, 1):
        block = (
            f"Activity {index}: {a.title} (Evidence {numbers(e)[a.uid]}) {dates(a)}, "
            f"{a.hcpc_learning_type.label.lower()}, {hours(a.duration_minutes)} h Sign-off: "
        )
        found.append(block)
        found.append(f"Learning outcomes {a.learning_outcomes}")
        if a.impact:
            found.append(
                f"{a.learning_outcomes} How it benefited the people I work with {a.impact}"
            )
    return ["The statement is not yet written by the practitioner.", *found]


def evidence_index(e: Exported) -> list[str]:
    found = activities(e)
    sessions = received(e)
    names = {e.person(s.counterpart_uid).name for s in sessions}
    [supervisor] = names
    minutes = sum(s.duration_minutes for s in sessions)
    supervision = len(found) + 1
    return [
        "Evidence Date Activity Type of learning Evidence held Standards",
        *(
            f"Evidence {n} {dates(a)} {a.title} – {a.provider} {a.hcpc_learning_type.label} "
            f"No file attached; not signed {standards(a)}"
            for n, a in enumerate(found, 1)
        ),
        f"Evidence {supervision} {day(sessions[0].date)} – {day(sessions[-1].date)} Supervision "
        f"received: {len(sessions)} sessions, {hours(minutes)} h, with {supervisor} "
        f"{HcpcLearningType.WORK_BASED.label} Supervision log in the logbook; ",
        f"{supervision} items: {len(found)} CPD activities and the record of supervision received.",
    ]


def standards_map(e: Exported) -> list[str]:
    found = activities(e)
    number = numbers(e)
    by_type: dict[str, list[int]] = defaultdict(list)
    for a in found:
        by_type[a.hcpc_learning_type.label].append(number[a.uid])
    by_type[HcpcLearningType.WORK_BASED.label].append(len(found) + 1)  # the supervision

    def titled(chosen: list[CpdActivity]) -> str:
        groups: dict[str, list[int]] = {}
        for a in chosen:
            groups.setdefault(a.title, []).append(number[a.uid])
        return " ".join(f"{t} (Evidence {numbers_text(n)})" for t, n in groups.items())

    mixture = " ".join(
        f"{label}: Evidence {numbers_text(n)}"
        for label, n in sorted(by_type.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    )
    return [
        "Standard Where this profile shows it Evidence",
        f"{STANDARDS[0]} The dated list of CPD activities (section 4) Evidence 1–{len(found)}: "
        f"the {len(found)} activities of the dated list, oldest first.",
        f"{STANDARDS[1]} Types of learning and the summary (section 5, section 1) {mixture}",
        f"{STANDARDS[2]} The personal statement (section 2) "
        + titled([a for a in found if a.learning_outcomes or a.impact]),
        f"{STANDARDS[3]} The personal statement, on benefit to service users (section 2) "
        + titled([a for a in found if a.impact]),
        f"{STANDARDS[4]} This profile, the practitioner's own work, with its evidence (section 6) "
        f"The index of supporting evidence (section 6): items 1–{len(found) + 1}.",
    ]


def types_of_learning(e: Exported) -> list[str]:
    found: dict[str, list[CpdActivity]] = defaultdict(list)
    for a in activities(e):
        found[a.hcpc_learning_type.label].append(a)
    return [f"{len(found)} different types of learning recorded"] + [
        f"{label} {len(chosen)} {hours(sum(a.duration_minutes for a in chosen))} "
        for label, chosen in found.items()
    ]


def declaration(e: Exported) -> list[str]:
    return [
        "This profile is my own work and is supported by evidence.",
        f"Name {e.profile.name} Registration HCPC {hcpc(e).number} Signature Date",
    ]


def supervision_as_learning(e: Exported) -> list[str]:
    assert "credited" not in e.text.casefold()  # the HCPC sets no supervision quantity
    return [f"Supervision received: {len(received(e))} sessions"]


@dataclass(frozen=True)
class FormField:
    """A field of the HCPC CPD profile: where the profile prints it, and what it must say."""

    part: str
    field: str
    section: tuple[str, str | None]
    printed: Callable[[Exported], list[str]]


FIELDS = [
    FormField("Default period", "the two years to the day of export", WHOLE, default_period),
    FormField(
        "Profile header", "Name, registration number, profession, CPD number", SUMMARY, header
    ),
    FormField("Summary of practice history", "Role and type of work", SUMMARY, role_and_work),
    FormField(
        "Summary of practice history", "Main responsibilities", SUMMARY, main_responsibilities
    ),
    FormField("Summary of practice history", "Specialist areas", SUMMARY, specialist_areas),
    FormField("Summary of practice history", "People you work with most", SUMMARY, people),
    FormField("Summary of practice history", "Word count", SUMMARY, word_count),
    FormField("List of CPD activities", "Date, activity, type of learning", LIST, dated_list),
    FormField("List of CPD activities", "Evidence number", LIST, evidence_range),
    FormField("List of CPD activities", "Gap explanation", LIST, gap_lines),
    FormField(
        "Personal statement", "What, what learnt, benefit, evidence", STATEMENT, statement_material
    ),
    FormField("Supporting evidence", "every column of the index", INDEX, evidence_index),
    FormField("Types of learning", "a mixture, at least two", TYPES, types_of_learning),
    FormField(
        "How this profile meets the standards", "standards 1 to 5", STANDARDS_MAP, standards_map
    ),
    FormField("Closing declaration", "own work, supported by evidence", DECLARATION, declaration),
    FormField(
        "Group supervision credit",
        "none: supervision is work-based learning",
        INDEX,
        supervision_as_learning,
    ),
]


def unpaged(e: Exported, text: str) -> str:
    """``text`` without the page furniture between its pages, so a block over a page reads on."""
    furniture = rf" ?HCPC CPD profile {re.escape(e.profile.name)} Document fingerprint "
    return re.sub(furniture + r"[0-9A-Z-]+ Page \d+ of \d+", "", text)


@pytest.mark.parametrize("form_field", FIELDS, ids=lambda f: f"{f.part}: {f.field}")
def test_each_field_of_the_hcpc_profile_is_printed_from_the_records(
    therapist: Exported, form_field: FormField
) -> None:
    bounds = form_field.section
    text = unpaged(therapist, therapist.text if bounds is WHOLE else therapist.section(*bounds))
    for printed in form_field.printed(therapist):
        assert printed in text, printed


# --- fields the demo cannot show: a small logbook -----------------------------------------------

TWO_YEARS = Period(date(2024, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 1, 15, 9, 30)
LEAVE = Period(date(2024, 4, 1), date(2024, 4, 30))


def cpd(when: date, title: str) -> CpdActivity:
    return CpdActivity(
        start_date=when,
        title=title,
        provider="Trust learning team",
        duration_minutes=120,
        learning_outcomes=f"outcome of {title}",
    )


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Logbook]:
    """Two years of CPD with a gap of six months in 2024, a month of it on leave recorded in
    the HCPC pack's settings."""
    with open_book(tmp_path / "small") as opened:
        opened.records.create_many(
            [
                Profile(
                    name="Priya Test",
                    roles=(RoleSpell(title="Occupational therapist", start=date(2020, 1, 1)),),
                    registrations=(Registration(body="HCPC", number="OT55555"),),
                ),
                cpd(date(2024, 2, 5), "cpd-february"),
                cpd(date(2024, 3, 1), "cpd-march"),
                cpd(date(2024, 9, 10), "cpd-september"),
                cpd(date(2024, 11, 10), "cpd-november"),
                cpd(date(2025, 1, 10), "cpd-january"),
                cpd(date(2025, 3, 10), "cpd-spring"),
                cpd(date(2025, 5, 10), "cpd-may"),
                cpd(date(2025, 7, 10), "cpd-july"),
                cpd(date(2025, 9, 10), "cpd-september-2025"),
                cpd(date(2025, 11, 10), "cpd-november-2025"),
            ]
        )
        opened.requirements.follow(["hcpc_cpd"])
        opened.requirements.save_settings(
            "hcpc_cpd", PackSettings(cycle_start=TWO_YEARS.start, leave=(LEAVE,))
        )
        yield opened


def export(book: Logbook, path: Path, **options: object) -> str:
    export_portfolio(book, path, ExportOptions(TWO_YEARS, "hcpc", **options), now=NOW)  # type: ignore[arg-type]
    return flat(path)


def test_a_gap_names_the_leave_recorded_in_it(book: Logbook, tmp_path: Path) -> None:
    text = export(book, tmp_path / "h.pdf")
    listed = text[text.rindex("4 Dated list of CPD activities") :]
    assert (
        "01 Mar 2024 – 10 Sep 2024 GAP of 6 months with no CPD recorded (30 days of leave "
        "recorded in it) – explain this gap in your profile" in listed
    )


def test_the_practitioners_own_summary_is_counted_under_the_header(
    book: Logbook, tmp_path: Path
) -> None:
    mine = "I am an occupational therapist in a community mental health team."
    text = export(book, tmp_path / "h.pdf", statements={"practice_summary": mine})
    summary = text[text.rindex("1 Summary of practice history") :]
    assert (
        f"Name Priya Test Registration number OT55555 Profession Occupational therapist CPD "
        f"number {mine} {len(mine.split())} words (the HCPC allows up to 500)." in summary
    )


def test_a_draft_over_the_word_limit_is_flagged(book: Logbook, tmp_path: Path) -> None:
    work = "structured activity groups for adults recovering from psychosis in the community"
    book.records.create_many(
        [
            PracticeEntry(
                date=date(2025, 6, n),
                duration_minutes=60,
                setting=Setting.COMMUNITY,
                intervention=f"Area {n}: " + "; ".join([work] * 10),
            )
            for n in range(1, 6)
        ]
    )
    text = export(book, tmp_path / "h.pdf")
    count = re.search(r"The draft has (\d+) words, more than the 500 the HCPC allows", text)
    assert count
    assert int(count[1]) > 500


def test_the_statement_as_written_and_the_evidence_it_cites(book: Logbook, tmp_path: Path) -> None:
    mine = "The reading group changed how I open a session (Evidence 2)."
    text = export(book, tmp_path / "h.pdf", statements={"statement": mine})
    statement = text[text.rindex("2 Personal statement") :]
    assert f"{mine} {len(mine.split())} words (the HCPC asks for about 1,500)." in statement
    assert "Evidence referred to: item 2 of the index of supporting evidence (section 6)." in (
        statement
    )


def test_an_attached_file_is_named_and_one_that_may_identify_is_withheld(
    book: Logbook, tmp_path: Path
) -> None:
    [owner] = [
        r for r in book.records.all(K.CPD) if isinstance(r, CpdActivity) and r.title == "cpd-march"
    ]
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    referral = tmp_path / "referral 943 476 5919.pdf"
    referral.write_bytes(certificate.read_bytes())
    book.attachments.add_file(owner, certificate, label="Certificate of attendance")
    book.attachments.add_file(owner, referral)
    text = export(book, tmp_path / "h.pdf")
    index = text[text.rindex("6 Index of supporting evidence") :]
    assert (
        "Evidence 2 01 Mar 2024 cpd-march – Trust learning team Formal and educational "
        "Attached: Certificate of attendance Attached: a file whose name is withheld (it may "
        "identify a service user) 1, 2, 3" in index
    )
    assert "943 476 5919" not in text
