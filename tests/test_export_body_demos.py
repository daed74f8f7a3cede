"""The nurse and HCPC demo logbooks, exported in their body's layout with the layout's default
period and read back: the NMC revalidation record of the nurse, the HCPC CPD profile of the arts
therapist."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from logbook.domain.choices import AttestationKind, ConfirmerCategory, NmcScope, NmcWorkSetting
from logbook.domain.durations import hours
from logbook.domain.periods import add_months, cycle_ending
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    PracticeEntry,
    Profile,
    RecordKind,
    minutes_of,
)
from tests.layout_support import TODAY, Exported, day, export_demo


@pytest.fixture(scope="module")
def nurse(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return export_demo(tmp_path_factory.mktemp("nurse"), "nurse", "nmc")


@pytest.fixture(scope="module")
def hcpc(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return export_demo(tmp_path_factory.mktemp("hcpc"), "hcpc", "hcpc")


# --- NMC revalidation --------------------------------------------------------------------------


def nmc_renewal(profile: Profile) -> date:
    found = next(r for r in profile.registrations if r.body == "NMC")
    assert found.number
    assert found.renewal_date is not None
    return found.renewal_date


def test_the_nurse_is_exported_for_the_current_nmc_cycle(nurse: Exported) -> None:
    renewal = nmc_renewal(nurse.profile)
    assert add_months(TODAY, 9) <= renewal <= add_months(TODAY, 13)
    cycle = cycle_ending(renewal, 3)
    assert nurse.period == cycle
    assert cycle.contains(TODAY)
    # The period printed runs from the cycle's start to the day of export at the latest.
    assert cycle.end is not None
    assert cycle.start is not None
    printed = f"Period {day(cycle.start)} – {day(min(cycle.end, TODAY))}"
    assert printed in nurse.text
    assert f"Revalidation due {day(renewal)}" in nurse.text


def test_the_revalidation_summary_sets_required_beside_recorded(nurse: Exported) -> None:
    summary = nurse.section("1 Revalidation summary", "2 Requirement status")
    assert "Requirement Required Recorded Status" in summary
    assert nurse.period.start is not None
    practice = [
        r
        for r in nurse.of(RecordKind.PRACTICE)
        if isinstance(r, PracticeEntry) and nurse.period.start <= r.date <= TODAY
    ]
    minutes = sum(minutes_of(r) for r in practice)
    assert minutes >= 450 * 60
    assert f"450 practice hours 450.00 h {hours(minutes)} h" in summary
    assert re.search(r"35 hours of CPD, 20 of them participatory 35\.00 h \d+\.\d\d h", summary)
    assert re.search(r"Five pieces of practice-related feedback 5 ([5-9]|\d\d) ", summary)
    assert "Five written reflective accounts linked to the Code 5 5 " in summary
    assert "A reflective discussion with another registrant 1 1 " in summary
    assert "Confirmation in the final 12 months 1 1 " in summary
    assert "not yet met" not in summary.casefold()


def test_the_practice_hours_log_shows_nmc_work_settings_and_scopes(nurse: Exported) -> None:
    practice = nurse.section("3 Practice hours", "4 Continuing professional development")
    for setting in (NmcWorkSetting.COMMUNITY, NmcWorkSetting.SECONDARY_CARE):
        assert setting.label in practice
    for scope in (NmcScope.DIRECT_CLINICAL_CARE, NmcScope.EDUCATION, NmcScope.MANAGEMENT):
        assert scope.label in practice
    assert "not an NMC work setting" not in practice
    assert "Not recorded" not in practice


def test_the_cpd_log_links_each_activity_to_the_code(nurse: Exported) -> None:
    cpd = nurse.section("4 Continuing professional development", "5 Practice-related feedback")
    activities = [r for r in nurse.of(RecordKind.CPD) if isinstance(r, CpdActivity)]
    assert all(a.code_themes and a.impact for a in activities)
    assert any(a.participatory for a in activities)
    assert any(not a.participatory for a in activities)
    themes = {theme.label for a in activities for theme in a.code_themes}
    assert len(themes) == 4
    for theme in themes:
        assert theme in cpd


def test_the_discussion_and_confirmation_forms_name_who_gave_them(nurse: Exported) -> None:
    attestations = [r for r in nurse.of(RecordKind.ATTESTATION) if isinstance(r, Attestation)]
    renewal = nmc_renewal(nurse.profile)
    forms = {
        AttestationKind.REFLECTIVE_DISCUSSION: nurse.section(
            "7 Reflective discussion", "8 Confirmation"
        ),
        AttestationKind.CONFIRMATION: nurse.section(
            "8 Confirmation", "9 Health and character, and indemnity"
        ),
    }
    labels = {
        AttestationKind.REFLECTIVE_DISCUSSION: (
            "Discussion partner's NMC Pin",
            "Date of discussion",
        ),
        AttestationKind.CONFIRMATION: (
            "NMC Pin or other professional identification number",
            "Date of confirmation",
        ),
    }
    for kind, form in forms.items():
        [given] = [a for a in attestations if a.attestation_kind is kind]
        assert add_months(renewal, -12) <= given.date <= TODAY
        assert given.by_registration
        assert given.by_email
        assert given.by_address
        pin, dated = labels[kind]
        assert f"name {given.by_name} " in form
        assert f"{pin} {given.by_registration} " in form
        assert f"Email {given.by_email} " in form
        assert f"Professional address and postcode {given.by_address} " in form
        assert f"{dated} {day(given.date)}" in form
    [confirmation] = [a for a in attestations if a.attestation_kind is AttestationKind.CONFIRMATION]
    assert confirmation.confirmer_category is ConfirmerCategory.NMC_LINE_MANAGER
    assert (
        f"Category {confirmation.confirmer_category.label} " in forms[AttestationKind.CONFIRMATION]
    )


# --- HCPC CPD profile --------------------------------------------------------------------------


def test_the_hcpc_profile_covers_the_last_two_years(hcpc: Exported) -> None:
    assert hcpc.period.end == TODAY
    assert hcpc.period.start == date(2024, 12, 1)  # the day after the same date two years ago
    assert f"Period {day(hcpc.period.start)} – {day(TODAY)}" in hcpc.text
    registration = next(r for r in hcpc.profile.registrations if r.body == "HCPC")
    assert registration.number
    assert registration.renewal_date
    assert f"HCPC registration {registration.number}" in hcpc.text


def test_the_dated_list_shows_types_of_learning_and_flags_the_gap(hcpc: Exported) -> None:
    listed = hcpc.section("4 Dated list of CPD activities", "5 Types of learning")
    assert hcpc.period.start is not None
    activities = sorted(
        (
            r
            for r in hcpc.of(RecordKind.CPD)
            if isinstance(r, CpdActivity) and hcpc.period.start <= r.start_date <= TODAY
        ),
        key=lambda r: r.start_date,
    )
    chosen = {a.learning_type for a in activities if a.learning_type is not None}
    assert chosen
    assert any(a.learning_type is None for a in activities)
    types = {a.hcpc_learning_type.label for a in activities}
    assert len(types) >= 3
    for label in types:
        assert label in listed
    gaps = [
        (earlier.start_date, later.start_date)
        for earlier, later in itertools.pairwise(activities)
        if add_months(earlier.start_date, 3) <= later.start_date
    ]
    assert gaps
    assert "GAP of" in listed
    assert "explain this gap in your profile" in listed


def test_the_standards_map_is_present(hcpc: Exported) -> None:
    standards = hcpc.section("3 How this profile meets the standards for CPD", "4 Dated list")
    assert "Standard Where this profile shows it" in standards
    for opening in ("1. Maintain", "2. Demonstrate", "3. Seek", "4. Seek", "5. Upon request"):
        assert opening in standards


def test_the_practice_summary_is_a_marked_draft_in_the_first_person(hcpc: Exported) -> None:
    summary = hcpc.section("1 Summary of practice history", "2 Personal statement")
    assert "Not yet written by the practitioner" in summary
    assert "My roles in this period: " in summary
    assert "North East London NHS FT" in summary


def test_an_impact_appears_in_the_statement_material(hcpc: Exported) -> None:
    statement = hcpc.section("2 Personal statement", "3 How this profile meets")
    impacts = {r.impact for r in hcpc.of(RecordKind.CPD) if isinstance(r, CpdActivity) and r.impact}
    assert len(impacts) >= 3
    assert any(impact in statement for impact in impacts)
    assert "How it benefited the people I work with" in statement
