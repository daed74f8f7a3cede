"""Timing of activity: no gap too long between records, and something done within the final
months of a cycle.
"""

from __future__ import annotations

from datetime import date, timedelta

from logbook.domain.findings import Advice, Finding
from logbook.domain.periods import Period, add_months
from logbook.domain.requirements import text
from logbook.domain.requirements.checking import (
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
    is_met,
    not_counted,
    nothing_recorded,
    resolve_window,
)
from logbook.domain.requirements.evidence import Evidence, Selection
from logbook.domain.requirements.model import GapParams, TimingParams

# --- gaps --------------------------------------------------------------------------------------


def check_gap(p: GapParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Every stretch without ``count`` records that is too long (leave excepted).

    Stretches are found from the start of the rule's window (or the first recorded day), so a
    gap begins the day after the record before it, however the question is asked; a stretch
    still open at the end of the period asked for is measured up to that day.
    """
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((cannot_check(rule_id, ctx, why, "days"),))
    assert window.start is not None
    assert window.end is not None
    sel = ev.select(p.count)
    noun = p.count.noun
    start, end = max(window.start, ctx.first_day), min(window.end, ctx.last)
    basis = (
        f"Gaps are measured from {text.day(start)} (the start of {p.window.describe()}, or the "
        "first recorded day); those that overlap the period asked for are shown."
    )
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
        gaps.append((date.fromordinal(covered + 1), end, True))
    shown_from = max(start, ctx.requested.start or start)
    findings = []
    for first, last, trailing in gaps:
        if last < shown_from:
            continue
        finding = _gap_finding(p, ctx, rule_id, sel, first, last, trailing)
        if finding is not None:
            findings.append(finding)
    if not findings:
        shown = Period(min(shown_from, end), end)
        wlo, whi = sel.bounds(shown)
        findings.append(
            Finding(
                rule_id,
                MET,
                shown,
                _gap_limit(p),
                None,
                _gap_unit(p),
                f"No {_gap_words(p)} between {noun} from {text.day(shown.start or end)} to "
                f"{text.day(end)} ({entries_text(whi - wlo)}).",
                entries=sel.uids(wlo, whi),
                label=text.span(shown),
                not_counted=not_counted(sel, shown),
            )
        )
    return Outcome(tuple(findings), window, unit=_gap_unit(p), basis=basis)


def _gap_limit(p: GapParams) -> float:
    return float(p.max_gap_months if p.max_gap_months is not None else p.max_gap_days or 0)


def _gap_unit(p: GapParams) -> str:
    return "months" if p.max_gap_months is not None else "days"


def _gap_words(p: GapParams) -> str:
    if p.max_gap_months is not None:
        return f"gap of {p.max_gap_months} months or more"
    return f"gap of more than {p.max_gap_days} days"


def _gap_finding(
    p: GapParams,
    ctx: Context,
    rule_id: str,
    sel: Selection,
    first: date,
    last: date,
    trailing: bool,
) -> Finding | None:
    """A finding for the empty stretch ``first``..``last`` if it is too long, else None.

    A trailing stretch is open: up to today ("still open"), or cut by the end of the period
    asked for.
    """
    leave = ctx.settings.leave_days(Period(first, last))
    noun = sel.selector.noun
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
    open_now = trailing and last >= ctx.today
    if open_now:
        state = " (still open)"
    elif trailing:
        state = " (the end of the period checked)"
    else:
        state = ""
    explanation = (
        f"No {noun} recorded from {text.day(first)} to {text.day(last)}{state}: "
        f"{length}{leave_note}. {rule_words}"
    )
    # Leave over the whole stretch takes it out of the count: the only advice that changes it.
    leave_words = "If you were on leave or ill, record the leave in the pack settings."
    advice = (Advice("leave", leave_words, period=Period(first, last)),)
    to_close = leave_words
    if open_now:
        to_close = f"Nothing since {text.day(first)}. " + to_close
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
        in_progress=open_now,
        advice=advice,
        not_counted=not_counted(sel, Period(first, last)),
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


# --- timing ------------------------------------------------------------------------------------


def check_timing(p: TimingParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Something done within the final months of each cycle shown (e.g. NMC confirmation)."""
    unit = p.count.unit
    if ctx.cycle is None or ctx.cycle.end is None:
        return Outcome((cannot_check(rule_id, ctx, "This pack has no cycle.", unit),))
    cycles = ctx.shown_cycles
    if not cycles:
        return Outcome((nothing_recorded(rule_id, ctx, unit),), ctx.cycle, unit=unit)
    findings = tuple(
        _timing_finding(p, ev, ctx, rule_id, cycle, len(cycles) > 1) for cycle in cycles
    )
    return Outcome(findings, ctx.cycle, unit=unit, basis=cycle_basis(ctx))


def _timing_finding(
    p: TimingParams, ev: Evidence, ctx: Context, rule_id: str, cycle: Period, named: bool
) -> Finding:
    unit = p.count.unit
    assert cycle.end is not None
    cycle_end = cycle.end
    final = Period(add_months(cycle_end + timedelta(days=1), -p.final_months), cycle_end)
    assert final.start is not None
    sel = ev.select(p.count)
    lo, hi = sel.bounds(final)
    actual = sel.total(lo, hi)
    met = is_met(actual, p.minimum)
    explanation = (
        f"{text.cap(text.quantity(actual, p.count))} between {text.day(final.start)} and "
        f"{text.day(cycle_end)} (the final {p.final_months} months of the cycle); "
        f"{text.target(p.minimum, unit)} needed."
    )
    early_lo, early_hi = sel.bounds(between(cycle.start, final.start - timedelta(days=1)))
    if early_hi > early_lo:
        dates = ", ".join(text.day(sel.day(i)) for i in range(early_lo, early_hi))
        explanation += f" Earlier in the cycle ({dates}) does not count for this."
    in_progress = ctx.today <= cycle_end
    to_close = ""
    advice: tuple[Advice, ...] = ()
    if not met and ctx.cycle_assumed:
        to_close = (
            f"The final {p.final_months} months cannot be worked out without the cycle start "
            "(see the note on the cycle)."
        )
    elif not met and in_progress:
        words = (
            f"Due between {text.day(final.start)} and {text.day(cycle_end)}."
            if ctx.today < final.start
            else f"Record it by {text.day(cycle_end)}."
        )
        advice = (Advice("record", words, p.minimum - actual, final),)
        to_close = words
    elif not met:
        to_close = "The cycle ended without it."
    label = f"final {p.final_months} months"
    if named:
        label += f" of {cycle_label(cycle, ctx)}"
    return Finding(
        rule_id,
        MET if met else NOT_MET,
        final,
        p.minimum,
        actual,
        unit,
        explanation,
        to_close,
        sel.uids(lo, hi),
        label=label,
        in_progress=in_progress and not met,
        advice=advice,
        not_counted=not_counted(sel, final),
    )
