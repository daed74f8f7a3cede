"""The sign-offs inside a portfolio's evidence, checked with nothing but the evidence.

Each signature must verify, be about the entry content the document prints (its digest worked
out afresh from that content) and name the portfolio's practitioner; a signature of an earlier
revision proves only that the entry changed since it was signed, as the document says. Returns
must carry the supervisor's signed statement and withdrawals the practitioner's. Every key that
signed is listed with whether the practitioner confirmed it, and whether the reviewer did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from logbook.domain.audit import (
    RETURN_FORMAT,
    REVOCATION_FORMAT,
    Binding,
    Origin,
    Pin,
    check_action,
    read_pin,
)
from logbook.domain.proof import Evidence, RecordedEvent
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    EventType,
    SignatureCheck,
    SignedStatement,
    check_event,
    describe_content,
    digest,
)
from logbook.domain.signoff import SignoffState

LEGACY_NOTE = (
    "made before signatures named the practitioner: recorded in their logbook's signed history "
    "when it was made, it shows the signer signed this content, not for whom"
)


@dataclass(frozen=True)
class SignoffCheck:
    """One signature (or paper evidence) inside the file, checked.

    Attributes:
        paper: Scanned or e-signed paper evidence, which no one can check.
        valid: The signature verifies and is about the entry it is filed under.
        withdrawn: The practitioner withdrew it since (it is kept, and no longer counts).
        covers_printed: It signs the entry content the document prints.
        problem: Why it does not count ("" when it does); ``note`` says more that is no fault.
    """

    target_kind: str
    target_uid: str
    revision: int
    description: str
    signer: str
    fingerprint: str
    signed_at: str
    paper: bool = False
    valid: bool = False
    withdrawn: bool = False
    covers_printed: bool = False
    problem: str = ""
    note: str = ""

    @property
    def holds(self) -> bool:
        """Whether it is a valid signature made for this practitioner, and still stands."""
        return self.valid and not self.problem and not self.withdrawn


@dataclass(frozen=True)
class SignerCheck:
    """A key that signed sign-offs in the file.

    Attributes:
        signatures: Its signatures that hold.
        confirmed_by_practitioner: How and when the practitioner confirmed the key ("" if not).
        confirmed_by_you: Whether the reviewer's logbook confirmed it (None: not checked).
    """

    name: str
    fingerprint: str
    signatures: int
    confirmed_by_practitioner: str = ""
    confirmed_by_you: bool | None = None


@dataclass(frozen=True)
class SignoffsChecked:
    """Every sign-off inside, its signers, the keys the practitioner confirmed, and what is
    wrong, in words."""

    checks: list[SignoffCheck]
    signers: list[SignerCheck]
    problems: list[str]
    confirmed: frozenset[str]


def check_signoffs(
    evidence: Evidence, reviewer_keys: frozenset[str] | None = None
) -> SignoffsChecked:
    """Check every sign-off event inside the evidence.

    Args:
        evidence: The evidence read from the file.
        reviewer_keys: Fingerprints the reviewer's own logbook confirmed (None: not checked).
    """
    pins, problems = confirmed_keys(evidence)
    withdrawn = {
        r.event.refers_to for r in evidence.signoffs if r.event.event_type is EventType.REVOKED
    }
    checks: list[SignoffCheck] = []
    for recorded in evidence.signoffs:
        kind = recorded.event.event_type
        if kind in (EventType.SIGNED, EventType.PAPER):
            check = check_signoff(recorded, evidence, recorded.event.uid in withdrawn)
            checks.append(check)
            if check.problem:
                problems.append(
                    f"the sign-off of {check.description} by {check.signer or 'someone'} does "
                    f"not hold: {check.problem}"
                )
        elif problem := statement_problem(recorded, evidence.practitioner.binding):
            problems.append(problem)
    return SignoffsChecked(checks, signers(checks, pins, reviewer_keys), problems, frozenset(pins))


def confirmed_keys(evidence: Evidence) -> tuple[dict[str, Pin], list[str]]:
    """The practitioner's confirmations of signers' keys that hold, and those that do not."""
    pins: dict[str, Pin] = {}
    problems: list[str] = []
    binding = evidence.practitioner.binding
    for recorded in evidence.confirmations:
        event = recorded.event
        pin, reason = read_pin(event.uid, event.payload, event.signature, binding)
        if pin is None:
            problems.append(
                f"the practitioner's confirmation of a signer's key (event {event.seq}) does not "
                f"hold: {reason}"
            )
        else:
            pins[pin.fingerprint] = pin
    return pins, problems


def check_signoff(recorded: RecordedEvent, evidence: Evidence, withdrawn: bool) -> SignoffCheck:
    """One signature inside the file, against the entry content the document prints."""
    event = recorded.event
    entry = evidence.entries.get((event.target_kind, event.target_uid))
    base = SignoffCheck(
        target_kind=event.target_kind,
        target_uid=event.target_uid,
        revision=event.target_revision,
        description=_describe(entry, event.target_kind, event.target_uid),
        signer=event.actor_name,
        fingerprint=event.fingerprint,
        signed_at=event.occurred_at.isoformat(timespec="minutes"),
    )
    if event.event_type is EventType.PAPER:
        return replace(base, paper=True, note="scanned or e-signed paper: it cannot be checked")
    if entry is None:
        return replace(base, problem="the entry it signs is not in the document")
    checked = _signature(recorded, entry)
    if checked.statement is not None:
        signer = checked.statement.signer
        base = replace(base, signer=signer.name, fingerprint=signer.fingerprint)
    if withdrawn:
        return replace(
            base, valid=checked.valid, withdrawn=True, note="withdrawn since; it no longer counts"
        )
    if not checked.valid or checked.statement is None:
        return replace(base, problem=_invalid_reason(checked, recorded, entry))
    return _judge(replace(base, valid=True), recorded, checked.statement, entry, evidence)


def _signature(recorded: RecordedEvent, entry: Mapping[str, Any]) -> SignatureCheck:
    """The signature checked; for the revision printed, against that content's own digest."""
    event = recorded.event
    same = entry.get("revision") == event.target_revision
    return check_event(event, digest(entry) if same else None)


def _invalid_reason(
    checked: SignatureCheck, recorded: RecordedEvent, entry: Mapping[str, Any]
) -> str:
    printed = entry.get("revision") == recorded.event.target_revision
    if printed and "content digest" in checked.reason:
        return "the entry printed is not the content that was signed"
    return checked.reason


def _judge(
    check: SignoffCheck,
    recorded: RecordedEvent,
    statement: SignedStatement,
    entry: Mapping[str, Any],
    evidence: Evidence,
) -> SignoffCheck:
    """What a valid signature proves for this portfolio."""
    bound = statement.binding
    if bound is None and recorded.event.origin is not Origin.LEGACY:
        return replace(
            check,
            problem="it names no practitioner and was not recorded in this practitioner's "
            "logbook when it was made, so it does not show whom it was for",
        )
    if bound is not None and not bound.same_owner(evidence.practitioner.binding):
        whom = bound.practitioner or "another practitioner"
        return replace(check, problem=f"it was made for {whom}, not for this practitioner")
    # Signatures from before statements named the practitioner count as the logbook counted
    # them when they were recorded, and say what they cannot show.
    legacy = LEGACY_NOTE if bound is None else ""
    printed = entry.get("revision")
    if printed == check.revision:
        return replace(check, covers_printed=True, note=legacy)
    if not isinstance(printed, int) or printed < check.revision:
        return replace(check, problem="the document prints an older revision than was signed")
    changed = (
        f"it signs revision {check.revision}; the document prints revision {printed} "
        "(changed since signed, as the document says)"
    )
    return replace(check, note="; ".join(filter(None, (changed, legacy))))


def statement_problem(recorded: RecordedEvent, binding: Binding) -> str:
    """A return or withdrawal whose signed statement does not hold, in words ("" if it holds,
    or the event carries none: a request)."""
    event = recorded.event
    formats = {EventType.RETURNED: RETURN_FORMAT, EventType.REVOKED: REVOCATION_FORMAT}
    expected = formats.get(event.event_type)
    if expected is None or (event.origin is Origin.LEGACY and not event.payload):
        return ""
    what = f"the {event.event_type.value} event {event.seq} of {event.target_kind}"
    checked = check_action(event.payload, event.signature, expected)
    data = checked.statement or {}
    target = data.get("target")
    if not checked.valid or not isinstance(target, Mapping):
        return f"{what} is not signed by whoever made it ({checked.reason})"
    if target.get("uid") != event.target_uid:
        return f"{what} carries a statement about another entry"
    if event.event_type is EventType.REVOKED:
        signer = checked.signer.fingerprint if checked.signer else ""
        if data.get("revokes") != event.refers_to or signer != binding.practitioner_key:
            return f"{what} is not the practitioner's signed withdrawal of that signature"
    elif data.get("comment") != event.comment:
        return f"{what} shows another comment than the supervisor signed"
    return ""


def _describe(entry: Mapping[str, Any] | None, kind: str, uid: str) -> str:
    if entry is None:
        return f"{kind} {uid}"
    if kind == PERIOD_SUMMARY:
        return str(entry.get("statement", "a period summary"))
    return describe_content(entry)


def signers(
    checks: Iterable[SignoffCheck],
    pins: Mapping[str, Pin],
    reviewer_keys: frozenset[str] | None,
) -> list[SignerCheck]:
    """Each key that signed, with its signatures that hold and who confirmed it."""
    counted: dict[str, tuple[str, int]] = {}
    for check in checks:
        if check.paper or not check.fingerprint:
            continue
        name, count = counted.get(check.fingerprint, (check.signer, 0))
        counted[check.fingerprint] = (name, count + (1 if check.holds else 0))
    return [
        SignerCheck(
            name,
            fingerprint,
            count,
            _confirmed(pins.get(fingerprint)),
            None if reviewer_keys is None else fingerprint in reviewer_keys,
        )
        for fingerprint, (name, count) in sorted(counted.items(), key=lambda i: i[1][0])
    ]


def _confirmed(pin: Pin | None) -> str:
    if pin is None:
        return ""
    return f"{pin.method.briefly}, {pin.confirmed_at:%d %b %Y}"


# --- the sign-off the document prints for each entry -------------------------------------------

# States that print an entry as signed, as the coverage lines count them.
SIGNED_CLAIMS = frozenset(
    {SignoffState.VERIFIED, SignoffState.UNCONFIRMED, SignoffState.NOT_SUPERVISOR}
)


@dataclass(frozen=True)
class CoverageCheck:
    """How many entries of a kind the document prints as signed, and how many of them a
    signature inside backs."""

    kind: str
    entries: int
    printed_signed: int
    backed: int


@dataclass(frozen=True)
class PrintedChecked:
    """The printed sign-off of every entry against the sign-offs inside."""

    coverage: list[CoverageCheck]
    problems: list[str]


def check_printed(
    evidence: Evidence, checks: Iterable[SignoffCheck], confirmed: Iterable[str]
) -> PrintedChecked:
    """Whether each sign-off state the document prints is backed by what is inside.

    Args:
        evidence: The evidence read from the file.
        checks: Every sign-off inside, checked.
        confirmed: Fingerprints of the keys the practitioner confirmed.
    """
    found: dict[tuple[str, str], list[SignoffCheck]] = {}
    for check in checks:
        found.setdefault((check.target_kind, check.target_uid), []).append(check)
    returned = {
        (r.event.target_kind, r.event.target_uid)
        for r in evidence.signoffs
        if r.event.event_type is EventType.RETURNED
    }
    pinned = frozenset(confirmed)
    problems, backed = [], Counter[str]()
    for claim in evidence.states:
        key = (claim.kind, claim.uid)
        reason = (
            _unbacked(claim.state, found.get(key, []), key in returned, pinned)
            if key in evidence.entries
            else "the entry is not inside"
        )
        if reason:
            what = _describe(evidence.entries.get(key), claim.kind, claim.uid)
            problems.append(f"the document prints {what} as “{claim.state.label}”, but {reason}")
        elif claim.state in SIGNED_CLAIMS:
            backed[claim.kind] += 1
    return PrintedChecked(_coverage(evidence, backed), problems)


def _unbacked(
    state: SignoffState, found: list[SignoffCheck], returned: bool, pinned: frozenset[str]
) -> str:
    """Why nothing inside backs an entry's printed state ("" when something does)."""
    if state in SIGNED_CLAIMS:
        current = [c for c in found if c.holds and c.covers_printed]
        if not current:
            return "no signature inside that holds signs what it prints"
        if state is SignoffState.VERIFIED and not any(c.fingerprint in pinned for c in current):
            return "the practitioner confirmed none of the keys that signed it"
    elif state is SignoffState.CHANGED and not any(c.holds for c in found):
        return "no signature inside that holds signs an earlier version of it"
    elif state is SignoffState.PAPER and not any(c.paper for c in found):
        return "no paper evidence of it is inside"
    elif state is SignoffState.RETURNED and not returned:
        return "no return of it is inside"
    return ""


def _coverage(evidence: Evidence, backed: Counter[str]) -> list[CoverageCheck]:
    entries = Counter(kind for kind, _ in evidence.entries if kind != PERIOD_SUMMARY)
    claimed = Counter(c.kind for c in evidence.states if c.state in SIGNED_CLAIMS)
    return [
        CoverageCheck(kind, entries[kind], claimed[kind], backed[kind]) for kind in sorted(entries)
    ]


def unbacked_fingerprints(
    printed: Iterable[str], evidence: Evidence, checks: Iterable[SignoffCheck]
) -> list[str]:
    """Key fingerprints the pages print that no valid signature inside was made with (the
    practitioner's own keys aside)."""
    keys = evidence.practitioner
    own = {keys.logbook_key.fingerprint}
    if keys.document_key is not None:
        own.add(keys.document_key.fingerprint)
    backed = {c.fingerprint for c in checks if c.valid}
    return sorted(set(printed) - own - backed)
