"""The supervisor's side of remote sign-off: requests received, and the signed response.

The supervisor reviews each entry of a request in their own logbook, signs it or returns it
with a comment, and sends back one response file signed as a whole. What they signed is kept
in their register ("Signed by me").
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from logbook.domain.audit import return_statement, sign_action
from logbook.domain.errors import NotFoundError, ValidationError
from logbook.domain.identity import SealedIdentity, UnlockedIdentity
from logbook.domain.records import utc_now
from logbook.domain.signing import SignoffFileError, signature_payload
from logbook.domain.signoff import SignoffMode
from logbook.services import signed_by_me
from logbook.services.changes import Change, Topic
from logbook.services.identity import write_json_file
from logbook.services.signoff.events import document_text, json_object, problem
from logbook.services.signoff.files import (
    RequestItem,
    ReturnedItem,
    SignedItem,
    SignoffRequest,
    SignoffResponse,
    parse_response,
    read_request,
    response_document,
)
from logbook.services.signoff.requests import (
    OPEN,
    RECEIVED,
    RESPONDED,
    parse_stored,
    stored_request,
)
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database
from logbook.storage.signoff_repository import StoredRequest

# The inbox and the register of signatures given live on the sign-off page only.
INBOX_CHANGED = Change(topics=frozenset({Topic.SIGNOFF}))


@dataclass(frozen=True)
class Decision:
    """What a supervisor does with one entry of a request: sign it, or return it with a comment."""

    sign: bool
    comment: str = ""

    @classmethod
    def signed(cls) -> Decision:
        """Sign the entry as the request shows it."""
        return cls(True)

    @classmethod
    def returned(cls, comment: str) -> Decision:
        """Return the entry unsigned; ``comment`` tells the practitioner why (it is required)."""
        return cls(False, comment)


@dataclass(frozen=True)
class InboxEntry:
    """A request received by a supervisor, and whether they have answered it."""

    request: SignoffRequest
    received_at: datetime | None
    status: str
    responded_at: datetime | None

    @property
    def uid(self) -> str:
        """The request's id, which its response names."""
        return self.request.uid


@dataclass(frozen=True)
class RequestOpened:
    """The request as it now stands in the inbox, and the ``Change`` opening it made (none if
    it was there already)."""

    entry: InboxEntry
    change: Change


@dataclass(frozen=True)
class Responded:
    """The response written, and what answering changed (supervision given may be logged)."""

    response: SignoffResponse
    change: Change


class SignoffInbox:
    """Requests received by a supervisor, and their answers, in one open logbook."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open_request(self, path: Path) -> RequestOpened:
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
                return RequestOpened(_inbox_entry(existing), Change())
            stored = stored_request(
                request, RECEIVED, OPEN, document_text(request.document), received_at=now
            )
            sr.add_request(session, stored)
        return RequestOpened(_inbox_entry(stored), INBOX_CHANGED)

    def inbox(self) -> list[InboxEntry]:
        """Every request received, answered or not, newest first."""
        with self.db.reading() as session:
            return [_inbox_entry(r) for r in sr.requests(session, RECEIVED)]

    def inbox_entry(self, request_uid: str) -> InboxEntry:
        """One received request.

        Raises:
            NotFoundError: no request ``request_uid`` was received into this inbox.
        """
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
    ) -> Responded:
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
        _check_decisions(request, decisions)
        unlocked = identity.unlock(passphrase)
        now = utc_now()
        signed, returned = _answer_items(request, decisions, unlocked, now)
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
            logged = signed_by_me.keep(session, _kept(request, signed), signed_by_me.RESPONSE, now)
            sr.record_response(
                session,
                request_uid,
                status=RESPONDED,
                response_uid=response_uid,
                responded_at=now,
                response_document=document_text(document),
            )
            write_json_file(Path(path), document)
        response = parse_response(document, Path(path).name)
        return Responded(response, INBOX_CHANGED | logged.change)

    def save_response_again(self, request_uid: str, path: Path) -> None:
        """Write the response already given to a request to a new file (a lost email)."""
        with self.db.reading() as session:
            stored = sr.request(session, request_uid)
        if stored is None or not stored.response_document:
            raise NotFoundError("This request has not been answered yet.")
        write_json_file(Path(path), json.loads(stored.response_document))


def _check_decisions(request: SignoffRequest, decisions: Mapping[str, Decision]) -> None:
    """Every entry of ``request`` answered, each return explained, and nothing else answered.

    Raises:
        ValidationError: what is missing or extra.
    """
    problems = []
    for item in request.items:
        decision = decisions.get(item.uid)
        if decision is None:
            problems.append(problem(f"{item.description}: sign it or return it"))
        elif not decision.sign and not decision.comment.strip():
            problems.append(problem(f"{item.description}: say why it is returned (a comment)"))
    unknown = set(decisions) - {i.uid for i in request.items}
    if unknown:
        problems.append(problem("decisions were given for entries not in the request"))
    if problems:
        raise ValidationError(problems, "The response was not written")


def _answer_items(
    request: SignoffRequest,
    decisions: Mapping[str, Decision],
    signer: UnlockedIdentity,
    now: datetime,
) -> tuple[list[SignedItem], list[ReturnedItem]]:
    """Each entry of ``request`` signed or returned, as decided, in the request's order."""
    signed: list[SignedItem] = []
    returned: list[ReturnedItem] = []
    for item in request.items:
        decision = decisions[item.uid]
        if decision.sign:
            signed.append(_sign_item(request, item, signer, now))
        else:
            returned.append(_return_item(request, item, decision.comment, signer, now))
    return signed, returned


def _sign_item(
    request: SignoffRequest, item: RequestItem, signer: UnlockedIdentity, now: datetime
) -> SignedItem:
    """The remote signature of ``item``, bound to the request it came in."""
    payload = signature_payload(
        item.signable(),
        signer.public,
        now,
        SignoffMode.REMOTE,
        binding=request.binding,
        request_uid=request.uid,
        cosign_reason=request.cosign_reason,
    )
    return SignedItem(
        item.target_kind,
        item.uid,
        item.revision,
        item.content_sha256,
        json_object(payload),
        signer.sign(payload),
    )


def _return_item(
    request: SignoffRequest,
    item: RequestItem,
    comment: str,
    signer: UnlockedIdentity,
    now: datetime,
) -> ReturnedItem:
    """``item`` returned unsigned with ``comment``; the return itself is signed, so the
    practitioner knows it came from the supervisor."""
    payload, signature = sign_action(
        return_statement(
            target={"kind": item.target_kind, "uid": item.uid, "revision": item.revision},
            content_sha256=item.content_sha256,
            comment=comment.strip(),
            binding=request.binding,
            request_uid=request.uid,
            returned_at=now,
        ),
        signer,
    )
    return ReturnedItem(
        item.target_kind,
        item.uid,
        item.revision,
        item.content_sha256,
        comment.strip(),
        json_object(payload),
        signature,
    )


def _kept(request: SignoffRequest, signed: list[SignedItem]) -> list[signed_by_me.SignedItem]:
    """The signatures of a response as the register keeps them, with what was signed."""
    contents = {i.uid: i.content for i in request.items}
    return [signed_by_me.SignedItem(s.payload, s.signature, contents[s.uid]) for s in signed]


def _inbox_entry(stored: StoredRequest) -> InboxEntry:
    return InboxEntry(parse_stored(stored), stored.received_at, stored.status, stored.responded_at)
