"""Long work off the GUI thread: results, errors and cancelling; imports through the window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.errors import ValidationError
from logbook.domain.records import RecordKind
from logbook.services.logbook import Logbook
from logbook.ui.importing import ImportOutcome, start_import
from logbook.ui.worker import Job, Progress, ProgressDialog, run_in_background
from tests.ui_helpers import open_window, when_modal


def test_work_runs_off_the_gui_thread_and_returns_its_result(qtbot: QtBot) -> None:
    seen: list[object] = []

    def work(progress: Progress) -> str:
        seen.append(threading.current_thread() is threading.main_thread())
        progress.report(1, 2, "halfway")
        return "done"

    job = Job(work)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert job.result == "done"
    assert seen == [False]


def test_an_error_in_the_work_reaches_the_gui_thread(qtbot: QtBot) -> None:
    def work(_progress: Progress) -> None:
        raise ValidationError([], "the file was not imported")

    job = Job(work)
    with qtbot.waitSignal(job.failed, timeout=5000) as signal:
        job.start()
    assert isinstance(signal.args[0], ValidationError)


def test_cancel_stops_at_the_next_safe_point(qtbot: QtBot) -> None:
    started = threading.Event()
    steps: list[int] = []

    def work(progress: Progress) -> int:
        started.set()
        for step in range(10_000):
            progress.check()
            steps.append(step)
            progress.report(step, 10_000)
            threading.Event().wait(0.001)
        return len(steps)

    parent = QWidget()
    qtbot.addWidget(parent)
    cancelled: list[bool] = []
    job = run_in_background(
        parent, "Working", "Working…", work, on_cancel=lambda: cancelled.append(True)
    )
    dialog = job.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, ProgressDialog)
    assert started.wait(5)
    with qtbot.waitSignal(job.finished, timeout=5000):
        dialog.findChild(QPushButton).click()  # Cancel
    assert cancelled == [True]
    assert job.was_cancelled
    assert len(steps) < 10_000


CSV_GOOD = """date,duration,supervisor,organisation,type,themes
2026-03-04,1:30,Dr Amira Shah,NHS Lothian,clinical,risk;endings
2026-03-18,60,Dr Amira Shah,NHS Lothian,case_management,
"""

CSV_BAD = """date,duration,supervisor,type
2026-03-04,1:30,Dr Amira Shah,clinical
2026-13-40,ninety,Dr Amira Shah,clinical
2026-03-25,45,Dr Amira Shah,astrology
"""


def test_importing_a_csv_file_fills_the_list(
    qtbot: QtBot, logbook: Logbook, tmp_path: Path
) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text(CSV_GOOD, encoding="utf-8")
    window = open_window(qtbot, logbook)
    window.show_section("supervision")
    page = window.list_page(RecordKind.SUPERVISION)
    outcomes: list[ImportOutcome] = []

    def done(outcome: ImportOutcome) -> None:
        outcomes.append(outcome)
        window.apply_external_change(outcome.change)

    job = start_import(window, logbook, path, RecordKind.SUPERVISION, done)
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    assert outcomes[0].message.startswith("Imported 2 supervision entries from sessions.csv")
    assert page.model.rowCount() == 2
    assert page.totals.text().startswith("2 sessions  ·  2.50 hours")
    assert [name for _uid, name in window.names.entries(RecordKind.PERSON)] == ["Dr Amira Shah"]


def test_a_bad_csv_file_is_explained_row_by_row_and_nothing_is_imported(
    qtbot: QtBot, logbook: Logbook, tmp_path: Path
) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text(CSV_BAD, encoding="utf-8")
    window = open_window(qtbot, logbook)
    shown: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text() + "\n" + box.informativeText())
        box.close()

    when_modal(read, attempts=1000)
    job = start_import(window, logbook, path, RecordKind.SUPERVISION, lambda _o: None)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert not job.running
    message = shown[0]
    assert "sessions.csv was not imported" in message
    assert "Nothing in your logbook was changed" in message
    assert "row 3" in message
    assert "row 4" in message
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    assert logbook.records.count(RecordKind.PERSON) == 0


@pytest.mark.parametrize("name", ["notes.json"])
def test_a_file_that_is_not_a_logbook_export_is_refused(
    qtbot: QtBot, logbook: Logbook, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text('{"hello": "world"}', encoding="utf-8")
    window = open_window(qtbot, logbook)
    shown: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.informativeText())
        box.close()

    when_modal(read, attempts=1000)
    start_import(window, logbook, path, None, lambda _o: None)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "notes.json" in shown[0] or "format" in shown[0]
