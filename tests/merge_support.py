"""Two copies of one logbook, as on two computers: the same file, then edited apart."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from logbook.domain.records import Record, RecordKind, SupervisionSession
from logbook.services.exchange import ImportSummary, export_json
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook


@contextmanager
def two_copies(folder: Path, base: list[Record]) -> Iterator[tuple[Logbook, Logbook]]:
    """A logbook holding ``base``, copied whole to a second data folder (a laptop and a work
    computer): both open, with the same id and the same records."""
    first = Logbook.open(DataLocation(folder / "laptop"))
    second: Logbook | None = None
    try:
        first.records.create_many(base)
        first.close()
        shutil.copytree(folder / "laptop", folder / "office")
        first = Logbook.open(DataLocation(folder / "laptop"))
        second = Logbook.open(DataLocation(folder / "office"))
        yield first, second
    finally:
        first.close()
        if second is not None:
            second.close()


def merge_into(target: Logbook, source: Logbook, folder: Path) -> ImportSummary:
    """Export ``source`` and import the file into ``target``."""
    exported = folder / f"from-{source.location.root.name if source.location else 'copy'}.json"
    export_json(source.db, exported)
    return target.import_json(exported)


def sessions(count: int) -> list[Record]:
    return [
        SupervisionSession(date=date(2026, 3, 2 + day), duration_minutes=60, themes=("risk",))
        for day in range(count)
    ]


def edit(book: Logbook, record: Record, **changes: Any) -> Record:
    """Save an edit through the app's own service (the revision goes up by one)."""
    current = book.records.get(record.kind, record.uid)
    return book.records.update(dataclasses.replace(current, **changes)).record


def minutes(book: Logbook) -> int:
    return sum(r.duration_minutes for r in book.records.all(RecordKind.SUPERVISION))  # type: ignore[attr-defined]
