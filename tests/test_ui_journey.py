"""Whole journeys through the real window: first run, logging by keyboard, undo and redo,
a rejected save that keeps the form, and the privacy warning."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from logbook.domain.choices import OrganisationKind
from logbook.domain.records import Organisation, Person, Profile, RecordKind, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog
from logbook.ui.first_run import FirstRunWizard
from logbook.ui.main_window import MainWindow
from tests.ui_helpers import ctrl, focused, open_window, press, type_text, when_modal

NHS_NUMBER = "943 476 5919"  # passes the Modulus 11 check


def run_first_run_by_keyboard(qtbot: QtBot, logbook: Logbook) -> FirstRunWizard:
    wizard = FirstRunWizard(logbook)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    about = wizard.about
    about.name.setFocus()

    # Page 1: name, email, one registration with its renewal date.
    type_text(qtbot, "Sam Rivera")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is about.email
    type_text(qtbot, "sam@example.org")
    press(qtbot, Qt.Key.Key_Tab)
    registration = about.registrations.rows[0]
    assert focused() is registration["body"] or focused() is registration["body"].lineEdit()
    type_text(qtbot, "HCPC")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is registration["number"]
    type_text(qtbot, "PYL12345")
    press(qtbot, Qt.Key.Key_Return)  # Next
    assert wizard.currentPage() is wizard.work

    # Page 2: a charity employer and an NHS trust that supervises, and a current role.
    work = wizard.work
    first = work.organisations.rows[0]
    first["name"].setFocus()
    type_text(qtbot, "Leeds Mind")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is first["kind"]
    type_text(qtbot, "C")  # Charity / third sector
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is first["employer"]
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)  # past "supervises you"
    press(qtbot, Qt.Key.Key_Tab)  # past this row's Remove
    assert focused() is work.organisations.add_button
    press(qtbot, Qt.Key.Key_Space)
    second = work.organisations.rows[1]
    assert focused() is second["name"]
    type_text(qtbot, "Leeds and York Partnership NHS Foundation Trust")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "N")  # NHS board or trust
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is second["supervising"]
    press(qtbot, Qt.Key.Key_Space)
    role = work.roles.rows[0]
    role["title"].setFocus()
    type_text(qtbot, "Peer support worker")
    press(qtbot, Qt.Key.Key_Return)  # Next
    assert wizard.currentPage() is wizard.packs
    press(qtbot, Qt.Key.Key_Return)  # Start logging
    return wizard


def test_first_run_creates_the_profile_and_both_organisations(
    qtbot: QtBot, logbook: Logbook
) -> None:
    wizard = run_first_run_by_keyboard(qtbot, logbook)
    assert wizard.result() == QWizard.DialogCode.Accepted

    profile = logbook.records.profile()
    assert profile is not None
    assert profile.name == "Sam Rivera"
    assert [(r.body, r.number) for r in profile.registrations] == [("HCPC", "PYL12345")]
    assert profile.registrations[0].renewal_date is not None
    organisations = {o.name: o for o in logbook.records.all(RecordKind.ORGANISATION)}
    assert isinstance(mind := organisations["Leeds Mind"], Organisation)
    assert mind.organisation_kind is OrganisationKind.CHARITY
    assert (mind.employer, mind.supervising) == (True, False)
    trust = organisations["Leeds and York Partnership NHS Foundation Trust"]
    assert isinstance(trust, Organisation)
    assert trust.organisation_kind is OrganisationKind.NHS
    assert (trust.employer, trust.supervising) == (False, True)
    assert [(r.title, r.end, r.organisation_uid) for r in profile.roles] == [
        ("Peer support worker", None, mind.uid)
    ]


def test_first_run_without_a_name_saves_nothing(qtbot: QtBot, logbook: Logbook) -> None:
    wizard = FirstRunWizard(logbook)
    qtbot.addWidget(wizard)
    wizard.show()
    # The name is required: Next stays disabled and nothing is written.
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.about.name.setText("Sam")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert logbook.records.profile() is None


def test_journey_first_run_log_by_keyboard_see_totals_undo_redo(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    run_first_run_by_keyboard(qtbot, logbook)
    window = open_window(qtbot, logbook, location)

    ctrl(qtbot, Qt.Key.Key_2)
    assert window.current_key == "supervision"
    page = window.list_page(RecordKind.SUPERVISION)
    assert page.model.rowCount() == 0
    assert page.totals.text().startswith("0 sessions")

    ctrl(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: bool(window.editors) and window.editors[-1].isVisible())
    editor = window.editors[-1]
    assert isinstance(editor, RecordEditorDialog)
    qtbot.waitUntil(lambda: focused() is editor.form.editor("date").focus_widget)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.form.editor("duration_minutes").focus_widget
    ctrl(qtbot, Qt.Key.Key_A)
    type_text(qtbot, "1:30")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editor.isVisible())
    qtbot.waitUntil(window.isActiveWindow)
    assert focused() is page.view  # back in the list, ready for the next key

    # In the list, with its totals.
    assert page.model.rowCount() == 1
    shown = page.model.record(0)
    assert isinstance(shown, SupervisionSession)
    assert (shown.date, shown.duration_minutes) == (date.today(), 90)
    assert page.totals.text().startswith("1 session  ·  1.50 hours")

    # In the dashboard's hours this month.
    ctrl(qtbot, Qt.Key.Key_1)
    assert window.current_key == "dashboard"
    assert "Supervision received | 1.50 h | 1.50 h" in window.dashboard.hours_text()

    # Undo: gone from the logbook, the list and the dashboard.
    ctrl(qtbot, Qt.Key.Key_Z)
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    assert "Supervision received | 0.00 h | 0.00 h" in window.dashboard.hours_text()
    ctrl(qtbot, Qt.Key.Key_2)
    assert page.model.rowCount() == 0

    # Redo: back again, the same session.
    ctrl(qtbot, Qt.Key.Key_Z, shift=True)
    assert page.model.rowCount() == 1
    assert logbook.records.all(RecordKind.SUPERVISION) == [shown]
    assert page.totals.text().startswith("1 session  ·  1.50 hours")
    ctrl(qtbot, Qt.Key.Key_1)
    assert "Supervision received | 1.50 h | 1.50 h" in window.dashboard.hours_text()


def seeded(logbook: Logbook) -> tuple[Person, SupervisionSession]:
    trust = Organisation(name="NHS Lothian", supervising=True)
    person = Person(name="Dr Amira Shah", organisation_uid=trust.uid)
    session = SupervisionSession(
        date=date(2026, 3, 4),
        duration_minutes=60,
        counterpart_uid=person.uid,
        organisation_uid=trust.uid,
        themes=("formulation",),
    )
    logbook.records.create_many([Profile(name="Sam"), trust, person, session])
    return person, session


def test_edit_with_a_validation_error_keeps_the_form_and_the_record(
    qtbot: QtBot, logbook: Logbook
) -> None:
    _person, session = seeded(logbook)
    window = open_window(qtbot, logbook)
    window.show_section("supervision", focus=True)
    page = window.list_page(RecordKind.SUPERVISION)
    assert page.current_record() == session

    press(qtbot, Qt.Key.Key_Return)  # opens the selected entry
    qtbot.waitUntil(lambda: bool(window.editors))
    editor = window.editors[-1]
    assert isinstance(editor, RecordEditorDialog)
    duration = editor.form.editor("duration_minutes").focus_widget
    themes = editor.form.editor("themes").focus_widget
    assert isinstance(duration, QLineEdit)
    assert isinstance(themes, QLineEdit)
    duration.setText("0")
    themes.setText("formulation, endings")
    editor.save_button.click()

    assert editor.isVisible()
    assert "between 1 and 1440 minutes" in editor.form.problem_text("duration_minutes")
    assert duration.text() == "0"
    assert themes.text() == "formulation, endings"
    assert logbook.records.get(RecordKind.SUPERVISION, session.uid) == session
    assert not window.history.canUndo()

    duration.setText("75")
    editor.save_button.click()
    qtbot.waitUntil(lambda: not editor.isVisible())
    stored = logbook.records.get(RecordKind.SUPERVISION, session.uid)
    assert isinstance(stored, SupervisionSession)
    assert (stored.duration_minutes, stored.themes) == (75, ("formulation", "endings"))
    assert page.totals.text().startswith("1 session  ·  1.25 hours")

    # Undo restores the earlier content (as a newer revision, so history is kept).
    window.registry.trigger("edit.undo")
    restored = logbook.records.get(RecordKind.SUPERVISION, session.uid)
    assert isinstance(restored, SupervisionSession)
    assert (restored.duration_minutes, restored.themes) == (60, ("formulation",))
    assert restored.revision == 3
    assert page.totals.text().startswith("1 session  ·  1.00 hours")
    window.registry.trigger("edit.redo")
    again = logbook.records.get(RecordKind.SUPERVISION, session.uid)
    assert isinstance(again, SupervisionSession)
    assert again.duration_minutes == 75


def test_the_privacy_warning_appears_in_an_editor_opened_from_the_window(
    qtbot: QtBot, logbook: Logbook
) -> None:
    seeded(logbook)
    window = open_window(qtbot, logbook)
    window.show_section("supervision")
    editor = window.new_entry()
    assert isinstance(editor, RecordEditorDialog)
    action_points = editor.form.editor("action_points").focus_widget
    action_points.setFocus()
    qtbot.keyClicks(action_points, f"Check referral for client {NHS_NUMBER}")
    guard = next(g for g in editor.form.guards if g.edit is action_points)
    qtbot.waitUntil(guard.notice.isVisible)
    assert "NHS number" in guard.notice.message.text()

    before = logbook.records.count(RecordKind.SUPERVISION)
    editor.save_button.click()
    assert editor.isVisible()
    assert logbook.records.count(RecordKind.SUPERVISION) == before
    assert not window.history.canUndo()

    guard.notice.keep_button.click()  # keep it anyway: the waiting save goes ahead
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert logbook.records.count(RecordKind.SUPERVISION) == before + 1
    assert window.history.canUndo()


def test_delete_from_the_keyboard_and_undo(qtbot: QtBot, logbook: Logbook) -> None:
    _person, session = seeded(logbook)
    window = open_window(qtbot, logbook)
    window.preferences.set("confirm_delete", False)
    window.show_section("supervision", focus=True)
    page = window.list_page(RecordKind.SUPERVISION)
    press(qtbot, Qt.Key.Key_Delete)
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    assert page.model.rowCount() == 0
    assert "Delete supervision on 04 Mar 2026" in window.history.undoText()
    ctrl(qtbot, Qt.Key.Key_Z)
    assert logbook.records.all(RecordKind.SUPERVISION) == [session]
    assert page.model.rowCount() == 1


def test_a_person_still_referred_to_is_not_deleted(qtbot: QtBot, logbook: Logbook) -> None:
    person, _session = seeded(logbook)
    window = open_window(qtbot, logbook)
    window.preferences.set("confirm_delete", False)
    window.show_section("people", focus=True)
    page = window.list_page(RecordKind.PERSON)
    assert page.current_record() == person
    messages: list[str] = []

    def read_and_close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        messages.append(box.text())
        box.close()

    when_modal(read_and_close)
    assert not window.delete_selected()
    assert len(messages) == 1
    assert "still used by 1 supervision" in messages[0]
    assert logbook.records.get(RecordKind.PERSON, person.uid) == person
    assert not window.history.canUndo()


def test_every_section_opens_by_its_shortcut(qtbot: QtBot, logbook: Logbook) -> None:
    seeded(logbook)
    window = open_window(qtbot, logbook)
    keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]
    keys += [Qt.Key.Key_6, Qt.Key.Key_7, Qt.Key.Key_8, Qt.Key.Key_9, Qt.Key.Key_0]
    seen = []
    for key in keys:
        ctrl(qtbot, key)
        seen.append(window.current_key)
        assert window.stack.currentWidget().accessibleName() == window.sidebar.currentItem().text()
    assert seen == [
        "dashboard",
        "supervision",
        "practice",
        "courses",
        "cpd",
        "personal_practice",
        "pathways",
        "signoff",
        "people",
        "requirements",
    ]


def test_every_control_has_an_accessible_name(qtbot: QtBot, logbook: Logbook) -> None:
    seeded(logbook)
    window = open_window(qtbot, logbook)
    for key in window.section_keys:
        window.show_section(key)
    # Every page: sidebar, toolbar, lists, filters, dashboard, sign-off and requirements.
    roots = [window.sidebar, window.toolbar, window.statusBar()]
    roots += [window.frames[key] for key in window.section_keys]
    controls = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QDateEdit, QCheckBox)
    unnamed = [
        f"{type(widget).__name__} {widget.objectName()}"
        for root in roots
        for kind in controls
        for widget in [root, *root.findChildren(kind)]
        if isinstance(widget, kind)
        and not isinstance(widget, QHeaderView)
        and widget.isVisibleTo(window)
        and not (widget.accessibleName() or _text(widget))
    ]
    assert not unnamed
    assert window.toolbar.findChildren(QAbstractButton)


def _text(widget: object) -> str:
    text = getattr(widget, "text", None)
    return str(text()) if callable(text) else ""


def test_window_geometry_section_and_columns_are_remembered(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    seeded(logbook)
    window = open_window(qtbot, logbook, location)
    window.resize(787, 555)
    window.show_section("supervision")
    header = window.list_page(RecordKind.SUPERVISION).view.horizontalHeader()
    header.resizeSection(2, 222)
    header.moveSection(3, 0)
    window.close()

    again = open_window(qtbot, logbook, location)
    assert again.current_key == "supervision"
    assert (again.width(), again.height()) == (787, 555)
    header = again.list_page(RecordKind.SUPERVISION).view.horizontalHeader()
    assert header.sectionSize(2) == 222
    assert header.logicalIndex(0) == 3


def test_window_follows_light_and_dark(qtbot: QtBot, logbook: Logbook) -> None:
    seeded(logbook)
    window: MainWindow = open_window(qtbot, logbook)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        window.apply_theme("dark")
        dark = app.palette().window().color().lightness()
        window.apply_theme("light")
        light = app.palette().window().color().lightness()
    finally:
        window.apply_theme("light")
    assert dark < 60 < 200 < light


def test_records_added_elsewhere_show_when_the_section_is_shown(
    qtbot: QtBot, logbook: Logbook
) -> None:
    seeded(logbook)
    window = open_window(qtbot, logbook)
    window.show_section("supervision")
    page = window.list_page(RecordKind.SUPERVISION)
    assert page.model.rowCount() == 1
    window.show_section("dashboard")
    # The sign-off page or a requirement pathway can write records without the lists knowing.
    logbook.records.create(SupervisionSession(date=date(2026, 3, 11), duration_minutes=45))
    window.show_section("supervision")
    assert page.model.rowCount() == 2
    assert page.totals.text().startswith("2 sessions  ·  1.75 hours")


def test_about_box_and_shortcut_list(qtbot: QtBot, logbook: Logbook) -> None:
    from logbook import __version__

    seeded(logbook)
    window = open_window(qtbot, logbook)
    seen: list[str] = []

    def read_about(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.close()

    when_modal(read_about)
    window.registry.trigger("help.about")
    assert f"Practice Logbook {__version__}" in seen[0]
    assert str(logbook.path) in seen[0]

    def read_shortcuts(dialog: QWidget) -> None:
        from PySide6.QtWidgets import QTableWidget

        table = dialog.findChild(QTableWidget)
        assert table is not None
        seen.extend(
            f"{table.item(r, 0).text()}={table.item(r, 1).text()}" for r in range(table.rowCount())
        )
        dialog.close()

    when_modal(read_shortcuts)
    window.registry.trigger("help.shortcuts")
    assert "Undo=Ctrl+Z" in seen
    assert "Supervision=Ctrl+2" in seen
    assert "Requirements=Ctrl+0" in seen
    assert any(line.startswith("New") and "Ctrl+N" in line for line in seen)
