"""Table models: Qt's model checks on every kind, paging from SQL, sorting in SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from logbook.domain.records import Person, RecordKind, SupervisionSession
from logbook.services.demo import generate_demo
from logbook.services.logbook import Logbook
from logbook.ui.columns import COLUMNS, NameDirectory
from logbook.ui.models import RecordRole, RecordTableModel

LISTED = list(COLUMNS)


@pytest.fixture(scope="module")
def demo_logbook(tmp_path_factory: pytest.TempPathFactory) -> Logbook:
    from logbook.services.locations import DataLocation

    logbook = Logbook.open(DataLocation(tmp_path_factory.mktemp("demo")))
    generate_demo(logbook, persona="mindfulness", years=3, seed=7, today=date(2026, 6, 30))
    yield logbook  # type: ignore[misc]
    logbook.close()


@pytest.mark.parametrize("kind", LISTED, ids=[k.value for k in LISTED])
def test_every_table_model_passes_qt_model_checks(
    qtmodeltester: ModelTester, demo_logbook: Logbook, kind: RecordKind
) -> None:
    model = RecordTableModel(demo_logbook.records, kind, NameDirectory(demo_logbook.records))
    qtmodeltester.check(model, force_py=True)
    # Sorting by every sortable column keeps the model consistent.
    for number, column in enumerate(model.columns):
        if column.sort is not None:
            model.sort(number, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_a_model_with_sign_off_states_passes_the_checks(
    qtmodeltester: ModelTester, demo_logbook: Logbook
) -> None:
    from logbook.domain.signoff import SignoffState

    def states(records: object) -> dict[str, SignoffState]:
        return {r.uid: SignoffState.AWAITING for r in records}  # type: ignore[attr-defined]

    model = RecordTableModel(
        demo_logbook.records, RecordKind.SUPERVISION, NameDirectory(demo_logbook.records), states
    )
    qtmodeltester.check(model, force_py=True)
    column = [c.key for c in model.columns].index("signoff")
    assert model.index(0, column).data() == "Awaiting sign-off"


def many_sessions(logbook: Logbook, count: int) -> list[SupervisionSession]:
    supervisor = Person(name="Dr Amira Shah")
    first = date(2020, 1, 1)
    sessions = [
        SupervisionSession(
            date=first + timedelta(days=i),
            duration_minutes=30 + i % 90,
            counterpart_uid=supervisor.uid,
        )
        for i in range(count)
    ]
    logbook.records.create_many([supervisor, *sessions])
    return sessions


def test_rows_come_page_by_page_and_memory_stays_bounded(logbook: Logbook) -> None:
    sessions = many_sessions(logbook, 2500)
    model = RecordTableModel(
        logbook.records, RecordKind.SUPERVISION, NameDirectory(logbook.records)
    )
    model.MAX_PAGES = 3
    assert model.rowCount() == 2500
    assert model.total.minutes == sum(s.duration_minutes for s in sessions)
    newest_first = sorted(sessions, key=lambda s: (s.date, s.uid), reverse=True)
    for row in (0, 1999, 2499, 250, 1234):
        assert model.index(row, 0).data(RecordRole) == newest_first[row]
    assert len(model._pages) <= 3
    assert model.index(2499, 0).data() == f"{newest_first[2499].date:%d %b %Y}"


def test_sorting_is_done_in_sql_and_keeps_every_row(logbook: Logbook) -> None:
    sessions = many_sessions(logbook, 450)
    model = RecordTableModel(
        logbook.records, RecordKind.SUPERVISION, NameDirectory(logbook.records)
    )
    hours = [c.key for c in model.columns].index("hours")
    model.sort(hours, Qt.SortOrder.AscendingOrder)
    shown = [model.index(row, 0).data(RecordRole) for row in range(model.rowCount())]
    assert [s.duration_minutes for s in shown] == sorted(s.duration_minutes for s in sessions)
    assert {s.uid for s in shown} == {s.uid for s in sessions}
    model.sort(hours, Qt.SortOrder.DescendingOrder)
    assert model.index(0, hours).data() == "1.98"  # the longest, 119 minutes
