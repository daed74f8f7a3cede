"""Core benchmarks on a 20-year, ~50,000-entry logbook, each beside a baseline from the same run.

Run: ``uv run python bench/bench_core.py``. Baselines are the same SQL run through the raw
``sqlite3`` module on the same file (for export/import: reading or writing the same rows raw).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import sqlite as sqlite_dialect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, big_logbook, median_seconds, report
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import RecordKind
from logbook.services.exchange import export_json, import_json
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import repository as repo
from logbook.storage.database import open_database


def raw_sql(statement: Any, params: dict[str, str]) -> tuple[str, list[Any]]:
    """The SQL text and positional arguments SQLAlchemy would send for ``statement``."""
    compiled = statement.compile(dialect=sqlite_dialect.dialect())
    values = {**compiled.params, **params}
    args = [_plain(values[name]) for name in compiled.positiontup]
    return str(compiled), args


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, StrEnum) else value


def main() -> None:
    location = big_logbook()
    path = location.database
    raw = sqlite3.connect(path)
    entries = sum(raw.execute(f"SELECT count(*) FROM {k.value}").fetchone()[0] for k in RecordKind)
    print(f"Logbook: {path} ({entries:,} records, {path.stat().st_size / 1e6:.1f} MB)\n")

    # Opening an existing logbook: schema version checked, pragmas set, identity read.
    def open_ours() -> None:
        open_database(path).close()

    def open_raw() -> None:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL").fetchone()
        conn.execute("SELECT version_num FROM alembic_version").fetchone()
        conn.close()

    report(
        "open logbook (migrations checked)",
        median_seconds(open_ours),
        median_seconds(open_raw),
        "raw sqlite3 connect",
        "(target < 500 ms)",
    )
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "logbook.cli.main",
            "--data-dir",
            str(location.root),
            "summary",
            "--year",
            "2020",
        ],
        check=True,
        capture_output=True,
    )
    cold = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sqlite3"], check=True)
    bare = time.perf_counter() - start
    report("cold CLI: open + year summary", cold, bare, "bare python start")

    logbook = Logbook.open(location)

    # A filtered search: five years, a sub-kind, a supervisor and words in the text.
    person = next(iter(logbook.records.all(RecordKind.PERSON)))
    query = RecordQuery(
        RecordKind.SUPERVISION,
        period=Period(date(2012, 1, 1), date(2016, 12, 31)),
        person_uid=person.uid,
        text="risk",
        limit=200,
    )
    statement, params = repo.query_statement(query)
    sql, args = raw_sql(statement, params)
    rows_ours = len(logbook.records.query(query))
    rows_raw = len(raw.execute(sql, args).fetchall())
    assert rows_ours == rows_raw, (rows_ours, rows_raw)
    report(
        f"filtered search ({rows_ours} rows)",
        median_seconds(lambda: logbook.records.query(query)),
        median_seconds(lambda: raw.execute(sql, args).fetchall()),
        "same SQL, raw sqlite3",
        "(target < 3x)",
    )
    everything = RecordQuery(RecordKind.PRACTICE, text="exposure", limit=200)
    statement, params = repo.query_statement(everything)
    sql2, args2 = raw_sql(statement, params)
    report(
        "search page of practice (200)",
        median_seconds(lambda: logbook.records.query(everything)),
        median_seconds(lambda: raw.execute(sql2, args2).fetchall()),
        "same SQL, raw sqlite3",
        "(target < 3x)",
    )

    # Totals by month across the whole 20 years.
    def totals_raw() -> list[tuple[object, ...]]:
        return raw.execute(
            "SELECT substr(date, 1, 7), count(*), sum(CASE WHEN did_not_attend THEN 0 "
            "ELSE duration_minutes END) FROM practice GROUP BY 1 ORDER BY 1"
        ).fetchall()

    months = RecordQuery(RecordKind.PRACTICE)
    report(
        "totals by month (practice)",
        median_seconds(lambda: logbook.records.totals(months, "month")),
        median_seconds(totals_raw),
        "same SQL, raw sqlite3",
    )

    # JSON export and import of the whole logbook.
    exported = OUT / "export.json"

    def export_raw() -> None:
        tables = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'record_search%'"
            )
        ]
        data = {t: raw.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
        (OUT / "raw.json").write_text(json.dumps(data, default=str))

    report(
        "export JSON (whole logbook)",
        median_seconds(lambda: export_json(logbook.db, exported), 3),
        median_seconds(export_raw, 3),
        "raw rows -> json.dumps",
    )

    def import_ours() -> None:
        target = DataLocation(OUT / "import-target")
        shutil.rmtree(target.root, ignore_errors=True)
        fresh = Logbook.open(target)
        import_json(fresh.db, exported)
        fresh.close()

    def import_raw() -> None:
        target = OUT / "raw-import.sqlite"
        target.unlink(missing_ok=True)
        shutil.copy(path, target)
        conn = sqlite3.connect(target)
        data = json.loads((OUT / "raw.json").read_text())
        with conn:
            for table, rows in data.items():
                if rows and table not in ("alembic_version", "logbook_meta"):
                    conn.execute(f"DELETE FROM {table}")
                    marks = ",".join("?" * len(rows[0]))
                    conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        conn.close()

    report(
        "import JSON into a new logbook",
        median_seconds(import_ours, 3, 0),
        median_seconds(import_raw, 3, 0),
        "raw json -> executemany",
    )
    logbook.close()


if __name__ == "__main__":
    main()
