"""The filter bar above each list: period, sub-kind, person, organisation, sign-off and search.

Every change becomes a new ``RecordQuery`` that SQL answers; nothing is filtered in Python.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Choice, Direction
from logbook.domain.periods import ALL_TIME, Period, cycle_ending, last_months, month_of, year_of
from logbook.domain.queries import RecordQuery
from logbook.domain.records import RECORD_TYPES, Profile, RecordKind, Registration
from logbook.domain.signoff import SignoffState
from logbook.ui.columns import SIGNED_KINDS, NameDirectory
from logbook.ui.layouts import FlowLayout
from logbook.ui.qdate import to_date

K = RecordKind

# Years between renewals where a body's cycle is longer than a year (NMC revalidation, HCPC).
CYCLE_YEARS = {"NMC": 3, "HCPC": 2}
SEARCH_DELAY_MS = 180

PERSON_LABELS = {
    K.SUPERVISION: ("Anyone", "Supervisor or supervisee"),
    K.COURSE: ("Any co-teacher", "Co-teacher"),
    K.MILESTONE: ("Any assessor", "Assessor"),
}


def cycle_years(body: str) -> int:
    """Years in a registration cycle of ``body`` (one unless the body is known to differ)."""
    upper = body.upper()
    for key, years in CYCLE_YEARS.items():
        if key in upper:
            return years
    return 1


def registration_cycle(
    profile: Profile | None, today: date | None = None
) -> tuple[Registration, Period] | None:
    """The current registration cycle: the one ending at the next renewal date.

    The registration renewed soonest (or most recently overdue, if none is ahead) decides;
    the cycle starts a cycle's length before its renewal, or at registration if that is later.
    """
    if profile is None:
        return None
    today = today or date.today()
    dated = [r for r in profile.registrations if r.renewal_date is not None]
    if not dated:
        return None
    ahead = [r for r in dated if r.renewal_date and r.renewal_date > today]
    chosen = (
        min(ahead, key=lambda r: r.renewal_date or today)
        if ahead
        else max(dated, key=lambda r: r.renewal_date or today)
    )
    assert chosen.renewal_date is not None
    period = cycle_ending(chosen.renewal_date, cycle_years(chosen.body))
    registered = chosen.registered_on
    # Registered part-way through the cycle: the cycle starts at registration.
    if registered and period.start and period.end and period.start < registered <= period.end:
        period = Period(registered, period.end)
    return chosen, period


def subtype_choices(kind: RecordKind) -> list[Choice]:
    """The values of the kind's sub-kind field (e.g. the supervision types)."""
    name = KINDS[kind].subtype_field
    if not name:
        return []
    for f in dataclasses.fields(RECORD_TYPES[kind]):
        if f.name == name and isinstance(f.default, Choice):
            return list(type(f.default))
    return []


def query_supports_signoff() -> bool:
    """Whether ``RecordQuery`` can filter by sign-off state in this build."""
    return any(f.name == "signoff_states" for f in dataclasses.fields(RecordQuery))


class FilterBar(QFrame):
    """Filters for one kind of record; ``changed`` carries the query they describe."""

    changed = Signal(object)

    PRESETS = (
        ("all", "All dates"),
        ("month", "This month"),
        ("last_month", "Last month"),
        ("year", "This year"),
        ("12_months", "Last 12 months"),
        ("cycle", "Registration cycle"),
        ("custom", "Custom dates…"),
    )

    def __init__(
        self,
        kind: RecordKind,
        names: NameDirectory,
        *,
        profile: Profile | None = None,
        signoff: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.kind = kind
        self._names = names
        self._profile = profile
        self._today: date | None = None
        # Search and period on the first row, the other filters below, wrapping onto a third
        # row in a narrow window: every choice stays readable in full.
        rows = QVBoxLayout(self)
        rows.setContentsMargins(10, 8, 10, 8)
        rows.setSpacing(6)
        first = QHBoxLayout()
        first.setSpacing(8)
        second = QHBoxLayout()
        second.setSpacing(8)
        filters = FlowLayout(spacing=8)
        second.addLayout(filters, 1)
        rows.addLayout(first)

        self._build_search(first)
        self._build_period(first)
        self._build_filters(filters, signoff)
        self._build_reset()
        if filters.count():
            second.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
            rows.addLayout(second)
        else:
            # No filters but the period: one compact row.
            first.addWidget(self.reset_button)
        self.reload_names()
        self._connect()

    # --- building ---------------------------------------------------------------------------

    def _build_search(self, row: QHBoxLayout) -> None:
        many = KINDS[self.kind].many
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {many}…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {many}")
        self.search.setToolTip("Every word must appear; words match from their start")
        self.search.setMinimumWidth(200)
        row.addWidget(self.search, 3)
        # Typing is searched once it pauses, not at every key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

    def _build_period(self, row: QHBoxLayout) -> None:
        """The period presets and, for custom dates, the two dates (kinds with a date only)."""
        self.period: QComboBox | None = None
        self.start_edit: QDateEdit | None = None
        self.end_edit: QDateEdit | None = None
        if not KINDS[self.kind].date_field:
            return
        self.period = self._combo("Period", [(key, text) for key, text in self.PRESETS])
        row.addWidget(self.period)
        self.start_edit = self._date_edit("From date")
        self.end_edit = self._date_edit("To date")
        self._range_label = QLabel("to", self)
        self._range_label.setObjectName("muted")
        row.addWidget(self.start_edit)
        row.addWidget(self._range_label)
        row.addWidget(self.end_edit)
        self._show_custom(False)
        self._update_cycle_item()

    def _build_filters(self, filters: FlowLayout, signoff: bool) -> None:
        """The filters the kind has: sub-kind, direction, person, organisation, sign-off."""
        kind, info = self.kind, KINDS[self.kind]
        self.subtype: QComboBox | None = None
        choices = subtype_choices(kind)
        if choices:
            self.subtype = self._combo(
                "Type", [("", "All types"), *[(c.value, c.label) for c in choices]]
            )
            filters.addWidget(self.subtype)

        self.direction: QComboBox | None = None
        if kind is K.SUPERVISION:
            self.direction = self._combo(
                "Direction",
                [("", "Received and given"), ("received", "Received"), ("given", "Given")],
            )
            filters.addWidget(self.direction)

        self.person: QComboBox | None = None
        if info.person_field:
            anyone, label = PERSON_LABELS.get(kind, ("Anyone", "Person"))
            self.person = self._combo(label, [("", anyone)])
            filters.addWidget(self.person)

        self.organisation: QComboBox | None = None
        if info.organisation_field:
            self.organisation = self._combo("Organisation", [("", "Any organisation")])
            filters.addWidget(self.organisation)

        self.signoff: QComboBox | None = None
        if signoff and kind in SIGNED_KINDS and query_supports_signoff():
            self.signoff = self._combo(
                "Sign-off status",
                [
                    ("", "Any sign-off status"),
                    *[(s.value, s.label) for s in SignoffState],
                ],
            )
            filters.addWidget(self.signoff)

    def _build_reset(self) -> None:
        self.reset_button = QToolButton(self)
        self.reset_button.setText("Clear")
        self.reset_button.setToolTip(f"Show every {self.kind.label.lower()} again")
        self.reset_button.setAccessibleName("Clear filters")
        self.reset_button.setAutoRaise(True)

    def _connect(self) -> None:
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._emit_now)
        if self.period is not None:
            self.period.currentIndexChanged.connect(self._period_changed)
        self.reset_button.clicked.connect(self.reset)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._emit_now)

    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(f"{name} filter")
        combo.setToolTip(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMaximumWidth(260)
        for key, text in items:
            combo.addItem(text, key)
        return combo

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd MMM yyyy")
        edit.setAccessibleName(name)
        edit.setDate(QDate.currentDate())
        edit.dateChanged.connect(self._emit_now)
        return edit

    def _combos(self) -> list[QComboBox]:
        return [
            c
            for c in (self.subtype, self.direction, self.person, self.organisation, self.signoff)
            if c is not None
        ]

    def reload_names(self) -> None:
        """Refill the person and organisation lists (after people or places changed)."""
        info = KINDS[self.kind]
        for combo, kind in (
            (self.person, K.PERSON if info.person_field else None),
            (self.organisation, K.ORGANISATION if info.organisation_field else None),
        ):
            if combo is None or kind is None:
                continue
            keep = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for uid, name in self._names.entries(kind):
                combo.addItem(name, uid)
            found = combo.findData(keep)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def set_profile(self, profile: Profile | None) -> None:
        self._profile = profile
        self._update_cycle_item()

    def set_today(self, today: date) -> None:
        """Fix "today" (tests and screenshots of a dated logbook)."""
        self._today = today

    def _update_cycle_item(self) -> None:
        if self.period is None:
            return
        index = self.period.findData("cycle")
        cycle = registration_cycle(self._profile, self._today)
        model_item = self.period.model().item(index)  # type: ignore[attr-defined]
        if cycle is None:
            model_item.setEnabled(False)
            model_item.setToolTip("Add a registration with its renewal date to your profile")
        else:
            registration, period = cycle
            model_item.setEnabled(True)
            model_item.setToolTip(f"{registration.body}: {period.describe()}")

    # --- reading ----------------------------------------------------------------------------

    def current_period(self) -> Period:
        if self.period is None:
            return ALL_TIME
        today = self._today or date.today()
        key = self.period.currentData()
        if key == "month":
            return month_of(today)
        if key == "last_month":
            return month_of(today.replace(day=1) - timedelta(days=1))
        if key == "year":
            return year_of(today)
        if key == "12_months":
            return last_months(today, 12)
        if key == "cycle":
            cycle = registration_cycle(self._profile, today)
            return cycle[1] if cycle else ALL_TIME
        if key == "custom" and self.start_edit is not None and self.end_edit is not None:
            start = to_date(self.start_edit.date())
            end = to_date(self.end_edit.date())
            if end < start:
                start, end = end, start
            return Period(start, end)
        return ALL_TIME

    def query(self) -> RecordQuery:
        """The query the filters describe (sorting and paging are the list's business)."""
        values: dict[str, Any] = {"period": self.current_period(), "text": self.search.text()}
        if self.subtype is not None and self.subtype.currentData():
            values["subtypes"] = frozenset({self.subtype.currentData()})
        if self.direction is not None and self.direction.currentData():
            values["direction"] = Direction(self.direction.currentData())
        if self.person is not None and self.person.currentData():
            values["person_uid"] = self.person.currentData()
        if self.organisation is not None and self.organisation.currentData():
            values["organisation_uid"] = self.organisation.currentData()
        if self.signoff is not None and self.signoff.currentData():
            values["signoff_states"] = frozenset({SignoffState(self.signoff.currentData())})
        return RecordQuery(self.kind, **values)

    def is_filtered(self) -> bool:
        return self.query() != RecordQuery(self.kind)

    def describe(self) -> str:
        """The active filters in words, for the totals line."""
        parts = []
        if self.period is not None and self.period.currentData() != "all":
            period = self.current_period()
            parts.append(period.describe())
        for combo in self._combos():
            if combo.currentData():
                parts.append(combo.currentText())
        if self.search.text().strip():
            parts.append(f"matching “{self.search.text().strip()}”")
        return ", ".join(parts)

    # --- changing ---------------------------------------------------------------------------

    def set_period(self, key: str) -> None:
        if self.period is not None:
            self.period.setCurrentIndex(self.period.findData(key))

    def set_custom_period(self, start: date, end: date) -> None:
        if self.period is None or self.start_edit is None or self.end_edit is None:
            return
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.set_period("custom")
        self._emit_now()

    def reset(self) -> None:
        widgets: list[Any] = [self.search, *self._combos()]
        if self.period is not None:
            widgets.append(self.period)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in self._combos():
            combo.setCurrentIndex(0)
        if self.period is not None:
            self.period.setCurrentIndex(0)
            self._show_custom(False)
        for widget in widgets:
            widget.blockSignals(False)
        self._emit_now()

    def _period_changed(self) -> None:
        custom = self.period is not None and self.period.currentData() == "custom"
        start, end = self.start_edit, self.end_edit
        if custom and start is not None and end is not None and start.date() == end.date():
            # A useful first range: the last three months.
            start.blockSignals(True)
            start.setDate(end.date().addMonths(-3))
            start.blockSignals(False)
        self._show_custom(custom)
        self._emit_now()

    def _show_custom(self, visible: bool) -> None:
        for widget in (self.start_edit, self.end_edit, getattr(self, "_range_label", None)):
            if widget is not None:
                widget.setVisible(visible)

    def _emit_now(self) -> None:
        self._search_timer.stop()
        self.changed.emit(self.query())

    def _emit(self) -> None:
        self.changed.emit(self.query())

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search.hasFocus() and self.search.text():
            self.search.clear()
            self._emit_now()
            return
        super().keyPressEvent(event)
