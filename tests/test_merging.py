"""Merging two copies of a logbook never loses an edit or a deletion: the same entry edited on
two computers is kept twice (the other side as a conflict, counted nowhere), older copies
change nothing, deletions travel, and every conflict is named in the import summary."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.errors import ConflictError, ValidationError
from logbook.domain.records import Person, RecordKind, SupervisionSession
from logbook.domain.uids import EXAMPLE_UID
from logbook.domain.versions import ConflictReason
from logbook.services import exchange
from logbook.services.conflicts import Keep
from logbook.services.exchange import export_json
from tests.merge_support import edit, merge_into, minutes, sessions, two_copies


def test_the_same_entry_edited_on_two_computers_is_kept_twice_and_named(tmp_path: Path) -> None:
    base = sessions(3)
    with two_copies(tmp_path, base) as (laptop, office):
        entry = base[0]
        for _ in range(2):  # revision 1 → 3 on both, as the issue found it
            edit(
                laptop,
                entry,
                action_points=laptop.records.get(entry.kind, entry.uid).action_points + ".",
            )
            edit(
                office,
                entry,
                action_points=office.records.get(entry.kind, entry.uid).action_points + ".",
            )
        edit(laptop, entry, duration_minutes=90, action_points="Plan from the laptop")
        edit(office, entry, duration_minutes=75, action_points="Plan from the office")
        assert laptop.records.get(entry.kind, entry.uid).revision == 4
        assert office.records.get(entry.kind, entry.uid).revision == 4

        summary = merge_into(office, laptop, tmp_path)

        assert (summary.added, summary.updated) == (0, 0)
        assert len(summary.conflicts) == 1
        assert "Supervision 2 Mar 2026" in summary.conflicts[0]
        assert "changed here and in from-laptop.json" in summary.conflicts[0]
        assert "Supervision 2 Mar 2026" in summary.describe("from-laptop.json")
        [conflict] = office.conflicts.all()
        assert conflict.reason is ConflictReason.EDITED_ON_BOTH
        assert conflict.ours.action_points == "Plan from the office"  # type: ignore[union-attr]
        assert conflict.theirs.action_points == "Plan from the laptop"  # type: ignore[union-attr]
        # Only this computer's side counts until the user decides.
        assert minutes(office) == 75 + 60 + 60
        assert len(office.records.all(RecordKind.SUPERVISION)) == 3


def test_a_lower_revision_with_different_content_is_a_conflict_not_dropped(
    tmp_path: Path,
) -> None:
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], action_points="Laptop, once")
        for text in ("Office one", "Office two", "Office three"):
            edit(office, base[0], action_points=text)

        summary = merge_into(office, laptop, tmp_path)

        assert len(summary.conflicts) == 1
        [conflict] = office.conflicts.all()
        assert conflict.theirs.action_points == "Laptop, once"  # type: ignore[union-attr]
        assert office.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == (
            "Office three"
        )


def test_an_older_copy_changes_nothing_and_a_newer_one_updates(tmp_path: Path) -> None:
    base = sessions(2)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(office, base[0], action_points="Newer here")

        older = merge_into(office, laptop, tmp_path)
        assert (older.updated, older.unchanged, older.conflicts) == (0, 2, ())
        assert office.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == (
            "Newer here"
        )

        newer = merge_into(laptop, office, tmp_path)
        assert (newer.updated, newer.conflicts) == (1, ())
        assert laptop.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == (
            "Newer here"
        )


def test_a_deletion_travels_and_is_counted(tmp_path: Path) -> None:
    base = sessions(3)
    with two_copies(tmp_path, base) as (laptop, office):
        laptop.records.delete(RecordKind.SUPERVISION, base[1].uid)

        summary = merge_into(office, laptop, tmp_path)

        assert summary.deleted == 1
        assert "1 deleted" in summary.describe("laptop.json")
        assert {r.uid for r in office.records.all(RecordKind.SUPERVISION)} == {
            base[0].uid,
            base[2].uid,
        }
        # Coming back the other way, the old copy of the entry does not bring it back.
        again = merge_into(laptop, office, tmp_path)
        assert (again.added, again.conflicts) == (0, ())
        assert len(laptop.records.all(RecordKind.SUPERVISION)) == 2


def test_an_entry_edited_after_its_deletion_elsewhere_survives_as_a_conflict(
    tmp_path: Path,
) -> None:
    base = sessions(2)
    with two_copies(tmp_path, base) as (laptop, office):
        laptop.records.delete(RecordKind.SUPERVISION, base[0].uid)
        edit(office, base[0], action_points="Still needed")

        summary = merge_into(office, laptop, tmp_path)

        assert summary.deleted == 0
        assert "deleted in from-laptop.json, but changed here" in summary.conflicts[0]
        assert office.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == (
            "Still needed"
        )
        # And the other way round: deleted here, changed there.
        back = merge_into(laptop, office, tmp_path)
        assert "deleted here, but changed in from-office.json" in back.conflicts[0]
        assert len(laptop.records.all(RecordKind.SUPERVISION)) == 1
        [waiting] = laptop.conflicts.all()
        assert waiting.ours is None
        assert waiting.theirs is not None


def test_importing_the_same_file_again_adds_no_second_conflict(tmp_path: Path) -> None:
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], action_points="A")
        edit(office, base[0], action_points="B")
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)

        first = office.import_json(exported)
        second = office.import_json(exported)

        assert len(first.conflicts) == 1
        assert second.conflicts == ()
        assert len(office.conflicts.all()) == 1


@pytest.mark.parametrize("keep", [Keep.HERE, Keep.OTHER])
def test_deciding_a_conflict_settles_it_on_both_copies(tmp_path: Path, keep: Keep) -> None:
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], action_points="From the laptop")
        edit(office, base[0], action_points="From the office")
        merge_into(office, laptop, tmp_path)
        [conflict] = office.conflicts.all()

        office.conflicts.resolve(conflict.id, keep)

        chosen = "From the office" if keep is Keep.HERE else "From the laptop"
        assert office.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == chosen
        assert office.conflicts.all() == []
        # The same file again raises nothing; the laptop takes the decision when they meet.
        assert merge_into(office, laptop, tmp_path).conflicts == ()
        assert merge_into(laptop, office, tmp_path).conflicts == ()
        assert laptop.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == chosen
        assert laptop.conflicts.all() == []


def test_a_decision_made_on_the_other_copy_clears_the_waiting_conflict(tmp_path: Path) -> None:
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], action_points="From the laptop")
        edit(office, base[0], action_points="From the office")
        merge_into(office, laptop, tmp_path)
        merge_into(laptop, office, tmp_path)
        [on_laptop] = laptop.conflicts.all()
        laptop.conflicts.resolve(on_laptop.id, Keep.HERE)

        merge_into(office, laptop, tmp_path)

        assert office.conflicts.all() == []
        assert office.records.get(RecordKind.SUPERVISION, base[0].uid).action_points == (
            "From the laptop"
        )


def test_an_undone_deletion_comes_back_on_the_copy_that_took_the_deletion(
    tmp_path: Path,
) -> None:
    base = sessions(2)
    with two_copies(tmp_path, base) as (laptop, office):
        deleted = laptop.records.delete(RecordKind.SUPERVISION, base[0].uid)
        merge_into(office, laptop, tmp_path)
        assert len(office.records.all(RecordKind.SUPERVISION)) == 1

        laptop.records.restore(deleted)
        summary = merge_into(office, laptop, tmp_path)

        assert (summary.added, summary.conflicts) == (1, ())
        assert len(office.records.all(RecordKind.SUPERVISION)) == 2


def test_a_record_deleted_here_comes_back_when_an_arriving_entry_needs_it(
    tmp_path: Path,
) -> None:
    supervisor = Person(name="Dr Aileen Rowe")
    with two_copies(tmp_path, [supervisor]) as (laptop, office):
        office.records.delete(RecordKind.PERSON, supervisor.uid)
        laptop.records.create(
            SupervisionSession(
                date=date(2026, 4, 1), duration_minutes=60, counterpart_uid=supervisor.uid
            )
        )

        summary = merge_into(office, laptop, tmp_path)

        assert summary.added == 2
        assert any("Dr Aileen Rowe" in note and "put back" in note for note in summary.notes)
        assert office.records.get(RecordKind.PERSON, supervisor.uid).name == "Dr Aileen Rowe"


def test_a_deletion_of_something_still_used_here_is_not_carried_out(tmp_path: Path) -> None:
    supervisor = Person(name="Dr Aileen Rowe")
    with two_copies(tmp_path, [supervisor]) as (laptop, office):
        laptop.records.delete(RecordKind.PERSON, supervisor.uid)
        office.records.create(
            SupervisionSession(
                date=date(2026, 4, 1), duration_minutes=60, counterpart_uid=supervisor.uid
            )
        )

        summary = merge_into(office, laptop, tmp_path)

        assert summary.deleted == 0
        assert any("kept because 1 record(s) here refer to it" in n for n in summary.notes)
        assert office.records.get(RecordKind.PERSON, supervisor.uid).name == "Dr Aileen Rowe"
        # The laptop learns the person is back.
        back = merge_into(laptop, office, tmp_path)
        assert back.conflicts == ()
        assert laptop.records.get(RecordKind.PERSON, supervisor.uid).name == "Dr Aileen Rowe"


def test_deleting_the_record_as_the_other_copy_did_is_refused_while_it_is_used(
    tmp_path: Path,
) -> None:
    supervisor = Person(name="Dr Aileen Rowe")
    with two_copies(tmp_path, [supervisor]) as (laptop, office):
        laptop.records.delete(RecordKind.PERSON, supervisor.uid)
        edit(office, supervisor, notes="Met at the team day")
        merge_into(office, laptop, tmp_path)
        [conflict] = office.conflicts.all()
        office.records.create(
            SupervisionSession(
                date=date(2026, 4, 1), duration_minutes=60, counterpart_uid=supervisor.uid
            )
        )

        with pytest.raises(ConflictError, match="still used by 1 supervision"):
            office.conflicts.resolve(conflict.id, Keep.OTHER)
        assert office.conflicts.all() != []


def test_a_signed_entry_is_never_mixed_field_by_field(
    tmp_path: Path,
) -> None:
    """Both sides stay whole: the signed one here, the other one as the conflict."""
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], duration_minutes=90)
        edit(office, base[0], action_points="Office plan")

        merge_into(office, laptop, tmp_path)

        here = office.records.get(RecordKind.SUPERVISION, base[0].uid)
        [conflict] = office.conflicts.all()
        assert (here.duration_minutes, here.action_points) == (60, "Office plan")  # type: ignore[attr-defined]
        assert (conflict.theirs.duration_minutes, conflict.theirs.action_points) == (  # type: ignore[union-attr]
            90,
            "",
        )


def test_a_file_that_deletes_a_record_it_also_holds_is_refused(tmp_path: Path) -> None:
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        document = json.loads(exported.read_text())
        document["deletions"] = [
            {
                "kind": "supervision",
                "uid": base[0].uid,
                "version": "0" * 64,
                "deleted_at": "2026-05-01T10:00:00+00:00",
            },
            {"kind": "supervision", "uid": "../../etc/passwd", "version": "x", "deleted_at": 3},
        ]
        document["histories"] = {base[0].uid: ["not a version"]}
        exported.write_text(json.dumps(document))

        with pytest.raises(ValidationError) as refused:
            office.import_json(exported)

        text = str(refused.value) + " ".join(str(p) for p in refused.value.problems)
        assert "laptop.json" in text
        assert "'../../etc/passwd' is not a valid id" in text
        assert "must be a list of versions" in text
        assert len(office.records.all(RecordKind.SUPERVISION)) == 1


def test_conflict_copies_live_apart_from_the_records(tmp_path: Path) -> None:
    """Opened with sqlite3: the record table holds one row per entry; the other side is in
    the conflicts table."""
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        edit(laptop, base[0], action_points="A")
        edit(office, base[0], action_points="B")
        merge_into(office, laptop, tmp_path)
        path = office.db.path
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM supervision").fetchone() == (1,)
        assert conn.execute("SELECT uid, reason FROM merge_conflict").fetchall() == [
            (base[0].uid, "edited on both")
        ]


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        ({"kind": [], "uid": "x", "version": "0", "deleted_at": ""}, "unknown record kind"),
        ({"kind": "supervision"}, "must be an object of kind, uid, version and deleted_at"),
        (
            {
                "kind": "cpd",
                "uid": EXAMPLE_UID,
                "version": "0" * 64,
                "deleted_at": "0001-01-01T00:00:00+01:00",
            },
            "deleted_at must be a date and time with its offset from UTC",
        ),
        (
            {"kind": "cpd", "uid": EXAMPLE_UID, "version": "0" * 64, "deleted_at": "2026-05-01"},
            "deleted_at must be a date and time with its offset from UTC",
        ),
    ],
)
def test_a_malformed_deletion_is_refused_by_name(tmp_path: Path, mark: dict, message: str) -> None:
    base = sessions(1)
    with two_copies(tmp_path, base) as (laptop, office):
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        document = json.loads(exported.read_text())
        document["deletions"] = [mark]
        exported.write_text(json.dumps(document))

        with pytest.raises(ValidationError) as refused:
            office.import_json(exported)

        [problem] = refused.value.problems
        assert str(problem).startswith("laptop.json")
        assert "deletions[0]" in str(problem)
        assert message in str(problem)


def test_records_merge_a_batch_at_a_time_whatever_their_order_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of two: sessions before the person they name, and a person deleted here whom
    a session in a later batch needs."""
    monkeypatch.setattr(exchange, "MERGE_BATCH", 2)
    kept, gone = Person(name="Dr Aileen Rowe"), Person(name="Dr Ben Okafor")
    with two_copies(tmp_path, [kept, gone]) as (laptop, office):
        office.records.delete(RecordKind.PERSON, gone.uid)
        for day, person in ((1, kept), (2, kept), (3, kept), (4, gone)):
            laptop.records.create(
                SupervisionSession(
                    date=date(2026, 4, day), duration_minutes=60, counterpart_uid=person.uid
                )
            )
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        document = json.loads(exported.read_text())
        document["records"].reverse()  # every session now comes before its supervisor
        exported.write_text(json.dumps(document))

        summary = office.import_json(exported)

        assert summary.added == 5  # four sessions, and the person put back
        assert any("Dr Ben Okafor" in note and "put back" in note for note in summary.notes)
        assert len(office.records.all(RecordKind.SUPERVISION)) == 4
        assert office.records.get(RecordKind.PERSON, gone.uid).name == "Dr Ben Okafor"


def test_a_reference_to_a_record_that_is_nowhere_is_refused_after_every_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exchange, "MERGE_BATCH", 2)
    base = sessions(3)
    with two_copies(tmp_path, base) as (laptop, office):
        exported = tmp_path / "laptop.json"
        export_json(laptop.db, exported)
        document = json.loads(exported.read_text())
        new = dict(document["records"][0], uid=str(uuid.uuid4()), counterpart_uid=EXAMPLE_UID)
        document["records"].insert(0, new)  # in the first batch: only the end can tell
        exported.write_text(json.dumps(document))

        with pytest.raises(ValidationError) as refused:
            office.import_json(exported)

        [problem] = refused.value.problems
        assert str(problem).startswith(f"laptop.json, supervision {new['uid']}")
        assert "counterpart_uid" in str(problem)
        assert len(office.records.all(RecordKind.SUPERVISION)) == 3
