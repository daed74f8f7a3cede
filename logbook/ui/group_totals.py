"""Supervision hours per supervisor and per organisation, for what the list's filters match.

Peer support workers are often supervised by both a charity and the NHS, and a supervisor on a
course is paid by the hour: both want to see who supervised how much. The sums come from SQL
(``RecordService.totals_by_direction``); supervision received and given are kept apart, so a
supervisee's hours never add to a supervisor's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.choices import Direction
from logbook.domain.durations import hours
from logbook.domain.queries import RecordQuery
from logbook.services.records import RecordService
from logbook.ui.columns import NameDirectory

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
Grouping = Literal["person", "organisation"]

NOBODY = {"person": "No supervisor recorded", "organisation": "No organisation recorded"}
TITLES = {"person": "Supervisor", "organisation": "Organisation"}


@dataclass(frozen=True)
class GroupRow:
    """One supervisor (or organisation) with the sessions and minutes counted for it."""

    name: str
    direction: Direction
    sessions: int
    minutes: int

    @property
    def label(self) -> str:
        # Given supervision is rare and must not read as time received.
        return self.name if self.direction is Direction.RECEIVED else f"{self.name} (given)"


class GroupTotalsModel(QAbstractTableModel):
    """Rows of a :class:`GroupRow` list: name, sessions, hours (most hours first)."""

    def __init__(self, title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.title = title
        self.rows: list[GroupRow] = []

    def set_rows(self, rows: Sequence[GroupRow]) -> None:
        self.beginResetModel()
        self.rows = sorted(
            rows, key=lambda r: (r.direction is not Direction.RECEIVED, -r.minutes, r.name)
        )
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (row.label, f"{row.sessions:,}", hours(row.minutes))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return row.label
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 3:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.title, "Sessions", "Hours")[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignLeft if section == 0 else Qt.AlignmentFlag.AlignRight
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None


def group_rows(
    records: RecordService, names: NameDirectory, query: RecordQuery, grouping: Grouping
) -> list[GroupRow]:
    """Sessions and minutes per supervisor or organisation for what ``query`` matches."""
    return [
        GroupRow(names.name(total.key) or NOBODY[grouping], direction, total.count, total.minutes)
        for direction, total in records.totals_by_direction(query, grouping)
    ]


class GroupTotalsView(QWidget):
    """Two small tables, by supervisor and by organisation, kept to a query.

    The sums are read again only while the view is shown: a hidden one just notes that its
    query changed.
    """

    MAX_ROWS_SHOWN = 8

    def __init__(
        self, records: RecordService, names: NameDirectory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._records = records
        self._names = names
        self._query: RecordQuery | None = None
        self._stale = True
        self.people = GroupTotalsModel(TITLES["person"], self)
        self.organisations = GroupTotalsModel(TITLES["organisation"], self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.heading = QLabel("Hours by supervisor and organisation", self)
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        self.scope = QLabel(self)
        self.scope.setObjectName("muted")
        self.scope.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.scope)
        self.people_view = self._table(self.people, "Hours by supervisor")
        self.organisation_view = self._table(self.organisations, "Hours by organisation")
        layout.addWidget(self.people_view)
        layout.addWidget(self.organisation_view)

    def _table(self, model: GroupTotalsModel, name: str) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setAccessibleName(name)
        view.setObjectName(name.replace(" ", "_"))
        view.verticalHeader().hide()
        view.setShowGrid(False)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As wide as the pane it sits in, however narrow: names are elided, never figures.
        view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        header = view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        model.modelReset.connect(lambda: self._fit_height(view))
        return view

    def _fit_height(self, view: QTableView) -> None:
        # The tables sit in a scrolling pane: as tall as their rows, up to a few, never a
        # scroll area of their own inside another for a short list.
        shown = max(1, min(view.model().rowCount(), self.MAX_ROWS_SHOWN))
        rows = shown * view.verticalHeader().defaultSectionSize()
        view.setFixedHeight(
            view.horizontalHeader().sizeHint().height() + rows + 2 * view.frameWidth()
        )

    def set_query(self, query: RecordQuery, described: str = "") -> None:
        self._query = query
        self.scope.setText(f"For {described}." if described else "For every session listed.")
        self._stale = True
        if self.isVisible():
            self.refresh()

    def mark_stale(self) -> None:
        """The records changed: read the sums again when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._query is None:
            return
        self._stale = False
        query = self._query
        self.people.set_rows(group_rows(self._records, self._names, query, "person"))
        self.organisations.set_rows(group_rows(self._records, self._names, query, "organisation"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()


class GroupTotalsDialog(QDialog):
    """The totals by supervisor and organisation in a window of their own, beside the list."""

    def __init__(self, view: GroupTotalsView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Supervision by supervisor and organisation")
        self.setAccessibleName("Supervision by supervisor and organisation")
        self.view = view
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addStretch(1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(520, 480)
