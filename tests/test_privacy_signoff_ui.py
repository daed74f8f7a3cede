"""The privacy guard in sign-off by file, in the windows: a request whose entries or message look
client-identifiable asks before it is written, and the supervisor reviewing it sees those
entries flagged.

Set ``SIGNOFF_SCREENSHOTS`` to a folder to save screenshots of both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from logbook.domain.allowances import Door
from logbook.domain.identity import SealedIdentity
from logbook.domain.periods import month_of
from logbook.domain.records import Person, Record, RecordKind, SupervisionSession
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.signoff.dialogs import IdentifiersDialog, RequestDialog
from logbook.ui.signoff.inbox import InboxDialog
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries
from tests.test_signoff_ui import SHOTS, shot

MARCH = month_of(date(2026, 3, 1))
CLIENT_NAME = "“client Sarah Jones” looks like a person's name after 'client'"


@pytest.fixture(autouse=True)
def _looks_like_the_app(qapp: QApplication) -> None:
    if SHOTS:
        theme.apply_theme(qapp, "light")


def _identifiable_session(logbook: Logbook) -> Record:
    """A March session whose themes name a client (as typed by habit)."""
    [person] = [
        p
        for p in logbook.records.all(RecordKind.PERSON)
        if isinstance(p, Person) and p.name == SUPERVISOR
    ]
    session = SupervisionSession(
        date=date(2026, 3, 20),
        duration_minutes=60,
        counterpart_uid=person.uid,
        themes=("endings", "client Sarah Jones"),
    )
    return logbook.records.create(session).record


def _allowances(logbook: Logbook) -> list[tuple[str, str, str]]:
    with sqlite3.connect(logbook.db.path) as conn:
        rows = conn.execute("SELECT record_uid, field, door FROM privacy_allowance").fetchall()
    return sorted(rows)


def _request_dialog(
    qtbot: QtBot, logbook: Logbook, path: Path, entries: Sequence[Record] = ()
) -> RequestDialog:
    dialog = RequestDialog(logbook, entries=entries)
    qtbot.addWidget(dialog)
    dialog.resize(1024, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    if not entries:
        dialog.entries.set_period(MARCH)
    qtbot.keyClicks(dialog.supervisor_name, SUPERVISOR)
    dialog.file.set_path(path)
    return dialog


class Checks:
    """Answers the privacy question once, if it opens (so a test never hangs on it): records
    what it said, then clicks ``answer``. Stop it when the click has returned."""

    def __init__(self, answer: str, screenshot: str = "") -> None:
        self.answer, self.screenshot = answer, screenshot
        self.shown: list[str] = []
        self.defaults_to_back = False
        self.polls_left = 500
        QTimer.singleShot(0, self._poll)

    def stop(self) -> None:
        self.polls_left = 0

    def _poll(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, IdentifiersDialog):
            page = QTextDocument()
            page.setHtml(modal.findings.text())  # as the user reads it
            self.shown.append(page.toPlainText() + "\n" + modal.advice.text())
            self.defaults_to_back = modal.back.isDefault() and not modal.anyway.isDefault()
            if self.screenshot:
                modal.grab()  # laid out before the picture
                shot(modal, self.screenshot)
            (modal.anyway if self.answer == "Create anyway" else modal.back).click()
        elif self.polls_left > 0:
            self.polls_left -= 1
            QTimer.singleShot(20, self._poll)


def test_a_request_with_a_client_name_asks_and_go_back_writes_nothing(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    [clean] = add_entries(practitioner, 1)
    flagged = _identifiable_session(practitioner)
    target = tmp_path / "request.json"
    dialog = _request_dialog(qtbot, practitioner, target)
    assert len(dialog.entries.chosen()) == 2
    shot(dialog, "privacy-request")

    asked = Checks("Go back")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    asked.stop()

    [shown] = asked.shown
    assert asked.defaults_to_back
    assert "Themes: " + CLIENT_NAME in shown
    assert "Supervision 2026-03-20" in shown  # which entry
    assert not target.exists()
    assert practitioner.signoff.sent_requests() == []
    assert _allowances(practitioner) == []
    assert dialog.isVisible()
    assert "The request was not created" in dialog.banner.text()

    # Untick the identifiable entry: the clean one goes without asking.
    model = dialog.entries.model
    row = [r.uid for r in model.rows].index(flagged.uid)
    model.setData(model.index(row, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert [e.uid for e in dialog.entries.chosen()] == [clean.uid]
    unasked = Checks("Go back")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    unasked.stop()
    assert unasked.shown == []
    assert target.exists()
    assert not dialog.isVisible()


def test_create_anyway_writes_the_file_keeps_the_choice_and_is_not_asked_again(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    [clean] = add_entries(practitioner, 1)
    flagged = _identifiable_session(practitioner)
    target = tmp_path / "request.json"
    dialog = _request_dialog(qtbot, practitioner, target)

    asked = Checks("Create anyway", screenshot="privacy-check")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    asked.stop()

    assert len(asked.shown) == 1
    assert target.exists()
    assert not dialog.isVisible()
    assert [a.door for a in practitioner.privacy.allowances(flagged.uid)] == [Door.REQUEST]
    assert _allowances(practitioner) == [(flagged.uid, "themes", "request")]
    assert practitioner.privacy.allowances(clean.uid) == []

    # The same entry again (chosen in a list, say, after it came back): no question.
    again = tmp_path / "again.json"
    second = _request_dialog(qtbot, practitioner, again, entries=[flagged])
    assert [e.uid for e in second.entries.chosen()] == [flagged.uid]
    unasked = Checks("Go back")
    qtbot.mouseClick(second.create_button, Qt.MouseButton.LeftButton)
    unasked.stop()
    assert unasked.shown == []
    assert again.exists()
    assert not second.isVisible()


def test_a_client_name_in_the_message_asks_and_records_nothing(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    add_entries(practitioner, 2)
    target = tmp_path / "request.json"
    dialog = _request_dialog(qtbot, practitioner, target)
    dialog.message.setPlainText("Could we talk about Mrs Patel (client) next time?")

    asked = Checks("Create anyway")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    asked.stop()

    [shown] = asked.shown
    assert "Your message" in shown
    assert "“Mrs Patel (client)” looks like the name of a client" in shown
    assert "Your message is not an entry" in shown
    assert target.exists()
    assert _allowances(practitioner) == []  # the message is not an entry


def test_the_supervisor_sees_the_identifiable_entry_flagged_and_returns_it(
    qtbot: QtBot,
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    tmp_path: Path,
) -> None:
    [clean] = add_entries(practitioner, 1)
    flagged = _identifiable_session(practitioner)
    request_file = tmp_path / "request.json"
    practitioner.signoff.create_request(
        [clean, flagged], request_file, supervisor_name=SUPERVISOR, allow_identifiers=True
    )

    inbox = InboxDialog(supervisor_book, supervisor_book.signoff.open_request(request_file).entry)
    qtbot.addWidget(inbox)
    inbox.resize(1024, 700)
    inbox.show()
    qtbot.waitExposed(inbox)

    rows = {a.item.uid: i for i, a in enumerate(inbox.model.rows)}
    model = inbox.model

    def icon(uid: str) -> object:
        index: QModelIndex = model.index(rows[uid], 1)
        return model.data(index, Qt.ItemDataRole.DecorationRole)

    assert icon(flagged.uid) is not None
    assert icon(clean.uid) is None
    assert inbox.flagged.isVisible()
    assert inbox.flagged.text.text().startswith("1 of 2 entries may identify a client")

    inbox.view.selectRow(rows[clean.uid])
    assert not inbox.privacy.isVisible()
    inbox.view.selectRow(rows[flagged.uid])
    assert inbox.privacy.isVisible()
    assert "This entry may identify a client" in inbox.privacy.heading.text()
    assert inbox.privacy.message.text() == "Themes: " + CLIENT_NAME
    assert not inbox.privacy.keep_button.isVisible()
    shot(inbox, "privacy-review")

    inbox.set_answer(flagged.uid, sign=False, comment="Please take the client's name out.")
    qtbot.keyClicks(inbox.signer.passphrase, PASSPHRASE)
    inbox.file.set_path(tmp_path / "response.json")
    assert inbox.respond_button.text() == "Sign 1 and return 1, write response"
    qtbot.mouseClick(inbox.respond_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "response.json").exists()


def test_a_clean_request_shows_no_flag(
    qtbot: QtBot, practitioner: Logbook, supervisor_book: Logbook, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    request_file = tmp_path / "request.json"
    practitioner.signoff.create_request(entries, request_file, supervisor_name=SUPERVISOR)
    inbox = InboxDialog(supervisor_book, supervisor_book.signoff.open_request(request_file).entry)
    qtbot.addWidget(inbox)
    inbox.show()
    qtbot.waitExposed(inbox)
    assert not inbox.flagged.isVisible()
    assert not inbox.privacy.isVisible()
