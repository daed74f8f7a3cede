"""Signing identities, what a signature covers, and how sign-off states follow from events."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from logbook.domain.audit import Binding, ChainProblem, ConfirmMethod, Pin, Trust
from logbook.domain.codec import encode
from logbook.domain.errors import LogbookError
from logbook.domain.identity import (
    IdentityFileError,
    SealedIdentity,
    WrongPassphraseError,
    create_identity,
    fingerprint_of,
    identity_from_seed,
    new_key_seed,
    normalise_fingerprint,
)
from logbook.domain.records import (
    Record,
    ReflectiveAccount,
    SupervisionSession,
)
from logbook.domain.signing import (
    SIGNABLE_KINDS,
    Current,
    EventType,
    SignoffEvent,
    assess,
    canonical,
    check_signature,
    diff,
    digest,
    signable_record,
    signature_payload,
    signed_content,
    signed_fields,
)
from logbook.domain.signoff import SignoffMode, SignoffState
from tests.signoff_support import light_kdf
from tests.strategies import records

PASS = "correct horse battery staple"
NOW = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
SIGNER = create_identity("Dr Aileen MacLeod", PASS, registration_body="HCPC", kdf=light_kdf())
UNLOCKED = SIGNER.unlock(PASS)
PRACTITIONER = identity_from_seed(new_key_seed(), "Morag Stewart")
BINDING = Binding(
    "7f3c2a10-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
    PRACTITIONER.public.fingerprint,
    "Morag Stewart",
    ("BABCP 123456",),
)
SUPERVISOR_UID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
TRUST = Trust(
    BINDING,
    {
        SIGNER.fingerprint: Pin(
            SIGNER.fingerprint,
            SIGNER.public,
            SUPERVISOR_UID,
            "Dr Aileen MacLeod",
            ConfirmMethod.IN_PERSON,
            NOW,
            "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
        )
    },
)


# --- identities --------------------------------------------------------------------------------


def test_a_new_identity_seals_its_key_under_the_passphrase_with_argon2id() -> None:
    sealed = create_identity(
        "Dr Aileen MacLeod",
        PASS,
        registration_body="HCPC",
        registration_number="PYL04321",
        organisation="NHS Lothian",
    )
    stored = sealed.to_json()
    assert stored["kdf"]["algorithm"] == "argon2id"
    assert stored["kdf"]["memory_kib"] >= 64 * 1024

    unlocked = SealedIdentity.from_json(json.loads(json.dumps(stored))).unlock(PASS)

    assert unlocked.public == sealed.public
    assert unlocked.public.registration == "HCPC PYL04321"
    raw = unlocked._key.private_bytes_raw()
    file_text = json.dumps(stored)
    assert base64.b64encode(raw).decode() not in file_text
    assert raw.hex() not in file_text


def test_a_wrong_passphrase_is_refused_with_a_clear_message() -> None:
    with pytest.raises(WrongPassphraseError, match="does not unlock the identity of Dr Aileen"):
        SIGNER.unlock("correct horse battery stapler")


def test_an_identity_file_whose_name_was_changed_no_longer_unlocks() -> None:
    stored = SIGNER.to_json()
    stored["identity"]["name"] = "Dr Someone Else"

    altered = SealedIdentity.from_json(stored)

    with pytest.raises(IdentityFileError, match="was altered after it was made"):
        altered.unlock(PASS)


def test_a_damaged_identity_file_is_refused_naming_what_is_wrong() -> None:
    stored = SIGNER.to_json()
    stored["identity"]["public_key"] = "not base64!"
    with pytest.raises(IdentityFileError, match=r"identity\.public_key is not valid base64"):
        SealedIdentity.from_json(stored)
    with pytest.raises(IdentityFileError, match="not a Practice Logbook identity file"):
        SealedIdentity.from_json({"format": "something else"})


def test_short_passphrases_and_nameless_identities_are_refused() -> None:
    with pytest.raises(LogbookError, match="at least 8 characters"):
        create_identity("Dr Aileen MacLeod", "short")
    with pytest.raises(LogbookError, match="needs the signer's name"):
        create_identity("  ", PASS)


def test_a_fingerprint_is_four_groups_a_person_can_read_aloud() -> None:
    fingerprint = SIGNER.fingerprint

    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}", fingerprint)
    assert fingerprint == fingerprint_of(SIGNER.public.public_key)
    heard = fingerprint.lower().replace("-", " ").replace("0", "o")
    assert normalise_fingerprint(heard) == fingerprint
    with pytest.raises(ValueError, match="not a fingerprint"):
        normalise_fingerprint("ABCD-EFGH")


# --- what is signed ----------------------------------------------------------------------------


def _session(**changes: Any) -> SupervisionSession:
    base = SupervisionSession(
        uid="5d2a4c1e-7b0f-4c55-9d3e-2f6a8b9c0d1e",
        date=date(2026, 3, 2),
        duration_minutes=60,
        themes=("risk",),
        reflection="Felt unsure.",
        reflection_private=True,
    )
    return dataclasses.replace(base, **changes)


def test_a_private_reflection_is_not_signed_and_a_shareable_one_is() -> None:
    private = _session()
    shared = _session(reflection_private=False)

    assert "reflection" not in signed_content(private)
    assert signed_content(shared)["reflection"] == "Felt unsure."
    assert "reflection_private" not in signed_fields(shared)
    assert digest(signed_content(private)) != digest(signed_content(shared))


def test_bookkeeping_times_are_not_signed_but_uid_kind_and_revision_are() -> None:
    content = signed_content(_session())

    assert {"kind", "uid", "revision"} <= set(content)
    assert "created_at" not in content
    assert "updated_at" not in content


def test_a_reflective_account_is_signed_in_full_whatever_its_sharing_choice() -> None:
    account = ReflectiveAccount(date=date(2026, 2, 1), title="Ending well", experience="…")
    private = dataclasses.replace(account, private=True)

    assert signed_content(account) == signed_content(private)
    assert signed_content(account)["experience"] == "…"


def test_profiles_and_people_cannot_be_signed() -> None:
    from logbook.domain.records import Person

    with pytest.raises(ValueError, match="not signed off"):
        signed_content(Person(name="Dr Aileen MacLeod"))


def test_the_signed_statement_names_signer_practitioner_mode_and_content_digest() -> None:
    target = signable_record(_session(), {"counterpart": "Dr Aileen MacLeod"})
    payload = signature_payload(
        target, UNLOCKED.public, NOW, SignoffMode.IN_PERSON, binding=BINDING
    )
    statement = json.loads(payload)

    assert statement["format"] == "practice-logbook-signature/2"
    assert statement["for"]["logbook"] == BINDING.logbook_id
    assert statement["for"]["practitioner_key"] == PRACTITIONER.public.fingerprint
    assert statement["for"]["practitioner"] == "Morag Stewart"
    assert statement["content_sha256"] == target.digest
    assert statement["signer"]["fingerprint"] == SIGNER.fingerprint
    assert statement["mode"] == "in_person"
    assert statement["context"] == {"counterpart": "Dr Aileen MacLeod"}
    assert "Dr Aileen MacLeod" in statement["description"]
    # Canonical JSON: no spaces, keys sorted, so anyone can recompute the exact bytes.
    assert (
        payload
        == json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


def test_diff_lists_exactly_the_fields_that_changed() -> None:
    before = signed_content(_session())
    after = signed_content(_session(duration_minutes=90, reflection_private=False))

    changes = {c.field: (c.signed, c.current) for c in diff(before, after)}

    assert changes == {"duration_minutes": (60, 90), "reflection": (None, "Felt unsure.")}


# --- canonical encoding ------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=("Cs",)), max_size=8), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=500)
@given(st.dictionaries(st.text(max_size=8), json_values))
def test_canonical_bytes_are_exactly_rfc8785(value: dict[str, Any]) -> None:
    assert canonical(value) == rfc8785.dumps(value)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SIGNABLE_KINDS).flatmap(records))
def test_signed_content_holds_the_same_values_as_the_json_codec(record: Record) -> None:
    encoded = encode(record)
    content = signed_content(record)

    assert content == {k: encoded[k] for k in content}
    assert canonical(content) == rfc8785.dumps(content)


# --- properties: what invalidates a signature --------------------------------------------------


def _sign(record: Record, binding: Binding = BINDING) -> tuple[bytes, bytes]:
    payload = signature_payload(
        signable_record(record), UNLOCKED.public, NOW, SignoffMode.BATCH, binding=binding
    )
    return payload, UNLOCKED.sign(payload)


def _verifies(record: Record, payload: bytes, signature: bytes) -> bool:
    current = signable_record(record)
    return check_signature(
        payload,
        signature,
        target_uid=current.uid,
        target_revision=current.revision,
        content_sha256=current.digest,
    ).valid


@st.composite
def record_and_other(draw: st.DrawFn) -> tuple[Record, Record, str]:
    kind = draw(st.sampled_from(SIGNABLE_KINDS))
    original = draw(records(kind))
    other = draw(records(kind))
    name = draw(st.sampled_from([*signed_fields(original), "uid", "revision"]))
    return original, other, name


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(record_and_other())
def test_any_change_to_any_signed_field_invalidates_the_signature(
    case: tuple[Record, Record, str],
) -> None:
    original, other, name = case
    assume(getattr(other, name) != getattr(original, name))
    payload, signature = _sign(original)
    assert _verifies(original, payload, signature)

    changed = dataclasses.replace(original, **{name: getattr(other, name)})

    assert not _verifies(changed, payload, signature)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SIGNABLE_KINDS).flatmap(records),
    st.text(max_size=60),
    st.integers(0, 10**6),
)
def test_changing_a_private_reflection_or_bookkeeping_keeps_the_signature_valid(
    record: Record, new_reflection: str, seconds: int
) -> None:
    payload, signature = _sign(record)
    changes: dict[str, Any] = {"updated_at": record.updated_at + timedelta(seconds=seconds)}
    if getattr(record, "reflection_private", False):
        changes["reflection"] = new_reflection
    if isinstance(record, ReflectiveAccount):
        changes["private"] = not record.private

    changed = dataclasses.replace(record, **changes)

    assert _verifies(changed, payload, signature)


def test_a_shareable_reflection_is_covered_by_the_signature() -> None:
    record = _session(reflection_private=False)
    payload, signature = _sign(record)

    assert not _verifies(dataclasses.replace(record, reflection="Rewritten."), payload, signature)


def test_a_signature_moved_to_another_record_does_not_verify() -> None:
    record = _session()
    payload, signature = _sign(record)
    twin = dataclasses.replace(record, uid="00000000-0000-4000-8000-000000000000")

    assert not _verifies(twin, payload, signature)


def test_a_tampered_statement_does_not_verify() -> None:
    record = _session()
    payload, signature = _sign(record)
    forged = payload.replace(b"HCPC", b"NMC")

    result = check_signature(forged, signature)

    assert not result.valid
    assert "does not match" in result.reason


# --- states from events ------------------------------------------------------------------------

_seq = iter(range(1, 10**6))


def _event(kind: EventType, record: Record, **extra: Any) -> SignoffEvent:
    values: dict[str, Any] = {
        "seq": next(_seq),
        "uid": f"e{next(_seq)}",
        "event_type": kind,
        "target_kind": record.kind.value,
        "target_uid": record.uid,
        "target_revision": record.revision,
        "content_sha256": signable_record(record).digest,
        "occurred_at": NOW,
    }
    if kind is EventType.SIGNED:
        payload, signature = _sign(record, extra.pop("binding", BINDING))
        values |= {
            "payload": payload.decode(),
            "signature": base64.b64encode(signature).decode(),
            "fingerprint": SIGNER.fingerprint,
            "actor_name": SIGNER.public.name,
        }
    values.update(extra)
    return SignoffEvent(**values)


def _state(
    events: list[SignoffEvent],
    record: Record,
    trust: Trust = TRUST,
    supervisor_uid: str | None = None,
) -> SignoffState:
    current = Current(record.revision, signable_record(record).digest, None, supervisor_uid)
    return assess(events, current, trust).state


def test_states_follow_the_events_in_order() -> None:
    record = _session()
    edited = dataclasses.replace(record, duration_minutes=75, revision=2)
    requested = _event(EventType.REQUESTED, record)
    returned = _event(EventType.RETURNED, record, comment="Add the themes")
    signed = _event(EventType.SIGNED, record)
    revoked = _event(EventType.REVOKED, record, refers_to=signed.uid, comment="signed in error")
    paper = _event(EventType.PAPER, record)

    assert _state([], record) is SignoffState.UNSIGNED
    assert _state([requested], record) is SignoffState.AWAITING
    assert _state([requested], edited) is SignoffState.UNSIGNED
    assert _state([requested, returned], record) is SignoffState.RETURNED
    assert _state([requested, signed], record) is SignoffState.VERIFIED
    assert _state([requested, signed], edited) is SignoffState.CHANGED
    assert _state([signed, _event(EventType.REQUESTED, edited)], edited) is SignoffState.AWAITING
    assert _state([signed, revoked], record) is SignoffState.UNSIGNED
    assert _state([paper], record) is SignoffState.PAPER
    assert _state([paper], edited) is SignoffState.CHANGED


def test_only_the_supervisors_confirmed_key_signing_for_this_logbook_verifies() -> None:
    record = _session()
    signed = _event(EventType.SIGNED, record)
    elsewhere = Binding("another-logbook", fingerprint_of(b"k" * 32), "Someone Else")
    foreign = _event(EventType.SIGNED, record, binding=elsewhere)

    assert _state([signed], record, supervisor_uid=SUPERVISOR_UID) is SignoffState.VERIFIED
    assert _state([signed], record, Trust(BINDING, {})) is SignoffState.UNCONFIRMED
    assert _state([foreign], record) is SignoffState.FOREIGN
    assert (
        _state([signed], record, supervisor_uid="0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b")
        is SignoffState.NOT_SUPERVISOR
    )
    broken = Trust(BINDING, TRUST.pins, (ChainProblem("", "an event was deleted"),))
    assert _state([signed], record, broken) is SignoffState.INVALID


def test_a_record_altered_without_a_new_revision_is_invalid_never_signed() -> None:
    record = _session()
    signed = _event(EventType.SIGNED, record)
    altered = dataclasses.replace(record, duration_minutes=600)

    result = assess([signed], Current(altered.revision, signable_record(altered).digest), TRUST)

    assert result.state is SignoffState.INVALID
    assert "altered without a new revision" in result.reason


def test_a_broken_signature_is_invalid_even_after_a_later_request() -> None:
    record = _session()
    signed = _event(EventType.SIGNED, record, signature=base64.b64encode(b"x" * 64).decode())

    assert _state([signed, _event(EventType.REQUESTED, record)], record) is SignoffState.INVALID
