"""The sign-off tables as sections of the JSON export: what each column holds, every row read
out, and rows from another logbook stored (events go through the audit chain instead)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String, select
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from logbook.storage.models import (
    Base,
    SignoffEventRow,
    SignoffIdentityRow,
    SignoffRequestRow,
    SignoffSnapshotRow,
    SignoffSummaryRow,
)
from logbook.storage.signoff_repository import CHUNK
from logbook.storage.types import StringTuple, UtcDateTime

# The local order and chain links of events are this logbook's own; imported events are appended
# to the chain here, in file order, and always as imported.
_LOCAL_ONLY = {"seq", "chain_prev", "chain_hash", "origin"}


class ValueKind(Enum):
    """What a column holds, and so how the export writes it."""

    TIMESTAMP = "timestamp"  # ISO 8601 with its time zone
    DATE = "date"  # YYYY-MM-DD
    TEXTS = "texts"  # a list of text
    FLAG = "flag"
    NUMBER = "number"  # a whole number
    TEXT = "text"


@dataclass(frozen=True)
class ExchangedColumn:
    """A column as the export carries it.

    Attributes:
        defaulted: A row may leave it out: the column has a default.
        length: The most characters it holds (None when it is free text or not text).
    """

    name: str
    kind: ValueKind
    nullable: bool
    defaulted: bool
    length: int | None


@dataclass(frozen=True)
class ExchangedTable:
    """A sign-off table as a section of the export, with the column that names a row in every
    logbook (an event's id, a snapshot's digest, a signer's fingerprint …)."""

    section: str
    key: str
    columns: tuple[ExchangedColumn, ...]


# Each table with its section of the export and the column that names a row in every logbook.
_TABLES: tuple[tuple[str, type[Base], str], ...] = (
    ("events", SignoffEventRow, "uid"),
    ("snapshots", SignoffSnapshotRow, "content_sha256"),
    ("identities", SignoffIdentityRow, "fingerprint"),
    ("summaries", SignoffSummaryRow, "uid"),
    ("requests", SignoffRequestRow, "uid"),
)
_MODEL_OF = {section: model for section, model, _ in _TABLES}


def _value_kind(kind: TypeEngine[Any]) -> ValueKind:
    if isinstance(kind, UtcDateTime):
        return ValueKind.TIMESTAMP
    if isinstance(kind, Date):
        return ValueKind.DATE
    if isinstance(kind, StringTuple):
        return ValueKind.TEXTS
    if isinstance(kind, Boolean):
        return ValueKind.FLAG
    if isinstance(kind, Integer):
        return ValueKind.NUMBER
    return ValueKind.TEXT


def _exchanged(section: str, model: type[Base], key: str) -> ExchangedTable:
    columns = tuple(
        ExchangedColumn(
            name=column.name,
            kind=_value_kind(column.type),
            nullable=bool(column.nullable),
            defaulted=column.default is not None,
            length=column.type.length if isinstance(column.type, String) else None,
        )
        for column in model.__table__.columns
        if column.name not in _LOCAL_ONLY
    )
    return ExchangedTable(section, key, columns)


# In the order they are exported and imported.
EXCHANGED_TABLES = tuple(_exchanged(*table) for table in _TABLES)


def rows_of(session: Session, table: ExchangedTable) -> list[dict[str, Any]]:
    """Every row of ``table``'s exchanged columns; events in the order they were recorded."""
    model = _MODEL_OF[table.section]
    columns = [model.__table__.c[column.name] for column in table.columns]
    statement = select(*columns)
    if model is SignoffEventRow:
        statement = statement.order_by(SignoffEventRow.seq)
    return [
        {column.name: getattr(row, column.name) for column in table.columns}
        for row in session.execute(statement)
    ]


def keys_present(session: Session, table: ExchangedTable, keys: Sequence[Any]) -> set[Any]:
    """Which of ``keys`` name a row of ``table`` that is already here."""
    model = _MODEL_OF[table.section]
    column = getattr(model, table.key)
    present: set[Any] = set()
    for start in range(0, len(keys), CHUNK):
        part = keys[start : start + CHUNK]
        present.update(session.scalars(select(column).where(column.in_(part))))
    return present


def add_rows(session: Session, table: ExchangedTable, rows: Iterable[Mapping[str, Any]]) -> None:
    """Store rows of ``table`` as they arrived (not events: those join the audit chain)."""
    model = _MODEL_OF[table.section]
    if model is SignoffEventRow:
        raise ValueError("events are appended to the audit chain, one at a time")
    session.add_all(model(**row) for row in rows)
    session.flush()
