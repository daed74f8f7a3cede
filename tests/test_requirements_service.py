"""Requirement checks on a real logbook file: settings, own packs, pathways and badges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from logbook.domain.choices import MilestoneStatus, SupervisionFormat
from logbook.domain.errors import NotFoundError, ValidationError
from logbook.domain.findings import Status
from logbook.domain.periods import Period
from logbook.domain.records import (
    Milestone,
    PracticeEntry,
    Profile,
    Registration,
    SupervisionSession,
)
from logbook.domain.records import RecordKind as K
from logbook.domain.requirements import PackError, PackSettings
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.requirements import RequirementService

TODAY = date(2026, 11, 22)


@pytest.fixture
def service(logbook: Logbook) -> RequirementService:
    logbook.requirements.clock = lambda: TODAY
    return logbook.requirements


def _profile(logbook: Logbook, **fields: object) -> Profile:
    return logbook.records.create(Profile(name="Sam Rivers", **fields)).record  # type: ignore[arg-type]


def test_settings_are_kept_in_the_logbook(location: DataLocation):
    settings = PackSettings(
        cycle_start=date(2024, 4, 1),
        qualified_on=date(2023, 7, 14),
        working_fraction=0.6,
        leave=(Period(date(2025, 8, 1), date(2025, 8, 29)),),
    )
    first = Logbook.open(location)
    try:
        first.requirements.save_settings("nmc_revalidation", settings)
        assert first.requirements.settings("nmc_revalidation") == settings
        assert first.requirements.settings("hcpc_cpd") == PackSettings()
    finally:
        first.close()
    # Reopening the file finds them again.
    reopened = Logbook.open(location)
    try:
        assert reopened.requirements.settings("nmc_revalidation") == settings
    finally:
        reopened.close()


def test_bad_settings_are_refused_and_nothing_is_saved(service: RequirementService):
    with pytest.raises(ValidationError) as caught:
        service.save_settings("nmc_revalidation", PackSettings(working_fraction=1.5))
    assert "working_fraction" in str(caught.value)
    assert service.settings("nmc_revalidation") == PackSettings()
    with pytest.raises(NotFoundError):
        service.save_settings("no_such_pack", PackSettings())


def test_followed_packs_are_checked_by_default(logbook: Logbook, service: RequirementService):
    assert service.evaluate() == []
    _profile(logbook, followed_packs=("bacp_accreditation", "gone_pack"))
    assert service.followed() == ["bacp_accreditation"]
    service.follow(["nmc_revalidation", "hcpc_cpd"])
    assert [r.pack_id for r in service.evaluate()] == ["nmc_revalidation", "hcpc_cpd"]


def test_cycle_comes_from_settings_or_the_registration(
    logbook: Logbook, service: RequirementService
):
    _profile(
        logbook,
        registrations=(Registration(body="NMC", renewal_date=date(2027, 5, 31)),),
    )
    (result,) = service.evaluate(pack_ids=["nmc_revalidation"])
    # Three years ending the day before the renewal date.
    assert "Cycle 31 May 2024 – 30 May 2027" in result.notes[0]
    service.save_settings("nmc_revalidation", PackSettings(cycle_start=date(2025, 1, 1)))
    (result,) = service.evaluate(pack_ids=["nmc_revalidation"])
    assert "Cycle 1 Jan 2025 – 31 Dec 2027" in result.notes[0]


def test_monthly_supervision_with_group_credit_end_to_end(
    logbook: Logbook, service: RequirementService
):
    start = date(2026, 7, 6)
    logbook.records.create_many(
        [
            *(
                PracticeEntry(date=start + timedelta(days=7 * n), duration_minutes=50)
                for n in range(16)
            ),
            SupervisionSession(date=date(2026, 7, 8), duration_minutes=90),
            SupervisionSession(
                date=date(2026, 8, 12),
                duration_minutes=120,
                format=SupervisionFormat.GROUP,
                group_size=6,
            ),
            SupervisionSession(date=date(2026, 9, 9), duration_minutes=90),
        ]
    )
    (result,) = service.evaluate(pack_ids=["bacp_accreditation"])
    monthly = next(r for r in result.rules if r.rule_id == "monthly-supervision")
    august = next(f for f in monthly.findings if f.label == "August 2026")
    assert august.status is Status.NOT_YET_MET
    assert august.actual == pytest.approx(1 / 3, abs=1e-3)  # two hours ÷ six supervisees
    assert "group of 6" in august.explanation
    lines = service.entries(august)
    assert [line.kind for line in lines] == [K.SUPERVISION]
    assert "0.33 h credited: group of 6" in lines[0].counted
    assert monthly.source_url.startswith("https://www.bacp.co.uk/")


def test_copy_import_and_delete_own_packs(tmp_path: Path, service: RequirementService):
    copy = service.copy_pack("bacp_accreditation")
    assert copy.id == "bacp_accreditation_copy"
    assert copy.path is not None
    assert copy.path.parent == service.user_packs
    text = copy.path.read_text(encoding="utf-8")
    assert text.startswith("# BACP individual accreditation")  # comments kept
    assert 'title = "BACP individual accreditation (my copy)"' in text
    assert not service.pack("bacp_accreditation_copy").shipped

    edited = text.replace("minimum = 450", "minimum = 500", 1)
    assert (
        service.save_pack_text(copy.id, edited).rule("supervised-practice-hours").params.minimum
        == 500
    )  # type: ignore[union-attr]
    with pytest.raises(PackError) as caught:
        service.save_pack_text(copy.id, edited.replace("minimum = 500", "minimum = 'lots'"))
    assert "line" in str(caught.value)
    assert "minimum = 500" in copy.path.read_text(encoding="utf-8")  # unchanged

    service.delete_pack(copy.id)
    with pytest.raises(NotFoundError):
        service.pack(copy.id)
    with pytest.raises(ValidationError):
        service.delete_pack("bacp_accreditation")


def test_importing_a_bad_pack_says_where(tmp_path: Path, service: RequirementService):
    bad = tmp_path / "our_service.toml"
    original = service.pack_text("nhs_tt_pwp")
    bad.write_text(original.replace('every = "week"', 'every = "weekly"', 1), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        service.import_pack(bad)
    problem = caught.value.problems[0]
    assert problem.file == "our_service.toml"
    assert problem.field == "rules[1].every"
    assert problem.line == original.splitlines().index('every = "week"') + 1
    # The same id as a shipped pack is refused too, at the id line.
    bad.write_text(original, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        service.import_pack(bad)
    assert caught.value.problems[0].field == "id"
    # With its own id it imports.
    bad.write_text(original.replace('id = "nhs_tt_pwp"', 'id = "our_service"'), encoding="utf-8")
    pack = service.import_pack(bad)
    assert pack.id == "our_service"
    assert (service.user_packs / "our_service.toml").exists()  # type: ignore[operator]


def test_a_broken_own_pack_is_reported_not_fatal(service: RequirementService):
    assert service.user_packs is not None
    service.user_packs.mkdir(parents=True, exist_ok=True)
    (service.user_packs / "broken.toml").write_text('id = "broken"\ntitle = ', encoding="utf-8")
    service.reload()
    assert any("broken.toml" in str(p) for p in service.problems())
    assert service.pack("bacp_accreditation").shipped


def test_start_a_pathway_from_a_pack(logbook: Logbook, service: RequirementService):
    service.start_pathway("mhwp_training", "training-year", started_on=date(2026, 1, 5))
    milestones = sorted(logbook.records.all(K.MILESTONE), key=lambda m: m.sequence)  # type: ignore[attr-defined]
    assert [m.title for m in milestones][:2] == [  # type: ignore[attr-defined]
        "Induction and university teaching started",
        "Supervisory network agreed",
    ]
    assert milestones[-1].due_date == date(2027, 1, 5)  # type: ignore[attr-defined]
    first = milestones[0]
    assert isinstance(first, Milestone)
    logbook.records.update(
        first.__class__(
            **{
                **first.__dict__,
                "status": MilestoneStatus.COMPLETE,
                "completed_on": date(2026, 1, 30),
            }
        )
    )
    (result,) = service.evaluate(pack_ids=["mhwp_training"])
    findings = {f.label: f for f in result.rules[0].findings}
    assert findings["Induction and university teaching started"].status is Status.MET
    assert "overdue" in findings["First supervised caseload"].explanation  # due 5 Apr 2026


def test_badges_name_the_most_pressing_shortfall(logbook: Logbook, service: RequirementService):
    _profile(logbook, followed_packs=("nhs_tt_pwp",))
    logbook.records.create_many(
        [
            SupervisionSession(date=date(2026, 11, 2) - timedelta(days=7 * n), duration_minutes=30)
            for n in range(8)
        ]
    )
    (badge,) = service.badges()
    assert badge.status is Status.NOT_YET_MET
    assert badge.headline == "Not yet met: 2 of 2 rules"
    assert badge.detail.startswith("Weekly individual case-management supervision")
    assert "short" in badge.detail


def test_a_pathway_with_stages_to_come_is_not_yet_met_and_says_how_far(
    logbook: Logbook, service: RequirementService
):
    """Peer-support induction, three of six trainings done: never "criteria met"."""
    _profile(logbook)
    service.follow(["peer_support_induction"])
    service.start_pathway("peer_support_induction", "induction-training", date(2026, 9, 1))
    stages = sorted(logbook.records.all(K.MILESTONE), key=lambda m: m.sequence)  # type: ignore[attr-defined]
    for stage in stages[:3]:
        logbook.records.update(
            replace(stage, status=MilestoneStatus.COMPLETE, completed_on=date(2026, 10, 1))
        )

    [badge] = service.badges()

    assert badge.status is Status.NOT_YET_MET
    assert badge.headline == "3 of 6 reached: not yet met"
    assert badge.progress == "3 of 6 reached"

    for stage in sorted(logbook.records.all(K.MILESTONE), key=lambda m: m.sequence)[3:]:  # type: ignore[attr-defined]
        logbook.records.update(
            replace(stage, status=MilestoneStatus.COMPLETE, completed_on=date(2026, 11, 1))
        )
    [done] = service.badges()
    assert (done.status, done.headline) == (Status.MET, "6 of 6 reached: criteria met")
