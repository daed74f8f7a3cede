"""``export_portfolio``: the PDF that leaves the practitioner's computer.

The use case gathers plain data for the period, layout and sections chosen, with the evidence
the file will carry (both read from one state of the logbook, see
:mod:`logbook.services.portfolio_proof`), hands the data to the layout's renderer, seals the
result (the evidence inside, PDF/A-3b when archiving, the practitioner's signature last) and
writes the file next to its final name, moving it into place only when it is complete: nothing
half-written is ever left under the name the person chose.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from logbook.domain.identity import UnlockedIdentity
from logbook.domain.periods import Period, cycle_ending
from logbook.domain.queries import Total
from logbook.domain.records import Profile, RecordKind
from logbook.export.data import (
    Cancelled,
    DocumentSigner,
    ExportCancelled,
    PortfolioData,
    Progress,
)
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
from logbook.services.portfolio_proof import (
    ProvenPortfolio,
    document_signer,
    prove_portfolio,
    seal_portfolio,
    signing_key,
)

__all__ = [
    "UNDATED_KINDS",
    "CyclePeriod",
    "ExportCancelled",
    "ExportError",
    "ExportOptions",
    "ExportResult",
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
    """What was written: the file, its size in pages, and the figures it prints.

    Attributes:
        document_id: The document fingerprint every page prints.
        signed_by: Who signed the file (None: it is not signed).
    """

    path: Path
    pages: int
    document_id: str
    layout: str
    period: Period
    totals: dict[RecordKind, Total]
    pdfa: bool
    signed_by: DocumentSigner | None = None


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


@dataclass(frozen=True)
class DefaultPeriod:
    """The period a layout covers unless another is chosen, and why, in words."""

    period: Period
    why: str


def default_period(
    layout: str, profile: Profile | None, today: date | None = None
) -> DefaultPeriod | None:
    """The period the body a layout is for asks about (None: the layout has no such period,
    and whatever was chosen stands).

    - ``nmc``: the current revalidation cycle, the three years to the NMC renewal date (else the
      three years to today);
    - ``hcpc``: the two years an audit asks about, ending today;
    - ``supervision``: the twelve months a BABCP audit asks for, ending today;
    - ``bacp``: at most six years of practice, ending today;
    - ``mindfulness``: the twelve months of good practice a supervisor reviews each year.
    """
    today = today or date.today()
    years = {"supervision": 1, "hcpc": 2, "bacp": 6, "mindfulness": 1}
    if layout == "nmc":
        renewal = _renewal_date(profile, "NMC")
        if renewal is not None:
            return DefaultPeriod(cycle_ending(renewal, 3), "the current NMC revalidation cycle")
        return DefaultPeriod(_years_to(today, 3), "the three years to today")
    if layout in years:
        count = years[layout]
        words = "the twelve months to today" if count == 1 else f"the {count} years to today"
        return DefaultPeriod(_years_to(today, count), words)
    return None


def _renewal_date(profile: Profile | None, body: str) -> date | None:
    registrations = profile.registrations if profile is not None else ()
    return next(
        (
            r.renewal_date
            for r in registrations
            if r.body.strip().upper() == body and r.renewal_date
        ),
        None,
    )


def _years_to(today: date, years: int) -> Period:
    """The ``years`` ending today (from the day after the same date ``years`` ago)."""
    try:
        start = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - years, day=28)
    return Period(start + timedelta(days=1), today)


@dataclass(frozen=True)
class StatementAsked:
    """A statement a layout asks the practitioner to write, with a draft from their records.

    Attributes:
        key: The section's key (as ``--statement KEY=FILE`` names it).
        title: What the body calls it.
        words: The most words the body allows (0: no limit).
        draft: A first-person draft from the records, to rewrite.
    """

    key: str
    title: str
    words: int
    draft: str


def statements_asked(logbook: Logbook, options: ExportOptions) -> list[StatementAsked]:
    """The statements the chosen layout asks for, each with a draft from the records of the
    chosen period ([] when it asks for none).

    Raises:
        ExportError: as :func:`gather_portfolio` raises it (no profile, an empty period …).
    """
    renderer = renderer_for(options.layout)
    asked = [s for s in renderer.sections() if s.statement]
    if not asked:
        return []
    data = gather_portfolio(logbook, dataclasses.replace(options, statements={}))
    layout = renderer()
    return [
        StatementAsked(s.key, s.statement, s.words, layout.statement_draft(s.key, data))
        for s in asked
    ]


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
        options: Period, layout, sections, private reflections, PDF/A and the identity that
            signs the file.
        progress: Called with (fraction 0..1, what is happening).
        cancelled: Polled during the export; returning True stops it, leaving no file.
        now: The generation time printed (defaults to now).

    Raises:
        ExportError: no profile, an empty period, a layout needing data the logbook lacks,
            an unwritable folder or a full disk. Nothing is written under ``target``.
        ValidationError: an unknown layout or section.
        NotFoundError: the signing identity is not kept on this computer.
        WrongPassphraseError: its passphrase does not unlock it; nothing is read or written.
        ExportCancelled: the export was cancelled; nothing is written under ``target``.
    """
    path = Path(target).expanduser().absolute()
    _check_target(path)
    signer = document_signer(logbook, options)
    proven = prove_portfolio(
        logbook,
        options,
        signer.public if signer else None,
        now=now,
        progress=_scaled(progress, 0.0, 0.1),
        cancelled=cancelled,
    )
    pages = 0

    def write(stream: IO[bytes]) -> None:
        nonlocal pages
        sealed, pages = _sealed_pdf(proven, options, signer, progress, cancelled)
        stream.write(sealed)

    write_atomically(path, write)
    if progress:
        progress(1.0, "Saved")
    return ExportResult(
        path=path,
        pages=pages,
        document_id=proven.fingerprint,
        layout=options.layout,
        period=proven.data.period,
        totals=dict(proven.data.totals),
        pdfa=options.pdfa,
        signed_by=proven.data.signed_by,
    )


def _scaled(progress: Progress | None, start: float, span: float) -> Progress | None:
    """``progress`` for one stage of the export, which runs from ``start`` for ``span``."""
    if progress is None:
        return None
    callback = progress
    return lambda fraction, text: callback(start + span * fraction, text)


def _sealed_pdf(
    proven: ProvenPortfolio,
    options: ExportOptions,
    signer: UnlockedIdentity | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> tuple[bytes, int]:
    """The rendered, sealed and (when asked) signed PDF, and its page count."""
    # Sealing reads the whole rendered file back, so it is rendered to memory first.
    buffer = io.BytesIO()
    pages = render_portfolio(
        proven.data,
        options.layout,
        buffer,
        progress=_scaled(progress, 0.1, 0.8),
        cancelled=cancelled,
    )
    stop_if_cancelled(cancelled)
    if progress:
        progress(0.92, _sealing_words(options, signer))
    sealed = seal_portfolio(buffer.getvalue(), proven.evidence, pdfa=options.pdfa, signer=signer)
    return sealed, pages


def _sealing_words(options: ExportOptions, signer: UnlockedIdentity | None) -> str:
    steps = ["Putting the evidence inside"]
    if options.pdfa:
        steps.append("converting to PDF/A-3b and checking it")
    if signer is not None:
        steps.append(f"signing as {signer.public.name}")
    return ", ".join(steps)


def preview_pdf(
    logbook: Logbook,
    options: ExportOptions,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> bytes:
    """The portfolio as PDF bytes, without saving or signing it (for the export dialog's
    preview); its pages print the fingerprint of the evidence an export made now would carry."""
    proven = prove_portfolio(logbook, options, signing_key(logbook, options), cancelled=cancelled)
    buffer = io.BytesIO()
    render_portfolio(proven.data, options.layout, buffer, progress=progress, cancelled=cancelled)
    return buffer.getvalue()
