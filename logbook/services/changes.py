"""What a use case changed, so views refresh only what they show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from logbook.domain.records import Attachment, Milestone, Record, RecordKind

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Change:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    kinds: frozenset[RecordKind] = field(default_factory=frozenset)

    def touches(self, kind: RecordKind) -> bool:
        return kind in self.kinds

    def __or__(self, other: Change) -> Change:
        return Change(
            self.created + other.created,
            self.updated + other.updated,
            self.deleted + other.deleted,
            self.kinds | other.kinds,
        )


@dataclass(frozen=True)
class Saved(Generic[R]):
    """A record as stored (with its new revision) and the change that saving made."""

    record: R
    change: Change


@dataclass(frozen=True)
class Deleted:
    """A deleted record with what went with it, enough to put everything back (undo)."""

    record: Record
    milestones: tuple[Milestone, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    change: Change = field(default_factory=Change)
