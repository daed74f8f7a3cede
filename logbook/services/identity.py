"""Signing identities on disk: a supervisor's own sealed identities, identity files, public cards.

A supervisor's identities live in their data folder (``identities/``), beside the logbook file but
never inside it; an identity file carried on a USB stick can also be used directly, without
copying it anywhere (in-person signing on a practitioner's computer does exactly that). A
*public card* holds only the public part, for a practitioner to know a supervisor's key before
the first request.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from logbook.domain.errors import IdentityFileError, LogbookError, NotFoundError
from logbook.domain.identity import (
    KdfParameters,
    PublicIdentity,
    SealedIdentity,
    UnlockedIdentity,
    create_identity,
    fingerprint_of,
    normalise_fingerprint,
    seal,
    unb64,
)
from logbook.domain.json_input import JsonInputError, JsonPath, path_text, read_document
from logbook.domain.limits import describe
from logbook.storage.sqlite import make_private_folder

IDENTITY_SUFFIX = ".identity.json"
# The folder of a data folder that keeps its signing identities.
IDENTITIES_FOLDER = "identities"
PUBLIC_FORMAT = "practice-logbook-public-identity/1"
MAX_IDENTITY_BYTES = 256 * 1024
PARTIAL_PREFIX = ".partial-"
# A JSON file read whole (an identity file, a sign-off request or response) holds at most this
# much text and about this many values.
MAX_JSON_FILE_BYTES = 8 * 1024 * 1024
MAX_JSON_FILE_VALUES = 500_000
_BOM = b"\xef\xbb\xbf"


def read_json_file(path: Path, what: str, limit: int, error: Callable[[str], LogbookError]) -> Any:
    """Read a JSON file, with a message that says what is wrong with it and where.

    The file is checked as every JSON input is (see ``logbook.domain.json_input``): nesting,
    numbers (finite, within ±(2^53 - 1)), Unicode, repeated keys; a byte order mark is allowed.
    Whatever ``limit`` says, a file read whole holds at most ``MAX_JSON_FILE_BYTES`` and about
    ``MAX_JSON_FILE_VALUES`` values, so reading one takes at most about 100 MB.

    Raises:
        LogbookError: (made by ``error``) the file is missing, too large, not text, cut
            short, not JSON, or breaks a limit.
    """
    name = path.name
    limit = min(limit, MAX_JSON_FILE_BYTES)
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(
                f"{name} is too large to be a {what} ({size // 1024:,} KB; at most "
                f"{limit // 1024:,} KB)."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise error(f"{path} is a folder, not a {what}.") from None
    except OSError as problem:
        raise error(f"{path} cannot be read: {problem.strerror or problem}.") from None
    if not data.removeprefix(_BOM).strip():
        raise error(f"{name} is empty; it is not a {what}.")
    found: list[tuple[JsonPath, str]] = []  # the first problem, then only counted
    count = 0

    def report(where: JsonPath, message: str) -> None:
        nonlocal count
        count += 1
        if not found:
            found.append((where, message))

    try:
        value = read_document(
            io.BytesIO(data),
            max_chars=limit,
            max_values=MAX_JSON_FILE_VALUES,
            report=report,
        )
    except JsonInputError as problem:
        raise _unreadable(problem, name, what, error) from None
    if found:
        where, message = found[0]
        more = f" (and {count - 1:,} more problems)" if count > 1 else ""
        raise error(
            f"{name} is not a valid {what}: {path_text(where) or 'the file'} {message}{more}."
        )
    return value


def _unreadable(
    problem: JsonInputError, name: str, what: str, error: Callable[[str], LogbookError]
) -> LogbookError:
    """What to say about a file that is not JSON (or not text, or cut short)."""
    if problem.byte is not None:
        return error(
            f"{name} is not a {what}: it is not a text file (byte {problem.byte:,} is not UTF-8)."
        )
    if problem.at_end:
        # A file cut short fails at its very end, or inside a string that never closes.
        return error(
            f"{name} is incomplete: it ends before the {what} does (line {problem.line}). "
            "It may have been cut short while being copied or sent; ask for it again."
        )
    if problem.message.startswith("is not valid JSON: "):
        message = problem.message.removeprefix("is not valid JSON: ")
    else:
        message = f"{path_text(problem.path) or 'it'} {problem.message}"
    return error(f"{name} is not a valid {what}: {message}{problem.position}.")


def write_json_file(path: Path, value: Any) -> None:
    """Write JSON for people to read (indented), all or nothing: a temporary file is moved
    into place only when complete.

    The file is readable by its owner only (0600 where the system has such permissions):
    requests, responses, receipts and identity cards all name people.

    Raises:
        LogbookError: the folder is missing or not writable.
    """
    path = Path(path)
    text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=path.parent)
    except OSError as problem:
        raise LogbookError(f"Cannot write {path}: {problem.strerror or problem}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file owner-only; it keeps that mode when moved into place.
        os.replace(temporary, path)
    except OSError as problem:
        Path(temporary).unlink(missing_ok=True)
        raise LogbookError(f"Cannot write {path}: {problem.strerror or problem}.") from None


def read_identity_file(path: Path) -> SealedIdentity:
    """An identity file as written by ``export`` (the private key stays sealed).

    Raises:
        IdentityFileError: the file is not a readable identity file.
    """
    path = Path(path)
    data = read_json_file(path, "identity file", MAX_IDENTITY_BYTES, IdentityFileError)
    _check_fingerprint(data, path.name)
    return SealedIdentity.from_json(data)


def _check_fingerprint(data: Any, name: str) -> None:
    """Refuse a file whose stated fingerprint is not its key's: one of them was altered.

    (An altered name or registration is found when the file is unlocked: they are sealed with
    the key, so the right passphrase no longer opens it, and ``unlock`` says so.)
    """
    public = data.get("identity") if isinstance(data, dict) else None
    if not isinstance(public, dict):
        return
    stated, key = public.get("fingerprint"), public.get("public_key")
    try:
        raw = unb64(key, "public_key")
    except ValueError:
        return  # reading the file says what is wrong with the key
    if isinstance(stated, str) and len(raw) == 32 and stated != fingerprint_of(raw):
        raise IdentityFileError(
            f"{name} was altered or damaged: the fingerprint it states ({describe(stated)}) is "
            f"not that of its key ({fingerprint_of(raw)}). Use an unaltered copy of the "
            "identity file."
        )


def write_identity_file(identity: SealedIdentity, path: Path) -> None:
    """Write a whole identity to ``path``; its private key stays sealed under its passphrase.

    Raises:
        LogbookError: the folder is missing or not writable.
    """
    write_json_file(Path(path), identity.to_json())


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
    """Write the public card of an identity to ``path``, for the people whose entries it signs.

    Raises:
        LogbookError: the folder is missing or not writable.
    """
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
        identity = read_identity_file(path)
        if identity.fingerprint != normalise_fingerprint(fingerprint):
            raise IdentityFileError(
                f"The identity file {path.name} holds another identity ({identity.fingerprint}, "
                f"{identity.public.name}): it was replaced or altered. Import your identity file "
                "again."
            )
        return identity

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
        """Write an identity's public card, which lets others' logbooks check its signatures.

        Raises:
            NotFoundError: no identity with this fingerprint is kept here.
        """
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

    def leftovers(self) -> builtins.list[Path]:
        """Temporary files left by a save that was interrupted (the app stopped)."""
        try:
            return list(self.folder.glob(f"{PARTIAL_PREFIX}*"))
        except OSError:
            return []

    def remove_leftovers(self) -> None:
        """Delete temporary files left by a save that was interrupted (the app stopped)."""
        for leftover in self.leftovers():
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                continue

    def _save(self, identity: SealedIdentity) -> None:
        try:
            make_private_folder(self.folder)
            if os.name == "posix" and stat.S_IMODE(self.folder.stat().st_mode) != 0o700:
                # The folder is the app's own (never one the user chose): tighten it even if
                # an earlier version created it readable by others.
                os.chmod(self.folder, 0o700)
        except OSError as problem:
            raise LogbookError(
                f"Cannot create {self.folder}: {problem.strerror or problem}."
            ) from None
        write_identity_file(identity, self._path(identity.fingerprint))
