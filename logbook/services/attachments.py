"""Evidence files (certificates, scanned signature pages) kept inside the logbook.

Content is stored once per SHA-256 and checked against it when read back, so a certificate is
exactly what was attached. Only allowed formats are kept, and only when the content is what the
name says (see ``logbook.services.filetypes``); the same check runs again before a stored file
is handed to another application. Adding and removing are immediate, one transaction each, and
are not part of undo: a file removed is gone from the logbook (its content too, once nothing
else uses it), which is what people expect when they remove something they attached by mistake.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from logbook.domain.errors import (
    LogbookError,
    NotFoundError,
    Problem,
    StorageError,
    ValidationError,
)
from logbook.domain.records import Attachment, Record, RecordKind
from logbook.domain.uids import is_uid, not_a_uid
from logbook.domain.validation import validate
from logbook.services import filetypes
from logbook.services.changes import Change
from logbook.storage import repository as repo
from logbook.storage.database import Database
from logbook.storage.failures import saving

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024


def describe_size(size: int) -> str:
    """A file size as people read it: 812 bytes, 34 KB, 2.4 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"


def read_evidence(path: Path) -> tuple[bytes, filetypes.FileType]:
    """The content of a file that may be attached, and its (checked) type.

    Raises:
        ValidationError: the file is empty, too large, or not an allowed type (or not the
            type its name says).
        LogbookError: the file cannot be read.
    """
    path = Path(path)
    name = path.name
    refused = f"'{name}' was not attached"
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                [
                    Problem(
                        "file",
                        f"is {describe_size(size)}; an attachment can be at most "
                        f"{describe_size(MAX_ATTACHMENT_BYTES)}. Attach a smaller scan or "
                        "a PDF of the certificate.",
                        source=name,
                    )
                ],
                refused,
            )
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise LogbookError(f"Cannot read '{path}': {reason}.") from error
    if not data:
        raise ValidationError(
            [Problem("file", "is empty (0 bytes); choose the file again", source=name)], refused
        )
    if len(data) > MAX_ATTACHMENT_BYTES:  # grew while being read
        raise ValidationError(
            [Problem("file", "is too large to attach", source=name)],
            refused,
        )
    try:
        kind = filetypes.check(name, data)
    except filetypes.FileTypeRefused as error:
        raise ValidationError([Problem("", str(error))], refused) from None
    return data, kind


class AttachmentService:
    """Add, read, list and remove the files attached to records."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_file(self, owner: Record, path: Path, label: str = "") -> Attachment:
        """Store the file at ``path`` as evidence for ``owner``, in one transaction.

        Raises:
            ValidationError: the file is empty, larger than ``MAX_ATTACHMENT_BYTES``, not an
                allowed type or not the type its name says; or ``owner`` has no valid id.
            LogbookError: the file cannot be read.
            NotFoundError: ``owner`` is not saved in the logbook (save it first).
        """
        name = Path(path).name
        if not is_uid(owner.uid):
            raise ValidationError(
                [Problem("owner_uid", not_a_uid(owner.uid), source=name)],
                f"'{name}' was not attached",
            )
        data, file_type = read_evidence(Path(path))
        digest = hashlib.sha256(data).hexdigest()
        attachment = Attachment(
            owner_uid=owner.uid,
            filename=name,
            media_type=file_type.media_type,
            size=len(data),
            sha256=digest,
            label=label,
        )
        problems = validate(attachment)
        if problems:
            raise ValidationError(problems, f"'{name}' was not attached")
        with saving(), self.db.transaction() as session:
            if repo.find(session, owner.kind, owner.uid) is None:
                raise NotFoundError(
                    f"Save this {owner.kind.label.lower()} before attaching files to it."
                )
            repo.store_blob(session, digest, data)
            repo.insert(session, attachment)
        return attachment

    def content(self, attachment: Attachment) -> bytes:
        """The bytes of an attachment, checked against the hash it was stored with.

        Raises:
            NotFoundError: the content is missing from the logbook.
            StorageError: the content no longer matches its hash (the file is damaged).
        """
        with self.db.reading() as session:
            data = repo.load_blob(session, attachment.sha256)
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise StorageError(
                f"The stored copy of '{attachment.filename}' is damaged (its content no longer "
                "matches the hash recorded when it was attached). Restore a backup to recover it."
            )
        return data

    def content_to_open(self, attachment: Attachment) -> bytes:
        """The bytes of an attachment, for another application to open: only when the content
        is an allowed type and matches the file's name (files stored before this check, or
        arriving in an import, are checked here).

        Raises:
            ValidationError: the content is not an allowed type, or not what its name says.
            NotFoundError, StorageError: as for :meth:`content`.
        """
        data = self.content(attachment)
        try:
            filetypes.check(attachment.filename, data)
        except filetypes.FileTypeRefused as error:
            raise ValidationError(
                [Problem("", str(error))],
                f"'{attachment.filename}' was not opened",
            ) from None
        return data

    def remove(self, attachment: Attachment) -> Change:
        """Remove an attachment, and its content once no other attachment shares it."""
        with saving(), self.db.transaction() as session:
            repo.delete(session, RecordKind.ATTACHMENT, attachment.uid)
            repo.delete_blob_unless_used(session, attachment.sha256)
        return Change(deleted=(attachment.uid,), kinds=frozenset({RecordKind.ATTACHMENT}))

    def list_for(self, owner_uid: str) -> list[Attachment]:
        """The attachments of a record, oldest first."""
        with self.db.reading() as session:
            return repo.attachments_of(session, owner_uid)
