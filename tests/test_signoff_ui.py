"""The Sign-off section driven like a user would: a practitioner's and a supervisor's windows,
each on its own logbook, exchanging request and response files.

Set ``SIGNOFF_SCREENSHOTS`` to a folder to save the screenshots used by docs/signoff.md.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl, QUrlQuery
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.audit import ConfirmMethod
from logbook.domain.identity import SealedIdentity
from logbook.domain.periods import month_of
from logbook.domain.records import Record, RecordKind
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.signoff import SignoffPage
from logbook.ui.signoff.dialogs import (
    ApplyResponseDialog,
    ConfirmKeyDialog,
    PaperDialog,
    PeriodSummaryDialog,
    RequestDialog,
    RevokeDialog,
    SignDialog,
)
from logbook.ui.signoff.inbox import InboxDialog
from logbook.ui.signoff.widgets import Column, RowsModel
from tests.signoff_support import (
    PASSPHRASE,
    SUPERVISOR,
    add_entries,
    confirm_supervisor,
    new_identity,
    open_book,
)

MARCH = month_of(date(2026, 3, 1))
SHOTS = os.environ.get("SIGNOFF_SCREENSHOTS")


def shot(widget: QWidget, name: str) -> None:
    """Save a screenshot for the user guide when asked to (never in a normal test run)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(Path(SHOTS) / f"signoff-{name}.png"))


@pytest.fixture(autouse=True)
def _looks_like_the_app(qapp: QApplication) -> None:
    """Screenshots for the guide wear the app's light theme."""
    if SHOTS:
        theme.apply_theme(qapp, "light")


def _page(qtbot: QtBot, logbook: Logbook) -> SignoffPage:
    page = SignoffPage(logbook)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    qtbot.waitExposed(page)
    return page


def _rows(page: SignoffPage, tab: str) -> list[tuple[str, str]]:
    model = page.entry_tabs[tab].model
    return [(row.description, row.note) for row in model.rows]


def test_remote_round_trip_through_the_windows(
    qtbot: QtBot,
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = add_entries(practitioner, 3)
    mine = _page(qtbot, practitioner)
    theirs = _page(qtbot, supervisor_book)
    # Files as a person names them, in a folder of their own (relative, for short screenshots).
    monkeypatch.chdir(tmp_path)
    Path("Documents").mkdir()
    request_file = Path("Documents") / "Morag Stewart - March sign-off request.json"

    # The practitioner asks for March's supervision to be signed.
    dialog = mine.new_request()
    assert isinstance(dialog, RequestDialog)
    dialog.entries.set_period(MARCH)
    assert len(dialog.entries.chosen()) == 3
    assert not dialog.create_button.isEnabled()  # no supervisor named yet
    qtbot.keyClicks(dialog.supervisor_name, SUPERVISOR)
    dialog.message.setPlainText("March supervision, please. Thank you!")
    dialog.file.set_path(request_file)
    dialog.resize(820, 760)
    shot(dialog, "request")
    assert dialog.create_button.text() == "Create request for 3 entries"
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert request_file.exists()
    assert not dialog.isVisible()
    assert mine.tabs.tabText(0) == "Awaiting (3)"
    assert "Request written to" in mine.banner.text()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', mine.banner.text()))
    assert sorted(links.values()) == ["Email it", "Open folder"]
    for href in links:
        mine.banner.linkActivated.emit(html.unescape(href))  # as a click on the link does
    folder, email = opened
    assert Path(folder.toLocalFile()) == request_file.resolve().parent
    assert email.scheme() == "mailto"
    assert "subject=Sign-off request: 3 entries" in email.toString(
        QUrl.ComponentFormattingOption.PrettyDecoded
    )
    assert request_file.name in QUrlQuery(email).queryItemValue(
        "body", QUrl.ComponentFormattingOption.FullyDecoded
    )
    shot(mine, "awaiting")

    # The supervisor opens it in their own app, returns one entry and signs the others.
    inbox = theirs.open_request_file(request_file)
    assert isinstance(inbox, InboxDialog)
    assert theirs.inbox_model.rows[0].request.practitioner.name == "Morag Stewart"
    assert theirs.tabs.tabText(theirs.tabs.indexOf(theirs.inbox)) == "Inbox (1)"
    shot(theirs, "inbox")
    assert "Review the stepped-care plan." in inbox.detail.toPlainText()
    assert "Felt unsure" not in inbox.detail.toPlainText()
    inbox.set_answer(entries[2].uid, sign=False, comment="We met on the 9th, not the 8th.")
    assert inbox.model.rows[2].label == "Return"
    assert not inbox.respond_button.isEnabled()  # no passphrase yet
    qtbot.keyClicks(inbox.signer.passphrase, PASSPHRASE)
    response_file = Path("Documents") / "Response to Morag Stewart.json"
    inbox.file.set_path(response_file)
    assert inbox.respond_button.text() == "Sign 2 and return 1, write response"
    assert [a.day for a in inbox.model.rows] == ["02 Mar 2026", "05 Mar 2026", "08 Mar 2026"]
    assert "1.00 h (60 min)" in inbox.detail.toPlainText()
    inbox.resize(980, 800)
    inbox.view.selectRow(2)
    shot(inbox, "inbox-review")
    qtbot.mouseClick(inbox.respond_button, Qt.MouseButton.LeftButton)

    assert response_file.exists()
    assert not inbox.isVisible()
    assert "Answered" in theirs.inbox_model.data(theirs.inbox_model.index(0, 3))

    # Back with the practitioner: check the response, confirm the new key, apply.
    applying = mine.apply_response(response_file)
    assert isinstance(applying, ApplyResponseDialog)
    assert applying.review is not None
    assert applying.card.fingerprint.text() == f"Fingerprint  {identity.fingerprint}"
    assert applying.trust.isVisible()
    assert not applying.apply_button.isEnabled()
    applying.resize(780, 560)
    shot(applying, "apply-response")
    applying.trust.setChecked(True)
    assert applying.apply_button.text() == "Apply 2 signatures"
    qtbot.mouseClick(applying.apply_button, Qt.MouseButton.LeftButton)

    assert not applying.isVisible()
    assert mine.tabs.tabText(0) == "Awaiting"
    assert _rows(mine, "Returned") == [
        (f"Supervision · Clinical · {SUPERVISOR}", "We met on the 9th, not the 8th.")
    ]
    assert len(mine.signed.model.rows) == 2
    mine.tabs.setCurrentWidget(mine.returned)
    mine.returned.view.selectRow(0)
    assert "Supervisor's comment" in mine.returned.detail.toHtml()
    shot(mine, "returned")
    states = practitioner.signoff.states(entries)
    assert [states[e.uid] for e in entries] == [
        SignoffState.VERIFIED,
        SignoffState.VERIFIED,
        SignoffState.RETURNED,
    ]


def test_signing_in_person_with_an_identity_file_and_a_wrong_passphrase_first(
    qtbot: QtBot,
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = add_entries(practitioner, 2)
    monkeypatch.chdir(tmp_path)
    usb = Path("USB stick") / "Aileen MacLeod.identity.json"
    usb.parent.mkdir()
    supervisor_book.signoff.identities.export(identity.fingerprint, usb)
    page = _page(qtbot, practitioner)

    dialog = page.sign_in_person()
    assert isinstance(dialog, SignDialog)
    dialog.entries.set_period(MARCH)
    dialog.signer.picker.load_file(usb)
    assert dialog.signer.picker.card.name.text() == SUPERVISOR
    qtbot.keyClicks(dialog.signer.passphrase, "not my passphrase")
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "does not unlock" in dialog.banner.text()
    assert dialog.signer.passphrase.text() == ""
    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.UNSIGNED}

    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    assert dialog.trust.isVisible()  # a key this logbook has not confirmed yet
    assert identity.fingerprint in dialog.trust.check.text()
    assert dialog.trust.person.currentData() == entries[0].counterpart_uid
    dialog.trust.check.click()
    dialog.resize(800, 720)
    shot(dialog, "in-person")
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.VERIFIED}
    [known] = practitioner.signoff.known_signers()
    assert known.confirmed_how == ConfirmMethod.IN_PERSON.label
    assert page.tabs.tabText(page.tabs.indexOf(page.signed)) == "Signed (2)"
    assert practitioner.signoff.identities.list() == []
    assert "2 entries signed by" in page.banner.text()


def test_batch_signing_a_month_from_the_window(
    qtbot: QtBot, practitioner: Logbook, identity: SealedIdentity, tmp_path: Path
) -> None:
    march = add_entries(practitioner, 3)
    april = add_entries(practitioner, 1, month=4)
    usb = tmp_path / "identity.json"
    from logbook.services.identity import write_identity_file

    write_identity_file(identity, usb)
    page = _page(qtbot, practitioner)

    dialog = page.sign_batch()
    assert isinstance(dialog, SignDialog)
    dialog.entries.set_period(MARCH)
    assert dialog.label.text() == "All supervision in 01 Mar 2026 – 31 Mar 2026"
    dialog.signer.picker.load_file(usb)
    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    assert dialog.sign_button.text() == "Sign 3 entries"
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    evidence = practitioner.signoff.evidence([e.uid for e in march + april])
    assert [e.mode for e in evidence] == [SignoffMode.BATCH] * 3
    assert practitioner.signoff.states(april)[april[0].uid] is SignoffState.UNSIGNED


def test_an_entry_altered_behind_the_apps_back_shows_as_invalid(
    qtbot: QtBot, tmp_path: Path
) -> None:
    location = DataLocation(tmp_path / "book")
    with open_book(location.root) as book:
        entries = add_entries(book, 2)
        book.signoff.sign(
            entries, new_identity(book), PASSPHRASE, confirm_for=entries[0].counterpart_uid
        )
    with sqlite3.connect(location.database) as conn:
        conn.execute(
            "UPDATE supervision SET duration_minutes = 240 WHERE uid = ?", (entries[0].uid,)
        )

    with open_book(location.root) as book:
        page = _page(qtbot, book)
        invalid = page.tabs.indexOf(page.invalid)
        assert page.tabs.isTabVisible(invalid)
        assert page.tabs.tabText(invalid) == "Invalid (1)"
        assert page.signed.model.rows[0].uid == entries[1].uid
        with qtbot.waitSignal(page.verified, timeout=30_000):
            qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
        assert "problem(s)" in page.banner.text()
        assert page.tabs.currentWidget() is page.invalid
        page.invalid.view.selectRow(0)
        text = page.invalid.detail.toPlainText()
        assert "altered without a new revision" in text
        assert "Duration (minutes)" in text  # what was altered: 60 signed, 240 now


def test_changed_since_signed_lists_what_changed(
    qtbot: QtBot, practitioner: Logbook, identity: SealedIdentity
) -> None:
    entry = add_entries(practitioner, 1)[0]
    practitioner.signoff.sign([entry], identity, PASSPHRASE)
    practitioner.records.update(dataclasses.replace(entry, duration_minutes=75))

    page = _page(qtbot, practitioner)
    page.tabs.setCurrentWidget(page.changed_tab)
    page.changed_tab.view.selectRow(0)

    html = page.changed_tab.detail.toPlainText()
    assert "What changed since it was signed" in html
    assert "Duration (minutes)" in html
    assert "60" in html
    assert "75" in html


def test_paper_evidence_and_revocation_from_the_signed_list(
    qtbot: QtBot, practitioner: Logbook, identity: SealedIdentity, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    practitioner.signoff.sign(
        entries[:1], identity, PASSPHRASE, confirm_for=entries[0].counterpart_uid
    )
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page = _page(qtbot, practitioner)

    # Revoke the signature of the first entry.
    page.tabs.setCurrentWidget(page.signed)
    page.signed.view.selectRow(0)
    revoke = page.signed.revoke_newest()
    assert isinstance(revoke, RevokeDialog)
    qtbot.mouseClick(revoke.revoke_button, Qt.MouseButton.LeftButton)
    assert "say why" in revoke.banner.text()
    revoke.reason.setPlainText("Signed the wrong session")
    qtbot.mouseClick(revoke.revoke_button, Qt.MouseButton.LeftButton)
    assert not revoke.isVisible()
    assert practitioner.signoff.states(entries[:1])[entries[0].uid] is SignoffState.UNSIGNED

    # Attach a scanned page to the second, through the in-person list of selected entries.
    dialog = PaperDialog(practitioner, [entries[1]], SUPERVISOR)
    page.show_dialog(dialog)
    dialog.file.set_path(scan)
    qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)
    assert practitioner.signoff.states([entries[1]])[entries[1].uid] is SignoffState.PAPER
    assert [r.state for r in page.signed.model.rows] == [SignoffState.PAPER]


def test_a_period_summary_signed_in_person(
    qtbot: QtBot, practitioner: Logbook, identity: SealedIdentity, tmp_path: Path
) -> None:
    add_entries(practitioner, 3)
    confirm_supervisor(practitioner, identity)
    usb = tmp_path / "identity.json"
    from logbook.services.identity import write_identity_file

    write_identity_file(identity, usb)
    page = _page(qtbot, practitioner)

    dialog = page.period_summary()
    assert isinstance(dialog, PeriodSummaryDialog)
    dialog.set_period(MARCH)
    assert dialog.totals.text() == "3.00 h in 3 entries"
    assert "I confirm 3.00 hours of supervision" in dialog.statement.toPlainText()
    dialog.signer.picker.load_file(usb)
    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    [summary] = practitioner.signoff.summaries()
    assert practitioner.signoff.states([summary])[summary.uid] is SignoffState.VERIFIED


def test_confirming_a_supervisors_key_in_the_window_verifies_their_signatures(
    qtbot: QtBot, practitioner: Logbook, identity: SealedIdentity
) -> None:
    entries = add_entries(practitioner, 2)
    practitioner.signoff.sign(entries, identity, PASSPHRASE)
    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.UNCONFIRMED}
    page = _page(qtbot, practitioner)
    page.reload()

    [known] = page.known_model.rows
    assert known.fingerprint == identity.fingerprint
    confirming = page.confirm_key(known)
    assert isinstance(confirming, ConfirmKeyDialog)
    assert confirming.person.currentData() == entries[0].counterpart_uid
    confirming.method.setCurrentIndex(confirming.method.findData(ConfirmMethod.PHONE))
    assert not confirming.confirm_button.isEnabled()
    confirming.check.click()
    qtbot.mouseClick(confirming.confirm_button, Qt.MouseButton.LeftButton)

    assert not confirming.isVisible()
    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.VERIFIED}
    [known] = practitioner.signoff.known_signers()
    assert known.confirmed_how == ConfirmMethod.PHONE.label


def test_a_supervisor_creates_an_identity_and_exports_it(
    qtbot: QtBot, supervisor_book: Logbook, tmp_path: Path
) -> None:
    page = _page(qtbot, supervisor_book)
    dialog = page.new_identity()
    dialog.name.setText(SUPERVISOR)
    dialog.body.setText("HCPC")
    dialog.passphrase.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE + "x")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.banner.text()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    [identity] = supervisor_book.signoff.identities.list()
    assert identity.fingerprint in page.banner.text()
    page.export_public_card(tmp_path / "card.json")
    page.export_identity(tmp_path / "identity.json")
    assert "private_key" not in (tmp_path / "card.json").read_text()
    assert "private_key" in (tmp_path / "identity.json").read_text()


def test_a_damaged_request_is_explained_in_the_page(
    qtbot: QtBot, supervisor_book: Logbook, tmp_path: Path
) -> None:
    broken = tmp_path / "request.json"
    broken.write_text('{"format": "practice-logbook-signoff-request/1", "items": [')
    page = _page(qtbot, supervisor_book)

    assert page.open_request_file(broken) is None
    assert "is incomplete" in page.banner.text()
    assert page.inbox_model.rows == []


def test_the_rows_model_is_a_well_behaved_qt_model(qtmodeltester) -> None:
    model: RowsModel[tuple[str, int]] = RowsModel(
        [Column("Name", lambda r: r[0]), Column("Count", lambda r: str(r[1]))], checkable=True
    )
    model.set_rows([("a", 1), ("b", 2)], [True, False])

    qtmodeltester.check(model)
    assert model.checked_rows() == [("a", 1)]


def test_entry_rows_of_a_record_kind_without_hours(practitioner: Logbook) -> None:
    from logbook.domain.records import ReflectiveAccount
    from logbook.ui.signoff.dialogs import entry_rows

    account = practitioner.records.create(
        ReflectiveAccount(date=date(2026, 1, 5), title="Ending well")
    ).record
    [row] = entry_rows(practitioner, [account])

    assert row.hours == ""
    assert row.day == "05 Jan 2026"
    assert row.description == "Reflective account · Ending well"
    assert isinstance(row.target, Record)
    assert row.target.kind is RecordKind.REFLECTIVE_ACCOUNT


def test_long_lists_show_the_newest_entries_and_a_full_check_finds_older_tampering(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logbook.ui.signoff import page as page_module

    monkeypatch.setattr(page_module, "PAGE_ROWS", 3)
    monkeypatch.setattr(page_module, "FULL_CHECK_LIMIT", 2)
    location = DataLocation(tmp_path / "book")
    with open_book(location.root) as book:
        entries = add_entries(book, 5)
        book.signoff.sign(
            entries, new_identity(book), PASSPHRASE, confirm_for=entries[0].counterpart_uid
        )
    oldest = entries[0]
    with sqlite3.connect(location.database) as conn:
        conn.execute("UPDATE supervision SET live = 1 WHERE uid = ?", (oldest.uid,))

    with open_book(location.root) as book:
        page = _page(qtbot, book)
        page.activate()  # too many signatures to check them all on sight

        assert [row.uid for row in page.signed.model.rows] == [e.uid for e in entries[:1:-1]]
        assert page.signed.more.text() == "Showing the newest 3 of 4."
        assert page.tabs.tabText(page.tabs.indexOf(page.signed)) == "Signed (4)"
        assert not page.tabs.isTabVisible(page.tabs.indexOf(page.invalid))

        with qtbot.waitSignal(page.verified, timeout=30_000):
            qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)

        assert [row.uid for row in page.invalid.model.rows] == [oldest.uid]
        assert page.tabs.isTabVisible(page.tabs.indexOf(page.invalid))
        assert page.tabs.currentWidget() is page.invalid
