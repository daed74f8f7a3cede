"""Never lose typing: a changed form asks before it closes, drafts survive a killed app and are
offered back at the next start, and an encrypted logbook keeps its drafts encrypted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from logbook import app
from logbook.domain.records import Profile, RecordKind, SupervisionSession
from logbook.services.drafts import FORM_PREFIX
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.editors.kinds import FORMS
from logbook.ui.first_run import FirstRunWizard
from tests.editor_helpers import ServiceHost, show
from tests.encryption_support import encrypt
from tests.ui_helpers import when_modal

Button = QMessageBox.StandardButton
THEMES = "ruptures and repair"
REFLECTION = "Slowing down helped."


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def answer(seen: list[QMessageBox], choice: Button | str, attempts: int = 1000) -> None:
    """Press ``choice`` (a standard button, or a button's text) on the next message box
    (looking for it ``attempts`` times, 10 ms apart)."""

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box)
        if isinstance(choice, str):
            next(b for b in box.buttons() if b.text() == choice).click()
        else:
            box.button(choice).click()

    when_modal(act, attempts=attempts)


def supervision_editor(qtbot: QtBot, logbook: Logbook) -> RecordEditorDialog:
    dialog = open_editor(RecordKind.SUPERVISION, logbook, ServiceHost(logbook))
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    return dialog


def type_into(qtbot: QtBot, dialog: RecordEditorDialog, field: str, text: str) -> QWidget:
    widget = dialog.form.editor(field).focus_widget
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    return widget


def press_escape(qtbot: QtBot) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, Qt.Key.Key_Escape)


def test_esc_on_a_filled_form_asks_and_cancel_keeps_the_typing(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = supervision_editor(qtbot, logbook)
    themes = type_into(qtbot, dialog, "themes", THEMES)
    assert isinstance(themes, QLineEdit)

    seen: list[QMessageBox] = []
    answer(seen, Button.Cancel)
    press_escape(qtbot)
    (box,) = seen
    assert box.text() == "Discard changes?"
    assert "supervision session" in box.informativeText()
    shown = box.standardButtons()
    assert shown == Button.Save | Button.Discard | Button.Cancel
    assert dialog.isVisible()
    assert themes.text() == THEMES

    answer(seen, Button.Discard)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert len(seen) == 2
    assert not dialog.isVisible()
    assert dialog.result() == dialog.DialogCode.Rejected
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    assert logbook.drafts.all() == []


def test_save_in_the_question_saves_the_entry(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = supervision_editor(qtbot, logbook)
    type_into(qtbot, dialog, "themes", THEMES)
    seen: list[QMessageBox] = []
    answer(seen, Button.Save)
    dialog.close()  # the window's close button
    assert seen
    assert dialog.result() == dialog.DialogCode.Accepted
    (saved,) = logbook.records.all(RecordKind.SUPERVISION)
    assert isinstance(saved, SupervisionSession)
    assert saved.themes == (THEMES,)
    assert logbook.drafts.all() == []


@pytest.mark.parametrize("kind", [k for k in FORMS if k is not RecordKind.PROFILE] + ["profile"])
def test_an_unchanged_form_closes_at_once(
    qtbot: QtBot, logbook: Logbook, kind: RecordKind | str
) -> None:
    dialog = open_editor(RecordKind(kind), logbook, ServiceHost(logbook))
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    seen: list[QMessageBox] = []
    answer(seen, Button.Cancel, attempts=20)  # a question would be up at once
    press_escape(qtbot)
    assert dialog.result() == dialog.DialogCode.Rejected
    assert not dialog.isVisible()
    qtbot.wait(300)  # past the last look, so nothing is left waiting for a later test
    assert seen == []


def test_a_draft_is_written_while_typing_and_deleted_when_saved(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = supervision_editor(qtbot, logbook)
    type_into(qtbot, dialog, "reflection", REFLECTION)
    qtbot.waitUntil(lambda: bool(logbook.drafts.all(FORM_PREFIX)), timeout=6000)
    (draft,) = logbook.drafts.all(FORM_PREFIX)
    assert draft.content["record"]["reflection"] == REFLECTION
    assert draft.content["mode"] == "new"
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert logbook.drafts.all() == []


def test_an_encrypted_logbook_keeps_its_drafts_encrypted(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    encrypt(logbook, "correct horse battery")
    secret = "Zanzibar-draft-7731"
    dialog = supervision_editor(qtbot, logbook)
    type_into(qtbot, dialog, "themes", secret)
    dialog.draft.write()
    assert logbook.drafts.all(FORM_PREFIX)
    for path in location.root.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


# --- the first-run welcome ---------------------------------------------------------------------


def welcome(qtbot: QtBot, logbook: Logbook) -> FirstRunWizard:
    wizard = FirstRunWizard(logbook)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def test_the_welcome_with_typing_asks_before_quitting(qtbot: QtBot, logbook: Logbook) -> None:
    wizard = welcome(qtbot, logbook)
    wizard.about.name.setFocus()
    qtbot.keyClicks(wizard.about.name, "Sam Carter")

    seen: list[QMessageBox] = []
    answer(seen, Button.Cancel)
    press_escape(qtbot)
    assert seen[0].text() == "Discard changes?"
    assert seen[0].button(Button.Save).text() == "Save for later"
    assert wizard.isVisible()
    assert wizard.about.name.text() == "Sam Carter"

    answer(seen, Button.Discard)
    wizard.close()
    assert len(seen) == 2
    assert wizard.result() == wizard.DialogCode.Rejected
    assert logbook.drafts.all() == []
    assert logbook.records.profile() is None


def test_save_for_later_fills_the_welcome_in_again(qtbot: QtBot, logbook: Logbook) -> None:
    wizard = welcome(qtbot, logbook)
    qtbot.keyClicks(wizard.about.name, "Sam Carter")
    wizard.work.organisations.rows[0]["name"].setText("Leeds Mind")
    seen: list[QMessageBox] = []
    answer(seen, Button.Save)
    press_escape(qtbot)
    assert wizard.result() == wizard.DialogCode.Rejected
    assert logbook.records.profile() is None

    again = welcome(qtbot, logbook)
    assert again.about.name.text() == "Sam Carter"
    assert again.work.organisations.rows[0]["name"].text() == "Leeds Mind"
    assert "from last time" in again.about.subTitle()


def test_an_untouched_welcome_closes_at_once(qtbot: QtBot, logbook: Logbook) -> None:
    wizard = welcome(qtbot, logbook)
    seen: list[QMessageBox] = []
    answer(seen, Button.Cancel, attempts=20)
    press_escape(qtbot)
    assert wizard.result() == wizard.DialogCode.Rejected
    qtbot.wait(300)
    assert seen == []


# --- a killed app ---------------------------------------------------------------------------------

CHILD = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from logbook import app
from logbook.domain.records import RecordKind

qt = QApplication([sys.argv[0]])

def drive():
    windows = [w for w in qt.topLevelWidgets() if type(w).__name__ == "MainWindow"]
    if not windows or not windows[0].is_open:
        QTimer.singleShot(50, drive)
        return
    dialog = windows[0].new_entry(RecordKind.SUPERVISION)
    for field, text in (("themes", {THEMES!r}), ("reflection", {REFLECTION!r})):
        widget = dialog.form.editor(field).focus_widget
        widget.setFocus()
        QTest.keyClicks(widget, text)
    print("typed", flush=True)

QTimer.singleShot(0, drive)
sys.exit(app.main(["--data-dir", sys.argv[1]]))
"""


def _draft_on_disk(database: Path) -> bool:
    """Whether a draft holding both texts is committed (read as another process would)."""
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)) as conn:
            rows = conn.execute(
                "SELECT value FROM logbook_meta WHERE key LIKE 'draft:form:%'"
            ).fetchall()
    except sqlite3.Error:
        return False
    return any(THEMES in value and REFLECTION in value for (value,) in rows)


def test_a_form_open_when_the_app_is_killed_is_offered_back(qtbot: QtBot, tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "data")
    with Logbook.open(location) as first:
        first.records.create(Profile(name="Sam Carter"))
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [sys.executable, str(script), str(location.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "typed"
            deadline = time.monotonic() + 20
            while not _draft_on_disk(location.database) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _draft_on_disk(location.database), "no draft was written"
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(30)
    assert child.returncode == -signal.SIGKILL

    qt = QApplication.instance()
    started = app.start(qt, location)
    assert started is not None
    logbook, window = started
    try:
        qtbot.addWidget(window)
        window.show()
        seen: list[QMessageBox] = []
        answer(seen, "Restore")
        app.offer_drafts(window)
        assert seen[0].text() == (
            "You were writing a new supervision session when Practice Logbook last closed. "
            "Restore it?"
        )
        (dialog,) = window.editors
        assert isinstance(dialog, RecordEditorDialog)
        themes = dialog.form.editor("themes").focus_widget
        reflection = dialog.form.editor("reflection").focus_widget
        assert isinstance(themes, QLineEdit)
        assert isinstance(reflection, QPlainTextEdit)
        assert themes.text() == THEMES
        assert reflection.toPlainText() == REFLECTION
        dialog.save_button.click()
        assert dialog.result() == dialog.DialogCode.Accepted
        (saved,) = logbook.records.all(RecordKind.SUPERVISION)
        assert saved.reflection == REFLECTION  # type: ignore[attr-defined]
        assert logbook.drafts.all() == []
    finally:
        window.close()
        logbook.close()
