"""The "Sign-off" section: what awaits a signature, what came back, what changed since it was
signed; requests sent; the supervisor's inbox; signing identities.

Every state shown is checked (signatures verified) each time the page is shown or changes.
Sign-off is an audit trail and never part of undo.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QUrl, QUrlQuery, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.domain.identity import SealedIdentity
from logbook.domain.records import Record, RecordKind
from logbook.domain.signing import SIGNABLE_KINDS, Assessment
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services.changes import Change, Topic
from logbook.services.identity import read_public_identity
from logbook.services.logbook import Logbook
from logbook.services.signed_by_me import GivenSignature
from logbook.services.signoff.evidence import VerificationReport
from logbook.services.signoff.inbox import InboxEntry
from logbook.services.signoff.keys import KnownSigner
from logbook.services.signoff.requests import SentRequest
from logbook.services.signoff.status import SignatureInfo, SignoffDetail
from logbook.ui import theme
from logbook.ui.layouts import FlowLayout
from logbook.ui.pages import Page, PageContext
from logbook.ui.signoff.dialogs import (
    ActionDialog,
    ApplyResponseDialog,
    ConfirmKeyDialog,
    EntryRow,
    IdentityDialog,
    PaperDialog,
    PeriodSummaryDialog,
    RequestDialog,
    RevokeDialog,
    SignDialog,
    entry_columns,
)
from logbook.ui.signoff.inbox import InboxDialog, inbox_columns, shown_value
from logbook.ui.signoff.widgets import (
    Banner,
    Column,
    RowsModel,
    muted,
    rows_view,
    state_colour,
    title,
)

JSON_FILES = "Sign-off files (*.json);;All files (*)"


def button_group(buttons: Sequence[QWidget], parent: QWidget) -> QWidget:
    """Buttons side by side, kept together when a row of groups wraps."""
    group = QWidget(parent)
    layout = QHBoxLayout(group)
    layout.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        layout.addWidget(button)
    return group


# Rows a list shows at once (the newest); a logbook may hold tens of thousands of signatures.
PAGE_ROWS = 500
# Up to this many signed entries, every signature is checked when the page is first shown;
# beyond it, "Check all signatures" does it on request (about 0.2 ms a signature).
FULL_CHECK_LIMIT = 3000


class EntriesTab(QWidget):
    """Entries in some sign-off states, with the sign-off detail of the one selected."""

    def __init__(self, page: SignoffPage, states: set[SignoffState], empty: str) -> None:
        super().__init__(page)
        self.page, self.states, self.empty = page, states, empty
        self.more = muted("", self)
        self.more.hide()
        # A tab of one state needs no state column; the note (comment, reason) gets the room.
        several = len(states) > 1
        self.model: RowsModel[EntryRow] = RowsModel(
            entry_columns(with_state=several, with_note=True), parent=self
        )
        self.view = rows_view(self.model, self, stretch=(1, 4 if several else 3), name="Entries")
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName("Sign-off details")
        self.current: SignoffDetail | None = None
        self.sign_button = QPushButton("Sign in person…", self)
        self.paper_button = QPushButton("Attach signed paper…", self)
        self.revoke_button = QPushButton("Revoke signature…", self)
        self.sign_button.clicked.connect(self.sign_selected)
        self.paper_button.clicked.connect(self.paper_for_selected)
        self.revoke_button.clicked.connect(self.revoke_newest)
        actions = QHBoxLayout()
        for button in (self.sign_button, self.paper_button, self.revoke_button):
            actions.addWidget(button)
        actions.addStretch(1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.more)
        layout.addLayout(actions)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _: self.sign_selected())

    def reload(self) -> int:
        service = self.page.logbook.signoff
        if self.states == {SignoffState.INVALID}:
            found = self.page.checked_invalid()
            total = len(found)
        else:
            checked = service.in_states(self.states, limit=PAGE_ROWS, keep_invalid=True)
            self.page.note_invalid(r for r, a in checked if a.state is SignoffState.INVALID)
            found = [(r, a) for r, a in checked if a.state in self.states]
            total = len(found)
            if len(checked) >= PAGE_ROWS:
                total = max(total, service.count_in_states(self.states))
        self.more.setText(f"Showing the newest {len(found)} of {total}.")
        self.more.setVisible(total > len(found))
        targets = [r for r, _ in found]
        names = self.page.logbook.signoff.describe(targets, brief=True)
        rows = [EntryRow(r, names[r.uid], a.state, a.comment or a.reason) for r, a in found]
        self.model.set_rows(rows)
        # The note column (comments, reasons) only takes room when some row has one.
        self.view.setColumnHidden(self.model.columnCount() - 1, not any(r.note for r in rows))
        if rows:
            self.view.selectRow(0)
        else:
            self.current = None
            self.detail.setHtml(
                f"<p style='color:{theme.current().muted}'>{html.escape(self.empty)}</p>"
            )
        self._update()
        return total

    def selected(self) -> list[EntryRow]:
        return [self.model.rows[i.row()] for i in self.view.selectionModel().selectedRows()]

    def _selected(self, *_: Any) -> None:
        chosen = self.selected()
        self.current = self.page.logbook.signoff.detail(chosen[0].target) if chosen else None
        if self.current is not None:
            target = chosen[0].target
            heading = self.page.logbook.signoff.describe([target])[target.uid]
            self.detail.setHtml(detail_html(heading, chosen[0], self.current))
        self._update()

    def _update(self) -> None:
        chosen = self.selected()
        records = [row.target for row in chosen if isinstance(row.target, Record)]
        self.sign_button.setEnabled(bool(chosen))
        self.paper_button.setEnabled(bool(records))
        live = self.current is not None and any(
            s.valid or s.mode is SignoffMode.PAPER for s in self.current.signatures
        )
        self.revoke_button.setEnabled(live)

    def sign_selected(self) -> QDialog | None:
        chosen = [row.target for row in self.selected()]
        if not chosen:
            return None
        return self.page.show_dialog(SignDialog(self.page.logbook, targets=chosen, parent=self))

    def paper_for_selected(self) -> QDialog | None:
        records = [row.target for row in self.selected() if isinstance(row.target, Record)]
        if not records:
            return None
        return self.page.show_dialog(PaperDialog(self.page.logbook, records, parent=self))

    def revoke_newest(self) -> QDialog | None:
        if self.current is None:
            return None
        live = [s for s in self.current.signatures if s.valid or s.mode is SignoffMode.PAPER]
        if not live:
            return None
        return self.page.show_dialog(RevokeDialog(self.page.logbook, live[-1], parent=self))


def sending_links(path: Path, supervisor: str, entries: int) -> dict[str, QUrl]:
    """ "Open folder" (where the request file is) and "Email it" (a new email to attach it to:
    an email link cannot carry the file itself, so the body says where it is)."""
    path = path.expanduser().resolve()
    query = QUrlQuery()
    query.addQueryItem("subject", f"Sign-off request: {entries} entries")
    query.addQueryItem(
        "body",
        f"Dear {supervisor},\n\nPlease find attached my sign-off request ({path.name}).\n\n"
        f"(Attach the file from {path})",
    )
    email = QUrl("mailto:")
    email.setQuery(query)
    return {"Open folder": QUrl.fromLocalFile(str(path.parent)), "Email it": email}


def detail_html(heading: str, row: EntryRow, detail: SignoffDetail) -> str:
    """A record's sign-off panel: state and why, comment, signatures, what changed."""
    c = theme.current()
    state = detail.state
    parts = [
        f"<p style='font-size:12pt; font-weight:600'>{html.escape(heading)}</p>",
        f"<p><span style='color:{state_colour(state).name()}; font-weight:600'>"
        f"{html.escape(state.label)}</span></p>",
    ]
    assessment = detail.assessment
    requests = [e for e in detail.history if e.event_type.value == "requested"]
    if state is SignoffState.AWAITING and requests:
        asked = requests[-1]
        parts.append(
            f"<p style='color:{c.muted}'>Requested from {html.escape(asked.actor_name)} on "
            f"{asked.occurred_at:%d %b %Y}. Apply their response file when it comes back.</p>"
        )
    if assessment.comment:
        parts.append(f"<p><b>Supervisor's comment:</b> {html.escape(assessment.comment)}</p>")
    if assessment.reason and state in NEEDS_A_REASON:
        parts.append(
            f"<p style='color:{c.muted}'>{html.escape(assessment.reason.capitalize())}.</p>"
        )
    if detail.changes:
        kind = row.target.kind.value if isinstance(row.target, Record) else "period_summary"
        cells = "".join(
            f"<tr><td style='padding:2px 12px 2px 0'>{html.escape(ch.label)}</td>"
            f"<td style='padding:2px 12px 2px 0; color:{c.muted}'>"
            f"{html.escape(_value(kind, ch.field, ch.signed))}</td>"
            f"<td style='padding:2px 0'>{html.escape(_value(kind, ch.field, ch.current))}</td></tr>"
            for ch in detail.changes
        )
        parts.append(
            "<p style='font-weight:600'>What changed since it was signed</p>"
            f"<table><tr><th align='left' style='padding-right:12px'>Field</th>"
            f"<th align='left' style='padding-right:12px'>Signed</th><th align='left'>Now</th></tr>"
            f"{cells}</table>"
        )
    if detail.signatures:
        parts.append("<p style='font-weight:600'>Signatures</p>")
        for s in detail.signatures:
            mark, colour = _signature_mark(s)
            who = ", ".join(p for p in (s.signer_name, s.registration, s.organisation) if p)
            fingerprint = f"<br/>Fingerprint <tt>{s.fingerprint}</tt>" if s.fingerprint else ""
            batch = f"<br/>{html.escape(s.batch)}" if s.batch else ""
            reason = f"<br/>{html.escape(s.reason)}" if s.reason and not s.valid else ""
            if s.proves_reason and s.proves is not SignoffState.VERIFIED:
                reason += f"<br/>{html.escape(s.proves_reason.capitalize())}."
            elif s.proves_reason:
                reason += (
                    f"<br/><span style='color:{c.muted}'>{html.escape(s.proves_reason)}</span>"
                )
            if s.cosign_reason:
                reason += f"<br/>Signed in the supervisor's place: {html.escape(s.cosign_reason)}"
            if s.signed_for:
                reason += f"<br/>Signed for {html.escape(s.signed_for)}"
            parts.append(
                f"<p>{html.escape(who)}<br/>{html.escape(s.mode.label)} · "
                f"{s.signed_at:%d %b %Y %H:%M} UTC · revision {s.revision} · "
                f"<span style='color:{colour}'>{mark}</span>{fingerprint}{batch}{reason}</p>"
            )
    history = [e for e in detail.history if e.event_type.value == "revoked"]
    for event in history:
        parts.append(
            f"<p style='color:{c.muted}'>A signature was revoked on {event.occurred_at:%d %b %Y}: "
            f"{html.escape(event.comment)}</p>"
        )
    return "".join(parts)


NEEDS_A_REASON = {
    SignoffState.INVALID,
    SignoffState.CHANGED,
    SignoffState.UNCONFIRMED,
    SignoffState.NOT_SUPERVISOR,
    SignoffState.FOREIGN,
}


def _signature_mark(signature: SignatureInfo) -> tuple[str, str]:
    """How one signature reads in the panel, and its colour."""
    c = theme.current()
    if signature.mode is SignoffMode.PAPER:
        return "unverified", c.muted
    if not signature.valid:
        return "✗ not valid", c.danger
    proves = signature.proves
    if proves is None or proves is SignoffState.VERIFIED:
        return "✓ verified", c.success
    return f"⚠ {proves.label.lower()}", state_colour(proves).name()


def _value(kind: str, name: str, value: Any) -> str:
    return "—" if value in (None, "", []) else shown_value(kind, name, value)


class SignoffPage(QWidget, Page):
    """The Sign-off section of the main window."""

    changed = Signal(object)
    verified = Signal(object)  # the VerificationReport of "Check all signatures"

    @classmethod
    def build(cls, context: PageContext) -> SignoffPage:
        page = cls(context.logbook)
        # Signing changes the sign-off column of the lists and the dashboard count.
        page.changed.connect(lambda change: context.report_change(change, page))
        return page

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.dialog: QDialog | None = None
        self.setObjectName("signoffPage")
        # Entries found invalid so far (by any check), re-checked whenever the page refreshes.
        self.invalid_known: dict[str, Record] = {}
        self.fully_checked = False

        heading = title("Sign-off", self, name="pageTitle")
        subtitle = muted(
            "Supervisors sign your entries on this computer, in batches, or by file, with no "
            "accounts. Every signature is checked each time it is shown.",
            self,
        )
        subtitle.setObjectName("pageSubtitle")
        self.request_button = QPushButton("Request sign-off…", self)
        self.request_button.setObjectName("primary")
        self.apply_button = QPushButton("Apply response…", self)
        self.in_person_button = QPushButton("Sign in person…", self)
        self.batch_button = QPushButton("Sign a batch…", self)
        self.summary_button = QPushButton("Period summary…", self)
        self.verify_button = QPushButton("Check all signatures", self)
        self.request_button.clicked.connect(self.new_request)
        self.apply_button.clicked.connect(lambda: self.apply_response())
        self.in_person_button.clicked.connect(self.sign_in_person)
        self.batch_button.clicked.connect(self.sign_batch)
        self.summary_button.clicked.connect(self.period_summary)
        self.verify_button.clicked.connect(self.verify)
        # By file, on this computer, and the check: three groups that wrap as wholes onto a
        # second row when the window is too narrow for one (1024 pixels, the sidebar open).
        actions = FlowLayout(spacing=18)
        for group in (
            (self.request_button, self.apply_button),
            (self.in_person_button, self.batch_button, self.summary_button),
            (self.verify_button,),
        ):
            actions.addWidget(button_group(group, self))
        self.banner = Banner(self)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.awaiting = EntriesTab(self, {SignoffState.AWAITING}, "Nothing is awaiting sign-off.")
        self.returned = EntriesTab(
            self, {SignoffState.RETURNED}, "No entries have been returned by a supervisor."
        )
        self.changed_tab = EntriesTab(
            self, {SignoffState.CHANGED}, "No signed entry has been changed since it was signed."
        )
        self.invalid = EntriesTab(
            self,
            {SignoffState.INVALID},
            "Every signature checks out: no entry was altered behind the app's back.",
        )
        self.signed = EntriesTab(
            self, {SignoffState.VERIFIED, SignoffState.PAPER}, "No signed entries yet."
        )
        self.attention = EntriesTab(
            self,
            {SignoffState.UNCONFIRMED, SignoffState.NOT_SUPERVISOR, SignoffState.FOREIGN},
            "Every signature is for you, by a confirmed key of the supervisor recorded.",
        )
        self.sent = self._requests_tab()
        self.inbox = self._inbox_tab()
        self.given = self._signed_by_me_tab()
        self.identities = self._identities_tab()
        self.entry_tabs = {
            "Awaiting": self.awaiting,
            "Returned": self.returned,
            "Changed since signed": self.changed_tab,
            "Not yet verified": self.attention,
            "Invalid": self.invalid,
            "Signed": self.signed,
        }
        for name, tab in self.entry_tabs.items():
            self.tabs.addTab(tab, name)
        self.tabs.addTab(self.sent, "Requests sent")
        self.tabs.addTab(self.inbox, "Inbox")
        self.tabs.addTab(self.given, "Signed by me")
        self.tabs.addTab(self.identities, "Identities")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.reload()

    # --- tabs ------------------------------------------------------------------------------

    def _requests_tab(self) -> QWidget:
        tab = QWidget(self)
        self.sent_model: RowsModel[SentRequest] = RowsModel(
            [
                Column[SentRequest]("Sent", lambda r: f"{r.stored.created_at:%d %b %Y}"),
                Column[SentRequest]("To", lambda r: r.stored.supervisor_name),
                Column[SentRequest]("Entries", lambda r: str(r.stored.item_count)),
                Column[SentRequest](
                    "Status",
                    lambda r: (
                        f"Answered {r.stored.responded_at:%d %b %Y}"
                        if r.stored.status == "answered" and r.stored.responded_at
                        else "Awaiting the response"
                    ),
                    lambda r: state_colour(
                        SignoffState.VERIFIED
                        if r.stored.status == "answered"
                        else SignoffState.AWAITING
                    ),
                ),
                Column[SentRequest]("Message", lambda r: r.stored.message),
            ],
            parent=tab,
        )
        view = rows_view(self.sent_model, tab, stretch=4, name="Requests sent")
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(
            muted(
                "Requests you sent. Apply the supervisor's response file when it comes back.",
                tab,
            )
        )
        layout.addWidget(view, 1)
        return tab

    def _signed_by_me_tab(self) -> QWidget:
        tab = QWidget(self)
        self.given_model: RowsModel[GivenSignature] = RowsModel(
            [
                Column[GivenSignature]("Signed", lambda g: f"{g.signed_at:%d %b %Y}"),
                Column[GivenSignature]("For", lambda g: g.practitioner),
                Column[GivenSignature]("Entry", lambda g: g.description),
                Column[GivenSignature](
                    "How", lambda g: "In person" if g.source == "receipt" else "Remote"
                ),
            ],
            parent=tab,
        )
        view = rows_view(self.given_model, tab, stretch=2, name="Signed by me")
        imported = QPushButton("Import a receipt…", tab)
        imported.clicked.connect(lambda: self.import_receipt())
        buttons = QHBoxLayout()
        buttons.addWidget(imported)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(
            muted(
                "Every signature you made as a supervisor: those of your responses, and those "
                "you made in person on a supervisee's computer (import the receipt they saved "
                "for you). Supervision you signed is logged as supervision given.",
                tab,
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(view, 1)
        return tab

    def import_receipt(self, path: Path | None = None) -> None:
        path = path or self._ask_open("A receipt of signatures")
        if path is None:
            return
        try:
            kept = self.logbook.signed_by_me.import_receipt(path)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.banner.success(
            f"Kept {kept.added} signature(s) you made for {kept.practitioner}"
            + (f" ({kept.already} were kept already)" if kept.already else "")
            + f"; {kept.sessions_logged} logged as supervision given."
        )
        # New supervision given (and perhaps a new person) is now in the logbook's lists.
        self._done(kept.change)

    def _inbox_tab(self) -> QWidget:
        tab = QWidget(self)
        self.inbox_model: RowsModel[InboxEntry] = RowsModel(inbox_columns(), parent=tab)
        self.inbox_view = rows_view(self.inbox_model, tab, stretch=4, name="Inbox")
        self.inbox_view.doubleClicked.connect(self._review_index)
        open_button = QPushButton("Open a request file…", tab)
        open_button.setObjectName("primary")
        open_button.clicked.connect(lambda: self.open_request_file())
        self.review_button = QPushButton("Review and answer…", tab)
        self.review_button.clicked.connect(self.review_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(self.review_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(
            muted(
                "For supervisors: requests your supervisees sent you. Open the file they sent, "
                "review each entry, sign or return it, and send back the response file.",
                tab,
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.inbox_view, 1)
        return tab

    def _identities_tab(self) -> QWidget:
        tab = QWidget(self)
        self.own_model: RowsModel[SealedIdentity] = RowsModel(
            [
                Column[SealedIdentity]("Name", lambda i: i.public.name),
                Column[SealedIdentity]("Registration", lambda i: i.public.registration),
                Column[SealedIdentity]("Organisation", lambda i: i.public.organisation),
                Column[SealedIdentity]("Fingerprint", lambda i: i.fingerprint),
            ],
            parent=tab,
        )
        self.own_view = rows_view(self.own_model, tab, stretch=0, name="Your signing identities")
        self.known_model: RowsModel[KnownSigner] = RowsModel(
            [
                Column[KnownSigner]("Supervisor", lambda k: k.identity.name),
                Column[KnownSigner]("Registration", lambda k: k.identity.registration),
                Column[KnownSigner]("Fingerprint", lambda k: k.fingerprint),
                Column[KnownSigner](
                    "Confirmed",
                    lambda k: (
                        f"{k.confirmed_at:%d %b %Y}: {k.confirmed_how}"
                        if k.confirmed_at
                        else "Not yet: signatures by this key are not verified"
                    ),
                ),
            ],
            parent=tab,
        )
        self.known_view = known_view = rows_view(
            self.known_model, tab, stretch=0, name="Known supervisors"
        )
        create = QPushButton("New identity…", tab)
        create.clicked.connect(self.new_identity)
        imported = QPushButton("Import identity file…", tab)
        imported.clicked.connect(lambda: self.import_identity())
        self.export_button = QPushButton("Export identity file…", tab)
        self.export_button.clicked.connect(lambda: self.export_identity())
        self.card_button = QPushButton("Export public card…", tab)
        self.card_button.clicked.connect(lambda: self.export_public_card())
        add_known = QPushButton("Add a supervisor's public card…", tab)
        add_known.clicked.connect(lambda: self.add_known_signer())
        self.confirm_button = QPushButton("Confirm key…", tab)
        self.confirm_button.clicked.connect(lambda: self.confirm_key())
        own_buttons = QHBoxLayout()
        for button in (create, imported, self.export_button, self.card_button):
            own_buttons.addWidget(button)
        own_buttons.addStretch(1)
        known_buttons = QHBoxLayout()
        known_buttons.addWidget(add_known)
        known_buttons.addWidget(self.confirm_button)
        known_buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(title("Your signing identities (as a supervisor)", tab))
        layout.addWidget(
            muted(
                "Kept on this computer, each sealed by its passphrase; never inside a logbook. "
                "Export one to carry it to a supervisee's computer, and give supervisees your "
                "public card so their logbook knows your key.",
                tab,
            )
        )
        layout.addLayout(own_buttons)
        layout.addWidget(self.own_view, 1)
        layout.addWidget(title("Supervisors this logbook knows", tab))
        layout.addLayout(known_buttons)
        layout.addWidget(known_view, 1)
        return tab

    # --- refreshing ------------------------------------------------------------------------

    def activate(self) -> None:
        if not self.fully_checked:
            signed = self.logbook.signoff.candidates_count({SignoffState.VERIFIED})
            if signed <= FULL_CHECK_LIMIT:
                self.check_everything()
        self.reload()

    def check_everything(self) -> None:
        """Check every signature, so any entry altered behind the app's back is listed."""
        for record, _ in self.logbook.signoff.in_states({SignoffState.INVALID}):
            self.invalid_known[record.uid] = record
        self.fully_checked = True

    def note_invalid(self, records: Iterable[Record]) -> None:
        for record in records:
            self.invalid_known[record.uid] = record

    def checked_invalid(self) -> list[tuple[Record, Assessment]]:
        """The entries known to be invalid, checked again as they are now."""
        current: list[Record] = []
        for uid, record in list(self.invalid_known.items()):
            try:
                current.append(self.logbook.records.get(record.kind, uid))
            except LogbookError:
                del self.invalid_known[uid]  # deleted since
        assessed = self.logbook.signoff.assess(current)
        still = [
            (r, assessed[r.uid]) for r in current if assessed[r.uid].state is SignoffState.INVALID
        ]
        self.invalid_known = {r.uid: r for r, _ in still}
        return still

    def apply_change(self, change: Change) -> None:
        """Refresh for a change made elsewhere (an entry edited or deleted, say)."""
        touched = change.touches(Topic.SIGNOFF) or bool(change.kinds.intersection(SIGNABLE_KINDS))
        if touched and self.isVisible():
            self.reload()

    def reload(self) -> None:
        # The invalid list last: the other lists report the invalid entries they come across.
        order = sorted(self.entry_tabs.items(), key=lambda item: item[1] is self.invalid)
        for name, tab in order:
            count = tab.reload()
            index = self.tabs.indexOf(tab)
            self.tabs.setTabText(index, f"{name} ({count})" if count else name)
        invalid_index = list(self.entry_tabs).index("Invalid")
        self.tabs.setTabVisible(invalid_index, bool(self.invalid.model.rows))
        self.sent_model.set_rows(self.logbook.signoff.sent_requests())
        inbox = self.logbook.signoff.inbox()
        self.inbox_model.set_rows(inbox)
        waiting = sum(1 for e in inbox if e.status != "responded")
        inbox_index = self.tabs.indexOf(self.inbox)
        self.tabs.setTabText(inbox_index, f"Inbox ({waiting})" if waiting else "Inbox")
        self.review_button.setEnabled(bool(inbox))
        own = self.logbook.signoff.identities.list()
        self.own_model.set_rows(own)
        self.export_button.setEnabled(bool(own))
        self.card_button.setEnabled(bool(own))
        self.known_model.set_rows(self.logbook.signoff.known_signers())
        self.given_model.set_rows(self.logbook.signed_by_me.all())

    def _done(self, change: Change) -> None:
        """After an action: show its outcome here, and tell the window what it changed."""
        self.reload()
        if change:
            self.changed.emit(change)

    # --- actions ---------------------------------------------------------------------------

    def show_dialog(self, dialog: ActionDialog) -> QDialog:
        """Open a dialog window-modally (not blocking), and refresh when it is accepted."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.accepted.connect(lambda: self._after(dialog))
        dialog.open()
        return dialog

    def _after(self, dialog: ActionDialog) -> None:
        self._report(dialog)
        self._done(dialog.change)

    def _report(self, dialog: ActionDialog) -> None:
        """What the dialog's action did, in the banner."""
        if isinstance(dialog, SignDialog) and (result := dialog.result_) is not None:
            count = len(result.signed)
            text = (
                f"{count} entr{'y' if count == 1 else 'ies'} signed by "
                f"{result.signer.name} ({result.signer.fingerprint})."
            )
            if dialog.receipt_problem:
                self.banner.problem(f"{text} The receipt was not saved: {dialog.receipt_problem}")
            elif (receipt := dialog.receipt.path()) is not None:
                self.banner.success(f"{text} The supervisor's receipt is in {receipt}.")
            else:
                self.banner.success(text)
        elif isinstance(dialog, RequestDialog) and dialog.request is not None:
            request = dialog.request
            written = dialog.file.path()
            assert written is not None
            self.banner.success(
                f"Request written to {written}. Send it to {request.supervisor_name} "
                "by email or on a USB stick; apply their response file when it comes back.",
                sending_links(written, request.supervisor_name, len(request.items)),
            )
        elif isinstance(dialog, ApplyResponseDialog) and (applied := dialog.result_) is not None:
            text = (
                f"Response from {applied.supervisor.name} applied: {len(applied.signed)} signed, "
                f"{len(applied.returned)} returned"
            )
            if applied.refused:
                text += f", {len(applied.refused)} refused"
            self.banner.success(text + ".")
        elif isinstance(dialog, InboxDialog):
            self.banner.success(
                f"Response written to {dialog.file.path()}. Send it back to "
                f"{dialog.entry.request.practitioner.name}."
            )
        elif isinstance(dialog, IdentityDialog) and dialog.identity is not None:
            identity = dialog.identity
            self.banner.success(
                f"Created the signing identity of {identity.public.name}. Its fingerprint is "
                f"{identity.fingerprint}: read it to your supervisees when they ask."
            )
        elif isinstance(dialog, PaperDialog):
            self.banner.success("The signed paper was attached as unverified evidence.")
        elif isinstance(dialog, RevokeDialog):
            self.banner.success("The signature was revoked; it stays in the history.")
        else:
            self.banner.clear_message()

    def new_request(self) -> QDialog:
        return self.show_dialog(RequestDialog(self.logbook, self))

    def apply_response(self, path: Path | None = None) -> QDialog:
        return self.show_dialog(ApplyResponseDialog(self.logbook, path, self))

    def sign_in_person(self) -> QDialog:
        return self.show_dialog(SignDialog(self.logbook, mode=SignoffMode.IN_PERSON, parent=self))

    def sign_batch(self) -> QDialog:
        return self.show_dialog(SignDialog(self.logbook, mode=SignoffMode.BATCH, parent=self))

    def period_summary(self) -> QDialog:
        return self.show_dialog(PeriodSummaryDialog(self.logbook, self))

    def new_identity(self) -> QDialog:
        return self.show_dialog(IdentityDialog(self.logbook, self))

    def verify(self) -> None:
        """Check every signature on a worker thread (seconds for tens of thousands)."""
        from logbook.ui.worker import run_in_background

        self.verify_button.setEnabled(False)
        self.job = run_in_background(
            self,
            "Check all signatures",
            "Checking every signature against the entries as they are now…",
            lambda _progress: self.logbook.signoff.verify_all(),
            on_success=self._show_verification,
            on_error=lambda error: self.banner.problem(f"The check could not finish: {error}"),
        )
        self.job.finished.connect(lambda: self.verify_button.setEnabled(True))

    def _show_verification(self, report: VerificationReport) -> None:
        for kind, uid, _ in report.invalid_records:
            if kind in {k.value for k in SIGNABLE_KINDS}:
                self.invalid_known[uid] = self.logbook.records.get(RecordKind(kind), uid)
        self.fully_checked = True
        lines = report.lines()
        if report.ok:
            self.banner.success(f"{lines[0]} Every signed entry matches what was signed.")
        else:
            problems = (
                len(report.invalid_records) + len(report.invalid) + len(report.snapshot_problems)
            )
            self.banner.problem(
                f"{lines[0]} {problems} problem(s): see the Invalid tab. An entry changed behind "
                "the app's back is never shown as signed."
            )
        self.reload()
        if not report.ok:
            self.tabs.setCurrentWidget(self.invalid)
        self.verified.emit(report)

    def open_request_file(self, path: Path | None = None) -> QDialog | None:
        """Add a request file to the inbox and open it for review."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, "Open a sign-off request", str(Path.home()), JSON_FILES
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            opened = self.logbook.signoff.open_request(path)
        except LogbookError as error:
            self.banner.problem(str(error))
            return None
        self.banner.clear_message()
        self._done(opened.change)
        self.tabs.setCurrentWidget(self.inbox)
        return self.review(opened.entry)

    def review(self, entry: InboxEntry) -> QDialog:
        return self.show_dialog(InboxDialog(self.logbook, entry, self))

    def review_selected(self) -> QDialog | None:
        rows = self.inbox_view.selectionModel().selectedRows()
        if not rows and self.inbox_model.rows:
            return self.review(self.inbox_model.rows[0])
        return self.review(self.inbox_model.rows[rows[0].row()]) if rows else None

    def _review_index(self, index: QModelIndex) -> None:
        self.review(self.inbox_model.rows[index.row()])

    # --- identities ------------------------------------------------------------------------

    def _selected_identity(self) -> SealedIdentity | None:
        rows = self.own_view.selectionModel().selectedRows()
        if rows:
            return self.own_model.rows[rows[0].row()]
        return self.own_model.rows[0] if self.own_model.rows else None

    def import_identity(self, path: Path | None = None) -> None:
        path = path or self._ask_open("Import an identity file")
        if path is None:
            return
        try:
            added = self.logbook.signoff.import_identity(path)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        identity = added.identity
        self.banner.success(
            f"Imported the identity of {identity.public.name} ({identity.fingerprint})."
        )
        self._done(added.change)

    def export_identity(self, path: Path | None = None) -> None:
        identity = self._selected_identity()
        if identity is None:
            return
        path = path or self._ask_save(
            "Export identity file", f"{identity.public.name} identity.json"
        )
        if path is None:
            return
        try:
            self.logbook.signoff.identities.export(identity.fingerprint, path)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.banner.success(
            f"Wrote {path}. It holds your key sealed by your passphrase; keep it safe."
        )

    def export_public_card(self, path: Path | None = None) -> None:
        identity = self._selected_identity()
        if identity is None:
            return
        path = path or self._ask_save(
            "Export public card", f"{identity.public.name} public card.json"
        )
        if path is None:
            return
        try:
            self.logbook.signoff.identities.export_public(identity.fingerprint, path)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.banner.success(f"Wrote {path}: give it to your supervisees. It cannot sign anything.")

    def add_known_signer(self, path: Path | None = None) -> None:
        path = path or self._ask_open("A supervisor's public card")
        if path is None:
            return
        try:
            identity = read_public_identity(path)
            added = self.logbook.signoff.add_known_signer(identity)
        except LogbookError as error:
            self.banner.problem(str(error))
            return
        self.banner.success(
            f"{identity.name} is now a known supervisor. Check the fingerprint "
            f"{identity.fingerprint} with them, then confirm their key."
        )
        self._done(added.change)

    def confirm_key(self, signer: KnownSigner | None = None) -> QDialog | None:
        """Pin the selected supervisor's key, once checked with them."""
        if signer is None:
            rows = self.known_view.selectionModel().selectedRows()
            signer = self.known_model.rows[rows[0].row()] if rows else None
        if signer is None:
            self.banner.problem("Choose a supervisor in the list first.")
            return None
        return self.show_dialog(ConfirmKeyDialog(self.logbook, signer.identity, self))

    def _ask_open(self, caption: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self, caption, str(Path.home()), JSON_FILES)
        return Path(chosen) if chosen else None

    def _ask_save(self, caption: str, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), JSON_FILES)
        return Path(chosen) if chosen else None
