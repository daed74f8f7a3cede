"""Which dates may lie after today.

Supervision, practice, CPD, daily personal practice, feedback, reflective accounts and
discussions are recorded once they have happened, so a date after today is refused; so is a
completion date after today. A course, a retreat, a pathway's start and a milestone's due date
may be planned ahead: a date after today is allowed and shown as planned.

The form, ``logbook-cli add`` and CSV import apply these rules to new entries. Importing or
merging a whole logbook does not: it restores what was saved before, as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from logbook.domain.choices import PersonalPracticeKind
from logbook.domain.errors import Problem
from logbook.domain.records import Record, RecordKind

K = RecordKind
_AFTER = "it is recorded once it has happened"
_DONE = "it is recorded once it is done"

HAPPENED: dict[tuple[RecordKind, str], str] = {
    (K.SUPERVISION, "date"): f"A supervision session cannot be in the future: {_AFTER}",
    (K.PRACTICE, "date"): f"Practice cannot be in the future: {_AFTER}",
    (K.PRACTICE, "end_date"): f"A period of practice cannot end in the future: {_AFTER}",
    (K.CPD, "start_date"): f"A CPD activity cannot be in the future: {_AFTER}",
    (K.CPD, "end_date"): f"A CPD activity cannot end in the future: {_AFTER}",
    (K.PERSONAL_PRACTICE, "start_date"): f"Personal practice cannot be in the future: {_AFTER}",
    (K.FEEDBACK, "date"): f"Feedback cannot be in the future: {_AFTER}",
    (K.REFLECTIVE_ACCOUNT, "date"): f"A reflective account cannot be in the future: {_AFTER}",
    (K.ATTESTATION, "date"): f"A discussion or confirmation cannot be in the future: {_AFTER}",
    (K.MILESTONE, "completed_on"): f"A milestone cannot be completed in the future: {_DONE}",
    (K.PATHWAY, "completed_on"): f"A pathway cannot be completed in the future: {_DONE}",
}
PLANNED: frozenset[tuple[RecordKind, str]] = frozenset(
    {
        (K.COURSE, "start_date"),
        (K.COURSE, "end_date"),
        (K.MILESTONE, "due_date"),
        (K.PATHWAY, "started_on"),
    }
)
# A retreat is booked ahead; daily practice is logged once it is done.
_RETREAT_FIELDS = frozenset({"start_date", "end_date"})


@dataclass(frozen=True)
class DateRule:
    """What a date after today means for one field.

    Attributes:
        refusal: Why a date after today is refused ('' when it is allowed).
        planned: Whether a date after today is a plan, to be shown as such.
    """

    refusal: str = ""
    planned: bool = False


ANY_DATE = DateRule()


def date_rule(kind: RecordKind, field: str, values: Mapping[str, Any]) -> DateRule:
    """The rule for ``field`` of a ``kind`` record whose other fields are ``values``."""
    retreat = values.get("practice_kind") is PersonalPracticeKind.RETREAT
    if kind is K.PERSONAL_PRACTICE and retreat and field in _RETREAT_FIELDS:
        return DateRule(planned=True)
    if (kind, field) in PLANNED:
        return DateRule(planned=True)
    refusal = HAPPENED.get((kind, field), "")
    return DateRule(refusal=refusal) if refusal else ANY_DATE


def future_problems(record: Record, today: date, before: Record | None = None) -> list[Problem]:
    """Dates of ``record`` after ``today`` that its kind does not allow.

    Args:
        record: The entry about to be saved.
        today: The user's date today.
        before: The record as saved before this edit; a date it already had is not refused
            again (entries saved before this rule keep working).
    """
    values = vars(record)
    problems = []
    for name, value in values.items():
        # Timestamps are datetimes (a kind of date) and never a date the user chose.
        if not isinstance(value, date) or isinstance(value, datetime) or value <= today:
            continue
        if before is not None and getattr(before, name, None) == value:
            continue
        refusal = date_rule(record.kind, name, values).refusal
        if refusal:
            problems.append(Problem(name, refusal))
    return problems
