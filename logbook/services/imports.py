"""Importing CSV files: every bad row reported (file, row, column, reason), nothing half-done."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from logbook.domain.errors import Problem, ValidationError
from logbook.domain.limits import ProblemLog
from logbook.domain.records import Record, RecordKind
from logbook.services.changes import Change
from logbook.services.records import RecordService
from logbook.services.tabular import NameResolver, header_problems, parse_row

MAX_CSV_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    imported: int
    created_references: int
    change: Change


def import_csv(records: RecordService, kind: RecordKind, path: Path) -> ImportResult:
    """Import every row of ``path`` as ``kind`` in one transaction.

    Raises:
        ValidationError: every problem of every row; nothing was imported.
    """
    source = path.name
    header, rows = _read_rows(path)
    if not header:
        raise ValidationError(
            [Problem("", "the file is empty (no header row)", None, source)],
            f"{source} was not imported",
        )
    # The first hundred problems are kept and the rest counted (never millions of lines), and
    # reading stops at MAX_COUNTED_PROBLEMS.
    problems = ProblemLog()
    problems.extend(header_problems(kind, header, source))
    resolver = NameResolver(records.db)
    parsed: list[Record] = []
    if not problems:
        first_row: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            record, row_problems = parse_row(kind, row, resolver, row_number=number, source=source)
            problems.extend(row_problems)
            if problems.full:
                break
            if record is None:
                continue
            if record.uid in first_row:
                problems.append(
                    Problem("uid", f"the same id as row {first_row[record.uid]}", number, source)
                )
                continue
            first_row[record.uid] = number
            parsed.append(record)
    if problems:
        raise ValidationError(
            problems.listed(stopped=problems.full),
            f"{source} was not imported; nothing was changed",
        )
    change = records.create_many([*resolver.created, *parsed])
    return ImportResult(len(parsed), len(resolver.created), change)


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str | None]]]:
    source = path.name
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise ValidationError([Problem("", "file is larger than 50 MB", None, source)])
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle, restval="", strict=True)
            rows: list[dict[str, str | None]] = []
            for row in reader:
                if None in row:
                    raise ValidationError(
                        [Problem("", "more cells than header columns", reader.line_num, source)],
                        f"{source} was not imported; nothing was changed",
                    )
                if any((v or "").strip() for v in row.values()):
                    rows.append({k.strip(): v for k, v in row.items() if k is not None})
            return [f.strip() for f in reader.fieldnames or []], rows
    except UnicodeDecodeError as error:
        raise ValidationError(
            [Problem("", f"not UTF-8 text (byte {error.start})", None, source)],
            f"{source} was not imported",
        ) from None
    except csv.Error as error:
        raise ValidationError(
            [Problem("", f"not a valid CSV file: {error}", None, source)],
            f"{source} was not imported",
        ) from None
    except OSError as error:
        raise ValidationError(
            [Problem("", f"cannot be read: {error.strerror}", None, source)],
            f"{source} was not imported",
        ) from None
