"""Regression test for a PySide6 6.12.0 defect on Python 3.11 (see ENGINEERING.md).

There, every ``QModelIndex.data()`` for a role the model has no data for dropped the reference
count of ``None`` by one, and after a few thousand calls the interpreter aborted with
``Fatal Python error: none_dealloc``. Item views make such calls all the time, so the app
would crash while scrolling. The dependency pin keeps that version out; this test fails if it
ever comes back.
"""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtCore import Qt

from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.logbook import Logbook
from logbook.ui.columns import NameDirectory
from logbook.ui.models import RecordTableModel

CALLS = 20_000


def test_data_for_an_unused_role_does_not_leak_references_to_none(logbook: Logbook) -> None:
    logbook.records.create(SupervisionSession(date=date(2026, 1, 5), duration_minutes=60))
    model = RecordTableModel(
        logbook.records, RecordKind.SUPERVISION, NameDirectory(logbook.records)
    )
    index = model.index(0, 0)
    unused_role = Qt.ItemDataRole.DecorationRole
    assert index.data(unused_role) is None

    before = sys.getrefcount(None)
    for _ in range(CALLS):
        index.data(unused_role)
        model.headerData(0, Qt.Orientation.Vertical, unused_role)
    after = sys.getrefcount(None)

    # Other code may take a few references meanwhile; the defect loses one per call.
    assert after >= before - 100
