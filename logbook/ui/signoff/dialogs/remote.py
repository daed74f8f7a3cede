"""Sign-off by file: writing a request, and reviewing and applying the response to it."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError, Problem
from logbook.domain.identity import PublicIdentity
from logbook.domain.records import Record, ReflectiveAccount
from logbook.domain.signing import (
    field_label,
)
from logbook.domain.signoff import SignoffState
from logbook.services.logbook import Logbook
from logbook.services.privacy import IdentifiersFoundError
from logbook.services.signoff.files import SignoffRequest
from logbook.services.signoff.requests import RequestCreated
from logbook.services.signoff.responses import ApplyResult, PartialResponseError, ResponseReview
from logbook.ui.layouts import fit_to_screen, scroll_body, scrolling
from logbook.ui.signoff.dialogs.base import TO_REQUEST, ActionDialog, EntryChooser, buttons
from logbook.ui.signoff.widgets import (
    Banner,
    Column,
    IdentityCard,
    PathField,
    RowsModel,
    muted,
    rows_view,
    state_colour,
    title,
)


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
    """One entry of a response as the dialog lists it: signed, returned (with the supervisor's
    comment) or refused (with the reason); ``colour`` is the state whose colour it is shown in."""

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
