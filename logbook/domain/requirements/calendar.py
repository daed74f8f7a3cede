"""Cutting time into the periods a rule checks: weeks, fortnights, calendar months and years.

How periods are cut changes answers ("1.5 hours every month" passes or fails depending on where
months begin), so the cuts are fixed and documented:

* weeks run Monday to Sunday;
* fortnights are pairs of weeks counted from the Monday on or before an anchor date (the pack's
  cycle start when set, otherwise the first recorded day);
* months are calendar months;
* years run from the anchor's day and month: calendar years for an anchor on 1 January, years
  of the cycle for a cycle start.

The anchor comes from the rule (its cycle, or the first recorded day), never from the dates a
check is asked for, so the same records give the same verdict for a period however it is asked.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from logbook.domain.periods import Period, add_months

PERIOD_DAYS = {"week": 7, "fortnight": 14, "month": 365.25 / 12, "year": 365.25}


def monday_on_or_before(day: date) -> date:
    """The Monday a week containing ``day`` starts on (``day`` itself on a Monday)."""
    return day - timedelta(days=day.weekday())


def period_containing(day: date, every: str, anchor: date) -> Period:
    """The week, fortnight, month or year that ``day`` falls in."""
    if every == "week":
        start = monday_on_or_before(day)
        return Period(start, start + timedelta(days=6))
    if every == "fortnight":
        base = monday_on_or_before(anchor)
        offset = (day - base).days // 14
        start = base + timedelta(days=14 * offset)
        return Period(start, start + timedelta(days=13))
    if every == "month":
        start = day.replace(day=1)
        return Period(start, add_months(start, 1) - timedelta(days=1))
    if every == "year":
        if anchor.month == 1 and anchor.day == 1:
            return Period(date(day.year, 1, 1), date(day.year, 12, 31))
        # Each year counted from the anchor itself, so a 29 February start stays consistent.
        years = day.year - anchor.year
        if add_months(anchor, 12 * years) > day:
            years -= 1
        start = add_months(anchor, 12 * years)
        return Period(start, add_months(anchor, 12 * (years + 1)) - timedelta(days=1))
    raise ValueError(f"unknown period '{every}'")


@lru_cache(maxsize=256)
def cut(span: Period, every: str, anchor: date) -> tuple[Period, ...]:
    """Every whole period that overlaps ``span`` (a bounded period), in order.

    Rules of several packs cut the same span the same way, so the cuts are remembered.
    """
    assert span.start is not None
    assert span.end is not None
    periods = []
    current = period_containing(span.start, every, anchor)
    while current.start is not None and current.start <= span.end:
        periods.append(current)
        assert current.end is not None
        current = period_containing(current.end + timedelta(days=1), every, anchor)
    return tuple(periods)


def days_in(period: Period) -> int:
    """How many days a bounded period spans, both ends included."""
    assert period.start is not None
    assert period.end is not None
    return (period.end - period.start).days + 1


def intersect(a: Period, b: Period) -> Period | None:
    """The overlap of two bounded periods, or None."""
    assert a.start
    assert a.end
    assert b.start
    assert b.end
    start, end = max(a.start, b.start), min(a.end, b.end)
    return Period(start, end) if start <= end else None
