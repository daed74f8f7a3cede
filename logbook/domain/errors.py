"""The error hierarchy every layer raises and every surface explains to the user."""

from __future__ import annotations

from dataclasses import dataclass


class LogbookError(Exception):
    """Base class: the message is written for the user and says what to do."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    Attributes:
        field: The field (or column) that is wrong, as the user knows it.
        message: What is wrong, in plain English.
        row: The row of a file, counting the header as row 1, if the input is a file.
        source: The file or record the problem was found in.
    """

    field: str
    message: str
    row: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(self.field)
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ValidationError(LogbookError):
    """Input was rejected; ``problems`` lists every reason, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str = "") -> None:
        self.problems = tuple(problems)
        head = summary or f"{len(self.problems)} problem(s) found"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class NotFoundError(LogbookError):
    """A record the action refers to does not exist (any more)."""


class ConflictError(LogbookError):
    """The record changed since it was read; reload and try again."""


class StorageError(LogbookError):
    """The logbook file cannot be opened or written."""


class NewerSchemaError(StorageError):
    """The logbook was written by a newer version of the app and is left untouched."""


class LogbookInUseError(StorageError):
    """Another copy of the app has this logbook open."""
