"""The supervisor's "signed by me" register: receipts of signing in person, their own responses,
supervision given logged from them, and "did I sign this?" years later."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from logbook.cli.main import main as cli
from logbook.domain.choices import Direction
from logbook.domain.identity import SealedIdentity
from logbook.domain.periods import month_of
from logbook.domain.records import Person, RecordKind, SupervisionSession
from logbook.domain.signing import SignoffFileError
from logbook.domain.signoff import SignoffMode
from logbook.services.logbook import Logbook
from logbook.services.signoff.files import integrity_of
from logbook.services.signoff.inbox import Decision
from logbook.ui.signoff import SignoffPage
from logbook.ui.signoff.dialogs import SignDialog
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries, new_identity, open_book


@pytest.fixture
def practitioner(tmp_path: Path) -> Iterator[Logbook]:
    with open_book(tmp_path / "practitioner") as book:
        yield book


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Logbook]:
    with open_book(tmp_path / "supervisor") as book:
        yield book


@pytest.fixture
def aileen(supervisor: Logbook) -> SealedIdentity:
    """The supervisor's identity, kept in their own copy of the app."""
    return new_identity(supervisor)


def _given(book: Logbook) -> list[SupervisionSession]:
    return [
        r
        for r in book.records.all(RecordKind.SUPERVISION)
        if isinstance(r, SupervisionSession) and r.direction is Direction.GIVEN
    ]


def _receipt(practitioner: Logbook, aileen: SealedIdentity, tmp_path: Path, count: int = 2) -> Path:
    entries = add_entries(practitioner, count)
    result = practitioner.signoff.sign(
        entries, aileen, PASSPHRASE, confirm_for=entries[0].counterpart_uid
    )
    path = tmp_path / "usb" / "receipt.signoff-receipt.json"
    path.parent.mkdir(exist_ok=True)
    practitioner.signoff.save_receipt(result, path)
    return path


def test_a_receipt_of_signing_in_person_fills_the_register_and_the_log_of_supervision_given(
    practitioner: Logbook, supervisor: Logbook, aileen: SealedIdentity, tmp_path: Path
) -> None:
    receipt = _receipt(practitioner, aileen, tmp_path)

    kept = supervisor.signed_by_me.import_receipt(receipt)

    assert (kept.added, kept.already, kept.sessions_logged) == (2, 0, 2)
    assert kept.practitioner == "Morag Stewart"
    register = supervisor.signed_by_me.all()
    assert [g.practitioner for g in register] == ["Morag Stewart", "Morag Stewart"]
    assert {g.mode for g in register} == {SignoffMode.IN_PERSON}
    given = _given(supervisor)
    assert sorted(g.date for g in given) == sorted(
        r.date for r in practitioner.records.all(RecordKind.SUPERVISION)
    )
    [morag] = supervisor.records.all(RecordKind.PERSON)
    assert isinstance(morag, Person)
    assert morag.name == "Morag Stewart"
    assert {g.counterpart_uid for g in given} == {morag.uid}

    again = supervisor.signed_by_me.import_receipt(receipt)
    assert (again.added, again.already, again.sessions_logged) == (0, 2, 0)
    assert len(_given(supervisor)) == 2


def test_did_i_sign_this_is_answered_from_the_register(
    practitioner: Logbook, supervisor: Logbook, aileen: SealedIdentity, tmp_path: Path
) -> None:
    receipt = _receipt(practitioner, aileen, tmp_path, 1)
    supervisor.signed_by_me.import_receipt(receipt)
    [entry] = practitioner.records.all(RecordKind.SUPERVISION)

    [found] = supervisor.signed_by_me.signed(entry.uid)
    assert found.fingerprint == aileen.fingerprint
    assert found.target_revision == entry.revision
    assert supervisor.signed_by_me.signed("someone-else's-entry") == []


def test_an_altered_receipt_is_refused_and_nothing_is_kept(
    practitioner: Logbook, supervisor: Logbook, aileen: SealedIdentity, tmp_path: Path
) -> None:
    receipt = _receipt(practitioner, aileen, tmp_path)
    document = json.loads(receipt.read_text())
    document["items"][0]["statement"]["description"] = "Supervision 2026-03-02 · 9.00 h"
    del document["integrity"]
    document["integrity"] = {"algorithm": "sha256-rfc8785", "value": integrity_of(document)}
    receipt.write_text(json.dumps(document))

    with pytest.raises(SignoffFileError, match="not signed by the supervisor it names"):
        supervisor.signed_by_me.import_receipt(receipt)
    assert supervisor.signed_by_me.all() == []
    assert _given(supervisor) == []


def test_a_receipt_for_a_key_not_kept_here_is_refused(
    practitioner: Logbook, aileen: SealedIdentity, tmp_path: Path
) -> None:
    receipt = _receipt(practitioner, aileen, tmp_path)
    with open_book(tmp_path / "someone") as someone:
        with pytest.raises(SignoffFileError, match="an identity not kept on this computer"):
            someone.signed_by_me.import_receipt(receipt)
        assert someone.signed_by_me.all() == []


def test_answering_a_request_keeps_the_signatures_in_the_register(
    practitioner: Logbook, supervisor: Logbook, aileen: SealedIdentity, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    practitioner.signoff.create_request(entries, tmp_path / "q.json", supervisor_name=SUPERVISOR)
    entry = supervisor.signoff.open_request(tmp_path / "q.json").entry
    decisions = {entries[0].uid: Decision.signed(), entries[1].uid: Decision.returned("Date?")}

    supervisor.signoff.respond(entry.uid, decisions, aileen, PASSPHRASE, tmp_path / "r.json")

    [given] = supervisor.signed_by_me.all()
    assert (given.target_uid, given.mode, given.source) == (
        entries[0].uid,
        SignoffMode.REMOTE,
        "response",
    )
    signed = entries[0]
    assert isinstance(signed, SupervisionSession)
    assert [g.date for g in _given(supervisor)] == [signed.date]


def test_the_register_on_the_command_line(
    practitioner: Logbook,
    supervisor: Logbook,
    aileen: SealedIdentity,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    receipt = _receipt(practitioner, aileen, tmp_path)
    supervisor.close()
    assert supervisor.location is not None
    folder = str(supervisor.location.root)

    assert cli(["--data-dir", folder, "signed-by-me", "--import", str(receipt)]) == 0
    out = capsys.readouterr().out
    assert "Kept 2 signature(s) you made for Morag Stewart" in out
    assert "2 logged as supervision given" in out
    assert out.count("Morag Stewart") == 3


def test_signing_in_person_saves_the_receipt_beside_the_identity_file_and_the_supervisor_keeps_it(
    qtbot: QtBot, practitioner: Logbook, supervisor: Logbook, aileen: SealedIdentity, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    usb = tmp_path / "usb"
    usb.mkdir()
    supervisor.signoff.identities.export(aileen.fingerprint, usb / "aileen.identity.json")
    page = SignoffPage(practitioner)
    qtbot.addWidget(page)
    page.show()
    dialog = page.sign_in_person()
    assert isinstance(dialog, SignDialog)
    dialog.entries.set_period(month_of(date(2026, 3, 1)))
    dialog.signer.picker.load_file(usb / "aileen.identity.json")
    suggested = dialog.receipt.path()
    assert suggested is not None
    assert suggested.parent == usb
    dialog.trust.check.setChecked(True)
    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert f"The supervisor's receipt is in {suggested}" in page.banner.text()

    theirs = SignoffPage(supervisor)
    qtbot.addWidget(theirs)
    theirs.show()
    theirs.import_receipt(suggested)

    assert "Kept 2 signature(s) you made for Morag Stewart" in theirs.banner.text()
    assert {g.target_uid for g in theirs.given_model.rows} == {e.uid for e in entries}
