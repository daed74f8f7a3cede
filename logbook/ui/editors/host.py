"""What an editor needs from the window that opened it: somewhere to save records.

The main window implements this with undoable commands; tests implement it over the real
record service. Editors never write to the database themselves (attachments excepted: they
are stored at once and are not part of undo).
"""

from __future__ import annotations

from typing import Protocol

from logbook.domain.records import Record


class EditorHost(Protocol):
    """Saves what an editor produced.

    Both methods raise ``LogbookError`` (or its ``ValidationError``, whose ``problems`` name the
    record fields at fault) when nothing could be saved; the editor then keeps its form open
    with everything the user typed.
    """

    def create(self, records: list[Record]) -> None:
        """Save new records, all together or none (one record, or a whole series)."""

    def update(self, record: Record) -> None:
        """Save an edit of ``record``, which carries the revision it was edited from."""
