"""Shared set-up for the sign-off tests: a practitioner's logbook with entries, a supervisor with
a real signing identity and a logbook of their own.

Identities here use a lighter (still real) Argon2id setting so the suite stays quick; the
default setting is exercised by the identity tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.audit import ConfirmMethod
from logbook.domain.identity import KdfParameters, PublicIdentity, SealedIdentity
from logbook.domain.records import (
    CpdActivity,
    Person,
    PracticeEntry,
    Profile,
    Record,
    RecordKind,
    Registration,
    SupervisionSession,
)
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook

PASSPHRASE = "blue heron at dawn"
SUPERVISOR = "Dr Aileen MacLeod"


def light_kdf() -> KdfParameters:
    return KdfParameters(salt=os.urandom(16), memory_kib=8192, iterations=1)


def new_identity(logbook: Logbook, name: str = SUPERVISOR) -> SealedIdentity:
    """A supervisor identity kept in ``logbook``'s data folder."""
    return logbook.signoff.identities.create(
        name,
        PASSPHRASE,
        registration_body="HCPC",
        registration_number="PYL04321",
        organisation="NHS Lothian",
        kdf=light_kdf(),
    )


def add_entries(logbook: Logbook, count: int = 3, *, month: int = 3) -> list[Record]:
    """A profile, the supervisor as a person, and ``count`` weekly supervision sessions."""
    if logbook.records.profile() is None:
        logbook.records.create(
            Profile(
                name="Morag Stewart",
                email="morag@example.org",
                registrations=(Registration(body="BABCP", number="123456"),),
            )
        )
    person = logbook.records.create(Person(name=SUPERVISOR)).record
    made: list[Record] = []
    for week in range(count):
        session = SupervisionSession(
            date=date(2026, month, 2 + 3 * week),
            duration_minutes=60,
            counterpart_uid=person.uid,
            themes=("case formulation", "risk"),
            action_points="Review the stepped-care plan.",
            reflection="Felt unsure about the risk plan.",
            reflection_private=True,
        )
        made.append(logbook.records.create(session).record)
    return made


def confirm_supervisor(
    logbook: Logbook,
    identity: SealedIdentity | PublicIdentity,
    name: str = SUPERVISOR,
    method: ConfirmMethod = ConfirmMethod.IN_PERSON,
) -> str:
    """The practitioner confirms ``identity``'s key with the supervisor: it is pinned to the one
    person called ``name``. Returns the confirmation event's uid."""
    public = identity.public if isinstance(identity, SealedIdentity) else identity
    [person] = [
        p
        for p in logbook.records.all(RecordKind.PERSON)
        if isinstance(p, Person) and p.name == name
    ]
    return logbook.signoff.confirm_key(person.uid, public, method).event_uid


def add_practice_and_cpd(logbook: Logbook) -> list[Record]:
    practice = PracticeEntry(date=date(2026, 3, 4), duration_minutes=300, client_group="adults")
    cpd = CpdActivity(
        start_date=date(2026, 3, 10),
        title="Working with chronic pain",
        duration_minutes=360,
        reflection="Shared with my supervisor.",
        reflection_private=False,
    )
    return [logbook.records.create(practice).record, logbook.records.create(cpd).record]


@contextmanager
def open_book(folder: Path) -> Iterator[Logbook]:
    """A logbook in its own data folder, closed afterwards."""
    opened = Logbook.open(DataLocation(folder))
    try:
        yield opened
    finally:
        opened.close()


# --- fixtures shared by the sign-off tests (made available to every test by conftest) ----------


@pytest.fixture
def practitioner(tmp_path: Path) -> Iterator[Logbook]:
    """A practitioner's logbook in its own data folder."""
    with open_book(tmp_path / "practitioner") as book:
        yield book


@pytest.fixture
def supervisor_book(tmp_path: Path) -> Iterator[Logbook]:
    """The supervisor's own logbook, on their own computer."""
    with open_book(tmp_path / "supervisor") as book:
        yield book


@pytest.fixture
def identity(supervisor_book: Logbook) -> SealedIdentity:
    """The supervisor's signing identity, kept in their own copy of the app."""
    return new_identity(supervisor_book)
