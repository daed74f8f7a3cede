"""Take the README screenshots of the desktop app with the demo logbook.

Run under a virtual screen, for example::

    xvfb-run -a -s "-screen 0 1440x900x24" uv run python docs/screenshots/take_screenshots.py

It starts the app as ``logbook --temp-data-dir --demo`` does, then saves the main window (light
and dark), the dashboard, a supervision editor, the smallest screen in each appearance, and a
signed portfolio checked, whole and altered, into this folder.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from logbook import app as logbook_app  # noqa: E402
from logbook.domain.periods import Period  # noqa: E402
from logbook.domain.records import RecordKind  # noqa: E402
from logbook.services.export import ExportOptions, export_portfolio  # noqa: E402
from logbook.services.locations import resolve_location  # noqa: E402
from logbook.services.logbook import Logbook  # noqa: E402
from logbook.ui import theme  # noqa: E402
from logbook.ui.main_window import MainWindow  # noqa: E402
from logbook.ui.portfolio_check_dialog import PortfolioCheckDialog  # noqa: E402

SIZE = (1360, 850)
TALL = 1120  # the whole dashboard, without scrolling
SMALL = (1024, 700)  # the smallest screen the window is made for
# (appearance, sections) at the small size: small-<section>-<appearance>.png
SMALL_SHOTS = (
    ("light", ("supervision", "requirements", "pathways")),
    ("dark", ("dashboard", "signoff", "cpd")),
    ("high_contrast", ("supervision", "dashboard")),
)


def settle(app: QApplication, ms: int = 600) -> None:
    """Let layouts, deferred charts and background checks finish before a picture."""
    end = QTimer()
    end.setSingleShot(True)
    end.start(ms)
    while end.isActive():
        app.processEvents()
    QThreadPool.globalInstance().waitForDone(10_000)
    app.processEvents()


def save(widget: QWidget, name: str) -> None:
    path = HERE / name
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(HERE.parent.parent)}")


def main() -> int:
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(sys.argv)
    app.setApplicationName(logbook_app.APP_NAME)
    location = resolve_location(temporary=True)
    started = logbook_app.start(app, location, theme_name="light", demo=True)
    assert started is not None
    logbook, window = started
    assert window is not None
    window.resize(SIZE[0], TALL)
    window.show()
    settle(app, 1500)

    save(window, "dashboard.png")

    window.resize(*SIZE)
    window.show_section("supervision", focus=True)
    settle(app)
    save(window, "main-window-light.png")

    editor = window.edit_selected()
    assert editor is not None
    settle(app)
    save(editor, "editor.png")
    editor.reject()
    settle(app)

    theme.apply_theme(app, "dark")
    window.restyle()
    window.show_section("practice")
    page = window.list_page(RecordKind.PRACTICE)
    page.filters.set_period("year")
    settle(app)
    save(window, "main-window-dark.png")

    window.resize(SIZE[0], TALL)
    window.show_section("dashboard")
    settle(app, 1000)
    save(window, "dashboard-dark.png")

    small_screen(app, window)
    portfolio_check(app, logbook, location.root)
    window.close()
    logbook.close()
    return 0


def portfolio_check(app: QApplication, logbook: Logbook, folder: Path) -> None:
    """The demo portfolio, signed, checked as a reviewer would (light), then a copy with its
    metadata rewritten after signing (dark)."""
    import pikepdf

    profile = logbook.records.profile()
    assert profile is not None
    passphrase = "a passphrase only for these pictures"
    mine = logbook.signoff.identities.create(profile.name, passphrase)
    signed = folder / "portfolio.pdf"
    options = ExportOptions(
        Period(date(2026, 1, 1), date(2026, 12, 31)),
        sign_with=mine.fingerprint,
        passphrase=lambda _identity: passphrase,
    )
    export_portfolio(logbook, signed, options)
    altered = folder / "portfolio-altered.pdf"
    with pikepdf.open(signed) as pdf:
        pdf.docinfo["/Title"] = "Professional portfolio (final)"
        pdf.save(altered)
    for appearance, path, name in (
        ("light", signed, "portfolio-check-light.png"),
        ("dark", altered, "portfolio-check-altered-dark.png"),
    ):
        theme.apply_theme(app, appearance)
        dialog = PortfolioCheckDialog()
        dialog.resize(900, 760)
        dialog.show()
        dialog.check_file(path)
        while dialog.job is not None and dialog.job.running:
            settle(app, 100)
        settle(app)
        save(dialog, name)
        dialog.close()


def small_screen(app: QApplication, window: MainWindow) -> None:
    """Each appearance at 1024×700, where the sidebar folds to icons by itself."""
    window.resize(*SMALL)
    for appearance, sections in SMALL_SHOTS:
        theme.apply_theme(app, appearance)
        window.restyle()
        for section in sections:
            window.show_section(section, focus=True)
            settle(app, 1000)
            save(window, f"small-{section}-{appearance}.png")


if __name__ == "__main__":
    sys.exit(main())
