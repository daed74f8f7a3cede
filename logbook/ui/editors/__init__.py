"""Record editors: one form per kind, saved through an ``EditorHost``.

``open_editor`` returns a dialog ready to ``show()`` (non-modal) or ``exec()``; after it is
accepted, ``dialog.saved`` holds what was saved. ``create_form`` gives the bare form for pages
that embed it (the first-run welcome embeds the profile form).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from logbook.domain.records import Record, RecordKind
from logbook.services.logbook import Logbook
from logbook.ui.editors.defaults import duplicate as duplicate_record
from logbook.ui.editors.dialog import RecordEditorDialog
from logbook.ui.editors.fields import FormContext
from logbook.ui.editors.form import RecordForm
from logbook.ui.editors.host import EditorHost
from logbook.ui.editors.kinds import FORMS
from logbook.ui.editors.links import link_fields

__all__ = ["EditorHost", "RecordEditorDialog", "RecordForm", "create_form", "open_editor"]


def open_editor(
    kind: RecordKind,
    logbook: Logbook,
    host: EditorHost,
    record: Record | None = None,
    *,
    duplicate: bool = False,
    parent: QWidget | None = None,
) -> QDialog:
    """The editor of one record kind.

    Args:
        kind: The kind of record (``RecordKind.ATTACHMENT`` has no editor).
        logbook: The open logbook (pickers, defaults and attachments read from it).
        host: Saves what the editor produces (``create`` for new records and series,
            ``update`` for edits).
        record: The record to edit; None for a new one with sensible defaults (the profile
            editor edits the existing profile when there is one).
        duplicate: Start a new record as a copy of ``record``, dated today.
        parent: The window the dialog belongs to.

    Raises:
        KeyError: ``kind`` has no editor.
    """
    definition = FORMS[kind]
    context = FormContext(logbook, host, parent)
    if record is None:
        base = definition.new_record(logbook)
        existing_profile = kind is RecordKind.PROFILE and logbook.records.profile() is not None
        mode = "edit" if existing_profile else "new"
    elif duplicate:
        base, mode = duplicate_record(record), "duplicate"
    else:
        base, mode = record, "edit"
    dialog = RecordEditorDialog(definition, context, base, mode, parent)  # type: ignore[arg-type]
    link_fields(dialog.form, definition.links, logbook, editing=mode == "edit")
    return dialog


def create_form(
    kind: RecordKind,
    logbook: Logbook,
    host: EditorHost,
    record: Record | None = None,
    parent: QWidget | None = None,
) -> RecordForm:
    """The bare form of one kind, for a page that embeds it and saves through ``host`` itself.

    ``form.collect()`` returns the record and its problems; ``form.show_problems`` shows them
    (and those of a ``ValidationError`` from the host) under the fields they name.
    """
    definition = FORMS[kind]
    base = record if record is not None else definition.new_record(logbook)
    form = RecordForm(definition.sections, base, FormContext(logbook, host, parent), parent)
    link_fields(form, definition.links, logbook, editing=record is not None)
    return form
