"""``check_portfolio``: what a portfolio PDF proves to someone holding only the file.

The file is read once, within bounds (size, pages, the evidence attachment's size after
decompression), and looked at three ways: its own signature through pyHanko, the evidence
attachment through pikepdf, and the text of every page through PDFium (as a reader shows it).
What they found together is judged in :mod:`logbook.domain.proof_check`.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logbook.domain.errors import LogbookError
from logbook.domain.proof import EVIDENCE_FILENAME, MAX_EVIDENCE_BYTES
from logbook.domain.proof_check import PortfolioReport, assess_portfolio, read_pages
from logbook.export.data import Progress
from logbook.services.logbook import Logbook
from logbook.services.pdf_signing import read_signature, signed_length

# A portfolio of 50,000 entries is a few thousand pages and tens of megabytes.
MAX_PDF_BYTES = 512 * 1024 * 1024
MAX_PAGES = 50_000
_HEADER_WITHIN = 1024
_END_WITHIN = 2048


class PortfolioFileError(LogbookError):
    """The file cannot be checked as a portfolio at all; the message names it and says why."""


@dataclass(frozen=True)
class _Attachment:
    """The evidence taken out of the file (None: it has none), or why it could not be."""

    data: bytes | None = None
    problem: str = ""


def check_portfolio(
    path: Path, *, reviewer: Logbook | None = None, progress: Progress | None = None
) -> PortfolioReport:
    """Check a portfolio PDF with nothing but the file (and, given ``reviewer``, that person's
    own confirmed keys), saying how far it got to ``progress``.

    Raises:
        PortfolioFileError: the file is missing, empty, too large, not a PDF, cut short, or too
            damaged for its pages to be read.
    """
    path = Path(path)
    said = progress or (lambda _fraction, _text: None)
    said(0.0, f"Reading {path.name}")
    pdf = read_pdf(path)
    pages = read_pages(page_texts(pdf, path.name, _share_of(said, 0.05, 0.55)))
    said(0.6, "Checking the document's signature")
    signature = read_signature(pdf)
    said(0.75, "Reading the evidence inside")
    attachment = evidence_in(pdf)
    said(0.85, "Checking every sign-off inside")
    report = assess_portfolio(
        path.name,
        signature,
        attachment.data,
        pages,
        confirmed_keys(reviewer) if reviewer is not None else None,
        attachment.problem,
    )
    said(1.0, f"Checked {path.name}")
    return report


def _share_of(progress: Progress, start: float, width: float) -> Progress:
    """``progress`` for one step that takes ``width`` of the whole, from ``start``."""
    return lambda fraction, text: progress(start + width * fraction, text)


def confirmed_keys(logbook: Logbook) -> frozenset[str]:
    """The fingerprints of the keys the practitioner of ``logbook`` confirmed with their owners."""
    return frozenset(
        signer.fingerprint
        for signer in logbook.signoff.known_signers()
        if signer.confirmed_at is not None
    )


# --- reading the file --------------------------------------------------------------------------


def read_pdf(path: Path) -> bytes:
    """The bytes of a file that looks like a whole PDF of a size a portfolio can have.

    Raises:
        PortfolioFileError: saying what is wrong with the file.
    """
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise PortfolioFileError(f"{path} is a folder, not a PDF.")
        if size > MAX_PDF_BYTES:
            raise PortfolioFileError(
                f"{name} is too large to be a portfolio ({size // 2**20:,} MB; at most "
                f"{MAX_PDF_BYTES // 2**20:,} MB). Nothing was checked."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PortfolioFileError(f"{path} does not exist.") from None
    except OSError as problem:
        raise PortfolioFileError(f"{path} cannot be read: {problem.strerror or problem}.") from None
    _check_whole(data, name)
    return data


def _check_whole(data: bytes, name: str) -> None:
    if not data.strip():
        raise PortfolioFileError(f"{name} is empty: it is not a PDF.")
    if b"%PDF-" not in data[:_HEADER_WITHIN]:
        raise PortfolioFileError(f"{name} is not a PDF: it does not begin as a PDF file does.")
    if not _ends_as_a_pdf(data):
        raise PortfolioFileError(
            f"{name} is incomplete: it ends before the PDF does. It may have been cut short "
            "while being copied or sent; ask for it again."
        )


def _ends_as_a_pdf(data: bytes) -> bool:
    """Whether the file ends as a PDF does, or its signed part does and something follows (which
    the check of the signature reports)."""
    if b"%%EOF" in data[-_END_WITHIN:]:
        return True
    signed = signed_length(data)
    return signed is not None and signed < len(data) and b"%%EOF" in data[:signed][-_END_WITHIN:]


def page_texts(pdf: bytes, name: str, progress: Progress | None = None) -> list[str]:
    """The text of every page, as a PDF reader extracts it.

    Raises:
        PortfolioFileError: the pages cannot be read, or there are too many.
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise PortfolioFileError(
            f"{name} is damaged: its pages cannot be read ({error})."
        ) from None
    try:
        count = len(document)
        if count > MAX_PAGES:
            raise PortfolioFileError(
                f"{name} has {count:,} pages, more than a portfolio can have ({MAX_PAGES:,})."
            )
        texts = []
        for index in range(count):
            texts.append(_page_text(document, index))
            if progress is not None and index % 20 == 0:
                progress(index / count, f"Reading page {index + 1:,} of {count:,}")
        return texts
    finally:
        document.close()


def _page_text(document: Any, index: int) -> str:
    page = document[index]
    textpage = page.get_textpage()
    try:
        return str(textpage.get_text_range())
    finally:
        textpage.close()
        page.close()


def evidence_in(pdf: bytes) -> _Attachment:
    """The evidence attachment, decompressed within ``MAX_EVIDENCE_BYTES``."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            attachments = document.attachments
            if EVIDENCE_FILENAME not in attachments:
                return _Attachment()
            stream = attachments[EVIDENCE_FILENAME].get_file().obj
            return _Attachment(_bounded_content(stream))
    except pikepdf.PdfError as error:
        return _Attachment(problem=f"the file's structure cannot be read ({error})")
    except _Unreadable as error:
        return _Attachment(problem=str(error))


class _Unreadable(Exception):
    """The attachment is stored in a way no Practice Logbook file is."""


def _bounded_content(stream: Any) -> bytes:
    """A stream's content, refusing to decompress more than ``MAX_EVIDENCE_BYTES``."""
    import pikepdf

    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    raw = stream.read_raw_bytes()
    if filters is None:
        content = raw
    elif filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in stream:
        inflate = zlib.decompressobj()
        try:
            content = inflate.decompress(raw, MAX_EVIDENCE_BYTES + 1)
        except zlib.error:
            raise _Unreadable("it is damaged (its compressed data is broken)") from None
    else:
        raise _Unreadable("it is stored in a way Practice Logbook never writes")
    if len(content) > MAX_EVIDENCE_BYTES:
        raise _Unreadable(
            f"it is larger than the {MAX_EVIDENCE_BYTES // 2**20} MB a portfolio's evidence "
            "can hold"
        )
    return bytes(content)
