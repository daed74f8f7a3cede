"""What the app shows when it starts with something due now: a notice in the bottom right of
the main window, never modal, gone when dismissed or when the dashboard is opened; or, when
the dashboard is already showing (its "Coming up" lists them), a word in the status bar."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook.services.reminders import Reminder

SHOWN = 3  # reminders listed in the notice; the rest are on the dashboard
WIDTH = 380
MARGIN = 16


class ReminderNotice(QFrame):
    """What is due now, with a way to the dashboard, floating over a main window.

    Signals:
        open_dashboard: the user asked to see everything on the dashboard.
    """

    open_dashboard = Signal()

    def __init__(self, reminders: Sequence[Reminder], window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("card")
        self.setAccessibleName("Reminders due now")
        self.setFixedWidth(WIDTH)
        self._window = window
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(24)
        shadow.setOffset(0, 4)
        shadow.setColor(QColor(0, 0, 0, 70))
        self.setGraphicsEffect(shadow)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 12, 14)
        layout.setSpacing(8)
        top = QHBoxLayout()
        count = len(reminders)
        self.heading = QLabel(f"{count} {'thing' if count == 1 else 'things'} due now")
        self.heading.setObjectName("sectionTitle")
        top.addWidget(self.heading, 1)
        close = QPushButton("✕", self)
        close.setFlat(True)
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss the reminders")
        close.setFixedWidth(close.sizeHint().height())
        close.clicked.connect(self.close)
        top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        for reminder in reminders[:SHOWN]:
            layout.addWidget(_row(reminder, self))
        if count > SHOWN:
            more = QLabel(f"and {count - SHOWN} more on the dashboard")
            more.setObjectName("muted")
            layout.addWidget(more)
        self.dashboard_button = QPushButton("Open the dashboard", self)
        self.dashboard_button.setObjectName("primary")
        self.dashboard_button.clicked.connect(self._to_dashboard)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.dashboard_button)
        layout.addLayout(buttons)

        window.installEventFilter(self)
        section_changed = getattr(window, "section_changed", None)
        if section_changed is not None:
            # Everything listed here is on the dashboard: once it is open the notice has done.
            section_changed.connect(self._section_shown)

    def place(self) -> None:
        """Keep to the bottom right of the window's content, where notices usually appear."""
        window = self._window
        central = window.centralWidget()
        area = central.geometry() if central is not None else window.rect()
        self.adjustSize()
        x = area.right() - self.width() - MARGIN
        y = area.bottom() - self.height() - MARGIN
        self.move(max(area.left() + MARGIN, x), max(area.top() + MARGIN, y))
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.place()
        return False

    def _to_dashboard(self) -> None:
        self.open_dashboard.emit()
        self.close()

    def _section_shown(self, key: str) -> None:
        if key == "dashboard":
            self.close()


def _row(reminder: Reminder, parent: QWidget) -> QWidget:
    holder = QWidget(parent)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    title = QLabel(reminder.title, holder)
    title.setWordWrap(True)
    font = title.font()
    font.setWeight(font.Weight.DemiBold)
    title.setFont(font)
    detail = QLabel(reminder.detail, holder)
    detail.setObjectName("muted")
    detail.setWordWrap(True)
    column.addWidget(title)
    column.addWidget(detail)
    holder.setAccessibleName(f"{reminder.title}: {reminder.detail}")
    return holder


STATUS_MS = 15_000


def show_notice(window: QMainWindow, reminders: Sequence[Reminder]) -> ReminderNotice | None:
    """Tell of ``reminders`` over ``window``, without asking for an answer (nothing when there
    are none). The notice's button opens the dashboard through the window's ``show_section``.

    Returns:
        The notice, or None when the dashboard already shows them (the status bar says so).
    """
    if not reminders:
        return None
    count = len(reminders)
    if getattr(window, "current_key", None) == "dashboard":
        things = "1 thing is" if count == 1 else f"{count} things are"
        window.statusBar().showMessage(f"{things} due now: see Coming up", STATUS_MS)
        return None
    notice = ReminderNotice(reminders, window)
    show_section = getattr(window, "show_section", None)
    if show_section is not None:
        notice.open_dashboard.connect(lambda: show_section("dashboard", focus=True))
    notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    notice.show()
    notice.place()
    return notice
