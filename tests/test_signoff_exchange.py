"""Signatures survive the logbook's JSON export and import, and are checked again after it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logbook.domain.errors import ValidationError
from logbook.domain.records import RecordKind
from logbook.domain.signoff import SignoffState
from logbook.services.exchange import export_json, import_json
from logbook.services.logbook import Logbook
from logbook.services.signoff.inbox import Decision
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries, new_identity, open_book


def _states(book: Logbook) -> dict[str, SignoffState]:
    return book.signoff.states(book.records.all(RecordKind.SUPERVISION))


def _signed_book(tmp_path: Path) -> tuple[Path, dict[str, SignoffState]]:
    """A logbook with signed, returned and awaiting entries, exported to JSON."""
    exported = tmp_path / "export.json"
    with open_book(tmp_path / "old") as book, open_book(tmp_path / "sup") as supervisor:
        entries = add_entries(book, 4)
        identity = new_identity(supervisor)
        book.signoff.sign(entries[:1], identity, PASSPHRASE, confirm_for=entries[0].counterpart_uid)
        request = tmp_path / "request.json"
        book.signoff.create_request(entries[1:3], request, supervisor_name=SUPERVISOR)
        entry = supervisor.signoff.open_request(request).entry
        decisions = {entries[1].uid: Decision.signed(), entries[2].uid: Decision.returned("Why?")}
        supervisor.signoff.respond(entry.uid, decisions, identity, PASSPHRASE, tmp_path / "r.json")
        book.signoff.apply_response(tmp_path / "r.json", trust_signer=True)
        book.signoff.create_request(entries[3:], tmp_path / "req2.json", supervisor_name=SUPERVISOR)
        export_json(book.db, exported)
        return exported, _states(book)


def test_signatures_round_trip_through_the_json_export_only_into_their_own_logbook(
    tmp_path: Path,
) -> None:
    exported, before = _signed_book(tmp_path)
    assert sorted(before.values()) == sorted(
        [
            SignoffState.VERIFIED,
            SignoffState.VERIFIED,
            SignoffState.RETURNED,
            SignoffState.AWAITING,
        ]
    )
    signed = [uid for uid, state in before.items() if state is SignoffState.VERIFIED]

    with open_book(tmp_path / "new") as fresh:
        import_json(fresh.db, exported)
        elsewhere = {
            uid: SignoffState.FOREIGN if state is SignoffState.VERIFIED else state
            for uid, state in before.items()
        }
        assert _states(fresh) == elsewhere
        assert SignoffState.FOREIGN.label == "Signed for someone else"
        assert fresh.signoff.evidence(signed) == []
        report = fresh.signoff.verify_all()
        assert not report.ok
        assert sorted(uid for _, uid, _ in report.invalid_records) == sorted(signed)
        assert all("signed for someone else" in reason for *_, reason in report.invalid_records)
        known = fresh.signoff.known_signers()
        assert [(k.identity.name, k.confirmed_at) for k in known] == [(SUPERVISOR, None)]
        assert len(fresh.signoff.sent_requests()) == 2

        histories = {uid: fresh.signoff.history(uid) for uid in before}

        import_json(fresh.db, exported)  # again: nothing is duplicated

        assert _states(fresh) == elsewhere
        assert {uid: fresh.signoff.history(uid) for uid in before} == histories

    with open_book(tmp_path / "old") as same:
        histories = {uid: same.signoff.history(uid) for uid in before}

        import_json(same.db, exported)

        assert _states(same) == before
        assert same.signoff.verify_all().ok
        assert [e.state for e in same.signoff.evidence(signed)] == [SignoffState.VERIFIED] * 2
        assert {uid: same.signoff.history(uid) for uid in before} == histories


def test_a_signature_altered_in_the_export_shows_as_invalid_after_import(tmp_path: Path) -> None:
    exported, _ = _signed_book(tmp_path)
    document = json.loads(exported.read_text())
    signed = next(e for e in document["signoff"]["events"] if e["event_type"] == "signed")
    signed["payload"] = signed["payload"].replace("HCPC", "NMC")
    exported.write_text(json.dumps(document))

    with open_book(tmp_path / "new") as fresh:
        import_json(fresh.db, exported)
        assert fresh.signoff.states(
            [fresh.records.get(RecordKind.SUPERVISION, signed["target_uid"])]
        ) == {signed["target_uid"]: SignoffState.INVALID}
        assert not fresh.signoff.verify_all().ok


def test_a_malformed_signoff_section_imports_nothing(tmp_path: Path) -> None:
    exported, _ = _signed_book(tmp_path)
    document = json.loads(exported.read_text())
    document["signoff"]["events"][0]["target_revision"] = "two"
    document["signoff"]["identities"][0]["colour"] = "blue"
    exported.write_text(json.dumps(document))

    with open_book(tmp_path / "new") as fresh:
        with pytest.raises(ValidationError) as refused:
            import_json(fresh.db, exported)
        text = str(refused.value)
        assert "signoff.events[0].target_revision: expected a whole number" in text
        assert "signoff.identities[0]: unknown field(s): colour" in text
        assert fresh.records.all(RecordKind.SUPERVISION) == []
        assert fresh.signoff.known_signers() == []
