"""Sign-off as evidence: checking every signature of a logbook, the audit trail kept since an
export, and the signatures a portfolio lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from logbook.domain.audit import (
    RETURN_FORMAT,
    REVOCATION_FORMAT,
    ChainHead,
    ChainProblem,
    Origin,
    Trust,
    check_action,
    prefix_matches,
)
from logbook.domain.errors import LogbookError
from logbook.domain.records import Attachment, RecordKind
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    SIGNABLE_KINDS,
    Assessment,
    EventType,
    SignatureCheck,
    SignoffEvent,
    check_event,
    describe_content,
    digest,
    digest_bytes,
)
from logbook.domain.signoff import SignoffEvidence, SignoffMode, SignoffState
from logbook.services import exchange as data_exchange
from logbook.services.signoff import trust as st
from logbook.services.signoff.events import Target, current_content, current_digest
from logbook.services.signoff.status import SignoffStatus
from logbook.storage import repository as repo
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database, Session

# States that make ``verify`` fail: a signature that proves nothing for this practitioner.
NOT_PROOF = {SignoffState.INVALID, SignoffState.FOREIGN, SignoffState.NOT_SUPERVISOR}


@dataclass(frozen=True)
class CheckedSignoffs:
    """The sign-off of some records, each signature verified once.

    Attributes:
        evidence: The signatures and paper evidence a portfolio lists, oldest first.
        assessments: The state of each record that has sign-off events, by uid.
        events: Each such record's events, oldest first, by uid.
    """

    evidence: list[SignoffEvidence]
    assessments: dict[str, Assessment]
    events: dict[str, list[SignoffEvent]]


@dataclass(frozen=True)
class SignatureReport:
    """One signature as checked: what it signs and who signed it, whether it is valid (and
    why not), and the sign-off state of its record (``None``: the record was deleted)."""

    target_kind: str
    target_uid: str
    description: str
    signer: str
    fingerprint: str
    signed_at: datetime
    revision: int
    valid: bool
    reason: str
    record_state: SignoffState | None


@dataclass
class VerificationReport:
    """The outcome of checking every signature in a logbook."""

    signatures: list[SignatureReport] = field(default_factory=list)
    states: Counter[SignoffState] = field(default_factory=Counter)
    invalid_records: list[tuple[str, str, str]] = field(default_factory=list)
    missing: list[SignatureReport] = field(default_factory=list)
    snapshot_problems: list[str] = field(default_factory=list)
    chain_problems: list[ChainProblem] = field(default_factory=list)
    action_problems: list[str] = field(default_factory=list)
    chain_head: ChainHead | None = None

    @property
    def valid_count(self) -> int:
        """How many of the signatures checked are valid."""
        return sum(1 for s in self.signatures if s.valid)

    @property
    def invalid(self) -> list[SignatureReport]:
        """The signatures that did not verify, in the order checked."""
        return [s for s in self.signatures if not s.valid]

    @property
    def ok(self) -> bool:
        """Whether every signature, signed copy and link of the sign-off history checks out
        (a record deleted since it was signed does not count against it)."""
        return not (
            self.invalid
            or self.invalid_records
            or self.snapshot_problems
            or self.chain_problems
            or self.action_problems
        )

    def lines(self) -> list[str]:
        """The report as text for the command line."""
        out = [
            f"Checked {len(self.signatures)} signature(s): {self.valid_count} valid, "
            f"{len(self.invalid)} invalid."
        ]
        for state in SignoffState:
            if self.states.get(state):
                out.append(f"  {state.label:<32} {self.states[state]:>7} record(s)")
        for kind, uid, reason in self.invalid_records:
            out.append(f"INVALID  {kind} {uid}: {reason}")
        for s in self.invalid:
            out.append(
                f"INVALID  signature by {s.signer} ({s.fingerprint}) on {s.target_kind} "
                f"{s.target_uid} revision {s.revision}: {s.reason}"
            )
        for s in self.missing:
            out.append(
                f"note     {s.target_kind} {s.target_uid} signed by {s.signer} is no longer "
                "in the logbook (deleted); its signature is kept"
            )
        out.extend(f"INVALID  {problem}" for problem in self.snapshot_problems)
        out.extend(f"INVALID  {problem.message}" for problem in self.chain_problems)
        out.extend(f"INVALID  {problem}" for problem in self.action_problems)
        if self.chain_head is not None:
            out.append(
                f"Sign-off history: {self.chain_head.count} event(s), head "
                f"{self.chain_head.hash[:16] or '(empty)'}"
            )
        out.append("All signatures are valid." if self.ok else "Some signatures are NOT valid.")
        return out


class SignoffAudit:
    """What the signatures of one open logbook prove, for a check or an export."""

    def __init__(self, db: Database, status: SignoffStatus) -> None:
        self.db = db
        self.status = status

    def verify_all(self) -> VerificationReport:
        """Check every signature in the logbook against the records as they are now."""
        report = VerificationReport()
        with self.db.reading() as session:
            trail = list(sr.all_events(session))
            report.chain_problems.extend(st.check(session, self.db.logbook_id, trail))
            report.chain_head = sr.chain_head(session)
            trusted = st.trust(session, self.db.logbook_id, report.chain_problems)
            grouped: dict[str, list[SignoffEvent]] = {}
            for e in trail:
                if e.event_type is EventType.KEY_CONFIRMED:
                    continue
                grouped.setdefault(e.target_uid, []).append(e)
                if problem := _action_problem(e, trusted):
                    report.action_problems.append(problem)
            targets = self._load_targets(session, grouped)
            currents = self.status.currents(session, list(targets.values()))
            snapshots = sr.snapshot_digests(session)
            for uid, events in grouped.items():
                target = targets.get(uid)
                signed = [e for e in events if e.event_type is EventType.SIGNED]
                if target is None:
                    for e in signed:
                        check = check_event(e)
                        entry = _report(e, check, None)
                        report.signatures.append(entry)
                        report.missing.append(entry)
                    continue
                assessment = self.status.assess_one(session, target, events, trusted, currents[uid])
                report.states[assessment.state] += 1
                if assessment.state in NOT_PROOF:
                    reason = assessment.reason
                    if assessment.state is not SignoffState.INVALID:
                        reason = f"{assessment.state.label.lower()}: {reason}"
                    report.invalid_records.append((events[0].target_kind, uid, reason))
                checks = {e.uid: c for e, c in assessment.signatures}
                for e in signed:
                    check = checks.get(e.uid) or check_event(e)
                    report.signatures.append(_report(e, check, assessment.state))
                    content = snapshots.get(e.content_sha256)
                    if content is None or digest_bytes(content.encode()) != e.content_sha256:
                        report.snapshot_problems.append(
                            f"the signed copy of {e.target_kind} {uid} revision "
                            f"{e.target_revision} is missing or was altered"
                        )
        return report

    def history_head(self) -> tuple[int, str]:
        """How many sign-off events this logbook has recorded, and the newest link's hash."""
        with self.db.reading() as session:
            head = sr.chain_head(session)
        return (head.count, head.hash) if head else (0, "")

    def history_kept_since(self, export: Path) -> bool:
        """Whether every sign-off event recorded when ``export`` (a JSON export of this
        logbook) was made is still here, unchanged and in order.

        Raises:
            LogbookError: the file is not an export of this logbook, or carries no chain head.
        """
        data = data_exchange.read_export_head(
            Path(export)
        )  # read in pieces: an export may be large
        name = Path(export).name
        signoff = data.get("signoff") if isinstance(data, dict) else None
        head_data = signoff.get("chain_head") if isinstance(signoff, dict) else None
        if not isinstance(data, dict) or data.get("logbook_id") != self.db.logbook_id:
            raise LogbookError(f"{name} is not an export of this logbook.")
        try:
            head = ChainHead.from_json(head_data)
        except ValueError as error:
            raise LogbookError(f"{name} carries no sign-off history to check: {error}.") from None
        with self.db.reading() as session:
            practitioner = sr.practitioner_key(session).public
            if not practitioner.verify(head.signature, head.payload(self.db.logbook_id)):
                raise LogbookError(
                    f"The sign-off history recorded in {name} is not signed by this logbook's "
                    "key: the export was altered or comes from another logbook."
                )
            return prefix_matches(sr.chain_links(sr.all_events(session)), head)

    def _load_targets(
        self, session: Session, grouped: Mapping[str, Sequence[SignoffEvent]]
    ) -> dict[str, Target]:
        by_kind: dict[str, list[str]] = {}
        for uid, events in grouped.items():
            by_kind.setdefault(events[0].target_kind, []).append(uid)
        found: dict[str, Target] = {}
        for kind, uids in by_kind.items():
            if kind == PERIOD_SUMMARY:
                found.update((s.uid, s) for s in sr.summaries(session, uids))
            elif kind in {k.value for k in SIGNABLE_KINDS}:
                found.update(sr.records_by_uid(session, RecordKind(kind), uids))
        return found

    def evidence(self, uids: Iterable[str]) -> list[SignoffEvidence]:
        """The sign-off evidence of these records for a portfolio appendix, oldest first.

        Every signature not revoked is listed with its checked state, except signatures made for
        another practitioner; paper evidence is listed as unverified.
        """
        return self.checked_signoffs(uids).evidence

    def checked_signoffs(self, uids: Iterable[str]) -> CheckedSignoffs:
        """As :meth:`evidence`, with the assessment and events of each record that has any:
        every signature is verified once, for the appendix and the entries' states alike."""
        wanted = list(dict.fromkeys(uids))
        result: list[SignoffEvidence] = []
        assessments: dict[str, Assessment] = {}
        with self.db.reading() as session:
            grouped = sr.events_for(session, wanted)
            targets = self._load_targets(session, grouped)
            trusted = self.status.trust_in(session)
            currents = self.status.currents(session, list(targets.values()))
            for uid in wanted:
                events = grouped.get(uid)
                target = targets.get(uid)
                if not events or target is None:
                    continue
                assessment = self.status.assess_one(session, target, events, trusted, currents[uid])
                assessments[uid] = assessment
                current = current_digest(target)
                for e, check in assessment.signatures:
                    found = _evidence(e, check, current, assessment, trusted)
                    # Signed for someone else: not evidence of anything in this portfolio.
                    if found.state is not SignoffState.FOREIGN:
                        result.append(found)
                for e in assessment.paper:
                    result.append(_paper_evidence(session, e, target))
        result.sort(key=lambda ev: (ev.signed_at, ev.target_uid))
        return CheckedSignoffs(result, assessments, grouped)


def _report(
    event: SignoffEvent, check: SignatureCheck, state: SignoffState | None
) -> SignatureReport:
    description = check.statement.description if check.statement else ""
    return SignatureReport(
        event.target_kind,
        event.target_uid,
        description,
        event.actor_name,
        event.fingerprint,
        event.occurred_at,
        event.target_revision,
        check.valid,
        check.reason,
        state,
    )


def _evidence(
    event: SignoffEvent,
    check: SignatureCheck,
    current_digest: str,
    assessment: Assessment,
    trusted: Trust,
) -> SignoffEvidence:
    statement = check.statement
    found = assessment.verdicts.get(event.uid)
    if not check.valid or statement is None or assessment.state is SignoffState.INVALID:
        state = SignoffState.INVALID
    elif statement.binding is not None and not found and event.content_sha256 != current_digest:
        state = SignoffState.CHANGED
    elif found is not None:
        state = found.state
    else:
        state = SignoffState.CHANGED
    signer = statement.signer if statement else None
    return SignoffEvidence(
        target_uid=event.target_uid,
        target_kind=event.target_kind,
        target_revision=event.target_revision,
        description=statement.description if statement else "",
        signer_name=signer.name if signer else event.actor_name,
        signer_registration=signer.registration if signer else "",
        signer_organisation=signer.organisation if signer else "",
        signed_at=statement.signed_at if statement else event.occurred_at,
        mode=statement.mode if statement else (event.mode or SignoffMode.IN_PERSON),
        fingerprint=signer.fingerprint if signer else event.fingerprint,
        state=state,
        key_confirmed=_confirmation_text(trusted, signer.fingerprint if signer else ""),
        key_holder=_key_holder(trusted, signer.fingerprint if signer else ""),
        cosign_reason=statement.cosign_reason if statement else "",
        event_uid=event.uid,
        request_uid=event.request_uid or "",
        batch_uid=event.batch_uid or "",
        batch_label=event.batch_label,
    )


def _confirmation_text(trusted: Trust, fingerprint: str) -> str:
    pin = trusted.pins.get(fingerprint)
    if pin is None:
        return "key not confirmed"
    return f"confirmed {pin.method.briefly}, {pin.confirmed_at:%d %b %Y}"


def _key_holder(trusted: Trust, fingerprint: str) -> str:
    pin = trusted.pins.get(fingerprint)
    return pin.person_name if pin is not None else ""


def _paper_evidence(session: Session, event: SignoffEvent, target: Target) -> SignoffEvidence:
    attachment = (
        repo.find(session, RecordKind.ATTACHMENT, event.attachment_uid)
        if event.attachment_uid
        else None
    )
    content = current_content(target)
    what = describe_content(content)
    if isinstance(attachment, Attachment):
        what += f" (scanned file {attachment.filename}, SHA-256 {attachment.sha256[:16]}…)"
    state = SignoffState.PAPER if event.content_sha256 == digest(content) else SignoffState.CHANGED
    return SignoffEvidence(
        target_uid=event.target_uid,
        target_kind=event.target_kind,
        target_revision=event.target_revision,
        description=what,
        signer_name=event.actor_name,
        signer_registration="",
        signer_organisation="",
        signed_at=event.occurred_at,
        mode=SignoffMode.PAPER,
        fingerprint="",
        state=state,
        event_uid=event.uid,
        batch_uid=event.batch_uid or "",
        batch_label=event.batch_label,
    )


def _action_problem(event: SignoffEvent, trusted: Trust) -> str:
    """A return or revocation whose signed statement does not hold, in words; else ""."""
    formats = {EventType.RETURNED: RETURN_FORMAT, EventType.REVOKED: REVOCATION_FORMAT}
    expected = formats.get(event.event_type)
    if expected is None or (event.origin is Origin.LEGACY and not event.payload):
        return ""
    name = f"{event.event_type.value} event {event.seq} of {event.target_kind} {event.target_uid}"
    checked = check_action(event.payload, event.signature, expected)
    if not checked.valid or checked.statement is None:
        return f"the {name} is not signed by whoever made it ({checked.reason})"
    data = checked.statement
    target = data.get("target")
    if not isinstance(target, Mapping) or target.get("uid") != event.target_uid:
        return f"the {name} carries a statement about another entry"
    if event.event_type is EventType.REVOKED:
        if data.get("revokes") != event.refers_to or data.get("reason") != event.comment:
            return f"the {name} differs from the revocation that was signed"
        if checked.signer is None or checked.signer.fingerprint != trusted.binding.practitioner_key:
            return f"the {name} was not signed with this logbook's practitioner key"
    elif data.get("comment") != event.comment:
        return f"the {name} shows another comment than the supervisor signed"
    return ""
