"""What a section shows while the logbook is still opening: for a list, the list's empty frame
under its column titles, laid out as the user left them; for any other page, nothing yet.

Nothing here reads the logbook or needs the storage stack, so the window can be drawn first
and its pages built once the logbook is open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTabWidget, QWidget

from logbook.domain.catalogue import KINDS
from logbook.domain.records import RecordKind
from logbook.ui.columns import columns_for
from logbook.ui.record_table import RecordTableView, size_columns
from logbook.ui.sections import Section
from logbook.ui.settings import UiState


def section_outline(section: Section, state: UiState) -> QWidget:
    """The outline of ``section``'s content (its heading is the frame's)."""
    if not section.lists:
        return QWidget()
    if len(section.lists) == 1:
        kind, title = section.lists[0]
        return list_outline(kind, title, state)
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    for kind, title in section.lists:
        tabs.addTab(list_outline(kind, title, state), title.replace("&", "&&"))
    return tabs


def list_outline(kind: RecordKind, title: str, state: UiState) -> RecordTableView:
    """An empty table with the columns of the list of ``kind``, sized, ordered and sorted as
    the list will be."""
    view = RecordTableView()
    view.setAccessibleName(f"{title} list")
    columns = columns_for(kind, with_signoff=True)
    model = QStandardItemModel(0, len(columns), view)
    model.setHorizontalHeaderLabels([column.title for column in columns])
    view.setModel(model)
    size_columns(view, columns)
    header = view.horizontalHeader()
    saved = state.load_bytes(f"lists/{kind.value}/header")
    if saved is not None:
        header.restoreState(saved)
    # The order the list starts in (as RecordTableModel sets it): newest first, or by name.
    info = KINDS[kind]
    sort = info.date_field or ("name" if "name" in info.field_names else "title")
    order = Qt.SortOrder.DescendingOrder if info.date_field else Qt.SortOrder.AscendingOrder
    sorted_by = [number for number, column in enumerate(columns) if column.sort == sort]
    header.setSortIndicatorShown(True)
    header.setSortIndicator(sorted_by[0] if sorted_by else -1, order)
    return view
