"""Periods (inclusive date ranges) and the presets people filter by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates; either end may be open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end date is before start date")

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls within the period, ends included."""
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return (self.start is None or other.end is None or other.end >= self.start) and (
            self.end is None or other.start is None or other.start <= self.end
        )

    def describe(self) -> str:
        """The period in words: "01 Mar 2026 – 31 Mar 2026", "from 01 Mar 2026", "all dates"."""
        if self.start and self.end:
            return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"
        if self.start:
            return f"from {self.start:%d %b %Y}"
        if self.end:
            return f"up to {self.end:%d %b %Y}"
        return "all dates"


ALL_TIME = Period()


def month_of(day: date) -> Period:
    """The calendar month ``day`` falls in."""
    first = day.replace(day=1)
    return Period(first, add_months(first, 1) - timedelta(days=1))


def year_of(day: date) -> Period:
    """The calendar year ``day`` falls in."""
    return Period(date(day.year, 1, 1), date(day.year, 12, 31))


def last_months(day: date, months: int) -> Period:
    """The ``months`` calendar months ending with the month of ``day``."""
    first = add_months(day.replace(day=1), 1 - months)
    return Period(first, month_of(day).end)


def cycle_ending(renewal: date, years: int) -> Period:
    """A registration cycle of ``years`` that ends the day before ``renewal``."""
    start = renewal.replace(year=renewal.year - years)
    return Period(start, renewal - timedelta(days=1))


def add_months(day: date, months: int) -> date:
    """Shift by whole months, clamping the day to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_starts(period: Period) -> list[date]:
    """First days of the calendar months a bounded period touches."""
    if period.start is None or period.end is None:
        raise ValueError("month_starts needs a bounded period")
    months, current = [], period.start.replace(day=1)
    while current <= period.end:
        months.append(current)
        current = add_months(current, 1)
    return months
