"""Never lose typing: drafts of open forms, and asking before a changed form is thrown away.

A form owns a :class:`DraftKeeper`. The keeper writes the form's draft (``DraftService``) a
moment after each change and every few seconds while the form is open, only when it differs
from the form as it was opened and from what was last written; it deletes the draft when the
form is saved or deliberately discarded. :func:`ask_discard` is the one "Discard changes?"
question, with the platform's standard Save, Discard and Cancel buttons.
"""

from __future__ import annotations

import inspect
import json
import uuid
import weakref
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.services.drafts import DraftService

# A crash loses at most this much typing: a pause in typing is written down after DEBOUNCE_MS,
# and a long stretch of typing without a pause every EVERY_MS.
DEBOUNCE_MS = 1200
EVERY_MS = 4000

Button = QMessageBox.StandardButton
_OPEN: weakref.WeakSet[DraftKeeper] = weakref.WeakSet()


def open_keepers() -> list[DraftKeeper]:
    """The keepers of the forms still open."""
    return list(_OPEN)


def new_name(prefix: str) -> str:
    """A name for a new draft, unique among the open forms."""
    return f"{prefix}{uuid.uuid4().hex}"


def widget_state(widgets: Iterable[QWidget]) -> tuple[object, ...]:
    """What ``widgets`` hold, in a form that compares equal when nothing was changed.

    Only the inputs a form names are read: looking through every child (``findChildren``)
    would wrap Qt's own internal widgets, which Qt may delete behind Python's back.
    """
    state: list[object] = []
    for widget in widgets:
        if isinstance(widget, QLineEdit):
            state.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            state.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            state.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            state.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            state.append(widget.isChecked())
        elif isinstance(widget, QListWidget):
            state.append(tuple(widget.item(i).checkState() for i in range(widget.count())))
        else:
            state.append(None)  # still counted: adding or removing a row is a change
    return tuple(state)


class DraftKeeper:
    """Writes one form's draft while it is open and deletes it when the form is done with.

    Args:
        owner: The form's window (the keeper lives and stops with it).
        drafts: Where drafts go (None: nowhere, as for a form with no logbook behind it).
        name: The draft's name.
        capture: What to write: a JSON-ready dict of what the form holds.
        state: What the inputs hold (see :func:`widget_state`), to tell a changed form.
    """

    def __init__(
        self,
        owner: QWidget,
        drafts: DraftService | None,
        name: str,
        capture: Callable[[], dict[str, Any]],
        state: Callable[[], object],
    ) -> None:
        self.drafts = drafts
        self.name = name
        # Held weakly: a cycle through the form's window would keep its Python side alive
        # after Qt deleted it, and collecting it later crashes PySide.
        self._capture = _weakly(capture)
        self._state = _weakly(state)
        self._opened_as = state()
        self._restored = False
        self._written: str | None = None
        # Plain timers on the form's window: they stop when it goes.
        self._soon = QTimer(owner)
        self._soon.setSingleShot(True)
        self._soon.setInterval(DEBOUNCE_MS)
        self._soon.timeout.connect(self.write)
        self._every = QTimer(owner)
        self._every.setInterval(EVERY_MS)
        self._every.setTimerType(Qt.TimerType.CoarseTimer)
        self._every.timeout.connect(self.write)
        if drafts is not None:
            self._every.start()
        _OPEN.add(self)

    def changed_soon(self, *_: object) -> None:
        """Something was typed: write the draft once typing pauses."""
        if self.drafts is not None:
            self._soon.start()

    def adopt(self, name: str) -> None:
        """Carry on an earlier draft: the form counts as changed until saved or discarded."""
        self.name = name
        self._restored = True

    def rebase(self) -> None:
        """Count the form as it is now as unchanged (its draft stays until written again)."""
        with suppress(ValueError, RuntimeError):  # the form is gone: nothing to count
            self._opened_as = self._state()
        self._restored = False

    def changed(self) -> bool:
        return self._restored or self._state() != self._opened_as

    def write(self) -> None:
        """Write the draft now if the form differs from what was opened and last written."""
        if self.drafts is None:
            return
        if not self.changed():
            if self._written is not None:
                self._remove()  # typed back to how it was: nothing to offer later
            return
        try:
            content = self._capture()
            text = json.dumps(content, sort_keys=True)
        except (TypeError, ValueError):
            return  # not readable as a draft right now; the next change tries again
        if text == self._written:
            return
        try:
            self.drafts.keep(self.name, content)
        except LogbookError:
            return  # locked, or the disk is full: the next tick tries again
        self._written = text

    def keep_now(self) -> bool:
        """Write the draft now, changed or not; whether it is stored."""
        if self.drafts is None:
            return False
        try:
            content = self._capture()
            self.drafts.keep(self.name, content)
        except (TypeError, ValueError, LogbookError):
            return False
        self._written = json.dumps(content, sort_keys=True)
        return True

    def stop(self) -> None:
        """Stop writing; the draft stays, to be offered again."""
        self._soon.stop()
        self._every.stop()
        _OPEN.discard(self)

    def finish(self) -> None:
        """The form was saved or deliberately discarded: its draft goes."""
        self.stop()
        self._remove()

    def _remove(self) -> None:
        self._written = None
        if self.drafts is None:
            return
        with suppress(LogbookError):  # if not, offered at the next start, to discard there
            self.drafts.discard(self.name)


def _weakly(method: Callable[[], Any]) -> Callable[[], Any]:
    """``method`` without a strong reference to its object (a plain function as it is)."""
    if not inspect.ismethod(method):
        return method
    ref = weakref.WeakMethod(method)

    def call() -> Any:
        alive = ref()
        if alive is None:
            raise ValueError("the form is gone")
        return alive()

    return call


def ask_discard(parent: QWidget, detail: str, *, save_text: str = "") -> Button:
    """Ask "Discard changes?"; the button chosen (Cancel when the box is closed).

    Args:
        parent: The window the question is asked over.
        detail: A sentence on what would be lost.
        save_text: Another text for Save, where saving means something else ("Save for later").
    """
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unsaved changes",
        "Discard changes?",
        Button.Save | Button.Discard | Button.Cancel,
        parent,
    )
    box.setInformativeText(detail)
    box.setDefaultButton(Button.Save)
    box.setEscapeButton(Button.Cancel)
    if save_text:
        box.button(Button.Save).setText(save_text)
    box.setObjectName("discardChanges")
    box.exec()
    clicked = box.clickedButton()
    return box.standardButton(clicked) if clicked is not None else Button.Cancel
