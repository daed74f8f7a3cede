"""The rule engine: pure functions from records, rule parameters and settings to findings.

Each rule kind has one ``check_*`` function ``(params, evidence, context, rule_id) -> Outcome``.
None of them raises for a shortfall: a shortfall is a finding that says which period, what was
required, what was recorded, which entries counted, how group time was credited and what would
close the gap. ``evaluate_pack`` runs every rule of a pack and sums up.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any

from logbook.domain.choices import MilestoneStatus, PathwayKind
from logbook.domain.findings import Finding, PackResult, RuleResult, Status
from logbook.domain.periods import ALL_TIME, Period, add_months
from logbook.domain.records import (
    Milestone,
    Pathway,
    Record,
    RecordKind,
    Registration,
)
from logbook.domain.requirements import text
from logbook.domain.requirements.calendar import PERIOD_DAYS, cut, days_in, intersect
from logbook.domain.requirements.evidence import Evidence, Selection
from logbook.domain.requirements.model import (
    AverageParams,
    CoverageParams,
    EveryPeriodParams,
    GapParams,
    MilestonesParams,
    MilestoneSpec,
    Pack,
    PackSettings,
    PerItemParams,
    RatioParams,
    Rule,
    RuleParams,
    Selector,
    SpanParams,
    TimingParams,
    TotalParams,
    Window,
)

EPSILON = 1e-9
PROJECTION_MONTHS = 6
MET, NOT_MET, NOT_APPLICABLE = Status.MET, Status.NOT_YET_MET, Status.NOT_APPLICABLE
DEFAULT_SETTINGS = PackSettings()


@dataclass(frozen=True)
class Context:
    """What a check needs besides the records: the day, the settings and the periods.

    Attributes:
        today: The day of the check; later periods are not checked, the current one is
            "in progress".
        requested: The period asked for (either end may be open).
        recorded: From the first recorded activity to today.
        cycle: The registration or revalidation cycle, for packs that have one.
        cycle_assumed: No cycle start or renewal date is known, so ``cycle`` is just the cycle's
            length up to today (it has no real deadline).
    """

    today: date
    settings: PackSettings = DEFAULT_SETTINGS
    requested: Period = ALL_TIME
    recorded: Period | None = None
    cycle: Period | None = None
    cycle_assumed: bool = False

    @property
    def start(self) -> date:
        if self.requested.start is not None:
            return self.requested.start
        if self.recorded is not None and self.recorded.start is not None:
            return self.recorded.start
        return self.today

    @property
    def end(self) -> date:
        return self.requested.end or self.today

    @property
    def anchor(self) -> date:
        """Where fortnights are counted from."""
        return self.settings.cycle_start or self.start


@dataclass(frozen=True)
class Outcome:
    """What a check produced: findings, an optional projection and the window looked at."""

    findings: tuple[Finding, ...]
    window: Period | None = None
    projection: str = ""
    unit: str = ""


# --- windows and settings ----------------------------------------------------------------------


def resolve_window(window: Window, ctx: Context) -> tuple[Period | None, str]:
    """The period a window covers, or None with the reason it cannot be worked out."""
    end = ctx.end
    q = ctx.settings.qualified_on
    if window.kind == "cycle":
        if ctx.cycle is None:
            return None, "This pack has no cycle."
        return ctx.cycle, ""
    if window.kind == "rolling":
        months = window.months or 12
        return Period(add_months(end, -months) + timedelta(days=1), end), ""
    if window.kind == "since_qualification":
        if q is None:
            return None, "Set your qualification date in the pack settings to check this."
        return Period(q, max(q, end)), ""
    if window.kind == "until_qualification":
        if q is None:
            return None, "Set your qualification date in the pack settings to check this."
        return Period(min(ctx.start, q), max(min(ctx.start, q), q - timedelta(days=1))), ""
    return Period(min(ctx.start, end), end), ""


def between(start: date | None, end: date | None) -> Period:
    """A period from ``start`` to ``end``, never ending before it starts (an empty stretch
    shrinks to its first day) so odd settings give findings, not errors."""
    if start is not None and end is not None and end < start:
        return Period(start, start)
    return Period(start, end)


def _nothing_yet(rule_id: str, window: Period, unit: str) -> Finding:
    return Finding(
        rule_id,
        NOT_APPLICABLE,
        window,
        None,
        None,
        unit,
        f"Nothing to check yet: {text.span(window)} has not started.",
        label=text.span(window),
    )


def pro_rata_factor(settings: PackSettings, full_from: float) -> float:
    """The share of a full-time requirement that applies to a part-time working pattern.

    ``full_from`` is the working fraction from which the full requirement applies: 1.0 scales
    every part-time pattern; 0.5 asks the full amount of anyone working half time or more and
    scales below that (0.4 of full time → 0.4 / 0.5 = 80 %).
    """
    fraction = max(0.0, min(1.0, settings.working_fraction))
    if full_from <= 0:
        return 1.0
    return min(1.0, fraction / full_from)


def _pro_rata_text(factor: float, settings: PackSettings) -> str:
    if factor >= 1:
        return ""
    return (
        f" (pro rata: working pattern {settings.working_fraction:g} of full time, "
        f"so {factor:.0%} of the full-time figure)"
    )


def _is_met(actual: float, required: float) -> bool:
    return actual + EPSILON >= required


def _list_credits(selection: Selection, lo: int, hi: int) -> str:
    notes = [
        f"{text.short_day(selection.day(i))}: {selection.notes[i]}" for i in selection.noted(lo, hi)
    ]
    if not notes:
        return ""
    if len(notes) > 6:
        notes = [*notes[:6], f"… and {len(notes) - 6} more"]
    return " Credited: " + "; ".join(notes) + "."


def _entries_text(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"


# --- totals ------------------------------------------------------------------------------------


def check_total(p: TotalParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """A total in a window, with an optional minimum share from a narrower selection."""
    window, why = resolve_window(p.window, ctx)
    unit = p.count.unit
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),))
    sel = ev.select(p.count)
    lo, hi = sel.bounds(window)
    actual = sel.total(lo, hi)
    in_progress = window.end is not None and window.end >= ctx.today
    noun = p.count.noun
    explanation = (
        f"{text.cap(text.quantity(actual, p.count))} in {p.window.describe()} "
        f"({text.span(window)}), from {_entries_text(hi - lo)}; at least "
        f"{text.target(p.minimum, unit)} needed."
    )
    explanation += _excluded(sel, window)
    gaps = []
    if not _is_met(actual, p.minimum):
        gaps.append(f"{text.amount(p.minimum - actual, unit)} more {noun}")
    share_met = True
    if p.share is not None:
        share_sel = ev.select(p.share.count) if p.share.count else sel
        share_window: Period | None = window
        if p.share.after_qualification:
            q = ctx.settings.qualified_on
            share_window = None if q is None else intersect(window, between(q, window.end))
        if p.share.after_qualification and ctx.settings.qualified_on is None:
            share_met = False
            explanation += (
                f" {text.cap(p.share.label)}: set your qualification date in the pack "
                "settings to check this."
            )
            gaps.append("your qualification date in the pack settings")
        else:
            share_actual = share_sel.total_in(share_window) if share_window else 0.0
            share_met = _is_met(share_actual, p.share.minimum)
            explanation += (
                f" Of these, {text.amount(share_actual, unit)} {p.share.label} "
                f"(at least {text.target(p.share.minimum, unit)} needed)."
            )
            if not share_met:
                gaps.append(
                    f"{text.amount(p.share.minimum - share_actual, unit)} more {p.share.label}"
                )
    met = _is_met(actual, p.minimum) and share_met
    explanation += _list_credits(sel, lo, hi)
    to_close = ""
    # A cycle ends on a fixed day; a rolling window moves on with time and has no deadline.
    real_cycle = p.window.kind == "cycle" and not ctx.cycle_assumed
    deadline_day = window.end if real_cycle and in_progress else None
    if not met:
        deadline = f" by {text.day(deadline_day)}" if deadline_day else ""
        to_close = " and ".join(gaps) + deadline + "."
        to_close = to_close[0].upper() + to_close[1:]
    finding = Finding(
        rule_id=rule_id,
        status=MET if met else NOT_MET,
        period=window,
        required=p.minimum,
        actual=round(actual, 4),
        unit=unit,
        explanation=explanation,
        to_close_gap=to_close,
        entries=sel.uids(lo, hi),
        label=text.span(window),
        in_progress=in_progress and not met,
        credits=sel.credits(lo, hi),
    )
    projection = ""
    if not _is_met(actual, p.minimum) and in_progress:
        projection = project(sel, p.minimum - actual, p.minimum, ctx, deadline_day)
    return Outcome((finding,), window, projection, unit)


def _excluded(sel: Selection, window: Period) -> str:
    """What did not count in ``window`` and why (e.g. assessment-only work for BACP)."""
    reasons = sel.excluded_text(window)
    return f" {reasons}" if reasons else ""


def project(
    sel: Selection, remaining: float, target: float, ctx: Context, deadline: date | None
) -> str:
    """When a total will be reached at the average of the last six complete months."""
    this_month = ctx.today.replace(day=1)
    recent = Period(add_months(this_month, -PROJECTION_MONTHS), this_month - timedelta(days=1))
    rate = sel.total_in(recent) / PROJECTION_MONTHS
    unit = sel.selector.unit
    goal = text.target(target, unit)
    if sel.selector.measure == "distinct":
        return ""
    if rate <= EPSILON:
        return (
            f"Nothing was recorded in the last {PROJECTION_MONTHS} months, so at that rate "
            f"the target of {goal} will not be reached ({text.amount(remaining, unit)} more "
            "needed)."
        )
    months = math.ceil(remaining / rate - EPSILON)
    reached = add_months(this_month, months)
    sentence = (
        f"At your average of the last {PROJECTION_MONTHS} months "
        f"({text.amount(rate, unit)} a month), {goal} will be reached in {text.month(reached)}."
    )
    if deadline is not None and reached > deadline:
        months_left = max(
            1, (deadline.year - ctx.today.year) * 12 + deadline.month - ctx.today.month + 1
        )
        sentence += (
            f" That is after {text.day(deadline)}: about "
            f"{text.amount(remaining / months_left, unit)} a month would be needed to get there "
            "in time."
        )
    return sentence


def _cannot_check(rule_id: str, ctx: Context, why: str, unit: str) -> Finding:
    return Finding(
        rule_id=rule_id,
        status=NOT_MET,
        period=Period(ctx.start, ctx.end) if ctx.start <= ctx.end else Period(ctx.end, ctx.end),
        required=None,
        actual=None,
        unit=unit,
        explanation=f"This cannot be checked yet. {why}",
        to_close_gap=why,
        label="settings needed",
        in_progress=True,
    )


# --- every period, no averaging ----------------------------------------------------------------


def check_every_period(p: EveryPeriodParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """A minimum in every week, fortnight, month or year, each period on its own."""
    unit = p.count.unit
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),), unit=unit)
    span: Period | None = window
    q = ctx.settings.qualified_on
    limits = (p.from_months_after_qualification, p.until_months_after_qualification)
    if limits != (None, None):
        if q is None:
            why = "Set your qualification date in the pack settings to check this."
            return Outcome((_cannot_check(rule_id, ctx, why, unit),), unit=unit)
        first = add_months(q, limits[0] or 0)
        last = add_months(q, limits[1]) - timedelta(days=1) if limits[1] is not None else None
        span = intersect(window, between(first, last or window.end))
    if span is None:
        return Outcome((_not_applicable_window(rule_id, window, unit, limits, q),), window)
    sel = ev.select(p.count)
    factor = pro_rata_factor(ctx.settings, p.full_from_fraction) if p.pro_rata else 1.0
    required = p.minimum * factor
    periods = [x for x in cut(span, p.every, ctx.anchor) if x.start and x.start <= ctx.today]
    active = _active_periods(ev, p.only_when, periods) if p.only_when else None
    findings = []
    for index, period in enumerate(periods):
        findings.append(
            _periodic_finding(
                p, sel, ctx, rule_id, period, required, factor, active, index, p.exclude_leave
            )
        )
    return Outcome(tuple(findings), span, unit=unit)


def _not_applicable_window(
    rule_id: str, window: Period, unit: str, limits: tuple[int | None, int | None], q: date | None
) -> Finding:
    when = ""
    if q is not None and limits[0] is not None:
        when = f" It applies from {text.day(add_months(q, limits[0]))}"
        if limits[1] is not None:
            when += f" to {text.day(add_months(q, limits[1]) - timedelta(days=1))}"
        when += "."
    return Finding(
        rule_id=rule_id,
        status=NOT_APPLICABLE,
        period=window,
        required=None,
        actual=None,
        unit=unit,
        explanation=f"This rule does not apply to the period checked.{when}",
        label=text.span(window),
    )


def _active_periods(ev: Evidence, only_when: Selector, periods: list[Period]) -> list[bool]:
    """Which periods hold at least one ``only_when`` record (e.g. months with practice)."""
    sel = ev.select(only_when)
    flags = [sel.any_in(period) for period in periods]
    # Records lasting several days (a course, a retreat) also cover the periods they run into.
    long_ones = [(s, e) for s, e in zip(sel.starts, sel.ends, strict=True) if e > s]
    if long_ones:
        starts = [p.start.toordinal() for p in periods if p.start]
        for first, last in long_ones:
            index = max(0, bisect_right(starts, first) - 1)
            while index < len(starts) and starts[index] <= last:
                end = periods[index].end
                if end is not None and end.toordinal() >= first:
                    flags[index] = True
                index += 1
    return flags


def _periodic_finding(
    p: EveryPeriodParams,
    sel: Selection,
    ctx: Context,
    rule_id: str,
    period: Period,
    required: float,
    factor: float,
    active: list[bool] | None,
    index: int,
    exclude_leave: bool,
) -> Finding:
    assert period.start is not None
    assert period.end is not None
    unit = p.count.unit
    label = text.period_label(period, p.every)
    in_progress = period.end >= ctx.today
    noun = p.count.noun
    if exclude_leave and ctx.settings.leave:
        leave = ctx.settings.leave_days(period)
        if leave * 2 >= days_in(period):
            return Finding(
                rule_id,
                NOT_APPLICABLE,
                period,
                required,
                None,
                unit,
                f"{text.cap(label)}: on leave for {leave} of {days_in(period)} days, so "
                "this period is not checked.",
                label=label,
            )
    if active is not None and not active[index]:
        assert p.only_when is not None
        return Finding(
            rule_id,
            NOT_APPLICABLE,
            period,
            required,
            None,
            unit,
            f"{text.cap(label)}: no {p.only_when.noun} recorded, so nothing is required.",
            label=label,
        )
    lo, hi = sel.bounds(period)
    actual = sel.total(lo, hi)
    met = _is_met(actual, required)
    explanation = (
        f"{text.cap(label)}: {text.quantity(actual, p.count)} from "
        f"{_entries_text(hi - lo)}; {_needed(required, unit, factor, ctx.settings)}."
    )
    if sel.notes:
        explanation += _list_credits(sel, lo, hi)
    to_close = ""
    if not met:
        short = text.amount(required - actual, unit)
        if in_progress:
            to_close = f"{short} more {noun} by {text.day(period.end)} would meet this {p.every}."
        else:
            to_close = (
                f"{short} short. This {p.every} has ended and the rule allows no averaging: "
                f"check for {noun} missing from the logbook, or record leave for this {p.every} "
                "in the pack settings if you were not working."
            )
    return Finding(
        rule_id=rule_id,
        status=MET if met else NOT_MET,
        period=period,
        required=round(required, 4),
        actual=round(actual, 4),
        unit=unit,
        explanation=explanation,
        to_close_gap=to_close,
        entries=sel.uids(lo, hi),
        label=label,
        in_progress=in_progress and not met,
        credits=sel.credits(lo, hi) if sel.notes else (),
    )


@lru_cache(maxsize=1024)
def _needed(required: float, unit: str, factor: float, settings: PackSettings) -> str:
    """ "at least 1.5 hours needed (pro rata …)", the same for every period of a rule."""
    return f"at least {text.target(required, unit)} needed{_pro_rata_text(factor, settings)}"


# --- averages ----------------------------------------------------------------------------------


def check_average(p: AverageParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """An average per week, fortnight or month, checked for each calendar year on its own."""
    unit = p.count.unit
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),), unit=unit)
    sel = ev.select(p.count)
    factor = pro_rata_factor(ctx.settings, p.full_from_fraction) if p.pro_rata else 1.0
    per = PERIOD_DAYS[p.every]
    findings = []
    for year in cut(window, "year", ctx.anchor):
        part = intersect(year, window)
        if part is None or part.start is None or part.start > ctx.today:
            continue
        assert part.end is not None
        checked = Period(part.start, min(part.end, ctx.today))
        leave = ctx.settings.leave_days(checked)
        days = days_in(checked) - leave
        in_progress = part.end >= ctx.today
        label = f"{year.start.year if year.start else ''}{' so far' if in_progress else ''}"
        if days <= 0:
            findings.append(
                Finding(
                    rule_id,
                    NOT_APPLICABLE,
                    checked,
                    None,
                    None,
                    unit,
                    f"{label}: on leave throughout.",
                    label=label,
                )
            )
            continue
        periods = days / per
        required = p.minimum * periods * factor
        lo, hi = sel.bounds(checked)
        actual = sel.total(lo, hi)
        met = _is_met(actual, required)
        average = actual / periods
        explanation = (
            f"{text.cap(label)}: {text.quantity(actual, p.count)} over "
            f"{periods:.1f} {p.every}s ({text.span(checked)}"
            f"{f', less {leave} days of leave' if leave else ''}), an average of "
            f"{text.amount(average, unit)} per {p.every}; an average of at least "
            f"{text.target(p.minimum * factor, unit)} is needed"
            f"{_pro_rata_text(factor, ctx.settings)}."
        )
        to_close = ""
        if not met:
            to_close = (
                f"{text.amount(required - actual, unit)} more {p.count.noun} "
                f"{'so far this year ' if in_progress else ''}would bring the average up to "
                f"{text.target(p.minimum * factor, unit)} per {p.every}."
            )
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                checked,
                round(required, 4),
                round(actual, 4),
                unit,
                explanation + _list_credits(sel, lo, hi),
                to_close,
                sel.uids(lo, hi),
                label=label,
                in_progress=in_progress and not met,
                credits=sel.credits(lo, hi),
            )
        )
    return Outcome(tuple(findings), window, unit=unit)


# --- ratios ------------------------------------------------------------------------------------


def required_for(p: RatioParams, practice: float) -> tuple[float, str]:
    """Supervision needed for ``practice`` hours: by ratio or by tier, never below the floor."""
    if p.tiers:
        for tier in p.tiers:
            if tier.up_to is None or practice <= tier.up_to + EPSILON:
                how = (
                    f"up to {tier.up_to:g} hours of practice need {tier.minimum:g}"
                    if tier.up_to is not None
                    else f"more practice needs {tier.minimum:g}"
                )
                return max(tier.minimum, p.minimum), how
        last = p.tiers[-1]
        return max(last.minimum, p.minimum), f"the top tier needs {last.minimum:g}"
    needed = practice * p.numerator / p.denominator
    how = f"{p.numerator:g} hour per {p.denominator:g} hours of practice"
    if p.minimum and needed < p.minimum:
        return p.minimum, f"{how}, and at least {p.minimum:g}"
    return needed, how


def check_ratio(p: RatioParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Supervision in proportion to practice, period by period or over the whole window."""
    unit = p.count.unit
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),), unit=unit)
    sel = ev.select(p.count)
    per = ev.select(p.per)
    periods = (
        [x for x in cut(window, p.every, ctx.anchor) if x.start and x.start <= ctx.today]
        if p.every
        else [window]
    )
    findings = []
    for period in periods:
        assert period.start is not None
        assert period.end is not None
        label = text.period_label(period, p.every) if p.every else text.span(window)
        in_progress = period.end >= ctx.today
        plo, phi = per.bounds(period)
        practice = per.total(plo, phi)
        if practice <= EPSILON:
            findings.append(
                Finding(
                    rule_id,
                    NOT_APPLICABLE,
                    period,
                    None,
                    0.0,
                    unit,
                    f"{text.cap(label)}: no {p.per.noun} recorded, so nothing is required.",
                    label=label,
                )
            )
            continue
        required, how = required_for(p, practice)
        lo, hi = sel.bounds(period)
        actual = sel.total(lo, hi)
        met = _is_met(actual, required)
        explanation = (
            f"{text.cap(label)}: {text.quantity(practice, p.per)} "
            f"need {text.quantity(required, p.count)} ({how}); "
            f"{text.amount(actual, unit)} recorded from {_entries_text(hi - lo)}."
        )
        to_close = ""
        if not met:
            to_close = f"{text.amount(required - actual, unit)} more {p.count.noun}"
            to_close += f" by {text.day(period.end)}." if in_progress else " in this period."
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                period,
                round(required, 4),
                round(actual, 4),
                unit,
                explanation + _list_credits(sel, lo, hi),
                to_close,
                sel.uids(lo, hi) + per.uids(plo, phi),
                label=label,
                in_progress=in_progress and not met,
                credits=sel.credits(lo, hi),
            )
        )
    return Outcome(tuple(findings), window, unit=unit)


# --- gaps --------------------------------------------------------------------------------------


def check_gap(p: GapParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Every stretch without ``count`` records that is too long (leave excepted)."""
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, "days"),))
    assert window.start is not None
    assert window.end is not None
    sel = ev.select(p.count)
    noun = p.count.noun
    start, end = window.start, min(window.end, ctx.today)
    if start > end:
        return Outcome((_nothing_yet(rule_id, window, _gap_unit(p)),), window, unit=_gap_unit(p))
    if p.within is not None:
        inside = ev.select(p.within)
        ilo, ihi = inside.bounds(Period(start, end))
        if ihi <= ilo:
            return Outcome((_nothing_within(rule_id, p, window),), window, unit="days")
        start = max(start, inside.day(ilo))
        end = min(end, date.fromordinal(max(inside.ends[ilo:ihi])))
    lo, hi = sel.bounds(Period(None, end))
    covered = start.toordinal() - 1
    gaps: list[tuple[date, date, bool]] = []
    for i in range(lo, hi):
        first_day, last_day = sel.starts[i], sel.ends[i]
        if last_day <= covered:
            continue
        if first_day > covered + 1:
            gaps.append((date.fromordinal(covered + 1), date.fromordinal(first_day - 1), False))
        covered = max(covered, last_day)
    if covered < end.toordinal():
        # Still open only if it runs up to today; a placement that ended closes it.
        open_now = end >= ctx.today
        gaps.append((date.fromordinal(covered + 1), end, open_now))
    findings = []
    for first, last, trailing in gaps:
        finding = _gap_finding(p, ctx, rule_id, noun, first, last, trailing)
        if finding is not None:
            findings.append(finding)
    if not findings:
        wlo, whi = sel.bounds(Period(start, end))
        findings.append(
            Finding(
                rule_id,
                MET,
                Period(start, end),
                _gap_limit(p),
                None,
                _gap_unit(p),
                f"No {_gap_words(p)} between {noun} from {text.day(start)} to {text.day(end)} "
                f"({_entries_text(whi - wlo)}).",
                entries=sel.uids(wlo, whi),
                label=text.span(Period(start, end)),
            )
        )
    return Outcome(tuple(findings), window, unit=_gap_unit(p))


def _gap_limit(p: GapParams) -> float:
    return float(p.max_gap_months if p.max_gap_months is not None else p.max_gap_days or 0)


def _gap_unit(p: GapParams) -> str:
    return "months" if p.max_gap_months is not None else "days"


def _gap_words(p: GapParams) -> str:
    if p.max_gap_months is not None:
        return f"gap of {p.max_gap_months} months or more"
    return f"gap of more than {p.max_gap_days} days"


def _gap_finding(
    p: GapParams, ctx: Context, rule_id: str, noun: str, first: date, last: date, trailing: bool
) -> Finding | None:
    """A finding for the empty stretch ``first``..``last`` if it is too long, else None."""
    leave = ctx.settings.leave_days(Period(first, last))
    if p.max_gap_months is not None:
        effective_end = last - timedelta(days=leave)
        if effective_end + timedelta(days=1) < add_months(first, p.max_gap_months):
            return None
        length = text.months_between(first, last + timedelta(days=1))
        rule_words = f"A gap of {p.max_gap_months} months or more needs explaining."
    else:
        # Days from one record to the next (the records on either side of the stretch).
        apart = (last - first).days + 2 - leave
        assert p.max_gap_days is not None
        if apart <= p.max_gap_days:
            return None
        length = f"{apart} days between {noun}"
        rule_words = f"At most {p.max_gap_days} days should pass between {noun}."
    leave_note = f", not counting {leave} days of leave" if leave else ""
    explanation = (
        f"No {noun} recorded from {text.day(first)} to {text.day(last)}"
        f"{' (still open)' if trailing else ''}: {length}{leave_note}. {rule_words}"
    )
    to_close = (
        f"Record any {noun} missing from the logbook, or note the reason for the gap (for "
        "example leave or illness); marking leave in the pack settings records it."
    )
    if trailing:
        to_close = f"Record {noun} soon: nothing since {text.day(first)}. " + to_close
    return Finding(
        rule_id,
        NOT_MET,
        Period(first, last),
        _gap_limit(p),
        None,
        _gap_unit(p),
        explanation,
        to_close,
        label=f"gap {text.day(first)} – {text.day(last)}",
        in_progress=trailing,
    )


def _nothing_within(rule_id: str, p: GapParams, window: Period) -> Finding:
    assert p.within is not None
    return Finding(
        rule_id,
        NOT_APPLICABLE,
        window,
        None,
        None,
        _gap_unit(p),
        f"No {p.within.noun} recorded in {text.span(window)}, so nothing is required.",
        label=text.span(window),
    )


# --- timing ------------------------------------------------------------------------------------


def check_timing(p: TimingParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Something done within the final months of the cycle (e.g. NMC confirmation)."""
    unit = p.count.unit
    if ctx.cycle is None or ctx.cycle.end is None:
        return Outcome((_cannot_check(rule_id, ctx, "This pack has no cycle.", unit),))
    cycle_end = ctx.cycle.end
    final = Period(add_months(cycle_end + timedelta(days=1), -p.final_months), cycle_end)
    assert final.start is not None
    sel = ev.select(p.count)
    lo, hi = sel.bounds(final)
    actual = sel.total(lo, hi)
    met = _is_met(actual, p.minimum)
    explanation = (
        f"{text.cap(text.quantity(actual, p.count))} between {text.day(final.start)} and "
        f"{text.day(cycle_end)} (the final {p.final_months} months of the cycle); "
        f"{text.target(p.minimum, unit)} needed."
    )
    early_lo, early_hi = sel.bounds(between(ctx.cycle.start, final.start - timedelta(days=1)))
    if early_hi > early_lo:
        dates = ", ".join(text.day(sel.day(i)) for i in range(early_lo, early_hi))
        explanation += f" Earlier in the cycle ({dates}) does not count for this."
    in_progress = ctx.today <= cycle_end
    to_close = ""
    if not met and ctx.cycle_assumed:
        to_close = (
            "Set the cycle start (or your registration's renewal date) so the final "
            f"{p.final_months} months can be worked out."
        )
    elif not met:
        if ctx.today < final.start:
            to_close = f"Due between {text.day(final.start)} and {text.day(cycle_end)}."
        elif in_progress:
            to_close = f"Arrange this before {text.day(cycle_end)}."
        else:
            to_close = "The cycle has ended without it: contact the body about your renewal."
    finding = Finding(
        rule_id,
        MET if met else NOT_MET,
        final,
        p.minimum,
        actual,
        unit,
        explanation,
        to_close,
        sel.uids(lo, hi),
        label=f"final {p.final_months} months",
        in_progress=in_progress and not met,
    )
    return Outcome((finding,), ctx.cycle, unit=unit)


# --- span --------------------------------------------------------------------------------------


def check_span(p: SpanParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Activity spread over at least ``minimum_months`` (e.g. three years in practice)."""
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, "months"),))
    sel = ev.select(p.count)
    lo, hi = sel.bounds(window)
    noun = p.count.noun
    if hi <= lo:
        finding = Finding(
            rule_id,
            NOT_MET,
            window,
            float(p.minimum_months),
            0.0,
            "months",
            f"No {noun} recorded in {text.span(window)}.",
            f"Record {noun} over at least {p.minimum_months} months.",
            label=text.span(window),
            in_progress=True,
        )
        return Outcome((finding,), window, unit="months")
    first = sel.day(lo)
    last = date.fromordinal(max(sel.ends[lo:hi]))
    needed_until = add_months(first, p.minimum_months) - timedelta(days=1)
    met = last >= needed_until
    months = (last.year - first.year) * 12 + last.month - first.month
    explanation = (
        f"{text.cap(noun)} recorded from {text.day(first)} to {text.day(last)} "
        f"({text.months_between(first, last + timedelta(days=1))}); at least "
        f"{p.minimum_months} months needed."
    )
    to_close = "" if met else f"Keep recording {noun}: the span reaches {p.minimum_months} "
    if not met:
        to_close += f"months on {text.day(needed_until)} at the earliest."
    finding = Finding(
        rule_id,
        MET if met else NOT_MET,
        Period(first, last),
        float(p.minimum_months),
        float(months),
        "months",
        explanation,
        to_close,
        sel.uids(lo, hi),
        label=text.span(window),
        in_progress=not met,
    )
    return Outcome((finding,), window, unit="months")


# --- coverage ----------------------------------------------------------------------------------


def check_coverage(p: CoverageParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Every value of ``field`` in practice (e.g. each work setting) has supervision."""
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, ""),))
    practice, supervision = ev.select(p.count), ev.select(p.by)
    plo, phi = practice.bounds(window)
    slo, shi = supervision.bounds(window)
    get = attrgetter(p.field)
    # map/count/index run in C: this rule looks at every practice entry of the window.
    values = list(map(get, practice.records[plo:phi]))
    used: dict[Any, list[int]] = {}
    backwards = values[::-1]
    for value in set(values):
        first_pos = values.index(value)
        last_pos = len(values) - 1 - backwards.index(value)
        used[value] = [plo + first_pos, plo + last_pos, values.count(value)]
    covering: dict[Any, list[int]] = {}
    for i, value in enumerate(map(get, supervision.records[slo:shi]), start=slo):
        covering.setdefault(value, []).append(i)
    unnamed = covering.get(None, [])
    findings = []
    for value, (first_index, last_index, count) in sorted(used.items(), key=lambda kv: str(kv[0])):
        if value is None:
            continue
        name = _value_label(value)
        own = covering.get(value, [])
        by_default = not own and len(used) == 1 and bool(unnamed)
        met = bool(own) or by_default
        if own:
            how = f"{len(own)} {p.by.noun} session(s) recorded for {name}."
        elif by_default:
            how = (
                f"{len(unnamed)} {p.by.noun} session(s) with no {p.field} recorded, counted for "
                f"{name} because it is your only {p.field}."
            )
        else:
            how = f"No {p.by.noun} recorded for {name}."
        first, last = practice.day(first_index), practice.day(last_index)
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                Period(first, last),
                1.0,
                float(len(own) or (len(unnamed) if by_default else 0)),
                "sessions",
                f"{text.cap(name)}: {_entries_text(count)} of {p.count.noun} from "
                f"{text.day(first)} to {text.day(last)}. {how}",
                ""
                if met
                else f"Record the {p.field} on the {p.by.noun} that covers {name}, or arrange "
                f"{p.by.noun} for it.",
                tuple(supervision.records[i].uid for i in (own or (unnamed if by_default else []))),
                label=name,
            )
        )
    if not findings:
        findings.append(
            Finding(
                rule_id,
                NOT_APPLICABLE,
                window,
                None,
                None,
                "",
                f"No {p.count.noun} recorded in {text.span(window)}.",
                label=text.span(window),
            )
        )
    return Outcome(tuple(findings), window)


def _value_label(value: Any) -> str:
    label = getattr(value, "label", None)
    return str(label if label else value).lower()


# --- per item ----------------------------------------------------------------------------------


def check_per_item(p: PerItemParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """A minimum for each item (e.g. three hours of supervision for each course taught)."""
    unit = p.count.unit
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),))
    items, sel = ev.select(p.items), ev.select(p.count)
    per_item: dict[str, list[int]] = {}
    for i, record in enumerate(sel.records):
        link = getattr(record, p.link_field, None)
        if link:
            per_item.setdefault(link, []).append(i)
    lo, hi = items.bounds(window)
    findings = []
    for k in range(lo, hi):
        item = items.records[k]
        name = str(getattr(item, "title", "") or item.kind.label)
        indexes = per_item.get(item.uid, [])
        actual = sum(sel.amounts[i] for i in indexes)
        met = _is_met(actual, p.minimum)
        period = Period(items.day(k), date.fromordinal(items.ends[k]))
        running = items.ends[k] >= ctx.today.toordinal()
        explanation = (
            f"{name}: {text.quantity(actual, p.count)} linked to it from "
            f"{_entries_text(len(indexes))}; at least {text.target(p.minimum, unit)} needed."
        )
        notes = [f"{text.short_day(sel.day(i))}: {sel.notes[i]}" for i in indexes if i in sel.notes]
        if notes:
            explanation += " Credited: " + "; ".join(notes[:6]) + "."
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                period,
                p.minimum,
                round(actual, 4),
                unit,
                explanation,
                ""
                if met
                else f"{text.amount(p.minimum - actual, unit)} more {p.count.noun} for {name} "
                f"(link the sessions to the {p.items.noun} when you log them).",
                (item.uid, *(sel.records[i].uid for i in indexes)),
                label=name,
                in_progress=running and not met,
                credits=tuple(c for i in indexes for c in sel.credits(i, i + 1)),
            )
        )
    if not findings:
        findings.append(
            Finding(
                rule_id,
                NOT_APPLICABLE,
                window,
                None,
                None,
                unit,
                f"No {p.items.noun} recorded in {text.span(window)}.",
                label=text.span(window),
            )
        )
    return Outcome(tuple(findings), window, unit=unit)


# --- milestones --------------------------------------------------------------------------------


def _normal(title: str) -> str:
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def _matches(spec: MilestoneSpec, milestone: Milestone) -> bool:
    if spec.route is not None and milestone.route is not None:
        return str(milestone.route) == spec.route
    wanted = [_normal(spec.title), *(_normal(a) for a in spec.aliases)]
    have = _normal(milestone.title)
    return any(w and (have == w or have.startswith(w) or w.startswith(have)) for w in wanted)


def check_milestones(p: MilestonesParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Each milestone of the pathway reached, on time and (when asked) in order."""
    kind = PathwayKind(p.pathway_kind)
    pathways = [
        r
        for r in ev.of(RecordKind.PATHWAY)
        if isinstance(r, Pathway) and r.template_key == p.template and r.pathway_kind is kind
    ]
    if not pathways:
        return Outcome(tuple(_no_pathway(p, ctx, rule_id)))
    pathway = max(pathways, key=lambda r: (r.started_on or date.min, r.uid))
    milestones = sorted(
        (
            m
            for m in ev.of(RecordKind.MILESTONE)
            if isinstance(m, Milestone) and m.pathway_uid == pathway.uid
        ),
        key=lambda m: (m.sequence, m.title, m.uid),
    )
    taken: set[str] = set()
    matched: list[Milestone | None] = []
    for spec in p.milestones:
        found = next((m for m in milestones if m.uid not in taken and _matches(spec, m)), None)
        if found is not None:
            taken.add(found.uid)
        matched.append(found)
    findings = []
    if kind is PathwayKind.CONVERSION and p.minimum_routes:
        findings.append(_route_plan(p, matched, pathway, ctx, rule_id))
    latest: tuple[str, date] | None = None
    for spec, milestone in zip(p.milestones, matched, strict=True):
        finding = _milestone_finding(spec, milestone, pathway, ctx, rule_id, kind)
        if p.ordered and milestone is not None and finding.status is MET:
            done_on = milestone.completed_on
            earlier = _earlier_open(p, matched, spec)
            if earlier is not None:
                finding = replace(
                    finding,
                    status=NOT_MET,
                    explanation=finding.explanation
                    + f" It is recorded as complete before '{earlier}', which comes first.",
                    to_close_gap=f"Complete '{earlier}' first, or check the records.",
                )
            elif latest is not None and done_on is not None and done_on < latest[1]:
                finding = replace(
                    finding,
                    status=NOT_MET,
                    explanation=finding.explanation
                    + f" That is before '{latest[0]}' ({text.day(latest[1])}), which comes "
                    "first.",
                    to_close_gap="Check the completion dates: the stages follow in order.",
                )
            if done_on is not None and (latest is None or done_on > latest[1]):
                latest = (spec.title, done_on)
        findings.append(finding)
    return Outcome(tuple(findings), between(pathway.started_on, ctx.today))


def _earlier_open(
    p: MilestonesParams, matched: list[Milestone | None], spec: MilestoneSpec
) -> str | None:
    """The first required milestone before ``spec`` that is not complete."""
    for other, milestone in zip(p.milestones, matched, strict=True):
        if other is spec:
            return None
        if other.optional:
            continue
        if milestone is None or milestone.status not in _DONE:
            return other.title
    return None


_DONE = (MilestoneStatus.COMPLETE, MilestoneStatus.WAIVED)


def _milestone_finding(
    spec: MilestoneSpec,
    milestone: Milestone | None,
    pathway: Pathway,
    ctx: Context,
    rule_id: str,
    kind: PathwayKind,
) -> Finding:
    due = None
    if milestone is not None and milestone.due_date is not None:
        due = milestone.due_date
    elif spec.due_months is not None and pathway.started_on is not None:
        due = add_months(pathway.started_on, spec.due_months)
    base = Period(pathway.started_on, None)
    described = f" {spec.description}" if spec.description else ""
    if milestone is None:
        if spec.optional:
            return Finding(
                rule_id,
                NOT_APPLICABLE,
                base,
                None,
                None,
                "",
                f"{spec.title}: not part of your {_plan_word(kind)}.{described}",
                label=spec.title,
            )
        return Finding(
            rule_id,
            NOT_MET,
            Period(due, due) if due else base,
            1.0,
            0.0,
            "",
            f"{spec.title}: not in your {_plan_word(kind)} '{pathway.title}' yet.{described}",
            f"Add '{spec.title}' to the {_plan_word(kind)} and record when it is complete.",
            label=spec.title,
            in_progress=due is None or due >= ctx.today,
        )
    if milestone.status in _DONE:
        when = milestone.completed_on
        how = "waived" if milestone.status is MilestoneStatus.WAIVED else "completed"
        on = f" on {text.day(when)}" if when else " (no date recorded)"
        return Finding(
            rule_id,
            MET,
            Period(when, when) if when else base,
            1.0,
            1.0,
            "",
            f"{spec.title}: {how}{on}.{described}",
            entries=(milestone.uid,),
            label=spec.title,
        )
    status_word = milestone.status.label.lower()
    if due is not None and due < ctx.today:
        return Finding(
            rule_id,
            NOT_MET,
            Period(due, due),
            1.0,
            0.0,
            "",
            f"{spec.title}: {status_word}, due by {text.day(due)} (overdue).{described}",
            f"Complete '{spec.title}' and record the date, or agree a new date with your assessor.",
            (milestone.uid,),
            label=spec.title,
        )
    due_text = f", due by {text.day(due)}" if due else ""
    return Finding(
        rule_id,
        NOT_MET,
        Period(due, due) if due else base,
        1.0,
        0.0,
        "",
        f"{spec.title}: {status_word}{due_text}.{described}",
        f"Complete '{spec.title}'{f' by {text.day(due)}' if due else ''}.",
        (milestone.uid,),
        label=spec.title,
        in_progress=True,
    )


def _plan_word(kind: PathwayKind) -> str:
    return "plan" if kind is PathwayKind.CONVERSION else "pathway"


def _route_plan(
    p: MilestonesParams,
    matched: list[Milestone | None],
    pathway: Pathway,
    ctx: Context,
    rule_id: str,
) -> Finding:
    planned = [s.title for s, m in zip(p.milestones, matched, strict=True) if m is not None]
    met = len(planned) >= p.minimum_routes
    listing = ", ".join(planned) if planned else "none yet"
    return Finding(
        rule_id,
        MET if met else NOT_MET,
        between(pathway.started_on, ctx.today),
        float(p.minimum_routes),
        float(len(planned)),
        "routes",
        f"Routes in your plan '{pathway.title}': {listing}; at least {p.minimum_routes} needed.",
        "" if met else "Add a route to the plan (agree it with your mentor or lead).",
        label="routes planned",
        in_progress=not met,
    )


def _no_pathway(p: MilestonesParams, ctx: Context, rule_id: str) -> list[Finding]:
    word = _plan_word(PathwayKind(p.pathway_kind))
    return [
        Finding(
            rule_id,
            NOT_APPLICABLE if spec.optional else NOT_MET,
            Period(None, ctx.today),
            1.0,
            0.0,
            "",
            f"{spec.title}: no {word} started from this pack yet.",
            f"Start the {word} from this pack to track its milestones.",
            label=spec.title,
            in_progress=True,
        )
        for spec in p.milestones
    ]


# --- running a pack ----------------------------------------------------------------------------

Check = Callable[[Any, Evidence, Context, str], Outcome]

CHECKS: dict[type[Any], tuple[Check, str]] = {
    TotalParams: (check_total, "window"),
    EveryPeriodParams: (check_every_period, ""),
    AverageParams: (check_average, "year"),
    RatioParams: (check_ratio, ""),
    GapParams: (check_gap, "gap"),
    TimingParams: (check_timing, "window"),
    SpanParams: (check_span, "window"),
    CoverageParams: (check_coverage, "window"),
    PerItemParams: (check_per_item, "item"),
    MilestonesParams: (check_milestones, "milestone"),
}


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
    check, granularity = CHECKS[type(rule.params)]
    outcome = check(rule.params, evidence, ctx, rule.id)
    every = getattr(rule.params, "every", "")
    return RuleResult(
        rule_id=rule.id,
        title=rule.title,
        description=rule.description,
        source_title=rule.source.title,
        source_url=rule.source.url,
        checked_on=rule.source.checked_on,
        status=milestones_status(outcome.findings)
        if granularity == "milestone"
        else rule_status(outcome.findings),
        findings=outcome.findings,
        projection=outcome.projection,
        kind=rule.kind,
        granularity=granularity or every or "window",
        unit=outcome.unit,
        window=outcome.window,
        optional=rule.optional,
    )


def resolve_cycle(
    pack: Pack,
    settings: PackSettings,
    today: date,
    requested: Period = ALL_TIME,
    registrations: Iterable[Registration] = (),
) -> tuple[Period | None, str, bool]:
    """The cycle a pack's ``cycle`` windows use, a note saying how it was chosen, and whether
    it is only assumed (no cycle start or renewal date known).

    In order: the cycle start in the pack settings; the renewal date of a registration with the
    pack's body; otherwise the ``cycle_years`` up to the day checked (an assumption, said so).
    """
    years = pack.cycle_years
    if not years:
        return None, "", False
    reference = requested.end or today
    months = 12 * years
    if settings.cycle_start is not None:
        start = settings.cycle_start
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
            cycle = Period(start, reference)
            return (
                cycle,
                f"No cycle start is set, so the cycle is taken as the {years} years to "
                f"{text.day(reference)}. Set the cycle start in the pack settings.",
                True,
            )
        start = add_months(renewal, -months)
        how = f"ending the day before your {pack.body} renewal date"
    # Move whole cycles until the cycle holds the reference day.
    while reference < start:
        start = add_months(start, -months)
    while add_months(start, months) <= reference:
        start = add_months(start, months)
    cycle = Period(start, add_months(start, months) - timedelta(days=1))
    return cycle, f"Cycle {text.span(cycle)} ({how}).", False


def _same_body(a: str, b: str) -> bool:
    return _normal(a) == _normal(b) or (_normal(b).startswith(_normal(a)) and bool(_normal(a)))


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
    cycle, cycle_note, assumed = resolve_cycle(pack, settings, today, requested, registrations)
    ctx = Context(today, settings, requested, evidence.recorded_period(), cycle, assumed)
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
) -> list[Finding]:
    """The findings of one rule over ``records``: the engine as one pure function."""
    evidence = Evidence(records, today)
    if settings.qualified_on is None and evidence.profile is not None:
        settings = replace(settings, qualified_on=evidence.profile.qualified_on)
    ctx = Context(today, settings, requested, evidence.recorded_period(), cycle)
    return list(evaluate_rule(rule, evidence, ctx).findings)


__all__ = [
    "CHECKS",
    "Context",
    "Outcome",
    "RuleParams",
    "check_rule",
    "evaluate_pack",
    "evaluate_rule",
    "resolve_cycle",
    "rule_status",
]
