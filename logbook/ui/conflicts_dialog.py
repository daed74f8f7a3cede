"""Records two copies of the logbook both changed: see what differs, keep one side.

A merge never picks a side by itself when both copies changed a record; it keeps the other
copy's side apart (counted nowhere) and lists it here. The user compares the two, field by
field, and keeps one whole side: the record is never put together from both.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import describe
from logbook.domain.dates import short_date
from logbook.domain.errors import LogbookError
from logbook.domain.versions import Conflict, ConflictReason
from logbook.services.changes import Change
from logbook.services.conflicts import Keep
from logbook.services.logbook import Logbook
from logbook.ui.layouts import fit_to_screen

# The two buttons' words for each kind of conflict: (keep this copy's, keep the other's).
CHOICES = {
    ConflictReason.EDITED_ON_BOTH: ("Keep this computer's version", "Keep the other version"),
    ConflictReason.DELETED_HERE: ("Keep it deleted", "Put it back"),
    ConflictReason.DELETED_THERE: ("Keep it", "Delete it"),
}


def title_of(conflict: Conflict) -> str:
    """The conflict's record as the list names it, dated (its id when neither side has it)."""
    record = conflict.ours or conflict.theirs
    return describe(record, dated=True, detail=False) if record is not None else conflict.uid


class ConflictsDialog(QDialog):
    """Every conflict waiting, what differs in the one selected, and the two choices."""

    changed = Signal(object)  # the Change a decision made

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.conflicts: list[Conflict] = []
        self.setWindowTitle("Conflicts from merging")
        fit_to_screen(self, 860, 480)

        intro = QLabel(
            "These records were changed on this computer and in another copy of the logbook "
            "since the two last met. Until you choose, only this computer's side counts."
        )
        intro.setWordWrap(True)
        self.listing = QListWidget()
        self.listing.setAccessibleName("Conflicts")
        self.listing.setWordWrap(True)
        self.listing.setSpacing(3)
        self.listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.listing.currentRowChanged.connect(self._show)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("What differs")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.keep_here = QPushButton()
        self.keep_other = QPushButton()
        self.keep_here.clicked.connect(lambda: self._decide(Keep.HERE))
        self.keep_other.clicked.connect(lambda: self._decide(Keep.OTHER))

        detail = QVBoxLayout()
        detail.addWidget(self.heading)
        detail.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_here)
        buttons.addWidget(self.keep_other)
        detail.addLayout(buttons)
        body = QHBoxLayout()
        body.addWidget(self.listing, 1)
        body.addLayout(detail, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        """Read the conflicts again and select the first."""
        self.listing.clear()
        try:
            self.conflicts = self.logbook.conflicts.all()
        except LogbookError as error:  # a conflict altered outside the app
            self.conflicts = []
            self._show(-1)
            self.heading.setText(html.escape(str(error)))
            return
        for conflict in self.conflicts:
            item = QListWidgetItem(f"{title_of(conflict)}\n{_reason(conflict)}")
            item.setToolTip(_reason(conflict))
            self.listing.addItem(item)
        if self.conflicts:
            self.listing.setCurrentRow(0)
        else:
            self._show(-1)

    def _show(self, row: int) -> None:
        chosen = self.conflicts[row] if 0 <= row < len(self.conflicts) else None
        self.keep_here.setEnabled(chosen is not None)
        self.keep_other.setEnabled(chosen is not None)
        self.table.setRowCount(0)
        if chosen is None:
            self.heading.setText("No conflicts: every merged record is settled.")
            self.keep_here.setText(CHOICES[ConflictReason.EDITED_ON_BOTH][0])
            self.keep_other.setText(CHOICES[ConflictReason.EDITED_ON_BOTH][1])
            return
        arrived = chosen.arrived_at.astimezone()
        self.heading.setText(
            f"<b>{html.escape(title_of(chosen))}</b><br>"
            f"{html.escape(_reason(chosen)).capitalize()} "
            f"(imported {short_date(arrived)} at {arrived:%H:%M})."
        )
        here, other = CHOICES[chosen.reason]
        self.keep_here.setText(here)
        self.keep_other.setText(other)
        self.table.setHorizontalHeaderLabels(["Field", "On this computer", f"In {chosen.source}"])
        differences = self.logbook.conflicts.differences(chosen)
        self.table.setRowCount(len(differences))
        for index, difference in enumerate(differences):
            for column, text in enumerate((difference.label, difference.here, difference.there)):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()

    def _decide(self, keep: Keep) -> None:
        row = self.listing.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        try:
            change: Change = self.logbook.conflicts.resolve(self.conflicts[row].id, keep)
        except LogbookError as error:
            QMessageBox.warning(self, "Not decided", str(error))
            return
        self.changed.emit(change)
        self.reload()
        self.listing.setCurrentRow(min(row, len(self.conflicts) - 1))


def _reason(conflict: Conflict) -> str:
    return conflict.reason.explain(conflict.source)
