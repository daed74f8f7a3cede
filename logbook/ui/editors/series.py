"""Recurring supervision: the dates of a weekly, fortnightly or monthly series."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from enum import StrEnum

from logbook.domain.periods import add_months
from logbook.domain.records import Record, new_uid, utc_now

MAX_OCCURRENCES = 104


class Frequency(StrEnum):
    """How often the sessions of a series recur."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return {"weekly": "Every week", "fortnightly": "Every fortnight", "monthly": "Every month"}[
            self.value
        ]


def series_dates(
    first: date, frequency: Frequency, *, until: date | None = None, count: int | None = None
) -> list[date]:
    """The dates of a series starting on ``first``, up to ``until`` (inclusive) or ``count`` times.

    Monthly dates keep the day of the month of ``first`` where the month has it (31 January,
    then 28 or 29 February, then 31 March). At most ``MAX_OCCURRENCES`` dates are returned.

    Raises:
        ValueError: neither or both of ``until`` and ``count`` were given, or they allow no date.
    """
    if (until is None) == (count is None):
        raise ValueError("give either an end date or a number of sessions")
    if count is not None and count < 1:
        raise ValueError("a series needs at least one session")
    if until is not None and until < first:
        raise ValueError("the series ends before its first session")
    dates: list[date] = []
    index = 0
    while len(dates) < MAX_OCCURRENCES:
        if frequency is Frequency.MONTHLY:
            day = add_months(first, index)
        else:
            day = first + timedelta(weeks=index * (2 if frequency is Frequency.FORTNIGHTLY else 1))
        if until is not None and day > until:
            break
        dates.append(day)
        index += 1
        if count is not None and len(dates) == count:
            break
    return dates


def series_records(record: Record, dates: list[date], date_field: str = "date") -> list[Record]:
    """Copies of ``record``, one per date; the first keeps the record's identity."""
    now = utc_now()
    copies = []
    for index, day in enumerate(dates):
        identity = {} if index == 0 else {"uid": new_uid(), "created_at": now, "updated_at": now}
        copies.append(dataclasses.replace(record, **{date_field: day}, **identity))  # type: ignore[arg-type]
    return copies
