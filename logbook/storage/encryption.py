"""Keys for an encrypted logbook: a database key, a passphrase that unlocks it, a recovery key.

The database is encrypted by SQLCipher with a random 256-bit *database key*. That key is derived
from the *recovery key* (160 random bits shown once, as eight groups of four characters), so the
recovery key alone opens the logbook and every backup of it, even if every other file is lost.
The *passphrase* unlocks a copy of the database key kept in a small key file beside the database
(``logbook.sqlite.keys``): scrypt turns the passphrase into a key-encryption key and AES-GCM
seals the database key with it. Changing the passphrase gives the database a new key (and so a
new recovery key, shown and confirmed first): an old key file, with the old passphrase, opens
nothing written afterwards. Backups made before keep their key, which the new passphrase and
the old recovery key open.

A new key file is written beside the database as ``.keys.next`` before the re-encrypted copy
replaces it, and renamed into place after; opening settles an interruption in between by keeping
whichever key opens the file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logbook.domain.errors import KeyFileError, LockedLogbookError, WrongPassphraseError

ENV_PASSPHRASE = "PRACTICE_LOGBOOK_PASSPHRASE"
ENV_RECOVERY_KEY = "PRACTICE_LOGBOOK_RECOVERY_KEY"

KEYS_FORMAT = "practice-logbook-keys"
KEYS_VERSION = 1
KEYS_SUFFIX = ".keys"

RECOVERY_SECRET_BYTES = 20
# Crockford's base32: no I, L, O or U, so a key read aloud or copied by hand is unambiguous.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

# scrypt cost: 2**17 with r=8 (128 MiB, about half a second) follows OWASP's recommendation.
SCRYPT_LOG2_N = 17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE_LENGTH = 8

_DATABASE_KEY_INFO = b"practice-logbook database key v1"
_KEY_ID_INFO = b"practice-logbook key id v1"


@dataclass(frozen=True)
class Unlock:
    """What the user typed to open an encrypted logbook: a passphrase or a recovery key."""

    passphrase: str | None = None
    recovery_key: str | None = None

    def __repr__(self) -> str:
        # Never let a passphrase reach a log or a traceback.
        given = "passphrase" if self.passphrase else "recovery key" if self.recovery_key else ""
        return f"Unlock({given})"

    @classmethod
    def from_environment(cls) -> Unlock | None:
        """The passphrase or recovery key from the environment (for scripts), if set."""
        if passphrase := os.environ.get(ENV_PASSPHRASE):
            return cls(passphrase=passphrase)
        if recovery := os.environ.get(ENV_RECOVERY_KEY):
            return cls(recovery_key=recovery)
        return None


# --- the recovery key and the database key ---------------------------------------------------


def new_recovery_secret() -> bytes:
    """A fresh random secret for a new recovery key (and so a new database key)."""
    return secrets.token_bytes(RECOVERY_SECRET_BYTES)


def format_recovery_key(secret: bytes) -> str:
    """The recovery key as people see it: eight groups of four characters."""
    number = int.from_bytes(secret, "big")
    chars = []
    for _ in range(len(secret) * 8 // 5):
        chars.append(RECOVERY_ALPHABET[number & 31])
        number >>= 5
    text = "".join(reversed(chars))
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    """The secret behind a recovery key as typed (any case, spaces or dashes, O for 0 ...).

    Raises:
        WrongPassphraseError: the text cannot be a recovery key (wrong length or characters).
    """
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_LOOKALIKES)
    expected = RECOVERY_SECRET_BYTES * 8 // 5
    if len(cleaned) != expected:
        raise WrongPassphraseError(
            f"A recovery key has {expected} letters and digits (eight groups of four); "
            f"this one has {len(cleaned)}. Check it against your printed copy."
        )
    number = 0
    for ch in cleaned:
        index = RECOVERY_ALPHABET.find(ch)
        if index < 0:
            raise WrongPassphraseError(
                f"'{ch}' never appears in a recovery key. Check it against your printed copy."
            )
        number = number << 5 | index
    return number.to_bytes(RECOVERY_SECRET_BYTES, "big")


def database_key(recovery_secret: bytes) -> bytes:
    """The 256-bit SQLCipher key that a recovery secret stands for."""
    # Imported here: a logbook that is not encrypted never needs the cryptography package.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DATABASE_KEY_INFO).derive(
        recovery_secret
    )


def key_id(key: bytes) -> str:
    """A public fingerprint of a database key: tells which key a file needs, reveals nothing."""
    return hmac.new(key, _KEY_ID_INFO, hashlib.sha256).hexdigest()[:16]


def sqlcipher_key_pragma(key: bytes) -> str:
    """The value of ``PRAGMA key`` for a raw 256-bit key (SQLCipher then skips its own KDF)."""
    return f"\"x'{key.hex()}'\""


# --- the key file ------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True)
class KeyEnvelope:
    """The database key sealed under a passphrase, as kept in the key file and in backups."""

    key_id: str
    salt: bytes
    nonce: bytes
    sealed: bytes
    log2_n: int = SCRYPT_LOG2_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def seal(cls, key: bytes, passphrase: str) -> KeyEnvelope:
        """Seal ``key`` so that ``passphrase`` (and nothing else but the key itself) opens it."""
        check_passphrase(passphrase)
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kid = key_id(key)
        log2_n, r, p = SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P
        kek = _stretch(passphrase, salt, log2_n, r, p)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        sealed = AESGCM(kek).encrypt(nonce, key, _aad(kid))
        return cls(kid, salt, nonce, sealed, log2_n, r, p)

    def unseal(self, passphrase: str) -> bytes:
        """The database key, if ``passphrase`` is right.

        Raises:
            WrongPassphraseError: the passphrase does not open this key file.
        """
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        kek = _stretch(passphrase, self.salt, self.log2_n, self.r, self.p)
        try:
            key = AESGCM(kek).decrypt(self.nonce, self.sealed, _aad(self.key_id))
        except InvalidTag:
            raise WrongPassphraseError(
                "That passphrase does not unlock this logbook. Check Caps Lock and try again, "
                "or use your recovery key."
            ) from None
        if key_id(key) != self.key_id:
            raise KeyFileError("The key file does not match its own fingerprint; it is damaged.")
        return key

    def matches(self, key: bytes) -> bool:
        """Whether ``key`` is the database key sealed here (compared by fingerprint)."""
        return hmac.compare_digest(key_id(key), self.key_id)

    def to_json(self) -> dict[str, Any]:
        """The envelope as written to the key file (the counterpart of :meth:`from_json`)."""
        return {
            "format": KEYS_FORMAT,
            "version": KEYS_VERSION,
            "key_id": self.key_id,
            "kdf": {"name": "scrypt", "log2_n": self.log2_n, "r": self.r, "p": self.p},
            "salt": _b64(self.salt),
            "cipher": "AES-256-GCM",
            "nonce": _b64(self.nonce),
            "sealed_key": _b64(self.sealed),
        }

    @classmethod
    def from_json(cls, data: Any, source: str = "the key file") -> KeyEnvelope:
        """Read an envelope back, refusing anything malformed with a clear message.

        Raises:
            KeyFileError: the data is not a key file this version understands.
        """
        try:
            if data.get("format") != KEYS_FORMAT:
                raise ValueError("not a Practice Logbook key file")
            if data.get("version") != KEYS_VERSION:
                raise ValueError(f"key file version {data.get('version')!r} is not supported")
            kdf = data["kdf"]
            if kdf.get("name") != "scrypt":
                raise ValueError(f"unknown key derivation {kdf.get('name')!r}")
            log2_n, r, p = (_whole(kdf[name]) for name in ("log2_n", "r", "p"))
            # Bounds keep a hostile key file from asking for terabytes of memory.
            if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
                raise ValueError("key derivation settings out of range")
            envelope = cls(
                key_id=str(data["key_id"]),
                salt=_unb64(data["salt"]),
                nonce=_unb64(data["nonce"]),
                sealed=_unb64(data["sealed_key"]),
                log2_n=log2_n,
                r=r,
                p=p,
            )
        except (AttributeError, KeyError, TypeError, ValueError, binascii.Error) as error:
            raise KeyFileError(
                f"{source} is damaged ({error}). Open the logbook with your recovery key."
            ) from None
        if len(envelope.nonce) != 12 or len(envelope.salt) < 16:
            raise KeyFileError(f"{source} is damaged. Open the logbook with your recovery key.")
        return envelope


def check_passphrase(passphrase: str) -> None:
    """Refuse passphrases too short to protect anything.

    Raises:
        WrongPassphraseError: the passphrase is shorter than the minimum.
    """
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WrongPassphraseError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters "
            "(a few unrelated words are easy to remember and hard to guess)."
        )


def _aad(kid: str) -> bytes:
    return f"{KEYS_FORMAT}/{KEYS_VERSION}/{kid}".encode()


def _stretch(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def keys_path(database: Path) -> Path:
    """Where the key file of an encrypted database lives: beside it, same name plus ``.keys``."""
    return database.with_name(database.name + KEYS_SUFFIX)


def next_keys_path(database: Path) -> Path:
    """Where the key file of a re-encryption waits until the re-encrypted copy is in place."""
    return database.with_name(database.name + KEYS_SUFFIX + ".next")


def read_envelope(path: Path) -> KeyEnvelope:
    """The envelope in a key file.

    Raises:
        KeyFileError: the file is missing, unreadable or damaged.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(
            f"The key file {path.name} is missing, so the passphrase cannot be checked. "
            "Open the logbook with your recovery key."
        ) from None
    except OSError as error:
        raise KeyFileError(
            f"The key file {path.name} cannot be read ({error.strerror}). "
            "Open the logbook with your recovery key."
        ) from None
    except UnicodeDecodeError as error:
        raise KeyFileError(
            f"The key file {path.name} is damaged (not text, at byte {error.start + 1}). "
            "Open the logbook with your recovery key."
        ) from None
    except json.JSONDecodeError as error:
        raise KeyFileError(
            f"The key file {path.name} is damaged (not JSON, at line {error.lineno}, column "
            f"{error.colno}). Open the logbook with your recovery key."
        ) from None
    return KeyEnvelope.from_json(data, path.name)


def _whole(value: Any) -> int:
    """A key-derivation setting: a whole number (never a float, infinity or true/false)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("key derivation settings must be whole numbers")
    return value


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (old content or new, never half)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def write_envelope(path: Path, envelope: KeyEnvelope) -> None:
    """Write ``envelope`` as a key file at ``path``, readable by its owner only, atomically."""
    write_private(path, json.dumps(envelope.to_json(), indent=1).encode("utf-8"))


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def resolve_key(unlock: Unlock, envelope: KeyEnvelope | None) -> bytes:
    """The database key from a passphrase (needs the envelope) or a recovery key.

    Raises:
        WrongPassphraseError: the passphrase or recovery key is not the one for this logbook.
        KeyFileError: a passphrase was given but the key file is missing or damaged.
    """
    if unlock.recovery_key:
        key = database_key(parse_recovery_key(unlock.recovery_key))
        if envelope is not None and not envelope.matches(key):
            raise WrongPassphraseError(
                "That recovery key belongs to a different logbook. Check it against the "
                "printed copy for this logbook."
            )
        return key
    if unlock.passphrase is None:
        raise LockedLogbookError("Enter the passphrase or the recovery key of this logbook.")
    if envelope is None:
        raise KeyFileError(
            "The key file of this logbook is missing, so the passphrase cannot be checked. "
            "Open it with your recovery key."
        )
    return envelope.unseal(unlock.passphrase)
