"""The supervisor's "signed by me" register: every signature they made, in their own logbook.

It is fed by the responses they write (remote sign-off) and by the receipts of what they signed
in person on a practitioner's computer. Each entry keeps the signed statement and its signature,
so "did I sign this?" has an answer that proves itself years later, and supervision received by
a supervisee becomes an entry of supervision *given* in the supervisor's own log.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from logbook.domain.audit import Binding
from logbook.domain.choices import Direction, Mode, SupervisionFormat, SupervisionType
from logbook.domain.identity import b64
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Person, Record, RecordKind, SupervisionSession, utc_now
from logbook.domain.signing import (
    SignoffFileError,
    check_signature,
    describe_content,
    digest_bytes,
)
from logbook.domain.validation import validate
from logbook.services.changes import Change, Topic
from logbook.services.identity import IdentityStore
from logbook.services.signoff.files import read_receipt
from logbook.services.signoff.trust import same_name
from logbook.storage import repository as repo
from logbook.storage import signed_by_me_repository as register
from logbook.storage.database import Database, Session
from logbook.storage.signed_by_me_repository import GivenSignature as GivenSignature
from logbook.storage.signed_by_me_repository import RegisterEntry

RESPONSE, RECEIPT = "response", "receipt"
# Supervision given is logged under a uid made from the signed entry's, so it is logged once.
GIVEN_NAMESPACE = uuid.UUID("6f1d2a4e-9b7c-4c1e-8f3a-2d5e7b9c0a11")


@dataclass(frozen=True)
class SignedItem:
    """One signature to keep: the statement as signed, its signature and the content."""

    payload: bytes
    signature: bytes
    content: Mapping[str, Any]


@dataclass(frozen=True)
class Kept:
    """What keeping signatures in the register did."""

    added: int
    already: int
    sessions_logged: int
    practitioner: str = ""
    change: Change = field(default_factory=Change)


class SignedByMeService:
    """The register of one open logbook, and the signing identities kept on this computer."""

    def __init__(self, db: Database, identities: IdentityStore) -> None:
        self.db = db
        self.identities = identities

    def import_receipt(self, path: Path) -> Kept:
        """Keep the signatures of a receipt of signing in person.

        Raises:
            SignoffFileError: the receipt is damaged or altered, is not signed by an identity
                kept on this computer, or holds a signature that does not verify.
        """
        receipt = read_receipt(Path(path))
        name = Path(path).name
        signer = receipt.supervisor
        if not signer.verify(receipt.supervisor_signature, receipt.signed_body()):
            raise SignoffFileError(
                f"{name} is not signed by the supervisor it names: it was altered. Nothing was "
                "kept."
            )
        own = {i.fingerprint for i in self.identities.list()}
        if signer.fingerprint not in own:
            raise SignoffFileError(
                f"{name} records signatures by {signer.name} ({signer.fingerprint}), an identity "
                "not kept on this computer. Import that identity file first (Sign-off, "
                "Identities). Nothing was kept."
            )
        items = []
        for item in receipt.items:
            check = check_signature(
                item.payload,
                item.signature,
                target_kind=item.target_kind,
                target_uid=item.uid,
                target_revision=item.revision,
                content_sha256=item.content_sha256,
                fingerprint=signer.fingerprint,
            )
            bound = check.statement.binding if check.statement else None
            if not check.valid or bound is None or not bound.same_owner(receipt.practitioner):
                reason = check.reason or "it is for someone else than the receipt names"
                raise SignoffFileError(
                    f"{name}: the signature of {describe_content(item.content)} does not hold "
                    f"({reason}). Nothing was kept."
                )
            items.append(SignedItem(item.payload, item.signature, item.content))
        with self.db.transaction() as session:
            kept = keep(session, items, RECEIPT, utc_now())
        return Kept(
            kept.added,
            kept.already,
            kept.sessions_logged,
            receipt.practitioner.practitioner,
            kept.change,
        )

    def all(self, *, practitioner: str = "") -> list[GivenSignature]:
        """Every signature in the register, newest first (of one practitioner, if named)."""
        with self.db.reading() as session:
            found = register.newest_first(session)
        if practitioner:
            found = [g for g in found if same_name(g.practitioner, practitioner)]
        return found

    def signed(self, target_uid: str) -> list[GivenSignature]:
        """Did I sign this entry? Every signature of it in the register."""
        with self.db.reading() as session:
            return register.signatures_of(session, target_uid)


def keep(session: Session, items: Iterable[SignedItem], source: str, now: datetime) -> Kept:
    """Add signatures to the register (each once) and log supervision given for them."""
    added = already = 0
    made: list[Record] = []
    for item in items:
        statement = json.loads(item.payload)
        sha = digest_bytes(item.payload)
        if register.holds(session, sha):
            already += 1
            continue
        bound = Binding.from_json(statement["for"])
        target = statement["target"]
        register.add(
            session,
            RegisterEntry(
                statement_sha256=sha,
                target_kind=target["kind"],
                target_uid=target["uid"],
                target_revision=target["revision"],
                content_sha256=statement["content_sha256"],
                content=json.dumps(dict(item.content), ensure_ascii=False, sort_keys=True),
                description=str(statement.get("description", "")),
                practitioner_name=bound.practitioner,
                practitioner_key=bound.practitioner_key,
                logbook_id=bound.logbook_id,
                signer_fingerprint=statement["signer"]["fingerprint"],
                signed_at=datetime.fromisoformat(statement["signed_at"]),
                mode=statement["mode"],
                payload=item.payload.decode("utf-8"),
                signature=b64(item.signature),
                source=source,
                recorded_at=now,
            ),
        )
        added += 1
        _log_given(session, item.content, bound.practitioner, made)
    logged = sum(1 for r in made if r.kind is RecordKind.SUPERVISION)
    return Kept(added, already, logged, change=_kept_change(made))


def _kept_change(made: Sequence[Record]) -> Change:
    """The register (shown on the sign-off page) and whatever was logged from it."""
    return Change(
        created=tuple(r.uid for r in made),
        kinds=frozenset(r.kind for r in made),
        topics=frozenset({Topic.SIGNOFF}),
    )


def _log_given(
    session: Session, content: Mapping[str, Any], practitioner: str, made: list[Record]
) -> None:
    """Log supervision the practitioner received as supervision given here (once), adding what
    was inserted to ``made``."""
    if content.get("kind") != RecordKind.SUPERVISION.value:
        return
    if content.get("direction") != Direction.RECEIVED.value:
        return
    uid = str(uuid.uuid5(GIVEN_NAMESPACE, str(content.get("uid"))))
    if repo.find(session, RecordKind.SUPERVISION, uid) is not None:
        return
    try:
        given = SupervisionSession(
            uid=uid,
            date=date.fromisoformat(str(content["date"])),
            duration_minutes=int(content["duration_minutes"]),
            direction=Direction.GIVEN,
            counterpart_uid=_person(session, practitioner, made),
            supervision_type=SupervisionType(content["supervision_type"]),
            format=SupervisionFormat(content["format"]),
            group_size=content.get("group_size"),
            mode=Mode(content["mode"]),
            live=bool(content.get("live", False)),
        )
    except (KeyError, ValueError, TypeError):
        return  # content of an older or unusual shape: kept in the register only
    if validate(given):
        return
    repo.insert(session, given)
    made.append(given)


def _person(session: Session, name: str, made: list[Record]) -> str | None:
    if not name.strip():
        return None
    people = repo.query(session, RecordQuery(RecordKind.PERSON, limit=None))
    for person in people:
        if isinstance(person, Person) and same_name(person.name, name):
            return person.uid
    person = Person(name=name.strip(), roles=("supervisee",))
    repo.insert(session, person)
    made.append(person)
    return person.uid
