"""The editor dialog: a record form with Save and Cancel, a series option and attachments.

Enter saves (Ctrl+Enter too, even inside a multi-line field), Esc cancels (a changed form asks
first, and its draft is written down every few seconds until it is saved). A save that fails,
because the form has problems, the privacy guard is waiting for an answer or the host refused
the record, leaves the dialog open with everything the user typed.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import name_of
from logbook.domain.codec import encode
from logbook.domain.errors import LogbookError, Problem, ValidationError
from logbook.domain.records import Record
from logbook.services.drafts import FORM_PREFIX
from logbook.ui.drafts import Button, DraftKeeper, ask_discard, new_name, widget_state
from logbook.ui.editors.attachments import AttachmentsPanel
from logbook.ui.editors.fields import DateField, FormContext, ReferenceListEditor, RowsEditor
from logbook.ui.editors.form import RecordForm
from logbook.ui.editors.kinds import KindForm
from logbook.ui.editors.series import MAX_OCCURRENCES, Frequency, series_dates, series_records
from logbook.ui.editors.style import palette_colours
from logbook.ui.layouts import fit_to_screen

Mode = Literal["new", "edit", "duplicate"]


class Banner(QFrame):
    """A message above the form for problems that belong to no single field."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("editorBanner")
        colours = palette_colours(self)
        self.setStyleSheet(
            f"#editorBanner {{ background: {colours.banner_bg}; border-radius: 4px; "
            f"border-left: 4px solid {colours.error_text}; }}"
            "#editorBanner QLabel { background: transparent; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        self.setAccessibleName("Not saved")
        self.hide()

    def show_message(self, message: str) -> None:
        self.text.setText(message)
        self.setAccessibleDescription(message)
        self.show()


class SeriesPanel(QWidget):
    """ "Repeat": turn one session into a weekly, fortnightly or monthly series."""

    def __init__(self, first: date) -> None:
        super().__init__()
        self.first = first
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.check = QCheckBox("Repeat this session")
        self.check.setAccessibleName("Repeat this session")
        self.toggled = self.check.toggled
        layout.addWidget(self.check)
        self.options = QWidget()
        row = QHBoxLayout(self.options)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.frequency = QComboBox()
        for frequency in Frequency:
            self.frequency.addItem(frequency.label, frequency.value)
        self.frequency.setCurrentIndex(1)
        self.frequency.setAccessibleName("How often")
        self.count_radio = QRadioButton("for")
        self.count_radio.setAccessibleName("Repeat a number of times")
        self.count = QSpinBox()
        self.count.setRange(2, MAX_OCCURRENCES)
        self.count.setValue(6)
        self.count.setSuffix(" sessions")
        self.count.setAccessibleName("Number of sessions")
        self.until_radio = QRadioButton("until")
        self.until_radio.setAccessibleName("Repeat until a date")
        self.until = DateField()
        self.until.reading.hide()  # the preview below names the last date already
        self.until.line.setAccessibleName("Last date of the series")
        self.until.button.setAccessibleName("Last date of the series: choose from a calendar")
        self.ends = QButtonGroup(self)
        self.ends.addButton(self.count_radio)
        self.ends.addButton(self.until_radio)
        self.count_radio.setChecked(True)
        for widget in (
            self.frequency,
            self.count_radio,
            self.count,
            self.until_radio,
            self.until,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addWidget(self.options)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName("Sessions that will be created")
        layout.addWidget(self.preview)
        self._until_edited = False
        self.until.changed.connect(self._until_changed)
        self.options.setVisible(False)
        self.preview.setVisible(False)
        self.check.toggled.connect(self.options.setVisible)
        self.check.toggled.connect(self.preview.setVisible)
        self.set_first(first)
        for signal in (
            self.frequency.currentIndexChanged,
            self.until.changed,
            self.count.valueChanged,
            self.ends.buttonToggled,
            self.check.toggled,
        ):
            signal.connect(self._update)
        self._update()

    def isChecked(self) -> bool:
        return self.check.isChecked()

    def setChecked(self, checked: bool) -> None:
        self.check.setChecked(checked)

    def controls(self) -> list[QWidget]:
        return [
            self.check,
            self.frequency,
            self.count_radio,
            self.count,
            self.until_radio,
            self.until.line,
        ]

    def set_first(self, first: date) -> None:
        """Follow the session's date; the end date keeps to today (sessions are logged once
        they have happened) or the first date, whichever is later, until edited."""
        self.first = first
        until = self.until.date()
        if not self._until_edited or until is None or until < first:
            with QSignalBlocker(self.until):
                self.until.setDate(max(first, date.today()))
        self._update()

    def _until_changed(self) -> None:
        self._until_edited = True

    def dates(self) -> list[date]:
        """The dates of the series (just the first date when not repeating).

        Raises:
            ValueError: the end date is before the first session.
        """
        if not self.isChecked():
            return [self.first]
        frequency = Frequency(self.frequency.currentData())
        if self.until_radio.isChecked():
            until = self.until.date()
            if until is None:
                raise ValueError(self.until.problem() or "type the last date of the series")
            return series_dates(self.first, frequency, until=until)
        return series_dates(self.first, frequency, count=self.count.value())

    def _update(self, *_: object) -> None:
        self.count.setEnabled(self.count_radio.isChecked())
        self.until.setEnabled(self.until_radio.isChecked())
        try:
            dates = self.dates()
        except ValueError as error:
            self.preview.setText(str(error)[:1].upper() + str(error)[1:] + ".")
            return
        if len(dates) == 1:
            self.preview.setText("One session.")
            return
        shown = ", ".join(f"{d:%-d %b}" for d in dates[:6])
        more = f" … {dates[-1]:%-d %b %Y}" if len(dates) > 6 else f" {dates[-1]:%Y}"
        late = sum(d > date.today() for d in dates)
        warning = f"\n{_late_sessions(late)}" if late else ""
        self.preview.setText(f"{len(dates)} sessions: {shown}{more}{warning}")


def _late_sessions(count: int) -> str:
    """Why a series that runs past today cannot be saved."""
    these = "1 of them is" if count == 1 else f"{count} of them are"
    return (
        f"{these} after today: a session is logged once it has happened. Choose fewer "
        "sessions, an earlier end or an earlier first date."
    )


class RecordEditorDialog(QDialog):
    """Edits one record (or creates one, a copy, or a series) and saves it through the host.

    Attributes:
        form: The record form.
        saved: What was saved (empty until Save succeeds).
    """

    def __init__(
        self,
        definition: KindForm,
        context: FormContext,
        record: Record,
        mode: Mode,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.context = context
        self.mode = mode
        self.saved: list[Record] = []
        self._save_waiting_on_privacy = False
        noun = definition.noun
        title = {
            "new": f"New {noun}",
            "duplicate": f"New {noun} (copy)",
            "edit": f"Edit {noun}",
        }[mode]
        described = name_of(record, or_date=True) if mode == "edit" else ""
        self.setWindowTitle(f"{title} – {described}" if described else title)
        self.setObjectName(f"{definition.kind.value}Editor")
        self.setSizeGripEnabled(True)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(12)
        self._build_heading(outer, title, described)
        self.banner = Banner()
        outer.addWidget(self.banner)
        body = self._build_body(record)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area, 1)
        outer.addWidget(self._build_buttons())
        self._connect()

        self._set_tab_order()
        for editor in self.form.editors:
            if isinstance(editor, RowsEditor | ReferenceListEditor):
                editor.on_controls_changed(self._set_tab_order)
                editor.on_controls_changed(self._grow_to_fit)
        self._update_save_text()
        self._fit_to_screen(body)
        self.form.editors[0].focus_widget.setFocus()
        drafts = getattr(context.logbook, "drafts", None)
        self.draft = DraftKeeper(
            self, drafts, new_name(FORM_PREFIX), self.draft_content, self._input_state
        )
        self.form.changed.connect(self.draft.changed_soon)

    # --- building ----------------------------------------------------------------------------

    def _build_heading(self, outer: QVBoxLayout, title: str, described: str) -> None:
        heading = QLabel(title[:1].upper() + title[1:])
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        outer.addWidget(heading)
        if described:
            sub = QLabel(described)
            sub.setStyleSheet(f"color: {palette_colours(self).hint_text};")
            outer.addWidget(sub)

    def _build_body(self, record: Record) -> QWidget:
        """What scrolls: the form, with the series and attachments as its last sections."""
        self.body = body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(14)
        self.form = self._build_form(record)
        layout.addWidget(self.form)
        self.series = self._build_series(record)
        self.attachments = self._build_attachments(record)
        layout.addStretch(1)
        return body

    def _build_form(self, record: Record) -> RecordForm:
        editing = self.mode == "edit"
        saved_before = record if editing else None
        form = RecordForm(self.definition.sections, record, self.context, saved_before=saved_before)
        if editing:
            # What was kept when the entry was saved before does not warn again.
            kept = self.context.logbook.privacy.kept_texts(record)
            for guard in form.guards:
                guard.acknowledged.update(kept.get(guard.field_name, ()))
        return form

    def _build_series(self, record: Record) -> SeriesPanel | None:
        # An edit changes one saved entry: only a new entry (or a copy) can become a series.
        if not self.definition.series or self.mode == "edit":
            return None
        series = SeriesPanel(getattr(record, "date", date.today()))
        self.form.add_extra("Repeat", "Series", series)
        return series

    def _build_attachments(self, record: Record) -> AttachmentsPanel | None:
        if not self.definition.attachments:
            return None
        attachments = AttachmentsPanel(self.context.logbook, record, saved=self.mode == "edit")
        self.form.add_extra("Evidence", "Files", attachments)
        return attachments

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip("Save (Enter or Ctrl+Enter)")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        cancel.setToolTip("Close without saving (Esc)")
        return self.buttons

    def _connect(self) -> None:
        self.form.kept.connect(self._privacy_kept)
        # "Keep anyway" finishes a save only if nothing was edited since Save was pressed.
        self.form.changed.connect(self._stop_waiting_on_privacy)
        if self.series is not None:
            self.form.editor("date").on_change(self._sync_series)
            self.series.toggled.connect(self._update_save_text)
            self.series.count.valueChanged.connect(self._update_save_text)
            self.series.until.changed.connect(self._update_save_text)
            self.series.frequency.currentIndexChanged.connect(self._update_save_text)
            self.series.ends.buttonToggled.connect(self._update_save_text)
        if self.attachments is not None:
            self.attachments.failed.connect(self.banner.show_message)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter", QKeySequence.StandardKey.Save):
            QShortcut(QKeySequence(keys), self, self.save)

    # --- layout ------------------------------------------------------------------------------

    def _fit_to_screen(self, body: QWidget) -> None:
        hint = body.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() else None
        max_height = int(screen.height() * 0.88) if screen else 900
        width = max(hint.width() + 60, 620)
        extra = 160  # heading, margins and buttons
        # No wider than the screen either: the form scrolls sideways rather than off-screen.
        fit_to_screen(self, width, min(hint.height() + extra, max_height))

    def _grow_to_fit(self) -> None:
        """Widen the dialog when new rows need more room than it has (never clip a field),
        as far as the screen allows."""
        if not self.isVisible():
            return  # the first size is set from the whole form before showing
        needed = self.body.minimumSizeHint().width() - self.scroll_area.viewport().width()
        if needed > 0:
            fit_to_screen(self, self.width() + needed + 4, self.height())

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = list(self.form.controls())
        if self.series is not None:
            chain += self.series.controls()
        if self.attachments is not None:
            chain += self.attachments.controls()
        chain += [self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _sync_series(self) -> None:
        if self.series is not None:
            values = self.form.current_values()
            if isinstance(values.get("date"), date):
                self.series.set_first(values["date"])
                self._update_save_text()

    def _update_save_text(self, *_: object) -> None:
        count = 1
        if self.series is not None:
            try:
                count = len(self.series.dates())
            except ValueError:
                count = 1
        self.save_button.setText(f"Save {count} sessions" if count > 1 else "Save")

    # --- saving ------------------------------------------------------------------------------

    def records_to_save(self) -> tuple[list[Record], list[Problem]]:
        """What Save would store (one record, or every session of a series), and any problems."""
        record, problems = self.form.collect()
        if problems:
            return [], problems
        if self.series is None or not self.series.isChecked():
            return [record], []
        try:
            dates = self.series.dates()
        except ValueError as error:
            return [], [Problem("series", str(error))]
        late = sum(d > date.today() for d in dates)
        if late:
            return [], [Problem("series", _late_sessions(late))]
        return series_records(record, dates), []

    def save(self) -> None:
        """Check the form, the privacy guard and the series, then hand the records to the host."""
        self.banner.hide()
        self.form.clear_problems()
        records, problems = self.records_to_save()
        if problems:
            self._show_problems(problems, "Nothing was saved. Correct the fields marked below.")
            return
        waiting = self.form.unkept_privacy_warnings(pressing=True)
        if waiting:
            self._save_waiting_on_privacy = True
            self.banner.show_message(
                "Nothing was saved yet: the text marked below may identify a client. Edit it, "
                "or choose “Keep anyway” to save it as it is."
            )
            self.scroll_area.ensureWidgetVisible(waiting[0].notice)
            waiting[0].notice.keep_button.setFocus()
            return
        self._save_waiting_on_privacy = False
        if not self._confirmed(records):
            return
        try:
            if self.mode == "edit":
                self.context.host.update(records[0])
            else:
                self.context.host.create(records)
        except ValidationError as error:
            self._show_problems(list(error.problems), f"Nothing was saved. {_first_line(error)}")
            return
        except LogbookError as error:
            self.banner.show_message(f"Nothing was saved. {error}")
            return
        self.saved = records
        self._record_kept(records)
        if self.attachments is not None and self.attachments.pending:
            failures = self.attachments.store_pending(records[0])
            if failures:
                self.banner.show_message(
                    "The record was saved, but some files were not attached:\n"
                    + "\n".join(failures)
                )
                self.mode = "edit"
                return
        self.accept()

    def _confirmed(self, records: list[Record]) -> bool:
        """Ask before saving what looks like a slip; No goes back to the form as it was."""
        doubts = self.form.doubts(records)
        if not doubts:
            return True
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Check before saving",
            "\n\n".join(d.message for d in doubts),
            yes | no,
            self,
        )
        box.setInformativeText("Save it anyway?")
        box.setDefaultButton(no)  # Enter pressed out of habit does not save a slip
        if box.exec() == yes:
            return True
        row = self.form.rows.get(doubts[0].field)
        if row is not None:
            row.editor.focus_widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return False

    def _show_problems(self, problems: list[Problem], summary: str) -> None:
        elsewhere = self.form.show_problems(problems)
        series = [p for p in elsewhere if p.field == "series"]
        others = [p for p in elsewhere if p.field != "series"]
        lines = [summary]
        lines += [f"Repeat: {p.message}" for p in series]
        lines += [str(p) for p in others]
        self.banner.show_message("\n".join(lines))
        if series and self.series is not None:
            self.series.until.setFocus()

    # --- closing: never lose typing ----------------------------------------------------------

    def draft_content(self) -> dict[str, Any]:
        """What the form holds, as a draft to reopen it with (see ``editors.drafted``)."""
        record = dataclasses.replace(self.form.base, **self.form.current_values())
        return {"kind": record.kind.value, "mode": self.mode, "record": encode(record)}

    def _input_state(self) -> object:
        controls = list(self.form.controls())
        if self.series is not None:
            controls += self.series.controls()
        # Files attached to a saved record are stored at once: not a change that can be lost.
        pending = len(self.attachments.pending) if self.attachments is not None else 0
        return widget_state(controls), pending

    def reject(self) -> None:
        """Esc, Cancel and the close button: a changed form asks before the typing goes."""
        if self.draft.changed():
            answer = ask_discard(
                self, f"What you typed in this {self.definition.noun} has not been saved."
            )
            if answer == Button.Save:
                self.save()  # closes when saved; a problem keeps the form open, marked
                return
            if answer != Button.Discard:
                return
        super().reject()

    def done(self, result: int) -> None:
        # Saved or deliberately discarded: nothing left to offer back at the next start.
        self.draft.finish()
        super().done(result)

    def _record_kept(self, records: list[Record]) -> None:
        """Record "Keep anyway" on each saved entry, so the choice is part of its record."""
        kept: dict[str, set[str]] = {}
        for guard in self.form.guards:
            if texts := guard.kept_texts():
                kept.setdefault(guard.field_name, set()).update(texts)
        try:
            for record in records if kept else []:
                self.context.logbook.privacy.keep(record, kept)
        except LogbookError as error:
            # The entry is saved; only the record of the choice is missing (it will ask again).
            self.banner.show_message(f"Saved, but “Keep anyway” was not recorded: {error}")

    def _stop_waiting_on_privacy(self) -> None:
        self._save_waiting_on_privacy = False

    def _privacy_kept(self) -> None:
        if self._save_waiting_on_privacy and not self.form.unkept_privacy_warnings():
            self.save()


def _first_line(error: Exception) -> str:
    line = str(error).splitlines()[0].rstrip(":")
    return line + "." if line and not line.endswith(".") else line
