"""Undoable changes: each command is a thin call to the record service, one transaction per
step (a 200-entry delete and its undo each land whole, or not at all).

A command does its work *before* it is pushed on the stack (``execute``), so a change that
fails raises to whoever asked for it (an editor keeps its form open) and never lands on the
stack. Undo and redo call the service again; if that fails (another change got in the way),
the user is told why and the command leaves the stack. Sign-off is never a command here: a
signature is an audit event, not an edit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand, QUndoStack

from logbook.domain.catalogue import mention
from logbook.domain.errors import LogbookError
from logbook.domain.records import Record, RecordKind
from logbook.services.changes import Change, Deleted
from logbook.services.records import RecordService

ChangeListener = Callable[[Change], None]
ErrorListener = Callable[[str, LogbookError], None]


def _plural(records: Sequence[Record]) -> str:
    if len(records) == 1:
        return mention(records[0])
    kinds = {r.kind for r in records}
    label = records[0].kind.label.lower() if len(kinds) == 1 else "entries"
    return f"{len(records)} {label} entries" if len(kinds) == 1 else f"{len(records)} {label}"


class RecordCommand(QUndoCommand):
    """A change made through the record service, reported to listeners after every step."""

    def __init__(
        self,
        records: RecordService,
        text: str,
        on_change: ChangeListener,
        on_error: ErrorListener,
    ) -> None:
        super().__init__(text)
        self._records = records
        self._on_change = on_change
        self._on_error = on_error
        self._skip_redo = False

    def execute(self) -> Change:
        """Make the change for the first time, before the command is pushed.

        Raises:
            LogbookError: nothing was changed (the command must not be pushed).
        """
        change = self._do()
        # QUndoStack.push() calls redo() at once; the work is already done.
        self._skip_redo = True
        return change

    def redo(self) -> None:
        if getattr(self, "_skip_redo", False):
            self._skip_redo = False
            return
        self._step(self._do, "Redo")

    def undo(self) -> None:
        self._step(self._undo, "Undo")

    def _step(self, work: Callable[[], Change], verb: str) -> None:
        try:
            change = work()
        except LogbookError as error:
            # The stack cannot replay this step any more; drop it rather than lie about it.
            self.setObsolete(True)
            self._on_error(f"{verb} {self.text()}", error)
            return
        self._on_change(change)

    def _do(self) -> Change:
        raise NotImplementedError

    def _undo(self) -> Change:
        raise NotImplementedError


class CreateRecords(RecordCommand):
    """New records (one entry, or a whole series saved together)."""

    def __init__(
        self,
        records: RecordService,
        new: Sequence[Record],
        on_change: ChangeListener,
        on_error: ErrorListener,
    ) -> None:
        if not new:
            raise ValueError("nothing to create")
        super().__init__(records, f"Add {_plural(new)}", on_change, on_error)
        self.records = list(new)
        self._deleted: list[Deleted] = []

    def _do(self) -> Change:
        if self._deleted:
            # Redo after undo: put back exactly what undo removed (attachments included).
            change = self._records.restore_many(self._deleted)
            self._deleted = []
            return change
        if len(self.records) == 1:
            return self._records.create(self.records[0]).change
        return self._records.create_many(self.records)

    def _undo(self) -> Change:
        # Newest first, so a record is never removed while another new one refers to it.
        self._deleted = self._records.delete_many([(r.kind, r.uid) for r in reversed(self.records)])
        return _gone(self._deleted)


class UpdateRecord(RecordCommand):
    """An edit. Undo saves the earlier content again (as a new revision, so history is kept)."""

    def __init__(
        self,
        records: RecordService,
        edited: Record,
        on_change: ChangeListener,
        on_error: ErrorListener,
    ) -> None:
        super().__init__(records, f"Edit {mention(edited)}", on_change, on_error)
        self.edited = edited
        self.before: Record | None = None
        self.saved: Record | None = None

    def _do(self) -> Change:
        if self.saved is None:
            self.before = self._records.get(self.edited.kind, self.edited.uid)
            saved = self._records.update(self.edited)
            self.saved = saved.record
            return saved.change
        current = self._records.get(self.saved.kind, self.saved.uid)
        saved = self._records.update(dataclasses.replace(self.saved, revision=current.revision))
        self.saved = saved.record
        return saved.change

    def _undo(self) -> Change:
        assert self.before is not None
        assert self.saved is not None
        current = self._records.get(self.saved.kind, self.saved.uid)
        if current.revision != self.saved.revision:
            raise LogbookError(
                f"The {self.saved.kind.label.lower()} was changed again since this edit."
            )
        restored = self._records.update(dataclasses.replace(self.before, revision=current.revision))
        self.saved = dataclasses.replace(self.saved, revision=restored.record.revision)
        return restored.change


class DeleteRecords(RecordCommand):
    """Deleting entries; undo puts back exactly what went (milestones, attachments)."""

    def __init__(
        self,
        records: RecordService,
        targets: Sequence[Record],
        on_change: ChangeListener,
        on_error: ErrorListener,
    ) -> None:
        if not targets:
            raise ValueError("nothing to delete")
        super().__init__(records, f"Delete {_plural(targets)}", on_change, on_error)
        self.targets: list[tuple[RecordKind, str]] = [(r.kind, r.uid) for r in targets]
        self._deleted: list[Deleted] = []

    def _do(self) -> Change:
        self._deleted = self._records.delete_many(self.targets)
        return _gone(self._deleted)

    def _undo(self) -> Change:
        change = self._records.restore_many(self._deleted)
        self._deleted = []
        return change


class UndoHistory(QUndoStack):
    """The window's undo stack, with the service and listeners its commands need."""

    def __init__(
        self,
        records: RecordService,
        on_change: ChangeListener,
        on_error: ErrorListener,
        parent: object | None = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._records = records
        self._on_change = on_change
        self._on_error = on_error
        self.setUndoLimit(200)

    def _run(self, command: RecordCommand) -> Change:
        change = command.execute()
        self.push(command)
        self._on_change(change)
        return change

    def create(self, records: Sequence[Record]) -> Change:
        """Save new records and remember how to undo it.

        Raises:
            LogbookError: nothing was saved and nothing was added to the history.
        """
        return self._run(CreateRecords(self._records, records, self._on_change, self._on_error))

    def update(self, record: Record) -> Record:
        """Save an edit (carrying the revision it was edited from); returns the stored record.

        Raises:
            LogbookError: nothing was saved and nothing was added to the history.
        """
        command = UpdateRecord(self._records, record, self._on_change, self._on_error)
        change = command.execute()
        if change.updated:
            self.push(command)
        self._on_change(change)
        assert command.saved is not None
        return command.saved

    def delete(self, records: Sequence[Record]) -> Change:
        """Delete records (all of them or none) and remember how to undo it.

        Raises:
            LogbookError: nothing was deleted.
        """
        return self._run(DeleteRecords(self._records, records, self._on_change, self._on_error))


def _gone(deleted: Sequence[Deleted]) -> Change:
    """What deleting these records changed, as one change."""
    change = Change()
    for gone in deleted:
        change = change | gone.change
    return change
