"""What a list asks for: a kind, filters, a sort order and a page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from logbook.domain.choices import Direction
from logbook.domain.periods import ALL_TIME, Period
from logbook.domain.records import RecordKind

GroupBy = Literal["month", "year", "subtype", "person", "organisation"]


@dataclass(frozen=True)
class RecordQuery:
    """A filtered, sorted page of one kind of record.

    Attributes:
        subtypes: Values of the kind's sub-kind choice to keep (empty keeps all).
        text: Words that must all appear (as prefixes) in the record's text.
        sort: A field name of the kind, or "person" / "organisation" to sort by name.
        limit: Rows per page; None returns every row.
        signoff_states: Values of ``SignoffState`` to keep (empty keeps all), as recorded by
            the sign-off events; the list still shows each row's checked state.
    """

    kind: RecordKind
    period: Period = ALL_TIME
    subtypes: frozenset[str] = field(default_factory=frozenset)
    person_uid: str | None = None
    organisation_uid: str | None = None
    direction: Direction | None = None
    text: str = ""
    sort: str = ""
    descending: bool = True
    offset: int = 0
    limit: int | None = 200
    signoff_states: frozenset[str] = frozenset()

    def page(self, offset: int, limit: int | None) -> RecordQuery:
        """The same query for another page: ``limit`` rows from row ``offset``."""
        return replace(self, offset=offset, limit=limit)


@dataclass(frozen=True)
class Total:
    """A group of records with their count and minutes (``key`` is None for "no value")."""

    key: str | None
    count: int
    minutes: int
