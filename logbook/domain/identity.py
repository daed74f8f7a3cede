"""Signing identities: an Ed25519 key pair, its read-aloud fingerprint, and the sealed private key.

A supervisor's identity is their name, registration and organisation bound to an Ed25519 key
pair. The private key only ever exists in two forms: sealed (encrypted with AES-256-GCM under a
key derived from the supervisor's passphrase by Argon2id, a memory-hard function) inside an
identity file the supervisor carries, and unlocked in memory for the moment of signing. The
public details are the additional authenticated data of the seal, so an identity file whose name
or registration was altered refuses to unlock.

The fingerprint is the first 80 bits of the SHA-256 of the public key in Crockford base32, in
four groups of four (``7K2M-QX4R-…``): short enough to read over the phone, with no letters that
sound or look alike (no I, L, O or U).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import rfc8785

from logbook.domain.errors import IdentityFileError, LogbookError, WrongPassphraseError

# The cryptography package is imported where keys are used, not here: a logbook with nothing
# to verify (and the app's first window) should not wait for it to load.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

IDENTITY_FORMAT = "practice-logbook-identity/1"
MIN_PASSPHRASE = 8
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def b64(data: bytes) -> str:
    """``data`` as base64 text, the way files and signed statements carry bytes."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, what: str) -> bytes:
    """Decode base64 text, naming ``what`` in the error when it is not base64."""
    if not isinstance(text, str):
        raise ValueError(f"{what} must be base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError(f"{what} is not valid base64") from None


@lru_cache(maxsize=4096)
def fingerprint_of(public_key: bytes) -> str:
    """The read-aloud fingerprint of a raw 32-byte Ed25519 public key."""
    number = int.from_bytes(hashlib.sha256(public_key).digest()[:10], "big")
    chars = "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(75, -1, -5))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def normalise_fingerprint(text: str) -> str:
    """Accept a fingerprint as typed or heard (any case, spaces or dashes, O for 0, I/L for 1)."""
    cleaned = text.upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != 16 or any(c not in _CROCKFORD for c in cleaned):
        raise ValueError(f"'{text}' is not a fingerprint (16 letters and digits, e.g. 7K2M-QX4R-…)")
    return "-".join(cleaned[i : i + 4] for i in range(0, 16, 4))


@lru_cache(maxsize=4096)
def _public_key(raw: bytes) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw)


def verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key``."""
    from cryptography.exceptions import InvalidSignature

    try:
        _public_key(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class PublicIdentity:
    """Who signs, and the public key that proves it (safe to share and to store anywhere)."""

    name: str
    registration_body: str
    registration_number: str
    organisation: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        """The read-aloud fingerprint of the key, compared in person or over the phone."""
        return fingerprint_of(self.public_key)

    @property
    def registration(self) -> str:
        """Body and number as one reads them, e.g. "HCPC PYL04321"."""
        return " ".join(p for p in (self.registration_body, self.registration_number) if p)

    def to_json(self) -> dict[str, str]:
        """The public part as files and statements carry it, fingerprint included, for
        ``from_json`` to read back."""
        return {
            "name": self.name,
            "registration_body": self.registration_body,
            "registration_number": self.registration_number,
            "organisation": self.organisation,
            "public_key": b64(self.public_key),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: Any, where: str = "signer") -> PublicIdentity:
        """Read the public part written by ``to_json``; the fingerprint must match the key.

        Raises:
            ValueError: naming the first missing or wrong member.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"{where} must be an object")
        values: dict[str, str] = {}
        for name in ("name", "registration_body", "registration_number", "organisation"):
            value = data.get(name, "")
            if not isinstance(value, str):
                raise ValueError(f"{where}.{name} must be text")
            values[name] = value
        if not values["name"].strip():
            raise ValueError(f"{where}.name is missing")
        key = unb64(data.get("public_key"), f"{where}.public_key")
        if len(key) != 32:
            raise ValueError(f"{where}.public_key is not an Ed25519 public key")
        identity = cls(public_key=key, **values)
        stated = data.get("fingerprint")
        if stated is not None and stated != identity.fingerprint:
            raise ValueError(f"{where}.fingerprint does not match its public key")
        return identity

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether ``signature`` is this identity's signature of ``message``."""
        return verify_signature(self.public_key, signature, message)


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id settings, stored in the identity file so they can be raised later."""

    salt: bytes
    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 1

    def derive(self, passphrase: str) -> bytes:
        """The 32-byte key that seals the private key, derived from ``passphrase`` (slow on
        purpose)."""
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        kdf = Argon2id(
            salt=self.salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(passphrase.encode("utf-8"))

    def to_json(self) -> dict[str, Any]:
        """The settings as an identity file stores them."""
        return {
            "algorithm": "argon2id",
            "salt": b64(self.salt),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: Any) -> KdfParameters:
        """Read the settings an identity file stores, refusing any outside safe bounds.

        Raises:
            ValueError: naming the first missing or out-of-bounds setting.
        """
        if not isinstance(data, Mapping) or data.get("algorithm") != "argon2id":
            raise ValueError("kdf must be an argon2id object")
        numbers = {}
        for name, low, high in (
            ("memory_kib", 8 * 1024, 4 * 1024 * 1024),
            ("iterations", 1, 64),
            ("lanes", 1, 64),
        ):
            value = data.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ValueError(f"kdf.{name} must be a whole number from {low} to {high}")
            numbers[name] = value
        salt = unb64(data.get("salt"), "kdf.salt")
        if len(salt) < 16:
            raise ValueError("kdf.salt is too short")
        return cls(salt=salt, **numbers)


@dataclass(frozen=True)
class UnlockedIdentity:
    """An identity whose private key is in memory: it can sign. Never stored anywhere."""

    public: PublicIdentity
    _key: Ed25519PrivateKey = field(repr=False)

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of ``message``."""
        return self._key.sign(message)


@dataclass(frozen=True)
class SealedIdentity:
    """An identity as kept in a file: public details plus the passphrase-sealed private key."""

    public: PublicIdentity
    created_at: datetime
    kdf: KdfParameters
    nonce: bytes
    ciphertext: bytes

    @property
    def fingerprint(self) -> str:
        """The read-aloud fingerprint of its public key."""
        return self.public.fingerprint

    def unlock(self, passphrase: str) -> UnlockedIdentity:
        """The identity with its private key, for signing now.

        Raises:
            WrongPassphraseError: the passphrase is wrong (or the file's details were altered).
        """
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        secret = self.kdf.derive(passphrase)
        try:
            raw = AESGCM(secret).decrypt(
                self.nonce, self.ciphertext, _sealed_details(self.public, self.kdf)
            )
        except InvalidTag:
            if _opens_without_details(secret, self):
                raise IdentityFileError(
                    f"The identity file of {self.public.name} ({self.fingerprint}) was altered "
                    "after it was made: the passphrase is right, but the name, registration or "
                    "organisation in the file are not those its key was sealed with. Nothing "
                    "was signed; use an unaltered copy of the identity file."
                ) from None
            raise WrongPassphraseError(
                f"The passphrase does not unlock the identity of {self.public.name} "
                f"({self.fingerprint}). Nothing was signed; try again."
            ) from None
        key = Ed25519PrivateKey.from_private_bytes(raw)
        if _raw_public(key) != self.public.public_key:
            raise IdentityFileError("The identity file is damaged: its two keys do not match.")
        return UnlockedIdentity(self.public, key)

    def to_json(self) -> dict[str, Any]:
        """The identity file's content: the public details, the Argon2id settings and the
        sealed private key."""
        return {
            "format": IDENTITY_FORMAT,
            "note": "A Practice Logbook signing identity. The private key is encrypted with the "
            "owner's passphrase. Keep this file safe; anyone who has it still needs the "
            "passphrase to sign.",
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "identity": self.public.to_json(),
            "kdf": self.kdf.to_json(),
            "cipher": "aes-256-gcm",
            "nonce": b64(self.nonce),
            "private_key": b64(self.ciphertext),
        }

    @classmethod
    def from_json(cls, data: Any) -> SealedIdentity:
        """Read an identity file's content.

        Raises:
            IdentityFileError: saying what is wrong with it.
        """
        try:
            if not isinstance(data, Mapping) or data.get("format") != IDENTITY_FORMAT:
                raise ValueError("it is not a Practice Logbook identity file")
            if data.get("cipher") != "aes-256-gcm":
                raise ValueError("its cipher is not aes-256-gcm")
            created = datetime.fromisoformat(str(data.get("created_at")))
            return cls(
                public=PublicIdentity.from_json(data.get("identity"), "identity"),
                created_at=created,
                kdf=KdfParameters.from_json(data.get("kdf")),
                nonce=unb64(data.get("nonce"), "nonce"),
                ciphertext=unb64(data.get("private_key"), "private_key"),
            )
        except ValueError as error:
            raise IdentityFileError(f"This identity file cannot be used: {error}.") from None


def check_passphrase(passphrase: str) -> None:
    """Refuse passphrases too short to protect a signing key.

    Raises:
        LogbookError: saying how long it must be.
    """
    if len(passphrase) < MIN_PASSPHRASE:
        raise LogbookError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE} characters "
            "(a few words are easier to remember than symbols)."
        )


def create_identity(
    name: str,
    passphrase: str,
    *,
    registration_body: str = "",
    registration_number: str = "",
    organisation: str = "",
    kdf: KdfParameters | None = None,
) -> SealedIdentity:
    """Generate a new key pair and seal its private key under ``passphrase``.

    Raises:
        LogbookError: the name is empty or the passphrase too short.
    """
    if not name.strip():
        raise LogbookError("A signing identity needs the signer's name.")
    check_passphrase(passphrase)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    public = PublicIdentity(
        name=name.strip(),
        registration_body=registration_body.strip(),
        registration_number=registration_number.strip(),
        organisation=organisation.strip(),
        public_key=_raw_public(key),
    )
    return seal(UnlockedIdentity(public, key), passphrase, kdf=kdf)


def seal(
    identity: UnlockedIdentity, passphrase: str, *, kdf: KdfParameters | None = None
) -> SealedIdentity:
    """Encrypt an unlocked identity's private key under ``passphrase`` (a new salt each time)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    check_passphrase(passphrase)
    params = kdf or KdfParameters(salt=os.urandom(16))
    nonce = os.urandom(12)
    raw = identity._key.private_bytes_raw()
    ciphertext = AESGCM(params.derive(passphrase)).encrypt(
        nonce, raw, _sealed_details(identity.public, params)
    )
    now = datetime.now(UTC).replace(microsecond=0)
    return SealedIdentity(identity.public, now, params, nonce, ciphertext)


def new_key_seed() -> bytes:
    """32 random bytes: an Ed25519 private key, made without loading the cryptography package."""
    return os.urandom(32)


def identity_from_seed(
    seed: bytes,
    name: str,
    *,
    registration_body: str = "",
    registration_number: str = "",
    organisation: str = "",
) -> UnlockedIdentity:
    """The identity whose Ed25519 private key is ``seed`` (a logbook's practitioner key)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = PublicIdentity(
        name=name.strip() or "Practitioner",
        registration_body=registration_body,
        registration_number=registration_number,
        organisation=organisation,
        public_key=_raw_public(key),
    )
    return UnlockedIdentity(public, key)


def _opens_without_details(secret: bytes, identity: SealedIdentity) -> bool:
    """Whether ``secret`` opens the sealed private key when the public details are left out.

    AES-GCM is counter-mode encryption plus a tag over the ciphertext and the details; a
    failed tag means a wrong passphrase or altered details. Decrypting in counter mode alone
    (never used for anything else) tells them apart: with the right passphrase it gives the
    private key whose public key the file states.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if len(identity.nonce) != 12 or len(identity.ciphertext) != 32 + 16:
        return False
    counter = identity.nonce + (2).to_bytes(4, "big")  # GCM's first block after J0
    decryptor = Cipher(algorithms.AES(secret), modes.CTR(counter)).decryptor()
    raw = decryptor.update(identity.ciphertext[:32]) + decryptor.finalize()
    return _raw_public(Ed25519PrivateKey.from_private_bytes(raw)) == identity.public.public_key


def _sealed_details(public: PublicIdentity, kdf: KdfParameters) -> bytes:
    return bytes(rfc8785.dumps({"identity": public.to_json(), "kdf": kdf.to_json()}))


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
