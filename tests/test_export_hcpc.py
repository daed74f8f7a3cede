"""The HCPC CPD profile's numbered index of supporting evidence, read back from exported PDFs:
the index lists every CPD activity of the period with its number, type of learning and
standards; the standards map, the dated list and the statement's material cite the same
numbers; a standard nothing in the period shows is explained; the practitioner's own statement
is printed as written, with the evidence it cites listed under it."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from logbook.domain.choices import CpdType, HcpcLearningType
from logbook.domain.periods import Period
from logbook.domain.records import (
    CpdActivity,
    Person,
    Profile,
    RecordKind,
    Registration,
    RoleSpell,
    SupervisionSession,
)
from logbook.domain.signoff import SignoffEvidence, SignoffMode, SignoffState
from logbook.export.data import EntrySignoff
from logbook.export.layouts.hcpc import cited_numbers, numbers_text
from logbook.services.export import (
    ExportOptions,
    export_portfolio,
    gather_portfolio,
    render_portfolio,
    statements_asked,
)
from logbook.services.logbook import Logbook
from tests.layout_support import TODAY, Exported, export_demo

TWO_YEARS = Period(date(2024, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 1, 15, 9, 30)
PRIVATE_REFLECTION = "Privately I doubted I was ready for this work"
SUPERVISOR = "Dr Nell Okonjo"
INDEX = "Index of supporting evidence"


def flat(path: Path) -> str:
    """The PDF's text, words separated by single spaces."""
    pages = PdfReader(path).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def section(text: str, title: str, following: str) -> str:
    """The text of the section headed ``title`` (past the contents) up to ``following``."""
    start = text.rindex(title)
    return text[start : text.index(following, start)]


def expand(cited: str) -> set[int]:
    """The numbers of a citation as printed: "1–4, 7 and 9"."""
    found: set[int] = set()
    for part in re.split(r",\s*|\s+and\s+", cited):
        low, _, high = part.partition("–")
        found.update(range(int(low), int(high or low) + 1))
    return found


def day(value: date) -> str:
    return value.strftime("%d %b %Y")


# --- the HCPC demo logbook, exported for its last two years --------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return export_demo(tmp_path_factory.mktemp("hcpc-evidence"), "hcpc", "hcpc")


def in_period(demo: Exported) -> list[CpdActivity]:
    """The demo's CPD of the exported period, in the index's order (by date, then title)."""
    assert demo.period.start is not None
    found = [
        r
        for r in demo.of(RecordKind.CPD)
        if isinstance(r, CpdActivity) and demo.period.start <= r.start_date <= TODAY
    ]
    return sorted(found, key=lambda r: (r.start_date, r.title.casefold(), r.title, r.uid))


def expected_standards(activity: CpdActivity) -> str:
    found = ["1", "2"]
    if activity.learning_outcomes or activity.impact:
        found.append("3")
    if activity.impact:
        found.append("4")
    return ", ".join(found)


def test_the_index_lists_each_activity_of_the_period_with_number_type_and_standards(
    demo: Exported,
) -> None:
    index = section(demo.text, f"6 {INDEX}", "7 Requirement status")
    activities = in_period(demo)
    assert len(activities) >= 12
    for number, activity in enumerate(activities, 1):
        row = (
            f"Evidence {number} {day(activity.start_date)} {activity.title} – "
            f"{activity.provider} {activity.hcpc_learning_type.label} No file attached; not signed "
            f"{expected_standards(activity)}"
        )
        assert row in index, row
    # The supervision received is one item more, after the activities.
    supervision = len(activities) + 1
    assert re.search(
        rf"Evidence {supervision} \d\d \w{{3}} \d{{4}} – \d\d \w{{3}} \d{{4}} Supervision "
        rf"received: \d+ sessions, [\d.]+ h, with Dr Lena Fischer Work-based learning "
        r"Supervision log in the logbook; \d+ of \d+ sessions signed \(section 8\) 2, 3",
        index,
    )
    assert f"Evidence {supervision + 1} " not in index
    assert f"{supervision} items: {len(activities)} CPD activities and the record" in index


def test_an_activity_before_the_two_years_is_not_indexed(demo: Exported) -> None:
    index = section(demo.text, f"6 {INDEX}", "7 Requirement status")
    assert demo.period.start is not None
    earlier = [
        r
        for r in demo.of(RecordKind.CPD)
        if isinstance(r, CpdActivity) and r.start_date < demo.period.start
    ]
    assert earlier  # the demo holds three years
    for activity in earlier:
        assert day(activity.start_date) not in index
    numbered = [int(n) for n in re.findall(r"Evidence (\d+) \d\d \w{3} \d{4}", index)]
    assert numbered == list(range(1, len(in_period(demo)) + 2))


def test_the_standards_map_cites_the_numbers_of_the_index(demo: Exported) -> None:
    standards = section(demo.text, "3 How this profile meets the standards for CPD", "4 Dated")
    assert "Standard Where this profile shows it Evidence" in standards
    activities = in_period(demo)
    numbers = {a.uid: n for n, a in enumerate(activities, 1)}
    assert f"Evidence 1–{len(activities)}: the {len(activities)} activities of the dated list" in (
        standards
    )
    third = standards[standards.index("3. Seek") : standards.index("4. Seek")]
    fourth = standards[standards.index("4. Seek") : standards.index("5. Upon request")]
    outcomes = [a for a in activities if a.learning_outcomes or a.impact]
    benefit = [a for a in activities if a.impact]
    for part, chosen in ((third, outcomes), (fourth, benefit)):
        assert chosen
        for title in {a.title for a in chosen}:
            match = re.search(re.escape(title) + r" \(Evidence ([\d–, and]+?)\)", part)
            assert match, title
            assert expand(match[1]) == {numbers[a.uid] for a in chosen if a.title == title}
    # Standard 2, by type of learning: every activity of each type, and the supervision.
    second = standards[standards.index("2. Demonstrate") : standards.index("3. Seek")]
    for label in {a.hcpc_learning_type.label for a in activities}:
        match = re.search(re.escape(label) + r": Evidence ([\d–, and]+?)(?= [A-Z]|$)", second)
        assert match, label
        expected = {numbers[a.uid] for a in activities if a.hcpc_learning_type.label == label}
        if label == HcpcLearningType.WORK_BASED.label:
            expected.add(len(activities) + 1)
        assert expand(match[1].strip()) == expected


def test_the_statement_material_cites_the_same_numbers(demo: Exported) -> None:
    statement = section(demo.text, "2 Personal statement", "3 How this profile meets")
    numbers = {(a.start_date, a.title): n for n, a in enumerate(in_period(demo), 1)}
    cited = re.findall(r"Activity \d: (.+?) \(Evidence (\d+)\) (\d\d \w{3} \d{4}),", statement)
    assert len(cited) >= 4
    for title, number, when in cited:
        started = datetime.strptime(when, "%d %b %Y").date()
        assert numbers[(started, title)] == int(number)


# --- a logbook made for these tests --------------------------------------------------------------


def cpd(when: date, title: str, **fields: object) -> CpdActivity:
    return CpdActivity(
        start_date=when,
        title=title,
        provider="Trust learning team",
        duration_minutes=180,
        learning_outcomes=f"outcome of {title}",
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def book(logbook: Logbook, tmp_path: Path) -> Logbook:
    """Two years of an HCPC registrant's CPD (2024 and 2025) and one activity before them; no
    activity records a benefit to service users, and 2025 has a single activity."""
    supervisor = Person(name=SUPERVISOR)
    logbook.records.create_many(
        [
            Profile(
                name="Aisha Test",
                roles=(RoleSpell(title="Art psychotherapist", start=date(2020, 1, 1)),),
                registrations=(Registration(body="HCPC", number="AS55555"),),
            ),
            supervisor,
            cpd(date(2023, 11, 10), "cpd-before-the-period"),
            cpd(date(2024, 2, 5), "cpd-b-same-day"),
            cpd(date(2024, 2, 5), "cpd-a-same-day"),
            cpd(
                date(2024, 6, 12),
                "cpd-private-reflection",
                reflection=PRIVATE_REFLECTION,
                reflection_private=True,
            ),
            cpd(date(2024, 9, 9), "cpd-reading", cpd_type=CpdType.READING),
            cpd(date(2025, 3, 3), "cpd-with-certificate"),
            SupervisionSession(
                date=date(2024, 3, 1),
                duration_minutes=60,
                counterpart_uid=supervisor.uid,
                reflection=PRIVATE_REFLECTION + " (supervision)",
                reflection_private=True,
            ),
            SupervisionSession(
                date=date(2025, 4, 1), duration_minutes=90, counterpart_uid=supervisor.uid
            ),
        ]
    )
    return logbook


def export(logbook: Logbook, path: Path, **options: object) -> str:
    export_portfolio(logbook, path, ExportOptions(TWO_YEARS, "hcpc", **options), now=NOW)  # type: ignore[arg-type]
    return flat(path)


def activity(logbook: Logbook, title: str) -> CpdActivity:
    [found] = [
        r
        for r in logbook.records.all(RecordKind.CPD)
        if isinstance(r, CpdActivity) and r.title == title
    ]
    return found


def test_numbers_run_by_date_then_title_and_are_the_same_every_time(
    book: Logbook, tmp_path: Path
) -> None:
    text = export(book, tmp_path / "one.pdf")
    index = section(text, f"6 {INDEX}", "7 Requirement status")
    order = re.findall(r"Evidence (\d+) \d\d \w{3} \d{4} (cpd-[a-z-]+)", index)
    assert order == [
        ("1", "cpd-a-same-day"),
        ("2", "cpd-b-same-day"),
        ("3", "cpd-private-reflection"),
        ("4", "cpd-reading"),
        ("5", "cpd-with-certificate"),
    ]
    assert "Evidence 6 01 Mar 2024 – 01 Apr 2025 Supervision received: 2 sessions, 2.50 h" in index
    again = export(book, tmp_path / "two.pdf")
    assert section(again, f"6 {INDEX}", "7 Requirement status") == index
    assert "cpd-before-the-period" not in text


def test_a_private_reflection_is_left_out_unless_asked_for(book: Logbook, tmp_path: Path) -> None:
    text = export(book, tmp_path / "shared.pdf")
    assert "cpd-private-reflection" in section(text, f"6 {INDEX}", "7 Requirement status")
    assert "Privately I doubted" not in text
    asked = export(book, tmp_path / "private.pdf", include_private=True)
    index = section(asked, f"6 {INDEX}", "7 Requirement status")
    assert "Privately I doubted" not in index  # the index never prints reflections
    assert f"Reflection (private, included on request) {PRIVATE_REFLECTION}" in asked


def test_a_standard_nothing_shows_is_explained_with_what_would_meet_it(
    book: Logbook, tmp_path: Path
) -> None:
    text = export(book, tmp_path / "p.pdf")
    standards = section(text, "3 How this profile meets the standards for CPD", "4 Dated")
    fourth = standards[standards.index("4. Seek") : standards.index("5. Upon request")]
    assert "No activity in this period records how it benefited service users." in fourth
    assert "Record the benefit" in fourth
    first = standards[: standards.index("2. Demonstrate")]
    assert "Evidence 1–5: the 5 activities of the dated list, oldest first." in first
    assert (
        "Only 1 activity in the year 01 Jan 2025 – 31 Dec 2025: at least 2 in each year would "
        "show a continuous record." in first
    )
    assert "01 Jan 2024 – 31 Dec 2024" not in first  # four activities that year
    fifth = standards[standards.index("5. Upon request") :]
    assert "The index of supporting evidence (section 6): items 1–6." in fifth
    assert (
        "The personal statement is still to be written in the practitioner's own words "
        "(section 2)" in fifth
    )
    assert "The summary of practice history is a draft from the records (section 1)" in fifth


def test_the_practitioners_own_statement_is_printed_as_written(
    book: Logbook, tmp_path: Path
) -> None:
    mine = (
        "The reading group changed how I open a session (Evidence 4). I also\n"
        "rely on what the certificate course taught me — see evidence 5 and 40."
    )
    text = export(book, tmp_path / "mine.pdf", statements={"statement": mine})
    statement = section(text, "2 Personal statement", "3 How this profile meets")
    assert " ".join(mine.split()) in statement
    assert (
        "Evidence referred to: items 4 and 5 of the index of supporting evidence (section 6)."
        in (statement)
    )
    assert (
        "The statement refers to Evidence 40, which the index does not hold (it lists items "
        "1–6, section 6)." in statement
    )
    assert "not yet written" not in statement
    fifth = section(text, "5. Upon request", "4 Dated")
    assert "The personal statement, in the practitioner's own words." in fifth


def test_a_statement_citing_no_evidence_is_not_said_to_cite_any(
    book: Logbook, tmp_path: Path
) -> None:
    mine = "Each activity changed how I run groups."
    text = export(book, tmp_path / "mine.pdf", statements={"statement": mine})
    statement = section(text, "2 Personal statement", "3 How this profile meets")
    assert mine in statement
    assert "Evidence referred to" not in statement
    assert (
        "The statement refers to no evidence by number. The index of supporting evidence "
        "(section 6) lists items 1–6" in statement
    )


def test_the_statements_draft_cites_each_activitys_evidence_number(book: Logbook) -> None:
    asked = {s.key: s for s in statements_asked(book, ExportOptions(TWO_YEARS, "hcpc"))}
    draft = asked["statement"].draft
    assert "05 Feb 2024 (Evidence 1): I took part in cpd-a-same-day (formal and educational)." in (
        draft
    )
    assert "09 Sep 2024 (Evidence 4): I took part in cpd-reading (self-directed learning)." in draft
    assert "cpd-before-the-period" not in draft


def test_the_index_names_the_files_attached_and_withholds_a_name_that_identifies(
    book: Logbook, tmp_path: Path
) -> None:
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    referral = tmp_path / "referral 943 476 5919.pdf"
    referral.write_bytes(certificate.read_bytes())
    owner = activity(book, "cpd-with-certificate")
    book.attachments.add_file(owner, referral)
    book.attachments.add_file(owner, certificate, label="Certificate of attendance")
    book.attachments.add_file(activity(book, "cpd-before-the-period"), certificate)
    text = export(book, tmp_path / "exported.pdf")
    index = section(text, f"6 {INDEX}", "7 Requirement status")
    assert (
        "Evidence 5 03 Mar 2025 cpd-with-certificate – Trust learning team Formal and "
        "educational Attached: Certificate of attendance Attached: a file whose name is "
        "withheld (it may identify a service user) 1, 2, 3" in index  # by name, not when added
    )
    assert "943 476 5919" not in text
    assert "certificate.pdf" not in text  # attached to an activity before the period
    assert (
        "Evidence 4 09 Sep 2024 cpd-reading – Trust learning team Self-directed learning "
        "No file attached; not signed 1, 2, 3" in index
    )


def test_a_signed_activity_names_its_signer_in_the_index(book: Logbook, tmp_path: Path) -> None:
    owner = activity(book, "cpd-reading")
    data = gather_portfolio(book, ExportOptions(TWO_YEARS, "hcpc"), now=NOW)
    signed = SignoffEvidence(
        target_uid=owner.uid,
        target_kind="cpd",
        target_revision=1,
        description="CPD 09 Sep 2024",
        signer_name=SUPERVISOR,
        signer_registration="HCPC AS01234",
        signer_organisation="NHS Lothian",
        signed_at=datetime(2024, 9, 20, 10, 0),
        mode=SignoffMode.IN_PERSON,
        fingerprint="a1b2c3d4e5f60718293a4b5c6d7e8f90",
        state=SignoffState.VERIFIED,
    )
    data = dataclasses.replace(
        data, signoffs=(signed,), entry_signoffs={owner.uid: EntrySignoff(SignoffState.VERIFIED)}
    )
    path = tmp_path / "signed.pdf"
    with path.open("wb") as stream:
        render_portfolio(data, "hcpc", stream)
    index = section(flat(path), f"6 {INDEX}", "7 Requirement status")
    assert (
        "Evidence 4 09 Sep 2024 cpd-reading – Trust learning team Self-directed learning "
        f"Signed by {SUPERVISOR} (section 8) 1, 2, 3" in index
    )


def test_without_the_index_nothing_cites_an_evidence_number(book: Logbook, tmp_path: Path) -> None:
    chosen = frozenset({"statement", "standards", "activities"})
    text = export(book, tmp_path / "p.pdf", sections=chosen)
    assert INDEX + " (" not in text
    assert not re.search(r"Evidence \d+(?!\.)", text)  # the standards are "1." to "5."
    standards = section(text, "2 How this profile meets the standards for CPD", "3 Dated")
    assert "The index of supporting evidence is not printed" in standards
    assert "cpd-a-same-day (05 Feb 2024)" in standards


# --- reading the numbers a statement cites --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("as Evidence 3 shows", [3]),
        ("(see evidence 3, 5 and 9)", [3, 5, 9]),
        ("Evidence 2–4 and Evidence 7", [2, 3, 4, 7]),
        ("evidence 6 to 8; Evidence 1-2", [1, 2, 6, 7, 8]),
        ("the evidence base is strong; 12 sessions", []),
        ("Evidence 3 and 2025 was a busy year", [3]),
    ],
)
def test_the_numbers_a_statement_cites_are_read_from_its_words(
    text: str, numbers: list[int]
) -> None:
    assert cited_numbers(text) == numbers


def test_numbers_are_printed_with_runs_as_ranges() -> None:
    assert numbers_text([9, 1, 2, 3, 4, 7]) == "1–4, 7 and 9"
    assert numbers_text([5, 6]) == "5 and 6"
    assert numbers_text([3]) == "3"
