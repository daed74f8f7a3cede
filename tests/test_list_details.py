"""Every list shows the selected record beside it, acts on several selected rows at once, and
the supervision list totals hours per supervisor and per organisation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from logbook.domain.choices import Direction, SupervisionFormat
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    CpdActivity,
    Organisation,
    Person,
    Profile,
    RecordKind,
    SupervisionSession,
)
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.group_totals import GroupRow, GroupTotalsModel, GroupTotalsView
from logbook.ui.list_page import RecordListPage
from logbook.ui.main_window import MainWindow
from logbook.ui.models import UidRole
from logbook.ui.pathways import PathwayPanel
from logbook.ui.record_detail import RecordDetailPane
from logbook.ui.signoff.dialogs import RequestDialog
from tests.ui_helpers import open_window, when_modal

K = RecordKind
MIND = Organisation(name="Leith Mind")
NHS = Organisation(name="NHS Lothian")
AMIRA = Person(name="Dr Amira Shah", organisation_uid=NHS.uid)
BEN = Person(name="Ben Okafor", organisation_uid=MIND.uid)
SAM = Person(name="Sam Reid")


def session(day: date, minutes: int, **fields: object) -> SupervisionSession:
    return SupervisionSession(date=day, duration_minutes=minutes, **fields)  # type: ignore[arg-type]


@pytest.fixture
def supervised(logbook: Logbook) -> list[SupervisionSession]:
    """A peer worker supervised by a charity and the NHS, who also supervises someone."""
    sessions = [
        session(date(2026, 3, 2), 60, counterpart_uid=AMIRA.uid, organisation_uid=NHS.uid),
        session(date(2026, 3, 16), 90, counterpart_uid=AMIRA.uid, organisation_uid=NHS.uid),
        # Amira once supervised at the charity: the organisation counts apart from the person.
        session(date(2026, 3, 20), 30, counterpart_uid=AMIRA.uid, organisation_uid=MIND.uid),
        session(date(2026, 3, 9), 45, counterpart_uid=BEN.uid, organisation_uid=MIND.uid),
        session(
            date(2026, 3, 23),
            75,
            counterpart_uid=BEN.uid,
            organisation_uid=MIND.uid,
            format=SupervisionFormat.GROUP,
            group_size=4,
        ),
        session(date(2026, 3, 25), 20),  # nobody recorded
        session(
            date(2026, 3, 26),
            60,
            counterpart_uid=SAM.uid,
            organisation_uid=MIND.uid,
            direction=Direction.GIVEN,
        ),
        # February, outside the filtered month.
        session(date(2026, 2, 10), 120, counterpart_uid=AMIRA.uid, organisation_uid=NHS.uid),
    ]
    logbook.records.create_many([Profile(name="Jo Baird"), MIND, NHS, AMIRA, BEN, SAM, *sessions])
    return sessions


def supervision_page(window: MainWindow) -> RecordListPage:
    window.show_section("supervision")
    page = window.current_list()
    assert page is not None
    return page


def pane_of(page: RecordListPage) -> RecordDetailPane:
    assert page.detail is not None
    return page.detail


def select(page: RecordListPage, uids: list[str]) -> None:
    """Select the rows of ``uids`` (as Ctrl+click would)."""
    selection = QItemSelection()
    for uid in uids:
        row = page.model.row_of(uid, look_in_pages=5)
        assert row is not None
        selection.select(page.model.index(row, 0), page.model.index(row, 0))
    page.view.selectionModel().select(
        selection,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


# --- the details pane ----------------------------------------------------------------------------


def test_the_details_show_the_selected_session_by_name_and_follow_the_selection(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession], tmp_path: Path
) -> None:
    reflective = session(
        date(2026, 11, 25),
        50,
        counterpart_uid=BEN.uid,
        organisation_uid=MIND.uid,
        themes=("risk", "endings"),
        reflection="I rushed the ending again.",
        reflection_private=True,
    )
    logbook.records.create(reflective)
    certificate = tmp_path / "notes.pdf"
    certificate.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    logbook.attachments.add_file(reflective, certificate)
    window = open_window(qtbot, logbook)
    page = supervision_page(window)

    assert page.select_uid(reflective.uid)
    text = pane_of(page).plain_text()
    assert "25 Nov 2026" in text
    assert "0.83 hours" in text  # 50 minutes
    assert "Supervisor\nBen Okafor" in text
    assert "Organisation\nLeith Mind" in text
    assert "risk, endings" in text
    assert "I rushed the ending again." in text
    assert "Private" in text
    assert "Kept out of exports" in text
    assert "Attachments\n1 file: notes.pdf" in text
    assert "Sign-off\nNot signed" in text
    assert reflective.counterpart_uid not in text  # names, never ids

    given = supervised[6]
    assert page.select_uid(given.uid)
    text = pane_of(page).plain_text()
    assert "26 Mar 2026" in text
    assert "1.00 hours" in text
    assert "Supervisee\nSam Reid" in text  # the form's label for supervision given
    assert "Private" not in text
    window.close()


def test_several_selected_rows_read_as_their_count_and_total_hours(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession]
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision_page(window)

    select(page, [s.uid for s in supervised[:3]])  # 60 + 90 + 30 minutes

    text = pane_of(page).plain_text()
    assert "3 sessions selected" in text
    assert "Total\n3.00 hours" in text
    page.view.selectAll()
    assert "8 sessions selected" in pane_of(page).plain_text()
    assert "Total\n8.33 hours" in pane_of(page).plain_text()  # 500 minutes
    page.view.clearSelection()
    assert "Select a session to see it here" in pane_of(page).plain_text()
    window.close()


def test_the_detail_pane_is_toggled_from_the_view_menu_and_remembered(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession], location: DataLocation
) -> None:
    settings = DataLocation(location.root.parent / "settings")
    window = open_window(qtbot, logbook, settings)
    page = supervision_page(window)
    toggle = window.registry["view.detail_pane"]
    assert toggle.isCheckable()
    assert toggle.isChecked()
    assert page.detail_visible

    toggle.trigger()

    assert not page.detail_visible
    cpd = window.list_page(K.CPD)
    assert not cpd.detail_visible  # one choice for every list
    window.close()

    again = open_window(qtbot, logbook, settings)
    assert not again.registry["view.detail_pane"].isChecked()
    assert not supervision_page(again).detail_visible
    again.registry["view.detail_pane"].trigger()
    assert supervision_page(again).detail_visible
    again.close()


def test_pathways_keep_their_own_panel_and_milestones_get_the_details(
    qtbot: QtBot, logbook: Logbook
) -> None:
    window = open_window(qtbot, logbook)
    pathways = window.list_page(K.PATHWAY)
    milestones = window.list_page(K.MILESTONE)
    assert pathways.detail is None
    assert pathways.findChildren(PathwayPanel)
    assert milestones.detail is not None
    window.close()


# --- several rows at once ----------------------------------------------------------------------


def test_deleting_three_selected_sessions_asks_once_and_one_undo_brings_them_back(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession]
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision_page(window)
    chosen = [s.uid for s in supervised[3:6]]
    select(page, chosen)
    asked: list[str] = []

    def answer(box: object) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal(answer, kind=QMessageBox)
    window.registry.trigger("edit.delete")

    assert len(asked) == 1
    assert asked[0].startswith("Delete 3 sessions?")
    left = {r.uid for r in logbook.records.all(K.SUPERVISION)}
    assert left.isdisjoint(chosen)
    assert len(left) == 5
    assert page.model.rowCount() == 5

    window.registry.trigger("edit.undo")

    assert {r.uid for r in logbook.records.all(K.SUPERVISION)} >= set(chosen)
    assert page.model.rowCount() == 8
    window.close()


def test_request_sign_off_opens_with_exactly_the_selected_entries_ticked(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession], tmp_path: Path
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision_page(window)
    chosen = [supervised[0].uid, supervised[1].uid]  # 2 and 16 March
    select(page, chosen)
    request = window.registry["edit.request_signoff"]
    assert request.isEnabled()

    dialog = window.request_signoff_selected()

    assert isinstance(dialog, RequestDialog)
    assert sorted(t.uid for t in dialog.entries.chosen()) == sorted(chosen)
    # Sessions between them stay listed, unticked, to add if wanted.
    listed = {row.uid for row in dialog.entries.model.rows}
    assert listed == {*chosen, supervised[3].uid}  # 9 March
    assert "2 entries" in dialog.create_button.text()

    dialog.supervisor.setCurrentIndex(dialog.supervisor.count() - 1)  # not known yet
    dialog.supervisor_name.setText("Dr Amira Shah")
    dialog.file.set_path(tmp_path / "request.json")
    dialog.create_button.click()

    assert (tmp_path / "request.json").is_file()
    assert "written to" in window.statusBar().currentMessage()
    column = [c.key for c in page.model.columns].index("signoff")
    states = {
        page.model.index(row, 0).data(UidRole): page.model.index(row, column).data()
        for row in range(page.model.rowCount())
    }
    assert {states[uid] for uid in chosen} == {"Awaiting sign-off"}
    assert states[supervised[3].uid] == ""
    window.close()


def test_request_sign_off_says_why_it_cannot_be_used(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession]
) -> None:
    window = open_window(qtbot, logbook)
    request = window.registry["edit.request_signoff"]
    page = supervision_page(window)
    page.view.clearSelection()
    assert not request.isEnabled()
    assert "Select the entries" in request.toolTip()

    window.show_section("people")
    people = window.current_list()
    assert people is not None
    assert people.kind is K.PERSON
    people.view.selectAll()
    assert not request.isEnabled()
    assert request.toolTip() == "People are not signed off: only log entries are."
    assert window.request_signoff_selected() is None
    assert window.registry["edit.export_selected"].isEnabled()  # people can still be exported
    window.close()


# --- totals by supervisor and organisation -----------------------------------------------------

MARCH = RecordQuery(K.SUPERVISION)


def _march(page: RecordListPage) -> None:
    page.filters.set_custom_period(date(2026, 3, 1), date(2026, 3, 31))


def test_totals_per_supervisor_and_organisation_are_summed_in_sql(
    logbook: Logbook, supervised: list[SupervisionSession]
) -> None:
    from dataclasses import replace

    from logbook.domain.periods import Period

    march = replace(MARCH, period=Period(date(2026, 3, 1), date(2026, 3, 31)))
    people = {
        (d, t.key): (t.count, t.minutes)
        for d, t in logbook.records.totals_by_direction(march, "person")
    }
    assert people == {
        (Direction.RECEIVED, AMIRA.uid): (3, 180),  # 60 + 90 + 30; February left out
        (Direction.RECEIVED, BEN.uid): (2, 120),
        (Direction.RECEIVED, None): (1, 20),
        (Direction.GIVEN, SAM.uid): (1, 60),
    }
    places = {
        (d, t.key): (t.count, t.minutes)
        for d, t in logbook.records.totals_by_direction(march, "organisation")
    }
    assert places == {
        (Direction.RECEIVED, NHS.uid): (2, 150),
        (Direction.RECEIVED, MIND.uid): (3, 150),  # 30 + 45 + 75
        (Direction.RECEIVED, None): (1, 20),
        (Direction.GIVEN, MIND.uid): (1, 60),
    }
    received = replace(march, direction=Direction.RECEIVED)
    assert {d for d, _t in logbook.records.totals_by_direction(received, "person")} == {
        Direction.RECEIVED
    }
    with pytest.raises(ValueError, match="no direction"):
        logbook.records.totals_by_direction(RecordQuery(K.CPD), "person")


def _table(model: GroupTotalsModel) -> list[tuple[str, str, str]]:
    return [
        tuple(model.index(row, column).data() for column in range(3))  # type: ignore[misc]
        for row in range(model.rowCount())
    ]


def test_the_supervision_list_shows_hours_per_supervisor_and_organisation_for_its_filters(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession]
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision_page(window)
    _march(page)
    assert page.by_supervisor_button is not None

    page.by_supervisor_button.click()

    dialog = page.show_group_totals()
    view = dialog.view
    assert _table(view.people) == [
        ("Dr Amira Shah", "3", "3.00"),
        ("Ben Okafor", "2", "2.00"),
        ("No supervisor recorded", "1", "0.33"),
        ("Sam Reid (given)", "1", "1.00"),
    ]
    assert _table(view.organisations) == [
        ("Leith Mind", "3", "2.50"),
        ("NHS Lothian", "2", "2.50"),
        ("No organisation recorded", "1", "0.33"),
        ("Leith Mind (given)", "1", "1.00"),
    ]
    assert "March 2026" in view.scope.text() or "Mar 2026" in view.scope.text()

    # The totals follow the filters: received only, and a new session counted at once.
    page.filters.direction.setCurrentIndex(page.filters.direction.findData("received"))  # type: ignore[union-attr]
    assert [row[0] for row in _table(view.people)] == [
        "Dr Amira Shah",
        "Ben Okafor",
        "No supervisor recorded",
    ]
    window.editor_host.create(
        [session(date(2026, 3, 30), 120, counterpart_uid=BEN.uid, organisation_uid=MIND.uid)]
    )
    assert _table(view.people)[0] == ("Ben Okafor", "3", "4.00")
    dialog.close()
    window.close()


def test_with_nothing_selected_the_pane_shows_the_totals_by_supervisor(
    qtbot: QtBot, logbook: Logbook, supervised: list[SupervisionSession]
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision_page(window)
    page.view.clearSelection()
    [overview] = pane_of(page).findChildren(GroupTotalsView)
    qtbot.waitUntil(overview.isVisible)
    assert ("Dr Amira Shah", "4", "5.00") in _table(overview.people)  # all dates: 4 sessions
    page.select_uid(supervised[0].uid)
    assert not overview.isVisible()
    window.close()


def test_the_totals_model_passes_qt_model_checks(qtmodeltester: ModelTester) -> None:
    model = GroupTotalsModel("Supervisor")
    qtmodeltester.check(model, force_py=True)
    model.set_rows(
        [
            GroupRow("Dr Amira Shah", Direction.RECEIVED, 3, 180),
            GroupRow("Sam Reid", Direction.GIVEN, 1, 60),
            GroupRow("Ben Okafor", Direction.RECEIVED, 2, 240),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Ben Okafor",  # most hours first
        "Dr Amira Shah",
        "Sam Reid (given)",  # given last
    ]


def test_the_details_of_a_cpd_activity_use_its_form_labels(qtbot: QtBot, logbook: Logbook) -> None:
    activity = CpdActivity(
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 4) + timedelta(days=1),
        title="Working with chronic pain",
        provider="Breathworks",
        duration_minutes=390,
        learning_outcomes="Pacing.",
        reflection="Shareable thoughts.",
        reflection_private=False,
    )
    logbook.records.create(activity)
    window = open_window(qtbot, logbook)
    page = window.list_page(K.CPD)
    window.show_section("cpd")
    assert page.select_uid(activity.uid)
    text = pane_of(page).plain_text()
    assert text.startswith("Working with chronic pain\nCPD activity · 4 May 2026")
    assert "Hours\n6.50 hours" in text
    assert "Until\n5 May 2026" in text
    assert "Learning outcomes\nPacing." in text
    assert "Private" not in text
    window.close()


@pytest.mark.parametrize("persona", ["mindfulness", "peer"])
def test_the_details_read_every_kind_of_record_by_name(
    qtbot: QtBot, logbook: Logbook, persona: str
) -> None:
    from logbook.services.demo import generate_demo
    from logbook.ui.columns import COLUMNS, NameDirectory

    generate_demo(logbook, persona=persona, years=1, seed=5, today=date(2026, 6, 30))
    names = NameDirectory(logbook.records)
    pane = RecordDetailPane(names)
    qtbot.addWidget(pane)
    ids = {r.uid for kind in NameDirectory.KINDS for r in logbook.records.all(kind)}
    shown = 0
    for kind in COLUMNS:
        for record in logbook.records.all(kind)[:5]:
            pane.show_record(record)
            text = pane.plain_text()
            assert "Last changed" in text
            assert not [uid for uid in ids if uid in text], f"an id shows for {kind}"
            assert "None" not in text.replace("Attachments\nNone", "")
            shown += 1
    assert shown > 20
