"""Reading sign-off: the checked state of each entry, why, and what changed since it was signed.

Signatures are checked whenever a state is shown, so a record altered behind the app's back
never shows as signed. The other parts of sign-off check states through this one, inside
their own transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from logbook.domain.audit import Trust
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Record, RecordKind, entry_date
from logbook.domain.signing import (
    SIGNABLE_KINDS,
    Assessment,
    Current,
    FieldChange,
    PeriodSummary,
    SignatureCheck,
    SignoffEvent,
    Verdict,
    assess,
    describe_record,
    diff,
    digest_bytes,
    record_digest,
    signable_summary,
    summary_assessment,
)
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services.signoff import trust as st
from logbook.services.signoff.events import Target, current_content
from logbook.storage import repository as repo
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database, Session


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
    """Everything a record's sign-off panel shows: its checked state, each signature, what
    changed since the last valid one, and every sign-off event, oldest first."""

    target_uid: str
    assessment: Assessment
    signatures: tuple[SignatureInfo, ...]
    changes: tuple[FieldChange, ...]
    history: tuple[SignoffEvent, ...]

    @property
    def state(self) -> SignoffState:
        """The record's checked sign-off state, as lists show it."""
        return self.assessment.state


class SignoffStatus:
    """Checked sign-off states of one open logbook."""

    def __init__(self, db: Database) -> None:
        self.db = db
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
            return self.assess_in(session, targets)

    def assess_in(self, session: Session, targets: Sequence[Target]) -> dict[str, Assessment]:
        """As :meth:`assess`, inside a transaction or read the caller already has open."""
        events = sr.events_for(session, [t.uid for t in targets])
        signed = [t for t in targets if t.uid in events]
        trusted = self.trust_in(session) if signed else None
        currents = self.currents(session, signed)
        result: dict[str, Assessment] = {}
        for target in targets:
            mine = events.get(target.uid)
            if not mine or trusted is None:
                result[target.uid] = Assessment(SignoffState.UNSIGNED)
                continue
            result[target.uid] = self.assess_one(
                session, target, mine, trusted, currents[target.uid]
            )
        return result

    def assess_one(
        self,
        session: Session,
        target: Target,
        events: Sequence[SignoffEvent],
        trusted: Trust | None = None,
        current: Current | None = None,
    ) -> Assessment:
        """The state of one target from its sign-off ``events`` (oldest first), every
        signature verified; ``trusted`` and ``current`` are found when not given (pass them
        to check many targets at the cost of one)."""
        trusted = trusted or self.trust_in(session)
        current = current or self.currents(session, [target])[target.uid]
        if isinstance(target, PeriodSummary):
            found = assess(events, current, trusted)
            return summary_assessment(found, self._totals_match(session, target))
        if target.kind not in SIGNABLE_KINDS:
            return Assessment(SignoffState.UNSIGNED)
        return assess(events, current, trusted)

    def trust_in(self, session: Session) -> Trust:
        """Whom signatures must be for and which keys are confirmed, with any break in the
        sign-off history (while there is one, no signature verifies)."""
        problems = self._chain.problems(session, self.db.logbook_id)
        return st.trust(session, self.db.logbook_id, problems)

    def currents(self, session: Session, targets: Sequence[Target]) -> dict[str, Current]:
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
                assessed = self.assess_in(session, rows)
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
                self.assess_one(session, target, events)
                if events
                else Assessment(SignoffState.UNSIGNED)
            )
            known = set(self.trust_in(session).pins)
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
        current = current_content(target)
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
        """Every sign-off event of record or summary ``uid``, oldest first (none: unsigned)."""
        with self.db.reading() as session:
            return sr.events_for(session, [uid]).get(uid, [])

    def histories(self, uids: Iterable[str]) -> dict[str, list[SignoffEvent]]:
        """Every sign-off event of each of ``uids``, oldest first (those with none left out)."""
        with self.db.reading() as session:
            return sr.events_for(session, uids)

    def summary_records(self, summary: PeriodSummary) -> list[Record]:
        """The entries a period summary totals."""
        query = _summary_query(summary)
        with self.db.reading() as session:
            return repo.query(session, query.page(0, None))


def _summary_query(summary: PeriodSummary) -> RecordQuery:
    return RecordQuery(
        summary.record_kind,
        period=summary.period,
        subtypes=frozenset(summary.subtypes),
        limit=None,
    )


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
