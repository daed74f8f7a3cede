"""Signing on this computer: in person or in a batch, period summaries, paper evidence and
revocation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.durations import hours
from logbook.domain.errors import LogbookError
from logbook.domain.periods import Period, month_of
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, RecordKind
from logbook.domain.signing import (
    PeriodSummary,
    default_summary_statement,
)
from logbook.domain.signoff import SignoffMode
from logbook.services.logbook import Logbook
from logbook.services.signoff.files import RECEIPT_SUFFIX
from logbook.services.signoff.local import SignResult, batch_label
from logbook.services.signoff.status import SignatureInfo
from logbook.services.signoff.trust import SignerNotSupervisorError
from logbook.ui.layouts import fit_to_screen, scroll_body
from logbook.ui.qdate import to_date, to_qdate
from logbook.ui.signoff.dialogs.base import (
    SUMMARY_KINDS,
    TO_SIGN,
    ActionDialog,
    EntryChooser,
    EntryRow,
    buttons,
    date_edit,
    entry_columns,
    entry_rows,
)
from logbook.ui.signoff.dialogs.keys import KeyConfirmation, SignerBox
from logbook.ui.signoff.widgets import (
    Banner,
    PathField,
    RowsModel,
    muted,
    rows_view,
    title,
)


class SignDialog(ActionDialog):
    """The supervisor reviews entries on this computer and signs them (in person, or a batch)."""

    signed = Signal(object)

    def __init__(
        self,
        logbook: Logbook,
        *,
        mode: SignoffMode = SignoffMode.IN_PERSON,
        targets: Sequence[Record | PeriodSummary] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.logbook, self.mode = logbook, mode
        self.result_: SignResult | None = None
        batch = mode is SignoffMode.BATCH
        self.setWindowTitle("Sign a batch" if batch else "Sign in person")
        fit_to_screen(self, 780, 720)
        heading = title(
            "Sign a batch of entries" if batch else "Sign in person", self, name="pageTitle"
        )
        intro = muted(
            "The supervisor reviews every ticked entry, then signs all of them at once, "
            "for example all supervision of a month."
            if batch
            else "The supervisor reviews the ticked entries on this computer and signs them with "
            "their own identity and passphrase.",
            self,
        )
        self.entries = EntryChooser(logbook, wanted=TO_SIGN, parent=self)
        if targets is not None:
            self.entries.set_fixed(targets)
        self.label = QLineEdit(self)
        self.label.setAccessibleName("Batch name")
        self.label.setVisible(batch)
        self.signer = SignerBox(logbook, self, in_person=True)
        self.trust = KeyConfirmation(logbook, self)
        self.cosign = QLineEdit(self)
        self.cosign.setAccessibleName("Why someone else signs")
        self.cosign.setPlaceholderText(
            "Only if the signer is not the supervisor recorded, e.g. deputising during leave"
        )
        self.receipt = PathField(
            "Receipt for the supervisor",
            "Receipts (*.signoff-receipt.json);;All files (*)",
            save=True,
            parent=self,
        )
        self.receipt.setAccessibleName("Save a receipt for the supervisor to")
        self.receipt_problem = ""
        self.signer.picker.chosen.connect(self._suggest_receipt)
        self.banner = Banner(self)
        box, self.sign_button = buttons(self, "Sign")
        self.sign_button.clicked.connect(self.sign)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.entries, 1)
        if batch:
            form = QFormLayout()
            form.addRow("Batch name", self.label)
            layout.addLayout(form)
        layout.addWidget(self.signer)
        layout.addWidget(self.trust)
        self.cosign_row = QWidget(self)
        cosign = QFormLayout(self.cosign_row)
        cosign.setContentsMargins(0, 0, 0, 0)
        cosign.addRow("Co-signing because", self.cosign)
        self.cosign_row.hide()
        layout.addWidget(self.cosign_row)
        receipt = QFormLayout()
        receipt.addRow("Receipt for the supervisor", self.receipt)
        layout.addLayout(receipt)
        layout.addWidget(self.banner)
        layout.addWidget(box)
        scroll_body(self, box)
        self.entries.changed.connect(self._update)
        self.signer.changed.connect(self._update)
        self.signer.retyped.connect(self.banner.clear_message)
        self._update()

    def _update(self) -> None:
        count = len(self.entries.chosen())
        identity = self.signer.picker.identity()
        self.trust.show_for(identity.public if identity else None, self.entries.chosen())
        self.sign_button.setText(f"Sign {count} entr{'y' if count == 1 else 'ies'}")
        self.sign_button.setEnabled(count > 0 and self.signer.ready())
        kind = self.entries.current_kind()
        if self.mode is SignoffMode.BATCH and kind is not None and not self.label.isModified():
            self.label.setText(batch_label(kind, self.entries.period()))

    def sign(self) -> None:
        identity = self.signer.picker.identity()
        if identity is None:
            return
        try:
            self.result_ = self.logbook.signoff.sign(
                self.entries.chosen(),
                identity,
                self.signer.passphrase.text(),
                mode=self.mode,
                batch_label=self.label.text().strip() if self.mode is SignoffMode.BATCH else "",
                cosign_reason=self.cosign.text(),
                confirm_for=self.trust.person_uid(),
            )
        except SignerNotSupervisorError as error:
            self.signer.passphrase.clear()
            self.banner.problem(str(error))
            self.cosign_row.show()
            self.cosign.setFocus()
            return
        except LogbookError as error:
            self.signer.passphrase.clear()
            self.banner.problem(str(error))
            return
        self.signer.passphrase.clear()
        self.change = self.result_.change
        self._save_receipt(self.result_)
        self.signed.emit(self.result_)
        self.accept()

    def _suggest_receipt(self) -> None:
        """Beside the supervisor's identity file (their USB stick), once it is chosen."""
        identity_file = self.signer.picker.file.path()
        if identity_file is None or self.receipt.path() is not None:
            return
        who = self.logbook.signoff.practitioner().name
        name = f"Signed for {who} on {date.today():%d %b %Y}{RECEIPT_SUFFIX}"
        self.receipt.set_path(identity_file.parent / name)

    def _save_receipt(self, result: SignResult) -> None:
        path = self.receipt.path()
        if path is None:
            return
        try:
            self.logbook.signoff.save_receipt(result, path)
        except LogbookError as error:
            self.receipt_problem = str(error)


class PeriodSummaryDialog(ActionDialog):
    """A statement of hours over a period, kept for a request or signed here and now."""

    created = Signal(object)

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.summary: PeriodSummary | None = None
        self.setWindowTitle("Period summary")
        fit_to_screen(self, 640, 620)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of entry")
        for kind in SUMMARY_KINDS:
            self.kind.addItem(kind.label, kind.value)
        period = month_of(date.today())
        self.start = date_edit(period.start or date.today(), self)
        self.end = date_edit(period.end or date.today(), self)
        self.totals = QLabel(self)
        self.totals.setObjectName("statValue")
        self.statement = QPlainTextEdit(self)
        self.statement.setAccessibleName("Statement")
        self.statement.setFixedHeight(72)
        self._edited = False
        self.statement.textChanged.connect(self._statement_edited)
        self.signer = SignerBox(logbook, self)
        self.banner = Banner(self)
        box, self.sign_button = buttons(self, "Sign now")
        self.keep_button = box.addButton(
            "Keep for a request", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.keep_button.clicked.connect(self.keep)
        self.sign_button.clicked.connect(self.sign)
        form = QFormLayout()
        form.addRow("Entries", self.kind)
        span = QHBoxLayout()
        span.addWidget(self.start)
        span.addWidget(QLabel("to", self))
        span.addWidget(self.end)
        span.addStretch(1)
        form.addRow("Period", span)
        form.addRow("Recorded", self.totals)
        form.addRow("Statement", self.statement)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Period summary", self, name="pageTitle"))
        layout.addWidget(
            muted(
                "A supervisor can confirm a total, for example the supervised practice hours of "
                "a quarter. The totals are fixed when the summary is made; if entries of the "
                "period change later, the summary shows as changed since signed.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.signer)
        self.trust = KeyConfirmation(logbook, self)
        layout.addWidget(self.trust)
        layout.addWidget(self.banner)
        layout.addStretch(1)
        layout.addWidget(box)
        scroll_body(self, box)
        for signal in (self.kind.currentIndexChanged, self.start.dateChanged, self.end.dateChanged):
            signal.connect(self._preview)
        self.signer.changed.connect(self._update)
        self.signer.retyped.connect(self.banner.clear_message)
        self._preview()

    def set_period(self, period: Period) -> None:
        if period.start:
            self.start.setDate(to_qdate(period.start))
        if period.end:
            self.end.setDate(to_qdate(period.end))

    def _period(self) -> Period:
        start, end = to_date(self.start.date()), to_date(self.end.date())
        return Period(min(start, end), max(start, end))

    def _preview(self) -> None:
        kind = RecordKind(self.kind.currentData())
        total = self.logbook.records.summarise(RecordQuery(kind, period=self._period()))
        self.totals.setText(
            f"{hours(total.minutes)} h in {total.count} entr{'y' if total.count == 1 else 'ies'}"
        )
        if not self._edited:
            self.statement.blockSignals(True)
            self.statement.setPlainText(
                default_summary_statement(kind, self._period(), total.minutes, total.count)
            )
            self.statement.blockSignals(False)
        self._update()

    def _statement_edited(self) -> None:
        self._edited = True

    def _update(self) -> None:
        identity = self.signer.picker.identity()
        self.trust.show_for(identity.public if identity else None, [])
        self.sign_button.setEnabled(self.signer.ready())

    def _create(self) -> PeriodSummary | None:
        if self.summary is not None:
            return self.summary
        try:
            made = self.logbook.signoff.create_summary(
                RecordKind(self.kind.currentData()),
                self._period(),
                statement=self.statement.toPlainText() if self._edited else "",
            )
        except LogbookError as error:
            self.banner.problem(str(error))
            return None
        self.summary, self.change = made.summary, made.change
        self.created.emit(self.summary)
        return self.summary

    def keep(self) -> None:
        if self._create() is not None:
            self.accept()

    def sign(self) -> None:
        identity = self.signer.picker.identity()
        summary = self._create()
        if identity is None or summary is None:
            return
        try:
            signed = self.logbook.signoff.sign(
                [summary],
                identity,
                self.signer.passphrase.text(),
                confirm_for=self.trust.person_uid(),
            )
        except LogbookError as error:
            self.signer.passphrase.clear()
            self.banner.problem(f"The summary was kept, but not signed: {error}")
            return
        self.change |= signed.change
        self.signer.passphrase.clear()
        self.accept()


class PaperDialog(ActionDialog):
    """Attach a scanned or e-signed PDF to entries, as unverified evidence."""

    attached = Signal()

    def __init__(
        self,
        logbook: Logbook,
        targets: Sequence[Record],
        signer: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.logbook, self.targets = logbook, list(targets)
        self.setWindowTitle("Attach signed paper")
        fit_to_screen(self, 620, 480)
        model: RowsModel[EntryRow] = RowsModel(entry_columns(), parent=self)
        model.set_rows(entry_rows(logbook, self.targets))
        view = rows_view(model, self, stretch=1, name="Entries")
        self.file = PathField(
            "Scanned or e-signed PDF", "PDF files (*.pdf);;All files (*)", parent=self
        )
        self.signer = QLineEdit(signer, self)
        self.signer.setAccessibleName("Signed by")
        self.signed_on = date_edit(date.today(), self)
        self.signed_on.setAccessibleName("Signed on")
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Optional, e.g. 'Signature page of the March log'")
        self.banner = Banner(self)
        box, self.attach_button = buttons(self, "Attach as unverified evidence")
        self.attach_button.clicked.connect(self.attach)
        form = QFormLayout()
        form.addRow("PDF", self.file)
        form.addRow("Signed by", self.signer)
        form.addRow("Signed on", self.signed_on)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Attach signed paper", self, name="pageTitle"))
        layout.addWidget(
            muted(
                "When a supervisor can only sign on paper, attach the scan. It is kept with its "
                "SHA-256 and always shown as unverified: the app cannot check a picture of a "
                "signature.",
                self,
            )
        )
        layout.addWidget(view, 1)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(box)

    def attach(self) -> None:
        path = self.file.path()
        if path is None:
            self.banner.problem("Choose the PDF to attach.")
            return
        try:
            attached = self.logbook.signoff.attach_paper(
                self.targets,
                path,
                signer_name=self.signer.text(),
                signed_on=to_date(self.signed_on.date()),
                note=self.note.text(),
            )
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.change = attached.change
        self.attached.emit()
        self.accept()


class RevokeDialog(ActionDialog):
    """Revoke one signature, with the reason recorded beside it."""

    def __init__(
        self, logbook: Logbook, signature: SignatureInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.logbook, self.signature = logbook, signature
        self.setWindowTitle("Revoke a signature")
        fit_to_screen(self, 520, 320)
        self.reason = QPlainTextEdit(self)
        self.reason.setPlaceholderText("Why is this signature revoked?")
        self.reason.setAccessibleName("Reason")
        self.by = QLineEdit(self)
        self.by.setAccessibleName("Asked by")
        self.by.setPlaceholderText("Who asked for it (optional)")
        self.banner = Banner(self)
        box, self.revoke_button = buttons(self, "Revoke")
        self.revoke_button.clicked.connect(self.revoke)
        what = (
            f"{signature.mode.label} by {signature.signer_name} on "
            f"{signature.signed_at:%d %b %Y}, revision {signature.revision}"
        )
        form = QFormLayout()
        form.addRow("Reason", self.reason)
        form.addRow("Asked by", self.by)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Revoke a signature", self, name="pageTitle"))
        layout.addWidget(muted(what, self))
        layout.addWidget(
            muted(
                "The signature stays in the history with your reason next to it; it no longer "
                "counts. Sign-off is never undone silently.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(box)

    def revoke(self) -> None:
        try:
            revoked = self.logbook.signoff.revoke(
                self.signature.event_uid, self.reason.toPlainText(), by=self.by.text()
            )
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.change = revoked.change
        self.accept()
