"""Table models over pages of records fetched from the record service.

The model knows how many rows the current query matches (one SQL count) and loads the pages
the view actually paints, a few hundred rows at a time, keeping a bounded number of pages in
memory. Sorting, filtering and search are a new query, answered by SQL, so a logbook of fifty
thousand entries scrolls, sorts and filters as quickly as one of fifty.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from logbook.domain.catalogue import KINDS
from logbook.domain.queries import RecordQuery, Total
from logbook.domain.records import Record, RecordKind
from logbook.domain.signoff import SignoffState
from logbook.services.records import RecordService
from logbook.ui import theme
from logbook.ui.columns import SIGNOFF_KEY, Column, NameDirectory, columns_for

AnyIndex = QModelIndex | QPersistentModelIndex
SignoffReader = Callable[[Sequence[Record]], Mapping[str, SignoffState]]

_ROOT = QModelIndex()
RecordRole = Qt.ItemDataRole.UserRole + 1
UidRole = Qt.ItemDataRole.UserRole + 2

_STATE_COLOURS = {
    SignoffState.VERIFIED: "success",
    SignoffState.CHANGED: "danger",
    SignoffState.INVALID: "danger",
    SignoffState.RETURNED: "warning",
    SignoffState.AWAITING: "warning",
    SignoffState.UNCONFIRMED: "warning",
    SignoffState.NOT_SUPERVISOR: "danger",
    SignoffState.FOREIGN: "danger",
}


class RecordTableModel(QAbstractTableModel):
    """The records one query matches, as a table, read from SQL page by page.

    Args:
        records: The record service the rows come from.
        kind: The kind of record listed.
        names: Names of the people, organisations, courses and pathways rows refer to.
        signoff: Reads the sign-off state of records, when sign-off is available.
    """

    PAGE_SIZE = 200
    MAX_PAGES = 40

    totalChanged = Signal(object)

    def __init__(
        self,
        records: RecordService,
        kind: RecordKind,
        names: NameDirectory,
        signoff: SignoffReader | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._records = records
        self._names = names
        self._signoff = signoff
        self.kind = kind
        self.columns: tuple[Column, ...] = columns_for(kind, signoff is not None)
        info = KINDS[kind]
        default_sort = info.date_field or ("name" if "name" in info.field_names else "title")
        self._query = RecordQuery(
            kind, sort=default_sort, descending=bool(info.date_field), limit=self.PAGE_SIZE
        )
        self._total = Total(None, 0, 0)
        self._pages: OrderedDict[int, list[Record]] = OrderedDict()
        self._states: dict[str, SignoffState] = {}
        self._loaded = False

    # --- the query -------------------------------------------------------------------------

    @property
    def query(self) -> RecordQuery:
        return self._query

    @property
    def total(self) -> Total:
        """Count and minutes of everything the current query matches."""
        self._ensure_loaded()
        return self._total

    def set_query(self, query: RecordQuery) -> None:
        """Show what ``query`` matches (its sort and paging are kept from the current one)."""
        if query.kind is not self.kind:
            raise ValueError(f"this list shows {self.kind.label}, not {query.kind.label}")
        query = replace(
            query,
            sort=self._query.sort,
            descending=self._query.descending,
            offset=0,
            limit=self.PAGE_SIZE,
        )
        self.beginResetModel()
        self._query = query
        self._reload()
        self.endResetModel()
        self.totalChanged.emit(self._total)

    def refresh(self) -> None:
        """Read everything again (after a change to records of this kind)."""
        count_before = self._total.count if self._loaded else -1
        total = self._records.summarise(self._query)
        if total.count == count_before and count_before > 0:
            self._pages.clear()
            self._states.clear()
            self._total = total
            self.dataChanged.emit(
                self.index(0, 0), self.index(total.count - 1, len(self.columns) - 1)
            )
        else:
            self.beginResetModel()
            self._reload(total)
            self.endResetModel()
        self.totalChanged.emit(self._total)

    def _reload(self, total: Total | None = None) -> None:
        self._pages.clear()
        self._states.clear()
        self._total = total if total is not None else self._records.summarise(self._query)
        self._loaded = True

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._reload()

    # --- rows ------------------------------------------------------------------------------

    def record(self, row: int) -> Record | None:
        """The record shown in ``row``, read from SQL if its page is not in memory."""
        self._ensure_loaded()
        if not 0 <= row < self._total.count:
            return None
        number, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._load_page(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def _load_page(self, number: int) -> list[Record]:
        page = self._records.query(self._query.page(number * self.PAGE_SIZE, self.PAGE_SIZE))
        self._pages[number] = page
        while len(self._pages) > self.MAX_PAGES:
            _number, dropped = self._pages.popitem(last=False)
            for record in dropped:
                self._states.pop(record.uid, None)
        if self._signoff is not None and page:
            self._states.update(self._signoff(page))
        return page

    def row_of(self, uid: str, look_in_pages: int = 0) -> int | None:
        """The row of ``uid``: in the pages held in memory, then in the first few pages.

        A record just saved is usually near the top (lists open newest first), so looking
        through the first pages finds it without asking SQL for its position.
        """
        for number, page in self._pages.items():
            for offset, record in enumerate(page):
                if record.uid == uid:
                    return number * self.PAGE_SIZE + offset
        for number in range(min(look_in_pages, -(-self.total.count // self.PAGE_SIZE))):
            if number not in self._pages:
                self.record(number * self.PAGE_SIZE)
                for offset, record in enumerate(self._pages.get(number, [])):
                    if record.uid == uid:
                        return number * self.PAGE_SIZE + offset
        return None

    def signoff_state(self, uid: str) -> SignoffState | None:
        return self._states.get(uid)

    # --- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid():
            return 0
        self._ensure_loaded()
        return self._total.count

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role not in _ROLES_WITH_DATA:
            return None
        record = self.record(index.row())
        if record is None:
            return None
        if role == RecordRole:
            return record
        if role == UidRole:
            return record.uid
        if column.key == SIGNOFF_KEY:
            return self._signoff_data(record, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.read(record, self._names)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            text = column.read(record, self._names)
            return text if len(text) > 30 else None
        return None

    def _signoff_data(self, record: Record, role: int) -> Any:
        state = self._states.get(record.uid)
        if state is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return "" if state is SignoffState.UNSIGNED else state.label
        if role == Qt.ItemDataRole.ForegroundRole and state in _STATE_COLOURS:
            return QColor(getattr(theme.current(), _STATE_COLOURS[state]))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.sort is None:
            return f"{column.title} (this column cannot be sorted)"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's field; columns without one keep the current order."""
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        key = self.columns[column].sort or ""
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort and descending == self._query.descending and self._loaded:
            return
        # Every row may move, so the view starts afresh rather than tracking rows.
        self.beginResetModel()
        self._query = replace(self._query, sort=key, descending=descending)
        self._pages.clear()
        self._states.clear()
        self._ensure_loaded()
        self.endResetModel()

    def sort_column(self) -> int:
        """The column the current order follows (-1 when none shows it)."""
        for number, column in enumerate(self.columns):
            if column.sort == self._query.sort:
                return number
        return -1


_ROLES_WITH_DATA = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        RecordRole,
        UidRole,
    }
)
