"""File → Backups driven as a user drives it: back up now, restore (confirmed, undoable),
export, choose another folder; the work runs off the GUI thread."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.logbook import Logbook
from logbook.ui.backups_dialog import BackupListModel, BackupsDialog


def _session(day: int) -> SupervisionSession:
    return SupervisionSession(date=date(2026, 3, day), duration_minutes=60)


@pytest.fixture
def dialog(qtbot: QtBot, logbook: Logbook) -> BackupsDialog:
    logbook.records.create_many([_session(1), _session(2)])
    logbook.backups.backup_now()
    shown = BackupsDialog(logbook)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _finish(qtbot: QtBot, dialog: BackupsDialog) -> None:
    job = dialog.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=20_000)


def test_the_list_shows_each_backup_with_when_why_and_what(
    dialog: BackupsDialog, qtmodeltester: object
) -> None:
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert dialog.model.rowCount() == 1
    index = dialog.model.index(0, 1)
    assert index.data() == "Taken by you"
    assert dialog.model.index(0, 2).data() == "2"
    assert dialog.model.index(0, 3).data() == "No"
    assert "2 records: 2 Supervision" in dialog.detail.text()
    assert "2 Supervision" in dialog.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert str(dialog.logbook.backups.folder) in dialog.folder_label.text()


def test_back_up_now_adds_a_selected_row(qtbot: QtBot, dialog: BackupsDialog) -> None:
    dialog.logbook.records.create(_session(3))
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.table.currentIndex().row() == 0
    assert dialog.model.index(0, 2).data() == "3"
    assert dialog.backup_button.isEnabled()


def test_restore_asks_first_then_restores_and_keeps_the_present(
    qtbot: QtBot, dialog: BackupsDialog
) -> None:
    logbook = dialog.logbook
    logbook.records.create(_session(3))
    dialog.table.selectRow(0)

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm.isVisible()
    assert "2 records" in dialog.confirm.text()
    qtbot.mouseClick(
        dialog.confirm.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert logbook.records.count(RecordKind.SUPERVISION) == 3  # cancelled: nothing happened

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.restored, timeout=20_000) as restored:
        qtbot.mouseClick(
            dialog.confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
        )
    assert restored.args[0].touches(RecordKind.SUPERVISION)
    assert logbook.records.count(RecordKind.SUPERVISION) == 2
    assert dialog.model.rowCount() == 2
    safety = dialog.selected()
    assert safety is not None
    assert safety.reason == "Before a restore"
    assert safety.records == 3  # the state before the restore can be restored in turn
    assert dialog.message is not None
    assert "is back as it was" in dialog.message.text()


def test_export_writes_a_backup_that_opens(
    qtbot: QtBot, dialog: BackupsDialog, tmp_path: Path
) -> None:
    target = tmp_path / "for the archive.sqlite"
    dialog.table.selectRow(0)
    dialog.export_selected(target)
    _finish(qtbot, dialog)
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM supervision").fetchone()[0] == 2
    conn.close()
    assert dialog.message is not None
    assert str(target) in dialog.message.text()


def test_the_export_button_asks_where_to_write(
    qtbot: QtBot, dialog: BackupsDialog, tmp_path: Path
) -> None:
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.file_dialog.isVisible()
    dialog.file_dialog.fileSelected.emit(str(tmp_path / "chosen.sqlite"))
    _finish(qtbot, dialog)
    assert (tmp_path / "chosen.sqlite").exists()


def test_choosing_another_folder(qtbot: QtBot, dialog: BackupsDialog, tmp_path: Path) -> None:
    drive = tmp_path / "backup drive"
    drive.mkdir()
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert dialog.folder_dialog.isVisible()
    dialog.folder_dialog.fileSelected.emit(str(drive))
    assert str(drive) in dialog.folder_label.text()
    assert dialog.default_button.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, dialog)
    assert len(list(drive.glob("*.sqlite"))) == 1
    assert dialog.model.rowCount() == 2  # the older backup beside the logbook is still listed
    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    assert str(dialog.logbook.backups.default_folder) in dialog.folder_label.text()


def test_a_folder_that_cannot_be_used_is_explained(dialog: BackupsDialog, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    dialog.set_folder(blocker / "sub")
    assert dialog.message is not None
    assert "cannot be written" in dialog.message.text()


def test_an_empty_list_says_how_to_start(qtbot: QtBot, logbook: Logbook) -> None:
    empty = BackupsDialog(logbook)
    qtbot.addWidget(empty)
    assert empty.model.rowCount() == 0
    assert "No backups yet" in empty.detail.text()
    assert not empty.restore_button.isEnabled()
    assert not empty.export_button.isEnabled()


def test_the_model_answers_unused_roles_with_none(dialog: BackupsDialog) -> None:
    model: BackupListModel = dialog.model
    index = model.index(0, 0)
    for role in (
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.UserRole,
    ):
        assert index.data(role) is None


def test_check_logbook_reports_a_sound_logbook(qtbot: QtBot, dialog: BackupsDialog) -> None:
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, dialog)
    assert dialog.message is not None
    assert "✓  File integrity" in dialog.message.text()
    assert "✓  References" in dialog.message.text()
    assert dialog.message.informativeText() == "The logbook is sound."


def test_check_logbook_reports_broken_references(qtbot: QtBot, dialog: BackupsDialog) -> None:
    with sqlite3.connect(dialog.logbook.path) as conn:
        conn.execute("UPDATE supervision SET counterpart_uid = 'gone'")
    conn.close()
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, dialog)
    assert dialog.message is not None
    assert "✗  References: 2 reference(s) point to records that do not exist" in (
        dialog.message.text()
    )
    assert "supervision row" in dialog.message.detailedText()
