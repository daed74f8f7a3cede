"""The practitioner's own signature on a portfolio PDF, and reading one back to check it.

The signature is a standard PDF signature (an invisible signature field in the document's
form, ``adbe.pkcs7.detached``) made with the practitioner's Ed25519 signing identity, so any PDF
reader lists it. Its certificate is made from that key and names the practitioner: it is
self-issued, and what makes it trustworthy is that its key is the one the portfolio's evidence
names and the practitioner's logbook key vouches for, not a certificate authority. The
certificate depends only on the key and the name, so every portfolio signed with one identity
carries the same certificate.

The signature is written as an incremental update, the last bytes of the file: it covers the
whole file, and anything appended later shows.

pyHanko does the PDF work; it is imported when a document is signed or checked, not before.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from logbook.domain.identity import UnlockedIdentity
from logbook.domain.proof_check import DocumentSignature

# Signatures of SHA-512 digests: Ed25519's own hash (ISO 32002).
DIGEST = "sha512"
# Long enough to outlast any portfolio: the certificate is checked against the key the evidence
# names, not against a date.
NOT_BEFORE = datetime(2000, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# The first signature's byte range, as written: the bytes it covers end where its second part
# does.
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*" + rb"\s+".join([rb"(\d{1,12})"] * 4) + rb"\s*\]")
REASON = "I made this portfolio from my own records and sign it as mine."


def field_name(name: str) -> str:
    """The signature field's name, after the practitioner (PDF field names may hold no dot)."""
    cleaned = " ".join(name.replace(".", " ").split()) or "the practitioner"
    return f"Signature of {cleaned}"


def certificate_for(identity: UnlockedIdentity) -> Any:
    """A self-issued X.509 certificate for the identity's Ed25519 key, naming its owner.

    Only the key and the name go into it (the serial number is derived from the key), and
    Ed25519 signatures are deterministic, so the same identity always gets the same certificate.
    """
    from asn1crypto import keys, x509

    public = identity.public
    subject = x509.Name.build({"common_name": public.name})
    algorithm = {"algorithm": "ed25519"}
    serial = int.from_bytes(hashlib.sha256(public.public_key).digest()[:16], "big") >> 1
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial,
            "signature": algorithm,
            "issuer": subject,
            "validity": {
                "not_before": x509.Time({"utc_time": NOT_BEFORE}),
                "not_after": x509.Time({"general_time": NOT_AFTER}),
            },
            "subject": subject,
            "subject_public_key_info": keys.PublicKeyInfo(
                {"algorithm": algorithm, "public_key": public.public_key}
            ),
            "extensions": [
                {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": False}},
                {
                    "extn_id": "key_usage",
                    "critical": True,
                    "extn_value": {"digital_signature", "non_repudiation"},
                },
            ],
        }
    )
    certificate = x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": algorithm,
            "signature_value": identity.sign(tbs.dump()),
        }
    )
    return x509.Certificate.load(certificate.dump())


def sign_pdf(pdf: bytes, identity: UnlockedIdentity) -> bytes:
    """``pdf`` with the practitioner's signature appended, covering every byte before it.

    The file keeps the PDF version it declares: a PDF/A-3b file stays one (declaring PDF 2.0
    for the Ed25519 signature would break PDF/A's version rule).
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    class KeepVersion(signers.PdfSigner):
        def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
            """Declare no extension: it would raise the file's PDF version to 2.0."""

    name = field_name(identity.public.name)
    metadata = signers.PdfSignatureMetadata(
        field_name=name, md_algorithm=DIGEST, name=identity.public.name, reason=REASON
    )
    signer = KeepVersion(
        metadata,
        signer=_identity_signer(identity),
        new_field_spec=fields.SigFieldSpec(name),
    )
    output = io.BytesIO()
    with _quiet():
        signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=output)
    return output.getvalue()


def _identity_signer(identity: UnlockedIdentity) -> Any:
    """A pyHanko signer whose signatures the unlocked identity makes (its key stays inside)."""
    from asn1crypto import algos
    from pyhanko.sign.signers.pdf_cms import Signer

    class IdentitySigner(Signer):
        async def async_sign_raw(
            self, data: bytes, digest_algorithm: str, dry_run: bool = False
        ) -> bytes:
            """The Ed25519 signature of ``data`` (placeholder bytes of its size on a dry run)."""
            return bytes(64) if dry_run else identity.sign(data)

    return IdentitySigner(
        signing_cert=certificate_for(identity),
        signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "ed25519"}),
    )


def read_signature(pdf: bytes) -> DocumentSignature:
    """The file's first signature (the practitioner's) as a PDF validator finds it.

    Its certificate is taken as its own trust root: whether the key is the practitioner's is
    decided against the evidence inside the file, not by a certificate authority.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    with _quiet():
        try:
            found = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        # pyHanko reads hostile input with many kinds of errors; each means the same here.
        except Exception as error:
            return _appended_to(pdf) or DocumentSignature(
                problem=f"its structure cannot be read ({_brief(error)})"
            )
        if not found:
            return DocumentSignature()
        return _validated(found[0], len(found))


def signed_length(pdf: bytes) -> int | None:
    """Where the bytes the file's first signature covers end (None: no signature is found)."""
    found = _BYTE_RANGE.search(pdf)
    if found is None:
        return None
    start, length = int(found[3]), int(found[4])
    return start + length


def _appended_to(pdf: bytes) -> DocumentSignature | None:
    """A file that is unreadable only because of what follows its signature: the signed file,
    as signed, with whatever was appended reported (None when that is not what it is)."""
    end = signed_length(pdf)
    if end is None or not 0 < end < len(pdf):
        return None
    signed = read_signature(pdf[:end])
    if signed.problem or not signed.count:
        return None
    return replace(signed, whole_file=False)


def _validated(signature: Any, count: int) -> DocumentSignature:
    try:
        return _checked(signature, count)
    # As above: a damaged signature or certificate fails in many ways, each meaning the same.
    except Exception as error:
        return DocumentSignature(count, problem=f"it is damaged ({_brief(error)})")


def _checked(signature: Any, count: int) -> DocumentSignature:
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    certificate = signature.signer_cert
    context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    key_info = certificate.public_key
    return DocumentSignature(
        count=count,
        signer_name=str(certificate.subject.native.get("common_name", "")),
        signer_key=key_info["public_key"].native if key_info.algorithm == "ed25519" else b"",
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )


def _brief(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep pyHanko's own log (tracebacks of what it found wrong) off the user's screen: what
    it found is reported in words instead."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
