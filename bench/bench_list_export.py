"""CSV export of a whole list on the ~50,000-entry logbook, against a one-query baseline.

Run from the repository root:

    uv run python bench/bench_list_export.py
    uv run python bench/bench_list_export.py --repeat 1

For the practice list (the longest) sorted by date, by organisation name and by hours, each in
the same run:

- ``export_csv`` over ``query_batches`` (the order read once as ids, records a batch at a
  time), with the list's columns and sign-off states;
- a baseline that reads every row in one unpaged query and writes the same cells with
  ``csv.writer`` (no batching, no sign-off states, everything in memory at once);
- peak traced memory of both, to show the export holds a batch, not the list.

Target: within 1.5x of the baseline, at a fraction of its memory.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import big_logbook, median_seconds, report
from logbook.domain.queries import RecordQuery
from logbook.domain.records import RecordKind
from logbook.services.list_export import export_csv, query_batches
from logbook.services.logbook import Logbook
from logbook.ui.columns import COLUMNS, NameDirectory
from logbook.ui.list_export_dialog import csv_columns


def peak_mb(action: Callable[[], Any]) -> float:
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logbook = Logbook.open(big_logbook())
    kind = RecordKind.PRACTICE
    names = NameDirectory(logbook.records)
    columns = csv_columns(COLUMNS[kind], names)
    out = Path(tempfile.mkdtemp())
    print(f"{logbook.records.count(kind):,} practice entries")
    for sort in ("date", "organisation", "duration_minutes"):
        query = RecordQuery(kind, sort=sort)

        def ours(query: RecordQuery = query) -> None:
            export_csv(
                query_batches(logbook.records, query),
                columns,
                out / "ours.csv",
                states=logbook.signoff.states,
            )

        def baseline(query: RecordQuery = query) -> None:
            rows = logbook.records.query(replace(query, limit=None))
            with (out / "baseline.csv").open("w", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow([c.title for c in columns])
                writer.writerows([c.cell(r, None) for c in columns] for r in rows)

        report(
            f"export sorted by {sort}",
            median_seconds(ours, args.repeat),
            median_seconds(baseline, args.repeat),
            "one query, no states",
            "target <= 1.5x",
        )
        print(f"  peak memory: {peak_mb(ours):.1f} MB, baseline {peak_mb(baseline):.1f} MB")
    logbook.close()


if __name__ == "__main__":
    main()
