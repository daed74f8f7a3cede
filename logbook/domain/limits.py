"""Bounds on what the app accepts from outside, kept in one place, and the cap on listed problems.

Every importer checks numbers, sizes and nesting against these at the edge, so nothing a file
holds can overflow storage, defeat signing, exhaust the stack or memory, or bury its own
message under millions of lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from logbook.domain.errors import Problem

# A refused input lists this many problems, then says how many more there are.
MAX_PROBLEMS = 100
# Reading stops after this many problems: the count is then "more than".
MAX_COUNTED_PROBLEMS = 100_000

# Whole numbers every JSON reader agrees on (I-JSON, RFC 7493) and that RFC 8785 can sign.
MAX_SAFE_INTEGER = 2**53 - 1
# Levels of nesting in any JSON or TOML input; our own files need fewer than ten.
MAX_DEPTH = 32
# The highest revision a file may bring in (a 32-bit count of edits): the record can still be
# edited and signed many times after it, up to MAX_STORED_REVISION.
MAX_REVISION = 2**31 - 1
MAX_STORED_REVISION = MAX_SAFE_INTEGER
# Entries in one list of a record (themes, roles, registrations …).
MAX_LIST_ITEMS = 1000


class ProblemLog:
    """The problems of one input: the first ``keep`` are kept, the rest only counted.

    A refused file of four million bad rows costs a hundred messages and a number, not four
    million messages.
    """

    def __init__(self, keep: int = MAX_PROBLEMS) -> None:
        self.keep = keep
        self.kept: list[Problem] = []
        self.count = 0

    def append(self, problem: Problem) -> None:
        """Count ``problem``, keeping it if fewer than ``keep`` are kept."""
        self.count += 1
        if len(self.kept) < self.keep:
            self.kept.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Count each of ``problems``, as ``append`` does."""
        for problem in problems:
            self.append(problem)

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    @property
    def full(self) -> bool:
        """Enough problems to stop reading: more would only be counted."""
        return self.count >= MAX_COUNTED_PROBLEMS

    def listed(self, *, stopped: bool = False) -> list[Problem]:
        """The kept problems, and a last line counting the others.

        Args:
            stopped: Reading stopped early (see ``full``), so the count is a lower bound.
        """
        more = self.count - len(self.kept)
        if more <= 0:
            return list(self.kept)
        plural = "problem" if more == 1 else "problems"
        if stopped:
            line = f"… and more than {more:,} other {plural}; the rest of the file was not checked"
        else:
            line = f"… and {more:,} more {plural}"
        return [*self.kept, Problem("", line)]


def describe(value: Any, width: int = 40) -> str:
    """A short description of a value from outside, safe to put in a message."""
    if isinstance(value, str):
        text = value if len(value) <= width else value[: width - 1] + "…"
        return repr(text)  # quoted, with control characters and lone surrogates escaped
    if isinstance(value, bool) or value is None:
        return "null" if value is None else str(value).lower()
    if isinstance(value, int):
        if abs(value) < 10**width:
            return str(value)
        # Counted without converting to text, which Python refuses beyond 4,300 digits.
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
