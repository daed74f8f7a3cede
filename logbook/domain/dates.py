"""Dates as people in the UK type them: always day first, never guessed.

``parse_date`` reads what a practitioner types into a date field and either returns one date or
raises ``ValueError`` with a reason to show beside the field. The rules:

* Numbers are day, month, year, in that order: ``25/11/2026``, ``25-11-2026``, ``25.11.2026``,
  ``3/9/2026`` (3 September). A four-digit year first means ISO order: ``2026-11-25``.
* A two-digit year is in this century unless that would put it more than 20 years ahead of
  today (``26`` is 2026; ``98`` is 1998).
* A month may be named, before or after the day: ``25 Nov 2026``, ``25th November``,
  ``Nov 25 2026``. A leading weekday is checked against the date (``Tue 25 Nov 2026``).
* Without a year (``25 Nov``, ``25/11``), the date is in the current calendar year.
* ``today``, ``yesterday`` and ``tomorrow``; ``Monday`` is the most recent Monday (today, if
  today is a Monday), ``last Monday`` the one before today, ``next Monday`` the first after
  today. ``this Monday`` is refused: people mean different days by it.

Anything else, or a day the calendar does not have (``31/02/2026``), is refused with a reason.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

EARLIEST = date(1950, 1, 1)
LATEST = date(2100, 12, 31)
EXAMPLE = "25/11/2026"
# How far ahead a two-digit year may reach before it is read as last century.
_TWO_DIGIT_REACH = 20

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}
# Named in English whatever the system's language (``calendar`` follows the locale).
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = "(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d+)"
_PATTERNS = (
    # 2026-11-25 or 2026/11/25: a four-digit year first is the international order.
    re.compile(r"^(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})$"),
    # 25/11/2026, 25-11-26, 25.11.2026, 25 11 2026, 25/11: day first, one kind of separator.
    re.compile(r"^(?P<day>\d{1,2})(?P<sep>[-/. ])(?P<month>\d{1,2})(?:(?P=sep)" + _YEAR + ")?$"),
    # 25 Nov 2026, 25th November, 25-Nov-2026.
    re.compile(rf"^{_DAY}[ \-/]?{_MONTH}(?:[ \-/]?{_YEAR})?$"),
    # Nov 25 2026, November 25th: a named month cannot be mistaken for a day.
    re.compile(rf"^{_MONTH} {_DAY}(?: {_YEAR})?$"),
)
_WEEKDAY_ONLY = re.compile(rf"^(?:(?P<which>last|next|this) )?{_WEEKDAY}$")
_LEADING_WEEKDAY = re.compile(rf"^{_WEEKDAY} (?P<rest>.+)$")
_NUMBERS_ONLY = re.compile(r"^[\d\s/.\-]+$")
_MONTH_YEAR = re.compile(rf"^{_MONTH}(?: \d+)?$")


def parse_date(text: str, today: date) -> date:
    """The date ``text`` names, read day first as in the UK.

    Args:
        text: What was typed, e.g. ``25/11/2026``, ``25 Nov``, ``yesterday``, ``last Monday``.
        today: The day the text is read on (relative words count from it).

    Raises:
        ValueError: the text names no date, or no single date; the message says why and
            shows a form that works.
    """
    typed = text.strip()
    words = _simplify(typed)
    if not words:
        raise ValueError(f"Type a date, e.g. {EXAMPLE}")
    if words in RELATIVE:
        return _checked(today + timedelta(days=RELATIVE[words]), typed)
    if match := _WEEKDAY_ONLY.match(words):
        return _checked(_weekday(match["which"], WEEKDAYS[match["weekday"]], today, typed), typed)
    if match := _LEADING_WEEKDAY.match(words):
        day = parse_date(match["rest"], today)
        _check_weekday(day, WEEKDAYS[match["weekday"]])
        return day
    for pattern in _PATTERNS:
        if match := pattern.match(words):
            return _from_parts(match.groupdict(), typed, today)
    raise ValueError(_unreadable(words, typed))


def describe_date(day: date) -> str:
    """A date as the app shows it beside a field: ``Tue 25 Nov 2026``."""
    weekday, month = WEEKDAY_NAMES[day.weekday()][:3], MONTH_NAMES[day.month - 1][:3]
    return f"{weekday} {day.day} {month} {day.year}"


def short_date(day: date) -> str:
    """A date in running text: ``25 Nov 2026`` (English, whatever the system's language)."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def format_date(day: date) -> str:
    """A date as it is typed: ``25/11/2026``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


# --- reading -----------------------------------------------------------------------------------


def _simplify(text: str) -> str:
    """Lower case, single spaces, no commas: "Tue, 25 Nov. 2026" -> "tue 25 nov. 2026"."""
    return " ".join(text.lower().replace(",", " ").split())


def _weekday(which: str | None, weekday: int, today: date, typed: str) -> date:
    if which == "this":
        name = WEEKDAY_NAMES[weekday]
        raise ValueError(
            f"“{typed}” could mean more than one day: type “{name}” for the most recent, "
            f"“next {name}”, or the date"
        )
    back = (today.weekday() - weekday) % 7
    if which == "last":
        return today - timedelta(days=back or 7)
    if which == "next":
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return today - timedelta(days=back)


def _check_weekday(day: date, weekday: int) -> None:
    if day.weekday() != weekday:
        raise ValueError(
            f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year} is a "
            f"{WEEKDAY_NAMES[day.weekday()]}, not a {WEEKDAY_NAMES[weekday]}"
        )


def _from_parts(parts: dict[str, str | None], typed: str, today: date) -> date:
    day = int(parts["day"] or 0)
    named = parts.get("month_name")
    month = MONTHS[named] if named else int(parts.get("month") or 0)
    year = _year(parts.get("year"), today, typed)
    if not 1 <= month <= 12:
        if 1 <= day <= 12 and 13 <= month <= 31:
            raise ValueError(f"{typed} is not a date: the day comes first, e.g. {EXAMPLE}")
        raise ValueError(f"{typed} is not a date: there is no month {month}")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise ValueError(
            f"{typed} is not a date: {MONTH_NAMES[month - 1]} {year} has {days_in_month} days"
        )
    return _checked(date(year, month, day), typed)


def _year(text: str | None, today: date, typed: str) -> int:
    if text is None:
        return today.year
    if len(text) == 2:
        year = 2000 + int(text)
        return year if year <= today.year + _TWO_DIGIT_REACH else year - 100
    if len(text) == 4:
        return int(text)
    raise ValueError(f"{typed}: type the year in full, e.g. {EXAMPLE}")


def _checked(day: date, typed: str) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            f"{typed} is outside the dates a logbook keeps ({EARLIEST.year} to {LATEST.year})"
        )
    return day


def _unreadable(words: str, typed: str) -> str:
    if _NUMBERS_ONLY.match(words):
        if words.isdigit() and len(words) > 4:
            return f"Put / between the day, month and year, e.g. {EXAMPLE}"
        if len(re.findall(r"\d+", words)) == 3:
            return f"Put the same mark between the day, month and year, e.g. {EXAMPLE}"
        return f"Type the day, month and year, e.g. {EXAMPLE}"
    if _MONTH_YEAR.match(words):
        return "Type the day too, e.g. 25 Nov 2026"
    return f"“{typed}” is not a date: type e.g. {EXAMPLE}, 25 Nov or yesterday"
