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
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any

from logbook.domain.choices import MilestoneStatus, PathwayKind
from logbook.domain.findings import Advice, Finding, PackResult, RuleResult, Status
from logbook.domain.periods import ALL_TIME, Period, add_months
from logbook.domain.records import (
    Milestone,
    Pathway,
    Record,
    RecordKind,
    Registration,
)
from logbook.domain.requirements import text
from logbook.domain.requirements.calendar import (
    cut,
    days_in,
    intersect,
    monday_on_or_before,
)
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

    The grid of periods belongs to the rule, never to the question: fortnights (and years of a
    cycle) are counted from the cycle start where the body defines one, otherwise from the first
    recorded day. The period asked for (``requested``) only chooses which periods are shown.

    Attributes:
        today: The day of the check; later periods are not checked, the current one is
            "in progress".
        requested: The period asked for (either end may be open).
        recorded: From the first recorded activity to today.
        cycle: The registration or revalidation cycle holding the end of the period asked for,
            for packs that have one.
        cycle_assumed: No cycle start or renewal date is known, so ``cycle`` is just the cycle's
            length up to that day (it has no real deadline).
        cycles: The cycles shown, oldest first (after a renewal date: the ended cycle and the
            new one); empty when nothing was recorded by the end of ``cycle``.
        cycle_anchor: The start of a known cycle, from which the cycle's grid is counted.
    """

    today: date
    settings: PackSettings = DEFAULT_SETTINGS
    requested: Period = ALL_TIME
    recorded: Period | None = None
    cycle: Period | None = None
    cycle_assumed: bool = False
    cycles: tuple[Period, ...] | None = None
    cycle_anchor: date | None = None

    @property
    def first_day(self) -> date:
        """The first recorded day: no period that ends before it is checked."""
        if self.recorded is not None and self.recorded.start is not None:
            return min(self.recorded.start, self.today)
        return self.today

    @property
    def start(self) -> date:
        return self.requested.start or self.first_day

    @property
    def end(self) -> date:
        return self.requested.end or self.today

    @property
    def last(self) -> date:
        """The last day looked at: the end of the period asked for, never after today."""
        return min(self.end, self.today)

    @property
    def anchor(self) -> date:
        """Where fortnights are counted from: the cycle start, else the first recorded day."""
        return self.cycle_anchor or self.settings.cycle_start or self.first_day

    @property
    def shown_cycles(self) -> tuple[Period, ...]:
        if self.cycles is not None:
            return self.cycles
        return (self.cycle,) if self.cycle is not None else ()

    def anchor_for(self, every: str) -> date:
        """The anchor of a grid: years run from the cycle start where a cycle is known,
        otherwise they are calendar years."""
        if every == "year":
            known = self.cycle_anchor or self.settings.cycle_start
            return known if known is not None and not self.cycle_assumed else date(2000, 1, 1)
        return self.anchor

    def grid(self, span: Period, every: str) -> list[Period]:
        """The periods of ``every`` in ``span`` that are checked and shown: whole periods of the
        rule's grid that overlap the period asked for, from the one holding the first recorded
        day up to the one holding today."""
        assert span.start is not None
        assert span.end is not None
        first = max(span.start, self.first_day, self.requested.start or date.min)
        last = min(span.end, self.today, self.requested.end or date.max)
        if first > last:
            return []
        return list(cut(Period(first, last), every, self.anchor_for(every)))

    def grid_words(self, every: str) -> str:
        """How the grid of ``every`` is cut, and which of its periods are shown."""
        anchor = self.anchor_for(every)
        if every == "fortnight":
            start = monday_on_or_before(self.anchor)
            why = (
                "the cycle start"
                if self.cycle_anchor or self.settings.cycle_start
                else ("the first recorded day")
            )
            words = (
                f"Fortnights run from Monday {text.day(start)}, the Monday on or before {why} "
                f"({text.day(self.anchor)})."
            )
        elif every == "year" and anchor.month == 1 and anchor.day == 1:
            words = "Years are calendar years."
        elif every == "year":
            words = f"Years run from the cycle start ({text.short_day(anchor)})."
        elif every == "week":
            words = "Weeks run Monday to Sunday."
        else:
            words = "Months are calendar months."
        words += f" Nothing before the first recorded day ({text.day(self.first_day)}) is checked."
        if self.requested.start or self.requested.end:
            words += f" Shown: the {every}s that overlap {text.span(self.requested)}."
        return words


@dataclass(frozen=True)
class Outcome:
    """What a check produced: findings, an optional projection and the window looked at."""

    findings: tuple[Finding, ...]
    window: Period | None = None
    projection: str = ""
    unit: str = ""
    basis: str = ""


# --- windows and settings ----------------------------------------------------------------------


def resolve_window(window: Window, ctx: Context) -> tuple[Period | None, str]:
    """The rule's own span for a window, or None with the reason it cannot be worked out.

    It does not depend on the period asked for, except that a rolling window ends on the last
    day asked for; the query only chooses what is shown within it.
    """
    last = ctx.last
    q = ctx.settings.qualified_on
    if window.kind == "cycle":
        if ctx.cycle is None:
            return None, "This pack has no cycle."
        cycles = ctx.shown_cycles or (ctx.cycle,)
        return Period(cycles[0].start, cycles[-1].end), ""
    if window.kind == "rolling":
        months = window.months or 12
        return Period(add_months(last, -months) + timedelta(days=1), last), ""
    if window.kind == "since_qualification":
        if q is None:
            return None, "Set your qualification date in the pack settings to check this."
        return Period(q, max(q, ctx.today)), ""
    if window.kind == "until_qualification":
        if q is None:
            return None, "Set your qualification date in the pack settings to check this."
        first = min(ctx.first_day, q)
        return Period(first, max(first, q - timedelta(days=1))), ""
    return Period(ctx.first_day, ctx.today), ""


def shown_part(span: Period, ctx: Context) -> Period | None:
    """The part of a rule's span that is looked at: within the period asked for, from the
    first recorded day, up to today."""
    assert span.start is not None
    assert span.end is not None
    first = max(span.start, ctx.requested.start or date.min)
    last = min(span.end, ctx.last)
    return Period(first, last) if first <= last else None


def cycle_label(cycle: Period, ctx: Context) -> str:
    """ "current cycle 1 Apr 2024 – 31 Mar 2027", "ended cycle …", "the 3 years to …"."""
    assert cycle.end is not None
    if ctx.cycle_assumed:
        return f"the cycle taken as {text.span(cycle)}"
    if cycle.end < ctx.today:
        return f"ended cycle {text.span(cycle)}"
    return f"current cycle {text.span(cycle)}"


def _setting_advice(why: str) -> tuple[Advice, ...]:
    """A pack setting to fill in, when ``why`` asks for one."""
    if "qualification date" in why:
        return (Advice("setting", why, setting="qualified_on"),)
    return ()


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
    """A total in a window, with an optional minimum share from a narrower selection.

    Over a cycle, each cycle shown has its own total; a cycle wider than the period asked for
    is counted from its start to the last day asked for, and the basis says so.
    """
    span, why = resolve_window(p.window, ctx)
    unit = p.count.unit
    if span is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),))
    if p.window.kind == "cycle":
        cycles = ctx.shown_cycles
        if not cycles:
            return Outcome((_nothing_recorded(rule_id, ctx, unit),), span, unit=unit)
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
        return Outcome(tuple(findings), span, projection, unit, _cycle_basis(ctx))
    window = span if p.window.kind == "rolling" else shown_part(span, ctx)
    if window is None:
        return Outcome((_nothing_recorded(rule_id, ctx, unit),), span, unit=unit)
    where = f"{p.window.describe()} ({text.span(window)})"
    finding, projection = _total_finding(
        p, ev, ctx, rule_id, window, span, text.span(window), where
    )
    basis = f"Counted over {p.window.describe()}: {text.span(window)}."
    return Outcome((finding,), window, projection, unit, basis)


def _cycle_basis(ctx: Context) -> str:
    """Which cycles a cycle rule counts over, and where that is wider than the period asked."""
    cycles = ctx.shown_cycles
    words = "Counted over " + " and ".join(cycle_label(c, ctx) for c in cycles) + "."
    asked = ctx.requested
    if asked.start or asked.end:
        first, last = cycles[0].start, cycles[-1].end
        assert first is not None
        assert last is not None
        if first < ctx.start or (asked.end is not None and last > asked.end):
            words += (
                f" The body's rule counts whole cycles, wider than the period asked for "
                f"({text.span(asked)}); a cycle still running is counted up to "
                f"{text.day(ctx.last)}."
            )
    return words


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
        f"{_entries_text(hi - lo)}; at least {text.target(p.minimum, unit)} needed."
    )
    explanation += _excluded(sel, window)
    explanation += _outside(sel, window, ctx)
    advice: list[Advice] = []
    # A cycle ends on a fixed day; a rolling window moves on with time and has no deadline.
    real_cycle = p.window.kind == "cycle" and not ctx.cycle_assumed
    deadline_day = whole.end if real_cycle and in_progress else None
    by = f" by {text.day(deadline_day)}" if deadline_day else ""
    # More can be recorded only while the window is still open.
    later = Period(ctx.today, deadline_day or ctx.today)
    if not _is_met(actual, p.minimum) and in_progress:
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
            advice.append(_setting_advice(why)[0])
        else:
            share_actual = share_sel.total_in(share_window) if share_window else 0.0
            share_met = _is_met(share_actual, p.share.minimum)
            explanation += (
                f" Of these, {text.amount(share_actual, unit)} {p.share.label} "
                f"(at least {text.target(p.share.minimum, unit)} needed)."
            )
            if not share_met and in_progress:
                more = p.share.minimum - share_actual
                words = f"{text.cap(_more(more, unit, p.share.label))}{by}."
                advice.append(Advice("record", words, more, later, setting="share"))
    met = _is_met(actual, p.minimum) and share_met
    explanation += _list_credits(sel, lo, hi)
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
    if not _is_met(actual, p.minimum) and in_progress:
        projection = project(sel, p.minimum - actual, p.minimum, ctx, deadline_day)
    return finding, projection


def _more(more: float, unit: str, noun: str) -> str:
    """ "405 h more supervised practice", "1 more type of learning"."""
    if unit == "hours":
        return f"{text.amount(more, unit)} more {noun}"
    return f"{text.amount(more, '')} more {text.singular(noun) if more == 1 else noun}"


def _nothing_recorded(rule_id: str, ctx: Context, unit: str) -> Finding:
    """Nothing to check: the period asked for ends before the first recorded day (or starts
    after today)."""
    asked = ctx.requested
    if asked.start is not None and asked.start > ctx.today:
        period = Period(asked.start, asked.start)
    else:
        period = Period(min(ctx.start, ctx.end), ctx.end)
    return Finding(
        rule_id,
        NOT_APPLICABLE,
        period,
        None,
        None,
        unit,
        f"Nothing is checked before the first recorded day ({text.day(ctx.first_day)}).",
        label=text.span(period),
    )


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
        f" Not counted: {_entries_text(hi - lo)} before {text.day(window.start)}, outside the "
        "window the rule names."
    )


def _excluded(sel: Selection, window: Period) -> str:
    """What did not count in ``window`` and why (e.g. assessment-only work for BACP)."""
    reasons = sel.excluded_text(window)
    return f" {reasons}" if reasons else ""


def _not_counted(sel: Selection, window: Period) -> Callable[[], str]:
    """``_excluded`` for a finding to work out when its words are read."""
    return partial(_excluded, sel, window)


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
        advice=_setting_advice(why),
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
    periods = ctx.grid(span, p.every)
    basis = ctx.grid_words(p.every)
    if not periods:
        return Outcome((_nothing_recorded(rule_id, ctx, unit),), span, unit=unit, basis=basis)
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
    met = _is_met(actual, required)
    explanation = (
        f"{text.cap(text.quantity(actual, p.count))} from {_entries_text(hi - lo)}; "
        f"{_needed(required, unit, factor, ctx.settings)}."
    )
    if sel.notes:
        explanation += _list_credits(sel, lo, hi)
    explanation += leave_note
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
        not_counted=_not_counted(sel, period),
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
        f" Note: {_entries_text(found)} recorded on days marked as leave; check the leave dates "
        "in the pack settings."
    )


@lru_cache(maxsize=1024)
def _needed(required: float, unit: str, factor: float, settings: PackSettings) -> str:
    """ "at least 1.5 hours needed (pro rata …)", the same for every period of a rule."""
    return f"at least {text.target(required, unit)} needed{_pro_rata_text(factor, settings)}"


# --- averages ----------------------------------------------------------------------------------


def check_average(p: AverageParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """An average per week, fortnight or month over the window the rule names (each cycle
    shown on its own), counted in whole periods of the rule's grid that have ended."""
    unit = p.count.unit
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),), unit=unit)
    spans = list(ctx.shown_cycles) if p.window.kind == "cycle" else [window]
    findings = []
    for span in spans:
        label = cycle_label(span, ctx) if p.window.kind == "cycle" else text.span(window)
        finding = _average_finding(p, ev, ctx, rule_id, span, label)
        if finding is not None:
            findings.append(finding)
    if not findings:
        findings.append(_nothing_recorded(rule_id, ctx, unit))
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
    met = _is_met(actual, required)
    whole = Period(counted[0].start, counted[-1].end)
    every = p.every
    explanation = (
        f"{text.counted(n, _record_noun(p.count))}, {text.amount(actual, unit)} over "
        f"{text.counted(periods, every + 's')} ({text.span(whole)}): average "
        f"{text.amount(actual / periods, unit)} a {every}; an average of at least "
        f"{text.target(minimum, unit)} a {every} is needed{_pro_rata_text(factor, ctx.settings)}."
    )
    if on_leave:
        explanation += (
            f" {text.cap(text.counted(on_leave, every + 's'))} at least half on leave not counted."
        )
    if running:
        explanation += (
            f" The {every} in progress ({text.span(running[0])}) joins the average once it ends."
        )
    explanation += _excluded(sel, whole)
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
    if p.every:
        periods, basis = ctx.grid(window, p.every), ctx.grid_words(p.every)
    else:
        part = shown_part(window, ctx)
        periods = [part] if part is not None else []
        basis = f"Counted over {p.window.describe()}."
    if not periods:
        return Outcome((_nothing_recorded(rule_id, ctx, unit),), window, unit=unit, basis=basis)
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
                    f"No {p.per.noun} recorded, so nothing is required." + _excluded(per, period),
                    label=label,
                )
            )
            continue
        required, how = required_for(p, practice)
        lo, hi = sel.bounds(period)
        actual = sel.total(lo, hi)
        met = _is_met(actual, required)
        explanation = (
            f"{text.cap(text.quantity(practice, p.per))} "
            f"need {text.quantity(required, p.count)} ({how}); "
            f"{text.amount(actual, unit)} recorded from {_entries_text(hi - lo)}."
        )
        explanation += _excluded(sel, period) + _excluded(per, period)
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
                explanation + _list_credits(sel, lo, hi),
                to_close,
                sel.uids(lo, hi) + per.uids(plo, phi),
                label=label,
                in_progress=in_progress and not met,
                credits=sel.credits(lo, hi),
                advice=advice,
            )
        )
    return Outcome(tuple(findings), window, unit=unit, basis=basis)


# --- gaps --------------------------------------------------------------------------------------


def check_gap(p: GapParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Every stretch without ``count`` records that is too long (leave excepted).

    Stretches are found from the start of the rule's window (or the first recorded day), so a
    gap begins the day after the record before it, however the question is asked; a stretch
    still open at the end of the period asked for is measured up to that day.
    """
    window, why = resolve_window(p.window, ctx)
    if window is None:
        return Outcome((_cannot_check(rule_id, ctx, why, "days"),))
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
                f"{text.day(end)} ({_entries_text(whi - wlo)}).",
                entries=sel.uids(wlo, whi),
                label=text.span(shown),
                not_counted=_not_counted(sel, shown),
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
        not_counted=_not_counted(sel, Period(first, last)),
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
    """Something done within the final months of each cycle shown (e.g. NMC confirmation)."""
    unit = p.count.unit
    if ctx.cycle is None or ctx.cycle.end is None:
        return Outcome((_cannot_check(rule_id, ctx, "This pack has no cycle.", unit),))
    cycles = ctx.shown_cycles
    if not cycles:
        return Outcome((_nothing_recorded(rule_id, ctx, unit),), ctx.cycle, unit=unit)
    findings = tuple(
        _timing_finding(p, ev, ctx, rule_id, cycle, len(cycles) > 1) for cycle in cycles
    )
    return Outcome(findings, ctx.cycle, unit=unit, basis=_cycle_basis(ctx))


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
    met = _is_met(actual, p.minimum)
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
        not_counted=_not_counted(sel, final),
    )


# --- span --------------------------------------------------------------------------------------


def check_span(p: SpanParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Activity spread over at least ``minimum_months`` (e.g. three years in practice)."""
    span, why = resolve_window(p.window, ctx)
    if span is None:
        return Outcome((_cannot_check(rule_id, ctx, why, "months"),))
    window = shown_part(span, ctx)
    if window is None:
        return Outcome((_nothing_recorded(rule_id, ctx, "months"),), span, unit="months")
    sel = ev.select(p.count)
    lo, hi = sel.bounds(window)
    noun = p.count.noun
    # A span can still grow while the window reaches today.
    running = window.end is not None and window.end >= ctx.today
    if hi <= lo:
        finding = Finding(
            rule_id,
            NOT_MET,
            window,
            float(p.minimum_months),
            0.0,
            "months",
            f"No {noun} recorded in {text.span(window)}.",
            "",
            label=text.span(window),
            in_progress=running,
            not_counted=_not_counted(sel, window),
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
    to_close = ""
    if not met and running:
        to_close = (
            f"The span reaches {p.minimum_months} months on {text.day(needed_until)} at the "
            f"earliest, with {noun} recorded on or after that day."
        )
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
        in_progress=running and not met,
        not_counted=_not_counted(sel, window),
    )
    return Outcome((finding,), window, unit="months")


# --- coverage ----------------------------------------------------------------------------------


def check_coverage(p: CoverageParams, ev: Evidence, ctx: Context, rule_id: str) -> Outcome:
    """Every value of ``field`` in practice (e.g. each work setting) has supervision."""
    span, why = resolve_window(p.window, ctx)
    if span is None:
        return Outcome((_cannot_check(rule_id, ctx, why, ""),))
    window = shown_part(span, ctx)
    if window is None:
        return Outcome((_nothing_recorded(rule_id, ctx, ""),), span)
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
            how = f"{text.counted(len(own), p.by.noun + ' sessions')} recorded for {name}."
        elif by_default:
            how = (
                f"{text.counted(len(unnamed), p.by.noun + ' sessions')} with no {p.field} "
                f"recorded, counted for {name} because it is your only {p.field}."
            )
        else:
            how = f"No {p.by.noun} recorded for {name}."
        first, last = practice.day(first_index), practice.day(last_index)
        findings.append(
            Finding(
                rule_id,
                MET if met else NOT_MET,
                # The window checked: supervision anywhere in it covers the setting.
                window,
                1.0,
                float(len(own) or (len(unnamed) if by_default else 0)),
                "sessions",
                f"{_entries_text(count)} of {p.count.noun} in {name} from "
                f"{text.day(first)} to {text.day(last)}. {how}",
                ""
                if met
                else f"Record the {p.field} on the {p.by.noun} that covers {name}, or arrange "
                f"{p.by.noun} for it.",
                tuple(supervision.records[i].uid for i in (own or (unnamed if by_default else []))),
                label=name,
                not_counted=_not_counted(supervision, window),
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
    span, why = resolve_window(p.window, ctx)
    if span is None:
        return Outcome((_cannot_check(rule_id, ctx, why, unit),))
    window = shown_part(span, ctx)
    if window is None:
        return Outcome((_nothing_recorded(rule_id, ctx, unit),), span, unit=unit)
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
            f"{text.cap(text.quantity(actual, p.count))} linked to it from "
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
                else f"{text.cap(text.amount(p.minimum - actual, unit))} more {p.count.noun} "
                f"for {name} (link the sessions to the {p.items.noun} when you log them).",
                (item.uid, *(sel.records[i].uid for i in indexes)),
                label=name,
                in_progress=running and not met,
                credits=tuple(c for i in indexes for c in sel.credits(i, i + 1)),
                advice=()
                if met
                else (
                    Advice(
                        "record",
                        f"Link {text.amount(p.minimum - actual, unit)} more {p.count.noun} "
                        f"to {name}.",
                        p.minimum - actual,
                        period,
                    ),
                ),
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
    AverageParams: (check_average, "window"),
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
