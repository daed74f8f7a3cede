"""``logbook``: the desktop app. Wires paths, preferences, the logbook and its services, then the
window.

Start-up stays quick: ReportLab and Alembic are imported only when a chart is drawn, a PDF is
made or a migration is due, and the first list reads one page of rows.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from logbook import __version__
from logbook.services.locations import ENV_DATA_DIR, DataLocation, resolve_location

APP_NAME = "Practice Logbook"
ORGANISATION = "Practice Logbook"
DESKTOP_FILE = "practice-logbook"
DEMO_PERSONA = "mindfulness"
DEMO_YEARS = 3
DEMO_SEED = 2026


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="logbook",
        description="Practice Logbook: the professional record of the UK mental-health workforce.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder of the logbook (default: ${ENV_DATA_DIR} or your user data folder)",
    )
    where.add_argument(
        "--temp-data-dir",
        action="store_true",
        help="use a new throwaway folder, deleted on exit (demos, tests)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a ready-made demo logbook (fills the logbook only if it is empty)",
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        help="appearance for this run (default: the preference, which follows the system)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app; returns the exit status."""
    if "--smoke-test" in (sys.argv[1:] if argv is None else argv):
        from logbook.smoke import main as smoke_test  # self-check of an installed or frozen app

        return smoke_test(argv)
    args, qt_args = build_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    # Exact scale factors (125 %, 150 %) instead of rounding, so layouts are right at high DPI.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE)

    from logbook.ui import theme
    from logbook.ui.settings import Preferences, UiState

    location = resolve_location(args.data_dir, temporary=args.temp_data_dir)
    install_error_hook(location)
    preferences = Preferences.for_location(location)
    theme_name = args.theme or preferences["theme"]
    theme.set_density(app)
    theme.apply_theme(app, theme_name)
    app.setWindowIcon(theme.app_icon())

    try:
        logbook = open_logbook(location)
        if logbook is None:
            return 1
        try:
            if args.demo and logbook.records.profile() is None:
                fill_demo(logbook)
            if logbook.records.profile() is None and not welcome(logbook):
                return 0
            from logbook.ui.main_window import MainWindow

            def switch_theme(name: str) -> None:
                theme.apply_theme(app, name)  # type: ignore[arg-type]

            window = MainWindow(
                logbook,
                preferences=preferences,
                ui_state=UiState(location),
                on_theme=switch_theme,
            )
            window.show()
            return int(app.exec())
        finally:
            logbook.close()
    finally:
        if location.temporary:
            shutil.rmtree(location.root, ignore_errors=True)


def open_logbook(location: DataLocation) -> Any | None:
    """The opened logbook, or None after telling the user clearly why it cannot be opened.

    An encrypted logbook asks for its passphrase; a damaged or missing one offers the newest
    good backup, or a new logbook (the damaged file is kept aside either way).
    """
    from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

    from logbook.domain.errors import LogbookInUseError, NewerSchemaError, StorageError
    from logbook.services.logbook import Logbook

    unlock: Any = None
    start_new = False
    for _attempt in range(6):
        QApplication.setOverrideCursor(_wait_cursor())
        try:
            return Logbook.open(location, unlock, start_new=start_new)
        except StorageError as error:
            QApplication.restoreOverrideCursor()
            name = type(error).__name__
            if name in ("LockedLogbookError", "WrongPassphraseError"):
                prompt = (
                    "This logbook is encrypted. Enter its passphrase or recovery key:"
                    if name == "LockedLogbookError"
                    else "That passphrase does not open this logbook. Try again:"
                )
                secret, ok = QInputDialog.getText(
                    None, "Unlock your logbook", prompt, QLineEdit.EchoMode.Password
                )
                if not ok or not secret:
                    return None
                unlock = _unlock(secret)
                continue
            if hasattr(error, "offer"):
                choice = offer_recovery(location, error)
                if choice == "restore":
                    if not restore_newest(location, error.offer, unlock):
                        return None
                    continue
                if choice == "new":
                    start_new = True
                    continue
                return None
            if isinstance(error, LogbookInUseError):
                advice = "Switch to the window that already has it open, or close it and try again."
            elif isinstance(error, NewerSchemaError):
                advice = "Install the newest version of Practice Logbook to open this logbook."
            else:
                advice = (
                    "Check that the folder is on a connected drive you can write to, or start "
                    "with another data folder (logbook --data-dir FOLDER)."
                )
            show_open_error(location, str(error), advice)
            return None
        finally:
            if QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()
    show_open_error(location, "The logbook stays closed.", "Start the app again to retry.")
    return None


def offer_recovery(location: DataLocation, error: Any) -> str:
    """Ask what to do with a damaged or missing logbook: "restore", "new" or "quit"."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Your logbook needs attention")
    box.setText("<b>Your logbook could not be opened.</b>")
    offer = getattr(error, "offer", None)
    text = str(error)
    restore = None
    if offer is not None:
        when = offer.created_at.astimezone().strftime("%d %b %Y at %H:%M")
        text += f"\n\nThe newest good backup is from {when}."
        restore = box.addButton("Restore that backup", QMessageBox.ButtonRole.AcceptRole)
    new = box.addButton("Start a new logbook", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setInformativeText(text)
    box.setDetailedText(f"Data folder: {location.root}")
    if restore is not None:
        box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return "restore"
    if clicked is new:
        return "new"
    return "quit"


def restore_newest(location: DataLocation, offer: Any, unlock: Any) -> bool:
    from logbook.domain.errors import LogbookError
    from logbook.services.backups import restore_location

    try:
        restore_location(location, offer, unlock)
    except LogbookError as error:
        show_open_error(location, str(error), "Try an older backup with logbook-cli backup list.")
        return False
    return True


def _unlock(secret: str) -> Any:
    """A recovery key if what was typed has a recovery key's shape, else a passphrase."""
    from logbook.domain.errors import StorageError
    from logbook.storage.encryption import Unlock, parse_recovery_key

    try:
        parse_recovery_key(secret)
    except StorageError:
        return Unlock(passphrase=secret)
    return Unlock(recovery_key=secret)


def _wait_cursor() -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor

    return QCursor(Qt.CursorShape.WaitCursor)


def show_open_error(location: DataLocation, message: str, advice: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("The logbook cannot be opened")
    box.setText("<b>Your logbook could not be opened.</b>")
    box.setInformativeText(f"{message}\n\n{advice}")
    box.setDetailedText(f"Data folder: {location.root}")
    box.exec()


def fill_demo(logbook: Any) -> None:
    """Fill an empty logbook with the demo practitioner's three years."""
    from PySide6.QtWidgets import QApplication

    from logbook.services.demo import generate_demo

    QApplication.setOverrideCursor(_wait_cursor())
    try:
        generate_demo(logbook, persona=DEMO_PERSONA, years=DEMO_YEARS, seed=DEMO_SEED)
    finally:
        QApplication.restoreOverrideCursor()


def welcome(logbook: Any) -> bool:
    """The first-run welcome; False if the user closed it without creating a profile."""
    from PySide6.QtWidgets import QDialog

    from logbook.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(logbook)
    return bool(wizard.exec() == QDialog.DialogCode.Accepted)


def install_error_hook(location: DataLocation) -> None:
    """Show unexpected errors in a dialog (never a bare traceback) and keep a log of them."""
    log = location.root / "error-log.txt"

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        text = "".join(traceback.format_exception(kind, error, tb))
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} ---\n{text}")
        except OSError:
            pass
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            sys.__excepthook__(kind, error, tb)
            return
        box = QMessageBox()
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Something went wrong")
        box.setText("<b>Practice Logbook hit an unexpected problem.</b>")
        box.setInformativeText(
            f"{error}\n\nYour saved entries are safe: every change is saved in one piece. "
            f"The details were written to {log}."
        )
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook


if __name__ == "__main__":
    sys.exit(main())
