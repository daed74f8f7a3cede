"""Backups: taken automatically and on demand, rotated, listed, restored and exported.

A backup is taken with SQLite's online backup API, checked with ``integrity_check`` and moved
into place with one rename (see ``logbook.storage.snapshots``). They are taken:

- at start, when the newest is more than a day old;
- before every migration (by the storage layer), restore, import, encryption or decryption;
- whenever the user asks.

Rotation keeps the newest few, then one a day for a week, one a week for five weeks and one a
month for a year, so a mistake noticed a week or a month later can still be undone. The
backup folder can be moved (to another drive, say); its choice is kept beside the logbook in
``backup-settings.json``, outside the database, so it is known even when the database is not.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.domain.errors import LockedLogbookError, LogbookError, NotFoundError, StorageError
from logbook.domain.records import RecordKind
from logbook.services.changes import Change
from logbook.services.locations import DataLocation
from logbook.storage import snapshots, sqlite
from logbook.storage.encryption import (
    KeyEnvelope,
    Unlock,
    key_id,
    read_envelope,
    resolve_key,
    write_envelope,
    write_private,
)
from logbook.storage.snapshots import Snapshot

if TYPE_CHECKING:
    # The database module (and SQLAlchemy with it) is imported where it is used, so whether a
    # backup is due can be told without it (see ``logbook.services.reading``).
    from logbook.storage.database import Database

SETTINGS_NAME = "backup-settings.json"
SETTINGS_VERSION = 1
BACKUP_INTERVAL = timedelta(days=1)

REASON_LABELS = {
    "daily": "Daily, at start",
    "manual": "Taken by you",
    "before-restore": "Before a restore",
    "before-import": "Before an import",
    "before-encrypt": "Before encrypting",
    "before-decrypt": "Before decrypting",
    "before-signoff": "Before applying a sign-off",
    "before-passphrase-change": "Before changing the passphrase",
    "new-key": "With the logbook's new key",
}


@dataclass(frozen=True)
class KeepPolicy:
    """How many backups rotation keeps: the newest ``recent``, then one per day, week, month."""

    recent: int = 5
    daily: int = 7
    weekly: int = 5
    monthly: int = 12


@dataclass(frozen=True)
class BackupSettings:
    """Where backups go and how many are kept (``folder=None``: beside the logbook)."""

    folder: Path | None = None
    keep: KeepPolicy = field(default_factory=KeepPolicy)

    @classmethod
    def load(cls, root: Path) -> BackupSettings:
        """The settings saved in ``root``, or the defaults if there are none (or unreadable)."""
        try:
            data = json.loads((root / SETTINGS_NAME).read_text(encoding="utf-8"))
            folder = data.get("folder")
            keep = KeepPolicy(**{k: int(v) for k, v in dict(data.get("keep", {})).items()})
            return cls(Path(folder) if folder else None, keep)
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def save(self, root: Path) -> None:
        """Write the settings to ``root``, readable only by the user, for the next start."""
        data = {
            "version": SETTINGS_VERSION,
            "folder": str(self.folder) if self.folder else None,
            "keep": self.keep.__dict__,
        }
        sqlite.make_private_folder(root)
        write_private(root / SETTINGS_NAME, json.dumps(data, indent=1).encode("utf-8"))


@dataclass(frozen=True)
class BackupInfo:
    """A backup as the user sees it: when, why, what it holds, whether it is encrypted."""

    snapshot: Snapshot

    @property
    def id(self) -> str:
        """The backup's file name without its extension, as the command line names it."""
        return self.snapshot.id

    @property
    def path(self) -> Path:
        """The backup file, in whichever backup folder it is kept."""
        return self.snapshot.path

    @property
    def created_at(self) -> datetime:
        """When the backup was taken (UTC); :meth:`when` gives it in local time."""
        return self.snapshot.created_at

    @property
    def encrypted(self) -> bool:
        """Whether the backup can only be restored with the logbook's passphrase or recovery key."""
        return self.snapshot.encrypted

    @property
    def size(self) -> int:
        """The backup file's size in bytes, as written."""
        return self.snapshot.size

    @property
    def reason(self) -> str:
        """Why the backup was taken, in words."""
        code = self.snapshot.reason
        if code.startswith("before-upgrade-from-"):
            return f"Before an upgrade (from schema {code.rsplit('-', 1)[-1]})"
        return REASON_LABELS.get(code, code.replace("-", " ").capitalize())

    @property
    def counts(self) -> dict[RecordKind, int]:
        """Records of each kind in the backup (kinds with none left out)."""
        found = {}
        for kind in RecordKind:
            if n := self.snapshot.counts.get(kind.value, 0):
                found[kind] = n
        return found

    @property
    def records(self) -> int:
        """How many records the backup holds, of every kind."""
        return sum(self.counts.values())

    def when(self) -> str:
        """The local date and time, e.g. ``Mon 2 Mar 2026 09:15``."""
        local = self.created_at.astimezone()
        return f"{local:%a} {local.day} {local:%b %Y %H:%M}"

    def describe_counts(self, limit: int = 0) -> str:
        """E.g. ``1,234 records: 800 Practice, 300 Supervision, ...`` (largest kinds first)."""
        parts = sorted(self.counts.items(), key=lambda item: (-item[1], item[0].label))
        shown = parts[:limit] if limit else parts
        text = ", ".join(f"{n:,} {kind.label}" for kind, n in shown)
        if limit and len(parts) > limit:
            text += ", …"
        total = f"{self.records:,} record{'s' if self.records != 1 else ''}"
        return f"{total}: {text}" if text else "no records"

    def describe(self) -> str:
        """One line for a list: when, why, whether encrypted, and its three largest kinds."""
        lock = ", encrypted" if self.encrypted else ""
        return f"{self.when()} ({self.reason}{lock}), {self.describe_counts(limit=3)}"


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup restored, the backup of what was there before."""

    restored: BackupInfo | Path
    safety: BackupInfo
    change: Change


def settings_root(db_path: Path) -> Path:
    """The folder holding the backup settings of the logbook at ``db_path``: its own folder."""
    return db_path.parent


def default_folder(db_path: Path) -> Path:
    """Where backups of the logbook at ``db_path`` go until the user chooses another folder."""
    return db_path.parent / "backups"


def _folders(db_path: Path, settings: BackupSettings) -> list[Path]:
    folders = [default_folder(db_path)]
    if settings.folder is not None and settings.folder != folders[0]:
        folders.insert(0, settings.folder)
    return folders


def _snapshots(folders: Iterable[Path], logbook_id: str | None) -> list[Snapshot]:
    found = [s for folder in folders for s in snapshots.list_snapshots(folder, logbook_id)]
    return sorted(found, key=lambda s: (s.created_at, s.path.name), reverse=True)


def backup_due(db_path: Path, settings: BackupSettings, logbook_id: str, now: datetime) -> bool:
    """Whether the daily backup is due: the logbook at ``db_path`` (``logbook_id``) has no
    backup in its folders, or the newest is more than a day old at ``now``."""
    found = _snapshots(_folders(db_path, settings), logbook_id)
    return not found or now - found[0].created_at >= BACKUP_INTERVAL


class BackupService:
    """Backups of one open logbook."""

    def __init__(self, db: Database, location: DataLocation | None = None) -> None:
        self.db = db
        self.root = location.root if location else settings_root(db.path)
        self._default = location.backups if location else default_folder(db.path)

    # --- settings --------------------------------------------------------------------------

    @property
    def settings(self) -> BackupSettings:
        """The backup settings as saved now (read afresh each time, so never stale)."""
        return BackupSettings.load(self.root)

    @property
    def folder(self) -> Path:
        """Where new backups go."""
        return self.settings.folder or self._default

    @property
    def default_folder(self) -> Path:
        """The folder beside the logbook: used unless another is chosen, and as a fallback."""
        return self._default

    def choose_folder(self, folder: Path | None) -> Path:
        """Send future backups to ``folder`` (``None``: back beside the logbook).

        Existing backups stay where they are and are still listed and restorable.

        Raises:
            StorageError: the folder cannot be created or written.
        """
        target = folder.expanduser().resolve() if folder else None
        if target is not None:
            _check_writable(target)
        settings = replace(self.settings, folder=target)
        settings.save(self.root)
        return target or self._default

    def set_keep(self, keep: KeepPolicy) -> None:
        """Save how many backups rotation keeps from now on; existing ones go at the next rotation.

        Raises:
            LogbookError: a count is negative, or the newest backup would not be kept.
        """
        if min(keep.recent, keep.daily, keep.weekly, keep.monthly) < 0 or keep.recent < 1:
            raise LogbookError("Keep at least the newest backup, and no negative counts.")
        replace(self.settings, keep=keep).save(self.root)

    # --- listing ---------------------------------------------------------------------------

    def all(self) -> list[BackupInfo]:
        """This logbook's backups in every folder, newest first."""
        folders = _folders(self.db.path, self.settings)
        return [BackupInfo(s) for s in _snapshots(folders, self.db.logbook_id)]

    def newest(self) -> BackupInfo | None:
        """The most recent backup in any folder, or ``None`` if there is none yet."""
        found = self.all()
        return found[0] if found else None

    def find(self, backup_id: str) -> BackupInfo:
        """A backup by its name, a unique start of its name, or its number in :meth:`all`.

        Raises:
            NotFoundError: no backup (or more than one) matches.
        """
        found = self.all()
        wanted = backup_id.strip().removesuffix(snapshots.BACKUP_SUFFIX)
        if wanted.isdigit() and 1 <= int(wanted) <= len(found):
            return found[int(wanted) - 1]
        exact = [b for b in found if b.id == wanted or str(b.path) == backup_id]
        matches = exact or [b for b in found if b.id.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFoundError(
                f"No backup called '{backup_id}'. List them with: logbook-cli backup list"
            )
        raise NotFoundError(f"'{backup_id}' matches {len(matches)} backups; give more of the name")

    # --- taking and rotating ---------------------------------------------------------------

    def backup_now(
        self,
        reason: str = "manual",
        progress: sqlite.Progress | None = None,
        *,
        rotate: bool = True,
        now: datetime | None = None,
    ) -> BackupInfo:
        """Take a checked backup now, then rotate old ones.

        Automatic backups fall back to the folder beside the logbook when the chosen folder
        (a removable drive, say) is not available; a backup the user asked for does not.

        Raises:
            StorageError: the backup could not be written; nothing was left behind.
        """
        folder = self.folder
        if folder != self._default and not folder.is_dir():
            # Never recreate a chosen folder: on an unplugged drive that would put the backups
            # on the internal disk under the drive's mount point.
            if reason == "manual":
                raise StorageError(
                    f"The backup folder {folder} is not available. Connect the drive it is on, "
                    "or choose another folder."
                )
            folder = self._default
        try:
            snapshot = self.db.snapshot(folder, reason, progress, now)
        except StorageError:
            if reason == "manual" or folder == self._default:
                raise
            snapshot = self.db.snapshot(self._default, reason, progress, now)
        if self.db.key is not None:
            self.encrypt_plain_backups(self.db.key, snapshot.envelope)
        if rotate:
            self.rotate(now=now, protect={snapshot.path})
        return BackupInfo(snapshot)

    def backup_if_due(
        self, now: datetime | None = None, progress: sqlite.Progress | None = None
    ) -> BackupInfo | None:
        """Take the daily backup if the newest backup is more than a day old (or none exists)."""
        now = now or datetime.now(UTC)
        if not backup_due(self.db.path, self.settings, self.db.logbook_id, now):
            return None
        return self.backup_now("daily", progress, now=now)

    def rotate(
        self, now: datetime | None = None, protect: set[Path] | None = None
    ) -> list[BackupInfo]:
        """Delete the backups the keep policy no longer needs; returns what was deleted."""
        found = self.all()
        keep = plan_rotation([b.snapshot for b in found], self.settings.keep)
        removed = []
        for backup in found:
            if backup.path in keep or backup.path in (protect or set()):
                continue
            snapshots.delete_snapshot(backup.snapshot)
            removed.append(backup)
        return removed

    # --- restoring and exporting -----------------------------------------------------------

    def restore(
        self,
        backup: BackupInfo | str,
        unlock: Unlock | None = None,
        progress: sqlite.Progress | None = None,
    ) -> RestoreResult:
        """Put the logbook back as it was in ``backup``, after backing up what is there now.

        The logbook keeps its current encryption (an encrypted logbook stays encrypted, with
        its passphrase, whatever the backup was). A backup made under another key needs its
        passphrase or recovery key in ``unlock``.

        Raises:
            StorageError: the backup is damaged, or not a logbook; nothing was changed.
            LockedLogbookError, WrongPassphraseError: the backup's key is needed.
            NewerSchemaError: the backup was made by a newer version of the app.
        """
        chosen = self.find(backup) if isinstance(backup, str) else backup
        if damage := chosen.snapshot.damage():
            raise StorageError(
                f"The backup of {chosen.when()} is damaged ({damage[0]}); nothing was changed. "
                "Choose an older backup."
            )
        source_key = self._key_of(chosen.snapshot, unlock)
        safety = self.backup_now("before-restore", rotate=False)
        self.db.restore_from(chosen.path, source_key, progress)
        return RestoreResult(chosen, safety, Change(kinds=frozenset(RecordKind)))

    def restore_file(
        self, source: Path, unlock: Unlock | None = None, progress: sqlite.Progress | None = None
    ) -> RestoreResult:
        """Restore from a file outside the backup folder (an exported backup, a set-aside file).

        An encrypted file opens with its ``.keys`` file beside it and the passphrase, or with
        its recovery key.
        """
        source = source.expanduser().resolve()
        if not source.is_file():
            raise NotFoundError(f"{source} does not exist")
        source_key = _file_key(source, unlock, self.db.key)
        safety = self.backup_now("before-restore", rotate=False)
        self.db.restore_from(source, source_key, progress)
        return RestoreResult(source, safety, Change(kinds=frozenset(RecordKind)))

    def export(self, backup: BackupInfo | str, target: Path) -> list[Path]:
        """Copy a backup to ``target`` (a USB stick, a cloud folder) and return the files written.

        An encrypted backup stays encrypted; its key file goes beside it as ``target.keys`` so
        it opens with the passphrase (the recovery key opens it without).

        Raises:
            StorageError: the backup is damaged, or the target cannot be written.
        """
        chosen = self.find(backup) if isinstance(backup, str) else backup
        if damage := chosen.snapshot.damage():
            raise StorageError(f"The backup is damaged ({damage[0]}); it was not exported.")
        target = target.expanduser().resolve()
        if target.is_dir():
            target = target / chosen.path.name
        written = [target]
        try:
            _copy_private(chosen.path, target)
            if chosen.snapshot.envelope is not None:
                keys = target.with_name(target.name + ".keys")
                write_envelope(keys, chosen.snapshot.envelope)
                written.append(keys)
        except OSError as error:
            raise StorageError(
                f"The backup could not be written to {target}: {error.strerror or error}"
            ) from None
        return written

    def _key_of(self, snapshot: Snapshot, unlock: Unlock | None) -> bytes | None:
        if not snapshot.encrypted:
            return None
        if self.db.key is not None and key_id(self.db.key) == snapshot.key_id:
            return self.db.key
        if unlock is None:
            raise LockedLogbookError(
                "This backup was encrypted with a different key. Enter the passphrase that "
                "was in use when it was made, or its recovery key."
            )
        return resolve_key(unlock, snapshot.envelope)

    def encrypt_plain_backups(self, key: bytes, envelope: KeyEnvelope | None) -> int:
        """Encrypt this logbook's unencrypted backups with ``key``; returns how many.

        Done when the logbook is encrypted, and again whenever a backup is taken, so backups
        on a drive that was not connected at the time are encrypted when it comes back (and
        those there was no space for, once there is).
        """
        count = 0
        for backup in self.all():
            if backup.encrypted:
                continue
            snapshot = backup.snapshot
            staged = snapshot.path.with_name(f".{snapshot.path.name}.partial")
            staged.unlink(missing_ok=True)
            try:
                sqlite.export_converted(snapshot.path, None, staged, key)
                encrypted = replace(
                    snapshot,
                    size=staged.stat().st_size,
                    sha256=snapshots.file_sha256(staged),
                    key_id=key_id(key),
                    envelope=envelope,
                )
                # Manifest first: if the app stops in between, the plain file no longer matches
                # its manifest and the backup is shown as damaged rather than silently plain.
                snapshots.write_manifest(encrypted)
            except Exception as error:
                if not (sqlite.is_database_error(error) or isinstance(error, OSError)):
                    raise
                # A damaged backup is left as it is (it is shown as damaged); one the disk has
                # no space to convert stays as it is until the next backup.
                for leftover in (staged, *sqlite.side_files(staged)):
                    leftover.unlink(missing_ok=True)
                continue
            staged.replace(snapshot.path)
            count += 1
        return count

    def rewrap(self, envelope: KeyEnvelope) -> int:
        """Give every backup made with this key the new passphrase envelope; returns how many."""
        changed = 0
        for backup in self.all():
            if backup.snapshot.key_id == envelope.key_id:
                try:
                    snapshots.write_manifest(replace(backup.snapshot, envelope=envelope))
                except OSError:
                    continue  # no space: it keeps opening with the passphrase it was made under
                changed += 1
        return changed


def plan_rotation(found: list[Snapshot], keep: KeepPolicy) -> set[Path]:
    """The backups a keep policy holds on to (``found`` newest first).

    The newest ``recent`` are kept, then for each of the last ``daily`` days (weeks, months)
    that have backups, the newest backup of that day (week, month); days are local days.
    """
    kept = {s.path for s in found[: keep.recent]}

    def local_day(s: Snapshot) -> date:
        return s.created_at.astimezone().date()

    buckets: list[tuple[int, Any]] = [
        (keep.daily, lambda s: local_day(s)),
        (keep.weekly, lambda s: local_day(s).isocalendar()[:2]),
        (keep.monthly, lambda s: (local_day(s).year, local_day(s).month)),
    ]
    for limit, bucket_of in buckets:
        seen: list[Any] = []
        for snapshot in found:
            bucket = bucket_of(snapshot)
            if bucket in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(bucket)
            kept.add(snapshot.path)
    return kept


def _check_writable(folder: Path) -> None:
    try:
        sqlite.make_private_folder(folder)
        probe = folder / f".practice-logbook-write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        raise StorageError(
            f"Backups cannot be written to {folder}: {error.strerror or error}. "
            "Choose a folder you can write to (and check the drive is connected)."
        ) from None


def _copy_private(source: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    sqlite.create_private_file(partial)
    try:
        with source.open("rb") as src, partial.open("r+b") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _file_key(source: Path, unlock: Unlock | None, current: bytes | None) -> bytes | None:
    """The key a backup file outside the backup folder needs (``None`` if it is plain)."""
    from logbook.storage.sqlite import SQLITE_MAGIC

    with source.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
            return None
    keys = source.with_name(source.name + ".keys")
    envelope = read_envelope(keys) if keys.exists() else None
    if current is not None and (envelope is None or envelope.matches(current)) and unlock is None:
        return current
    if unlock is None:
        raise LockedLogbookError(
            f"{source.name} is encrypted (or is not a logbook). Enter the passphrase it was "
            "made with, or its recovery key."
        )
    return resolve_key(unlock, envelope)


# --- when the logbook cannot be opened ---------------------------------------------------------


def location_backups(location: DataLocation) -> list[BackupInfo]:
    """Every backup in the location's backup folders, of any logbook, newest first."""
    settings = BackupSettings.load(location.root)
    folders = [location.backups]
    if settings.folder is not None and settings.folder != location.backups:
        folders.insert(0, settings.folder)
    return [BackupInfo(s) for s in _snapshots(folders, None)]


def newest_good_backup(location: DataLocation) -> BackupInfo | None:
    """The newest backup whose file is complete and unchanged (and sound, if it is plain)."""
    for backup in location_backups(location):
        if not backup.snapshot.problems():
            return backup
    return None


def restore_location(
    location: DataLocation,
    backup: BackupInfo | Path,
    unlock: Unlock | None = None,
    progress: sqlite.Progress | None = None,
) -> Path | None:
    """Restore ``backup`` (or a logbook file, such as one set aside as damaged) as the logbook
    of ``location`` when the logbook cannot be opened.

    Whatever file is in the way is set aside under a new name, never deleted. An encrypted
    backup stays encrypted and opens afterwards with the same passphrase or recovery key.

    Returns:
        Where a file in the way was set aside, if there was one.

    Raises:
        LockedLogbookError, WrongPassphraseError: an encrypted backup's key is needed (it is
            only needed to check the backup before it is put in place).
        StorageError: the backup is damaged or cannot be restored; nothing was changed.
    """
    from logbook.storage.database import restore_file

    if isinstance(backup, Path):
        source = backup.expanduser().resolve()
        if not source.is_file():
            raise NotFoundError(f"{source} does not exist")
        keys = source.with_name(source.name + ".keys")
        envelope = read_envelope(keys) if keys.exists() else None
        key = _file_key(source, unlock, None)
        return restore_file(location.database, source, key, envelope, progress)
    if damage := backup.snapshot.damage():
        raise StorageError(f"The backup is damaged ({damage[0]}); choose an older one.")
    key = None
    if backup.encrypted:
        if unlock is None:
            raise LockedLogbookError(
                "This backup is encrypted. Enter the logbook's passphrase or its recovery key."
            )
        key = resolve_key(unlock, backup.snapshot.envelope)
    return restore_file(location.database, backup.path, key, backup.snapshot.envelope, progress)
