"""The whole logbook as one JSON file: a documented, versioned format that round-trips every
field (see docs/json-format.md), with each record's history and the deletions, so copies
merge without losing an edit (``merging``). An import is all or nothing.

An import reads the file a piece at a time (``logbook.domain.json_input``), several times: once
to check it as JSON and keep its header, sign-off rows, histories and deletions; once to check
every record, keeping only ids; then the records are merged a batch at a time, and attachment
contents are stored one by one. Whatever a file holds, an import takes a bounded amount of
memory beyond the sign-off rows it keeps (measured in ``bench/fuzz_campaign.py`` and
``tests/test_hostile_inputs.py``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from logbook import __version__
from logbook.domain.allowances import Door
from logbook.domain.codec import decode, encode_values
from logbook.domain.errors import LogbookError, Problem, ValidationError
from logbook.domain.json_input import (
    INVALID,
    Bookmark,
    JsonInputError,
    JsonPath,
    JsonStream,
    Report,
    path_text,
)
from logbook.domain.limits import ProblemLog, describe
from logbook.domain.records import Attachment, Record, RecordKind
from logbook.domain.uids import is_uid, not_a_uid
from logbook.domain.validation import validate
from logbook.domain.versions import DeletionMark, is_version
from logbook.services.attachments import MAX_ATTACHMENT_BYTES
from logbook.services.changes import Change
from logbook.services.merging import Merger
from logbook.services.privacy import Screening
from logbook.services.privacy_exchange import MEMBER as ALLOWANCES
from logbook.services.privacy_exchange import export_allowances, read_allowances
from logbook.services.signoff.exchange import (
    SECTIONS,
    check_row,
    export_signoff,
    import_signoff,
)
from logbook.storage import allowance_repository as allowances
from logbook.storage import history_repository as history
from logbook.storage import repository as repo
from logbook.storage.database import Database, Session
from logbook.storage.failures import disk_full, saving

FORMAT_NAME = "practice-logbook"
FORMAT_VERSION = 1
# The file may be large (attachments travel inside it); it is read a piece at a time, each piece
# bounded, so its size does not decide how much memory an import takes.
MAX_IMPORT_BYTES = 1024 * 1024 * 1024
MAX_RECORD_CHARS = 1024 * 1024  # one record (each of its texts is at most 20,000 characters)
MAX_ROW_CHARS = 8 * 1024 * 1024  # one sign-off row, which may hold a whole request file
MAX_HEADER_CHARS = 64 * 1024  # format, version, logbook id, chain head …
MAX_MEMBERS = 1000  # members of the top level, or of ``signoff``: a handful are known
MAX_BLOBS = 100_000  # attachment contents in one file
# Histories and deletions are kept in memory for the merge: these bound them (about 60 MB).
MAX_VERSIONS = 300_000  # versions in all histories together
MAX_RECORD_VERSIONS = 10_000  # versions of one record
MAX_DELETIONS = 100_000
MERGE_BATCH = 2000  # records merged at a time
MAX_RECORDS = 1_000_000  # their ids are kept while a file is checked (about 100 MB at most)
# An attachment's content in base64 (four characters for every three bytes).
MAX_BLOB_CHARS = (MAX_ATTACHMENT_BYTES + 2) // 3 * 4
HEADER = ("format", "format_version", "app_version", "exported_at", "logbook_id")
_SHA256_HEX = frozenset("0123456789abcdef")
_KINDS = frozenset(kind.value for kind in RecordKind)


@dataclass(frozen=True)
class ImportSummary:
    """What importing (merging) another copy's export did: records added, updated, deleted or
    already up to date, the conflicts left for the user, and the ``Change`` it made."""

    added: int
    updated: int
    unchanged: int
    change: Change
    deleted: int = 0
    conflicts: tuple[str, ...] = ()  # a line for each record both copies changed
    notes: tuple[str, ...] = ()  # what the merge settled by itself

    def describe(self, name: str) -> str:
        """The summary in words, each conflict and note on a line of its own."""
        counts = f"{self.added} added, {self.updated} updated"
        if self.deleted:
            counts += f", {self.deleted} deleted"
        lines = [f"Imported {name}: {counts}, {self.unchanged} already up to date."]
        if self.conflicts:
            lines.append(
                f"{len(self.conflicts)} record(s) changed on both copies: both sides are kept "
                "until you choose which to keep:"
            )
            lines.extend(f"  • {line}" for line in self.conflicts)
        lines.extend(f"  • {note}" for note in self.notes)
        return "\n".join(lines)


def export_json(db: Database, target: Path, progress: Progress | None = None) -> int:
    """Write every record (and attachment content) to ``target``; returns the record count.

    The records are read and written a batch at a time, each as one line of the file, so the
    document is never all in memory; ``progress`` is told (records written, records in all)
    after each batch. The file is written beside the target and moved into place only when
    complete.
    """
    with db.reading() as session, _atomic_file(target) as out:
        total = sum(repo.count(session, kind) for kind in repo.INSERT_ORDER)
        header = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "app_version": __version__,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "logbook_id": db.logbook_id,
        }
        out.write(b"{\n")
        for key, value in header.items():
            out.write(f" {_dumps(key)}: {_dumps(value)},\n".encode())
        count, shas = _write_records(session, out, total, progress)
        out.write(b' "attachment_blobs": {')
        _write_items(
            out,
            (
                (sha, base64.b64encode(repo.load_blob(session, sha)).decode())
                for sha in sorted(shas)
            ),
        )
        out.write(b'},\n "histories": {')
        _write_items(out, history.histories(session))
        out.write(b'},\n "deletions": [')
        _write_lines(out, (_dumps(_mark_json(mark)) for mark in history.deletions(session)))
        out.write(b"],\n")
        signoff = json.dumps(export_signoff(session), ensure_ascii=False, indent=1)
        out.write(f' "signoff": {signoff},\n'.encode())
        kept = json.dumps(export_allowances(session), ensure_ascii=False, indent=1)
        out.write(f" {_dumps(ALLOWANCES)}: {kept}\n}}\n".encode())
    return count


Progress = Callable[[int, int], None]
"""Called with (records done, records in all) while a whole logbook is exported or imported."""
_dumps = json.JSONEncoder(ensure_ascii=False).encode
WRITE_BATCH = 2000  # lines written to an export at a time


def _write_records(
    session: Session, out: BinaryIO, total: int, progress: Progress | None
) -> tuple[int, set[str]]:
    """The ``records`` member, a record a line, read a batch at a time as rows and written
    as the codec writes records; returns how many, and the attachment contents they use."""
    out.write(b' "records": [')
    count, shas, lines = 0, set[str](), list[str]()
    for kind in repo.INSERT_ORDER:
        attachments = kind is RecordKind.ATTACHMENT
        for row in repo.iterate_rows(session, kind, WRITE_BATCH):
            item = encode_values(kind, row)
            if attachments:
                shas.add(item["sha256"])
            lines.append(_dumps(item))
            if len(lines) >= WRITE_BATCH:
                count = _flush_lines(out, lines, count, total, progress)
    count = _flush_lines(out, lines, count, total, progress)
    out.write(b"\n ],\n" if count else b"],\n")
    return count, shas


def _flush_lines(
    out: BinaryIO, lines: list[str], count: int, total: int, progress: Progress | None
) -> int:
    if lines:
        lead = "\n  " if count == 0 else ",\n  "
        out.write((lead + ",\n  ".join(lines)).encode())
        count += len(lines)
        lines.clear()
    if progress is not None:
        progress(count, total)
    return count


def _write_items(out: BinaryIO, items: Iterable[tuple[str, Any]]) -> None:
    """The members of an object, one a line."""
    _write_lines(out, (f"{_dumps(key)}: {_dumps(value)}" for key, value in items))


def _write_lines(out: BinaryIO, lines: Iterable[str]) -> None:
    """Values of a list (or members of an object), one a line, a batch at a time."""
    batch: list[str] = []
    written = False
    for line in lines:
        batch.append(line)
        if len(batch) >= WRITE_BATCH:
            out.write(((",\n  " if written else "\n  ") + ",\n  ".join(batch)).encode())
            written, batch = True, []
    if batch:
        out.write(((",\n  " if written else "\n  ") + ",\n  ".join(batch)).encode())
        written = True
    if written:
        out.write(b"\n ")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that a reader sees the old file or the complete new one."""
    with _atomic_file(target) as out:
        out.write(data)


@contextmanager
def _atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A file to write ``target`` through, moved into place only once written in full (and
    flushed to disk), so that a reader sees the old file or the complete new one."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise LogbookError(f"Cannot write {target}: the folder {target.parent} does not exist")
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise LogbookError(f"Cannot write to {target.parent}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb", buffering=1024 * 1024) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except OSError as error:
        Path(partial).unlink(missing_ok=True)
        if disk_full(error, target.parent):
            raise LogbookError(
                f"The disk holding {target.parent} is full, so {target.name} was not saved. "
                "Free some space, then try again."
            ) from None
        raise LogbookError(f"Cannot write {target}: {error.strerror}") from None
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def import_json(db: Database, source: Path, *, allow_identifiers: bool = False) -> ImportSummary:
    """Merge a logbook JSON file into this logbook in one transaction.

    New records are added; a record here is replaced by a newer version of it, and deleted
    by a later deletion; a record changed on both sides is kept as a conflict for the user to
    decide (see ``merging``). The records are checked in one reading of the file and merged,
    a batch at a time, in another, so memory stays bounded whatever the file holds.

    Text that may identify a client is refused unless it was kept before (here, or on the
    copy the file came from) or ``allow_identifiers`` keeps it now.

    Raises:
        ValidationError: every problem found in the file; nothing was imported.
        IdentifiersFoundError: some text may identify a client (the first twenty findings
            listed by record and field); nothing was imported.
    """
    document = _read_document(source)
    name = source.name
    checked, blobs = _check_records(document, name), _decode_blobs(document, name)
    missing = {sha for sha in checked.attachment_shas if sha not in blobs}
    if missing:
        raise ValidationError(
            [
                Problem("attachment_blobs", f"content missing for {sha[:12]}…", None, name)
                for sha in sorted(missing)
            ],
            f"{name} was not imported; nothing was changed",
        )
    deletions: list[DeletionMark] = document.get("deletions", [])
    _check_deleted_and_present(checked.uids, deletions, name)
    records = document["records"]
    with saving(), db.transaction() as session:
        allowances.add(session, document.get(ALLOWANCES, []))
        for sha, data in blobs.items():
            repo.store_blob(session, sha, data)
        merger = Merger(session, document.get("histories", {}), name, datetime.now(UTC))
        # Screened in the merging pass (the file is read once more, not twice); refusing
        # rolls the whole transaction back.
        screening = Screening(Door.JSON, allow_identifiers)
        for batch in _record_batches(records, name):
            _screen(session, screening, batch, name)
            merger.add([record for _, record in batch])
        screening.refuse_if_found(f"{name} was not imported; nothing was changed")
        merger.delete(deletions)
        merged = merger.settle(lambda wanted: _records_with(records, name, wanted))
        import_signoff(session, document.get("signoff"), name)
    return ImportSummary(
        merged.added,
        merged.updated,
        merged.unchanged,
        merged.change,
        merged.deleted,
        merged.conflicts,
        merged.notes,
    )


def _read_document(source: Path) -> dict[str, Any]:
    """Read an export through once, checking it as JSON (see ``json_input``) and as an export.

    Returns its header members, its ``signoff`` as read (only rows without problems are kept),
    and for ``records`` and ``attachment_blobs`` where they are in the file: ``_decode_records``
    and ``_decode_blobs`` read them again, a piece at a time.

    Raises:
        ValidationError: the file cannot be read, is not an export, or breaks a limit (every
            such problem, the first hundred listed).
    """
    name = source.name
    problems = ProblemLog()
    document: dict[str, Any] = {}
    fatal: JsonInputError | None = None
    try:
        if source.stat().st_size > MAX_IMPORT_BYTES:
            raise ValidationError(
                [Problem("", f"file is larger than {MAX_IMPORT_BYTES // 1024**3} GB", None, name)],
                f"{name} was not imported",
            )
        with source.open("rb") as handle:
            stream = JsonStream(handle, _reporter(problems, name))
            try:
                _read_members(stream, source, document, problems)
                stream.end()
            except JsonInputError as error:
                fatal = error
            except _Enough:
                pass  # so many problems that the rest is not worth reading
    except OSError as error:
        raise ValidationError(
            [Problem("", f"cannot be read: {error.strerror}", None, name)],
            f"{name} was not imported",
        ) from None
    if fatal is not None and fatal.path == () and fatal.message.startswith("must be"):
        raise ValidationError(
            [Problem("format", f"not a Practice Logbook export (it {fatal.message})", None, name)],
            f"{name} was not imported",
        )
    if fatal is not None:
        problems.append(_problem(name, fatal.path, fatal.message + fatal.position))
        raise ValidationError(problems.listed(), f"{name} was not imported; nothing was changed")
    if problems.full:  # reading stopped, perhaps before the format was read
        raise ValidationError(
            problems.listed(stopped=True), f"{name} was not imported; nothing was changed"
        )
    if document.get("format") != FORMAT_NAME:
        raise ValidationError(
            [Problem("format", "not a Practice Logbook export", None, name)],
            f"{name} was not imported",
        )
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError(
            [Problem("format_version", "missing or invalid", None, name)],
            f"{name} was not imported",
        )
    if version > FORMAT_VERSION:
        raise ValidationError(
            [
                Problem(
                    "format_version",
                    f"version {version} is newer than this app reads "
                    f"({FORMAT_VERSION}); update Practice Logbook",
                    None,
                    name,
                )
            ],
            f"{name} was not imported",
        )
    if problems:
        raise ValidationError(problems.listed(), f"{name} was not imported; nothing was changed")
    return document


def _read_members(
    stream: JsonStream, source: Path, document: dict[str, Any], problems: ProblemLog
) -> None:
    """The top level of an export, member by member (a member it does not know is checked and
    left out)."""
    name = source.name
    for key in stream.members((), level=0, max_members=MAX_MEMBERS):
        if key == "records":
            document[key] = _Section(source, stream.bookmark())
            for _ in stream.values((key,), level=1, max_chars=MAX_RECORD_CHARS):
                pass
        elif key == "attachment_blobs":
            document[key] = _Section(source, stream.bookmark())
            # Not remembering keys: a key given twice is checked against its content twice.
            blobs = stream.members((key,), level=1, max_members=MAX_BLOBS, distinct=False)
            for sha in blobs:
                for _ in stream.text_pieces((key, sha), max_chars=MAX_BLOB_CHARS):
                    pass
        elif key == "signoff":
            document[key] = _read_signoff(stream, name, problems)
        elif key == "histories":
            document[key] = _read_histories(stream, name, problems)
        elif key == "deletions":
            document[key] = _read_deletions(stream, name, problems)
        elif key == ALLOWANCES and stream.peek() != "[":
            _not_a(stream, (key,), "a list", name, problems)
        elif key == ALLOWANCES:
            document[key] = list(read_allowances(stream, name, problems))
        elif key in HEADER:
            value = stream.value((key,), level=1, max_chars=MAX_HEADER_CHARS)
            if value is not INVALID:
                document[key] = value


class _Enough(Exception):
    """So many problems were found that reading on would only count more."""


def _read_signoff(stream: JsonStream, name: str, problems: ProblemLog) -> Any:
    """The ``signoff`` member: its rows are checked as they are read, and only rows without a
    problem are kept (so a file of a million bad rows keeps none of them)."""
    if stream.peek() != "{":
        value = stream.value(("signoff",), level=1, max_chars=MAX_HEADER_CHARS)
        if value is not None and value is not INVALID:
            problems.append(Problem("signoff", f"not an object ({describe(value)})", None, name))
        return None
    sections = set(SECTIONS)
    signoff: dict[str, Any] = {}
    for key in stream.members(("signoff",), level=1, max_members=MAX_MEMBERS):
        if key in sections and stream.peek() != "[":
            value = stream.value(("signoff", key), level=2, max_chars=MAX_HEADER_CHARS)
            if value is not INVALID:
                problems.append(
                    Problem(f"signoff.{key}", f"not a list ({describe(value)})", None, name)
                )
        elif key in sections:
            rows = signoff[key] = []
            path: JsonPath = ("signoff", key)
            for index, raw in stream.values(path, level=2, max_chars=MAX_ROW_CHARS):
                if check_row(key, raw, f"signoff.{key}[{index}]", name, problems):
                    rows.append(raw)
                if problems.full:
                    raise _Enough
        else:
            value = stream.value(("signoff", key), level=2, max_chars=MAX_HEADER_CHARS)
            if value is not INVALID:
                signoff[key] = value
    return signoff


def _read_histories(
    stream: JsonStream, name: str, problems: ProblemLog
) -> dict[str, frozenset[str]]:
    """The ``histories`` member: record id → the versions it has been in (checked as read)."""
    path: JsonPath = ("histories",)
    if stream.peek() != "{":
        _not_a(stream, path, "an object", name, problems)
        return {}
    histories: dict[str, frozenset[str]] = {}
    total = 0
    # Not remembering keys: the histories kept are the memory of them.
    for uid in stream.members(path, level=1, max_members=MAX_VERSIONS, distinct=False):
        value = stream.value(
            (*path, uid),
            level=2,
            max_chars=MAX_RECORD_VERSIONS * 70,
            max_values=MAX_RECORD_VERSIONS,
        )
        where = f"histories.{uid[:40]}"
        if value is INVALID:
            continue
        if not is_uid(uid):
            problems.append(Problem("histories", not_a_uid(uid), None, name))
        elif not isinstance(value, list) or not all(is_version(v) for v in value):
            problems.append(
                Problem(where, "must be a list of versions (64 hex digits)", None, name)
            )
        elif uid in histories:
            problems.append(Problem(where, "the same id appears twice", None, name))
        else:
            histories[uid] = frozenset(value)
            total += len(value)
            if total > MAX_VERSIONS:
                problems.append(
                    Problem("histories", f"more than {MAX_VERSIONS:,} versions in all", None, name)
                )
                raise _Enough
        if problems.full:
            raise _Enough
    return histories


def _read_deletions(stream: JsonStream, name: str, problems: ProblemLog) -> list[DeletionMark]:
    """The ``deletions`` member: each record deleted, its deletion version and when."""
    path: JsonPath = ("deletions",)
    if stream.peek() != "[":
        _not_a(stream, path, "a list", name, problems)
        return []
    marks: list[DeletionMark] = []
    for index, raw in stream.values(path, level=1, max_chars=1000):
        mark = _deletion_mark(raw)
        if isinstance(mark, str):
            problems.append(Problem(f"deletions[{index}]", mark, None, name))
        elif len(marks) >= MAX_DELETIONS:
            problems.append(Problem("deletions", f"more than {MAX_DELETIONS:,}", None, name))
            raise _Enough
        else:
            marks.append(mark)
        if problems.full:
            raise _Enough
    return marks


def _deletion_mark(raw: Any) -> DeletionMark | str:
    """A deletion from its JSON object, or what is wrong with it."""
    if not isinstance(raw, dict) or set(raw) != {"kind", "uid", "version", "deleted_at"}:
        return "must be an object of kind, uid, version and deleted_at"
    if not isinstance(raw["kind"], str) or raw["kind"] not in _KINDS:
        return f"unknown record kind {describe(raw['kind'])}"
    if not is_uid(raw["uid"]):
        return not_a_uid(raw["uid"])
    if not is_version(raw["version"]):
        return "version must be 64 hex digits"
    try:
        when = datetime.fromisoformat(raw["deleted_at"])
        if when.tzinfo is None:
            raise ValueError("no offset from UTC")
        when = when.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        return "deleted_at must be a date and time with its offset from UTC"
    return DeletionMark(RecordKind(raw["kind"]), raw["uid"], raw["version"], when)


def _mark_json(mark: DeletionMark) -> dict[str, str]:
    return {
        "kind": mark.kind.value,
        "uid": mark.uid,
        "version": mark.version,
        "deleted_at": mark.deleted_at.isoformat(timespec="seconds"),
    }


def _not_a(
    stream: JsonStream, path: JsonPath, expected: str, name: str, problems: ProblemLog
) -> None:
    value = stream.value(path, level=1, max_chars=MAX_HEADER_CHARS)
    if value is not INVALID:
        problems.append(Problem(path_text(path), f"not {expected} ({describe(value)})", None, name))


def _check_deleted_and_present(present: set[str], deletions: list[DeletionMark], name: str) -> None:
    """A record cannot be both in a file and deleted by it."""
    problems = [
        Problem("deletions", f"{m.uid} is deleted but also among the records", None, name)
        for m in deletions
        if m.uid in present
    ]
    if problems:
        raise ValidationError(problems[:100], f"{name} was not imported; nothing was changed")


def read_export_head(source: Path) -> dict[str, Any]:
    """An export's ``logbook_id`` and its sign-off ``chain_head``, read without keeping the rest
    (to check a logbook's history against an export of any size).

    Raises:
        ValidationError: the file cannot be read, or is not JSON within the limits.
    """
    name = source.name
    problems = ProblemLog()
    head: dict[str, Any] = {}
    try:
        with source.open("rb") as handle:
            stream = JsonStream(handle, _reporter(problems, name))
            for key in stream.members((), level=0):
                if key == "logbook_id":
                    head[key] = stream.value((key,), level=1, max_chars=MAX_HEADER_CHARS)
                elif key == "signoff" and stream.peek() == "{":
                    signoff = head[key] = {}
                    for part in stream.members((key,), level=1):
                        if part == "chain_head":
                            signoff[part] = stream.value(
                                (key, part), level=2, max_chars=MAX_HEADER_CHARS
                            )
            stream.end()
    except OSError as error:
        problems.append(Problem("", f"cannot be read: {error.strerror}", None, name))
    except JsonInputError as error:
        problems.append(_problem(name, error.path, error.message + error.position))
    except _Enough:
        pass
    if problems:
        raise ValidationError(
            problems.listed(stopped=problems.full), f"{name} cannot be read as a logbook export"
        )
    return head


@dataclass(frozen=True)
class _Checked:
    """What the check of an export's records keeps: their ids and attachment contents."""

    uids: set[str]
    attachment_shas: set[str]


def _check_records(document: dict[str, Any], name: str) -> _Checked:
    """Read the records of an export, one at a time, decoding and validating each (keeping
    only its id).

    Raises:
        ValidationError: every problem of every record (the first hundred listed).
    """
    section = document.get("records")
    if not isinstance(section, _Section):
        raise ValidationError(
            [Problem("records", "missing or not a list", None, name)], f"{name} was not imported"
        )
    problems = ProblemLog()
    checked = _Checked(set(), set())
    with _collecting(problems, name), section.stream(_reporter(problems, name)) as stream:
        items = stream.values(("records",), level=1, max_chars=MAX_RECORD_CHARS)
        for index, item in items:
            record = _decode_record(item, f"{name}, record {index + 1}", checked.uids, problems)
            if isinstance(record, Attachment):
                checked.attachment_shas.add(record.sha256)
            if len(checked.uids) > MAX_RECORDS:
                problems.append(Problem("records", f"more than {MAX_RECORDS:,}", None, name))
                raise _Enough
            if problems.full:
                raise _Enough
    if problems:
        raise ValidationError(
            problems.listed(stopped=problems.full), f"{name} was not imported; nothing was changed"
        )
    return checked


def _record_batches(section: _Section, name: str) -> Iterator[list[tuple[int, Record]]]:
    """The records of a checked export again, a batch at a time, each with its place in the
    file (from 1).

    Raises:
        ValidationError: the file changed since it was checked.
    """
    batch: list[tuple[int, Record]] = []
    for numbered in _numbered_records(section, name):
        batch.append(numbered)
        if len(batch) >= MERGE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _records_with(section: _Section, name: str, wanted: set[str]) -> list[Record]:
    """The records of a checked export whose ids are among ``wanted``."""
    return [r for r in _read_records(section, name) if r.uid in wanted]


def _screen(
    session: Session, screening: Screening, batch: list[tuple[int, Record]], name: str
) -> None:
    """Check a batch's text for client identifiers not kept before (see ``services/privacy``),
    keeping them if the screening allows."""
    kept = allowances.fingerprints(session, (record.uid for _, record in batch))
    for number, record in batch:
        screening.check(record, kept, source=f"{name}, record {number}")
    screening.save(session)


def _read_records(section: _Section, name: str) -> Iterator[Record]:
    for _, record in _numbered_records(section, name):
        yield record


def _numbered_records(section: _Section, name: str) -> Iterator[tuple[int, Record]]:
    """The records of a checked export, each with its place in the file (from 1)."""
    try:
        with section.stream(_changed) as stream:
            for index, item in stream.values(("records",), level=1, max_chars=MAX_RECORD_CHARS):
                where = f"{name}, record {index + 1}"
                yield index + 1, decode(RecordKind(item["kind"]), item, source=where)
    except (JsonInputError, ValidationError, KeyError, TypeError, ValueError, OSError):
        raise ValidationError(
            [Problem("records", "the file changed while it was being imported", None, name)],
            f"{name} was not imported; nothing was changed",
        ) from None


def _decode_record(item: Any, where: str, seen: set[str], problems: ProblemLog) -> Record | None:
    """One record from its JSON object, or None (its problems added to ``problems``)."""
    if not isinstance(item, dict):
        problems.append(Problem("", f"not an object ({describe(item)})", None, where))
        return None
    named = item.get("kind")
    if not isinstance(named, str) or named not in _KINDS:
        problems.append(Problem("kind", f"unknown record kind {describe(named)}", None, where))
        return None
    kind = RecordKind(named)
    try:
        record = decode(kind, item, source=where)
    except ValidationError as error:
        problems.extend(error.problems)
        return None
    found = validate(record)
    problems.extend(Problem(p.field, p.message, None, where) for p in found)
    if record.uid in seen:
        problems.append(Problem("uid", "the same id appears twice in the file", None, where))
        return None
    seen.add(record.uid)
    return None if found else record


def _decode_blobs(document: dict[str, Any], name: str) -> Mapping[str, bytes]:
    """Check every attachment content of an export (base64, size, SHA-256), reading each a
    piece at a time; the contents themselves are read again when they are stored.

    Raises:
        ValidationError: every content that is not what its key says (the first hundred listed).
    """
    section = document.get("attachment_blobs")
    if section is None:
        return {}
    problems = ProblemLog()
    sizes: dict[str, int] = {}
    with _collecting(problems, name), section.stream(_reporter(problems, name)) as stream:
        blobs = stream.members(
            ("attachment_blobs",), level=1, max_members=MAX_BLOBS, distinct=False
        )
        for sha in blobs:
            size = _check_blob(stream, sha, name, problems)
            if size is not None:
                sizes[sha] = size
            if problems.full:
                raise _Enough
    if problems:
        raise ValidationError(
            problems.listed(stopped=problems.full), f"{name} was not imported; nothing was changed"
        )
    return _StoredBlobs(section, sizes, name)


def _check_blob(stream: JsonStream, sha: str, name: str, problems: ProblemLog) -> int | None:
    """The size of the content under key ``sha`` if it matches its key; None otherwise."""
    shown = f"{sha[:12]}…" if len(sha) > 12 else describe(sha)
    if len(sha) != 64 or not _SHA256_HEX.issuperset(sha):
        problems.append(
            Problem("attachment_blobs", f"{shown} is not a SHA-256 (64 hex digits)", None, name)
        )
        return None
    digest, size = hashlib.sha256(), 0
    try:
        for data in _blob_pieces(stream, sha):
            digest.update(data)
            size += len(data)
    except (binascii.Error, ValueError):
        problems.append(Problem("attachment_blobs", f"{shown} is not base64", None, name))
        return None
    if size > MAX_ATTACHMENT_BYTES:
        problems.append(
            Problem(
                "attachment_blobs",
                f"{shown} is larger than an attachment may be "
                f"({MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB)",
                None,
                name,
            )
        )
        return None
    if digest.hexdigest() != sha:
        problems.append(
            Problem(
                "attachment_blobs",
                f"{shown} does not match its content (the file was changed or damaged)",
                None,
                name,
            )
        )
        return None
    return size


def _blob_pieces(stream: JsonStream, sha: str) -> Iterator[bytes]:
    """The content under ``sha``, decoded from base64 a piece at a time.

    Raises:
        binascii.Error, ValueError: the text is not base64 (the rest of it is then skipped).
    """
    carry = ""
    pieces = stream.text_pieces(("attachment_blobs", sha), max_chars=MAX_BLOB_CHARS)
    try:
        for piece in pieces:
            text = carry + piece
            whole = len(text) - len(text) % 4
            carry = text[whole:]
            if whole:
                yield binascii.a2b_base64(text[:whole], strict_mode=True)
        if carry:
            raise binascii.Error("the text stops in the middle of a group of four")
    except (binascii.Error, ValueError):
        for _ in pieces:
            pass  # read past the rest of the text before saying what is wrong with it
        raise


@dataclass(frozen=True)
class _Section:
    """A member of an export file, to be read again from where it starts."""

    path: Path
    at: Bookmark

    @contextmanager
    def stream(self, report: Report) -> Iterator[JsonStream]:
        with self.path.open("rb") as handle:
            yield JsonStream(handle, report, at=self.at)


class _StoredBlobs(Mapping[str, bytes]):
    """The attachment contents of an export, checked; each is read from the file again (and
    checked again) when it is asked for, so only one is in memory at a time."""

    def __init__(self, section: _Section, sizes: dict[str, int], name: str) -> None:
        self._section = section
        self._sizes = sizes
        self._name = name

    def __contains__(self, key: object) -> bool:
        return key in self._sizes

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)

    def __getitem__(self, key: str) -> bytes:
        for _, data in self.read(key):
            return data
        raise KeyError(key)

    def items(self) -> ItemsView[str, bytes]:
        return _StreamedItems(self)

    def read(self, only: str | None = None) -> Iterator[tuple[str, bytes]]:
        """Each content (or only the one under ``only``), in file order.

        Raises:
            ValidationError: the file changed since it was checked.
        """

        try:
            with self._section.stream(_changed) as stream:
                blobs = stream.members(
                    ("attachment_blobs",), level=1, max_members=MAX_BLOBS, distinct=False
                )
                for sha in blobs:
                    if sha not in self._sizes or (only is not None and sha != only):
                        continue
                    data = b"".join(_blob_pieces(stream, sha))
                    if hashlib.sha256(data).hexdigest() != sha:
                        raise JsonInputError(("attachment_blobs", sha), "changed while importing")
                    yield sha, data
        except (JsonInputError, binascii.Error, ValueError, OSError) as error:
            raise ValidationError(
                [Problem("attachment_blobs", f"{error}", None, self._name)],
                f"{self._name} changed while it was being imported; nothing was changed",
            ) from None


class _StreamedItems(ItemsView[str, bytes]):
    def __init__(self, blobs: _StoredBlobs) -> None:
        super().__init__(blobs)
        self._blobs = blobs

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        return self._blobs.read()


def _changed(path: JsonPath, message: str) -> None:
    """Reading a checked file again: any problem now means it changed meanwhile."""
    raise JsonInputError(path, message)


def _reporter(problems: ProblemLog, name: str) -> Report:
    def report(path: JsonPath, message: str) -> None:
        problems.append(_problem(name, path, message))
        if problems.full:
            raise _Enough

    return report


@contextmanager
def _collecting(problems: ProblemLog, name: str) -> Iterator[None]:
    """What stops a reading (too many problems, a file that changed or went away since it was
    first read) as one more problem."""
    try:
        yield
    except _Enough:
        pass
    except JsonInputError as error:
        problems.append(_problem(name, error.path, error.message + error.position))
    except OSError as error:
        problems.append(Problem("", f"cannot be read: {error.strerror or error}", None, name))


def _problem(name: str, path: JsonPath, message: str) -> Problem:
    """A problem at ``path`` of file ``name``; inside a record, named as the record and its
    field (``logbook.json, record 12, revision``)."""
    if len(path) >= 2 and path[0] == "records" and isinstance(path[1], int):
        return Problem(path_text(path[2:]), message, None, f"{name}, record {path[1] + 1}")
    return Problem(path_text(path), message, None, name)
