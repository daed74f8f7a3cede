"""Which of two copies of a record is newer, decided by content rather than revision numbers.

Every state a record has been in is named by a *version*: the SHA-256 of its content (every
field but the bookkeeping ones: revision and times), or for a deleted record a version derived
from the content it had when deleted. A copy remembers the versions each record has passed
through, its *history*. When a copy of the record arrives from elsewhere:

- the same version here and there: nothing to do;
- this copy's version is in the other's history: the other copy is newer and replaces it;
- the other's version is in this copy's history: this copy is newer and stays;
- neither: both were changed since they last met. That is a conflict, and the user decides;
  neither side is dropped, and the two are never mixed field by field (a record put together
  from two would be one nobody wrote or signed).

Revision numbers cannot decide this: the same entry edited once on each of two computers has
revision 4 on both, with different content.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from logbook.domain.catalogue import KINDS, empty_later_fields
from logbook.domain.choices import Choice
from logbook.domain.codec import encode
from logbook.domain.dates import short_date
from logbook.domain.records import Record, RecordKind
from logbook.domain.signing import canonical, field_label

BOOKKEEPING = frozenset({"revision", "created_at", "updated_at"})
VERSION_LENGTH = 64  # hex digits of a SHA-256
_HEX = frozenset("0123456789abcdef")


def content_version(record: Record) -> str:
    """The version of ``record``'s content (the same wherever and whenever it is computed)."""
    # Fields the kind gained later count once filled in, so older copies still match.
    left_out = BOOKKEEPING | empty_later_fields(record)
    content = {k: v for k, v in encode(record).items() if k not in left_out}
    return hashlib.sha256(canonical(content)).hexdigest()


def deletion_version(deleted: str) -> str:
    """The version of a record deleted while at version ``deleted``: deleting the same version
    on two computers gives the same version, so the two deletions agree."""
    return hashlib.sha256(f"deleted\n{deleted}".encode()).hexdigest()


def is_version(value: object) -> bool:
    """Whether ``value`` has the form of a version (64 lower-case hex digits), as a file from
    outside must give it."""
    return isinstance(value, str) and len(value) == VERSION_LENGTH and _HEX.issuperset(value)


class Relation(enum.Enum):
    """How a copy of a record arriving from elsewhere stands to the one here."""

    SAME = "same"
    THEIRS_NEWER = "theirs newer"
    OURS_NEWER = "ours newer"
    DIVERGED = "diverged"


def relation(
    ours: str, our_history: Collection[str], theirs: str, their_history: Collection[str]
) -> Relation:
    """How the version ``theirs`` (arriving, with ``their_history``) stands to ``ours``."""
    if ours == theirs:
        return Relation.SAME
    if ours in their_history:
        return Relation.THEIRS_NEWER
    if theirs in our_history:
        return Relation.OURS_NEWER
    return Relation.DIVERGED


class ConflictReason(enum.Enum):
    """Why a record arriving from another copy could not be merged by itself."""

    EDITED_ON_BOTH = "edited on both"
    DELETED_HERE = "deleted here"
    DELETED_THERE = "deleted there"

    def explain(self, source: str) -> str:
        """The reason in words, naming the other copy by ``source``, the file it came in."""
        return {
            ConflictReason.EDITED_ON_BOTH: f"changed here and in {source} since they last met",
            ConflictReason.DELETED_HERE: f"deleted here, but changed in {source}",
            ConflictReason.DELETED_THERE: f"deleted in {source}, but changed here",
        }[self]


@dataclass(frozen=True)
class DeletionMark:
    """A record deleted at ``deleted_at`` while at the version ``version`` derives from: what
    travels between copies so a deletion reaches the others."""

    kind: RecordKind
    uid: str
    version: str
    deleted_at: datetime


@dataclass(frozen=True)
class Conflict:
    """A record that two copies changed independently, kept until the user decides.

    ``theirs`` is the other copy's record (None if the other copy deleted it); ``ours`` is the
    record here (None if it was deleted here). Until resolved, only ``ours`` counts anywhere.
    """

    id: int
    kind: RecordKind
    uid: str
    reason: ConflictReason
    source: str
    arrived_at: datetime
    theirs: Record | None
    ours: Record | None
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class Difference:
    """A field whose value differs between the two sides of a conflict, as text."""

    label: str
    here: str
    there: str


def differences(
    ours: Record | None, theirs: Record | None, names: Mapping[str, str] | None = None
) -> list[Difference]:
    """The fields that differ between this copy's record and the other copy's (a deleted side
    shows "(deleted)"); ids of other records are shown by ``names`` where given."""
    present = ours or theirs
    if present is None:
        return []
    shown = names or {}
    gone = "(deleted)"
    found = []
    for name in KINDS[present.kind].field_names:
        if name in BOOKKEEPING or name == "uid":
            continue
        here = _text(getattr(ours, name), shown) if ours is not None else gone
        there = _text(getattr(theirs, name), shown) if theirs is not None else gone
        kept = here if ours is not None else there
        both = ours is not None and theirs is not None
        if (both and here != there) or (not both and kept != "—"):
            found.append(Difference(field_label(name), here, there))
    return found


def _text(value: Any, names: Mapping[str, str]) -> str:
    """A field's value as a reader would write it."""
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Choice):
        return value.label
    if isinstance(value, datetime):
        return f"{short_date(value)} {value:%H:%M}"
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, tuple):
        return ", ".join(_text(v, names) for v in value)
    if isinstance(value, str):
        return names.get(value, value)
    return str(value)
