"""Entries that are allowed but look like a slip, for the form to confirm before saving.

A supervision session over 4 hours, more than 12 hours of practice on one day (with the day's
other entries; for an entry covering a period, more than 12 hours a day of it) and an exact copy
of an entry already logged are usually typing mistakes (6:00 for 1:00, a form saved twice), but
not always, so the user is asked rather than refused.
Practice entries are not checked for copies: several identical sessions in a day are normal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from logbook.domain.catalogue import KINDS
from logbook.domain.dates import describe_date
from logbook.domain.records import (
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    entry_date,
    minutes_of,
)

LONG_SUPERVISION_MINUTES = 4 * 60
LONG_PRACTICE_DAY_MINUTES = 12 * 60
# The kinds anything is asked about (the others have no durations or counterparts to slip).
WATCHED_KINDS = frozenset({RecordKind.SUPERVISION, RecordKind.PRACTICE})


@dataclass(frozen=True)
class Doubt:
    """Something that looks wrong with an entry, and the field it is about."""

    field: str
    message: str


def doubts(record: Record, same_day: Sequence[Record], before: Record | None = None) -> list[Doubt]:
    """What looks wrong with ``record``, given the logbook's entries of its kind on its date.

    Args:
        record: The entry about to be saved.
        same_day: Entries of the same kind filed under the same date (``record`` itself, if
            among them, is skipped).
        before: The record as saved before this edit: when its date, duration and counterpart
            are unchanged, nothing is asked again.
    """
    if before is not None and _key(before) == _key(record):
        return []
    others = [r for r in same_day if r.uid != record.uid]
    found: list[Doubt] = []
    if isinstance(record, SupervisionSession):
        found += _long_session(record)
    if isinstance(record, PracticeEntry):
        found += _long_day(record, others)
    found += _copies(record, others)
    return found


def _long_session(record: SupervisionSession) -> list[Doubt]:
    if record.duration_minutes <= LONG_SUPERVISION_MINUTES:
        return []
    return [
        Doubt(
            "duration_minutes",
            f"This supervision session lasts {_hours(record.duration_minutes)}: "
            f"more than {LONG_SUPERVISION_MINUTES // 60} hours for one session.",
        )
    ]


def _long_day(record: PracticeEntry, others: Sequence[Record]) -> list[Doubt]:
    if record.end_date is not None and record.end_date > record.date:
        return _long_period(record)
    total = minutes_of(record) + sum(minutes_of(r) for r in others)
    if total <= LONG_PRACTICE_DAY_MINUTES:
        return []
    counted = len([r for r in others if minutes_of(r)])
    with_others = (
        f", with the {counted} other {'entry' if counted == 1 else 'entries'} that day"
        if counted
        else ""
    )
    return [
        Doubt(
            "duration_minutes",
            f"Practice on {describe_date(record.date)} would come to {_hours(total)}"
            f"{with_others}: more than {LONG_PRACTICE_DAY_MINUTES // 60} hours in one day.",
        )
    ]


def _long_period(record: PracticeEntry) -> list[Doubt]:
    """An entry for a period holds its hours spread over its days: asked about when they come
    to more than a long day's every day."""
    assert record.end_date is not None
    days = (record.end_date - record.date).days + 1
    if minutes_of(record) <= LONG_PRACTICE_DAY_MINUTES * days:
        return []
    return [
        Doubt(
            "duration_minutes",
            f"Practice from {describe_date(record.date)} to {describe_date(record.end_date)} "
            f"would come to {_hours(minutes_of(record))} in {days} days: more than "
            f"{LONG_PRACTICE_DAY_MINUTES // 60} hours a day.",
        )
    ]


def _copies(record: Record, others: Sequence[Record]) -> list[Doubt]:
    info = KINDS[record.kind]
    if not (info.person_field and info.has_minutes):
        return []
    if not any(_key(other) == _key(record) for other in others):
        return []
    day = entry_date(record)
    when = f" on {describe_date(day)}" if day else ""
    noun = "supervision session" if isinstance(record, SupervisionSession) else "entry"
    return [
        Doubt(
            info.date_field or "",
            f"The same {noun}{when}, {_hours(minutes_of(record))} with the same person, is "
            "already in the logbook.",
        )
    ]


def _key(record: Record) -> tuple[object, ...]:
    """What makes two entries the same: kind, date, duration and counterpart."""
    info = KINDS[record.kind]
    return (
        record.kind,
        getattr(record, info.date_field, None) if info.date_field else None,
        getattr(record, "duration_minutes", None),
        getattr(record, info.person_field, None) if info.person_field else None,
    )


def _hours(minutes: int) -> str:
    """90 -> '1 hour 30 minutes'."""
    whole, rest = divmod(minutes, 60)
    parts = [f"{whole} hour{'s' * (whole != 1)}"] if whole else []
    parts += [f"{rest} minute{'s' * (rest != 1)}"] if rest or not whole else []
    return " ".join(parts)
