"""Record ids: canonical UUID text, checked wherever an id arrives from outside.

Ids name files, rows and links between records; an id such as ``../../etc/passwd`` must never
get that far, so every importer and every save checks ids with the same function.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from logbook.domain.errors import Problem
from logbook.domain.records import Record

# Lowercase, hyphenated, any version: the app makes version 4 ids and derives version 5 ones.
_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
EXAMPLE_UID = "5d2a4c1e-7b0f-4c55-9d3e-2f6a8b9c0d1e"
_SHOWN = 40


def is_uid(text: object) -> bool:
    """Whether ``text`` is a record id: a UUID written as 36 lowercase characters."""
    return isinstance(text, str) and _UID.fullmatch(text) is not None


def not_a_uid(text: object) -> str:
    """Why ``text`` is refused as an id, in words that show what was given."""
    shown = str(text)
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN] + "…"
    return f"'{shown}' is not a valid id (an id looks like {EXAMPLE_UID})"


def is_uid_field(name: str) -> bool:
    """Whether the record field ``name`` holds an id (its own, or one it refers to)."""
    return name == "uid" or name.endswith("_uid")


def uid_problems(record: Record) -> Iterator[Problem]:
    """A problem for each id field of ``record`` that holds something other than an id.

    Empty references are left to the checks that know whether the field is required.
    """
    for name, value in vars(record).items():
        if not (is_uid_field(name) and isinstance(value, str)):
            continue
        if (value or name == "uid") and not is_uid(value):
            yield Problem(name, not_a_uid(value))
