"""Evidence files in an editor: add (file picker), open (a private temporary copy), remove.

Changes apply at once through ``AttachmentService`` and are not undone with the record. Files
chosen for a record that is not saved yet wait in the list and are stored right after it is.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
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
from logbook.domain.records import Attachment, Record
from logbook.services.attachments import MAX_ATTACHMENT_BYTES, describe_size, read_evidence
from logbook.services.filetypes import ALLOWED
from logbook.services.logbook import Logbook

_OPENED_DIR: Path | None = None


def opened_files_dir() -> Path:
    """A private folder for copies opened in other apps, removed when the app exits."""
    global _OPENED_DIR
    if _OPENED_DIR is None or not _OPENED_DIR.exists():
        _OPENED_DIR = Path(tempfile.mkdtemp(prefix="practice-logbook-"))
        atexit.register(shutil.rmtree, _OPENED_DIR, ignore_errors=True)
    return _OPENED_DIR


def write_temporary_copy(name: str, data: bytes) -> Path:
    """Write ``data`` under its own name in a fresh private folder (readable by the user only)."""
    folder = Path(tempfile.mkdtemp(dir=opened_files_dir()))
    # A stored name may come from another computer: keep only its last part.
    target = folder / (Path(name.replace("\\", "/")).name or "attachment")
    # Created owner-only, so the copy is never readable by others even for a moment.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return target


class AttachmentsPanel(QWidget):
    """The list of evidence files of one record, with Add, Open and Remove.

    Signals:
        failed: A message for the user when a file could not be added, opened or removed.
    """

    failed = Signal(str)

    def __init__(self, logbook: Logbook, owner: Record, *, saved: bool) -> None:
        super().__init__()
        self.logbook = logbook
        self.owner = owner
        self.saved = saved
        self.pending: list[Path] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.list = QListWidget()
        self.list.setAccessibleName("Attached files")
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 3 + 14)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        layout.addWidget(self.list)
        self.note = QLabel(
            "PDF, PNG or JPEG, text or office documents up to "
            f"{describe_size(MAX_ATTACHMENT_BYTES)}, kept inside the logbook."
        )
        self.note.setEnabled(False)
        self.note.setWordWrap(True)
        self.empty = QLabel("No files attached.")
        self.empty.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.add_button = QPushButton("Add file…")
        self.open_button = QPushButton("Open")
        self.remove_button = QPushButton("Remove…")
        for button, name in (
            (self.add_button, "Add an attachment"),
            (self.open_button, "Open the selected attachment"),
            (self.remove_button, "Remove the selected attachment"),
        ):
            button.setAutoDefault(False)
            button.setAccessibleName(name)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reload()

    # --- listing -----------------------------------------------------------------------------

    def attachments(self) -> list[Attachment]:
        return self.logbook.attachments.list_for(self.owner.uid) if self.saved else []

    def reload(self) -> None:
        self.list.clear()
        for attachment in self.attachments():
            item = QListWidgetItem(f"{attachment.filename}  ·  {describe_size(attachment.size)}")
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            self.list.addItem(item)
        for path in self.pending:
            item = QListWidgetItem(f"{path.name}  ·  added when you save")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(self.list.count() - 1)
        self.list.setVisible(self.list.count() > 0)
        self.empty.setVisible(self.list.count() == 0)
        self._update_buttons()

    def _selected(self) -> Attachment | Path | None:
        item = self.list.currentItem()
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, Attachment | Path) else None

    def _update_buttons(self) -> None:
        selected = self._selected()
        self.open_button.setEnabled(isinstance(selected, Attachment))
        self.remove_button.setEnabled(selected is not None)

    # --- actions -----------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Attach evidence",
            str(Path.home()),
            f"Evidence ({' '.join(f'*{extension}' for extension in ALLOWED)});;All files (*)",
        )
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Attach files now (saved record) or when the record is saved (new record)."""
        for path in paths:
            if not self.saved:
                # Checked now (size, type, content), so a refused file is explained at once
                # rather than after the record is saved; it is read again when stored.
                try:
                    read_evidence(path)
                except LogbookError as error:
                    self.failed.emit(str(error))
                    continue
                self.pending.append(path)
                continue
            try:
                self.logbook.attachments.add_file(self.owner, path)
            except LogbookError as error:
                self.failed.emit(str(error))
        self.reload()

    def store_pending(self, owner: Record) -> list[str]:
        """After the record is first saved: store the files chosen meanwhile.

        Returns:
            A message per file that could not be stored (the record itself is saved).
        """
        self.owner, self.saved = owner, True
        problems = []
        for path in self.pending:
            try:
                self.logbook.attachments.add_file(owner, path)
            except LogbookError as error:
                problems.append(str(error))
        self.pending = []
        self.reload()
        return problems

    def open_selected(self) -> Path | None:
        """Open the selected attachment with the system's viewer (from a temporary copy).

        Only an allowed type whose content matches its name is handed to the system; anything
        else is refused with a message (it may have arrived in an import, or before the check).
        """
        selected = self._selected()
        if not isinstance(selected, Attachment):
            return None
        try:
            data = self.logbook.attachments.content_to_open(selected)
            path = write_temporary_copy(selected.filename, data)
        except (LogbookError, OSError) as error:
            self.failed.emit(str(error))
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.failed.emit(f"No application could open '{selected.filename}' ({path}).")
        return path

    def remove_selected(self) -> bool:
        """Remove the selected attachment after the user confirms."""
        selected = self._selected()
        if selected is None:
            return False
        name = selected.filename if isinstance(selected, Attachment) else selected.name
        answer = QMessageBox.question(
            self,
            "Remove attachment",
            f"Remove '{name}' from this record?\n\nIts stored copy is deleted from the "
            "logbook; this cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if isinstance(selected, Path):
            self.pending.remove(selected)
        else:
            try:
                self.logbook.attachments.remove(selected)
            except LogbookError as error:
                self.failed.emit(str(error))
                return False
        self.reload()
        return True

    def controls(self) -> list[QWidget]:
        return [self.list, self.add_button, self.open_button, self.remove_button]
