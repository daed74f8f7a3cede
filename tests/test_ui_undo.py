"""The undo history: every create, edit and delete can be undone and redone, in the logbook."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from logbook.domain.errors import LogbookError, ValidationError
from logbook.domain.records import (
    Milestone,
    Pathway,
    Person,
    RecordKind,
    SupervisionSession,
)
from logbook.services.changes import Change
from logbook.services.logbook import Logbook
from logbook.ui.undo import UndoHistory


class Recorder:
    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.errors: list[str] = []

    def change(self, change: Change) -> None:
        self.changes.append(change)

    def error(self, what: str, error: LogbookError) -> None:
        self.errors.append(f"{what}: {error}")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def history(qtbot: QtBot, logbook: Logbook, recorder: Recorder) -> UndoHistory:
    return UndoHistory(logbook.records, recorder.change, recorder.error)


def session(**changes: object) -> SupervisionSession:
    return dataclasses.replace(
        SupervisionSession(date=date(2026, 3, 4), duration_minutes=60), **changes
    )


def test_create_undo_redo(logbook: Logbook, history: UndoHistory, recorder: Recorder) -> None:
    new = session()
    history.create([new])
    assert logbook.records.all(RecordKind.SUPERVISION) == [new]
    assert history.undoText() == "Add supervision on 04 Mar 2026"
    history.undo()
    assert logbook.records.all(RecordKind.SUPERVISION) == []
    history.redo()
    assert logbook.records.all(RecordKind.SUPERVISION) == [new]
    assert [c.kinds for c in recorder.changes] == [frozenset({RecordKind.SUPERVISION})] * 3
    assert recorder.errors == []


def test_a_series_is_one_step(logbook: Logbook, history: UndoHistory) -> None:
    series = [session(date=date(2026, 3, day)) for day in (4, 11, 18, 25)]
    history.create(series)
    assert history.count() == 1
    assert history.undoText() == "Add 4 supervision entries"
    history.undo()
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    history.redo()
    assert logbook.records.count(RecordKind.SUPERVISION) == 4


def test_a_rejected_record_is_not_saved_and_not_undoable(
    logbook: Logbook, history: UndoHistory
) -> None:
    with pytest.raises(ValidationError) as raised:
        history.create([session(duration_minutes=0)])
    assert raised.value.problems[0].field == "duration"
    assert history.count() == 0
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


def test_edit_undo_restores_the_earlier_content(logbook: Logbook, history: UndoHistory) -> None:
    original = session(themes=("risk",))
    logbook.records.create(original)
    edited = dataclasses.replace(original, duration_minutes=90, themes=("risk", "endings"))
    saved = history.update(edited)
    assert saved.revision == 2
    history.undo()
    back = logbook.records.get(RecordKind.SUPERVISION, original.uid)
    assert isinstance(back, SupervisionSession)
    assert (back.duration_minutes, back.themes, back.revision) == (60, ("risk",), 3)
    history.redo()
    again = logbook.records.get(RecordKind.SUPERVISION, original.uid)
    assert isinstance(again, SupervisionSession)
    assert (again.duration_minutes, again.themes, again.revision) == (90, ("risk", "endings"), 4)


def test_an_edit_that_changes_nothing_is_not_a_step(logbook: Logbook, history: UndoHistory) -> None:
    original = session()
    logbook.records.create(original)
    history.update(original)
    assert history.count() == 0


def test_a_stale_edit_is_refused(logbook: Logbook, history: UndoHistory) -> None:
    original = session()
    logbook.records.create(original)
    history.update(dataclasses.replace(original, duration_minutes=90))
    with pytest.raises(LogbookError, match="changed elsewhere"):
        history.update(dataclasses.replace(original, duration_minutes=30))
    assert history.count() == 1


def test_delete_undo_puts_back_a_pathway_with_its_milestones(
    logbook: Logbook, history: UndoHistory
) -> None:
    pathway = Pathway(title="Mindfulness teacher pathway")
    steps = [Milestone(pathway_uid=pathway.uid, title=f"Step {n}", sequence=n) for n in (1, 2, 3)]
    logbook.records.create_many([pathway, *steps])
    history.delete([pathway])
    assert logbook.records.count(RecordKind.MILESTONE) == 0
    history.undo()
    assert logbook.records.get(RecordKind.PATHWAY, pathway.uid) == pathway
    assert sorted(logbook.records.all(RecordKind.MILESTONE), key=lambda m: m.sequence) == steps  # type: ignore[attr-defined]


def test_deleting_several_is_all_or_nothing(logbook: Logbook, history: UndoHistory) -> None:
    supervisor = Person(name="Dr Amira Shah")
    used = session(counterpart_uid=supervisor.uid)
    free = Person(name="Ben Okafor")
    logbook.records.create_many([supervisor, free, used])
    with pytest.raises(LogbookError, match="still used"):
        history.delete([free, supervisor])
    # Ben's delete went with the transaction that could not delete Amira.
    assert {p.uid for p in logbook.records.all(RecordKind.PERSON)} == {supervisor.uid, free.uid}
    assert history.count() == 0


def test_an_undo_that_can_no_longer_be_done_is_explained_and_dropped(
    logbook: Logbook, history: UndoHistory, recorder: Recorder
) -> None:
    supervisor = Person(name="Dr Amira Shah")
    history.create([supervisor])
    # Someone logs a session with her outside this history (an import, say).
    logbook.records.create(session(counterpart_uid=supervisor.uid))
    history.undo()
    assert len(recorder.errors) == 1
    assert "Undo Add person 'Dr Amira Shah'" in recorder.errors[0]
    assert "still used by 1 supervision" in recorder.errors[0]
    assert logbook.records.get(RecordKind.PERSON, supervisor.uid) == supervisor
    assert history.count() == 0


def test_undoing_a_series_is_all_or_nothing(
    logbook: Logbook, history: UndoHistory, recorder: Recorder
) -> None:
    supervisor = Person(name="Dr Amira Shah")
    series = [supervisor, *(session(date=date(2026, 3, day)) for day in (4, 11))]
    history.create(series)
    # A session logged elsewhere now refers to the new supervisor: undo cannot remove her.
    logbook.records.create(session(counterpart_uid=supervisor.uid, date=date(2026, 3, 25)))
    history.undo()
    assert "still used by 1 supervision" in recorder.errors[0]
    assert logbook.records.count(RecordKind.SUPERVISION) == 3  # the series is all still there
    assert logbook.records.get(RecordKind.PERSON, supervisor.uid) == supervisor


def _failing(database: Path, when: str, table: str, uid: str) -> None:
    """Make the disk refuse one row, as a failing sector would (a trigger added by sqlite3)."""
    with sqlite3.connect(database) as conn:
        conn.execute(
            f"CREATE TRIGGER refuse_one BEFORE {when} ON {table} "
            f"WHEN {'NEW' if when == 'INSERT' else 'OLD'}.uid = '{uid}' "
            "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )


def _contents(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [line for line in conn.iterdump() if "refuse_one" not in line]


@pytest.fixture
def two_hundred(logbook: Logbook) -> list[SupervisionSession]:
    sessions = [session(date=date(2020, 1, 6) + timedelta(days=7 * n)) for n in range(200)]
    logbook.records.create_many(sessions)
    return sessions


def test_undoing_a_200_entry_delete_is_all_or_nothing(
    logbook: Logbook,
    history: UndoHistory,
    recorder: Recorder,
    two_hundred: list[SupervisionSession],
) -> None:
    history.delete(two_hundred)
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    # Entries go back newest first: the 150th to go back is the 51st deleted.
    _failing(logbook.db.path, "INSERT", "supervision", two_hundred[50].uid)
    before = _contents(logbook.db.path)
    history.undo()
    assert _contents(logbook.db.path) == before
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    assert len(recorder.errors) == 1
    assert recorder.errors[0].startswith("Undo Delete 200 supervision entries")


def test_a_200_entry_delete_that_fails_part_way_deletes_nothing(
    logbook: Logbook, history: UndoHistory, two_hundred: list[SupervisionSession]
) -> None:
    _failing(logbook.db.path, "DELETE", "supervision", two_hundred[149].uid)
    before = _contents(logbook.db.path)
    with pytest.raises(LogbookError):
        history.delete(two_hundred)
    assert _contents(logbook.db.path) == before
    assert logbook.records.count(RecordKind.SUPERVISION) == 200
    assert history.count() == 0


def test_a_200_entry_delete_undoes_and_redoes_whole(
    logbook: Logbook, history: UndoHistory, two_hundred: list[SupervisionSession]
) -> None:
    history.delete(two_hundred)
    history.undo()
    assert logbook.records.all(RecordKind.SUPERVISION) == two_hundred
    history.redo()
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
