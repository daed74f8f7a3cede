"""Importing CSV files: every bad row reported (file, row, column, reason), nothing half-done.

A file is read a row at a time and written a batch at a time inside one transaction, which a
refused file rolls back. Memory stays bounded however long the file: what is kept is a batch
of rows, the first hundred problems and the names already looked up; the logbook itself
tells whether an id came earlier in the file.
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from logbook.domain.allowances import Door
from logbook.domain.errors import Problem, ValidationError
from logbook.domain.limits import ProblemLog
from logbook.domain.records import Record, RecordKind
from logbook.services.changes import Change
from logbook.services.privacy import Screening
from logbook.services.records import RecordService
from logbook.services.tabular import NameResolver, header_problems, parse_row
from logbook.storage import repository as repo
from logbook.storage.database import Session
from logbook.storage.failures import saving

MAX_CSV_BYTES = 50 * 1024 * 1024
# A line longer than this is refused before it is split into cells (a line of a million
# commas would be a list of a million cells); a row with every column at its longest fits.
MAX_LINE_CHARS = 1024 * 1024
# Rows checked and held before they are written, inside the one transaction: this many, or
# fewer when their text is long.
BATCH_ROWS = 1000
BATCH_CHARS = 4 * 1024 * 1024
# A repeated id's message until the row it repeats is known (see ``_name_repeated_rows``).
_REPEATED = "this id is already in the logbook or on an earlier row"


@dataclass(frozen=True)
class ImportResult:
    """What a CSV import saved: the rows imported, the people and organisations it created
    for names it did not find, and the ``Change`` it made."""

    imported: int
    created_references: int
    change: Change


class _Unreadable(Exception):
    """The file cannot be read on from here; ``problem`` says why and where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _LineTooLong(Exception):
    pass


def import_csv(
    records: RecordService, kind: RecordKind, path: Path, *, allow_identifiers: bool = False
) -> ImportResult:
    """Import every row of ``path`` as ``kind`` in one transaction.

    Text that may identify a client (see ``domain/privacy.py``) is refused, unless
    ``allow_identifiers`` keeps it; the choice is then recorded on each entry.

    Raises:
        ValidationError: every problem of every row (the first hundred listed, the rest
            counted); nothing was imported.
        IdentifiersFoundError: the rows are valid but some text may identify a client (the
            first twenty findings listed by row and field); nothing was imported.
    """
    source = path.name
    with _open(path) as handle:
        rows = _rows(handle, source)
        header = _header(rows, kind, source)
        run = _Import(kind, source, header, NameResolver(records.db))
        run.screening = Screening(Door.CSV, allow_identifiers)
        with saving(), records.db.transaction() as session:
            run.read(session, rows)
            if run.problems:
                _name_repeated_rows(run, path)
                # Raised inside the transaction, so the batches written so far are undone.
                raise ValidationError(
                    run.problems.listed(stopped=run.stopped),
                    f"{source} was not imported; nothing was changed",
                )
            run.screening.refuse_if_found(f"{source} was not imported; nothing was changed")
    return run.result()


@dataclass
class _Import:
    """One import under way: its problems so far and the rows waiting to be written."""

    kind: RecordKind
    source: str
    header: list[str]
    resolver: NameResolver
    problems: ProblemLog = field(default_factory=ProblemLog)
    stopped: bool = False
    batch: list[tuple[int, Record]] = field(default_factory=list)
    batch_chars: int = 0
    repeated: dict[int, str] = field(default_factory=dict)  # row: id, for listed problems
    imported: int = 0
    # The ids written, 16 bytes each (a file of a million rows: 16 MB, not 90).
    created: bytearray = field(default_factory=bytearray)
    kinds: set[RecordKind] = field(default_factory=set)
    screening: Screening = field(default_factory=lambda: Screening(Door.CSV))

    def read(self, session: Session, rows: Iterator[tuple[int, list[str]]]) -> None:
        self.resolver.session = session
        try:
            for number, cells in rows:
                self._check(number, cells)
                if len(self.batch) >= BATCH_ROWS or self.batch_chars >= BATCH_CHARS:
                    self._write(session)
                if self.problems.full or self.resolver.full:
                    self.stopped = True
                    break
        except _Unreadable as error:
            self.problems.append(error.problem)
            self.stopped = True
        self._write(session)

    def _check(self, number: int, cells: list[str]) -> None:
        if len(cells) > len(self.header):
            message = (
                f"more cells than header columns ({len(cells):,} cells, {len(self.header)} columns)"
            )
            self.problems.append(Problem("", message, number, self.source))
            return
        if not any(cell.strip() for cell in cells):
            return
        row = dict(itertools.zip_longest(self.header, cells, fillvalue=""))
        record, found = parse_row(
            self.kind, row, self.resolver, row_number=number, source=self.source
        )
        self.problems.extend(found)
        if record is not None:
            self.screening.check(record, row=number, source=self.source)
            self.batch.append((number, record))
            self.batch_chars += sum(map(len, cells))

    def _write(self, session: Session) -> None:
        """Write the batch, with the people and organisations it names for the first time.

        Rows are written even after a problem (the transaction is then rolled back), so an
        id repeated further on is still found. References need no check: each was looked up
        in this transaction or is created in it.
        """
        batch, self.batch, self.batch_chars = self.batch, [], 0
        new, self.resolver.created = self.resolver.created, []
        taken = repo.existing_uids(session, self.kind, (r.uid for _, r in batch))
        fresh: list[Record] = [*new]
        for number, record in batch:
            if record.uid in taken:
                self._note_repeat(number, record.uid)
            else:
                taken.add(record.uid)
                fresh.append(record)
        if fresh:
            repo.insert_many(session, fresh)
        self.screening.save(session)
        self.imported += len(fresh) - len(new)
        self.kinds.update(r.kind for r in fresh)
        for record in fresh:
            self.created += uuid.UUID(record.uid).bytes  # every id is a UUID (validated)

    def _note_repeat(self, number: int, uid: str) -> None:
        if len(self.problems.kept) < self.problems.keep:
            self.repeated[number] = uid
        self.problems.append(Problem("uid", _REPEATED, number, self.source))

    def result(self) -> ImportResult:
        ids = memoryview(self.created)
        created = tuple(
            str(uuid.UUID(bytes=bytes(ids[i : i + 16]))) for i in range(0, len(ids), 16)
        )
        change = Change(created=created, kinds=frozenset(self.kinds))
        return ImportResult(self.imported, len(created) - self.imported, change)


def _name_repeated_rows(run: _Import, path: Path) -> None:
    """Say which row each listed repeated id repeats, or that the logbook had it already.

    The rows are found by reading the ids once more, only when an id was repeated, instead
    of remembering every id of a long file.
    """
    if not run.repeated or "uid" not in run.header:
        return
    column, last = run.header.index("uid"), max(run.repeated)
    wanted = set(run.repeated.values())
    first: dict[str, int] = {}
    try:
        with _open(path) as handle:
            for number, cells in _rows(handle, run.source):
                if number > last:
                    break
                uid = cells[column].strip() if column < len(cells) else ""
                if uid in wanted:
                    first.setdefault(uid, number)
    except (ValidationError, _Unreadable):
        return  # changed meanwhile: the general message stands
    for index, problem in enumerate(run.problems.kept):
        row = problem.row or 0
        if problem.message != _REPEATED or row not in run.repeated:
            continue
        earlier = first.get(run.repeated[row], row)
        message = (
            f"the same id as row {earlier}"
            if earlier < row
            else "a record with this id is already in the logbook"
        )
        run.problems.kept[index] = dataclasses.replace(problem, message=message)


def _open(path: Path) -> TextIO:
    """``path`` opened for reading, once its size is known to be within bounds."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise _refused(path.name, f"file is larger than {MAX_CSV_BYTES // 1024**2} MB")
        return path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise _refused(path.name, f"cannot be read: {error.strerror}") from None


def _header(rows: Iterator[tuple[int, list[str]]], kind: RecordKind, source: str) -> list[str]:
    """The column names of the first row with any, once they are known to be right."""
    try:
        cells = next((cells for _, cells in rows if cells), None)
    except _Unreadable as error:
        raise ValidationError([error.problem], f"{source} was not imported") from None
    if cells is None:
        raise _refused(source, "the file is empty (no header row)")
    header = [name.strip() for name in cells]
    problems = ProblemLog()
    problems.extend(header_problems(kind, header, source))
    if problems:
        raise ValidationError(problems.listed(), f"{source} was not imported; nothing was changed")
    return header


def _rows(handle: TextIO, source: str) -> Iterator[tuple[int, list[str]]]:
    """Each row of the file as its cells, numbered as a spreadsheet shows it (header: 1).

    Raises:
        _Unreadable: the rest of the file cannot be read, with where and why.
    """
    number = 0
    try:
        for number, cells in enumerate(csv.reader(_lines(handle), strict=True), start=1):
            yield number, cells
    except _LineTooLong:
        message = f"a line is longer than {MAX_LINE_CHARS:,} characters"
        raise _Unreadable(Problem("", message, number + 1, source)) from None
    except UnicodeDecodeError as error:
        raise _Unreadable(
            Problem("", f"not UTF-8 text (byte {error.start})", None, source)
        ) from None
    except csv.Error as error:
        message = f"not a valid CSV file: {error}"
        raise _Unreadable(Problem("", message, number + 1, source)) from None
    except OSError as error:
        message = f"cannot be read: {error.strerror}"
        raise _Unreadable(Problem("", message, number + 1, source)) from None


def _lines(handle: TextIO) -> Iterator[str]:
    while line := handle.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise _LineTooLong
        yield line


def _refused(source: str, message: str) -> ValidationError:
    return ValidationError([Problem("", message, None, source)], f"{source} was not imported")
