"""Pathways on their own page: start one from a template, and see the stages of the selected
one in their order, where you are, what comes next and what evidence is missing."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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

from logbook.domain.choices import Curriculum, PathwayKind
from logbook.domain.dates import short_date
from logbook.domain.errors import LogbookError
from logbook.domain.records import Milestone, Pathway, Record
from logbook.services.changes import Change
from logbook.services.logbook import Logbook
from logbook.services.pathways import PLAN_WORDS, Progress, StageState
from logbook.services.requirements import PathwayTemplate
from logbook.ui.qdate import to_date

MARKS = {
    StageState.REACHED: "✓",
    StageState.HERE: "▶",
    StageState.OVERDUE: "!",
    StageState.TO_COME: "○",
}


def _day(value: date | None) -> str:
    return short_date(value) if value else ""


class PathwayPanel(QWidget):
    """The stages of the pathway selected in the list, and the button to start a new one.

    Signals:
        changed: a pathway was started (the Change, to refresh the lists).
        open_stage: the user asked to open a stage (its milestone) to edit it.
    """

    changed = Signal(object)
    open_stage = Signal(object)

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.today: date | None = None
        self.progress: Progress | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.start_button = QPushButton("Start a pathway…")
        self.start_button.setToolTip("Start a training pathway or conversion plan from a template")
        self.start_button.clicked.connect(self.start_pathway)
        self.stages = QTableWidget(0, 5)
        self.stages.setAccessibleName("Stages of the pathway")
        self.stages.setHorizontalHeaderLabels(["", "Stage", "Due", "Reached", "Evidence"])
        self.stages.verticalHeader().hide()
        self.stages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stages.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stages.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.stages.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.stages.itemActivated.connect(self._open_selected)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stages, 1)
        self.show_record(None)

    def show_record(self, record: Record | None) -> None:
        """Show the stages of ``record`` (a pathway), or a hint when none is selected."""
        if not isinstance(record, Pathway):
            self.progress = None
            self.heading.setText(
                "Select a pathway to see its stages, or start one from a template."
            )
            self.stages.setRowCount(0)
            return
        try:
            self.progress = self.logbook.pathways.progress(record.uid, self.today)
        except LogbookError:
            self.show_record(None)  # deleted meanwhile
            return
        self._fill(self.progress)

    def _fill(self, progress: Progress) -> None:
        pathway = progress.pathway
        self.heading.setText(
            f"<b>{html.escape(pathway.title)}</b> · {PLAN_WORDS[pathway.pathway_kind]}"
            f" started {_day(pathway.started_on) or 'on a date not recorded'}"
            f"<br>{html.escape(progress.summary())}"
        )
        self.stages.setRowCount(len(progress.stages))
        for row, stage in enumerate(progress.stages):
            m = stage.milestone
            evidence = stage.evidence or ("missing" if stage.missing_evidence else "")
            cells = (MARKS[stage.state], m.title, _day(m.due_date), _day(m.completed_on), evidence)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m)
                if stage.state is StageState.HERE or stage is progress.current:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if column == 0:
                    item.setToolTip(stage.state.value.capitalize())
                    item.setData(Qt.ItemDataRole.AccessibleTextRole, stage.state.value)
                self.stages.setItem(row, column, item)
        current = progress.current
        if current is not None:
            self.stages.selectRow(progress.stages.index(current))

    def refresh(self) -> None:
        if self.progress is not None:
            self.show_record(self.progress.pathway)

    def _open_selected(self, item: QTableWidgetItem) -> None:
        milestone = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(milestone, Milestone):
            self.open_stage.emit(milestone)

    def start_pathway(self) -> None:
        dialog = StartPathwayDialog(self.logbook, self)
        if dialog.exec() and dialog.change is not None:
            self.changed.emit(dialog.change)


class StartPathwayDialog(QDialog):
    """Pick a template (from the requirement packs), a start date, and for a conversion plan
    its routes and the curricula converted from and to."""

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.change: Change | None = None
        self.templates = logbook.requirements.pathway_templates()
        self.setWindowTitle("Start a pathway")
        self.setMinimumWidth(620)
        self.choice = QListWidget()
        self.choice.setAccessibleName("Pathway templates")
        for template in self.templates:
            self.choice.addItem(QListWidgetItem(template.title))
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.started = QDateEdit(QDate.currentDate())
        self.started.setCalendarPopup(True)
        self.started.setDisplayFormat("d MMM yyyy")
        self.route_boxes: list[QCheckBox] = []
        self.routes = QVBoxLayout()
        self.convert_from = QComboBox()
        self.convert_to = QComboBox()
        for curriculum in Curriculum:
            self.convert_from.addItem(curriculum.label, curriculum)
            self.convert_to.addItem(curriculum.label, curriculum)
        self.form = QFormLayout()
        self.form.addRow("Started on", self.started)
        self.form.addRow("Converting from", self.convert_from)
        self.form.addRow("to", self.convert_to)
        self.form.addRow("Routes", self.routes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self._start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start from a template: its stages are added in their order."))
        layout.addWidget(self.choice, 1)
        layout.addWidget(self.about)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.choice.currentRowChanged.connect(self._show)
        if self.templates:
            self.choice.setCurrentRow(0)

    @property
    def template(self) -> PathwayTemplate | None:
        row = self.choice.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def select(self, pack_id: str) -> None:
        for row, template in enumerate(self.templates):
            if template.pack_id == pack_id:
                self.choice.setCurrentRow(row)

    def _show(self, _row: int) -> None:
        template = self.template
        if template is None:
            return
        conversion = template.kind is PathwayKind.CONVERSION
        listing = ", ".join(template.stages)
        self.about.setText(template.description + (f"\n\nStages: {listing}." if listing else ""))
        for box in self.route_boxes:
            self.routes.removeWidget(box)
            box.deleteLater()
        self.route_boxes = [QCheckBox(title) for _route, title in template.routes]
        for box in self.route_boxes:
            self.routes.addWidget(box)
        for field in (self.convert_from, self.convert_to):
            self.form.setRowVisible(field, conversion)
        self.form.setRowVisible(self.routes, conversion)
        if conversion:  # most often from a third-sector curriculum to MBCT
            self.convert_from.setCurrentIndex(self.convert_from.findData(Curriculum.MBLC))
            self.convert_to.setCurrentIndex(self.convert_to.findData(Curriculum.MBCT))

    def _start(self) -> None:
        template = self.template
        if template is None:
            return
        routes = [
            r
            for (r, _), box in zip(template.routes, self.route_boxes, strict=True)
            if box.isChecked()
        ]
        title, notes = "", ""
        if template.kind is PathwayKind.CONVERSION:
            if not routes:
                QMessageBox.warning(self, "Choose a route", "Tick at least one route for the plan.")
                return
            # Qt hands back the stored text of a choice, not the choice itself.
            source = Curriculum(self.convert_from.currentData())
            target = Curriculum(self.convert_to.currentData())
            if source is target:
                QMessageBox.warning(
                    self, "Check the curricula", "A conversion is from one curriculum to another."
                )
                return
            title = f"Conversion from {source.label} to {target.label}"
            notes = f"Converting from {source.label} to {target.label}."
        try:
            self.change = self.logbook.requirements.start_pathway(
                template.pack_id,
                template.rule_id,
                to_date(self.started.date()),
                routes=routes,
                title=title,
                notes=notes,
            )
        except LogbookError as error:
            QMessageBox.warning(self, "Not started", str(error))
            return
        self.accept()
