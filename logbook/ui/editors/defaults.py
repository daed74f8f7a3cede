"""Defaults that make logging take seconds: the last supervisor, the usual duration, today.

They come from the newest records through ``RecordService.query`` (sorted and limited in SQL),
so they cost one small query however big the logbook is.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import (
    Direction,
    FacilitationRole,
    MilestoneStatus,
    PersonalPracticeKind,
    SupervisionMethod,
    TeachingRole,
)
from logbook.domain.errors import NotFoundError
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Person,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
    new_uid,
    utc_now,
)
from logbook.services.logbook import Logbook

RECENT = 10
# A course role as the role of one of its sessions in the practice log.
SESSION_ROLES = {
    TeachingRole.LEAD: FacilitationRole.LEAD,
    TeachingRole.CO_TEACHER: FacilitationRole.CO_FACILITATOR,
    TeachingRole.TRAINEE: FacilitationRole.CO_FACILITATOR,
}


def recent(
    logbook: Logbook, kind: RecordKind, *, direction: Direction | None = None
) -> list[Record]:
    """The newest records of a kind (newest first)."""
    return logbook.records.query(RecordQuery(kind, direction=direction, limit=RECENT))


def usual_minutes(records: Sequence[Record], fallback: int = 60) -> int:
    """The most common duration among ``records`` (newest first); a tie goes to the newest."""
    durations = [int(getattr(r, "duration_minutes", 0) or 0) for r in records]
    durations = [d for d in durations if d > 0]
    if not durations:
        return fallback
    counts = Counter(durations)
    best = max(counts.values())
    return next(d for d in durations if counts[d] == best)


def duplicate(record: Record, today: date | None = None) -> Record:
    """A copy of ``record`` as a new entry dated today (a span keeps its length)."""
    today = today or date.today()
    now = utc_now()
    changes: dict[str, object] = {"uid": new_uid(), "created_at": now, "updated_at": now}
    changes["revision"] = 1
    date_field = KINDS[record.kind].date_field
    start = getattr(record, date_field, None) if date_field else None
    if date_field and isinstance(start, date):
        changes[date_field] = today
        end = getattr(record, "end_date", None)
        if isinstance(end, date):
            changes["end_date"] = today + (end - start)
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


# --- values that follow a choice made in the form ----------------------------------------------
# Each takes the form's current values and returns the fields it would fill; the form fills
# only those the user has not changed.


def _find(logbook: Logbook, kind: RecordKind, uid: Any) -> Record | None:
    if not isinstance(uid, str) or not uid:
        return None
    try:
        return logbook.records.get(kind, uid)
    except NotFoundError:
        return None


def supervisor_usuals(values: Mapping[str, Any], logbook: Logbook) -> dict[str, Any]:
    """The picked person's organisation, and the type, mode and length of their most recent
    session in the same direction."""
    person = _find(logbook, RecordKind.PERSON, values.get("counterpart_uid"))
    if not isinstance(person, Person):
        return {}
    direction = values.get("direction") or Direction.RECEIVED
    query = RecordQuery(RecordKind.SUPERVISION, person_uid=person.uid, direction=direction, limit=1)
    found = logbook.records.query(query)
    last = found[0] if found and isinstance(found[0], SupervisionSession) else None
    filled: dict[str, Any] = {}
    organisation = person.organisation_uid or (last.organisation_uid if last else None)
    if organisation:
        filled["organisation_uid"] = organisation
    if last is not None:
        filled["supervision_type"] = last.supervision_type
        filled["mode"] = last.mode
        filled["duration_minutes"] = last.duration_minutes
    return filled


def course_details(values: Mapping[str, Any], logbook: Logbook) -> dict[str, Any]:
    """The picked course's population (as the client group), role, setting and organisation."""
    course = _find(logbook, RecordKind.COURSE, values.get("course_uid"))
    if not isinstance(course, TeachingCourse):
        return {}
    filled: dict[str, Any] = {"role": SESSION_ROLES[course.role], "setting": course.setting}
    if course.population:
        filled["client_group"] = course.population
    if course.organisation_uid:
        filled["organisation_uid"] = course.organisation_uid
    return filled


def retreat_days(values: Mapping[str, Any], logbook: Logbook) -> dict[str, Any]:
    """A retreat's days counted from its first to its last day (one day without an end)."""
    start, end = values.get("start_date"), values.get("end_date")
    if values.get("practice_kind") is not PersonalPracticeKind.RETREAT:
        return {}
    if not isinstance(start, date) or (isinstance(end, date) and end < start):
        return {}
    days = (end - start).days + 1 if isinstance(end, date) else 1
    return {"days": float(min(days, 365))}


def live_from_methods(values: Mapping[str, Any], logbook: Logbook) -> dict[str, Any]:
    """Live, for a session whose methods include live observation (the work was watched as it
    happened); taking the method away leaves ``live`` as it is, for the user to decide."""
    if SupervisionMethod.LIVE_OBSERVATION not in values.get("methods", ()):
        return {}
    return {"live": True}


def completion_date(values: Mapping[str, Any], logbook: Logbook) -> dict[str, Any]:
    """Today, for a milestone just marked complete."""
    if values.get("status") is not MilestoneStatus.COMPLETE:
        return {}
    return {"completed_on": date.today()}
