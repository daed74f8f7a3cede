"""Export a list, or the rows selected in it, as a CSV file for a spreadsheet.

The columns are the list's own, in the order the user arranged them, with the same values;
dates are written as ISO 8601 (2026-11-25) and their headers say so. Notes and reflections can
be added as columns; private reflections stay out unless the user ticks them in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import KINDS
from logbook.domain.errors import LogbookError
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, RecordKind
from logbook.domain.signoff import SignoffState
from logbook.services.list_export import (
    ISO_DATES,
    CsvColumn,
    CsvExportCancelled,
    CsvExportResult,
    StateReader,
    export_csv,
    query_batches,
)
from logbook.services.records import RecordService
from logbook.ui.columns import SIGNOFF_KEY, Column, NameDirectory
from logbook.ui.editors.kinds import FORMS
from logbook.ui.signoff.widgets import Banner, PathField
from logbook.ui.worker import Cancelled, Job, Progress


def csv_columns(
    columns: Sequence[Column],
    names: NameDirectory,
    *,
    text_fields: Sequence[tuple[str, str]] = (),
    private_flags: Sequence[tuple[str, str]] = (),
) -> list[CsvColumn]:
    """The list's columns as CSV columns (dates as ISO 8601), then any full-text fields."""
    result = [_list_column(column, names) for column in columns]
    titles = {c.title for c in result}
    for name, label in text_fields:
        title = label if label not in titles else f"{label} (full text)"
        result.append(CsvColumn(title, _text_cell(name)))
    for name, label in private_flags:
        result.append(CsvColumn(label, _flag_cell(name)))
    return result


def _list_column(column: Column, names: NameDirectory) -> CsvColumn:
    if column.key == SIGNOFF_KEY:
        return CsvColumn(column.title, _state_cell)
    if column.sort and _is_date_field(column.sort):
        return CsvColumn(f"{column.title} ({ISO_DATES})", _date_cell(column, names))
    return CsvColumn(column.title, lambda record, _state: column.read(record, names))


def _is_date_field(name: str) -> bool:
    return name.endswith(("date", "_on")) or name == "date"


def _date_cell(column: Column, names: NameDirectory) -> Any:
    field = column.sort or ""

    def cell(record: Record, _state: SignoffState | None) -> str:
        value = getattr(record, field, None)
        if isinstance(value, date):
            return value.isoformat()
        return column.read(record, names)

    return cell


def _state_cell(_record: Record, state: SignoffState | None) -> str:
    return "" if state is None or state is SignoffState.UNSIGNED else state.label


def _text_cell(name: str) -> Any:
    return lambda record, _state: str(getattr(record, name, "") or "")


def _flag_cell(name: str) -> Any:
    return lambda record, _state: "Yes" if getattr(record, name, False) else ""


def text_fields(kind: RecordKind) -> list[tuple[str, str, str]]:
    """(field, label, private flag field) of the kind's long text, as its form names them."""
    form = FORMS.get(kind)
    if form is None:
        return []
    return [
        (spec.name, spec.label, spec.private_field)
        for section in form.sections
        for spec in section.fields
        if spec.editor in ("text", "reflection")
    ]


def has_private_text(kind: RecordKind) -> bool:
    """Whether a record of ``kind`` can hold private text (a reflection or a whole account)."""
    return kind is RecordKind.REFLECTIVE_ACCOUNT or any(p for _n, _l, p in text_fields(kind))


def file_name(title: str, today: date) -> str:
    """A file name from a list's title: "Supervision 2026-11-25.csv"."""
    safe = re.sub(r"[^\w &,.()-]+", " ", title).strip() or "Entries"
    return f"{safe} {today.isoformat()}.csv"


@dataclass(frozen=True)
class ExportScope:
    """What the dialog exports: a list's query, or rows chosen in it.

    Attributes:
        kind: The kind of record listed.
        title: The list's title (the file is named after it).
        columns: The list's visible columns, in their order on screen.
        query: The list's query (filters and sort); every row it matches is written.
        selected: Rows chosen instead, in the list's order (None: the whole query).
        described: The list's filters in words, or "".
        count: How many rows the query matches (or how many are selected).
    """

    kind: RecordKind
    title: str
    columns: tuple[Column, ...]
    query: RecordQuery
    selected: tuple[Record, ...] | None
    described: str
    count: int


class CsvExportDialog(QDialog):
    """Choose the file and the extras, then write the CSV in the background.

    Signals:
        exported: the file was written (the :class:`CsvExportResult`).
    """

    exported = Signal(object)

    def __init__(
        self,
        records: RecordService,
        scope: ExportScope,
        *,
        signoff: StateReader | None = None,
        folder: Path | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._records = records
        self.scope = scope
        self._signoff = signoff
        self.job: Job[CsvExportResult] | None = None
        self.result_: CsvExportResult | None = None
        many = KINDS[scope.kind].many
        what = "selected" if scope.selected is not None else "listed"
        self.setWindowTitle(f"Export {what} {many} as CSV")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)

        heading = QLabel(f"Export {scope.title.replace('&&', '&')} as CSV", self)
        heading.setObjectName("pageTitle")
        self.summary = QLabel(self._summary(many), self)
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.fields = text_fields(scope.kind)
        self.with_text = QCheckBox("Add notes and reflections as columns (full text)", self)
        self.with_text.setVisible(bool(self.fields))
        self.with_private = QCheckBox("Include private reflections", self)
        self.with_private.setToolTip(
            "Private reflections and private reflective accounts are left out unless you tick "
            "this. The file will then hold text you marked private."
        )
        self.file = PathField("Save the list as", "CSV files (*.csv);;All files (*)", save=True)
        start = folder or Path.home()
        self.file.set_path(start / file_name(scope.title.replace("&&", "&"), today or date.today()))
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.banner = Banner(self)
        self.buttons = QDialogButtonBox(self)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setAutoDefault(False)
        self.export_button = QPushButton(self._button_text(), self)
        self.export_button.setObjectName("primary")
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.start_export)

        form = QFormLayout()
        form.addRow("Save as", self.file)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.with_text)
        layout.addWidget(self.with_private)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.banner)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.with_text.toggled.connect(self._update)
        self.file.changed.connect(self._update)
        self._update()

    def _summary(self, many: str) -> str:
        scope = self.scope
        if scope.selected is not None:
            rows = f"The {scope.count:,} selected {many}"
        else:
            which = f" ({scope.described})" if scope.described else ""
            rows = f"All {scope.count:,} {many} this list shows{which}"
        return (
            f"{rows}, in the list's order and with its columns. Dates are written as "
            "2026-11-25 (ISO 8601), which every spreadsheet reads the same way."
        )

    def _button_text(self) -> str:
        count = self.scope.count
        return f"Export {count:,} row{'s' if count != 1 else ''}"

    def _update(self) -> None:
        kind = self.scope.kind
        relevant = kind is RecordKind.REFLECTIVE_ACCOUNT or (
            self.with_text.isChecked() and has_private_text(kind)
        )
        self.with_private.setVisible(relevant)
        running = self.job is not None and self.job.running
        self.export_button.setEnabled(not running and self.file.path() is not None)

    # --- exporting --------------------------------------------------------------------------

    def include_private(self) -> bool:
        return self.with_private.isVisibleTo(self) and self.with_private.isChecked()

    def columns(self) -> list[CsvColumn]:
        names = NameDirectory(self._records)  # its own: the export reads on another thread
        extra = self.fields if self.with_text.isChecked() else []
        flags = []
        if self.include_private():
            flags = [(p, f"{label} is private") for _n, label, p in extra if p]
        return csv_columns(
            self.scope.columns,
            names,
            text_fields=[(n, label) for n, label, _p in extra],
            private_flags=flags,
        )

    def start_export(self) -> None:
        """Write the file in the background; it appears only once complete."""
        target = self.file.path()
        if target is None or (self.job is not None and self.job.running):
            return
        scope, columns = self.scope, self.columns()
        include_private = self.include_private()
        records, signoff = self._records, self._signoff
        has_state = any(c.key == SIGNOFF_KEY for c in scope.columns)

        def work(progress: Progress) -> CsvExportResult:
            batches: Any = (
                [list(scope.selected)]
                if scope.selected is not None
                else query_batches(records, scope.query)
            )
            try:
                return export_csv(
                    batches,
                    columns,
                    target,
                    include_private=include_private,
                    states=signoff if has_state else None,
                    expected=scope.count,
                    progress=lambda done, total: progress.report(done, total),
                    cancelled=lambda: progress.cancelled,
                )
            except CsvExportCancelled:
                raise Cancelled() from None

        self.banner.clear_message()
        self.progress.setRange(0, max(scope.count, 1))
        self.progress.setValue(0)
        self.progress.show()
        job: Job[CsvExportResult] = Job(work, self)
        job.progressed.connect(lambda done, _total, _text: self.progress.setValue(done))
        job.succeeded.connect(self._exported)
        job.failed.connect(self._failed)
        job.cancelled.connect(lambda: self.banner.info("Cancelled: no file was written."))
        job.finished.connect(self._finished)
        self.job = job.start()
        self.close_button.setText("Stop")
        self._update()

    def _exported(self, result: CsvExportResult) -> None:
        self.result_ = result
        text = f"Saved {result.rows:,} row{'s' if result.rows != 1 else ''} to {result.path}."
        if result.private_left_out:
            text += (
                f" {result.private_left_out:,} private reflective account"
                f"{'s were' if result.private_left_out != 1 else ' was'} left out."
            )
        self.banner.success(
            text,
            {
                "Open the file": QUrl.fromLocalFile(str(result.path)),
                "Open folder": QUrl.fromLocalFile(str(result.path.parent)),
            },
        )
        self.exported.emit(result)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, LogbookError):
            self.banner.problem(str(error))
        else:
            target = self.file.path()
            self.banner.problem(f"{target} could not be written: {error}. Nothing was saved.")

    def _finished(self) -> None:
        self.progress.hide()
        done = self.result_ is not None
        self.close_button.setText("Close" if done else "Cancel")
        self._update()

    def reject(self) -> None:
        # Stop first: closing while the file is written would leave the work running.
        if self.job is not None and self.job.running:
            self.job.cancel()
            return
        super().reject()
