"""Sign-off states a record can be in, and the evidence a portfolio prints for a signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from logbook.domain.choices import Choice


class SignoffState(Choice):
    """Where a record stands with its sign-off, as its list and the portfolio show it; only
    ``VERIFIED`` means a key the practitioner confirmed signed what the record now says."""

    VERIFIED = "verified", "Signed (verified)"
    CHANGED = "changed_since_signed", "Changed since signed"
    INVALID = "invalid", "Signature invalid"
    RETURNED = "returned", "Returned by supervisor"
    AWAITING = "awaiting", "Awaiting sign-off"
    UNSIGNED = "unsigned"
    # A valid signature that proves less than "verified" here (see signing.verdict).
    UNCONFIRMED = "key_not_confirmed", "Signed, key not confirmed"
    NOT_SUPERVISOR = "not_supervisor", "Signed by someone other than the supervisor"
    FOREIGN = "foreign", "Signed for someone else"
    # A scanned or e-signed page is evidence a person can look at, never a verified signature.
    PAPER = "paper_unverified", "Paper evidence (unverified)"


class SignoffMode(Choice):
    """How a signature was made: at the practitioner's computer (one entry or a batch), through
    request and response files, or on paper."""

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
    # How and when the practitioner confirmed the signer's key ("" when not confirmed), and
    # whose key they confirmed it to be.
    key_confirmed: str = ""
    key_holder: str = ""
    # Why someone other than the recorded supervisor signed, when they did.
    cosign_reason: str = ""
    # The sign-off event behind it, which a portfolio carries as evidence.
    event_uid: str = ""
    # The request it answered, or the batch it was signed in (with what the batch covers), so
    # an appendix can list the signatures of one signing together.
    request_uid: str = ""
    batch_uid: str = ""
    batch_label: str = ""
