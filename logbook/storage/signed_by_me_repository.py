"""The supervisor's "signed by me" register: each signature kept once, by its statement's digest."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from logbook.domain.signoff import SignoffMode
from logbook.storage.models import SignedByMeRow


@dataclass(frozen=True)
class RegisterEntry:
    """A signature as the register keeps it: the signed statement, its signature, and what they
    say, so the entry proves itself without the practitioner's logbook."""

    statement_sha256: str
    target_kind: str
    target_uid: str
    target_revision: int
    content_sha256: str
    content: str
    description: str
    practitioner_name: str
    practitioner_key: str
    logbook_id: str
    signer_fingerprint: str
    signed_at: datetime
    mode: str
    payload: str
    signature: str
    source: str
    recorded_at: datetime


@dataclass(frozen=True)
class GivenSignature:
    """A signature in the register, as the supervisor reads it."""

    target_kind: str
    target_uid: str
    target_revision: int
    description: str
    practitioner: str
    practitioner_key: str
    signed_at: datetime
    mode: SignoffMode
    source: str
    fingerprint: str


def holds(session: Session, statement_sha256: str) -> bool:
    """Whether the register already keeps the signature of this statement."""
    return session.get(SignedByMeRow, statement_sha256) is not None


def add(session: Session, entry: RegisterEntry) -> None:
    """Keep a signature the supervisor has just given (see :func:`holds` to avoid a second copy)."""
    session.add(SignedByMeRow(**dataclasses.asdict(entry)))
    session.flush()


def newest_first(session: Session) -> list[GivenSignature]:
    """Every signature in the register, the newest first."""
    statement = select(SignedByMeRow).order_by(SignedByMeRow.signed_at.desc())
    return [_given(row) for row in session.scalars(statement)]


def signatures_of(session: Session, target_uid: str) -> list[GivenSignature]:
    """Every signature in the register of the entry ``target_uid``."""
    statement = select(SignedByMeRow).where(SignedByMeRow.target_uid == target_uid)
    return [_given(row) for row in session.scalars(statement)]


def _given(row: SignedByMeRow) -> GivenSignature:
    return GivenSignature(
        target_kind=row.target_kind,
        target_uid=row.target_uid,
        target_revision=row.target_revision,
        description=row.description,
        practitioner=row.practitioner_name,
        practitioner_key=row.practitioner_key,
        signed_at=row.signed_at,
        mode=SignoffMode(row.mode),
        source=row.source,
        fingerprint=row.signer_fingerprint,
    )
