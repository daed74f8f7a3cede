"""Sign-off: in person, batch, period summaries, remote by request and response files, paper.

Every use case is one transaction: a sign-off either happens completely or leaves nothing
behind. Events are only appended (sign-off is an audit trail, so it is never part of undo); a
revocation is a new event with a reason. Signatures are checked whenever a state is shown, so
a record altered behind the app's back never shows as signed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from logbook.domain.allowances import Door, FieldFinding, content_texts, describe_findings
from logbook.domain.audit import (
    RETURN_FORMAT,
    REVOCATION_FORMAT,
    Binding,
    ChainHead,
    ChainProblem,
    ConfirmMethod,
    Origin,
    Trust,
    check_action,
    prefix_matches,
    return_statement,
    revocation_statement,
    sign_action,
)
from logbook.domain.errors import (
    ConflictError,
    LogbookError,
    NotFoundError,
    Problem,
    ValidationError,
)
from logbook.domain.identity import PublicIdentity, SealedIdentity, b64
from logbook.domain.periods import Period
from logbook.domain.privacy import find_identifiers
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Attachment,
    Person,
    Record,
    RecordKind,
    ReflectiveAccount,
    entry_date,
    utc_now,
)
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    SIGNABLE_KINDS,
    Assessment,
    Current,
    EventType,
    FieldChange,
    PeriodSummary,
    Signable,
    SignatureCheck,
    SignedStatement,
    SignoffEvent,
    SignoffFileError,
    Verdict,
    assess,
    canonical,
    check_event,
    check_signature,
    default_summary_statement,
    describe_content,
    describe_record,
    diff,
    digest,
    digest_bytes,
    read_payload,
    record_digest,
    signable_record,
    signable_summary,
    signature_payload,
    summary_assessment,
)
from logbook.domain.signoff import SignoffEvidence, SignoffMode, SignoffState
from logbook.services import filetypes
from logbook.services import signoff_trust as st
from logbook.services.exchange import read_export_head
from logbook.services.identity import IdentityStore, write_json_file
from logbook.services.locations import DataLocation
from logbook.services.privacy import Screening
from logbook.services.signed_by_me import RESPONSE, keep
from logbook.services.signed_by_me import SignedItem as SignedByMe
from logbook.services.signoff_files import (
    Practitioner,
    ReceiptItem,
    RequestItem,
    ReturnedItem,
    SignedItem,
    SignoffRequest,
    SignoffResponse,
    parse_request,
    parse_response,
    read_request,
    read_response,
    receipt_document,
    request_document,
    response_document,
)
from logbook.storage import allowance_repository as allowances
from logbook.storage import repository as repo
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database
from logbook.storage.signoff_repository import KnownSigner, StoredRequest

Target = Record | PeriodSummary
SENT, RECEIVED = "sent", "received"
OPEN, ANSWERED, RESPONDED = "open", "answered", "responded"
MAX_PAPER_BYTES = 50 * 1024 * 1024
PAPER_LABEL = "Signed paper evidence (unverified)"
# States that make ``verify`` fail: a signature that proves nothing for this practitioner.
NOT_PROOF = {SignoffState.INVALID, SignoffState.FOREIGN, SignoffState.NOT_SUPERVISOR}


class PartialResponseError(SignoffFileError):
    """Some entries of a response cannot be accepted; nothing was attached yet.

    Attributes:
        refused: Each refused entry with the reason.
        acceptable: How many signatures and returns could be applied.
    """

    def __init__(self, refused: Sequence[Refusal], acceptable: int) -> None:
        self.refused = tuple(refused)
        self.acceptable = acceptable
        lines = "\n".join(f"  - {r.description}: {r.reason}" for r in self.refused)
        super().__init__(
            f"{len(self.refused)} entr{'y' if len(self.refused) == 1 else 'ies'} of this "
            f"response cannot be accepted:\n{lines}\nNothing was attached. Confirm to apply the "
            f"{acceptable} valid answer(s) only."
        )


class UntrustedSignerError(SignoffFileError):
    """The response is signed by a key this logbook has not been told to trust yet."""

    def __init__(self, signer: PublicIdentity) -> None:
        self.signer = signer
        super().__init__(
            f"This response is signed by {signer.name} with a key this logbook does not know "
            f"yet (fingerprint {signer.fingerprint}). Confirm the fingerprint with "
            f"{signer.name} (for example by phone), then apply it again confirming it. "
            "Nothing was attached."
        )


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What a supervisor does with one entry of a request: sign it, or return it with a comment."""

    sign: bool
    comment: str = ""

    @classmethod
    def signed(cls) -> Decision:
        return cls(True)

    @classmethod
    def returned(cls, comment: str) -> Decision:
        return cls(False, comment)


@dataclass(frozen=True)
class Refusal:
    uid: str
    description: str
    reason: str


@dataclass(frozen=True)
class SignResult:
    """What signing here did.

    Attributes:
        receipt: The receipt for the signer's own register (signed by them), to save where
            they choose; see :meth:`SignoffService.save_receipt`.
    """

    signer: PublicIdentity
    signed: tuple[str, ...]
    batch_uid: str | None = None
    receipt: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class ResponseReview:
    """What applying a response would do, after every check."""

    response: SignoffResponse
    request: StoredRequest
    to_sign: tuple[tuple[RequestItem, SignedItem], ...]
    to_return: tuple[tuple[RequestItem, ReturnedItem], ...]
    refused: tuple[Refusal, ...]
    signer_known: bool

    @property
    def supervisor(self) -> PublicIdentity:
        return self.response.supervisor


@dataclass(frozen=True)
class ApplyResult:
    supervisor: PublicIdentity
    signed: tuple[str, ...]
    returned: tuple[str, ...]
    refused: tuple[Refusal, ...]


@dataclass(frozen=True)
class InboxEntry:
    """A request received by a supervisor, and whether they have answered it."""

    request: SignoffRequest
    received_at: datetime | None
    status: str
    responded_at: datetime | None

    @property
    def uid(self) -> str:
        return self.request.uid


@dataclass(frozen=True)
class SentRequest:
    stored: StoredRequest

    @property
    def uid(self) -> str:
        return self.stored.uid


@dataclass(frozen=True)
class SignatureInfo:
    """One signature (or paper evidence) as the user sees it in a record's sign-off panel."""

    event_uid: str
    signer_name: str
    registration: str
    organisation: str
    fingerprint: str
    signed_at: datetime
    mode: SignoffMode
    revision: int
    valid: bool
    reason: str
    batch: str = ""
    attachment_uid: str | None = None
    known: bool = False
    proves: SignoffState | None = None
    proves_reason: str = ""
    cosign_reason: str = ""
    signed_for: str = ""


@dataclass(frozen=True)
class SignoffDetail:
    target_uid: str
    assessment: Assessment
    signatures: tuple[SignatureInfo, ...]
    changes: tuple[FieldChange, ...]
    history: tuple[SignoffEvent, ...]

    @property
    def state(self) -> SignoffState:
        return self.assessment.state


@dataclass(frozen=True)
class SignatureReport:
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
        return sum(1 for s in self.signatures if s.valid)

    @property
    def invalid(self) -> list[SignatureReport]:
        return [s for s in self.signatures if not s.valid]

    @property
    def ok(self) -> bool:
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


# --- the service -------------------------------------------------------------------------------


class SignoffService:
    """Sign-off use cases on one open logbook."""

    def __init__(self, db: Database, location: DataLocation | None = None) -> None:
        self.db = db
        root = location.root if location is not None else db.path.parent
        self.identities = IdentityStore(root / "identities")
        self._chain = st.ChainCache()

    # --- states (what lists show) ----------------------------------------------------------

    def states(self, records: Sequence[Target]) -> dict[str, SignoffState]:
        """The checked sign-off state of each record, by uid.

        Every signature of these records is verified against their content as given, so a
        row changed behind the app's back shows as invalid (or changed), never as signed.
        """
        return {uid: a.state for uid, a in self.assess(records).items()}

    def assess(self, targets: Sequence[Target]) -> dict[str, Assessment]:
        """States with their reasons (the comment of a returned entry, why it is invalid)."""
        with self.db.reading() as session:
            return self._assess(session, targets)

    def _assess(self, session: Session, targets: Sequence[Target]) -> dict[str, Assessment]:
        events = sr.events_for(session, [t.uid for t in targets])
        signed = [t for t in targets if t.uid in events]
        trusted = self._trust(session) if signed else None
        currents = self._currents(session, signed)
        result: dict[str, Assessment] = {}
        for target in targets:
            mine = events.get(target.uid)
            if not mine or trusted is None:
                result[target.uid] = Assessment(SignoffState.UNSIGNED)
                continue
            result[target.uid] = self._assess_one(
                session, target, mine, trusted, currents[target.uid]
            )
        return result

    def _assess_one(
        self,
        session: Session,
        target: Target,
        events: Sequence[SignoffEvent],
        trusted: Trust | None = None,
        current: Current | None = None,
    ) -> Assessment:
        trusted = trusted or self._trust(session)
        current = current or self._currents(session, [target])[target.uid]
        if isinstance(target, PeriodSummary):
            found = assess(events, current, trusted)
            return summary_assessment(found, self._totals_match(session, target))
        if target.kind not in SIGNABLE_KINDS:
            return Assessment(SignoffState.UNSIGNED)
        return assess(events, current, trusted)

    def _trust(self, session: Session) -> Trust:
        problems = self._chain.problems(session, self.db.logbook_id)
        return st.trust(session, self.db.logbook_id, problems)

    def _currents(self, session: Session, targets: Sequence[Target]) -> dict[str, Current]:
        """Each target as it is now: digest, the names it refers to, who must sign it."""
        records = [t for t in targets if not isinstance(t, PeriodSummary)]
        names = st.contexts(session, records)
        found: dict[str, Current] = {}
        for target in targets:
            if isinstance(target, PeriodSummary):
                found[target.uid] = Current(target.revision, signable_summary(target).digest)
            elif target.kind in SIGNABLE_KINDS:
                found[target.uid] = Current(
                    target.revision,
                    record_digest(target),
                    names.get(target.uid, {}),
                    st.supervisor_of(target),
                )
            else:
                found[target.uid] = Current(target.revision, "")
        return found

    def _totals_match(self, session: Session, summary: PeriodSummary) -> bool:
        total = repo.summarise(session, _summary_query(summary))
        return (total.count, total.minutes) == (summary.count, summary.minutes)

    def in_states(
        self,
        states: Iterable[SignoffState],
        kinds: Iterable[RecordKind] = SIGNABLE_KINDS,
        *,
        limit: int | None = None,
        keep_invalid: bool = False,
    ) -> list[tuple[Record, Assessment]]:
        """Records whose checked state is one of ``states``, newest first.

        The events narrow the candidates in SQL; each candidate's signatures are then checked.
        With ``limit``, only the newest candidates of each kind are checked (a page of a list).
        ``keep_invalid`` also returns candidates whose check found them invalid.
        """
        wanted = set(states) | ({SignoffState.INVALID} if keep_invalid else set())
        values = frozenset(s.value for s in states)
        found: list[tuple[Record, Assessment]] = []
        with self.db.reading() as session:
            for kind in kinds:
                query = RecordQuery(kind, signoff_states=values, limit=limit)
                rows = repo.query(session, query)
                assessed = self._assess(session, rows)
                found.extend((r, assessed[r.uid]) for r in rows if assessed[r.uid].state in wanted)
        found.sort(key=lambda pair: (entry_date(pair[0]) or date.min, pair[0].uid), reverse=True)
        return found[:limit] if limit is not None else found

    def count_in_states(
        self, states: Iterable[SignoffState], kinds: Iterable[RecordKind] = SIGNABLE_KINDS
    ) -> int:
        """How many records are in ``states``, every candidate's signatures checked.

        The events narrow the candidates in SQL; the count is of what the checks found, so a
        forged status table or an edited event never inflates it.
        """
        return len(self.in_states(states, kinds))

    def candidates_count(
        self, states: Iterable[SignoffState], kinds: Iterable[RecordKind] = SIGNABLE_KINDS
    ) -> int:
        """How many records the events alone put in ``states`` (SQL, nothing checked).

        Never shown to the user (it trusts tables anyone can edit); it only sizes work, such
        as whether checking every signature at once is quick enough.
        """
        values = frozenset(s.value for s in states)
        with self.db.reading() as session:
            return sum(
                repo.summarise(session, RecordQuery(kind, signoff_states=values)).count
                for kind in kinds
            )

    def detail(self, target: Target) -> SignoffDetail:
        """Everything the sign-off panel of one record shows."""
        with self.db.reading() as session:
            events = sr.events_for(session, [target.uid]).get(target.uid, [])
            assessment = (
                self._assess_one(session, target, events)
                if events
                else Assessment(SignoffState.UNSIGNED)
            )
            known = set(self._trust(session).pins)
            infos = [
                _signature_info(e, c, known, assessment.verdicts.get(e.uid))
                for e, c in assessment.signatures
            ]
            infos += [_paper_info(e) for e in assessment.paper]
            changes: list[FieldChange] = []
            if assessment.state in (SignoffState.CHANGED, SignoffState.INVALID):
                changes = self._changes(session, target, assessment)
        infos.sort(key=lambda i: i.signed_at)
        return SignoffDetail(target.uid, assessment, tuple(infos), tuple(changes), tuple(events))

    def changes_since_signed(self, target: Target) -> list[FieldChange]:
        """What differs between the newest signed revision and the record now."""
        return list(self.detail(target).changes)

    def _changes(
        self, session: Session, target: Target, assessment: Assessment
    ) -> list[FieldChange]:
        digests = [e.content_sha256 for e, c in assessment.signatures if c.valid]
        if not digests:
            return []
        kept = sr.snapshot(session, digests[-1])
        if kept is None or digest_bytes(kept.content.encode("utf-8")) != kept.content_sha256:
            return []
        current = _current_content(target)
        return diff(kept.value(), current)

    def describe(self, targets: Sequence[Target], *, brief: bool = False) -> dict[str, str]:
        """One-line descriptions with the names of the people and places they refer to.

        ``brief`` leaves out the date and hours (for tables with columns of their own).
        """
        with self.db.reading() as session:
            names = st.contexts(session, [t for t in targets if not isinstance(t, PeriodSummary)])
            return {
                t.uid: t.statement
                if isinstance(t, PeriodSummary)
                else describe_record(t, names.get(t.uid, {}), brief=brief)
                for t in targets
            }

    def history(self, uid: str) -> list[SignoffEvent]:
        with self.db.reading() as session:
            return sr.events_for(session, [uid]).get(uid, [])

    # --- known signers ---------------------------------------------------------------------

    def known_signers(self) -> list[KnownSigner]:
        """Signers seen by this logbook; confirmed only where the practitioner confirmed them."""
        with self.db.reading() as session:
            pins = self._trust(session).pins
            seen = {k.fingerprint: k for k in sr.known_signers(session)}
            for fingerprint, confirmed in pins.items():
                if fingerprint not in seen:
                    seen[fingerprint] = KnownSigner(
                        confirmed.identity, confirmed.confirmed_at, None, "confirmation"
                    )
        result = []
        for known in seen.values():
            pin = pins.get(known.fingerprint)
            result.append(
                replace(
                    known,
                    confirmed_at=pin.confirmed_at if pin else None,
                    person_uid=pin.person_uid if pin else None,
                    confirmed_how=pin.method.label if pin else "",
                )
            )
        return sorted(result, key=lambda k: (k.identity.name.casefold(), k.fingerprint))

    def add_known_signer(
        self,
        identity: PublicIdentity,
        *,
        confirm_for: str | None = None,
        method: ConfirmMethod = ConfirmMethod.IDENTITY_FILE,
    ) -> KnownSigner:
        """Remember a supervisor's public identity (for example from their public card).

        With ``confirm_for`` (a person's uid), the practitioner also confirms that the key is
        that person's (see :meth:`confirm_key`).
        """
        now = utc_now()
        with self.db.transaction() as session:
            known = sr.remember_signer(session, identity, now=now, source="card")
            if confirm_for:
                self._confirm(session, confirm_for, identity, method, now)
        return next(k for k in self.known_signers() if k.fingerprint == known.fingerprint)

    def confirm_key(self, person_uid: str, identity: PublicIdentity, method: ConfirmMethod) -> str:
        """Pin ``identity``'s key to a person, after the practitioner checked it with them.

        This is the only way a key becomes trusted: it is the practitioner's signed statement,
        saying how and when, appended to the audit trail. Returns the event's uid.

        Raises:
            NotFoundError: there is no such person.
        """
        with self.db.transaction() as session:
            return self._confirm(session, person_uid, identity, method, utc_now())

    def _confirm(
        self,
        session: Session,
        person_uid: str,
        identity: PublicIdentity,
        method: ConfirmMethod,
        now: datetime,
    ) -> str:
        person = repo.find(session, RecordKind.PERSON, person_uid)
        if not isinstance(person, Person):
            raise NotFoundError("There is no such person in this logbook.")
        sr.remember_signer(session, identity, now=now, source="confirmation")
        return st.confirm_key(session, self.db.logbook_id, person, identity, method, now)

    def practitioner(self) -> Practitioner:
        """Whom this logbook's signatures must be for: its practitioner and their key."""
        with self.db.reading() as session:
            return st.practitioner(session)

    def people_who_could_sign(self, targets: Sequence[Target], signer_name: str) -> list[Person]:
        """People a signer's key may be pinned to: the supervisor recorded on ``targets`` who
        bears the signer's name first, then everyone else, by name."""
        with self.db.reading() as session:
            likely = st.person_for_signer(session, targets, signer_name)
            people = [
                p
                for p in repo.query(session, RecordQuery(RecordKind.PERSON, limit=None))
                if isinstance(p, Person)
            ]
        people.sort(key=lambda p: (likely is None or p.uid != likely.uid, p.name.casefold()))
        return people

    # --- signing on this computer ----------------------------------------------------------

    def sign(
        self,
        targets: Sequence[Target],
        identity: SealedIdentity,
        passphrase: str,
        *,
        mode: SignoffMode = SignoffMode.IN_PERSON,
        batch_label: str = "",
        cosign_reason: str = "",
        confirm_for: str | None = None,
    ) -> SignResult:
        """Sign entries (or period summaries) here, with the supervisor present.

        The identity's private key is unlocked in memory for this call only; it is never
        stored in this logbook. The content signed is the content stored now, which must be
        the revision the supervisor reviewed. The signature names this practitioner and
        logbook.

        Args:
            cosign_reason: Why someone other than the recorded supervisor signs; it is signed.
            confirm_for: A person's uid: the supervisor compared their fingerprint on their own
                screen with the practitioner just now, so their key is pinned to that person
                (in the same transaction, before signing).

        Raises:
            WrongPassphraseError: nothing was signed.
            ConflictError: an entry changed since it was shown; nothing was signed.
            FutureEntryError: an entry is dated after today; nothing was signed.
            SignerNotSupervisorError: the signer is not the supervisor recorded on an entry.
        """
        if not targets:
            raise LogbookError("Choose at least one entry to sign.")
        if mode in (SignoffMode.REMOTE, SignoffMode.PAPER):
            raise ValueError("remote and paper sign-off have their own use cases")
        _refuse_future(targets)
        unlocked = identity.unlock(passphrase)
        now = utc_now()
        reason = cosign_reason.strip()
        batch_uid = str(uuid.uuid4()) if mode is SignoffMode.BATCH or len(targets) > 1 else None
        with self.db.transaction() as session:
            signables = [self._stored_signable(session, t) for t in targets]
            if confirm_for:
                self._confirm(session, confirm_for, unlocked.public, ConfirmMethod.IN_PERSON, now)
            if not reason:
                self._refuse_other_signer(session, targets, unlocked.public.name, unlocked.public)
            bound = st.binding(session, self.db.logbook_id)
            receipted: list[ReceiptItem] = []
            for signable in signables:
                payload = signature_payload(
                    signable,
                    unlocked.public,
                    now,
                    mode,
                    batch_label,
                    binding=bound,
                    cosign_reason=reason,
                )
                signature = unlocked.sign(payload)
                receipted.append(_receipt_item(signable, payload, signature))
                self._attach_signature(
                    session,
                    signable,
                    payload,
                    signature,
                    unlocked.public,
                    now,
                    mode,
                    batch_uid=batch_uid,
                    batch_label=batch_label,
                )
            sr.refresh_status(session, [s.uid for s in signables])
            # Seen, not trusted: a key made on this computer in someone's name proves nothing.
            sr.remember_signer(session, unlocked.public, now=now, source=mode.value)
        receipt = receipt_document(
            uid=str(uuid.uuid4()),
            created_at=now,
            practitioner=bound,
            signer=unlocked,
            items=receipted,
        )
        return SignResult(unlocked.public, tuple(s.uid for s in signables), batch_uid, receipt)

    def save_receipt(self, result: SignResult, path: Path) -> None:
        """Write the receipt of a signing for the supervisor to keep (their USB stick, say).

        Raises:
            LogbookError: the file cannot be written.
        """
        write_json_file(Path(path), dict(result.receipt))

    def _refuse_other_signer(
        self,
        session: Session,
        targets: Sequence[Target],
        name: str,
        identity: PublicIdentity | None,
    ) -> None:
        fingerprint = identity.fingerprint if identity else None
        problems = st.signer_problems(session, targets, name, fingerprint, self._trust(session))
        if problems:
            raise st.SignerNotSupervisorError(problems)

    def batch_candidates(
        self, kind: RecordKind, period: Period, subtypes: Iterable[str] = ()
    ) -> list[tuple[Record, SignoffState]]:
        """The entries of a batch ("all supervision in March 2026") with their states."""
        query = RecordQuery(
            kind, period=period, subtypes=frozenset(subtypes), limit=None, descending=False
        )
        with self.db.reading() as session:
            rows = repo.query(session, query)
            assessed = self._assess(session, rows)
        return [(r, assessed[r.uid].state) for r in rows]

    def sign_batch(
        self,
        kind: RecordKind,
        period: Period,
        identity: SealedIdentity,
        passphrase: str,
        *,
        subtypes: Iterable[str] = (),
        label: str = "",
        cosign_reason: str = "",
    ) -> SignResult:
        """Sign every entry of a kind in a period that is not already verified, as one batch.

        Raises:
            LogbookError: there is nothing to sign in that period.
        """
        chosen = list(subtypes)
        todo = [
            r
            for r, state in self.batch_candidates(kind, period, chosen)
            if state is not SignoffState.VERIFIED
        ]
        if not todo:
            raise LogbookError(
                f"There is no {kind.label.lower()} to sign in {period.describe()} "
                "(entries already signed are left as they are)."
            )
        label = label or batch_label(kind, period, chosen)
        return self.sign(
            todo,
            identity,
            passphrase,
            mode=SignoffMode.BATCH,
            batch_label=label,
            cosign_reason=cosign_reason,
        )

    def _stored_signable(self, session: Session, target: Target) -> Signable:
        if isinstance(target, PeriodSummary):
            stored_summary = sr.summary(session, target.uid)
            if stored_summary is None:
                raise NotFoundError("This period summary is no longer in the logbook.")
            return signable_summary(stored_summary)
        if target.kind not in SIGNABLE_KINDS:
            raise LogbookError(f"{target.kind.label} records are not signed off.")
        stored = repo.get(session, target.kind, target.uid)
        if stored.revision != target.revision:
            raise ConflictError(
                f"{describe_content(_current_content(stored))} changed while it was being "
                "reviewed (it is now at revision "
                f"{stored.revision}). Review it again; nothing was signed."
            )
        return signable_record(stored, st.contexts(session, [stored])[stored.uid])

    def _attach_signature(
        self,
        session: Session,
        signable: Signable,
        payload: bytes,
        signature: bytes,
        signer: PublicIdentity,
        now: datetime,
        mode: SignoffMode,
        *,
        request_uid: str | None = None,
        batch_uid: str | None = None,
        batch_label: str = "",
    ) -> None:
        sr.save_snapshot(
            session,
            content_sha256=signable.digest,
            target_kind=signable.target_kind,
            target_uid=signable.uid,
            target_revision=signable.revision,
            content=_canonical(signable),
            captured_at=now,
        )
        sr.append_event(
            session,
            EventType.SIGNED,
            target_kind=signable.target_kind,
            target_uid=signable.uid,
            target_revision=signable.revision,
            content_sha256=signable.digest,
            occurred_at=now,
            mode=mode,
            actor_name=signer.name,
            fingerprint=signer.fingerprint,
            payload=payload.decode("utf-8"),
            signature=b64(signature),
            request_uid=request_uid,
            batch_uid=batch_uid,
            batch_label=batch_label,
            refresh=False,
        )

    # --- period summaries ------------------------------------------------------------------

    def create_summary(
        self,
        kind: RecordKind,
        period: Period,
        *,
        subtypes: Iterable[str] = (),
        statement: str = "",
    ) -> PeriodSummary:
        """Total a kind over a period and keep the statement for signing.

        Raises:
            ValidationError: the period is open-ended or has no entries.
        """
        if period.start is None or period.end is None:
            raise ValidationError([], "A period summary needs a first and a last date")
        if period.end >= date.today():
            raise ValidationError(
                [],
                f"A period summary covers days that are over: {period.end:%d %b %Y} is not "
                "over yet; end the period yesterday or earlier",
            )
        chosen = tuple(sorted(subtypes))
        with self.db.transaction() as session:
            total = repo.summarise(
                session, RecordQuery(kind, period=period, subtypes=frozenset(chosen))
            )
            if total.count == 0:
                raise ValidationError(
                    [], f"There is no {kind.label.lower()} in {period.describe()} to summarise"
                )
            summary = PeriodSummary(
                uid=str(uuid.uuid4()),
                created_at=utc_now(),
                record_kind=kind,
                period=period,
                subtypes=chosen,
                count=total.count,
                minutes=total.minutes,
                statement=statement.strip()
                or default_summary_statement(kind, period, total.minutes, total.count, chosen),
            )
            sr.add_summary(session, summary)
        return summary

    def summaries(self) -> list[PeriodSummary]:
        with self.db.reading() as session:
            return sr.summaries(session)

    # --- remote: the practitioner's request ------------------------------------------------

    def create_request(
        self,
        targets: Sequence[Target],
        path: Path,
        *,
        supervisor: PublicIdentity | None = None,
        supervisor_name: str = "",
        message: str = "",
        allow_private: bool = False,
        cosign_reason: str = "",
        allow_identifiers: bool = False,
    ) -> SignoffRequest:
        """Write a request file for a supervisor and mark its entries as awaiting sign-off.

        Private reflections are never put in the file. A reflective account marked private is
        included only with ``allow_private``. Text that may identify a client (in the entries
        or the message) is refused unless it was kept on the entry before or
        ``allow_identifiers`` keeps it now (recorded on the entry).

        Raises:
            ValidationError: nothing chosen, no supervisor named, or a private account chosen.
            FutureEntryError: an entry is dated after today.
            SignerNotSupervisorError: the request is for someone other than the supervisor
                recorded on an entry, and no co-signing reason is given.
            LogbookError: the file cannot be written (nothing is marked as awaiting then).
            IdentifiersFoundError: text may identify a client; no file was written.
        """
        name = (supervisor.name if supervisor else supervisor_name).strip()
        problems = []
        if not targets:
            problems.append("choose at least one entry")
        if not name:
            problems.append("name the supervisor the request is for")
        private = [t for t in targets if isinstance(t, ReflectiveAccount) and t.private]
        if private and not allow_private:
            titles = ", ".join(f"'{t.title}'" for t in private)
            problems.append(
                f"the reflective account(s) {titles} are private; confirm that the supervisor "
                "may read them, or leave them out"
            )
        if problems:
            raise ValidationError([_problem(p) for p in problems], "The request was not created")
        _refuse_future(targets)
        reason = cosign_reason.strip()
        now = utc_now()
        request_uid = str(uuid.uuid4())
        target = Path(path)
        written = False
        try:
            with self.db.transaction() as session:
                if not reason:
                    self._refuse_other_signer(session, targets, name, supervisor)
                items = []
                for t in targets:
                    signable = self._stored_signable(session, t)
                    items.append(
                        RequestItem(
                            signable.target_kind,
                            signable.uid,
                            signable.revision,
                            dict(signable.content),
                            dict(signable.context),
                            signable.digest,
                        )
                    )
                _screen_request(session, items, message, allow_identifiers)
                document = request_document(
                    uid=request_uid,
                    logbook_id=self.db.logbook_id,
                    created_at=now,
                    practitioner=st.practitioner(session),
                    supervisor_name=name,
                    supervisor_fingerprint=supervisor.fingerprint if supervisor else None,
                    message=message.strip(),
                    items=items,
                    cosign_reason=reason,
                )
                request = parse_request(document, target.name)
                sr.add_request(
                    session,
                    _stored(request, SENT, OPEN, document_text(document), received_at=None),
                )
                for item in items:
                    sr.append_event(
                        session,
                        EventType.REQUESTED,
                        target_kind=item.target_kind,
                        target_uid=item.uid,
                        target_revision=item.revision,
                        content_sha256=item.content_sha256,
                        occurred_at=now,
                        mode=SignoffMode.REMOTE,
                        actor_name=name,
                        fingerprint=supervisor.fingerprint if supervisor else "",
                        request_uid=request_uid,
                        refresh=False,
                    )
                sr.refresh_status(session, [i.uid for i in items])
                if supervisor is not None:
                    sr.remember_signer(session, supervisor, now=now, source="request")
                # Written last, inside the transaction: if writing fails, nothing is recorded.
                write_json_file(target, document)
                written = True
        except BaseException:
            # The commit failed after the file was written: leave no orphan request behind.
            if written:
                target.unlink(missing_ok=True)
            raise
        return request

    def sent_requests(self) -> list[SentRequest]:
        with self.db.reading() as session:
            return [SentRequest(r) for r in sr.requests(session, SENT)]

    def request_items(self, request_uid: str) -> list[RequestItem]:
        """The entries of a request sent from this logbook, as they were sent."""
        with self.db.reading() as session:
            stored = sr.request(session, request_uid)
        if stored is None:
            raise NotFoundError("No such request in this logbook.")
        return list(_parse_stored(stored).items)

    # --- remote: the supervisor's inbox ----------------------------------------------------

    def open_request(self, path: Path) -> InboxEntry:
        """Check a request file and put it in this logbook's sign-off inbox.

        Raises:
            SignoffFileError: the file is damaged, altered, not a request, or was sent from
                this very logbook.
        """
        request = read_request(Path(path))
        if request.logbook_id == self.db.logbook_id:
            raise SignoffFileError(
                f"{Path(path).name} was created by this logbook. Send it to the supervisor, "
                "who opens it in their own copy of Practice Logbook."
            )
        now = utc_now()
        with self.db.transaction() as session:
            existing = sr.request(session, request.uid)
            if existing is not None:
                if existing.direction != RECEIVED or existing.document_sha256 != request.integrity:
                    raise SignoffFileError(
                        f"{Path(path).name} has the id of another request already in this "
                        "logbook. Nothing was changed."
                    )
                return _inbox_entry(existing)
            stored = _stored(
                request, RECEIVED, OPEN, document_text(request.document), received_at=now
            )
            sr.add_request(session, stored)
        return _inbox_entry(stored)

    def inbox(self) -> list[InboxEntry]:
        with self.db.reading() as session:
            return [_inbox_entry(r) for r in sr.requests(session, RECEIVED)]

    def inbox_entry(self, request_uid: str) -> InboxEntry:
        with self.db.reading() as session:
            stored = sr.request(session, request_uid)
        if stored is None or stored.direction != RECEIVED:
            raise NotFoundError("That request is not in this inbox.")
        return _inbox_entry(stored)

    def respond(
        self,
        request_uid: str,
        decisions: Mapping[str, Decision],
        identity: SealedIdentity,
        passphrase: str,
        path: Path,
        *,
        message: str = "",
    ) -> SignoffResponse:
        """Sign or return each entry of a received request and write the response file.

        Raises:
            ValidationError: an entry has no decision, or is returned without a comment.
            WrongPassphraseError: nothing was signed or written.
            SignoffFileError: the request was already answered.
        """
        entry = self.inbox_entry(request_uid)
        request = entry.request
        if entry.status == RESPONDED:
            raise SignoffFileError(
                f"You answered this request on {entry.responded_at:%d %b %Y}. Save that "
                "response again instead of signing twice."
            )
        problems = []
        for item in request.items:
            decision = decisions.get(item.uid)
            if decision is None:
                problems.append(_problem(f"{item.description}: sign it or return it"))
            elif not decision.sign and not decision.comment.strip():
                problems.append(_problem(f"{item.description}: say why it is returned (a comment)"))
        unknown = set(decisions) - {i.uid for i in request.items}
        if unknown:
            problems.append(_problem("decisions were given for entries not in the request"))
        if problems:
            raise ValidationError(problems, "The response was not written")
        unlocked = identity.unlock(passphrase)
        now = utc_now()
        signed: list[SignedItem] = []
        returned: list[ReturnedItem] = []
        for item in request.items:
            decision = decisions[item.uid]
            if decision.sign:
                payload = signature_payload(
                    item.signable(),
                    unlocked.public,
                    now,
                    SignoffMode.REMOTE,
                    binding=request.binding,
                    request_uid=request.uid,
                    cosign_reason=request.cosign_reason,
                )
                statement = _json_object(payload)
                signed.append(
                    SignedItem(
                        item.target_kind,
                        item.uid,
                        item.revision,
                        item.content_sha256,
                        statement,
                        unlocked.sign(payload),
                    )
                )
            else:
                returned_payload, signature = sign_action(
                    return_statement(
                        target={
                            "kind": item.target_kind,
                            "uid": item.uid,
                            "revision": item.revision,
                        },
                        content_sha256=item.content_sha256,
                        comment=decision.comment.strip(),
                        binding=request.binding,
                        request_uid=request.uid,
                        returned_at=now,
                    ),
                    unlocked,
                )
                returned.append(
                    ReturnedItem(
                        item.target_kind,
                        item.uid,
                        item.revision,
                        item.content_sha256,
                        decision.comment.strip(),
                        _json_object(returned_payload),
                        signature,
                    )
                )
        response_uid = str(uuid.uuid4())
        document = response_document(
            uid=response_uid,
            request=request,
            created_at=now,
            signer=unlocked,
            message=message.strip(),
            signed=signed,
            returned=returned,
        )
        with self.db.transaction() as session:
            contents = {i.uid: i.content for i in request.items}
            kept = [SignedByMe(s.payload, s.signature, contents[s.uid]) for s in signed]
            keep(session, kept, RESPONSE, now)
            sr.record_response(
                session,
                request_uid,
                status=RESPONDED,
                response_uid=response_uid,
                responded_at=now,
                response_document=document_text(document),
            )
            write_json_file(Path(path), document)
        return parse_response(document, Path(path).name)

    def save_response_again(self, request_uid: str, path: Path) -> None:
        """Write the response already given to a request to a new file (a lost email)."""
        with self.db.reading() as session:
            stored = sr.request(session, request_uid)
        if stored is None or not stored.response_document:
            raise NotFoundError("This request has not been answered yet.")
        write_json_file(Path(path), json.loads(stored.response_document))

    # --- remote: applying the response -----------------------------------------------------

    def review_response(self, path: Path) -> ResponseReview:
        """Check a response file completely without changing anything.

        Raises:
            SignoffFileError: the whole response is refused (another logbook, altered file,
                wrong key, already applied, …); the message says why.
        """
        response = read_response(Path(path))
        with self.db.reading() as session:
            return self._review(session, response, Path(path).name)

    def apply_response(
        self, path: Path, *, confirm_partial: bool = False, trust_signer: bool = False
    ) -> ApplyResult:
        """Attach the verified signatures of a response, and mark returned entries.

        ``trust_signer`` is the practitioner's word that they checked the supervisor's
        fingerprint with them (by phone, say): the key is then confirmed for the supervisor
        recorded on the entries, as a signed event of the audit trail.

        Raises:
            SignoffFileError: the response is refused as a whole; nothing was changed.
            UntrustedSignerError: the signer's key is new; confirm its fingerprint first.
            PartialResponseError: some entries were refused and ``confirm_partial`` is off;
                nothing was changed.
        """
        response = read_response(Path(path))
        now = utc_now()
        with self.db.transaction() as session:
            review = self._review(session, response, Path(path).name)
            if not review.signer_known and not trust_signer:
                raise UntrustedSignerError(response.supervisor)
            acceptable = len(review.to_sign) + len(review.to_return)
            if review.refused and not acceptable:
                reasons = "\n".join(f"  - {r.description}: {r.reason}" for r in review.refused)
                raise SignoffFileError(
                    f"No entry of this response can be accepted:\n{reasons}\nNothing was attached."
                )
            if review.refused and not confirm_partial:
                raise PartialResponseError(review.refused, acceptable)
            supervisor = response.supervisor
            if not review.signer_known:
                self._confirm_responder(session, review, now)
            for item, signed in review.to_sign:
                statement = read_payload(signed.payload)
                self._attach_signature(
                    session,
                    item.signable(),
                    signed.payload,
                    signed.signature,
                    supervisor,
                    now,
                    statement.mode,
                    request_uid=response.request_uid,
                )
            for item, back in review.to_return:
                sr.append_event(
                    session,
                    EventType.RETURNED,
                    payload=back.payload.decode("utf-8"),
                    signature=b64(back.signature),
                    target_kind=item.target_kind,
                    target_uid=item.uid,
                    target_revision=item.revision,
                    content_sha256=item.content_sha256,
                    occurred_at=now,
                    mode=SignoffMode.REMOTE,
                    actor_name=supervisor.name,
                    fingerprint=supervisor.fingerprint,
                    request_uid=response.request_uid,
                    comment=back.comment,
                    refresh=False,
                )
            sr.refresh_status(
                session, [i.uid for i, _ in review.to_sign] + [i.uid for i, _ in review.to_return]
            )
            sr.record_response(
                session,
                response.request_uid,
                status=ANSWERED,
                response_uid=response.uid,
                responded_at=now,
                response_document=document_text(response.document),
            )
            sr.remember_signer(session, supervisor, now=now, source="response")
        return ApplyResult(
            supervisor,
            tuple(i.uid for i, _ in review.to_sign),
            tuple(i.uid for i, _ in review.to_return),
            review.refused,
        )

    def _review(self, session: Session, response: SignoffResponse, source: str) -> ResponseReview:
        if response.logbook_id != self.db.logbook_id:
            raise SignoffFileError(
                f"{source} answers a request from another logbook, not this one. "
                "Nothing was attached. Apply it in the logbook that sent the request."
            )
        stored = sr.request(session, response.request_uid)
        if stored is None or stored.direction != SENT:
            raise SignoffFileError(
                f"{source} answers a request this logbook never sent. Nothing was attached."
            )
        if stored.response_uid == response.uid:
            raise SignoffFileError(
                f"{source} was already applied on {stored.responded_at:%d %b %Y at %H:%M} "
                "(UTC). Applying it again changes nothing, so it was refused."
            )
        if stored.status == ANSWERED or sr.request_answered_by(session, response.uid):
            raise SignoffFileError(
                f"{source} is an old answer: this request was already answered by another "
                f"response on {stored.responded_at:%d %b %Y}. Nothing was attached."
            )
        if response.request_sha256 != stored.document_sha256:
            raise SignoffFileError(
                f"{source} answers a different version of the request than the one this logbook "
                "sent. Nothing was attached."
            )
        supervisor = response.supervisor
        if not supervisor.verify(response.supervisor_signature, response.signed_body()):
            raise SignoffFileError(
                f"{source} is not signed by the supervisor it names (its signature does not "
                "match its content): it was altered. Nothing was attached."
            )
        expected = stored.supervisor_fingerprint
        if expected and supervisor.fingerprint != expected:
            raise SignoffFileError(
                f"{source} is signed by a key with fingerprint {supervisor.fingerprint}, but the "
                f"request was for {stored.supervisor_name} with fingerprint {expected}. "
                "Nothing was attached. If the supervisor has a new key, confirm it with them "
                "and send a new request."
            )
        trusted = self._trust(session)
        signer_known = supervisor.fingerprint in trusted.pins
        request = _parse_stored(stored)
        ours = trusted.binding
        current = self._current_digests(session, request.items)
        to_sign: list[tuple[RequestItem, SignedItem]] = []
        to_return: list[tuple[RequestItem, ReturnedItem]] = []
        refused: list[Refusal] = []
        answered: set[str] = set()
        for signed in response.signed:
            item = request.item(signed.uid)
            answered.add(signed.uid)
            if item is None:
                refused.append(Refusal(signed.uid, signed.uid, "it was not in the request"))
                continue
            reason = _refusal(item, signed.content_sha256, current.get(item.uid))
            if not reason:
                check = check_signature(
                    signed.payload,
                    signed.signature,
                    target_kind=item.target_kind,
                    target_uid=item.uid,
                    target_revision=item.revision,
                    content_sha256=item.content_sha256,
                    fingerprint=supervisor.fingerprint,
                )
                if not check.valid:
                    reason = f"its signature is not valid ({check.reason})"
                elif check.statement is not None:
                    reason = _statement_refusal(check.statement, ours, response.request_uid)
            if reason:
                refused.append(Refusal(item.uid, item.description, reason))
            else:
                to_sign.append((item, signed))
        for back in response.returned:
            item = request.item(back.uid)
            answered.add(back.uid)
            if item is None:
                refused.append(Refusal(back.uid, back.uid, "it was not in the request"))
                continue
            reason = _refusal(item, back.content_sha256, current.get(item.uid)) or (
                _return_refusal(back, supervisor, ours, response.request_uid)
            )
            if reason:
                refused.append(Refusal(item.uid, item.description, reason))
            else:
                to_return.append((item, back))
        cosigned = {s.uid for _, s in to_sign if _cosign_reason(s)}
        records = self._item_records(session, [i for i, s in to_sign if s.uid not in cosigned])
        wrong = st.signer_problems(
            session, records, supervisor.name, supervisor.fingerprint, trusted
        )
        refused.extend(
            Refusal(i.uid, i.description, f"{wrong[i.uid]}; it was not accepted")
            for i, _ in to_sign
            if i.uid in wrong
        )
        to_sign = [(i, s) for i, s in to_sign if i.uid not in wrong]
        return ResponseReview(
            response,
            stored,
            tuple(to_sign),
            tuple(to_return),
            tuple(refused),
            signer_known,
        )

    def _item_records(self, session: Session, items: Sequence[RequestItem]) -> list[Record]:
        """The records (not period summaries) that request items are about, as they are now."""
        by_kind: dict[str, list[str]] = {}
        for item in items:
            if item.target_kind != PERIOD_SUMMARY:
                by_kind.setdefault(item.target_kind, []).append(item.uid)
        return [
            record
            for kind, uids in by_kind.items()
            for record in sr.records_by_uid(session, RecordKind(kind), uids).values()
        ]

    def _confirm_responder(self, session: Session, review: ResponseReview, now: datetime) -> None:
        """Pin a response's key to the supervisor it answers for, on the practitioner's word."""
        signer = review.supervisor
        items = [i for i, _ in review.to_sign] + [i for i, _ in review.to_return]
        person = st.person_for_signer(session, self._item_records(session, items), signer.name)
        if person is None:
            raise SignoffFileError(
                f"{signer.name} is not a person in this logbook, so their key cannot be "
                "confirmed for anyone. Add them under People (or correct the name) and apply "
                "the response again. Nothing was attached."
            )
        self._confirm(session, person.uid, signer, ConfirmMethod.PHONE, now)

    def _current_digests(
        self, session: Session, items: Sequence[RequestItem]
    ) -> dict[str, tuple[int, str] | None]:
        """Revision and digest of each requested entry now (None when it was deleted)."""
        found: dict[str, tuple[int, str] | None] = {}
        by_kind: dict[str, list[str]] = {}
        for item in items:
            by_kind.setdefault(item.target_kind, []).append(item.uid)
        for kind, uids in by_kind.items():
            if kind == PERIOD_SUMMARY:
                for s in sr.summaries(session, uids):
                    found[s.uid] = (s.revision, signable_summary(s).digest)
                continue
            records = sr.records_by_uid(session, RecordKind(kind), uids)
            for uid, record in records.items():
                found[uid] = (record.revision, signable_record(record).digest)
        return {item.uid: found.get(item.uid) for item in items}

    # --- paper evidence --------------------------------------------------------------------

    def attach_paper(
        self,
        targets: Sequence[Record],
        pdf: Path,
        *,
        signer_name: str,
        signed_on: date | None = None,
        note: str = "",
    ) -> list[str]:
        """Attach a scanned or e-signed PDF as evidence, kept with its SHA-256.

        It is labelled unverified everywhere: the app cannot check a picture of a signature.

        Raises:
            ValidationError: no entries, no signer named, or the file is not a PDF.
        """
        path = Path(pdf)
        problems = []
        if not targets:
            problems.append(_problem("choose at least one entry"))
        if not signer_name.strip():
            problems.append(_problem("name the person who signed the paper"))
        data = b""
        try:
            if path.stat().st_size > MAX_PAPER_BYTES:
                problems.append(_problem(f"{path.name} is larger than 50 MB", "file"))
            else:
                data = path.read_bytes()
        except OSError as error:
            problems.append(_problem(f"{path} cannot be read: {error.strerror or error}", "file"))
        if data and not (path.suffix.lower() == ".pdf" and filetypes.sniff(data) == "pdf"):
            problems.append(_problem(f"{path.name} is not a PDF file", "file"))
        if problems:
            raise ValidationError(problems, "The paper evidence was not attached")
        sha = hashlib.sha256(data).hexdigest()
        now = utc_now()
        note_text = note.strip()
        if signed_on:
            note_text = f"Signed on paper on {signed_on:%d %b %Y}. {note_text}".strip()
        batch_uid = str(uuid.uuid4()) if len(targets) > 1 else None
        events = []
        with self.db.transaction() as session:
            repo.store_blob(session, sha, data)
            for target in targets:
                signable = self._stored_signable(session, target)
                attachment = Attachment(
                    owner_uid=target.uid,
                    filename=path.name,
                    media_type="application/pdf",
                    size=len(data),
                    sha256=sha,
                    label=PAPER_LABEL,
                )
                repo.insert(session, attachment)
                events.append(
                    sr.append_event(
                        session,
                        EventType.PAPER,
                        target_kind=signable.target_kind,
                        target_uid=signable.uid,
                        target_revision=signable.revision,
                        content_sha256=signable.digest,
                        occurred_at=now,
                        mode=SignoffMode.PAPER,
                        actor_name=signer_name.strip(),
                        batch_uid=batch_uid,
                        comment=note_text,
                        attachment_uid=attachment.uid,
                        refresh=False,
                    )
                )
            sr.refresh_status(session, [t.uid for t in targets])
        return events

    # --- revocation ------------------------------------------------------------------------

    def revoke(self, event_uid: str, reason: str, *, by: str = "") -> str:
        """Revoke a signature or paper evidence; the event stays, with the revocation after it.

        Raises:
            ValidationError: no reason given.
            NotFoundError / ConflictError: no such signature, or it is already revoked.
        """
        if not reason.strip():
            raise ValidationError([_problem("say why it is revoked", "reason")], "Not revoked")
        with self.db.transaction() as session:
            found = sr.event(session, event_uid)
            if found is None or found.event_type not in (EventType.SIGNED, EventType.PAPER):
                raise NotFoundError("There is no such signature in this logbook.")
            history = sr.events_for(session, [found.target_uid]).get(found.target_uid, [])
            if any(e.event_type is EventType.REVOKED and e.refers_to == event_uid for e in history):
                raise ConflictError("This signature was already revoked.")
            now = utc_now()
            # The practitioner withdraws it from their record, and signs that they did.
            signer = st.practitioner_signer(session)
            payload, signature = sign_action(
                revocation_statement(
                    revokes=event_uid,
                    target={
                        "kind": found.target_kind,
                        "uid": found.target_uid,
                        "revision": found.target_revision,
                    },
                    reason=reason.strip(),
                    requested_by=by.strip(),
                    binding=st.binding(session, self.db.logbook_id),
                    revoked_at=now,
                ),
                signer,
            )
            return sr.append_event(
                session,
                EventType.REVOKED,
                target_kind=found.target_kind,
                target_uid=found.target_uid,
                target_revision=found.target_revision,
                content_sha256=found.content_sha256,
                occurred_at=now,
                actor_name=by.strip() or signer.public.name,
                fingerprint=signer.public.fingerprint,
                payload=payload.decode("utf-8"),
                signature=b64(signature),
                refers_to=event_uid,
                comment=reason.strip(),
            )

    # --- verification and evidence ---------------------------------------------------------

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
            currents = self._currents(session, list(targets.values()))
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
                assessment = self._assess_one(session, target, events, trusted, currents[uid])
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
        data = read_export_head(Path(export))  # read in pieces: an export may be large
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
        wanted = list(dict.fromkeys(uids))
        result: list[SignoffEvidence] = []
        with self.db.reading() as session:
            grouped = sr.events_for(session, wanted)
            targets = self._load_targets(session, grouped)
            trusted = self._trust(session)
            currents = self._currents(session, list(targets.values()))
            for uid in wanted:
                events = grouped.get(uid)
                target = targets.get(uid)
                if not events or target is None:
                    continue
                assessment = self._assess_one(session, target, events, trusted, currents[uid])
                current = _current_digest(target)
                for e, check in assessment.signatures:
                    found = _evidence(e, check, current, assessment, trusted)
                    # Signed for someone else: not evidence of anything in this portfolio.
                    if found.state is not SignoffState.FOREIGN:
                        result.append(found)
                for e in assessment.paper:
                    result.append(_paper_evidence(session, e, target))
        result.sort(key=lambda ev: (ev.signed_at, ev.target_uid))
        return result

    def summary_records(self, summary: PeriodSummary) -> list[Record]:
        """The entries a period summary totals."""
        query = _summary_query(summary)
        with self.db.reading() as session:
            return repo.query(session, query.page(0, None))


# --- helpers -----------------------------------------------------------------------------------


def batch_label(kind: RecordKind, period: Period, subtypes: Sequence[str] = ()) -> str:
    """E.g. "All supervision in 01 Mar 2026 – 31 Mar 2026"."""
    what = kind.label.lower()
    if subtypes:
        what += " (" + ", ".join(s.replace("_", " ") for s in sorted(subtypes)) + ")"
    return f"All {what} in {period.describe()}"


def document_text(document: Mapping[str, object]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def _json_object(payload: bytes) -> dict[str, object]:
    value = json.loads(payload)
    if not isinstance(value, dict):
        raise TypeError("a signature statement is a JSON object")
    return value


def _canonical(signable: Signable) -> bytes:
    return canonical(signable.content)


def _current_content(target: Target) -> dict[str, object]:
    if isinstance(target, PeriodSummary):
        return dict(signable_summary(target).content)
    return dict(signable_record(target).content)


def _current_digest(target: Target) -> str:
    return digest(_current_content(target))


def _summary_query(summary: PeriodSummary) -> RecordQuery:
    return RecordQuery(
        summary.record_kind,
        period=summary.period,
        subtypes=frozenset(summary.subtypes),
        limit=None,
    )


def _problem(message: str, where: str = "") -> Problem:
    return Problem(where, message)


def _stored(
    request: SignoffRequest,
    direction: str,
    status: str,
    document: str,
    *,
    received_at: datetime | None,
) -> StoredRequest:
    return StoredRequest(
        uid=request.uid,
        direction=direction,
        created_at=request.created_at,
        received_at=received_at,
        status=status,
        logbook_id=request.logbook_id,
        practitioner_name=request.practitioner.name,
        supervisor_name=request.supervisor_name,
        supervisor_fingerprint=request.supervisor_fingerprint,
        message=request.message,
        item_count=len(request.items),
        document_sha256=request.integrity,
        document=document,
        response_uid=None,
        responded_at=None,
        response_document="",
    )


def _parse_stored(stored: StoredRequest) -> SignoffRequest:
    return parse_request(json.loads(stored.document), "the stored request")


def _inbox_entry(stored: StoredRequest) -> InboxEntry:
    return InboxEntry(_parse_stored(stored), stored.received_at, stored.status, stored.responded_at)


def _refusal(item: RequestItem, answered_digest: str, now: tuple[int, str] | None) -> str:
    if answered_digest != item.content_sha256:
        return "the response answers different content than the request asked about"
    if now is None:
        return "the entry is no longer in the logbook"
    revision, current = now
    if current != item.content_sha256:
        return (
            f"it changed since the request was sent (revision {item.revision} was sent, it is "
            f"now revision {revision}); send a new request for it"
        )
    return ""


def _signature_info(
    event: SignoffEvent, check: SignatureCheck, known: set[str], found: Verdict | None
) -> SignatureInfo:
    statement = check.statement
    signer = statement.signer if statement else None
    return SignatureInfo(
        event_uid=event.uid,
        signer_name=signer.name if signer else event.actor_name,
        registration=signer.registration if signer else "",
        organisation=signer.organisation if signer else "",
        fingerprint=signer.fingerprint if signer else event.fingerprint,
        signed_at=statement.signed_at if statement else event.occurred_at,
        mode=statement.mode if statement else (event.mode or SignoffMode.IN_PERSON),
        revision=event.target_revision,
        valid=check.valid,
        reason=check.reason,
        batch=event.batch_label,
        known=(signer.fingerprint if signer else event.fingerprint) in known,
        proves=found.state if found else None,
        proves_reason=found.reason if found else "",
        cosign_reason=statement.cosign_reason if statement else "",
        signed_for=statement.binding.practitioner if statement and statement.binding else "",
    )


def _paper_info(event: SignoffEvent) -> SignatureInfo:
    return SignatureInfo(
        event_uid=event.uid,
        signer_name=event.actor_name,
        registration="",
        organisation="",
        fingerprint="",
        signed_at=event.occurred_at,
        mode=SignoffMode.PAPER,
        revision=event.target_revision,
        valid=False,
        reason="paper evidence cannot be verified by the app",
        batch=event.batch_label,
        attachment_uid=event.attachment_uid,
    )


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
        cosign_reason=statement.cosign_reason if statement else "",
    )


def _confirmation_text(trusted: Trust, fingerprint: str) -> str:
    pin = trusted.pins.get(fingerprint)
    if pin is None:
        return "key not confirmed"
    return f"confirmed {pin.method.briefly}, {pin.confirmed_at:%d %b %Y}"


def _paper_evidence(session: Session, event: SignoffEvent, target: Target) -> SignoffEvidence:
    attachment = (
        repo.find(session, RecordKind.ATTACHMENT, event.attachment_uid)
        if event.attachment_uid
        else None
    )
    content = _current_content(target)
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
    )


def _screen_request(
    session: Session, items: Sequence[RequestItem], message: str, allow: bool
) -> None:
    """A request leaves the computer: refuse client identifiers in what it carries (the
    entries' content and the cover message) unless kept.

    Raises:
        IdentifiersFoundError: something was found and ``allow`` is false.
    """
    screening = Screening(Door.REQUEST, allow)
    kept = allowances.fingerprints(session, [i.uid for i in items])
    for item in items:
        texts = content_texts(item.target_kind, item.content)
        screening.check_texts(item.uid, texts, kept, source=item.description)
    if not allow:
        for name, text in describe_findings(
            FieldFinding("message", w) for w in find_identifiers(message)
        ):
            screening.findings.append(Problem(name, text))
    screening.refuse_if_found("The request was not created")
    screening.save(session)


def _refuse_future(targets: Sequence[Target]) -> None:
    problems = st.future_problems(targets, date.today())
    if problems:
        raise st.FutureEntryError(problems)


def _cosign_reason(signed: SignedItem) -> str:
    reason = signed.statement.get("cosign_reason", "")
    return reason if isinstance(reason, str) else ""


def _statement_refusal(statement: SignedStatement, ours: Binding, request_uid: str) -> str:
    """Why a remote signature cannot be attached here, or ""."""
    if statement.mode is not SignoffMode.REMOTE:
        return "its signature was not made for a remote sign-off"
    if statement.binding is None or not statement.binding.same_owner(ours):
        return "its signature was made for another practitioner's logbook"
    if statement.request_uid != request_uid:
        return "its signature answers another request"
    return ""


def _return_refusal(
    back: ReturnedItem, supervisor: PublicIdentity, ours: Binding, request_uid: str
) -> str:
    """Why a returned entry's signed statement cannot be accepted here, or ""."""
    checked = check_action(back.payload.decode("utf-8"), b64(back.signature), RETURN_FORMAT)
    data = checked.statement or {}
    if not checked.valid or checked.signer is None:
        return f"the supervisor's statement returning it is not valid ({checked.reason})"
    if checked.signer.fingerprint != supervisor.fingerprint:
        return "it was returned by another key than the one that signed the response"
    try:
        made_for = Binding.from_json(data.get("for"))
    except ValueError:
        return "the return does not say whom it is for"
    target = data.get("target")
    expected = {"kind": back.target_kind, "uid": back.uid, "revision": back.revision}
    if not made_for.same_owner(ours) or data.get("request") != request_uid:
        return "it was returned for another practitioner's request"
    if target != expected or data.get("content_sha256") != back.content_sha256:
        return "the return is about another entry"
    if data.get("comment") != back.comment:
        return "the comment differs from the one the supervisor signed"
    return ""


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


def _receipt_item(signable: Signable, payload: bytes, signature: bytes) -> ReceiptItem:
    return ReceiptItem(
        signable.target_kind,
        signable.uid,
        signable.revision,
        signable.digest,
        _json_object(payload),
        signature,
        dict(signable.content),
    )
