"""Totals and averages over a window: hours, counts or days in the rule's window (each cycle
on its own), with a projection of when a total still short will be reached.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from logbook.domain.findings import Advice, Finding
from logbook.domain.periods import Period, add_months
from logbook.domain.records import RecordKind
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
    cycle_basis,
    cycle_label,
    entries_text,
    excluded,
    is_met,
    list_credits,
    nothing_recorded,
    pro_rata_factor,
    pro_rata_text,
    resolve_window,
    setting_advice,
    shown_part,
)
from logbook.domain.requirements.evidence import Evidence, Selection
from logbook.domain.requirements.model import AverageParams, Selector, TotalParams

PROJECTION_MONTHS = 6


# --- totals ------------------------------------------------------------------------------------


def check_total(p: TotalParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """A total in a window, with an optional minimum share from a narrower selection.

    Over a cycle, each cycle shown has its own total; a cycle wider than the period asked for
    is counted from its start to the last day asked for, and the basis says so.
    """
    span, why = resolve_window(p.window, ctx)
    unit = p.count.unit
    if span is None:
        return Outcome((cannot_check(rule_id, ctx, why, unit),))
    if p.window.kind == "cycle":
        cycles = ctx.shown_cycles
        if not cycles:
            return Outcome((nothing_recorded(rule_id, ctx, unit),), span, unit=unit)
        findings, projection = [], ""
        for cycle in cycles:
            assert cycle.start is not None
            assert cycle.end is not None
            counted = Period(cycle.start, max(cycle.start, min(cycle.end, ctx.last)))
            finding, projected = _total_finding(
                p, ev, ctx, rule_id, counted, cycle, cycle_label(cycle, ctx)
            )
            findings.append(finding)
            projection = projected or projection
        return Outcome(tuple(findings), span, projection, unit, cycle_basis(ctx))
    window = span if p.window.kind == "rolling" else shown_part(span, ctx)
    if window is None:
        return Outcome((nothing_recorded(rule_id, ctx, unit),), span, unit=unit)
    where = f"{p.window.describe()} ({text.span(window)})"
    finding, projection = _total_finding(
        p, ev, ctx, rule_id, window, span, text.span(window), where
    )
    basis = f"Counted over {p.window.describe()}: {text.span(window)}."
    return Outcome((finding,), window, projection, unit, basis)


def _total_finding(
    p: TotalParams,
    ev: Evidence,
    ctx: Context,
    rule_id: str,
    window: Period,
    whole: Period,
    label: str,
    where: str = "",
) -> tuple[Finding, str]:
    """The total of ``window`` (part of ``whole``, the window the rule names)."""
    assert whole.end is not None
    unit = p.count.unit
    sel = ev.select(p.count)
    lo, hi = sel.bounds(window)
    actual = sel.total(lo, hi)
    in_progress = whole.end >= ctx.today
    noun = p.count.noun
    explanation = (
        f"{text.cap(text.quantity(actual, p.count))} in {where or label}, from "
        f"{entries_text(hi - lo)}; at least {text.target(p.minimum, unit)} needed."
    )
    explanation += excluded(sel, window)
    explanation += _outside(sel, window, ctx)
    advice: list[Advice] = []
    # A cycle ends on a fixed day; a rolling window moves on with time and has no deadline.
    real_cycle = p.window.kind == "cycle" and not ctx.cycle_assumed
    deadline_day = whole.end if real_cycle and in_progress else None
    by = f" by {text.day(deadline_day)}" if deadline_day else ""
    # More can be recorded only while the window is still open.
    later = Period(ctx.today, deadline_day or ctx.today)
    if not is_met(actual, p.minimum) and in_progress:
        more = p.minimum - actual
        words = f"{text.cap(_more(more, unit, noun))}{by}."
        advice.append(Advice("record", words, more, later))
    share_met = True
    if p.share is not None:
        share_sel = ev.select(p.share.count) if p.share.count else sel
        share_window: Period | None = window
        q = ctx.settings.qualified_on
        if p.share.after_qualification:
            share_window = None if q is None else intersect(window, between(q, window.end))
        if p.share.after_qualification and q is None:
            share_met = False
            why = "Set your qualification date in the pack settings to check this."
            explanation += f" {text.cap(p.share.label)}: not checked without a qualification date."
            advice.append(setting_advice(why)[0])
        else:
            share_actual = share_sel.total_in(share_window) if share_window else 0.0
            share_met = is_met(share_actual, p.share.minimum)
            explanation += (
                f" Of these, {text.amount(share_actual, unit)} {p.share.label} "
                f"(at least {text.target(p.share.minimum, unit)} needed)."
            )
            if not share_met and in_progress:
                more = p.share.minimum - share_actual
                words = f"{text.cap(_more(more, unit, p.share.label))}{by}."
                advice.append(Advice("record", words, more, later, setting="share"))
    met = is_met(actual, p.minimum) and share_met
    explanation += list_credits(sel, lo, hi)
    to_close = ""
    if not met and not in_progress:
        to_close = f"Not met by {text.day(window.end or whole.end)}, the end of the window. "
    to_close += " ".join(a.text for a in advice)
    finding = Finding(
        rule_id=rule_id,
        status=MET if met else NOT_MET,
        period=window,
        required=p.minimum,
        actual=round(actual, 4),
        unit=unit,
        explanation=explanation,
        to_close_gap=to_close.strip(),
        entries=sel.uids(lo, hi),
        label=label,
        in_progress=in_progress and not met,
        credits=sel.credits(lo, hi),
        advice=tuple(advice) if not met else (),
    )
    projection = ""
    if not is_met(actual, p.minimum) and in_progress:
        projection = project(sel, p.minimum - actual, p.minimum, ctx, deadline_day)
    return finding, projection


def _more(more: float, unit: str, noun: str) -> str:
    """ "405 h more supervised practice", "1 more type of learning"."""
    if unit == "hours":
        return f"{text.amount(more, unit)} more {noun}"
    return f"{text.amount(more, '')} more {text.singular(noun) if more == 1 else noun}"


def _outside(sel: Selection, window: Period, ctx: Context) -> str:
    """Records of the kind counted that fall in the period asked for but outside the window
    the rule names (e.g. practice more than six years back)."""
    first = ctx.requested.start or ctx.first_day
    assert window.start is not None
    if first >= window.start or first > ctx.last:
        return ""
    lo, hi = sel.bounds(Period(first, min(ctx.last, window.start - timedelta(days=1))))
    if hi <= lo:
        return ""
    return (
        f" Not counted: {entries_text(hi - lo)} before {text.day(window.start)}, outside the "
        "window the rule names."
    )


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


# --- averages ----------------------------------------------------------------------------------


def check_average(p: AverageParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """An average per week, fortnight or month over the window the rule names (each cycle
    shown on its own), counted in whole periods of the rule's grid that have ended."""
    unit = p.count.unit
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((cannot_check(rule_id, ctx, why, unit),), unit=unit)
    spans = list(ctx.shown_cycles) if p.window.kind == "cycle" else [window]
    findings = []
    for span in spans:
        label = cycle_label(span, ctx) if p.window.kind == "cycle" else text.span(window)
        finding = _average_finding(p, ev, ctx, rule_id, span, label)
        if finding is not None:
            findings.append(finding)
    if not findings:
        findings.append(nothing_recorded(rule_id, ctx, unit))
    basis = ctx.grid_words(p.every) + " The average is taken over the fortnights that have ended."
    basis = basis.replace("fortnights", f"{p.every}s")
    return Outcome(tuple(findings), window, unit=unit, basis=basis)


def _average_finding(
    p: AverageParams, ev: Evidence, ctx: Context, rule_id: str, span: Period, label: str
) -> Finding | None:
    """The average over the ended periods of ``span`` up to the last day asked for."""
    assert span.start is not None
    assert span.end is not None
    unit = p.count.unit
    # An average is over the rule's whole window up to the last day asked for, never only the
    # part asked for: the periods before the first day asked for count too.
    upto = Period(span.start, max(span.start, min(span.end, ctx.last)))
    whole_window = replace(ctx, requested=Period(None, ctx.requested.end))
    grid = [g for g in whole_window.grid(upto, p.every) if g.end is not None and g.end <= span.end]
    if not grid:
        return None
    factor = pro_rata_factor(ctx.settings, p.full_from_fraction) if p.pro_rata else 1.0
    sel = ev.select(p.count)
    ended = [g for g in grid if g.end is not None and g.end < ctx.today]
    running = [g for g in grid if g not in ended]
    counted = [g for g in ended if ctx.settings.leave_days(g) * 2 < days_in(g)]
    on_leave = len(ended) - len(counted)
    if not counted:
        first = grid[0]
        return Finding(
            rule_id,
            NOT_APPLICABLE,
            Period(first.start, grid[-1].end),
            None,
            None,
            unit,
            f"No {p.every} of {label} has ended yet (leave aside), so there is no average yet.",
            label=label,
        )
    actual, n, indexes = 0.0, 0, []
    for g in counted:
        lo, hi = sel.bounds(g)
        actual += sel.total(lo, hi)
        n += hi - lo
        indexes.append((lo, hi))
    periods = len(counted)
    minimum = p.minimum * factor
    required = minimum * periods
    met = is_met(actual, required)
    whole = Period(counted[0].start, counted[-1].end)
    every = p.every
    explanation = (
        f"{text.counted(n, _record_noun(p.count))}, {text.amount(actual, unit)} over "
        f"{text.counted(periods, every + 's')} ({text.span(whole)}): average "
        f"{text.amount(actual / periods, unit)} a {every}; an average of at least "
        f"{text.target(minimum, unit)} a {every} is needed{pro_rata_text(factor, ctx.settings)}."
    )
    if on_leave:
        explanation += (
            f" {text.cap(text.counted(on_leave, every + 's'))} at least half on leave not counted."
        )
    if running:
        explanation += (
            f" The {every} in progress ({text.span(running[0])}) joins the average once it ends."
        )
    explanation += excluded(sel, whole)
    in_progress = span.end >= ctx.today
    advice: tuple[Advice, ...] = ()
    to_close = ""
    if not met:
        more = required - actual
        if in_progress:
            words = (
                f"{text.cap(text.amount(more, unit))} more {p.count.noun} would bring the "
                f"average up to {text.target(minimum, unit)} a {every}."
            )
            advice = (Advice("record", words, more, whole),)
            to_close = words
        else:
            to_close = (
                f"{text.cap(label)} has ended {text.amount(more, unit)} short of the average."
            )
    entries = tuple(uid for lo, hi in indexes for uid in sel.uids(lo, hi))
    credits = tuple(c for lo, hi in indexes for c in sel.credits(lo, hi))
    return Finding(
        rule_id,
        MET if met else NOT_MET,
        whole,
        round(required, 4),
        round(actual, 4),
        unit,
        explanation,
        to_close,
        entries,
        label=label,
        in_progress=in_progress and not met,
        credits=credits,
        advice=advice,
    )


def _record_noun(selector: Selector) -> str:
    return "sessions" if selector.records is RecordKind.SUPERVISION else "entries"
