"""What every rule check shares: the context of a check, what a check returns, the rule's
window, and the findings that say a rule cannot be checked or has nothing to check yet.

Each rule kind has one check ``(params, evidence, context, rule_id) -> Outcome`` (see
``registry``). None of them raises for a shortfall: a shortfall is a finding that says which
period, what was required, what was recorded, which entries counted, how group time was
credited and what would close the gap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from logbook.domain.findings import Advice, Finding, Status
from logbook.domain.periods import ALL_TIME, Period, add_months
from logbook.domain.requirements import text
from logbook.domain.requirements.calendar import cut, monday_on_or_before
from logbook.domain.requirements.evidence import Selection
from logbook.domain.requirements.model import PackSettings, Window

EPSILON = 1e-9
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
        """The first day asked for, or the first recorded day when the period asked for has no
        start."""
        return self.requested.start or self.first_day

    @property
    def end(self) -> date:
        """The last day asked for, or today when the period asked for has no end."""
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
        """The cycles shown, oldest first: ``cycles`` when worked out, else ``cycle`` alone, else
        none."""
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


def setting_advice(why: str) -> tuple[Advice, ...]:
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


def pro_rata_text(factor: float, settings: PackSettings) -> str:
    """How a part-time working pattern scaled the requirement, for a finding's explanation
    ("" when the full figure applies)."""
    if factor >= 1:
        return ""
    return (
        f" (pro rata: working pattern {settings.working_fraction:g} of full time, "
        f"so {factor:.0%} of the full-time figure)"
    )


def is_met(actual: float, required: float) -> bool:
    """Whether ``actual`` reaches ``required``, allowing for rounding in sums of credited time."""
    return actual + EPSILON >= required


def list_credits(selection: Selection, lo: int, hi: int) -> str:
    """How the records ``lo`` to ``hi`` of ``selection`` were credited, as a sentence for a
    finding's explanation (the first six, then a count; "" when none was)."""
    notes = [
        f"{text.short_day(selection.day(i))}: {selection.notes[i]}" for i in selection.noted(lo, hi)
    ]
    if not notes:
        return ""
    if len(notes) > 6:
        notes = [*notes[:6], f"… and {len(notes) - 6} more"]
    return " Credited: " + "; ".join(notes) + "."


def plain(words: str) -> str:
    """Letters and digits only, case folded: how milestone titles and body names compare."""
    return "".join(ch for ch in words.casefold() if ch.isalnum())


def entries_text(n: int) -> str:
    """A count of entries in words: "1 entry", "12 entries"."""
    return f"{n} entr{'y' if n == 1 else 'ies'}"


# --- findings shared by the rule kinds ---------------------------------------------------------


def cycle_basis(ctx: Context) -> str:
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


def nothing_recorded(rule_id: str, ctx: Context, unit: str) -> Finding:
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


def excluded(sel: Selection, window: Period) -> str:
    """What did not count in ``window`` and why (e.g. assessment-only work for BACP)."""
    reasons = sel.excluded_text(window)
    return f" {reasons}" if reasons else ""


def not_counted(sel: Selection, window: Period) -> Callable[[], str]:
    """``excluded`` for a finding to work out when its words are read."""
    return partial(excluded, sel, window)


def cannot_check(rule_id: str, ctx: Context, why: str, unit: str) -> Finding:
    """A finding that the rule cannot be checked until ``why`` is put right (usually a pack
    setting to fill in): not yet met, with advice where a setting would help."""
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
        advice=setting_advice(why),
    )
