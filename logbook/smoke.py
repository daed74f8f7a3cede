"""``logbook --smoke-test``: prove that an installed or frozen app works, without a window.

The check walks the path a new user takes, in a throwaway data folder: it creates a logbook at
the oldest schema and lets the app migrate it (so the Alembic scripts shipped as files are found
and run), adds a supervision session, exports a PDF/A supervision log whose one page of entries
holds it (fonts, ReportLab, pikepdf and its PDF/A data), reads the PDF back (pikepdf for its
structure, PDFium for its text), encrypts the logbook and opens it again (SQLCipher,
cryptography), and draws the app icon with Qt. Python warnings count as errors and Qt warnings
are collected; either fails the check. It prints what it checked and returns the exit status.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

OLDEST_SCHEMA = "0001"
SUPERVISOR = "Dr Imogen Smoke-Test"
THEME = "frozen build check"
PASSPHRASE = "smoke test passphrase"


class SmokeTestFailure(Exception):
    """A check of the smoke test did not hold; the message says which and what was found."""


@dataclass
class SmokeReport:
    """What the smoke test checked, line by line, for the person running it."""

    lines: list[str] = field(default_factory=list)
    qt_messages: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Record that one check passed, in the words printed to the person running it."""
        self.lines.append(text)


def run_smoke_test(data_dir: Path) -> int:
    """Run every check in ``data_dir`` (a new or empty folder) and print the outcome.

    Args:
        data_dir: Where the throwaway logbook, its backup and the PDF are written. It must not
            hold a logbook already: the smoke test never touches a real one.

    Returns:
        0 when every check passed, 1 otherwise (the reason is printed on stderr).
    """
    started = time.perf_counter()
    report = SmokeReport()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _run_checks(Path(data_dir), report)
    except Exception as error:
        detail = "".join(traceback.format_exception(error)).rstrip()
        print(f"smoke test FAILED: {error}\n{detail}", file=sys.stderr)
        return 1
    for line in report.lines:
        print(f"  ok  {line}")
    print(f"smoke test passed in {time.perf_counter() - started:.2f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``--smoke-test [--temp-data-dir | --data-dir DIR]``: the entry the app's options call.

    Without ``--data-dir`` the check runs in a new temporary folder, removed afterwards when it
    passed (kept for inspection when it failed), so it never touches the user's own logbook.
    """
    parser = argparse.ArgumentParser(prog="logbook --smoke-test", add_help=False)
    parser.add_argument("--smoke-test", action="store_true")
    parser.add_argument("--temp-data-dir", action="store_true")
    parser.add_argument("--data-dir")
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.data_dir and not args.temp_data_dir:
        return run_smoke_test(Path(args.data_dir).expanduser())
    folder = Path(tempfile.mkdtemp(prefix="practice-logbook-smoke-"))
    status = run_smoke_test(folder)
    if status == 0:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"the smoke test's files are kept in {folder}", file=sys.stderr)
    return status


# --- the checks ----------------------------------------------------------------------------------


def _run_checks(data_dir: Path, report: SmokeReport) -> None:
    from logbook import __version__

    frozen = bool(getattr(sys, "frozen", False))
    report.note(
        f"Practice Logbook {__version__} on Python {sys.version.split()[0]} "
        f"({'frozen build' if frozen else 'Python installation'}, {sys.platform})"
    )
    _note_data_folder(report)
    _check_resources(report, frozen)
    pdf = _check_logbook_and_export(data_dir, report)
    _check_qt(pdf, report)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeTestFailure(message)


def _note_data_folder(report: SmokeReport) -> None:
    """Say where the app would keep the user's logbook (nothing is created there)."""
    from logbook.services.locations import ENV_DATA_DIR, portable_root, resolve_location

    if os.environ.get(ENV_DATA_DIR):
        how = f"from ${ENV_DATA_DIR}"
    elif portable_root() is not None:
        how = "portable mode: beside the app"
    else:
        how = "the user data folder"
    report.note(f"logbook folder when started normally: {resolve_location().root} ({how})")


def _check_resources(report: SmokeReport, frozen: bool) -> None:
    from logbook.resources import document_path, resource_root

    root = resource_root()
    fonts = sorted(p.name for p in (root / "fonts").glob("*.ttf"))
    icons = sorted(p.name for p in (root / "icons").glob("*.svg"))
    packs = sorted(p.name for p in (root / "packs").glob("*") if p.is_file())
    guide = document_path("user-guide.md")
    _require(bool(fonts), f"no fonts in {root / 'fonts'}")
    _require("logbook.svg" in icons, f"the app icon is missing from {root / 'icons'}")
    _require(guide.is_file(), f"the user guide (Help → User guide) is missing: {guide}")
    if frozen:
        bundle = Path(getattr(sys, "_MEIPASS", ""))
        _require(bundle in root.parents, f"resources found outside the app bundle: {root}")
        _require(bundle in guide.parents, f"the user guide is outside the app bundle: {guide}")
    report.note(
        f"resources in {root}: {len(fonts)} fonts, {len(icons)} icons, {len(packs)} rule pack "
        f"files; user guide {guide.name}"
    )


def _check_logbook_and_export(data_dir: Path, report: SmokeReport) -> Path:
    from logbook.domain.choices import SupervisionType
    from logbook.domain.periods import Period
    from logbook.domain.records import Person, Profile, SupervisionSession
    from logbook.services.export import ExportOptions, export_portfolio
    from logbook.services.locations import DataLocation
    from logbook.services.logbook import Logbook
    from logbook.storage.database import SCHEMA_HEAD, create_at_schema

    location = DataLocation(data_dir)
    _require(
        not location.database.exists(),
        f"{location.database} already exists: the smoke test runs only in a new folder",
    )
    create_at_schema(location.database, OLDEST_SCHEMA)
    logbook = Logbook.open(location)
    try:
        db = logbook.db
        _require(
            db.upgraded_from == OLDEST_SCHEMA,
            f"the logbook was not migrated from {OLDEST_SCHEMA} (upgraded from {db.upgraded_from})",
        )
        _require(
            db.backup_path is not None and db.backup_path.exists(),
            "no backup was taken before the upgrade",
        )
        report.note(
            f"logbook created at schema {OLDEST_SCHEMA}, backed up and migrated to {SCHEMA_HEAD}"
        )

        day = date.today()
        records = logbook.records
        records.create(Profile(name="Smoke Test Practitioner"))
        supervisor = records.create(Person(name=SUPERVISOR, roles=("supervisor",))).record
        session = SupervisionSession(
            date=day,
            duration_minutes=75,
            counterpart_uid=supervisor.uid,
            supervision_type=SupervisionType.CASE_MANAGEMENT,
            themes=(THEME,),
        )
        records.create(session)
        _require(records.get(session.kind, session.uid) is not None, "the entry was not saved")
        report.note("profile, supervisor and a 1 h 15 min supervision session saved")

        target = data_dir / "smoke-test.pdf"
        options = ExportOptions(
            period=Period(day, day),
            layout="supervision",
            sections=frozenset({"log"}),
            pdfa=True,
            compact=True,
        )
        result = export_portfolio(logbook, target, options)
        _verify_pdf(target, result.pages, report)
        from logbook.services.encryption import new_recovery_key

        recovery = new_recovery_key()
        logbook.encryption.encrypt(PASSPHRASE, recovery, recovery.last_group)
    finally:
        logbook.close()
    _check_encrypted(location, session, report)
    return target


def _check_encrypted(location: Any, session: Any, report: SmokeReport) -> None:
    """The logbook encrypted above is unreadable as plain SQLite and opens with its passphrase."""
    from logbook.services.logbook import Logbook
    from logbook.storage.encryption import Unlock

    header = location.database.read_bytes()[:16]
    _require(header != b"SQLite format 3\x00", "the encrypted logbook is still plain SQLite")
    logbook = Logbook.open(location, unlock=Unlock(passphrase=PASSPHRASE))
    try:
        _require(
            logbook.records.get(session.kind, session.uid) is not None,
            "the entry is missing after encryption",
        )
    finally:
        logbook.close()
    report.note("logbook encrypted with a passphrase (SQLCipher) and opened again with it")


def _verify_pdf(path: Path, pages_reported: int, report: SmokeReport) -> None:
    import pikepdf
    import pypdfium2

    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        _require(
            pages == pages_reported, f"the PDF has {pages} pages, the export said {pages_reported}"
        )
        _require(pages == 1, f"the one-page export has {pages} pages")
        unembedded = sorted(_unembedded_fonts(pdf))
        _require(not unembedded, f"fonts not embedded in the PDF: {', '.join(unembedded)}")
        with pdf.open_metadata() as xmp:
            part, conformance = xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")
        _require(
            (part, conformance) == ("3", "B"),
            f"the PDF does not declare PDF/A-3b (part {part!r}, conformance {conformance!r})",
        )

    document = pypdfium2.PdfDocument(str(path))
    try:
        texts = [_page_text(document[index]) for index in range(len(document))]
    finally:
        document.close()
    for number, text in enumerate(texts, 1):
        _require(f"Page {number} of {pages}" in text, f"page {number} has no 'Page x of y' footer")
    showing = [number for number, text in enumerate(texts, 1) if SUPERVISOR in text]
    _require(len(showing) == 1, f"the entry should be on one page, found on pages {showing}")
    entry_page = texts[showing[0] - 1]
    for expected in (SUPERVISOR, THEME, "1.25"):
        _require(
            expected in entry_page, f"the entry's page lacks {expected!r}: {entry_page[:300]!r}"
        )
    report.note(
        f"PDF exported ({pages} page{'s' if pages != 1 else ''}, "
        f"{path.stat().st_size:,} bytes, PDF/A-3b), fonts embedded, "
        f"the entry on one page with its supervisor, theme and 1.25 hours"
    )


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        return " ".join(textpage.get_text_range().split())
    finally:
        textpage.close()
        page.close()


def _unembedded_fonts(pdf: Any) -> set[str]:
    import pikepdf

    missing: set[str] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            descendants = font.get("/DescendantFonts")
            for part in list(descendants) if descendants is not None else [font]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is None or not any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    missing.add(str(part.get("/BaseFont", pikepdf.Name("/unknown"))))
    return missing


def _check_qt(pdf: Path, report: SmokeReport) -> None:
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen: Qt still loads and draws

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    from logbook.resources import resource_path

    def collect(kind: QtMsgType, context: object, message: str) -> None:
        if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            report.qt_messages.append(f"{kind.name}: {message}")

    previous = qInstallMessageHandler(collect)
    try:
        app = QApplication.instance() or QApplication([sys.argv[0]])
        platform = QApplication.platformName()
        renderer = QSvgRenderer(str(resource_path("icons", "logbook.svg")))
        _require(renderer.isValid(), "Qt could not read the app icon")
        image = QImage(64, 64, QImage.Format.Format_ARGB32)
        image.fill(QColor(0, 0, 0, 0))
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        _require(image.pixelColor(32, 8).alpha() > 0, "the app icon was drawn empty")
        app.processEvents()
    finally:
        qInstallMessageHandler(previous)
    _require(not report.qt_messages, "Qt warned: " + "; ".join(report.qt_messages))
    report.note(f"Qt {pyside_version} started ({platform} platform) and drew the app icon")
