"""The practitioner's side of remote sign-off: the request file sent to a supervisor.

A request holds the chosen entries exactly as they will be signed (never a private
reflection), and marks them as awaiting sign-off in the same transaction that records it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from logbook.domain.allowances import Door, FieldFinding, content_texts, describe_findings
from logbook.domain.errors import NotFoundError, Problem, ValidationError
from logbook.domain.identity import PublicIdentity
from logbook.domain.privacy import find_identifiers
from logbook.domain.records import ReflectiveAccount, utc_now
from logbook.domain.signing import EventType
from logbook.domain.signoff import SignoffMode
from logbook.services import privacy
from logbook.services.changes import Change
from logbook.services.identity import write_json_file
from logbook.services.signoff import trust as st
from logbook.services.signoff.events import (
    Target,
    document_text,
    problem,
    signoff_change,
    stored_signable,
)
from logbook.services.signoff.files import (
    RequestItem,
    SignoffRequest,
    parse_request,
    request_document,
)
from logbook.services.signoff.status import SignoffStatus
from logbook.storage import allowance_repository as allowances
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database, Session
from logbook.storage.signoff_repository import StoredRequest

# Which way a stored request went, and where it stands.
SENT, RECEIVED = "sent", "received"
OPEN, ANSWERED, RESPONDED = "open", "answered", "responded"


@dataclass(frozen=True)
class SentRequest:
    """A request sent from this logbook, as kept here: to whom, when, for how many entries,
    and where it stands (open, or answered with the response applied)."""

    stored: StoredRequest

    @property
    def uid(self) -> str:
        """The request's id, which its response names."""
        return self.stored.uid


@dataclass(frozen=True)
class RequestCreated:
    """The request written, and the entries it marked as awaiting sign-off."""

    request: SignoffRequest
    change: Change


class SignoffRequests:
    """Requests sent from one open logbook."""

    def __init__(self, db: Database, status: SignoffStatus) -> None:
        self.db = db
        self.status = status

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
    ) -> RequestCreated:
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
            raise ValidationError([problem(p) for p in problems], "The request was not created")
        st.refuse_future(targets)
        reason = cosign_reason.strip()
        now = utc_now()
        request_uid = str(uuid.uuid4())
        target = Path(path)
        written = False
        try:
            with self.db.transaction() as session:
                if not reason:
                    trusted = self.status.trust_in(session)
                    st.refuse_other_signer(session, targets, name, supervisor, trusted)
                items = []
                for t in targets:
                    signable = stored_signable(session, t)
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
                    stored_request(request, SENT, OPEN, document_text(document), received_at=None),
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
        return RequestCreated(request, signoff_change({i.uid: i.target_kind for i in items}))

    def sent_requests(self) -> list[SentRequest]:
        """Every request sent from this logbook, newest first."""
        with self.db.reading() as session:
            return [SentRequest(r) for r in sr.requests(session, SENT)]

    def request_items(self, request_uid: str) -> list[RequestItem]:
        """The entries of a request sent from this logbook, as they were sent."""
        with self.db.reading() as session:
            stored = sr.request(session, request_uid)
        if stored is None:
            raise NotFoundError("No such request in this logbook.")
        return list(parse_stored(stored).items)


def stored_request(
    request: SignoffRequest,
    direction: str,
    status: str,
    document: str,
    *,
    received_at: datetime | None,
) -> StoredRequest:
    """A request as the logbook keeps it: ``direction`` is ``SENT`` or ``RECEIVED``,
    ``status`` where it stands, and ``document`` the text of its file."""
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


def parse_stored(stored: StoredRequest) -> SignoffRequest:
    """The request a stored copy holds, read back from its document."""
    return parse_request(json.loads(stored.document), "the stored request")


def _screen_request(
    session: Session, items: Sequence[RequestItem], message: str, allow: bool
) -> None:
    """A request leaves the computer: refuse client identifiers in what it carries (the
    entries' content and the cover message) unless kept.

    Raises:
        IdentifiersFoundError: something was found and ``allow`` is false.
    """
    screening = privacy.Screening(Door.REQUEST, allow)
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
