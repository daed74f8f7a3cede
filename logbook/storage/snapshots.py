"""Backup files: a checked copy of the logbook plus a small manifest that describes it.

``logbook-20260302T091500Z-daily.sqlite`` is the copy (a complete SQLite file, encrypted when
the logbook is); ``logbook-20260302T091500Z-daily.json`` says when and why it was taken, which
schema it has, how many rows each table holds, its SHA-256 and, for an encrypted logbook, the
passphrase envelope of its key. A backup can therefore be described and checked for damage
without being decrypted, and opened with the passphrase even if the logbook's own key file is
lost (or with the recovery key, which needs nothing else).

A copy is written under a hidden partial name, checked with ``integrity_check`` and moved into
place with one rename, so a listed backup is always complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logbook.domain.errors import KeyFileError, StorageError
from logbook.storage import sqlite
from logbook.storage.encryption import (
    KeyEnvelope,
    key_id,
    keys_path,
    read_envelope,
    sync_folder,
    write_private,
)
from logbook.storage.failures import disk_full

MANIFEST_FORMAT = "practice-logbook-backup"
MANIFEST_VERSION = 1
BACKUP_SUFFIX = ".sqlite"
MANIFEST_SUFFIX = ".json"
PARTIAL_SUFFIX = ".partial"
_REASON = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class Snapshot:
    """One backup on disk, as its manifest describes it."""

    path: Path
    created_at: datetime
    reason: str
    schema: str
    logbook_id: str
    counts: dict[str, int]
    size: int
    sha256: str
    key_id: str | None = None
    envelope: KeyEnvelope | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        """The backup's name without its extension; what the user picks on the command line."""
        return self.path.stem

    @property
    def manifest_path(self) -> Path:
        """Where the backup's manifest is: beside it, same name with ``.json``."""
        return self.path.with_suffix(MANIFEST_SUFFIX)

    @property
    def encrypted(self) -> bool:
        """Whether the backup is encrypted (its manifest names the key it needs)."""
        return self.key_id is not None

    def damage(self) -> list[str]:
        """What is wrong with the file, found without decrypting it (size and SHA-256)."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return [f"{self.path.name} is missing"]
        if size != self.size:
            return [f"{self.path.name} has {size} bytes; {self.size} were written"]
        if file_sha256(self.path) != self.sha256:
            return [f"{self.path.name} has changed since it was written (its checksum differs)"]
        return []

    def problems(self, key: bytes | None = None) -> list[str]:
        """Every problem with the backup: damage, then (if it can be opened) its integrity.

        An encrypted backup is opened only when ``key`` is given; without it, only the
        checksum is verified.
        """
        found = self.damage()
        if found or (self.encrypted and key is None):
            return found
        try:
            with sqlite.connection(self.path, key, read_only=True) as conn:
                return sqlite.integrity_problems(conn) + sqlite.cipher_problems(conn, key)
        except Exception as error:
            if not sqlite.is_database_error(error):
                raise
            return [f"{self.path.name} cannot be read ({error})"]


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path`` in hex, read a block at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def take_snapshot(
    source: Path,
    folder: Path,
    *,
    reason: str,
    key: bytes | None = None,
    progress: sqlite.Progress | None = None,
    now: datetime | None = None,
) -> Snapshot:
    """Back up the logbook at ``source`` into ``folder`` and return the new backup.

    Raises:
        StorageError: the folder cannot be written (or the disk is full), or the copy failed
            its check (nothing is left behind in any case).
    """
    when = (now or datetime.now(UTC)).astimezone(UTC)
    reason = _REASON.sub("-", reason.lower()).strip("-") or "manual"
    partial: Path | None = None
    try:
        sqlite.make_private_folder(folder)
        remove_leftovers(folder)
        name = _free_name(folder, f"{source.stem}-{when:%Y%m%dT%H%M%SZ}-{reason}")
        target = folder / f"{name}{BACKUP_SUFFIX}"
        partial = folder / f".{name}{BACKUP_SUFFIX}{PARTIAL_SUFFIX}"
        sqlite.backup_database(source, partial, key, progress=progress)
    except BaseException as error:
        failure = _failure(error, folder, _size(source))
        _discard(partial)
        if failure is None:
            raise
        raise failure from None
    try:
        with sqlite.connection(partial, key, read_only=True) as conn:
            tables = sqlite.user_tables(conn)
            counts = sqlite.table_counts(conn, tables)
            schema = str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
            row = conn.execute("SELECT value FROM logbook_meta WHERE key = 'logbook_id'")
            logbook_id = str((row.fetchone() or ("",))[0])
        envelope = _envelope_of(source) if key is not None else None
        snapshot = Snapshot(
            path=target,
            created_at=when,
            reason=reason,
            schema=schema,
            logbook_id=logbook_id,
            counts=counts,
            size=partial.stat().st_size,
            sha256=file_sha256(partial),
            key_id=_key_id(key),
            envelope=envelope,
        )
        write_manifest(snapshot)
        try:
            os.replace(partial, target)
        except BaseException:
            snapshot.manifest_path.unlink(missing_ok=True)
            raise
        sync_folder(folder)
    except Exception as error:
        failure = _failure(error, folder, _size(source))
        if failure is None:
            raise
        raise failure from None
    finally:
        # On success this removes only side files SQLite may have left beside the copy; on
        # failure, the copy too.
        _discard(partial)
    return snapshot


def _failure(error: BaseException, folder: Path, needed: int) -> StorageError | None:
    """Why a backup failed, in words (``None``: neither the disk nor the database failed)."""
    if not isinstance(error, Exception):
        return None
    if disk_full(error, folder, needed):
        return StorageError(
            f"The backup could not be written to {folder}: the disk is full. Free some space "
            "on it (or choose another backup folder), then try again."
        )
    if isinstance(error, OSError):
        return StorageError(
            f"The backup could not be written to {folder}: {error.strerror or error}. "
            "Check that the folder (or drive) is available and has space."
        )
    if isinstance(error, sqlite3.DatabaseError):
        return StorageError(f"The backup was not kept: {error}")
    if sqlite.is_database_error(error):
        return StorageError(f"The backup could not be made: {error}")
    return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _key_id(key: bytes | None) -> str | None:
    return None if key is None else key_id(key)


def _envelope_of(source: Path) -> KeyEnvelope | None:
    try:
        return read_envelope(keys_path(source))
    except KeyFileError:
        return None  # the backup still opens with the recovery key


def _free_name(folder: Path, name: str) -> str:
    candidate, counter = name, 1
    while (folder / f"{candidate}{BACKUP_SUFFIX}").exists() or (
        folder / f"{candidate}{MANIFEST_SUFFIX}"
    ).exists():
        counter += 1
        candidate = f"{name}-{counter}"
    return candidate


def _discard(partial: Path | None) -> None:
    """Delete one backup's partial copy and the SQLite side files beside it, if any."""
    if partial is None:
        return
    for path in (partial, *sqlite.side_files(partial)):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue


def leftovers(folder: Path) -> list[Path]:
    """What an interrupted backup left in ``folder`` (see :func:`remove_leftovers`)."""
    try:
        return list(folder.glob(f".*{PARTIAL_SUFFIX}*"))
    except OSError:
        return []


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete what an interrupted backup left in ``folder``; returns what was deleted.

    That is the hidden partial copy and the journal, log and shared-memory files SQLite keeps
    beside it (``.….sqlite.partial-journal``), and a manifest that was being written. A
    complete backup never has these names. Run before every backup and when a logbook is
    opened; files that cannot be deleted (a read-only drive) are left for next time.
    """
    removed = []
    for leftover in leftovers(folder):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(leftover)
    return removed


def write_manifest(snapshot: Snapshot) -> None:
    """Write (or rewrite) the manifest of ``snapshot`` atomically."""
    data: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "file": snapshot.path.name,
        "created_at": snapshot.created_at.isoformat(),
        "reason": snapshot.reason,
        "schema": snapshot.schema,
        "logbook_id": snapshot.logbook_id,
        "counts": snapshot.counts,
        "size": snapshot.size,
        "sha256": snapshot.sha256,
        "encrypted": snapshot.encrypted,
        "key_id": snapshot.key_id,
        "keys": snapshot.envelope.to_json() if snapshot.envelope else None,
    }
    write_private(snapshot.manifest_path, json.dumps(data, indent=1).encode("utf-8"))


def read_snapshot(manifest: Path) -> Snapshot | None:
    """The backup a manifest describes, or ``None`` if it is not a complete, readable one."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return None
        path = manifest.with_name(str(data["file"]))
        if path.parent != manifest.parent or not path.exists():
            return None
        envelope = KeyEnvelope.from_json(data["keys"]) if data.get("keys") else None
        return Snapshot(
            path=path,
            created_at=datetime.fromisoformat(data["created_at"]).astimezone(UTC),
            reason=str(data["reason"]),
            schema=str(data["schema"]),
            logbook_id=str(data.get("logbook_id", "")),
            counts={str(k): int(v) for k, v in dict(data["counts"]).items()},
            size=int(data["size"]),
            sha256=str(data["sha256"]),
            key_id=str(data["key_id"]) if data.get("key_id") else None,
            envelope=envelope,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StorageError):
        return None


def list_snapshots(folder: Path, logbook_id: str | None = None) -> list[Snapshot]:
    """The complete backups in ``folder``, newest first (of one logbook, if given)."""
    if not folder.is_dir():
        return []
    found = [read_snapshot(m) for m in folder.glob(f"*{MANIFEST_SUFFIX}")]
    kept = [s for s in found if s and (logbook_id is None or s.logbook_id == logbook_id)]
    return sorted(kept, key=lambda s: (s.created_at, s.path.name), reverse=True)


def delete_snapshot(snapshot: Snapshot) -> None:
    """Remove a backup: its file first, then the manifest that lists it."""
    snapshot.path.unlink(missing_ok=True)
    snapshot.manifest_path.unlink(missing_ok=True)
