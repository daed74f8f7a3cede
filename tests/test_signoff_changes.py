"""Every sign-off action reports what it changed: the service returns it, and the Sign-off page
refreshes once and passes that same change on once, so the lists refresh their sign-off column.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from logbook.domain.audit import ConfirmMethod
from logbook.domain.identity import SealedIdentity
from logbook.domain.periods import Period, month_of
from logbook.domain.records import Record, RecordKind
from logbook.services.changes import Change, Topic
from logbook.services.identity import write_identity_file
from logbook.services.logbook import Logbook
from logbook.services.signoff.inbox import Decision
from logbook.ui.signoff import SignoffPage
from logbook.ui.signoff.dialogs import RequestDialog, SignDialog
from tests.signoff_support import (
    PASSPHRASE,
    SUPERVISOR,
    add_entries,
    confirm_supervisor,
    light_kdf,
)

MARCH = month_of(date(2026, 3, 1))
SIGNOFF = frozenset({Topic.SIGNOFF})


class Counted:
    """A page whose reloads and emitted changes are counted."""

    def __init__(self, page: SignoffPage) -> None:
        self.reloads = 0
        self.changes: list[Change] = []
        reload = page.reload

        def counting_reload() -> None:
            self.reloads += 1
            reload()

        page.reload = counting_reload  # type: ignore[method-assign]
        page.changed.connect(self.changes.append)


def _page(qtbot: QtBot, logbook: Logbook) -> SignoffPage:
    page = SignoffPage(logbook)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def _uids(records: list[Record]) -> set[str]:
    return {r.uid for r in records}


def test_signing_in_person_reloads_the_page_once_and_reports_the_change_once(
    qtbot: QtBot, practitioner: Logbook, identity: SealedIdentity, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    confirm_supervisor(practitioner, identity)
    usb = tmp_path / "identity.json"
    write_identity_file(identity, usb)
    page = _page(qtbot, practitioner)
    dialog = page.sign_in_person()
    assert isinstance(dialog, SignDialog)
    dialog.entries.set_period(MARCH)
    dialog.signer.picker.load_file(usb)
    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    counted = Counted(page)

    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)

    assert counted.reloads == 1
    [change] = counted.changes
    assert set(change.updated) == _uids(entries)
    assert change.kinds == {RecordKind.SUPERVISION}
    assert change.topics == SIGNOFF
    assert "2 entries signed by" in page.banner.text()


def test_a_change_made_elsewhere_reloads_the_page_only_when_it_touches_sign_off(
    qtbot: QtBot, practitioner: Logbook
) -> None:
    page = _page(qtbot, practitioner)
    counted = Counted(page)

    page.apply_change(Change(updated=("x",), kinds=frozenset({RecordKind.PERSON})))
    assert counted.reloads == 0
    page.apply_change(Change(deleted=("x",), kinds=frozenset({RecordKind.SUPERVISION})))
    assert counted.reloads == 1
    page.apply_change(Change(topics=SIGNOFF))
    assert counted.reloads == 2
    assert counted.changes == []  # a change from elsewhere is never sent back


def test_signing_and_revoking_name_the_entries_they_touched(
    practitioner: Logbook, identity: SealedIdentity
) -> None:
    entries = add_entries(practitioner, 2)
    confirm_supervisor(practitioner, identity)

    signed = practitioner.signoff.sign(entries, identity, PASSPHRASE)
    assert set(signed.change.updated) == _uids(entries)
    assert signed.change.kinds == {RecordKind.SUPERVISION}
    assert signed.change.topics == SIGNOFF

    [event] = [e for e in practitioner.signoff.history(entries[0].uid) if e.payload]
    revoked = practitioner.signoff.revoke(event.uid, "Signed the wrong month")
    assert revoked.change.updated == (entries[0].uid,)
    assert revoked.change.kinds == {RecordKind.SUPERVISION}


def test_a_batch_and_a_period_summary_report_their_changes(
    practitioner: Logbook, identity: SealedIdentity
) -> None:
    entries = add_entries(practitioner, 3)
    confirm_supervisor(practitioner, identity)

    batch = practitioner.signoff.sign_batch(RecordKind.SUPERVISION, MARCH, identity, PASSPHRASE)
    assert set(batch.change.updated) == _uids(entries)

    made = practitioner.signoff.create_summary(
        RecordKind.SUPERVISION, Period(MARCH.start, MARCH.end)
    )
    assert made.change.created == (made.summary.uid,)
    assert made.change.topics == SIGNOFF
    signed = practitioner.signoff.sign([made.summary], identity, PASSPHRASE)
    assert signed.change.updated == (made.summary.uid,)
    assert signed.change.kinds == frozenset()  # a summary is in no list of entries


def test_paper_evidence_names_the_entries_and_the_attachments_it_added(
    practitioner: Logbook, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a signature page\n%%EOF\n")

    attached = practitioner.signoff.attach_paper(entries, scan, signer_name=SUPERVISOR)

    assert set(attached.change.updated) == _uids(entries)
    assert len(attached.change.created) == 2
    assert attached.change.kinds == {RecordKind.SUPERVISION, RecordKind.ATTACHMENT}
    assert len(attached.events) == 2


def test_confirming_a_key_names_every_entry_that_key_signed(
    practitioner: Logbook, identity: SealedIdentity
) -> None:
    entries = add_entries(practitioner, 2)
    practitioner.signoff.sign(entries, identity, PASSPHRASE)
    [person] = [p for p in practitioner.records.all(RecordKind.PERSON) if p.name == SUPERVISOR]

    confirmed = practitioner.signoff.confirm_key(
        person.uid, identity.public, ConfirmMethod.IN_PERSON
    )

    assert set(confirmed.change.updated) == _uids(entries)
    assert confirmed.change.kinds == {RecordKind.SUPERVISION}
    assert confirmed.event_uid
    added = practitioner.signoff.add_known_signer(identity.public)
    assert added.change == Change(topics=SIGNOFF)


def test_the_remote_round_trip_reports_each_step(
    practitioner: Logbook, supervisor_book: Logbook, identity: SealedIdentity, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    request_file, response_file = tmp_path / "q.json", tmp_path / "r.json"

    created = practitioner.signoff.create_request(entries, request_file, supervisor_name=SUPERVISOR)
    assert set(created.change.updated) == _uids(entries)
    assert created.change.kinds == {RecordKind.SUPERVISION}
    assert created.request.items[0].uid == entries[0].uid

    opened = supervisor_book.signoff.open_request(request_file)
    assert opened.change == Change(topics=SIGNOFF)
    assert not supervisor_book.signoff.open_request(request_file).change  # already there

    decisions = {entries[0].uid: Decision.signed(), entries[1].uid: Decision.returned("Date?")}
    responded = supervisor_book.signoff.respond(
        opened.entry.uid, decisions, identity, PASSPHRASE, response_file
    )
    # The supervision signed is logged as supervision given, with the supervisee as a person.
    assert responded.change.topics == SIGNOFF
    assert responded.change.kinds == {RecordKind.SUPERVISION, RecordKind.PERSON}
    assert len(responded.change.created) == 2

    applied = practitioner.signoff.apply_response(response_file, trust_signer=True)
    assert set(applied.change.updated) == _uids(entries)
    assert applied.change.kinds == {RecordKind.SUPERVISION}


def test_own_identities_and_receipts_report_a_sign_off_change(
    practitioner: Logbook, supervisor_book: Logbook, identity: SealedIdentity, tmp_path: Path
) -> None:
    made = supervisor_book.signoff.create_identity("Dr Ruth Kerr", PASSPHRASE, kdf=light_kdf())
    assert made.change == Change(topics=SIGNOFF)
    usb = tmp_path / "ruth.identity.json"
    supervisor_book.signoff.identities.export(made.identity.fingerprint, usb)
    imported = practitioner.signoff.import_identity(usb)
    assert imported.identity.fingerprint == made.identity.fingerprint
    assert imported.change == Change(topics=SIGNOFF)

    entries = add_entries(practitioner, 1)
    signed = practitioner.signoff.sign(entries, identity, PASSPHRASE)
    receipt = tmp_path / "receipt.json"
    practitioner.signoff.save_receipt(signed, receipt)
    kept = supervisor_book.signed_by_me.import_receipt(receipt)
    assert kept.change.topics == SIGNOFF
    assert RecordKind.SUPERVISION in kept.change.kinds


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_reports_a_request_written_from_it_once(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path, count: int
) -> None:
    entries = add_entries(practitioner, count)
    page = _page(qtbot, practitioner)
    dialog = page.new_request()
    assert isinstance(dialog, RequestDialog)
    dialog.entries.set_period(MARCH)
    qtbot.keyClicks(dialog.supervisor_name, SUPERVISOR)
    dialog.file.set_path(tmp_path / "request.json")
    counted = Counted(page)

    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert counted.reloads == 1
    [change] = counted.changes
    assert set(change.updated) == _uids(entries)
    assert change.kinds == {RecordKind.SUPERVISION}
    assert change.topics == SIGNOFF
