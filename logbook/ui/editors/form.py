"""A record form built from field specs: aligned rows, inline problems, the privacy guard.

The form never saves. It turns what the user typed into a record (``collect``), shows problems
next to the fields they name (``show_problems``), and keeps every keystroke when saving fails.
The first-run welcome embeds it directly; editors wrap it in ``RecordEditorDialog``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError, Problem
from logbook.domain.periods import Period
from logbook.domain.plausibility import WATCHED_KINDS, Doubt, doubts
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, entry_date
from logbook.domain.timing import date_rule, future_problems
from logbook.domain.validation import validate
from logbook.ui.editors.fields import (
    KEEP,
    BoolEditor,
    DateEditor,
    FieldEditor,
    FieldSpec,
    FormContext,
    InputError,
    RowsEditor,
    make_editor,
)
from logbook.ui.editors.guard import PrivacyGuard, PrivacyNotice
from logbook.ui.editors.style import palette_colours

# Problem field names that differ from the record field they are about.
FIELD_ALIASES = {"duration": "duration_minutes"}


@dataclass(frozen=True)
class Section:
    """A titled group of fields ("Session", "Content", "Reflection")."""

    title: str
    fields: tuple[FieldSpec, ...]


class ProblemLabel(QWidget):
    """An inline problem under a field: icon plus words, readable without colour."""

    def __init__(self, field_label: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(6)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setStyleSheet(f"color: {palette_colours(self).error_text};")
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        self.setAccessibleName(f"Problem with {field_label}")
        self.hide()

    def show_message(self, message: str) -> None:
        self.text.setText(message[:1].upper() + message[1:])
        self.setAccessibleDescription(self.text.text())
        self.show()


class FieldRow(QWidget):
    """The field column of one form row: the editor, its problem and its privacy notices."""

    def __init__(self, editor: FieldEditor, label: str) -> None:
        super().__init__()
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(editor.widget)
        self.problem = ProblemLabel(label)
        layout.addWidget(self.problem)
        self.notices: list[PrivacyNotice] = []
        for _ in editor.text_inputs():
            notice = PrivacyNotice(label)
            layout.addWidget(notice)
            self.notices.append(notice)


class RecordForm(QWidget):
    """The fields of one record, laid out as an aligned form.

    Signals:
        changed: Any value changed.
        kept: The user chose "Keep anyway" on a privacy warning.
    """

    changed = Signal()
    kept = Signal()

    def __init__(
        self,
        sections: Sequence[Section],
        base: Record,
        context: FormContext,
        parent: QWidget | None = None,
        *,
        saved_before: Record | None = None,
    ) -> None:
        super().__init__(parent)
        self.base = base
        self.context = context
        self.sections = tuple(sections)
        self.editors: list[FieldEditor] = []
        self.rows: dict[str, FieldRow] = {}
        self.labels: dict[str, QLabel] = {}
        self.guards: list[PrivacyGuard] = []
        self._hidden: set[str] = set()
        # The record as saved, when editing one: a date it already had is not refused again,
        # and what was asked about when it was saved is not asked again.
        self.saved_before = saved_before

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(10)

        for index, section in enumerate(self.sections):
            if section.title:
                self.form.addRow(self._heading(section.title, first=index == 0))
            for spec in section.fields:
                self._add_field(spec)
        self.load(base)
        self._refresh()

    # --- building ----------------------------------------------------------------------------

    def _heading(self, title: str, *, first: bool) -> QLabel:
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.08)
        heading.setFont(font)
        heading.setContentsMargins(0, 0 if first else 12, 0, 2)
        heading.setAccessibleName(f"Section: {title}")
        return heading

    def _add_field(self, spec: FieldSpec) -> None:
        editor = make_editor(spec, self.context)
        row = FieldRow(editor, spec.label)
        label = QLabel("" if isinstance(editor, BoolEditor) else spec.label)
        label.setBuddy(editor.focus_widget)
        # Align the label with the first line of the editor, whatever its height.
        label.setMinimumHeight(editor.focus_widget.sizeHint().height())
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if isinstance(editor, RowsEditor | BoolEditor) or spec.editor in ("text", "reflection"):
            label.setMinimumHeight(0)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 4, 0, 0)
        self.form.addRow(label, row)
        self.editors.append(editor)
        self.rows[spec.name] = row
        self.labels[spec.name] = label
        editor.on_change(self._refresh)
        if isinstance(editor, DateEditor):
            editor.on_problem(partial(_show_live, row))
        for edit, notice in zip(editor.text_inputs(), row.notices, strict=True):
            guard = PrivacyGuard(edit, notice, on_keep=self.kept.emit)
            guard.field_name = spec.name
            self.guards.append(guard)

    def add_extra(self, title: str, label: str, widget: QWidget) -> None:
        """Append a section whose one row is not a record field (a series, attachments)."""
        self.form.addRow(self._heading(title, first=False))
        caption = QLabel(label)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        caption.setContentsMargins(0, 4, 0, 0)
        self.form.addRow(caption, widget)

    # --- values ------------------------------------------------------------------------------

    def editor(self, name: str) -> FieldEditor:
        """The editor of a record field."""
        return self.rows[name].editor

    def load(self, record: Record) -> None:
        for editor in self.editors:
            editor.load(record)

    def current_values(self) -> dict[str, Any]:
        """What the fields hold now, skipping any that cannot be read yet."""
        values: dict[str, Any] = {}
        for editor in self.editors:
            try:
                values.update(editor.read())
            except InputError:
                continue
        return values

    def _refresh(self) -> None:
        values = self.current_values()
        for editor in self.editors:
            spec = editor.spec
            if spec.visible is not None:
                shown = spec.visible(values)
                self.form.setRowVisible(self.rows[spec.name], shown)
                (self._hidden.discard if shown else self._hidden.add)(spec.name)
            if spec.dynamic_label is not None:
                text = spec.dynamic_label(values)
                self.labels[spec.name].setText(text)
                editor.set_accessible(text)
            if isinstance(editor, DateEditor):
                rule = date_rule(self.base.kind, spec.name, values)
                kept = getattr(self.saved_before, spec.name, None)
                editor.set_rule(rule, kept if isinstance(kept, date) else None)
        self.changed.emit()

    def collect(self) -> tuple[Record, list[Problem]]:
        """The record the form describes, and every problem with it (empty: it can be saved).

        Text that cannot be read (a duration of "soon") is reported against its field; the
        rest of the record is still validated so every problem shows at once.
        """
        values: dict[str, Any] = {}
        unreadable: list[Problem] = []
        for editor in self.editors:
            spec = editor.spec
            if spec.name in self._hidden:
                values[spec.name] = self._hidden_value(spec)
                continue
            try:
                values.update(editor.read())
            except InputError as error:
                unreadable.append(Problem(error.field, error.message))
        record = dataclasses.replace(self.base, **values)
        broken = {p.field for p in unreadable}
        found = [*validate(record), *future_problems(record, date.today(), self.saved_before)]
        problems = unreadable + [p for p in found if _field_of(p.field) not in broken and p.field]
        return record, problems

    def _hidden_value(self, spec: FieldSpec) -> Any:
        """What a hidden field saves: its ``when_hidden``, or for ``KEEP`` what the entry had
        when saved before (a new entry saves the field's empty value, not a default)."""
        if spec.when_hidden is not KEEP:
            return spec.when_hidden
        if self.saved_before is not None:
            return getattr(self.saved_before, spec.name)
        empty = next(f for f in dataclasses.fields(self.base) if f.name == spec.name)
        return empty.default

    def doubts(self, records: Sequence[Record]) -> list[Doubt]:
        """What looks like a slip in ``records`` (a long session, a copy), to ask about."""
        watched = [r for r in records if r.kind in WATCHED_KINDS and entry_date(r)]
        if not watched:
            return []
        days = [d for r in watched if (d := entry_date(r)) is not None]
        period = Period(min(days), max(days))
        try:
            logged = self.context.logbook.records.query(
                RecordQuery(watched[0].kind, period=period, limit=None)
            )
        except LogbookError:
            logged = []  # the day's entries cannot be read: saving will say why, if it fails
        found: dict[str, Doubt] = {}
        for record in watched:
            same_day = [r for r in logged if entry_date(r) == entry_date(record)]
            for doubt in doubts(record, same_day, self.saved_before):
                found.setdefault(doubt.message, doubt)
        return list(found.values())

    # --- problems ----------------------------------------------------------------------------

    def clear_problems(self) -> None:
        for row in self.rows.values():
            row.problem.hide()
            row.editor.focus_widget.setAccessibleDescription("")

    def show_problems(self, problems: Sequence[Problem]) -> list[Problem]:
        """Show each problem under its field and focus the first one in form order.

        Returns:
            The problems that name no field of this form (for a message above the form).
        """
        self.clear_problems()
        placed: dict[str, list[str]] = {}
        focus_targets: dict[str, QWidget] = {}
        elsewhere: list[Problem] = []
        for problem in problems:
            name = _field_of(problem.field)
            row = self._row_for(name)
            if row is None:
                elsewhere.append(problem)
                continue
            prefix = f"{problem.source}: " if problem.source else ""
            placed.setdefault(row.editor.spec.name, []).append(prefix + problem.message)
            if row.editor.spec.name not in focus_targets:
                editor = row.editor
                target = (
                    editor.focus_for(problem.field)
                    if isinstance(editor, RowsEditor)
                    else editor.focus_widget
                )
                focus_targets[row.editor.spec.name] = target
        for name, messages in placed.items():
            row = self.rows[name]
            text = "; ".join(dict.fromkeys(messages))
            row.problem.show_message(text)
            row.editor.focus_widget.setAccessibleDescription(f"Problem: {text}")
        for editor in self.editors:
            if editor.spec.name in focus_targets:
                focus_targets[editor.spec.name].setFocus(Qt.FocusReason.OtherFocusReason)
                break
        return elsewhere

    def _row_for(self, name: str) -> FieldRow | None:
        for row in self.rows.values():
            if name in row.editor.fields():
                return row
        return None

    def problem_text(self, name: str) -> str:
        """The problem shown under a field ('' if none), for tests and assistive summaries."""
        row = self.rows[name]
        return row.problem.text.text() if not row.problem.isHidden() else ""

    # --- privacy -----------------------------------------------------------------------------

    def unkept_privacy_warnings(self, *, pressing: bool = False) -> list[PrivacyGuard]:
        """Check every visible text field now; the guards whose warnings were not kept."""
        waiting = []
        for guard in self.guards:
            if guard.field_name in self._hidden:
                continue
            if guard.check(pressing=pressing):
                waiting.append(guard)
        return waiting

    # --- keyboard ----------------------------------------------------------------------------

    def controls(self) -> list[QWidget]:
        """Every focusable control in form order (hidden rows included; Qt skips them)."""
        found: list[QWidget] = []
        for editor in self.editors:
            found.extend(editor.controls())
            row = self.rows[editor.spec.name]
            found.extend(notice.keep_button for notice in row.notices)
        return found


def _show_live(row: FieldRow, message: str) -> None:
    """A date's problem as soon as the field is left, gone as soon as it is put right."""
    if message:
        row.problem.show_message(message)
    else:
        row.problem.hide()
    row.editor.focus_widget.setAccessibleDescription(f"Problem: {message}" if message else "")


def _field_of(problem_field: str) -> str:
    base = problem_field.split("[", 1)[0].split(".", 1)[0]
    return FIELD_ALIASES.get(base, base)
