"""A list as it is shown, written to a CSV file a spreadsheet opens.

Every row the list's filters match is written in the list's order, read from SQL a batch at a
time so a logbook of fifty thousand entries exports without holding its records in memory; each
batch is a short read of its own, so the window stays responsive meanwhile. The file is written
beside its final name and moved into place only when complete: a failed or cancelled export
leaves nothing.

Cells read as the list shows them, except dates, which are written as ISO 8601 (2026-11-25)
so any spreadsheet or script reads them the same way; the header says so. Private reflections
follow the portfolio's rule: a private reflective account is left out and a private reflection
left empty, unless the user asks for them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from logbook.domain.errors import LogbookError
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, ReflectiveAccount
from logbook.domain.signoff import SignoffState
from logbook.services.export import replace_when_written, write_problem
from logbook.services.records import RecordService

BATCH_SIZE = 500
ISO_DATES = "YYYY-MM-DD"
# A cell starting with one of these is a formula to Excel and LibreOffice: a leading
# apostrophe keeps it text (OWASP's advice for CSV files opened in spreadsheets).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = Callable[[Record, SignoffState | None], str]
StateReader = Callable[[Sequence[Record]], Mapping[str, SignoffState]]


@dataclass(frozen=True)
class CsvColumn:
    """One column of the file: its header and how a record reads in it.

    Attributes:
        title: The header, as the list's column is titled.
        cell: The record's text in this column (given its sign-off state, when known).
    """

    title: str
    cell: Cell


@dataclass(frozen=True)
class CsvExportResult:
    """What was written.

    Attributes:
        path: The file written.
        rows: Rows written (the header not counted).
        private_left_out: Private reflective accounts left out.
    """

    path: Path
    rows: int
    private_left_out: int = 0


class CsvExportError(LogbookError):
    """The file could not be written; the message names it and says what to do."""


class CsvExportCancelled(LogbookError):
    """The user cancelled; nothing was written."""


def query_batches(
    records: RecordService, query: RecordQuery, size: int = BATCH_SIZE
) -> Iterator[list[Record]]:
    """Every record ``query`` matches (ignoring its page), in its order, ``size`` at a time.

    The order is read once, as ids (a few megabytes for fifty thousand rows); the records
    follow a batch at a time. Paging with OFFSET would sort the whole list again for every
    page, which sorted by a supervisor's name takes seconds a page.
    """
    uids = records.ordered_uids(query)
    for start in range(0, len(uids), size):
        batch = records.get_many(query.kind, uids[start : start + size])
        if batch:
            yield batch


def shareable(record: Record, include_private: bool) -> Record | None:
    """The record as it may leave the app: a private reflective account not at all, a private
    reflection left empty (the portfolio's rule), unless private text is asked for."""
    if include_private:
        return record
    if isinstance(record, ReflectiveAccount):
        return None if record.private else record
    if getattr(record, "reflection_private", False) and getattr(record, "reflection", ""):
        return dataclasses.replace(record, reflection="")  # type: ignore[call-arg]
    return record


def export_csv(
    batches: Iterable[Sequence[Record]],
    columns: Sequence[CsvColumn],
    target: Path,
    *,
    include_private: bool = False,
    states: StateReader | None = None,
    expected: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CsvExportResult:
    """Write ``batches`` of records as CSV rows under ``target``, atomically.

    Args:
        batches: The records, in order, a batch at a time (see :func:`query_batches`).
        columns: The columns, in the order written.
        target: The file to write (replaced only once the new one is complete).
        include_private: Write private reflective accounts and private reflections too.
        states: Reads the sign-off state of a batch, for a sign-off column.
        expected: How many records there are, for progress.
        progress: Called with (records done, expected) after each batch.
        cancelled: Polled between batches; True stops the export, leaving no file.

    Raises:
        CsvExportError: the target is a folder, its folder is missing or unwritable, or the
            disk is full; nothing is left under ``target`` or beside it.
        CsvExportCancelled: the export was cancelled; nothing is left behind.
    """
    path = Path(target).expanduser().absolute()
    _check_target(path)
    counts = {"rows": 0, "left_out": 0}

    def write(stream: io.TextIOWrapper) -> None:
        writer = csv.writer(stream)
        writer.writerow([column.title for column in columns])
        done = 0
        for batch in batches:
            if cancelled is not None and cancelled():
                raise CsvExportCancelled("The export was cancelled; no file was written.")
            found = states(batch) if states is not None else {}
            for record in batch:
                kept = shareable(record, include_private)
                if kept is None:
                    counts["left_out"] += 1
                    continue
                state = found.get(record.uid)
                writer.writerow([_safe(column.cell(kept, state)) for column in columns])
                counts["rows"] += 1
            done += len(batch)
            if progress is not None:
                progress(done, max(expected, done))

    _write_atomically(path, write)
    return CsvExportResult(path, counts["rows"], counts["left_out"])


def _safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# --- writing -------------------------------------------------------------------------------------


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise CsvExportError(f"{target} is a folder: give a file name ending in .csv.")
    if not target.parent.is_dir():
        raise CsvExportError(
            f"The folder {target.parent} does not exist, so {target.name} was not saved. "
            "Choose an existing folder."
        )


def _write_atomically(target: Path, write: Callable[[io.TextIOWrapper], None]) -> None:
    # utf-8-sig: Excel reads the file as UTF-8 only when it starts with a BOM.
    replace_when_written(
        target,
        write,
        suffix=".csv.part",
        encoding="utf-8-sig",
        problem=lambda error: _os_problem(error, target),
    )


def _os_problem(error: OSError, target: Path) -> CsvExportError:
    return CsvExportError(write_problem(error, target, target.name))
