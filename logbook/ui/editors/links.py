"""Fields that follow a choice made in the same form, until the user changes them.

Picking a supervisor fills their organisation and usual session; picking a course fills its
population and role; a retreat's dates give its days; marking a milestone complete dates it.
What the user typed or chose in the form is never overwritten.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from logbook.services.logbook import Logbook
from logbook.ui.editors.form import RecordForm

Fill = Callable[[Mapping[str, Any], Logbook], dict[str, Any]]


@dataclass(frozen=True)
class Link:
    """When a field in ``sources`` changes, ``fill`` gives values for other fields.

    Attributes:
        derived: The filled value is worked out from the sources (retreat days from dates),
            so in a saved record it still follows them while it matches what they gave.
    """

    sources: tuple[str, ...]
    fill: Fill
    derived: bool = False


class Linker:
    """Keeps one form's links: watches every field, fills only those left alone."""

    def __init__(
        self,
        form: RecordForm,
        links: tuple[Link, ...],
        logbook: Logbook,
        *,
        editing: bool,
    ) -> None:
        self.form = form
        self.links = links
        self.logbook = logbook
        self.touched: set[str] = set()
        self._filling = False
        # Editing a saved record, a field already set was the user's choice: only fields
        # still empty (or derived and still matching their sources) may be filled.
        self.locked = self._locked_when_opened() if editing else set()
        for editor in form.editors:
            editor.on_change(partial(self._changed, editor.spec.name))

    def _locked_when_opened(self) -> set[str]:
        values = self.form.current_values()
        following: dict[str, Any] = {}
        for link in self.links:
            if link.derived:
                following.update(link.fill(values, self.logbook))
        return {
            name
            for name, value in values.items()
            if value not in (None, "", 0) and following.get(name, _NOTHING) != value
        }

    def _changed(self, name: str) -> None:
        if self._filling:
            return
        self.touched.add(name)
        for link in self.links:
            if name in link.sources:
                self._apply(link)

    def _apply(self, link: Link) -> None:
        values = self.form.current_values()
        for name, value in link.fill(values, self.logbook).items():
            if name not in self.form.rows or name in self.touched or name in self.locked:
                continue
            if values.get(name) != value:
                self._set(name, value)

    def _set(self, name: str, value: Any) -> None:
        """Put ``value`` in a field through its editor, without counting it as the user's."""
        self._filling = True
        try:
            self.form.editor(name).load(dataclasses.replace(self.form.base, **{name: value}))
        finally:
            self._filling = False


_NOTHING = object()


def link_fields(
    form: RecordForm, links: tuple[Link, ...], logbook: Logbook, *, editing: bool
) -> Linker | None:
    """Make ``form`` follow ``links``; None when the kind has none."""
    return Linker(form, links, logbook, editing=editing) if links else None
