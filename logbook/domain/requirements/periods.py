"""Minimums period by period: every week, fortnight, month or year on its own (no averaging),
and supervision in proportion to practice.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

from logbook.domain.findings import Advice, Finding
from logbook.domain.periods import Period, add_months
from logbook.domain.requirements import text
from logbook.domain.requirements.calendar import days_in, intersect
from logbook.domain.requirements.checking import (
    EPSILON,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    Outcome,
    between,
    cannot_check,
    entries_text,
    excluded,
    is_met,
    list_credits,
    not_counted,
    nothing_recorded,
    pro_rata_factor,
    pro_rata_text,
    resolve_window,
    shown_part,
)
from logbook.domain.requirements.evidence import Evidence, Selection
from logbook.domain.requirements.model import (
    EveryPeriodParams,
    PackSettings,
    RatioParams,
    Selector,
)

# --- every period, no averaging ----------------------------------------------------------------


def check_every_period(p: EveryPeriodParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """A minimum in every week, fortnight, month or year, each period on its own."""
    unit = p.count.unit
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((cannot_check(rule_id, ctx, why, unit),), unit=unit)
    span: Period | None = window
    q = ctx.settings.qualified_on
    limits = (p.from_months_after_qualification, p.until_months_after_qualification)
    if limits != (None, None):
        if q is None:
            why = "Set your qualification date in the pack settings to check this."
            return Outcome((cannot_check(rule_id, ctx, why, unit),), unit=unit)
        first = add_months(q, limits[0] or 0)
        last = add_months(q, limits[1]) - timedelta(days=1) if limits[1] is not None else None
        span = intersect(window, between(first, last or window.end))
    if span is None:
        return Outcome((_not_applicable_window(rule_id, window, unit, limits, q),), window)
    sel = ev.select(p.count)
    factor = pro_rata_factor(ctx.settings, p.full_from_fraction) if p.pro_rata else 1.0
    required = p.minimum * factor
    periods = ctx.grid(span, p.every)
    basis = ctx.grid_words(p.every)
    if not periods:
        return Outcome((nothing_recorded(rule_id, ctx, unit),), span, unit=unit, basis=basis)
    active = _active_periods(ev, p.only_when, periods) if p.only_when else None
    watch = ev.select(p.only_when) if p.only_when else None
    findings = [
        _periodic_finding(p, sel, ctx, rule_id, period, required, factor, active, index, watch)
        for index, period in enumerate(periods)
    ]
    return Outcome(tuple(findings), span, unit=unit, basis=basis)


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
    watch: Selection | None,
) -> Finding:
    assert period.start is not None
    assert period.end is not None
    unit = p.count.unit
    label = text.period_label(period, p.every)
    in_progress = period.end >= ctx.today
    noun = p.count.noun
    leave_note = ""
    if ctx.settings.leave:
        leave = ctx.settings.leave_days(period)
        on_leave = _work_on_leave(ctx.settings, period, sel, watch)
        if p.exclude_leave and leave * 2 >= days_in(period):
            return Finding(
                rule_id,
                NOT_APPLICABLE,
                period,
                required,
                None,
                unit,
                f"On leave for {leave} of {days_in(period)} days, so this {p.every} is not "
                f"checked.{on_leave}",
                label=label,
            )
        if leave and not p.exclude_leave:
            leave_note = f" Leave ({leave} days) does not change what this rule asks."
        leave_note += on_leave
    if active is not None and not active[index]:
        assert p.only_when is not None
        return Finding(
            rule_id,
            NOT_APPLICABLE,
            period,
            required,
            None,
            unit,
            f"No {p.only_when.noun} recorded, so nothing is required.{leave_note}",
            label=label,
        )
    lo, hi = sel.bounds(period)
    actual = sel.total(lo, hi)
    met = is_met(actual, required)
    explanation = (
        f"{text.cap(text.quantity(actual, p.count))} from {entries_text(hi - lo)}; "
        f"{_needed(required, unit, factor, ctx.settings)}."
    )
    if sel.notes:
        explanation += list_credits(sel, lo, hi)
    explanation += leave_note
    if not met and not in_progress and period.start < ctx.first_day:
        # Only part of it is in the logbook: short for want of the days before, not of work.
        return Finding(
            rule_id,
            NOT_APPLICABLE,
            period,
            round(required, 4),
            round(actual, 4),
            unit,
            f"{explanation} The record begins on {text.day(ctx.first_day)}, part way through "
            f"this {p.every}, so it is not checked.",
            entries=sel.uids(lo, hi),
            label=label,
            not_counted=not_counted(sel, period),
        )
    to_close = ""
    advice: tuple[Advice, ...] = ()
    if not met:
        more = required - actual
        short = text.amount(more, unit)
        if in_progress:
            by = text.day(period.end)
            words = f"{text.cap(short)} more {noun} by {by} would meet this {p.every}."
            advice = (Advice("record", words, more, Period(period.start, period.end)),)
            to_close = words
        else:
            words = f"Record any {noun} missing from the logbook for this {p.every}."
            advice = (Advice("record", words, more, Period(period.start, period.end)),)
            if p.exclude_leave:
                leave_words = (
                    f"If you were not working, record leave for this {p.every} in the pack "
                    "settings: it is then not checked."
                )
                advice += (Advice("leave", leave_words, period=Period(period.start, period.end)),)
            to_close = (
                f"{text.cap(short)} short. This {p.every} has ended and the rule allows no "
                f"averaging. " + " ".join(a.text for a in advice)
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
        advice=advice,
        not_counted=not_counted(sel, period),
    )


def _work_on_leave(settings: PackSettings, period: Period, *selections: Selection | None) -> str:
    """A warning when work is recorded on days of ``period`` marked as leave."""
    assert period.start is not None
    assert period.end is not None
    found = 0
    for spell in settings.leave:
        start = max(period.start, spell.start or period.start)
        end = min(period.end, spell.end or period.end)
        if start > end:
            continue
        for sel in selections:
            if sel is not None:
                lo, hi = sel.bounds(Period(start, end))
                found += hi - lo
    if not found:
        return ""
    return (
        f" Note: {entries_text(found)} recorded on days marked as leave; check the leave dates "
        "in the pack settings."
    )


@lru_cache(maxsize=1024)
def _needed(required: float, unit: str, factor: float, settings: PackSettings) -> str:
    """ "at least 1.5 hours needed (pro rata …)", the same for every period of a rule."""
    return f"at least {text.target(required, unit)} needed{pro_rata_text(factor, settings)}"


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
        return Outcome((cannot_check(rule_id, ctx, why, unit),), unit=unit)
    sel = ev.select(p.count)
    per = ev.select(p.per)
    if p.every:
        periods, basis = ctx.grid(window, p.every), ctx.grid_words(p.every)
    else:
        part = shown_part(window, ctx)
        periods = [part] if part is not None else []
        basis = f"Counted over {p.window.describe()}."
    if not periods:
        return Outcome((nothing_recorded(rule_id, ctx, unit),), window, unit=unit, basis=basis)
    findings = []
    for period in periods:
        assert period.start is not None
        assert period.end is not None
        label = text.period_label(period, p.every) if p.every else text.span(period)
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
                    f"No {p.per.noun} recorded, so nothing is required." + excluded(per, period),
                    label=label,
                )
            )
            continue
        required, how = required_for(p, practice)
        lo, hi = sel.bounds(period)
        actual = sel.total(lo, hi)
        met = is_met(actual, required)
        explanation = (
            f"{text.cap(text.quantity(practice, p.per))} "
            f"need {text.quantity(required, p.count)} ({how}); "
            f"{text.amount(actual, unit)} recorded from {entries_text(hi - lo)}."
        )
        explanation += excluded(sel, period) + excluded(per, period)
        to_close = ""
        advice: tuple[Advice, ...] = ()
        if not met:
            more = required - actual
            words = f"{text.cap(text.amount(more, unit))} more {p.count.noun}"
            words += f" by {text.day(period.end)}." if in_progress else " in this period."
            advice = (Advice("record", words, more, period),)
            to_close = words
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                period,
                round(required, 4),
                round(actual, 4),
                unit,
                explanation + list_credits(sel, lo, hi),
                to_close,
                sel.uids(lo, hi) + per.uids(plo, phi),
                label=label,
                in_progress=in_progress and not met,
                credits=sel.credits(lo, hi),
                advice=advice,
            )
        )
    return Outcome(tuple(findings), window, unit=unit, basis=basis)
