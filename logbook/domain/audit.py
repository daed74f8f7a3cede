"""The sign-off audit trail: whom a logbook belongs to, a hash chain over its events, and the
signed statements behind returns, revocations and key confirmations.

**Binding.** Every logbook has a practitioner key (Ed25519) made when the logbook is created.
Every statement signed for it names the logbook id and that key's fingerprint, so a signature
made for one practitioner never verifies in another practitioner's logbook, however the event
travelled there (a JSON import, a response file, a restored backup of someone else's logbook).

**The chain.** Events are appended, never changed. Each event's ``chain_hash`` is the SHA-256 of
the canonical JSON of the event together with the hash of the event before it, as in Git or
Certificate Transparency: editing, deleting or reordering any event breaks every link after it.
The newest hash and the number of events, the *head*, are signed with the practitioner key and
kept beside the events; each export carries the head, so a later deletion of the newest events
shows against any export or backup made before it.

**Who did what.** A signature is the supervisor's statement (see ``signing``). A return is the
supervisor's too: their comment, signed with their key, is kept with the event. A revocation is
signed by whoever made it (the practitioner withdrawing a signature from their record), and so
is a key confirmation: the practitioner's signed note that they checked a supervisor's
fingerprint with them, how, and when. Trust in a supervisor's key is only ever such a confirmed
event of this logbook; nothing imported, received or restored from elsewhere carries it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from logbook.domain.choices import Choice
from logbook.domain.identity import PublicIdentity, UnlockedIdentity, b64, unb64

CHAIN_HEAD_FORMAT = "practice-logbook-chain-head/1"
RETURN_FORMAT = "practice-logbook-return/1"
REVOCATION_FORMAT = "practice-logbook-revocation/1"
CONFIRMATION_FORMAT = "practice-logbook-key-confirmation/1"


class Origin(Choice):
    """Where an event was recorded, as covered by the chain."""

    HERE = "here", "Recorded in this logbook"
    IMPORTED = "imported", "Brought in by an import"
    # Recorded before signatures named the practitioner; in this logbook when it was upgraded.
    LEGACY = "legacy", "Recorded before signatures named the practitioner"


class ConfirmMethod(Choice):
    """How the practitioner checked a supervisor's fingerprint with them."""

    IN_PERSON = "in_person", "Compared on the supervisor's own screen, in person"
    PHONE = "phone", "Read aloud by the supervisor (phone or video call)"
    IDENTITY_FILE = "identity_file", "From a public card the practitioner chose to trust"

    @property
    def briefly(self) -> str:
        """A few words for tables: "in person", "by phone", "from their card"."""
        return {"in_person": "in person", "phone": "by phone"}.get(self.value, "from their card")


@dataclass(frozen=True)
class Binding:
    """Whom a statement is for: this logbook and its practitioner's key.

    Attributes:
        practitioner: The practitioner's name when the statement was made (shown, not checked:
            people change their names; the key is what binds).
        registrations: The practitioner's registrations as read, e.g. ``("NMC 12A3456E",)``.
    """

    logbook_id: str
    practitioner_key: str
    practitioner: str = ""
    registrations: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``for`` part of a signed statement, as ``from_json`` reads it back."""
        return {
            "logbook": self.logbook_id,
            "practitioner": self.practitioner,
            "practitioner_key": self.practitioner_key,
            "registrations": list(self.registrations),
        }

    @classmethod
    def from_json(cls, data: Any) -> Binding:
        """Raises: ValueError naming the part that is missing or wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("the statement does not say whom it is for")
        logbook, key = data.get("logbook"), data.get("practitioner_key")
        name, registrations = data.get("practitioner", ""), data.get("registrations", [])
        if not isinstance(logbook, str) or not isinstance(key, str) or not logbook or not key:
            raise ValueError("the statement does not name the logbook and practitioner key")
        if not isinstance(name, str) or not isinstance(registrations, list):
            raise ValueError("the statement's practitioner details are not text")
        if not all(isinstance(r, str) for r in registrations):
            raise ValueError("the statement's registrations are not text")
        return cls(logbook, key, name, tuple(registrations))

    def same_owner(self, other: Binding) -> bool:
        """Whether both name the same logbook and practitioner key."""
        return (self.logbook_id, self.practitioner_key) == (
            other.logbook_id,
            other.practitioner_key,
        )


def canonical_json(value: Mapping[str, Any]) -> bytes:
    """RFC 8785 bytes of ``value`` (objects, lists, text, integers and null only)."""
    from logbook.domain.signing import canonical

    return canonical(value)


# --- the chain ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainLink:
    """What the chain covers of one event, in the order the events were recorded."""

    seq: int
    uid: str
    fields: Mapping[str, Any]
    chain_prev: str
    chain_hash: str


def link_hash(prev: str, fields: Mapping[str, Any]) -> str:
    """The chain hash of an event given the hash of the event before it ("" for the first).

    The bytes hashed are JSON with sorted keys, no spaces, in UTF-8 (RFC 8785's form for the
    text, whole numbers and nulls an event holds), written directly: a trail is hashed whole
    on every check.
    """
    text = json.dumps(
        {"prev": prev, "event": dict(fields)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ChainHead:
    """The newest link of a logbook's chain, signed with the practitioner key."""

    count: int
    hash: str
    signature: bytes = b""

    def payload(self, logbook_id: str) -> bytes:
        """The bytes the practitioner key signs: the count and hash, bound to ``logbook_id``."""
        return canonical_json(
            {
                "format": CHAIN_HEAD_FORMAT,
                "logbook": logbook_id,
                "count": self.count,
                "hash": self.hash,
            }
        )

    def signed(self, logbook_id: str, key: UnlockedIdentity) -> ChainHead:
        """This head signed with ``key``, the practitioner key of logbook ``logbook_id``."""
        return ChainHead(self.count, self.hash, key.sign(self.payload(logbook_id)))

    def to_json(self) -> dict[str, Any]:
        """The head as exports carry it, for ``from_json`` to read back."""
        return {"count": self.count, "hash": self.hash, "signature": b64(self.signature)}

    @classmethod
    def from_json(cls, data: Any) -> ChainHead:
        """Raises: ValueError when it is not a chain head."""
        if not isinstance(data, Mapping):
            raise ValueError("the chain head is not an object")
        count, value = data.get("count"), data.get("hash")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError("the chain head's count is not a whole number")
        if not isinstance(value, str) or len(value) not in (0, 64):
            raise ValueError("the chain head's hash is not a SHA-256")
        return cls(count, value, unb64(data.get("signature", ""), "the chain head's signature"))


@dataclass(frozen=True)
class ChainProblem:
    """One place where the recorded trail differs from what was recorded."""

    event_uid: str
    message: str


def check_chain(
    links: Iterable[ChainLink],
    head: ChainHead | None,
    *,
    logbook_id: str,
    practitioner: PublicIdentity,
    describe: Any = None,
    after: tuple[int, str] = (0, ""),
) -> list[ChainProblem]:
    """Walk the chain in recorded order and say where it breaks.

    ``describe(link) -> str`` names an event for the user ("signature by Dr A Smith of
    supervision 2026-03-02"); the uid is used without it. ``after`` is the count and hash of
    a part of the chain already checked, when ``links`` are only the events that follow it.
    """
    name = describe or (lambda link: f"event {link.uid}")
    problems: list[ChainProblem] = []
    count, prev = after
    last = None
    for link in links:
        count += 1
        last = link
        if link.chain_prev != prev:
            problems.append(
                ChainProblem(
                    link.uid,
                    f"the sign-off history before {name(link)} was changed: an earlier event "
                    "was deleted, reordered or altered",
                )
            )
        if link_hash(link.chain_prev, link.fields) != link.chain_hash:
            problems.append(
                ChainProblem(link.uid, f"{name(link)} was altered after it was recorded")
            )
        prev = link.chain_hash
    if head is None:
        if count:
            problems.append(ChainProblem("", "the sign-off history has no signed head"))
        return problems
    if not practitioner.verify(head.signature, head.payload(logbook_id)):
        problems.append(
            ChainProblem("", "the sign-off history's head is not signed by this logbook's key")
        )
    if (head.count, head.hash) != (count, prev):
        where = f" after {name(last)}" if last is not None else ""
        problems.append(
            ChainProblem(
                last.uid if last is not None else "",
                f"the sign-off history ends at event {count}{where}, but it was "
                f"recorded with {head.count} events: events were deleted or added outside "
                "the app",
            )
        )
    return problems


def prefix_matches(links: Sequence[ChainLink], exported: ChainHead) -> bool:
    """Whether an earlier export's head is part of this chain (nothing recorded since lost)."""
    if exported.count == 0:
        return True
    if exported.count > len(links):
        return False
    return links[exported.count - 1].chain_hash == exported.hash


# --- signed statements of returns, revocations and key confirmations ---------------------------


@dataclass(frozen=True)
class ActionCheck:
    """A return, revocation or confirmation statement, checked."""

    valid: bool
    reason: str = ""
    statement: Mapping[str, Any] | None = None
    signer: PublicIdentity | None = None


def sign_action(statement: Mapping[str, Any], signer: UnlockedIdentity) -> tuple[bytes, bytes]:
    """The canonical bytes of an action statement (with its signer) and their signature."""
    payload = canonical_json({**statement, "signer": signer.public.to_json()})
    return payload, signer.sign(payload)


def check_action(payload: str, signature: str, expected_format: str) -> ActionCheck:
    """Verify an action statement's signature by the key it names."""
    try:
        data = json.loads(payload)
    except (json.JSONDecodeError, RecursionError):
        return ActionCheck(False, "its signed statement is not JSON")
    if not isinstance(data, dict) or data.get("format") != expected_format:
        return ActionCheck(False, "its signed statement is of another kind")
    try:
        signer = PublicIdentity.from_json(data.get("signer"))
        raw = unb64(signature, "signature")
    except ValueError as error:
        return ActionCheck(False, str(error))
    if not signer.verify(raw, payload.encode("utf-8")):
        return ActionCheck(False, "its signature does not match its statement", data, signer)
    return ActionCheck(True, "", data, signer)


def return_statement(
    *,
    target: Mapping[str, Any],
    content_sha256: str,
    comment: str,
    binding: Binding,
    request_uid: str,
    returned_at: datetime,
) -> dict[str, Any]:
    """What a supervisor signs when returning an entry with a comment."""
    return {
        "format": RETURN_FORMAT,
        "statement": "I return this record for correction.",
        "target": dict(target),
        "content_sha256": content_sha256,
        "comment": comment,
        "for": binding.to_json(),
        "request": request_uid,
        "returned_at": returned_at.isoformat(timespec="seconds"),
    }


def revocation_statement(
    *,
    revokes: str,
    target: Mapping[str, Any],
    reason: str,
    requested_by: str,
    binding: Binding,
    revoked_at: datetime,
) -> dict[str, Any]:
    """What the practitioner signs when withdrawing a signature from their record."""
    return {
        "format": REVOCATION_FORMAT,
        "statement": "This signature is withdrawn from the record.",
        "revokes": revokes,
        "target": dict(target),
        "reason": reason,
        "requested_by": requested_by,
        "for": binding.to_json(),
        "revoked_at": revoked_at.isoformat(timespec="seconds"),
    }


def confirmation_statement(
    *,
    person_uid: str,
    person_name: str,
    key: PublicIdentity,
    method: ConfirmMethod,
    binding: Binding,
    confirmed_at: datetime,
) -> dict[str, Any]:
    """What the practitioner signs when they have checked a supervisor's fingerprint."""
    return {
        "format": CONFIRMATION_FORMAT,
        "statement": "I checked this fingerprint with the person named, as stated.",
        "person": {"uid": person_uid, "name": person_name},
        "key": key.to_json(),
        "method": method.value,
        "for": binding.to_json(),
        "confirmed_at": confirmed_at.isoformat(timespec="seconds"),
    }


@dataclass(frozen=True)
class Pin:
    """A supervisor's key, confirmed by the practitioner of this logbook and pinned to a person."""

    fingerprint: str
    identity: PublicIdentity
    person_uid: str
    person_name: str
    method: ConfirmMethod
    confirmed_at: datetime
    event_uid: str


def read_pin(
    event_uid: str, payload: str, signature: str, binding: Binding
) -> tuple[Pin | None, str]:
    """The pin a key-confirmation event records, or why it does not count here."""
    checked = check_action(payload, signature, CONFIRMATION_FORMAT)
    if not checked.valid or checked.statement is None or checked.signer is None:
        return None, checked.reason
    data = checked.statement
    try:
        made_for = Binding.from_json(data.get("for"))
        key = PublicIdentity.from_json(data.get("key"), "key")
        method = ConfirmMethod(str(data.get("method")))
        person = data.get("person")
        if not isinstance(person, Mapping):
            raise ValueError("the confirmation names no person")
        when = datetime.fromisoformat(str(data.get("confirmed_at")))
    except ValueError as error:
        return None, str(error)
    if not made_for.same_owner(binding) or checked.signer.fingerprint != binding.practitioner_key:
        return None, "it was confirmed in another practitioner's logbook"
    return (
        Pin(
            key.fingerprint,
            key,
            str(person.get("uid", "")),
            str(person.get("name", "")),
            method,
            when,
            event_uid,
        ),
        "",
    )


@dataclass(frozen=True)
class Trust:
    """What this logbook trusts: whom statements must be for, and the confirmed keys.

    Attributes:
        pins: Confirmed keys by fingerprint.
        chain_problems: Where the audit trail is broken; while it is, no signature verifies.
    """

    binding: Binding
    pins: Mapping[str, Pin]
    chain_problems: tuple[ChainProblem, ...] = ()

    def pinned_keys_of(self, person_uid: str) -> set[str]:
        """The fingerprints of the keys confirmed for the person ``person_uid``."""
        return {p.fingerprint for p in self.pins.values() if p.person_uid == person_uid}
