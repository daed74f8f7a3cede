"""Signing in person through the window: the supervisor's own identity file, made on the spot and
kept only where they choose; the key confirmed by comparing fingerprints; and a signer who is
not the supervisor recorded refused unless a co-signing reason is given."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from logbook.domain.periods import month_of
from logbook.domain.records import Person
from logbook.domain.signoff import SignoffState
from logbook.services.identity import read_identity_file
from logbook.services.logbook import Logbook
from logbook.ui.signoff import SignoffPage
from logbook.ui.signoff.dialogs import IdentityDialog, SignDialog
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries, new_identity, open_book

MARCH = month_of(date(2026, 3, 1))


def _sign_dialog(qtbot: QtBot, logbook: Logbook) -> SignDialog:
    page = SignoffPage(logbook)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    qtbot.waitExposed(page)
    dialog = page.sign_in_person()
    assert isinstance(dialog, SignDialog)
    dialog.entries.set_period(MARCH)
    return dialog


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_supervisor_makes_their_identity_on_the_spot_and_it_stays_on_their_usb(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    usb = tmp_path / "USB stick"
    usb.mkdir()
    dialog = _sign_dialog(qtbot, practitioner)

    made = dialog.signer.create_for_supervisor()
    assert isinstance(made, IdentityDialog)
    qtbot.keyClicks(made.name, SUPERVISOR)
    qtbot.keyClicks(made.body, "HCPC")
    qtbot.keyClicks(made.passphrase, PASSPHRASE)
    qtbot.keyClicks(made.again, PASSPHRASE)
    made.destination.set_path(usb / "aileen.identity.json")
    _click(qtbot, made.create_button)

    saved = read_identity_file(usb / "aileen.identity.json")
    assert dialog.signer.picker.identity() == saved
    assert saved.fingerprint in dialog.signer.picker.card.fingerprint.text()
    # The key is new to this logbook: the supervisor compares the fingerprint, here.
    assert dialog.trust.isVisible()
    assert saved.fingerprint in dialog.trust.check.text()
    assert dialog.trust.person.currentText() == SUPERVISOR
    dialog.trust.check.setChecked(True)
    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    _click(qtbot, dialog.sign_button)

    assert not dialog.isVisible()
    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.VERIFIED}
    # Nothing of the supervisor's key stays on the practitioner's computer.
    assert practitioner.signoff.identities.list() == []
    sealed = saved.to_json()["private_key"]
    data_folder = practitioner.db.path.parent
    for path in data_folder.rglob("*"):
        if path.is_file():
            assert sealed.encode() not in path.read_bytes(), path
    [known] = practitioner.signoff.known_signers()
    assert known.confirmed_how == "Compared on the supervisor's own screen, in person"


def test_without_comparing_fingerprints_the_signature_is_not_verified(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 1)
    identity = new_identity(practitioner)
    dialog = _sign_dialog(qtbot, practitioner)
    dialog.signer.picker.combo.setCurrentIndex(0)
    assert dialog.signer.picker.identity() == identity

    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    _click(qtbot, dialog.sign_button)

    assert practitioner.signoff.states(entries)[entries[0].uid] is SignoffState.UNCONFIRMED


def test_a_signer_who_is_not_the_supervisor_is_refused_until_a_reason_is_given(
    qtbot: QtBot, practitioner: Logbook, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 1)
    practitioner.records.create(Person(name="Dr Ruth Okafor"))
    with open_book(tmp_path / "ruth") as elsewhere:
        ruth = new_identity(elsewhere, "Dr Ruth Okafor")
        elsewhere.signoff.identities.export(ruth.fingerprint, tmp_path / "ruth.identity.json")
    dialog = _sign_dialog(qtbot, practitioner)
    dialog.signer.picker.load_file(tmp_path / "ruth.identity.json")
    assert dialog.trust.person.currentText() == "Dr Ruth Okafor"
    dialog.trust.check.setChecked(True)

    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    _click(qtbot, dialog.sign_button)

    assert dialog.isVisible()
    assert "Only the supervisor recorded on an entry can sign it" in dialog.banner.text()
    assert "the supervisor recorded is Dr Aileen MacLeod, not Dr Ruth Okafor" in (
        dialog.banner.text()
    )
    assert practitioner.signoff.states(entries)[entries[0].uid] is SignoffState.UNSIGNED

    qtbot.keyClicks(dialog.cosign, "Deputising while Dr MacLeod is on leave")
    qtbot.keyClicks(dialog.signer.passphrase, PASSPHRASE)
    _click(qtbot, dialog.sign_button)

    assert not dialog.isVisible()
    assert practitioner.signoff.states(entries)[entries[0].uid] is SignoffState.VERIFIED
    [signature] = practitioner.signoff.detail(entries[0]).signatures
    assert signature.cosign_reason == "Deputising while Dr MacLeod is on leave"
