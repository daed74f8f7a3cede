"""Records to plain JSON values and back, and text (CSV cells, command-line values) to fields.

One codec serves the JSON exchange format, CSV import, the command line and the canonical
content that sign-off signs, so a field means the same thing everywhere.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Choice
from logbook.domain.durations import parse_duration
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.records import Record, RecordKind

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}
LIST_SEPARATOR = ";"


@cache
def field_types(kind: RecordKind) -> dict[str, Any]:
    """The declared type of each constructor field of a kind."""
    hints = typing.get_type_hints(KINDS[kind].record_type)
    return {name: hints[name] for name in KINDS[kind].field_names}


def encode(record: Record) -> dict[str, Any]:
    """A JSON-ready dict of every field of ``record`` (plus its kind)."""
    data = {name: _encode_value(getattr(record, name)) for name in KINDS[record.kind].field_names}
    return {"kind": record.kind.value, **data}


def _encode_value(value: Any) -> Any:
    if isinstance(value, Choice):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode_value(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def decode(kind: RecordKind, data: Mapping[str, Any], *, source: str = "") -> Record:
    """Build a record from JSON values, reporting every bad or unknown field at once.

    Raises:
        ValidationError: naming each field that is missing, unknown or of the wrong type.
    """
    types_ = field_types(kind)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name in data:
        if name != "kind" and name not in types_:
            problems.append(Problem(name, "unknown field", source=source or None))
    for name, tp in types_.items():
        if name not in data:
            continue
        try:
            values[name] = _decode_value(tp, data[name])
        except (TypeError, ValueError, KeyError) as error:
            problems.append(Problem(name, str(error), source=source or None))
    if not problems:
        try:
            return KINDS[kind].record_type(**values)
        except TypeError as error:
            problems.append(Problem("", _missing_fields(error), source=source or None))
    raise ValidationError(problems, f"A {kind.label.lower()} record could not be read")


def _missing_fields(error: TypeError) -> str:
    text = str(error)
    if "missing" in text and "argument" in text:
        return "required field(s) missing: " + text.split(":", 1)[-1].strip().replace("'", "")
    return text


def _decode_value(tp: Any, raw: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if raw is None else _decode_value(options[0], raw)
    if origin is tuple:
        if not isinstance(raw, list):
            raise TypeError("expected a list")
        inner = typing.get_args(tp)[0]
        return tuple(_decode_value(inner, item) for item in raw)
    if isinstance(tp, type) and issubclass(tp, Choice):
        return tp(raw)
    if tp is bool:
        if not isinstance(raw, bool):
            raise TypeError("expected true or false")
        return raw
    if tp is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError("expected a whole number")
        return raw
    if tp is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise TypeError("expected a number")
        return float(raw)
    if tp is str:
        if not isinstance(raw, str):
            raise TypeError("expected text")
        return raw
    if tp is datetime:
        value = _iso(datetime, raw, "a timestamp (YYYY-MM-DDThh:mm:ss+00:00)")
        if value.tzinfo is None:
            raise ValueError("a timestamp needs its time zone (UTC)")
        return value
    if tp is date:
        return _iso(date, raw, "a date (YYYY-MM-DD)")
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(raw, dict):
            raise TypeError(f"expected an object for {tp.__name__}")
        hints = typing.get_type_hints(tp)
        return tp(**{k: _decode_value(hints[k], v) for k, v in raw.items()})
    raise TypeError(f"unsupported field type {tp}")


def _iso(tp: type[date] | type[datetime], raw: Any, expected: str) -> Any:
    if not isinstance(raw, str):
        raise TypeError(f"expected {expected}")
    try:
        return tp.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"'{raw}' is not {expected}") from None


def parse_text(kind: RecordKind, name: str, text: str) -> Any:
    """Read one field of ``kind`` from what a person typed or a CSV cell holds.

    Empty text means "no value" for optional fields. Durations accept 90, 1:30 or 1.5h; lists
    are separated by semicolons; yes/no, true/false and 1/0 are all booleans.

    Raises:
        ValueError: with a message that says what was expected.
    """
    tp = field_types(kind)[name]
    value = text.strip()
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        if not value:
            return None
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
        origin = typing.get_origin(tp)
    if origin is tuple:
        return tuple(p.strip() for p in value.split(LIST_SEPARATOR) if p.strip())
    if name == "duration_minutes":
        return parse_duration(value)
    if isinstance(tp, type) and issubclass(tp, Choice):
        return tp.parse(value)
    if tp is bool:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError(f"'{text}' is not yes or no")
    if tp is int:
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"'{text}' is not a whole number") from None
    if tp is float:
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"'{text}' is not a number") from None
    if tp is date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD)") from None
    if tp is str:
        return value
    raise ValueError(f"{name} cannot be set from text")
