"""The error hierarchy every layer raises and every surface explains to the user.

Every error a user can meet derives from :class:`LogbookError`, and each meaning has one class,
whatever layer raises it (the storage layer raises these too; it may import the domain)::

    LogbookError
    ├── ValidationError
    ├── NotFoundError
    ├── ConflictError
    ├── WrongPassphraseError        the logbook's or a signing identity's passphrase
    ├── IdentityFileError
    └── StorageError
        ├── NewerSchemaError
        ├── LogbookInUseError
        ├── LockedLogbookError
        ├── KeyFileError
        ├── UnavailableLogbookError
        └── DamagedLogbookError
            └── MissingLogbookError

Errors of one feature (sign-off files, exports, requirement packs …) subclass these in the
feature's own module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class LogbookError(Exception):
    """Base class: the message is written for the user and says what to do."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    Attributes:
        field: The field (or column) that is wrong, as the user knows it.
        message: What is wrong, in plain English.
        row: The row of a file, counting the header as row 1, if the input is a file.
        source: The file or record the problem was found in.
    """

    field: str
    message: str
    row: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(self.field)
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ValidationError(LogbookError):
    """Input was rejected; ``problems`` lists every reason, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str = "") -> None:
        self.problems = tuple(problems)
        head = summary or f"{len(self.problems)} problem(s) found"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class NotFoundError(LogbookError):
    """A record the action refers to does not exist (any more)."""


class ConflictError(LogbookError):
    """The record changed since it was read; reload and try again."""


class StorageError(LogbookError):
    """The logbook file cannot be opened or written."""


class NewerSchemaError(StorageError):
    """The logbook was written by a newer version of the app and is left untouched."""


class LogbookInUseError(StorageError):
    """Another copy of the app has this logbook open."""


class WrongPassphraseError(LogbookError):
    """The passphrase (or recovery key) given does not unlock the logbook, or the signing
    identity it was given for; nothing was opened or signed.

    Not a ``StorageError``: nothing is wrong with any file, only with what was typed.
    """


class IdentityFileError(LogbookError):
    """An identity file is not readable as one (damaged, altered or of another kind)."""


class LockedLogbookError(StorageError):
    """The logbook is encrypted: it opens only with its passphrase or its recovery key."""


class KeyFileError(StorageError):
    """The key file beside an encrypted logbook is missing or damaged."""


class UnavailableLogbookError(StorageError):
    """This computer cannot serve the logbook now (a full disk, a read-only or unplugged drive,
    an I/O error, a permission): nothing is known to be wrong with the file, and nothing on
    disk was changed."""


class DamagedLogbookError(StorageError):
    """The logbook file is damaged or is not a logbook; it has been set aside, not changed.

    Attributes:
        path: Where the logbook was.
        quarantined: Where the damaged file now is (``None`` if it could not be moved).
        reason: What is wrong, in plain words.
        offer: The newest good backup, when the backup service found one (filled in by it).
    """

    def __init__(self, path: Path, quarantined: Path | None, reason: str) -> None:
        self.path = path
        self.quarantined = quarantined
        self.reason = reason
        self.offer: Any = None
        kept = (
            f"It has been set aside as {quarantined.name} (nothing was deleted)."
            if quarantined
            else "It has not been changed."
        )
        super().__init__(
            f"The logbook {path.name} in {path.parent} cannot be used: {reason}. {kept} "
            "Restore the newest good backup, or start a new logbook."
        )

    def __str__(self) -> str:
        text = super().__str__()
        if self.offer is not None:
            describe = getattr(self.offer, "describe", None)
            text += f" The newest good backup is from {describe() if describe else self.offer}."
        return text


class MissingLogbookError(DamagedLogbookError):
    """The logbook file is gone, but backups (or set-aside copies) of a logbook are there.

    Rather than silently start an empty logbook, the app offers the newest good backup; the
    user can still choose to start a new logbook (``start_new=True``).
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path, None, "the file is missing, but backups of a logbook are there")
