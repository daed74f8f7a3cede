"""What a supervisor's signature covers, and how a record's sign-off state follows from it.

**Signed content.** A signature covers the RFC 8785 (canonical JSON) encoding of a record's
``kind``, ``uid`` and ``revision`` and every field that says what happened: for a supervision
session its date, duration, direction, type, format, mode, themes, action points and so on, the
people and organisations by their ids. Left out are the bookkeeping timestamps
(``created_at``/``updated_at``) and privacy choices:

* a reflection marked private is *not* signed: the supervisor never sees it (it never goes into a
  request file), and a portfolio printed without private reflections can still be checked
  against the signature. A shareable reflection *is* signed, because the supervisor read it.
  Switching a reflection between private and shareable therefore changes the signed content.
* the ``private`` flag of a reflective account (whether the portfolio shows it) is a sharing
  choice, not content; the account's text itself is signed.
* a field the kind gained after records of it were first signed (``KindInfo.later_fields``)
  while it is empty, so a record signed before the field existed is still what was signed.
  Once filled in, it is signed like any other field.

Because the revision is signed, any saved edit (which raises the revision) leaves the record
"changed since signed" until it is signed again; the signed revision is kept as a snapshot so
the user can see what changed. A row altered behind the app's back keeps its revision but not
its content, and is reported as invalid, never as signed.

**The signature** is an Ed25519 signature of a small canonical JSON *statement*: the target
(kind, uid, revision), the SHA-256 of the signed content, the names of the people and
organisations the record refers to as the supervisor saw them, a one-line description, the
signer's public identity, the time and the mode. The statement is self-contained: anyone holding
it, the content and the public key can check it, with no access to the logbook.

**Sign-off state** follows from the append-only events of a record (requested, signed,
returned, paper evidence attached, revoked) and the digest of its current content; see
:func:`assess`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from typing import Any

import rfc8785

from logbook.domain.audit import Binding, Origin, Trust
from logbook.domain.catalogue import KINDS, LOG_KINDS, empty_later_fields
from logbook.domain.choices import Choice
from logbook.domain.durations import hours
from logbook.domain.errors import LogbookError
from logbook.domain.identity import PublicIdentity, unb64
from logbook.domain.periods import Period
from logbook.domain.records import Record, RecordKind
from logbook.domain.signoff import SignoffMode, SignoffState

SIGNATURE_FORMAT = "practice-logbook-signature/2"
# Signatures made before statements named the practitioner and the logbook.
LEGACY_SIGNATURE_FORMAT = "practice-logbook-signature/1"
SIGNABLE_KINDS: tuple[RecordKind, ...] = LOG_KINDS
PERIOD_SUMMARY = "period_summary"
BOOKKEEPING = frozenset({"created_at", "updated_at"})
SHARING_CHOICES = frozenset({"reflection_private", "private"})
STATEMENT = "I confirm that this record is accurate."
SUMMARY_STATEMENT = "I confirm this summary of the recorded period."


class SignoffFileError(LogbookError):
    """A request or response file was refused; nothing was attached or changed."""


# --- signed content ----------------------------------------------------------------------------


def is_signable(record: Record) -> bool:
    """Whether a supervisor can sign ``record`` off: the log kinds can; profiles, people,
    organisations and attachments cannot."""
    return record.kind in SIGNABLE_KINDS


def signed_fields(record: Record) -> tuple[str, ...]:
    """The fields of ``record`` its signature covers (besides kind, uid and revision)."""
    return _signed_names(record.kind, bool(getattr(record, "reflection_private", False)))


@cache
def _signed_names(kind: RecordKind, private_reflection: bool) -> tuple[str, ...]:
    leave_out = BOOKKEEPING | SHARING_CHOICES | {"uid", "revision"}
    if private_reflection:
        leave_out = leave_out | {"reflection"}
    return tuple(n for n in KINDS[kind].field_names if n not in leave_out)


def signed_content(record: Record) -> dict[str, Any]:
    """The JSON object a signature of ``record`` covers (values exactly as ``codec.encode``).

    Raises:
        ValueError: the record kind cannot be signed (profiles, people, attachments).
    """
    if not is_signable(record):
        raise ValueError(f"{record.kind.label} records are not signed off")
    content: dict[str, Any] = {
        "kind": record.kind.value,
        "uid": record.uid,
        "revision": record.revision,
    }
    # Fields the kind gained later are signed once filled in, so older signatures still hold.
    unfilled = empty_later_fields(record)
    for name in signed_fields(record):
        if name not in unfilled:
            content[name] = _json_value(getattr(record, name))
    return content


def _json_value(value: Any) -> Any:
    # The few value types of log records, without codec's general (slower) dispatch; a
    # property test keeps this equal to codec.encode.
    if value is None or type(value) in (str, int, bool, float):
        return value
    if isinstance(value, Choice):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    raise TypeError(f"a {type(value).__name__} cannot be part of signed content")


def canonical(value: Mapping[str, Any]) -> bytes:
    """RFC 8785 canonical JSON: the exact bytes that are hashed and signed.

    Values without floating-point numbers (every log record but personal practice) are
    written by the standard library, whose output for keys, strings, integers, booleans and
    null is RFC 8785's exactly (ASCII keys sorted, minimal string escapes, no spaces); a
    property test checks it against the ``rfc8785`` package, which writes everything else.
    """
    try:
        return _encode(value).encode("utf-8")
    except UnicodeEncodeError:
        return bytes(rfc8785.dumps(value))  # a lone surrogate: let rfc8785 report it


def _encode(value: Any) -> str:
    """Plain parts by the standard library; only what holds a float (or a non-ASCII key,
    whose order differs) goes to rfc8785, so one float does not slow a whole portfolio."""
    if _plain(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if type(value) is list:
        return "[" + ",".join(_encode(item) for item in value) + "]"
    if type(value) is dict and all(type(k) is str and k.isascii() for k in value):
        members = (
            json.dumps(key, ensure_ascii=False) + ":" + _encode(value[key]) for key in sorted(value)
        )
        return "{" + ",".join(members) + "}"
    return bytes(rfc8785.dumps(value)).decode("utf-8")


def _plain(value: Any) -> bool:
    """Whether ``value`` holds only ASCII-keyed objects, lists, text, safe integers and null."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and k.isascii() and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(v) for v in value)
    if kind is int:
        return bool(-_SAFE_INTEGER <= value <= _SAFE_INTEGER)
    return value is None or kind in (str, bool)


# Integers beyond 2**53 - 1 are not exact in JSON numbers; rfc8785 refuses them.
_SAFE_INTEGER = 2**53 - 1


def digest(value: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical encoding of ``value``."""
    return hashlib.sha256(canonical(value)).hexdigest()


def digest_bytes(data: bytes) -> str:
    """SHA-256 (hex) of ``data`` as it is, for bytes already canonical or not JSON."""
    return hashlib.sha256(data).hexdigest()


def record_digest(record: Record) -> str:
    """The digest a signature of ``record`` covers; it changes with any signed field or revision.

    Raises:
        ValueError: the record kind cannot be signed.
    """
    return digest(signed_content(record))


# --- period summaries --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PeriodSummary:
    """A statement about a period, e.g. "37.50 hours of supervised practice in Q1 2026".

    The counts are those of the records when the summary was made; they are signed, and a
    summary whose records have since changed shows "changed since signed".
    """

    uid: str
    revision: int = 1
    created_at: datetime
    record_kind: RecordKind
    period: Period
    subtypes: tuple[str, ...] = ()
    count: int
    minutes: int
    statement: str

    @property
    def title(self) -> str:
        """The summary in a few words for lists: "Supervision: 12.50 h in 01 Jan 2026 –
        31 Mar 2026"."""
        return f"{self.record_kind.label}: {hours(self.minutes)} h in {self.period.describe()}"


def summary_content(summary: PeriodSummary) -> dict[str, Any]:
    """The JSON object a signature of a period summary covers."""
    return {
        "kind": PERIOD_SUMMARY,
        "uid": summary.uid,
        "revision": summary.revision,
        "record_kind": summary.record_kind.value,
        "period": {
            "start": summary.period.start.isoformat() if summary.period.start else None,
            "end": summary.period.end.isoformat() if summary.period.end else None,
        },
        "subtypes": sorted(summary.subtypes),
        "count": summary.count,
        "minutes": summary.minutes,
        "hours": hours(summary.minutes),
        "statement": summary.statement,
    }


def default_summary_statement(
    kind: RecordKind, period: Period, minutes: int, count: int, subtypes: Iterable[str] = ()
) -> str:
    """The sentence a supervisor confirms, e.g. "I confirm 37.50 hours of practice (…)"."""
    what = kind.label.lower()
    if subtypes:
        what += " (" + ", ".join(sorted(subtypes)).replace("_", " ") + ")"
    amount = f"{hours(minutes)} hours of {what}" if KINDS[kind].has_minutes else f"{count} {what}"
    return f"I confirm {amount} recorded in {period.describe()} ({count} entries)."


# --- what is signed, as one value --------------------------------------------------------------


@dataclass(frozen=True)
class Signable:
    """Something a supervisor can sign: a record or a period summary, with its content.

    Attributes:
        context: Names of the people, organisations, course or pathway the record refers to,
            as the supervisor saw them. They are part of the signed statement but not of the
            content digest, so renaming an organisation later does not unsign its entries.
        description: A one-line description for lists, files and the portfolio appendix.
    """

    target_kind: str
    uid: str
    revision: int
    content: Mapping[str, Any]
    context: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the content, the ``content_sha256`` its signature and events name."""
        return digest(self.content)


def signable_record(record: Record, context: Mapping[str, str] | None = None) -> Signable:
    """``record`` as a supervisor signs it, with the names of the people, organisations, course
    or pathway it refers to as ``context``.

    Raises:
        ValueError: the record kind cannot be signed.
    """
    names = dict(context or {})
    return Signable(
        record.kind.value,
        record.uid,
        record.revision,
        signed_content(record),
        names,
        describe_record(record, names),
    )


def signable_summary(summary: PeriodSummary) -> Signable:
    """A period summary as a supervisor signs it: its statement is its description."""
    return Signable(
        PERIOD_SUMMARY,
        summary.uid,
        summary.revision,
        summary_content(summary),
        {},
        summary.statement,
    )


def describe_record(
    record: Record, context: Mapping[str, str] | None = None, *, brief: bool = False
) -> str:
    """A one-line description, e.g. "Supervision 2026-03-02 · 1.00 h · Clinical · Dr A Smith"."""
    return describe_content(signed_content(record), context, brief=brief)


def describe_content(
    content: Mapping[str, Any], context: Mapping[str, str] | None = None, *, brief: bool = False
) -> str:
    """Describe signed content without the record itself (for request and response files).

    ``brief`` leaves out the date and hours, for tables that show them in columns of their own.
    """
    kind_value = content.get("kind")
    if kind_value == PERIOD_SUMMARY:
        return str(content.get("statement", "Period summary"))
    try:
        kind = RecordKind(str(kind_value))
    except ValueError:
        return str(kind_value)
    info = KINDS[kind]
    parts = [kind.label]
    if not brief and info.date_field and content.get(info.date_field):
        parts[0] += f" {content[info.date_field]}"
    minutes = content.get("duration_minutes")
    if not brief and isinstance(minutes, int) and minutes:
        parts.append(f"{hours(minutes)} h")
    if info.subtype_field and content.get(info.subtype_field):
        parts.append(str(content[info.subtype_field]).replace("_", " ").capitalize())
    for name in ("title", "summary", "by_name"):
        if content.get(name):
            parts.append(str(content[name]))
            break
    for name in ("counterpart", "assessor", "co_teacher"):
        if context and context.get(name):
            parts.append(context[name])
            break
    return " · ".join(parts)


# --- the signed statement ----------------------------------------------------------------------


@dataclass(frozen=True)
class SignedStatement:
    """What a signature says, read back from its canonical payload."""

    target_kind: str
    target_uid: str
    target_revision: int
    content_sha256: str
    context: Mapping[str, str]
    description: str
    signer: PublicIdentity
    signed_at: datetime
    mode: SignoffMode
    batch: str
    binding: Binding | None = None
    request_uid: str = ""
    cosign_reason: str = ""

    @property
    def legacy(self) -> bool:
        """Made before statements named the practitioner (it binds no one)."""
        return self.binding is None


def signature_payload(
    target: Signable,
    signer: PublicIdentity,
    signed_at: datetime,
    mode: SignoffMode,
    batch: str = "",
    *,
    binding: Binding,
    request_uid: str = "",
    cosign_reason: str = "",
) -> bytes:
    """The canonical bytes a supervisor signs for ``target``.

    ``binding`` names the practitioner and logbook the signature is for; ``request_uid`` the
    request it answers (remote sign-off); ``cosign_reason`` why someone other than the recorded
    supervisor signs (e.g. deputising during leave).
    """
    statement = STATEMENT if target.target_kind != PERIOD_SUMMARY else SUMMARY_STATEMENT
    return canonical(
        {
            "format": SIGNATURE_FORMAT,
            "for": binding.to_json(),
            "request": request_uid,
            "cosign_reason": cosign_reason,
            "statement": statement,
            "target": {
                "kind": target.target_kind,
                "uid": target.uid,
                "revision": target.revision,
            },
            "content_sha256": target.digest,
            "context": dict(target.context),
            "description": target.description,
            "signer": signer.to_json(),
            "signed_at": signed_at.isoformat(timespec="seconds"),
            "mode": mode.value,
            "batch": batch,
        }
    )


def read_payload(payload: bytes) -> SignedStatement:
    """Parse a signature payload.

    Raises:
        ValueError: saying which part is missing or wrong.
    """
    try:
        data = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise ValueError("the signed statement is not JSON") from None
    if not isinstance(data, dict) or data.get("format") not in (
        SIGNATURE_FORMAT,
        LEGACY_SIGNATURE_FORMAT,
    ):
        raise ValueError("the signed statement is not a Practice Logbook signature")
    binding = None
    if data["format"] == SIGNATURE_FORMAT:
        binding = Binding.from_json(data.get("for"))
        for name in ("request", "cosign_reason"):
            if not isinstance(data.get(name, ""), str):
                raise ValueError(f"the signed statement's {name.replace('_', ' ')} is not text")
    target = data.get("target")
    if not isinstance(target, dict):
        raise ValueError("the signed statement names no record")
    kind, uid, revision = target.get("kind"), target.get("uid"), target.get("revision")
    if not isinstance(kind, str) or not isinstance(uid, str) or not isinstance(revision, int):
        raise ValueError("the signed statement's record is incomplete")
    sha = data.get("content_sha256")
    if not isinstance(sha, str) or len(sha) != 64:
        raise ValueError("the signed statement has no content digest")
    context = data.get("context", {})
    if not isinstance(context, dict) or not all(isinstance(v, str) for v in context.values()):
        raise ValueError("the signed statement's names are not text")
    try:
        signed_at = datetime.fromisoformat(str(data.get("signed_at")))
        mode = SignoffMode(str(data.get("mode")))
    except ValueError:
        raise ValueError("the signed statement's time or mode is not readable") from None
    return SignedStatement(
        target_kind=kind,
        target_uid=uid,
        target_revision=revision,
        content_sha256=sha,
        context=context,
        description=str(data.get("description", "")),
        signer=_signer(data.get("signer")),
        signed_at=signed_at,
        mode=mode,
        batch=str(data.get("batch", "")),
        binding=binding,
        request_uid=str(data.get("request", "")),
        cosign_reason=str(data.get("cosign_reason", "")),
    )


def _signer(data: Any) -> PublicIdentity:
    # Most statements of a logbook name the same few signers: read each one once.
    if isinstance(data, dict) and all(type(v) is str for v in data.values()):
        return _cached_signer(tuple(sorted(data.items())))
    return PublicIdentity.from_json(data)


@lru_cache(maxsize=256)
def _cached_signer(items: tuple[tuple[str, str], ...]) -> PublicIdentity:
    return PublicIdentity.from_json(dict(items))


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of checking one signature: valid or not, and why not."""

    valid: bool
    reason: str = ""
    statement: SignedStatement | None = None


def check_signature(
    payload: bytes,
    signature: bytes,
    *,
    target_kind: str | None = None,
    target_uid: str | None = None,
    target_revision: int | None = None,
    content_sha256: str | None = None,
    fingerprint: str | None = None,
) -> SignatureCheck:
    """Verify a signature and that its statement is about what it is filed under.

    Every keyword given must agree with the statement, so a valid signature moved onto another
    record (or another revision) is reported as invalid.
    """
    try:
        statement = read_payload(payload)
    except ValueError as error:
        return SignatureCheck(False, str(error))
    if not statement.signer.verify(signature, payload):
        return SignatureCheck(False, "the signature does not match the signed statement", statement)
    expected = {
        "record kind": (target_kind, statement.target_kind),
        "record id": (target_uid, statement.target_uid),
        "revision": (target_revision, statement.target_revision),
        "content digest": (content_sha256, statement.content_sha256),
        "signer's key": (fingerprint, statement.signer.fingerprint),
    }
    for what, (wanted, found) in expected.items():
        if wanted is not None and wanted != found:
            return SignatureCheck(False, f"the signature is filed under another {what}", statement)
    return SignatureCheck(True, "", statement)


# --- what changed since signing ----------------------------------------------------------------


FIELD_LABELS = {
    "duration_minutes": "Duration (minutes)",
    "counterpart_uid": "Supervisor / supervisee",
    "organisation_uid": "Organisation",
    "course_uid": "Course",
    "co_teacher_uid": "Co-teacher",
    "assessor_uid": "Assessor",
    "pathway_uid": "Pathway",
    "group_size": "Group size",
    "revision": "Revision",
    "nmc_work_setting": "NMC work setting",
    "nmc_scope": "NMC scope of practice",
    "learning_type": "HCPC activity type",
    "code_themes": "Code themes",
    "impact": "How it benefited the people I work with",
    "by_email": "Their email",
    "by_address": "Their address",
    "arrangement": "Arrangement",
    "group_contracted_size": "Supervisees contracted",
    "group_member_uids": "Group members",
    "settings": "Settings covered",
    "nmc_registration": "NMC registration",
    "participatory_minutes": "Participatory part",
    "cbt_related": "CBT-related",
    "clinical_population": "Clinical population",
    "supervisor_agreed": "Agreed with supervisor",
    "training_hours": "Training hours",
}


def field_label(name: str) -> str:
    """How a signed field is labelled where changes since signing are shown."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between the signed revision and the record now."""

    field: str
    label: str
    signed: Any
    current: Any


def diff(signed: Mapping[str, Any], current: Mapping[str, Any]) -> list[FieldChange]:
    """The fields whose value differs, in the order of the signed content then new ones.

    A field missing on one side (a reflection made private, say) shows as ``None`` there.
    """
    names = [*signed, *(k for k in current if k not in signed)]
    return [
        FieldChange(name, field_label(name), signed.get(name), current.get(name))
        for name in names
        if name != "kind" and signed.get(name) != current.get(name)
    ]


# --- events and state --------------------------------------------------------------------------


class EventType(StrEnum):
    """What happened in a sign-off event: a request, a signature, a return for correction,
    paper evidence, a withdrawal, or a key confirmed with its owner."""

    REQUESTED = "requested"
    SIGNED = "signed"
    RETURNED = "returned"
    PAPER = "paper"
    REVOKED = "revoked"
    # The practitioner checked a supervisor's fingerprint with them (target: the person).
    KEY_CONFIRMED = "key_confirmed"


WORKFLOW = frozenset({EventType.REQUESTED, EventType.SIGNED, EventType.RETURNED, EventType.PAPER})

# Fields of an event the audit chain covers (all but the local sequence number and the links).
CHAINED_FIELDS = (
    "uid",
    "event_type",
    "target_kind",
    "target_uid",
    "target_revision",
    "content_sha256",
    "occurred_at",
    "mode",
    "actor_name",
    "fingerprint",
    "payload",
    "signature",
    "request_uid",
    "batch_uid",
    "batch_label",
    "refers_to",
    "comment",
    "attachment_uid",
    "origin",
)


@dataclass(frozen=True, kw_only=True)
class SignoffEvent:
    """One append-only sign-off event of a record or period summary.

    Attributes:
        seq: Order of recording in this logbook (events are never edited or deleted).
        content_sha256: Digest of the content the event is about (requested or signed).
        payload: The canonical statement signed: a signature's, a return's (by the supervisor),
            a revocation's or a key confirmation's (by the practitioner).
        signature: The Ed25519 signature of ``payload`` (base64).
        refers_to: For a revocation, the event it revokes.
        comment: The supervisor's comment on a returned entry, or a revocation's reason.
        origin: Recorded here, imported, or recorded before statements named the practitioner.
        chain_prev / chain_hash: The event's links in the audit chain.
    """

    seq: int
    uid: str
    event_type: EventType
    target_kind: str
    target_uid: str
    target_revision: int
    content_sha256: str = ""
    occurred_at: datetime
    mode: SignoffMode | None = None
    actor_name: str = ""
    fingerprint: str = ""
    payload: str = ""
    signature: str = ""
    request_uid: str | None = None
    batch_uid: str | None = None
    batch_label: str = ""
    refers_to: str | None = None
    comment: str = ""
    attachment_uid: str | None = None
    origin: Origin = Origin.HERE
    chain_prev: str = ""
    chain_hash: str = ""

    def chained(self) -> dict[str, Any]:
        """The event's fields as the audit chain covers them (JSON values)."""
        values = {name: getattr(self, name) for name in CHAINED_FIELDS}
        values["event_type"] = self.event_type.value
        values["mode"] = self.mode.value if self.mode else None
        values["origin"] = self.origin.value
        values["occurred_at"] = self.occurred_at.astimezone(UTC).isoformat(timespec="seconds")
        return values


def check_event(event: SignoffEvent, content_sha256: str | None = None) -> SignatureCheck:
    """Check a ``signed`` event's signature against what the event says it is about.

    Args:
        event: The event whose signature is checked.
        content_sha256: The digest of the content as the checker has it, when it holds the
            content itself; otherwise the digest the event records.
    """
    try:
        signature = unb64(event.signature, "signature")
    except ValueError as error:
        return SignatureCheck(False, str(error))
    return check_signature(
        event.payload.encode("utf-8"),
        signature,
        target_kind=event.target_kind,
        target_uid=event.target_uid,
        target_revision=event.target_revision,
        content_sha256=content_sha256 or event.content_sha256,
        fingerprint=event.fingerprint,
    )


@dataclass(frozen=True)
class RecordedStatus:
    """What the events alone say (no signature checked): the basis of list filters in SQL.

    Attributes:
        workflow: "requested" or "returned" when the latest workflow event is one of those.
        workflow_revision: The revision that request or return was about.
        signed_revision: The highest revision with a signature that was not revoked.
        paper_revision: The highest revision with paper evidence that was not revoked.
    """

    workflow: str | None = None
    workflow_revision: int | None = None
    signed_revision: int | None = None
    paper_revision: int | None = None


def recorded_status(events: Sequence[SignoffEvent]) -> RecordedStatus:
    """What the events of one record say without any signature checked, so lists can filter
    by it quickly."""
    ordered = sorted(events, key=lambda e: e.seq)
    revoked = {e.refers_to for e in ordered if e.event_type is EventType.REVOKED}
    last = next((e for e in reversed(ordered) if e.event_type in WORKFLOW), None)
    live = [e for e in ordered if e.uid not in revoked]
    signed = [e.target_revision for e in live if e.event_type is EventType.SIGNED]
    paper = [e.target_revision for e in live if e.event_type is EventType.PAPER]
    workflow = None
    if last is not None and last.event_type in (EventType.REQUESTED, EventType.RETURNED):
        workflow = last.event_type.value
    return RecordedStatus(
        workflow,
        last.target_revision if workflow and last else None,
        max(signed) if signed else None,
        max(paper) if paper else None,
    )


@dataclass(frozen=True)
class Verdict:
    """What one valid signature proves in this logbook, and why not more."""

    state: SignoffState
    reason: str = ""


@dataclass(frozen=True)
class Assessment:
    """A record's sign-off state with the reasons and events behind it.

    Attributes:
        signatures: Every signature not revoked, each with its check.
        comment: The supervisor's comment when the record was returned.
        reason: Why the state is invalid, changed or less than verified, in words for the user.
        signed_digest: Digest of the newest content that was validly signed (for the diff view).
        verdicts: For each valid signature (by event uid), what it proves here.
    """

    state: SignoffState
    signatures: tuple[tuple[SignoffEvent, SignatureCheck], ...] = ()
    comment: str = ""
    reason: str = ""
    signed_digest: str | None = None
    paper: tuple[SignoffEvent, ...] = ()
    verdicts: Mapping[str, Verdict] = field(default_factory=dict)


@dataclass(frozen=True)
class Current:
    """The record as it is now.

    Attributes:
        digest: The digest of its signed content.
        context: The names (and registrations) of the people and places it refers to now.
        supervisor_uid: The person who must sign it: the supervisor of supervision received,
            the assessor of a milestone (None when the record names no one).
    """

    revision: int
    digest: str
    context: Mapping[str, str] | None = None
    supervisor_uid: str | None = None


# Of several valid signatures of the current content, the one that proves most decides.
_RANK = (
    SignoffState.VERIFIED,
    SignoffState.UNCONFIRMED,
    SignoffState.NOT_SUPERVISOR,
    SignoffState.CHANGED,
    SignoffState.FOREIGN,
)


def verdict(
    event: SignoffEvent, statement: SignedStatement, current: Current, trust: Trust
) -> Verdict:
    """What a valid signature of the record's current content proves in this logbook."""
    bound = statement.binding
    if bound is None and event.origin is not Origin.LEGACY:
        return Verdict(
            SignoffState.FOREIGN,
            "an older signature that names no practitioner, brought in from another logbook: "
            "it cannot be shown to be for you",
        )
    if bound is not None and not bound.same_owner(trust.binding):
        whom = bound.practitioner or "another practitioner"
        return Verdict(SignoffState.FOREIGN, f"it was signed for {whom}, in another logbook")
    # Older statements named fewer details (no registrations): compare what they named.
    changed = _context_changes(statement.context, current.context, complete=bound is not None)
    if changed:
        return Verdict(SignoffState.CHANGED, f"changed since signed: {changed}")
    signer = statement.signer
    pin = trust.pins.get(signer.fingerprint)
    supervisor = current.supervisor_uid
    if supervisor and not statement.cosign_reason:
        if pin is not None and pin.person_uid != supervisor:
            return Verdict(
                SignoffState.NOT_SUPERVISOR,
                f"signed by {pin.person_name}, who is not the supervisor recorded on it",
            )
        expected = trust.pinned_keys_of(supervisor)
        if pin is None and expected:
            return Verdict(
                SignoffState.INVALID,
                f"signed with the key {signer.fingerprint} in the name of {signer.name}, which "
                f"is not the supervisor's confirmed key ({', '.join(sorted(expected))})",
            )
    if pin is None:
        return Verdict(
            SignoffState.UNCONFIRMED,
            f"the key of {signer.name} ({signer.fingerprint}) has not been confirmed with them",
        )
    if bound is None:
        return Verdict(
            SignoffState.VERIFIED,
            "made before signatures named the practitioner; it was in this logbook when the "
            "logbook was upgraded",
        )
    return Verdict(SignoffState.VERIFIED)


def _context_changes(
    signed: Mapping[str, str], now: Mapping[str, str] | None, *, complete: bool
) -> str:
    """The names and registrations that differ from what was signed, in words."""
    if now is None:
        return ""
    names = set(signed) | (set(now) if complete else set())
    changes = [
        f"{name.replace('_', ' ')} '{signed.get(name, '')}' is now '{now.get(name, '')}'"
        for name in sorted(names)
        if now.get(name, "") != signed.get(name, "")
    ]
    return "; ".join(changes)


def assess(
    events: Sequence[SignoffEvent],
    current: Current,
    trust: Trust,
    check: Callable[[SignoffEvent], SignatureCheck] = check_event,
) -> Assessment:
    """The sign-off state of a record from its events, its current content and what is trusted.

    A broken audit trail makes every signature invalid. Otherwise the latest workflow event
    decides between awaiting (a request for exactly this content) and returned; then the
    signatures decide: any signature that fails to verify, or that covers the record's current
    revision with other content, makes it invalid; a valid signature of the current content
    proves what its :func:`verdict` says (verified only when it is for this practitioner, by a
    confirmed key of the recorded supervisor, with their details unchanged); valid signatures
    of earlier revisions only make it "changed since signed". Paper evidence never verifies.
    """
    ordered = sorted(events, key=lambda e: e.seq)
    revoked = {e.refers_to for e in ordered if e.event_type is EventType.REVOKED}
    live = [e for e in ordered if e.uid not in revoked and e.event_type is not EventType.REVOKED]
    last = next((e for e in reversed(ordered) if e.event_type in WORKFLOW), None)
    checks = tuple((e, check(e)) for e in live if e.event_type is EventType.SIGNED)
    paper = tuple(e for e in live if e.event_type is EventType.PAPER)
    if trust.chain_problems:
        reason = "the sign-off history was altered outside the app: " + (
            trust.chain_problems[0].message
        )
        return Assessment(SignoffState.INVALID, checks, reason=reason, paper=paper)
    invalid = _invalid_reason(checks, current)
    if invalid:
        return Assessment(SignoffState.INVALID, checks, reason=invalid, paper=paper)
    verdicts = {
        e.uid: verdict(e, c.statement, current, trust)
        for e, c in checks
        if c.statement is not None and e.content_sha256 == current.digest
    }
    loud = next((v for v in verdicts.values() if v.state is SignoffState.INVALID), None)
    if loud is not None:
        return Assessment(
            SignoffState.INVALID, checks, reason=loud.reason, paper=paper, verdicts=verdicts
        )
    valid_digests = [e.content_sha256 for e, _ in checks]
    newest_signed = valid_digests[-1] if valid_digests else None
    awaiting = (
        last is not None
        and last.event_type is EventType.REQUESTED
        and last.target_revision == current.revision
        and last.content_sha256 == current.digest
    )
    if awaiting:
        return Assessment(
            SignoffState.AWAITING, checks, signed_digest=newest_signed, verdicts=verdicts
        )
    if last is not None and last.event_type is EventType.RETURNED:
        return Assessment(
            SignoffState.RETURNED,
            checks,
            last.comment,
            signed_digest=newest_signed,
            paper=paper,
            verdicts=verdicts,
        )
    if verdicts:
        best = min(verdicts.values(), key=lambda v: _RANK.index(v.state))
        return Assessment(
            best.state,
            checks,
            reason=best.reason,
            signed_digest=current.digest,
            paper=paper,
            verdicts=verdicts,
        )
    if checks:
        return Assessment(
            SignoffState.CHANGED,
            checks,
            reason="edited after it was signed; it needs a new signature",
            signed_digest=newest_signed,
            paper=paper,
        )
    if paper:
        newest = max(e.target_revision for e in paper)
        if newest != current.revision:
            return Assessment(
                SignoffState.CHANGED,
                reason="edited after the paper evidence was attached",
                paper=paper,
            )
        return Assessment(SignoffState.PAPER, paper=paper)
    return Assessment(SignoffState.UNSIGNED)


def _invalid_reason(checks: Sequence[tuple[SignoffEvent, SignatureCheck]], current: Current) -> str:
    for event, result in checks:
        if not result.valid:
            return f"signature by {event.actor_name or 'unknown'} failed: {result.reason}"
        if event.target_revision == current.revision and event.content_sha256 != current.digest:
            return (
                "the record was altered without a new revision (not through the app) "
                f"after {event.actor_name or 'the supervisor'} signed it"
            )
        if event.target_revision > current.revision:
            return "the record is at an older revision than the one that was signed"
    return ""


def summary_assessment(assessment: Assessment, totals_match: bool) -> Assessment:
    """A verified period summary whose records no longer add up shows as changed."""
    if assessment.state is SignoffState.VERIFIED and not totals_match:
        return Assessment(
            SignoffState.CHANGED,
            assessment.signatures,
            reason="the entries of this period changed after the summary was signed",
            signed_digest=assessment.signed_digest,
            paper=assessment.paper,
            verdicts=assessment.verdicts,
        )
    return assessment
