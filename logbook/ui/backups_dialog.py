"""File → Backups: list backups, back up now, restore one, export one, choose the folder, and
Check logbook.

Copying runs on a worker thread with a progress dialog. A restore is confirmed first and always
backs up the logbook as it is now, so it can itself be undone from this same list. The dialog
emits :attr:`BackupsDialog.restored` with what changed, so the window refreshes its views.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.services.backups import BackupInfo, RestoreResult
from logbook.services.encryption import LockedLogbookError, Unlock
from logbook.services.integrity import CheckReport
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.layouts import fit_to_screen
from logbook.ui.unlock_dialog import UnlockDialog
from logbook.ui.worker import Job, Progress, run_in_background

Index = QModelIndex | QPersistentModelIndex


def describe_size(size: int) -> str:
    """A file size in bytes as the backup list shows it: whole KB below 1 MB, else MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupListModel(QAbstractTableModel):
    """The backups of a logbook, newest first: when, why, how many records, encrypted, size."""

    HEADERS = ("Taken", "Why", "Records", "Encrypted", "Size")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups: list[BackupInfo] = []

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.beginResetModel()
        self.backups = list(backups)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.backups):
            return None
        backup = self.backups[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                backup.when(),
                backup.reason,
                f"{backup.records:,}",
                "Yes" if backup.encrypted else "No",
                describe_size(backup.size),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{backup.describe_counts()}\n{backup.path}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def backup_at(self, row: int) -> BackupInfo | None:
        return self.backups[row] if 0 <= row < len(self.backups) else None


class BackupsDialog(QDialog):
    """Lists the backups of ``logbook`` and restores, exports and takes them.

    Signals:
        restored(Change): a backup was restored; everything shown may have changed.
    """

    restored = Signal(object)

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.job: Job[Any] | None = None
        self.message: QMessageBox | None = None
        self.setWindowTitle("Backups")
        fit_to_screen(self, 760, 480)

        title = QLabel("Backups")
        title.setObjectName("pageTitle")
        intro = QLabel(
            "A checked copy of the logbook is kept every day it is opened, before every "
            "upgrade, import and restore, and whenever you click Back up now. Older copies "
            "thin out: the last week day by day, then week by week, then month by month."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")

        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_button = QPushButton("Change folder…")
        self.folder_button.setToolTip("Keep backups on another drive, for example")
        self.folder_button.clicked.connect(self.ask_for_folder)
        self.default_button = QPushButton("Back beside the logbook")
        self.default_button.clicked.connect(lambda: self.set_folder(None))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.folder_button)
        folder_row.addWidget(self.default_button)

        self.model = BackupListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Backups")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setObjectName("muted")

        self.backup_button = QPushButton(theme.icon("backup"), "&Back up now")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.export_button = QPushButton(theme.icon("export"), "&Export…")
        self.export_button.clicked.connect(self.ask_export_target)
        self.check_button = QPushButton("&Check logbook")
        self.check_button.setToolTip(
            "Check the file's integrity, the references between entries and every signature"
        )
        self.check_button.clicked.connect(self.check_logbook)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.export_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.check_button)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(row)

        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.refresh()

    # --- showing ----------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Reload the list (and the folder), keeping or moving the selection."""
        current = self.selected()
        self.model.set_backups(self.logbook.backups.all())
        wanted = select or (current.id if current else None)
        ids = [b.id for b in self.model.backups]
        row = ids.index(wanted) if wanted in ids else (0 if ids else -1)
        if row >= 0:
            self.table.selectRow(row)
        folder = self.logbook.backups.folder
        self.folder_label.setText(f"New backups go to: {folder}")
        self.default_button.setVisible(folder != self.logbook.backups.default_folder)
        self._selection_changed()

    def selected(self) -> BackupInfo | None:
        return self.model.backup_at(self.table.currentIndex().row())

    def _selection_changed(self, *_args: Any) -> None:
        backup = self.selected()
        busy = self.job is not None and self.job.running
        self.restore_button.setEnabled(backup is not None and not busy)
        self.export_button.setEnabled(backup is not None and not busy)
        self.backup_button.setEnabled(not busy)
        self.check_button.setEnabled(not busy)
        if backup is None:
            self.detail.setText("No backups yet. Click Back up now to take the first one.")
        else:
            self.detail.setText(f"{backup.when()}: {backup.describe_counts()}")

    def _run(self, title: str, label: str, work: Any, on_success: Any) -> None:
        self.job = run_in_background(
            self, title, label, work, on_success=on_success, on_error=self._failed
        )
        self.job.finished.connect(self._selection_changed)
        self._selection_changed()

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        self.message = QMessageBox(icon, title, text, parent=self)
        self.message.open()

    def _failed(self, error: BaseException) -> None:
        text = str(error) if isinstance(error, LogbookError) else f"Unexpected error: {error!r}"
        self._tell("Backups", text, QMessageBox.Icon.Warning)

    # --- back up now -------------------------------------------------------------------------

    def back_up_now(self) -> None:
        def work(progress: Progress) -> BackupInfo:
            return self.logbook.backups.backup_now(
                "manual", lambda done, total: progress.report(done, total, "Copying…")
            )

        self._run("Backing up", "Copying and checking the logbook…", work, self._backed_up)

    def _backed_up(self, backup: BackupInfo) -> None:
        self.refresh(select=backup.id)

    # --- check -------------------------------------------------------------------------------

    def check_logbook(self) -> None:
        """Run Check logbook off the GUI thread and show what it found."""

        def work(progress: Progress) -> CheckReport:
            progress.report(0, 0, "Checking the file, its references and its signatures…")
            return self.logbook.integrity.check()

        self._run("Checking", "Checking the logbook…", work, self._checked)

    def _checked(self, report: CheckReport) -> None:
        self.report = report
        icon = QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning
        summary = "\n".join(
            f"{'✓' if r.ok else '✗'}  {r.name}: {r.summary}" for r in report.results
        )
        self.message = QMessageBox(icon, "Check logbook", summary, parent=self)
        self.message.setInformativeText(
            "The logbook is sound."
            if report.ok
            else "Problems were found: restore a recent backup, or keep working and back up "
            "first. The details list them."
        )
        self.message.setDetailedText(report.text())
        self.message.open()

    # --- restore -------------------------------------------------------------------------------

    def restore_selected(self, unlock: Unlock | None = None) -> None:
        """Ask to confirm, then restore the selected backup."""
        backup = self.selected()
        if backup is None:
            return
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore this backup?",
            f"Put the logbook back as it was on {backup.when()}?\n\n"
            f"It held {backup.describe_counts()}.\n\n"
            "The logbook as it is now is backed up first, so you can come back to it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm.button(QMessageBox.StandardButton.Yes).setText("Restore")
        self.confirm.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirm.buttonClicked.connect(lambda button: self._confirmed(button, backup, unlock))
        self.confirm.open()

    def _confirmed(
        self, button: QAbstractButton, backup: BackupInfo, unlock: Unlock | None
    ) -> None:
        if self.confirm.standardButton(button) != QMessageBox.StandardButton.Yes:
            return
        self._restore(backup, unlock)

    def _restore(self, backup: BackupInfo, unlock: Unlock | None) -> None:
        def work(progress: Progress) -> RestoreResult:
            progress.report(0, 0, "Backing up the logbook as it is now…")
            return self.logbook.backups.restore(
                backup,
                unlock,
                lambda done, total: progress.report(done, total, "Restoring…"),
            )

        def failed(error: BaseException) -> None:
            if isinstance(error, LockedLogbookError):
                self._ask_backup_key(backup)
            else:
                self._failed(error)

        self.job = run_in_background(
            self,
            "Restoring",
            f"Restoring the backup of {backup.when()}…",
            work,
            on_success=self._restored,
            on_error=failed,
        )
        self.job.finished.connect(self._selection_changed)
        self._selection_changed()

    def _ask_backup_key(self, backup: BackupInfo) -> None:
        # A backup made under an earlier key (before a decrypt and re-encrypt) needs its own.
        self.ask = UnlockDialog(
            lambda unlock: self._check_backup_key(backup, unlock),
            self,
            title="Unlock backup",
            message="This backup was encrypted with another passphrase. Enter the passphrase "
            "that was in use then, or its recovery key.",
        )
        self.ask.accepted.connect(lambda: self._restore(backup, self.ask.result_value))
        self.ask.open()

    @staticmethod
    def _check_backup_key(backup: BackupInfo, unlock: Unlock) -> Unlock:
        envelope = backup.snapshot.envelope
        if unlock.passphrase is not None and envelope is not None:
            envelope.unseal(unlock.passphrase)
        return unlock

    def _restored(self, result: RestoreResult) -> None:
        self.refresh(select=result.safety.id)
        restored = result.restored
        when = restored.when() if isinstance(restored, BackupInfo) else str(restored)
        self._tell(
            "Backup restored",
            f"The logbook is back as it was on {when}.\n\nThe logbook as it was just before is "
            f"kept as the backup of {result.safety.when()} (selected in the list).",
            QMessageBox.Icon.Information,
        )
        self.restored.emit(result.change)

    # --- export --------------------------------------------------------------------------------

    def ask_export_target(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        self.file_dialog = QFileDialog(self, "Export backup", str(Path.home() / backup.path.name))
        self.file_dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.file_dialog.setNameFilter("Logbook backups (*.sqlite)")
        self.file_dialog.setDefaultSuffix("sqlite")
        self.file_dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.file_dialog.fileSelected.connect(lambda name: self.export_selected(Path(name)))
        self.file_dialog.open()

    def export_selected(self, target: Path) -> None:
        backup = self.selected()
        if backup is None:
            return

        def work(progress: Progress) -> list[Path]:
            progress.report(0, 0, f"Writing {target.name}…")
            return self.logbook.backups.export(backup, target)

        self._run("Exporting", f"Writing {target.name}…", work, self._exported)

    def _exported(self, written: list[Path]) -> None:
        text = f"The backup was written to {written[0]}."
        if len(written) > 1:
            text += (
                f"\n\nIt is encrypted: keep {written[1].name} beside it to open it with the "
                "passphrase. The recovery key opens it on its own."
            )
        self._tell("Backup exported", text, QMessageBox.Icon.Information)

    # --- folder --------------------------------------------------------------------------------

    def ask_for_folder(self) -> None:
        self.folder_dialog = QFileDialog(
            self, "Choose the backup folder", str(self.logbook.backups.folder)
        )
        self.folder_dialog.setFileMode(QFileDialog.FileMode.Directory)
        self.folder_dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self.folder_dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.folder_dialog.fileSelected.connect(lambda name: self.set_folder(Path(name)))
        self.folder_dialog.open()

    def set_folder(self, folder: Path | None) -> None:
        """Send new backups to ``folder`` (``None``: beside the logbook again)."""
        try:
            self.logbook.backups.choose_folder(folder)
        except LogbookError as error:
            self._failed(error)
            return
        self.refresh()
