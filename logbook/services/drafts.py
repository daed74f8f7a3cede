"""Drafts of open forms, so a crash or a power cut loses at most a few seconds of typing.

A draft is a small JSON document kept in the logbook database itself, in the ``logbook_meta``
key/value table under a ``draft:`` key, each write its own short transaction. Keeping drafts in
the database, rather than in files beside it, means that:

* they are encrypted exactly as the logbook is (SQLCipher), with no second mechanism or key;
* they stay in the logbook's data folder and survive a crash as any commit does (WAL with
  ``synchronous=FULL``);
* no schema change is needed, and nothing else reads ``draft:`` keys (exports, merges and
  sign-off carry records, never meta rows).

A draft is deleted when its form is saved or deliberately discarded; what is left at the next
start is offered back to the user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from logbook.storage import repository as repo
from logbook.storage.database import Database
from logbook.storage.failures import storing

PREFIX = "draft:"
FORM_PREFIX = "form:"  # entry forms; other drafts (the first-run welcome) have their own name
# A layout's statements in the practitioner's own words, kept between exports (never offered
# back at start, and never printed unless exported).
STATEMENTS_PREFIX = "statements:"


@dataclass(frozen=True)
class Draft:
    """What a form held when it was last written down."""

    name: str
    content: dict[str, Any]
    written_at: datetime


class DraftService:
    """Keeps, lists and deletes drafts. Every method is one transaction.

    Raises (every method):
        StorageError: the logbook could not be read or written (locked, full disk…).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def keep(self, name: str, content: dict[str, Any]) -> None:
        """Write (or overwrite) the draft called ``name``."""
        document = {"written_at": datetime.now(UTC).isoformat(), "content": content}
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        with storing(), self.db.transaction() as session:
            repo.set_meta(session, PREFIX + name, text)

    def get(self, name: str) -> Draft | None:
        """The draft called ``name``, or ``None`` if there is none or it cannot be read."""
        with storing(), self.db.reading() as session:
            text = repo.meta(session, PREFIX + name)
        return _draft(name, text) if text is not None else None

    def all(self, prefix: str = "") -> list[Draft]:
        """The drafts whose name starts with ``prefix``, oldest first (unreadable ones skipped)."""
        pattern = PREFIX + prefix
        with storing(), self.db.reading() as session:
            rows = repo.meta_starting_with(session, pattern)
        found = [_draft(key.removeprefix(PREFIX), value) for key, value in rows]
        return sorted((d for d in found if d is not None), key=lambda d: d.written_at)

    def discard(self, name: str) -> None:
        """Delete the draft called ``name``, once its form is saved or abandoned (none: no-op)."""
        with storing(), self.db.transaction() as session:
            repo.delete_meta(session, PREFIX + name)


def _draft(name: str, text: str) -> Draft | None:
    try:
        document = json.loads(text)
        content = document["content"]
        written_at = datetime.fromisoformat(document["written_at"])
    except (ValueError, KeyError, TypeError):
        return None
    return Draft(name, content, written_at) if isinstance(content, dict) else None
