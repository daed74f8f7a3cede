"""The dashboard: hours this month, this year and this registration cycle; the monthly chart;
what is coming up (renewals, sign-off, milestones, supervision a followed pack asks for, from
``logbook.services.reminders``); and requirement badges.

Figures come from the record service's SQL totals. The chart is the same ReportLab drawing the
PDF portfolio prints (``logbook.services.charts``), shown as SVG; it is drawn just after the window
appears, so ReportLab is never on the start-up path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.choices import Direction
from logbook.domain.durations import hours
from logbook.domain.periods import Period, last_months, month_of, month_starts, year_of
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Profile, RecordKind
from logbook.domain.signoff import SignoffState
from logbook.services.changes import Change
from logbook.services.charts import chart_ink, monthly_hours_svg
from logbook.services.logbook import Logbook
from logbook.services.reminders import Reminder, reminders
from logbook.ui import theme
from logbook.ui.columns import NameDirectory
from logbook.ui.filters import registration_cycle
from logbook.ui.pages import Page, PageContext

K = RecordKind

# The rows of the hours table: a label and the query that counts them in a period.
HOUR_ROWS: tuple[tuple[str, RecordKind, Direction | None], ...] = (
    ("Supervision received", K.SUPERVISION, Direction.RECEIVED),
    ("Supervision given", K.SUPERVISION, Direction.GIVEN),
    ("Practice", K.PRACTICE, None),
    ("CPD", K.CPD, None),
    ("Personal practice", K.PERSONAL_PRACTICE, None),
)
# Rows always shown, even when empty, because almost everyone logs them.
CORE_ROWS = {"Supervision received", "Practice", "CPD"}
# How long after the figures the charts and badges follow (the window paints first).
LATER_MS = 50
CHART_SERIES: tuple[tuple[str, RecordKind], ...] = (
    ("Supervision", K.SUPERVISION),
    ("Practice", K.PRACTICE),
    ("CPD", K.CPD),
    ("Personal practice", K.PERSONAL_PRACTICE),
)


@dataclass(frozen=True)
class HoursRow:
    """One line of the hours card: minutes this month, this year and this registration cycle."""

    label: str
    minutes: tuple[int, int, int]  # this month, this year, this cycle


# What the "Coming up" card lists: the reminders the app also shows when it starts.
Upcoming = Reminder
URGENT_CHIP = "Urgent"  # beside a reminder due now


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, read in one go so the page paints without queries.

    Attributes:
        awaiting_signoff: Entries waiting for a supervisor's signature (``None`` when sign-off
            is not available).
    """

    today: date
    periods: tuple[Period, Period, Period | None]
    cycle_label: str
    rows: tuple[HoursRow, ...]
    courses: tuple[int, int, int]
    months: list[date]
    series: dict[str, list[float]]
    supervision: list[float]
    upcoming: tuple[Upcoming, ...]
    awaiting_signoff: int | None = None
    conflicts: int = 0  # records two copies changed, waiting for a choice


def collect(
    logbook: Logbook,
    profile: Profile | None,
    *,
    today: date | None = None,
    chart_months: int = 12,
    look_ahead_days: int = 90,
) -> DashboardData:
    """Everything the dashboard shows, read from the logbook's SQL totals."""
    records = logbook.records
    today = today or date.today()
    cycle = registration_cycle(profile, today)
    periods = (month_of(today), year_of(today), cycle[1] if cycle else None)
    cycle_label = f"{cycle[0].body} cycle" if cycle else "Registration cycle"

    def minutes(kind: RecordKind, direction: Direction | None, period: Period | None) -> int:
        if period is None:
            return 0
        return records.summarise(RecordQuery(kind, period=period, direction=direction)).minutes

    rows = []
    for label, kind, direction in HOUR_ROWS:
        values = tuple(minutes(kind, direction, p) for p in periods)
        if any(values) or label in CORE_ROWS:
            rows.append(HoursRow(label, values))  # type: ignore[arg-type]
    courses = tuple(
        records.summarise(RecordQuery(K.COURSE, period=p)).count if p else 0 for p in periods
    )

    window = last_months(today, chart_months)
    months = month_starts(window)
    keys = [f"{m:%Y-%m}" for m in months]
    series: dict[str, list[float]] = {}
    for label, kind in CHART_SERIES:
        by_month = {
            t.key: t.minutes for t in records.totals(RecordQuery(kind, period=window), "month")
        }
        series[label] = [round(by_month.get(k, 0) / 60, 2) for k in keys]
    received = {
        t.key: t.minutes
        for t in records.totals(
            RecordQuery(K.SUPERVISION, period=window, direction=Direction.RECEIVED), "month"
        )
    }
    supervision = [round(received.get(k, 0) / 60, 2) for k in keys]

    upcoming = reminders(logbook, profile, today, look_ahead_days=look_ahead_days)
    return DashboardData(
        today=today,
        periods=periods,
        cycle_label=cycle_label,
        rows=tuple(rows),
        courses=courses,  # type: ignore[arg-type]
        months=months,
        series=series,
        supervision=supervision,
        upcoming=tuple(upcoming),
        awaiting_signoff=_awaiting_signoff(logbook),
        conflicts=logbook.conflicts.count(),
    )


def _awaiting_signoff(logbook: Logbook) -> int | None:
    """Entries waiting for a supervisor's signature, when sign-off is available."""
    service = getattr(logbook, "signoff", None)
    finder = getattr(service, "in_states", None)
    if finder is None:
        return None
    return len(finder([SignoffState.AWAITING]))


# Short words for the status chip; the full wording ("criteria met for the recorded period")
# is in the badge's text and on the Requirements page.
CHIPS = {"met": "Criteria met", "not_yet_met": "Not yet met", "not_applicable": "Nothing to check"}


@dataclass(frozen=True)
class RequirementBadge:
    """One followed pack as the dashboard shows it."""

    title: str
    headline: str
    detail: str
    met: bool
    rules_met: int = 0
    rules_total: int = 0
    chip: str = ""
    progress: str = ""


def requirement_badges(logbook: Logbook) -> list[RequirementBadge]:
    """A badge per followed requirement pack (none when requirements are not available)."""
    service = getattr(logbook, "requirements", None)
    if service is None or not hasattr(service, "badges"):
        return []
    return [
        RequirementBadge(
            b.title,
            b.headline,
            b.detail,
            b.status.value == "met",
            b.rules_met,
            b.rules_total,
            CHIPS.get(b.status.value, b.status.label),
            b.progress,
        )
        for b in service.badges()
    ]


# --- widgets ------------------------------------------------------------------------------------


def card(title: str, parent: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    """A dashboard card headed ``title``, and the layout its content goes in."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    frame.setAccessibleName(title)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(10)
    heading = QLabel(title, frame)
    heading.setObjectName("sectionTitle")
    layout.addWidget(heading)
    return frame, layout


class ChartView(QSvgWidget):
    """An SVG chart that is redrawn at its own size (so text keeps its size when it grows)."""

    # Screen pixels per chart point: chart text set for print stays readable on screen.
    SCALE = 1.45

    def __init__(
        self, make_svg: Callable[[float, float], bytes], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._make_svg = make_svg
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self.redraw)
        self.svg_bytes = b""

    def set_maker(self, make_svg: Callable[[float, float], bytes]) -> None:
        self._make_svg = make_svg
        self.redraw()

    def redraw(self) -> None:
        width = max(200, self.width()) / self.SCALE
        height = max(120, self.height()) / self.SCALE
        self.svg_bytes = self._make_svg(width, height)
        self.load(QByteArray(self.svg_bytes))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._timer.start()

    def sizeHint(self) -> QSize:
        return QSize(600, 260)


_RGB = re.compile(r"rgb\(([\d.]+)%,\s*([\d.]+)%,\s*([\d.]+)%\)")
# Qt's SVG renderer (SVG Tiny) does not know clipPath and would paint its rectangle black.
_CLIP_PATH = re.compile(r"<clipPath.*?</clipPath>", re.DOTALL)
_CLIP_STYLE = re.compile(r"clip-path:\s*url\(#[^)]*\);?")


def recolour_svg(svg: bytes, colours: theme.Colours) -> bytes:
    """Chart colours for the screen: ink and grid from the theme, series lightened in the dark.

    The drawing is the PDF's (dark ink on paper); on a dark surface its text and grid take the
    theme's colours and its bars are lifted so they keep their contrast.
    """
    drawn = chart_ink()
    ink = {drawn.text: colours.text, drawn.muted: colours.muted, drawn.grid: colours.border}

    def swap(match: re.Match[str]) -> str:
        key = tuple(round(float(v)) for v in match.groups())
        for known, replacement in ink.items():
            if all(abs(a - b) <= 1 for a, b in zip(known, key, strict=True)):
                return replacement
        if not colours.dark:
            return match[0]
        colour = QColor.fromRgbF(*(float(v) / 100 for v in match.groups()))
        lifted = QColor.fromHslF(
            colour.hslHueF(), min(1.0, colour.hslSaturationF() * 0.9), max(colour.lightnessF(), 0.6)
        )
        return str(lifted.name())

    text = _CLIP_STYLE.sub("", _CLIP_PATH.sub("", svg.decode("utf-8")))
    return _RGB.sub(swap, text).encode("utf-8")


class DashboardPage(QScrollArea, Page):
    """The first page: where the practitioner stands and what is coming up.

    Signals:
        open_section: a section the user asked to go to (by its key, e.g. "signoff").
        open_conflicts: the user asked to choose between the sides of merged records.
    """

    open_section = Signal(str)
    open_conflicts = Signal()
    badges_shown = Signal()

    @classmethod
    def build(cls, context: PageContext) -> DashboardPage:
        page = cls(
            context.logbook,
            context.names,
            chart_months=int(context.preferences["chart_months"]),
            look_ahead_days=int(context.preferences["upcoming_days"]),
        )
        page.today = context.today
        page.set_profile(context.profile)
        page.open_section.connect(context.show_section)
        page.open_conflicts.connect(context.open_conflicts)
        return page

    def __init__(
        self,
        logbook: Logbook,
        names: NameDirectory,
        *,
        chart_months: int = 12,
        look_ahead_days: int = 90,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setAccessibleName("Dashboard")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Cards wrap their text to the width they get: the page only ever scrolls down.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._logbook = logbook
        self._names = names
        self.chart_months = chart_months
        self.look_ahead_days = look_ahead_days
        self.today: date | None = None
        self.profile: Profile | None = None
        self.data: DashboardData | None = None
        self._stale = True
        self._charts_ready = False
        self.badges: list[RequirementBadge] = []

        body = QWidget(self)
        body.setObjectName("dashboardBody")
        self.setWidget(body)
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 4, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)

        hours_card, hours_layout = card("Hours by kind", body)
        self.hours_grid = QGridLayout()
        self.hours_grid.setHorizontalSpacing(24)
        self.hours_grid.setVerticalSpacing(8)
        hours_layout.addLayout(self.hours_grid)
        hours_layout.addStretch(1)
        grid.addWidget(hours_card, 0, 0)

        upcoming_card, upcoming_layout = card("Coming up", body)
        self.upcoming_box = QVBoxLayout()
        self.upcoming_box.setSpacing(8)
        upcoming_layout.addLayout(self.upcoming_box)
        upcoming_layout.addStretch(1)
        self.requirements_card, requirements_layout = card("Requirements", body)
        self.badges_box = QVBoxLayout()
        self.badges_box.setSpacing(8)
        requirements_layout.addLayout(self.badges_box)
        self.requirements_card.hide()
        grid.addWidget(upcoming_card, 0, 1)

        chart_card, chart_layout = card("Hours per month", body)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        switch.addStretch(1)
        self.span_buttons = QButtonGroup(self)
        for months in (12, 24):
            button = QPushButton(f"{months} months", chart_card)
            button.setObjectName("segment")
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 34)
            button.setCheckable(True)
            button.setAccessibleName(f"Show the last {months} months")
            button.setChecked(months == chart_months)
            self.span_buttons.addButton(button, months)
            switch.addWidget(button)
        self.span_buttons.idClicked.connect(self.set_chart_months)
        title = chart_layout.itemAt(0)  # the heading card() put first
        heading_row = title.widget() if title is not None else None
        assert heading_row is not None
        chart_layout.removeWidget(heading_row)
        top = QHBoxLayout()
        top.addWidget(heading_row)
        top.addLayout(switch)
        chart_layout.insertLayout(0, top)
        self.hours_chart = ChartView(lambda w, h: b"", chart_card)
        self.hours_chart.setAccessibleName("Chart of hours per month by kind")
        self.hours_chart.setMinimumHeight(260)
        chart_layout.addWidget(self.hours_chart, 1)
        grid.addWidget(chart_card, 1, 0, 1, 2)

        supervision_card, supervision_layout = card("Supervision received per month", body)
        self.supervision_chart = ChartView(lambda w, h: b"", supervision_card)
        self.supervision_chart.setAccessibleName("Chart of supervision received per month")
        self.supervision_chart.setMinimumHeight(220)
        supervision_layout.addWidget(self.supervision_chart, 1)
        self.supervision_card = supervision_card
        self._grid = grid
        grid.addWidget(supervision_card, 2, 0, 1, 2)

        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(3, 1)

    # --- refreshing -----------------------------------------------------------------------------

    def set_profile(self, profile: Profile | None) -> None:
        self.profile = profile
        self._stale = True

    def apply_change(self, change: Change) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def activate(self) -> None:
        """Read the figures again when the page is shown: other parts of the app (sign-off,
        requirement settings, imports) may have changed them meanwhile."""
        shown = self.data
        self.refresh(only_if_changed=not self._stale)
        if self.data is shown and shown is not None:
            # Same figures; requirement settings may still have changed the badges.
            QTimer.singleShot(0, self.show_badges)

    def set_chart_months(self, months: int) -> None:
        self.chart_months = months
        button = self.span_buttons.button(months)
        if button is not None:
            button.setChecked(True)
        self.refresh()

    def refresh(self, only_if_changed: bool = False) -> None:
        """Read the figures again and redraw (charts just after, off the start-up path).

        Args:
            only_if_changed: Leave the page as it is when the figures are the same.
        """
        self._stale = False
        data = collect(
            self._logbook,
            self.profile,
            today=self.today,
            chart_months=self.chart_months,
            look_ahead_days=self.look_ahead_days,
        )
        if only_if_changed and data == self.data:
            return
        self.data = data
        self._fill_hours(data)
        self._fill_upcoming(data)
        # Charts (ReportLab) and requirement checks come just after the window has painted,
        # off the start-up path.
        QTimer.singleShot(LATER_MS, self.draw_charts)
        QTimer.singleShot(LATER_MS, self.show_badges)

    def draw_charts(self) -> None:
        if self.data is None:
            return
        data = self.data
        colours = theme.current()
        received = {"Supervision received": data.supervision}

        def hours_svg(width: float, height: float) -> bytes:
            return recolour_svg(monthly_hours_svg(data.months, data.series, width, height), colours)

        def supervision_svg(width: float, height: float) -> bytes:
            return recolour_svg(monthly_hours_svg(data.months, received, width, height), colours)

        self.hours_chart.set_maker(hours_svg)
        self.supervision_chart.set_maker(supervision_svg)
        self._charts_ready = True

    # --- filling ----------------------------------------------------------------------------

    def _fill_hours(self, data: DashboardData) -> None:
        _clear(self.hours_grid)
        headings = ["", "This month", "This year", data.cycle_label]
        tips = [
            "",
            data.periods[0].describe(),
            data.periods[1].describe(),
            data.periods[2].describe() if data.periods[2] else "No registration renewal date",
        ]
        for column, (text, tip) in enumerate(zip(headings, tips, strict=True)):
            label = QLabel(text)
            label.setObjectName("statLabel")
            label.setToolTip(tip)
            if column:
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.hours_grid.addWidget(label, 0, column)
        rows: list[tuple[str, list[str]]] = [
            (row.label, [f"{hours(m)} h" for m in row.minutes]) for row in data.rows
        ]
        if any(data.courses):
            rows.append(("Courses started", [str(n) for n in data.courses]))
        for number, (label_text, values) in enumerate(rows, 1):
            label = QLabel(label_text)
            self.hours_grid.addWidget(label, number, 0)
            for column, value in enumerate(values, 1):
                cell = QLabel(value if (column < 3 or data.periods[2]) else "—")
                cell.setObjectName("figure")
                cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cell.setAccessibleName(f"{label_text}, {headings[column]}: {value}")
                self.hours_grid.addWidget(cell, number, column)
        self.hours_grid.setColumnStretch(0, 1)
        if data.periods[2]:
            note = QLabel(f"{data.cycle_label}: {data.periods[2].describe()}")
            note.setObjectName("muted")
            self.hours_grid.addWidget(note, len(rows) + 1, 0, 1, 4)

    def _fill_upcoming(self, data: DashboardData) -> None:
        _clear(self.upcoming_box)
        items: list[QWidget] = []
        if data.conflicts:
            items.append(
                _upcoming_row(
                    f"{data.conflicts} {'record' if data.conflicts == 1 else 'records'} "
                    "changed on two copies of your logbook",
                    "Choose which side to keep; until then only this computer's side counts",
                    urgent=True,
                    link=self.open_conflicts.emit,
                )
            )
        if data.awaiting_signoff:
            items.append(
                _upcoming_row(
                    f"{data.awaiting_signoff} "
                    f"{'entry' if data.awaiting_signoff == 1 else 'entries'} awaiting sign-off",
                    "Ask your supervisor to sign "
                    + ("it" if data.awaiting_signoff == 1 else "them"),
                    urgent=False,
                    link=lambda: self.open_section.emit("signoff"),
                )
            )
        for item in data.upcoming:
            link = (lambda key=item.section: self.open_section.emit(key)) if item.section else None
            items.append(_upcoming_row(item.title, item.detail, item.urgent, link))
        if not items:
            empty = QLabel(
                f"Nothing due in the next {self.look_ahead_days} days: no renewals, "
                "milestones, sign-off requests or supervision to log."
            )
            empty.setObjectName("muted")
            empty.setWordWrap(True)
            items.append(empty)
        for widget in items:
            self.upcoming_box.addWidget(widget)

    def show_badges(self) -> None:
        """Check the followed requirement packs on a worker thread, then show their badges."""
        from logbook.ui.worker import Job

        job = Job(lambda _progress: requirement_badges(self._logbook), self)
        job.succeeded.connect(self._fill_badges)
        # A failed check must not spoil the dashboard: the Requirements page explains it.
        job.failed.connect(lambda _error: self._fill_badges([]))
        self._badge_job = job.start()

    def _fill_badges(self, badges: list[RequirementBadge]) -> None:
        self.badges = badges
        _clear(self.badges_box)
        self.requirements_card.setVisible(bool(self.badges))
        # Beside the supervision chart when there are badges; the chart is full width if not.
        self._grid.removeWidget(self.supervision_card)
        self._grid.removeWidget(self.requirements_card)
        if self.badges:
            self._grid.addWidget(self.supervision_card, 2, 0)
            self._grid.addWidget(self.requirements_card, 2, 1)
        else:
            self._grid.addWidget(self.supervision_card, 2, 0, 1, 2)
        for badge in self.badges:
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 2, 0, 6)
            column.setSpacing(3)
            top = QHBoxLayout()
            top.setSpacing(10)
            name = QLabel(badge.title)
            name.setWordWrap(True)
            font = name.font()
            font.setWeight(font.Weight.DemiBold)
            name.setFont(font)
            top.addWidget(name, 1)
            chip = QLabel(badge.chip)
            chip.setObjectName("badgeSuccess" if badge.met else "badgeWarning")
            top.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
            column.addLayout(top)
            count = badge.progress or f"{badge.rules_met} of {badge.rules_total} rules met"
            detail = QLabel(f"{count}. {badge.detail}" if badge.detail else count)
            detail.setObjectName("muted")
            detail.setWordWrap(True)
            column.addWidget(detail)
            holder.setAccessibleName(f"{badge.title}: {badge.headline}")
            holder.setToolTip("Open the requirements to see each rule month by month")
            holder.setCursor(Qt.CursorShape.PointingHandCursor)
            holder.mousePressEvent = lambda _e: self.open_section.emit("requirements")  # type: ignore[method-assign]
            self.badges_box.addWidget(holder)
        self.badges_shown.emit()

    def hours_text(self) -> str:
        """The hours table as text (what a screen reader or a test reads)."""
        lines = []
        for row in range(self.hours_grid.rowCount()):
            cells = []
            for column in range(self.hours_grid.columnCount()):
                item = self.hours_grid.itemAtPosition(row, column)
                widget = item.widget() if item else None
                if isinstance(widget, QLabel):
                    cells.append(widget.text())
            lines.append(" | ".join(cells))
        return "\n".join(lines)


def _upcoming_row(
    title: str, detail: str, urgent: bool, link: Callable[[], None] | None
) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    top = QHBoxLayout()
    top.setSpacing(8)
    heading = QLabel(title)
    heading.setWordWrap(True)
    font = heading.font()
    font.setWeight(font.Weight.DemiBold)
    heading.setFont(font)
    top.addWidget(heading, 1)
    if urgent:
        # A short chip beside the title: the detail stays plain text, easy to read at length.
        chip = QLabel(URGENT_CHIP)
        chip.setObjectName("badgeWarning")
        top.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
    layout.addLayout(top)
    note = QLabel(detail)
    note.setObjectName("muted")
    # Wrapped: a long reminder must never widen the card past the window.
    note.setWordWrap(True)
    layout.addWidget(note)
    holder.setAccessibleName(f"{title}: {detail}" + (f" ({URGENT_CHIP})" if urgent else ""))
    if link is not None:
        holder.setCursor(Qt.CursorShape.PointingHandCursor)
        holder.mousePressEvent = lambda _event: link()  # type: ignore[method-assign]
    return holder


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())
