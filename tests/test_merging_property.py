"""For any two copies of a logbook edited independently and merged in either order, no edit and
no deletion is lost without a conflict being shown."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.domain.records import RecordKind, SupervisionSession
from logbook.services.exchange import ImportSummary, export_json
from logbook.services.logbook import Logbook
from tests.merge_support import edit, sessions, two_copies

BASE = 4
_runs = itertools.count()

# An edit (which entry, the new text), a deletion, or a new entry.
operations = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(0, BASE - 1), st.sampled_from("abc")),
        st.tuples(st.just("delete"), st.integers(0, BASE - 1), st.just("")),
        st.tuples(st.just("create"), st.integers(1, 28), st.just("")),
    ),
    max_size=6,
)


@dataclass
class Copy:
    """What one computer did to the shared entries: their last text, which it deleted, and
    every text each entry had on it (an edit the other copy already had is not news)."""

    edited: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    seen: dict[str, set[str]] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)


def _apply(book: Logbook, uids: list[str], steps: list[tuple[str, int, str]]) -> Copy:
    done = Copy()
    for action, number, text in steps:
        if action == "create":
            entry = SupervisionSession(date=date(2026, 5, number), duration_minutes=30)
            done.created.add(book.records.create(entry).record.uid)
            continue
        uid = uids[number]
        if uid in done.deleted:
            continue
        current = book.records.get(RecordKind.SUPERVISION, uid)
        if action == "delete":
            book.records.delete(RecordKind.SUPERVISION, uid)
            done.deleted.add(uid)
            done.edited.pop(uid, None)
        else:
            text = f"{current.action_points}{text}"  # type: ignore[attr-defined]
            edit(book, current, action_points=text)
            done.edited[uid] = text
            done.seen.setdefault(uid, {""}).add(text)
    return done


def _check(target: Logbook, here: Copy, there: Copy, summary: ImportSummary) -> None:
    """``target`` (which did ``here``) after importing the copy that did ``there``."""
    now = {r.uid: r.action_points for r in target.records.all(RecordKind.SUPERVISION)}  # type: ignore[attr-defined]
    waiting = {c.uid: c for c in target.conflicts.all()}
    shown = len(summary.conflicts)
    assert shown == len(waiting)
    for uid, text in here.edited.items():  # an edit made here stays...
        if text in there.seen.get(uid, {""}):
            continue  # ...unless the other copy had it too and went on from it
        assert now.get(uid) == text
    for uid, text in there.edited.items():  # an edit made there arrives or waits...
        if text in here.seen.get(uid, {""}):
            continue  # ...unless this copy had it already and went on from it
        theirs = waiting[uid].theirs if uid in waiting else None
        assert now.get(uid) == text or getattr(theirs, "action_points", None) == text
    for uid in there.deleted:  # a deletion made there is carried out, or waits
        assert uid not in now or uid in waiting
    for uid in here.deleted:  # a deletion made here stands (an edit made there waits)
        assert uid not in now
    assert (here.created | there.created) <= now.keys()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(laptop_steps=operations, office_steps=operations)
def test_no_edit_or_deletion_is_lost_in_either_order(
    tmp_path: Path,
    laptop_steps: list[tuple[str, int, str]],
    office_steps: list[tuple[str, int, str]],
) -> None:
    folder = tmp_path / f"run-{next(_runs)}"
    base = sessions(BASE)
    uids = [r.uid for r in base]
    with two_copies(folder, base) as (laptop, office):
        on_laptop = _apply(laptop, uids, laptop_steps)
        on_office = _apply(office, uids, office_steps)
        from_laptop, from_office = folder / "laptop.json", folder / "office.json"
        export_json(laptop.db, from_laptop)
        export_json(office.db, from_office)

        into_office = office.import_json(from_laptop)
        into_laptop = laptop.import_json(from_office)

        _check(office, on_office, on_laptop, into_office)
        _check(laptop, on_laptop, on_office, into_laptop)
        # The same files again show nothing new.
        assert office.import_json(from_laptop).conflicts == ()
        assert laptop.import_json(from_office).conflicts == ()
