"""Wording of findings: amounts, periods and dates the way a practitioner reads them."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from logbook.domain.dates import MONTH_NAMES
from logbook.domain.periods import Period
from logbook.domain.requirements.model import Selector


def amount(value: float, unit: str) -> str:
    """``1.5, "hours"`` -> ``"1.50 hours"``; counts read as whole numbers when they are whole."""
    if unit == "hours":
        return f"{value:.2f} hours" if value != 1 else "1.00 hour"
    number = f"{value:g}" if value == int(value) else f"{value:.1f}"
    if not unit:
        return number
    if unit == "days" and value == 1:
        return f"{number} day"
    return f"{number} {unit}"


def cap(phrase: str) -> str:
    """Capitalise the first letter only ("fortnight 2 Nov" -> "Fortnight 2 Nov")."""
    return phrase[:1].upper() + phrase[1:]


def quantity(value: float, selector: Selector) -> str:
    """An amount with what it is of: "1.50 hours of supervision", "4 CPD activities"."""
    if selector.measure == "hours":
        return f"{amount(value, 'hours')} of {selector.noun}"
    return f"{amount(value, '')} {selector.noun}"


def target(value: float, unit: str) -> str:
    """A required figure as people quote it: "450 hours", "1.5 hours", "5"."""
    number = f"{value:g}" if abs(value - round(value, 2)) < 1e-9 else f"{value:.2f}"
    if not unit:
        return number
    if value == 1 and unit in ("hours", "days"):
        return f"1 {unit[:-1]}"
    return f"{number} {unit}"


def hm(minutes: float) -> str:
    """Minutes as h:mm, e.g. 90 -> ``"1:30"`` (rounded to the minute)."""
    whole = round(minutes)
    return f"{whole // 60}:{whole % 60:02d}"


# English month names, whatever the system locale (strftime would follow it, and is slower).
MONTHS = MONTH_NAMES
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)


@lru_cache(maxsize=65536)
def day(value: date) -> str:
    """ "3 Mar 2025"."""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"


@lru_cache(maxsize=65536)
def short_day(value: date) -> str:
    """ "3 Mar"."""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]}"


def span(period: Period) -> str:
    """A period as people write it: "1 Jan 2025 – 31 Dec 2027", "from 3 Mar 2025"."""
    if period.start and period.end:
        return f"{day(period.start)} – {day(period.end)}"
    if period.start:
        return f"from {day(period.start)}"
    if period.end:
        return f"up to {day(period.end)}"
    return "all dates"


def month(value: date) -> str:
    """ "March 2025"."""
    return f"{MONTHS[value.month - 1]} {value.year}"


@lru_cache(maxsize=16384)
def period_label(period: Period, every: str) -> str:
    """How a checked period is named: "March 2025", "week of 3 Mar 2025", "2025"."""
    assert period.start is not None
    assert period.end is not None
    if every == "month":
        return month(period.start)
    if every == "year":
        if period.start.month == 1 and period.start.day == 1:
            return str(period.start.year)
        return f"{day(period.start)} – {day(period.end)}"
    if every == "week":
        return f"week of {day(period.start)}"
    if every == "fortnight":
        return f"fortnight {short_day(period.start)} – {day(period.end)}"
    return f"{day(period.start)} – {day(period.end)}"


def months_between(start: date, end: date) -> str:
    """A span in words: "3 months 18 days", "2 years 1 month"."""
    months = (end.year - start.year) * 12 + end.month - start.month
    anchor = _add_months(start, months)
    if anchor > end:
        months -= 1
        anchor = _add_months(start, months)
    days = (end - anchor).days
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    if days or not parts:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    return " ".join(parts)


def _add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    year, month_index = divmod(index, 12)
    for candidate in (value.day, 30, 29, 28):
        try:
            return date(year, month_index + 1, min(value.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def days_before(value: date, days: int) -> date:
    return value - timedelta(days=days)
