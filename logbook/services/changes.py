"""What a use case changed, so views refresh only what they show."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from logbook.domain.records import Attachment, Milestone, Record, RecordKind

R = TypeVar("R", bound=Record)


class Topic(Enum):
    """State a change can touch besides records themselves."""

    SIGNOFF = "signoff"  # signatures, requests, the inbox, trusted signers and own keys
    PACKS = "packs"  # packs followed and their settings


@dataclass(frozen=True)
class Change:
    """What one use case changed: records by uid and kind, and any other state by topic.

    Every operation of a service that changes the logbook returns one, and the window routes
    it to the pages that show what it touched.
    """

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    kinds: frozenset[RecordKind] = field(default_factory=frozenset)
    topics: frozenset[Topic] = field(default_factory=frozenset)

    def touches(self, what: RecordKind | Topic) -> bool:
        """Whether the change affects records of that kind or state on that topic, so a page
        showing it should refresh."""
        return what in self.kinds or what in self.topics

    def __bool__(self) -> bool:
        return bool(self.kinds or self.topics)

    def __or__(self, other: Change) -> Change:
        return Change(
            self.created + other.created,
            self.updated + other.updated,
            self.deleted + other.deleted,
            self.kinds | other.kinds,
            self.topics | other.topics,
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
