"""The evidence a portfolio PDF carries inside it, so it proves itself to whoever holds the file.

**The evidence** is one canonical JSON document (RFC 8785, see ``signing.canonical``) embedded
in the PDF as ``portfolio-evidence.json``. It holds the practitioner (their name, their
logbook's key and the key the document is signed with, the first vouching for the second), what
the document is (layout, period, generation time), the signed content of every entry it prints
(private reflections only when the export included them: a reflection marked private is never
part of signed content), every sign-off it prints exactly as the logbook recorded it (the
statement signed, the signature, the event's links in the audit chain), the practitioner's
signed confirmations of those signers' keys, the signed head of the sign-off history, the
totals the document prints and the sign-off state it prints for each entry.

**The document fingerprint** is the SHA-256 of those exact bytes, in the read-aloud alphabet of
key fingerprints (Crockford base32, no I, L, O or U) in thirteen groups of four. It is known
before the PDF is laid out, so every page prints it and the cover carries it as a QR code: the
pages and the evidence inside belong together only when the two agree.

Reading evidence from a file is bounded (``MAX_EVIDENCE_BYTES``) and every member is checked
for its shape, so a hostile file is refused with words that say what is wrong, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from logbook.domain.audit import Binding, ChainHead, Origin
from logbook.domain.catalogue import KINDS
from logbook.domain.errors import LogbookError
from logbook.domain.identity import PublicIdentity
from logbook.domain.queries import Total
from logbook.domain.records import RecordKind
from logbook.domain.signing import CHAINED_FIELDS, EventType, SignoffEvent, canonical
from logbook.domain.signoff import SignoffMode, SignoffState

EVIDENCE_FORMAT = "practice-logbook-portfolio-evidence/1"
EVIDENCE_FILENAME = "portfolio-evidence.json"
EVIDENCE_MIME = "application/json"
KEY_LINK_FORMAT = "practice-logbook-document-key/1"
# A portfolio of 50,000 entries carries about 21 MB of evidence; more than three times that is
# refused before it is parsed.
MAX_EVIDENCE_BYTES = 64 * 1024 * 1024

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS = 13
DOCUMENT_FINGERPRINT = re.compile(r"(?<![0-9A-Z-])((?:[0-9A-Z]{4}-){12}[0-9A-Z]{4})(?![0-9A-Z-])")


class EvidenceError(LogbookError):
    """The evidence in a file is not what Practice Logbook writes; the message says what."""


# --- the document fingerprint ------------------------------------------------------------------


def document_fingerprint(evidence: bytes) -> str:
    """The SHA-256 of ``evidence`` in thirteen read-aloud groups of four (e.g. ``7K2M-QX4R-…``).

    The 256 bits are written in Crockford base32 (52 characters, the last padded with zeros),
    the alphabet of key fingerprints: no letters that sound or look alike.
    """
    number = int.from_bytes(hashlib.sha256(evidence).digest(), "big") << 4
    chars = "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(255, -1, -5))
    return "-".join(chars[i : i + 4] for i in range(0, 4 * _GROUPS, 4))


# --- what the evidence says --------------------------------------------------------------------


@dataclass(frozen=True)
class SignedNote:
    """A statement and its Ed25519 signature, as the evidence carries them."""

    payload: str
    signature: str

    def to_json(self) -> dict[str, str]:
        """The note as the evidence writes it."""
        return {"payload": self.payload, "signature": self.signature}


@dataclass(frozen=True)
class PractitionerKeys:
    """Whose portfolio it is, and the keys that speak for them.

    Attributes:
        logbook_key: The logbook's practitioner key, which every sign-off names and which signs
            the sign-off history and the practitioner's key confirmations.
        document_key: The key the PDF is signed with (None: the document is not signed).
        key_link: The logbook key's signed statement that ``document_key`` signs its portfolios.
    """

    name: str
    registrations: tuple[str, ...]
    logbook_id: str
    logbook_key: PublicIdentity
    document_key: PublicIdentity | None = None
    key_link: SignedNote | None = None

    @property
    def binding(self) -> Binding:
        """Whom a sign-off in this portfolio must be for."""
        return Binding(self.logbook_id, self.logbook_key.fingerprint, self.name, self.registrations)


@dataclass(frozen=True)
class DocumentFacts:
    """What the document is: its layout, period, when it was made, and with which app."""

    layout: str
    start: date
    end: date
    generated_at: datetime
    app_version: str
    private_reflections: bool


@dataclass(frozen=True)
class RecordedEvent:
    """A sign-off event exactly as the logbook recorded it.

    Attributes:
        fields: The event's members the audit chain covers, as they were written.
    """

    event: SignoffEvent
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class PrintedState:
    """The sign-off state the document prints for one entry (entries it prints as not signed
    are not listed)."""

    kind: str
    uid: str
    state: SignoffState


@dataclass(frozen=True)
class PrintedTotal:
    """Count and minutes of one record kind, as the document prints them."""

    kind: str
    count: int
    minutes: int


@dataclass(frozen=True)
class Evidence:
    """The evidence read back from a file, every member checked for its shape.

    Attributes:
        entries: The signed content of each printed entry by (kind, uid).
        history: The signed head of the sign-off history when the document was made.
        states: The sign-off state printed for each entry not printed as unsigned.
    """

    practitioner: PractitionerKeys
    document: DocumentFacts
    entries: Mapping[tuple[str, str], Mapping[str, Any]]
    signoffs: tuple[RecordedEvent, ...]
    confirmations: tuple[RecordedEvent, ...]
    history: ChainHead | None
    totals: tuple[PrintedTotal, ...]
    states: tuple[PrintedState, ...]


# --- writing -----------------------------------------------------------------------------------


def key_link_statement(binding: Binding, document_key: PublicIdentity) -> dict[str, Any]:
    """What a logbook's practitioner key signs to vouch for the key its portfolios are signed
    with (the signer is added by ``audit.sign_action``)."""
    return {
        "format": KEY_LINK_FORMAT,
        "statement": "Portfolios from this logbook are signed with this key.",
        "for": binding.to_json(),
        "document_key": document_key.to_json(),
    }


def event_json(event: SignoffEvent) -> dict[str, Any]:
    """A sign-off event as the evidence carries it: what the audit chain covers, and its links."""
    return {
        **event.chained(),
        "seq": event.seq,
        "chain_prev": event.chain_prev,
        "chain_hash": event.chain_hash,
    }


def build_evidence(
    practitioner: PractitionerKeys,
    document: DocumentFacts,
    entries: Iterable[Mapping[str, Any]],
    signoffs: Iterable[SignoffEvent],
    confirmations: Iterable[SignoffEvent],
    history: ChainHead | None,
    totals: Mapping[RecordKind, Total],
    states: Iterable[PrintedState],
) -> bytes:
    """The canonical bytes of a portfolio's evidence (what is embedded, and fingerprinted).

    Args:
        practitioner: Whose portfolio it is, and their keys.
        document: The layout, period and generation time.
        entries: The signed content of each printed entry and period summary.
        signoffs: The sign-off events the document prints (signatures and paper evidence).
        confirmations: The practitioner's confirmations of those signers' keys.
        history: The signed head of the sign-off history (None when nothing was recorded).
        totals: Count and minutes of each kind, as the document prints them.
        states: The sign-off state the document prints for each entry it does not print as
            unsigned.
    """
    return canonical(
        {
            "format": EVIDENCE_FORMAT,
            "practitioner": _practitioner_json(practitioner),
            "document": {
                "layout": document.layout,
                "period": {"start": document.start.isoformat(), "end": document.end.isoformat()},
                "generated_at": document.generated_at.isoformat(timespec="seconds"),
                "app_version": document.app_version,
                "private_reflections": document.private_reflections,
            },
            "entries": [dict(content) for content in entries],
            "signoffs": [event_json(e) for e in signoffs],
            "key_confirmations": [event_json(e) for e in confirmations],
            "signoff_history": history.to_json() if history is not None else None,
            "totals": [
                {"kind": kind.value, "count": total.count, "minutes": total.minutes}
                for kind, total in sorted(totals.items())
            ],
            "printed_signoffs": [
                {"kind": s.kind, "uid": s.uid, "state": s.state.value} for s in states
            ],
        }
    )


def _practitioner_json(keys: PractitionerKeys) -> dict[str, Any]:
    return {
        "name": keys.name,
        "registrations": list(keys.registrations),
        "logbook": keys.logbook_id,
        "logbook_key": keys.logbook_key.to_json(),
        "document_key": keys.document_key.to_json() if keys.document_key else None,
        "document_key_link": keys.key_link.to_json() if keys.key_link else None,
    }


# --- reading -----------------------------------------------------------------------------------


class _Member:
    """One JSON value of the evidence with where it sits, for messages that say where."""

    def __init__(self, value: Any, where: str) -> None:
        self.value = value
        self.where = where

    def _get(self, name: str) -> Any:
        if not isinstance(self.value, dict):
            raise EvidenceError(f"{self.where or 'the evidence'} is not an object")
        if name not in self.value:
            raise EvidenceError(f"{self._at(name)} is missing")
        return self.value[name]

    def _at(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def member(self, name: str) -> _Member:
        """The member ``name`` (an object or list to read further)."""
        return _Member(self._get(name), self._at(name))

    def text(self, name: str, *, optional: bool = False) -> str:
        """The text member ``name`` ("" for null when ``optional``)."""
        value = self._get(name)
        if optional and value is None:
            return ""
        if not isinstance(value, str):
            raise EvidenceError(f"{self._at(name)} must be text")
        return value

    def whole(self, name: str) -> int:
        """The whole-number member ``name`` (zero or more)."""
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise EvidenceError(f"{self._at(name)} must be a whole number")
        return value

    def flag(self, name: str) -> bool:
        """The true-or-false member ``name``."""
        value = self._get(name)
        if not isinstance(value, bool):
            raise EvidenceError(f"{self._at(name)} must be true or false")
        return value

    def items(self, name: str) -> list[_Member]:
        """The members of the list ``name``."""
        value = self._get(name)
        if not isinstance(value, list):
            raise EvidenceError(f"{self._at(name)} must be a list")
        where = self._at(name)
        return [_Member(item, f"{where}[{index}]") for index, item in enumerate(value)]

    def when(self, name: str) -> datetime:
        """The date-and-time member ``name`` (ISO 8601)."""
        text = self.text(name)
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise EvidenceError(f"{self._at(name)} is not a date and time") from None

    def day(self, name: str) -> date:
        """The date member ``name`` (ISO 8601)."""
        text = self.text(name)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise EvidenceError(f"{self._at(name)} is not a date") from None

    def identity(self, name: str) -> PublicIdentity:
        """The public identity (name and Ed25519 key) in member ``name``."""
        value = self._get(name)
        try:
            return PublicIdentity.from_json(value, self._at(name))
        except ValueError as error:
            raise EvidenceError(str(error)) from None


def parse_evidence(data: bytes) -> Evidence:
    """Read evidence written by :func:`build_evidence`, refusing anything else.

    The bytes must be exactly the canonical form of what they hold, as written: the same
    content re-encoded in another way would have another fingerprint.

    Raises:
        EvidenceError: too large, not JSON, not canonical, or a member missing or of the wrong
            shape (the message names it).
    """
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceError(
            f"it is {len(data) // 2**20:,} MB, more than the {MAX_EVIDENCE_BYTES // 2**20} MB "
            "a portfolio's evidence can hold"
        )
    value = _json(data)
    if not isinstance(value, dict) or canonical(value) != data:
        raise EvidenceError("it is not in the exact form Practice Logbook writes")
    root = _Member(value, "")
    if root.text("format") != EVIDENCE_FORMAT:
        raise EvidenceError("it is not Practice Logbook portfolio evidence")
    return Evidence(
        practitioner=_practitioner(root.member("practitioner")),
        document=_document(root.member("document")),
        entries=_entries(root.items("entries")),
        signoffs=tuple(_recorded(item) for item in root.items("signoffs")),
        confirmations=tuple(_recorded(item) for item in root.items("key_confirmations")),
        history=_history(root.member("signoff_history")),
        totals=tuple(_total(item) for item in root.items("totals")),
        states=tuple(_state(item) for item in root.items("printed_signoffs")),
    )


def _json(data: bytes) -> Any:
    def refuse_constant(name: str) -> None:
        raise EvidenceError(f"it holds {name}, which is not a number JSON allows")

    try:
        return json.loads(data.decode("utf-8"), parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise EvidenceError("it is not UTF-8 text") from None
    except RecursionError:
        raise EvidenceError("it is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise EvidenceError(f"it is not JSON ({error.msg} at character {error.pos:,})") from None


def _practitioner(member: _Member) -> PractitionerKeys:
    registrations = tuple(item.value for item in member.items("registrations"))
    if not all(isinstance(r, str) for r in registrations):
        raise EvidenceError(f"{member.where}.registrations must be a list of text")
    document_key = None
    if member.member("document_key").value is not None:
        document_key = member.identity("document_key")
    link = member.member("document_key_link")
    return PractitionerKeys(
        name=member.text("name"),
        registrations=registrations,
        logbook_id=member.text("logbook"),
        logbook_key=member.identity("logbook_key"),
        document_key=document_key,
        key_link=None
        if link.value is None
        else SignedNote(link.text("payload"), link.text("signature")),
    )


def _document(member: _Member) -> DocumentFacts:
    period = member.member("period")
    return DocumentFacts(
        layout=member.text("layout"),
        start=period.day("start"),
        end=period.day("end"),
        generated_at=member.when("generated_at"),
        app_version=member.text("app_version"),
        private_reflections=member.flag("private_reflections"),
    )


def _entries(items: Sequence[_Member]) -> dict[tuple[str, str], Mapping[str, Any]]:
    entries: dict[tuple[str, str], Mapping[str, Any]] = {}
    for item in items:
        item.whole("revision")
        key = (item.text("kind"), item.text("uid"))
        if key in entries:
            raise EvidenceError(f"{item.where} repeats the {key[0]} entry {key[1]}")
        entries[key] = item.value
    return entries


_OPTIONAL_TEXT = frozenset({"mode", "request_uid", "batch_uid", "refers_to", "attachment_uid"})


def _recorded(member: _Member) -> RecordedEvent:
    for name in CHAINED_FIELDS:
        if name == "target_revision":
            member.whole(name)
        else:
            member.text(name, optional=name in _OPTIONAL_TEXT)
    fields = {name: member.value[name] for name in CHAINED_FIELDS}
    try:
        event = SignoffEvent(
            seq=member.whole("seq"),
            uid=member.text("uid"),
            event_type=EventType(member.text("event_type")),
            target_kind=member.text("target_kind"),
            target_uid=member.text("target_uid"),
            target_revision=member.whole("target_revision"),
            content_sha256=member.text("content_sha256"),
            occurred_at=member.when("occurred_at"),
            mode=SignoffMode(fields["mode"]) if fields["mode"] else None,
            actor_name=member.text("actor_name"),
            fingerprint=member.text("fingerprint"),
            payload=member.text("payload"),
            signature=member.text("signature"),
            request_uid=fields["request_uid"],
            batch_uid=fields["batch_uid"],
            batch_label=member.text("batch_label"),
            refers_to=fields["refers_to"],
            comment=member.text("comment"),
            attachment_uid=fields["attachment_uid"],
            origin=Origin(member.text("origin")),
            chain_prev=member.text("chain_prev"),
            chain_hash=member.text("chain_hash"),
        )
    except ValueError as error:
        raise EvidenceError(f"{member.where} is not a sign-off event: {error}") from None
    return RecordedEvent(event, fields)


def _history(member: _Member) -> ChainHead | None:
    if member.value is None:
        return None
    try:
        return ChainHead.from_json(member.value)
    except ValueError as error:
        raise EvidenceError(f"{member.where}: {error}") from None


def _total(member: _Member) -> PrintedTotal:
    return PrintedTotal(member.text("kind"), member.whole("count"), member.whole("minutes"))


def _state(member: _Member) -> PrintedState:
    try:
        state = SignoffState(member.text("state"))
    except ValueError:
        raise EvidenceError(f"{member.where}.state is not a sign-off state") from None
    return PrintedState(member.text("kind"), member.text("uid"), state)


# --- totals ------------------------------------------------------------------------------------


def minutes_in(content: Mapping[str, Any]) -> int:
    """Minutes an entry's signed content contributes to hour totals, counted as the logbook
    counts them: kinds without hours add none, a missed practice session adds none."""
    try:
        kind = RecordKind(str(content.get("kind")))
    except ValueError:
        return 0
    if not KINDS[kind].has_minutes or content.get("did_not_attend") is True:
        return 0
    minutes = content.get("duration_minutes")
    return minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else 0


def recount(entries: Iterable[Mapping[str, Any]], kind: str) -> PrintedTotal:
    """Count and minutes of the entries of ``kind``, worked out from their content."""
    count = minutes = 0
    for content in entries:
        if content.get("kind") == kind:
            count += 1
            minutes += minutes_in(content)
    return PrintedTotal(kind, count, minutes)
