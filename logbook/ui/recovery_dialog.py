"""When the logbook cannot be opened: say what happened and offer the newest good backup.

The app shows this when opening raises ``DamagedLogbookError`` (a damaged or foreign file, set
aside under a new name) or ``MissingLogbookError`` (the file is gone but backups exist). The
user sees the date of the newest good backup and what it holds, and chooses: restore it (or an
older one), start a new empty logbook, or quit. After ``exec()``, :attr:`choice` says which::

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

from logbook.domain.errors import LogbookError
from logbook.services import recovery
from logbook.services.backups import BackupInfo, location_backups, restore_location
from logbook.services.encryption import Unlock
from logbook.services.integrity import DamagedLogbookError
from logbook.services.locations import DataLocation
from logbook.storage.database import MissingLogbookError
from logbook.ui import theme
from logbook.ui.unlock_dialog import UnlockDialog, warning_style
from logbook.ui.worker import Progress, run_in_background


class RecoveryChoice(Enum):
    RESTORED = "restored"
    START_NEW = "start_new"
    QUIT = "quit"


class RecoveryDialog(QDialog):
    """Explains a damaged or missing logbook and restores the backup the user picks."""

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
        self.backups = location_backups(location)
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
        self.list.setAccessibleName("Backups")
        for backup in self.backups:
            lock = "  (encrypted)" if backup.encrypted else ""
            item = QListWidgetItem(
                f"{backup.when()}  ·  {backup.reason}  ·  {backup.records:,} records{lock}"
            )
            item.setData(Qt.ItemDataRole.UserRole, backup.id)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._show_row)
        self.list.hide()
        self.others = QPushButton("Choose an older backup…")
        self.others.clicked.connect(self._show_list)
        self.others.setEnabled(len(self.backups) > 1)

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

        self.chosen: BackupInfo | None = offer or next(iter(self.backups), None)
        if self.chosen is not None:
            rows = [b.id for b in self.backups]
            if self.chosen.id in rows:
                self.list.setCurrentRow(rows.index(self.chosen.id))
        self._show(self.chosen, newest=True)

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
        if 0 <= row < len(self.backups):
            self.chosen = self.backups[row]
            self._show(self.chosen, newest=row == 0)

    def _show(self, backup: BackupInfo | None, *, newest: bool) -> None:
        while self.counts.count():
            item = self.counts.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        if backup is None:
            self.offer_heading.setText("There is no backup to restore")
            self.offer_detail.setText(
                "Start a new logbook. If you kept a copy elsewhere (an exported backup or a "
                "JSON export), it can be imported into the new logbook."
            )
            self.restore_button.setEnabled(False)
            return
        self.restore_button.setEnabled(True)
        self.offer_heading.setText(
            f"{'Newest good backup' if newest else 'Backup'}: {backup.when()}"
        )
        lock = " · encrypted (you will need the passphrase)" if backup.encrypted else ""
        self.offer_detail.setText(f"{backup.reason} · {backup.records:,} records{lock}")
        for row, (kind, count) in enumerate(
            sorted(backup.counts.items(), key=lambda item: -item[1])
        ):
            name = QLabel(kind.label)
            value = QLabel(f"{count:,}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.counts.addWidget(name, row // 2, (row % 2) * 2)
            self.counts.addWidget(value, row // 2, (row % 2) * 2 + 1)
        self._warn_left_behind(backup)

    def _warn_left_behind(self, backup: BackupInfo) -> None:
        """Say when a readable set-aside file holds records this backup does not."""
        restored = recovery.record_uids(backup.path) if not backup.encrypted else None
        missing = 0
        for path in recovery.set_aside_files(self.location):
            theirs = recovery.record_uids(path)
            if theirs and restored is not None:
                missing = max(missing, len(theirs - restored))
        self.left_behind.setVisible(bool(missing))
        self.left_behind.setText(
            f"The file set aside holds {missing} record(s) this backup does not have. They "
            "are not lost: after the restore you are offered to add them back."
        )

    # --- choices ------------------------------------------------------------------------

    def restore(self) -> None:
        """Restore the chosen backup (asking for its passphrase first if it is encrypted)."""
        backup = self.chosen
        if backup is None:
            return
        if not backup.encrypted:
            self._restore(backup, None)
            return
        self.ask = UnlockDialog(
            lambda unlock: self._checked(backup, unlock),
            self,
            title="Unlock backup",
            message="This backup is encrypted. Enter the logbook's passphrase.",
        )
        self.ask.accepted.connect(lambda: self._restore(backup, self.ask.result_value))
        self.ask.open()

    def _restore(self, backup: BackupInfo, unlock: Unlock | None) -> None:
        self.unlock = unlock

        def work(progress: Progress) -> Path | None:
            progress.report(0, 0, f"Restoring the backup of {backup.when()}…")
            return restore_location(
                self.location,
                backup,
                unlock,
                lambda done, total: progress.report(done, total, "Copying and checking…"),
            )

        self.restore_button.setEnabled(False)
        self.job = run_in_background(
            self,
            "Restoring",
            f"Restoring the backup of {backup.when()}…",
            work,
            on_success=self._restored,
            on_error=self._failed,
        )

    def _checked(self, backup: BackupInfo, unlock: Unlock) -> Unlock:
        envelope = backup.snapshot.envelope
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
            QMessageBox.Icon.Warning, "The backup was not restored", message, parent=self
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
