"""Remote sign-off between two separate logbooks: request file, supervisor's inbox, response file.

Every refusal is checked to leave the practitioner's logbook exactly as it was.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from logbook.domain.audit import ConfirmMethod
from logbook.domain.identity import SealedIdentity, WrongPassphraseError, b64
from logbook.domain.records import Record
from logbook.domain.signing import SignoffFileError, canonical
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services.identity import read_public_identity
from logbook.services.logbook import Logbook
from logbook.services.signoff.files import integrity_of, response_body
from logbook.services.signoff.inbox import Decision
from logbook.services.signoff.responses import PartialResponseError, UntrustedSignerError
from tests.signoff_support import (
    PASSPHRASE,
    SUPERVISOR,
    add_entries,
    add_practice_and_cpd,
    new_identity,
    open_book,
)


@pytest.fixture
def entries(practitioner: Logbook) -> list[Record]:
    return add_entries(practitioner, 3) + add_practice_and_cpd(practitioner)


def _snapshot(book: Logbook, records: list[Record]) -> Any:
    """Everything sign-off shows about ``records``: states, histories, requests."""
    current = [book.records.get(r.kind, r.uid) for r in records]
    return (
        book.signoff.states(current),
        {r.uid: book.signoff.history(r.uid) for r in records},
        [(s.stored.status, s.stored.response_uid) for s in book.signoff.sent_requests()],
    )


def _respond(
    supervisor_book: Logbook,
    identity: SealedIdentity,
    request_file: Path,
    out: Path,
    returned: dict[str, str] | None = None,
) -> Path:
    entry = supervisor_book.signoff.open_request(request_file).entry
    returns = returned or {}
    decisions = {
        item.uid: Decision.returned(returns[item.uid]) if item.uid in returns else Decision.signed()
        for item in entry.request.items
    }
    supervisor_book.signoff.respond(entry.uid, decisions, identity, PASSPHRASE, out)
    return out


def _rewrite(path: Path, change: Any, *, fix_integrity: bool) -> None:
    document = json.loads(path.read_text())
    change(document)
    if fix_integrity:
        document["integrity"]["value"] = integrity_of(document)
    path.write_text(json.dumps(document, indent=2))


# --- the whole round trip ----------------------------------------------------------------------


def test_remote_round_trip_between_two_logbooks(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    request_file = tmp_path / "mail" / "request.json"
    request_file.parent.mkdir()
    request = practitioner.signoff.create_request(
        entries,
        request_file,
        supervisor_name=SUPERVISOR,
        message="March supervision and my CPD, please.",
    ).request
    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.AWAITING}

    # What travels: human-readable, the practitioner's details, never a private reflection.
    text = request_file.read_text()
    document = json.loads(text)
    assert document["practitioner"]["name"] == "Morag Stewart"
    assert document["practitioner"]["registrations"] == ["BABCP 123456"]
    assert document["message"] == "March supervision and my CPD, please."
    assert "Felt unsure about the risk plan." not in text
    assert "Shared with my supervisor." in text
    assert '\n  "items": [' in text

    # The supervisor, in their own logbook.
    inbox_entry = supervisor_book.signoff.open_request(request_file).entry
    assert [e.uid for e in supervisor_book.signoff.inbox()] == [request.uid]
    assert inbox_entry.request.practitioner.name == "Morag Stewart"
    assert inbox_entry.request.items[0].description == (
        f"Supervision 2026-03-02 · 1.00 h · Clinical · {SUPERVISOR}"
    )
    first, second, third, practice, cpd = entries
    decisions = {item.uid: Decision.signed() for item in inbox_entry.request.items}
    decisions[third.uid] = Decision.returned("The date looks wrong: we met on the 9th.")
    response_file = tmp_path / "mail" / "response.json"
    response = supervisor_book.signoff.respond(
        request.uid, decisions, identity, PASSPHRASE, response_file, message="All fine otherwise."
    ).response
    assert len(response.signed) == 4
    assert supervisor_book.signoff.inbox()[0].status == "responded"

    # Back with the practitioner: the key is new, so its fingerprint must be confirmed first.
    before = _snapshot(practitioner, entries)
    review = practitioner.signoff.review_response(response_file)
    assert not review.signer_known
    assert review.supervisor.fingerprint == identity.fingerprint
    with pytest.raises(UntrustedSignerError, match=identity.fingerprint):
        practitioner.signoff.apply_response(response_file)
    assert _snapshot(practitioner, entries) == before

    result = practitioner.signoff.apply_response(response_file, trust_signer=True)

    assert set(result.signed) == {first.uid, second.uid, practice.uid, cpd.uid}
    assert result.returned == (third.uid,)
    states = practitioner.signoff.states(entries)
    assert states == {
        first.uid: SignoffState.VERIFIED,
        second.uid: SignoffState.VERIFIED,
        third.uid: SignoffState.RETURNED,
        practice.uid: SignoffState.VERIFIED,
        cpd.uid: SignoffState.VERIFIED,
    }
    assert practitioner.signoff.assess([third])[third.uid].comment == (
        "The date looks wrong: we met on the 9th."
    )
    evidence = practitioner.signoff.evidence([first.uid])
    assert [(e.mode, e.signer_name, e.fingerprint, e.signer_registration) for e in evidence] == [
        (SignoffMode.REMOTE, SUPERVISOR, identity.fingerprint, "HCPC PYL04321")
    ]
    assert practitioner.signoff.sent_requests()[0].stored.status == "answered"
    assert practitioner.signoff.verify_all().ok

    # The returned entry is corrected and sent again; this time it is signed.
    corrected = practitioner.records.update(
        dataclasses.replace(third, date=date(2026, 3, 9))
    ).record
    again = tmp_path / "mail" / "request-2.json"
    known = practitioner.signoff.known_signers()[0].identity
    practitioner.signoff.create_request([corrected], again, supervisor=known)
    assert practitioner.signoff.states([corrected])[corrected.uid] is SignoffState.AWAITING
    second_response = _respond(supervisor_book, identity, again, tmp_path / "mail" / "r2.json")
    practitioner.signoff.apply_response(second_response)
    assert practitioner.signoff.states([corrected])[corrected.uid] is SignoffState.VERIFIED


def test_a_supervisor_confirmed_in_advance_needs_no_confirmation_when_applying(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    card = tmp_path / "card.json"
    supervisor_book.signoff.identities.export_public(identity.fingerprint, card)
    known = practitioner.signoff.add_known_signer(
        read_public_identity(card),
        confirm_for=entries[0].counterpart_uid,
        method=ConfirmMethod.IDENTITY_FILE,
    ).signer
    assert known.confirmed_at is not None
    assert known.confirmed_how == ConfirmMethod.IDENTITY_FILE.label
    request_file = tmp_path / "request.json"
    practitioner.signoff.create_request(entries[:2], request_file, supervisor=known.identity)

    response = _respond(supervisor_book, identity, request_file, tmp_path / "response.json")
    assert practitioner.signoff.review_response(response).signer_known
    practitioner.signoff.apply_response(response)

    assert set(practitioner.signoff.states(entries[:2]).values()) == {SignoffState.VERIFIED}


def test_naming_the_supervisors_key_in_a_request_does_not_confirm_it(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    request_file = tmp_path / "request.json"
    practitioner.signoff.create_request(entries[:2], request_file, supervisor=identity.public)
    assert [k.confirmed_at for k in practitioner.signoff.known_signers()] == [None]

    response = _respond(supervisor_book, identity, request_file, tmp_path / "response.json")
    assert not practitioner.signoff.review_response(response).signer_known
    before = _snapshot(practitioner, entries)
    with pytest.raises(UntrustedSignerError):
        practitioner.signoff.apply_response(response)
    assert _snapshot(practitioner, entries) == before

    practitioner.signoff.apply_response(response, trust_signer=True)

    assert set(practitioner.signoff.states(entries[:2]).values()) == {SignoffState.VERIFIED}
    [known] = practitioner.signoff.known_signers()
    assert known.confirmed_how == ConfirmMethod.PHONE.label


# --- bad input: each refused with a clear message, nothing attached or changed -----------------


def test_a_response_for_a_different_logbook_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    practitioner.signoff.create_request(entries, tmp_path / "req.json", supervisor_name=SUPERVISOR)
    response = _respond(supervisor_book, identity, tmp_path / "req.json", tmp_path / "resp.json")
    with open_book(tmp_path / "someone-else") as other:
        others = add_entries(other, 2)
        other.signoff.create_request(others, tmp_path / "other.json", supervisor_name=SUPERVISOR)
        before = _snapshot(other, others)

        with pytest.raises(SignoffFileError, match="answers a request from another logbook"):
            other.signoff.apply_response(response, trust_signer=True, confirm_partial=True)

        assert _snapshot(other, others) == before


def test_a_response_for_entries_changed_since_the_request_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    practitioner.signoff.create_request(entries, tmp_path / "req.json", supervisor_name=SUPERVISOR)
    response = _respond(supervisor_book, identity, tmp_path / "req.json", tmp_path / "resp.json")
    edited = practitioner.records.update(
        dataclasses.replace(entries[0], duration_minutes=120)
    ).record
    everything = [edited, *entries[1:]]
    before = _snapshot(practitioner, everything)

    with pytest.raises(PartialResponseError) as refused:
        practitioner.signoff.apply_response(response, trust_signer=True)

    assert [r.uid for r in refused.value.refused] == [edited.uid]
    assert "changed since the request was sent (revision 1 was sent, it is now revision 2)" in str(
        refused.value
    )
    assert refused.value.acceptable == 4
    assert _snapshot(practitioner, everything) == before

    # Confirmed: the valid signatures only.
    result = practitioner.signoff.apply_response(response, trust_signer=True, confirm_partial=True)
    assert [r.uid for r in result.refused] == [edited.uid]
    states = practitioner.signoff.states(everything)
    assert states[edited.uid] is SignoffState.UNSIGNED
    assert {states[e.uid] for e in entries[1:]} == {SignoffState.VERIFIED}


def test_a_response_whose_entries_all_changed_attaches_nothing_even_when_confirmed(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    practitioner.signoff.create_request(
        entries[:1], tmp_path / "req.json", supervisor_name=SUPERVISOR
    )
    response = _respond(supervisor_book, identity, tmp_path / "req.json", tmp_path / "resp.json")
    edited = practitioner.records.update(dataclasses.replace(entries[0], live=True)).record
    before = _snapshot(practitioner, [edited])

    with pytest.raises(SignoffFileError, match="No entry of this response can be accepted"):
        practitioner.signoff.apply_response(response, trust_signer=True, confirm_partial=True)

    assert _snapshot(practitioner, [edited]) == before


def test_a_wrong_passphrase_writes_no_response(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    practitioner.signoff.create_request(entries, tmp_path / "req.json", supervisor_name=SUPERVISOR)
    entry = supervisor_book.signoff.open_request(tmp_path / "req.json").entry
    decisions = {item.uid: Decision.signed() for item in entry.request.items}
    out = tmp_path / "resp.json"

    with pytest.raises(WrongPassphraseError, match="does not unlock"):
        supervisor_book.signoff.respond(entry.uid, decisions, identity, "wrong passphrase", out)

    assert not out.exists()
    assert supervisor_book.signoff.inbox()[0].status == "open"


def test_a_response_must_answer_every_entry_and_explain_returns(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    practitioner.signoff.create_request(
        entries[:2], tmp_path / "req.json", supervisor_name=SUPERVISOR
    )
    entry = supervisor_book.signoff.open_request(tmp_path / "req.json").entry
    first, second = entry.request.items

    with pytest.raises(Exception, match="sign it or return it") as missing:
        supervisor_book.signoff.respond(
            entry.uid, {first.uid: Decision.signed()}, identity, PASSPHRASE, tmp_path / "r.json"
        )
    assert second.description in str(missing.value)
    with pytest.raises(Exception, match="say why it is returned"):
        supervisor_book.signoff.respond(
            entry.uid,
            {first.uid: Decision.signed(), second.uid: Decision.returned(" ")},
            identity,
            PASSPHRASE,
            tmp_path / "r.json",
        )
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncate", "is incomplete: it ends before the sign-off request does"),
        ("garble", "is not a valid sign-off request: Expecting"),
        ("edit-content", "was altered or damaged after it was written"),
        ("edit-content-and-integrity", r"items\[0\]\.content does not match its digest"),
        ("no-items", "items is empty"),
        ("other-file", "is not a sign-off request"),
        ("response-file", "It is a sign-off response"),
        ("empty", "is empty"),
        ("not-a-number", "holds a number that cannot be signed"),
    ],
)
def test_a_damaged_or_tampered_request_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
    damage: str,
    message: str,
) -> None:
    path = tmp_path / "request.json"
    practitioner.signoff.create_request(entries, path, supervisor_name=SUPERVISOR)
    text = path.read_text()
    if damage == "truncate":
        path.write_text(text[: len(text) // 2])
    elif damage == "garble":
        path.write_text(text.replace('"items": [', '"items": [,', 1))
    elif damage in ("edit-content", "edit-content-and-integrity"):

        def longer(document: dict[str, Any]) -> None:
            document["items"][0]["content"]["duration_minutes"] = 600

        _rewrite(path, longer, fix_integrity=damage.endswith("integrity"))
    elif damage == "no-items":
        _rewrite(path, lambda d: d.update(items=[]), fix_integrity=True)
    elif damage == "other-file":
        path.write_text(json.dumps({"format": "something-else/1"}))
    elif damage == "response-file":
        _respond(supervisor_book, identity, path, tmp_path / "resp.json")
        path = tmp_path / "resp.json"
    elif damage == "empty":
        path.write_text("")
    elif damage == "not-a-number":
        path.write_text(text.replace('"message":', '"note2": NaN, "message":', 1))
    inbox_before = [e.uid for e in supervisor_book.signoff.inbox()]

    with pytest.raises(SignoffFileError, match=message):
        supervisor_book.signoff.open_request(path)

    assert [e.uid for e in supervisor_book.signoff.inbox()] == inbox_before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncate", "is incomplete: it ends before the sign-off response does"),
        ("garble", "is not a valid sign-off response"),
        ("edit-comment", "was altered or damaged after it was written"),
        ("edit-comment-and-integrity", "its signature does not match its content"),
        ("swap-signature", "its signature does not match its content"),
        ("bad-base64", r"signed\[0\]\.signature is not valid base64"),
        ("request-file", "It is a sign-off request"),
    ],
)
def test_a_damaged_or_tampered_response_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
    damage: str,
    message: str,
) -> None:
    request_path = tmp_path / "request.json"
    practitioner.signoff.create_request(entries, request_path, supervisor_name=SUPERVISOR)
    path = _respond(
        supervisor_book,
        identity,
        request_path,
        tmp_path / "response.json",
        returned={entries[2].uid: "Please add the themes."},
    )
    text = path.read_text()
    if damage == "truncate":
        path.write_text(text[:-40])
    elif damage == "garble":
        path.write_text(text.replace('"signed": [', '"signed": [[', 1))
    elif damage in ("edit-comment", "edit-comment-and-integrity"):

        def kinder(document: dict[str, Any]) -> None:
            document["returned"][0]["comment"] = "All good."

        _rewrite(path, kinder, fix_integrity=damage.endswith("integrity"))
    elif damage == "swap-signature":

        def swap(document: dict[str, Any]) -> None:
            a, b = document["signed"][0], document["signed"][1]
            a["signature"], b["signature"] = b["signature"], a["signature"]

        _rewrite(path, swap, fix_integrity=True)
    elif damage == "bad-base64":
        _rewrite(path, lambda d: d["signed"][0].update(signature="%%%"), fix_integrity=True)
    elif damage == "request-file":
        path = request_path
    before = _snapshot(practitioner, entries)

    with pytest.raises(SignoffFileError, match=message):
        practitioner.signoff.apply_response(path, trust_signer=True, confirm_partial=True)

    assert _snapshot(practitioner, entries) == before


def test_a_forged_entry_signature_inside_a_resigned_response_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    """Even with a valid envelope, each entry's own signature is checked."""
    request_path = tmp_path / "request.json"
    practitioner.signoff.create_request(entries[:2], request_path, supervisor_name=SUPERVISOR)
    path = _respond(supervisor_book, identity, request_path, tmp_path / "response.json")
    document = json.loads(path.read_text())
    statement = document["signed"][0]["statement"]
    statement["signer"]["registration_number"] = "FORGED"
    unlocked = identity.unlock(PASSPHRASE)
    document["supervisor_signature"] = b64(unlocked.sign(canonical(response_body(document))))
    document["integrity"]["value"] = integrity_of(document)
    path.write_text(json.dumps(document))

    with pytest.raises(PartialResponseError, match="its signature is not valid"):
        practitioner.signoff.apply_response(path, trust_signer=True)


def test_a_response_signed_by_another_key_than_the_known_supervisor_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    practitioner.signoff.add_known_signer(identity.public, confirm_for=entries[0].counterpart_uid)
    request_path = tmp_path / "request.json"
    practitioner.signoff.create_request(entries, request_path, supervisor=identity.public)
    impostor = new_identity(supervisor_book, name=SUPERVISOR)  # same name, different key
    path = _respond(supervisor_book, impostor, request_path, tmp_path / "response.json")
    before = _snapshot(practitioner, entries)

    with pytest.raises(SignoffFileError) as refused:
        practitioner.signoff.apply_response(path, trust_signer=True, confirm_partial=True)

    assert f"fingerprint {impostor.fingerprint}" in str(refused.value)
    assert f"request was for {SUPERVISOR} with fingerprint {identity.fingerprint}" in str(
        refused.value
    )
    assert _snapshot(practitioner, entries) == before


def test_a_replayed_response_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    request_path = tmp_path / "request.json"
    practitioner.signoff.create_request(entries, request_path, supervisor_name=SUPERVISOR)
    first = _respond(supervisor_book, identity, request_path, tmp_path / "first.json")
    # The same request answered again from another copy of the supervisor's app.
    with open_book(tmp_path / "supervisor-laptop") as laptop:
        laptop.signoff.identities.import_file(
            supervisor_book.signoff.identities.folder / f"{identity.fingerprint}.identity.json"
        )
        older = _respond(
            laptop,
            identity,
            request_path,
            tmp_path / "other.json",
            returned={entries[0].uid: "Needs more detail."},
        )
    practitioner.signoff.apply_response(first, trust_signer=True)
    practitioner.signoff.revoke(
        practitioner.signoff.history(entries[1].uid)[-1].uid, "Signed in error"
    )
    before = _snapshot(practitioner, entries)

    with pytest.raises(SignoffFileError, match="was already applied on"):
        practitioner.signoff.apply_response(first, trust_signer=True, confirm_partial=True)
    with pytest.raises(SignoffFileError, match="is an old answer"):
        practitioner.signoff.apply_response(older, trust_signer=True, confirm_partial=True)

    assert _snapshot(practitioner, entries) == before
    assert practitioner.signoff.states([entries[1]])[entries[1].uid] is SignoffState.UNSIGNED


def test_a_request_opened_in_the_logbook_that_made_it_is_refused(
    practitioner: Logbook, entries: list[Record], tmp_path: Path
) -> None:
    path = tmp_path / "request.json"
    practitioner.signoff.create_request(entries, path, supervisor_name=SUPERVISOR)

    with pytest.raises(SignoffFileError, match="was created by this logbook"):
        practitioner.signoff.open_request(path)


def test_a_request_that_cannot_be_written_marks_nothing_as_awaiting(
    practitioner: Logbook, entries: list[Record], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "request.json"

    with pytest.raises(Exception, match="Cannot write"):
        practitioner.signoff.create_request(entries, missing, supervisor_name=SUPERVISOR)

    assert set(practitioner.signoff.states(entries).values()) == {SignoffState.UNSIGNED}
    assert practitioner.signoff.sent_requests() == []


def test_a_response_to_an_unknown_request_is_refused(
    practitioner: Logbook,
    supervisor_book: Logbook,
    identity: SealedIdentity,
    entries: list[Record],
    tmp_path: Path,
) -> None:
    request_path = tmp_path / "request.json"
    practitioner.signoff.create_request(entries, request_path, supervisor_name=SUPERVISOR)
    path = _respond(supervisor_book, identity, request_path, tmp_path / "response.json")

    def unknown(document: dict[str, Any]) -> None:
        document["request_id"] = "4b7e0a8e-0000-4000-8000-000000000000"

    _rewrite(path, unknown, fix_integrity=True)

    with pytest.raises(SignoffFileError, match="answers a request this logbook never sent"):
        practitioner.signoff.apply_response(path, trust_signer=True)
