"""A portfolio that proves itself: its evidence, gathered with its data, and the sealed PDF.

The evidence (see :mod:`logbook.domain.proof`) is read from the same state of the logbook as
everything the document prints, and worked out before the pages are laid out, so every page can
print its fingerprint. Once the PDF is rendered it is sealed: the evidence goes inside as an
associated file (PDF/A-3b when archiving), and the practitioner's signature is the last write.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from logbook.domain.audit import Binding, read_pin, sign_action
from logbook.domain.identity import PublicIdentity, UnlockedIdentity, b64
from logbook.domain.proof import (
    EVIDENCE_FILENAME,
    EVIDENCE_MIME,
    MAX_EVIDENCE_BYTES,
    DocumentFacts,
    PractitionerKeys,
    PrintedState,
    SignedNote,
    build_evidence,
    document_fingerprint,
    key_link_statement,
)
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    EventType,
    SignoffEvent,
    is_signable,
    signed_content,
    summary_content,
)
from logbook.domain.signoff import SignoffState
from logbook.export.data import Cancelled, DocumentSigner, PortfolioData, Progress
from logbook.services.logbook import Logbook
from logbook.services.pdf_signing import sign_pdf
from logbook.services.portfolio_data import ExportError, ExportOptions, gather_portfolio
from logbook.services.signoff import trust as st
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Session


@dataclass(frozen=True)
class ProvenPortfolio:
    """What a portfolio prints, with the evidence it carries (whose fingerprint it prints)."""

    data: PortfolioData
    evidence: bytes

    @property
    def fingerprint(self) -> str:
        """The document fingerprint: the SHA-256 of the evidence, printed on every page."""
        return self.data.document_id


# --- the signing identity ----------------------------------------------------------------------


def signing_key(logbook: Logbook, options: ExportOptions) -> PublicIdentity | None:
    """The public part of the identity that is to sign the file (None: it is not signed).

    Raises:
        NotFoundError: no identity with that fingerprint is kept on this computer.
        NotYourIdentityError: it is the key of someone who signs in this logbook.
    """
    if not options.sign_with:
        return None
    return logbook.signoff.own_identity(options.sign_with).public


def document_signer(logbook: Logbook, options: ExportOptions) -> UnlockedIdentity | None:
    """The practitioner's signing identity, unlocked with its passphrase (None: no signing).

    Asked before anything is read or written, so a wrong passphrase costs nothing.

    Raises:
        NotFoundError: no identity with that fingerprint is kept on this computer.
        NotYourIdentityError: it is the key of someone who signs in this logbook.
        ExportError: there is no way to ask for the passphrase.
        WrongPassphraseError: the passphrase does not unlock it.
    """
    if not options.sign_with:
        return None
    sealed = logbook.signoff.own_identity(options.sign_with)
    if options.passphrase is None:
        raise ExportError(
            f"Signing with the identity of {sealed.public.name} ({sealed.fingerprint}) needs "
            "its passphrase. Nothing was written."
        )
    return sealed.unlock(options.passphrase(sealed.public))


# --- the evidence ------------------------------------------------------------------------------


def prove_portfolio(
    logbook: Logbook,
    options: ExportOptions,
    signer: PublicIdentity | None,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ProvenPortfolio:
    """The portfolio's data and its evidence, both read from one state of the logbook, with
    the document fingerprint set for every page to print.

    Raises:
        ExportError: as :func:`gather_portfolio` raises it, or the evidence would be larger
            than a portfolio's evidence may be.
        ValidationError: an unknown layout or section.
        ExportCancelled: ``cancelled`` returned True.
    """
    with logbook.db.reading() as session:
        data = gather_portfolio(logbook, options, now=now, progress=progress, cancelled=cancelled)
        keys = _practitioner_keys(session, logbook.db.logbook_id, signer)
        events = _printed_events(session, data)
        confirmations = _confirmations(session, keys.binding, events)
        summaries = _summaries(session, events)
        history = sr.chain_head(session)
    facts = DocumentFacts(
        options.layout,
        data.start,
        data.end,
        data.generated_at,
        data.app_version,
        options.include_private,
    )
    entries = [*_entries(data), *summaries]
    evidence = build_evidence(
        keys, facts, entries, events, confirmations, history, data.totals, _printed_states(data)
    )
    if len(evidence) > MAX_EVIDENCE_BYTES:
        raise ExportError(
            "This portfolio holds more entries than one file can prove (its evidence would be "
            f"{len(evidence) // 2**20:,} MB). Export a shorter period, or fewer sections."
        )
    signed_by = DocumentSigner(signer.name, signer.fingerprint) if signer else None
    fingerprint = document_fingerprint(evidence)
    return ProvenPortfolio(
        dataclasses.replace(data, document_id=fingerprint, signed_by=signed_by), evidence
    )


def _practitioner_keys(
    session: Session, logbook_id: str, signer: PublicIdentity | None
) -> PractitionerKeys:
    """The practitioner, their logbook's key, and (when signing) the document key it vouches
    for."""
    bound = st.binding(session, logbook_id)
    owner = st.practitioner_signer(session)
    link = None
    if signer is not None:
        payload, signature = sign_action(key_link_statement(bound, signer), owner)
        link = SignedNote(payload.decode("utf-8"), b64(signature))
    return PractitionerKeys(
        bound.practitioner, bound.registrations, logbook_id, owner.public, signer, link
    )


def _entries(data: PortfolioData) -> Iterable[Mapping[str, Any]]:
    """The signed content of every entry the document prints, in the order it prints them."""
    for kind in sorted(data.records):
        for record in data.records[kind]:
            if is_signable(record):
                yield signed_content(record)


def _printed_states(data: PortfolioData) -> Iterable[PrintedState]:
    """The sign-off state the document prints for each entry it does not print as unsigned."""
    for kind in sorted(data.records):
        for record in data.records[kind]:
            entry = data.entry_signoffs.get(record.uid)
            if entry is not None and entry.state is not SignoffState.UNSIGNED:
                yield PrintedState(kind.value, record.uid, entry.state)


def _printed_events(session: Session, data: PortfolioData) -> list[SignoffEvent]:
    """The sign-off events of the entries a document prints, when it prints sign-off.

    Signatures are those it lists (never one made for someone else) and those withdrawn since;
    requests, returns, withdrawals and paper evidence come whole.
    """
    if data.signoff_history is None:
        return []  # the layout prints no sign-off
    shown = {evidence.event_uid for evidence in data.signoffs}
    targets = {evidence.target_uid for evidence in data.signoffs}
    targets |= {r.uid for records in data.records.values() for r in records if is_signable(r)}
    events = [e for found in sr.events_for(session, targets).values() for e in found]
    withdrawn = {e.refers_to for e in events if e.event_type is EventType.REVOKED}
    return sorted(
        (
            e
            for e in events
            if e.event_type is not EventType.SIGNED or e.uid in shown or e.uid in withdrawn
        ),
        key=lambda e: e.seq,
    )


def _confirmations(
    session: Session, binding: Binding, events: Iterable[SignoffEvent]
) -> list[SignoffEvent]:
    """The practitioner's standing confirmations of the keys that signed ``events``."""
    signers = {e.fingerprint for e in events if e.event_type is EventType.SIGNED}
    if not signers:
        return []
    withdrawn = sr.revoked_uids(session)
    found = []
    for event in sr.confirmation_events(session):
        pin, _ = read_pin(event.uid, event.payload, event.signature, binding)
        if event.uid not in withdrawn and pin is not None and pin.fingerprint in signers:
            found.append(event)
    return found


def _summaries(session: Session, events: Iterable[SignoffEvent]) -> list[Mapping[str, Any]]:
    """The content of the period summaries the sign-off events are about."""
    uids = {e.target_uid for e in events if e.target_kind == PERIOD_SUMMARY}
    return [summary_content(s) for s in sr.summaries(session, sorted(uids))] if uids else []


# --- sealing -----------------------------------------------------------------------------------


def seal_portfolio(
    pdf: bytes, evidence: bytes, *, pdfa: bool, signer: UnlockedIdentity | None
) -> bytes:
    """The rendered PDF with its evidence inside (PDF/A-3b when ``pdfa``), then signed.

    Raises:
        ExportError: the PDF/A-3b file does not pass its check.
    """
    sealed = embed_evidence(pdf, evidence, pdfa=pdfa)
    return sign_pdf(sealed, signer) if signer is not None else sealed


def embed_evidence(pdf: bytes, evidence: bytes, *, pdfa: bool) -> bytes:
    """``pdf`` with the evidence attached as an associated file of the document (/AF, its
    relationship /Data), written as PDF/A-3b and checked by pikepdf when ``pdfa``.

    Raises:
        ExportError: the PDF/A-3b file does not pass its check.
    """
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        spec = pikepdf.AttachedFileSpec(
            document,
            evidence,
            description="The evidence this portfolio prints, which its fingerprint identifies",
            filename=EVIDENCE_FILENAME,
            mime_type=EVIDENCE_MIME,
            creation_date="",
            mod_date="",
        )
        spec.obj.AFRelationship = pikepdf.Name.Data
        document.attachments[EVIDENCE_FILENAME] = spec
        document.Root.AF = pikepdf.Array([spec.obj])
        if pdfa:
            _save_pdfa(document, out)
        else:
            # The structure tree's many small objects go into compressed object streams.
            document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _save_pdfa(document: Any, out: io.BytesIO) -> None:
    import pikepdf.pdfa

    for page in document.pages:
        # ReportLab writes an empty page transition on every page; PDF/A has no use for it.
        if "/Trans" in page.obj:
            del page.obj["/Trans"]
    try:
        pikepdf.pdfa.save(document, out, "3b")
    except pikepdf.pdfa.PdfaError as error:
        problems = "; ".join(str(f) for f in error.report.findings[:5])
        raise ExportError(f"The PDF/A-3b file did not pass its check: {problems}") from error
