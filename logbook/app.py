"""``logbook``: the desktop app. Wires paths, preferences, the logbook and its services, then the
window.

The window is drawn first. Its shell (sidebar, menus, toolbar, the current section's outline,
the status bar) needs only Qt, so it is shown before the storage stack (SQLAlchemy, the
repositories) is even imported. After its first paint, :class:`Opening` opens the logbook in
short steps of the event loop: import the storage stack; open and check the logbook (asking for
a passphrase, offering a backup or welcoming a first run in a dialog over the window); attach
it, which reads the first page of the current list. Until then the window's actions that reach
the logbook are disabled. ReportLab and Alembic are imported only when a chart is drawn, a PDF
is made or a migration is due.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import traceback
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from logbook.services.locations import ENV_DATA_DIR, DataLocation, resolve_location

if TYPE_CHECKING:
    from logbook.ui.main_window import MainWindow

APP_NAME = "Practice Logbook"
ORGANISATION = "Practice Logbook"
DESKTOP_FILE = "practice-logbook"
DEMO_PERSONA = "mindfulness"
DEMO_YEARS = 3
DEMO_SEED = 2026


class _ShowVersion(argparse.Action):
    """``--version``, reading the version only when asked: the lookup imports the package
    metadata machinery, which the window's first paint does without."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        from logbook import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The command line of the desktop app: which data folder, demo data and theme."""
    parser = argparse.ArgumentParser(
        prog="logbook",
        description="Practice Logbook: the professional record of the UK mental-health workforce.",
    )
    parser.add_argument(
        "--version", action=_ShowVersion, help="show program's version number and exit"
    )
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
        choices=("system", "light", "dark", "high_contrast"),
        help="appearance for this run (default: the preference, which follows the system)",
    )
    return parser


def pause_collection() -> None:
    """Pause the garbage collector until the logbook is open: start-up makes many long-lived
    objects and almost no garbage, so collecting while it runs only costs time."""
    gc.disable()


def resume_collection() -> None:
    """Collect garbage again, with start-up's objects frozen out of every later collection."""
    gc.freeze()
    gc.enable()


def load_storage() -> None:
    """Import the storage stack and the logbook's services (SQLAlchemy, the repositories)."""
    import logbook.services.logbook  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app; returns the exit status."""
    if "--smoke-test" in (sys.argv[1:] if argv is None else argv):
        from logbook.smoke import main as smoke_test  # self-check of an installed or frozen app

        return smoke_test(argv)
    args, qt_args = build_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))
    pause_collection()
    try:
        return _run(args, qt_args)
    finally:
        gc.unfreeze()
        gc.enable()


def _run(args: argparse.Namespace, qt_args: list[str]) -> int:
    from PySide6.QtCore import QThreadPool

    app = make_application(qt_args)
    location = resolve_location(args.data_dir, temporary=args.temp_data_dir, demo=args.demo)
    install_error_hook(location)
    opening: Opening | None = None
    try:
        window = build_shell(app, location, theme_name=args.theme)
        opening = Opening(window, location, demo=args.demo)
        window.show()
        status = int(app.exec())
        if not window.is_open:
            window.close()  # a shell the logbook never came into: nothing to ask or keep
        return opening.status if opening.status is not None else status
    finally:
        # Let background work (the daily backup) finish before the logbook closes.
        QThreadPool.globalInstance().waitForDone()
        if opening is not None and opening.logbook is not None:
            opening.logbook.close()
        if location.temporary:
            shutil.rmtree(location.root, ignore_errors=True)


def make_application(qt_args: Sequence[str] = ()) -> Any:
    """The running QApplication (made here unless one exists), named for settings and the
    desktop."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    # Exact scale factors (125 %, 150 %) instead of rounding, so layouts are right at high DPI.
    # Qt reads the policy once, when the application is made; one already running keeps its own.
    if QApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE)
    return app


def build_shell(app: Any, location: DataLocation, *, theme_name: str | None = None) -> MainWindow:
    """The themed main window without a logbook (not shown yet): see :class:`Opening`."""
    from logbook.ui import theme
    from logbook.ui.main_window import MainWindow
    from logbook.ui.settings import Preferences, UiState

    preferences = Preferences.for_location(location)
    theme.set_density(app)
    theme.apply_theme(app, theme_name or preferences["theme"])  # type: ignore[arg-type]
    app.setWindowIcon(theme.app_icon())

    def switch_theme(name: str) -> None:
        theme.apply_theme(app, name)  # type: ignore[arg-type]

    return MainWindow(preferences=preferences, ui_state=UiState(location), on_theme=switch_theme)


class Opening:
    """Opens the logbook into the shown shell once it has been drawn, one step per turn of the
    event loop, then does what follows every start (drafts, reminders, the daily backup).

    A step never runs once the window has been closed (the user quit while it opened). If the
    logbook cannot be opened, or the first-run welcome is closed, the app ends as it always has.

    Attributes:
        logbook: The opened logbook, None until then; whoever runs the app closes it.
        status: The exit status when the app ends without showing a logbook, else None.
    """

    def __init__(self, window: MainWindow, location: DataLocation, *, demo: bool = False) -> None:
        self.window = window
        self.location = location
        self.demo = demo
        self.logbook: Any | None = None
        self.status: int | None = None
        window.first_painted.connect(lambda: self._then(self._load_storage))

    def _then(self, step: Callable[[], None]) -> None:
        from PySide6.QtCore import QTimer

        def run() -> None:
            if not self.window.isVisible():
                return
            try:
                step()
            except BaseException:
                self._end(1)  # the error hook says what happened; the shell must not linger
                raise

        QTimer.singleShot(0, run)

    def _load_storage(self) -> None:
        from PySide6.QtWidgets import QApplication

        from logbook import __version__

        # Not before the first paint: reading the version imports the package metadata.
        QApplication.setApplicationVersion(__version__)
        load_storage()
        self._then(self._open)

    def _open(self) -> None:
        self.logbook = open_logbook(self.location, parent=self.window)
        if self.logbook is None:
            self._end(1)
        elif not make_ready(self.logbook, demo=self.demo, parent=self.window):
            self._end(0)
        else:
            self._then(self._attach)

    def _attach(self) -> None:
        from PySide6.QtCore import QTimer

        window = self.window
        assert self.logbook is not None
        window.attach(self.logbook)
        window.back_up_later()
        QTimer.singleShot(0, resume_collection)
        QTimer.singleShot(0, lambda: offer_drafts(window))
        QTimer.singleShot(0, lambda: show_reminders(window))

    def _end(self, status: int) -> None:
        from PySide6.QtWidgets import QApplication

        self.status = status
        QApplication.exit(status)


def start(
    app: Any, location: DataLocation, *, theme_name: str | None = None, demo: bool = False
) -> tuple[Any, Any | None] | None:
    """Open the logbook and build the window over it (not shown yet), in one go.

    Returns:
        None if the logbook could not be opened (the user was told why); ``(logbook, None)``
        if the user closed the first-run welcome; else ``(logbook, window)``.
    """
    window = build_shell(app, location, theme_name=theme_name)
    logbook = open_logbook(location)
    if logbook is None:
        return None
    if not make_ready(logbook, demo=demo):
        return logbook, None
    window.attach(logbook)
    window.back_up_later()
    return logbook, window


def make_ready(logbook: Any, *, demo: bool = False, parent: Any = None) -> bool:
    """Fill an empty logbook for ``--demo``, and welcome a first run; False if the user closed
    the welcome without creating a profile."""
    if demo and logbook.records.profile() is None:
        fill_demo(logbook)
    return logbook.records.profile() is not None or welcome(logbook, parent)


def open_logbook(location: DataLocation, parent: Any = None) -> Any | None:
    """The opened logbook, or None after telling the user clearly why it cannot be opened.

    An encrypted logbook asks for its passphrase (or recovery key); a damaged or missing one
    offers the newest good backup, or a new logbook (the damaged file is kept aside either way).
    Dialogs open over ``parent`` (the window waiting for the logbook), if given.
    """
    from PySide6.QtWidgets import QApplication, QDialog

    from logbook.domain.errors import (
        DamagedLogbookError,
        LockedLogbookError,
        LogbookError,
        LogbookInUseError,
        NewerSchemaError,
        StorageError,
        WrongPassphraseError,
    )
    from logbook.services.logbook import Logbook

    unlock: Any = None
    start_new = restored = False
    for _attempt in range(6):
        QApplication.setOverrideCursor(_wait_cursor())
        try:
            # The daily backup runs after the window is up (see MainWindow.back_up_later).
            opened = Logbook.open(location, unlock, auto_backup=False, start_new=start_new)
            if restored:
                QApplication.restoreOverrideCursor()
                offer_left_behind(opened, location, parent)
            return opened
        except (StorageError, WrongPassphraseError) as opening_error:
            QApplication.restoreOverrideCursor()
            error: LogbookError = opening_error
            if isinstance(error, (LockedLogbookError, WrongPassphraseError)):
                from logbook.ui.unlock_dialog import UnlockDialog

                def check(typed: Any, start_new: bool = start_new) -> Any:
                    return Logbook.open(location, typed, auto_backup=False, start_new=start_new)

                dialog = UnlockDialog(check, parent)
                if dialog.exec() == QDialog.DialogCode.Accepted:
                    return dialog.result_value
                if dialog.failure is None:
                    return None
                error = dialog.failure  # found damaged once unlocked: offer recovery below
            if isinstance(error, DamagedLogbookError):
                from logbook.ui.recovery_dialog import RecoveryChoice, RecoveryDialog

                recovery = RecoveryDialog(error, location, parent)
                recovery.exec()
                if recovery.choice is RecoveryChoice.RESTORED:
                    unlock, restored = recovery.unlock, True
                    continue
                if recovery.choice is RecoveryChoice.START_NEW:
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
            show_open_error(location, str(error), advice, parent)
            return None
        finally:
            if QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()
    show_open_error(location, "The logbook stays closed.", "Start the app again to retry.", parent)
    return None


def offer_left_behind(logbook: Any, location: DataLocation, parent: Any = None) -> None:
    """After a restore: offer to add back the records a set-aside file holds and the restored
    logbook does not (nothing of a set-aside file is dropped without the user knowing)."""
    from PySide6.QtWidgets import QMessageBox

    from logbook.services import recovery

    for path in recovery.set_aside_files(location):
        missing = recovery.missing_from(logbook.db, path)
        if not missing:
            continue
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Records left in the set-aside file",
            f"{path.name} holds {missing} record(s) that the restored logbook does not have.",
            parent=parent,
        )
        box.setInformativeText(
            "Add them to the logbook now? The set-aside file is left as it is either way."
        )
        add = box.addButton("Add them", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is add:
            logbook.backups.backup_now("before-import")
            recovery.merge_from(logbook.db, path)


def offer_drafts(window: Any) -> None:
    """Offer back each entry form that was open when the app last closed without saving it
    (a crash, a power cut, a killed process): Restore reopens it as it was typed."""
    from PySide6.QtWidgets import QMessageBox

    from logbook.domain.errors import LogbookError
    from logbook.services.drafts import FORM_PREFIX
    from logbook.ui.editors.drafted import describe_draft, reopen

    drafts = window.logbook.drafts
    try:
        found = drafts.all(FORM_PREFIX)
    except LogbookError:
        return  # unreadable now: offered again at the next start
    for draft in found:
        try:
            doing = describe_draft(draft)
        except LogbookError:
            with suppress(LogbookError):
                drafts.discard(draft.name)  # from another version, and cannot be reopened
            continue
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved entry",
            f"You were {doing} when Practice Logbook last closed. Restore it?",
            parent=window,
        )
        written = draft.written_at.astimezone()
        box.setInformativeText(
            f"It was last written down at {written:%H:%M} on {written:%-d %B %Y}. "
            "“Not now” keeps it for the next start."
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.setEscapeButton(later)
        box.exec()
        if box.clickedButton() is restore:
            window.show_editor(reopen(draft, window.logbook, window.editor_host, window))
        elif box.clickedButton() is discard:
            with suppress(LogbookError):
                drafts.discard(draft.name)


def show_reminders(window: Any) -> Any | None:
    """Tell of what is due now (a renewal, an overdue milestone, supervision not yet logged
    this month …) without a dialog to answer: a notice over the window that leads to the
    dashboard. Nothing is shown when nothing is urgent.

    Returns:
        The notice, if one was shown.
    """
    from logbook.domain.errors import LogbookError
    from logbook.services.reminders import urgent_reminders
    from logbook.ui.reminder_notice import show_notice

    try:
        due = urgent_reminders(window.logbook, window.profile, window.today)
    except LogbookError:
        return None  # a reminder is never worth a failed start; the dashboard says more
    return show_notice(window, due)


def _wait_cursor() -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor

    return QCursor(Qt.CursorShape.WaitCursor)


def show_open_error(location: DataLocation, message: str, advice: str, parent: Any = None) -> None:
    """Say why the logbook could not be opened, with what to do about it, in a dialog box."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
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


def welcome(logbook: Any, parent: Any = None) -> bool:
    """The first-run welcome; False if the user closed it without creating a profile."""
    from PySide6.QtWidgets import QDialog

    from logbook.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(logbook, parent)
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
            # Owner-only: a traceback can quote what was being saved.
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
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
            f"{_in_words(error)}\n\nYour saved entries are safe: every change is saved in one "
            f"piece. The details were written to {log}."
        )
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook


def _in_words(error: BaseException) -> str:
    """What to tell the user about an unexpected error (read only when one happens)."""
    from logbook.services.failures import in_words

    return in_words(error)


if __name__ == "__main__":
    sys.exit(main())
