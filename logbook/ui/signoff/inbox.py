"""The supervisor's side of a request: review each entry, sign it or return it with a comment,
and write the response file.

An entry whose text looks like a client's details is flagged in the list (an icon), above it
(in words) and beside its fields (what was found and why), so the supervisor can return it
rather than sign identifiable content.
"""

from __future__ import annotations

import html
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.allowances import content_texts, describe_findings, scan_texts
from logbook.domain.catalogue import REFERENCES
from logbook.domain.choices import Choice
from logbook.domain.codec import field_types
from logbook.domain.durations import hours
from logbook.domain.errors import LogbookError
from logbook.domain.records import RecordKind
from logbook.domain.signing import describe_content, field_label
from logbook.domain.signoff import SignoffState
from logbook.services.logbook import Logbook
from logbook.services.signoff.files import RequestItem
from logbook.services.signoff.inbox import Decision, InboxEntry
from logbook.ui import theme
from logbook.ui.editors.guard import PrivacyNotice
from logbook.ui.layouts import fit_to_screen
from logbook.ui.signoff.dialogs import ActionDialog, SignerBox, buttons
from logbook.ui.signoff.widgets import (
    Banner,
    Column,
    PathField,
    RowsModel,
    muted,
    rows_view,
    state_colour,
    title,
)


@dataclass
class Answer:
    """The supervisor's decision on one entry, while they review."""

    item: RequestItem
    sign: bool = True
    comment: str = ""
    findings: tuple[str, ...] = ()  # what looks client-identifiable, field by field

    @property
    def label(self) -> str:
        return "Sign" if self.sign else "Return"

    @property
    def brief(self) -> str:
        return describe_content(self.item.content, self.item.context, brief=True)

    @property
    def day(self) -> str:
        for name in DATE_FIELDS:
            if isinstance(value := self.item.content.get(name), str):
                return _date_text(value)
        return ""

    @property
    def hours(self) -> str:
        minutes = self.item.content.get("duration_minutes")
        if isinstance(minutes, int) and minutes:
            return f"{hours(minutes)} h"
        if isinstance(minutes := self.item.content.get("minutes"), int):
            return f"{hours(minutes)} h"
        return ""

    def decision(self) -> Decision:
        return Decision.signed() if self.sign else Decision.returned(self.comment)


def item_findings(item: RequestItem) -> tuple[str, ...]:
    """What in a requested entry looks client-identifiable, one line per field, worded as the
    form's privacy notice and the command line word it."""
    found = scan_texts(item.uid, content_texts(item.target_kind, item.content))
    return tuple(f"{field_label(name)}: {text}" for name, text in describe_findings(found))


ENTRY_COLUMN = 1
WARNING_ICON = QStyle.StandardPixmap.SP_MessageBoxWarning


class AnswersModel(RowsModel[Answer]):
    """The requested entries; one that may identify a client carries a warning icon beside
    its description (and says so to a screen reader)."""

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if index.isValid() and index.column() == ENTRY_COLUMN and index.row() < len(self.rows):
            answer = self.rows[index.row()]
            if answer.findings and role == Qt.ItemDataRole.DecorationRole:
                return QApplication.style().standardIcon(WARNING_ICON)
            if answer.findings and role == Qt.ItemDataRole.AccessibleTextRole:
                return f"May identify a client. {answer.brief}"
        return super().data(index, role)


DATE_FIELDS = ("date", "start_date", "started_on", "due_date", "end_date", "completed_on")


def _date_text(value: str) -> str:
    try:
        return f"{date.fromisoformat(value):%d %b %Y}"
    except ValueError:
        return value


def shown_value(kind: str, name: str, value: Any) -> str:
    """A signed value as a person reads it: labels for choices, yes/no, lists joined."""
    if name == "duration_minutes" and isinstance(value, int):
        return f"{hours(value)} h ({value} min)"
    if name in DATE_FIELDS and isinstance(value, str):
        return _date_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " – ".join(str(v) for v in value.values() if v)
    try:
        declared = field_types(RecordKind(kind)).get(name)
    except ValueError:
        declared = None
    for option in (declared, *typing.get_args(declared)):
        if isinstance(option, type) and issubclass(option, Choice):
            try:
                return option(value).label
            except ValueError:
                break
    return str(value)


def item_html(item: RequestItem) -> str:
    """The fields of a requested entry as the supervisor reads them (names, not ids)."""
    muted_colour = theme.current().muted
    rows = []
    for name, value in item.content.items():
        if name in ("kind", "uid", "revision"):
            continue
        if name in REFERENCES:
            value = item.context.get(name.removesuffix("_uid")) or (
                None if value is None else "(not named)"
            )
        if value in (None, "", []):
            continue
        rows.append(
            f"<tr><td style='padding:3px 14px 3px 0; color:{muted_colour}; white-space:nowrap'>"
            f"{html.escape(field_label(name))}</td><td style='padding:3px 0'>"
            f"{html.escape(shown_value(item.target_kind, name, value))}</td></tr>"
        )
    return (
        f"<p style='font-size:12pt; font-weight:600'>{html.escape(item.description)}</p>"
        f"<table>{''.join(rows)}</table>"
        f"<p style='color:{muted_colour}'>Revision {item.revision} · content digest "
        f"{item.content_sha256[:16]}…</p>"
    )


class InboxDialog(ActionDialog):
    """Review a received request and answer it."""

    responded = Signal(object)

    def __init__(self, logbook: Logbook, entry: InboxEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook, self.entry = logbook, entry
        request = entry.request
        self.setWindowTitle(f"Request from {request.practitioner.name}")
        fit_to_screen(self, 960, 760)
        self.answers = [Answer(item, findings=item_findings(item)) for item in request.items]
        introduction = self._build_introduction()
        panes = self._build_panes()
        form, box = self._build_response()

        layout = QVBoxLayout(self)
        for widget in introduction:
            layout.addWidget(widget)
        layout.addWidget(panes, 1)
        layout.addWidget(self.signer)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(box)

        self._connect()
        if entry.status == "responded":
            self._answered()
        self.view.selectRow(0)
        self._update()

    def _build_introduction(self) -> list[QWidget]:
        """Who sent the request, when, how many entries, and their message."""
        request = self.entry.request
        who = request.practitioner
        registrations = ", ".join(who.registrations)
        header = title(f"Sign-off request from {who.name}", self, name="pageTitle")
        details = muted(
            " · ".join(
                p
                for p in (
                    registrations,
                    who.email,
                    f"sent {request.created_at:%d %b %Y}",
                    f"{len(request.items)} entr{'y' if len(request.items) == 1 else 'ies'}",
                )
                if p
            ),
            self,
        )
        message = QLabel(request.message or "No message.", self)
        message.setWordWrap(True)
        message.setObjectName("card")
        message.setContentsMargins(10, 8, 10, 8)
        return [header, details, message]

    def _build_panes(self) -> QSplitter:
        """The requested entries beside the review of the one selected."""
        self._build_entries()
        self._build_review()
        self.sign_all_button = QPushButton("Sign all", self)
        review = self._review_pane()
        entries = self._entries_pane()
        splitter = QSplitter(self)
        splitter.addWidget(entries)
        splitter.addWidget(review)
        splitter.setSizes([520, 420])
        return splitter

    def _build_entries(self) -> None:
        self.model: RowsModel[Answer] = AnswersModel(
            [
                Column[Answer]("Date", lambda a: a.day),
                Column[Answer]("Entry", lambda a: a.brief, tooltip=_entry_tooltip),
                Column[Answer]("Hours", lambda a: a.hours),
                Column[Answer](
                    "Your answer",
                    lambda a: a.label,
                    lambda a: state_colour(
                        SignoffState.VERIFIED if a.sign else SignoffState.RETURNED
                    ),
                ),
                Column[Answer]("Comment", lambda a: a.comment),
            ],
            parent=self,
        )
        self.model.set_rows(self.answers)
        self.view = rows_view(self.model, self, stretch=(1, 4), name="Requested entries")
        self.view.setSelectionMode(self.view.SelectionMode.SingleSelection)
        self.flagged = FlaggedSummary(self.answers, self)

    def _build_review(self) -> None:
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self.privacy = PrivacyNotice("this entry")
        self.privacy.keep_button.hide()  # kept or not is the practitioner's choice, not theirs
        self.privacy.heading.setText("<b>This entry may identify a client</b>")
        self.privacy.message.setTextFormat(Qt.TextFormat.PlainText)
        self.privacy.advice.setText("Return it with a comment rather than sign client details.")
        self.sign_choice = QRadioButton("Sign this entry", self)
        self.return_choice = QRadioButton("Return it with a comment", self)
        group = QButtonGroup(self)
        group.addButton(self.sign_choice)
        group.addButton(self.return_choice)
        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText("What should the practitioner correct?")
        self.comment.setAccessibleName("Comment")

    def _review_pane(self) -> QFrame:
        review = QFrame(self)
        layout = QVBoxLayout(review)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.privacy)
        layout.addWidget(self.detail, 1)
        choice = QHBoxLayout()
        choice.addWidget(self.sign_choice)
        choice.addWidget(self.return_choice)
        choice.addStretch(1)
        layout.addLayout(choice)
        layout.addWidget(self.comment)
        return review

    def _entries_pane(self) -> QWidget:
        entries = QWidget(self)
        layout = QVBoxLayout(entries)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.flagged)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.sign_all_button, 0, Qt.AlignmentFlag.AlignLeft)
        return entries

    def _build_response(self) -> tuple[QFormLayout, QDialogButtonBox]:
        """Who signs, a note back, and where the response file goes."""
        self.signer = SignerBox(self.logbook, self)
        self.reply = QPlainTextEdit(self)
        self.reply.setAccessibleName("Note to the practitioner")
        self.reply.setPlaceholderText("A note back to the practitioner (optional)")
        self.reply.setFixedHeight(52)
        self.file = PathField("Save the response as", save=True, parent=self)
        stamp = date.today().isoformat()
        self.file.set_path(Path.home() / f"sign-off response {stamp}.json")
        self.banner = Banner(self)
        box, self.respond_button = buttons(self, "Sign and write response")
        form = QFormLayout()
        form.addRow("Note", self.reply)
        form.addRow("Save as", self.file)
        return form, box

    def _connect(self) -> None:
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.sign_choice.toggled.connect(self._choice)
        self.comment.textEdited.connect(self._comment)
        self.sign_all_button.clicked.connect(self.sign_all)
        self.signer.changed.connect(self._update)
        self.signer.retyped.connect(self.banner.clear_message)
        self.file.changed.connect(self._update)
        self.respond_button.clicked.connect(self.respond)

    def _answered(self) -> None:
        when = self.entry.responded_at
        self.banner.info(
            f"You answered this request on {when:%d %b %Y}."
            if when
            else "You answered this request."
        )
        self.respond_button.setText("Save the response again")
        self.signer.hide()
        for widget in (self.sign_choice, self.return_choice, self.comment, self.reply):
            widget.setEnabled(False)

    def current(self) -> Answer | None:
        rows = self.view.selectionModel().selectedRows()
        return self.answers[rows[0].row()] if rows else None

    def _selected(self, *_: QItemSelection) -> None:
        answer = self.current()
        if answer is None:
            return
        self.detail.setHtml(item_html(answer.item))
        self._show_findings(answer)
        self.sign_choice.setChecked(answer.sign)
        self.return_choice.setChecked(not answer.sign)
        self.comment.setText(answer.comment)
        self.comment.setEnabled(not answer.sign and self.entry.status != "responded")

    def _show_findings(self, answer: Answer) -> None:
        if not answer.findings:
            self.privacy.hide()
            return
        self.privacy.message.setText("\n".join(answer.findings))
        self.privacy.setAccessibleDescription(" ".join(answer.findings))
        self.privacy.show()

    def _choice(self, sign: bool) -> None:
        answer = self.current()
        if answer is None:
            return
        answer.sign = sign
        self.comment.setEnabled(not sign)
        if not sign:
            self.comment.setFocus()
        self._refresh_row(answer)

    def _comment(self, text: str) -> None:
        answer = self.current()
        if answer is not None:
            answer.comment = text
            self._refresh_row(answer)

    def set_answer(self, uid: str, *, sign: bool, comment: str = "") -> None:
        """Answer one entry (as the radio buttons and comment field do)."""
        row = next(i for i, a in enumerate(self.answers) if a.item.uid == uid)
        self.view.selectRow(row)
        (self.sign_choice if sign else self.return_choice).setChecked(True)
        if not sign:
            self.comment.setText(comment)
            self._comment(comment)

    def sign_all(self) -> None:
        for answer in self.answers:
            answer.sign, answer.comment = True, ""
        self.model.set_rows(self.answers)
        self.view.selectRow(0)
        self._update()

    def _refresh_row(self, answer: Answer) -> None:
        row = self.answers.index(answer)
        last = self.model.columnCount() - 1
        self.model.dataChanged.emit(self.model.index(row, 0), self.model.index(row, last))
        self._update()

    def _update(self) -> None:
        if self.entry.status == "responded":
            self.respond_button.setEnabled(self.file.path() is not None)
            return
        signing = sum(1 for a in self.answers if a.sign)
        returning = len(self.answers) - signing
        parts = []
        if signing:
            parts.append(f"sign {signing}")
        if returning:
            parts.append(f"return {returning}")
        self.respond_button.setText(" and ".join(parts).capitalize() + ", write response")
        # Returning entries needs the signer too: the whole response is signed.
        self.respond_button.setEnabled(self.file.path() is not None and self.signer.ready())

    def respond(self) -> None:
        path = self.file.path()
        if path is None:
            return
        if self.entry.status == "responded":
            try:
                self.logbook.signoff.save_response_again(self.entry.uid, path)
            except LogbookError as error:
                self.banner.problem(str(error))
                return
            self.accept()
            return
        identity = self.signer.picker.identity()
        if identity is None:
            self.banner.problem("Choose your signing identity.")
            return
        try:
            responded = self.logbook.signoff.respond(
                self.entry.uid,
                {a.item.uid: a.decision() for a in self.answers},
                identity,
                self.signer.passphrase.text(),
                path,
                message=self.reply.toPlainText(),
            )
        except LogbookError as error:
            self.signer.passphrase.clear()
            self.banner.problem(str(error))
            return
        self.signer.passphrase.clear()
        self.change = responded.change
        self.responded.emit(responded.response)
        self.accept()


def _entry_tooltip(answer: Answer) -> str:
    if not answer.findings:
        return answer.item.description
    return "\n".join((answer.item.description, "May identify a client:", *answer.findings))


class FlaggedSummary(QWidget):
    """Above the list: how many entries may identify a client, in words beside the icon they
    carry in the list (hidden when none do)."""

    def __init__(self, answers: list[Answer], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        flagged = sum(1 for a in answers if a.findings)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(WARNING_ICON).pixmap(size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        which = "entry" if len(answers) == 1 else "entries"
        self.text = QLabel(
            f"{flagged} of {len(answers)} {which} may identify a client (marked like this): "
            "select to see why.",
            self,
        )
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.addWidget(icon)
        layout.addWidget(self.text, 1)
        self.setAccessibleName(self.text.text())
        self.setVisible(bool(flagged))


def inbox_columns() -> list[Column[Any]]:
    """The columns of the supervisor's inbox: received, from whom, entries, status, message."""
    return [
        Column[InboxEntry](
            "Received", lambda e: f"{e.received_at:%d %b %Y}" if e.received_at else ""
        ),
        Column[InboxEntry]("From", lambda e: e.request.practitioner.name),
        Column[InboxEntry]("Entries", lambda e: str(len(e.request.items))),
        Column[InboxEntry](
            "Status",
            lambda e: (
                f"Answered {e.responded_at:%d %b %Y}"
                if e.status == "responded" and e.responded_at
                else "To answer"
            ),
            lambda e: state_colour(
                SignoffState.VERIFIED if e.status == "responded" else SignoffState.AWAITING
            ),
        ),
        Column[InboxEntry]("Message", lambda e: e.request.message),
    ]
