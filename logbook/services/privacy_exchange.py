"""Privacy allowances in a logbook JSON export: written with the records, read back when a
copy is merged, so a finding kept on one copy is not refused on another.

The ``privacy_allowances`` member is optional: files from before it import as they did (their
records are then checked like any other import).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from logbook.domain.allowances import Allowance, Door
from logbook.domain.errors import Problem
from logbook.domain.json_input import JsonPath, JsonStream
from logbook.domain.limits import ProblemLog
from logbook.domain.uids import is_uid, not_a_uid
from logbook.storage import allowance_repository as allowances
from logbook.storage.database import Session

MEMBER = "privacy_allowances"
MAX_ALLOWANCES = 1_000_000
_HEX = frozenset("0123456789abcdef")
_KEYS = {"record_uid", "field", "fingerprint", "kind", "door", "allowed_at"}


def export_allowances(session: Session) -> list[dict[str, str]]:
    """Every allowance in the logbook, as the ``privacy_allowances`` member of an export."""
    return [allowance_json(a) for a in allowances.every(session)]


def allowance_json(allowance: Allowance) -> dict[str, str]:
    """One allowance as an export writes it (only a fingerprint of the matched text, never
    the text itself)."""
    return {
        "record_uid": allowance.record_uid,
        "field": allowance.field,
        "fingerprint": allowance.fingerprint,
        "kind": allowance.kind,
        "door": allowance.door.value,
        "allowed_at": allowance.allowed_at.isoformat(timespec="seconds"),
    }


def read_allowances(stream: JsonStream, name: str, problems: ProblemLog) -> Iterator[Allowance]:
    """The allowances of the member being read (each checked; a bad one is a problem)."""
    path: JsonPath = (MEMBER,)
    count = 0
    for index, raw in stream.values(path, level=1, max_chars=1000):
        found = parse_allowance(raw)
        if isinstance(found, str):
            problems.append(Problem(f"{MEMBER}[{index}]", found, None, name))
            continue
        count += 1
        if count > MAX_ALLOWANCES:
            problems.append(Problem(MEMBER, f"more than {MAX_ALLOWANCES:,}", None, name))
            return
        yield found


def parse_allowance(raw: Any) -> Allowance | str:
    """An allowance from its JSON object, or what is wrong with it."""
    if not isinstance(raw, dict) or set(raw) != _KEYS:
        return "must be an object of " + ", ".join(sorted(_KEYS))
    if not all(isinstance(raw[k], str) for k in _KEYS):
        return "every value must be text"
    if not is_uid(raw["record_uid"]):
        return not_a_uid(raw["record_uid"])
    if len(raw["fingerprint"]) != 64 or not _HEX.issuperset(raw["fingerprint"]):
        return "fingerprint must be 64 hex digits"
    if not raw["field"] or len(raw["field"]) > 60 or len(raw["kind"]) > 40:
        return "field or kind is too long"
    if raw["door"] not in {d.value for d in Door}:
        return f"door must be one of {', '.join(d.value for d in Door)}"
    try:
        when = datetime.fromisoformat(raw["allowed_at"])
        if when.tzinfo is None:
            raise ValueError("no offset from UTC")
    except ValueError:
        return "allowed_at must be a date and time with its offset from UTC"
    return Allowance(
        raw["record_uid"],
        raw["field"],
        raw["fingerprint"],
        raw["kind"],
        Door(raw["door"]),
        when.astimezone(UTC),
    )
