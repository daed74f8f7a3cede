"""Entry forms from their drafts: what to call a draft, and reopening its form as it was."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from logbook.domain.catalogue import name_of
from logbook.domain.codec import decode
from logbook.domain.errors import LogbookError
from logbook.domain.records import Record, RecordKind
from logbook.services.drafts import Draft
from logbook.services.logbook import Logbook
from logbook.ui.editors.dialog import RecordEditorDialog
from logbook.ui.editors.fields import FormContext
from logbook.ui.editors.host import EditorHost
from logbook.ui.editors.kinds import FORMS

MODES = ("new", "edit", "duplicate")


def draft_record(draft: Draft) -> tuple[RecordKind, str, Record]:
    """The kind, mode and record of an entry form's draft.

    Raises:
        LogbookError: the draft cannot be read back (written by another version, say).
    """
    content: dict[str, Any] = draft.content
    try:
        kind = RecordKind(content["kind"])
        mode = str(content["mode"])
        record = decode(kind, content["record"])
    except (KeyError, ValueError, TypeError, LogbookError):
        raise LogbookError("This unsaved entry cannot be read back.") from None
    if kind not in FORMS or mode not in MODES:
        raise LogbookError("This unsaved entry cannot be read back.")
    return kind, mode, record


def describe_draft(draft: Draft) -> str:
    """What the user was doing, for "You were … when Practice Logbook last closed"."""
    kind, mode, record = draft_record(draft)
    definition = FORMS[kind]
    noun = "feedback entry" if definition.noun == "feedback" else definition.noun
    if mode == "edit":
        described = name_of(record, or_date=True)
        return f"editing the {noun} “{described}”" if described else f"editing a {noun}"
    return f"writing a new {noun}"


def reopen(
    draft: Draft, logbook: Logbook, host: EditorHost, parent: QWidget | None = None
) -> RecordEditorDialog:
    """The entry form of ``draft``, filled in with what was typed; it carries the draft on.

    Raises:
        LogbookError: the draft cannot be read back.
    """
    kind, mode, record = draft_record(draft)
    context = FormContext(logbook, host, parent)
    dialog = RecordEditorDialog(FORMS[kind], context, record, mode, parent)  # type: ignore[arg-type]
    dialog.draft.adopt(draft.name)
    return dialog
