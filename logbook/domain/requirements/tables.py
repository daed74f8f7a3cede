"""Reading a pack's TOML tables key by key, and what a problem with one of them looks like.

A ``Table`` reads one table of the pack; every value that is missing, of the wrong type or out of
range becomes a ``PackProblem`` naming the file, the line and the field
(``rules[2].count.measure``), so every problem of a file is reported at once.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from logbook.domain.choices import Choice
from logbook.domain.errors import LogbookError
from logbook.domain.requirements.toml_lines import line_of

# Sane bounds for numbers a pack gives: beyond these, dates and totals would overflow.
MAX_WHOLE = 1_000_000  # any whole number without its own bound (minutes, counts, sizes)
MAX_NUMBER = 1e9  # any number without its own bound (hours, ratios)


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack file: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}"


class PackError(LogbookError):
    """A pack file was rejected; ``problems`` lists every reason with its file and line."""

    def __init__(self, problems: Iterable[PackProblem], summary: str = "") -> None:
        self.problems = tuple(problems)
        name = self.problems[0].file if self.problems else "the pack"
        head = summary or f"The requirement pack {name} cannot be used"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class _Missing:
    pass


MISSING: Any = _Missing()


@dataclass
class Document:
    """The pack file being read: its name, where each key is, and the problems found so far."""

    name: str
    lines: dict[tuple[str | int, ...], int]
    problems: list[PackProblem]


def _field_name(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


class Table:
    """One TOML table of the pack, read key by key; unknown keys are reported at ``close``."""

    def __init__(self, data: dict[str, Any], path: tuple[str | int, ...], doc: Document) -> None:
        self.data, self.path, self.doc = data, path, doc
        self.used: set[str] = set()

    def problem(self, key: str | None, message: str, near: str | None = None) -> None:
        """Report ``message`` about ``key``; a missing key is located at ``near`` (the key that
        asks for it), or at its table."""
        path = (*self.path, key) if key is not None else self.path
        where = path
        if near is not None and (*self.path, near) in self.doc.lines and key not in self.data:
            where = (*self.path, near)
        self.doc.problems.append(
            PackProblem(self.doc.name, line_of(self.doc.lines, where), _field_name(path), message)
        )

    def has(self, key: str) -> bool:
        """Whether the table gives ``key`` (without marking it read)."""
        return key in self.data

    def raw(self, key: str, required: bool = False) -> Any:
        """The value of ``key`` as the TOML gave it, marking the key read; ``MISSING`` when it
        is absent (reported when ``required``)."""
        self.used.add(key)
        if key not in self.data:
            if required:
                self.problem(key, "is required")
            return MISSING
        return self.data[key]

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        """The text of ``key``, stripped; ``default`` when absent or not text (reported), or
        when required and empty."""
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(key, "must be text" if not isinstance(value, str) else "is empty")
            return default
        return value.strip()

    def number(
        self,
        key: str,
        default: float | None = None,
        *,
        low: float = 0.0,
        high: float = MAX_NUMBER,
        required: bool = False,
    ) -> float | None:
        """The number of ``key`` (whole or decimal, finite) from ``low`` to ``high``;
        ``default`` when absent or out of bounds (reported)."""
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"must be a number, not {_describe(value)}")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(key, f"must be a finite number, not {_describe(value)}")
            return default
        if value < low:
            self.problem(key, f"must be at least {low:g}")
            return default
        if value > high:
            self.problem(key, f"must be at most {high:g}")
            return default
        return float(value)

    def whole(
        self,
        key: str,
        default: int | None = None,
        *,
        low: int = 0,
        high: int = MAX_WHOLE,
        required: bool = False,
    ) -> int | None:
        """The whole number of ``key`` from ``low`` to ``high``; ``default`` when absent or not
        such a number (reported)."""
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be a whole number, not {_describe(value)}")
            return default
        if value < low:
            self.problem(key, f"must be at least {low}")
            return default
        if value > high:
            self.problem(key, f"must be at most {high:,}")
            return default
        return value

    def flag(self, key: str, default: bool | None = None) -> bool | None:
        """``key`` as true or false; ``default`` when absent or not a boolean (reported)."""
        value = self.raw(key)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_describe(value)}")
            return default
        return value

    def day(self, key: str, required: bool = False) -> date | None:
        """The date of ``key`` (a TOML date or ISO text); None when absent or not a date
        (reported)."""
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(key, f"must be a date such as 2026-01-31, not {_describe(value)}")
        return None

    def choice(self, key: str, options: Iterable[str], default: str, required: bool = False) -> str:
        """The value of ``key`` when it is one of ``options``; ``default`` when absent or not one
        (reported, with the nearest option)."""
        options = tuple(options)
        value = self.raw(key, required)
        if value is MISSING:
            return default
        if value not in options:
            self.problem(key, not_one_of(value, options))
            return default
        return str(value)

    def texts(self, key: str, choice: type[Choice] | None = None) -> tuple[str, ...]:
        """The text values of ``key`` (one text counts as a list of one). With ``choice``, each
        is read by value or label and kept as its stored value; unknown ones are reported."""
        value = self.raw(key)
        if value is MISSING:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, "must be a list of text values")
            return ()
        if choice is None:
            return tuple(value)
        out = []
        for item in value:
            try:
                out.append(choice.parse(item).value)
            except ValueError:
                self.problem(key, not_one_of(item, [m.value for m in choice]))
        return tuple(out)

    def table(self, key: str, required: bool = False) -> Table | None:
        """The table at ``key``, to be read in turn; None when absent or not a table (reported)."""
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.problem(key, f"must be a table, not {_describe(value)}")
            return None
        return Table(value, (*self.path, key), self.doc)

    def tables(self, key: str, required: bool = False) -> list[Table]:
        """The tables listed at ``key``, each to be read in turn; none when absent or not a list
        of tables (reported)."""
        value = self.raw(key, required)
        if value is MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(key, "must be a list of tables")
            return []
        return [Table(v, (*self.path, key, i), self.doc) for i, v in enumerate(value)]

    def close(self) -> None:
        """Report every key nothing read, with the nearest known key as a hint, so a misspelt key
        never passes unnoticed."""
        for key in self.data:
            if key not in self.used:
                close = difflib.get_close_matches(key, sorted(self.used), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(key, f"is not a field here{hint}")


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:59]}…'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and abs(value) >= 10**30:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    return str(value)


def not_one_of(value: Any, options: Iterable[str]) -> str:
    """The message for ``value`` not being among ``options``, with the closest as a hint."""
    options = list(options)
    close = difflib.get_close_matches(str(value), options, n=1) if isinstance(value, str) else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{_describe(value)} is not one of: {', '.join(options)}{hint}"
