"""Sign-off on this computer: in person, in a batch, period summaries, signed paper, and
revocation.

Every use case is one transaction: a sign-off either happens completely or leaves nothing
behind. Events are only appended (sign-off is an audit trail, so it is never part of undo); a
revocation is a new event with a reason.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from logbook.domain.audit import ConfirmMethod, revocation_statement, sign_action
from logbook.domain.errors import ConflictError, LogbookError, NotFoundError, ValidationError
from logbook.domain.identity import PublicIdentity, SealedIdentity, b64
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Attachment, Record, RecordKind, utc_now
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    EventType,
    PeriodSummary,
    Signable,
    default_summary_statement,
    signature_payload,
)
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services import filetypes
from logbook.services.changes import Change
from logbook.services.identity import write_json_file
from logbook.services.signoff import trust as st
from logbook.services.signoff.events import (
    Target,
    attach_signature,
    json_object,
    kinds_by_uid,
    problem,
    signoff_change,
    stored_signable,
)
from logbook.services.signoff.files import ReceiptItem, receipt_document
from logbook.services.signoff.status import SignoffStatus
from logbook.storage import repository as repo
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database

MAX_PAPER_BYTES = 50 * 1024 * 1024
PAPER_LABEL = "Signed paper evidence (unverified)"


@dataclass(frozen=True)
class SignResult:
    """What signing here did.

    Attributes:
        receipt: The receipt for the signer's own register (signed by them), to save where
            they choose; see :meth:`SignoffService.save_receipt`.
    """

    signer: PublicIdentity
    signed: tuple[str, ...]
    batch_uid: str | None = None
    receipt: Mapping[str, Any] = field(default_factory=dict, repr=False)
    change: Change = field(default_factory=Change)


@dataclass(frozen=True)
class SummaryCreated:
    """The period summary kept for signing, and the ``Change`` that made it."""

    summary: PeriodSummary
    change: Change


@dataclass(frozen=True)
class PaperAttached:
    """The uids of the paper events, one for each entry."""

    events: tuple[str, ...]
    change: Change


@dataclass(frozen=True)
class Revoked:
    """The uid of the revocation event."""

    event_uid: str
    change: Change


class LocalSignoff:
    """Signing on this computer, paper evidence and revocation, in one open logbook."""

    def __init__(self, db: Database, status: SignoffStatus) -> None:
        self.db = db
        self.status = status

    # --- signing on this computer ----------------------------------------------------------

    def sign(
        self,
        targets: Sequence[Target],
        identity: SealedIdentity,
        passphrase: str,
        *,
        mode: SignoffMode = SignoffMode.IN_PERSON,
        batch_label: str = "",
        cosign_reason: str = "",
        confirm_for: str | None = None,
    ) -> SignResult:
        """Sign entries (or period summaries) here, with the supervisor present.

        The identity's private key is unlocked in memory for this call only; it is never
        stored in this logbook. The content signed is the content stored now, which must be
        the revision the supervisor reviewed. The signature names this practitioner and
        logbook.

        Args:
            targets: The entries or period summaries as the supervisor reviewed them; each
                must still be at the revision shown.
            identity: The supervisor's signing identity, its key sealed.
            passphrase: Unlocks ``identity``'s key for this call.
            mode: In person (the default) or batch; remote and paper sign-off have their own
                use cases.
            batch_label: What a batch covers (e.g. a month's sessions), in words; it is signed.
            cosign_reason: Why someone other than the recorded supervisor signs; it is signed.
            confirm_for: A person's uid: the supervisor compared their fingerprint on their own
                screen with the practitioner just now, so their key is pinned to that person
                (in the same transaction, before signing).

        Raises:
            WrongPassphraseError: nothing was signed.
            ConflictError: an entry changed since it was shown; nothing was signed.
            FutureEntryError: an entry is dated after today; nothing was signed.
            SignerNotSupervisorError: the signer is not the supervisor recorded on an entry.
        """
        if not targets:
            raise LogbookError("Choose at least one entry to sign.")
        if mode in (SignoffMode.REMOTE, SignoffMode.PAPER):
            raise ValueError("remote and paper sign-off have their own use cases")
        st.refuse_future(targets)
        unlocked = identity.unlock(passphrase)
        now = utc_now()
        reason = cosign_reason.strip()
        batch_uid = str(uuid.uuid4()) if mode is SignoffMode.BATCH or len(targets) > 1 else None
        with self.db.transaction() as session:
            signables = [stored_signable(session, t) for t in targets]
            if confirm_for:
                st.pin_key(
                    session,
                    self.db.logbook_id,
                    confirm_for,
                    unlocked.public,
                    ConfirmMethod.IN_PERSON,
                    now,
                )
            if not reason:
                trusted = self.status.trust_in(session)
                st.refuse_other_signer(
                    session, targets, unlocked.public.name, unlocked.public, trusted
                )
            bound = st.binding(session, self.db.logbook_id)
            receipted: list[ReceiptItem] = []
            for signable in signables:
                payload = signature_payload(
                    signable,
                    unlocked.public,
                    now,
                    mode,
                    batch_label,
                    binding=bound,
                    cosign_reason=reason,
                )
                signature = unlocked.sign(payload)
                receipted.append(_receipt_item(signable, payload, signature))
                attach_signature(
                    session,
                    signable,
                    payload,
                    signature,
                    unlocked.public,
                    now,
                    mode,
                    batch_uid=batch_uid,
                    batch_label=batch_label,
                )
            sr.refresh_status(session, [s.uid for s in signables])
            moved = {s.uid: s.target_kind for s in signables}
            if confirm_for:  # the key's earlier signatures now count too
                moved |= st.signed_with(session, unlocked.public.fingerprint)
            # Seen, not trusted: a key made on this computer in someone's name proves nothing.
            sr.remember_signer(session, unlocked.public, now=now, source=mode.value)
        receipt = receipt_document(
            uid=str(uuid.uuid4()),
            created_at=now,
            practitioner=bound,
            signer=unlocked,
            items=receipted,
        )
        signed = tuple(s.uid for s in signables)
        return SignResult(unlocked.public, signed, batch_uid, receipt, signoff_change(moved))

    def save_receipt(self, result: SignResult, path: Path) -> None:
        """Write the receipt of a signing for the supervisor to keep (their USB stick, say).

        Raises:
            LogbookError: the file cannot be written.
        """
        write_json_file(Path(path), dict(result.receipt))

    def batch_candidates(
        self, kind: RecordKind, period: Period, subtypes: Iterable[str] = ()
    ) -> list[tuple[Record, SignoffState]]:
        """The entries of a batch ("all supervision in March 2026") with their states."""
        query = RecordQuery(
            kind, period=period, subtypes=frozenset(subtypes), limit=None, descending=False
        )
        with self.db.reading() as session:
            rows = repo.query(session, query)
            assessed = self.status.assess_in(session, rows)
        return [(r, assessed[r.uid].state) for r in rows]

    def sign_batch(
        self,
        kind: RecordKind,
        period: Period,
        identity: SealedIdentity,
        passphrase: str,
        *,
        subtypes: Iterable[str] = (),
        label: str = "",
        cosign_reason: str = "",
    ) -> SignResult:
        """Sign every entry of a kind in a period that is not already verified, as one batch.

        Raises:
            LogbookError: there is nothing to sign in that period.
        """
        chosen = list(subtypes)
        todo = [
            r
            for r, state in self.batch_candidates(kind, period, chosen)
            if state is not SignoffState.VERIFIED
        ]
        if not todo:
            raise LogbookError(
                f"There is no {kind.label.lower()} to sign in {period.describe()} "
                "(entries already signed are left as they are)."
            )
        label = label or batch_label(kind, period, chosen)
        return self.sign(
            todo,
            identity,
            passphrase,
            mode=SignoffMode.BATCH,
            batch_label=label,
            cosign_reason=cosign_reason,
        )

    # --- period summaries ------------------------------------------------------------------

    def create_summary(
        self,
        kind: RecordKind,
        period: Period,
        *,
        subtypes: Iterable[str] = (),
        statement: str = "",
    ) -> SummaryCreated:
        """Total a kind over a period and keep the statement for signing.

        Raises:
            ValidationError: the period is open-ended or has no entries.
        """
        if period.start is None or period.end is None:
            raise ValidationError([], "A period summary needs a first and a last date")
        if period.end >= date.today():
            raise ValidationError(
                [],
                f"A period summary covers days that are over: {period.end:%d %b %Y} is not "
                "over yet; end the period yesterday or earlier",
            )
        chosen = tuple(sorted(subtypes))
        with self.db.transaction() as session:
            total = repo.summarise(
                session, RecordQuery(kind, period=period, subtypes=frozenset(chosen))
            )
            if total.count == 0:
                raise ValidationError(
                    [], f"There is no {kind.label.lower()} in {period.describe()} to summarise"
                )
            summary = PeriodSummary(
                uid=str(uuid.uuid4()),
                created_at=utc_now(),
                record_kind=kind,
                period=period,
                subtypes=chosen,
                count=total.count,
                minutes=total.minutes,
                statement=statement.strip()
                or default_summary_statement(kind, period, total.minutes, total.count, chosen),
            )
            sr.add_summary(session, summary)
        return SummaryCreated(summary, signoff_change(created={summary.uid: PERIOD_SUMMARY}))

    def summaries(self) -> list[PeriodSummary]:
        """Every period summary kept in this logbook, signed or not, newest first."""
        with self.db.reading() as session:
            return sr.summaries(session)

    # --- paper evidence --------------------------------------------------------------------

    def attach_paper(
        self,
        targets: Sequence[Record],
        pdf: Path,
        *,
        signer_name: str,
        signed_on: date | None = None,
        note: str = "",
    ) -> PaperAttached:
        """Attach a scanned or e-signed PDF as evidence, kept with its SHA-256.

        It is labelled unverified everywhere: the app cannot check a picture of a signature.

        Raises:
            ValidationError: no entries, no signer named, or the file is not a PDF.
        """
        path = Path(pdf)
        problems = []
        if not targets:
            problems.append(problem("choose at least one entry"))
        if not signer_name.strip():
            problems.append(problem("name the person who signed the paper"))
        data = b""
        try:
            if path.stat().st_size > MAX_PAPER_BYTES:
                problems.append(problem(f"{path.name} is larger than 50 MB", "file"))
            else:
                data = path.read_bytes()
        except OSError as error:
            problems.append(problem(f"{path} cannot be read: {error.strerror or error}", "file"))
        if data and not (path.suffix.lower() == ".pdf" and filetypes.sniff(data) == "pdf"):
            problems.append(problem(f"{path.name} is not a PDF file", "file"))
        if problems:
            raise ValidationError(problems, "The paper evidence was not attached")
        sha = hashlib.sha256(data).hexdigest()
        now = utc_now()
        note_text = note.strip()
        if signed_on:
            note_text = f"Signed on paper on {signed_on:%d %b %Y}. {note_text}".strip()
        batch_uid = str(uuid.uuid4()) if len(targets) > 1 else None
        events = []
        attachments: dict[str, str] = {}
        with self.db.transaction() as session:
            repo.store_blob(session, sha, data)
            for target in targets:
                signable = stored_signable(session, target)
                attachment = Attachment(
                    owner_uid=target.uid,
                    filename=path.name,
                    media_type="application/pdf",
                    size=len(data),
                    sha256=sha,
                    label=PAPER_LABEL,
                )
                repo.insert(session, attachment)
                attachments[attachment.uid] = RecordKind.ATTACHMENT.value
                events.append(
                    sr.append_event(
                        session,
                        EventType.PAPER,
                        target_kind=signable.target_kind,
                        target_uid=signable.uid,
                        target_revision=signable.revision,
                        content_sha256=signable.digest,
                        occurred_at=now,
                        mode=SignoffMode.PAPER,
                        actor_name=signer_name.strip(),
                        batch_uid=batch_uid,
                        comment=note_text,
                        attachment_uid=attachment.uid,
                        refresh=False,
                    )
                )
            sr.refresh_status(session, [t.uid for t in targets])
        change = signoff_change(kinds_by_uid(targets), created=attachments)
        return PaperAttached(tuple(events), change)

    # --- revocation ------------------------------------------------------------------------

    def revoke(self, event_uid: str, reason: str, *, by: str = "") -> Revoked:
        """Revoke a signature or paper evidence; the event stays, with the revocation after it.

        Raises:
            ValidationError: no reason given.
            NotFoundError / ConflictError: no such signature, or it is already revoked.
        """
        if not reason.strip():
            raise ValidationError([problem("say why it is revoked", "reason")], "Not revoked")
        with self.db.transaction() as session:
            found = sr.event(session, event_uid)
            if found is None or found.event_type not in (EventType.SIGNED, EventType.PAPER):
                raise NotFoundError("There is no such signature in this logbook.")
            history = sr.events_for(session, [found.target_uid]).get(found.target_uid, [])
            if any(e.event_type is EventType.REVOKED and e.refers_to == event_uid for e in history):
                raise ConflictError("This signature was already revoked.")
            now = utc_now()
            # The practitioner withdraws it from their record, and signs that they did.
            signer = st.practitioner_signer(session)
            payload, signature = sign_action(
                revocation_statement(
                    revokes=event_uid,
                    target={
                        "kind": found.target_kind,
                        "uid": found.target_uid,
                        "revision": found.target_revision,
                    },
                    reason=reason.strip(),
                    requested_by=by.strip(),
                    binding=st.binding(session, self.db.logbook_id),
                    revoked_at=now,
                ),
                signer,
            )
            revocation = sr.append_event(
                session,
                EventType.REVOKED,
                target_kind=found.target_kind,
                target_uid=found.target_uid,
                target_revision=found.target_revision,
                content_sha256=found.content_sha256,
                occurred_at=now,
                actor_name=by.strip() or signer.public.name,
                fingerprint=signer.public.fingerprint,
                payload=payload.decode("utf-8"),
                signature=b64(signature),
                refers_to=event_uid,
                comment=reason.strip(),
            )
        return Revoked(revocation, signoff_change({found.target_uid: found.target_kind}))


def batch_label(kind: RecordKind, period: Period, subtypes: Sequence[str] = ()) -> str:
    """E.g. "All supervision in 01 Mar 2026 – 31 Mar 2026"."""
    what = kind.label.lower()
    if subtypes:
        what += " (" + ", ".join(s.replace("_", " ") for s in sorted(subtypes)) + ")"
    return f"All {what} in {period.describe()}"


def _receipt_item(signable: Signable, payload: bytes, signature: bytes) -> ReceiptItem:
    return ReceiptItem(
        signable.target_kind,
        signable.uid,
        signable.revision,
        signable.digest,
        json_object(payload),
        signature,
        dict(signable.content),
    )
