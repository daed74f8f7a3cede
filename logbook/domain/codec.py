"""Records to plain JSON values and back, and text (CSV cells, command-line values) to fields.

One codec serves the JSON exchange format, CSV import, the command line and the canonical
content that sign-off signs, so a field means the same thing everywhere.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from logbook.domain.catalogue import KINDS, empty_later_parts
from logbook.domain.choices import Choice
from logbook.domain.dates import parse_date
from logbook.domain.durations import parse_duration
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.limits import MAX_REVISION, MAX_SAFE_INTEGER, describe
from logbook.domain.records import Record, RecordKind

_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}
LIST_SEPARATOR = ";"
# Whole minutes typed as a duration (90, 1:30 or 1.5h).
DURATION_FIELDS = frozenset({"duration_minutes", "participatory_minutes"})


@cache
def field_types(kind: RecordKind) -> dict[str, Any]:
    """The declared type of each constructor field of a kind."""
    hints = typing.get_type_hints(KINDS[kind].record_type)
    return {name: hints[name] for name in KINDS[kind].field_names}


def encode(record: Record) -> dict[str, Any]:
    """A JSON-ready dict of every field of ``record`` (plus its kind)."""
    return encode_fields(record.kind, record)


def encode_fields(kind: RecordKind, values: Any) -> dict[str, Any]:
    """The JSON-ready dict of a record of ``kind`` from anything with its fields as attributes
    holding domain values (a record, or a row read with the kind's columns)."""
    data: dict[str, Any] = {"kind": kind.value}
    for name, convert in _field_encoders(kind):
        value = getattr(values, name)
        data[name] = value if convert is None or value is None else convert(value)
    return data


def encode_values(kind: RecordKind, values: Sequence[Any]) -> dict[str, Any]:
    """The JSON-ready dict of a record of ``kind`` from its fields' domain values in the
    order of the kind's ``field_names``: a row read with the kind's columns, so a bulk export
    need not build each record first."""
    data: dict[str, Any] = {"kind": kind.value}
    for (name, convert), value in zip(_field_encoders(kind), values, strict=True):
        data[name] = value if convert is None or value is None else convert(value)
    return data


@cache
def _field_encoders(kind: RecordKind) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """Each field of ``kind`` with how its (non-empty) value is written (None: as it is)."""
    return tuple((name, _encoder(tp)) for name, tp in field_types(kind).items())


def _encoder(tp: Any) -> Callable[[Any], Any] | None:
    """How a value of declared type ``tp`` is written, as ``_encode_value`` writes it; None for
    values written as they are."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _encoder(options[0]) if len(options) == 1 else _encode_value
    if tp in (str, int, bool, float):
        return None
    if isinstance(tp, type) and issubclass(tp, Choice):
        return _choice_value
    if tp is date or tp is datetime:
        return _isoformat
    if origin is tuple and typing.get_args(tp)[0] is str:
        return list
    return _encode_value


def _choice_value(value: Any) -> Any:
    return value.value if isinstance(value, Choice) else _encode_value(value)


def _isoformat(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else _encode_value(value)


def _encode_value(value: Any) -> Any:
    if isinstance(value, Choice):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode_value(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A part's fields gained later are written once filled in, so its record's content
        # (and version) stays what it was before they existed.
        unfilled = empty_later_parts(value)
        return {
            f.name: _encode_value(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in unfilled
        }
    return value


def decode(kind: RecordKind, data: Mapping[str, Any], *, source: str = "") -> Record:
    """Build a record from JSON values, reporting every bad or unknown field at once.

    This is where records come in from files, so numbers are range-checked here: no whole
    number beyond ±(2^53 - 1), no NaN or infinity, and a revision from 1 to ``MAX_REVISION``
    (a file cannot bring in a record that could not then be edited and signed).

    Raises:
        ValidationError: naming each field that is missing, unknown or of the wrong type.
    """
    types_ = field_types(kind)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    unknown = [name for name in data if name != "kind" and name not in types_]
    for name in unknown[:20]:
        problems.append(Problem(_shown(name), "unknown field", source=source or None))
    if len(unknown) > 20:
        more = f"… and {len(unknown) - 20:,} more unknown fields"
        problems.append(Problem("", more, source=source or None))
    for name, read in _field_decoders(kind):
        if name not in data:
            continue
        try:
            values[name] = read(data[name])
        except (TypeError, ValueError, KeyError) as error:
            problems.append(Problem(name, str(error), source=source or None))
    revision = values.get("revision")
    if isinstance(revision, int) and not 1 <= revision <= MAX_REVISION:
        problems.append(
            Problem(
                "revision",
                f"revision must be between 1 and {MAX_REVISION:,} (it is {describe(revision)})",
                source=source or None,
            )
        )
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


def _shown(name: str) -> str:
    return name if name.isidentifier() and len(name) <= 40 else describe(name)


@cache
def _field_decoders(kind: RecordKind) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each field of ``kind`` with how its JSON value is read (``_decode_value`` for its type)."""
    return tuple((name, _decoder(tp)) for name, tp in field_types(kind).items())


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """``_decode_value`` for declared type ``tp``, with the type's questions answered once:
    the same values, the same errors and messages."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _decoder(options[0])
        return lambda raw: None if raw is None else inner(raw)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])

        def read_tuple(raw: Any) -> Any:
            if not isinstance(raw, list):
                raise TypeError("expected a list")
            return tuple(item(value) for value in raw)

        return read_tuple
    if isinstance(tp, type) and issubclass(tp, Choice):
        members = {m.value: m for m in tp}
        allowed = ", ".join(members)

        def read_choice(raw: Any) -> Any:
            if isinstance(raw, str) and raw in members:
                return members[raw]
            raise ValueError(f"{describe(raw)} is not one of: {allowed}")

        return read_choice
    if tp is str:

        def read_text(raw: Any) -> Any:
            if isinstance(raw, str):
                return raw
            raise TypeError("expected text")

        return read_text
    if tp is bool:

        def read_flag(raw: Any) -> Any:
            if isinstance(raw, bool):
                return raw
            raise TypeError("expected true or false")

        return read_flag
    if tp is int:

        def read_whole(raw: Any) -> Any:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise TypeError("expected a whole number")
            if not -MAX_SAFE_INTEGER <= raw <= MAX_SAFE_INTEGER:
                raise ValueError(f"{describe(raw)} is too large a number")
            return raw

        return read_whole
    if tp is date:
        return lambda raw: _iso(date, raw, "a date (YYYY-MM-DD)")
    return lambda raw: _decode_value(tp, raw)


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
        allowed = [m.value for m in tp]
        if not isinstance(raw, str) or raw not in allowed:
            raise ValueError(f"{describe(raw)} is not one of: {', '.join(allowed)}")
        return tp(raw)
    if tp is bool:
        if not isinstance(raw, bool):
            raise TypeError("expected true or false")
        return raw
    if tp is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError("expected a whole number")
        if not -MAX_SAFE_INTEGER <= raw <= MAX_SAFE_INTEGER:
            raise ValueError(f"{describe(raw)} is too large a number")
        return raw
    if tp is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise TypeError("expected a number")
        if not -MAX_SAFE_INTEGER <= raw <= MAX_SAFE_INTEGER or not math.isfinite(raw):
            raise ValueError(f"{describe(raw)} is not a number that can be stored")
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
        unknown = [k for k in raw if k not in hints]
        if unknown:
            raise ValueError(f"{_shown(unknown[0])} is not a field of {tp.__name__}")
        try:
            return tp(**{k: _decode_value(hints[k], v) for k, v in raw.items()})
        except TypeError as error:
            raise TypeError(f"{tp.__name__}: {_missing_fields(error)}") from None
    raise TypeError(f"unsupported field type {tp}")


def _iso(tp: type[date] | type[datetime], raw: Any, expected: str) -> Any:
    if not isinstance(raw, str):
        raise TypeError(f"expected {expected}")
    try:
        return tp.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{describe(raw)} is not {expected}") from None


def _number(tp: type[int] | type[float], value: str, text: str) -> int | float:
    """A whole number or a number typed as text, within ±(2^53 - 1) and finite."""
    too_large = ValueError(f"{describe(text)} is too large (at most {MAX_SAFE_INTEGER:,})")
    if value.lstrip("+-").isdigit() and len(value) > 20:
        raise too_large  # (Python refuses to convert more than 4,300 digits)
    try:
        number = tp(value) if len(value) <= 40 else None
    except ValueError:
        number = None
    if number is None:
        raise ValueError(f"{describe(text)} is not {'a whole number' if tp is int else 'a number'}")
    if not math.isfinite(number):
        raise ValueError(f"{describe(text)} is not a finite number")
    if abs(number) > MAX_SAFE_INTEGER:
        raise too_large
    return number


def parse_text(kind: RecordKind, name: str, text: str) -> Any:
    """Read one field of ``kind`` from what a person typed or a CSV cell holds.

    Empty text means "no value" for optional fields. Durations (a duration, or the
    participatory part of a CPD activity) accept 90, 1:30 or 1.5h; lists
    are separated by semicolons (a list of choices takes each as a choice, once); yes/no,
    true/false and 1/0 are all booleans.

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
        items = tuple(p.strip() for p in value.split(LIST_SEPARATOR) if p.strip())
        inner = typing.get_args(tp)[0]
        if isinstance(inner, type) and issubclass(inner, Choice):
            return tuple(dict.fromkeys(_choice(inner, item) for item in items))
        return items
    if name in DURATION_FIELDS:
        try:
            minutes = parse_duration(value) if len(value) <= 20 else None
        except (ValueError, OverflowError):
            minutes = None
        if minutes is None or minutes > MAX_SAFE_INTEGER:
            raise ValueError(
                f"{describe(text)} is not a duration: use minutes (90), hours (1.5h) or h:mm (1:30)"
            )
        return minutes
    if isinstance(tp, type) and issubclass(tp, Choice):
        return _choice(tp, text)
    if tp is bool:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError(f"{describe(text)} is not yes or no")
    if tp is int or tp is float:
        return _number(tp, value, text)
    if tp is date:
        return _date_cell(value, text)
    if tp is str:
        return value
    raise ValueError(f"{name} cannot be set from text")


def _choice(tp: type[Choice], text: str) -> Choice:
    """The choice ``text`` names, by its value or its label."""
    try:
        return tp.parse(text)
    except ValueError:
        allowed = ", ".join(m.value for m in tp)
        raise ValueError(f"{describe(text)} is not one of: {allowed}") from None


def _date_cell(value: str, text: str) -> date:
    """A date as exports write it (ISO), or as people type it in the UK, day first
    (``25/11/2026``, ``25 Nov 2026``): a UK spreadsheet saves dates that way."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    if not _ISO_DATE.fullmatch(value):  # a mistyped ISO date is not read another way
        try:
            return parse_date(value, date.today())
        except ValueError:
            pass
    raise ValueError(f"{describe(text)} is not a date (use YYYY-MM-DD or 25/11/2026)")
