"""Opening a logbook file: create it at the schema head, or check it, back it up and migrate it.

Opening takes the logbook's lock first (a second copy of the app is told the logbook is in use),
then looks at the file without changing it: a file that is not a logbook, or is damaged, is set
aside under a new name (never overwritten) and reported; a file from a newer version of the app
is refused untouched. Encrypted logbooks open with a passphrase or a recovery key.

Alembic is imported only when an upgrade is due: a logbook already at head opens with a few
queries.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, insert, select, text
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.orm import Session as Session  # the transaction services hold
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from logbook.domain.errors import (
    DamagedLogbookError,
    KeyFileError,
    LockedLogbookError,
    MissingLogbookError,
    NewerSchemaError,
    StorageError,
    UnavailableLogbookError,
    WrongPassphraseError,
)
from logbook.domain.identity import b64, new_key_seed
from logbook.storage import snapshots, sqlite
from logbook.storage.encryption import (
    KeyEnvelope,
    Unlock,
    keys_path,
    next_keys_path,
    read_envelope,
    resolve_key,
    sync_folder,
    write_envelope,
)
from logbook.storage.failures import LOW_SPACE, disk_full
from logbook.storage.lockfile import LogbookLock
from logbook.storage.models import Base, LogbookMeta
from logbook.storage.sqlite import SQLITE_MAGIC

# The newest migration; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0007"
MIGRATIONS = Path(__file__).with_name("migrations")
STAGING_MARK = ".staging-"
DAMAGED_MARK = ".damaged-"


# The reading session open on this thread, if any, and the logbook it reads.
_OPEN_READING: ContextVar[tuple[Database, Session] | None] = ContextVar(
    "open_reading", default=None
)


@dataclass
class Database:
    """An open logbook: its file, its engine and a way to run one transaction.

    Attributes:
        key: The SQLCipher key of an encrypted logbook (``None`` when it is not encrypted).
        created: Whether this open created the file (so there was nothing yet to back up).
    """

    path: Path
    engine: Engine
    logbook_id: str
    upgraded_from: str | None = None
    backup_path: Path | None = None
    key: bytes | None = field(default=None, repr=False)
    lock: LogbookLock | None = field(default=None, repr=False)
    created: bool = False

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._suspended = False

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed as a whole, or rolled back as a whole."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end, so it never writes by accident).

        A reading opened inside another one on the same thread joins it: everything read in
        the outer block comes from one snapshot of the logbook (SQLite keeps a read
        transaction's view while others commit), and the one connection is not asked for twice.
        """
        outer = _OPEN_READING.get()
        if outer is not None and outer[0] is self:
            yield outer[1]
            return
        with self._sessions() as session:
            token = _OPEN_READING.set((self, session))
            try:
                yield session
            finally:
                _OPEN_READING.reset(token)
                session.rollback()

    @property
    def encrypted(self) -> bool:
        """Whether the logbook is encrypted (it holds a SQLCipher key)."""
        return self.key is not None

    @property
    def keys_file(self) -> Path:
        """Where this logbook's key file is, or would be: beside it, with ``.keys`` added."""
        return keys_path(self.path)

    def envelope(self) -> KeyEnvelope | None:
        """The passphrase envelope of an encrypted logbook (``None`` if plain or missing)."""
        if self.key is None or not self.keys_file.exists():
            return None
        return read_envelope(self.keys_file)

    @contextmanager
    def connection(self, *, read_only: bool = True) -> Iterator[Any]:
        """A separate DB-API connection (checks, backups) that leaves the app's one alone."""
        if self._suspended:
            _refuse_while_locked()
        with sqlite.connection(self.path, self.key, read_only=read_only) as conn:
            yield conn

    def snapshot(
        self,
        folder: Path,
        reason: str,
        progress: sqlite.Progress | None = None,
        now: datetime | None = None,
    ) -> snapshots.Snapshot:
        """Write a checked backup of the logbook as it is now into ``folder``."""
        if self._suspended:
            _refuse_while_locked()
        return snapshots.take_snapshot(
            self.path, folder, reason=reason, key=self.key, progress=progress, now=now
        )

    # --- replacing the file: restore, encrypt, decrypt -----------------------------------

    def restore_from(
        self, source: Path, source_key: bytes | None, progress: sqlite.Progress | None = None
    ) -> None:
        """Replace the logbook's content with the logbook in ``source`` (a backup).

        The copy is prepared beside the logbook (converted to this logbook's encryption,
        upgraded to the current schema, checked), then swapped in with one atomic rename.

        Raises:
            NewerSchemaError: the backup was made by a newer version of the app.
            StorageError: the backup is damaged or is not a logbook; nothing was changed.
        """
        staged = self._staging("restore")
        try:
            _stage_copy(source, source_key, staged, self.key, progress)
            _prepare_staged(staged, self.key, source.name)
            self._swap_in(staged, self.key, f"{source.name} was not restored")
        finally:
            _discard_staged(staged)

    def convert(self, key: bytes | None, envelope: KeyEnvelope | None) -> None:
        """Encrypt the logbook with ``key`` (and its passphrase ``envelope``), or decrypt it.

        The converted copy is written and checked beside the logbook first. When encrypting
        (or re-encrypting with a new key), the new key file is written beside the old one
        before the swap and moved into place after; when decrypting it is removed after. A
        crash at any point leaves a logbook that opens: a plain file beside a leftover key
        file is recognised as plain, and of two key files the one that opens the file wins.

        Raises:
            StorageError: the converted copy did not match the logbook, or the disk is full;
                nothing was changed.
        """
        not_done = (
            "the logbook was not encrypted"
            if self.key is None
            else "the logbook was not decrypted"
            if key is None
            else "the passphrase was not changed"
        )
        staged = self._staging("convert")
        pending = next_keys_path(self.path)
        try:
            try:
                sqlite.export_converted(self.path, self.key, staged, key)
                with (
                    self.connection() as live,
                    sqlite.connection(staged, key, read_only=True) as copy,
                ):
                    tables = sqlite.user_tables(live)
                    same = sqlite.table_counts(live, tables) == sqlite.table_counts(copy, tables)
                if not same:
                    raise StorageError(
                        "The converted copy does not hold the same records; nothing was changed."
                    )
                if key is not None and envelope is not None:
                    write_envelope(pending, envelope)
                self._swap_in(staged, key, not_done)
            except Exception as error:
                # The logbook was not replaced, so the key file waiting for the copy goes too.
                pending.unlink(missing_ok=True)
                if disk_full(error, self.path.parent, self.path.stat().st_size):
                    raise _full_disk(self.path.parent, not_done) from None
                if not sqlite.is_database_error(error):
                    raise
                raise StorageError(f"The logbook could not be converted: {error}") from None
            if key is None:
                self.keys_file.unlink(missing_ok=True)
            else:
                os.replace(pending, self.keys_file)
            sync_folder(self.path.parent)
        finally:
            _discard_staged(staged)

    def _staging(self, purpose: str) -> Path:
        staged = self.path.with_name(f"{self.path.name}{STAGING_MARK}{purpose}")
        for leftover in (staged, *sqlite.side_files(staged)):
            leftover.unlink(missing_ok=True)
        return staged

    def _swap_in(self, staged: Path, key: bytes | None, not_done: str) -> None:
        """Put ``staged`` in place of the logbook (``not_done`` says what failed if not)."""
        self.engine.dispose()
        try:
            sqlite.settle(self.path, self.key)
        except Exception as error:
            if disk_full(error, self.path.parent):
                raise _full_disk(self.path.parent, not_done) from None
            if not sqlite.is_database_error(error):
                raise
            raise StorageError(
                f"The logbook is still in use by another task ({error}); nothing was changed. "
                "Wait for it to finish and try again."
            ) from None
        if any(side.exists() for side in sqlite.side_files(self.path)[:2]):
            raise StorageError("The logbook's write-ahead log could not be folded in.")
        os.replace(staged, self.path)
        sync_folder(self.path.parent)
        if key != self.key:
            self.engine = sqlite.create_sqlite_engine(self.path, key)
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            self.key = key
        self.logbook_id = _logbook_id(self.engine)

    # --- locking while the user is away ---------------------------------------------------

    @property
    def suspended(self) -> bool:
        """Whether the logbook is locked while the user is away (see :meth:`suspend`)."""
        return self._suspended

    def suspend(self) -> None:
        """Close every connection and forget the key; reads and writes fail until resumed.

        SQLCipher wipes its copy of the key when the connection closes. (Python cannot wipe
        the bytes it held; they are dropped and left to the memory allocator.)
        """
        self.engine.dispose()
        self.engine = create_engine("sqlite://", creator=_refuse_while_locked, poolclass=NullPool)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.key = None
        self._suspended = True

    def resume(self, key: bytes) -> None:
        """Reopen after :meth:`suspend` with the key (checked by the caller)."""
        self.engine.dispose()
        self.engine = sqlite.create_sqlite_engine(self.path, key)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.key = key
        self._suspended = False

    def close(self) -> None:
        """Close the connection and release the lock, so another copy of the app may open it."""
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def _refuse_while_locked() -> Any:
    raise LockedLogbookError("The logbook is locked. Unlock it with its passphrase to go on.")


def _full_disk(folder: Path, not_done: str) -> StorageError:
    """A full disk stopped a change before it replaced anything; ``not_done`` says which."""
    return StorageError(
        f"The disk holding {folder} is full, so {not_done}. Nothing was changed: free some "
        "space on it, then try again."
    )


def _discard_staged(staged: Path) -> None:
    """Delete a copy prepared beside the logbook and the side files SQLite made beside it."""
    for leftover in (staged, *sqlite.side_files(staged)):
        leftover.unlink(missing_ok=True)


def open_database(
    path: Path,
    *,
    backup_dir: Path | None = None,
    unlock: Unlock | None = None,
    start_new: bool = False,
) -> Database:
    """Open (or create) the logbook at ``path``, migrating it to the current schema.

    Args:
        path: The logbook file.
        backup_dir: Where the backup before an upgrade goes (default: ``backups`` beside it).
        unlock: The passphrase or recovery key, for an encrypted logbook. Without it, the
            environment variables of :class:`Unlock` are tried.
        start_new: Create an empty logbook even though backups of a missing one exist.

    Raises:
        LogbookInUseError: another copy of the app has the logbook open.
        LockedLogbookError: the logbook is encrypted and no passphrase or key was given.
        WrongPassphraseError: the passphrase or recovery key does not open it.
        DamagedLogbookError: the file is damaged or not a logbook; it has been set aside.
        MissingLogbookError: there is no file, but backups of a logbook are in ``backup_dir``.
        NewerSchemaError: the file was written by a newer version of the app; it is untouched.
        StorageError: the file cannot be read or written at all.
    """
    path = path.expanduser().resolve()
    lock = _lock_folder(path)
    try:
        db = _open_locked(path, backup_dir or path.parent / "backups", unlock, start_new)
    except OSError as error:
        lock.release()
        raise StorageError(
            f"The logbook in {path.parent} cannot be read or written: "
            f"{error.strerror or error}. Check the folder's permissions and free space."
        ) from None
    except BaseException:
        lock.release()
        raise
    db.lock = lock
    return db


def _lock_folder(path: Path) -> LogbookLock:
    """Make the logbook's folder (owner-only) and take the logbook's lock."""
    try:
        sqlite.make_private_folder(path.parent)
        return LogbookLock.acquire(path)
    except OSError as error:
        raise StorageError(
            f"The folder {path.parent} cannot be used for a logbook: "
            f"{error.strerror or error}. Choose a folder you can write to."
        ) from None


def _open_locked(path: Path, backup_dir: Path, unlock: Unlock | None, start_new: bool) -> Database:
    _remove_staging_leftovers(path)
    if _is_new(path, backup_dir, start_new):
        path.unlink(missing_ok=True)
        sqlite.create_private_file(path)
        engine = sqlite.create_sqlite_engine(path)
        try:
            _create_at_head(engine)
            return Database(path, engine, _logbook_id(engine), created=True)
        except BaseException:
            engine.dispose()
            raise
    sqlite.make_private(path)
    key, rebuilt = _key_for(path, unlock, backup_dir)
    revision = _inspect(path, key, confirmed=key is None or keys_path(path).exists())
    if rebuilt is not None:
        # The passphrase opened a key kept with the backups, and the logbook opened with it.
        write_envelope(keys_path(path), rebuilt)
    if revision != SCHEMA_HEAD:
        _ensure_known(path, revision)
    engine = sqlite.create_sqlite_engine(path, key)
    try:
        if revision == SCHEMA_HEAD:
            return Database(path, engine, _logbook_id(engine), key=key)
        backup = snapshots.take_snapshot(
            path, backup_dir, reason=f"before-upgrade-from-{revision}", key=key
        )
        upgrade(engine)
        return Database(path, engine, _logbook_id(engine), revision, backup.path, key=key)
    except SqlDatabaseError as error:
        engine.dispose()
        raise StorageError(f"{path} could not be opened as a logbook: {error.orig}") from error
    except BaseException:
        engine.dispose()
        raise


def _is_new(path: Path, backup_dir: Path, start_new: bool) -> bool:
    """Nothing to open yet: no file (or an empty one) and nothing it could be restored from."""
    if path.exists() and path.stat().st_size > 0:
        return False
    if start_new:
        return True
    set_aside = any(path.parent.glob(f"{path.stem}{DAMAGED_MARK}*{path.suffix}"))
    if not (snapshots.list_snapshots(backup_dir) or set_aside or keys_path(path).exists()):
        return True
    if path.exists():
        # An empty file where backups exist is a logbook that lost its content: say so.
        raise _damaged(path, "the file is empty (0 bytes)")
    raise MissingLogbookError(path)


def _remove_staging_leftovers(path: Path) -> None:
    # Copies prepared for a swap that never happened (the app stopped). The logbook itself was
    # never touched, so they hold nothing that is not in the logbook, and may hold plain text.
    for leftover in path.parent.glob(f"{path.name}{STAGING_MARK}*"):
        leftover.unlink(missing_ok=True)


def _key_for(
    path: Path, unlock: Unlock | None, backup_dir: Path
) -> tuple[bytes | None, KeyEnvelope | None]:
    """The key the file needs (``None`` for a plain SQLite file, else from ``unlock``), and the
    key file to write back when the passphrase opened a copy kept with the backups."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    keys = keys_path(path)
    if header == SQLITE_MAGIC:
        for leftover in (keys, next_keys_path(path)):
            # A key file beside a plain database is left by an encryption that never finished
            # (or a decryption that did): the plain file is the logbook. Backups keep their own
            # copy of the key file, so nothing is lost by removing it.
            leftover.unlink(missing_ok=True)
        return None, None
    unlock = unlock or Unlock.from_environment()
    recovering = unlock is not None and bool(unlock.recovery_key)
    if not keys.exists() and not recovering and not _backup_envelopes(backup_dir):
        # Nothing here could tell a passphrase's key: set aside (never deleted), as before.
        raise _damaged(
            path,
            "it is not an SQLite database (it may be damaged, or be an encrypted logbook whose "
            "key file and backups are all missing, which only its recovery key can open)",
        )
    if unlock is not None:
        _settle_key_files(path, unlock)
    if unlock is None:
        missing = (
            ""
            if keys.exists()
            else " (its key file is missing: a copy kept with the backups is used)"
        )
        raise LockedLogbookError(
            f"The logbook {path.name} is encrypted{missing}. Enter its passphrase or its "
            "recovery key."
        )
    if unlock.recovery_key:
        # The recovery key needs no key file, and opens whatever file it encrypted.
        key = resolve_key(Unlock(recovery_key=unlock.recovery_key), None)
        if not _opens(path, key):
            raise WrongPassphraseError(
                "That recovery key belongs to a different logbook, or to this one before a "
                "passphrase change (it still opens the backups made before then), or the file "
                "is damaged. Check it against the printed copy for this logbook; nothing was "
                "changed."
            )
        return key, None
    return _passphrase_key(path, unlock.passphrase or "", backup_dir)


def _passphrase_key(
    path: Path, passphrase: str, backup_dir: Path
) -> tuple[bytes, KeyEnvelope | None]:
    """The key a passphrase unlocks, from the key file or, when that is missing, damaged or
    older than the logbook's key, from the copies kept with the backups (newest first); with
    the copy to write back as the key file when it was not the key file's.

    Raises:
        KeyFileError: there is no key file and no backup keeps a copy.
        WrongPassphraseError: the passphrase unlocks no copy that opens the logbook.
    """
    keys = keys_path(path)
    candidates: list[tuple[KeyEnvelope, bool]] = []
    with suppress(StorageError):  # missing or damaged: the backups keep copies
        candidates.append((read_envelope(keys), True))
    seen = {c.key_id for c, _ in candidates}
    candidates += [(e, False) for e in _backup_envelopes(backup_dir) if e.key_id not in seen]
    if not candidates:
        raise KeyFileError(
            f"The key file of {path.name} is missing or damaged and no backup keeps a copy, so "
            "the passphrase cannot be checked. Open the logbook with its recovery key; nothing "
            "was changed."
        )
    unlocked: set[str] = set()
    for envelope, from_key_file in candidates:
        try:
            key = envelope.unseal(passphrase)
        except (StorageError, WrongPassphraseError):
            continue
        unlocked.add(envelope.key_id)
        if _opens(path, key):
            return key, None if from_key_file else envelope
    newest = (_backup_envelopes(backup_dir) or [c for c, _ in candidates])[0].key_id
    if newest in unlocked:
        # The logbook's newest key, rightly unlocked, does not open it: the file is damaged.
        raise _damaged(path, "it does not open with its own key (it may be damaged)")
    if unlocked:
        raise WrongPassphraseError(
            f"The passphrase unlocks a key of {path.name}, but not the one it is encrypted "
            "with now (a key file from before a passphrase change?). Use the newest "
            "passphrase or the recovery key; nothing was changed."
        )
    raise WrongPassphraseError(
        "That passphrase does not unlock this logbook. Check Caps Lock and try again, or use "
        "your recovery key."
    )


def _backup_envelopes(backup_dir: Path) -> list[KeyEnvelope]:
    """The copies of key files kept with the backups, one per key, newest first."""
    found: dict[str, KeyEnvelope] = {}
    for snapshot in snapshots.list_snapshots(backup_dir):
        if snapshot.envelope is not None:
            found.setdefault(snapshot.envelope.key_id, snapshot.envelope)
    return list(found.values())


def _settle_key_files(path: Path, unlock: Unlock) -> None:
    """After an interrupted re-encryption, keep the key file whose key opens the file."""
    pending, keys = next_keys_path(path), keys_path(path)
    if not pending.exists():
        return
    try:
        candidate = read_envelope(pending)
    except StorageError:
        pending.unlink()  # never completely written: the swap never happened
        return
    try:
        key = resolve_key(unlock, candidate)
    except (StorageError, WrongPassphraseError):
        return  # this passphrase or key cannot tell; both files stay until one can
    if _opens(path, key):
        os.replace(pending, keys)
    elif keys.exists():
        pending.unlink()
    sync_folder(path.parent)


def _opens(path: Path, key: bytes) -> bool:
    """Whether ``key`` opens the file.

    Raises:
        UnavailableLogbookError: the file cannot be read just now (a full disk, say): that
            says nothing about the key, and must never be taken for damage.
    """
    try:
        with sqlite.connection(path, key, read_only=True) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as error:
        if not sqlite.is_database_error(error):
            raise
        if unavailable := _circumstance(path, error):
            raise unavailable from None
        return False
    return True


def _inspect(path: Path, key: bytes | None, *, confirmed: bool) -> str:
    """The schema revision of an existing file, after checking it is a sound logbook.

    Reads only (the file is never changed here). ``confirmed`` says the key is known to be
    right (checked against the key file), so a file that does not decrypt is damaged rather
    than opened with the wrong recovery key.
    """
    try:
        with sqlite.connection(path, key, read_only=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables or "logbook_meta" not in tables:
                raise _damaged(path, "it is an SQLite database but not a Practice Logbook")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            # quick_check reads every page; with SQLCipher that also authenticates each one,
            # so a tampered or damaged encrypted page fails here too.
            problems = sqlite.integrity_problems(conn, quick=True, limit=5)
    except StorageError:
        raise
    except Exception as error:
        if not sqlite.is_database_error(error):
            raise
        if unavailable := _circumstance(path, error):
            raise unavailable from None
        if key is not None and not confirmed and "not a database" in str(error):
            raise WrongPassphraseError(
                f"The logbook {path.name} did not open with this recovery key: either the key "
                "belongs to another logbook or the file is damaged. Check the key against your "
                "printed copy."
            ) from None
        raise _damaged(path, f"it cannot be read ({error})") from None
    if problems:
        raise _damaged(path, f"its integrity check failed ({problems[0]})")
    if row is None:
        raise _damaged(path, "it has no schema version")
    return str(row[0])


# What SQLite says when the file is sound but cannot be served (SQLITE_FULL, SQLITE_IOERR,
# SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM, SQLITE_BUSY, SQLITE_NOMEM): never damage.
_CIRCUMSTANCES = (
    "disk is full",
    "disk i/o error",
    "unable to open",
    "readonly",
    "access permission denied",
    "locked",
    "out of memory",
)


def _is_circumstance(error: BaseException) -> bool:
    text = str(getattr(error, "orig", None) or error).lower()
    return any(mark in text for mark in _CIRCUMSTANCES)


def _circumstance(path: Path, error: BaseException) -> UnavailableLogbookError | None:
    """The error of a sound file this computer cannot serve now, in words; else ``None``."""
    if not _is_circumstance(error):
        return None
    text = str(error).lower()
    folder = path.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if "full" in text or (free is not None and free < LOW_SPACE):
        advice = (
            f"The disk holding {folder} is full ({_size(free)} free). Free some space on it, "
            "then open the logbook again."
        )
    elif "readonly" in text or "permission" in text or not os.access(folder, os.W_OK):
        advice = (
            f"The folder {folder} cannot be written to (read-only, or not yours). Make it "
            "writable, or copy the logbook to a folder you can write to, then open it again."
        )
    elif "locked" in text:
        advice = "Another program is using the logbook file. Close it, then try again."
    else:
        advice = (
            f"The drive holding {folder} reported an error ({error}). Check that it is still "
            "connected and working, then open the logbook again."
        )
    return UnavailableLogbookError(
        f"The logbook {path.name} cannot be opened just now. {advice} Nothing was changed: "
        "the file was not touched."
    )


def _size(free: int | None) -> str:
    if free is None:
        return "no space"
    return f"{free // 1024} KB" if free < 1024 * 1024 else f"{free // (1024 * 1024)} MB"


def _damaged(path: Path, reason: str) -> DamagedLogbookError:
    """Set the file aside and build the error that tells the user."""
    try:
        moved: Path | None = quarantine(path)
    except OSError:
        moved = None
    return DamagedLogbookError(path, moved, reason)


def quarantine(path: Path, label: str = "damaged") -> Path:
    """Move a logbook file (with its log and key file) aside under a new, unused name.

    Renames never overwrite: the name carries the time and, if needed, a counter.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{path.stem}.{label}-{stamp}"
    target = path.with_name(f"{base}{path.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{base}-{counter}{path.suffix}")
    os.rename(path, target)
    for suffix in ("-wal", "-shm", "-journal", keys_path(path).name[len(path.name) :]):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.rename(side, target.with_name(target.name + suffix))
    sync_folder(path.parent)
    return target


def _ensure_known(path: Path, revision: str) -> None:
    if revision not in known_revisions():
        raise NewerSchemaError(
            f"{path} was written by a newer version of Practice Logbook (schema {revision}). "
            "It has not been changed. Install the newer version to open it."
        )


def known_revisions() -> set[str]:
    """The schema revisions this version of the app has migrations for."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS))
    return {script.revision for script in scripts.walk_revisions()}


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic configuration that runs the shipped migrations on ``engine``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations with foreign keys off (batch mode recreates tables), then check them.

    ``PRAGMA foreign_keys`` is ignored inside a transaction, so it is switched off on the
    driver connection before the migration's transaction begins, and back on after it ends.
    With foreign keys on, recreating a parent table would silently cascade-delete child rows.

    Raises:
        StorageError: the upgrade would leave references to missing rows (it is rolled back).
    """
    from alembic import command

    with engine.connect() as conn, foreign_keys_off(conn):
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        with conn.begin():
            command.upgrade(config, revision)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StorageError(
                    f"The upgrade would leave {len(problems)} broken reference(s) "
                    f"(first in table {problems[0][0]}); the logbook was not changed."
                )


def create_at_schema(path: Path, revision: str) -> None:
    """A logbook file at an older schema, made the way the release of that schema made it (the
    app migrates it when it opens)."""
    sqlite.make_private_folder(path.parent)
    sqlite.create_private_file(path)
    engine = sqlite.create_sqlite_engine(path)
    try:
        upgrade(engine, revision)
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO logbook_meta (key, value) VALUES ('logbook_id', :id)"),
                {"id": str(uuid.uuid4())},
            )
    finally:
        engine.dispose()
    sqlite.settle(path)


@contextmanager
def foreign_keys_off(conn: Connection) -> Iterator[None]:
    """Foreign keys off for the transactions run inside, on a connection not yet in one."""
    if conn.in_transaction():
        raise RuntimeError("foreign keys can only be switched outside a transaction")
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        driver.execute("PRAGMA foreign_keys = ON")


def _create_at_head(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        sqlite.create_search_index(conn)
        conn.execute(
            text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": SCHEMA_HEAD})
        now = datetime.now(UTC).isoformat(timespec="seconds")
        conn.execute(
            insert(LogbookMeta),
            [
                {"key": "logbook_id", "value": str(uuid.uuid4())},
                {"key": "created_at", "value": now},
                {"key": "practitioner_key", "value": b64(new_key_seed())},
            ],
        )


def _logbook_id(engine: Engine) -> str:
    with engine.connect() as conn:
        value = conn.execute(select(LogbookMeta.value).where(LogbookMeta.key == "logbook_id"))
        found = value.scalar_one_or_none()
    if found is None:
        raise StorageError("the logbook has no identity record; it may be damaged")
    return str(found)


# --- preparing a copy before it replaces the logbook -------------------------------------------


def _stage_copy(
    source: Path,
    source_key: bytes | None,
    staged: Path,
    key: bytes | None,
    progress: sqlite.Progress | None,
) -> None:
    try:
        if source_key == key:
            sqlite.backup_database(source, staged, key, progress=progress)
        else:
            sqlite.export_converted(source, source_key, staged, key)
    except Exception as error:
        if disk_full(error, staged.parent, source.stat().st_size):
            raise _full_disk(staged.parent, f"{source.name} was not restored") from None
        if not sqlite.is_database_error(error):
            raise
        raise StorageError(
            f"{source.name} cannot be restored: it is damaged or not a logbook ({error}). "
            "Nothing was changed."
        ) from None


def _prepare_staged(staged: Path, key: bytes | None, name: str) -> None:
    """Check a copy is a logbook this version can open, and bring it to the current schema."""
    try:
        with sqlite.connection(staged, key, read_only=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables or "logbook_meta" not in tables:
                raise StorageError(f"{name} is not a Practice Logbook; nothing was changed.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except Exception as error:
        if not sqlite.is_database_error(error):
            raise
        raise StorageError(f"{name} cannot be read ({error}); nothing was changed.") from None
    revision = str(row[0]) if row else ""
    if revision != SCHEMA_HEAD and revision not in known_revisions():
        raise NewerSchemaError(
            f"{name} was made by a newer version of Practice Logbook (schema {revision}). "
            "Install the newer version to restore it. Nothing was changed."
        )
    engine = sqlite.create_sqlite_engine(staged, key)
    try:
        if revision != SCHEMA_HEAD:
            upgrade(engine)
        # A sound file can still hold a value the app cannot read (text that is not UTF-8, a
        # date that is not a date): prove every entry reads back before it replaces anything.
        with sqlite.connection(staged, key, read_only=True) as conn:
            problems = sqlite.undecodable_text(conn)
        if not problems:
            with Session(engine) as session:
                problems = unreadable_records(session)
    except SqlDatabaseError as error:
        if disk_full(error, staged.parent):
            raise _full_disk(staged.parent, f"{name} was not restored") from None
        raise StorageError(
            f"{name} cannot be restored ({error.orig}); nothing was changed."
        ) from None
    finally:
        engine.dispose()
    if problems:
        raise StorageError(
            f"{name} cannot be restored: {problems[0]}. It is damaged; nothing was changed."
        )
    try:
        sqlite.settle(staged, key)
    except Exception as error:
        if not disk_full(error, staged.parent):
            raise
        raise _full_disk(staged.parent, f"{name} was not restored") from None


def unreadable_records(session: Session, limit: int = 20) -> list[str]:
    """Kinds of entry the app cannot read back into records, with the reason (empty if none).

    Reads every entry of every kind; used before a restore and by Check logbook.
    """
    from logbook.domain.records import RecordKind
    from logbook.storage import repository

    found = []
    for kind in RecordKind:
        try:
            for _record in repository.iterate(session, kind):
                pass
        except Exception as error:  # any value that does not convert is damage
            if isinstance(error, SqlDatabaseError) and _is_circumstance(error):
                raise  # not the entries but the disk (full, failing) or another program
            found.append(f"a {kind.label.lower()} entry cannot be read ({error})")
            if len(found) >= limit:
                break
    return found


def restore_file(
    path: Path,
    source: Path,
    source_key: bytes | None,
    envelope: KeyEnvelope | None,
    progress: sqlite.Progress | None = None,
) -> Path | None:
    """Put the logbook in ``source`` (a backup) at ``path`` when the logbook cannot be opened.

    Whatever is at ``path`` is first set aside (see :func:`quarantine`), never overwritten. An
    encrypted backup stays encrypted and gets its key file back from ``envelope``.

    Returns:
        Where the file previously at ``path`` was set aside, if there was one.

    Raises:
        LogbookInUseError: the logbook is open in another copy of the app.
        NewerSchemaError, StorageError: the backup cannot be restored; nothing was changed.
    """
    path = path.expanduser().resolve()
    lock = _lock_folder(path)
    try:
        staged = path.with_name(f"{path.name}{STAGING_MARK}restore")
        for leftover in (staged, *sqlite.side_files(staged)):
            leftover.unlink(missing_ok=True)
        try:
            _stage_copy(source, source_key, staged, source_key, progress)
            _prepare_staged(staged, source_key, source.name)
            set_aside = quarantine(path, "replaced") if path.exists() else None
            keys = keys_path(path)
            if source_key is not None and envelope is not None:
                write_envelope(keys, envelope)
            elif keys.exists():
                keys.unlink()
            os.replace(staged, path)
            sync_folder(path.parent)
            return set_aside
        finally:
            _discard_staged(staged)
    finally:
        lock.release()
