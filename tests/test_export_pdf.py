"""Portfolio PDFs read back: totals, entries, privacy, page numbers, contents, fonts, PDF/A.

Every test exports a real PDF from a real logbook and reads it back with pypdf (and qpdf,
pdffonts and pikepdf where the file itself is checked).
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pypdf
import pytest

from logbook.domain.choices import (
    AttestationKind,
    CodeTheme,
    ConfirmerCategory,
    CpdType,
    Direction,
    FeedbackSource,
    HcpcLearningType,
    MilestoneStatus,
    NmcScope,
    NmcWorkSetting,
    PersonalPracticeKind,
    PracticeActivity,
    RetreatMode,
    Setting,
    SupervisionFormat,
    SupervisionMethod,
    SupervisionType,
    TeachingRole,
)
from logbook.domain.errors import LogbookError
from logbook.domain.findings import Finding, PackResult, RuleResult, Status
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Milestone,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Profile,
    RecordKind,
    ReflectiveAccount,
    Registration,
    RoleSpell,
    SupervisionSession,
    TeachingCourse,
)
from logbook.domain.signoff import SignoffEvidence, SignoffMode, SignoffState
from logbook.export.data import EntrySignoff
from logbook.export.layouts import LAYOUTS
from logbook.services import export as export_service
from logbook.services.export import (
    ExportError,
    ExportOptions,
    export_portfolio,
    gather_portfolio,
    render_portfolio,
)
from logbook.services.logbook import Logbook

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 1, 15, 9, 30)
PRIVATE_TEXT = "Secretly I felt out of my depth with this group"
SHARED_TEXT = "Slowing the pace helped the group settle"
PRIVATE_ACCOUNT = "A private account about a hard week"


def _fill(logbook: Logbook) -> None:
    """A year of entries of every kind, each with a text that identifies it in the PDF."""
    nhs = Organisation(name="NHS Lothian", employer=True)
    charity = Organisation(name="Edinburgh Mind", supervising=True)
    supervisor = Person(name="Dr Rhona Fraser", organisation_uid=nhs.uid)
    peer = Person(name="Sam Okafor", organisation_uid=charity.uid)
    course = TeachingCourse(
        title="MBCT spring course",
        role=TeachingRole.CO_TEACHER,
        share_percent=50,
        population="adults with recurrent depression",
        start_date=date(2025, 3, 4),
        end_date=date(2025, 4, 22),
        sessions_delivered=8,
        participants=11,
        organisation_uid=nhs.uid,
        co_teacher_uid=supervisor.uid,
    )
    pathway = Pathway(title="Mindfulness teacher pathway", started_on=date(2024, 1, 1))
    records: list[object] = [
        Profile(
            name="Morag Test",
            roles=(
                RoleSpell(
                    title="Mindfulness therapist", start=date(2024, 1, 1), organisation_uid=nhs.uid
                ),
            ),
            registrations=(
                Registration(body="NMC", number="12A3456E", renewal_date=date(2027, 3, 31)),
                Registration(body="HCPC", number="PYL123", renewal_date=date(2026, 6, 30)),
            ),
            client_groups=("adults",),
        ),
        nhs,
        charity,
        supervisor,
        peer,
        course,
        pathway,
    ]
    for month in range(1, 13):
        records.append(
            SupervisionSession(
                date=date(2025, month, 10),
                duration_minutes=90,
                counterpart_uid=supervisor.uid,
                organisation_uid=nhs.uid,
                themes=(f"theme-{month:02d}",),
                reflection=PRIVATE_TEXT if month == 3 else (SHARED_TEXT if month == 4 else ""),
                reflection_private=month == 3,
                course_uid=course.uid if month in (3, 4) else None,
                live=month == 5,
                methods=(SupervisionMethod.ROLE_PLAY,) if month == 7 else (),
            )
        )
        if month % 3 == 0:
            records.append(
                SupervisionSession(
                    date=date(2025, month, 20),
                    duration_minutes=60,
                    counterpart_uid=peer.uid,
                    organisation_uid=charity.uid,
                    supervision_type=SupervisionType.PEER,
                    format=SupervisionFormat.GROUP,
                    group_size=5,
                    themes=(f"group-theme-{month:02d}",),
                )
            )
        for day in (3, 17):
            records.append(
                PracticeEntry(
                    date=date(2025, month, day),
                    duration_minutes=50,
                    activity=PracticeActivity.ONE_TO_ONE,
                    setting=Setting.PRIMARY_CARE,
                    intervention=f"practice-{month:02d}-{day:02d}",
                    organisation_uid=nhs.uid,
                    did_not_attend=(month, day) == (6, 17),
                    # The NMC's own words from the autumn on.
                    nmc_work_setting=NmcWorkSetting.COMMUNITY if month >= 9 else None,
                    nmc_scope=NmcScope.DIRECT_CLINICAL_CARE if month >= 9 else None,
                )
            )
        records.append(
            PersonalPractice(
                start_date=date(2025, month, 1),
                duration_minutes=30 * 20,
                title=f"sitting-{month:02d}",
            )
        )
    records += [
        SupervisionSession(
            date=date(2025, 5, 5),
            duration_minutes=60,
            direction=Direction.GIVEN,
            counterpart_uid=peer.uid,
            organisation_uid=charity.uid,
            themes=("given-theme",),
        ),
        PersonalPractice(
            start_date=date(2025, 8, 11),
            end_date=date(2025, 8, 15),
            practice_kind=PersonalPracticeKind.RETREAT,
            mode=RetreatMode.RESIDENTIAL,
            days=5,
            silence_percent=60,
            teacher_led=True,
            title="Summer silent retreat",
        ),
        FeedbackEntry(date=date(2025, 2, 2), source=FeedbackSource.CLIENT, summary="feedback-one"),
        FeedbackEntry(
            date=date(2025, 9, 2),
            source=FeedbackSource.COLLEAGUE,
            summary="feedback-two",
            reflection=PRIVATE_TEXT + " (feedback)",
            reflection_private=True,
        ),
        ReflectiveAccount(
            date=date(2025, 4, 1), title="Managing endings", learning="endings-learning"
        ),
        ReflectiveAccount(date=date(2025, 5, 1), title=PRIVATE_ACCOUNT, private=True),
        Attestation(
            date=date(2025, 11, 1),
            attestation_kind=AttestationKind.REFLECTIVE_DISCUSSION,
            by_name="Alex Registrant",
            by_registration="NMC 99Z9999Z",
        ),
        Attestation(
            date=date(2025, 12, 1),
            attestation_kind=AttestationKind.CONFIRMATION,
            by_name="Fiona Confirmer",
            by_role="Line manager",
            by_email="fiona.confirmer@nhs.example",
            confirmer_category=ConfirmerCategory.NMC_LINE_MANAGER,
        ),
        Milestone(
            pathway_uid=pathway.uid,
            title="Co-teach a first course",
            sequence=1,
            status=MilestoneStatus.COMPLETE,
            due_date=date(2025, 4, 30),
            completed_on=date(2025, 4, 22),
        ),
    ]
    # CPD in January, February and then not until August: a gap of more than three months.
    for day, title in (
        (date(2025, 1, 20), "cpd-risk-workshop"),
        (date(2025, 2, 14), "cpd-compassion-course"),
        (date(2025, 8, 30), "cpd-chronic-pain"),
        (date(2025, 11, 5), "cpd-annual-conference"),
    ):
        records.append(
            CpdActivity(
                start_date=day,
                title=title,
                duration_minutes=360,
                cpd_type=CpdType.WORKSHOP,
                learning_outcomes=f"outcome of {title}",
                code_themes=(CodeTheme.PRACTISE_EFFECTIVELY,) if "risk" in title else (),
                impact=f"benefit of {title}" if "risk" in title else "",
                learning_type=HcpcLearningType.WORK_BASED if "chronic" in title else None,
            )
        )
    logbook.records.create_many(records)  # type: ignore[arg-type]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder of its own, so leftovers would show."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def filled(logbook: Logbook) -> Logbook:
    _fill(logbook)
    return logbook


def _export(logbook: Logbook, path: Path, **options: object) -> list[str]:
    opts = ExportOptions(period=options.pop("period", YEAR), **options)  # type: ignore[arg-type]
    export_portfolio(logbook, path, opts, now=NOW)
    return _pages(path)


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def _flat(pages: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(pages))


def test_totals_printed_equal_the_service_totals(filled: Logbook, tmp_path: Path) -> None:
    text = _flat(_export(filled, tmp_path / "p.pdf"))
    for kind in (
        RecordKind.SUPERVISION,
        RecordKind.PRACTICE,
        RecordKind.CPD,
        RecordKind.PERSONAL_PRACTICE,
    ):
        total = filled.records.summarise(RecordQuery(kind, period=YEAR))
        hours = f"{total.minutes / 60:.2f}"
        assert f"{total.count} entries, {hours} hours, 01 Jan 2025 – 31 Dec 2025." in text
        assert f"{kind.label} {total.count} {hours}" in text  # the key figures table
    practice = filled.records.summarise(RecordQuery(RecordKind.PRACTICE, period=YEAR))
    assert practice.minutes == 23 * 50  # the did-not-attend session counts nothing


def test_every_entry_of_the_period_appears(filled: Logbook, tmp_path: Path) -> None:
    text = _flat(_export(filled, tmp_path / "p.pdf", entry_by_entry=True))
    assert "Appendix: practice logs entry by entry" in text
    for month in range(1, 13):
        assert f"theme-{month:02d}" in text
        assert f"practice-{month:02d}-03" in text
        assert f"practice-{month:02d}-17" in text
        assert f"sitting-{month:02d}" in text
    for marker in (
        "group-theme-03",
        "group-theme-12",
        "given-theme",
        "feedback-one",
        "feedback-two",
        "Managing endings",
        "Alex Registrant",
        "Fiona Confirmer",
        "Summer silent retreat",
        "MBCT spring course",
        "Co-teach a first course",
        "cpd-risk-workshop",
        "cpd-annual-conference",
    ):
        assert marker in text, marker


def test_long_logs_are_summarised_month_by_month_unless_asked_for(
    filled: Logbook, tmp_path: Path
) -> None:
    summarised = _export(filled, tmp_path / "summary.pdf")
    whole = _export(filled, tmp_path / "whole.pdf", entry_by_entry=True)
    text = _flat(summarised)
    assert "practice-01-03" not in text
    assert "sitting-01" not in text
    assert "Appendix: practice logs entry by entry" not in text
    assert "Entry by entry, they are an appendix the practitioner can add" in text
    assert all(f"{month} 2025" in text for month in ("Jan", "Jun", "Dec"))
    assert "Setting and delivery" in text
    assert "Kind of practice" in text
    assert len(summarised) < len(whole)
    assert "Each entry is listed in the appendix." in _flat(whole)


def test_a_monthly_summary_counts_every_entry_and_hour_once(filled: Logbook) -> None:
    from logbook.domain.records import minutes_of
    from logbook.export.cells import monthly_rows

    entries = filled.records.all(RecordKind.PRACTICE)
    rows = monthly_rows(entries)
    assert sum(len(r.records) for r in rows) == len(entries)
    assert sum(r.minutes for r in rows) == sum(minutes_of(e) for e in entries)
    named = [r.month for r in rows if r.month]
    assert len(named) == len(set(named))


def test_entries_outside_the_period_are_left_out(filled: Logbook, tmp_path: Path) -> None:
    spring = Period(date(2025, 3, 1), date(2025, 5, 31))
    text = _flat(_export(filled, tmp_path / "p.pdf", period=spring))
    assert "theme-03" in text
    assert "theme-05" in text
    assert "theme-02" not in text
    assert "theme-06" not in text
    assert "cpd-risk-workshop" not in text


def test_empty_logs_are_left_out_and_named_and_a_declaration_closes_the_document(
    filled: Logbook, tmp_path: Path
) -> None:
    spring = Period(date(2025, 3, 1), date(2025, 3, 31))
    pages = _export(filled, tmp_path / "p.pdf", period=spring)
    text = _flat(pages)
    assert (
        "Nothing was recorded in this period for: Continuing professional development; "
        "Feedback; Reflective accounts; Reflective discussions and confirmations." in text
    )
    assert "Feedback . ." not in text  # not in the contents
    closing = _flat(pages[-2:-1])
    assert closing.count("Declaration") == 1
    assert "I confirm that this record is accurate and complete" in closing
    assert "Name Morag Test Registration NMC 12A3456E; HCPC PYL123 Signature Date" in closing
    hcpc = _flat(_export(filled, tmp_path / "h.pdf", layout="hcpc"))
    assert "This profile is my own work and is supported by evidence." in hcpc


def test_entries_dated_after_the_day_of_export_are_left_out(
    filled: Logbook, tmp_path: Path
) -> None:
    """A portfolio states what happened: made in mid-June, a year's portfolio ends that day."""
    path = tmp_path / "june.pdf"
    export_portfolio(filled, path, ExportOptions(period=YEAR), now=datetime(2025, 6, 15, 9, 30))
    text = _flat(_pages(path))
    assert "theme-05" in text
    assert "theme-07" not in text
    assert "15 Jun 2025" in text
    assert "31 Dec 2025" not in text


def test_private_reflections_are_absent_unless_asked_for(filled: Logbook, tmp_path: Path) -> None:
    shared = _flat(_export(filled, tmp_path / "shared.pdf"))
    assert SHARED_TEXT in shared
    assert "Secretly" not in shared
    assert PRIVATE_ACCOUNT not in shared
    assert "includes private reflections" not in shared

    pages = _export(filled, tmp_path / "private.pdf", include_private=True)
    assert "This portfolio includes private reflections" in re.sub(r"\s+", " ", pages[0])
    everything = _flat(pages)
    assert PRIVATE_TEXT in everything
    assert PRIVATE_TEXT + " (feedback)" in everything
    assert PRIVATE_ACCOUNT in everything


def test_every_page_says_page_x_of_y(filled: Logbook, tmp_path: Path) -> None:
    pages = _export(filled, tmp_path / "p.pdf")
    assert len(pages) > 5
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text


def test_contents_and_bookmarks_point_to_the_right_pages(filled: Logbook, tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    pages = _export(filled, path)
    contents = pages[1]
    entries = re.findall(r"^(\d+)  (.+?)\n(?:[. ]+\n)?(\d+)$", contents, re.MULTILINE)
    titles = [title for _, title, _ in entries]
    assert titles[:3] == ["Summary", "Requirement status", "Supervision"]
    assert "Sign-off evidence" in titles
    for number, title, page in entries:
        body = pages[int(page) - 1]
        assert f"{number} {title}" in re.sub(r"\s+", " ", body), (title, page)
    reader = pypdf.PdfReader(path)
    outline = {
        o.title: reader.get_destination_page_number(o) + 1
        for o in reader.outline
        if not isinstance(o, list)
    }
    for number, title, page in entries:
        assert outline[f"{number}  {title}"] == int(page)


def test_metadata_names_the_document(filled: Logbook, tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    _export(filled, path, layout="supervision")
    meta = pypdf.PdfReader(path).metadata
    assert meta is not None
    assert meta.title == "Mindfulness-based supervision log – Morag Test"
    assert meta.author == "Morag Test"
    assert meta.subject == "Supervision log of Morag Test, 01 Jan 2025 – 31 Dec 2025"


def test_cover_identifies_the_practitioner_and_the_document(
    filled: Logbook, tmp_path: Path
) -> None:
    from logbook import __version__

    cover = re.sub(r"\s+", " ", _export(filled, tmp_path / "p.pdf")[0])
    for expected in (
        "Morag Test",
        "Mindfulness therapist",
        "NMC 12A3456E",
        "HCPC PYL123",
        "NHS Lothian",
        "01 Jan 2025 – 31 Dec 2025",
        "15 Jan 2026 09:30",
        f"Practice Logbook {__version__}",
    ):
        assert expected in cover, expected
    fingerprint = re.search(r"Document fingerprint ((?:\w{4}-){12}\w{4})", cover)
    assert fingerprint
    assert f"Document fingerprint {fingerprint[1]}" in cover  # and in every footer
    assert "Not signed" in cover


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_passes_qpdf_and_embeds_every_font(
    filled: Logbook, tmp_path: Path, layout: str
) -> None:
    path = tmp_path / f"{layout}.pdf"
    pages = _export(filled, path, layout=layout)
    assert f"Page 1 of {len(pages)}" in pages[0]
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert "DejaVu" in row, row
        assert re.search(r"\byes\s+yes\s+yes\b", row), row


def test_supervision_log_has_the_babcp_columns_and_credited_time(
    filled: Logbook, tmp_path: Path
) -> None:
    filled.requirements.follow(["bacp_accreditation"])
    text = _flat(_export(filled, tmp_path / "s.pdf", layout="supervision"))
    title = filled.requirements.pack("bacp_accreditation").title
    assert f"Credited time, by the formula of {title}:" in text
    for header in (
        "Date",
        "Duration (h)",
        "Type",
        "Format (group size)",
        "Supervisor",
        "Credited (h)",
        "Themes discussed",
        "Sign-off",
    ):
        assert header in text
    # A 60-minute peer group of five supervisees credits 60 / 5 minutes = 0.20 h.
    assert re.search(r"20 Mar 2025 1\.00 Peer Group of 5 .*?0\.20 group-theme-03", text)
    # 12 individual sessions of 1.5 h plus four groups of 1 h; credited 18 + 4 × 0.2.
    assert "16 sessions, 22.00 hours recorded, 18.80 hours credited" in text
    assert "given-theme" in text  # supervision given has its own section
    assert "Supervisor declaration" in text


def test_the_supervision_log_totals_each_twelve_months_and_marks_live_sessions(
    filled: Logbook, tmp_path: Path
) -> None:
    period = Period(date(2024, 7, 1), date(2025, 12, 31))
    text = _flat(_export(filled, tmp_path / "s.pdf", layout="supervision", period=period))
    assert "Twelve months Sessions Live Hours Credited hours" in text
    assert "Areas covered in supervision Sessions" in text
    assert "theme-05 1" in text
    # Back from the end: 01 Jan 2025 – 31 Dec 2025 holds every session, the months before none.
    assert "01 Jul 2024 – 31 Dec 2024 0 0 0.00 0.00" in text
    assert "01 Jan 2025 – 31 Dec 2025 16 1 22.00 22.00" in text
    assert "10 May 2025 1.50 Clinical Live Individual" in text
    assert "10 Jul 2025 1.50 Clinical Role-play or skills rehearsal Individual" in text


def test_the_supervision_log_shows_breaks_with_the_practitioners_account_and_cpd(
    filled: Logbook, tmp_path: Path
) -> None:
    filled.records.create(
        PracticeEntry(date=date(2024, 12, 16), duration_minutes=50, intervention="december")
    )
    winter = Period(date(2024, 12, 1), date(2025, 1, 31))
    text = _flat(_export(filled, tmp_path / "w.pdf", layout="supervision", period=winter))
    assert "December 2024 0.83 None received" in text
    assert "Reasons and remedies are not yet written by the practitioner" in text
    assert "Nothing was recorded in this period for: Supervision given." in text
    assert "1. cpd-risk-workshop (20 Jan 2025, workshop, 6.00 h)" in text
    assert "What I learnt outcome of cpd-risk-workshop" in text
    assert "How it changed my work benefit of cpd-risk-workshop" in text
    from logbook.services.export import statements_asked

    options = ExportOptions(winter, layout="supervision")
    [asked] = statements_asked(filled, options)
    assert (asked.key, asked.draft) == ("breaks", "December 2024: ")
    account = "I was on leave over Christmas; my supervisor and I met twice in January."
    written = _flat(
        _export(
            filled,
            tmp_path / "a.pdf",
            layout="supervision",
            period=winter,
            statements={"breaks": account},
        )
    )
    assert account in written
    assert "not yet written" not in written


def test_with_no_pack_that_says_group_time_counts_in_full_and_the_log_says_so(
    filled: Logbook, tmp_path: Path
) -> None:
    text = _flat(_export(filled, tmp_path / "s.pdf", layout="supervision"))
    assert "no requirement pack followed says how group supervision is credited" in text
    assert re.search(r"20 Mar 2025 1\.00 Peer Group of 5 .*?1\.00 group-theme-03", text)
    assert "16 sessions, 22.00 hours recorded, 22.00 hours credited" in text


def test_nmc_layout_needs_an_nmc_registration(logbook: Logbook, out: Path) -> None:
    _fill(logbook)
    profile = logbook.records.profile()
    assert profile is not None
    logbook.records.update(dataclasses.replace(profile, registrations=()))
    target = out / "nmc.pdf"
    with pytest.raises(ExportError, match="needs your NMC registration"):
        _export(logbook, target, layout="nmc")
    assert not target.exists()
    assert list(out.iterdir()) == []


def test_nmc_layout_counts_what_revalidation_asks_for(filled: Logbook, tmp_path: Path) -> None:
    text = _flat(_export(filled, tmp_path / "n.pdf", layout="nmc"))
    assert "NMC PIN 12A3456E" in text
    assert "Practice hours 19.17 h" in text  # 23 attended sessions of 50 minutes
    assert "CPD hours 24.00 h" in text
    assert "Written reflective accounts 1" in text  # the private one is not shared
    assert "What did you learn from it? endings-learning" in text
    assert "Alex Registrant" in text
    assert "Fiona Confirmer" in text
    assert "Follow the NMC revalidation requirement pack in the app" in text
    assert "Discussion partner's name Alex Registrant" in text
    assert "Confirmer's name Fiona Confirmer" in text
    assert "Category Line manager, NMC registrant" in text
    assert "Email fiona.confirmer@nhs.example" in text
    assert "Requirements confirmed, with the figures recorded" in text
    checklist = text[text.index("Requirements confirmed, with the figures recorded") :]
    assert "Reflective discussion Alex Registrant, 01 Nov 2025" in checklist
    # The NMC's vocabularies where recorded; where not, the one mapped from the app's own
    # setting, marked as assumed for the practitioner to confirm.
    assert (
        "Community setting (including district nursing and community psychiatric nursing)" in text
    )
    assert "Direct clinical care" in text
    assert "GP practice or other primary care (assumed from Primary care: confirm)" in text
    assert re.search(r"cpd-risk-workshop .{0,80}?Practise effectively", text)


def test_nmc_forms_with_nothing_recorded_are_blank_to_complete_by_hand(
    filled: Logbook, tmp_path: Path
) -> None:
    spring = Period(date(2025, 1, 1), date(2025, 3, 31))
    text = _flat(_export(filled, tmp_path / "n.pdf", layout="nmc", period=spring))
    assert text.count("this form is to complete by hand") == 2
    assert "Signature of the discussion partner" in text
    assert "Signature of the confirmer" in text
    assert "Registrant Morag Test Registrant's NMC Pin 12A3456E Discussion partner" in text


def test_nmc_summary_sets_what_the_nmc_requires_beside_what_is_recorded(
    filled: Logbook, tmp_path: Path
) -> None:
    filled.requirements.follow(["nmc_revalidation"])
    text = _flat(_export(filled, tmp_path / "n.pdf", layout="nmc"))
    assert "Requirement Required Recorded Status" in text
    assert re.search(r"450 practice hours 450\.00 h 19\.17 h Not yet met", text)
    assert "Professional indemnity Through my employer" in text
    assert "Health and character Declared in the online application" in text
    assert re.search(r"Five pieces of practice-related feedback 5 2 Not yet met", text)


def test_the_hcpc_summary_is_the_practitioners_own_words_or_a_marked_draft(
    filled: Logbook, tmp_path: Path
) -> None:
    draft = _flat(_export(filled, tmp_path / "draft.pdf", layout="hcpc"))
    assert "Not yet written by the practitioner." in draft
    assert "My roles in this period: Mindfulness therapist at NHS Lothian." in draft
    assert "they recorded" not in draft
    mine = "In my role I teach mindfulness-based courses to adults with recurrent depression."
    written = _flat(
        _export(
            filled,
            tmp_path / "mine.pdf",
            layout="hcpc",
            statements={"practice_summary": mine},
        )
    )
    assert mine in written
    assert "Not yet written" not in written
    assert "12 words (the HCPC allows up to 500)." in written


@pytest.mark.parametrize(
    ("statements", "said"),
    [
        ({"practice_summary": "word " * 501}, "has 501 words; the most allowed is 500"),
        ({"essay": "My own words."}, "asks for no statement 'essay'"),
        ({"practice_summary": "Referral for 943 476 5919 received"}, "may identify a client"),
    ],
    ids=["too-long", "unknown-section", "client-identifier"],
)
def test_a_statement_that_cannot_be_printed_is_refused_and_nothing_written(
    filled: Logbook, out: Path, statements: dict[str, str], said: str
) -> None:
    options = ExportOptions(period=YEAR, layout="hcpc", statements=statements)
    with pytest.raises(LogbookError, match=said):
        export_portfolio(filled, out / "h.pdf", options, now=NOW)
    assert not list(out.iterdir())


def test_the_hcpc_profile_uses_the_hcpcs_types_of_learning_and_the_benefit_recorded(
    filled: Logbook, tmp_path: Path
) -> None:
    text = _flat(_export(filled, tmp_path / "h.pdf", layout="hcpc"))
    assert re.search(r"cpd-chronic-pain .{0,40}?Work-based learning", text)
    assert re.search(r"cpd-risk-workshop .{0,40}?Formal and educational", text)
    assert "How it benefited the people I work with benefit of cpd-risk-workshop" in text


def test_the_hcpc_profile_maps_each_standard_to_where_it_is_shown(
    filled: Logbook, tmp_path: Path
) -> None:
    text = _flat(_export(filled, tmp_path / "h.pdf", layout="hcpc"))
    assert "How this profile meets the standards for CPD" in text
    assert (
        "1. Maintain a continuous, up-to-date and accurate record of their CPD activities" in text
    )
    assert re.search(
        r"4\. Seek to ensure that their CPD benefits the service user The personal "
        r"statement, on benefit to service users \(section 2\)",
        text,
    )
    assert "The statement is not yet written by the practitioner." in text
    mine = "Each activity changed how I run groups."
    written = _flat(
        _export(filled, tmp_path / "s.pdf", layout="hcpc", statements={"statement": mine})
    )
    assert mine in written
    assert "7 words (the HCPC asks for about 1,500)." in written
    assert "not yet written" not in written


def test_hcpc_profile_flags_gaps_of_three_months(filled: Logbook, tmp_path: Path) -> None:
    text = _flat(_export(filled, tmp_path / "h.pdf", layout="hcpc"))
    assert "4 activities, 24.00 hours; 1 gap(s) of three months or more." in text
    assert "14 Feb 2025 – 30 Aug 2025 GAP of 6 months with no CPD recorded" in text
    order = [
        text.index(t)
        for t in (
            "cpd-risk-workshop",
            "cpd-compassion-course",
            "cpd-chronic-pain",
            "cpd-annual-conference",
        )
    ]
    assert order == sorted(order)


def test_mindfulness_record_shows_courses_supervision_and_retreats(
    filled: Logbook, tmp_path: Path
) -> None:
    text = _flat(_export(filled, tmp_path / "m.pdf", layout="mindfulness"))
    assert "MBCT spring course" in text
    assert "Co-teacher 50 % share" in text
    assert "MBCT spring course (04 Mar 2025 – 22 Apr 2025): 2 sessions, 3.00 h" in text
    assert "5 days, of which 3.0 in silence" in text
    assert "Co-teach a first course" in text
    cpd = text[text.index("Continuing professional development 4 CPD activities, 24.00 hours") :]
    assert "cpd-risk-workshop" in cpd
    assert "cpd-annual-conference" in cpd


def test_requirement_status_and_signoff_evidence_are_printed(
    filled: Logbook, tmp_path: Path
) -> None:
    data = gather_portfolio(filled, ExportOptions(YEAR), now=NOW)
    session = data.of(RecordKind.SUPERVISION)[0]
    march = Period(date(2025, 3, 1), date(2025, 3, 31))
    rule = RuleResult(
        rule_id="bacp.monthly_supervision",
        title="Supervision every month",
        description="At least 1.5 hours of supervision in every month of practice.",
        source_title="BACP individual accreditation criteria",
        source_url="https://example.org/bacp",
        checked_on=date(2025, 10, 1),
        status=Status.NOT_YET_MET,
        findings=(
            Finding(
                "bacp.monthly_supervision",
                Status.NOT_YET_MET,
                march,
                1.5,
                1.2,
                "h",
                "Group time credited at 60 / 5 minutes",
                "Record 0.30 h more in March",
            ),
        ),
    )
    pack = PackResult("bacp", "BACP individual accreditation", Status.NOT_YET_MET, (rule,))
    evidence = SignoffEvidence(
        target_uid=session.uid,
        target_kind="supervision",
        target_revision=1,
        description="Supervision 10 Jan 2025",
        signer_name="Dr Rhona Fraser",
        signer_registration="BABCP 123456",
        signer_organisation="NHS Lothian",
        signed_at=datetime(2025, 1, 12, 16, 5),
        mode=SignoffMode.REMOTE,
        fingerprint="a1b2c3d4e5f60718293a4b5c6d7e8f90",
        state=SignoffState.VERIFIED,
    )
    data = dataclasses.replace(
        data,
        requirements=(pack,),
        signoffs=(evidence,),
        entry_signoffs={session.uid: EntrySignoff(SignoffState.VERIFIED)},
        supervision_minimum_hours=1.5,
    )
    path = tmp_path / "p.pdf"
    with path.open("wb") as stream:
        render_portfolio(data, "portfolio", stream)
    text = _flat(_pages(path))
    for expected in (
        "BACP individual accreditation",
        "Not yet met",
        "Supervision every month",
        "BACP individual accreditation criteria",
        "01 Oct 2025",
        "Group time credited at 60 / 5 minutes",
        "Record 0.30 h more in March",
        "1 h 30 min",  # required and recorded, in the app's words
        "1 h 12 min",
        "Minimum 1.5 h",
        "Dr Rhona Fraser",
        "BABCP 123456",
        "12 Jan 2025 16:05",
        "Remote (request and response files)",
        "Signed (verified)",
        "a1b2-c3d4-e5f6-0718",
    ):
        assert expected in text, expected
    assert "Signed Dr Rhona Fraser" in text  # the sign-off column of the log


# --- bad input: clear messages, nothing under the final name -----------------------------------


def test_an_empty_period_is_refused(filled: Logbook, out: Path) -> None:
    target = out / "empty.pdf"
    with pytest.raises(ExportError, match=r"Nothing to export.*01 Jan 1990 – 31 Dec 1990"):
        _export(filled, target, period=Period(date(1990, 1, 1), date(1990, 12, 31)))
    assert list(out.iterdir()) == []


def test_an_unwritable_folder_is_refused(filled: Logbook, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        folder = Path("/sys")  # refuses new files even to root
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
    target = folder / "portfolio.pdf"
    with pytest.raises(ExportError, match=r"Cannot write to .*permission denied"):
        _export(filled, target)
    assert not target.exists()


def test_a_missing_folder_is_refused(filled: Logbook, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        _export(filled, tmp_path / "nowhere" / "p.pdf")


def test_a_full_disk_leaves_the_previous_file_untouched(
    filled: Logbook, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = out / "portfolio.pdf"
    target.write_bytes(b"the portfolio sent last year")

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_service.os, "fsync", disk_full)
    with pytest.raises(ExportError, match=r"disk .* is full"):
        _export(filled, target)
    assert target.read_bytes() == b"the portfolio sent last year"
    assert [p.name for p in out.iterdir()] == ["portfolio.pdf"]


def test_cancelling_leaves_nothing_behind(filled: Logbook, out: Path) -> None:
    from logbook.export.data import ExportCancelled

    seen: list[float] = []
    with pytest.raises(ExportCancelled):
        export_portfolio(
            filled,
            out / "p.pdf",
            ExportOptions(YEAR),
            progress=lambda fraction, text: seen.append(fraction),
            cancelled=lambda: len(seen) > 3,
        )
    assert list(out.iterdir()) == []


def test_progress_runs_from_start_to_saved(filled: Logbook, tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    export_portfolio(
        filled,
        tmp_path / "p.pdf",
        ExportOptions(YEAR),
        progress=lambda f, text: seen.append((f, text)),
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == (1.0, "Saved")


def test_unknown_sections_are_named(filled: Logbook, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="'charts' is not a section"):
        _export(filled, tmp_path / "p.pdf", sections=frozenset({"charts"}))


def test_chosen_sections_only(filled: Logbook, tmp_path: Path) -> None:
    text = _flat(_export(filled, tmp_path / "p.pdf", sections=frozenset({"cpd"})))
    assert "cpd-risk-workshop" in text
    assert "theme-01" not in text
    assert "1 Continuing professional development" in text


# --- PDF/A -----------------------------------------------------------------------------------


def test_pdfa_3b_carries_the_evidence_and_passes_the_check(filled: Logbook, tmp_path: Path) -> None:
    path = tmp_path / "archive.pdf"
    _export(filled, path, layout="supervision", pdfa=True)
    with pikepdf.open(path) as pdf:
        assert pdf.open_metadata().pdfa_status == "3B"
        assert "portfolio-evidence.json" in pdf.attachments
    report = pikepdf.pdfa.validate_written(path, "3b")
    assert report.passed, report.findings
    assert "Page 1 of" in _pages(path)[0]


@pytest.fixture
def many_sessions(logbook: Logbook) -> Logbook:
    """Enough supervision for a log that runs over many pages."""
    supervisor = Person(name="Dr Long Log")
    records: list[object] = [Profile(name="Pat Pages"), supervisor]
    for index in range(900):
        records.append(
            SupervisionSession(
                date=date(2025, 1 + index % 12, 1 + index % 28),
                duration_minutes=60,
                counterpart_uid=supervisor.uid,
                themes=(f"row-{index:04d}",),
            )
        )
    logbook.records.create_many(records)  # type: ignore[arg-type]
    return logbook


def test_long_logs_repeat_their_header_on_every_page(
    many_sessions: Logbook, tmp_path: Path
) -> None:
    pages = _export(
        many_sessions, tmp_path / "long.pdf", layout="supervision", sections=frozenset({"log"})
    )
    log_pages = pages[2:-2]  # after the cover and contents, before the declaration
    assert len(log_pages) > 10
    for text in log_pages:
        assert "Themes discussed" in text
    text = _flat(pages)
    assert all(f"row-{i:04d}" in text for i in range(900))


# --- with the real requirement and sign-off services -------------------------------------------


def test_real_signatures_and_requirement_checks_appear(filled: Logbook, tmp_path: Path) -> None:
    from tests.signoff_support import PASSPHRASE, new_identity

    identity = new_identity(filled, "Dr Rhona Fraser")
    sessions = filled.records.query(
        RecordQuery(RecordKind.SUPERVISION, period=YEAR, limit=2, descending=False)
    )
    filled.signoff.sign(sessions, identity, PASSPHRASE, confirm_for=sessions[0].counterpart_uid)
    filled.requirements.follow(["bacp_accreditation"])

    text = _flat(_export(filled, tmp_path / "p.pdf"))
    assert "BACP individual accreditation" in text
    assert "1.5 hours of supervision in every month of practice" in text
    assert "BACP: Individual accreditation – supervision requirements" in text
    assert "Minimum 1.5 h" in text  # the monthly chart draws the pack's minimum
    appendix = text[text.index("Sign-off evidence Every signature") :]
    assert appendix.count("Dr Rhona Fraser") >= 2
    assert "PYL04321" in appendix
    assert "In person" in appendix
    assert "Signed (verified)" in appendix

    log = _flat(_export(filled, tmp_path / "log.pdf", layout="supervision"))
    assert "Signed Dr Rhona Fraser" in log
    # BACP's formula: the pack's own description of how group time counts is printed.
    assert "Five or more: the time divided by the number of supervisees" in log


def test_a_signed_period_summary_is_in_the_appendix(filled: Logbook, tmp_path: Path) -> None:
    from tests.signoff_support import PASSPHRASE, confirm_supervisor, new_identity

    identity = new_identity(filled, "Dr Rhona Fraser")
    confirm_supervisor(filled, identity, "Dr Rhona Fraser")
    spring = Period(date(2025, 1, 1), date(2025, 3, 31))
    summary = filled.signoff.create_summary(RecordKind.SUPERVISION, spring).summary
    filled.signoff.sign([summary], identity, PASSPHRASE)

    text = _flat(_export(filled, tmp_path / "p.pdf"))
    appendix = text[text.index("Sign-off evidence Every signature") :]
    assert summary.statement[:40] in appendix
    assert "Dr Rhona Fraser" in appendix
    assert "Signed (verified)" in appendix

    later = _flat(_export(filled, tmp_path / "later.pdf", period=Period(date(2025, 6, 1), None)))
    assert summary.statement[:40] not in later


def test_a_compact_export_has_no_cover_or_contents_and_fits_one_page(
    filled: Logbook, tmp_path: Path
) -> None:
    day = filled.records.query(RecordQuery(RecordKind.SUPERVISION, limit=1))[0].date  # type: ignore[attr-defined]
    pages = _export(
        filled,
        tmp_path / "one.pdf",
        period=Period(day, day),
        layout="supervision",
        sections=frozenset({"log"}),
        compact=True,
    )
    assert len(pages) == 1
    assert "Page 1 of 1" in pages[0]
    assert "Contents" not in pages[0]
    assert "Mindfulness-based supervision log" in pages[0]
    assert day.strftime("%d %b %Y") in pages[0]
