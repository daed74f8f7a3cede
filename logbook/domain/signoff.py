"""Sign-off states a record can be in, and the evidence a portfolio prints for a signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from logbook.domain.choices import Choice


class SignoffState(Choice):
    VERIFIED = "verified", "Signed (verified)"
    CHANGED = "changed_since_signed", "Changed since signed"
    INVALID = "invalid", "Signature invalid"
    RETURNED = "returned", "Returned by supervisor"
    AWAITING = "awaiting", "Awaiting sign-off"
    UNSIGNED = "unsigned"
    # A scanned or e-signed page is evidence a person can look at, never a verified signature.
    PAPER = "paper_unverified", "Paper evidence (unverified)"


class SignoffMode(Choice):
    IN_PERSON = "in_person"
    REMOTE = "remote", "Remote (request and response files)"
    BATCH = "batch"
    PAPER = "paper", "Scanned or e-signed paper (unverified)"


@dataclass(frozen=True)
class SignoffEvidence:
    """One signature as a reviewer sees it in a portfolio appendix."""

    target_uid: str
    target_kind: str
    target_revision: int
    description: str
    signer_name: str
    signer_registration: str
    signer_organisation: str
    signed_at: datetime
    mode: SignoffMode
    fingerprint: str
    state: SignoffState
