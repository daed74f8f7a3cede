"""The main window's list of sections, which can collapse to a column of icons.

Collapsed, each section keeps its name for screen readers and in its tooltip (with its Ctrl+N
shortcut); only the painted text goes, so the lists and pages get the width on a small screen.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logbook.ui import theme

ICON_SIZE = 20
ITEM_HEIGHT = 38
# Item padding and the list's own padding (see theme.stylesheet): an icon centred in
# ``COLLAPSED_WIDTH``.
ITEM_PADDING, LIST_PADDING = 10, 8
COLLAPSED_WIDTH = ICON_SIZE + 2 * ITEM_PADDING + 2 * LIST_PADDING
# Below this window width (logical pixels) the sidebar starts collapsed, unless the user chose.
NARROW_WINDOW = 1100


class _IconsOnly(QStyledItemDelegate):
    """Paints an item's icon alone while the sidebar is collapsed (its text stays in the
    model, for screen readers, tooltips and tests)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.collapsed = False

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if self.collapsed:
            option.text = ""
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDisplay
            option.decorationAlignment = Qt.AlignmentFlag.AlignCenter


class Sidebar(QFrame):
    """The section list with a button at its foot that collapses it to icons.

    Args:
        sections: ``(title, icon name, shortcut)`` of each section, in order.
        shortcut: The keys that collapse and expand it, named in its button's tooltip.
        parent: The main window.
    """

    def __init__(
        self,
        sections: list[tuple[str, str, str]],
        shortcut: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sidebarPane")
        self.collapsed = False
        self.shortcut = shortcut
        self._icons = [icon_name for _title, icon_name, _keys in sections]
        self.list = QListWidget(self)
        self.list.setObjectName("sidebar")
        self.list.setAccessibleName("Sections")
        self.list.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._delegate = _IconsOnly(self.list)
        self.list.setItemDelegate(self._delegate)
        for title, icon_name, keys in sections:
            item = QListWidgetItem(theme.icon(icon_name), title)
            item.setToolTip(f"{title} ({keys})")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, f"Shortcut {keys}")
            item.setSizeHint(QSize(0, ITEM_HEIGHT))
            self.list.addItem(item)

        self.toggle_button = QToolButton(self)
        self.toggle_button.setObjectName("sidebarToggle")
        self.toggle_button.setAutoRaise(True)
        self.toggle_button.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.toggle_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self._foot = QHBoxLayout()
        self._foot.addWidget(self.toggle_button)
        self._foot.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, LIST_PADDING)
        layout.setSpacing(0)
        layout.addWidget(self.list, 1)
        layout.addLayout(self._foot)
        self.expanded_width = self._widest()
        self.set_collapsed(False)

    def _widest(self) -> int:
        """Room for the longest section name beside its icon."""
        metrics = self.list.fontMetrics()
        longest = max(metrics.horizontalAdvance(self.list.item(row).text()) for row in self._rows())
        # The text beside the icon, with room to spare (the selected one is bold).
        return longest + COLLAPSED_WIDTH + 40

    def _rows(self) -> range:
        return range(self.list.count())

    def set_collapsed(self, collapsed: bool) -> None:
        """Show icons only (``True``) or icons and names."""
        self.collapsed = collapsed
        self._delegate.collapsed = collapsed
        if collapsed:
            self.setFixedWidth(COLLAPSED_WIDTH + 1)
        else:
            self.setMinimumWidth(self.expanded_width)
            self.setMaximumWidth(16_777_215)
        what = "Expand sidebar" if collapsed else "Collapse sidebar"
        self.toggle_button.setIcon(
            theme.icon("sidebar-expand" if collapsed else "sidebar-collapse")
        )
        self.toggle_button.setAccessibleName(what)
        self.toggle_button.setToolTip(f"{what} ({self.shortcut})" if self.shortcut else what)
        # Centred under the icons, whether or not their names show.
        self._foot.setContentsMargins(
            (COLLAPSED_WIDTH - self.toggle_button.sizeHint().width()) // 2, 0, 0, 0
        )
        self.list.doItemsLayout()
        self.list.viewport().update()

    def restyle(self) -> None:
        """Redraw the icons in the current theme's colours."""
        for row in self._rows():
            self.list.item(row).setIcon(theme.icon(self._icons[row]))
        self.set_collapsed(self.collapsed)
