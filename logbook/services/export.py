"""``export_portfolio``: the PDF that leaves the practitioner's computer.

The use case gathers plain data for the period, layout and sections chosen, hands it to the
layout's renderer and writes the file next to its final name, moving it into place only when
it is complete: nothing half-written is ever left under the name the person chose.
"""

from __future__ import annotations

import base64
import dataclasses
import errno
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from logbook import __version__
from logbook.domain.catalogue import KINDS
from logbook.domain.errors import LogbookError, Problem, ValidationError
from logbook.domain.periods import Period, cycle_ending
from logbook.domain.queries import RecordQuery, Total
from logbook.domain.records import (
    Organisation,
    Person,
    Profile,
    Record,
    RecordKind,
    ReflectiveAccount,
    entry_date,
)
from logbook.domain.requirements.model import EveryPeriodParams, GroupCredit
from logbook.export.base import PortfolioRenderer
from logbook.export.data import (
    BACP_GROUP_CREDIT,
    Cancelled,
    ExportCancelled,
    PortfolioData,
    Progress,
)
from logbook.export.layouts import LAYOUTS
from logbook.services.logbook import Logbook

K = RecordKind

# Kinds that are the state of a plan rather than entries of the period: printed whole.
UNDATED_KINDS = frozenset({K.PATHWAY, K.MILESTONE})

# Years of a registration cycle by body; a body not listed renews every year.
CYCLE_YEARS = {"NMC": 3, "HCPC": 2, "UKCP": 5}


class ExportError(LogbookError):
    """The portfolio could not be made or written; the message says why and what to do."""


@dataclass(frozen=True)
class ExportOptions:
    """What to export.

    Attributes:
        period: The dates covered; an open end is closed at the first or last entry.
        layout: A key of :data:`LAYOUTS` ("portfolio", "supervision", "nmc", "hcpc",
            "mindfulness").
        sections: Section keys of the layout to include; None includes them all.
        include_private: Include private reflections (the cover then carries a warning).
        pdfa: Convert to PDF/A-2b for archiving, and check the result.
        compact: Leave out the cover and contents page (a short document, e.g. one page).
    """

    period: Period
    layout: str = "portfolio"
    sections: frozenset[str] | None = None
    include_private: bool = False
    pdfa: bool = False
    compact: bool = False


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


def layout_choices() -> list[tuple[str, str, str]]:
    """(key, title, description) of every layout, for menus and ``--help``."""
    return [(key, cls.title, cls.description) for key, cls in LAYOUTS.items()]


def renderer_for(layout: str) -> type[PortfolioRenderer]:
    """The renderer class of a layout key.

    Raises:
        ValidationError: the layout is unknown (the message lists the known ones).
    """
    try:
        return LAYOUTS[layout]
    except KeyError:
        known = ", ".join(LAYOUTS)
        raise ValidationError(
            [Problem("layout", f"'{layout}' is not a layout: choose one of {known}")],
            "Cannot export",
        ) from None


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


# --- gathering -----------------------------------------------------------------------------------


def _check(cancelled: Cancelled | None) -> None:
    if cancelled and cancelled():
        raise ExportCancelled()


def _signed_summaries(logbook: Logbook, kinds: Iterable[RecordKind], period: Period) -> list[str]:
    """Period summaries ("37.50 h of practice in Q1") of the document's kinds and period."""
    wanted = set(kinds)
    return [
        s.uid
        for s in logbook.signoff.summaries()
        if s.record_kind in wanted and s.period.overlaps(period)
    ]


def _without_private(record: Record) -> Record | None:
    """The record as it may leave the app: private reflections blanked, private accounts gone."""
    if isinstance(record, ReflectiveAccount):
        return None if record.private else record
    if getattr(record, "reflection_private", False) and getattr(record, "reflection", ""):
        return dataclasses.replace(record, reflection="")  # type: ignore[call-arg]
    return record


def supervision_rules(logbook: Logbook) -> tuple[float | None, GroupCredit]:
    """The monthly supervision minimum (hours) and group credit of the followed packs.

    Read from the packs' rules, not from checking them, so a log that only draws the minimum
    line does not pay for a full requirement check. With no pack that says, there is no
    minimum and group time is credited by BACP's formula.
    """
    service = logbook.requirements
    minimums: list[float] = []
    credits: list[GroupCredit] = []
    for pack_id in service.followed():
        for rule in service.pack(pack_id).rules:
            params = rule.params
            if isinstance(params, EveryPeriodParams) and params.count.records is K.SUPERVISION:
                if params.every == "month" and params.count.direction in (None, "received"):
                    minimums.append(params.minimum)
                if params.count.group_credit.key != "full":
                    credits.append(params.count.group_credit)
    return (max(minimums) if minimums else None), (credits[0] if credits else BACP_GROUP_CREDIT)


def _document_id(profile: Profile, options: ExportOptions, when: datetime, uids: list[str]) -> str:
    digest = hashlib.sha256()
    for part in (profile.uid, options.layout, repr(options.period), when.isoformat(), *uids):
        digest.update(part.encode())
        digest.update(b"\0")
    code = base64.b32encode(digest.digest()).decode()[:12]
    return f"PL-{code[:4]}-{code[4:8]}-{code[8:]}"


def gather_portfolio(
    logbook: Logbook,
    options: ExportOptions,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PortfolioData:
    """The data a layout prints for ``options``, read in one go from the logbook.

    Raises:
        ExportError: no profile, an empty period, or a layout needing data the logbook lacks.
        ValidationError: an unknown layout or section.
        ExportCancelled: ``cancelled`` returned True.
    """
    renderer = renderer_for(options.layout)
    known = {s.key for s in renderer.sections()}
    if options.sections is not None:
        unknown = sorted(options.sections - known)
        if unknown:
            raise ValidationError(
                [
                    Problem(
                        "sections",
                        f"'{name}' is not a section of the {renderer.title.lower()}; "
                        f"choose from {', '.join(s.key for s in renderer.sections())}",
                    )
                    for name in unknown
                ],
                "Cannot export",
            )
        if not options.sections:
            raise ExportError("Choose at least one section to export.")
    service = logbook.records
    profile = service.profile()
    if profile is None:
        raise ExportError(
            "The logbook has no profile yet: add your name and registrations before exporting."
        )
    missing = renderer.missing_data(profile)
    if missing:
        raise ExportError(" ".join(missing))

    kinds = renderer.kinds_needed(options.sections)
    dated = [k for k in kinds if KINDS[k].date_field and k not in UNDATED_KINDS]
    totals = {k: service.summarise(RecordQuery(k, period=options.period)) for k in dated}
    if not any(total.count for total in totals.values()):
        raise ExportError(
            f"Nothing to export: the logbook has no entries for the {renderer.title.lower()} "
            f"in {options.period.describe()}. Choose a period that has entries."
        )
    _check(cancelled)

    records: dict[RecordKind, list[Record]] = {}
    steps = max(1, len(kinds))
    for step, kind in enumerate(sorted(kinds), 1):
        if kind in UNDATED_KINDS:
            found = service.all(kind)
        else:
            found = service.query(
                RecordQuery(kind, period=options.period, limit=None, descending=False, sort="")
            )
        if not options.include_private:
            kept = (_without_private(r) for r in found)
            found = [r for r in kept if r is not None]
        records[kind] = found
        if progress:
            progress(step / steps, f"Reading {kind.label.lower()}")
        _check(cancelled)
    if not options.include_private and K.REFLECTIVE_ACCOUNT in totals:
        # Private accounts are left out, so the printed count is of what is printed.
        shown = len(records[K.REFLECTIVE_ACCOUNT])
        if shown != totals[K.REFLECTIVE_ACCOUNT].count:
            totals[K.REFLECTIVE_ACCOUNT] = Total(None, shown, 0)

    days = [
        day
        for kind in dated
        if records[kind]
        for day in (entry_date(records[kind][0]), entry_date(records[kind][-1]))
        if day is not None
    ]
    when = now or datetime.now().replace(microsecond=0)
    start = options.period.start or min(days)
    end = options.period.end or max([*days, when.date()])
    period = Period(start, end)

    people = {p.uid: p for p in service.all(K.PERSON) if isinstance(p, Person)}
    organisations = {o.uid: o for o in service.all(K.ORGANISATION) if isinstance(o, Organisation)}
    courses = {c.uid: c for c in service.all(K.COURSE)} if K.SUPERVISION in kinds else {}
    pathways = {p.uid: p for p in records.get(K.PATHWAY, [])}
    uids = [r.uid for kind in sorted(records) for r in records[kind]]
    uses = renderer.uses(options.sections)
    requirements = logbook.requirements.evaluate(period) if "requirements" in uses else []
    signoffs = (
        logbook.signoff.evidence([*uids, *_signed_summaries(logbook, kinds, period)])
        if "signoffs" in uses
        else []
    )
    minimum, group_credit = supervision_rules(logbook)
    return PortfolioData(
        profile=profile,
        period=period,
        records=records,
        totals=totals,
        generated_at=when,
        app_version=__version__,
        document_id=_document_id(profile, options, when, uids),
        people=people,
        organisations=organisations,
        courses=courses,
        pathways=pathways,
        requirements=requirements,
        signoffs=signoffs,
        signoff_history=logbook.signoff.history_head() if "signoffs" in uses else None,
        sections=options.sections,
        include_private=options.include_private,
        compact=options.compact,
        supervision_minimum_hours=minimum,
        group_credit=group_credit,
    )


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
        _check(cancelled)
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
