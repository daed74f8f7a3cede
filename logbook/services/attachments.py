"""Evidence files (certificates, scanned signature pages) kept inside the logbook.

Content is stored once per SHA-256 and checked against it when read back, so a certificate is
exactly what was attached. Adding and removing are immediate, one transaction each, and are not
part of undo: a file removed is gone from the logbook (its content too, once nothing else uses
it), which is what people expect when they remove something they attached by mistake.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from sqlalchemy import func, select

from logbook.domain.errors import (
    LogbookError,
    NotFoundError,
    Problem,
    StorageError,
    ValidationError,
)
from logbook.domain.records import Attachment, Record, RecordKind
from logbook.services.changes import Change
from logbook.storage import repository as repo
from logbook.storage.database import Database
from logbook.storage.models import AttachmentBlob, AttachmentRow

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

# Signatures of common evidence formats, for files whose name says nothing.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


def media_type_of(name: str, data: bytes) -> str:
    """The media type of a file, from its content for common formats, else from its name."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic) and not (magic == b"PK\x03\x04" and "." in name):
            return media_type
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def describe_size(size: int) -> str:
    """A file size as people read it: 812 bytes, 34 KB, 2.4 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"


class AttachmentService:
    """Add, read, list and remove the files attached to records."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_file(self, owner: Record, path: Path, label: str = "") -> Attachment:
        """Store the file at ``path`` as evidence for ``owner``, in one transaction.

        Raises:
            ValidationError: the file is empty or larger than ``MAX_ATTACHMENT_BYTES``.
            LogbookError: the file cannot be read.
            NotFoundError: ``owner`` is not saved in the logbook (save it first).
        """
        path = Path(path)
        name = path.name
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
                    f"'{name}' was not attached",
                )
            data = path.read_bytes()
        except OSError as error:
            reason = error.strerror or str(error)
            raise LogbookError(f"Cannot read '{path}': {reason}.") from error
        if not data:
            raise ValidationError(
                [Problem("file", "is empty (0 bytes); choose the file again", source=name)],
                f"'{name}' was not attached",
            )
        if len(data) > MAX_ATTACHMENT_BYTES:  # grew while being read
            raise ValidationError(
                [Problem("file", "is too large to attach", source=name)],
                f"'{name}' was not attached",
            )
        digest = hashlib.sha256(data).hexdigest()
        attachment = Attachment(
            owner_uid=owner.uid,
            filename=name,
            media_type=media_type_of(name, data),
            size=len(data),
            sha256=digest,
            label=label,
        )
        with self.db.transaction() as session:
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

    def remove(self, attachment: Attachment) -> Change:
        """Remove an attachment, and its content once no other attachment shares it."""
        with self.db.transaction() as session:
            repo.delete(session, RecordKind.ATTACHMENT, attachment.uid)
            others = session.scalar(
                select(func.count())
                .select_from(AttachmentRow)
                .where(AttachmentRow.sha256 == attachment.sha256)
            )
            if not others:
                blob = session.get(AttachmentBlob, attachment.sha256)
                if blob is not None:
                    session.delete(blob)
        return Change(deleted=(attachment.uid,), kinds=frozenset({RecordKind.ATTACHMENT}))

    def list_for(self, owner_uid: str) -> list[Attachment]:
        """The attachments of a record, oldest first."""
        with self.db.reading() as session:
            return repo.attachments_of(session, owner_uid)
