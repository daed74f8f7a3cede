"""Encryption at rest: encrypt a logbook, change its passphrase, decrypt it, lock it when idle.

See ``logbook.storage.encryption`` for the keys. In short: the recovery key opens the logbook
and every backup of it on its own; the passphrase opens them through the key file. With
neither, the data cannot be recovered by anyone. So a recovery key is always made first, shown,
and confirmed by the user (they type its last group) before the first byte is encrypted with
it: encrypting, and changing the passphrase, which gives the logbook a new key.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

from logbook.domain.errors import (
    KeyFileError,
    LockedLogbookError,
    LogbookError,
    StorageError,
    WrongPassphraseError,
)
from logbook.services.backups import BackupService
from logbook.storage import sqlite
from logbook.storage.database import Database
from logbook.storage.encryption import (
    MIN_PASSPHRASE_LENGTH,
    KeyEnvelope,
    Unlock,
    check_passphrase,
    database_key,
    format_recovery_key,
    key_id,
    new_recovery_secret,
    read_envelope,
    resolve_key,
)

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "EncryptionResult",
    "EncryptionService",
    "LockedLogbookError",
    "NewRecoveryKey",
    "Unlock",
    "WrongPassphraseError",
    "new_recovery_key",
]

CANNOT_RECOVER = (
    "Without the passphrase or the recovery key, an encrypted logbook cannot be opened by "
    "anyone, including the makers of Practice Logbook: there is no back door."
)


@dataclass(frozen=True)
class NewRecoveryKey:
    """A recovery key made for this logbook and not in use yet: show it, have the user confirm
    they kept it, then encrypt with it."""

    text: str
    secret: bytes = field(repr=False)

    @property
    def last_group(self) -> str:
        """The key's final group of characters, which the user types back to confirm it."""
        return self.text.rsplit("-", 1)[-1]

    def confirmed_by(self, typed: str) -> bool:
        """Whether ``typed`` is the key's last group (any case, O for 0, I or L for 1)."""
        cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
        cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
        return cleaned == self.last_group


def new_recovery_key() -> NewRecoveryKey:
    """A new random recovery key, to show the user before encrypting or changing the passphrase."""
    secret = new_recovery_secret()
    return NewRecoveryKey(format_recovery_key(secret), secret)


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
        """Whether the logbook is encrypted at rest (true while locked, too)."""
        return self.db.encrypted or self._locked_key_id is not None

    @property
    def locked(self) -> bool:
        """Whether the logbook is locked after idle time and needs :meth:`unlock` to be used."""
        return self._locked_key_id is not None

    def encrypt(
        self,
        passphrase: str,
        recovery: NewRecoveryKey,
        confirmation: str,
        progress: sqlite.Progress | None = None,
    ) -> EncryptionResult:
        """Encrypt the logbook and its existing backups with ``recovery``, once confirmed.

        A backup of the plain logbook is taken first and then encrypted with the others, so no
        readable copy stays in the backup folder. (Copies exported elsewhere are not touched.)

        Args:
            passphrase: The passphrase that will open the logbook day to day.
            recovery: From :func:`new_recovery_key`, already shown to the user.
            confirmation: What the user typed to show they kept it (its last group).
            progress: Told of the pages copied while the backup of the plain logbook is taken.

        Raises:
            LogbookError: the logbook is already encrypted, or the recovery key was not
                confirmed (nothing was encrypted).
            WrongPassphraseError: the passphrase is too short.
        """
        if self.db.encrypted:
            raise LogbookError("This logbook is already encrypted. Change its passphrase instead.")
        check_passphrase(passphrase)
        _require_confirmed(recovery, confirmation)
        self.backups.backup_now("before-encrypt", progress, rotate=False)
        key = database_key(recovery.secret)
        envelope = KeyEnvelope.seal(key, passphrase)
        self.db.convert(key, envelope)
        count = self.backups.encrypt_plain_backups(key, envelope)
        return EncryptionResult(recovery.text, count)

    def change_passphrase(
        self,
        current: Unlock,
        new_passphrase: str,
        recovery: NewRecoveryKey,
        confirmation: str,
        progress: sqlite.Progress | None = None,
    ) -> int:
        """Replace the passphrase and the logbook's key (the current passphrase, or the
        recovery key, proves it is you).

        The logbook is re-encrypted with the key of ``recovery`` (shown and confirmed first),
        so an old key file with the old passphrase opens nothing written from now on. Backups
        keep their key: the new passphrase opens them too (returns how many were given it),
        and so does the recovery key they were made under.

        Raises:
            LogbookError: the logbook is not encrypted, or the new recovery key was not
                confirmed (nothing was changed).
            WrongPassphraseError: ``current`` does not open this logbook, or the new
                passphrase is too short.
        """
        old_key = self._verified(current)
        check_passphrase(new_passphrase)
        _require_confirmed(recovery, confirmation)
        self.backups.backup_now("before-passphrase-change", progress, rotate=False)
        key = database_key(recovery.secret)
        self.db.convert(key, KeyEnvelope.seal(key, new_passphrase))
        count = self.backups.rewrap(KeyEnvelope.seal(old_key, new_passphrase))
        # A backup under the new key at once: the backups then also say which key is newest.
        # The key is changed by now, so a disk too full for this backup must not make the
        # change look failed; the next backup is made under the new key.
        with suppress(StorageError):
            self.backups.backup_now("new-key", progress, rotate=False)
        return count

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


def _require_confirmed(recovery: NewRecoveryKey, confirmation: str) -> None:
    """Raises: LogbookError when the user has not shown they kept the recovery key."""
    if not recovery.confirmed_by(confirmation):
        raise LogbookError(
            "Type the last four characters of the recovery key shown, to confirm you have kept "
            "it. Nothing was encrypted: without the recovery key a forgotten passphrase would "
            "lose the logbook."
        )
