"""Applying a supervisor's response: every check first, then only what verifies is attached.

A response is refused as a whole when it is for another logbook, altered, or already applied;
within it, an entry is refused when it changed since it was sent, or its signature or return
does not hold. Nothing is attached until the practitioner accepts what can be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from logbook.domain.audit import RETURN_FORMAT, Binding, ConfirmMethod, check_action
from logbook.domain.identity import PublicIdentity, b64
from logbook.domain.records import Record, RecordKind, utc_now
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    EventType,
    SignedStatement,
    SignoffFileError,
    check_signature,
    read_payload,
    signable_record,
    signable_summary,
)
from logbook.domain.signoff import SignoffMode
from logbook.services.changes import Change
from logbook.services.signoff import trust as st
from logbook.services.signoff.events import attach_signature, document_text, signoff_change
from logbook.services.signoff.files import (
    RequestItem,
    ReturnedItem,
    SignedItem,
    SignoffResponse,
    read_response,
)
from logbook.services.signoff.requests import ANSWERED, SENT, parse_stored
from logbook.services.signoff.status import SignoffStatus
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database, Session
from logbook.storage.signoff_repository import StoredRequest


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


@dataclass(frozen=True)
class Refusal:
    """An answer of a response that cannot be accepted: the entry, and why (changed since
    the request, not in it, a signature that does not verify…)."""

    uid: str
    description: str
    reason: str


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
        """The identity that signed the response, to show with its fingerprint."""
        return self.response.supervisor


@dataclass(frozen=True)
class ApplyResult:
    """What applying a response did: the entries signed and returned (by uid), those refused,
    and the ``Change`` it made."""

    supervisor: PublicIdentity
    signed: tuple[str, ...]
    returned: tuple[str, ...]
    refused: tuple[Refusal, ...]
    change: Change = field(default_factory=Change)


class SignoffResponses:
    """Responses to the requests sent from one open logbook."""

    def __init__(self, db: Database, status: SignoffStatus) -> None:
        self.db = db
        self.status = status

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
            moved = {i.uid: i.target_kind for i, _ in (*review.to_sign, *review.to_return)}
            if not review.signer_known:
                self._confirm_responder(session, review, now)
                moved |= st.signed_with(session, supervisor.fingerprint)
            for item, signed in review.to_sign:
                statement = read_payload(signed.payload)
                attach_signature(
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
            signoff_change(moved),
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
        trusted = self.status.trust_in(session)
        signer_known = supervisor.fingerprint in trusted.pins
        request = parse_stored(stored)
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
        st.pin_key(session, self.db.logbook_id, person.uid, signer, ConfirmMethod.PHONE, now)

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
