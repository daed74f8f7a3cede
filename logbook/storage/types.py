"""Column types that hand back domain values (enums, tuples, aware datetimes) unchanged.

They read stored values back through ``values.py``, as the reader of ``reader.py`` does.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Dialect, String, Text
from sqlalchemy.types import TypeDecorator

from logbook.domain.catalogue import empty_later_parts
from logbook.domain.choices import Choice
from logbook.domain.records import Registration, RoleSpell
from logbook.storage import values


class ChoiceType(TypeDecorator[Choice]):
    """Stores a Choice by its stable value."""

    impl = String(40)
    cache_ok = True

    def __init__(self, choice: type[Choice]) -> None:
        super().__init__()
        self.choice = choice

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """The stored value of a choice (a choice's value is accepted too, and checked)."""
        return None if value is None else self.choice(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> Choice | None:
        """The choice a stored value stands for."""
        return values.choice(self.choice, value)


class ChoiceTuple(TypeDecorator[tuple[Choice, ...]]):
    """Several choices of one vocabulary, as a JSON list of their stored values."""

    impl = Text
    cache_ok = True

    def __init__(self, choice: type[Choice]) -> None:
        super().__init__()
        self.choice = choice

    def process_bind_param(self, value: Any, dialect: Dialect) -> str:
        """The stored values as a JSON list (each checked; an empty list for none)."""
        return json.dumps([self.choice(v).value for v in value or ()])

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[Choice, ...]:
        """The choices a stored JSON list stands for."""
        return values.choices(self.choice, value)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes, stored as ISO text so they sort and survive any driver."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """ISO text in UTC, to the second.

        Raises:
            ValueError: the datetime has no time zone, so its moment is unknown.
        """
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the logbook stores UTC")
        return str(value.astimezone(UTC).isoformat(timespec="seconds"))

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """The aware UTC datetime stored as ISO text."""
        return values.utc_datetime(value)


class StringTuple(TypeDecorator[tuple[str, ...]]):
    """A tuple of short strings (themes, roles) as a JSON list."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str:
        """The strings as a JSON list (an empty list for none)."""
        return json.dumps(list(value or ()), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[str, ...]:
        """The strings of a stored JSON list."""
        return values.strings(value)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class RolesType(TypeDecorator[tuple[RoleSpell, ...]]):
    """The roles of a profile, each with its dates, as a JSON list."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str:
        """The roles as a JSON list of objects, dates as ISO text."""
        return json.dumps([{k: _iso(v) for k, v in asdict(r).items()} for r in value or ()])

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[RoleSpell, ...]:
        """The roles of a stored JSON list."""
        return values.roles(value)


class RegistrationsType(TypeDecorator[tuple[Registration, ...]]):
    """The professional registrations of a profile, with their dates, as a JSON list."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str:
        """The registrations as a JSON list of objects, dates as ISO text (an indemnity only
        once recorded, so a registration without one is stored as it always was)."""
        return json.dumps(
            [
                {k: _iso(v) for k, v in asdict(r).items() if k not in empty_later_parts(r)}
                for r in value or ()
            ]
        )

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[Registration, ...]:
        """The registrations of a stored JSON list (a missing number or date is read as none)."""
        return values.registrations(value)
