"""The demo logbook shows real sign-off: every persona's supervisor signs a share of the entries
in each way (in person, remote, batch, period summary), returns one, has one signature revoked,
and nothing is dated after today."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.records import Milestone, Person, Record, RecordKind, entry_date
from logbook.domain.signing import SIGNABLE_KINDS, EventType
from logbook.domain.signoff import SignoffMode, SignoffState
from logbook.services.demo import (
    DEMO_SUPERVISOR_FOLDER,
    DEMO_SUPERVISOR_PASSPHRASE,
    PERSONAS,
    DemoResult,
    generate_demo,
)
from logbook.services.identity import IDENTITY_SUFFIX, read_identity_file
from logbook.services.logbook import Logbook
from tests.signoff_support import open_book

SUPERVISORS = {
    "mindfulness": "Dr Alasdair Grant",
    "pwp": "Sarah Whitfield",
    "peer": "Dawn Mitchell",
    "supervisor": "Prof. Ruth Adeyemi",
    "counsellor": "Margaret Okonkwo",
    "nurse": "Gareth Lloyd",
    "hcpc": "Dr Lena Fischer",
}


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Logbook]:
    with open_book(tmp_path / "logbook") as opened:
        yield opened


def signable(book: Logbook) -> list[Record]:
    return [r for kind in SIGNABLE_KINDS for r in book.records.all(kind)]


def modes_of_verified(book: Logbook, records: list[Record]) -> Counter[SignoffMode]:
    """How the entries shown as signed (verified) were signed."""
    states = book.signoff.states(records)
    modes: Counter[SignoffMode] = Counter()
    for record in records:
        if states[record.uid] is SignoffState.VERIFIED:
            detail = book.signoff.detail(record)
            modes.update(s.mode for s in detail.signatures if s.valid)
    return modes


def dates_after(record: Record, today: date) -> list[str]:
    """The fields of ``record`` dated after ``today`` (a milestone may be due later)."""
    late = []
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        planned = isinstance(record, Milestone) and field.name == "due_date"
        if isinstance(value, date) and not hasattr(value, "hour") and value > today and not planned:
            late.append(field.name)
    return late


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_shows_each_way_of_signing(book: Logbook, persona: str) -> None:
    result = generate_demo(book, persona=persona, years=1)
    records = signable(book)
    states = book.signoff.states(records)
    supervisor = SUPERVISORS[persona]

    modes = modes_of_verified(book, records)
    assert modes[SignoffMode.IN_PERSON] >= 1
    assert modes[SignoffMode.REMOTE] >= 1
    assert modes[SignoffMode.BATCH] >= 1

    summaries = book.signoff.summaries()
    assert len(summaries) == 1
    assert book.signoff.states(summaries)[summaries[0].uid] is SignoffState.VERIFIED
    assert summaries[0].period.end is not None
    assert summaries[0].period.end < date.today()

    returned = [r for r in records if states[r.uid] is SignoffState.RETURNED]
    assert len(returned) == 1
    comment = book.signoff.detail(returned[0]).assessment.comment
    assert comment.startswith("Please add")
    assert SignoffState.AWAITING in states.values()

    events = [e for r in records for e in book.signoff.history(r.uid)]
    revoked = [e for e in events if e.event_type is EventType.REVOKED]
    assert len(revoked) == 1
    assert revoked[0].actor_name == supervisor
    assert revoked[0].comment
    signers = {e.actor_name for e in events if e.event_type is EventType.SIGNED}
    assert signers == {supervisor}

    assert book.signoff.verify_all().ok
    assert result.signoff == {
        "in_person": 5,
        "batch": result.signoff["batch"],
        "period_summary": 1,
        "remote": 3,
        "returned": 1,
        "awaiting": 1,
        "revoked": 1,
    }
    assert 1 <= result.signoff["batch"] <= 31


# A Saturday, with seeds that used to log a course, a retreat or a weekend's entry after it.
@pytest.mark.parametrize(
    ("persona", "seed"),
    [
        ("mindfulness", 7),
        ("pwp", 18),
        ("peer", 13),
        ("supervisor", 13),
        ("counsellor", 13),
        ("nurse", 13),
        ("hcpc", 13),
    ],
)
def test_nothing_is_dated_after_today(book: Logbook, persona: str, seed: int) -> None:
    today = date(2025, 5, 31)
    generate_demo(book, persona=persona, years=2, seed=seed, today=today)
    everything = [r for kind in RecordKind for r in book.records.all(kind)]
    assert everything
    assert not [r for r in everything if (entry_date(r) or today) > today]
    assert not {r.kind.value: dates_after(r, today) for r in everything if dates_after(r, today)}
    assert book.signoff.verify_all().ok


def test_the_supervisor_identity_is_kept_apart_and_unlocks_with_the_documented_passphrase(
    book: Logbook,
) -> None:
    generate_demo(book, persona="mindfulness", years=1)
    assert book.location is not None
    folder = book.location.root / DEMO_SUPERVISOR_FOLDER
    files = sorted(folder.glob(f"*{IDENTITY_SUFFIX}"))
    assert len(files) == 1
    identity = read_identity_file(files[0])
    unlocked = identity.unlock(DEMO_SUPERVISOR_PASSPHRASE)
    assert unlocked.public.name == SUPERVISORS["mindfulness"]
    assert DEMO_SUPERVISOR_PASSPHRASE in (folder / "README.txt").read_text()
    # Never in the practitioner's own identity store.
    assert book.signoff.identities.list() == []
    # Its key is the one confirmed, in person, for the supervisor recorded on the sessions.
    known = {k.fingerprint: k for k in book.signoff.known_signers()}
    pinned = known[identity.fingerprint].person_uid
    assert pinned is not None
    person = book.records.get(RecordKind.PERSON, pinned)
    assert isinstance(person, Person)
    assert person.name == SUPERVISORS["mindfulness"]


def test_a_logbook_without_a_data_folder_is_signed_without_writing_the_identity(
    tmp_path: Path,
) -> None:
    book = Logbook.open_file(tmp_path / "alone.sqlite")
    try:
        result: DemoResult = generate_demo(book, persona="peer", years=1)
        assert result.signoff["in_person"] == 5
        assert book.signoff.verify_all().ok
    finally:
        book.close()
    assert not (tmp_path / DEMO_SUPERVISOR_FOLDER).exists()
