"""Reading and appending sign-off events, snapshots, known signers, requests and summaries.

Events are only ever appended. Each append refreshes the record's row in ``signoff_status``
(what the events say, without checking signatures), which is what list filters use in SQL; the
state a list *shows* always comes from checking the signatures (see ``services/signoff/status.py``).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy import event as orm_event
from sqlalchemy.orm import InstrumentedAttribute, Session

from logbook.domain.audit import ChainHead, ChainLink, Origin, link_hash
from logbook.domain.catalogue import KINDS
from logbook.domain.errors import StorageError
from logbook.domain.identity import PublicIdentity, UnlockedIdentity, b64, identity_from_seed, unb64
from logbook.domain.periods import Period
from logbook.domain.records import Record, RecordKind
from logbook.domain.signing import (
    EventType,
    PeriodSummary,
    SignoffEvent,
    recorded_status,
)
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.storage.models import (
    LogbookMeta,
    RecordRow,
    SignoffEventRow,
    SignoffIdentityRow,
    SignoffRequestRow,
    SignoffSnapshotRow,
    SignoffStatusRow,
    SignoffSummaryRow,
)
from logbook.storage.repository import ROWS, to_record

# SQLite accepts at most 32766 bound parameters; stay well below for IN lists.
CHUNK = 900


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# --- events ------------------------------------------------------------------------------------


def to_event(row: Any) -> SignoffEvent:
    """A sign-off event from its stored row; a mode or origin the app does not know is read as
    none and as imported, so it proves nothing."""
    mode = None
    if row.mode:
        try:
            mode = SignoffMode(row.mode)
        except ValueError:
            mode = None
    try:
        origin = Origin(row.origin)
    except ValueError:
        origin = Origin.IMPORTED  # an unknown origin proves nothing
    return SignoffEvent(
        seq=row.seq,
        uid=row.uid,
        event_type=EventType(row.event_type),
        target_kind=row.target_kind,
        target_uid=row.target_uid,
        target_revision=row.target_revision,
        content_sha256=row.content_sha256,
        occurred_at=row.occurred_at,
        mode=mode,
        actor_name=row.actor_name,
        fingerprint=row.fingerprint,
        payload=row.payload,
        signature=row.signature,
        request_uid=row.request_uid,
        batch_uid=row.batch_uid,
        batch_label=row.batch_label,
        refers_to=row.refers_to,
        comment=row.comment,
        attachment_uid=row.attachment_uid,
        origin=origin,
        chain_prev=row.chain_prev,
        chain_hash=row.chain_hash,
    )


def append_event(
    session: Session,
    event_type: EventType,
    *,
    target_kind: str,
    target_uid: str,
    target_revision: int,
    occurred_at: datetime,
    content_sha256: str = "",
    mode: SignoffMode | None = None,
    actor_name: str = "",
    fingerprint: str = "",
    payload: str = "",
    signature: str = "",
    request_uid: str | None = None,
    batch_uid: str | None = None,
    batch_label: str = "",
    refers_to: str | None = None,
    comment: str = "",
    attachment_uid: str | None = None,
    origin: Origin = Origin.HERE,
    uid: str | None = None,
    refresh: bool = True,
) -> str:
    """Append one event to the audit chain, sign the new head, and bring the target's recorded
    status up to date; returns the event's uid."""
    event = SignoffEvent(
        seq=0,
        uid=uid or str(uuid.uuid4()),
        event_type=event_type,
        target_kind=target_kind,
        target_uid=target_uid,
        target_revision=target_revision,
        content_sha256=content_sha256,
        occurred_at=occurred_at,
        mode=mode,
        actor_name=actor_name,
        fingerprint=fingerprint,
        payload=payload,
        signature=signature,
        request_uid=request_uid,
        batch_uid=batch_uid,
        batch_label=batch_label,
        refers_to=refers_to,
        comment=comment,
        attachment_uid=attachment_uid,
        origin=origin,
    )
    count, prev = _chain_tail(session)
    fields = event.chained()
    link = link_hash(prev, fields)
    session.add(
        SignoffEventRow(**{**fields, "occurred_at": occurred_at}, chain_prev=prev, chain_hash=link)
    )
    session.info[_TAIL] = (count + 1, link)
    if refresh and event_type is not EventType.KEY_CONFIRMED:
        session.flush()
        refresh_status(session, [target_uid])
    return event.uid


# --- the audit chain ---------------------------------------------------------------------------

PRACTITIONER_KEY = "practitioner_key"
CHAIN_HEAD = "signoff_chain_head"


def _meta(session: Session, key: str) -> str | None:
    return session.scalar(select(LogbookMeta.value).where(LogbookMeta.key == key))


def _set_meta(session: Session, key: str, value: str) -> None:
    session.merge(LogbookMeta(key=key, value=value))


def practitioner_key(session: Session, name: str = "") -> UnlockedIdentity:
    """This logbook's practitioner key (made with the logbook; never exported)."""
    seed = _meta(session, PRACTITIONER_KEY)
    if seed is None:
        raise StorageError("the logbook has no practitioner key; it may be damaged")
    return identity_from_seed(unb64(seed, "the practitioner key"), name)


def chain_head(session: Session) -> ChainHead | None:
    """The signed head of the audit chain as recorded (None when there is none)."""
    text = _meta(session, CHAIN_HEAD)
    if text is None:
        return None
    try:
        return ChainHead.from_json(json.loads(text))
    except (ValueError, json.JSONDecodeError):
        return ChainHead(-1, "")


def _store_head(session: Session, head: ChainHead) -> None:
    logbook_id = _meta(session, "logbook_id") or ""
    signed = head.signed(logbook_id, practitioner_key(session))
    _set_meta(session, CHAIN_HEAD, json.dumps(signed.to_json()))


# The newest link appended in a session's transaction; its head is signed once, at commit.
_TAIL = "signoff_chain_tail"


def _chain_tail(session: Session) -> tuple[int, str]:
    """Where the next event links on: the signed head, never the rows.

    Extending from the head keeps a break visible: after a deleted newest event, the next one
    links to the hash the head vouches for, which no row has any more. A history whose head
    is missing or not signed by this logbook is not extended at all.

    Raises:
        StorageError: the signed head is missing or forged while events exist.
    """
    if _TAIL in session.info:
        return session.info[_TAIL]  # type: ignore[no-any-return]
    head = chain_head(session)
    events = session.scalar(select(func.count(SignoffEventRow.seq))) or 0
    if head is None and not events:
        return 0, ""
    logbook_id = _meta(session, "logbook_id") or ""
    public = practitioner_key(session).public
    if head is None or not public.verify(head.signature, head.payload(logbook_id)):
        raise StorageError(
            "The sign-off history was altered outside the app (its signed head is missing or "
            "not this logbook's), so nothing more is added to it. Restore a backup from before "
            "the change, or run Check logbook to see what was altered."
        )
    return head.count, head.hash


@orm_event.listens_for(Session, "before_commit")
def _sign_head(session: Session) -> None:
    tail = session.info.pop(_TAIL, None)
    if tail is not None:
        _store_head(session, ChainHead(*tail))
        session.flush()


@orm_event.listens_for(Session, "after_rollback")
def _forget_tail(session: Session) -> None:
    session.info.pop(_TAIL, None)


def chain_links(events: Iterable[SignoffEvent]) -> list[ChainLink]:
    """Events as the chain covers them, in the order given (recorded order)."""
    return [ChainLink(e.seq, e.uid, e.chained(), e.chain_prev, e.chain_hash) for e in events]


def chain_state(session: Session) -> tuple[int, int, str]:
    """A cheap fingerprint of the trail: events, highest sequence and head (for caching)."""
    count, top = session.execute(
        select(func.count(SignoffEventRow.seq), func.max(SignoffEventRow.seq))
    ).one()
    return int(count), int(top or 0), _meta(session, CHAIN_HEAD) or ""


def events_after(session: Session, seq: int) -> Iterator[SignoffEvent]:
    """The events recorded after the one numbered ``seq``, in recorded order."""
    table = SignoffEventRow.__table__
    statement = select(table).where(table.c.seq > seq).order_by(table.c.seq)
    for row in session.execute(statement):
        yield to_event(row)


def data_version(session: Session) -> int:
    """SQLite's count of commits by *other* connections to the file, as this one sees it."""
    return int(session.connection().exec_driver_sql("PRAGMA data_version").scalar_one())


def revoked_uids(session: Session) -> set[str]:
    """Events withdrawn by a revocation."""
    statement = select(SignoffEventRow.refers_to).where(
        SignoffEventRow.event_type == EventType.REVOKED.value
    )
    return {str(uid) for uid in session.scalars(statement) if uid}


def confirmation_events(session: Session) -> list[SignoffEvent]:
    """The practitioner's key confirmations (the events that make a signer trusted), in recorded
    order."""
    statement = (
        select(SignoffEventRow)
        .where(SignoffEventRow.event_type == EventType.KEY_CONFIRMED.value)
        .order_by(SignoffEventRow.seq)
    )
    return [to_event(row) for row in session.scalars(statement)]


def events_for(session: Session, uids: Iterable[str]) -> dict[str, list[SignoffEvent]]:
    """The events of each target in ``uids``, oldest first (targets with none are left out)."""
    found: dict[str, list[SignoffEvent]] = {}
    wanted = sorted(set(uids))
    for chunk in _chunks(wanted):
        statement = (
            select(SignoffEventRow)
            .where(SignoffEventRow.target_uid.in_(chunk))
            .order_by(SignoffEventRow.seq)
        )
        for row in session.scalars(statement):
            found.setdefault(row.target_uid, []).append(to_event(row))
    return found


def all_events(session: Session) -> Iterator[SignoffEvent]:
    """Every event in recorded order (read as plain rows: this walks whole trails)."""
    table = SignoffEventRow.__table__
    statement = select(table).order_by(table.c.seq)
    for row in session.execute(statement.execution_options(yield_per=2000)):
        yield to_event(row)


def event(session: Session, uid: str) -> SignoffEvent | None:
    """The event ``uid`` (``None`` if there is no such event)."""
    row = session.scalar(select(SignoffEventRow).where(SignoffEventRow.uid == uid))
    return None if row is None else to_event(row)


def refresh_status(session: Session, target_uids: Iterable[str]) -> None:
    """Recompute the recorded status of targets from their events (same transaction)."""
    uids = sorted(set(target_uids))
    events = events_for(session, uids)
    for uid in uids:
        mine = events.get(uid, [])
        if not mine:
            continue
        status = recorded_status(mine)
        session.merge(
            SignoffStatusRow(
                target_uid=uid,
                target_kind=mine[-1].target_kind,
                workflow=status.workflow,
                workflow_revision=status.workflow_revision,
                signed_revision=status.signed_revision,
                paper_revision=status.paper_revision,
            )
        )
    session.flush()


def signed_with_key(session: Session, fingerprint: str) -> dict[str, str]:
    """Every target signed with the key of ``fingerprint``, and its kind."""
    statement = select(SignoffEventRow.target_uid, SignoffEventRow.target_kind).where(
        SignoffEventRow.event_type == EventType.SIGNED.value,
        SignoffEventRow.fingerprint == fingerprint,
    )
    return {str(a): str(b) for a, b in session.execute(statement).all()}


def targets_with_events(session: Session) -> dict[str, str]:
    """Every target uid with sign-off events, and its kind."""
    statement = select(SignoffStatusRow.target_uid, SignoffStatusRow.target_kind)
    return {str(a): str(b) for a, b in session.execute(statement).all()}


# --- list filters ------------------------------------------------------------------------------


def state_filter(row: type[RecordRow], states: Collection[str]) -> ColumnElement[bool]:
    """A WHERE clause keeping rows whose recorded sign-off state is one of ``states``.

    It follows the same rules as :func:`logbook.domain.signing.assess`, on the events and the
    row's revision. Only checking a signature can tell a verified signature from an invalid
    one, so "invalid" selects every row whose signature covers its current revision, exactly
    like "verified"; the list then shows each row's checked state.
    """
    s = SignoffStatusRow
    revision: InstrumentedAttribute[int] = row.revision
    awaiting = and_(s.workflow == EventType.REQUESTED.value, s.workflow_revision == revision)
    returned = s.workflow == EventType.RETURNED.value
    settled = or_(
        s.workflow.is_(None),
        and_(s.workflow == EventType.REQUESTED.value, s.workflow_revision != revision),
    )
    conditions: dict[str, ColumnElement[bool]] = {
        SignoffState.AWAITING.value: awaiting,
        SignoffState.RETURNED.value: returned,
        # Only checking the signature tells these apart: each selects every settled row whose
        # signature covers its current revision.
        **{
            state.value: and_(settled, s.signed_revision == revision)
            for state in (
                SignoffState.VERIFIED,
                SignoffState.INVALID,
                SignoffState.UNCONFIRMED,
                SignoffState.NOT_SUPERVISOR,
                SignoffState.FOREIGN,
            )
        },
        SignoffState.CHANGED.value: and_(
            settled,
            or_(
                s.signed_revision != revision,
                and_(s.signed_revision.is_(None), s.paper_revision != revision),
            ),
        ),
        SignoffState.PAPER.value: and_(
            settled, s.signed_revision.is_(None), s.paper_revision == revision
        ),
    }
    unknown = set(states) - set(conditions) - {SignoffState.UNSIGNED.value}
    if unknown:
        raise ValueError(f"unknown sign-off state(s): {', '.join(sorted(unknown))}")
    clauses: list[ColumnElement[bool]] = []
    chosen = [conditions[v] for v in sorted(set(states)) if v in conditions]
    if chosen:
        clauses.append(exists().where(s.target_uid == row.uid, or_(*chosen)))
    if SignoffState.UNSIGNED.value in states:
        not_unsigned = or_(
            not_(settled), s.signed_revision.is_not(None), s.paper_revision.is_not(None)
        )
        clauses.append(not_(exists().where(s.target_uid == row.uid, not_unsigned)))
    return or_(*clauses)


# --- records by uid ----------------------------------------------------------------------------


def records_by_uid(session: Session, kind: RecordKind, uids: Iterable[str]) -> dict[str, Record]:
    """Records of ``kind`` with the given uids, loaded in a few queries."""
    table = ROWS[kind]
    columns = [getattr(table, name) for name in KINDS[kind].field_names]
    found: dict[str, Record] = {}
    for chunk in _chunks(sorted(set(uids))):
        for row in session.execute(select(*columns).where(table.uid.in_(chunk))):
            record = to_record(kind, row)
            found[record.uid] = record
    return found


# --- snapshots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The exact content of a signed revision of an entry, as captured when it was signed."""

    content_sha256: str
    target_kind: str
    target_uid: str
    target_revision: int
    content: str
    captured_at: datetime

    def value(self) -> dict[str, Any]:
        """The captured content as fields and values (empty if it is not a JSON object)."""
        data = json.loads(self.content)
        return data if isinstance(data, dict) else {}


def save_snapshot(
    session: Session,
    *,
    content_sha256: str,
    target_kind: str,
    target_uid: str,
    target_revision: int,
    content: bytes,
    captured_at: datetime,
) -> None:
    """Keep the signed content of a revision, once per digest, so a later edit can be shown
    against what was signed."""
    if session.get(SignoffSnapshotRow, content_sha256) is None:
        session.add(
            SignoffSnapshotRow(
                content_sha256=content_sha256,
                target_kind=target_kind,
                target_uid=target_uid,
                target_revision=target_revision,
                content=content.decode("utf-8"),
                captured_at=captured_at,
            )
        )
        session.flush()


def snapshot(session: Session, content_sha256: str) -> Snapshot | None:
    """The snapshot kept under ``content_sha256`` (``None`` if there is none)."""
    row = session.get(SignoffSnapshotRow, content_sha256)
    if row is None:
        return None
    return Snapshot(
        row.content_sha256,
        row.target_kind,
        row.target_uid,
        row.target_revision,
        row.content,
        row.captured_at,
    )


def snapshot_digests(session: Session) -> dict[str, str]:
    """Every snapshot's stated digest and its content (for the integrity check of verify)."""
    statement = select(SignoffSnapshotRow.content_sha256, SignoffSnapshotRow.content)
    return {str(a): str(b) for a, b in session.execute(statement).all()}


# --- known signers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownSigner:
    """A signer this logbook knows, with when their fingerprint was confirmed (if ever)."""

    identity: PublicIdentity
    added_at: datetime
    confirmed_at: datetime | None
    source: str
    person_uid: str | None = None
    confirmed_how: str = ""

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the signer's public key, which identifies them."""
        return self.identity.fingerprint


def _to_signer(row: SignoffIdentityRow) -> KnownSigner:
    identity = PublicIdentity(
        name=row.name,
        registration_body=row.registration_body,
        registration_number=row.registration_number,
        organisation=row.organisation,
        public_key=unb64(row.public_key, "public key"),
    )
    return KnownSigner(identity, row.added_at, row.confirmed_at, row.source, row.person_uid)


def remember_signer(
    session: Session,
    identity: PublicIdentity,
    *,
    now: datetime,
    source: str,
    person_uid: str | None = None,
) -> KnownSigner:
    """Add a signer seen in a file or a signature, or refresh their details (never trust:
    that is the practitioner's key confirmation, an event of the audit chain)."""
    row = session.get(SignoffIdentityRow, identity.fingerprint)
    if row is None:
        row = SignoffIdentityRow(
            fingerprint=identity.fingerprint,
            public_key=b64(identity.public_key),
            added_at=now,
            confirmed_at=None,
            source=source,
        )
        session.add(row)
    row.name = identity.name
    row.registration_body = identity.registration_body
    row.registration_number = identity.registration_number
    row.organisation = identity.organisation
    if person_uid:
        row.person_uid = person_uid
    session.flush()
    return _to_signer(row)


def known_signers(session: Session) -> list[KnownSigner]:
    """Every signer this logbook has seen, by name."""
    rows = session.scalars(select(SignoffIdentityRow).order_by(SignoffIdentityRow.name))
    return [_to_signer(row) for row in rows]


def known_signer(session: Session, fingerprint: str) -> KnownSigner | None:
    """The signer with ``fingerprint`` (``None`` if this logbook has not seen them)."""
    row = session.get(SignoffIdentityRow, fingerprint)
    return None if row is None else _to_signer(row)


# --- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredRequest:
    """A request as this logbook keeps it (sent by it, or received into its inbox)."""

    uid: str
    direction: str
    created_at: datetime
    received_at: datetime | None
    status: str
    logbook_id: str
    practitioner_name: str
    supervisor_name: str
    supervisor_fingerprint: str | None
    message: str
    item_count: int
    document_sha256: str
    document: str
    response_uid: str | None
    responded_at: datetime | None
    response_document: str


def _to_request(row: SignoffRequestRow) -> StoredRequest:
    return StoredRequest(
        row.uid,
        row.direction,
        row.created_at,
        row.received_at,
        row.status,
        row.logbook_id,
        row.practitioner_name,
        row.supervisor_name,
        row.supervisor_fingerprint,
        row.message,
        row.item_count,
        row.document_sha256,
        row.document,
        row.response_uid,
        row.responded_at,
        row.response_document,
    )


def add_request(session: Session, request: StoredRequest) -> None:
    """Keep a request sent from this logbook or received into its inbox."""
    session.add(SignoffRequestRow(**dataclasses.asdict(request)))
    session.flush()


def request(session: Session, uid: str) -> StoredRequest | None:
    """The request ``uid`` (``None`` if this logbook does not keep it)."""
    row = session.get(SignoffRequestRow, uid)
    return None if row is None else _to_request(row)


def requests(session: Session, direction: str) -> list[StoredRequest]:
    """The requests sent from this logbook or received into its inbox, as ``direction`` says
    (``"sent"`` or ``"received"``), newest first."""
    statement = (
        select(SignoffRequestRow)
        .where(SignoffRequestRow.direction == direction)
        .order_by(SignoffRequestRow.created_at.desc(), SignoffRequestRow.uid)
    )
    return [_to_request(row) for row in session.scalars(statement)]


def request_answered_by(session: Session, response_uid: str) -> StoredRequest | None:
    """The request the response ``response_uid`` answered (``None`` if none has been recorded),
    so the same response is not taken in twice."""
    row = session.scalar(
        select(SignoffRequestRow).where(SignoffRequestRow.response_uid == response_uid)
    )
    return None if row is None else _to_request(row)


def record_response(
    session: Session,
    request_uid: str,
    *,
    status: str,
    response_uid: str,
    responded_at: datetime,
    response_document: str,
) -> None:
    """Mark a request answered (sent side) or responded to (inbox side)."""
    row = session.get(SignoffRequestRow, request_uid)
    if row is None:
        raise LookupError(request_uid)
    row.status = status
    row.response_uid = response_uid
    row.responded_at = responded_at
    row.response_document = response_document
    session.flush()


# --- period summaries --------------------------------------------------------------------------


def _to_summary(row: SignoffSummaryRow) -> PeriodSummary:
    return PeriodSummary(
        uid=row.uid,
        revision=row.revision,
        created_at=row.created_at,
        record_kind=RecordKind(row.record_kind),
        period=Period(row.period_start, row.period_end),
        subtypes=tuple(row.subtypes),
        count=row.count,
        minutes=row.minutes,
        statement=row.statement,
    )


def add_summary(session: Session, summary: PeriodSummary) -> None:
    """Keep a period summary, so it can be sent for signing and checked later."""
    session.add(
        SignoffSummaryRow(
            uid=summary.uid,
            revision=summary.revision,
            created_at=summary.created_at,
            record_kind=summary.record_kind.value,
            period_start=summary.period.start,
            period_end=summary.period.end,
            subtypes=tuple(summary.subtypes),
            count=summary.count,
            minutes=summary.minutes,
            statement=summary.statement,
        )
    )
    session.flush()


def summaries(session: Session, uids: Iterable[str] | None = None) -> list[PeriodSummary]:
    """The period summaries (only those in ``uids``, if given), newest first."""
    statement = select(SignoffSummaryRow).order_by(
        SignoffSummaryRow.created_at.desc(), SignoffSummaryRow.uid
    )
    if uids is not None:
        statement = statement.where(SignoffSummaryRow.uid.in_(sorted(set(uids))))
    return [_to_summary(row) for row in session.scalars(statement)]


def summary(session: Session, uid: str) -> PeriodSummary | None:
    """The period summary ``uid`` (``None`` if there is no such summary)."""
    row = session.get(SignoffSummaryRow, uid)
    return None if row is None else _to_summary(row)
