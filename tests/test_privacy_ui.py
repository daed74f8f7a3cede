"""The privacy guard in the app: "Keep anyway" is recorded on the entry, and an import that
holds client identifiers asks before importing them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.records import RecordKind
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.importing import start_import
from tests.editor_helpers import ServiceHost, show, when_modal
from tests.test_editors_supervision import new_session_editor, sessions
from tests.test_editors_supervision import supervisor as supervisor  # a fixture
from tests.ui_helpers import open_window

CSV = (
    "date,duration,supervisor,reflection\n"
    "2026-03-02,60,Ana Silva,Discussed endings in general\n"
    "2026-03-09,60,Ana Silva,patient John Smith DOB 12/03/1987 lives at LS1 4AP\n"
)


def _allowances(logbook: Logbook) -> list[tuple[str, str, str]]:
    with sqlite3.connect(logbook.db.path) as conn:
        rows = conn.execute("SELECT record_uid, field, door FROM privacy_allowance").fetchall()
    return sorted(rows)


@pytest.mark.usefixtures("supervisor")
def test_keep_anyway_is_recorded_on_the_entry_and_not_asked_again(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    reflection = dialog.form.editor("reflection").focus_widget
    assert isinstance(reflection, QPlainTextEdit)
    notice = dialog.form.rows["reflection"].notices[0]
    reflection.setPlainText("Her son Jack has been excluded again.")
    dialog.save_button.click()
    assert "may identify a client" in dialog.banner.text.text()
    notice.keep_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    [saved] = [s for s in sessions(logbook) if s.reflection.startswith("Her son")]
    assert _allowances(logbook) == [(saved.uid, "reflection", "form")]

    # Opened again, the kept text is quiet; a different identifier warns.
    again = open_editor(RecordKind.SUPERVISION, logbook, ServiceHost(logbook), saved)
    assert isinstance(again, RecordEditorDialog)
    show(qtbot, again)
    guard = next(g for g in again.form.guards if g.field_name == "reflection")
    assert guard.check() == []
    edit = guard.edit
    assert isinstance(edit, QPlainTextEdit)
    edit.setPlainText("Her son Jack has been excluded again. Mum's mobile 07700 900123.")
    assert [w.text for w in guard.check()] == ["07700 900123"]


def _run_import(qtbot: QtBot, logbook: Logbook, path: Path, answer: str) -> list[str]:
    window = open_window(qtbot, logbook)
    shown: list[str] = []

    def choose(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text() + "\n" + box.informativeText())
        button = next(b for b in box.buttons() if b.text().replace("&", "") == answer)
        button.click()

    when_modal(choose, attempts=1000)
    start_import(window, logbook, path, RecordKind.SUPERVISION, lambda _o: None)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    return shown


def test_an_import_with_identifiers_asks_and_cancel_imports_nothing(
    qtbot: QtBot, logbook: Logbook, tmp_path: Path
) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text(CSV, encoding="utf-8")
    before = logbook.records.count(RecordKind.SUPERVISION)
    [message] = _run_import(qtbot, logbook, path, "Cancel")
    assert "may identify a client" in message
    assert "sessions.csv, row 3, reflection:" in message
    assert "patient John Smith" in message
    qtbot.wait(200)
    assert logbook.records.count(RecordKind.SUPERVISION) == before
    assert _allowances(logbook) == []


def test_import_anyway_imports_and_records_the_choice(
    qtbot: QtBot, logbook: Logbook, tmp_path: Path
) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text(CSV, encoding="utf-8")
    before = logbook.records.count(RecordKind.SUPERVISION)
    _run_import(qtbot, logbook, path, "Import anyway")
    qtbot.waitUntil(
        lambda: logbook.records.count(RecordKind.SUPERVISION) == before + 2, timeout=10_000
    )
    assert {door for _uid, _field, door in _allowances(logbook)} == {"csv"}
