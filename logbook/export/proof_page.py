"""What every portfolio tells a reviewer about checking it: the fingerprint block on the cover
(with its QR code) and the last page, in plain language, on how to check the file and what a
valid result does and does not prove."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from logbook.export.data import PortfolioData
from logbook.export.document import FRAME_WIDTH, RULE, Heading, Styles, escape, qr_code, table_style

QR_SIZE = 26 * mm
CHECK_TITLE = "How to check this document"
COMMAND = "logbook-cli verify-portfolio FILE.pdf"

EVIDENCE = (
    "This file carries its own evidence: an attachment, <i>portfolio-evidence.json</i>, holds "
    "the content of every entry printed, every sign-off exactly as it was recorded (the "
    "statement each supervisor signed and their signature), the practitioner's confirmations "
    "of the supervisors' keys, and the totals printed. The document fingerprint below is the "
    "SHA-256 of that evidence; it is printed at the foot of every page and held by the QR code "
    "on the cover."
)
HOW = (
    f"To check it, run <b>{COMMAND}</b> (Practice Logbook's command "
    "line; add <b>--logbook</b> to compare the signers' keys "
    "with those you have confirmed yourself). It checks the file's own signature, that the "
    "evidence inside matches the fingerprint on every page and that no page is missing, that "
    "every sign-off signature is valid and made for this practitioner, that every signer the "
    "pages name is backed by a signature inside, and it recounts the totals from the entries. "
    "A PDF reader's signature panel also shows the document's signature."
)
PROVES = (
    "<b>A valid result proves</b> who signed this document and each sign-off in it, and that "
    "nothing in the file changed after the practitioner signed it."
)
DOES_NOT_PROVE = (
    "<b>It does not prove</b> that the sessions happened as recorded, nor that a signer's key "
    "belongs to the person named unless someone checked its fingerprint with them: the sign-off "
    "evidence says whether the practitioner did, and you can do the same."
)
READING = (
    "Fingerprints are read in groups of four letters and digits; they never use the letters I, "
    "L, O or U, so nothing sounds or looks alike."
)


def fingerprint_text(data: PortfolioData) -> str:
    """The document fingerprint in bold (markup), or a dash before it is known."""
    if not data.document_id:
        return "–"
    return f"<b>{escape(data.document_id)}</b>"


def signature_text(data: PortfolioData) -> str:
    """Who signed the file, or that no one did (markup)."""
    signer = data.signed_by
    if signer is None:
        return (
            "<b>This document is not signed.</b> Its evidence can be read, but nothing shows "
            "who made the file or that it was not changed since; ask the practitioner for a "
            "signed copy."
        )
    return (
        f"This file is signed by <b>{escape(signer.name)}</b> with the key "
        f"<b>{escape(signer.fingerprint)}</b>; the signature covers "
        "every byte of it."
    )


def fingerprint_block(data: PortfolioData, styles: Styles) -> Flowable:
    """The cover's QR code of the document fingerprint, beside the fingerprint in words."""
    words = Paragraph(
        "<b>Document fingerprint</b><br/>"
        + fingerprint_text(data)
        + "<br/>The SHA-256 of the evidence inside this file, printed on every page. "
        + f"The last page, “{CHECK_TITLE}”, says how to check it.",
        styles.small,
    )
    if not data.document_id:
        return words
    table = Table(
        [
            [
                qr_code(
                    data.document_id,
                    QR_SIZE,
                    f"QR code holding the document fingerprint {data.document_id}",
                ),
                words,
            ]
        ],
        colWidths=[QR_SIZE + 4 * mm, FRAME_WIDTH - QR_SIZE - 4 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOX", (0, 0), (-1, -1), 0.25, RULE),
            ]
        )
    )
    return table


def check_page(data: PortfolioData, styles: Styles, *, brief: bool = False) -> list[Flowable]:
    """The last page: how to check the document, and what a valid result does and does not
    prove (``brief``: a short form that follows a compact document on its page)."""
    heading = Heading(CHECK_TITLE, styles.h2 if brief else styles.h1, "how_to_check")
    fingerprint = Paragraph(f"Document fingerprint: {fingerprint_text(data)}", styles.body)
    if brief:
        parts = [fingerprint, Paragraph(signature_text(data), styles.small)]
        parts += [
            Paragraph(
                f"Check it with <b>{COMMAND}</b>. " + PROVES + " " + DOES_NOT_PROVE,
                styles.small,
            )
        ]
        return [KeepTogether([heading, *parts])]
    gap = Spacer(1, 3 * mm)
    return [
        heading,
        Paragraph(EVIDENCE, styles.body),
        gap,
        fingerprint,
        gap,
        Paragraph(signature_text(data), styles.body),
        gap,
        Paragraph(HOW, styles.body),
        gap,
        Paragraph(PROVES, styles.body),
        gap,
        Paragraph(DOES_NOT_PROVE, styles.body),
        gap,
        Paragraph(READING, styles.muted),
    ]
