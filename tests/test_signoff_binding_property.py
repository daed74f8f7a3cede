"""A property: for two practitioners' logbooks, no sequence of export, import, request, response
and restore makes a signature made for one verify as the other's.

Both logbooks are made once (signatures cost a passphrase unlock each); every example works on
fresh copies of their folders.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbook.domain.audit import ConfirmMethod
from logbook.domain.errors import LogbookError
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.domain.signoff import SignoffState
from logbook.services.exchange import export_json, import_json
from logbook.services.logbook import Logbook
from logbook.services.signoff.inbox import Decision
from tests.signoff_support import PASSPHRASE, SUPERVISOR, add_entries, new_identity, open_book

NAMES = ("a", "b")


@dataclass(frozen=True)
class World:
    """The prepared folders of both practitioners, and the files each can be sent."""

    root: Path

    def book(self, name: str) -> Path:
        return self.root / name

    def export(self, name: str) -> Path:
        return self.root / f"{name}.json"

    def response(self, name: str) -> Path:
        return self.root / f"{name}.response.json"

    def backup(self, name: str) -> Path:
        return self.root / f"{name}.backup.sqlite"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Two practitioners supervised by the same supervisor: each has an entry signed in person
    (key confirmed), an entry awaiting a remote answer (the response file is ready), an export,
    and a backup of their logbook."""
    made = World(tmp_path_factory.mktemp("two-practitioners"))
    with open_book(made.root / "supervisor") as supervisor:
        aileen = new_identity(supervisor)
        for name in NAMES:
            with open_book(made.book(name)) as book:
                signed, asked = add_entries(book, 2)
                assert isinstance(signed, SupervisionSession)
                assert signed.counterpart_uid
                book.signoff.sign([signed], aileen, PASSPHRASE, confirm_for=signed.counterpart_uid)
                request = made.root / f"{name}.request.json"
                book.signoff.create_request([asked], request, supervisor_name=SUPERVISOR)
                entry = supervisor.signoff.open_request(request).entry
                supervisor.signoff.respond(
                    entry.uid,
                    {asked.uid: Decision.signed()},
                    aileen,
                    PASSPHRASE,
                    made.response(name),
                )
                export_json(book.db, made.export(name))
                info = book.backups.backup_now("manual")
                shutil.copy(info.path, made.backup(name))
    return made


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["import", "apply", "restore", "confirm"]),
        st.sampled_from(NAMES),  # the logbook acted on
        st.sampled_from(NAMES),  # whose file it is
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(OPERATIONS)
def test_no_sequence_of_moves_makes_a_signature_verify_for_another_practitioner(
    world: World, operations: list[tuple[str, str, str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        books = {name: stack.enter_context(_copy(world, name, Path(folder))) for name in NAMES}
        for operation, target, source in operations:
            _apply(books[target], operation, world, source)
            for book in books.values():
                _only_own_signatures_verify(book)


def _copy(world: World, name: str, folder: Path) -> AbstractContextManager[Logbook]:
    copy = folder / name
    shutil.copytree(world.book(name), copy)
    return open_book(copy)


def _apply(book: Logbook, operation: str, world: World, source: str) -> None:
    try:
        if operation == "import":
            import_json(book.db, world.export(source))
        elif operation == "apply":
            book.signoff.apply_response(
                world.response(source), confirm_partial=True, trust_signer=True
            )
        elif operation == "restore":
            book.backups.restore_file(world.backup(source))
        else:
            # The practitioner confirms every key they have seen, for each person in turn (an
            # import may have brought another practitioner's record of the same supervisor).
            people = book.records.all(RecordKind.PERSON)
            for person in people if source == "a" else reversed(people):
                for signer in book.signoff.known_signers():
                    book.signoff.confirm_key(person.uid, signer.identity, ConfirmMethod.PHONE)
                _only_own_signatures_verify(book)
    except LogbookError:
        pass  # refused: nothing was changed, and the invariant is checked all the same


def _only_own_signatures_verify(book: Logbook) -> None:
    own = book.signoff.practitioner().key
    records = book.records.all(RecordKind.SUPERVISION)
    for uid, assessment in book.signoff.assess(records).items():
        proven = [
            check.statement
            for event, check in assessment.signatures
            if assessment.verdicts.get(event.uid) is not None
            and assessment.verdicts[event.uid].state is SignoffState.VERIFIED
        ]
        if assessment.state is SignoffState.VERIFIED:
            assert proven, uid
        for statement in proven:
            assert statement is not None
            assert statement.binding is not None
            assert statement.binding.practitioner_key == own
            assert statement.binding.logbook_id == book.db.logbook_id
