"""In the window: an import that finds records changed on both copies says so, the dashboard
keeps saying so, and the conflicts dialog shows both sides and keeps the one chosen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from logbook.domain.records import Person, RecordKind, SupervisionSession
from logbook.services.exchange import export_json
from logbook.ui import importing
from logbook.ui.conflicts_dialog import ConflictsDialog
from logbook.ui.dashboard import DashboardPage
from tests.merge_support import edit, sessions, two_copies
from tests.ui_helpers import open_window, when_modal


def _table(dialog: ConflictsDialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    return [
        tuple(table.item(row, column).text() for column in range(3))  # type: ignore[misc]
        for row in range(table.rowCount())
    ]


def test_importing_offers_the_choice_and_the_dialog_keeps_the_side_chosen(
    qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    base = sessions(2)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], action_points="Plan from the laptop", duration_minutes=90)
        edit(office, base[0], action_points="Plan from the office")
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        window = open_window(qtbot, office)
        monkeypatch.setattr(importing, "ask_for_file", lambda parent, start="": exported)
        seen: dict[str, object] = {}

        def choose(dialog: ConflictsDialog) -> None:
            seen["rows"] = [dialog.listing.item(i).text() for i in range(dialog.listing.count())]
            seen["table"] = _table(dialog)
            seen["buttons"] = (dialog.keep_here.text(), dialog.keep_other.text())
            dialog.keep_other.click()
            seen["after"] = (dialog.listing.count(), dialog.heading.text())
            dialog.reject()

        def choose_now(box: object) -> None:
            assert isinstance(box, QMessageBox)
            seen["text"] = box.text() + "\n" + box.informativeText()
            [now] = [b for b in box.buttons() if b.text() == "Choose now…"]
            when_modal(choose, attempts=500, kind=ConflictsDialog)
            now.click()

        when_modal(choose_now)
        window.registry["file.import"].trigger()
        qtbot.waitUntil(lambda: "after" in seen, timeout=10000)

        assert "Imported laptop.json: 0 added, 0 updated" in str(seen["text"])
        assert "Supervision 2 Mar 2026: changed here and in laptop.json" in str(seen["text"])
        [row] = seen["rows"]  # type: ignore[misc]
        assert row.startswith("Supervision 2 Mar 2026")
        assert seen["table"] == [
            ("Duration (minutes)", "60", "90"),
            ("Action points", "Plan from the office", "Plan from the laptop"),
        ]
        assert seen["buttons"] == ("Keep this computer's version", "Keep the other version")
        count, heading = seen["after"]  # type: ignore[misc]
        assert count == 0
        assert "No conflicts" in heading
        stored = office.records.get(RecordKind.SUPERVISION, base[0].uid)
        assert (stored.duration_minutes, stored.action_points) == (90, "Plan from the laptop")  # type: ignore[attr-defined]
        window.close()


def test_the_dashboard_shows_waiting_conflicts_until_they_are_decided(
    qtbot: QtBot, tmp_path: Path
) -> None:
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        laptop.records.delete(RecordKind.SUPERVISION, base[0].uid)
        edit(office, base[0], action_points="Still needed")
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        office.import_json(exported)
        window = open_window(qtbot, office)
        window.show_section("dashboard")
        page = window.frames["dashboard"].content
        assert isinstance(page, DashboardPage)
        qtbot.waitUntil(lambda: _has_text(page, "1 record changed on two copies"))

        dialog = ConflictsDialog(office, parent=window)
        qtbot.addWidget(dialog)
        assert (dialog.keep_here.text(), dialog.keep_other.text()) == ("Keep it", "Delete it")
        assert ("Action points", "Still needed", "(deleted)") in _table(dialog)
        dialog.keep_here.click()
        window._refresh_dashboard()

        qtbot.waitUntil(lambda: not _has_text(page, "changed on two copies"))
        assert office.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == (  # type: ignore[attr-defined]
            "Still needed"
        )
        window.close()


def test_a_refused_choice_is_explained_and_nothing_changes(qtbot: QtBot, tmp_path: Path) -> None:
    supervisor = Person(name="Dr Aileen Rowe")
    with two_copies(tmp_path, [supervisor]) as (laptop, office):
        laptop.records.delete(RecordKind.PERSON, supervisor.uid)
        edit(office, supervisor, notes="Met at the team day")
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        office.import_json(exported)
        session = SupervisionSession(
            date=date(2026, 4, 1), duration_minutes=60, counterpart_uid=supervisor.uid
        )
        office.records.create(session)
        dialog = ConflictsDialog(office)
        qtbot.addWidget(dialog)
        shown: list[str] = []

        def read_and_close(box: object) -> None:
            assert isinstance(box, QMessageBox)
            shown.append(box.text())
            box.accept()

        when_modal(read_and_close)
        dialog.keep_other.click()

        qtbot.waitUntil(lambda: bool(shown))
        assert "still used by 1 supervision" in shown[0]
        assert dialog.listing.count() == 1
        assert office.records.get(RecordKind.PERSON, supervisor.uid).name == "Dr Aileen Rowe"  # type: ignore[attr-defined]


def _has_text(page: DashboardPage, text: str) -> bool:
    return any(text in label.text() for label in page.findChildren(QLabel))


def test_a_conflict_altered_with_sqlite_is_named_not_a_crash(qtbot: QtBot, tmp_path: Path) -> None:
    import sqlite3

    from logbook.services.conflicts import Keep

    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], action_points="A")
        edit(office, base[0], action_points="B")
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        office.import_json(exported)
        with sqlite3.connect(office.db.path) as conn:
            conn.execute("UPDATE merge_conflict SET content = '{\"kind\": '")

        dialog = ConflictsDialog(office)
        qtbot.addWidget(dialog)

        assert "conflict 1 is damaged" in dialog.heading.text()
        assert not dialog.keep_other.isEnabled()
        office.conflicts.resolve(1, Keep.HERE)  # what the message advises
        assert office.conflicts.all() == []
        assert office.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == "B"  # type: ignore[attr-defined]
