"""``export_portfolio``: the PDF that leaves the practitioner's computer.

The use case gathers plain data for the period, layout and sections chosen (read from one state
of the logbook by :mod:`logbook.services.portfolio_data`), hands it to the layout's renderer and
writes the file next to its final name, moving it into place only when it is complete: nothing
half-written is ever left under the name the person chose.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from logbook.domain.periods import Period, cycle_ending
from logbook.domain.queries import Total
from logbook.domain.records import Profile, RecordKind
from logbook.export.data import Cancelled, ExportCancelled, PortfolioData, Progress
from logbook.services.logbook import Logbook
from logbook.services.portfolio_data import (
    UNDATED_KINDS,
    ExportError,
    ExportOptions,
    gather_portfolio,
    layout_choices,
    renderer_for,
    stop_if_cancelled,
)

__all__ = [
    "UNDATED_KINDS",
    "CyclePeriod",
    "ExportCancelled",
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "convert_to_pdfa",
    "export_portfolio",
    "gather_portfolio",
    "layout_choices",
    "preview_pdf",
    "registration_cycles",
    "render_portfolio",
    "renderer_for",
    "replace_when_written",
    "write_atomically",
    "write_problem",
]

# Years of a registration cycle by body; a body not listed renews every year.
CYCLE_YEARS = {"NMC": 3, "HCPC": 2, "UKCP": 5}


@dataclass(frozen=True)
class ExportResult:
    """What was written: the file, its size in pages, and the figures it prints."""

    path: Path
    pages: int
    document_id: str
    layout: str
    period: Period
    totals: dict[RecordKind, Total]
    pdfa: bool


@dataclass(frozen=True)
class CyclePeriod:
    """A registration cycle a person can export (e.g. "NMC revalidation, 3 years")."""

    label: str
    period: Period


def registration_cycles(profile: Profile | None, today: date | None = None) -> list[CyclePeriod]:
    """The current cycle of each registration that has a renewal date."""
    if profile is None:
        return []
    cycles = []
    for registration in profile.registrations:
        if registration.renewal_date is None:
            continue
        years = CYCLE_YEARS.get(registration.body.strip().upper(), 1)
        period = cycle_ending(registration.renewal_date, years)
        label = (
            f"{registration.body} cycle ({years} year{'s' if years > 1 else ''} to "
            f"{registration.renewal_date - timedelta(days=1):%d %b %Y})"
        )
        cycles.append(CyclePeriod(label, period))
    return cycles


# --- writing -------------------------------------------------------------------------------------


def write_problem(error: OSError, target: Path, what: str) -> str:
    """What went wrong writing ``target`` (``what`` names it: "the portfolio"), and what to do."""
    folder = target.parent
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"The disk holding {folder} is full, so {what} was not saved. "
            "Free some space or choose another folder."
        )
    if error.errno in (errno.EACCES, errno.EPERM) or isinstance(error, PermissionError):
        return (
            f"Cannot write to {folder}: permission denied (or the file is open in another "
            "program). Choose another folder, or close the file and try again."
        )
    if error.errno == errno.EROFS:
        return f"{folder} is on a read-only disk, so {what} was not saved. Choose another folder."
    if error.errno == errno.EISDIR:
        return f"{target} is a folder: give a file name."
    reason = error.strerror or str(error)
    return f"Could not write {target}: {reason}. Nothing was saved."


def _os_problem(error: OSError, target: Path) -> ExportError:
    return ExportError(write_problem(error, target, "the portfolio"))


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise ExportError(f"{target} is a folder: give a file name ending in .pdf.")
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist. Choose an existing folder.")


def write_atomically(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a file beside ``target`` and move it into place only once it is complete.

    Raises:
        ExportError: the folder is missing or unwritable, or the disk is full; nothing is
            left under ``target`` or beside it.
    """
    target = target.expanduser().absolute()
    _check_target(target)
    replace_when_written(
        target, write, suffix=".pdf.part", problem=lambda error: _os_problem(error, target)
    )


def replace_when_written(
    target: Path,
    write: Callable[[Any], None],
    *,
    suffix: str,
    problem: Callable[[OSError], Exception],
    encoding: str | None = None,
) -> None:
    """Write ``target`` through a hidden file beside it, synced and then moved into place, so
    a full disk or a crash never leaves half a file (text when ``encoding`` is given).

    Raises:
        What ``problem`` makes of an OSError; the hidden file is removed.
    """
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=suffix, dir=target.parent
        )
    except OSError as error:
        raise problem(error) from error
    part = Path(temporary)
    try:
        opened = (
            os.fdopen(handle, "w", encoding=encoding, newline="")
            if encoding
            else os.fdopen(handle, "wb")
        )
        with opened as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file owner-only, and it stays so: what is exported is personal.
        os.replace(part, target)
    except OSError as error:
        part.unlink(missing_ok=True)
        raise problem(error) from error
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def render_portfolio(
    data: PortfolioData,
    layout: str,
    stream: IO[bytes],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Render ``data`` with a layout into ``stream``; returns the page count."""
    renderer = renderer_for(layout)()
    return renderer.render(data, stream, progress=progress, cancelled=cancelled)


def convert_to_pdfa(pdf: bytes) -> bytes:
    """The PDF converted to PDF/A-2b and checked by pikepdf's validator.

    Raises:
        ExportError: the converted file does not pass the PDF/A-2b check.
    """
    import pikepdf
    import pikepdf.pdfa

    converted = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            # ReportLab writes an empty page transition on every page; PDF/A has no use for it.
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        try:
            pikepdf.pdfa.save(document, converted, "2b")
        except pikepdf.pdfa.PdfaError as error:
            problems = "; ".join(str(f) for f in error.report.findings[:5])
            raise ExportError(
                f"The PDF/A-2b conversion did not pass its check: {problems}"
            ) from error
    return converted.getvalue()


def export_portfolio(
    logbook: Logbook,
    target: Path | str,
    options: ExportOptions,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    now: datetime | None = None,
) -> ExportResult:
    """Make the portfolio PDF for ``options`` and save it as ``target``.

    Args:
        logbook: The open logbook.
        target: The file to write (replaced only once the new one is complete).
        options: Period, layout, sections, private reflections and PDF/A.
        progress: Called with (fraction 0..1, what is happening).
        cancelled: Polled during the export; returning True stops it, leaving no file.
        now: The generation time printed (defaults to now).

    Raises:
        ExportError: no profile, an empty period, a layout needing data the logbook lacks,
            an unwritable folder or a full disk. Nothing is written under ``target``.
        ValidationError: an unknown layout or section.
        ExportCancelled: the export was cancelled; nothing is written under ``target``.
    """
    path = Path(target).expanduser().absolute()
    _check_target(path)

    def report(start: float, span: float) -> Progress | None:
        if progress is None:
            return None
        callback = progress
        return lambda fraction, text: callback(start + span * fraction, text)

    data = gather_portfolio(
        logbook, options, now=now, progress=report(0.0, 0.1), cancelled=cancelled
    )
    pages = 0

    def write(stream: IO[bytes]) -> None:
        nonlocal pages
        if not options.pdfa:
            pages = render_portfolio(
                data, options.layout, stream, progress=report(0.1, 0.9), cancelled=cancelled
            )
            return
        # The PDF/A conversion reads the whole rendered file back, so render to memory first.
        buffer = io.BytesIO()
        pages = render_portfolio(
            data, options.layout, buffer, progress=report(0.1, 0.8), cancelled=cancelled
        )
        stop_if_cancelled(cancelled)
        if progress:
            progress(0.92, "Converting to PDF/A-2b and checking it")
        stream.write(convert_to_pdfa(buffer.getvalue()))

    write_atomically(path, write)
    if progress:
        progress(1.0, "Saved")
    return ExportResult(
        path=path,
        pages=pages,
        document_id=data.document_id,
        layout=options.layout,
        period=data.period,
        totals=dict(data.totals),
        pdfa=options.pdfa,
    )


def preview_pdf(
    logbook: Logbook,
    options: ExportOptions,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> bytes:
    """The portfolio as PDF bytes, without saving it (for the export dialog's preview)."""
    data = gather_portfolio(logbook, options, cancelled=cancelled)
    buffer = io.BytesIO()
    render_portfolio(data, options.layout, buffer, progress=progress, cancelled=cancelled)
    return buffer.getvalue()
