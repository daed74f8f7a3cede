"""Dates in the entry forms as a user types them, the future refused or planned, and the
confirmation asked before saving something that looks like a slip.

Every test ends with the form saved (or never changed), so no form is left with typing in it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain import choices as c
from logbook.domain.dates import describe_date
from logbook.domain.records import (
    Milestone,
    Pathway,
    Person,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
)
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.editors.fields import DateEditor
from tests.cli_support import Ran, run_cli
from tests.editor_helpers import ServiceHost, show, when_modal

K = RecordKind
FUTURE_SUPERVISION = (
    "A supervision session cannot be in the future: it is recorded once it has happened"
)


@pytest.fixture
def supervisor(logbook: Logbook) -> Person:
    """A supervisor with one session long ago (so the usual length is an hour)."""
    person = Person(name="Dr Amira Shah", roles=("supervisor",))
    earlier = SupervisionSession(
        date=date(2024, 3, 1), duration_minutes=60, counterpart_uid=person.uid
    )
    logbook.records.create_many([person, earlier])
    return person


def open_form(qtbot: QtBot, logbook: Logbook, kind: RecordKind) -> RecordEditorDialog:
    dialog = open_editor(kind, logbook, ServiceHost(logbook))
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    return dialog


def date_editor(dialog: RecordEditorDialog, name: str = "date") -> DateEditor:
    editor = dialog.form.editor(name)
    assert isinstance(editor, DateEditor)
    return editor


def type_in(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Click into a field, select what it holds and type over it, as a user would."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def cli(*args: str | Path, data: Path) -> Ran:
    """The command line as a user runs it."""
    return run_cli(*args, data=data)


def saved(logbook: Logbook, kind: RecordKind) -> list[Record]:
    return logbook.records.all(kind)


def answer(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Answer the next confirmation with ``button``, noting what it said."""

    def respond(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        assert modal.standardButtons() == (
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        seen.append(modal.text())
        modal.button(button).click()

    when_modal(respond)


def last_monday(today: date) -> date:
    return today - timedelta(days=(today.weekday() or 7))


def most_recent(weekday: int, today: date) -> date:
    return today - timedelta(days=(today.weekday() - weekday) % 7)


# What people type, and the date it means (all on or before today, so a supervision may
# have them). A day and month with no year is this year's: 1 January has always happened.
TYPED: list[tuple[str, Callable[[date], date]]] = [
    ("25/11/2026", lambda t: date(2026, 11, 25)),
    ("25/11/26", lambda t: date(2026, 11, 25)),
    ("25-11-2026", lambda t: date(2026, 11, 25)),
    ("25.11.2026", lambda t: date(2026, 11, 25)),
    ("3/9/2026", lambda t: date(2026, 9, 3)),
    ("25 Nov 2026", lambda t: date(2026, 11, 25)),
    ("25th November 2026", lambda t: date(2026, 11, 25)),
    ("Nov 25 2026", lambda t: date(2026, 11, 25)),
    ("2026-11-25", lambda t: date(2026, 11, 25)),
    ("1 January", lambda t: date(t.year, 1, 1)),
    ("1 jan", lambda t: date(t.year, 1, 1)),
    ("today", lambda t: t),
    ("yesterday", lambda t: t - timedelta(days=1)),
    ("last Monday", last_monday),
    ("Monday", lambda t: most_recent(0, t)),
    ("fri", lambda t: most_recent(4, t)),
]


@pytest.mark.parametrize(("typed", "meaning"), TYPED, ids=[t for t, _ in TYPED])
def test_each_way_of_typing_a_date_is_read_shown_and_saved(
    qtbot: QtBot,
    logbook: Logbook,
    supervisor: Person,
    typed: str,
    meaning: Callable[[date], date],
) -> None:
    today = date.today()
    expected = meaning(today)
    dialog = open_form(qtbot, logbook, K.SUPERVISION)
    editor = date_editor(dialog)
    line = editor.focus_widget
    assert QApplication.focusWidget() is line  # the form opens on the date

    type_in(qtbot, line, typed)

    shown = describe_date(expected) + (" · today" if expected == today else "")
    assert editor.edit.reading.text() == shown
    qtbot.keyClick(line, Qt.Key.Key_Tab)  # one Tab leaves the date for the duration
    assert QApplication.focusWidget() is dialog.form.editor("duration_minutes").focus_widget
    assert line.text() == expected.strftime("%d/%m/%Y")  # tidied to the usual form
    assert dialog.form.problem_text("date") == ""

    dialog.save_button.click()

    assert dialog.result() == dialog.DialogCode.Accepted
    assert [r.date for r in saved(logbook, K.SUPERVISION) if r.date != date(2024, 3, 1)] == [  # type: ignore[attr-defined]
        expected
    ]


def test_a_date_that_is_not_one_is_refused_with_its_reason_and_blocks_saving(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = open_form(qtbot, logbook, K.SUPERVISION)
    editor = date_editor(dialog)
    line = editor.focus_widget

    type_in(qtbot, line, "31/02/2026")
    assert editor.edit.reading.text() == ""  # no date understood, nothing shown as one
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    assert dialog.form.problem_text("date") == "31/02/2026 is not a date: February 2026 has 28 days"

    dialog.save_button.click()
    assert dialog.isVisible()
    assert "Nothing was saved" in dialog.banner.text.text()
    assert QApplication.focusWidget() is line
    assert line.text() == "31/02/2026"  # kept as typed, to correct

    type_in(qtbot, line, "25")
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    assert "Type the day, month and year, e.g. 25/11/2026" in dialog.form.problem_text("date")

    type_in(qtbot, line, "28/02/2026")
    assert dialog.form.problem_text("date") == ""  # put right: the mark goes at once
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert date(2026, 2, 28) in [r.date for r in saved(logbook, K.SUPERVISION)]  # type: ignore[attr-defined]


def test_a_future_supervision_is_refused_with_its_reason(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = open_form(qtbot, logbook, K.SUPERVISION)
    editor = date_editor(dialog)
    tomorrow = date.today() + timedelta(days=1)

    type_in(qtbot, editor.focus_widget, "tomorrow")
    assert editor.edit.reading.text() == describe_date(tomorrow)  # read, but not a plan
    qtbot.keyClick(editor.focus_widget, Qt.Key.Key_Tab)
    assert dialog.form.problem_text("date") == FUTURE_SUPERVISION

    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.form.problem_text("date") == FUTURE_SUPERVISION
    assert len(saved(logbook, K.SUPERVISION)) == 1

    type_in(qtbot, editor.focus_widget, "yesterday")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_saved_future_session_can_still_be_edited_without_moving_it(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    # Made before future sessions were refused (a series planned ahead, an old import).
    planned = SupervisionSession(
        date=date.today() + timedelta(days=7), duration_minutes=60, counterpart_uid=supervisor.uid
    )
    logbook.records.create(planned)
    host = ServiceHost(logbook)
    dialog = open_editor(K.SUPERVISION, logbook, host, planned)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    themes = dialog.form.editor("themes").focus_widget
    assert isinstance(themes, QLineEdit)
    type_in(qtbot, themes, "risk")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert host.updated[0].themes == ("risk",)  # type: ignore[attr-defined]


def test_a_series_running_past_today_is_refused(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = open_form(qtbot, logbook, K.SUPERVISION)
    series = dialog.series
    assert series is not None
    type_in(qtbot, date_editor(dialog).focus_widget, "today")
    series.setChecked(True)
    series.frequency.setCurrentIndex(series.frequency.findData("weekly"))
    series.count.setValue(3)
    assert "2 of them are after today" in series.preview.text()
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "Repeat: 2 of them are after today" in dialog.banner.text.text()
    assert len(saved(logbook, K.SUPERVISION)) == 1

    type_in(
        qtbot, date_editor(dialog).focus_widget, (date.today() - timedelta(weeks=2)).isoformat()
    )
    assert "after today" not in series.preview.text()
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert len(saved(logbook, K.SUPERVISION)) == 4


def test_a_planned_course_is_allowed_and_labelled(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = open_form(qtbot, logbook, K.COURSE)
    type_in(qtbot, dialog.form.editor("title").focus_widget, "MBCT spring")
    start, end = date_editor(dialog, "start_date"), date_editor(dialog, "end_date")
    first = date.today() + timedelta(days=(7 - date.today().weekday()) or 7)

    type_in(qtbot, start.focus_widget, "next Monday")
    assert start.edit.reading.text() == f"{describe_date(first)} · planned"
    assert end.edit.reading.text() == "not set"  # an optional date may stay empty
    type_in(qtbot, end.focus_widget, (first + timedelta(weeks=7)).strftime("%d %b %Y"))
    assert end.edit.reading.text().endswith("· planned")
    qtbot.keyClick(end.focus_widget, Qt.Key.Key_Tab)
    assert dialog.form.problem_text("start_date") == ""

    dialog.save_button.click()

    assert dialog.result() == dialog.DialogCode.Accepted
    (course,) = saved(logbook, K.COURSE)
    assert isinstance(course, TeachingCourse)
    assert (course.start_date, course.end_date) == (first, first + timedelta(weeks=7))


def test_a_milestone_due_later_is_planned_but_its_completion_cannot_be_ahead(
    qtbot: QtBot, logbook: Logbook
) -> None:
    logbook.records.create(Pathway(title="Conversion", pathway_kind=c.PathwayKind.CONVERSION))
    dialog = open_form(qtbot, logbook, K.MILESTONE)
    type_in(qtbot, dialog.form.editor("title").focus_widget, "Co-teach a course")
    due = date_editor(dialog, "due_date")
    type_in(qtbot, due.focus_widget, "30/6/2030")
    assert due.edit.reading.text() == "Sun 30 Jun 2030 · planned"

    dialog.form.editor("status").set_value(c.MilestoneStatus.COMPLETE)  # type: ignore[attr-defined]
    done = date_editor(dialog, "completed_on")
    type_in(qtbot, done.focus_widget, "tomorrow")
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.form.problem_text("completed_on").startswith(
        "A milestone cannot be completed in the future"
    )

    type_in(qtbot, done.focus_widget, "today")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    (milestone,) = saved(logbook, K.MILESTONE)
    assert isinstance(milestone, Milestone)
    assert (milestone.due_date, milestone.completed_on) == (date(2030, 6, 30), date.today())


def test_the_calendar_picks_a_date_with_the_mouse_or_the_keyboard(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = open_form(qtbot, logbook, K.SUPERVISION)
    field = date_editor(dialog).edit
    type_in(qtbot, field.line, "25/11/2026")
    assert field.button.accessibleName() == "Date: choose from a calendar"

    qtbot.keyClick(field.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field.popup
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    view = QApplication.focusWidget()
    assert view is not None
    assert popup.isAncestorOf(view)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # the day before
    qtbot.keyClick(view, Qt.Key.Key_Return)

    assert not popup.isVisible()
    assert field.line.text() == "24/11/2026"
    assert field.reading.text() == "Tue 24 Nov 2026"
    assert QApplication.focusWidget() is field.line

    field.button.click()  # the mouse way
    qtbot.waitUntil(popup.isVisible)
    popup.calendar.clicked.emit(popup.calendar.selectedDate().addDays(-1))
    assert field.line.text() == "23/11/2026"
    qtbot.keyClick(field.line, Qt.Key.Key_Up)  # a day on, without a calendar
    qtbot.keyClick(field.line, Qt.Key.Key_Up)
    qtbot.keyClick(field.line, Qt.Key.Key_Down)
    assert field.line.text() == "24/11/2026"
    dialog.save_button.click()
    assert date(2026, 11, 24) in [r.date for r in saved(logbook, K.SUPERVISION)]  # type: ignore[attr-defined]


# --- confirmations -----------------------------------------------------------------------------


def test_a_session_over_four_hours_is_confirmed_first(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = open_form(qtbot, logbook, K.SUPERVISION)
    duration = dialog.form.editor("duration_minutes").focus_widget
    type_in(qtbot, duration, "5:30")
    seen: list[str] = []

    answer(QMessageBox.StandardButton.No, seen)
    dialog.save_button.click()
    assert seen == [
        "This supervision session lasts 5 hours 30 minutes: more than 4 hours for one session."
    ]
    assert dialog.isVisible()
    assert duration.text() == "5:30"  # the typing is kept  # type: ignore[attr-defined]
    assert dialog.focusWidget() is duration  # back on what looked wrong
    assert len(saved(logbook, K.SUPERVISION)) == 1

    answer(QMessageBox.StandardButton.Yes, seen)
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert sorted(r.duration_minutes for r in saved(logbook, K.SUPERVISION)) == [60, 330]  # type: ignore[attr-defined]


def test_more_than_twelve_hours_of_practice_in_a_day_is_confirmed_first(
    qtbot: QtBot, logbook: Logbook
) -> None:
    day = date(2026, 3, 4)
    logbook.records.create_many(
        [
            PracticeEntry(date=day, duration_minutes=6 * 60),
            PracticeEntry(date=day, duration_minutes=5 * 60),
            PracticeEntry(date=day - timedelta(days=1), duration_minutes=8 * 60),
        ]
    )
    dialog = open_form(qtbot, logbook, K.PRACTICE)
    type_in(qtbot, date_editor(dialog).focus_widget, "4/3/2026")
    type_in(qtbot, dialog.form.editor("duration_minutes").focus_widget, "2h")
    seen: list[str] = []

    answer(QMessageBox.StandardButton.No, seen)
    dialog.save_button.click()
    assert seen == [
        "Practice on Wed 4 Mar 2026 would come to 13 hours, with the 2 other entries that "
        "day: more than 12 hours in one day."
    ]
    assert dialog.isVisible()
    assert len(saved(logbook, K.PRACTICE)) == 3

    answer(QMessageBox.StandardButton.Yes, seen)
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert len(saved(logbook, K.PRACTICE)) == 4


def test_an_exact_copy_of_a_logged_session_is_confirmed_first(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = open_form(qtbot, logbook, K.SUPERVISION)
    assert dialog.form.current_values()["counterpart_uid"] == supervisor.uid
    type_in(qtbot, date_editor(dialog).focus_widget, "1/3/2024")
    type_in(qtbot, dialog.form.editor("duration_minutes").focus_widget, "60")
    seen: list[str] = []

    answer(QMessageBox.StandardButton.No, seen)
    dialog.save_button.click()
    assert seen == [
        "The same supervision session on Fri 1 Mar 2024, 1 hour with the same person, is "
        "already in the logbook."
    ]
    assert dialog.isVisible()
    assert date_editor(dialog).focus_widget.text() == "01/03/2024"  # type: ignore[attr-defined]
    assert len(saved(logbook, K.SUPERVISION)) == 1

    answer(QMessageBox.StandardButton.Yes, seen)
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert len(saved(logbook, K.SUPERVISION)) == 2


def test_nothing_is_asked_for_an_unchanged_edit(
    qtbot: QtBot, logbook: Logbook, supervisor: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: asked.append(box.text()) or QMessageBox.StandardButton.No
    )
    long_ago = saved(logbook, K.SUPERVISION)[0]
    long_one = dataclasses.replace(long_ago, duration_minutes=300)
    logbook.records.update(long_one)
    stored = logbook.records.get(K.SUPERVISION, long_ago.uid)
    dialog = open_editor(K.SUPERVISION, logbook, ServiceHost(logbook), stored)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    type_in(qtbot, dialog.form.editor("themes").focus_widget, "endings")
    dialog.save_button.click()
    assert asked == []  # a five-hour session saved before is not questioned again
    assert dialog.result() == dialog.DialogCode.Accepted


# --- the command line and CSV import -----------------------------------------------------------


def test_the_command_line_refuses_a_future_supervision_with_the_same_reason(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    ahead = (date.today() + timedelta(days=3)).isoformat()
    result = cli("add", "supervision", f"date={ahead}", "duration=1:00", data=data)
    assert result.returncode == 1
    assert f"date: {FUTURE_SUPERVISION}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "0 supervision record(s)" in cli("list", "supervision", data=data).stdout
    planned = cli("add", "course", f"start_date={ahead}", "title=MBCT spring", data=data)
    assert planned.returncode == 0, planned.stderr


def test_csv_import_refuses_a_future_practice_row(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ahead = (date.today() + timedelta(days=3)).isoformat()
    rows = tmp_path / "practice.csv"
    rows.write_text(f"date,duration\n2026-01-05,1:00\n{ahead},1:00\n", encoding="utf-8")
    result = cli("import-csv", "practice", rows, data=data)
    assert result.returncode == 1
    assert "row 3" in result.stderr
    assert "Practice cannot be in the future: it is recorded once it has happened" in (
        result.stderr
    )
