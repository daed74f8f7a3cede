"""Signing identities on disk: a supervisor's own sealed identities, identity files, public cards.

A supervisor's identities live in their data folder (``identities/``), beside the logbook file but
never inside it; an identity file carried on a USB stick can also be used directly, without
copying it anywhere (in-person signing on a practitioner's computer does exactly that). A
*public card* holds only the public part, for a practitioner to know a supervisor's key before
the first request.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from logbook.domain.errors import LogbookError, NotFoundError
from logbook.domain.identity import (
    IdentityFileError,
    KdfParameters,
    PublicIdentity,
    SealedIdentity,
    UnlockedIdentity,
    create_identity,
    normalise_fingerprint,
    seal,
)

IDENTITY_SUFFIX = ".identity.json"
PUBLIC_FORMAT = "practice-logbook-public-identity/1"
MAX_IDENTITY_BYTES = 256 * 1024


def read_json_file(path: Path, what: str, limit: int, error: Callable[[str], LogbookError]) -> Any:
    """Read a JSON file, with a message that says what is wrong with it and where.

    Raises:
        LogbookError: (made by ``error``) the file is missing, too large, not text, cut
            short, or not JSON.
    """
    name = path.name
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(f"{name} is too large to be a {what} ({size // 1024} KB).")
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise error(f"{path} is a folder, not a {what}.") from None
    except OSError as problem:
        raise error(f"{path} cannot be read: {problem.strerror or problem}.") from None
    if not data.strip():
        raise error(f"{name} is empty; it is not a {what}.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{name} is not a {what} (it is not a text file).") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as problem:
        # A file cut short fails at its very end, or inside a string that never closes.
        if problem.pos >= len(text.rstrip()) or problem.msg.startswith("Unterminated string"):
            raise error(
                f"{name} is incomplete: it ends before the {what} does (line {problem.lineno}). "
                "It may have been cut short while being copied or sent; ask for it again."
            ) from None
        raise error(
            f"{name} is not a valid {what}: {problem.msg} (line {problem.lineno}, "
            f"column {problem.colno})."
        ) from None


def write_json_file(path: Path, value: Any, *, private: bool = False) -> None:
    """Write JSON for people to read (indented), all or nothing: a temporary file is moved
    into place only when complete.

    Raises:
        LogbookError: the folder is missing or not writable.
    """
    path = Path(path)
    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=path.parent)
    except OSError as problem:
        raise LogbookError(f"Cannot write {path}: {problem.strerror or problem}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if not private:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as problem:
        Path(temporary).unlink(missing_ok=True)
        raise LogbookError(f"Cannot write {path}: {problem.strerror or problem}.") from None


def read_identity_file(path: Path) -> SealedIdentity:
    """An identity file as written by ``export`` (the private key stays sealed).

    Raises:
        IdentityFileError: the file is not a readable identity file.
    """
    data = read_json_file(Path(path), "identity file", MAX_IDENTITY_BYTES, IdentityFileError)
    return SealedIdentity.from_json(data)


def write_identity_file(identity: SealedIdentity, path: Path) -> None:
    write_json_file(Path(path), identity.to_json(), private=True)


def read_public_identity(path: Path) -> PublicIdentity:
    """The public part of an identity file or of a public card.

    Raises:
        IdentityFileError: the file holds neither.
    """
    data = read_json_file(Path(path), "identity file", MAX_IDENTITY_BYTES, IdentityFileError)
    if isinstance(data, dict) and data.get("format") == PUBLIC_FORMAT:
        try:
            return PublicIdentity.from_json(data.get("identity"), "identity")
        except ValueError as error:
            raise IdentityFileError(f"This public identity card cannot be used: {error}.") from None
    return SealedIdentity.from_json(data).public


def write_public_card(identity: PublicIdentity, path: Path) -> None:
    card = {
        "format": PUBLIC_FORMAT,
        "note": "The public part of a Practice Logbook signing identity: give it to the people "
        "whose entries you sign, so their logbook knows your key. It cannot sign anything.",
        "identity": identity.to_json(),
    }
    write_json_file(Path(path), card)


class IdentityStore:
    """The signing identities kept in one data folder (each sealed under its passphrase)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, fingerprint: str) -> Path:
        return self.folder / f"{fingerprint}{IDENTITY_SUFFIX}"

    def list(self) -> list[SealedIdentity]:
        """Every readable identity in the folder, by name (unreadable files are skipped)."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob(f"*{IDENTITY_SUFFIX}")):
            try:
                found.append(read_identity_file(path))
            except IdentityFileError:
                continue
        return sorted(found, key=lambda i: (i.public.name.lower(), i.fingerprint))

    def get(self, fingerprint: str) -> SealedIdentity:
        """Raises:
        NotFoundError: no identity with this fingerprint is kept here."""
        path = self._path(normalise_fingerprint(fingerprint))
        if not path.exists():
            raise NotFoundError(
                f"No signing identity with fingerprint {fingerprint} on this computer. "
                "Create one, or import your identity file."
            )
        return read_identity_file(path)

    def create(
        self,
        name: str,
        passphrase: str,
        *,
        registration_body: str = "",
        registration_number: str = "",
        organisation: str = "",
        kdf: KdfParameters | None = None,
    ) -> SealedIdentity:
        """Make a new identity and keep it (sealed) in this folder."""
        identity = create_identity(
            name,
            passphrase,
            registration_body=registration_body,
            registration_number=registration_number,
            organisation=organisation,
            kdf=kdf,
        )
        self._save(identity)
        return identity

    def import_file(self, path: Path) -> SealedIdentity:
        """Keep a copy of an identity file here (its key stays sealed under its passphrase)."""
        identity = read_identity_file(path)
        self._save(identity)
        return identity

    def export(self, fingerprint: str, path: Path) -> SealedIdentity:
        """Write an identity to one file, e.g. to carry it on a USB stick."""
        identity = self.get(fingerprint)
        write_identity_file(identity, path)
        return identity

    def export_public(self, fingerprint: str, path: Path) -> PublicIdentity:
        identity = self.get(fingerprint).public
        write_public_card(identity, path)
        return identity

    def change_passphrase(self, fingerprint: str, old: str, new: str) -> SealedIdentity:
        """Re-seal an identity under a new passphrase (the key and fingerprint stay the same).

        Raises:
            WrongPassphraseError: ``old`` does not unlock it.
        """
        unlocked: UnlockedIdentity = self.get(fingerprint).unlock(old)
        identity = seal(unlocked, new)
        self._save(identity)
        return identity

    def _save(self, identity: SealedIdentity) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise LogbookError(
                f"Cannot create {self.folder}: {problem.strerror or problem}."
            ) from None
        write_identity_file(identity, self._path(identity.fingerprint))
