"""Sign-off on one computer: in person, batch, period summaries, paper, revocation, checking."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from logbook.cli.main import main as cli
from logbook.domain.audit import ConfirmMethod
from logbook.domain.errors import ConflictError, ValidationError
from logbook.domain.identity import SealedIdentity, WrongPassphraseError
from logbook.domain.periods import Period, month_of
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Person, RecordKind, ReflectiveAccount, SupervisionSession
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services.identity import read_identity_file, read_public_identity
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from tests.signoff_support import (
    PASSPHRASE,
    SUPERVISOR,
    add_entries,
    add_practice_and_cpd,
    confirm_supervisor,
    new_identity,
    open_book,
)

MARCH = month_of(date(2026, 3, 1))
# States only a signature check tells apart: the recorded events select them all alike.
CHECKED_ONLY = {
    SignoffState.VERIFIED,
    SignoffState.INVALID,
    SignoffState.UNCONFIRMED,
    SignoffState.NOT_SUPERVISOR,
    SignoffState.FOREIGN,
}


def _states(logbook: Logbook) -> dict[str, SignoffState]:
    rows = logbook.records.all(RecordKind.SUPERVISION)
    return logbook.signoff.states(rows)


def test_signing_in_person_verifies_the_entries_and_keeps_no_private_key(
    practitioner: Logbook, supervisor_book: Logbook, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 3)
    own = new_identity(supervisor_book)
    usb = tmp_path / "usb" / "aileen.identity.json"
    usb.parent.mkdir()
    supervisor_book.signoff.identities.export(own.fingerprint, usb)

    # On the practitioner's computer: the identity file is read, never imported.
    carried = read_identity_file(usb)
    result = practitioner.signoff.sign(
        entries[:2], carried, PASSPHRASE, confirm_for=entries[0].counterpart_uid
    )

    states = _states(practitioner)
    assert [states[e.uid] for e in entries] == [
        SignoffState.VERIFIED,
        SignoffState.VERIFIED,
        SignoffState.UNSIGNED,
    ]
    assert result.signer.fingerprint == own.fingerprint
    assert practitioner.signoff.identities.list() == []
    known = practitioner.signoff.known_signers()
    assert [(k.fingerprint, bool(k.confirmed_at)) for k in known] == [(own.fingerprint, True)]
    assert known[0].confirmed_how == ConfirmMethod.IN_PERSON.label
    sealed = own.to_json()["private_key"]
    database = (
        practitioner.path.read_bytes() + practitioner.path.with_suffix(".sqlite-wal").read_bytes()
    )
    assert sealed.encode() not in database
    assert own.unlock(PASSPHRASE)._key.private_bytes_raw() not in database


def test_a_signature_by_a_key_not_yet_confirmed_is_not_verified_until_it_is(
    practitioner: Logbook, identity: SealedIdentity
) -> None:
    entries = add_entries(practitioner, 2)

    practitioner.signoff.sign(entries, identity, PASSPHRASE)

    assert set(_states(practitioner).values()) == {SignoffState.UNCONFIRMED}
    assert SignoffState.UNCONFIRMED.label == "Signed, key not confirmed"
    [known] = practitioner.signoff.known_signers()
    assert (known.fingerprint, known.confirmed_at) == (identity.fingerprint, None)
    assert {e.state for e in practitioner.signoff.evidence([e.uid for e in entries])} == {
        SignoffState.UNCONFIRMED
    }
    assert practitioner.signoff.count_in_states({SignoffState.VERIFIED}) == 0

    practitioner.signoff.confirm_key(
        entries[0].counterpart_uid, identity.public, ConfirmMethod.PHONE
    )

    assert set(_states(practitioner).values()) == {SignoffState.VERIFIED}
    assert practitioner.signoff.count_in_states({SignoffState.VERIFIED}) == 2
    [known] = practitioner.signoff.known_signers()
    assert known.confirmed_at is not None
    assert known.confirmed_how == ConfirmMethod.PHONE.label


def test_a_wrong_passphrase_signs_nothing(practitioner: Logbook, identity: SealedIdentity) -> None:
    entries = add_entries(practitioner, 2)

    with pytest.raises(WrongPassphraseError):
        practitioner.signoff.sign(entries, identity, "not the passphrase")

    assert set(_states(practitioner).values()) == {SignoffState.UNSIGNED}
    assert practitioner.signoff.known_signers() == []


def test_an_entry_changed_during_review_is_not_signed(
    practitioner: Logbook, identity: SealedIdentity
) -> None:
    entries = add_entries(practitioner, 2)
    practitioner.records.update(dataclasses.replace(entries[1], duration_minutes=45))

    with pytest.raises(ConflictError, match="changed while it was being reviewed"):
        practitioner.signoff.sign(entries, identity, PASSPHRASE)

    assert set(_states(practitioner).values()) == {SignoffState.UNSIGNED}


def test_an_edit_after_signing_shows_what_changed_and_keeps_the_signed_revision(
    practitioner: Logbook,
    identity: SealedIdentity,
) -> None:
    entry = add_entries(practitioner, 1)[0]
    practitioner.signoff.sign([entry], identity, PASSPHRASE, confirm_for=entry.counterpart_uid)

    edited = practitioner.records.update(
        dataclasses.replace(entry, duration_minutes=90, action_points="Book a case review.")
    ).record

    detail = practitioner.signoff.detail(edited)
    assert detail.state is SignoffState.CHANGED
    changes = {c.field: (c.signed, c.current) for c in detail.changes}
    assert changes["duration_minutes"] == (60, 90)
    assert changes["action_points"] == ("Review the stepped-care plan.", "Book a case review.")
    assert changes["revision"] == (1, 2)
    assert [s.revision for s in detail.signatures] == [1]
    assert detail.signatures[0].valid

    practitioner.signoff.sign([edited], identity, PASSPHRASE)
    assert practitioner.signoff.states([edited])[edited.uid] is SignoffState.VERIFIED
    history = practitioner.signoff.history(edited.uid)
    assert [(e.event_type.value, e.target_revision) for e in history] == [
        ("signed", 1),
        ("signed", 2),
    ]


def test_batch_signing_signs_a_month_at_once_and_leaves_other_months(
    practitioner: Logbook,
    identity: SealedIdentity,
) -> None:
    march = add_entries(practitioner, 4, month=3)
    april = add_entries(practitioner, 2, month=4)
    practitioner.signoff.confirm_key(
        march[0].counterpart_uid, identity.public, ConfirmMethod.IN_PERSON
    )

    result = practitioner.signoff.sign_batch(RecordKind.SUPERVISION, MARCH, identity, PASSPHRASE)

    states = _states(practitioner)
    assert {states[e.uid] for e in march} == {SignoffState.VERIFIED}
    assert {states[e.uid] for e in april} == {SignoffState.UNSIGNED}
    evidence = practitioner.signoff.evidence([e.uid for e in march])
    assert {ev.mode for ev in evidence} == {SignoffMode.BATCH}
    assert len(evidence) == 4
    history = practitioner.signoff.history(march[0].uid)
    assert history[0].batch_label == "All supervision in 01 Mar 2026 – 31 Mar 2026"
    assert history[0].batch_uid == result.batch_uid

    with pytest.raises(Exception, match="no supervision to sign"):
        practitioner.signoff.sign_batch(RecordKind.SUPERVISION, MARCH, identity, PASSPHRASE)


def test_a_period_summary_is_signed_and_shows_changed_when_its_entries_change(
    practitioner: Logbook,
    identity: SealedIdentity,
) -> None:
    entries = add_entries(practitioner, 3)
    summary = practitioner.signoff.create_summary(RecordKind.SUPERVISION, MARCH).summary
    assert summary.minutes == 180
    assert summary.statement == (
        "I confirm 3.00 hours of supervision recorded in 01 Mar 2026 – 31 Mar 2026 (3 entries)."
    )

    confirm_supervisor(practitioner, identity)
    practitioner.signoff.sign([summary], identity, PASSPHRASE)
    assert practitioner.signoff.states([summary])[summary.uid] is SignoffState.VERIFIED
    [evidence] = practitioner.signoff.evidence([summary.uid])
    assert evidence.description == summary.statement
    assert evidence.target_kind == "period_summary"

    practitioner.records.update(dataclasses.replace(entries[0], duration_minutes=90))
    assessment = practitioner.signoff.assess([summary])[summary.uid]
    assert assessment.state is SignoffState.CHANGED
    assert "entries of this period changed" in assessment.reason


def test_a_summary_of_an_empty_period_is_refused(practitioner: Logbook) -> None:
    with pytest.raises(ValidationError, match="no supervision in"):
        practitioner.signoff.create_summary(RecordKind.SUPERVISION, MARCH)


def test_paper_evidence_is_kept_with_its_hash_and_labelled_unverified(
    practitioner: Logbook, tmp_path: Path
) -> None:
    entries = add_entries(practitioner, 2)
    scan = tmp_path / "signed-page.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scanned signature page\n%%EOF\n")

    practitioner.signoff.attach_paper(
        entries, scan, signer_name=SUPERVISOR, signed_on=date(2026, 3, 31)
    )

    states = _states(practitioner)
    assert {states[e.uid] for e in entries} == {SignoffState.PAPER}
    assert SignoffState.PAPER.label == "Paper evidence (unverified)"
    evidence = practitioner.signoff.evidence([entries[0].uid])
    assert [(e.mode, e.state, e.fingerprint) for e in evidence] == [
        (SignoffMode.PAPER, SignoffState.PAPER, "")
    ]
    assert "signed-page.pdf" in evidence[0].description
    [attachment] = practitioner.attachments.list_for(entries[0].uid)
    assert attachment.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
    assert attachment.label == "Signed paper evidence (unverified)"
    assert practitioner.attachments.content(attachment) == scan.read_bytes()


def test_paper_evidence_must_be_a_pdf(practitioner: Logbook, tmp_path: Path) -> None:
    entries = add_entries(practitioner, 1)
    photo = tmp_path / "page.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not a pdf")

    with pytest.raises(ValidationError, match=r"page\.jpg is not a PDF file"):
        practitioner.signoff.attach_paper(entries, photo, signer_name=SUPERVISOR)

    assert set(_states(practitioner).values()) == {SignoffState.UNSIGNED}


def test_revoking_a_signature_needs_a_reason_and_keeps_the_history(
    practitioner: Logbook,
    identity: SealedIdentity,
) -> None:
    entry = add_entries(practitioner, 1)[0]
    practitioner.signoff.sign([entry], identity, PASSPHRASE)
    [signed] = practitioner.signoff.history(entry.uid)

    with pytest.raises(ValidationError, match="say why"):
        practitioner.signoff.revoke(signed.uid, "  ")
    practitioner.signoff.revoke(signed.uid, "Signed the wrong month", by=SUPERVISOR)

    assert practitioner.signoff.states([entry])[entry.uid] is SignoffState.UNSIGNED
    history = practitioner.signoff.history(entry.uid)
    assert [(e.event_type.value, e.comment) for e in history] == [
        ("signed", ""),
        ("revoked", "Signed the wrong month"),
    ]
    with pytest.raises(ConflictError, match="already revoked"):
        practitioner.signoff.revoke(signed.uid, "again")


def test_the_list_filter_agrees_with_the_checked_state(
    practitioner: Logbook,
    identity: SealedIdentity,
    tmp_path: Path,
) -> None:
    entries = add_entries(practitioner, 6)
    signed, changed, awaiting, other, paper, unsigned = entries
    practitioner.signoff.sign(
        [signed, changed], identity, PASSPHRASE, confirm_for=signed.counterpart_uid
    )
    practitioner.records.update(dataclasses.replace(changed, duration_minutes=50))
    practitioner.signoff.create_request([awaiting], tmp_path / "r.json", supervisor_name=SUPERVISOR)
    scan = tmp_path / "p.pdf"
    scan.write_bytes(b"%PDF-1.7\n%%EOF")
    practitioner.signoff.attach_paper([paper], scan, signer_name=SUPERVISOR)

    shown = _states(practitioner)
    assert shown[signed.uid] is SignoffState.VERIFIED
    for state in SignoffState:
        if state is SignoffState.RETURNED:
            continue
        query = RecordQuery(RecordKind.SUPERVISION, signoff_states=frozenset({state.value}))
        found = {r.uid for r in practitioner.records.query(query)}
        checked = {r.uid for r, _ in practitioner.signoff.in_states({state})}
        assert checked == {uid for uid, s in shown.items() if s is state}, state
        assert practitioner.signoff.count_in_states({state}) == len(checked), state
        if state in CHECKED_ONLY:
            assert found == {uid for uid, s in shown.items() if s in CHECKED_ONLY}, state
        else:
            assert found == checked, state
    assert shown[other.uid] is SignoffState.UNSIGNED
    both = RecordQuery(
        RecordKind.SUPERVISION, signoff_states=frozenset({"unsigned", "changed_since_signed"})
    )
    assert {r.uid for r in practitioner.records.query(both)} == {
        changed.uid,
        other.uid,
        unsigned.uid,
    }
    assert practitioner.records.summarise(both).count == 3


def test_a_reflective_account_marked_private_needs_consent_to_be_sent(
    practitioner: Logbook, tmp_path: Path
) -> None:
    account = practitioner.records.create(
        ReflectiveAccount(date=date(2026, 2, 1), title="A hard ending", private=True)
    ).record
    out = tmp_path / "request.json"

    with pytest.raises(ValidationError, match="'A hard ending' are private"):
        practitioner.signoff.create_request([account], out, supervisor_name=SUPERVISOR)
    assert not out.exists()

    practitioner.signoff.create_request(
        [account], out, supervisor_name=SUPERVISOR, allow_private=True
    )
    assert practitioner.signoff.states([account])[account.uid] is SignoffState.AWAITING


def test_identities_export_and_import_between_computers(
    supervisor_book: Logbook, tmp_path: Path
) -> None:
    own = new_identity(supervisor_book)
    usb = tmp_path / "aileen.identity.json"
    card = tmp_path / "aileen.public.json"
    supervisor_book.signoff.identities.export(own.fingerprint, usb)
    supervisor_book.signoff.identities.export_public(own.fingerprint, card)

    laptop = Logbook.open(DataLocation(tmp_path / "laptop"))
    try:
        imported = laptop.signoff.identities.import_file(usb)
        assert imported.fingerprint == own.fingerprint
        assert laptop.signoff.identities.get(own.fingerprint).unlock(PASSPHRASE)
    finally:
        laptop.close()
    public = read_public_identity(card)
    assert public == own.public
    assert "private_key" not in card.read_text()


def test_a_row_edited_with_sqlite_is_flagged_by_verify_and_by_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = DataLocation(tmp_path / "book")
    logbook = Logbook.open(location)
    entries = add_entries(logbook, 3)
    signer = new_identity(logbook)
    logbook.signoff.sign(entries, signer, PASSPHRASE, confirm_for=entries[0].counterpart_uid)
    logbook.close()

    assert cli(["--data-dir", str(location.root), "verify"]) == 0
    assert "3 valid, 0 invalid" in capsys.readouterr().out

    with sqlite3.connect(location.database) as conn:
        conn.execute(
            "UPDATE supervision SET duration_minutes = 600 WHERE uid = ?", (entries[1].uid,)
        )

    assert cli(["--data-dir", str(location.root), "verify"]) == 1
    out = capsys.readouterr().out
    assert f"INVALID  supervision {entries[1].uid}" in out
    assert "altered without a new revision" in out
    assert "Some signatures are NOT valid." in out

    logbook = Logbook.open(location)
    try:
        rows = logbook.records.query(RecordQuery(RecordKind.SUPERVISION, descending=False))
        shown = logbook.signoff.states(rows)
        assert [shown[r.uid] for r in rows] == [
            SignoffState.VERIFIED,
            SignoffState.INVALID,
            SignoffState.VERIFIED,
        ]
    finally:
        logbook.close()


def test_a_forged_signature_row_is_reported_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = DataLocation(tmp_path / "book")
    logbook = Logbook.open(location)
    entries = add_entries(logbook, 2)
    logbook.signoff.sign(entries[:1], new_identity(logbook), PASSPHRASE)
    logbook.close()

    # Someone copies the signature onto the other entry, behind the app's back.
    with sqlite3.connect(location.database) as conn:
        conn.execute(
            "UPDATE signoff_event SET target_uid = ? WHERE event_type = 'signed'",
            (entries[1].uid,),
        )
        conn.execute("UPDATE signoff_status SET target_uid = ?", (entries[1].uid,))

    assert cli(["--data-dir", str(location.root), "verify"]) == 1
    assert "filed under another record id" in capsys.readouterr().out
    logbook = Logbook.open(location)
    try:
        assert logbook.signoff.states([entries[1]])[entries[1].uid] is SignoffState.INVALID
    finally:
        logbook.close()


def test_a_signoff_event_deleted_with_sqlite_makes_every_signature_invalid(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "book")
    with open_book(location.root) as logbook:
        entries = add_entries(logbook, 3)
        signer = new_identity(logbook)
        logbook.signoff.sign(
            entries[:2], signer, PASSPHRASE, confirm_for=entries[0].counterpart_uid
        )
        logbook.signoff.sign(entries[2:], signer, PASSPHRASE)
        assert logbook.signoff.verify_all().ok

    # The newest signature is removed behind the app's back, as if it had never been made.
    with sqlite3.connect(location.database) as conn:
        conn.execute("DELETE FROM signoff_event WHERE target_uid = ?", (entries[2].uid,))
        conn.execute("DELETE FROM signoff_status WHERE target_uid = ?", (entries[2].uid,))

    with open_book(location.root) as logbook:
        report = logbook.signoff.verify_all()
        assert not report.ok
        assert report.chain_problems
        states = logbook.signoff.states(entries)
        assert [states[e.uid] for e in entries] == [
            SignoffState.INVALID,
            SignoffState.INVALID,
            SignoffState.UNSIGNED,
        ]


def test_states_of_kinds_that_are_never_signed_are_unsigned(practitioner: Logbook) -> None:
    person = practitioner.records.create(Person(name=SUPERVISOR)).record

    assert practitioner.signoff.states([person]) == {person.uid: SignoffState.UNSIGNED}


def test_signing_other_kinds_of_entries(practitioner: Logbook, identity: SealedIdentity) -> None:
    entries = add_practice_and_cpd(practitioner)
    supervisor = practitioner.records.create(Person(name=SUPERVISOR)).record

    practitioner.signoff.sign(entries, identity, PASSPHRASE, confirm_for=supervisor.uid)

    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.VERIFIED}
    cpd = entries[1]
    detail = practitioner.signoff.detail(cpd)
    assert detail.signatures[0].registration == "HCPC PYL04321"
    # The shareable reflection is part of what was signed.
    practitioner.records.update(dataclasses.replace(cpd, reflection="Rewritten"))
    assert "reflection" in {
        c.field
        for c in practitioner.signoff.changes_since_signed(
            practitioner.records.get(RecordKind.CPD, cpd.uid)
        )
    }


def test_a_summary_can_carry_its_own_statement_and_lists_its_entries(practitioner: Logbook) -> None:
    add_entries(practitioner, 2)
    summary = practitioner.signoff.create_summary(
        RecordKind.SUPERVISION,
        Period(date(2026, 3, 1), date(2026, 3, 31)),
        statement="Two sessions.",
    ).summary
    assert summary.statement == "Two sessions."
    assert len(practitioner.signoff.summary_records(summary)) == 2
    assert isinstance(practitioner.signoff.summary_records(summary)[0], SupervisionSession)
