"""A list of one kind of record: filter bar, table and a totals line for what is filtered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import KINDS
from logbook.domain.durations import hours
from logbook.domain.queries import RecordQuery, Total
from logbook.domain.records import Attachment, Profile, Record, RecordKind, minutes_of
from logbook.domain.signing import SIGNABLE_KINDS
from logbook.domain.signoff import SignoffState
from logbook.services.changes import Change
from logbook.services.records import RecordService
from logbook.ui.columns import Column, NameDirectory
from logbook.ui.filters import FilterBar
from logbook.ui.group_totals import GroupTotalsDialog, GroupTotalsView
from logbook.ui.models import RecordRole, RecordTableModel, SignoffReader
from logbook.ui.pages import Page
from logbook.ui.record_detail import RecordDetailPane, takes_attachments
from logbook.ui.record_table import RecordTableView, size_columns
from logbook.ui.settings import UiState

if TYPE_CHECKING:
    from logbook.ui.list_export_dialog import ExportScope

AttachmentReader = Callable[[str], Sequence[Attachment]]


class RecordListPage(QWidget):
    """Everything about one kind of record in a list, filtered and totalled in SQL, with the
    selected record's details beside it.

    Signals:
        edit_requested: a record the user asked to open (Enter or double-click).
        selection_changed: the selected rows changed.
    """

    edit_requested = Signal(object)
    selection_changed = Signal()
    # None on a page that shows a panel of its own instead (pathways).
    detail: RecordDetailPane | None

    def __init__(
        self,
        records: RecordService,
        kind: RecordKind,
        names: NameDirectory,
        *,
        profile: Profile | None = None,
        signoff: SignoffReader | None = None,
        attachments: AttachmentReader | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._records = records
        self._names = names
        self._signoff = signoff
        self._attachment_reader = attachments
        self.title = title or kind.label
        self.setObjectName(f"list-{kind.value}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.filters = FilterBar(kind, names, profile=profile, signoff=signoff is not None)
        layout.addWidget(self.filters)

        self.model = RecordTableModel(records, kind, names, signoff, self)
        self.view = RecordTableView(self)
        self.view.setObjectName(f"table-{kind.value}")
        self.view.setAccessibleName(f"{self.title} list")
        self.view.setModel(self.model)
        size_columns(self.view, self.model.columns)
        sort_column = self.model.sort_column()
        self.view.horizontalHeader().setSortIndicator(
            sort_column,
            Qt.SortOrder.DescendingOrder
            if self.model.query.descending
            else Qt.SortOrder.AscendingOrder,
        )
        self.view.setSortingEnabled(True)
        self.view.activated.connect(self._activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit()
        )
        self.selection_changed.connect(self.update_detail)
        layout.addWidget(self._build_body(), 1)

        footer = QHBoxLayout()
        footer.setContentsMargins(2, 0, 2, 0)
        self.totals = QLabel(self)
        self.totals.setObjectName("totals")
        self.totals.setAccessibleName(f"{self.title} totals")
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        footer.addWidget(self.totals, 1)
        self.by_supervisor_button: QToolButton | None = None
        self._group_dialog: GroupTotalsDialog | None = None
        if kind is RecordKind.SUPERVISION:
            footer.addWidget(self._build_group_button())
        layout.addLayout(footer)

        self.filters.changed.connect(self.apply_query)
        self.model.totalChanged.connect(self._show_total)
        self.context_actions: list[Any] = []
        many = KINDS[kind].many
        self._empty_unfiltered = f"No {many} yet. Press Ctrl+N to add the first one."
        self._empty_filtered = f"No {many} match these filters."
        self._loaded = False
        self._layout_restored = False

    # --- data -------------------------------------------------------------------------------

    def load(self) -> None:
        """Run the first query (deferred until the page is first shown)."""
        if not self._loaded:
            self._loaded = True
            self.apply_query(self.filters.query())
            if not self._layout_restored:
                self.fit_columns()

    MAX_COLUMN_WIDTH = 300

    def fit_columns(self, sample: int = 40) -> None:
        """Widen columns to what the first rows hold (measured here: Qt's own sizing would
        read a thousand rows of each column)."""
        metrics = self.view.fontMetrics()
        rows = min(sample, self.model.rowCount())
        for number in range(self.model.columnCount()):
            texts = [self.model.index(row, number).data() or "" for row in range(rows)]
            widest = max((metrics.horizontalAdvance(str(t)) for t in texts), default=0)
            wanted = min(widest + 24, self.MAX_COLUMN_WIDTH)
            if wanted > self.view.columnWidth(number):
                self.view.setColumnWidth(number, wanted)

    def ensure_loaded(self) -> None:
        self.load()

    @property
    def model_loaded(self) -> bool:
        return self._loaded

    def apply_query(self, query: RecordQuery) -> None:
        self._loaded = True
        self.model.set_query(query)
        self.view.empty_text = (
            self._empty_filtered if self.filters.is_filtered() else self._empty_unfiltered
        )
        self.view.viewport().update()
        for totals in self._group_views():
            totals.set_query(self.model.query, self.filters.describe())
        self.update_detail()

    def reload(self) -> None:
        """Read the list again (other parts of the app may have changed its records)."""
        self.model.refresh()
        for totals in self._group_views():
            totals.mark_stale()
        self.update_detail()

    def apply_change(self, change: Change) -> None:
        """Refresh if the change touched what this list shows (or the names it shows)."""
        if not self._loaded:
            return
        touched_names = change.kinds & set(NameDirectory.KINDS)
        if touched_names:
            self.filters.reload_names()
        if change.touches(self.kind) or touched_names:
            keep = [r.uid for r in self.selected_records()]
            self.model.refresh()
            self._reselect(keep + list(change.created) + list(change.updated))
            self.view.empty_text = (
                self._empty_filtered if self.filters.is_filtered() else self._empty_unfiltered
            )
            for totals in self._group_views():
                totals.mark_stale()
            # A refresh that keeps the rows keeps the selection too, without a signal.
            self.update_detail()
        elif change.touches(RecordKind.ATTACHMENT):
            self.update_detail()

    def set_profile(self, profile: Profile | None) -> None:
        self.filters.set_profile(profile)

    def _show_total(self, total: Total) -> None:
        info = KINDS[self.kind]
        noun = info.one if total.count == 1 else info.many
        text = f"{total.count:,} {noun}"
        if info.has_minutes:
            text += f"  ·  {hours(total.minutes)} hours"
        described = self.filters.describe()
        if described:
            text += f"  ·  {described}"
        self.totals.setText(text)

    def set_detail(self, detail: QWidget) -> None:
        """Show ``detail`` under the table instead of the details pane, kept to the current
        row: ``detail.show_record`` gets the record (or None) whenever the selection changes."""
        if self.detail is not None:
            self.detail.hide()
            self.detail.deleteLater()
            self.detail = None
        self.column.addWidget(detail)
        self.column.setStretchFactor(0, 1)
        self.column.setStretchFactor(1, 2)
        self.selection_changed.connect(lambda: detail.show_record(self.current_record()))  # type: ignore[attr-defined]

    # --- details ----------------------------------------------------------------------------

    def _build_body(self) -> QSplitter:
        # The table (with a panel of the page's own under it, if it has one) and the details.
        self.column = QSplitter(Qt.Orientation.Vertical, self)
        self.column.setChildrenCollapsible(False)
        self.column.addWidget(self.view)
        pane = RecordDetailPane(self._names, self)
        pane.setObjectName(f"detail-{self.kind.value}")
        self._overview: GroupTotalsView | None = None
        if self.kind is RecordKind.SUPERVISION:
            self._overview = GroupTotalsView(self._records, self._names, pane)
            pane.set_overview(self._overview)
        self.detail = pane
        self.body = QSplitter(Qt.Orientation.Horizontal, self)
        self.body.setObjectName("listBody")
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.column)
        self.body.addWidget(pane)
        self.body.setStretchFactor(0, 1)
        self.body.setStretchFactor(1, 0)
        self._detail_sized = False
        return self.body

    # The details take about a third of the width, within these bounds: on a 1024-pixel
    # screen the table keeps room for its first columns, on a wide one the pane stays compact.
    DETAIL_SHARE = 0.3
    DETAIL_WIDTHS = (240, 360)

    def _size_detail(self) -> None:
        if self._detail_sized or self.detail is None or self.body.width() <= 0:
            return
        self._detail_sized = True
        low, high = self.DETAIL_WIDTHS
        pane = min(high, max(low, int(self.body.width() * self.DETAIL_SHARE)))
        total = sum(self.body.sizes()) or self.body.width()
        self.body.setSizes([total - pane, pane])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._size_detail()

    @property
    def detail_visible(self) -> bool:
        return self.detail is not None and not self.detail.isHidden()

    def set_detail_visible(self, visible: bool) -> None:
        """Show or hide the details pane (a page with a panel of its own keeps that)."""
        if self.detail is None:
            return
        self.detail.setVisible(visible)
        self.update_detail()

    def update_detail(self) -> None:
        """Show the selection in the details pane: one record, or the count and hours of
        several, or a word of help (and the totals by supervisor) when nothing is selected."""
        pane = self.detail
        if pane is None or pane.isHidden() or not self._loaded:
            return
        rows = self._selected_rows()
        record = self.model.record(rows[0]) if len(rows) == 1 else None
        if record is not None:
            pane.show_record(
                record,
                state=self._state_of(record),
                attachments=self._attachments_of(record),
            )
        elif len(rows) > 1:
            has_minutes = KINDS[self.kind].has_minutes
            pane.show_selection(
                len(rows),
                KINDS[self.kind].many,
                self._minutes_of(rows) if has_minutes else None,
                self._selection_hint(),
            )
        else:
            pane.show_message(self._nothing_selected(), overview=self.model.rowCount() > 0)

    def _attachments_of(self, record: Record) -> Sequence[Attachment] | None:
        # Asked only once a record is shown: which kinds take files is the editors' to say,
        # and importing them is not needed to show the list's rows.
        if self._attachment_reader is None or not takes_attachments(self.kind):
            return None
        return self._attachment_reader(record.uid)

    def _nothing_selected(self) -> str:
        one = KINDS[self.kind].one
        if self.model.rowCount() == 0:
            return f"The details of the {one} you select appear here."
        text = f"Select {_article(one)} {one} to see it here"
        if KINDS[self.kind].has_minutes:
            return f"{text}, or several to add up their hours."
        return f"{text}."

    def _selection_hint(self) -> str:
        if self.kind in SIGNABLE_KINDS:
            return "Delete them, export them or ask for their sign-off from the Edit menu."
        return "Delete or export them from the Edit menu."

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedRows()})

    def _minutes_of(self, rows: list[int]) -> int:
        if len(rows) == self.model.rowCount():
            return self.model.total.minutes  # everything: SQL has the sum already
        found = (self.model.record(row) for row in rows)
        return sum(minutes_of(r) for r in found if r is not None)

    def _state_of(self, record: Record) -> SignoffState | None:
        if self._signoff is None or record.kind not in SIGNABLE_KINDS:
            return None
        state = self.model.signoff_state(record.uid)
        return state if state is not None else self._signoff([record]).get(record.uid)

    # --- totals by supervisor and organisation -----------------------------------------------

    def _build_group_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setText("By supervisor && organisation…")
        button.setAccessibleName("Totals by supervisor and organisation")
        button.setToolTip(
            "Sessions and hours per supervisor and per organisation, for these filters"
        )
        button.setAutoRaise(True)
        button.clicked.connect(self.show_group_totals)
        self.by_supervisor_button = button
        return button

    def show_group_totals(self) -> GroupTotalsDialog:
        """Open (or bring forward) the window of totals by supervisor and organisation."""
        if self._group_dialog is None:
            view = GroupTotalsView(self._records, self._names)
            view.set_query(self.model.query, self.filters.describe())
            self._group_dialog = GroupTotalsDialog(view, self)
        self._group_dialog.show()
        self._group_dialog.raise_()
        self._group_dialog.activateWindow()
        return self._group_dialog

    def _group_views(self) -> list[GroupTotalsView]:
        views = [self._overview] if self._overview is not None else []
        if self._group_dialog is not None:
            views.append(self._group_dialog.view)
        return views

    # --- export -----------------------------------------------------------------------------

    def visible_columns(self) -> tuple[Column, ...]:
        """The columns shown, in the order the user arranged them."""
        header = self.view.horizontalHeader()
        shown = sorted(
            (header.visualIndex(number), number)
            for number in range(header.count())
            if not header.isSectionHidden(number)
        )
        return tuple(self.model.columns[number] for _place, number in shown)

    def export_scope(self, selected: bool = False) -> ExportScope:
        """What "Export as CSV" writes: the whole filtered list, or the selected rows."""
        from logbook.ui.list_export_dialog import ExportScope

        chosen = tuple(self.selected_records()) if selected else None
        return ExportScope(
            kind=self.kind,
            title=self.title,
            columns=self.visible_columns(),
            query=self.model.query,
            selected=chosen,
            described=self.filters.describe(),
            count=len(chosen) if chosen is not None else self.model.total.count,
        )

    # --- selection --------------------------------------------------------------------------

    def selected_records(self) -> list[Record]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        found = [self.model.record(row) for row in rows]
        return [r for r in found if r is not None]

    def current_record(self) -> Record | None:
        index = self.view.currentIndex()
        if index.isValid() and self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return self.model.record(index.row())
        selected = self.selected_records()
        return selected[0] if selected else None

    def select_uid(self, uid: str, look_in_pages: int = 0) -> bool:
        """Select and show the row of ``uid`` if it is listed (near the top, or in memory)."""
        row = self.model.row_of(uid, look_in_pages)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def _reselect(self, uids: list[str]) -> None:
        for uid in reversed(uids):
            if self.select_uid(uid, look_in_pages=5):
                return

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def focus_list(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.view.selectionModel().hasSelection() and self.model.rowCount() > 0:
            current = self.view.currentIndex()
            self.view.selectRow(current.row() if current.isValid() else 0)

    def _activated(self, index: QModelIndex) -> None:
        record = index.data(RecordRole)
        if record is not None:
            self.edit_requested.emit(record)

    def _context_menu(self, position: Any) -> None:
        if not self.context_actions:
            return
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    # --- layout -----------------------------------------------------------------------------

    def save_state(self, state: UiState) -> None:
        state.save_bytes(
            f"lists/{self.kind.value}/header", self.view.horizontalHeader().saveState()
        )
        if self.detail is not None:
            state.save_bytes(f"lists/{self.kind.value}/detail", self.body.saveState())

    def restore_state(self, state: UiState) -> None:
        split = state.load_bytes(f"lists/{self.kind.value}/detail")
        if split is not None and self.detail is not None:
            visible = not self.detail.isHidden()
            self._detail_sized = self.body.restoreState(split)
            self.detail.setVisible(visible)  # shown or not is the View menu's to say
        saved = state.load_bytes(f"lists/{self.kind.value}/header")
        self._layout_restored = saved is not None
        if saved is not None:
            header = self.view.horizontalHeader()
            # The sort order is the model's (SQL), not the header's: keep the model's.
            indicator = (header.sortIndicatorSection(), header.sortIndicatorOrder())
            self.view.setSortingEnabled(False)
            header.restoreState(saved)
            header.setSortIndicator(*indicator)
            self.view.setSortingEnabled(True)


class ListSection(QWidget, Page):
    """A sidebar section of one or more lists (tabs when there are several)."""

    selection_changed = Signal()
    edit_requested = Signal(object)

    def __init__(self, pages: list[RecordListPage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = pages
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs: QTabWidget | None = None
        if len(pages) == 1:
            layout.addWidget(pages[0])
        else:
            self.tabs = QTabWidget(self)
            self.tabs.setDocumentMode(True)
            for page in pages:
                self.tabs.addTab(page, page.title.replace("&", "&&"))
            self.tabs.currentChanged.connect(self._tab_changed)
            layout.addWidget(self.tabs)
        for page in pages:
            page.selection_changed.connect(self.selection_changed)
            page.edit_requested.connect(self.edit_requested)

    @property
    def current(self) -> RecordListPage:
        if self.tabs is None:
            return self.pages[0]
        widget = self.tabs.currentWidget()
        assert isinstance(widget, RecordListPage)
        return widget

    def show_kind(self, kind: RecordKind) -> None:
        for number, page in enumerate(self.pages):
            if page.kind is kind and self.tabs is not None:
                self.tabs.setCurrentIndex(number)

    def kinds(self) -> list[RecordKind]:
        return [p.kind for p in self.pages]

    def _tab_changed(self, _index: int) -> None:
        self.current.load()
        self.selection_changed.emit()

    def activate(self) -> None:
        """Show the current list, read again: other parts of the app (sign-off, requirement
        pathways, imports) may have changed its records since it was last shown."""
        page = self.current
        if page.model_loaded:
            page.reload()
        else:
            page.load()

    def apply_change(self, change: Change) -> None:
        for page in self.pages:
            page.apply_change(change)

    def set_profile(self, profile: Profile | None) -> None:
        for page in self.pages:
            page.set_profile(profile)

    def save_state(self, state: UiState) -> None:
        for page in self.pages:
            page.save_state(state)

    def restore_state(self, state: UiState) -> None:
        for page in self.pages:
            page.restore_state(state)

    def set_detail_visible(self, visible: bool) -> None:
        for page in self.pages:
            page.set_detail_visible(visible)


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"
