"""Logging supervision through the editor: by keyboard, with problems, privacy, copies, series."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from logbook.domain.choices import Direction, Mode, SupervisionFormat, SupervisionType
from logbook.domain.records import Organisation, Person, RecordKind, SupervisionSession
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, open_editor
from tests.editor_helpers import ServiceHost, show

NHS_NUMBER = "943 476 5919"  # passes the Modulus 11 check


@pytest.fixture
def supervisor(logbook: Logbook) -> Person:
    """A supervisor with three earlier sessions, two of them 90 minutes long."""
    trust = Organisation(name="NHS Lothian", supervising=True)
    person = Person(name="Dr Amira Shah", organisation_uid=trust.uid, roles=("supervisor",))
    earlier = [
        SupervisionSession(
            date=date(2026, 1, day),
            duration_minutes=minutes,
            counterpart_uid=person.uid,
            organisation_uid=trust.uid,
            supervision_type=SupervisionType.CLINICAL_SKILLS,
            mode=Mode.VIDEO,
        )
        for day, minutes in ((5, 90), (12, 60), (19, 90))
    ]
    logbook.records.create_many([trust, person, *earlier])
    return person


def new_session_editor(qtbot: QtBot, logbook: Logbook, host: ServiceHost) -> RecordEditorDialog:
    dialog = open_editor(RecordKind.SUPERVISION, logbook, host)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    return dialog


def sessions(logbook: Logbook) -> list[SupervisionSession]:
    found = logbook.records.all(RecordKind.SUPERVISION)
    return sorted(found, key=lambda r: (r.date, r.created_at))  # type: ignore[attr-defined]


def press_tab_until(qtbot: QtBot, target: object, limit: int = 40) -> list[str]:
    """Press Tab until ``target`` has focus; the accessible names of the controls passed."""
    passed = []
    for _ in range(limit):
        focused = QApplication.focusWidget()
        if focused is target:
            return passed
        assert focused is not None, "keyboard focus was lost"
        passed.append(focused.accessibleName())
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached the target; passed {passed}")


def type_into(qtbot: QtBot, text: str) -> None:
    focused = QApplication.focusWidget()
    qtbot.keyClick(focused, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused, text)


def test_new_session_defaults_to_today_last_supervisor_and_usual_duration(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    values = dialog.form.current_values()
    assert values["date"] == date.today()
    assert values["duration_minutes"] == 90  # the most common of the recent sessions
    assert values["counterpart_uid"] == supervisor.uid
    assert values["organisation_uid"] == supervisor.organisation_uid
    assert values["supervision_type"] is SupervisionType.CLINICAL_SKILLS
    assert values["mode"] is Mode.VIDEO
    assert values["reflection_private"] is True


def test_log_a_session_by_keyboard_only(qtbot: QtBot, logbook: Logbook, supervisor: Person) -> None:
    host = ServiceHost(logbook)
    dialog = new_session_editor(qtbot, logbook, host)
    form = dialog.form
    assert QApplication.focusWidget() is form.editor("date").focus_widget

    # Tab to the duration, type 1:15; on to the themes, type two; Enter saves.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.editor("duration_minutes").focus_widget
    type_into(qtbot, "1:15")
    passed = press_tab_until(qtbot, form.editor("themes").focus_widget)
    assert all(passed), f"a control without an accessible name: {passed}"
    assert "Supervisor" in passed
    assert "Type" in passed
    type_into(qtbot, "risk, endings")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    assert dialog.result() == dialog.DialogCode.Accepted
    logged = [s for s in sessions(logbook) if s.date == date.today()]
    assert len(logged) == 1
    session = logged[0]
    assert session.duration_minutes == 75
    assert session.counterpart_uid == supervisor.uid
    assert session.themes == ("risk", "endings")
    assert session.direction is Direction.RECEIVED
    assert session.reflection_private
    assert host.created == [[session]]


def test_every_control_is_reachable_by_tab_and_named(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    seen = press_tab_until(qtbot, dialog.save_button, limit=60)
    for name in ("Date", "Duration", "Supervisor", "Reflection", "Repeat this session"):
        assert name in seen
    assert "Reflection: private, never exported" in seen
    assert "Add an attachment" in seen


def test_ctrl_enter_saves_from_a_multi_line_field_and_esc_cancels(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    reflection = dialog.form.editor("reflection").focus_widget
    assert isinstance(reflection, QPlainTextEdit)
    reflection.setFocus()
    qtbot.keyClicks(reflection, "Noticed my pace.")
    qtbot.keyClick(reflection, Qt.Key.Key_Return)  # a new line, not a save
    assert dialog.isVisible()
    qtbot.keyClick(reflection, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [s.reflection for s in sessions(logbook) if s.date == date.today()] == [
        "Noticed my pace."
    ]

    before = len(sessions(logbook))
    second = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert second.result() == second.DialogCode.Rejected
    assert len(sessions(logbook)) == before


def test_a_bad_duration_is_named_under_its_field_and_the_form_is_kept(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    form = dialog.form
    duration = form.editor("duration_minutes").focus_widget
    themes = form.editor("themes").focus_widget
    assert isinstance(duration, QLineEdit)
    assert isinstance(themes, QLineEdit)
    themes.setText("formulation")
    duration.setText("an hour-ish")
    before = sessions(logbook)

    dialog.save_button.click()

    assert dialog.isVisible()
    assert "not a duration" in form.problem_text("duration_minutes")
    assert form.problem_text("themes") == ""
    assert QApplication.focusWidget() is duration
    assert duration.text() == "an hour-ish"
    assert themes.text() == "formulation"
    assert "Problem" in duration.accessibleDescription()
    assert not dialog.banner.isHidden()
    assert sessions(logbook) == before

    # A duration the domain rejects is reported by the validator, under the same field.
    duration.setText("0")
    dialog.save_button.click()
    assert "between 1 and 1440 minutes" in form.problem_text("duration_minutes")
    assert sessions(logbook) == before

    duration.setText("1.5h")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert form.problem_text("duration_minutes") == ""
    assert [s.duration_minutes for s in sessions(logbook) if s.date == date.today()] == [90]


def test_group_supervision_needs_a_group_size(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    form = dialog.form
    assert form.editor("group_size").widget.isHidden() or not form.rows["group_size"].isVisible()
    form.editor("format").set_value(SupervisionFormat.GROUP)  # type: ignore[attr-defined]
    assert form.rows["group_size"].isVisible()
    form.editor("group_size").spin.setValue(5)  # type: ignore[attr-defined]
    dialog.save_button.click()
    saved = [s for s in sessions(logbook) if s.date == date.today()]
    assert [(s.format, s.group_size) for s in saved] == [(SupervisionFormat.GROUP, 5)]


def test_a_host_refusal_shows_under_the_field_and_keeps_the_form(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    themes = dialog.form.editor("themes").focus_widget
    assert isinstance(themes, QLineEdit)
    themes.setText("caseload")
    # The supervisor is removed elsewhere while the form is open: the service refuses the save.
    for session in sessions(logbook):
        logbook.records.delete(RecordKind.SUPERVISION, session.uid)
    logbook.records.delete(RecordKind.PERSON, supervisor.uid)

    dialog.save_button.click()

    assert dialog.isVisible()
    assert "does not exist" in dialog.form.problem_text("counterpart_uid")
    assert "Nothing was saved" in dialog.banner.text.text()
    assert themes.text() == "caseload"
    assert sessions(logbook) == []


def test_privacy_warning_for_an_nhs_number_and_keep_anyway(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    form = dialog.form
    notes = form.editor("action_points").focus_widget
    assert isinstance(notes, QPlainTextEdit)
    notice = form.rows["action_points"].notices[0]
    notes.setFocus()
    qtbot.keyClicks(notes, f"Check referral {NHS_NUMBER} with the team")

    qtbot.waitUntil(notice.isVisible)
    assert "NHS number" in notice.message.text()
    assert "Modulus 11" in notice.message.text()
    assert NHS_NUMBER in notice.message.text()
    assert "Privacy warning" in notes.accessibleDescription()

    # Saving waits for an answer and says so; nothing is written.
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "may identify a client" in dialog.banner.text.text()
    assert [s for s in sessions(logbook) if s.date == date.today()] == []
    assert QApplication.focusWidget() is notice.keep_button

    # "Keep anyway" lets the save go ahead with the text as typed.
    notice.keep_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = [s for s in sessions(logbook) if s.date == date.today()]
    assert [s.action_points for s in saved] == [f"Check referral {NHS_NUMBER} with the team"]


def test_a_number_failing_the_modulus_11_check_does_not_warn(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    guard = dialog.form.guards[0]
    edit = guard.edit
    assert isinstance(edit, QLineEdit)
    edit.setText("ref 943 476 5918")
    assert guard.check() == []
    assert not guard.notice.isVisible()
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_kept_text_stays_quiet_but_a_new_identifier_warns_again(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    reflection = dialog.form.editor("reflection").focus_widget
    assert isinstance(reflection, QPlainTextEdit)
    notice = dialog.form.rows["reflection"].notices[0]
    reflection.setPlainText("My client John Smith reminded me of my father.")
    qtbot.waitUntil(notice.isVisible)
    assert "name after 'client'" in notice.message.text()
    notice.keep_button.click()
    assert not notice.isVisible()
    reflection.appendPlainText("Call back on 07700 900123.")
    qtbot.waitUntil(notice.isVisible)
    assert "phone number" in notice.message.text()
    assert "John Smith" not in notice.message.text()


def test_duplicate_copies_a_session_as_a_new_one_dated_today(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    original = sessions(logbook)[0]
    host = ServiceHost(logbook)
    dialog = open_editor(RecordKind.SUPERVISION, logbook, host, original, duplicate=True)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    assert "copy" in dialog.windowTitle()
    dialog.save_button.click()
    copy = host.created[0][0]
    assert isinstance(copy, SupervisionSession)
    assert copy.uid != original.uid
    assert copy.date == date.today()
    assert (copy.duration_minutes, copy.counterpart_uid, copy.mode) == (
        original.duration_minutes,
        original.counterpart_uid,
        original.mode,
    )
    assert logbook.records.get(RecordKind.SUPERVISION, original.uid) == original
    assert len(sessions(logbook)) == 4


def test_editing_a_session_updates_it(qtbot: QtBot, logbook: Logbook, supervisor: Person) -> None:
    original = sessions(logbook)[0]
    host = ServiceHost(logbook)
    dialog = open_editor(RecordKind.SUPERVISION, logbook, host, original)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    assert dialog.series is None  # a series is only for new sessions
    dialog.form.editor("duration_minutes").focus_widget.setText("45")  # type: ignore[attr-defined]
    dialog.save_button.click()
    stored = logbook.records.get(RecordKind.SUPERVISION, original.uid)
    assert isinstance(stored, SupervisionSession)
    assert (stored.duration_minutes, stored.revision) == (45, 2)
    assert host.created == []


def test_a_weekly_series_creates_every_session_at_once(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    host = ServiceHost(logbook)
    dialog = new_session_editor(qtbot, logbook, host)
    first = date(2026, 9, 7)
    dialog.form.editor("date").edit.setDate(first)  # type: ignore[attr-defined]
    series = dialog.series
    assert series is not None
    series.setChecked(True)
    series.frequency.setCurrentIndex(series.frequency.findData("weekly"))
    series.count.setValue(4)
    assert dialog.save_button.text() == "Save 4 sessions"
    assert "4 sessions" in series.preview.text()

    dialog.save_button.click()

    assert len(host.created) == 1
    assert [r.date for r in host.created[0]] == [  # type: ignore[attr-defined]
        first + timedelta(weeks=n) for n in range(4)
    ]
    assert len({r.uid for r in host.created[0]}) == 4
    assert [s.date for s in sessions(logbook) if s.date >= first] == [
        first + timedelta(weeks=n) for n in range(4)
    ]


def test_a_monthly_series_until_a_date_keeps_the_day_of_the_month(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    host = ServiceHost(logbook)
    dialog = new_session_editor(qtbot, logbook, host)
    dialog.form.editor("date").edit.setDate(date(2026, 1, 31))  # type: ignore[attr-defined]
    series = dialog.series
    assert series is not None
    series.setChecked(True)
    series.frequency.setCurrentIndex(series.frequency.findData("monthly"))
    series.until_radio.setChecked(True)
    series.until.setDate(date(2026, 4, 30))
    dialog.save_button.click()
    assert [r.date for r in host.created[0]] == [  # type: ignore[attr-defined]
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_a_series_ending_before_it_starts_is_refused_and_kept(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    host = ServiceHost(logbook)
    dialog = new_session_editor(qtbot, logbook, host)
    dialog.form.editor("date").edit.setDate(date(2026, 5, 10))  # type: ignore[attr-defined]
    series = dialog.series
    assert series is not None
    series.setChecked(True)
    series.until_radio.setChecked(True)
    series.until.setDate(date(2026, 5, 1))
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "ends before its first session" in dialog.banner.text.text()
    assert host.created == []
    assert series.isChecked()


def test_enter_on_the_first_field_logs_the_usual_session(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    (session,) = [s for s in sessions(logbook) if s.date == date.today()]
    assert (session.duration_minutes, session.counterpart_uid) == (90, supervisor.uid)


def test_an_edit_that_crossed_another_is_refused_and_kept(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    original = sessions(logbook)[0]
    dialog = open_editor(RecordKind.SUPERVISION, logbook, ServiceHost(logbook), original)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    # Meanwhile the same session is changed elsewhere (another window, an import).
    logbook.records.update(dataclasses.replace(original, duration_minutes=120))
    themes = dialog.form.editor("themes").focus_widget
    assert isinstance(themes, QLineEdit)
    themes.setText("formulation")

    dialog.save_button.click()

    assert dialog.isVisible()
    assert "changed elsewhere" in dialog.banner.text.text()
    assert themes.text() == "formulation"
    stored = logbook.records.get(RecordKind.SUPERVISION, original.uid)
    assert isinstance(stored, SupervisionSession)
    assert (stored.duration_minutes, stored.themes) == (120, ())


def test_keep_anyway_after_further_editing_waits_for_save(
    qtbot: QtBot, logbook: Logbook, supervisor: Person
) -> None:
    dialog = new_session_editor(qtbot, logbook, ServiceHost(logbook))
    notes = dialog.form.editor("action_points").focus_widget
    assert isinstance(notes, QPlainTextEdit)
    notice = dialog.form.rows["action_points"].notices[0]
    notes.setPlainText("Email sam@example.org")
    dialog.save_button.click()
    assert notice.isVisible()
    notes.setPlainText("Email sam@example.org about the rota")  # still editing
    qtbot.waitUntil(notice.isVisible)
    notice.keep_button.click()
    assert dialog.isVisible()  # kept, but not saved behind the user's back
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
