"""Cutting time into the periods a rule checks: weeks, fortnights, calendar months and years.

How periods are cut changes answers ("1.5 hours every month" passes or fails depending on where
months begin), so the cuts are fixed and documented:

* weeks run Monday to Sunday;
* fortnights are pairs of weeks counted from the Monday on or before an anchor date (the pack's
  cycle start when set, otherwise the first recorded day);
* months and years are calendar months and years.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from logbook.domain.periods import Period, add_months

PERIOD_DAYS = {"week": 7, "fortnight": 14, "month": 365.25 / 12, "year": 365.25}


def monday_on_or_before(day: date) -> date:
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
        return Period(date(day.year, 1, 1), date(day.year, 12, 31))
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
