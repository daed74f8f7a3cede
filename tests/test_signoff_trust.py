"""Sign-off against an attacker: signatures moved between practitioners, self-made keys, the
wrong signer, an edited audit trail, sessions in the future."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest

from logbook.cli.main import main as cli
from logbook.domain.audit import ConfirmMethod
from logbook.domain.errors import ValidationError
from logbook.domain.identity import SealedIdentity
from logbook.domain.periods import Period
from logbook.domain.records import Person, Record, RecordKind, SupervisionSession
from logbook.domain.signing import SignoffFileError
from logbook.domain.signoff import SignoffState
from logbook.services.exchange import export_json, import_json
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.logbook import Logbook
from logbook.services.signoff.files import integrity_of
from logbook.services.signoff.inbox import Decision
from logbook.services.signoff.responses import UntrustedSignerError
from logbook.services.signoff.trust import FutureEntryError, SignerNotSupervisorError
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries, new_identity, open_book


@pytest.fixture
def mine(tmp_path: Path) -> Iterator[Logbook]:
    with open_book(tmp_path / "mine") as book:
        yield book


@pytest.fixture
def aileen(supervisor_book: Logbook) -> SealedIdentity:
    return new_identity(supervisor_book)


def _state(book: Logbook, record: Record) -> SignoffState:
    return book.signoff.states([book.records.get(record.kind, record.uid)])[record.uid]


def _signed_in_person(book: Logbook, identity: SealedIdentity, count: int = 2) -> list[Record]:
    entries = add_entries(book, count)
    book.signoff.sign(entries, identity, PASSPHRASE, confirm_for=_supervisor(entries[0]))
    return entries


def _supervisor(record: Record) -> str:
    assert isinstance(record, SupervisionSession)
    assert record.counterpart_uid
    return record.counterpart_uid


def _verify(book: Logbook) -> tuple[bool, str]:
    report = book.signoff.verify_all()
    return report.ok, "\n".join(report.lines())


def _cli_verify(book: Logbook, *args: str) -> int:
    """``logbook-cli verify`` on ``book``, which is closed for it (the CLI opens it itself)."""
    book.close()
    assert book.location is not None
    return cli(["--data-dir", str(book.location.root), "verify", *args])


# --- signatures travel between practitioners ---------------------------------------------------


def test_a_colleagues_signatures_imported_into_my_logbook_are_signed_for_someone_else(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "colleague.json"
    with open_book(tmp_path / "colleague") as colleague:
        theirs = _signed_in_person(colleague, aileen)
        assert {_state(colleague, r) for r in theirs} == {SignoffState.VERIFIED}
        export_json(colleague.db, exported)
    # The attacker drops the colleague's profile and imports the rest into their own logbook.
    document = json.loads(exported.read_text())
    document["records"] = [r for r in document["records"] if r["kind"] != "profile"]
    exported.write_text(json.dumps(document))
    add_entries(mine, 1)
    mine.signoff.confirm_key(
        mine.records.all(RecordKind.PERSON)[0].uid, aileen.public, ConfirmMethod.PHONE
    )

    import_json(mine.db, exported)

    assert {_state(mine, r) for r in theirs} == {SignoffState.FOREIGN}
    assert mine.signoff.evidence([r.uid for r in theirs]) == []
    assert mine.signoff.count_in_states({SignoffState.VERIFIED}) == 0
    detail = mine.signoff.detail(mine.records.get(RecordKind.SUPERVISION, theirs[0].uid))
    assert "signed for Morag Stewart, in another logbook" in detail.assessment.reason
    capsys.readouterr()
    assert _cli_verify(mine) == 1
    assert "signed for someone else" in capsys.readouterr().out


def test_signatures_stay_verified_when_a_logbook_imports_its_own_export(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity
) -> None:
    entries = _signed_in_person(mine, aileen)
    exported = tmp_path / "mine.json"
    export_json(mine.db, exported)
    import_json(mine.db, exported)
    assert {_state(mine, r) for r in entries} == {SignoffState.VERIFIED}
    assert mine.signoff.verify_all().ok


def test_a_response_made_for_another_practitioner_is_refused(
    tmp_path: Path, mine: Logbook, supervisor_book: Logbook, aileen: SealedIdentity
) -> None:
    mine_entries = add_entries(mine, 1)
    with open_book(tmp_path / "colleague") as colleague:
        theirs = add_entries(colleague, 1)
        colleague.signoff.create_request(theirs, tmp_path / "q.json", supervisor_name=SUPERVISOR)
        entry = supervisor_book.signoff.open_request(tmp_path / "q.json").entry
        supervisor_book.signoff.respond(
            entry.uid, {theirs[0].uid: Decision.signed()}, aileen, PASSPHRASE, tmp_path / "r.json"
        )
    # The attacker rewrites the response to answer a request of their own for their entry.
    mine.signoff.create_request(mine_entries, tmp_path / "mine-q.json", supervisor_name=SUPERVISOR)
    forged = json.loads((tmp_path / "r.json").read_text())
    request = json.loads((tmp_path / "mine-q.json").read_text())
    forged["logbook_id"] = request["logbook_id"]
    forged["request_id"] = request["request_id"]
    forged["request_sha256"] = integrity_of(request)
    forged["signed"][0]["uid"] = mine_entries[0].uid
    del forged["integrity"]
    forged["integrity"] = {"algorithm": "sha256-rfc8785", "value": integrity_of(forged)}
    (tmp_path / "forged.json").write_text(json.dumps(forged))

    with pytest.raises(SignoffFileError, match="not signed by the supervisor it names"):
        mine.signoff.apply_response(tmp_path / "forged.json", trust_signer=True)
    assert _state(mine, mine_entries[0]) is SignoffState.AWAITING


# --- any key with the right name -------------------------------------------------------------


def test_a_key_made_here_in_the_supervisors_name_is_never_verified(mine: Logbook) -> None:
    entries = add_entries(mine, 1)
    impostor = new_identity(mine)  # "Dr Aileen MacLeod", made on the practitioner's computer

    mine.signoff.sign(entries, impostor, PASSPHRASE)

    assert _state(mine, entries[0]) is SignoffState.UNCONFIRMED
    [known] = mine.signoff.known_signers()
    assert known.confirmed_at is None
    detail = mine.signoff.detail(entries[0])
    assert "has not been confirmed with them" in detail.assessment.reason


def test_once_the_real_key_is_pinned_an_impostor_key_is_flagged_loudly(
    mine: Logbook, aileen: SealedIdentity
) -> None:
    entries = _signed_in_person(mine, aileen, 2)
    impostor = new_identity(mine)

    with pytest.raises(SignerNotSupervisorError, match="the supervisor recorded is Dr Aileen"):
        mine.signoff.sign(entries[1:], impostor, PASSPHRASE)
    mine.records.update(dataclasses.replace(entries[1], duration_minutes=75))
    edited = mine.records.get(RecordKind.SUPERVISION, entries[1].uid)
    with pytest.raises(SignerNotSupervisorError):
        mine.signoff.sign([edited], impostor, PASSPHRASE)
    assert _state(mine, entries[0]) is SignoffState.VERIFIED


def test_key_trust_never_arrives_in_an_import(
    tmp_path: Path,
    mine: Logbook,
    supervisor_book: Logbook,
    aileen: SealedIdentity,
    capsys: pytest.CaptureFixture[str],
) -> None:
    entries = add_entries(mine, 1)
    exported = tmp_path / "export.json"
    export_json(mine.db, exported)
    document = json.loads(exported.read_text())
    card = aileen.public.to_json()
    document["signoff"]["identities"] = [
        {
            "fingerprint": card["fingerprint"],
            "public_key": card["public_key"],
            "name": card["name"],
            "registration_body": "",
            "registration_number": "",
            "organisation": "",
            "person_uid": entries[0].counterpart_uid,
            "added_at": "2026-01-01T00:00:00+00:00",
            "confirmed_at": "2026-01-01T00:00:00+00:00",
            "source": "card",
        }
    ]
    exported.write_text(json.dumps(document))

    import_json(mine.db, exported)

    assert all(k.confirmed_at is None for k in mine.signoff.known_signers())
    mine.signoff.create_request(entries, tmp_path / "q.json", supervisor_name=SUPERVISOR)
    entry = supervisor_book.signoff.open_request(tmp_path / "q.json").entry
    supervisor_book.signoff.respond(
        entry.uid, {entries[0].uid: Decision.signed()}, aileen, PASSPHRASE, tmp_path / "r.json"
    )
    with pytest.raises(UntrustedSignerError, match="Confirm the fingerprint"):
        mine.signoff.apply_response(tmp_path / "r.json")
    assert _state(mine, entries[0]) is SignoffState.AWAITING
    mine.close()
    assert mine.location is not None
    folder = str(mine.location.root)
    capsys.readouterr()
    assert cli(["--data-dir", folder, "apply-response", str(tmp_path / "r.json")]) == 1
    assert "Confirm the fingerprint with Dr Aileen MacLeod" in capsys.readouterr().err


# --- the signer must be the supervisor recorded -------------------------------------------------


def test_only_the_supervisor_recorded_can_sign_unless_a_co_signer_is_recorded(
    tmp_path: Path, mine: Logbook
) -> None:
    entries = add_entries(mine, 2)
    deputy = new_identity(mine, "Dr Ruth Okafor")
    deputy_person = mine.records.create(Person(name="Dr Ruth Okafor")).record

    with pytest.raises(SignerNotSupervisorError, match="the supervisor recorded is Dr Aileen"):
        mine.signoff.sign(entries[:1], deputy, PASSPHRASE, confirm_for=deputy_person.uid)
    assert _state(mine, entries[0]) is SignoffState.UNSIGNED
    with pytest.raises(SignerNotSupervisorError):
        mine.signoff.create_request(entries[1:], tmp_path / "q.json", supervisor_name="Dr Okafor")
    assert not (tmp_path / "q.json").exists()

    mine.signoff.sign(
        entries[:1],
        deputy,
        PASSPHRASE,
        confirm_for=deputy_person.uid,
        cosign_reason="Deputising while Dr MacLeod is on leave",
    )
    assert _state(mine, entries[0]) is SignoffState.VERIFIED
    [signature] = mine.signoff.detail(entries[0]).signatures
    assert signature.cosign_reason == "Deputising while Dr MacLeod is on leave"


def test_a_key_later_confirmed_as_someone_elses_shows_not_signed_by_the_supervisor(
    mine: Logbook,
) -> None:
    entries = add_entries(mine, 1)
    # A key in the supervisor's name signs; the practitioner later learns, checking
    # fingerprints, that it is Dr Okafor's key, and confirms it as hers.
    misnamed = new_identity(mine)
    mine.signoff.sign(entries, misnamed, PASSPHRASE)
    assert _state(mine, entries[0]) is SignoffState.UNCONFIRMED
    ruth = mine.records.create(Person(name="Dr Ruth Okafor")).record

    mine.signoff.confirm_key(ruth.uid, misnamed.public, ConfirmMethod.PHONE)

    assert _state(mine, entries[0]) is SignoffState.NOT_SUPERVISOR
    assert "signed by Dr Ruth Okafor, who is not the supervisor recorded" in (
        mine.signoff.detail(entries[0]).assessment.reason
    )
    assert not mine.signoff.verify_all().ok


def test_renaming_the_supervisor_after_signing_shows_changed_since_signed(
    mine: Logbook, aileen: SealedIdentity
) -> None:
    entries = _signed_in_person(mine, aileen, 1)
    person = mine.records.get(RecordKind.PERSON, _supervisor(entries[0]))
    assert isinstance(person, Person)

    mine.records.update(dataclasses.replace(person, name="Dr A. Someone-Else"))

    assert _state(mine, entries[0]) is SignoffState.CHANGED
    reason = mine.signoff.detail(entries[0]).assessment.reason
    assert "counterpart 'Dr Aileen MacLeod' is now 'Dr A. Someone-Else'" in reason


def test_changing_the_supervisors_registration_after_signing_shows_changed(
    mine: Logbook, aileen: SealedIdentity
) -> None:
    entries = _signed_in_person(mine, aileen, 1)
    person = mine.records.get(RecordKind.PERSON, _supervisor(entries[0]))
    assert isinstance(person, Person)
    mine.records.update(
        dataclasses.replace(person, registration_body="HCPC", registration_number="PYL99999")
    )
    assert _state(mine, entries[0]) is SignoffState.CHANGED


# --- the audit trail ---------------------------------------------------------------------------


def _trail(book: Logbook, aileen: SealedIdentity, tmp_path: Path) -> dict[str, Record]:
    """One entry of each kind of event: signed, revoked, returned, awaiting, and a key
    confirmation (made by signing in person)."""
    signed, revoked, returned, awaiting = add_entries(book, 4)
    supervisor = _supervisor(signed)
    book.signoff.sign([signed, revoked], aileen, PASSPHRASE, confirm_for=supervisor)
    event = next(e for e in book.signoff.history(revoked.uid) if e.event_type.value == "signed")
    book.signoff.revoke(event.uid, "Signed the wrong month", by=SUPERVISOR)
    with open_book(tmp_path / "sup-trail") as sup:
        book.signoff.create_request([returned], tmp_path / "q.json", supervisor_name=SUPERVISOR)
        entry = sup.signoff.open_request(tmp_path / "q.json").entry
        sup.signoff.respond(
            entry.uid,
            {returned.uid: Decision.returned("Wrong date")},
            aileen,
            PASSPHRASE,
            tmp_path / "r.json",
        )
    book.signoff.apply_response(tmp_path / "r.json")
    book.signoff.create_request([awaiting], tmp_path / "q2.json", supervisor_name=SUPERVISOR)
    return {"signed": signed, "revoked": revoked, "returned": returned, "awaiting": awaiting}


def _sql(book: Logbook, statement: str, *args: object) -> None:
    with sqlite3.connect(book.db.path) as conn:
        conn.execute(statement, args)


EVENT_KINDS = ["signed", "revoked", "returned", "requested", "key_confirmed"]


@pytest.mark.parametrize("event_type", EVENT_KINDS)
def test_deleting_any_sign_off_event_with_sqlite_is_caught_by_verify(
    tmp_path: Path,
    mine: Logbook,
    aileen: SealedIdentity,
    event_type: str,
) -> None:
    _trail(mine, aileen, tmp_path)
    assert _verify(mine)[0]
    _sql(mine, "DELETE FROM signoff_event WHERE event_type = ?", event_type)

    ok, out = _verify(mine)
    assert not ok
    assert "INVALID  the sign-off history" in out
    assert "was deleted, reordered or altered" in out or "recorded with 7 events" in out


def test_deleting_the_newest_event_shows_against_the_signed_head(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = _trail(mine, aileen, tmp_path)
    _sql(mine, "DELETE FROM signoff_event WHERE seq = (SELECT max(seq) FROM signoff_event)")

    assert _state(mine, trail["signed"]) is SignoffState.INVALID
    capsys.readouterr()
    assert _cli_verify(mine) == 1
    out = capsys.readouterr().out
    assert "ends at event 6" in out
    assert "it was recorded with 7 events" in out


def test_deleting_a_revocation_does_not_make_the_signature_valid_again(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity
) -> None:
    trail = _trail(mine, aileen, tmp_path)
    assert _state(mine, trail["revoked"]) is SignoffState.UNSIGNED
    assert _state(mine, trail["returned"]) is SignoffState.RETURNED

    _sql(mine, "DELETE FROM signoff_event WHERE event_type = 'revoked'")

    assert _state(mine, trail["revoked"]) is SignoffState.INVALID
    assert _state(mine, trail["signed"]) is SignoffState.INVALID
    assert mine.signoff.count_in_states({SignoffState.VERIFIED}) == 0


def test_reordering_events_is_caught(tmp_path: Path, mine: Logbook, aileen: SealedIdentity) -> None:
    _trail(mine, aileen, tmp_path)
    with sqlite3.connect(mine.db.path) as conn:
        first, second = [r[0] for r in conn.execute("SELECT seq FROM signoff_event LIMIT 2")]
        conn.execute("UPDATE signoff_event SET seq = -1 WHERE seq = ?", (first,))
        conn.execute("UPDATE signoff_event SET seq = ? WHERE seq = ?", (first, second))
        conn.execute("UPDATE signoff_event SET seq = ? WHERE seq = -1", (second,))

    ok, out = _verify(mine)
    assert not ok
    assert "was deleted, reordered or altered" in out


@pytest.mark.parametrize("event_type", EVENT_KINDS)
@pytest.mark.parametrize(("column", "value"), [("actor_name", "Someone else"), ("comment", "!")])
def test_editing_any_sign_off_event_is_caught_and_named(
    tmp_path: Path,
    mine: Logbook,
    aileen: SealedIdentity,
    event_type: str,
    column: str,
    value: object,
) -> None:
    _trail(mine, aileen, tmp_path)
    _sql(mine, f"UPDATE signoff_event SET {column} = ? WHERE event_type = ?", value, event_type)

    ok, out = _verify(mine)
    assert not ok
    assert "was altered after it was recorded" in out
    assert f"({event_type.replace('_', ' ')} by " in out


def test_an_edit_made_while_the_app_is_open_is_caught_after_its_own_appends(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity
) -> None:
    first, second = add_entries(mine, 2)
    mine.signoff.sign([first], aileen, PASSPHRASE, confirm_for=_supervisor(first))
    assert _state(mine, first) is SignoffState.VERIFIED  # the whole trail is checked once
    mine.signoff.sign([second], aileen, PASSPHRASE)
    assert _state(mine, second) is SignoffState.VERIFIED  # only the new events are checked

    _sql(mine, "UPDATE signoff_event SET actor_name = 'X' WHERE seq = 1")

    assert _state(mine, second) is SignoffState.INVALID


def test_a_forged_status_table_does_not_change_what_is_counted(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity
) -> None:
    add_entries(mine, 5)
    _signed_in_person(mine, aileen, 1)
    _sql(
        mine,
        "INSERT OR REPLACE INTO signoff_status (target_uid, target_kind, signed_revision) "
        "SELECT uid, 'supervision', revision FROM supervision",
    )
    assert mine.signoff.count_in_states({SignoffState.VERIFIED}) == 1


def test_a_later_deletion_shows_against_an_earlier_export(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity, capsys: pytest.CaptureFixture[str]
) -> None:
    _trail(mine, aileen, tmp_path)
    exported = tmp_path / "before.json"
    export_json(mine.db, exported)
    assert mine.signoff.history_kept_since(exported)

    # Someone holding the file and the logbook key rebuilds a consistent, shorter history
    # after the export (the chain and its signed head are rewritten with the app's own code).
    _rewrite_history_without(mine, "revoked")
    assert _verify(mine)[0]
    assert not mine.signoff.history_kept_since(exported)
    capsys.readouterr()
    assert _cli_verify(mine, "--against", str(exported)) == 1
    assert "are missing or were changed since" in capsys.readouterr().out


def _rewrite_history_without(book: Logbook, event_type: str) -> None:
    """What an attacker with the file, the logbook key and this app's code could do."""
    from logbook.storage import signoff_repository as sr
    from logbook.storage.models import SignoffEventRow

    with book.db.transaction() as session:
        events = [e for e in sr.all_events(session) if e.event_type.value != event_type]
        session.query(SignoffEventRow).delete()
        session.execute(sqlite_delete_head())
        for e in events:
            fields = {k: v for k, v in dataclasses.asdict(e).items() if k not in DROP}
            sr.append_event(session, e.event_type, refresh=False, **fields)


DROP = {"seq", "event_type", "chain_prev", "chain_hash"}


def sqlite_delete_head():  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    return text("DELETE FROM logbook_meta WHERE key = 'signoff_chain_head'")


# --- nothing in the future ---------------------------------------------------------------------


def test_a_session_dated_after_today_cannot_be_signed_or_requested(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity
) -> None:
    [entry] = add_entries(mine, 1)
    tomorrow = date.today() + timedelta(days=1)
    future = mine.records.update(dataclasses.replace(entry, date=tomorrow)).record

    with pytest.raises(FutureEntryError, match="after today"):
        mine.signoff.sign([future], aileen, PASSPHRASE, confirm_for=_supervisor(entry))
    with pytest.raises(FutureEntryError):
        mine.signoff.create_request([future], tmp_path / "q.json", supervisor_name=SUPERVISOR)
    assert _state(mine, future) is SignoffState.UNSIGNED
    assert mine.signoff.known_signers() == []


def test_a_period_summary_cannot_cover_days_not_yet_over(mine: Logbook) -> None:
    add_entries(mine, 1)
    today = date.today()
    with pytest.raises(ValidationError, match="not over yet"):
        mine.signoff.create_summary(
            RecordKind.SUPERVISION, Period(today - timedelta(days=30), today)
        )


def test_the_portfolio_leaves_out_signatures_for_someone_else_and_carries_the_history_head(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity
) -> None:
    exported = tmp_path / "colleague.json"
    with open_book(tmp_path / "colleague") as colleague:
        theirs = _signed_in_person(colleague, aileen, 1)
        export_json(colleague.db, exported)
    own = _signed_in_person(mine, aileen, 1)
    import_json(mine.db, exported)
    count, head = mine.signoff.history_head()
    pdf = tmp_path / "portfolio.pdf"

    export_portfolio(
        mine,
        pdf,
        ExportOptions(period=Period(date(2026, 3, 1), date(2026, 3, 31)), layout="supervision"),
    )

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    evidence = text[text.index("Sign-off evidence") :]
    assert "key not confirmed" not in evidence
    assert evidence.count("Signed (verified)") == len(own)
    assert "Signed for someone else" not in evidence
    assert f"history held {count} events" in text.replace("\n", " ")
    assert head[:4].upper() in text.upper()
    assert theirs[0].uid not in text


def test_a_revocation_edited_with_sqlite_is_named_in_one_sentence(
    tmp_path: Path, mine: Logbook, aileen: SealedIdentity
) -> None:
    _trail(mine, aileen, tmp_path)
    _sql(mine, "UPDATE signoff_event SET comment = ? WHERE event_type = 'revoked'", "Typo")

    ok, out = _verify(mine)

    assert not ok
    invalid = [line for line in out.splitlines() if line.startswith("INVALID")]
    assert any("differs from the revocation that was signed" in line for line in invalid)
    assert all(len(line) > 20 for line in invalid), invalid
