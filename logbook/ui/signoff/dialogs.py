"""Dialogs of sign-off on this computer and by file: sign in person or in a batch, period
summaries, requests, applying a response, paper evidence, revocation, and new identities.

Every dialog shows problems inline (never in a blocking message box) and keeps the dialog open,
so the user can correct what is wrong; nothing is signed or attached until the service accepts
the whole action. The one question asked in a window of its own is whether a request may carry
text that looks like a client's details: it must not be missed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.audit import ConfirmMethod
from logbook.domain.catalogue import KINDS
from logbook.domain.durations import hours
from logbook.domain.errors import LogbookError, Problem
from logbook.domain.identity import PublicIdentity, SealedIdentity, create_identity
from logbook.domain.periods import Period, month_of
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, RecordKind, ReflectiveAccount, entry_date, minutes_of
from logbook.domain.signing import (
    SIGNABLE_KINDS,
    PeriodSummary,
    default_summary_statement,
    field_label,
)
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services.changes import Change
from logbook.services.identity import write_identity_file
from logbook.services.logbook import Logbook
from logbook.services.privacy import IdentifiersFoundError
from logbook.services.signoff.files import RECEIPT_SUFFIX, SignoffRequest
from logbook.services.signoff.local import SignResult, batch_label
from logbook.services.signoff.requests import RequestCreated
from logbook.services.signoff.responses import ApplyResult, PartialResponseError, ResponseReview
from logbook.services.signoff.status import SignatureInfo
from logbook.services.signoff.trust import SignerNotSupervisorError
from logbook.ui.layouts import fit_to_screen, scroll_body, scrolling
from logbook.ui.signoff.widgets import (
    Banner,
    Column,
    IdentityCard,
    IdentityPicker,
    PathField,
    RowsModel,
    muted,
    passphrase_field,
    rows_view,
    state_colour,
    title,
)

# Entries worth signing or asking about: not already signed (or awaiting, for requests).
TO_SIGN = {
    SignoffState.UNSIGNED,
    SignoffState.RETURNED,
    SignoffState.CHANGED,
    SignoffState.AWAITING,
    SignoffState.PAPER,
    SignoffState.FOREIGN,
    SignoffState.NOT_SUPERVISOR,
}
TO_REQUEST = TO_SIGN - {SignoffState.AWAITING}
SUMMARY_KINDS = tuple(k for k in SIGNABLE_KINDS if KINDS[k].has_minutes)


@dataclass(frozen=True)
class EntryRow:
    """One entry in a sign-off list: the record (or summary), how it reads, its state."""

    target: Record | PeriodSummary
    description: str
    state: SignoffState
    note: str = ""

    @property
    def uid(self) -> str:
        return self.target.uid

    @property
    def day(self) -> str:
        if isinstance(self.target, PeriodSummary):
            return f"{self.target.created_at:%d %b %Y}"
        found = entry_date(self.target)
        return f"{found:%d %b %Y}" if found else ""

    @property
    def hours(self) -> str:
        minutes = (
            self.target.minutes
            if isinstance(self.target, PeriodSummary)
            else minutes_of(self.target)
        )
        return f"{hours(minutes)} h" if minutes else ""


def entry_columns(*, with_state: bool = True, with_note: bool = False) -> list[Column[EntryRow]]:
    columns = [
        Column[EntryRow]("Date", lambda r: r.day),
        Column[EntryRow]("Entry", lambda r: r.description),
        Column[EntryRow]("Hours", lambda r: r.hours),
    ]
    if with_state:
        columns.append(
            Column[EntryRow]("Sign-off", lambda r: r.state.label, lambda r: state_colour(r.state))
        )
    if with_note:
        columns.append(Column[EntryRow]("Note", lambda r: r.note))
    return columns


def entry_rows(logbook: Logbook, targets: Sequence[Record | PeriodSummary]) -> list[EntryRow]:
    assessed = logbook.signoff.assess(targets)
    names = logbook.signoff.describe(targets, brief=True)
    return [
        EntryRow(
            t,
            names[t.uid],
            assessed[t.uid].state,
            assessed[t.uid].comment or assessed[t.uid].reason,
        )
        for t in targets
    ]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def date_edit(day: date, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def buttons(dialog: QDialog, action: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(dialog)
    cancel = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAutoDefault(False)
    primary = box.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    primary.setObjectName("primary")
    primary.setDefault(True)
    box.rejected.connect(dialog.reject)
    return box, primary


class ActionDialog(QDialog):
    """A dialog whose action the sign-off service performs; ``change`` is what it changed,
    for the page to refresh by and pass on (empty until the action succeeds)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.change = Change()


class EntryChooser(QWidget):
    """Which entries: a kind and a period, then the entries with a tick for each."""

    changed = Signal()

    def __init__(
        self,
        logbook: Logbook,
        *,
        wanted: set[SignoffState],
        period: Period | None = None,
        kinds: Sequence[RecordKind] = SIGNABLE_KINDS,
        summaries: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.wanted = wanted
        period = period or month_of(date.today())
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of entry")
        for kind in kinds:
            self.kind.addItem(kind.label, kind.value)
        if summaries:
            self.kind.addItem("Period summaries", "summary")
        self.start = date_edit(period.start or date.today(), self)
        self.end = date_edit(period.end or date.today(), self)
        self.start.setAccessibleName("From")
        self.end.setAccessibleName("To")
        self.model: RowsModel[EntryRow] = RowsModel(entry_columns(), checkable=True, parent=self)
        self.view = rows_view(self.model, self, stretch=1, name="Entries")
        self.view.setMinimumHeight(180)
        self.count = QLabel(self)
        self.count.setObjectName("muted")
        all_on = QPushButton("Tick all", self)
        all_off = QPushButton("Untick all", self)
        all_on.clicked.connect(lambda: self.model.set_all_checked(True))
        all_off.clicked.connect(lambda: self.model.set_all_checked(False))
        selectors = QHBoxLayout()
        selectors.addWidget(QLabel("Entries:", self))
        selectors.addWidget(self.kind, 1)
        selectors.addWidget(QLabel("from", self))
        selectors.addWidget(self.start)
        selectors.addWidget(QLabel("to", self))
        selectors.addWidget(self.end)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(all_on)
        footer.addWidget(all_off)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(selectors)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)
        self.kind.currentIndexChanged.connect(self.reload)
        self.start.dateChanged.connect(self.reload)
        self.end.dateChanged.connect(self.reload)
        self.model.dataChanged.connect(lambda *_: self._count())
        self.model.modelReset.connect(self._count)
        self.reload()

    def set_fixed(self, targets: Sequence[Record | PeriodSummary]) -> None:
        """Show exactly these entries (chosen elsewhere), all ticked."""
        for widget in (self.kind, self.start, self.end):
            widget.setEnabled(False)
        self.model.set_rows(entry_rows(self.logbook, targets))

    def preselect(self, targets: Sequence[Record]) -> None:
        """Show the entries of the targets' kind over their dates, with exactly ``targets``
        ticked (chosen in a list): other entries of the period stay there to add."""
        days = [day for t in targets if (day := entry_date(t)) is not None]
        selectors = (self.kind, self.start, self.end)
        for widget in selectors:
            widget.blockSignals(True)
        if targets:
            self.select_kind(targets[0].kind)
        if days:
            self.set_period(Period(min(days), max(days)))
        for widget in selectors:
            widget.blockSignals(False)
        self.reload()
        rows = list(self.model.rows)
        listed = {row.uid for row in rows}
        rows += entry_rows(self.logbook, [t for t in targets if t.uid not in listed])
        wanted = {t.uid for t in targets}
        self.model.set_rows(rows, [row.uid in wanted for row in rows])

    def set_period(self, period: Period) -> None:
        if period.start:
            self.start.setDate(_qdate(period.start))
        if period.end:
            self.end.setDate(_qdate(period.end))

    def select_kind(self, kind: RecordKind | str) -> None:
        index = self.kind.findData(str(kind))
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def period(self) -> Period:
        start, end = _day(self.start), _day(self.end)
        return Period(min(start, end), max(start, end))

    def current_kind(self) -> RecordKind | None:
        # Qt hands item data back as plain text: "summary" or a kind's value.
        data = self.kind.currentData()
        return None if data == "summary" else RecordKind(data)

    def reload(self) -> None:
        kind = self.current_kind()
        period = self.period()
        if kind is None:
            summaries = [
                s
                for s in self.logbook.signoff.summaries()
                if period.contains(s.created_at.date())
                or (s.period.start is not None and period.contains(s.period.start))
            ]
            rows = entry_rows(self.logbook, summaries)
        else:
            found = self.logbook.signoff.batch_candidates(kind, period)
            rows = entry_rows(self.logbook, [r for r, _ in found])
        self.model.set_rows(rows, [row.state in self.wanted for row in rows])

    def chosen(self) -> list[Record | PeriodSummary]:
        return [row.target for row in self.model.checked_rows()]

    def _count(self) -> None:
        ticked = len(self.model.checked_rows())
        total = len(self.model.rows)
        self.count.setText(f"{ticked} of {total} ticked" if total else "No entries in this period")
        self.changed.emit()


class SignerBox(QFrame):
    """Who signs, and their passphrase (typed by them, never kept)."""

    changed = Signal()
    retyped = Signal()

    def __init__(
        self, logbook: Logbook, parent: QWidget | None = None, *, in_person: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.logbook = logbook
        self.picker = IdentityPicker(logbook.signoff.identities.list(), self)
        self.passphrase = passphrase_field(self)
        form = QFormLayout()
        form.addRow("Passphrase", self.passphrase)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(title("Signed by", self))
        layout.addWidget(self.picker)
        if in_person:
            self.new_identity = QPushButton("The supervisor has no identity yet: create one…", self)
            self.new_identity.setAccessibleName("Create an identity for the supervisor")
            self.new_identity.clicked.connect(self.create_for_supervisor)
            row = QHBoxLayout()
            row.addWidget(self.new_identity)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(
            muted(
                "The private key is unlocked in memory for this signature only. "
                "It is never stored in this logbook.",
                self,
            )
        )
        self.picker.chosen.connect(self.changed)
        self.passphrase.textChanged.connect(self.changed)
        self.passphrase.textEdited.connect(self.retyped)

    def ready(self) -> bool:
        return self.picker.identity() is not None and bool(self.passphrase.text())

    def create_for_supervisor(self) -> IdentityDialog:
        """Let the supervisor make their identity here, saved only where they choose."""
        dialog = IdentityDialog(self.logbook, self, for_supervisor=True)
        dialog.saved.connect(self.picker.load_file)
        dialog.open()
        return dialog


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
            self.start.setDate(_qdate(period.start))
        if period.end:
            self.end.setDate(_qdate(period.end))

    def _period(self) -> Period:
        start, end = _day(self.start), _day(self.end)
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


class RequestDialog(ActionDialog):
    """The practitioner writes a sign-off request file for a supervisor."""

    created = Signal(object)

    def __init__(
        self,
        logbook: Logbook,
        parent: QWidget | None = None,
        *,
        entries: Sequence[Record] = (),
    ) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.request: SignoffRequest | None = None
        self.setWindowTitle("Request sign-off")
        fit_to_screen(self, 780, 760)
        self.entries = EntryChooser(logbook, wanted=TO_REQUEST, summaries=True, parent=self)
        if entries:
            self.entries.preselect(entries)
        self.supervisor = QComboBox(self)
        self.supervisor.setAccessibleName("Supervisor")
        for signer in logbook.signoff.known_signers():
            self.supervisor.addItem(
                f"{signer.identity.name}  ({signer.fingerprint})", signer.identity
            )
        self.supervisor.addItem("Someone whose identity this logbook does not know yet", None)
        self.supervisor_name = QLineEdit(self)
        self.supervisor_name.setPlaceholderText("The supervisor's name")
        self.supervisor_name.setAccessibleName("Supervisor's name")
        self.message = QPlainTextEdit(self)
        self.message.setPlaceholderText("A note for the supervisor (optional)")
        self.message.setFixedHeight(64)
        self.file = PathField("Save the request as", save=True, parent=self)
        stamp = date.today().isoformat()
        self.file.set_path(Path.home() / f"sign-off request {stamp}.json")
        self.private = QCheckBox(
            "Let the supervisor read the private reflective accounts ticked", self
        )
        self.private.hide()
        self.banner = Banner(self)
        box, self.create_button = buttons(self, "Create request")
        self.create_button.clicked.connect(self.write_request)
        form = QFormLayout()
        form.addRow("Supervisor", self.supervisor)
        form.addRow("", self.supervisor_name)
        form.addRow("Message", self.message)
        form.addRow("Save as", self.file)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Request sign-off by file", self, name="pageTitle"))
        layout.addWidget(
            muted(
                "The request file holds the ticked entries exactly as they will be signed, your "
                "name and registrations, and your message. Private reflections are never "
                "included. Send it by email or on a USB stick; the supervisor opens it in their "
                "own copy of Practice Logbook.",
                self,
            )
        )
        layout.addWidget(self.entries, 1)
        layout.addLayout(form)
        layout.addWidget(self.private)
        layout.addWidget(self.banner)
        layout.addWidget(box)
        scroll_body(self, box)
        self.supervisor.currentIndexChanged.connect(self._update)
        self.supervisor_name.textChanged.connect(self._update)
        self.entries.changed.connect(self._update)
        self.file.changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        known = self.supervisor.currentData()
        self.supervisor_name.setVisible(known is None)
        chosen = self.entries.chosen()
        private = [t for t in chosen if isinstance(t, ReflectiveAccount) and t.private]
        self.private.setVisible(bool(private))
        name = (
            known.name if isinstance(known, PublicIdentity) else self.supervisor_name.text().strip()
        )
        count = len(chosen)
        self.create_button.setText(f"Create request for {count} entr{'y' if count == 1 else 'ies'}")
        self.create_button.setEnabled(bool(chosen) and bool(name) and self.file.path() is not None)

    def write_request(self) -> None:
        path = self.file.path()
        if path is None:
            return
        try:
            try:
                created = self._write(path, allow_identifiers=False)
            except IdentifiersFoundError as error:
                if not IdentifiersDialog(error.problems, self).ask():
                    self.banner.info(GONE_BACK)
                    return
                created = self._write(path, allow_identifiers=True)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.request, self.change = created.request, created.change
        self.created.emit(self.request)
        self.accept()

    def _write(self, path: Path, *, allow_identifiers: bool) -> RequestCreated:
        known = self.supervisor.currentData()
        return self.logbook.signoff.create_request(
            self.entries.chosen(),
            path,
            supervisor=known if isinstance(known, PublicIdentity) else None,
            supervisor_name=self.supervisor_name.text(),
            message=self.message.toPlainText(),
            allow_private=self.private.isChecked(),
            allow_identifiers=allow_identifiers,
        )


GONE_BACK = (
    "The request was not created. Untick (or edit) the entries that may identify a client, "
    "or take the client's details out of your message, then create it again."
)
# The service names a finding in the cover message by this field, and an entry's by its own.
MESSAGE_FIELD = "message"


def findings_html(problems: Sequence[Problem]) -> str:
    """The findings of a refused request, entry by entry, then the cover message's."""
    by_entry: dict[str, list[str]] = {}
    in_message: list[str] = []
    counted: list[str] = []
    for problem in problems:
        if problem.source:
            line = f"{field_label(problem.field)}: {problem.message}"
            by_entry.setdefault(problem.source, []).append(line)
        elif problem.field == MESSAGE_FIELD:
            in_message.append(problem.message)
        else:
            counted.append(problem.message)  # "… and 4 more problems"
    parts = [
        f"<p style='margin:6px 0 2px 0'><b>{html.escape(entry)}</b></p>"
        + "".join(f"<div style='margin-left:14px'>{html.escape(line)}</div>" for line in lines)
        for entry, lines in by_entry.items()
    ]
    if in_message:
        parts.append(
            "<p style='margin:6px 0 2px 0'><b>Your message</b></p>"
            + "".join(f"<div style='margin-left:14px'>{html.escape(m)}</div>" for m in in_message)
        )
    parts.extend(f"<p>{html.escape(line)}</p>" for line in counted)
    return "".join(parts)


class IdentifiersDialog(QDialog):
    """Asks before a request carries text that may identify a client: where it is, what was
    found and why, then "Go back" (the default, so Enter never sends it by accident) or
    "Create anyway"."""

    def __init__(self, problems: Sequence[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check before sending")
        in_entries = any(p.source for p in problems)
        in_message = any(not p.source and p.field == MESSAGE_FIELD for p in problems)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        heading = QLabel(
            "<b>This request may identify a client.</b> Nothing was written yet.", self
        )
        heading.setWordWrap(True)
        self.findings = QLabel(findings_html(problems))
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.findings.setAccessibleName("What may identify a client")
        advice = []
        if in_entries:
            advice.append(
                "Go back and untick these entries (or edit them first), or create the request "
                "as it is: keeping them is recorded on each entry, so you will not be asked "
                "about them again."
            )
        if in_message:
            advice.append(
                "Your message is not an entry: nothing is recorded for it, and what you send "
                "in it is your choice."
            )
        box = QDialogButtonBox(self)
        self.anyway = box.addButton("Create anyway", QDialogButtonBox.ButtonRole.AcceptRole)
        self.anyway.setAutoDefault(False)
        self.back = box.addButton("Go back", QDialogButtonBox.ButtonRole.RejectRole)
        self.back.setDefault(True)
        self.back.setFocus()
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(icon)
        top.addWidget(heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        area = scrolling(self.findings, self)
        # No taller than the findings: a short list leaves no gap, a long one scrolls.
        area.setMaximumHeight(self.findings.heightForWidth(560) + 8)
        layout.addWidget(area, 1)
        self.advice = muted(" ".join(advice), self)
        layout.addWidget(self.advice)
        layout.addWidget(box)
        self.setMinimumWidth(480)
        # As tall as the findings need (a long list scrolls), on any screen.
        fit_to_screen(self, 600, self.sizeHint().height())

    def ask(self) -> bool:
        """Whether the user chose to create the request anyway."""
        return self.exec() == QDialog.DialogCode.Accepted


@dataclass(frozen=True)
class AnswerRow:
    description: str
    answer: str
    note: str
    colour: SignoffState


class ApplyResponseDialog(ActionDialog):
    """Check a supervisor's response file, then attach only what verifies."""

    applied = Signal(object)

    def __init__(
        self, logbook: Logbook, path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.review: ResponseReview | None = None
        self.result_: ApplyResult | None = None
        self.setWindowTitle("Apply a response")
        fit_to_screen(self, 760, 600)
        self.file = PathField("Response file", parent=self)
        self.card = IdentityCard(self)
        self.card.hide()
        self.trust = QCheckBox(self)
        self.trust.hide()
        self.message = muted("", self)
        self.message.hide()
        self.model: RowsModel[AnswerRow] = RowsModel(
            [
                Column[AnswerRow]("Entry", lambda r: r.description),
                Column[AnswerRow]("Answer", lambda r: r.answer, lambda r: state_colour(r.colour)),
                Column[AnswerRow]("Comment or reason", lambda r: r.note),
            ],
            parent=self,
        )
        self.view = rows_view(self.model, self, stretch=0, name="Answers")
        self.partial = QCheckBox(self)
        self.partial.hide()
        self.banner = Banner(self)
        box, self.apply_button = buttons(self, "Apply")
        self.apply_button.clicked.connect(self.apply)
        form = QFormLayout()
        form.addRow("Response file", self.file)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Apply a supervisor's response", self, name="pageTitle"))
        layout.addWidget(
            muted(
                "Every signature is checked before anything is attached. Returned entries "
                "show the supervisor's comment and go back to you to correct.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.card)
        layout.addWidget(self.trust)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.partial)
        layout.addWidget(self.banner)
        layout.addWidget(box)
        self.file.changed.connect(self._read)
        self.trust.toggled.connect(self._update)
        self.partial.toggled.connect(self._update)
        if path is not None:
            self.file.set_path(path)
        self._read()

    def _read(self) -> None:
        self.review = None
        self.banner.clear_message()
        self.model.set_rows([])
        path = self.file.path()
        if path is not None and path.is_file():
            try:
                self.review = self.logbook.signoff.review_response(path)
            except LogbookError as error:
                self.banner.problem(str(error))
        self._show_review()

    def _show_review(self) -> None:
        review = self.review
        for widget in (self.card, self.trust, self.message, self.partial):
            widget.setVisible(review is not None)
        if review is None:
            self._update()
            return
        supervisor = review.supervisor
        self.card.show_identity(supervisor)
        if review.signer_known:
            self.trust.hide()
        else:
            self.trust.setText(
                f"{supervisor.name}'s key is new to this logbook. I have checked with them that "
                f"their fingerprint is {supervisor.fingerprint}."
            )
            self.trust.setChecked(False)
        text = review.response.message
        self.message.setText(f"Message from {supervisor.name}: {text}" if text else "")
        self.message.setVisible(bool(text))
        rows = [
            AnswerRow(i.description, "Signed", "", SignoffState.VERIFIED) for i, _ in review.to_sign
        ]
        rows += [
            AnswerRow(i.description, "Returned", r.comment, SignoffState.RETURNED)
            for i, r in review.to_return
        ]
        rows += [
            AnswerRow(r.description, "Refused", r.reason, SignoffState.INVALID)
            for r in review.refused
        ]
        self.model.set_rows(rows)
        valid = len(review.to_sign) + len(review.to_return)
        if review.refused:
            self.partial.setText(
                f"{len(review.refused)} entr{'y' if len(review.refused) == 1 else 'ies'} cannot be "
                f"accepted (see the reasons above). Apply the {valid} valid answer(s) only."
            )
            self.partial.setChecked(False)
            self.partial.setVisible(valid > 0)
        else:
            self.partial.hide()
        self._update()

    def _update(self) -> None:
        review = self.review
        ok = review is not None
        if review is not None:
            valid = len(review.to_sign) + len(review.to_return)
            ok = valid > 0
            if not review.signer_known and not self.trust.isChecked():
                ok = False
            if review.refused and not self.partial.isChecked():
                ok = False
            signed = len(review.to_sign)
            self.apply_button.setText(f"Apply {signed} signature{'s' if signed != 1 else ''}")
        self.apply_button.setEnabled(ok)

    def apply(self) -> None:
        path = self.file.path()
        if path is None or self.review is None:
            return
        try:
            self.result_ = self.logbook.signoff.apply_response(
                path,
                confirm_partial=self.partial.isChecked(),
                trust_signer=self.trust.isChecked() or self.review.signer_known,
            )
        except PartialResponseError as error:
            self.banner.problem(str(error))
            return
        except LogbookError as error:
            # The file or the logbook changed since it was read: show it afresh, then why.
            self._read()
            self.banner.problem(str(error))
            return
        self.change = self.result_.change
        self.applied.emit(self.result_)
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
                signed_on=_day(self.signed_on),
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


class IdentityDialog(ActionDialog):
    """Create a signing identity: one's own, kept on this computer, or, ``for_supervisor``, a
    supervisor's made on the spot while signing in person and written only to the file they
    choose (their USB stick); this computer keeps none of it."""

    created = Signal(object)
    saved = Signal(object)

    def __init__(
        self, logbook: Logbook, parent: QWidget | None = None, *, for_supervisor: bool = False
    ) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.for_supervisor = for_supervisor
        self.identity: SealedIdentity | None = None
        self.destination = PathField(
            "Save the identity file to",
            "Identity files (*.identity.json);;All files (*)",
            save=True,
            parent=self,
        )
        self.destination.setVisible(for_supervisor)
        self.setWindowTitle("New signing identity")
        fit_to_screen(self, 520, 420)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Your name")
        self.body = QLineEdit(self)
        self.body.setAccessibleName("Registration body")
        self.body.setPlaceholderText("e.g. HCPC, BACP, BABCP, NMC")
        self.number = QLineEdit(self)
        self.number.setAccessibleName("Registration number")
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName("Organisation")
        self.passphrase = passphrase_field(self)
        self.passphrase.setPlaceholderText("At least 8 characters; a few words are best")
        self.again = passphrase_field(self)
        self.again.setAccessibleName("Passphrase again")
        self.again.setPlaceholderText("The same again")
        self.banner = Banner(self)
        box, self.create_button = buttons(self, "Create identity")
        self.create_button.clicked.connect(self.create_identity)
        form = QFormLayout()
        form.addRow("Your name", self.name)
        form.addRow("Registration body", self.body)
        form.addRow("Registration number", self.number)
        form.addRow("Organisation", self.organisation)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Passphrase again", self.again)
        if for_supervisor:
            form.addRow("Save to (your USB stick)", self.destination)
        layout = QVBoxLayout(self)
        layout.addWidget(title("Your signing identity", self, name="pageTitle"))
        if for_supervisor:
            layout.addWidget(
                muted(
                    "For the supervisor, at the keyboard: your identity file is written only "
                    "where you choose, sealed under your passphrase. This computer keeps your "
                    "public key and nothing else. Note your fingerprint when it is shown.",
                    self,
                )
            )
        layout.addWidget(
            muted(
                "Supervisors sign with an identity: their name and registration, and a key "
                "protected by their passphrase. Nobody can sign in your name without both the "
                "identity file and the passphrase. If you forget the passphrase, create a new "
                "identity and tell your supervisees its fingerprint.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addStretch(1)
        layout.addWidget(box)

    def create_identity(self) -> None:
        if self.passphrase.text() != self.again.text():
            self.banner.problem("The two passphrases differ.")
            return
        destination = self.destination.path()
        if self.for_supervisor and destination is None:
            self.banner.problem("Choose where to save your identity file (your USB stick).")
            return
        details: dict[str, Any] = {
            "registration_body": self.body.text(),
            "registration_number": self.number.text(),
            "organisation": self.organisation.text(),
        }
        try:
            if destination is not None and self.for_supervisor:
                self.identity = create_identity(self.name.text(), self.passphrase.text(), **details)
                write_identity_file(self.identity, destination)
            else:
                made = self.logbook.signoff.create_identity(
                    self.name.text(), self.passphrase.text(), **details
                )
                self.identity, self.change = made.identity, made.change
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        finally:
            self.passphrase.clear()
            self.again.clear()
        self.created.emit(self.identity)
        if destination is not None and self.for_supervisor:
            self.saved.emit(destination)
        self.accept()


class KeyConfirmation(QFrame):
    """Pin the signer's key, once the supervisor has compared its fingerprint with theirs.

    Shown only for a key this logbook has not confirmed: a key is never trusted because it was
    made or loaded here, only on the practitioner's word, recorded with how and when.
    """

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.logbook = logbook
        self.check = QCheckBox(self)
        self.check.setAccessibleName("The supervisor confirmed the fingerprint")
        self.person = QComboBox(self)
        self.person.setAccessibleName("Whose key it is")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(title("Confirm the key", self))
        layout.addWidget(self.check)
        form = QFormLayout()
        form.addRow("It is the key of", self.person)
        layout.addLayout(form)
        self.hide()

    def show_for(
        self, signer: PublicIdentity | None, targets: Sequence[Record | PeriodSummary]
    ) -> None:
        pinned = {k.fingerprint for k in self.logbook.signoff.known_signers() if k.confirmed_at}
        if signer is None or signer.fingerprint in pinned:
            self.check.setChecked(False)
            self.hide()
            return
        self.check.setText(
            f"{signer.name} compared {signer.fingerprint} with their own screen or card, "
            "here with me: it matches"
        )
        self.person.clear()
        people = self.logbook.signoff.people_who_could_sign(targets, signer.name)
        for person in people:
            self.person.addItem(person.name, person.uid)
        self.show()

    def person_uid(self) -> str | None:
        if not self.isVisible() or not self.check.isChecked():
            return None
        uid = self.person.currentData()
        return str(uid) if uid else None


class ConfirmKeyDialog(ActionDialog):
    """The practitioner confirms that a key is a supervisor's, having checked it with them."""

    def __init__(
        self, logbook: Logbook, key: PublicIdentity, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.logbook, self.key = logbook, key
        self.setWindowTitle("Confirm a supervisor's key")
        fit_to_screen(self, 560, 340)
        self.person = QComboBox(self)
        self.person.setAccessibleName("Whose key it is")
        for person in logbook.signoff.people_who_could_sign([], key.name):
            self.person.addItem(person.name, person.uid)
        self.method = QComboBox(self)
        self.method.setAccessibleName("How you checked it")
        for method in ConfirmMethod:
            self.method.addItem(method.label, method)
        self.check = QCheckBox(
            f"The fingerprint they gave me is {key.fingerprint}, exactly as shown here", self
        )
        self.check.setAccessibleName("The fingerprints are the same")
        self.banner = Banner(self)
        box, self.confirm_button = buttons(self, "Confirm key")
        self.confirm_button.clicked.connect(self.confirm)
        self.check.toggled.connect(self.confirm_button.setEnabled)
        self.confirm_button.setEnabled(False)
        form = QFormLayout()
        form.addRow("Key of", self.person)
        form.addRow("Checked", self.method)
        layout = QVBoxLayout(self)
        layout.addWidget(title(f"Confirm the key of {key.name}", self, name="pageTitle"))
        card = IdentityCard(self)
        card.show_identity(key)
        layout.addWidget(card)
        layout.addWidget(
            muted(
                "Ask the supervisor to read their fingerprint from their own app, card or "
                "screen (not from a file they sent). Only then are their signatures shown as "
                "verified. Your confirmation is recorded, signed, with how and when.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.check)
        layout.addWidget(self.banner)
        layout.addWidget(box)

    def confirm(self) -> None:
        uid = self.person.currentData()
        if not uid:
            self.banner.problem("Add the supervisor under People first; the key is pinned to them.")
            return
        try:
            method = ConfirmMethod(self.method.currentData())
            confirmed = self.logbook.signoff.confirm_key(str(uid), self.key, method)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.change = confirmed.change
        self.accept()
