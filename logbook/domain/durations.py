"""Durations are whole minutes; people read them as hours to two decimals."""

from __future__ import annotations

import re

# Hours of up to four digits: an entry for a period of practice, or a long course, holds hundreds.
_HHMM = re.compile(r"^(\d{1,4}):([0-5]\d)$")
_HOURS = re.compile(r"^(\d+(?:\.\d+)?)\s*h(?:ours?)?$", re.IGNORECASE)
_MINUTES = re.compile(r"^(\d+)\s*(?:m|min|mins|minutes)?$", re.IGNORECASE)


def hours(minutes: int) -> str:
    """Minutes as hours to two decimals, e.g. 90 -> '1.50'."""
    return f"{minutes / 60:.2f}"


def parse_duration(text: str) -> int:
    """Read '90', '90m', '1:30', '1.5h' or '1.5 hours' as whole minutes.

    Raises:
        ValueError: with a message naming the accepted forms.
    """
    value = text.strip()
    if match := _HHMM.match(value):
        return int(match[1]) * 60 + int(match[2])
    if match := _HOURS.match(value):
        return round(float(match[1]) * 60)
    if match := _MINUTES.match(value):
        return int(match[1])
    raise ValueError(f"'{text}' is not a duration: use minutes (90), hours (1.5h) or h:mm (1:30)")
