"""Layout pieces that keep windows usable from a 1024×700 screen to 4K at 200 %.

- :class:`FlowLayout` lays buttons out in a row and wraps them onto further rows when the
  window is too narrow, instead of squeezing their text.
- :func:`fit_to_screen` sizes a window as it would like to be, but never larger than the screen
  it opens on.
- :func:`scroll_body` and :func:`scrolling` put a tall form in a scroll area, so a dialog can
  be shorter than its content on a small screen, its buttons always in sight.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

# Room a window manager takes around a window (title bar and borders), not known before the
# window is first shown; generous, so a dialog's buttons are never under a panel.
FRAME_ALLOWANCE = QSize(16, 48)


class FlowLayout(QLayout):
    """Items left to right, wrapping onto a new row when the next one does not fit.

    Every item keeps at least its minimum size, so a button's text is never cut; the layout
    asks for more height instead (``heightForWidth``).

    Args:
        parent: The widget to lay out, if any.
        spacing: Space between items, across and down (the style's spacing if negative).
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        if parent is not None:
            self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_widgets(self, *widgets: QWidget) -> None:
        for widget in widgets:
            self.addWidget(widget)

    def insert_widget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        width = height = 0
        for item in self._shown():
            hint = item.sizeHint()
            width += hint.width() + (self._gap() if width else 0)
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(width, height) + QSize(
            margins.left() + margins.right(), margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        """As wide as the widest item (one item a row at worst)."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _gap(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        return parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in ``rect`` (or only measure); returns the height they need."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        gap = self._gap()
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = area.x()
        for item in self._shown():
            hint = item.sizeHint()
            size = QSize(
                min(hint.width(), max(area.width(), item.minimumSize().width())), hint.height()
            )
            if rows[-1] and x + size.width() > area.right() + 1:
                rows.append([])
                x = area.x()
            rows[-1].append((item, size))
            x += size.width() + gap
        y = area.y()
        for row in rows:
            height = max((size.height() for _item, size in row), default=0)
            x = area.x()
            for item, size in row:
                if move:  # centred in the row, as buttons of different heights line up
                    top = y + (height - size.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), size))
                x += size.width() + gap
            y += height + gap
        return y - gap - rect.y() + margins.bottom() if self._shown() else 0


def screen_of(window: QWidget) -> QScreen | None:
    """The screen ``window`` is on, or will open on (its parent's, before it is first shown)."""
    parent = window.parentWidget()
    if parent is not None and not window.isVisible():
        return parent.window().screen()
    return window.screen() or QGuiApplication.primaryScreen()


def room_on_screen(window: QWidget) -> QSize:
    """The largest size ``window`` can take on its screen, leaving room for its frame."""
    screen = screen_of(window)
    if screen is None:
        return QSize(16_777_215, 16_777_215)
    available = screen.availableGeometry().size()
    return available.shrunkBy(QMargins(0, 0, FRAME_ALLOWANCE.width(), FRAME_ALLOWANCE.height()))


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width`` × ``height``, or less where its screen is smaller.

    A minimum size larger than the screen is lowered to fit too: the content must then scroll
    (see :func:`scrolling`), which is better than buttons out of reach below the screen.
    """
    room = room_on_screen(window)
    minimum = window.minimumSize()
    if minimum.width() > room.width() or minimum.height() > room.height():
        window.setMinimumSize(minimum.boundedTo(room))
    window.resize(QSize(width, height).boundedTo(room))


def scroll_body(window: QWidget, buttons: QWidget) -> QScrollArea:
    """Put everything in ``window``'s layout but ``buttons`` in a scroll area, with the buttons
    below it, always in sight: a tall dialog then fits a short screen (on a tall one nothing
    changes, as the scroll area is as tall as its content).

    Call it once the window's layout is complete.
    """
    layout = window.layout()
    assert layout is not None, "scroll_body needs the window's layout"
    layout.removeWidget(buttons)
    margins = layout.contentsMargins()
    body = QWidget(window)
    body.setObjectName("scrolledBody")
    # Setting the window's layout on the body moves it there, with every widget it holds.
    body.setLayout(layout)
    layout.setContentsMargins(margins.left(), margins.top(), margins.right(), 0)
    area = scrolling(body, window)
    outer = QVBoxLayout(window)
    outer.setContentsMargins(0, 0, 0, margins.bottom())
    outer.setSpacing(layout.spacing())
    outer.addWidget(area, 1)
    foot = QHBoxLayout()
    foot.setContentsMargins(margins.left(), 0, margins.right(), 0)
    foot.addWidget(buttons)
    outer.addLayout(foot)
    return area


def scrolling(content: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """``content`` in a frameless scroll area that scrolls only up and down when it must."""
    area = QScrollArea(parent)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    area.setWidget(content)
    # The viewport takes the window's colour, as the content did before it scrolled.
    area.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return area
