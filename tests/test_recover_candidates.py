"""Recovery offers every candidate, the set-aside file too, and never drops the records a
set-aside file holds without saying so and offering to merge them."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from logbook import app
from logbook.cli.main import main as cli
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.storage.database import quarantine
from logbook.ui.recovery_dialog import RecoveryDialog
from tests.ui_helpers import when_modal


def _add(book: Logbook, days: range) -> None:
    for day in days:
        book.records.create(SupervisionSession(date=date(2026, 3, day), duration_minutes=60))


@pytest.fixture
def set_aside(location: DataLocation) -> DataLocation:
    """A logbook of 5 sessions set aside whole, with a backup holding only the first 2."""
    book = Logbook.open(location)
    _add(book, range(1, 3))
    book.backups.backup_now("manual")
    _add(book, range(3, 6))
    book.close()
    quarantine(location.database)
    return location


def _run(location: DataLocation, *args: str) -> int:
    return cli(["--data-dir", str(location.root), "recover", *args])


def test_the_set_aside_file_is_a_candidate_newest_first_with_its_records(
    set_aside: DataLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(set_aside) == 1
    lines = capsys.readouterr().out.splitlines()
    listed = [line for line in lines if line.strip()[:2].strip().isdigit()]
    assert "set aside: 5 records" in listed[0]
    assert "backup (Taken by you): 2 records" in listed[1]


def test_restoring_an_older_backup_names_the_records_left_in_the_set_aside_file_and_merges_them(
    set_aside: DataLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    [kept] = set_aside.root.glob("logbook.damaged-*.sqlite")
    capsys.readouterr()
    assert _run(set_aside, "--restore", "2") == 0
    out = capsys.readouterr().out
    assert f"3 record(s) in {kept.name} are not in the restored logbook" in out
    assert f"recover --merge {kept}" in out

    assert _run(set_aside, "--merge", str(kept)) == 0
    assert "3 record(s) added" in capsys.readouterr().out
    with Logbook.open(set_aside) as book:
        assert book.records.count(RecordKind.SUPERVISION) == 5
    assert kept.exists()


def test_the_set_aside_file_itself_can_be_restored_by_its_path(
    set_aside: DataLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    [kept] = set_aside.root.glob("logbook.damaged-*.sqlite")
    assert _run(set_aside, "--restore", str(kept)) == 0
    assert f"Restored {kept.name}" in capsys.readouterr().out
    with Logbook.open(set_aside) as book:
        assert book.records.count(RecordKind.SUPERVISION) == 5


def test_the_app_restores_then_offers_to_add_back_what_the_set_aside_file_holds(
    qtbot: QtBot, set_aside: DataLocation
) -> None:
    texts: list[str] = []

    def answer_merge(remaining: int = 3000) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and "set-aside" in box.windowTitle():
            texts.append(box.text())
            next(b for b in box.buttons() if b.text() == "Add them").click()
        elif remaining:  # the restore's progress window comes first
            QTimer.singleShot(10, lambda: answer_merge(remaining - 1))

    def answer_recovery(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        texts.append(dialog.left_behind.text())
        QTimer.singleShot(0, answer_merge)
        dialog.restore_button.click()

    when_modal(answer_recovery, attempts=1000)
    opened = app.open_logbook(set_aside)
    assert opened is not None
    try:
        assert "holds 3 record(s) this backup does not have" in texts[0]
        assert "holds 3 record(s) that the restored logbook does not have" in texts[1]
        assert opened.records.count(RecordKind.SUPERVISION) == 5
    finally:
        opened.close()
