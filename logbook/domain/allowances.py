"""Which fields of a record the privacy guard reads, what it finds there, and the user's choice
to keep a finding anyway.

A kept finding is remembered as an *allowance* on the entry: the field, a fingerprint of the
matched text (never the text itself, so the allowance does not copy an identifier anywhere),
when and through which door (the form, the command line, a CSV or JSON import, a sign-off
request). The same text does not warn again; a different identifier in the same field does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from logbook.domain.privacy import PrivacyWarning, find_identifiers
from logbook.domain.records import Record, RecordKind

K = RecordKind
# The free text of each kind that may hold a client's details. Names of supervisors,
# colleagues and organisations, emails and registration numbers are meant to be there (an
# attestation's ``by_email`` is the colleague's professional contact, as a person's email is).
# So are professional addresses: an organisation's ``address`` and an attestation's
# ``by_address`` are where the organisation or the colleague works, and the postcode they hold
# is the point of them, so the guard (which flags postcodes) does not read them. A client's
# address has no field of its own; typed into notes or a reflection, it is flagged there.
GUARDED_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    K.PROFILE: (),
    K.ORGANISATION: ("notes",),
    K.PERSON: ("notes",),
    K.SUPERVISION: ("arrangement", "themes", "action_points", "reflection"),
    K.PRACTICE: ("client_group", "intervention", "notes", "reflection"),
    K.COURSE: ("title", "population", "notes", "reflection"),
    K.CPD: ("title", "provider", "standard_link", "learning_outcomes", "impact", "reflection"),
    K.PERSONAL_PRACTICE: ("title", "notes"),
    K.PATHWAY: ("title", "notes"),
    K.MILESTONE: ("title", "evidence", "notes"),
    K.FEEDBACK: ("summary", "reflection"),
    K.REFLECTIVE_ACCOUNT: ("title", "experience", "learning", "change_in_practice", "code_themes"),
    K.ATTESTATION: ("notes",),
    K.ATTACHMENT: ("label",),
}
_KIND_NAMES = frozenset(kind.value for kind in RecordKind)
# Findings listed in one refusal before the rest are counted.
MAX_FINDINGS_LISTED = 20


class Door(StrEnum):
    """How a finding was kept."""

    FORM = "form"
    CLI = "cli"
    CSV = "csv"
    JSON = "json"
    REQUEST = "request"


@dataclass(frozen=True)
class FieldFinding:
    """One identifier found in one field of one record."""

    field: str
    warning: PrivacyWarning

    def describe(self) -> str:
        """The finding in a phrase: the matched text, cut short, and why it was flagged."""
        return f"“{_excerpt(self.warning.text)}” {self.warning.reason}"


@dataclass(frozen=True)
class Allowance:
    """A finding the user chose to keep on an entry.

    Attributes:
        record_uid: The entry.
        field: The field it is in.
        fingerprint: ``fingerprint(record_uid, field, matched text)``.
        kind: What the finding looked like (an ``IdentifierKind`` value).
        door: How it was kept.
        allowed_at: When (UTC).
    """

    record_uid: str
    field: str
    fingerprint: str
    kind: str
    door: Door
    allowed_at: datetime


def fingerprint(record_uid: str, field: str, text: str) -> str:
    """A digest of a matched text, bound to its entry and field; spacing and case do not
    count, so re-typing the same words keeps the allowance."""
    normal = " ".join(text.casefold().split())
    return hashlib.sha256(f"{record_uid}\0{field}\0{normal}".encode()).hexdigest()


def field_texts(record: Record) -> Iterator[tuple[str, str]]:
    """The guarded fields of ``record`` and their text (a list field item by item)."""
    for name in GUARDED_FIELDS.get(record.kind, ()):
        value = getattr(record, name, "")
        if isinstance(value, str):
            if value:
                yield name, value
        else:
            for item in value:
                yield name, item


def content_texts(kind: str, content: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The guarded fields of an entry's content as a sign-off request carries it."""
    guarded = GUARDED_FIELDS.get(RecordKind(kind), ()) if kind in _KIND_NAMES else ()
    for name in guarded:
        value = content.get(name)
        if isinstance(value, str):
            if value:
                yield name, value
        elif isinstance(value, list | tuple):
            yield from ((name, item) for item in value if isinstance(item, str))


def scan_texts(
    uid: str, texts: Iterable[tuple[str, str]], allowed: Iterable[str] = ()
) -> list[FieldFinding]:
    """Every identifier in ``texts`` (field, text) of entry ``uid`` not among the ``allowed``
    fingerprints."""
    kept = set(allowed)
    return [
        FieldFinding(name, warning)
        for name, text in texts
        for warning in find_identifiers(text)
        if fingerprint(uid, name, warning.text) not in kept
    ]


def scan_record(record: Record, allowed: Iterable[str] = ()) -> list[FieldFinding]:
    """Every identifier in the guarded fields of ``record`` not among the ``allowed``
    fingerprints."""
    return scan_texts(record.uid, field_texts(record), allowed)


def allowances_for(
    uid: str, findings: Iterable[FieldFinding], door: Door, at: datetime
) -> list[Allowance]:
    """The allowances that keep ``findings`` of entry ``uid`` (one per distinct text)."""
    made: dict[str, Allowance] = {}
    for found in findings:
        digest = fingerprint(uid, found.field, found.warning.text)
        made.setdefault(
            digest, Allowance(uid, found.field, digest, found.warning.kind.value, door, at)
        )
    return list(made.values())


def describe_findings(findings: Iterable[FieldFinding]) -> Iterator[tuple[str, str]]:
    """Each field with its findings in one sentence: ``("themes", "“…” looks like …; …")``."""
    by_field: dict[str, list[str]] = {}
    for found in findings:
        by_field.setdefault(found.field, []).append(found.describe())
    for name, lines in by_field.items():
        yield name, "; ".join(lines)


def _excerpt(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
