"""File → Export portfolio: period, layout, sections, private reflections, file, preview.

The file can be signed with one of the practitioner's signing identities kept on this computer;
its passphrase is asked for in the dialog, and a wrong one is said beside it with nothing written.

The preview renders the document in the background and shows its first pages as images (the
PDF is drawn in-process by PDFium; nothing external runs). Export runs on a worker thread with
a progress bar and a Cancel button; the file appears under its name only once complete.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError, WrongPassphraseError
from logbook.domain.identity import SealedIdentity
from logbook.domain.periods import ALL_TIME, Period, year_of
from logbook.services.drafts import STATEMENTS_PREFIX
from logbook.services.export import (
    ExportCancelled,
    ExportOptions,
    ExportResult,
    default_period,
    export_portfolio,
    layout_choices,
    preview_pdf,
    registration_cycles,
    renderer_for,
    statements_asked,
)
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.layouts import fit_to_screen
from logbook.ui.qdate import to_date, to_qdate
from logbook.ui.signoff.widgets import passphrase_field
from logbook.ui.statements_dialog import StatementsDialog
from logbook.ui.worker import Cancelled, Job, Progress

PREVIEW_PAGES = 3
PREVIEW_WIDTH = 230  # pixels per page thumbnail


@dataclass(frozen=True)
class PreviewPages:
    """The first pages as images, and how many pages the whole document has."""

    images: list[QImage]
    page_count: int


def render_preview(
    pdf: bytes, pages: int = PREVIEW_PAGES, width: int = PREVIEW_WIDTH
) -> PreviewPages:
    """The first ``pages`` of a PDF as images ``width`` pixels wide (safe on a worker thread)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index in range(min(pages, len(document))):
            page = document[index]
            scale = width / page.get_width()
            bitmap = page.render(scale=scale, rev_byteorder=True)
            data = bytes(bitmap.buffer)
            image = QImage(
                data, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
            )
            images.append(image.copy())  # own the pixels: the buffer goes with the bitmap
            page.close()
        return PreviewPages(images, len(document))
    finally:
        document.close()


def _identity_text(identity: SealedIdentity) -> str:
    """A signing identity in a menu: its owner and fingerprint."""
    return f"Sign as {identity.public.name}  ({identity.fingerprint})"


def _progress_callbacks(progress: Progress) -> dict[str, Any]:
    return {"progress": progress.share, "cancelled": lambda: progress.cancelled}


class ExportDialog(QDialog):
    """Choose what to export, look at the first pages, and save the PDF.

    Signals:
        exported(ExportResult): a file was written.
    """

    exported = Signal(object)

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.job: Job[Any] | None = None
        self.last_export: ExportResult | None = None  # not ``result``: QDialog.result()
        self.setWindowTitle("Export portfolio")
        self.setAccessibleName("Export portfolio")
        self.setMinimumSize(980, 640)
        fit_to_screen(self, 980, 640)  # lowers the minimum on a smaller screen
        self.profile = logbook.records.profile()
        self.cycles = registration_cycles(self.profile)
        # What the practitioner wrote for each layout's statements, by layout and section.
        self.statements: dict[str, dict[str, str]] = {}
        self.statements_dialog: StatementsDialog | None = None

        options = QVBoxLayout()
        options.addWidget(self._layout_box())
        options.addWidget(self._period_box())
        options.addWidget(self._sections_box(), 1)
        options.addWidget(self._privacy_box())
        options.addWidget(self._file_box())

        self.preview_area = QWidget()
        self.preview_row = QHBoxLayout(self.preview_area)
        self.preview_row.setContentsMargins(8, 8, 8, 8)
        self.preview_row.setSpacing(12)
        self.preview_note = QLabel("Choose the options, then “Preview” to see the first pages.")
        self.preview_note.setWordWrap(True)
        self.preview_row.addWidget(self.preview_note)
        scroll = QScrollArea()
        scroll.setWidget(self.preview_area)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview_info = QLabel("")
        self.preview_info.setObjectName("previewInfo")
        preview = QVBoxLayout()
        preview.addWidget(QLabel("<b>Preview</b>"))
        preview.addWidget(scroll, 1)
        preview.addWidget(self.preview_info)
        preview.addWidget(self._signing_box())

        body = QHBoxLayout()
        body.addLayout(options, 0)
        body.addLayout(preview, 1)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_button = QPushButton("Preview")
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.open_button = QPushButton("Open PDF")
        self.open_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.preview_button.clicked.connect(self.start_preview)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_work)
        self.open_button.clicked.connect(self._open_result)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (
            self.preview_button,
            self.cancel_button,
            self.open_button,
            self.export_button,
            self.close_button,
        ):
            buttons.addWidget(button)

        root = QVBoxLayout(self)
        root.addLayout(body, 1)
        root.addWidget(self.progress)
        root.addLayout(buttons)
        self._layout_changed()
        self._period_mode_changed()

    # --- option boxes ------------------------------------------------------------------------

    def _layout_box(self) -> QGroupBox:
        box = QGroupBox("Layout")
        self.layout_combo = QComboBox()
        for key, title, description in layout_choices():
            self.layout_combo.addItem(title, key)
            self.layout_combo.setItemData(
                self.layout_combo.count() - 1, description, Qt.ItemDataRole.ToolTipRole
            )
        self.layout_combo.setAccessibleName("Layout")
        self.layout_combo.currentIndexChanged.connect(self._layout_changed)
        self.layout_note = QLabel("")
        self.layout_note.setWordWrap(True)
        self.layout_note.setMaximumWidth(380)
        self.compact_check = QCheckBox("Short summary: no cover or contents page")
        self.compact_check.setToolTip(
            "For a page or two to attach to an email or a supervision record"
        )
        self.statements_button = QPushButton("Your own &words…")
        self.statements_button.setToolTip(
            "Write the statements this layout asks for in your own words, from a draft"
        )
        self.statements_button.clicked.connect(self.write_statements)
        column = QVBoxLayout(box)
        column.addWidget(self.layout_combo)
        column.addWidget(self.layout_note)
        column.addWidget(self.compact_check)
        column.addWidget(self.statements_button)
        return box

    def _period_box(self) -> QGroupBox:
        box = QGroupBox("Period")
        grid = QGridLayout(box)
        self.period_group = QButtonGroup(self)
        self.cycle_radio = QRadioButton("Registration cycle")
        self.year_radio = QRadioButton("Year")
        self.custom_radio = QRadioButton("From")
        self.all_radio = QRadioButton("All dates")
        for index, radio in enumerate(
            (self.cycle_radio, self.year_radio, self.custom_radio, self.all_radio)
        ):
            self.period_group.addButton(radio, index)
        self.cycle_combo = QComboBox()
        for cycle in self.cycles:
            self.cycle_combo.addItem(cycle.label)
        if not self.cycles:
            self.cycle_combo.addItem("No registration has a renewal date")
            self.cycle_radio.setEnabled(False)
        self.cycle_combo.setAccessibleName("Registration cycle")
        self.year_spin = QSpinBox()
        self.year_spin.setAccessibleName("Year")
        self.year_spin.setRange(1970, 2100)
        self.year_spin.setValue(date.today().year - 1)
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addYears(-1))
        self.to_edit = QDateEdit(today)
        self.from_edit.setAccessibleName("First date")
        self.to_edit.setAccessibleName("Last date")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
        to_row = QHBoxLayout()
        to_row.addWidget(self.from_edit)
        to_row.addWidget(QLabel("to"))
        to_row.addWidget(self.to_edit)
        grid.addWidget(self.cycle_radio, 0, 0)
        grid.addWidget(self.cycle_combo, 0, 1)
        grid.addWidget(self.year_radio, 1, 0)
        grid.addWidget(self.year_spin, 1, 1)
        grid.addWidget(self.custom_radio, 2, 0)
        grid.addLayout(to_row, 2, 1)
        grid.addWidget(self.all_radio, 3, 0, 1, 2)
        (self.cycle_radio if self.cycles else self.year_radio).setChecked(True)
        self.period_group.idToggled.connect(lambda *_: self._period_mode_changed())
        return box

    def _sections_box(self) -> QGroupBox:
        box = QGroupBox("Sections")
        self.sections_list = QListWidget()
        self.sections_list.setAccessibleName("Sections to include")
        column = QVBoxLayout(box)
        column.addWidget(self.sections_list)
        return box

    def _privacy_box(self) -> QGroupBox:
        box = QGroupBox("Privacy and archiving")
        self.private_check = QCheckBox("Include private reflections")
        self.private_check.setChecked(False)
        self.private_warning = QLabel(
            "Private reflections will leave the app in this PDF, and its cover will say so. "
            "Include them only for someone who should read them."
        )
        self.private_warning.setWordWrap(True)
        self.private_warning.setMaximumWidth(380)
        self.private_warning.setStyleSheet("color: #9B2C1F; font-weight: 600;")
        self.private_warning.setVisible(False)
        self.private_check.toggled.connect(self.private_warning.setVisible)
        self.pdfa_check = QCheckBox("PDF/A-3b for long-term archiving")
        column = QVBoxLayout(box)
        column.addWidget(self.private_check)
        column.addWidget(self.private_warning)
        column.addWidget(self.pdfa_check)
        return box

    def _signing_box(self) -> QGroupBox:
        box = QGroupBox("Signature")
        self.signer_combo = QComboBox()
        self.signer_combo.setAccessibleName("Sign the PDF as")
        self.signer_combo.addItem("Don't sign", None)
        for identity in self.logbook.signoff.own_identities():
            self.signer_combo.addItem(_identity_text(identity), identity.fingerprint)
            if self.profile is not None and identity.public.name == self.profile.name:
                self.signer_combo.setCurrentIndex(self.signer_combo.count() - 1)
        self.signer_combo.setToolTip(
            "Your signature shows who made the PDF and that nothing in it changed since; "
            "anyone can check it with “Check a portfolio”"
        )
        self.passphrase_edit = passphrase_field()
        self.passphrase_edit.setPlaceholderText("Passphrase of the signing identity")
        self.passphrase_error = QLabel("")
        self.passphrase_error.setWordWrap(True)
        self.passphrase_error.setStyleSheet(f"color: {theme.current().danger}; font-weight: 600;")
        self.passphrase_error.hide()
        self.passphrase_edit.textEdited.connect(self.passphrase_error.hide)
        self.signer_combo.currentIndexChanged.connect(self._signer_changed)
        row = QHBoxLayout()
        row.addWidget(self.signer_combo, 3)
        row.addWidget(self.passphrase_edit, 2)
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(self.passphrase_error)
        self._signer_changed()
        return box

    def _signer_changed(self, *_: object) -> None:
        signing = self.signer_combo.currentData() is not None
        self.passphrase_edit.setEnabled(signing)
        self.passphrase_error.hide()
        if not signing:
            self.passphrase_edit.clear()

    def _file_box(self) -> QGroupBox:
        box = QGroupBox("Save as")
        self.path_edit = QLineEdit(str(self._default_path()))
        self.path_edit.setAccessibleName("Output file")
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose the file to save")
        browse.clicked.connect(self._choose_file)
        row = QFormLayout(box)
        line = QHBoxLayout()
        line.addWidget(self.path_edit, 1)
        line.addWidget(browse)
        row.addRow(line)
        return box

    def _default_path(self) -> Path:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        name = (self.profile.name if self.profile else "portfolio").replace(" ", "-").lower()
        return Path(folder) / f"{name}-portfolio-{date.today():%Y-%m-%d}.pdf"

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the portfolio as", self.path_edit.text(), "PDF documents (*.pdf)"
        )
        if chosen:
            if not chosen.lower().endswith(".pdf"):
                chosen += ".pdf"
            self.path_edit.setText(chosen)

    # --- reading the options -----------------------------------------------------------------

    def _layout_changed(self) -> None:
        renderer = renderer_for(self.layout_key())
        self.layout_note.setText(renderer.description)
        self.sections_list.clear()
        for section in renderer.sections():
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            # An appendix printed only on request starts unticked.
            ticked = Qt.CheckState.Unchecked if section.on_request else Qt.CheckState.Checked
            item.setCheckState(ticked)
            self.sections_list.addItem(item)
        missing = renderer.missing_data(self.profile) if self.profile else []
        self._show_status(" ".join(missing), error=bool(missing))
        self.statements_button.setVisible(any(s.statement for s in renderer.sections()))
        self._apply_default_period()

    def _apply_default_period(self) -> None:
        """Choose the period the layout's body asks about (the NMC's revalidation cycle, the
        HCPC's two years …); a layout with none leaves the choice as it is."""
        found = default_period(self.layout_key(), self.profile)
        if found is None:
            return
        periods = [cycle.period for cycle in self.cycles]
        if found.period in periods:
            self.cycle_radio.setChecked(True)
            self.cycle_combo.setCurrentIndex(periods.index(found.period))
        else:
            assert found.period.start is not None
            assert found.period.end is not None
            self.custom_radio.setChecked(True)
            self.from_edit.setDate(to_qdate(found.period.start))
            self.to_edit.setDate(to_qdate(found.period.end))
        self.layout_note.setText(f"{self.layout_note.text()} Period: {found.why}.")

    def _period_mode_changed(self) -> None:
        self.cycle_combo.setEnabled(self.cycle_radio.isChecked())
        self.year_spin.setEnabled(self.year_radio.isChecked())
        for edit in (self.from_edit, self.to_edit):
            edit.setEnabled(self.custom_radio.isChecked())

    def layout_key(self) -> str:
        return str(self.layout_combo.currentData())

    def period(self) -> Period:
        """The period chosen.

        Raises:
            LogbookError: the custom dates are the wrong way round.
        """
        if self.cycle_radio.isChecked() and self.cycles:
            return self.cycles[self.cycle_combo.currentIndex()].period
        if self.year_radio.isChecked():
            return year_of(date(self.year_spin.value(), 1, 1))
        if self.custom_radio.isChecked():
            start = to_date(self.from_edit.date())
            end = to_date(self.to_edit.date())
            if end < start:
                raise LogbookError("The end date is before the start date.")
            return Period(start, end)
        return ALL_TIME

    def sections(self) -> frozenset[str] | None:
        """The sections ticked (None: those the layout prints by default)."""
        chosen = []
        for row in range(self.sections_list.count()):
            item = self.sections_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        usual = [s.key for s in renderer_for(self.layout_key()).sections() if not s.on_request]
        return None if chosen == usual else frozenset(chosen)

    def write_statements(self) -> None:
        """Open the statements the layout asks for, each a draft from the records of the
        chosen period until written; keep what is written for this layout."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            options = dataclasses.replace(self.options(), statements={})
            asked = statements_asked(self.logbook, options)
        except LogbookError as error:
            self._show_status(str(error), error=True)
            return
        finally:
            QApplication.restoreOverrideCursor()
        layout = self.layout_key()
        written = self.written_for(layout)
        dialog = StatementsDialog(asked, written, self)
        self.statements_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        written.clear()
        written.update(dialog.texts())
        try:
            self.logbook.drafts.keep(STATEMENTS_PREFIX + layout, dict(written))
        except LogbookError as error:
            self._show_status(f"Your own words are kept for this export only: {error}", error=True)
            return
        self._show_status(
            f"Your own words are kept ({len(written)}), in the logbook for later exports too."
        )

    def written_for(self, layout: str) -> dict[str, str]:
        """What the practitioner wrote for ``layout``'s statements, as last kept in the
        logbook (a profile is rewritten once a year from last year's words, not from blank)."""
        if layout not in self.statements:
            try:
                kept = self.logbook.drafts.get(STATEMENTS_PREFIX + layout)
            except LogbookError:
                kept = None  # unreadable now: the drafts are offered again
            content = kept.content if kept is not None else {}
            self.statements[layout] = {
                key: text
                for key, text in content.items()
                if isinstance(key, str) and isinstance(text, str)
            }
        return self.statements[layout]

    def options(self) -> ExportOptions:
        sign_with = self.signer_combo.currentData()
        # Read on the GUI thread: the export asks for it on its worker thread.
        passphrase = self.passphrase_edit.text()
        return ExportOptions(
            sign_with=str(sign_with) if sign_with else None,
            passphrase=lambda _identity: passphrase,
            period=self.period(),
            layout=self.layout_key(),
            sections=self.sections(),
            include_private=self.private_check.isChecked(),
            pdfa=self.pdfa_check.isChecked(),
            compact=self.compact_check.isChecked(),
            statements=dict(self.written_for(self.layout_key())),
        )

    # --- work on a worker thread -------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.export_button, self.close_button):
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #9B2C1F;" if error else "")

    def _start(self, work: Any, succeeded: Any, label: str) -> None:
        try:
            options = self.options()
        except LogbookError as error:
            self._show_status(str(error), error=True)
            return
        self._busy(True)
        self._show_status(label)
        job: Job[Any] = Job(lambda progress: work(options, progress), self)
        job.progressed.connect(self._progressed)
        job.succeeded.connect(succeeded)
        job.failed.connect(self._failed)
        job.cancelled.connect(self._cancelled)
        job.finished.connect(lambda: self._busy(False))
        self.job = job.start()

    def _progressed(self, done: int, total: int, message: str) -> None:
        if total:
            self.progress.setValue(done)
        if message:
            self.status.setText(message + "…")

    def start_preview(self) -> None:
        """Render the document in the background and show its first pages."""

        def work(options: ExportOptions, progress: Progress) -> PreviewPages:
            try:
                pdf = preview_pdf(self.logbook, options, **_progress_callbacks(progress))
            except ExportCancelled:
                raise Cancelled() from None
            return render_preview(pdf)

        self._start(work, self._show_preview, "Preparing the preview")

    def start_export(self) -> None:
        """Write the PDF in the background; the file appears only once complete."""
        text = self.path_edit.text().strip()
        if not text:
            self._show_status("Choose a file to save the portfolio as.", error=True)
            return
        if self.signer_combo.currentData() and not self.passphrase_edit.text():
            self._passphrase_problem("Type the passphrase of the signing identity to sign.")
            return
        target = Path(text).expanduser()

        def work(options: ExportOptions, progress: Progress) -> ExportResult:
            try:
                return export_portfolio(
                    self.logbook, target, options, **_progress_callbacks(progress)
                )
            except ExportCancelled:
                raise Cancelled() from None

        self._start(work, self._exported, "Exporting")

    def cancel_work(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self._show_status("Stopping… nothing half-written will be kept.")

    def _show_preview(self, pages: PreviewPages) -> None:
        while self.preview_row.count():
            item = self.preview_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.preview_labels: list[QLabel] = []
        for image in pages.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setFrameShape(QFrame.Shape.Box)
            label.setFixedSize(image.width() + 2, image.height() + 2)
            label.setAccessibleName(f"Preview of page {len(self.preview_labels) + 1}")
            self.preview_row.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
            self.preview_labels.append(label)
        self.preview_row.addStretch(1)
        shown = len(pages.images)
        self.preview_info.setText(
            f"First {shown} of {pages.page_count} pages. Nothing has been saved yet."
        )
        self._show_status("")

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result
        self.open_button.setEnabled(True)
        extra = ", PDF/A-3b" if result.pdfa else ""
        signed = f", signed by {result.signed_by.name}" if result.signed_by else ", not signed"
        self._show_status(f"Saved {result.path} ({result.pages} pages{extra}{signed}).")
        self.exported.emit(result)

    def _passphrase_problem(self, text: str) -> None:
        self.passphrase_error.setText(text)
        self.passphrase_error.show()
        self.passphrase_edit.setFocus()
        self.passphrase_edit.selectAll()
        self._show_status("")

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, WrongPassphraseError):
            self._passphrase_problem(
                "That passphrase does not unlock this signing identity. Nothing was written."
            )
        elif isinstance(error, LogbookError):
            self._show_status(str(error), error=True)
        else:
            self._show_status(f"The export failed unexpectedly: {error}", error=True)

    def _cancelled(self) -> None:
        self._show_status("Cancelled: no file was written.")

    def _open_result(self) -> None:
        if self.last_export is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_export.path)))

    def reject(self) -> None:
        # Closing while work runs would leave it writing for nobody: stop it first.
        if self.job is not None and self.job.running:
            self.job.cancel()
        super().reject()
