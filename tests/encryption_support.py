"""Encrypting in tests as the app does: a new recovery key, shown, confirmed, then used."""

from __future__ import annotations

from logbook.services.encryption import EncryptionResult, Unlock, new_recovery_key
from logbook.services.logbook import Logbook


def encrypt(logbook: Logbook, passphrase: str) -> EncryptionResult:
    """Encrypt ``logbook``, confirming its new recovery key (returned in the result)."""
    recovery = new_recovery_key()
    return logbook.encryption.encrypt(passphrase, recovery, recovery.last_group)


def change_passphrase(logbook: Logbook, current: Unlock, new: str) -> tuple[int, str]:
    """Change the passphrase; returns the backups given it and the new recovery key."""
    recovery = new_recovery_key()
    count = logbook.encryption.change_passphrase(current, new, recovery, recovery.last_group)
    return count, recovery.text
