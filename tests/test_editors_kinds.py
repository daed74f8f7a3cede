"""Every record kind's editor: opens, saves a valid record, and round-trips through the database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain import choices as c
from logbook.domain.records import (
    Attestation,
    CpdActivity,
    FeedbackEntry,
    Milestone,
    Organisation,
    Pathway,
    Person,
    PersonalPractice,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    ReflectiveAccount,
    Registration,
    RoleSpell,
    SupervisionSession,
    TeachingCourse,
)
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, create_form, open_editor
from logbook.ui.editors.fields import (
    DurationEditor,
    FieldEditor,
    LineEditor,
    ReferenceEditor,
    RowsEditor,
    TextEditor,
)
from logbook.ui.editors.kinds import FORMS
from tests.editor_helpers import ServiceHost, show, when_modal

K = RecordKind

# What a user must type for a new record of each kind to be valid.
REQUIRED: dict[RecordKind, dict[str, str]] = {
    K.SUPERVISION: {},
    K.PRACTICE: {},
    K.COURSE: {"title": "MBCT for recurrent depression, spring"},
    K.CPD: {"title": "Working with chronic pain", "duration_minutes": "6h"},
    K.PERSONAL_PRACTICE: {},
    K.PATHWAY: {"title": "Scottish NHS Mindfulness pathway"},
    K.MILESTONE: {"title": "Co-teach a first MBCT course"},
    K.FEEDBACK: {"summary": "Colleague valued the clear session plans"},
    K.REFLECTIVE_ACCOUNT: {"title": "Managing a session that overran"},
    K.ATTESTATION: {"by_name": "Morag Campbell"},
    K.PERSON: {"name": "Dr Amira Shah"},
    K.ORGANISATION: {"name": "Edinburgh Mind"},
    K.PROFILE: {"name": "Alex Morgan"},
}


@pytest.fixture
def refs(logbook: Logbook) -> dict[str, Record]:
    """A person, an organisation, a course and a pathway for pickers to offer."""
    trust = Organisation(name="NHS Lothian", organisation_kind=c.OrganisationKind.NHS)
    person = Person(name="Dr Amira Shah", organisation_uid=trust.uid)
    course = TeachingCourse(title="MBCT autumn", start_date=date(2026, 9, 1))
    pathway = Pathway(title="Conversion to MBCT", pathway_kind=c.PathwayKind.CONVERSION)
    logbook.records.create_many([trust, person, course, pathway])
    return {"org": trust, "person": person, "course": course, "pathway": pathway}


def type_text(editor: FieldEditor, text: str) -> None:
    widget = editor.focus_widget
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    else:
        assert isinstance(widget, QLineEdit)
        widget.setText(text)


def open_dialog(
    qtbot: QtBot, logbook: Logbook, kind: RecordKind, record: Record | None = None
) -> tuple[RecordEditorDialog, ServiceHost]:
    host = ServiceHost(logbook)
    dialog = open_editor(kind, logbook, host, record)
    assert isinstance(dialog, RecordEditorDialog)
    show(qtbot, dialog)
    return dialog, host


def test_every_kind_but_attachments_has_an_editor() -> None:
    assert set(FORMS) == set(RecordKind) - {RecordKind.ATTACHMENT}


@pytest.mark.parametrize("kind", list(FORMS), ids=lambda k: k.value)
def test_new_record_of_every_kind_saves_and_round_trips(
    qtbot: QtBot, logbook: Logbook, refs: dict[str, Record], kind: RecordKind
) -> None:
    dialog, host = open_dialog(qtbot, logbook, kind)
    for name, text in REQUIRED[kind].items():
        type_text(dialog.form.editor(name), text)
    dialog.save_button.click()

    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text.text()
    (saved,) = dialog.saved
    assert host.created == [[saved]]
    stored = logbook.records.get(kind, saved.uid)
    assert stored == saved
    for name, text in REQUIRED[kind].items():
        if name != "duration_minutes":
            assert getattr(stored, name) == text
    for flag in ("reflection_private", "private"):
        if hasattr(stored, flag) and kind is not RecordKind.PROFILE:
            assert getattr(stored, flag) is True, "reflections start private"
    assert (dialog.attachments is not None) == (kind not in (K.PERSON, K.ORGANISATION, K.PROFILE))


def rich_records(refs: dict[str, Record]) -> list[Record]:
    """A record of each kind with every field away from its default."""
    person, org, course, pathway = refs["person"], refs["org"], refs["course"], refs["pathway"]
    return [
        SupervisionSession(
            date=date(2026, 3, 2),
            duration_minutes=75,
            direction=c.Direction.GIVEN,
            counterpart_uid=person.uid,
            organisation_uid=org.uid,
            supervision_type=c.SupervisionType.MINDFULNESS,
            format=c.SupervisionFormat.GROUP,
            group_size=4,
            mode=c.Mode.TELEPHONE,
            setting=c.Setting.PRISON,
            course_uid=course.uid,
            live=True,
            themes=("inquiry", "group process"),
            action_points="Prepare the body scan script",
            reflection="I talk too much in inquiry.",
            reflection_private=False,
        ),
        PracticeEntry(
            date=date(2026, 3, 3),
            duration_minutes=50,
            activity=c.PracticeActivity.GUIDED_SELF_HELP,
            setting=c.Setting.GAMBLING_HARMS,
            delivery=c.Delivery.VIDEO,
            client_group="adults with gambling harms",
            intervention="CBT",
            supervised=False,
            role=c.FacilitationRole.CO_FACILITATOR,
            clients=3,
            did_not_attend=True,
            organisation_uid=org.uid,
            course_uid=course.uid,
            notes="Low attendance this week",
        ),
        TeachingCourse(
            title="MBSR evenings",
            curriculum=c.Curriculum.MBSR,
            role=c.TeachingRole.CO_TEACHER,
            share_percent=50,
            population="NHS staff wellbeing",
            setting=c.Setting.COMMUNITY,
            organisation_uid=org.uid,
            co_teacher_uid=person.uid,
            start_date=date(2026, 1, 7),
            end_date=date(2026, 2, 25),
            sessions_planned=8,
            sessions_delivered=7,
            participants=12,
            notes="Week 4 cancelled for snow",
            reflection="Co-teaching felt natural by week 3.",
            reflection_private=True,
        ),
        CpdActivity(
            start_date=date(2026, 2, 9),
            end_date=date(2026, 2, 10),
            title="Compassion-focused therapy skills",
            provider="University of Stirling",
            duration_minutes=13 * 60,
            cpd_type=c.CpdType.SPECIALIST_TRAINING,
            participatory=False,
            skills_focused=True,
            standard_link="BABCP standards: skills",
            learning_outcomes="Formulating shame",
            reflection="Useful for my chronic pain group.",
            reflection_private=False,
        ),
        PersonalPractice(
            start_date=date(2026, 4, 10),
            end_date=date(2026, 4, 14),
            practice_kind=c.PersonalPracticeKind.RETREAT,
            mode=c.RetreatMode.RESIDENTIAL,
            days=4.5,
            silence_percent=90,
            teacher_led=True,
            title="Silent retreat",
            notes="Mostly silent",
        ),
        Milestone(
            pathway_uid=pathway.uid,
            title="8-week course as participant",
            sequence=2,
            status=c.MilestoneStatus.COMPLETE,
            route=c.ConversionRoute.COURSE_PARTICIPANT,
            due_date=date(2026, 6, 30),
            completed_on=date(2026, 5, 20),
            assessor_uid=person.uid,
            evidence="Certificate of attendance",
            notes="Took the Tuesday group",
        ),
        FeedbackEntry(
            date=date(2026, 3, 9),
            source=c.FeedbackSource.MANAGER,
            summary="Clear and warm teaching",
            reflection="Keep the pace slow.",
            reflection_private=False,
        ),
        ReflectiveAccount(
            date=date(2026, 3, 10),
            title="Endings",
            experience="A group ended abruptly",
            learning="Plan endings from week 1",
            change_in_practice="Ending plan in session 6",
            code_themes=("Practise effectively", "Preserve safety"),
            private=False,
        ),
        Attestation(
            date=date(2026, 3, 11),
            attestation_kind=c.AttestationKind.CONFIRMATION,
            by_name="Morag Campbell",
            by_role="Line manager",
            by_registration="NMC 12A3456B",
            notes="Confirmation meeting",
        ),
        Person(
            name="Jo Reid",
            organisation_uid=org.uid,
            roles=("mentor", "assessor"),
            registration_body="HCPC",
            registration_number="PYL12345",
            email="jo.reid@example.org",
            notes="Mentor for conversion",
        ),
        Organisation(
            name="Edinburgh Mind",
            organisation_kind=c.OrganisationKind.CHARITY,
            employer=True,
            supervising=True,
            notes="Peer support team",
        ),
        Profile(
            name="Alex Morgan",
            email="alex@example.org",
            qualified_on=date(2019, 7, 1),
            roles=(
                RoleSpell(title="Trainee PWP", start=date(2018, 9, 1), end=date(2019, 6, 30)),
                RoleSpell(title="PWP", start=date(2019, 7, 1), organisation_uid=org.uid),
            ),
            registrations=(
                Registration(
                    body="BABCP",
                    number="123456",
                    registered_on=date(2019, 8, 1),
                    renewal_date=date(2027, 8, 1),
                ),
            ),
            client_groups=("adults", "older adults"),
            followed_packs=("babcp_pwp",),
        ),
    ]


@pytest.mark.parametrize(
    "index", range(12), ids=lambda i: [r.kind.value for r in rich_records(_dummy_refs())][i]
)
def test_editing_keeps_every_field_and_saves_a_change(
    qtbot: QtBot, logbook: Logbook, refs: dict[str, Record], index: int
) -> None:
    record = rich_records(refs)[index]
    logbook.records.create(record)
    stored = logbook.records.get(record.kind, record.uid)
    dialog, host = open_dialog(qtbot, logbook, record.kind, stored)

    # Loading the record into the form and reading it back changes nothing.
    unchanged, problems = dialog.form.collect()
    assert problems == []
    assert unchanged == stored

    text_field = next(
        e.spec.name
        for e in dialog.form.editors
        if isinstance(e, LineEditor | TextEditor) and e.spec.editor in ("line", "text")
    )
    type_text(dialog.form.editor(text_field), "Changed in the editor")
    dialog.save_button.click()

    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text.text()
    after = logbook.records.get(record.kind, record.uid)
    assert getattr(after, text_field) == "Changed in the editor"
    assert after.revision == stored.revision + 1
    assert host.updated
    assert not host.created


def _dummy_refs() -> dict[str, Record]:
    return {
        "org": Organisation(name="o"),
        "person": Person(name="p"),
        "course": TeachingCourse(title="c", start_date=date(2026, 1, 1)),
        "pathway": Pathway(title="p"),
    }


def test_a_retreat_counts_days_not_minutes(qtbot: QtBot, logbook: Logbook) -> None:
    dialog, _ = open_dialog(qtbot, logbook, K.PERSONAL_PRACTICE)
    form = dialog.form
    assert form.rows["duration_minutes"].isVisible()
    assert not form.rows["days"].isVisible()
    form.editor("practice_kind").set_value(c.PersonalPracticeKind.RETREAT)  # type: ignore[attr-defined]
    assert form.rows["days"].isVisible()
    assert form.rows["silence_percent"].isVisible()
    assert not form.rows["duration_minutes"].isVisible()
    assert form.current_values()["days"] == 1.0  # a retreat with no end date lasts a day

    form.editor("days").spin.setValue(0)  # type: ignore[attr-defined]
    dialog.save_button.click()
    assert "retreat days" in form.problem_text("days").lower()
    form.editor("days").spin.setValue(2.5)  # type: ignore[attr-defined]
    form.editor("silence_percent").spin.setValue(80)  # type: ignore[attr-defined]
    dialog.save_button.click()
    (saved,) = dialog.saved
    assert isinstance(saved, PersonalPractice)
    assert (saved.days, saved.silence_percent, saved.duration_minutes) == (2.5, 80, 0)


def test_a_milestone_shows_its_completion_date_only_when_complete(
    qtbot: QtBot, logbook: Logbook, refs: dict[str, Record]
) -> None:
    dialog, _ = open_dialog(qtbot, logbook, K.MILESTONE)
    form = dialog.form
    type_text(form.editor("title"), "Individual mentoring")
    assert form.current_values()["pathway_uid"] == refs["pathway"].uid
    assert not form.rows["completed_on"].isVisible()
    form.editor("status").set_value(c.MilestoneStatus.COMPLETE)  # type: ignore[attr-defined]
    form.editor("route").set_value(c.ConversionRoute.MENTORING)  # type: ignore[attr-defined]
    assert form.rows["completed_on"].isVisible()
    assert form.current_values()["completed_on"] == date.today()  # marked complete today
    form.editor("completed_on").focus_widget.clear()  # type: ignore[attr-defined]
    dialog.save_button.click()
    assert "completion date" in form.problem_text("completed_on")
    type_text(form.editor("completed_on"), "today")
    dialog.save_button.click()
    (saved,) = dialog.saved
    assert isinstance(saved, Milestone)
    assert saved.route is c.ConversionRoute.MENTORING
    assert saved.completed_on == date.today()


def test_a_milestone_needs_a_pathway(qtbot: QtBot, logbook: Logbook) -> None:
    dialog, host = open_dialog(qtbot, logbook, K.MILESTONE)
    type_text(dialog.form.editor("title"), "Attend an 8-week course")
    dialog.save_button.click()
    assert "choose a pathway" in dialog.form.problem_text("pathway_uid").lower()
    assert host.created == []


def test_reflection_can_be_made_shareable(qtbot: QtBot, logbook: Logbook) -> None:
    dialog, _ = open_dialog(qtbot, logbook, K.FEEDBACK)
    editor = dialog.form.editor("reflection")
    type_text(dialog.form.editor("summary"), "Helpful handouts")
    type_text(editor, "Share the handouts earlier")
    assert editor.choice.private.isChecked()  # type: ignore[attr-defined]
    assert "never exported" in editor.choice.private.text()  # type: ignore[attr-defined]
    editor.choice.shareable.click()  # type: ignore[attr-defined]
    dialog.save_button.click()
    (saved,) = dialog.saved
    assert isinstance(saved, FeedbackEntry)
    assert saved.reflection_private is False


def test_new_person_from_a_picker_is_saved_and_selected(
    qtbot: QtBot, logbook: Logbook, refs: dict[str, Record]
) -> None:
    dialog, _host = open_dialog(qtbot, logbook, K.SUPERVISION)
    picker = dialog.form.editor("counterpart_uid")
    assert isinstance(picker, ReferenceEditor)

    def fill(modal: QWidget) -> None:
        assert isinstance(modal, RecordEditorDialog)
        type_text(modal.form.editor("name"), "Dr Ruth Okafor")
        modal.save_button.click()

    when_modal(fill)
    picker.new_button.click()

    people = {p.name: p for p in logbook.records.all(K.PERSON)}  # type: ignore[attr-defined]
    assert "Dr Ruth Okafor" in people
    assert picker.combo.currentText() == "Dr Ruth Okafor"
    assert dialog.form.current_values()["counterpart_uid"] == people["Dr Ruth Okafor"].uid
    assert QApplication.activeModalWidget() is None


def test_profile_rows_show_problems_on_the_row_and_save(qtbot: QtBot, logbook: Logbook) -> None:
    dialog, host = open_dialog(qtbot, logbook, K.PROFILE)
    form = dialog.form
    type_text(form.editor("name"), "Alex Morgan")
    roles = form.editor("roles")
    registrations = form.editor("registrations")
    assert isinstance(roles, RowsEditor)
    assert isinstance(registrations, RowsEditor)
    roles.add_button.click()
    roles.add_button.click()
    type_text(roles.rows[0][1][0], "Trainee PWP")
    registrations.add_button.click()
    type_text(registrations.rows[0][1][0], "BABCP")
    type_text(registrations.rows[0][1][1], "123456")

    dialog.save_button.click()  # the second role has no title

    assert "role 2: title is required" in form.problem_text("roles").lower()
    assert QApplication.focusWidget() is roles.rows[1][1][0].focus_widget
    assert host.created == []

    type_text(roles.rows[1][1][0], "PWP")
    form.editor("client_groups").focus_widget.setText("adults, older adults")  # type: ignore[attr-defined]
    dialog.save_button.click()
    profile = logbook.records.profile()
    assert profile is not None
    assert [r.title for r in profile.roles] == ["Trainee PWP", "PWP"]
    assert profile.registrations[0].body == "BABCP"
    assert profile.registrations[0].number == "123456"
    assert profile.client_groups == ("adults", "older adults")


def test_the_profile_editor_edits_the_existing_profile(qtbot: QtBot, logbook: Logbook) -> None:
    logbook.records.create(Profile(name="Alex Morgan", followed_packs=("nmc_revalidation",)))
    dialog, _host = open_dialog(qtbot, logbook, K.PROFILE)
    assert dialog.mode == "edit"
    roles = dialog.form.editor("roles")
    assert isinstance(roles, RowsEditor)
    roles.add_button.click()
    type_text(roles.rows[0][1][0], "Community mental health nurse")
    dialog.save_button.click()
    profile = logbook.records.profile()
    assert profile is not None
    assert [r.title for r in profile.roles] == ["Community mental health nurse"]
    assert profile.followed_packs == ("nmc_revalidation",)
    assert profile.revision == 2


def test_an_embedded_profile_form_reports_problems(qtbot: QtBot, logbook: Logbook) -> None:
    host = ServiceHost(logbook)
    form = create_form(K.PROFILE, logbook, host)
    qtbot.addWidget(form)
    form.show()
    record, problems = form.collect()
    assert [p.field for p in problems] == ["name"]
    form.show_problems(problems)
    assert "name is required" in form.problem_text("name").lower()
    type_text(form.editor("name"), "Sam Patel")
    record, problems = form.collect()
    assert problems == []
    host.create([record])
    assert logbook.records.profile() == record


def test_duration_accepts_minutes_hours_and_clock_time(qtbot: QtBot, logbook: Logbook) -> None:
    dialog, _ = open_dialog(qtbot, logbook, K.PRACTICE)
    editor = dialog.form.editor("duration_minutes")
    assert isinstance(editor, DurationEditor)
    for text, minutes in (("90", 90), ("1:30", 90), ("1.5h", 90), ("45m", 45), ("2 hours", 120)):
        editor.edit.setText(text)
        assert editor.read() == {"duration_minutes": minutes}
        assert f"({minutes} min)" in editor.reading.text()


def test_added_rows_join_the_tab_order(qtbot: QtBot, logbook: Logbook) -> None:
    dialog, _ = open_dialog(qtbot, logbook, K.PROFILE)
    roles = dialog.form.editor("roles")
    assert isinstance(roles, RowsEditor)
    roles.add_button.setFocus()
    qtbot.keyClick(roles.add_button, Qt.Key.Key_Space)
    title = roles.rows[0][1][0].focus_widget
    assert QApplication.focusWidget() is title
    assert title.accessibleName() == "Role 1: Role"
    qtbot.keyClick(title, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is roles.rows[0][2]  # the row's Remove button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is roles.rows[0][1][1].focus_widget  # From
