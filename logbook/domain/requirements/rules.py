"""Running the rule checks: one rule or a whole pack against the logbook's records, with the
registration cycle worked out and each rule's status summed up.

Each rule kind's check lives with its family (``totals``, ``periods``, ``gaps``, ``spans``,
``milestones``) and is found through ``registry``; none raises for a shortfall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from logbook.domain.findings import Finding, Granularity, PackResult, RuleResult, Status
from logbook.domain.periods import ALL_TIME, Period, add_months
from logbook.domain.records import Record, Registration
from logbook.domain.requirements import text
from logbook.domain.requirements.checking import (
    DEFAULT_SETTINGS,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    Outcome,
    plain,
)
from logbook.domain.requirements.evidence import Evidence
from logbook.domain.requirements.model import Pack, PackSettings, Rule, RuleParams
from logbook.domain.requirements.registry import kind_of


def rule_status(findings: Iterable[Finding]) -> Status:
    """Not yet met if any ended period fell short (or the only figure is still short); met if
    something was checked and nothing fell short; otherwise nothing to check.

    A shortfall in a period still running (this month) does not undo earlier months.
    """
    findings = list(findings)
    short = [f for f in findings if f.status is NOT_MET]
    if any(not f.in_progress for f in short):
        return NOT_MET
    settled = [
        f for f in findings if f.status is MET or (f.status is NOT_MET and not f.in_progress)
    ]
    if short and not settled:
        return NOT_MET
    if any(f.status is MET for f in findings):
        return MET
    return NOT_MET if short else NOT_APPLICABLE


def milestones_status(findings: Iterable[Finding]) -> Status:
    """A pathway's milestones are met when every required one is reached: one still to come
    keeps the rule not yet met (unlike a period still running, it is part of the answer)."""
    findings = list(findings)
    if any(f.status is NOT_MET for f in findings):
        return NOT_MET
    return MET if any(f.status is MET for f in findings) else NOT_APPLICABLE


def milestones_reached(findings: Iterable[Finding]) -> tuple[int, int]:
    """(reached, required) milestones of a milestone rule's findings."""
    counted = [f for f in findings if f.status in (MET, NOT_MET) and f.unit != "routes"]
    return sum(1 for f in counted if f.status is MET), len(counted)


def evaluate_rule(rule: Rule, evidence: Evidence, ctx: Context) -> RuleResult:
    """Check one rule and return its findings with its source."""
    kind = kind_of(rule.params)
    outcome = kind.check(rule.params, evidence, ctx, rule.id)
    granularity = kind.granularity_of(rule.params)
    status = milestones_status if granularity is Granularity.MILESTONE else rule_status
    return RuleResult(
        rule_id=rule.id,
        title=rule.title,
        description=rule.description,
        source_title=rule.source.title,
        source_url=rule.source.url,
        checked_on=rule.source.checked_on,
        status=status(outcome.findings),
        findings=outcome.findings,
        projection=outcome.projection,
        kind=rule.kind,
        granularity=granularity,
        unit=outcome.unit,
        window=outcome.window,
        optional=rule.optional,
        basis=outcome.basis,
    )


def resolve_cycle(
    pack: Pack,
    settings: PackSettings,
    today: date,
    requested: Period = ALL_TIME,
    registrations: Iterable[Registration] = (),
) -> tuple[Period | None, str, bool]:
    """The cycle holding the last day asked for, a note saying how it was chosen, and whether
    it is only assumed (no cycle start or renewal date known).

    In order: the cycle start in the pack settings; the renewal date of a registration with the
    pack's body; otherwise the ``cycle_years`` up to the day checked (an assumption, said so).
    """
    cycle, note, assumed, _start = _cycle_of(pack, settings, today, requested, registrations)
    return cycle, note, assumed


def _cycle_of(
    pack: Pack,
    settings: PackSettings,
    today: date,
    requested: Period,
    registrations: Iterable[Registration],
) -> tuple[Period | None, str, bool, date | None]:
    """``resolve_cycle`` and the known cycle start the cycles are counted from (None when
    assumed)."""
    years = pack.cycle_years
    if not years:
        return None, "", False, None
    reference = min(requested.end or today, today)
    months = 12 * years
    if settings.cycle_start is not None:
        base = settings.cycle_start
        how = "from the cycle start in the pack settings"
    else:
        renewal = next(
            (
                r.renewal_date
                for r in registrations
                if r.renewal_date is not None and _same_body(r.body, pack.body)
            ),
            None,
        )
        if renewal is None:
            start = add_months(reference, -months) + timedelta(days=1)
            return (
                Period(start, reference),
                f"No cycle start is set, so the cycle is taken as the {years} years to "
                f"{text.day(reference)}. Set the cycle start in the pack settings.",
                True,
                None,
            )
        base = add_months(renewal, -months)
        how = f"ending the day before your {pack.body} renewal date"
    cycle = _cycle_holding(reference, base, months)
    return cycle, f"Cycle {text.span(cycle)} ({how}).", False, base


def _cycle_holding(day: date, base: date, months: int) -> Period:
    """The cycle of ``months`` counted from ``base`` (by whole cycles) that holds ``day``."""
    # Jump close first: a cycle start set decades away must not loop for long.
    steps = ((day.year - base.year) * 12 + day.month - base.month) // months
    start = add_months(base, steps * months)
    while day < start:
        steps -= 1
        start = add_months(base, steps * months)
    while add_months(base, (steps + 1) * months) <= day:
        steps += 1
        start = add_months(base, steps * months)
    return Period(start, add_months(base, (steps + 1) * months) - timedelta(days=1))


def cycles_shown(
    current: Period, base: date | None, months: int, requested: Period, first_day: date
) -> tuple[Period, ...]:
    """The cycles a check shows: those that overlap the period asked for or, when no start is
    asked, the current one and (after a renewal date) the one that ended before it; never a
    cycle that ended before the first recorded day."""
    assert current.start is not None
    cycles = [current]
    if base is not None:
        earliest = requested.start
        if earliest is None:
            earliest = current.start - timedelta(days=1)  # the cycle that ended before it
        while cycles[0].start is not None and cycles[0].start > earliest:
            before = _cycle_holding(cycles[0].start - timedelta(days=1), base, months)
            cycles.insert(0, before)
    return tuple(c for c in cycles if c.end is not None and c.end >= first_day)


def _same_body(a: str, b: str) -> bool:
    return plain(a) == plain(b) or (plain(b).startswith(plain(a)) and bool(plain(a)))


def evaluate_pack(
    pack: Pack,
    evidence: Evidence,
    settings: PackSettings = DEFAULT_SETTINGS,
    requested: Period = ALL_TIME,
) -> PackResult:
    """Check every rule of ``pack`` against ``evidence``; never raises for a shortfall."""
    today = evidence.today
    if settings.qualified_on is None and evidence.profile is not None:
        settings = replace(settings, qualified_on=evidence.profile.qualified_on)
    registrations = evidence.profile.registrations if evidence.profile else ()
    cycle, cycle_note, assumed, base = _cycle_of(pack, settings, today, requested, registrations)
    recorded = evidence.recorded_period()
    assert recorded.start is not None
    cycles = None
    if cycle is not None and pack.cycle_years:
        months = 12 * pack.cycle_years
        cycles = cycles_shown(cycle, base, months, requested, recorded.start)
    ctx = Context(today, settings, requested, recorded, cycle, assumed, cycles, base)
    results = tuple(evaluate_rule(rule, evidence, ctx) for rule in pack.rules)
    statuses = {r.status for r in results if not r.optional}
    status = NOT_MET if NOT_MET in statuses else MET if MET in statuses else NOT_APPLICABLE
    notes = [cycle_note] if cycle_note else []
    if settings.working_fraction < 1:
        notes.append(f"Working pattern: {settings.working_fraction:g} of full time.")
    if settings.leave:
        notes.append("Leave: " + "; ".join(text.span(spell) for spell in settings.leave) + ".")
    checked = max((r.checked_on for r in results), default=None)
    return PackResult(
        pack_id=pack.id,
        title=pack.title,
        status=status,
        rules=results,
        body=pack.body,
        checked_on=checked,
        period=Period(ctx.start, ctx.end) if ctx.start <= ctx.end else None,
        notes=tuple(notes),
        not_checked=pack.not_checked,
    )


def check_rule(
    rule: Rule,
    records: Iterable[Record],
    *,
    today: date,
    settings: PackSettings = DEFAULT_SETTINGS,
    requested: Period = ALL_TIME,
    cycle: Period | None = None,
    anchor: date | None = None,
) -> list[Finding]:
    """The findings of one rule over ``records``: the engine as one pure function.

    ``anchor`` is where the rule's grid is counted from when ``records`` are only part of the
    logbook (otherwise the cycle start, else the first of ``records``).
    """
    evidence = Evidence(records, today)
    if settings.qualified_on is None and evidence.profile is not None:
        settings = replace(settings, qualified_on=evidence.profile.qualified_on)
    recorded = evidence.recorded_period()
    if anchor is not None:
        recorded = Period(min(anchor, recorded.start or anchor), recorded.end)
    ctx = Context(today, settings, requested, recorded, cycle, cycle_anchor=anchor)
    return list(evaluate_rule(rule, evidence, ctx).findings)


__all__ = [
    "Context",
    "Outcome",
    "RuleParams",
    "check_rule",
    "evaluate_pack",
    "evaluate_rule",
    "resolve_cycle",
    "rule_status",
]
