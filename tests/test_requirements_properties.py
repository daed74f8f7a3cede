"""Properties of the engine that must hold for any logbook, checked with generated records."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from logbook.domain.choices import (
    PracticeActivity,
    Setting,
    SupervisionFormat,
    SupervisionType,
)
from logbook.domain.findings import Status
from logbook.domain.periods import Period
from logbook.domain.records import CpdActivity, PracticeEntry, Record, SupervisionSession
from logbook.domain.requirements import Evidence, PackSettings, evaluate_pack
from logbook.domain.requirements.loader import load_pack
from logbook.resources import resource_path

TODAY = date(2026, 3, 15)
FIRST = date(2025, 1, 1)
DAYS = (TODAY - FIRST).days

# Packs whose rules count supervision period by period, plus ones with totals, gaps and shares.
PACKS = [
    load_pack(resource_path("packs", f"{name}.toml"), shipped=True)
    for name in (
        "bacp_accreditation",
        "bacp_student",
        "nhs_tt_pwp",
        "cwp_emhp",
        "babcp_accreditation",
        "nmc_revalidation",
        "hcpc_cpd",
    )
]
SETTINGS = PackSettings(
    qualified_on=date(2025, 6, 1),
    working_fraction=0.8,
    leave=(Period(date(2025, 8, 4), date(2025, 8, 22)),),
)

days = st.integers(min_value=0, max_value=DAYS)

supervision = st.builds(
    lambda offset, minutes, size, kind, live, setting: SupervisionSession(
        date=FIRST + timedelta(days=offset),
        duration_minutes=minutes,
        format=SupervisionFormat.GROUP if size else SupervisionFormat.INDIVIDUAL,
        group_size=size or None,
        supervision_type=kind,
        live=live,
        setting=setting,
    ),
    days,
    st.sampled_from([30, 45, 50, 60, 90, 120]),
    st.sampled_from([0, 0, 0, 2, 3, 4, 5, 8]),
    st.sampled_from(list(SupervisionType)),
    st.booleans(),
    st.sampled_from([None, Setting.PRIMARY_CARE, Setting.PRISON]),
)
practice = st.builds(
    lambda offset, minutes, activity, dna, setting: PracticeEntry(
        date=FIRST + timedelta(days=offset),
        duration_minutes=minutes,
        activity=activity,
        did_not_attend=dna,
        setting=setting,
    ),
    days,
    st.sampled_from([50, 60, 90]),
    st.sampled_from(list(PracticeActivity)),
    st.booleans(),
    st.sampled_from([Setting.PRIMARY_CARE, Setting.PRISON]),
)
cpd = st.builds(
    lambda offset, minutes, participatory: CpdActivity(
        start_date=FIRST + timedelta(days=offset),
        title="CPD",
        duration_minutes=minutes,
        participatory=participatory,
    ),
    days,
    st.sampled_from([60, 180, 420]),
    st.booleans(),
)
logbooks = st.lists(st.one_of(supervision, practice, practice, cpd), min_size=0, max_size=60)


def check(records: list[Record]) -> list[object]:
    evidence = Evidence(records, TODAY)
    return [evaluate_pack(pack, evidence, SETTINGS) for pack in PACKS]


@settings(max_examples=40, deadline=None)
@given(logbooks, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_entry_order(records: list[Record], shuffle: random.Random):
    reordered = list(records)
    shuffle.shuffle(reordered)
    assert check(records) == check(reordered)
    assert check(records) == check(list(reversed(records)))


@settings(max_examples=40, deadline=None)
@given(logbooks, supervision)
def test_adding_supervision_never_unmeets_a_period(
    records: list[Record], extra: SupervisionSession
):
    before = check(records)
    after = check([*records, extra])
    for pack_before, pack_after in zip(before, after, strict=True):
        for rule_before, rule_after in zip(pack_before.rules, pack_after.rules, strict=True):  # type: ignore[attr-defined]
            # Findings about one window (each setting covered) share its period: the label
            # tells them apart.
            was_met = {
                (f.period, f.label): f for f in rule_before.findings if f.status is Status.MET
            }
            for finding in rule_after.findings:
                if (finding.period, finding.label) in was_met:
                    assert finding.status is Status.MET, (
                        f"{pack_after.pack_id}/{rule_after.rule_id} {finding.label}: "  # type: ignore[attr-defined]
                        f"met before adding supervision on {extra.date}, not after"
                    )


ALL_PACKS = [
    load_pack(path, shipped=True) for path in sorted(resource_path("packs").glob("*.toml"))
]
dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))
pack_settings = st.builds(
    PackSettings,
    cycle_start=st.none() | dates,
    qualified_on=st.none() | dates,
    working_fraction=st.sampled_from([0.2, 0.5, 0.8, 1.0]),
    leave=st.lists(
        st.tuples(dates, st.integers(0, 120)).map(
            lambda t: Period(t[0], t[0] + timedelta(days=t[1]))
        ),
        max_size=2,
    ).map(tuple),
)
requested = st.one_of(
    st.just(Period()),
    st.tuples(dates, st.integers(0, 800)).map(lambda t: Period(t[0], t[0] + timedelta(days=t[1]))),
    dates.map(lambda d: Period(None, d)),
    dates.map(lambda d: Period(d, None)),
)


@settings(max_examples=60, deadline=None)
@given(logbooks, pack_settings, requested)
def test_any_settings_and_period_give_findings_not_errors(
    records: list[Record], chosen: PackSettings, period: Period
):
    evidence = Evidence(records, TODAY)
    for pack in ALL_PACKS:
        result = evaluate_pack(pack, evidence, chosen, period)
        assert result.status in set(Status)
        for rule in result.rules:
            for finding in rule.findings:
                assert finding.explanation
                assert "compliant" not in finding.explanation.lower()
