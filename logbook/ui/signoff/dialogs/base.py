"""What the sign-off dialogs share: rows of entries to choose, the signer box, the buttons,
and a dialog that reports the change its action made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import KINDS
from logbook.domain.durations import hours
from logbook.domain.periods import Period, month_of
from logbook.domain.records import Record, RecordKind, entry_date, minutes_of
from logbook.domain.signing import (
    SIGNABLE_KINDS,
    PeriodSummary,
)
from logbook.domain.signoff import SignoffState
from logbook.services.changes import Change
from logbook.services.logbook import Logbook
from logbook.ui.qdate import to_date, to_qdate
from logbook.ui.signoff.widgets import (
    Column,
    RowsModel,
    rows_view,
    state_colour,
)

TO_SIGN = {
    SignoffState.UNSIGNED,
    SignoffState.RETURNED,
    SignoffState.CHANGED,
    SignoffState.AWAITING,
    SignoffState.PAPER,
    SignoffState.FOREIGN,
    SignoffState.NOT_SUPERVISOR,
}
TO_REQUEST = TO_SIGN - {SignoffState.AWAITING}
SUMMARY_KINDS = tuple(k for k in SIGNABLE_KINDS if KINDS[k].has_minutes)


@dataclass(frozen=True)
class EntryRow:
    """One entry in a sign-off list: the record (or summary), how it reads, its state."""

    target: Record | PeriodSummary
    description: str
    state: SignoffState
    note: str = ""

    @property
    def uid(self) -> str:
        return self.target.uid

    @property
    def day(self) -> str:
        if isinstance(self.target, PeriodSummary):
            return f"{self.target.created_at:%d %b %Y}"
        found = entry_date(self.target)
        return f"{found:%d %b %Y}" if found else ""

    @property
    def hours(self) -> str:
        minutes = (
            self.target.minutes
            if isinstance(self.target, PeriodSummary)
            else minutes_of(self.target)
        )
        return f"{hours(minutes)} h" if minutes else ""


def entry_columns(*, with_state: bool = True, with_note: bool = False) -> list[Column[EntryRow]]:
    """The columns of a sign-off list: date, entry and hours, then its state and note if asked."""
    columns = [
        Column[EntryRow]("Date", lambda r: r.day),
        Column[EntryRow]("Entry", lambda r: r.description),
        Column[EntryRow]("Hours", lambda r: r.hours),
    ]
    if with_state:
        columns.append(
            Column[EntryRow]("Sign-off", lambda r: r.state.label, lambda r: state_colour(r.state))
        )
    if with_note:
        columns.append(Column[EntryRow]("Note", lambda r: r.note))
    return columns


def entry_rows(logbook: Logbook, targets: Sequence[Record | PeriodSummary]) -> list[EntryRow]:
    """A row per entry or summary, with its checked sign-off state and the note that explains it."""
    assessed = logbook.signoff.assess(targets)
    names = logbook.signoff.describe(targets, brief=True)
    return [
        EntryRow(
            t,
            names[t.uid],
            assessed[t.uid].state,
            assessed[t.uid].comment or assessed[t.uid].reason,
        )
        for t in targets
    ]


def date_edit(day: date, parent: QWidget | None = None) -> QDateEdit:
    """A date field set to ``day``, with a calendar to pick from."""
    edit = QDateEdit(to_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def buttons(dialog: QDialog, action: str) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel, which closes ``dialog``, and the default button ``action``, which the dialog
    connects itself; returns the button box and the action button."""
    box = QDialogButtonBox(dialog)
    cancel = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAutoDefault(False)
    primary = box.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    primary.setObjectName("primary")
    primary.setDefault(True)
    box.rejected.connect(dialog.reject)
    return box, primary


class ActionDialog(QDialog):
    """A dialog whose action the sign-off service performs; ``change`` is what it changed,
    for the page to refresh by and pass on (empty until the action succeeds)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.change = Change()


class EntryChooser(QWidget):
    """Which entries: a kind and a period, then the entries with a tick for each."""

    changed = Signal()

    def __init__(
        self,
        logbook: Logbook,
        *,
        wanted: set[SignoffState],
        period: Period | None = None,
        kinds: Sequence[RecordKind] = SIGNABLE_KINDS,
        summaries: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.wanted = wanted
        period = period or month_of(date.today())
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of entry")
        for kind in kinds:
            self.kind.addItem(kind.label, kind.value)
        if summaries:
            self.kind.addItem("Period summaries", "summary")
        self.start = date_edit(period.start or date.today(), self)
        self.end = date_edit(period.end or date.today(), self)
        self.start.setAccessibleName("From")
        self.end.setAccessibleName("To")
        self.model: RowsModel[EntryRow] = RowsModel(entry_columns(), checkable=True, parent=self)
        self.view = rows_view(self.model, self, stretch=1, name="Entries")
        self.view.setMinimumHeight(180)
        self.count = QLabel(self)
        self.count.setObjectName("muted")
        all_on = QPushButton("Tick all", self)
        all_off = QPushButton("Untick all", self)
        all_on.clicked.connect(lambda: self.model.set_all_checked(True))
        all_off.clicked.connect(lambda: self.model.set_all_checked(False))
        selectors = QHBoxLayout()
        selectors.addWidget(QLabel("Entries:", self))
        selectors.addWidget(self.kind, 1)
        selectors.addWidget(QLabel("from", self))
        selectors.addWidget(self.start)
        selectors.addWidget(QLabel("to", self))
        selectors.addWidget(self.end)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(all_on)
        footer.addWidget(all_off)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(selectors)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)
        self.kind.currentIndexChanged.connect(self.reload)
        self.start.dateChanged.connect(self.reload)
        self.end.dateChanged.connect(self.reload)
        self.model.dataChanged.connect(lambda *_: self._count())
        self.model.modelReset.connect(self._count)
        self.reload()

    def set_fixed(self, targets: Sequence[Record | PeriodSummary]) -> None:
        """Show exactly these entries (chosen elsewhere), all ticked."""
        for widget in (self.kind, self.start, self.end):
            widget.setEnabled(False)
        self.model.set_rows(entry_rows(self.logbook, targets))

    def preselect(self, targets: Sequence[Record]) -> None:
        """Show the entries of the targets' kind over their dates, with exactly ``targets``
        ticked (chosen in a list): other entries of the period stay there to add."""
        days = [day for t in targets if (day := entry_date(t)) is not None]
        selectors = (self.kind, self.start, self.end)
        for widget in selectors:
            widget.blockSignals(True)
        if targets:
            self.select_kind(targets[0].kind)
        if days:
            self.set_period(Period(min(days), max(days)))
        for widget in selectors:
            widget.blockSignals(False)
        self.reload()
        rows = list(self.model.rows)
        listed = {row.uid for row in rows}
        rows += entry_rows(self.logbook, [t for t in targets if t.uid not in listed])
        wanted = {t.uid for t in targets}
        self.model.set_rows(rows, [row.uid in wanted for row in rows])

    def set_period(self, period: Period) -> None:
        if period.start:
            self.start.setDate(to_qdate(period.start))
        if period.end:
            self.end.setDate(to_qdate(period.end))

    def select_kind(self, kind: RecordKind | str) -> None:
        index = self.kind.findData(str(kind))
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def period(self) -> Period:
        start, end = to_date(self.start.date()), to_date(self.end.date())
        return Period(min(start, end), max(start, end))

    def current_kind(self) -> RecordKind | None:
        # Qt hands item data back as plain text: "summary" or a kind's value.
        data = self.kind.currentData()
        return None if data == "summary" else RecordKind(data)

    def reload(self) -> None:
        kind = self.current_kind()
        period = self.period()
        if kind is None:
            summaries = [
                s
                for s in self.logbook.signoff.summaries()
                if period.contains(s.created_at.date())
                or (s.period.start is not None and period.contains(s.period.start))
            ]
            rows = entry_rows(self.logbook, summaries)
        else:
            found = self.logbook.signoff.batch_candidates(kind, period)
            rows = entry_rows(self.logbook, [r for r, _ in found])
        self.model.set_rows(rows, [row.state in self.wanted for row in rows])

    def chosen(self) -> list[Record | PeriodSummary]:
        return [row.target for row in self.model.checked_rows()]

    def _count(self) -> None:
        ticked = len(self.model.checked_rows())
        total = len(self.model.rows)
        self.count.setText(f"{ticked} of {total} ticked" if total else "No entries in this period")
        self.changed.emit()
