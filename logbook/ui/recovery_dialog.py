"""When the logbook cannot be opened: say what happened and offer the newest good backup.

The app shows this when opening raises ``DamagedLogbookError`` (a damaged or foreign file, set
aside under a new name) or ``MissingLogbookError`` (the file is gone but backups exist). The
user sees the date of the newest good backup and what it holds, and chooses: restore it (or
another of the candidates ``logbook-cli recover`` lists: older backups and readable set-aside
files, newest first), start a new empty logbook, or quit. After ``exec()``, :attr:`choice` says
which::

    dialog = RecoveryDialog(error, location, parent)
    if dialog.exec() and dialog.choice is RecoveryChoice.RESTORED:
        logbook = Logbook.open(location, dialog.unlock)
    elif dialog.choice is RecoveryChoice.START_NEW:
        logbook = Logbook.open(location, start_new=True)
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import DamagedLogbookError, LogbookError, MissingLogbookError
from logbook.services import recovery
from logbook.services.backups import BackupInfo, restore_location
from logbook.services.encryption import Unlock
from logbook.services.locations import DataLocation
from logbook.ui import theme
from logbook.ui.unlock_dialog import UnlockDialog, warning_style
from logbook.ui.worker import Progress, run_in_background


class RecoveryChoice(Enum):
    """What the user chose in the recovery dialog: a logbook restored, a new one, or to quit."""

    RESTORED = "restored"
    START_NEW = "start_new"
    QUIT = "quit"


class RecoveryDialog(QDialog):
    """Explains a damaged or missing logbook and restores the backup or file the user picks."""

    def __init__(
        self,
        error: DamagedLogbookError,
        location: DataLocation,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.error = error
        self.location = location
        self.choice = RecoveryChoice.QUIT
        self.unlock: Unlock | None = None
        self.set_aside: Path | None = None
        self.candidates = recovery.candidates(location)
        offer = error.offer if isinstance(error.offer, BackupInfo) else None
        self.setWindowTitle("The logbook cannot be opened")
        self.setMinimumWidth(560)

        missing = isinstance(error, MissingLogbookError)
        title = QLabel("Your logbook is missing" if missing else "Your logbook is damaged")
        title.setObjectName("pageTitle")
        what = QLabel(self._what_happened())
        what.setWordWrap(True)
        what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.offer_card = QFrame()
        self.offer_card.setObjectName("card")
        card = QVBoxLayout(self.offer_card)
        card.setContentsMargins(16, 12, 16, 12)
        self.offer_heading = QLabel()
        self.offer_heading.setObjectName("sectionTitle")
        self.offer_detail = QLabel()
        self.offer_detail.setObjectName("muted")
        self.counts = QGridLayout()
        self.counts.setHorizontalSpacing(24)
        self.left_behind = QLabel()
        self.left_behind.setWordWrap(True)
        self.left_behind.setStyleSheet(warning_style())
        self.left_behind.hide()
        card.addWidget(self.offer_heading)
        card.addWidget(self.offer_detail)
        card.addLayout(self.counts)
        card.addWidget(self.left_behind)

        self.list = QListWidget()
        self.list.setAccessibleName("Backups and set-aside files")
        for candidate in self.candidates:
            item = QListWidgetItem(_listed(candidate))
            item.setData(Qt.ItemDataRole.UserRole, str(candidate.path))
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._show_row)
        self.list.hide()
        self.others = QPushButton("Choose another backup or file…")
        self.others.clicked.connect(self._show_list)

        self.restore_button = QPushButton(theme.icon("backup"), "&Restore this backup")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore)
        self.new_button = QPushButton("Start a &new, empty logbook")
        self.new_button.clicked.connect(self.start_new)
        buttons = QDialogButtonBox()
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        quit_button = buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.clicked.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.others)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(what)
        layout.addWidget(self.offer_card)
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

        backups = [c for c in self.candidates if c.backup is not None]
        self.newest = backups[0] if backups else None
        # The newest good backup is offered first, as `recover --restore` restores it.
        self.chosen: recovery.Candidate | None = next(
            (c for c in backups if offer is not None and c.path == offer.path), self.newest
        )
        self.others.setEnabled(len(self.candidates) > (1 if self.chosen else 0))
        if self.chosen is not None:
            self.list.setCurrentRow(self.candidates.index(self.chosen))
        self._show(self.chosen)

    def _what_happened(self) -> str:
        error = self.error
        if isinstance(error, MissingLogbookError):
            return (
                f"There is no logbook file in {error.path.parent}, but backups of a logbook are "
                "there. Restore the newest one to carry on where you left off."
            )
        kept = (
            f" It has been set aside as “{error.quarantined.name}”, so nothing in it is lost."
            if error.quarantined
            else ""
        )
        return f"{error.path.name} cannot be used: {error.reason}.{kept}"

    def _show_list(self) -> None:
        self.list.setVisible(not self.list.isVisible())

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.candidates):
            self.chosen = self.candidates[row]
            self._show(self.chosen)

    def _show(self, candidate: recovery.Candidate | None) -> None:
        while self.counts.count():
            item = self.counts.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        if candidate is None:
            self.offer_heading.setText("There is no backup to restore")
            self.offer_detail.setText(
                "Start a new logbook. If you kept a copy elsewhere (an exported backup or a "
                "JSON export), it can be imported into the new logbook."
            )
            self.restore_button.setEnabled(False)
            self.left_behind.hide()
            return
        self.restore_button.setEnabled(True)
        self.restore_button.setText(f"&Restore this {'backup' if candidate.backup else 'file'}")
        self.offer_heading.setText(_heading(candidate, newest=candidate is self.newest))
        self.offer_detail.setText(_detail(candidate))
        for row, (kind, count) in enumerate(
            sorted(candidate.counts.items(), key=lambda item: -item[1])
        ):
            name = QLabel(kind.label)
            value = QLabel(f"{count:,}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.counts.addWidget(name, row // 2, (row % 2) * 2)
            self.counts.addWidget(value, row // 2, (row % 2) * 2 + 1)
        self._warn_left_behind(candidate)

    def _warn_left_behind(self, candidate: recovery.Candidate) -> None:
        """Say when a readable set-aside file holds records this candidate does not."""
        missing = recovery.left_behind(self.location, candidate.path)
        holder, this = ("The", "this backup") if candidate.backup else ("Another", "this file")
        self.left_behind.setVisible(bool(missing))
        self.left_behind.setText(
            f"{holder} file set aside holds {missing} record(s) {this} does not have. They "
            "are not lost: after the restore you are offered to add them back."
        )

    # --- choices ------------------------------------------------------------------------

    def restore(self) -> None:
        """Restore the chosen backup or file (asking for its passphrase first if it is
        encrypted)."""
        candidate = self.chosen
        if candidate is None:
            return
        if not _encrypted(candidate):
            self._restore(candidate, None)
            return
        what = "backup" if candidate.backup else "file"
        self.ask = UnlockDialog(
            lambda unlock: self._checked(candidate, unlock),
            self,
            title=f"Unlock {what}",
            message=f"This {what} is encrypted. Enter the logbook's passphrase.",
        )
        self.ask.accepted.connect(lambda: self._restore(candidate, self.ask.result_value))
        self.ask.open()

    def _restore(self, candidate: recovery.Candidate, unlock: Unlock | None) -> None:
        self.unlock = unlock
        # A backup is restored as one (checked against its record of itself), a set-aside
        # file as a file, exactly as `recover --restore` does.
        source: BackupInfo | Path = candidate.backup or candidate.path
        doing = _doing(candidate)

        def work(progress: Progress) -> Path | None:
            progress.report(0, 0, f"{doing}…")
            return restore_location(
                self.location,
                source,
                unlock,
                lambda done, total: progress.report(done, total, "Copying and checking…"),
            )

        self.restore_button.setEnabled(False)
        self.job = run_in_background(
            self,
            "Restoring",
            f"{doing}…",
            work,
            on_success=self._restored,
            on_error=self._failed,
        )

    def _checked(self, candidate: recovery.Candidate, unlock: Unlock) -> Unlock:
        # A set-aside file's key is checked as it is restored (a wrong one changes nothing).
        envelope = candidate.backup.snapshot.envelope if candidate.backup else None
        if unlock.passphrase is not None and envelope is not None:
            envelope.unseal(unlock.passphrase)  # raises if wrong, so the dialog stays open
        return unlock

    def _restored(self, set_aside: Path | None) -> None:
        self.set_aside = set_aside
        self.choice = RecoveryChoice.RESTORED
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.restore_button.setEnabled(True)
        message = str(error) if isinstance(error, LogbookError) else repr(error)
        self.failure = QMessageBox(
            QMessageBox.Icon.Warning, "Nothing was restored", message, parent=self
        )
        self.failure.open()

    def start_new(self) -> None:
        """Start anew after a confirmation; the damaged file and the backups are kept."""
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Start a new logbook?",
            "Start a new, empty logbook? The damaged file and every backup are kept, so you "
            "can still restore one later (File → Backups).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm.button(QMessageBox.StandardButton.Yes).setText("Start a new logbook")
        self.confirm.buttonClicked.connect(self._start_new_answered)
        self.confirm.open()

    def _start_new_answered(self, button: QAbstractButton) -> None:
        if self.confirm.standardButton(button) == QMessageBox.StandardButton.Yes:
            self.choice = RecoveryChoice.START_NEW
            self.accept()


# A set-aside file that cannot be read without a key: encrypted, or too damaged to tell.
_UNREAD = "encrypted or unreadable"


def _listed(candidate: recovery.Candidate) -> str:
    """One line of the list: when, what, and how many records."""
    if candidate.backup is not None:
        backup = candidate.backup
        lock = "  (encrypted)" if backup.encrypted else ""
        return f"{backup.when()}  ·  {backup.reason}  ·  {backup.records:,} records{lock}"
    held = _UNREAD if candidate.records is None else f"{candidate.records:,} records"
    return f"{candidate.local_time()}  ·  set aside as {candidate.path.name}  ·  {held}"


def _heading(candidate: recovery.Candidate, *, newest: bool) -> str:
    if candidate.backup is None:
        return f"File set aside: {candidate.local_time()}"
    return f"{'Newest good backup' if newest else 'Backup'}: {candidate.local_time()}"


def _detail(candidate: recovery.Candidate) -> str:
    backup = candidate.backup
    if backup is not None:
        lock = " · encrypted (you will need the passphrase)" if backup.encrypted else ""
        return f"{backup.reason} · {backup.records:,} records{lock}"
    if candidate.records is None:
        return f"{candidate.path.name} · {_UNREAD} (restoring it asks for the passphrase)"
    return f"{candidate.path.name} · {candidate.records:,} records"


def _doing(candidate: recovery.Candidate) -> str:
    if candidate.backup is not None:
        return f"Restoring the backup of {candidate.local_time()}"
    return f"Restoring {candidate.path.name}"


def _encrypted(candidate: recovery.Candidate) -> bool:
    # A set-aside file that cannot be read without a key may be encrypted: its restore asks.
    if candidate.backup is not None:
        return candidate.backup.encrypted
    return candidate.records is None
