"""The whole logbook as one JSON file: a documented, versioned format that round-trips every
field (see docs/json-format.md). Import merges by record id and revision, all or nothing."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logbook import __version__
from logbook.domain.codec import decode, encode
from logbook.domain.errors import LogbookError, Problem, ValidationError
from logbook.domain.records import Attachment, Record, RecordKind
from logbook.domain.validation import validate
from logbook.services.changes import Change
from logbook.services.signoff_exchange import export_signoff, import_signoff
from logbook.storage import repository as repo
from logbook.storage.database import Database

FORMAT_NAME = "practice-logbook"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int
    change: Change


def export_json(db: Database, target: Path) -> int:
    """Write every record (and attachment content) to ``target``; returns the record count.

    The file is written beside the target and moved into place only when complete.
    """
    with db.reading() as session:
        records = [encode(r) for kind in repo.INSERT_ORDER for r in repo.iterate(session, kind)]
        shas = sorted({r["sha256"] for r in records if r["kind"] == RecordKind.ATTACHMENT.value})
        blobs = {sha: base64.b64encode(repo.load_blob(session, sha)).decode() for sha in shas}
        signoff = export_signoff(session)
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "logbook_id": db.logbook_id,
        "records": records,
        "attachment_blobs": blobs,
        "signoff": signoff,
    }
    write_atomically(target, json.dumps(document, ensure_ascii=False, indent=1).encode())
    return len(records)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that a reader sees the old file or the complete new one."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise LogbookError(f"Cannot write {target}: the folder {target.parent} does not exist")
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise LogbookError(f"Cannot write to {target.parent}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except OSError as error:
        Path(partial).unlink(missing_ok=True)
        raise LogbookError(f"Cannot write {target}: {error.strerror}") from None


def import_json(db: Database, source: Path) -> ImportSummary:
    """Merge a logbook JSON file into this logbook in one transaction.

    New records are added; a record already here is replaced only by a higher revision.

    Raises:
        ValidationError: every problem found in the file; nothing was imported.
    """
    document = _read_document(source)
    name = source.name
    records, blobs = _decode_records(document, name), _decode_blobs(document, name)
    missing = {r.sha256 for r in records if isinstance(r, Attachment) and r.sha256 not in blobs}
    if missing:
        raise ValidationError(
            [
                Problem("attachment_blobs", f"content missing for {sha[:12]}…", None, name)
                for sha in sorted(missing)
            ],
            f"{name} was not imported; nothing was changed",
        )
    added: list[Record] = []
    updated: list[Record] = []
    with db.transaction() as session:
        for record in records:
            current = repo.find(session, record.kind, record.uid)
            if current is None:
                added.append(record)
            elif record.revision > current.revision:
                updated.append(record)
        for sha, data in blobs.items():
            repo.store_blob(session, sha, data)
        _check_references(session, added + updated, name)
        repo.insert_many(session, added)
        for record in updated:
            repo.replace(session, record)
        import_signoff(session, document.get("signoff"), name)
    unchanged = len(records) - len(added) - len(updated)
    change = Change(
        created=tuple(r.uid for r in added),
        updated=tuple(r.uid for r in updated),
        kinds=frozenset(r.kind for r in added + updated),
    )
    return ImportSummary(len(added), len(updated), unchanged, change)


def _read_document(source: Path) -> dict[str, Any]:
    name = source.name
    try:
        if source.stat().st_size > MAX_IMPORT_BYTES:
            raise ValidationError([Problem("", "file is larger than 1 GB", None, name)])
        document = json.loads(source.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ValidationError(
            [Problem("", f"cannot be read: {error.strerror}", None, name)],
            f"{name} was not imported",
        ) from None
    except UnicodeDecodeError as error:
        raise ValidationError(
            [Problem("", f"not UTF-8 text (byte {error.start})", None, name)],
            f"{name} was not imported",
        ) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            [
                Problem(
                    "",
                    f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                    error.lineno,
                    name,
                )
            ],
            f"{name} was not imported",
        ) from None
    except RecursionError:
        raise ValidationError(
            [Problem("", "JSON is nested too deeply", None, name)], f"{name} was not imported"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ValidationError(
            [Problem("format", "not a Practice Logbook export", None, name)],
            f"{name} was not imported",
        )
    version = document.get("format_version")
    if not isinstance(version, int) or version < 1:
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
    return document


def _decode_records(document: dict[str, Any], name: str) -> list[Record]:
    raw = document.get("records")
    if not isinstance(raw, list):
        raise ValidationError(
            [Problem("records", "missing or not a list", None, name)], f"{name} was not imported"
        )
    problems: list[Problem] = []
    records: list[Record] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, 1):
        where = f"{name}, record {number}"
        if not isinstance(item, dict):
            problems.append(Problem("", "not an object", None, where))
            continue
        try:
            kind = RecordKind(str(item.get("kind")))
            record = decode(kind, item, source=where)
        except ValueError:
            problems.append(
                Problem("kind", f"unknown record kind {item.get('kind')!r}", None, where)
            )
            continue
        except ValidationError as error:
            problems.extend(error.problems)
            continue
        found = validate(record)
        problems.extend(Problem(p.field, p.message, None, where) for p in found)
        if record.uid in seen:
            problems.append(Problem("uid", "the same id appears twice in the file", None, where))
        seen.add(record.uid)
        if not found:
            records.append(record)
    if problems:
        raise ValidationError(problems, f"{name} was not imported; nothing was changed")
    return records


def _decode_blobs(document: dict[str, Any], name: str) -> dict[str, bytes]:
    raw = document.get("attachment_blobs", {})
    if not isinstance(raw, dict):
        raise ValidationError([Problem("attachment_blobs", "not an object", None, name)])
    blobs: dict[str, bytes] = {}
    problems = []
    for sha, text in raw.items():
        try:
            data = base64.b64decode(str(text), validate=True)
        except (binascii.Error, ValueError):
            problems.append(Problem("attachment_blobs", f"{sha[:12]}… is not base64", None, name))
            continue
        if hashlib.sha256(data).hexdigest() != sha:
            problems.append(
                Problem(
                    "attachment_blobs",
                    f"{sha[:12]}… does not match its content (the file was changed or damaged)",
                    None,
                    name,
                )
            )
            continue
        blobs[sha] = data
    if problems:
        raise ValidationError(problems, f"{name} was not imported; nothing was changed")
    return blobs


def _check_references(session: Any, records: list[Record], name: str) -> None:
    problems = [
        Problem(
            field,
            f"refers to a missing {kind.label.lower()}",
            None,
            f"{name}, {record.kind.label.lower()} {record.uid}",
        )
        for record, field, kind in repo.dangling_references(session, records)
    ]
    if problems:
        raise ValidationError(problems, f"{name} was not imported; nothing was changed")
