"""Merging two copies of the 20-year logbook: every record compared by content.

Measures importing the whole export into a copy of the same logbook (each of ~50,000 records
compared, nothing to change) and into a copy where 500 entries were edited and 100 deleted on
each side (updates, deletions and conflicts), against importing it into an empty logbook (every
record simply added) in the same run.

    uv run python bench/bench_merge.py
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, big_logbook, report
from logbook.domain.records import RecordKind
from logbook.services.exchange import export_json
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook


def copy_of(name: str) -> DataLocation:
    source = big_logbook()
    target = DataLocation(OUT / name)
    shutil.rmtree(target.root, ignore_errors=True)
    shutil.copytree(source.root, target.root)
    return target


def edit_apart(location: DataLocation, offset: int, text: str) -> None:
    """Edit 500 practice entries and delete 100 others, a different stretch on each side
    (overlapping, so some are conflicts)."""
    book = Logbook.open(location)
    try:
        entries = book.records.all(RecordKind.PRACTICE)
        for entry in entries[offset : offset + 500]:
            book.records.update(dataclasses.replace(entry, notes=text))
        for entry in entries[offset + 10_000 : offset + 10_100]:
            book.records.delete(RecordKind.PRACTICE, entry.uid)
    finally:
        book.close()


def timed_import(location: DataLocation, exported: Path) -> tuple[float, str]:
    book = Logbook.open(location)
    try:
        started = time.perf_counter()
        summary = book.import_json(exported)
        seconds = time.perf_counter() - started
    finally:
        book.close()
    counts = (
        f"{summary.added} added, {summary.updated} updated, {summary.deleted} deleted, "
        f"{len(summary.conflicts)} conflicts"
    )
    return seconds, counts


def main() -> None:
    source = big_logbook()
    exported = OUT / "merge-source.json"
    book = Logbook.open(source)
    try:
        export_json(book.db, exported)
    finally:
        book.close()

    empty = DataLocation(OUT / "merge-empty")
    shutil.rmtree(empty.root, ignore_errors=True)
    baseline, added = timed_import(empty, exported)
    same, same_counts = timed_import(copy_of("merge-same"), exported)

    theirs = copy_of("merge-theirs")
    edit_apart(theirs, 0, "Edited on the laptop")
    theirs_export = OUT / "merge-theirs.json"
    book = Logbook.open(theirs)
    try:
        export_json(book.db, theirs_export)
    finally:
        book.close()
    ours = copy_of("merge-ours")
    edit_apart(ours, 250, "Edited at the office")
    apart, apart_counts = timed_import(ours, theirs_export)

    print(f"into an empty logbook: {added}")
    print(f"into the same logbook: {same_counts}")
    print(f"into a copy edited apart: {apart_counts}")
    report("merge into the same logbook", same, baseline, "import into empty", "target <= 2x")
    report("merge into a copy edited apart", apart, baseline, "import into empty", "target <= 2x")


if __name__ == "__main__":
    main()
