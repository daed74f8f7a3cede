"""JSON export and import of the whole 50,000-entry logbook, each beside raw ``sqlite3``.

Run from the repository root:

    uv run python bench/bench_bulk.py
    uv run python bench/bench_bulk.py --repeat 1

What is measured, in one run, on a copy of the shared logbook of ``bench/common.py``:

- ``export_json`` of the whole logbook, against raw ``sqlite3`` reading every record table
  (and the attachment contents, histories and deletions) and writing the same JSON document
  shape with the standard ``json`` module;
- ``import_json`` of that export into an empty logbook, against raw ``sqlite3`` reading the
  same document with ``json`` and inserting the same rows into an empty logbook's schema in
  one transaction (``executemany``, no checks).

Target: each within 3x of its baseline.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import big_logbook, report, timed
from logbook.domain.catalogue import KINDS
from logbook.domain.records import RecordKind
from logbook.services.exchange import export_json, import_json
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage import repository as repo
from logbook.storage.types import ChoiceTuple, RegistrationsType, RolesType, StringTuple

JSON_COLUMNS = (ChoiceTuple, RegistrationsType, RolesType, StringTuple)
TARGET = "target <= 3x"


def _columns(kind: RecordKind) -> tuple[str, list[str], set[str], set[str]]:
    """The table of ``kind``, its field columns, those holding JSON and those holding booleans."""
    table = repo.ROWS[kind].__table__
    names = list(KINDS[kind].field_names)
    kept_as_json = {n for n in names if isinstance(table.c[n].type, JSON_COLUMNS)}
    flags = {n for n in names if isinstance(table.c[n].type, Boolean)}
    return str(table.name), names, kept_as_json, flags


def raw_export(database: Path, target: Path, logbook_id: str) -> int:
    """Every record table read with ``sqlite3`` and written as the same document with ``json``."""
    conn = sqlite3.connect(database)
    try:
        records: list[dict[str, Any]] = []
        for kind in repo.INSERT_ORDER:
            table, names, kept_as_json, flags = _columns(kind)
            quoted = ", ".join(f'"{n}"' for n in names)
            for row in conn.execute(f'SELECT {quoted} FROM "{table}"'):
                item: dict[str, Any] = {"kind": kind.value}
                for name, value in zip(names, row, strict=True):
                    if name in kept_as_json:
                        value = json.loads(value)
                    elif name in flags:
                        value = bool(value)
                    item[name] = value
                records.append(item)
        blobs = {
            sha: base64.b64encode(data).decode()
            for sha, data in conn.execute("SELECT sha256, data FROM attachment_blob")
        }
        histories: dict[str, list[str]] = {}
        for uid, version in conn.execute("SELECT uid, version FROM record_version"):
            histories.setdefault(uid, []).append(version)
        deletions = [
            {"kind": k, "uid": u, "version": v, "deleted_at": d}
            for k, u, v, d in conn.execute("SELECT kind, uid, version, deleted_at FROM deletion")
        ]
    finally:
        conn.close()
    document = {
        "format": "practice-logbook",
        "format_version": 1,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "logbook_id": logbook_id,
        "records": records,
        "attachment_blobs": blobs,
        "histories": histories,
        "deletions": deletions,
    }
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return len(records)


def raw_import(source: Path, database: Path) -> int:
    """The document read with ``json`` and its rows inserted with ``sqlite3`` in one
    transaction."""
    with source.open(encoding="utf-8") as handle:
        document = json.load(handle)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for item in document["records"]:
        by_kind.setdefault(item["kind"], []).append(item)
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for kind in repo.INSERT_ORDER:
            table, names, kept_as_json, _ = _columns(kind)
            quoted = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" for _ in names)
            rows = [
                tuple(
                    json.dumps(item.get(n), ensure_ascii=False)
                    if n in kept_as_json
                    else item.get(n)
                    for n in names
                )
                for item in by_kind.get(kind.value, [])
            ]
            conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)
        conn.executemany(
            "INSERT INTO attachment_blob (sha256, data) VALUES (?, ?)",
            [(sha, base64.b64decode(text)) for sha, text in document["attachment_blobs"].items()],
        )
        conn.executemany(
            "INSERT INTO record_version (uid, version) VALUES (?, ?)",
            [(uid, v) for uid, versions in document["histories"].items() for v in versions],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return sum(len(rows) for rows in by_kind.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # A copy: opening the shared logbook may migrate it, and nothing here may change it.
        source = DataLocation(root / "source")
        shutil.copytree(big_logbook().root, source.root)
        book = Logbook.open(source, auto_backup=False)
        db = book.db
        logbook_id = db.logbook_id
        ours_file, raw_file = root / "export.json", root / "raw.json"
        counts: dict[str, int] = {}

        def ours_export() -> None:
            counts["export"] = export_json(db, ours_file)

        print(f"Timing (median of {args.repeat}) on a copy of {big_logbook().root} …")
        export_time = timed(ours_export, args.repeat)
        book.close()
        raw_export_time = timed(
            lambda: raw_export(source.database, raw_file, logbook_id), args.repeat
        )

        # An empty logbook's schema, for the raw import to fill.
        empty = DataLocation(root / "empty")
        Logbook.open(empty, auto_backup=False).close()
        runs = iter(range(args.repeat * 2))

        def ours_import() -> None:
            target = DataLocation(root / f"import-{next(runs)}")
            into = Logbook.open(target, auto_backup=False)
            try:
                start = time.perf_counter()
                summary = import_json(into.db, ours_file)
                seconds = time.perf_counter() - start
            finally:
                into.close()
            counts["import"] = summary.added
            times.append(seconds)
            shutil.rmtree(target.root)

        def raw_one() -> None:
            target = root / "raw.sqlite"
            shutil.copyfile(empty.database, target)
            start = time.perf_counter()
            counts["raw-import"] = raw_import(raw_file, target)
            times.append(time.perf_counter() - start)
            target.unlink()

        times: list[float] = []
        for _ in range(args.repeat):
            ours_import()
        import_time, times = statistics.median(times), []
        for _ in range(args.repeat):
            raw_one()
        raw_import_time = statistics.median(times)

        size = ours_file.stat().st_size / 2**20
        print(f"{counts['export']:,} records, {size:.1f} MiB of JSON")
        print(f"(imported: {counts['import']:,} added; raw: {counts['raw-import']:,} rows)")
        report(
            "JSON export (export_json)", export_time, raw_export_time, "raw sqlite3 + json", TARGET
        )
        report(
            "JSON import (import_json)", import_time, raw_import_time, "raw json + sqlite3", TARGET
        )


if __name__ == "__main__":
    main()
