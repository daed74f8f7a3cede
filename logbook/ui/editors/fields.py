"""The declarative field layer: a form is a list of ``FieldSpec``; each field type has one editor.

An editor owns one record field (a reflection also owns its private/shareable flag), loads it
from a record, reads it back (raising ``InputError`` for text it cannot understand, such as a
duration of "an hour-ish") and tells the form when it changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QPoint, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
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
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import KINDS, name_of
from logbook.domain.choices import Choice
from logbook.domain.dates import EARLIEST, LATEST, describe_date, format_date, parse_date
from logbook.domain.durations import hours, parse_duration
from logbook.domain.errors import LogbookError
from logbook.domain.records import Record, RecordKind
from logbook.domain.timing import ANY_DATE, DateRule
from logbook.ui.editors.style import palette_colours
from logbook.ui.layouts import FlowLayout

if TYPE_CHECKING:
    from logbook.services.logbook import Logbook
    from logbook.ui.editors.host import EditorHost

Values = Mapping[str, Any]
KEEP: Any = object()

# Widths (in average characters) that keep short inputs short and long ones readable.
_SHORT = 14
_MEDIUM = 30


class InputError(LogbookError, ValueError):
    """Text in a field that cannot be read as its type; ``field`` is the record field.

    Also a ``ValueError``, like the parsing errors of dates and durations it reports.
    """

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
            optional_duration, choice, choices, reference, references, bool, int, float, list,
            rows.
        choices: The vocabulary of a ``choice`` or ``choices`` field.
        optional: Whether a choice, reference or number may be left empty (an empty duration
            then reads as 0 minutes, and validation says whether that will do; an empty
            number as none).
        ref_kind: The kind a ``reference`` or ``references`` field points to.
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
        when_hidden: What the field saves while ``visible`` hides it (``KEEP``: what the entry
            had when saved before; a new entry's empty value), so a hidden field never saves a
            stale value nor loses an older entry's.
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
    """One line of text, trimmed, with the field's suggestions offered as the user types."""

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


class ChoiceListEditor(ListEditor):
    """Several choices of one vocabulary, typed as a list is (labels or values, with commas
    between them) and suggested as the user types."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        assert spec.choices is not None
        self.choices = spec.choices
        labels = tuple(member.label for member in spec.choices)
        super().__init__(replace(spec, completions=labels), context)
        self.edit.setToolTip("One or more of: " + "; ".join(labels))

    def load(self, record: Record) -> None:
        self.edit.setText(", ".join(member.label for member in getattr(record, self.spec.name)))

    def read(self) -> dict[str, Any]:
        items = (part.strip() for part in self.edit.text().split(","))
        chosen: dict[Choice, None] = {}
        for item in items:
            if not item:
                continue
            try:
                chosen[self.choices.parse(item)] = None
            except ValueError:
                shown = "; ".join(member.label for member in self.choices)
                raise InputError(self.spec.name, f"“{item}” is not one of: {shown}") from None
        return {self.spec.name: tuple(chosen)}

    def text_inputs(self) -> list[QLineEdit | QPlainTextEdit]:
        return []  # only the vocabulary's words are kept: nothing for the privacy guard


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


DATE_TIP = (
    "Type a date, day first: 25/11/2026, 25/11/26, 25 Nov 2026, 25 Nov, today, yesterday, "
    "Monday (the most recent), last Monday or next Monday.\n"
    "Up and Down change the day; Alt+Down opens a calendar."
)


class CalendarPopup(QFrame):
    """A month calendar under a date field, for choosing a date with the mouse."""

    picked = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)  # UK weeks start on Monday
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumDate(_qdate(EARLIEST))
        self.calendar.setMaximumDate(_qdate(LATEST))
        self.calendar.setAccessibleName("Calendar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)  # Enter on the chosen day

    def open_at(self, anchor: QWidget, day: date) -> None:
        self.calendar.setSelectedDate(_qdate(day))
        self.adjustSize()
        below = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry()
        x = min(below.x(), screen.right() - self.width())
        y = (
            below.y()
            if below.y() + self.height() <= screen.bottom()
            else below.y() - (anchor.height() + self.height())
        )
        self.move(max(screen.left(), x), max(screen.top(), y))
        self.show()
        self.calendar.setFocus()

    def _pick(self, value: QDate) -> None:
        self.hide()
        self.picked.emit(_pydate(value))


class _DateLine(QLineEdit):
    """The text of a date field: Up and Down step a day, Alt+Down or F4 opens the calendar."""

    def __init__(self, owner: DateField) -> None:
        super().__init__()
        self.owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        alt = mods & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.owner.open_calendar()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods:
            self.owner.step(1 if key == Qt.Key.Key_Up else -1)
        else:
            super().keyPressEvent(event)


class DateField(QWidget):
    """A date typed as people in the UK write it, with the date it reads shown beside it.

    Typing is read by ``logbook.domain.dates.parse_date`` (day first, never guessed); a
    small button opens a calendar. Tab leaves at once: it is one text field, not three.

    Signals:
        changed: The text changed.
        problem_changed: What is wrong with the date now ('' when nothing), reported when the
            field is left and as soon as a problem is put right.
    """

    changed = Signal()
    problem_changed = Signal(str)

    def __init__(self, *, optional: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.rule = ANY_DATE
        self.kept: date | None = None  # saved before this edit: never refused again
        self.line = _DateLine(self)
        self.line.setPlaceholderText("dd/mm/yyyy")
        self.line.setToolTip(DATE_TIP)
        self.line.setFixedWidth(_characters(self.line, 12))
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the next field
        self.button.setToolTip("Choose from a calendar (Alt+Down)")
        self.button.clicked.connect(self.open_calendar)
        self.reading = QLabel()
        # Room for the longest reading, so nothing is cut off or shifts while typing.
        longest = self.reading.fontMetrics().horizontalAdvance("Wed 30 Sep 2026 · planned")
        self.reading.setMinimumWidth(longest + 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        layout.addWidget(self.button)
        layout.addSpacing(8)
        layout.addWidget(self.reading, 1)
        self.popup: CalendarPopup | None = None
        self.line.textChanged.connect(self._text_changed)
        self.line.editingFinished.connect(self._finished)
        self._show_reading()

    # --- value -------------------------------------------------------------------------------

    def read(self) -> date | None:
        """The date typed (None for an empty optional date).

        Raises:
            ValueError: the text is not one date; the message says why.
        """
        if not self.line.text().strip() and self.optional:
            return None
        return parse_date(self.line.text(), date.today())

    def date(self) -> date | None:
        """The date typed, or None when there is none (or it cannot be read)."""
        try:
            return self.read()
        except ValueError:
            return None

    # Below ``date()``, ``date`` in the class body names that method, so the type is ``dt.date``.
    def setDate(self, day: dt.date | None) -> None:
        self.line.setText(format_date(day) if day is not None else "")

    def problem(self) -> str:
        """Why the date cannot be saved ('' when it can)."""
        try:
            day = self.read()
        except ValueError as error:
            return str(error)
        refused = day is not None and day > date.today() and day != self.kept
        return self.rule.refusal if refused else ""

    def set_rule(self, rule: DateRule, kept: dt.date | None) -> None:
        """What a date after today means here (refused, or a plan) and the date saved before."""
        if (rule, kept) != (self.rule, self.kept):
            self.rule, self.kept = rule, kept
            self._show_reading()

    # --- keyboard and calendar ---------------------------------------------------------------

    def step(self, days: int) -> None:
        self.setDate((self.date() or date.today()) + timedelta(days=days))

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        self.popup.open_at(self.line, self.date() or date.today())

    def _picked(self, day: dt.date) -> None:
        self.setDate(day)
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)
        self._report()

    # --- feedback ----------------------------------------------------------------------------

    def _text_changed(self) -> None:
        self._show_reading()
        if not self.problem():
            self.problem_changed.emit("")  # put right: the mark goes at once
        self.changed.emit()

    def _finished(self) -> None:
        """Leaving the field: show the date in the usual form, or say what is wrong."""
        day = self.date()
        if day is not None and self.line.text() != format_date(day):
            self.setDate(day)
        self._report()

    def _report(self) -> None:
        self.problem_changed.emit(self.problem())

    def _show_reading(self) -> None:
        colours = palette_colours(self)
        day = self.date()
        note = ""
        if day is None:
            text = "not set" if self.optional and not self.line.text().strip() else ""
            note = colours.hint_text
        else:
            text = describe_date(day)
            today = date.today()
            if day == today:
                text += " · today"
            elif day > today and self.rule.planned:
                text += " · planned"
        self.reading.setText(text)
        self.reading.setStyleSheet(f"color: {note};" if note else "")
        self.reading.setAccessibleName(f"Date read: {text}" if day else "")


class DateEditor(FieldEditor):
    """A date that must be given; new records start at today."""

    optional = False

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.edit = DateField(optional=self.optional)
        if not self.optional:
            self.edit.setDate(date.today())
        elif spec.hint:
            self.edit.line.setToolTip(f"{spec.hint}. Leave empty if none.\n{DATE_TIP}")
        self.edit.changed.connect(self._changed)
        self.focus_widget = self.edit.line
        self.widget = _compact(self.edit)

    def load(self, record: Record) -> None:
        self.edit.setDate(getattr(record, self.spec.name))

    def read(self) -> dict[str, Any]:
        try:
            return {self.spec.name: self.edit.read()}
        except ValueError as error:
            raise InputError(self.spec.name, str(error)) from None

    def set_rule(self, rule: DateRule, kept: date | None) -> None:
        self.edit.set_rule(rule, kept)

    def on_problem(self, callback: Callable[[str], None]) -> None:
        self.edit.problem_changed.connect(callback)

    def set_accessible(self, label: str) -> None:
        self.edit.line.setAccessibleName(label)
        self.edit.button.setAccessibleName(f"{label}: choose from a calendar")


class OptionalDateEditor(DateEditor):
    """A date that may be left empty (no date)."""

    optional = True


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
            if self.spec.optional:
                return {self.spec.name: 0}
            raise InputError(self.spec.name, "duration is required: type minutes, 1:30 or 1.5h")
        try:
            return {self.spec.name: parse_duration(text)}
        except ValueError as error:
            raise InputError(self.spec.name, str(error)) from None


class OptionalDurationEditor(DurationEditor):
    """Minutes that may be left empty (none: the record works out what empty means)."""

    def load(self, record: Record) -> None:
        minutes = getattr(record, self.spec.name)
        self.edit.setText("" if minutes is None else _format_minutes(minutes))

    def read(self) -> dict[str, Any]:
        if not self.edit.text().strip():
            return {self.spec.name: None}
        return super().read()


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
    """A drop-down of the field's choices ("— not recorded —" first when it may be left out)."""

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


class ReferenceEditor(FieldEditor):
    """A picker of people, organisations, courses or pathways, with a "New…" button."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        assert spec.ref_kind is not None
        self.kind = spec.ref_kind
        self.combo: QComboBox = _combo()
        self.combo.setPlaceholderText(f"Choose a {KINDS[self.kind].one}…")
        self.combo.currentIndexChanged.connect(self._changed)
        self.new_button = QPushButton(f"New {KINDS[self.kind].one}…")
        self.new_button.setAutoDefault(False)
        self.new_button.setAccessibleName(f"Add a new {KINDS[self.kind].one} for {spec.label}")
        self.new_button.clicked.connect(self.add_new)
        self.records: dict[str, Record] = {}
        self.reload()
        self.focus_widget = self.combo
        self.widget = _compact(self.combo, self.new_button)

    def reload(self, select: str | None = None) -> None:
        current = select if select is not None else self.combo.currentData()
        found = sorted(
            self.context.logbook.records.all(self.kind), key=lambda r: name_of(r).lower()
        )
        self.records = {r.uid: r for r in found}
        with QSignalBlocker(self.combo):
            self.combo.clear()
            if self.spec.optional:
                self.combo.addItem("— none —", None)
            for record in found:
                self.combo.addItem(name_of(record), record.uid)
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
            noun = KINDS[self.kind].one
            raise InputError(self.spec.name, f"choose a {noun}, or add one with “New {noun}…”")
        return {self.spec.name: uid}

    def selected(self) -> Record | None:
        uid = self.combo.currentData()
        return self.records.get(uid) if uid else None

    def controls(self) -> list[QWidget]:
        return [self.combo, self.new_button]


class ReferenceListEditor(FieldEditor):
    """Several people (a group's members): each chosen from a picker and added, shown as a
    button that removes them again; "New…" adds someone not in the logbook yet."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        assert spec.ref_kind is not None
        self.kind = spec.ref_kind
        noun = KINDS[self.kind].one
        self.uids: list[str] = []
        self.combo: QComboBox = _combo()
        self.combo.setToolTip(spec.hint or f"Choose a {noun}, then Add")
        self.add_button = QPushButton("Add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_chosen)
        self.new_button = QPushButton(f"New {noun}…")
        self.new_button.setAutoDefault(False)
        self.new_button.setAccessibleName(f"Add a new {noun} to {spec.label}")
        self.new_button.clicked.connect(self.add_new)
        self.chips: list[tuple[str, QToolButton]] = []
        self.chip_box = QWidget()
        self.chip_layout = FlowLayout(self.chip_box, spacing=6)
        self.empty = QLabel("None yet.")
        self.empty.setEnabled(False)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(_compact(self.combo, self.add_button, self.new_button))
        layout.addWidget(self.empty)
        layout.addWidget(self.chip_box)
        self.widget = box
        self.focus_widget = self.combo
        self._controls_changed: list[Callable[[], None]] = []
        self.names: dict[str, str] = {}
        self.reload()

    def on_controls_changed(self, callback: Callable[[], None]) -> None:
        self._controls_changed.append(callback)

    def reload(self, select: str | None = None) -> None:
        """Fill the picker with the logbook's records of the kind, by name."""
        found = sorted(
            self.context.logbook.records.all(self.kind), key=lambda r: name_of(r).lower()
        )
        self.names = {r.uid: name_of(r) for r in found}
        with QSignalBlocker(self.combo):
            self.combo.clear()
            self.combo.addItem(f"Choose a {KINDS[self.kind].one}…", None)
            for record in found:
                self.combo.addItem(name_of(record), record.uid)
            self.combo.setCurrentIndex(max(0, self.combo.findData(select)))

    def add_chosen(self) -> None:
        """Add the person chosen in the picker (once), and set the picker back."""
        uid = self.combo.currentData()
        if uid:
            self.add(uid)
        with QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(0)

    def add(self, uid: str) -> None:
        if uid in self.uids:
            return
        self.uids.append(uid)
        self._show()
        self._changed()

    def add_new(self) -> None:
        """Open the editor of the referenced kind; add what it created."""
        from logbook.ui.editors import open_editor

        dialog = open_editor(
            self.kind, self.context.logbook, self.context.host, parent=self.combo.window()
        )
        if dialog.exec() and getattr(dialog, "saved", None):
            uid = dialog.saved[0].uid  # type: ignore[attr-defined]
            self.reload()
            self.add(uid)
            self.combo.setFocus()

    def remove(self, uid: str) -> None:
        if uid in self.uids:
            self.uids.remove(uid)
            self._show()
            self._changed()
            self.combo.setFocus()

    def _show(self) -> None:
        """One button per member, in the order added (an id no longer in the logbook is kept,
        so opening and saving an entry never drops what it had)."""
        for _, chip in self.chips:
            self.chip_layout.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self.chips = []
        for uid in self.uids:
            name = self.names.get(uid) or "(no longer in the logbook)"
            chip = QToolButton(self.chip_box)
            chip.setText(f"{name}  ✕")
            chip.setAccessibleName(f"Remove {name} from {self.spec.label}")
            chip.setToolTip(f"Remove {name}")
            chip.clicked.connect(lambda _=False, u=uid: self.remove(u))
            self.chip_layout.addWidget(chip)
            chip.show()
            self.chips.append((uid, chip))
        self.empty.setVisible(not self.uids)
        self.chip_box.setVisible(bool(self.uids))
        for callback in self._controls_changed:
            callback()

    def load(self, record: Record) -> None:
        self.uids = list(dict.fromkeys(getattr(record, self.spec.name)))
        self._show()

    def read(self) -> dict[str, Any]:
        return {self.spec.name: tuple(self.uids)}

    def controls(self) -> list[QWidget]:
        return [self.combo, self.add_button, self.new_button, *(chip for _, chip in self.chips)]

    def set_accessible(self, label: str) -> None:
        self.combo.setAccessibleName(f"{label}: choose one to add")
        self.add_button.setAccessibleName(f"Add to {label}")


class BoolEditor(FieldEditor):
    """A tick box, labelled with the field's hint (or its name when it has none)."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.check = QCheckBox(spec.hint or spec.label)
        self.check.toggled.connect(self._changed)
        self.widget = self.focus_widget = self.check

    def load(self, record: Record) -> None:
        self.check.setChecked(bool(getattr(record, self.spec.name)))

    def read(self) -> dict[str, Any]:
        return {self.spec.name: self.check.isChecked()}


NOT_RECORDED = "— not recorded —"


class IntEditor(FieldEditor):
    """A whole number within the field's range, with its unit and any hint beside it; an
    optional one starts one below its minimum, which reads as "not recorded" (none)."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.spin = QSpinBox()
        self.empty = int(spec.minimum) - 1 if spec.optional else None
        self.spin.setRange(int(spec.minimum) - int(spec.optional), int(spec.maximum))
        if spec.optional:
            self.spin.setSpecialValueText(NOT_RECORDED)
        if spec.suffix:
            self.spin.setSuffix(spec.suffix)
        self.spin.setMinimumWidth(_characters(self.spin, 10))
        self.spin.valueChanged.connect(self._changed)
        self.focus_widget = self.spin
        hint = QLabel(spec.hint) if spec.hint else None
        self.widget = _compact(self.spin, *([hint] if hint else []))

    def load(self, record: Record) -> None:
        value = getattr(record, self.spec.name)
        empty = self.empty if self.empty is not None else int(self.spec.minimum)
        self.spin.setValue(int(value) if value is not None else empty)

    def read(self) -> dict[str, Any]:
        value = self.spin.value()
        return {self.spec.name: None if value == self.empty else value}


class FloatEditor(FieldEditor):
    """A number to the nearest half (days of a retreat, hours of training), within the field's
    range; an optional one starts half below its minimum, which reads as "not recorded"."""

    def __init__(self, spec: FieldSpec, context: FormContext) -> None:
        super().__init__(spec, context)
        self.spin = QDoubleSpinBox()
        self.empty = spec.minimum - 0.5 if spec.optional else None
        self.spin.setRange(spec.minimum - 0.5 * spec.optional, spec.maximum)
        self.spin.setDecimals(1)
        self.spin.setSingleStep(0.5)
        if spec.optional:
            self.spin.setSpecialValueText(NOT_RECORDED)
        if spec.suffix:
            self.spin.setSuffix(spec.suffix)
        self.spin.setMinimumWidth(_characters(self.spin, 10))
        self.spin.valueChanged.connect(self._changed)
        self.focus_widget = self.spin
        hint = QLabel(spec.hint) if spec.hint else None
        self.widget = _compact(self.spin, *([hint] if hint else []))

    def load(self, record: Record) -> None:
        value = getattr(record, self.spec.name)
        empty = self.empty if self.empty is not None else self.spec.minimum
        self.spin.setValue(float(value) if value is not None else empty)

    def read(self) -> dict[str, Any]:
        value = round(self.spin.value() * 2) / 2
        return {self.spec.name: None if value == self.empty else value}


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
        first = QHBoxLayout()
        first.setSpacing(6)
        card.addLayout(first)
        # The second line's fields wrap, each with its caption, when the form is narrow.
        second = FlowLayout(spacing=6)
        card.addLayout(second)
        editors: list[FieldEditor] = []
        for index, sub in enumerate(self.rows_spec.fields):
            if index < self.rows_spec.first_line:
                line = first
            else:
                pair = QWidget(row)
                line = QHBoxLayout(pair)
                line.setContentsMargins(0, 0, 0, 0)
                line.setSpacing(6)
                second.addWidget(pair)
            editor = make_editor(sub, self.context)
            if isinstance(editor, LineEditor):
                editor.edit.setMinimumWidth(_characters(editor.edit, 14))
                editor.edit.setPlaceholderText(sub.hint or sub.label)
            if isinstance(editor, ReferenceEditor):
                editor.combo.setMinimumContentsLength(14)
                editor.new_button.hide()  # rows stay compact; add people from their own form
            if isinstance(editor, DateEditor):
                editor.edit.reading.setMinimumWidth(0)  # rows stay compact: as wide as it reads
                editor.edit.reading.setContentsMargins(0, 0, 8, 0)
            # A first-line text shows its hint instead of a caption.
            captioned = not (isinstance(editor, LineEditor) and index == 0)
            if captioned:
                caption = QLabel(sub.label)
                caption.setBuddy(editor.focus_widget)
                line.addWidget(caption)
            line.addWidget(editor.widget, 1 if isinstance(editor, LineEditor) else 0)
            editor.on_change(self._changed)
            if value is not None:
                editor.load(value)
            editors.append(editor)
        remove = QPushButton("Remove")
        remove.setAutoDefault(False)
        remove.clicked.connect(lambda: self.remove_row(row))
        first.addWidget(remove)
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
        item = self.rows_spec.item_label.lower()
        for number, (_, editors, _) in enumerate(self.rows, 1):
            values: dict[str, Any] = {}
            for editor in editors:
                try:
                    values.update(editor.read())
                except InputError as error:  # named by its row, so the form can point at it
                    where = f"{self.spec.name}[{number}].{error.field}"
                    raise InputError(where, f"{item} {number}: {error.message}") from None
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
    "choices": ChoiceListEditor,
    "text": TextEditor,
    "reflection": ReflectionEditor,
    "privacy": PrivacyEditor,
    "date": DateEditor,
    "optional_date": OptionalDateEditor,
    "duration": DurationEditor,
    "optional_duration": OptionalDurationEditor,
    "choice": ChoiceEditor,
    "reference": ReferenceEditor,
    "references": ReferenceListEditor,
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
