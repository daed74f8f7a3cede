"""Hypothesis strategies for valid records of every kind (shared by property and fuzz tests)."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from logbook.domain.catalogue import KINDS, REFERENCE_LISTS, REFERENCES
from logbook.domain.choices import (
    Choice,
    Indemnity,
    MilestoneStatus,
    PersonalPracticeKind,
    SupervisionFormat,
)
from logbook.domain.codec import field_types
from logbook.domain.records import Record, RecordKind, Registration, RoleSpell
from logbook.domain.validation import validate

REQUIRED_TEXT = {"name", "title", "summary", "by_name", "filename"}
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
required_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)
days = st.dates(date(1990, 1, 1), date(2060, 12, 31))
moments = st.datetimes(datetime(2000, 1, 1), datetime(2060, 1, 1)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC)
)

NUMBERS: dict[str, st.SearchStrategy[Any]] = {
    "duration_minutes": st.integers(1, 1440),
    "revision": st.integers(1, 10_000),
    "group_size": st.integers(2, 50),
    "share_percent": st.integers(1, 100),
    "sessions_planned": st.integers(1, 52),
    "sessions_delivered": st.integers(0, 8),
    "participants": st.integers(0, 500),
    "clients": st.integers(1, 500),
    "silence_percent": st.integers(0, 100),
    "sequence": st.integers(0, 100),
    "size": st.integers(0, 10**9),
    "days": st.sampled_from([0.5, 1.0, 2.5, 5.0, 7.0]),
    "group_contracted_size": st.none() | st.integers(2, 50),
    "training_hours": st.none() | st.sampled_from([0.0, 12.5, 120.0, 250.5]),
}


def _for_type(name: str, tp: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(tp)
    if name in REFERENCES or name == "owner_uid":
        return st.none() if name != "pathway_uid" and name != "owner_uid" else st.uuids().map(str)
    if name in REFERENCE_LISTS:
        return st.just(())
    if name == "by_email":
        return st.sampled_from(["", "colleague@example.org", "a.shah@nhs.net"])
    if name == "sha256":
        return st.binary(min_size=32, max_size=32).map(bytes.hex)
    if name in NUMBERS:
        return NUMBERS[name]
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        inner = next(a for a in typing.get_args(tp) if a is not type(None))
        return st.none() | _for_type(name, inner)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if inner is RoleSpell:
            item: st.SearchStrategy[Any] = st.builds(
                RoleSpell,
                title=required_text,
                start=days,
                end=st.none(),
                organisation_uid=st.none(),
            )
        elif inner is Registration:
            item = st.builds(
                Registration,
                body=required_text,
                number=text,
                registered_on=st.none(),
                renewal_date=st.none() | days,
                indemnity=st.none() | st.sampled_from(list(Indemnity)),
                indemnity_provider=text,
            )
        elif isinstance(inner, type) and issubclass(inner, Choice):
            return st.lists(st.sampled_from(list(inner)), max_size=4, unique=True).map(tuple)
        else:
            item = text
        return st.lists(item, max_size=4).map(tuple)
    if isinstance(tp, type) and issubclass(tp, Choice):
        return st.sampled_from(list(tp))
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(0, 1000)
    if tp is float:
        return st.floats(0, 100, allow_nan=False)
    if tp is date:
        return days
    if tp is datetime:
        return moments
    if tp is str:
        return required_text if name in REQUIRED_TEXT else text
    raise TypeError(f"no strategy for {name}: {tp}")


def _repair(record: Record) -> Record:
    """Adjust cross-field combinations that validation rejects."""
    changes: dict[str, Any] = {}
    if record.updated_at < record.created_at:
        changes["updated_at"] = record.created_at + timedelta(seconds=1)
    if getattr(record, "format", None) is SupervisionFormat.GROUP and record.group_size is None:  # type: ignore[attr-defined]
        changes["group_size"] = 4
    if getattr(record, "format", None) is SupervisionFormat.INDIVIDUAL:
        changes["group_size"] = None
        changes["group_contracted_size"] = None
    start = getattr(record, "start_date", None)
    end = getattr(record, "end_date", None)
    if start and end and end < start:
        changes["end_date"] = start
    day = getattr(record, "date", None)
    if day and end and end < day:
        changes["end_date"] = day
    if hasattr(record, "participatory_minutes") and record.participatory_minutes is not None:  # type: ignore[attr-defined]
        part = min(record.participatory_minutes, record.duration_minutes)  # type: ignore[attr-defined]
        changes["participatory_minutes"] = part if record.participatory else None  # type: ignore[attr-defined]
    if getattr(record, "supervisor_agreed", False) and (
        record.practice_kind is not PersonalPracticeKind.RETREAT or record.teacher_led  # type: ignore[attr-defined]
    ):
        changes["supervisor_agreed"] = False
    if hasattr(record, "sessions_planned"):
        changes["sessions_delivered"] = min(record.sessions_delivered, record.sessions_planned)  # type: ignore[attr-defined]
    if getattr(record, "practice_kind", None) is PersonalPracticeKind.DAILY_PRACTICE:
        changes["duration_minutes"] = max(1, record.duration_minutes)  # type: ignore[attr-defined]
    if hasattr(record, "status") and hasattr(record, "completed_on"):
        done = record.status is MilestoneStatus.COMPLETE  # type: ignore[attr-defined]
        changes["completed_on"] = (record.completed_on or date(2020, 1, 1)) if done else None  # type: ignore[attr-defined]
    if hasattr(record, "started_on") and hasattr(record, "completed_on") and record.started_on:  # type: ignore[attr-defined]
        changes["completed_on"] = None
    return dataclasses.replace(record, **changes) if changes else record


def records(kind: RecordKind) -> st.SearchStrategy[Record]:
    """Valid records of ``kind``; references to other records are left empty."""
    kwargs = {name: _for_type(name, tp) for name, tp in field_types(kind).items()}
    kwargs["uid"] = st.uuids().map(str)
    return (
        st.builds(KINDS[kind].record_type, **kwargs).map(_repair).filter(lambda r: not validate(r))
    )
