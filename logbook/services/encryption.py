"""Encryption at rest: encrypt a logbook, change its passphrase, decrypt it, lock it when idle.

See ``logbook.storage.encryption`` for the keys. In short: the recovery key, shown once when a
logbook is encrypted, opens the logbook and every backup of it on its own; the passphrase opens
them through the key file. With neither, the data cannot be recovered by anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from logbook.domain.errors import LogbookError
from logbook.services.backups import BackupService
from logbook.storage import sqlite
from logbook.storage.database import Database
from logbook.storage.encryption import (
    MIN_PASSPHRASE_LENGTH,
    KeyEnvelope,
    KeyFileError,
    LockedLogbookError,
    Unlock,
    WrongPassphraseError,
    check_passphrase,
    database_key,
    format_recovery_key,
    key_id,
    new_recovery_secret,
    read_envelope,
    resolve_key,
    write_envelope,
)

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "EncryptionResult",
    "EncryptionService",
    "LockedLogbookError",
    "Unlock",
    "WrongPassphraseError",
]

CANNOT_RECOVER = (
    "Without the passphrase or the recovery key, an encrypted logbook cannot be opened by "
    "anyone, including the makers of Practice Logbook: there is no back door."
)


@dataclass(frozen=True)
class EncryptionResult:
    """The recovery key (show it once, then forget it) and how many backups were encrypted."""

    recovery_key: str
    backups_encrypted: int


class EncryptionService:
    """Encryption of one open logbook, and locking it while the user is away."""

    def __init__(self, db: Database, backups: BackupService) -> None:
        self.db = db
        self.backups = backups
        self._locked_key_id: str | None = None

    @property
    def encrypted(self) -> bool:
        return self.db.encrypted or self._locked_key_id is not None

    @property
    def locked(self) -> bool:
        return self._locked_key_id is not None

    def encrypt(self, passphrase: str, progress: sqlite.Progress | None = None) -> EncryptionResult:
        """Encrypt the logbook and its existing backups; return the recovery key to show once.

        A backup of the plain logbook is taken first and then encrypted with the others, so no
        readable copy stays in the backup folder. (Copies exported elsewhere are not touched.)

        Raises:
            LogbookError: the logbook is already encrypted.
            WrongPassphraseError: the passphrase is too short.
        """
        if self.db.encrypted:
            raise LogbookError("This logbook is already encrypted. Change its passphrase instead.")
        check_passphrase(passphrase)
        self.backups.backup_now("before-encrypt", progress, rotate=False)
        secret = new_recovery_secret()
        key = database_key(secret)
        envelope = KeyEnvelope.seal(key, passphrase)
        self.db.convert(key, envelope)
        count = self.backups.encrypt_plain_backups(key, envelope)
        return EncryptionResult(format_recovery_key(secret), count)

    def change_passphrase(self, current: Unlock, new_passphrase: str) -> int:
        """Replace the passphrase (the current one, or the recovery key, proves it is you).

        Backups in the backup folder get the new passphrase too; returns how many. The
        recovery key is unchanged and still opens everything.

        Raises:
            LogbookError: the logbook is not encrypted.
            WrongPassphraseError: ``current`` does not open this logbook, or the new
                passphrase is too short.
        """
        key = self._verified(current)
        check_passphrase(new_passphrase)
        envelope = KeyEnvelope.seal(key, new_passphrase)
        write_envelope(self.db.keys_file, envelope)
        return self.backups.rewrap(envelope)

    def decrypt(self, current: Unlock, progress: sqlite.Progress | None = None) -> None:
        """Store the logbook unencrypted from now on (backups already made stay encrypted).

        Raises:
            WrongPassphraseError: ``current`` does not open this logbook.
        """
        self._verified(current)
        self.backups.backup_now("before-decrypt", progress, rotate=False)
        self.db.convert(None, None)

    def check(self, unlock: Unlock) -> None:
        """Prove ``unlock`` opens this logbook (for unlocking after idle, or before a change).

        Raises:
            WrongPassphraseError: it does not.
        """
        self._verified(unlock)

    def _verified(self, unlock: Unlock) -> bytes:
        if not self.encrypted:
            raise LogbookError("This logbook is not encrypted.")
        envelope = None
        if self.db.keys_file.exists():
            try:
                envelope = read_envelope(self.db.keys_file)
            except KeyFileError:
                if not unlock.recovery_key:
                    raise  # the recovery key needs no key file; a passphrase does
        key = resolve_key(unlock, envelope)
        expected = self._locked_key_id or (key_id(self.db.key) if self.db.key else None)
        if key_id(key) != expected:
            raise WrongPassphraseError(
                "That passphrase or recovery key does not open this logbook."
            )
        return key

    # --- locking after idle time ----------------------------------------------------------

    def lock(self) -> None:
        """Close the logbook's connection and forget its key until :meth:`unlock`.

        While locked, any attempt to read or write raises ``LockedLogbookError``.
        """
        if not self.db.encrypted or self.locked:
            return
        self._locked_key_id = key_id(self.db.key or b"")
        self.db.suspend()

    def unlock(self, unlock: Unlock) -> None:
        """Reopen a locked logbook with its passphrase or recovery key.

        Raises:
            WrongPassphraseError: it is not the right passphrase or key (still locked).
        """
        if not self.locked:
            return
        key = self._verified(unlock)
        self.db.resume(key)
        self._locked_key_id = None
