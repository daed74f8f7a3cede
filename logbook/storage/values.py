"""Domain values from what a column stores: the one place stored text and numbers are read back.

The column types of ``types.py`` read through these functions for SQLAlchemy; the reader of
``reader.py`` reads with them what the standard library's ``sqlite3`` returns, choosing each
field's function from the type the domain declares for it (:func:`reader_for`), which is the type
its column was declared for in ``models.py``.

Dates are stored as ISO text (``2026-03-02``), times as ISO text in UTC, choices by their stable
value, flags as 0 or 1, and tuples as JSON lists.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar

from logbook.domain.choices import Choice, Indemnity
from logbook.domain.records import Registration, RoleSpell

C = TypeVar("C", bound=Choice)


def choice(kind: type[C], value: Any) -> C | None:
    """The choice a stored value stands for."""
    return None if value is None else kind(value)


def choices(kind: type[C], value: Any) -> tuple[C, ...]:
    """The choices a stored JSON list stands for (none for an empty or missing list)."""
    return tuple(kind(v) for v in json.loads(value)) if value else ()


def strings(value: Any) -> tuple[str, ...]:
    """The strings of a stored JSON list."""
    return tuple(json.loads(value)) if value else ()


def utc_datetime(value: Any) -> datetime | None:
    """The aware UTC datetime stored as ISO text."""
    return None if value is None else datetime.fromisoformat(value)


def day(value: Any) -> date | None:
    """The date stored as ISO text (none for a missing or empty one)."""
    return date.fromisoformat(value) if value else None


def flag(value: Any) -> bool | None:
    """A flag stored as 0 or 1."""
    return None if value is None else bool(value)


def roles(value: Any) -> tuple[RoleSpell, ...]:
    """The roles of a stored JSON list."""
    return tuple(
        RoleSpell(
            title=item["title"],
            start=date.fromisoformat(item["start"]),
            end=day(item.get("end")),
            organisation_uid=item.get("organisation_uid"),
        )
        for item in json.loads(value or "[]")
    )


def registrations(value: Any) -> tuple[Registration, ...]:
    """The registrations of a stored JSON list (a missing number, date or indemnity is read as
    none: registrations saved before the indemnity was asked for have none)."""
    return tuple(
        Registration(
            body=item["body"],
            number=item.get("number", ""),
            registered_on=day(item.get("registered_on")),
            renewal_date=day(item.get("renewal_date")),
            indemnity=Indemnity(item["indemnity"]) if item.get("indemnity") else None,
            indemnity_provider=item.get("indemnity_provider", ""),
        )
        for item in json.loads(value or "[]")
    )


def _as_stored(value: Any) -> Any:
    return value


def _optional(read: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else read(value)


def reader_for(declared: Any) -> Callable[[Any], Any]:
    """How a field the domain declares as ``declared`` is read from its column.

    Raises:
        TypeError: no column stores that type in a way known here (a type added since: the
            logbook is then read through SQLAlchemy, whose column types know it).
    """
    origin = typing.get_origin(declared)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(declared) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"no stored form is known for {declared}")
        return partial(_optional, reader_for(options[0]))
    if origin is tuple:
        item = typing.get_args(declared)[0]
        if item is str:
            return strings
        if item is RoleSpell:
            return roles
        if item is Registration:
            return registrations
        if isinstance(item, type) and issubclass(item, Choice):
            return partial(choices, item)
    elif isinstance(declared, type) and issubclass(declared, Choice):
        return partial(choice, declared)
    elif declared is bool:
        return flag
    elif declared is datetime:
        return utc_datetime
    elif declared is date:
        return day
    elif declared is float:
        return float
    elif declared in (int, str):
        return _as_stored
    raise TypeError(f"no stored form is known for {declared}")
