"""Sign-off request and response files: human-readable JSON with an integrity check.

A *request* lists the entries to sign (their signed content exactly, never a private
reflection), a cover message and the practitioner's details. A *response* carries the
supervisor's signature statements for the entries they signed, the comments on those they
returned, and a signature by the supervisor over the whole response.

Both end with ``integrity``: the SHA-256 of the RFC 8785 canonical form of everything else, so a
file that was cut short, edited or damaged on the way is refused before anything is read from
it. The integrity check catches accidents; the supervisor's signatures are what make a response
trustworthy (anyone can recompute a digest, nobody else can sign with the supervisor's key).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from logbook.domain.audit import Binding
from logbook.domain.identity import PublicIdentity, UnlockedIdentity, b64, unb64
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    SIGNABLE_KINDS,
    Signable,
    SignoffFileError,
    canonical,
    describe_content,
    digest,
)
from logbook.services.identity import read_json_file

# Version 2: requests name the practitioner's key and any co-signing reason; responses carry the
# supervisor's signed statement for each returned entry.
REQUEST_FORMAT = "practice-logbook-signoff-request/2"
RESPONSE_FORMAT = "practice-logbook-signoff-response/2"
_OLDER_FORMATS = {
    "practice-logbook-signoff-request/1",
    "practice-logbook-signoff-response/1",
}
INTEGRITY = "sha256-rfc8785"
MAX_FILE_BYTES = 64 * 1024 * 1024
RECEIPT_FORMAT = "practice-logbook-signoff-receipt/1"
REQUEST_SUFFIX = ".signoff-request.json"
RESPONSE_SUFFIX = ".signoff-response.json"
RECEIPT_SUFFIX = ".signoff-receipt.json"
_TARGET_KINDS = {k.value for k in SIGNABLE_KINDS} | {PERIOD_SUMMARY}


# --- reading values with located messages ------------------------------------------------------


class _Reader:
    """Reads members of a parsed file, naming the file and the member in every complaint."""

    def __init__(self, source: str, what: str) -> None:
        self.source = source
        self.what = what

    def fail(self, where: str, message: str) -> SignoffFileError:
        return SignoffFileError(
            f"{self.source} is not a valid {self.what}: {where} {message}. Nothing was changed."
        )

    def obj(self, data: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise self.fail(where, "must be an object")
        return data

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key, None if required else "")
        if not isinstance(value, str) or (required and not value):
            raise self.fail(f"{where}.{key}", "is missing or not text")
        return value

    def integer(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(f"{where}.{key}", "must be a whole number of at least 1")
        return value

    def moment(self, data: Mapping[str, Any], key: str, where: str) -> datetime:
        raw = self.text(data, key, where)
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise self.fail(f"{where}.{key}", "is not a timestamp") from None
        if value.tzinfo is None:
            raise self.fail(f"{where}.{key}", "has no time zone")
        return value

    def items(self, data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}", "must be a list")
        return [self.obj(item, f"{where}.{key}[{i}]") for i, item in enumerate(value)]


def integrity_of(document: Mapping[str, Any]) -> str:
    """The integrity value of a document: the digest of everything but ``integrity``."""
    return digest({k: v for k, v in document.items() if k != "integrity"})


def _check_integrity(document: Mapping[str, Any], source: str, what: str) -> None:
    found = document.get("integrity")
    if not isinstance(found, Mapping) or found.get("algorithm") != INTEGRITY:
        raise SignoffFileError(
            f"{source} is not a valid {what}: it has no integrity check. Nothing was changed."
        )
    try:
        expected = integrity_of(document)
    except ValueError:
        # RFC 8785 has no NaN or infinity, nor integers beyond 2**53: nothing here signs them.
        raise SignoffFileError(
            f"{source} is not a valid {what}: it holds a number that cannot be signed "
            "(NaN, infinity or an integer beyond 2^53). Nothing was changed."
        ) from None
    if found.get("value") != expected:
        raise SignoffFileError(
            f"{source} was altered or damaged after it was written: its integrity check does "
            "not match its content. Nothing was changed; ask for the file to be sent again."
        )


def _with_integrity(document: dict[str, Any]) -> dict[str, Any]:
    document["integrity"] = {"algorithm": INTEGRITY, "value": integrity_of(document)}
    return document


def _load(path: Path, what: str, expected_format: str) -> Mapping[str, Any]:
    data = read_json_file(Path(path), what, MAX_FILE_BYTES, SignoffFileError)
    source = Path(path).name
    if not isinstance(data, Mapping) or data.get("format") != expected_format:
        found = data.get("format") if isinstance(data, Mapping) else None
        hint = ""
        if found == REQUEST_FORMAT:
            hint = " It is a sign-off request: open it from the inbox instead."
        elif found == RESPONSE_FORMAT:
            hint = " It is a sign-off response: apply it with 'Apply response' instead."
        elif found == RECEIPT_FORMAT:
            hint = " It is a receipt of signatures: import it under 'Signed by me' instead."
        elif isinstance(found, str) and found in _OLDER_FORMATS:
            hint = (
                " It was made by an earlier version of Practice Logbook, whose signatures do "
                "not name the practitioner; ask for a new one from an up-to-date copy."
            )
        raise SignoffFileError(f"{source} is not a {what}.{hint} Nothing was changed.")
    _check_integrity(data, source, what)
    return data


# --- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestItem:
    """One entry (or period summary) a request asks to sign, with exactly its signed content."""

    target_kind: str
    uid: str
    revision: int
    content: Mapping[str, Any]
    context: Mapping[str, str]
    content_sha256: str

    @property
    def description(self) -> str:
        """The entry in one line, with the names it refers to, as the supervisor sees it."""
        return describe_content(self.content, self.context)

    def signable(self) -> Signable:
        """What the supervisor signs for this item: exactly the content the request carries."""
        return Signable(
            self.target_kind,
            self.uid,
            self.revision,
            self.content,
            dict(self.context),
            self.description,
        )

    def to_json(self) -> dict[str, Any]:
        """The item as a request file holds it (with its description, for people reading it)."""
        return {
            "kind": self.target_kind,
            "uid": self.uid,
            "revision": self.revision,
            "description": self.description,
            "context": dict(self.context),
            "content": dict(self.content),
            "content_sha256": self.content_sha256,
        }


@dataclass(frozen=True)
class Practitioner:
    """The practitioner a logbook belongs to, as a request names them.

    Attributes:
        key: The fingerprint of the logbook's practitioner key, which every signature names.
    """

    name: str
    email: str = ""
    registrations: tuple[str, ...] = ()
    key: str = ""


@dataclass(frozen=True)
class SignoffRequest:
    """A request as read from (or written to) a request file."""

    uid: str
    logbook_id: str
    created_at: datetime
    practitioner: Practitioner
    supervisor_name: str
    supervisor_fingerprint: str | None
    message: str
    items: tuple[RequestItem, ...]
    cosign_reason: str = ""
    integrity: str = ""
    document: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def item(self, uid: str) -> RequestItem | None:
        """The item for entry ``uid``, or ``None`` if the request does not ask for it."""
        return next((i for i in self.items if i.uid == uid), None)

    @property
    def binding(self) -> Binding:
        """Whom the supervisor's statements are for."""
        who = self.practitioner
        return Binding(self.logbook_id, who.key, who.name, who.registrations)


def request_document(
    *,
    uid: str,
    logbook_id: str,
    created_at: datetime,
    practitioner: Practitioner,
    supervisor_name: str,
    supervisor_fingerprint: str | None,
    message: str,
    items: Sequence[RequestItem],
    cosign_reason: str = "",
) -> dict[str, Any]:
    """The JSON of a request file, ending with its integrity check."""
    return _with_integrity(
        {
            "format": REQUEST_FORMAT,
            "note": "A request to sign off entries of a Practice Logbook. Open it in Practice "
            "Logbook: Sign-off, Inbox, Open request. It holds only what is to be signed; "
            "private reflections are never included.",
            "request_id": uid,
            "logbook_id": logbook_id,
            "created_at": created_at.isoformat(timespec="seconds"),
            "practitioner": {
                "name": practitioner.name,
                "email": practitioner.email,
                "registrations": list(practitioner.registrations),
                "key": practitioner.key,
            },
            "supervisor": {"name": supervisor_name, "fingerprint": supervisor_fingerprint},
            "cosign_reason": cosign_reason,
            "message": message,
            "items": [item.to_json() for item in items],
        }
    )


def read_request(path: Path) -> SignoffRequest:
    """Read and check a request file.

    Raises:
        SignoffFileError: the file is missing, cut short, altered, or not a request; the
            message says what and where.
    """
    data = _load(path, "sign-off request", REQUEST_FORMAT)
    return parse_request(data, Path(path).name)


def parse_request(data: Mapping[str, Any], source: str) -> SignoffRequest:
    """Check and read a request document already loaded (the logbook's stored copy, say);
    unlike :func:`read_request`, its integrity check is not verified.

    Raises:
        SignoffFileError: a part is missing or malformed; ``source`` names the document.
    """
    r = _Reader(source, "sign-off request")
    who = r.obj(data.get("practitioner"), "practitioner")
    registrations = who.get("registrations", [])
    if not isinstance(registrations, list) or not all(isinstance(x, str) for x in registrations):
        raise r.fail("practitioner.registrations", "must be a list of text")
    supervisor = r.obj(data.get("supervisor"), "supervisor")
    fingerprint = supervisor.get("fingerprint")
    if fingerprint is not None and not isinstance(fingerprint, str):
        raise r.fail("supervisor.fingerprint", "must be text")
    items = tuple(
        _request_item(r, item, f"items[{i}]")
        for i, item in enumerate(r.items(data, "items", "request"))
    )
    if not items:
        raise r.fail("items", "is empty")
    if len({i.uid for i in items}) != len(items):
        raise r.fail("items", "lists the same entry twice")
    return SignoffRequest(
        uid=r.text(data, "request_id", "request"),
        logbook_id=r.text(data, "logbook_id", "request"),
        created_at=r.moment(data, "created_at", "request"),
        practitioner=Practitioner(
            r.text(who, "name", "practitioner"),
            r.text(who, "email", "practitioner", required=False),
            tuple(registrations),
            r.text(who, "key", "practitioner"),
        ),
        supervisor_name=r.text(supervisor, "name", "supervisor", required=False),
        supervisor_fingerprint=fingerprint,
        message=r.text(data, "message", "request", required=False),
        items=items,
        cosign_reason=r.text(data, "cosign_reason", "request", required=False),
        integrity=integrity_of(data),
        document=data,
    )


def _request_item(r: _Reader, item: Mapping[str, Any], where: str) -> RequestItem:
    kind = r.text(item, "kind", where)
    if kind not in _TARGET_KINDS:
        raise r.fail(f"{where}.kind", f"'{kind}' is not something that can be signed")
    uid = r.text(item, "uid", where)
    revision = r.integer(item, "revision", where)
    content = r.obj(item.get("content"), f"{where}.content")
    context = r.obj(item.get("context", {}), f"{where}.context")
    if not all(isinstance(v, str) for v in context.values()):
        raise r.fail(f"{where}.context", "must map names to text")
    stated = r.text(item, "content_sha256", where)
    if (content.get("kind"), content.get("uid"), content.get("revision")) != (kind, uid, revision):
        raise r.fail(f"{where}.content", "is about a different entry than the item")
    if digest(content) != stated:
        raise r.fail(f"{where}.content", "does not match its digest (it was altered)")
    return RequestItem(kind, uid, revision, dict(content), dict(context), stated)


# --- responses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedItem:
    """A signature in a response: the canonical statement (as an object) and its signature."""

    target_kind: str
    uid: str
    revision: int
    content_sha256: str
    statement: Mapping[str, Any]
    signature: bytes

    @property
    def payload(self) -> bytes:
        """The exact bytes the signature covers: the statement's canonical encoding."""
        return canonical(self.statement)


@dataclass(frozen=True)
class ReturnedItem:
    """A returned entry: the comment, and the supervisor's signed statement of the return."""

    target_kind: str
    uid: str
    revision: int
    content_sha256: str
    comment: str
    statement: Mapping[str, Any] = field(default_factory=dict)
    signature: bytes = b""

    @property
    def payload(self) -> bytes:
        """The exact bytes the return's signature covers: the statement's canonical encoding."""
        return canonical(self.statement)


@dataclass(frozen=True)
class SignoffResponse:
    """A supervisor's answer to a request, as read from (or written to) a response file: the
    entries signed, those returned, and the supervisor's signature over the whole."""

    uid: str
    request_uid: str
    logbook_id: str
    request_sha256: str
    created_at: datetime
    supervisor: PublicIdentity
    message: str
    signed: tuple[SignedItem, ...]
    returned: tuple[ReturnedItem, ...]
    supervisor_signature: bytes
    document: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def signed_body(self) -> bytes:
        """The bytes the supervisor's signature over the whole response covers."""
        return canonical(response_body(self.document))


def response_body(document: Mapping[str, Any]) -> dict[str, Any]:
    """What the supervisor's signature over a response covers: all but the two seals."""
    return {k: v for k, v in document.items() if k not in ("integrity", "supervisor_signature")}


def response_document(
    *,
    uid: str,
    request: SignoffRequest,
    created_at: datetime,
    signer: UnlockedIdentity,
    message: str,
    signed: Sequence[SignedItem],
    returned: Sequence[ReturnedItem],
) -> dict[str, Any]:
    """The JSON of a response file, signed by the supervisor and ending with its integrity."""
    document: dict[str, Any] = {
        "format": RESPONSE_FORMAT,
        "note": "A supervisor's answer to a Practice Logbook sign-off request. Apply it in the "
        "practitioner's logbook: Sign-off, Apply response. Every signature is checked "
        "before it is attached.",
        "response_id": uid,
        "request_id": request.uid,
        "logbook_id": request.logbook_id,
        "request_sha256": request.integrity,
        "created_at": created_at.isoformat(timespec="seconds"),
        "supervisor": signer.public.to_json(),
        "message": message,
        "signed": [
            {
                "kind": s.target_kind,
                "uid": s.uid,
                "revision": s.revision,
                "content_sha256": s.content_sha256,
                "statement": dict(s.statement),
                "signature": b64(s.signature),
            }
            for s in signed
        ],
        "returned": [
            {
                "kind": r.target_kind,
                "uid": r.uid,
                "revision": r.revision,
                "content_sha256": r.content_sha256,
                "comment": r.comment,
                "statement": dict(r.statement),
                "signature": b64(r.signature),
            }
            for r in returned
        ],
    }
    return _sealed_by(signer, document)


def _sealed_by(signer: UnlockedIdentity, document: dict[str, Any]) -> dict[str, Any]:
    """The document signed whole by the supervisor, then ended with its integrity check."""
    document["supervisor_signature"] = b64(signer.sign(canonical(response_body(document))))
    return _with_integrity(document)


def read_response(path: Path) -> SignoffResponse:
    """Read and check the structure of a response file (signatures are checked on applying).

    Raises:
        SignoffFileError: the file is missing, cut short, altered, or not a response.
    """
    data = _load(path, "sign-off response", RESPONSE_FORMAT)
    return parse_response(data, Path(path).name)


def parse_response(data: Mapping[str, Any], source: str) -> SignoffResponse:
    """Check the structure of a response document already loaded and read it; neither its
    integrity check nor its signatures are verified here.

    Raises:
        SignoffFileError: a part is missing or malformed; ``source`` names the document.
    """
    r = _Reader(source, "sign-off response")
    try:
        supervisor = PublicIdentity.from_json(data.get("supervisor"), "supervisor")
    except ValueError as error:
        raise r.fail("supervisor", str(error)) from None
    signed = []
    for i, item in enumerate(r.items(data, "signed", "response")):
        where = f"signed[{i}]"
        statement = r.obj(item.get("statement"), f"{where}.statement")
        signed.append(
            SignedItem(
                r.text(item, "kind", where),
                r.text(item, "uid", where),
                r.integer(item, "revision", where),
                r.text(item, "content_sha256", where),
                dict(statement),
                _bytes(r, item, "signature", where),
            )
        )
    returned = [
        ReturnedItem(
            r.text(item, "kind", f"returned[{i}]"),
            r.text(item, "uid", f"returned[{i}]"),
            r.integer(item, "revision", f"returned[{i}]"),
            r.text(item, "content_sha256", f"returned[{i}]"),
            r.text(item, "comment", f"returned[{i}]", required=False),
            dict(r.obj(item.get("statement"), f"returned[{i}].statement")),
            _bytes(r, item, "signature", f"returned[{i}]"),
        )
        for i, item in enumerate(r.items(data, "returned", "response"))
    ]
    uids = [s.uid for s in signed] + [x.uid for x in returned]
    if len(set(uids)) != len(uids):
        raise r.fail("signed/returned", "answer the same entry twice")
    return SignoffResponse(
        uid=r.text(data, "response_id", "response"),
        request_uid=r.text(data, "request_id", "response"),
        logbook_id=r.text(data, "logbook_id", "response"),
        request_sha256=r.text(data, "request_sha256", "response"),
        created_at=r.moment(data, "created_at", "response"),
        supervisor=supervisor,
        message=r.text(data, "message", "response", required=False),
        signed=tuple(signed),
        returned=tuple(returned),
        supervisor_signature=_bytes(r, data, "supervisor_signature", "response"),
        document=data,
    )


def _bytes(r: _Reader, data: Mapping[str, Any], key: str, where: str) -> bytes:
    try:
        return unb64(data.get(key), f"{where}.{key}")
    except ValueError as error:
        raise r.fail(f"{where}.{key}", str(error).split(" ", 1)[-1]) from None


# --- receipts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptItem(SignedItem):
    """One signature made in person, with the content it covers, for the signer's register."""

    content: Mapping[str, Any]


@dataclass(frozen=True)
class SignoffReceipt:
    """What a supervisor signed on a practitioner's computer, for their own records."""

    uid: str
    created_at: datetime
    practitioner: Binding
    supervisor: PublicIdentity
    items: tuple[ReceiptItem, ...]
    supervisor_signature: bytes
    document: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def signed_body(self) -> bytes:
        """The bytes the supervisor's signature over the whole receipt covers."""
        return canonical(response_body(self.document))


def receipt_document(
    *,
    uid: str,
    created_at: datetime,
    practitioner: Binding,
    signer: UnlockedIdentity,
    items: Sequence[ReceiptItem],
) -> dict[str, Any]:
    """The JSON of a receipt, signed by the supervisor and ending with its integrity."""
    document: dict[str, Any] = {
        "format": RECEIPT_FORMAT,
        "note": "A record of entries you signed in person on a practitioner's computer. Import "
        "it in your own copy of Practice Logbook: Sign-off, Signed by me, Import receipt.",
        "receipt_id": uid,
        "created_at": created_at.isoformat(timespec="seconds"),
        "practitioner": practitioner.to_json(),
        "supervisor": signer.public.to_json(),
        "items": [
            {
                "kind": i.target_kind,
                "uid": i.uid,
                "revision": i.revision,
                "content_sha256": i.content_sha256,
                "content": dict(i.content),
                "statement": dict(i.statement),
                "signature": b64(i.signature),
            }
            for i in items
        ],
    }
    return _sealed_by(signer, document)


def read_receipt(path: Path) -> SignoffReceipt:
    """Read and check the structure of a receipt (its signatures are checked on import).

    Raises:
        SignoffFileError: the file is missing, cut short, altered, or not a receipt.
    """
    data = _load(path, "receipt of signatures", RECEIPT_FORMAT)
    r = _Reader(Path(path).name, "receipt of signatures")
    try:
        supervisor = PublicIdentity.from_json(data.get("supervisor"), "supervisor")
        practitioner = Binding.from_json(data.get("practitioner"))
    except ValueError as error:
        raise r.fail("supervisor/practitioner", str(error)) from None
    items = []
    for i, item in enumerate(r.items(data, "items", "receipt")):
        where = f"items[{i}]"
        content = r.obj(item.get("content"), f"{where}.content")
        stated = r.text(item, "content_sha256", where)
        if digest(content) != stated:
            raise r.fail(f"{where}.content", "does not match its digest (it was altered)")
        items.append(
            ReceiptItem(
                r.text(item, "kind", where),
                r.text(item, "uid", where),
                r.integer(item, "revision", where),
                stated,
                dict(r.obj(item.get("statement"), f"{where}.statement")),
                _bytes(r, item, "signature", where),
                dict(content),
            )
        )
    if not items:
        raise r.fail("items", "is empty")
    return SignoffReceipt(
        uid=r.text(data, "receipt_id", "receipt"),
        created_at=r.moment(data, "created_at", "receipt"),
        practitioner=practitioner,
        supervisor=supervisor,
        items=tuple(items),
        supervisor_signature=_bytes(r, data, "supervisor_signature", "receipt"),
        document=data,
    )
