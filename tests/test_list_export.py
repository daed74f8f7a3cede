"""Export a list as CSV: exactly the rows its filters match, in its order and columns, dates
as ISO 8601, private text only when asked for, and nothing left behind when writing fails."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from logbook.domain.choices import Direction
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    CpdActivity,
    Organisation,
    Person,
    Profile,
    RecordKind,
    ReflectiveAccount,
    SupervisionSession,
)
from logbook.services.list_export import (
    CsvColumn,
    CsvExportCancelled,
    CsvExportError,
    export_csv,
    query_batches,
)
from logbook.services.logbook import Logbook
from logbook.ui.list_export_dialog import CsvExportDialog
from logbook.ui.list_page import RecordListPage
from logbook.ui.main_window import MainWindow
from tests.disk_support import leave_free, tmpfs
from tests.ui_helpers import open_window

K = RecordKind
NHS = Organisation(name="NHS Lothian")
MIND = Organisation(name="Leith Mind")
AMIRA = Person(name="Dr Amira Shah", organisation_uid=NHS.uid)
BEN = Person(name="Ben Okafor", organisation_uid=MIND.uid)
FIRST = date(2020, 1, 6)


@pytest.fixture
def busy(logbook: Logbook) -> list[SupervisionSession]:
    """3,000 sessions over eight years with two supervisors, some given."""
    sessions = [
        SupervisionSession(
            date=FIRST + timedelta(days=i),
            duration_minutes=30 + (i * 7) % 90,
            counterpart_uid=AMIRA.uid if i % 3 else BEN.uid,
            organisation_uid=NHS.uid if i % 3 else MIND.uid,
            direction=Direction.GIVEN if i % 10 == 0 else Direction.RECEIVED,
            themes=("risk",) if i % 4 == 0 else (),
        )
        for i in range(3000)
    ]
    logbook.records.create_many([Profile(name="Jo Baird"), NHS, MIND, AMIRA, BEN, *sessions])
    return sessions


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def export_through(
    qtbot: QtBot, window: MainWindow, target: Path, *, selected: bool = False
) -> CsvExportDialog:
    dialog = window.export_csv(selected=selected)
    assert isinstance(dialog, CsvExportDialog)
    dialog.file.set_path(target)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=60_000)
    return dialog


def supervision(window: MainWindow) -> RecordListPage:
    window.show_section("supervision")
    page = window.current_list()
    assert page is not None
    return page


# --- the whole filtered view ---------------------------------------------------------------------


def test_a_filtered_view_exports_exactly_its_rows_in_its_order_with_its_columns(
    qtbot: QtBot, logbook: Logbook, busy: list[SupervisionSession], tmp_path: Path
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision(window)
    page.filters.person.setCurrentIndex(page.filters.person.findData(AMIRA.uid))  # type: ignore[union-attr]
    page.filters.set_custom_period(date(2021, 1, 1), date(2026, 12, 31))
    target = tmp_path / "amira.csv"

    dialog = export_through(qtbot, window, target)

    expected = sorted(
        (
            s
            for s in busy
            if s.counterpart_uid == AMIRA.uid and date(2021, 1, 1) <= s.date <= date(2026, 12, 31)
        ),
        key=lambda s: (s.date, s.uid),
        reverse=True,
    )
    rows = read_csv(target)
    header, body = rows[0], rows[1:]
    assert header == [
        "Date (YYYY-MM-DD)",
        "Hours",
        "Direction",
        "Type",
        "Format",
        "Mode",
        "Supervisor / supervisee",
        "Organisation",
        "Live",
        "Themes",
        "Sign-off",
    ]
    assert len(body) == len(expected) == page.model.total.count > 1000
    assert [r[0] for r in body] == [s.date.isoformat() for s in expected]
    assert {r[6] for r in body} == {"Dr Amira Shah"}
    assert body[0][1] == f"{expected[0].duration_minutes / 60:.2f}"
    assert {r[2] for r in body} == {"Received", "Given"}
    assert "Saved" in dialog.banner.text()
    assert "Open folder" in dialog.banner.text()
    assert f"Saved {len(expected):,} rows" in window.statusBar().currentMessage()
    window.close()


def test_the_columns_follow_the_order_the_user_gave_them(
    qtbot: QtBot, logbook: Logbook, busy: list[SupervisionSession], tmp_path: Path
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision(window)
    header = page.view.horizontalHeader()
    header.moveSection(header.visualIndex(6), 0)  # the supervisor first
    header.hideSection(9)  # no themes

    export_through(qtbot, window, tmp_path / "moved.csv")

    first = read_csv(tmp_path / "moved.csv")[0]
    assert first[:2] == ["Supervisor / supervisee", "Date (YYYY-MM-DD)"]
    assert "Themes" not in first
    window.close()


def test_selected_rows_export_alone(
    qtbot: QtBot, logbook: Logbook, busy: list[SupervisionSession], tmp_path: Path
) -> None:
    window = open_window(qtbot, logbook)
    page = supervision(window)
    page.view.selectRow(0)
    page.view.selectionModel().select(
        page.model.index(2, 0),
        page.view.selectionModel().SelectionFlag.Select
        | page.view.selectionModel().SelectionFlag.Rows,
    )
    chosen = page.selected_records()
    assert len(chosen) == 2

    export_through(qtbot, window, tmp_path / "two.csv", selected=True)

    body = read_csv(tmp_path / "two.csv")[1:]
    assert [r[0] for r in body] == [r.date.isoformat() for r in chosen]  # type: ignore[attr-defined]
    window.close()


def test_reading_in_batches_streams_every_row_once_in_order(
    logbook: Logbook, busy: list[SupervisionSession]
) -> None:
    query = RecordQuery(K.SUPERVISION, sort="duration_minutes", descending=False, limit=200)
    batches = list(query_batches(logbook.records, query, size=256))
    assert max(len(b) for b in batches) == 256  # never more in memory at once
    streamed = [r.uid for b in batches for r in b]
    assert streamed == [r.uid for r in logbook.records.query(replace(query, limit=None))]
    assert len(set(streamed)) == 3000


# --- private reflections -------------------------------------------------------------------------


@pytest.fixture
def reflective(logbook: Logbook) -> None:
    logbook.records.create_many(
        [
            Profile(name="Jo Baird"),
            ReflectiveAccount(date=date(2026, 2, 1), title="Open account", private=False),
            ReflectiveAccount(
                date=date(2026, 2, 8),
                title="A client who self-harmed",
                experience="Kept to myself.",
                private=True,
            ),
            CpdActivity(
                start_date=date(2026, 3, 1),
                title="Chronic pain",
                duration_minutes=360,
                reflection="My own history with pain.",
                reflection_private=True,
            ),
            CpdActivity(
                start_date=date(2026, 3, 8),
                title="Risk workshop",
                duration_minutes=180,
                reflection="Shared with my supervisor.",
                reflection_private=False,
            ),
        ]
    )


def test_private_reflective_accounts_stay_out_unless_asked_for(
    qtbot: QtBot, logbook: Logbook, reflective: None, tmp_path: Path
) -> None:
    window = open_window(qtbot, logbook)
    window.show_section("cpd")
    window.list_page(K.REFLECTIVE_ACCOUNT)
    section = window.section_widget("cpd")
    section.show_kind(K.REFLECTIVE_ACCOUNT)  # type: ignore[attr-defined]
    assert window.current_list().kind is K.REFLECTIVE_ACCOUNT  # type: ignore[union-attr]

    dialog = export_through(qtbot, window, tmp_path / "accounts.csv")
    text = (tmp_path / "accounts.csv").read_text(encoding="utf-8-sig")
    assert "Open account" in text
    assert "self-harmed" not in text
    assert "1 private reflective account was left out" in dialog.banner.text()
    dialog.close()

    dialog = window.export_csv()
    assert isinstance(dialog, CsvExportDialog)
    dialog.with_private.setChecked(True)
    dialog.file.set_path(tmp_path / "all accounts.csv")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running)
    assert "A client who self-harmed" in (tmp_path / "all accounts.csv").read_text("utf-8-sig")
    window.close()


def test_private_reflections_are_left_empty_unless_asked_for(
    qtbot: QtBot, logbook: Logbook, reflective: None, tmp_path: Path
) -> None:
    window = open_window(qtbot, logbook)
    window.show_section("cpd")
    dialog = window.export_csv()
    assert isinstance(dialog, CsvExportDialog)
    assert not dialog.with_private.isVisibleTo(dialog)  # no text columns: nothing private
    dialog.with_text.setChecked(True)
    assert dialog.with_private.isVisibleTo(dialog)
    dialog.file.set_path(tmp_path / "cpd.csv")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running)

    rows = read_csv(tmp_path / "cpd.csv")
    header = rows[0]
    assert header[-3:] == [
        "Learning outcomes",
        "How it benefited the people I work with",
        "Reflection",
    ]
    by_title = {r[1]: r for r in rows[1:]}
    assert by_title["Risk workshop"][-1] == "Shared with my supervisor."
    assert by_title["Chronic pain"][-1] == ""
    assert "My own history" not in (tmp_path / "cpd.csv").read_text("utf-8-sig")

    dialog.with_private.setChecked(True)
    dialog.file.set_path(tmp_path / "cpd private.csv")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running)
    rows = read_csv(tmp_path / "cpd private.csv")
    assert rows[0][-1] == "Reflection is private"
    by_title = {r[1]: r for r in rows[1:]}
    assert by_title["Chronic pain"][-2:] == ["My own history with pain.", "Yes"]
    window.close()


# --- failures ------------------------------------------------------------------------------------


def test_a_folder_as_the_target_is_refused_with_a_message_and_no_file(
    qtbot: QtBot, logbook: Logbook, busy: list[SupervisionSession], tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    window = open_window(qtbot, logbook)
    supervision(window)

    dialog = export_through(qtbot, window, folder)

    assert dialog.banner.isVisible()
    assert f"{folder} is a folder" in dialog.banner.text()
    assert "Traceback" not in dialog.banner.text()
    assert list(folder.iterdir()) == []
    assert list(tmp_path.glob("*.part")) == []
    assert list(tmp_path.glob(".*")) == []
    window.close()


def test_a_missing_folder_is_named_in_the_message(logbook: Logbook, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "list.csv"
    with pytest.raises(CsvExportError, match="nowhere does not exist"):
        export_csv([], [CsvColumn("Title", lambda r, s: "")], target)
    assert not target.parent.exists()


def test_a_full_disk_leaves_no_partial_file(
    qtbot: QtBot, logbook: Logbook, busy: list[SupervisionSession]
) -> None:
    try:
        with tmpfs(2) as volume:
            leave_free(volume, 48)  # room for the first rows, not for 3,000
            window = open_window(qtbot, logbook)
            supervision(window)
            target = volume / "all.csv"

            dialog = export_through(qtbot, window, target)

            assert "is full" in dialog.banner.text()
            assert "all.csv" in dialog.banner.text()
            assert sorted(p.name for p in volume.iterdir()) == ["filler"]
            window.close()
    except PermissionError as error:
        pytest.skip(str(error))


def test_a_cancelled_export_leaves_nothing(
    logbook: Logbook, busy: list[SupervisionSession], tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "cancelled.csv"
    target.write_text("the old file\n")
    seen = []

    def cancelled() -> bool:
        seen.append(1)
        return len(seen) > 2

    with pytest.raises(CsvExportCancelled):
        export_csv(
            query_batches(logbook.records, RecordQuery(K.SUPERVISION), size=100),
            [CsvColumn("Date", lambda r, s: str(r.date))],  # type: ignore[attr-defined]
            target,
            cancelled=cancelled,
        )
    assert target.read_text() == "the old file\n"  # kept until a new one is complete
    assert sorted(p.name for p in folder.iterdir()) == ["cancelled.csv"]


def test_cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text(
    logbook: Logbook, tmp_path: Path
) -> None:
    logbook.records.create(
        CpdActivity(start_date=date(2026, 1, 5), title="=HYPERLINK(1)", duration_minutes=60)
    )
    target = tmp_path / "cpd.csv"
    records = list(query_batches(logbook.records, RecordQuery(K.CPD)))
    export_csv(records, [CsvColumn("Title", lambda r, s: r.title)], target)  # type: ignore[attr-defined]
    assert read_csv(target)[1] == ["'=HYPERLINK(1)"]


def test_the_export_dialog_binds_no_key_twice(
    qtbot: QtBot, logbook: Logbook, reflective: None
) -> None:
    from logbook.ui.shortcuts import clashes

    window = open_window(qtbot, logbook)
    window.show_section("cpd")
    dialog = window.export_csv()
    assert dialog is not None
    dialog.with_text.setChecked(True)  # type: ignore[attr-defined]
    assert not clashes(dialog)
    assert not clashes(window)
    dialog.close()
    window.close()


def test_period_filters_export_only_their_dates(
    logbook: Logbook, busy: list[SupervisionSession], tmp_path: Path
) -> None:
    query = RecordQuery(
        K.SUPERVISION, period=Period(date(2022, 1, 1), date(2022, 1, 31)), limit=None
    )
    target = tmp_path / "january.csv"
    result = export_csv(
        query_batches(logbook.records, query, size=7),
        [CsvColumn("Date", lambda r, s: r.date.isoformat())],  # type: ignore[attr-defined]
        target,
        expected=31,
    )
    assert result.rows == 31
    assert [r[0] for r in read_csv(target)[1:]] == [
        (date(2022, 1, 31) - timedelta(days=d)).isoformat() for d in range(31)
    ]
