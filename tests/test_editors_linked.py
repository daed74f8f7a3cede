"""Forms that fit the work: contact-only peer support, and fields that follow a choice made in
the form (a supervisor's usual session, a course's details, a retreat's days, a milestone's
completion date) without overwriting what the user changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from logbook.domain import choices as c
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Milestone,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
)
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.editors.fields import FieldEditor
from tests.editor_helpers import ServiceHost

K = RecordKind


OPENED: list[RecordEditorDialog] = []


@pytest.fixture(autouse=True)
def _closed_without_asking() -> Iterator[None]:
    """Close what a test left open (a failed one too) without the "discard?" question."""
    yield
    while OPENED:
        dialog = OPENED.pop()
        if dialog.isVisible():
            close(dialog)
        dialog.deleteLater()


def open_dialog(
    qtbot: QtBot, logbook: Logbook, kind: RecordKind, record: Record | None = None
) -> RecordEditorDialog:
    dialog = open_editor(kind, logbook, ServiceHost(logbook), record)
    assert isinstance(dialog, RecordEditorDialog)
    OPENED.append(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def choose(editor: FieldEditor, value: object) -> None:
    """Pick an item of a choice or reference field, as a user picking from its list."""
    combo = editor.focus_widget
    assert isinstance(combo, QComboBox)
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not offered"
    combo.setCurrentIndex(index)


def type_into(qtbot: QtBot, editor: FieldEditor, text: str) -> None:
    """Replace a text field's contents by typing, then leave it."""
    line = editor.focus_widget
    assert isinstance(line, QLineEdit)
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(line, text)
    else:
        qtbot.keyClick(line, Qt.Key.Key_Delete)
    line.editingFinished.emit()


def close(dialog: RecordEditorDialog) -> None:
    """Close without saving and without asking (the test has seen what it needed)."""
    dialog.done(RecordEditorDialog.DialogCode.Rejected)


def save(dialog: RecordEditorDialog) -> Record:
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text.text()
    (saved,) = dialog.saved
    return saved


# --- peer-support contacts ---------------------------------------------------------------------


def test_a_peer_support_contact_is_saved_without_a_duration_and_adds_no_hours(
    qtbot: QtBot, logbook: Logbook
) -> None:
    # The last entry was therapy: its duration, client group and model are the defaults.
    logbook.records.create(
        PracticeEntry(
            date=date(2025, 3, 2),
            duration_minutes=50,
            client_group="adults with anxiety",
            intervention="CBT",
        )
    )
    dialog = open_dialog(qtbot, logbook, K.PRACTICE)
    form = dialog.form
    assert form.rows["client_group"].isVisible()

    choose(form.editor("activity"), c.PracticeActivity.PEER_SUPPORT)
    assert not form.rows["client_group"].isVisible()
    assert not form.rows["intervention"].isVisible()
    assert form.labels["duration_minutes"].text() == "Duration (optional)"
    assert form.labels["clients"].text() == "Contacts"
    type_into(qtbot, form.editor("duration_minutes"), "")
    choose(form.editor("setting"), c.Setting.COMMUNITY)
    form.editor("clients").focus_widget.setValue(3)  # type: ignore[attr-defined]
    saved = save(dialog)

    stored = logbook.records.get(K.PRACTICE, saved.uid)
    assert isinstance(stored, PracticeEntry)
    assert stored.contact_only
    assert (stored.duration_minutes, stored.clients, stored.setting) == (0, 3, c.Setting.COMMUNITY)
    assert (stored.client_group, stored.intervention) == ("", "")
    total = logbook.records.summarise(RecordQuery(K.PRACTICE, subtypes=frozenset({"peer_support"})))
    assert (total.count, total.minutes) == (1, 0)

    # The next entry starts as another contact, not with the usual therapy session's length.
    again = open_dialog(qtbot, logbook, K.PRACTICE)
    assert again.form.current_values()["duration_minutes"] == 0
    assert again.form.current_values()["activity"] is c.PracticeActivity.PEER_SUPPORT
    close(again)


def test_editing_an_older_peer_support_entry_keeps_what_its_hidden_fields_held(
    qtbot: QtBot, logbook: Logbook
) -> None:
    """Client group and model are hidden for peer support; an entry saved with them before
    keeps them when another field is edited."""
    older = logbook.records.create(
        PracticeEntry(
            date=date(2025, 3, 2),
            duration_minutes=45,
            activity=c.PracticeActivity.PEER_SUPPORT,
            client_group="adults",
            intervention="peer support",
        )
    ).record
    dialog = open_dialog(qtbot, logbook, K.PRACTICE, older)
    assert not dialog.form.rows["client_group"].isVisible()
    type_into(qtbot, dialog.form.editor("duration_minutes"), "50")

    save(dialog)

    stored = logbook.records.get(K.PRACTICE, older.uid)
    assert isinstance(stored, PracticeEntry)
    assert (stored.duration_minutes, stored.client_group, stored.intervention) == (
        50,
        "adults",
        "peer support",
    )


def test_therapy_practice_still_needs_its_duration(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = open_dialog(qtbot, logbook, K.PRACTICE)
    form = dialog.form
    assert form.labels["duration_minutes"].text() == "Duration"
    type_into(qtbot, form.editor("duration_minutes"), "")
    dialog.save_button.click()
    assert "duration is required" in form.problem_text("duration_minutes").lower()
    assert logbook.records.count(K.PRACTICE) == 0
    type_into(qtbot, form.editor("duration_minutes"), "50")
    assert save(dialog).duration_minutes == 50  # type: ignore[attr-defined]


# --- supervisors -------------------------------------------------------------------------------


@pytest.fixture
def supervisors(logbook: Logbook) -> dict[str, Record]:
    """Two supervisors: the last session was with Amira (NHS); Dawn (Mind) is picked next."""
    trust = Organisation(name="NHS Lothian", supervising=True)
    mind = Organisation(name="Edinburgh Mind", supervising=True)
    amira = Person(name="Dr Amira Shah", organisation_uid=trust.uid)
    dawn = Person(name="Dawn Mitchell", organisation_uid=mind.uid)
    sessions = [
        SupervisionSession(
            date=date(2025, 1, 8),
            duration_minutes=45,
            counterpart_uid=dawn.uid,
            organisation_uid=mind.uid,
            supervision_type=c.SupervisionType.MANAGEMENT,
            mode=c.Mode.TELEPHONE,
        ),
        SupervisionSession(
            date=date(2025, 1, 20),
            duration_minutes=90,
            counterpart_uid=amira.uid,
            organisation_uid=trust.uid,
            supervision_type=c.SupervisionType.CLINICAL_SKILLS,
            mode=c.Mode.VIDEO,
        ),
    ]
    logbook.records.create_many([trust, mind, amira, dawn, *sessions])
    return {"trust": trust, "mind": mind, "amira": amira, "dawn": dawn}


def test_picking_a_supervisor_fills_their_organisation_and_usual_session(
    qtbot: QtBot, logbook: Logbook, supervisors: dict[str, Record]
) -> None:
    dialog = open_dialog(qtbot, logbook, K.SUPERVISION)
    form = dialog.form
    assert form.current_values()["counterpart_uid"] == supervisors["amira"].uid

    choose(form.editor("counterpart_uid"), supervisors["dawn"].uid)
    values = form.current_values()
    assert values["organisation_uid"] == supervisors["mind"].uid
    assert values["supervision_type"] is c.SupervisionType.MANAGEMENT
    assert values["mode"] is c.Mode.TELEPHONE
    assert values["duration_minutes"] == 45
    saved = save(dialog)
    stored = logbook.records.get(K.SUPERVISION, saved.uid)
    assert isinstance(stored, SupervisionSession)
    assert (stored.counterpart_uid, stored.organisation_uid) == (
        supervisors["dawn"].uid,
        supervisors["mind"].uid,
    )
    assert (stored.supervision_type, stored.mode, stored.duration_minutes) == (
        c.SupervisionType.MANAGEMENT,
        c.Mode.TELEPHONE,
        45,
    )


def test_picking_a_supervisor_never_overwrites_what_was_changed(
    qtbot: QtBot, logbook: Logbook, supervisors: dict[str, Record]
) -> None:
    dialog = open_dialog(qtbot, logbook, K.SUPERVISION)
    form = dialog.form
    type_into(qtbot, form.editor("duration_minutes"), "1:15")
    choose(form.editor("supervision_type"), c.SupervisionType.PEER)

    choose(form.editor("counterpart_uid"), supervisors["dawn"].uid)
    values = form.current_values()
    assert values["duration_minutes"] == 75  # typed
    assert values["supervision_type"] is c.SupervisionType.PEER  # chosen
    assert values["organisation_uid"] == supervisors["mind"].uid  # untouched: filled
    assert values["mode"] is c.Mode.TELEPHONE

    # Chosen once, the organisation stays chosen whoever is picked afterwards.
    choose(form.editor("organisation_uid"), supervisors["trust"].uid)
    choose(form.editor("counterpart_uid"), supervisors["amira"].uid)
    choose(form.editor("counterpart_uid"), supervisors["dawn"].uid)
    assert form.current_values()["organisation_uid"] == supervisors["trust"].uid
    saved = save(dialog)
    assert isinstance(saved, SupervisionSession)
    assert (saved.duration_minutes, saved.supervision_type) == (75, c.SupervisionType.PEER)


def test_a_supervisor_with_no_sessions_yet_brings_only_their_organisation(
    qtbot: QtBot, logbook: Logbook, supervisors: dict[str, Record]
) -> None:
    charity = Organisation(name="Penumbra")
    newcomer = Person(name="Morag Campbell", organisation_uid=charity.uid)
    logbook.records.create_many([charity, newcomer])
    dialog = open_dialog(qtbot, logbook, K.SUPERVISION)
    before = dialog.form.current_values()
    choose(dialog.form.editor("counterpart_uid"), newcomer.uid)
    after = dialog.form.current_values()
    assert after["organisation_uid"] == charity.uid
    for name in ("supervision_type", "mode", "duration_minutes"):
        assert after[name] == before[name]
    close(dialog)


def test_editing_a_saved_session_keeps_its_details_when_the_supervisor_changes(
    qtbot: QtBot, logbook: Logbook, supervisors: dict[str, Record]
) -> None:
    (session,) = [
        s
        for s in logbook.records.all(K.SUPERVISION)
        if isinstance(s, SupervisionSession) and s.counterpart_uid == supervisors["amira"].uid
    ]
    dialog = open_dialog(qtbot, logbook, K.SUPERVISION, session)
    choose(dialog.form.editor("counterpart_uid"), supervisors["dawn"].uid)
    saved = save(dialog)
    assert isinstance(saved, SupervisionSession)
    assert saved.counterpart_uid == supervisors["dawn"].uid
    assert (saved.organisation_uid, saved.duration_minutes, saved.mode) == (
        supervisors["trust"].uid,
        90,
        c.Mode.VIDEO,
    )


# --- courses -----------------------------------------------------------------------------------


def test_picking_a_course_fills_its_population_and_role(qtbot: QtBot, logbook: Logbook) -> None:
    centre = Organisation(name="Maggie's Edinburgh")
    course = TeachingCourse(
        title="MBCT for chronic pain, spring",
        role=c.TeachingRole.CO_TEACHER,
        population="adults with chronic pain",
        setting=c.Setting.COMMUNITY,
        organisation_uid=centre.uid,
        start_date=date(2025, 3, 4),
    )
    logbook.records.create_many([centre, course])
    dialog = open_dialog(qtbot, logbook, K.PRACTICE)
    form = dialog.form
    choose(form.editor("activity"), c.PracticeActivity.COURSE_SESSION)
    choose(form.editor("course_uid"), course.uid)
    values = form.current_values()
    assert values["client_group"] == "adults with chronic pain"
    assert values["role"] is c.FacilitationRole.CO_FACILITATOR
    assert values["setting"] is c.Setting.COMMUNITY
    assert values["organisation_uid"] == centre.uid
    saved = save(dialog)
    assert isinstance(saved, PracticeEntry)
    assert saved.client_group == "adults with chronic pain"


def test_a_course_never_replaces_a_client_group_already_typed(
    qtbot: QtBot, logbook: Logbook
) -> None:
    course = TeachingCourse(title="MBSR", population="staff", start_date=date(2025, 3, 4))
    logbook.records.create(course)
    dialog = open_dialog(qtbot, logbook, K.PRACTICE)
    type_into(qtbot, dialog.form.editor("client_group"), "older adults")
    choose(dialog.form.editor("course_uid"), course.uid)
    assert dialog.form.current_values()["client_group"] == "older adults"
    assert dialog.form.current_values()["role"] is c.FacilitationRole.LEAD  # untouched: filled
    close(dialog)


# --- retreats ----------------------------------------------------------------------------------


def test_a_retreat_counts_its_days_from_its_dates(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = open_dialog(qtbot, logbook, K.PERSONAL_PRACTICE)
    form = dialog.form
    choose(form.editor("practice_kind"), c.PersonalPracticeKind.RETREAT)
    type_into(qtbot, form.editor("title"), "Silent retreat, Gaia House")
    type_into(qtbot, form.editor("start_date"), "16/11/2025")
    type_into(qtbot, form.editor("end_date"), "20/11/2025")
    days = form.editor("days").focus_widget
    assert days.value() == 5.0  # type: ignore[attr-defined]
    assert "5.0 days" in days.text()  # type: ignore[attr-defined]

    # Days stay editable; once changed, a later change of dates leaves them alone.
    days.setValue(4.5)  # type: ignore[attr-defined]
    type_into(qtbot, form.editor("end_date"), "21/11/2025")
    assert days.value() == 4.5  # type: ignore[attr-defined]
    saved = save(dialog)
    assert isinstance(saved, PersonalPractice)
    assert (saved.start_date, saved.end_date, saved.days) == (
        date(2025, 11, 16),
        date(2025, 11, 21),
        4.5,
    )


def test_a_saved_retreat_follows_new_dates_only_while_its_days_match_them(
    qtbot: QtBot, logbook: Logbook
) -> None:
    counted = PersonalPractice(
        start_date=date(2025, 11, 16),
        end_date=date(2025, 11, 20),
        practice_kind=c.PersonalPracticeKind.RETREAT,
        days=5,
    )
    logbook.records.create(counted)
    dialog = open_dialog(qtbot, logbook, K.PERSONAL_PRACTICE, counted)
    type_into(qtbot, dialog.form.editor("end_date"), "22/11/2025")
    assert dialog.form.current_values()["days"] == 7.0
    close(dialog)

    halved = PersonalPractice(
        start_date=date(2025, 10, 1),
        end_date=date(2025, 10, 3),
        practice_kind=c.PersonalPracticeKind.RETREAT,
        days=2.5,
    )
    logbook.records.create(halved)
    dialog = open_dialog(qtbot, logbook, K.PERSONAL_PRACTICE, halved)
    type_into(qtbot, dialog.form.editor("end_date"), "04/10/2025")
    assert dialog.form.current_values()["days"] == 2.5
    close(dialog)


# --- milestones --------------------------------------------------------------------------------


def test_marking_a_milestone_complete_dates_it_today_and_saves(
    qtbot: QtBot, logbook: Logbook
) -> None:
    pathway = Pathway(title="Peer support worker induction")
    logbook.records.create(pathway)
    dialog = open_dialog(qtbot, logbook, K.MILESTONE)
    form = dialog.form
    type_into(qtbot, form.editor("title"), "Safeguarding adults and children")
    choose(form.editor("status"), c.MilestoneStatus.COMPLETE)
    assert form.rows["completed_on"].isVisible()
    assert form.current_values()["completed_on"] == date.today()
    saved = save(dialog)
    stored = logbook.records.get(K.MILESTONE, saved.uid)
    assert isinstance(stored, Milestone)
    assert (stored.status, stored.completed_on) == (c.MilestoneStatus.COMPLETE, date.today())


def test_a_completion_date_typed_in_stays_when_the_status_changes_back(
    qtbot: QtBot, logbook: Logbook
) -> None:
    pathway = Pathway(title="MHWP training")
    logbook.records.create(pathway)
    dialog = open_dialog(qtbot, logbook, K.MILESTONE)
    form = dialog.form
    type_into(qtbot, form.editor("title"), "Case-load review")
    choose(form.editor("status"), c.MilestoneStatus.COMPLETE)
    type_into(qtbot, form.editor("completed_on"), "02/03/2025")
    choose(form.editor("status"), c.MilestoneStatus.IN_PROGRESS)
    choose(form.editor("status"), c.MilestoneStatus.COMPLETE)
    assert form.current_values()["completed_on"] == date(2025, 3, 2)
    saved = save(dialog)
    assert isinstance(saved, Milestone)
    assert saved.completed_on == date(2025, 3, 2)
