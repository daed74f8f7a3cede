"""Defaults that make logging take seconds: the last supervisor, the usual duration, today.

They come from the newest records through ``RecordService.query`` (sorted and limited in SQL),
so they cost one small query however big the logbook is.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from datetime import date

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Direction
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, RecordKind, new_uid, utc_now
from logbook.services.logbook import Logbook

RECENT = 10


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
