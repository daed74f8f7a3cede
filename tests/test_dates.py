"""Reading typed dates: day first as in the UK, and refused with a reason rather than guessed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from logbook.domain.dates import describe_date, format_date, parse_date

TODAY = date(2026, 12, 2)  # a Wednesday

READ = [
    # Numbers: always day, month, year.
    ("25/11/2026", date(2026, 11, 25)),
    ("25/11/26", date(2026, 11, 25)),
    ("25-11-2026", date(2026, 11, 25)),
    ("25.11.2026", date(2026, 11, 25)),
    ("25 11 2026", date(2026, 11, 25)),
    ("3/9/2026", date(2026, 9, 3)),
    ("03/09/2026", date(2026, 9, 3)),
    ("12/11/10", date(2010, 11, 12)),
    ("  25/11/2026  ", date(2026, 11, 25)),
    ("29/2/2028", date(2028, 2, 29)),
    ("31/12/99", date(1999, 12, 31)),  # more than 20 years ahead: last century
    ("1/1/46", date(2046, 1, 1)),  # 20 years ahead: this century
    # Year first with four digits: ISO order.
    ("2026-11-25", date(2026, 11, 25)),
    ("2026/11/25", date(2026, 11, 25)),
    ("2026.1.5", date(2026, 1, 5)),
    # Named months, either side of the day.
    ("25 Nov 2026", date(2026, 11, 25)),
    ("25 November 2026", date(2026, 11, 25)),
    ("25-Nov-2026", date(2026, 11, 25)),
    ("25th November 2026", date(2026, 11, 25)),
    ("1st Dec 26", date(2026, 12, 1)),
    ("Nov 25 2026", date(2026, 11, 25)),
    ("November 25, 2026", date(2026, 11, 25)),
    ("Sept 3 2026", date(2026, 9, 3)),
    ("3 sept 2026", date(2026, 9, 3)),
    ("25 NOV 2026", date(2026, 11, 25)),
    ("Wed 25 Nov 2026", date(2026, 11, 25)),
    ("Wednesday, 25 November 2026", date(2026, 11, 25)),
    # No year: this calendar year.
    ("25 November", date(2026, 11, 25)),
    ("25 nov", date(2026, 11, 25)),
    ("nov 25", date(2026, 11, 25)),
    ("25/11", date(2026, 11, 25)),
    ("1 Jan", date(2026, 1, 1)),
    # Words, counted from today.
    ("today", TODAY),
    ("Today", TODAY),
    ("yesterday", date(2026, 12, 1)),
    ("tomorrow", date(2026, 12, 3)),
    ("Monday", date(2026, 11, 30)),  # the most recent Monday
    ("wed", TODAY),  # today is a Wednesday: the most recent is today
    ("last Monday", date(2026, 11, 30)),
    ("last Wednesday", date(2026, 11, 25)),  # "last" is before today
    ("next Monday", date(2026, 12, 7)),
    ("next wed", date(2026, 12, 9)),
    ("Sunday", date(2026, 11, 29)),
    ("thurs", date(2026, 11, 26)),
]

REFUSED = [
    ("31/02/2026", "31/02/2026 is not a date: February 2026 has 28 days"),
    ("29/2/2027", "29/2/2027 is not a date: February 2027 has 28 days"),
    ("31/4/2026", "31/4/2026 is not a date: April 2026 has 30 days"),
    ("0/11/2026", "0/11/2026 is not a date: November 2026 has 30 days"),
    ("25/13/2026", "25/13/2026 is not a date: there is no month 13"),
    ("11/25/2026", "11/25/2026 is not a date: the day comes first, e.g. 25/11/2026"),
    ("32 Nov 2026", "32 Nov 2026 is not a date: November 2026 has 30 days"),
    ("", "Type a date, e.g. 25/11/2026"),
    ("   ", "Type a date, e.g. 25/11/2026"),
    ("25", "Type the day, month and year, e.g. 25/11/2026"),
    ("11/2026", "Type the day, month and year, e.g. 25/11/2026"),
    ("25112026", "Put / between the day, month and year, e.g. 25/11/2026"),
    ("25/11/202", "25/11/202: type the year in full, e.g. 25/11/2026"),
    ("Nov 2026", "Type the day too, e.g. 25 Nov 2026"),
    ("November", "Type the day too, e.g. 25 Nov 2026"),
    ("Tue 25 Nov 2026", "25 Nov 2026 is a Wednesday, not a Tuesday"),
    ("this Monday", "“this Monday” could mean more than one day"),
    ("25/11-2026", "Put the same mark between the day, month and year, e.g. 25/11/2026"),
    ("1/2/3", "1/2/3: type the year in full, e.g. 25/11/2026"),
    ("soon", "“soon” is not a date"),
    ("1/1/1900", "1/1/1900 is outside the dates a logbook keeps (1950 to 2100)"),
    ("1/1/2101", "outside the dates a logbook keeps"),
    ("1/1/47", "1/1/47 is outside the dates a logbook keeps"),  # 1947: more than 20 years ahead
]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_what_people_type_is_read_day_first(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_what_is_not_one_date_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_date(text, TODAY)


def test_the_table_covers_at_least_forty_inputs() -> None:
    assert len(READ) + len(REFUSED) >= 40


def test_a_date_is_shown_with_its_weekday_and_typed_day_first() -> None:
    assert describe_date(date(2026, 11, 25)) == "Wed 25 Nov 2026"
    assert describe_date(date(2026, 9, 3)) == "Thu 3 Sep 2026"
    assert format_date(date(2026, 9, 3)) == "03/09/2026"
    assert parse_date(format_date(date(2026, 9, 3)), TODAY) == date(2026, 9, 3)
