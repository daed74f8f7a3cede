"""The declarative field layer: a form is a list of ``FieldSpec``; each field type has one editor.

An editor owns one record field (a reflection also owns its private/shareable flag), loads it
from a record, reads it back (raising ``InputError`` for text it cannot understand, such as a
duration of "an hour-ish") and tells the form when it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.choices import Choice
from logbook.domain.durations import hours, parse_duration
from logbook.domain.records import Record, RecordKind
from logbook.ui.editors.style import palette_colours

if TYPE_CHECKING:
    from logbook.services.logbook import Logbook
    from logbook.ui.editors.host import EditorHost

Values = Mapping[str, Any]
KEEP: Any = object()

# Widths (in average characters) that keep short inputs short and long ones readable.
_SHORT = 14
_MEDIUM = 30
DATE_FORMAT = "d MMM yyyy"


class InputError(ValueError):
    """Text in a field that cannot be read as its type; ``field`` is the record field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form.

    Attributes:
        name: The record field it edits.
        label: The label people read (also the control's accessible name).
        editor: The kind of input: line, text, reflection, privacy, date, optional_date, duration,
            choice, reference, bool, int, float, list, rows.
        choices: The vocabulary of a ``choice`` field.
        optional: Whether a choice or reference may be left empty.
        ref_kind: The kind a ``reference`` field points to.
        hint: Placeholder or short help shown with the field.
        private_field: For a ``reflection``: the bool field that keeps it private.
        guard: Whether the privacy guard watches the text (off for the names and emails of
            supervisors, which are meant to be there).
        minimum, maximum, suffix: Bounds and unit of number fields.
        visible: Shows the field only when this returns True for the current values.
        dynamic_label: A label that follows the current values ("Supervisor" / "Supervisee").
        completions: Suggestions for a ``list`` or ``line`` field.
        rows: For ``rows``: the sub-fields of each row and the value type they build (the
            first ``first_line`` sub-fields go on the row's first line, the rest below).
        when_hidden: What the field saves while ``visible`` hides it (``KEEP``: its value in
            the record being edited), so a hidden field never saves a stale value.
    """

    name: str
    label: str
    editor: str
    choices: type[Choice] | None = None
    optional: bool = False
    ref_kind: RecordKind | None = None
    hint: str = ""
    private_field: str = ""
    guard: bool = True
    minimum: float = 0
    maximum: float = 1000
    suffix: str = ""
    visible: Callable[[Values], bool] | None = None
    dynamic_label: Callable[[Values], str] | None = None
    completions: tuple[str, ...] = ()
    rows: RowsSpec | None = None
    when_hidden: Any = None


@dataclass(frozen=True)
class RowsSpec:
    """A repeating group: each row edits one value object (a role, a registration)."""

    item_label: str
    fields: tuple[FieldSpec, ...]
    build: Callable[..., Any]
    add_text: str = "Add"
    first_line: int = 1


@dataclass
class FormContext:
    """What editors need from outside the form: the logbook (for pickers) and the host."""

    logbook: Logbook
    host: EditorHost
    parent: QWidget | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _characters(widget: QWidget, count: int) -> int:
    return widget.fontMetrics().averageCharWidth() * count + 24


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _compact(widget: QWidget, *others: QWidget) -> QWidget:
    """A row that keeps short inputs at their natural width instead of stretching."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    layout.addWidget(widget)
    for other in others:
        layout.addWidget(other)
    layout.addStretch(1)
    return row


class FieldEditor:
    """The widgets editing one field. Subclasses fill ``widget`` and ``focus_widget``."""

    widget: QWidget
    focus_widget: QWidget

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        self.spec = spec
        self.context = context
        self._callbacks: list[Callable[[], None]] = []

    def fields(self) -> tuple[str, ...]:
        """The record fields this editor owns (problems about them are shown here)."""
        return (self.spec.name,)

    def load(self, record: Record) -> None:
        raise NotImplementedError

    def read(self) -> dict[str, Any]:
        raise NotImplementedError

    def text_inputs(self) -> list[QLineEdit | QPlainTextEdit]:
        """Free-text inputs the privacy guard should watch."""
        return []

    def controls(self) -> list[QWidget]:
        """Every focusable control, in Tab order."""
        return [self.focus_widget]

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self, *_: object) -> None:
        for callback in self._callbacks:
            callback()

    def set_accessible(self, label: str) -> None:
        self.focus_widget.setAccessibleName(label)


class LineEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(spec.hint)
        self.edit.setMinimumWidth(_characters(self.edit, _MEDIUM))
        if spec.completions:
            completer = QCompleter(list(spec.completions), self.edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.edit.setCompleter(completer)
        self.edit.textChanged.connect(self._changed)
        self.widget = self.focus_widget = self.edit

    def load(self, record: Record) -> None:
        self.edit.setText(str(getattr(record, self.spec.name) or ""))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: self.edit.text().strip()}

    def text_inputs(self) -> list[QLineEdit | QPlainTextEdit]:
        return [self.edit] if self.spec.guard else []


class ListEditor(LineEditor):
    """A list of short texts typed with commas between them (themes, roles, client groups)."""

    def load(self, record: Record) -> None:
        self.edit.setText(", ".join(getattr(record, self.spec.name)))

    def read(self) -> dict[str, Any]:
        items = (part.strip() for part in self.edit.text().split(","))
        return {self.spec.name: tuple(dict.fromkeys(item for item in items if item))}


class TextEditor(FieldEditor):
    """Several lines of text; Tab moves on (Ctrl+Enter saves), so the form stays keyboard-led."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(spec.hint)
        lines = 4
        self.edit.setFixedHeight(
            self.edit.fontMetrics().lineSpacing() * lines
            + 2 * int(self.edit.document().documentMargin())
            + 6
        )
        self.edit.setMinimumWidth(_characters(self.edit, 48))
        self.edit.textChanged.connect(self._changed)
        self.widget = self.focus_widget = self.edit

    def load(self, record: Record) -> None:
        self.edit.setPlainText(getattr(record, self.spec.name) or "")

    def read(self) -> dict[str, Any]:
        return {self.spec.name: self.edit.toPlainText().strip()}

    def text_inputs(self) -> list[QLineEdit | QPlainTextEdit]:
        return [self.edit] if self.spec.guard else []


PRIVATE_TEXT = "Private (never exported)"
SHAREABLE_TEXT = "Shareable (may be exported and signed)"


class PrivacyChoice(QWidget):
    """The two-way private / shareable switch under a reflection, private by default."""

    def __init__(self, subject: str) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.private = QRadioButton(PRIVATE_TEXT)
        self.shareable = QRadioButton(SHAREABLE_TEXT)
        self.private.setAccessibleName(f"{subject}: private, never exported")
        self.shareable.setAccessibleName(f"{subject}: shareable, may be exported and signed")
        self.group = QButtonGroup(self)
        self.group.addButton(self.private)
        self.group.addButton(self.shareable)
        self.private.setChecked(True)
        layout.addWidget(self.private)
        layout.addWidget(self.shareable)
        layout.addStretch(1)

    def is_private(self) -> bool:
        return not self.shareable.isChecked()

    def set_private(self, private: bool) -> None:
        (self.private if private else self.shareable).setChecked(True)


class ReflectionEditor(TextEditor):
    """A reflection with its private / shareable switch (private unless the user says so)."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.choice = PrivacyChoice(spec.label)
        self.choice.group.buttonToggled.connect(self._changed)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.choice)
        self.widget = box

    def fields(self) -> tuple[str, ...]:
        return (self.spec.name, self.spec.private_field)

    def load(self, record: Record) -> None:
        super().load(record)
        self.choice.set_private(bool(getattr(record, self.spec.private_field)))

    def read(self) -> dict[str, Any]:
        return {**super().read(), self.spec.private_field: self.choice.is_private()}

    def controls(self) -> list[QWidget]:
        return [self.edit, self.choice.private, self.choice.shareable]


class PrivacyEditor(FieldEditor):
    """A whole record kept private or made shareable (a reflective account)."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.choice = PrivacyChoice(spec.label)
        self.choice.group.buttonToggled.connect(self._changed)
        self.widget = self.choice
        self.focus_widget = self.choice.private

    def load(self, record: Record) -> None:
        self.choice.set_private(bool(getattr(record, self.spec.name)))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: self.choice.is_private()}

    def controls(self) -> list[QWidget]:
        return [self.choice.private, self.choice.shareable]

    def set_accessible(self, label: str) -> None:
        pass  # each radio button already names itself


class DateEdit(QDateEdit):
    """A date input that Tab leaves at once (day, month and year stay reachable with the
    arrow keys), so dates do not cost three key presses each in a keyboard-led form."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


def _date_edit() -> QDateEdit:
    edit = DateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setMinimumDate(QDate(1950, 1, 1))
    edit.setMaximumDate(QDate(2100, 12, 31))
    edit.setFixedWidth(_characters(edit, _SHORT))
    edit.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return edit


class DateEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.edit = _date_edit()
        self.edit.setDate(_qdate(date.today()))
        self.edit.dateChanged.connect(self._changed)
        self.focus_widget = self.edit
        self.widget = _compact(self.edit)

    def load(self, record: Record) -> None:
        self.edit.setDate(_qdate(getattr(record, self.spec.name)))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: _pydate(self.edit.date())}


class OptionalDateEditor(FieldEditor):
    """A date that may be left unset: a check box turns the date on."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.check = QCheckBox(spec.hint or spec.label)
        self.edit = _date_edit()
        self.edit.setDate(_qdate(date.today()))
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self._changed)
        self.edit.dateChanged.connect(self._changed)
        self.focus_widget = self.check
        self.widget = _compact(self.check, self.edit)

    def load(self, record: Record) -> None:
        value = getattr(record, self.spec.name)
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(_qdate(value))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: _pydate(self.edit.date()) if self.check.isChecked() else None}

    def controls(self) -> list[QWidget]:
        return [self.check, self.edit]

    def set_accessible(self, label: str) -> None:
        self.check.setAccessibleName(f"{label}: set a date")
        self.edit.setAccessibleName(label)


class DurationEditor(FieldEditor):
    """Minutes typed as 90, 1:30 or 1.5h, with the hours it reads shown beside it."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(spec.hint or "90, 1:30 or 1.5h")
        self.edit.setFixedWidth(_characters(self.edit, _SHORT))
        self.reading = QLabel()
        self.reading.setMinimumWidth(_characters(self.reading, 16))
        self.edit.textChanged.connect(self._show_reading)
        self.edit.textChanged.connect(self._changed)
        self.focus_widget = self.edit
        self.widget = _compact(self.edit, self.reading)

    def _show_reading(self, text: str) -> None:
        try:
            minutes = parse_duration(text)
        except ValueError:
            self.reading.setText("" if not text.strip() else "not a duration yet")
        else:
            self.reading.setText(f"= {hours(minutes)} hours ({minutes} min)")

    def set_minutes(self, minutes: int) -> None:
        self.edit.setText(_format_minutes(minutes))

    def load(self, record: Record) -> None:
        minutes = getattr(record, self.spec.name)
        self.edit.setText(_format_minutes(minutes) if minutes else "")

    def read(self) -> dict[str, Any]:
        text = self.edit.text()
        if not text.strip():
            raise InputError(self.spec.name, "duration is required: type minutes, 1:30 or 1.5h")
        try:
            return {self.spec.name: parse_duration(text)}
        except ValueError as error:
            raise InputError(self.spec.name, str(error)) from None


def _format_minutes(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}" if minutes >= 60 else str(minutes)


def _combo() -> QComboBox:
    """A combo box of one shared width, so pickers line up; its list opens as wide as needed."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(_MEDIUM)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    return combo


class ChoiceEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        assert spec.choices is not None
        self.combo: QComboBox = _combo()
        if spec.optional:
            self.combo.addItem("— not recorded —", None)
        for member in spec.choices:
            self.combo.addItem(member.label, member.value)
        self.combo.currentIndexChanged.connect(self._changed)
        self.focus_widget = self.combo
        self.widget = _compact(self.combo)

    def load(self, record: Record) -> None:
        value = getattr(record, self.spec.name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(None if value is None else value)))

    def read(self) -> dict[str, Any]:
        value = self.combo.currentData()
        assert self.spec.choices is not None
        return {self.spec.name: None if value is None else self.spec.choices(value)}

    def set_value(self, value: Choice | None) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))


def record_title(record: Record) -> str:
    """How a referenced record is named in pickers."""
    name = getattr(record, "name", None) or getattr(record, "title", None) or ""
    return str(name)


class ReferenceEditor(FieldEditor):
    """A picker of people, organisations, courses or pathways, with a "New…" button."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        assert spec.ref_kind is not None
        self.kind = spec.ref_kind
        self.combo: QComboBox = _combo()
        self.combo.setPlaceholderText(f"Choose a {_kind_noun(self.kind)}…")
        self.combo.currentIndexChanged.connect(self._changed)
        self.new_button = QPushButton(f"New {_kind_noun(self.kind)}…")
        self.new_button.setAutoDefault(False)
        self.new_button.setAccessibleName(f"Add a new {_kind_noun(self.kind)} for {spec.label}")
        self.new_button.clicked.connect(self.add_new)
        self.records: dict[str, Record] = {}
        self.reload()
        self.focus_widget = self.combo
        self.widget = _compact(self.combo, self.new_button)

    def reload(self, select: str | None = None) -> None:
        current = select if select is not None else self.combo.currentData()
        found = sorted(
            self.context.logbook.records.all(self.kind), key=lambda r: record_title(r).lower()
        )
        self.records = {r.uid: r for r in found}
        with QSignalBlocker(self.combo):
            self.combo.clear()
            if self.spec.optional:
                self.combo.addItem("— none —", None)
            for record in found:
                self.combo.addItem(record_title(record), record.uid)
            index = self.combo.findData(current)
            self.combo.setCurrentIndex(index if index >= 0 or not self.spec.optional else 0)
        self._changed()

    def add_new(self) -> None:
        """Open the editor of the referenced kind; select what it created."""
        from logbook.ui.editors import open_editor

        dialog = open_editor(
            self.kind, self.context.logbook, self.context.host, parent=self.combo.window()
        )
        if dialog.exec() and getattr(dialog, "saved", None):
            self.reload(select=dialog.saved[0].uid)  # type: ignore[attr-defined]
            self.combo.setFocus()

    def load(self, record: Record) -> None:
        self.set_uid(getattr(record, self.spec.name))

    def set_uid(self, uid: str | None) -> None:
        index = self.combo.findData(uid)
        if index < 0 and self.spec.optional:
            index = self.combo.findData(None)
        self.combo.setCurrentIndex(index)  # -1 shows "Choose a …" until one is chosen

    def read(self) -> dict[str, Any]:
        uid = self.combo.currentData()
        if uid is None and not self.spec.optional:
            noun = _kind_noun(self.kind)
            raise InputError(self.spec.name, f"choose a {noun}, or add one with “New {noun}…”")
        return {self.spec.name: uid}

    def selected(self) -> Record | None:
        uid = self.combo.currentData()
        return self.records.get(uid) if uid else None

    def controls(self) -> list[QWidget]:
        return [self.combo, self.new_button]


def _kind_noun(kind: RecordKind) -> str:
    return {
        RecordKind.PERSON: "person",
        RecordKind.ORGANISATION: "organisation",
        RecordKind.COURSE: "course",
        RecordKind.PATHWAY: "pathway",
    }.get(kind, kind.label.lower())


class BoolEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.check = QCheckBox(spec.hint or spec.label)
        self.check.toggled.connect(self._changed)
        self.widget = self.focus_widget = self.check

    def load(self, record: Record) -> None:
        self.check.setChecked(bool(getattr(record, self.spec.name)))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: self.check.isChecked()}


class IntEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.spin = QSpinBox()
        self.spin.setRange(int(spec.minimum), int(spec.maximum))
        if spec.suffix:
            self.spin.setSuffix(spec.suffix)
        self.spin.setMinimumWidth(_characters(self.spin, 10))
        self.spin.valueChanged.connect(self._changed)
        self.focus_widget = self.spin
        hint = QLabel(spec.hint) if spec.hint else None
        self.widget = _compact(self.spin, *([hint] if hint else []))

    def load(self, record: Record) -> None:
        value = getattr(record, self.spec.name)
        self.spin.setValue(int(value) if value is not None else int(self.spec.minimum))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: self.spin.value()}


class FloatEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(spec.minimum, spec.maximum)
        self.spin.setDecimals(1)
        self.spin.setSingleStep(0.5)
        if spec.suffix:
            self.spin.setSuffix(spec.suffix)
        self.spin.setMinimumWidth(_characters(self.spin, 10))
        self.spin.valueChanged.connect(self._changed)
        self.focus_widget = self.spin
        self.widget = _compact(self.spin)

    def load(self, record: Record) -> None:
        self.spin.setValue(float(getattr(record, self.spec.name)))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: round(self.spin.value() * 2) / 2}


class RowsEditor(FieldEditor):
    """A repeating group of small rows (roles over time, registrations), each removable."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        assert spec.rows is not None
        self.rows_spec = spec.rows
        self.rows: list[tuple[QWidget, list[FieldEditor], QPushButton]] = []
        self.box = QWidget()
        self.layout = QVBoxLayout(self.box)
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.layout.setSpacing(6)
        self.empty = QLabel(f"No {spec.label.lower()} yet.")
        self.empty.setEnabled(False)
        self.layout.addWidget(self.empty)
        self.add_button = QPushButton(spec.rows.add_text)
        self.add_button.setAutoDefault(False)
        self.add_button.setAccessibleName(spec.rows.add_text)
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.widget = self.box
        self.focus_widget = self.add_button
        self._controls_changed: list[Callable[[], None]] = []

    def on_controls_changed(self, callback: Callable[[], None]) -> None:
        self._controls_changed.append(callback)

    def add_row(self, value: Any = None, *, focus: bool = False) -> None:
        """Add a row (a card of two lines), filled from ``value`` if given."""
        row = QFrame()
        row.setObjectName("rowCard")
        colours = palette_colours(self.box)
        row.setStyleSheet(
            f"#rowCard {{ background: {colours.card_bg}; border: 1px solid "
            f"{colours.card_border}; border-radius: 6px; }}"
        )
        card = QVBoxLayout(row)
        card.setContentsMargins(8, 6, 8, 6)
        card.setSpacing(6)
        lines = [QHBoxLayout(), QHBoxLayout()]
        for line in lines:
            line.setSpacing(6)
            card.addLayout(line)
        editors: list[FieldEditor] = []
        for index, sub in enumerate(self.rows_spec.fields):
            line = lines[0 if index < self.rows_spec.first_line else 1]
            editor = make_editor(sub, self.context)
            if isinstance(editor, LineEditor):
                editor.edit.setMinimumWidth(_characters(editor.edit, 14))
                editor.edit.setPlaceholderText(sub.hint or sub.label)
            if isinstance(editor, ReferenceEditor):
                editor.combo.setMinimumContentsLength(14)
                editor.new_button.hide()  # rows stay compact; add people from their own form
            # A check box already names an optional date; a first-line text shows its hint.
            captioned = not isinstance(editor, OptionalDateEditor) and not (
                isinstance(editor, LineEditor) and index == 0
            )
            if captioned:
                caption = QLabel(sub.label)
                caption.setBuddy(editor.focus_widget)
                line.addWidget(caption)
            line.addWidget(editor.widget, 1 if isinstance(editor, LineEditor) else 0)
            editor.on_change(self._changed)
            if value is not None:
                editor.load(value)
            editors.append(editor)
        lines[1].addStretch(1)
        remove = QPushButton("Remove")
        remove.setAutoDefault(False)
        remove.clicked.connect(lambda: self.remove_row(row))
        lines[0].addWidget(remove)
        self.layout.insertWidget(self.layout.count() - 1, row)
        row.show()  # at once, not on the next event loop pass: focus may move to it now
        self.rows.append((row, editors, remove))
        self._renumber()
        self.empty.setVisible(False)
        for callback in self._controls_changed:
            callback()
        self._changed()
        if focus:
            editors[0].focus_widget.setFocus()

    def _renumber(self) -> None:
        """Keep each control's accessible name in step with its row's position."""
        item = self.rows_spec.item_label
        for number, (_, editors, remove) in enumerate(self.rows, 1):
            for editor in editors:
                editor.set_accessible(f"{item} {number}: {editor.spec.label}")
            remove.setAccessibleName(f"Remove {item.lower()} {number}")

    def remove_row(self, row: QWidget) -> None:
        self.rows = [r for r in self.rows if r[0] is not row]
        row.hide()
        row.deleteLater()
        self._renumber()
        self.empty.setVisible(not self.rows)
        for callback in self._controls_changed:
            callback()
        self._changed()
        self.add_button.setFocus()

    def load(self, record: Record) -> None:
        for row, _, _ in list(self.rows):
            self.remove_row(row)
        for item in getattr(record, self.spec.name):
            self.add_row(item)

    def read(self) -> dict[str, Any]:
        items = []
        for _, editors, _ in self.rows:
            values: dict[str, Any] = {}
            for editor in editors:
                values.update(editor.read())
            items.append(self.rows_spec.build(**values))
        return {self.spec.name: tuple(items)}

    def focus_for(self, problem_field: str) -> QWidget:
        """The control a problem such as ``roles[2].title`` is about."""
        try:
            index = int(problem_field.split("[", 1)[1].split("]", 1)[0]) - 1
            sub = problem_field.rsplit(".", 1)[1]
            editors = self.rows[index][1]
        except (IndexError, ValueError):
            return self.focus_widget
        for editor in editors:
            if sub in editor.fields():
                return editor.focus_widget
        return editors[0].focus_widget

    def controls(self) -> list[QWidget]:
        widgets: list[QWidget] = []
        split = self.rows_spec.first_line
        for _, editors, remove in self.rows:
            # In reading order: the first line and its Remove button, then the second line.
            for editor in editors[:split]:
                widgets.extend(editor.controls())
            widgets.append(remove)
            for editor in editors[split:]:
                widgets.extend(editor.controls())
        return [*widgets, self.add_button]

    def set_accessible(self, label: str) -> None:
        pass  # every control in a row names itself with its row number

    def text_inputs(self) -> list[QLineEdit | QPlainTextEdit]:
        return [i for _, editors, _ in self.rows for e in editors for i in e.text_inputs()]


EDITORS: dict[str, type[FieldEditor]] = {
    "line": LineEditor,
    "list": ListEditor,
    "text": TextEditor,
    "reflection": ReflectionEditor,
    "privacy": PrivacyEditor,
    "date": DateEditor,
    "optional_date": OptionalDateEditor,
    "duration": DurationEditor,
    "choice": ChoiceEditor,
    "reference": ReferenceEditor,
    "bool": BoolEditor,
    "int": IntEditor,
    "float": FloatEditor,
    "rows": RowsEditor,
}


def make_editor(spec: FieldSpec, context: FormContext) -> FieldEditor:
    """The editor for a field, by its type."""
    editor = EDITORS[spec.editor](spec, context)
    editor.set_accessible(spec.label)
    if not isinstance(editor.widget, QCheckBox):
        editor.widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return editor


def read_all(editors: Sequence[FieldEditor]) -> tuple[dict[str, Any], list[InputError]]:
    """Every editor's values, and the fields whose text could not be read."""
    values: dict[str, Any] = {}
    errors: list[InputError] = []
    for editor in editors:
        try:
            values.update(editor.read())
        except InputError as error:
            errors.append(error)
    return values, errors
