"""The Requirements page: each rule of a pack month by month, with the reasons behind a cell.

A grid shows one row per rule and one column per month, coloured green (criteria met), amber
(not yet met but the period is still running) or red (a period ended short). Selecting a cell
lists the findings and the entries behind it, with what would close the gap and where the rule
comes from. The pack's settings (cycle start, qualification date, working pattern, leave) are
edited beside the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.errors import LogbookError
from logbook.domain.findings import Finding, Granularity, PackResult, RuleResult, Status
from logbook.domain.periods import Period, add_months
from logbook.domain.requirements import PackError, PackSettings
from logbook.domain.requirements.text import day, finding_words, span
from logbook.services.changes import Change
from logbook.services.requirements import RequirementService
from logbook.ui import theme
from logbook.ui.pages import Page, PageContext
from logbook.ui.qdate import to_date

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
FindingsRole = Qt.ItemDataRole.UserRole + 1
StateRole = Qt.ItemDataRole.UserRole + 2

# How far back the grid reaches.
RANGES = (("Last 12 months", 12), ("Last 24 months", 24), ("Last 5 years", 60), ("Everything", 0))
# Periods shorter than a month: each belongs to the month it starts in, and a cell counts them.
WITHIN_A_MONTH = (Granularity.WEEK, Granularity.FORTNIGHT)
STATUS_WORDS = {
    Status.MET: "Met",
    Status.NOT_YET_MET: "Not yet met",
    Status.NOT_APPLICABLE: "Nothing to check",
}
_NOT_SET = QDate(1900, 1, 1)


@dataclass
class Cell:
    """What one rule holds for one month: its findings and how to show them."""

    state: str = ""  # "met", "short", "running", "none" or "" (nothing in this month)
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    window: bool = False


def month_starts(first: date, last: date) -> list[date]:
    """The first day of each month from the month of ``first`` to ``last``, the columns of the
    month grid."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_period(start: date) -> Period:
    """The calendar month that begins on ``start``."""
    return Period(start, add_months(start, 1) - timedelta(days=1))


def _overlaps(finding: Finding, month: Period) -> bool:
    period = finding.period
    if period.start is None and period.end is None:
        return False
    assert month.start is not None
    assert month.end is not None
    start = period.start or period.end
    end = period.end or period.start
    assert start is not None
    assert end is not None
    return start <= month.end and end >= month.start


def build_cells(rule: RuleResult, months: list[date]) -> list[Cell]:
    """The cells of one rule's row, one per month."""
    cells = [Cell() for _ in months]
    periods = [month_period(m) for m in months]
    # Cells are coloured for rules checked period by period; windows are shaded lightly.
    coloured = rule.granularity is not Granularity.WINDOW
    for finding in rule.findings:
        for cell, month in zip(cells, periods, strict=True):
            if rule.granularity in WITHIN_A_MONTH:
                inside = finding.period.start is not None and month.contains(finding.period.start)
            else:
                inside = _overlaps(finding, month)
            if inside:
                cell.findings.append(finding)
    for cell in cells:
        if not cell.findings:
            continue
        cell.window = not coloured
        cell.state = _state(cell.findings)
        cell.text = _cell_text(rule, cell) if coloured else ""
    return cells


def _state(findings: list[Finding]) -> str:
    short = [f for f in findings if f.status is Status.NOT_YET_MET]
    if any(not f.in_progress for f in short):
        return "short"
    if short:
        return "running"
    if any(f.status is Status.MET for f in findings):
        return "met"
    return "none"


def _cell_text(rule: RuleResult, cell: Cell) -> str:
    checked = [f for f in cell.findings if f.status is not Status.NOT_APPLICABLE]
    if not checked:
        return "–"
    if rule.granularity in WITHIN_A_MONTH:
        met = sum(1 for f in checked if f.status is Status.MET)
        return f"{met}/{len(checked)}"
    if (
        rule.granularity is Granularity.MONTH
        and len(checked) == 1
        and checked[0].actual is not None
    ):
        value = checked[0].actual
        return f"{value:.2f}" if checked[0].unit == "hours" else f"{value:g}"
    if rule.granularity is Granularity.MILESTONE:
        return "●"
    return ""


class RequirementGridModel(QAbstractTableModel):
    """Rules as rows and months as columns, after a column for the rule and one for its status."""

    FIXED = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result: PackResult | None = None
        self.months: list[date] = []
        self._cells: list[list[Cell]] = []

    def set_result(self, result: PackResult | None, months: list[date]) -> None:
        self.beginResetModel()
        self.result = result
        self.months = months
        self._cells = [build_cells(rule, months) for rule in result.rules] if result else []
        self.endResetModel()

    def rule_at(self, row: int) -> RuleResult | None:
        if self.result is None or not 0 <= row < len(self.result.rules):
            return None
        return self.result.rules[row]

    def cell(self, index: AnyIndex) -> Cell | None:
        if not index.isValid() or index.column() < self.FIXED:
            return None
        return self._cells[index.row()][index.column() - self.FIXED]

    def month_of(self, column: int) -> date | None:
        if column < self.FIXED or column - self.FIXED >= len(self.months):
            return None
        return self.months[column - self.FIXED]

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid() or self.result is None:
            return 0
        return len(self.result.rules)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid():
            return 0
        return self.FIXED + len(self.months)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Requirement"
            if section == 1:
                return "Status"
            month = self.month_of(section)
            return f"{month:%b}\n{month:%Y}" if month else None
        if role == Qt.ItemDataRole.ToolTipRole:
            month = self.month_of(section)
            return f"{month:%B %Y}" if month else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rule = self.rule_at(index.row())
        if rule is None:
            return None
        column = index.column()
        if column == 0:
            return self._rule_data(rule, role)
        if column == 1:
            return self._status_data(rule, role)
        cell = self.cell(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            return _cell_colour(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _cell_tooltip(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == FindingsRole:
            return list(cell.findings)
        if role == StateRole:
            return cell.state
        return None

    def _rule_data(self, rule: RuleResult, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return rule.title + (" (optional)" if rule.optional else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{rule.description}\n\nSource: {rule.source_title}, checked {day(rule.checked_on)}"
            )
        if role == FindingsRole:
            return list(rule.findings)
        return None

    def _status_data(self, rule: RuleResult, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return STATUS_WORDS[rule.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return rule.status.label
        if role == Qt.ItemDataRole.BackgroundRole:
            return _status_colour(rule.status)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == FindingsRole:
            return list(rule.findings)
        if role == StateRole:
            return {Status.MET: "met", Status.NOT_YET_MET: "short"}.get(rule.status, "none")
        return None


def _soft(colour: str, share: float) -> QColor:
    """``colour`` blended into the view's base colour (light tints work in dark mode too)."""
    base = QColor(theme.current().base)
    ink = QColor(colour)
    mixed = QColor(
        round(base.red() + (ink.red() - base.red()) * share),
        round(base.green() + (ink.green() - base.green()) * share),
        round(base.blue() + (ink.blue() - base.blue()) * share),
    )
    return mixed


def _state_colour(state: str, share: float) -> QColor | None:
    colours = theme.current()
    ink = {"met": colours.success, "short": colours.danger, "running": colours.warning}.get(state)
    if ink is None:
        return _soft(colours.muted, 0.12) if state == "none" else None
    return _soft(ink, share)


def _cell_colour(cell: Cell) -> QColor | None:
    if not cell.state:
        return None
    return _state_colour(cell.state, 0.12 if cell.window else 0.32)


def _status_colour(status: Status) -> QColor | None:
    state = {Status.MET: "met", Status.NOT_YET_MET: "short"}.get(status, "none")
    return _state_colour(state, 0.22)


def _cell_tooltip(cell: Cell) -> str | None:
    if not cell.findings:
        return None
    lines = [f"{w.title}: {w.state}" for w in map(finding_words, cell.findings[:6])]
    if len(cell.findings) > 6:
        lines.append(f"… {len(cell.findings) - 6} more")
    return "\n".join(lines)


class PackSettingsBox(QGroupBox):
    """The settings of one pack: cycle start, qualification date, working pattern and leave."""

    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Pack settings", parent)
        self.cycle_start = _date_edit()
        self.qualified_on = _date_edit()
        self.fraction = QSpinBox()
        self.fraction.setRange(5, 100)
        self.fraction.setSingleStep(5)
        self.fraction.setSuffix(" % of full time")
        self.fraction.setValue(100)
        self.leave = QListWidget()
        self.leave.setAccessibleName("Leave periods")
        self.leave.setMaximumHeight(90)
        self.leave_from = _date_edit(today=True)
        self.leave_to = _date_edit(today=True)
        add = QPushButton("Add leave")
        add.clicked.connect(self._add_leave)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_leave)
        self.save_button = QPushButton("Save settings")
        self.save_button.setDefault(True)
        self.message = QLabel()
        self.message.setWordWrap(True)

        leave_row = QHBoxLayout()
        leave_row.addWidget(self.leave_from)
        leave_row.addWidget(QLabel("to"))
        leave_row.addWidget(self.leave_to)
        leave_buttons = QHBoxLayout()
        leave_buttons.addWidget(add)
        leave_buttons.addWidget(remove)
        leave_buttons.addStretch()

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Cycle starts", self.cycle_start)
        form.addRow("Qualified on", self.qualified_on)
        self.profile_hint = QLabel()
        self.profile_hint.setWordWrap(True)
        self.profile_hint.setStyleSheet(f"color: {theme.current().muted};")
        form.addRow("", self.profile_hint)
        form.addRow("Working pattern", self.fraction)
        form.addRow("Leave", self.leave)
        form.addRow("", leave_row)
        form.addRow("", leave_buttons)
        form.addRow("", self.save_button)
        form.addRow("", self.message)

    def show_settings(self, settings: PackSettings, profile_qualified: date | None = None) -> None:
        hint = (
            f"When not set, your profile's date is used ({day(profile_qualified)})."
            if profile_qualified
            else ""
        )
        self.profile_hint.setText(hint)
        self.profile_hint.setVisible(bool(hint))
        _set_date(self.cycle_start, settings.cycle_start)
        _set_date(self.qualified_on, settings.qualified_on)
        self.fraction.setValue(round(settings.working_fraction * 100))
        self.leave.clear()
        for spell in settings.leave:
            if spell.start and spell.end:
                self._append_leave(spell.start, spell.end)
        self.message.clear()

    def settings(self) -> PackSettings:
        leave = []
        for row in range(self.leave.count()):
            start, end = self.leave.item(row).data(Qt.ItemDataRole.UserRole)
            leave.append(Period(start, end))
        return PackSettings(
            cycle_start=_get_date(self.cycle_start),
            qualified_on=_get_date(self.qualified_on),
            working_fraction=self.fraction.value() / 100,
            leave=tuple(leave),
        )

    def _add_leave(self) -> None:
        start = to_date(self.leave_from.date())
        end = to_date(self.leave_to.date())
        if end < start:
            self.message.setText("The leave ends before it starts: check the dates.")
            return
        self._append_leave(start, end)
        self.message.clear()

    def _append_leave(self, start: date, end: date) -> None:
        item = QListWidgetItem(span(Period(start, end)))
        item.setData(Qt.ItemDataRole.UserRole, (start, end))
        self.leave.addItem(item)

    def _remove_leave(self) -> None:
        for item in self.leave.selectedItems():
            self.leave.takeItem(self.leave.row(item))


def _grid_view(model: RequirementGridModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.verticalHeader().hide()
    # Equal, fixed row and header heights keep the two halves of the grid aligned.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(46)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = view.horizontalHeader()
    header.setFixedHeight(46)
    header.setMinimumSectionSize(44)
    header.setDefaultSectionSize(56)
    header.setHighlightSections(False)
    return view


def _how_short(finding: Finding) -> str:
    """ "4 of 5 days", or "not met" when the finding has no figures."""
    return finding_words(finding).figures or "not met"


def _settings_dialog(box: PackSettingsBox, parent: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Pack settings")
    layout = QVBoxLayout(dialog)
    layout.addWidget(box)
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close.rejected.connect(dialog.reject)
    layout.addWidget(close)
    return dialog


def _date_edit(today: bool = False) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if today:
        edit.setDate(QDate.currentDate())
    else:
        edit.setMinimumDate(_NOT_SET)
        edit.setSpecialValueText("Not set")
        edit.setDate(_NOT_SET)
    return edit


def _set_date(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(QDate(value.year, value.month, value.day) if value else _NOT_SET)


def _get_date(edit: QDateEdit) -> date | None:
    value = edit.date()
    return None if value == _NOT_SET else to_date(value)


def _pathway_started(change: Change, context: PageContext) -> None:
    """A pathway started here: every page learns of it (this one too, for its milestones),
    and the status bar says where to find it."""
    context.report_change(change, None)
    context.say("Pathway started: see its stages under Pathways & milestones.")


class RequirementsView(QWidget, Page):
    """Requirements of a chosen pack: the month-by-month grid, the detail and the settings.

    Args:
        service: The requirement service of the open logbook.

    Signals:
        pathway_started: a pathway was started from a milestones rule (the Change).
        following_changed: the packs followed changed (the Change to the profile).
    """

    pathway_started = Signal(object)
    following_changed = Signal(object)

    @classmethod
    def build(cls, context: PageContext) -> RequirementsView:
        view = cls(context.logbook.requirements)
        view.pathway_started.connect(lambda change: _pathway_started(change, context))
        view.following_changed.connect(lambda change: context.report_change(change, view))
        return view

    def __init__(self, service: RequirementService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.result: PackResult | None = None
        choices = self._build_choices()
        self._build_actions()
        self._build_heading()
        grid_panel = self._build_grid()
        explained = self._build_explanation()
        self._build_settings()
        self._build_shortfalls()
        self._lay_out(choices, grid_panel, explained)
        self._connect()
        self._fill_packs()
        self.refresh()

    def _build_choices(self) -> QHBoxLayout:
        self.pack_choice = QComboBox()
        self.pack_choice.setAccessibleName("Requirement pack")
        self.pack_choice.setMinimumContentsLength(28)
        self.range_choice = QComboBox()
        self.range_choice.setAccessibleName("Months shown")
        for label, months in RANGES:
            self.range_choice.addItem(label, months)
        row = QHBoxLayout()
        row.addWidget(QLabel("Pack"))
        row.addWidget(self.pack_choice, 1)
        row.addWidget(QLabel("Show"))
        row.addWidget(self.range_choice)
        return row

    def _build_actions(self) -> None:
        self.copy_button = QPushButton("Copy pack")
        self.copy_button.setToolTip("Make your own editable copy of this pack")
        self.import_button = QPushButton("Import pack…")
        self.start_button = QPushButton("Start pathway")
        self.start_button.setToolTip("Create the pathway and its milestones from this rule")
        self.start_button.setEnabled(False)
        # Followed packs are the ones the dashboard shows and reminds of.
        self.follow_button = QPushButton("Follow")
        self.follow_button.setCheckable(True)

    def _build_heading(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("requirementsHeading")
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        # A long pack title wraps rather than pushing the buttons off a small window.
        self.heading.setWordWrap(True)
        self.status_chip = QLabel()
        self.status_chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_chip.setContentsMargins(10, 3, 10, 3)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setStyleSheet(f"color: {theme.current().muted};")
        self.notes.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _build_grid(self) -> QWidget:
        # Two views of one model: the rules stay put on the left while the months scroll.
        self.model = RequirementGridModel(self)
        self.rules_view = _grid_view(self.model)
        self.grid = _grid_view(self.model)
        self.rules_view.setAccessibleName("Requirement rules")
        self.grid.setAccessibleName("Month-by-month status of each rule")
        self.grid.setSelectionModel(self.rules_view.selectionModel())
        self.rules_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rules_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rules_view.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.rules_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalScrollBar().valueChanged.connect(
            self.rules_view.verticalScrollBar().setValue
        )
        self.rules_view.verticalScrollBar().valueChanged.connect(
            self.grid.verticalScrollBar().setValue
        )
        panel = QWidget()
        layout = QHBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rules_view)
        layout.addWidget(self.grid, 1)
        return panel

    def _build_explanation(self) -> QSplitter:
        """The selected cell explained: the detail, beside the entries behind it."""
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(True)
        self.entries = QTableWidget(0, 4)
        self.entries.setAccessibleName("Entries behind the selected month")
        self.entries.setHorizontalHeaderLabels(["Date", "Entry", "Length", "Counted"])
        self.entries.verticalHeader().hide()
        self.entries.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entries.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        entries_header = self.entries.horizontalHeader()
        entries_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        entries_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.entries_label = QLabel("Entries behind the selected cell")

        entries_panel = QWidget()
        entries_layout = QVBoxLayout(entries_panel)
        entries_layout.setContentsMargins(0, 0, 0, 0)
        entries_layout.addWidget(self.entries_label)
        entries_layout.addWidget(self.entries, 1)

        explained = QSplitter(Qt.Orientation.Horizontal)
        explained.addWidget(self.detail)
        explained.addWidget(entries_panel)
        explained.setStretchFactor(0, 3)
        explained.setStretchFactor(1, 2)
        explained.setChildrenCollapsible(False)
        return explained

    def _build_settings(self) -> None:
        self.settings_box = PackSettingsBox()
        self.settings_button = QPushButton("Pack settings…")
        self.settings_button.setToolTip("Cycle start, qualification date, working pattern, leave")
        self.settings_dialog = _settings_dialog(self.settings_box, self)

    def _build_shortfalls(self) -> None:
        # What falls short comes first, whatever the window size: one line per period not met.
        self.shortfalls = QListWidget()
        self.shortfalls.setAccessibleName("Periods not met")
        self.shortfalls.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.shortfalls.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _title_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.heading, 1)
        top_aligned = Qt.AlignmentFlag.AlignTop
        for widget in (
            self.status_chip,
            self.follow_button,
            self.start_button,
            self.settings_button,
            self.copy_button,
            self.import_button,
        ):
            row.addWidget(widget, 0, top_aligned)
        return row

    def _lay_out(self, choices: QHBoxLayout, grid_panel: QWidget, explained: QSplitter) -> None:
        title_row = self._title_row()
        # The grid has the full width (a year of months at 1024 px); the explanation of the
        # selected cell gets the lower part, as tall as the grid by default.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.shortfalls)
        split.addWidget(grid_panel)
        split.addWidget(explained)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 3)
        split.setChildrenCollapsible(False)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addLayout(title_row)
        layout.addWidget(self.notes)
        layout.addWidget(line)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        self.pack_choice.currentIndexChanged.connect(lambda _: self.refresh())
        self.range_choice.currentIndexChanged.connect(lambda _: self._show_result())
        self.follow_button.clicked.connect(self._toggle_follow)
        self.copy_button.clicked.connect(self._copy_pack)
        self.import_button.clicked.connect(self._import_pack)
        self.start_button.clicked.connect(self._start_pathway)
        self.settings_button.clicked.connect(self._open_settings)
        self.settings_box.save_button.clicked.connect(self._save_settings)
        self.rules_view.selectionModel().currentChanged.connect(self._show_detail)
        self.shortfalls.itemActivated.connect(self._select_shortfall)
        self.shortfalls.itemClicked.connect(self._select_shortfall)

    # --- data ------------------------------------------------------------------------------

    def current_pack(self) -> str | None:
        value = self.pack_choice.currentData()
        return str(value) if value else None

    def select_pack(self, pack_id: str) -> None:
        index = self.pack_choice.findData(pack_id)
        if index >= 0:
            self.pack_choice.setCurrentIndex(index)

    def _fill_packs(self, keep: str | None = None) -> None:
        keep = keep or self.current_pack()
        followed = self.service.followed()
        infos = {info.id: info for info in self.service.pack_infos()}
        self.pack_choice.blockSignals(True)
        self.pack_choice.clear()
        for pack_id in followed:
            self.pack_choice.addItem(f"{infos[pack_id].title} (followed)", pack_id)
        if followed:
            self.pack_choice.insertSeparator(self.pack_choice.count())
        for info in infos.values():
            if info.id not in followed:
                own = "" if info.shipped else " (your pack)"
                self.pack_choice.addItem(f"{info.title}{own}", info.id)
        if keep:
            index = self.pack_choice.findData(keep)
            if index >= 0:
                self.pack_choice.setCurrentIndex(index)
        self.pack_choice.blockSignals(False)

    def activate(self) -> None:
        """Records or settings may have changed since the page was last shown."""
        self.refresh()

    def refresh(self) -> None:
        """Check the chosen pack again (after records or settings changed)."""
        pack_id = self.current_pack()
        if pack_id is None:
            self.result = None
            self._show_result()
            return
        try:
            (self.result,) = self.service.evaluate(pack_ids=[pack_id])
        except LogbookError as error:
            self.result = None
            self.notes.setText(str(error))
        self._show_following(pack_id)
        profile = self.service.records.profile()
        self.settings_box.show_settings(
            self.service.settings(pack_id), profile.qualified_on if profile else None
        )
        self._show_result()

    def _months(self) -> list[date]:
        if self.result is None or self.result.period is None:
            return []
        period = self.result.period
        assert period.start is not None
        assert period.end is not None
        reach = self.range_choice.currentData() or 0
        # A cycle or a rolling window may reach back before the first entry: show it all.
        starts = [r.window.start for r in self.result.rules if r.window and r.window.start]
        first = min([period.start, *starts])
        if reach:
            first = max(first, add_months(period.end.replace(day=1), 1 - reach))
        return month_starts(first, period.end)

    def _show_result(self) -> None:
        result = self.result
        self.model.set_result(result, self._months())
        self.detail.clear()
        self.entries.setRowCount(0)
        if result is None:
            self.heading.setText("No requirement pack chosen")
            self.status_chip.clear()
            return
        self.heading.setText(result.title)
        self._show_status_chip(result.status)
        notes = list(result.notes)
        if result.not_checked:
            notes.append("Not checked by the logbook: " + "; ".join(result.not_checked) + ".")
        self.notes.setText("\n".join(notes))
        fixed = self.model.FIXED
        for column in range(self.model.columnCount()):
            self.rules_view.setColumnHidden(column, column >= fixed)
            self.grid.setColumnHidden(column, column < fixed)
        # Narrow enough to leave most of a small window to the months.
        self.rules_view.setColumnWidth(0, 250)
        self.rules_view.setColumnWidth(1, 96)
        self.rules_view.setFixedWidth(250 + 96 + 2 * self.rules_view.frameWidth())
        self._fill_shortfalls()
        first = self.shortfalls.item(0).data(Qt.ItemDataRole.UserRole)
        shown = self._column_of(first[1]) if first else None
        if first and shown is not None:
            self.shortfalls.setCurrentRow(0)
            self._show_cell(first[0], shown)
        elif self.model.rowCount():
            self._show_cell(0, max(1, self.model.columnCount() - 1))

    def _fill_shortfalls(self) -> None:
        """A line per period that fell short, whatever months the grid shows: ended ones
        first, newest first; a period still running after them."""
        self.shortfalls.clear()
        found = [
            (finding.in_progress, -(finding.period.end or date.max).toordinal(), row, finding)
            for row in range(self.model.rowCount())
            if (rule := self.model.rule_at(row)) is not None and not rule.optional
            for finding in rule.findings
            if finding.status is Status.NOT_YET_MET
        ]
        for _running, _, row, finding in sorted(found, key=lambda f: f[:3]):
            rule = self.model.rule_at(row)
            assert rule is not None
            title = finding_words(finding).title
            item = QListWidgetItem(f"{title}: {_how_short(finding)} · {rule.title}")
            item.setToolTip(finding.to_close_gap or finding_words(finding).explanation)
            item.setData(Qt.ItemDataRole.UserRole, (row, finding.period.end))
            self.shortfalls.addItem(item)
        if not self.shortfalls.count():
            self.shortfalls.addItem("Nothing falls short in the periods checked.")
        rows = min(self.shortfalls.count(), 4)
        self.shortfalls.setMaximumHeight(self.shortfalls.sizeHintForRow(0) * rows + 8)

    def _select_shortfall(self, item: QListWidgetItem) -> None:
        """Show the shortfall's cell, widening the months shown if it is older."""
        place = item.data(Qt.ItemDataRole.UserRole)
        if not place:
            return
        row, end = place
        chosen = self.shortfalls.row(item)
        if self._column_of(end) is None and self.range_choice.currentData() != 0:
            self.range_choice.setCurrentIndex(self.range_choice.findData(0))  # everything
            self.shortfalls.setCurrentRow(chosen)
        column = self._column_of(end)
        self._show_cell(row, column if column is not None else self.model.FIXED)

    def _show_cell(self, row: int, column: int) -> None:
        index = self.model.index(row, column)
        self.rules_view.setCurrentIndex(index)
        self.grid.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _column_of(self, day: date | None) -> int | None:
        for column in range(self.model.FIXED, self.model.columnCount()):
            month = self.model.month_of(column)
            if day is not None and month is not None and month_period(month).contains(day):
                return column
        return None

    def _open_settings(self) -> None:
        self.settings_dialog.exec()

    def _show_status_chip(self, status: Status) -> None:
        colours = theme.current()
        ink = {Status.MET: colours.success, Status.NOT_YET_MET: colours.danger}.get(
            status, colours.muted
        )
        self.status_chip.setText(status.label)
        self.status_chip.setStyleSheet(
            f"QLabel {{ color: {ink}; border: 1px solid {ink}; border-radius: 10px; }}"
        )

    # --- detail ----------------------------------------------------------------------------

    def _show_detail(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        rule = self.model.rule_at(index.row()) if index.isValid() else None
        self.start_button.setEnabled(rule is not None and rule.granularity is Granularity.MILESTONE)
        if rule is None:
            self.detail.clear()
            self.entries.setRowCount(0)
            return
        month = self.model.month_of(index.column())
        cell = self.model.cell(index)
        if cell is not None and month is not None:
            findings = cell.findings
            within = month_period(month)
            where = f"{month:%B %Y}"
        else:
            findings = list(rule.findings)
            within = None
            where = "All periods checked"
        self.detail.setHtml(self._detail_html(rule, findings, where))
        self._show_entries(findings, within)

    def _detail_html(self, rule: RuleResult, findings: list[Finding], where: str) -> str:
        colours = theme.current()
        parts = [
            f"<h3 style='margin-bottom:2px'>{escape(rule.title)}</h3>",
            f"<p style='color:{colours.muted}; margin-top:0'>{escape(rule.status.label)}"
            f"{' · optional stage' if rule.optional else ''}</p>",
            f"<p>{escape(rule.description)}</p>",
            f"<p style='color:{colours.muted}'>Source: <a href='{escape(rule.source_url)}'>"
            f"{escape(rule.source_title)}</a>, checked {day(rule.checked_on)}</p>",
        ]
        if rule.projection:
            parts.append(f"<p><i>{escape(rule.projection)}</i></p>")
        if rule.basis:
            parts.append(f"<p style='color:{colours.muted}'>{escape(rule.basis)}</p>")
        parts.append(f"<h4>{escape(where)}</h4>")
        if not findings:
            parts.append("<p>Nothing was checked in this month for this rule.</p>")
        shown = [f for f in findings if f.status is Status.NOT_YET_MET] + [
            f for f in findings if f.status is not Status.NOT_YET_MET
        ]
        for finding in shown[:40]:
            ink = {
                Status.MET: colours.success,
                Status.NOT_YET_MET: colours.warning if finding.in_progress else colours.danger,
            }.get(finding.status, colours.muted)
            words = finding_words(finding)
            figures = f" — {words.figures}" if words.figures else ""
            parts.append(
                f"<p><b style='color:{ink}'>{escape(words.title)}: {escape(words.state)}</b>"
                f"{escape(figures)}<br>{escape(words.explanation)}"
            )
            if words.to_close:
                parts.append(f"<br><b>To close the gap:</b> {escape(words.to_close)}")
            parts.append("</p>")
        if len(shown) > 40:
            parts.append(f"<p>… and {len(shown) - 40} more periods.</p>")
        return "".join(parts)

    def _show_entries(self, findings: list[Finding], within: Period | None) -> None:
        lines = []
        seen: set[str] = set()
        for finding in findings:
            for line in self.service.entries(finding, within):
                if line.uid not in seen:
                    seen.add(line.uid)
                    lines.append(line)
        lines.sort(key=lambda line: (line.day or date.min, line.uid))
        self.entries.setRowCount(len(lines))
        for row, line in enumerate(lines):
            values = (day(line.day) if line.day else "", line.summary, line.duration, line.counted)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, line.uid)
                if column == 3 and value:
                    item.setToolTip(value)
                self.entries.setItem(row, column, item)
        self.entries.resizeColumnToContents(0)
        self.entries.resizeColumnToContents(2)
        self.entries_label.setText(
            f"{len(lines)} entr{'y' if len(lines) == 1 else 'ies'} behind the selected cell"
        )

    # --- actions ---------------------------------------------------------------------------

    def _save_settings(self) -> None:
        pack_id = self.current_pack()
        if pack_id is None:
            return
        try:
            self.service.save_settings(pack_id, self.settings_box.settings())
        except LogbookError as error:
            self.settings_box.message.setText(str(error))
            return
        self.refresh()
        self.settings_box.message.setText("Saved: the pack was checked again with these settings.")
        self.settings_box.saved.emit()

    def _copy_pack(self) -> None:
        pack_id = self.current_pack()
        if pack_id is None:
            return
        try:
            copy = self.service.copy_pack(pack_id)
        except LogbookError as error:
            QMessageBox.warning(self, "Copy pack", str(error))
            return
        self._fill_packs(keep=copy.id)
        self.refresh()
        QMessageBox.information(
            self,
            "Copy pack",
            f"Your copy '{copy.title}' is saved as {copy.path}.\n\nEdit it in any text editor; "
            "the app checks it when you come back to this page.",
        )

    def _import_pack(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a requirement pack", "", "Requirement packs (*.toml)"
        )
        if path:
            self.import_pack_file(path)

    def import_pack_file(self, path: str) -> bool:
        """Import the pack at ``path``, showing its problems (file, line, field) if it is bad."""
        from pathlib import Path

        try:
            pack = self.service.import_pack(Path(path))
        except PackError as error:
            QMessageBox.warning(self, "This pack cannot be imported", str(error))
            return False
        except LogbookError as error:
            QMessageBox.warning(self, "Import pack", str(error))
            return False
        self._fill_packs(keep=pack.id)
        self.refresh()
        return True

    def _show_following(self, pack_id: str) -> None:
        followed = pack_id in self.service.followed()
        self.follow_button.setChecked(followed)
        self.follow_button.setText("Following" if followed else "Follow")
        self.follow_button.setToolTip(
            "Stop following this pack: the dashboard no longer shows it or reminds you of it"
            if followed
            else "Follow this pack: the dashboard shows it and reminds you of what it asks"
        )

    def _toggle_follow(self) -> None:
        pack_id = self.current_pack()
        if pack_id is None:
            return
        followed = [p for p in self.service.followed() if p != pack_id]
        if self.follow_button.isChecked():
            followed.append(pack_id)
        try:
            change = self.service.follow(followed)
        except LogbookError as error:
            self.notes.setText(str(error))
            self._show_following(pack_id)
            return
        self._fill_packs(keep=pack_id)
        self.refresh()
        self.following_changed.emit(change)

    def _start_pathway(self) -> None:
        pack_id = self.current_pack()
        rule = self.model.rule_at(self.grid.currentIndex().row())
        if pack_id is None or rule is None:
            return
        try:
            change = self.service.start_pathway(pack_id, rule.rule_id)
        except LogbookError as error:
            QMessageBox.warning(self, "Start pathway", str(error))
            return
        self.refresh()
        self.pathway_started.emit(change)
