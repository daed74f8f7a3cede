"""Hostile files: none exhausts memory, floods the screen with errors, or crashes the app.

Each test feeds one kind of hostile file (found by a tester set on breaking the importers) to the
real command line or service, and checks what a user sees: a refusal that names the file, the
record and the field and says what is allowed, exit status 1, no traceback, and a logbook exactly
as it was.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from logbook.cli.main import main as cli
from logbook.cli.signoff import ENV_SIGNING_PASSPHRASE
from logbook.domain.limits import MAX_REVISION
from logbook.domain.records import RecordKind, SupervisionSession
from logbook.domain.requirements.loader import PackError
from logbook.domain.signoff import SignoffState
from logbook.services.exchange import export_json
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from tests.fuzz_targets import JsonImport, fill, fingerprint, hostile_json, target
from tests.signoff_support import (
    PASSPHRASE,
    SUPERVISOR,
    add_entries,
    confirm_supervisor,
    new_identity,
    open_book,
)

# The bound stated in docs/json-format.md: reading any file takes at most about this much
# memory beyond the app's own.
MEMORY_BOUND_MB = 100


# --- set-up ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A valid export of a small logbook, parsed (each test damages a copy)."""
    folder = tmp_path_factory.mktemp("source")
    with open_book(folder / "book") as book:
        fill(book)
        export_json(book.db, folder / "export.json")
    document: dict[str, Any] = json.loads((folder / "export.json").read_text())
    return document


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The data folder of a logbook with a few records, which a refused file must not change."""
    with open_book(tmp_path / "book") as book:
        book.records.create(SupervisionSession(date=date(2026, 1, 5), duration_minutes=50))
    return tmp_path / "book"


def state(folder: Path) -> str:
    """Every row of every table of the logbook in ``folder``, as one digest."""
    return fingerprint(DataLocation(folder).database)


def run(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str]:
    status = cli(["--data-dir", str(folder), *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def session_index(document: dict[str, Any]) -> int:
    """The index of the first supervision record (reported as record index + 1)."""
    return next(i for i, r in enumerate(document["records"]) if r["kind"] == "supervision")


def write(path: Path, document: dict[str, Any], *, replace: dict[str, str] | None = None) -> Path:
    """``document`` as JSON text, with text-level replacements json.dumps cannot make."""
    text = json.dumps(document, indent=1)
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def refused(capsys: pytest.CaptureFixture[str], folder: Path, path: Path, *expected: str) -> str:
    """Import ``path`` on the command line; it must be refused, saying each of ``expected``,
    without a traceback, with the logbook unchanged."""
    before = state(folder)
    status, out = run(capsys, folder, "import-json", str(path))
    assert status == 1, out
    assert "Traceback" not in out
    assert f"{path.name} was not imported" in out
    for text in expected:
        assert text in out, out
    assert state(folder) == before
    return out


# --- floods of errors and memory ---------------------------------------------------------------


def zeros_file(path: Path, megabytes: int) -> Path:
    count = megabytes * 1024 * 1024 // 2
    head = '{"format": "practice-logbook", "format_version": 1, "records": ['
    path.write_text(head + ",".join(["0"] * count) + "]}")
    return path


def test_a_file_of_millions_of_bad_records_lists_a_hundred_problems_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    path = zeros_file(tmp_path / "zeros.json", 4)  # two million records, each just 0

    out = refused(capsys, folder, path, "zeros.json, record 1: not an object (0)")

    problems = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(problems) == 101
    assert "zeros.json, record 100: not an object" in problems[99]
    assert problems[100].startswith("  - … and more than 99,900 other problems")


CHILD = textwrap.dedent(
    """
    import resource, sys
    from logbook.cli.main import main

    folder, warm_up, *hostile = sys.argv[1:]
    assert main(["--data-dir", folder, "import-json", warm_up]) == 0
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for path in hostile:
        assert main(["--data-dir", folder, "import-json", path]) == 1
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((after - before) // 1024)
    """
)


def test_importing_hostile_files_of_eight_megabytes_stays_within_the_memory_bound(
    export: dict[str, Any], tmp_path: Path
) -> None:
    # Four million tiny records; 2.8 million empty lists (twenty times their size as objects);
    # and one record of 2.8 million lists. Before, the first took 1.5 GB.
    lists = ",".join(["[]"] * (8 * 1024 * 1024 // 3))
    head = '{"format": "practice-logbook", "format_version": 1, "records": '
    hostile = [
        zeros_file(tmp_path / "zeros.json", 8),
        tmp_path / "lists.json",
        tmp_path / "one-record.json",
    ]
    hostile[1].write_text(head + "[" + lists + "]}")
    hostile[2].write_text(head + "[[" + lists + "]]}")
    warm_up = write(tmp_path / "small.json", export)

    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "book"), str(warm_up), *map(str, hostile)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    growth_mb = int(result.stdout.split()[-1])
    assert growth_mb < MEMORY_BOUND_MB


def test_a_csv_file_of_a_thousand_bad_rows_lists_a_hundred_problems_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text("date,duration\n" + "2026-01-05,0\n" * 1000, encoding="utf-8")
    before = state(folder)

    status, out = run(capsys, folder, "import-csv", "supervision", str(path))

    assert status == 1
    problems = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(problems) == 101
    assert (
        problems[0]
        == "  - sessions.csv, row 2, duration: duration must be between 1 and 1440 minutes"
    )
    assert problems[100] == "  - … and 900 more problems"
    assert state(folder) == before


# --- numbers out of range ----------------------------------------------------------------------


def test_a_whole_number_of_5000_digits_is_refused_naming_the_record_and_field(
    capsys: pytest.CaptureFixture[str], export: dict[str, Any], folder: Path, tmp_path: Path
) -> None:
    document = json.loads(json.dumps(export))
    index = session_index(document)
    document["records"][index]["duration_minutes"] = "@@"
    path = write(tmp_path / "digits.json", document, replace={'"@@"': "9" * 5000})

    refused(
        capsys,
        folder,
        path,
        f"digits.json, record {index + 1}, duration_minutes: holds a number that cannot be "
        "signed or stored (a number of 5,000 digits; whole numbers must be between "
        "-9,007,199,254,740,991 and 9,007,199,254,740,991)",
    )


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        (2**70, "holds a number that cannot be signed or stored (1180591620717411303424;"),
        (2**63 - 1, "holds a number that cannot be signed or stored (9223372036854775807;"),
        (2**31, "revision must be between 1 and 2,147,483,647 (it is 2147483648)"),
    ],
)
def test_a_revision_beyond_what_can_be_edited_and_signed_is_refused(
    capsys: pytest.CaptureFixture[str],
    export: dict[str, Any],
    folder: Path,
    tmp_path: Path,
    revision: int,
    message: str,
) -> None:
    document = json.loads(json.dumps(export))
    index = session_index(document)
    document["records"][index]["revision"] = revision

    refused(
        capsys,
        folder,
        write(tmp_path / "revision.json", document),
        f"revision.json, record {index + 1}, revision: {message}",
    )


def test_the_highest_revision_a_file_may_bring_still_leaves_room_to_edit_and_sign(
    capsys: pytest.CaptureFixture[str], export: dict[str, Any], tmp_path: Path
) -> None:
    document = json.loads(json.dumps(export))
    index = session_index(document)
    document["records"][index]["revision"] = MAX_REVISION
    status, out = run(
        capsys, tmp_path / "book", "import-json", str(write(tmp_path / "max.json", document))
    )
    assert status == 0, out

    with open_book(tmp_path / "book") as book:
        session = book.records.get(RecordKind.SUPERVISION, document["records"][index]["uid"])
        edited = book.records.update(dataclasses.replace(session, action_points="Edited"))
        assert edited.record.revision == MAX_REVISION + 1
        identity = new_identity(book)
        confirm_supervisor(book, identity)
        book.signoff.sign([edited.record], identity, PASSPHRASE)
        assert book.signoff.states([edited.record])[session.uid] is SignoffState.VERIFIED


# --- text that is not Unicode, and a byte order mark -------------------------------------------


def test_an_unpaired_surrogate_is_refused_with_its_position(
    capsys: pytest.CaptureFixture[str], export: dict[str, Any], folder: Path, tmp_path: Path
) -> None:
    document = json.loads(json.dumps(export))
    index = session_index(document)
    document["records"][index]["reflection"] = "Fine until here: \ud800"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="ascii")

    refused(
        capsys,
        folder,
        path,
        f"surrogate.json, record {index + 1}, reflection: holds text that is not valid Unicode: "
        "an unpaired surrogate ('\\ud800') at character 18",
    )


def test_a_json_file_with_a_byte_order_mark_is_imported(
    capsys: pytest.CaptureFixture[str], export: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(export).encode())

    status, out = run(capsys, tmp_path / "book", "import-json", str(path))

    assert status == 0, out
    assert f"Imported bom.json: {len(export['records'])} added" in out


def test_an_identity_file_with_a_byte_order_mark_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with open_book(tmp_path / "supervisor") as book:
        identity = new_identity(book)
        book.signoff.identities.export(identity.fingerprint, tmp_path / "usb.json")
    path = tmp_path / "usb.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    status, out = run(capsys, tmp_path / "elsewhere", "identity", "import", str(path))

    assert status == 0, out
    assert identity.fingerprint in out


# --- nesting -----------------------------------------------------------------------------------


def test_a_request_file_nested_100000_deep_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "request.json"
    path.write_text('{"format": "practice-logbook-signoff-request/2", "items": ' + "[" * 100_000)

    status, out = run(capsys, tmp_path / "supervisor", "inbox", "open", str(path))

    assert status == 1
    assert "Traceback" not in out
    assert "request.json is not a valid sign-off request: it is nested more than 32 levels" in out


PACK = Path(__file__).parents[1] / "resources" / "packs" / "hcpc_cpd.toml"


def own_pack(folder: Path, text: str, name: str = "mine.toml") -> Path:
    """``text`` as a pack of the user's own, under a new id."""
    (folder / "packs").mkdir(parents=True, exist_ok=True)
    path = folder / "packs" / name
    path.write_text(text.replace('id = "', 'id = "mine_', 1), encoding="utf-8")
    return path


def test_a_rule_pack_nested_50000_deep_does_not_stop_the_status_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = PACK.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    own_pack(tmp_path / "book", text + "extra = " + "[" * 50_000 + "]" * 50_000 + "\n")

    _, out = run(capsys, tmp_path / "book", "status", "--list")

    assert "Traceback" not in out
    assert f"mine.toml, line {line}: nested more than 32 levels deep" in out
    assert "hcpc_cpd" in out  # the other packs are still there


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "cycle_years = 2",
            "cycle_years = 100000000000000000000",
            "cycle_years: must be at most 10",
        ),
        ("minimum = 12", "minimum = nan", "minimum: must be a finite number, not nan"),
        ("minimum = 12", "minimum = inf", "minimum: must be a finite number, not inf"),
    ],
)
def test_a_rule_pack_with_numbers_out_of_bounds_is_refused_naming_file_line_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = PACK.read_text(encoding="utf-8")
    assert old in text
    own_pack(tmp_path / "book", text.replace(old, new, 1))
    line = text[: text.index(old)].count("\n") + 1

    status, out = run(capsys, tmp_path / "book", "status", "--pack", "mine_hcpc_cpd")

    assert status == 1
    assert "Traceback" not in out
    assert f"mine.toml, line {line}, " in out
    assert message in out
    with open_book(tmp_path / "other") as book, pytest.raises(PackError, match=message):
        book.requirements.import_pack(tmp_path / "book" / "packs" / "mine.toml")


# --- an altered identity file ------------------------------------------------------------------


@pytest.fixture
def request_in_inbox(tmp_path: Path) -> tuple[Path, str, Path]:
    """A supervisor's data folder with a request in its inbox, the request's id, and the
    supervisor's identity file on a USB stick."""
    with open_book(tmp_path / "me") as me, open_book(tmp_path / "supervisor") as supervisor:
        entries = add_entries(me, 2)
        identity = new_identity(supervisor)
        me.signoff.create_request(entries, tmp_path / "request.json", supervisor_name=SUPERVISOR)
        entry = supervisor.signoff.open_request(tmp_path / "request.json").entry
        supervisor.signoff.identities.export(identity.fingerprint, tmp_path / "usb.json")
    return tmp_path / "supervisor", entry.uid, tmp_path / "usb.json"


def test_an_identity_file_whose_name_was_altered_says_so_rather_than_wrong_passphrase(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    request_in_inbox: tuple[Path, str, Path],
    tmp_path: Path,
) -> None:
    supervisor, request, usb = request_in_inbox
    data = json.loads(usb.read_text())
    data["identity"]["name"] = "Dr Someone Else"
    usb.write_text(json.dumps(data))
    monkeypatch.setenv(ENV_SIGNING_PASSPHRASE, PASSPHRASE)
    response = tmp_path / "response.json"

    status, out = run(
        capsys, supervisor, "respond", request, "--identity", str(usb), "--sign-all",
        "--out", str(response),
    )  # fmt: skip

    assert status == 1
    assert "Traceback" not in out
    assert "was altered after it was made: the passphrase is right" in out
    assert "does not unlock" not in out
    assert not response.exists()


def test_an_identity_file_whose_fingerprint_was_altered_is_refused_as_altered(
    capsys: pytest.CaptureFixture[str], request_in_inbox: tuple[Path, str, Path], tmp_path: Path
) -> None:
    _, _, usb = request_in_inbox
    data = json.loads(usb.read_text())
    data["identity"]["fingerprint"] = "AAAA-BBBB-CCCC-DDDD"
    usb.write_text(json.dumps(data))

    status, out = run(capsys, tmp_path / "elsewhere", "identity", "import", str(usb))

    assert status == 1
    assert "usb.json was altered or damaged: the fingerprint it states" in out


# --- anything near-valid -----------------------------------------------------------------------


def test_near_valid_json_imports_are_accepted_or_refused_cleanly(tmp_path: Path) -> None:
    # Valid exports with huge numbers, deep nesting, unpaired surrogates, a key twice, a byte
    # order mark or values of the wrong type: each is accepted, or refused with a message that
    # names the file and changes nothing (``attempt`` raises FuzzFailure otherwise).
    with target("json", tmp_path / "json") as made:
        assert isinstance(made, JsonImport)

        @settings(
            max_examples=200,
            database=None,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(hostile_json(made.seed))
        def feed(data: bytes) -> None:
            outcome = made.attempt(data)
            assert outcome == "accepted" or "input.json" in outcome
            assert "Traceback" not in outcome

        feed()
        assert made.tally.failures == []
        assert made.tally.rejected > made.tally.accepted  # most edits are hostile


@pytest.mark.parametrize(
    ("log2_n", "message"),
    [
        (float("-inf"), "key derivation settings must be whole numbers"),
        (14.0, "key derivation settings must be whole numbers"),
        (True, "key derivation settings must be whole numbers"),
        (64, "key derivation settings out of range"),
    ],
)
def test_a_key_file_with_a_strange_number_is_damaged_not_a_crash(
    logbook: Logbook, log2_n: object, message: str
) -> None:
    from logbook.storage.encryption import KeyFileError, keys_path, read_envelope
    from tests.encryption_support import encrypt

    encrypt(logbook, "correct horse battery")
    path = keys_path(logbook.db.path)
    document = json.loads(path.read_text())
    document["kdf"]["log2_n"] = log2_n
    path.write_text(json.dumps(document))  # -inf is written as -Infinity

    with pytest.raises(KeyFileError, match=message):
        read_envelope(path)
