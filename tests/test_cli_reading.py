"""``summary`` and ``list`` read the logbook straight from the file when opening it in full
would only read it, and print exactly what the full open prints; in every other case (an
older or newer schema, an encrypted or damaged file, a file that is not a logbook, a backup
due, something to tidy) they open it in full, which deals with each case as it always has."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.catalogue import KINDS
from logbook.domain.choices import Direction
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery, Total
from logbook.domain.records import PracticeEntry, RecordKind, minutes_of
from logbook.services.demo import generate_demo
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.reading import open_records
from logbook.storage import encryption, reader, values
from logbook.storage.database import MIGRATIONS, SCHEMA_HEAD, create_at_schema
from logbook.storage.lockfile import LogbookLock
from logbook.storage.reader import LogbookReader, ReadFailed
from tests.cli_support import Ran, RunCli

TODAY = date(2026, 6, 30)
ENTRY_KINDS = [
    "person",
    "organisation",
    "supervision",
    "practice",
    "course",
    "cpd",
    "personal_practice",
    "pathway",
    "milestone",
    "feedback",
    "reflective_account",
    "attestation",
]
PERIODS = [
    (),
    ("--year", "2025"),
    ("--from", "1/4/2025", "--to", "31/3/2026"),
    ("--from", "1/1/2026"),
    ("--to", "31/12/2024"),
]
SEARCHES = ["endings", "holding silence", "boundar"]
LISTINGS = [
    (),
    ("--format", "json"),
    ("--limit", "3"),
    ("--limit", "100000"),
    ("--year", "2025"),
    *(("--search", words) for words in SEARCHES),
]
SUBTYPES = {
    "organisation": ("nhs",),
    "supervision": ("clinical", "mindfulness"),
    "practice": ("assessment",),
    "cpd": ("e_learning", "retreat"),
    "personal_practice": ("retreat",),
    "milestone": ("complete",),
}
HEAVY = ["sqlalchemy", "alembic", "reportlab", "cryptography", "pikepdf", "PySide6"]
STAMP = re.compile(r"\d{8}T\d{6}Z")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years of a mindfulness teacher (every kind of entry, a profile with roles and
    registrations, an attachment, a session not attended), opened once more as on the next
    day of use, so the day's backup is taken and a quick read is possible."""
    data = tmp_path_factory.mktemp("demo") / "data"
    location = DataLocation(data)
    with Logbook.open(location) as book:
        generate_demo(book, "mindfulness", 2, today=TODAY)
        evidence = data.parent / "certificate.pdf"
        evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        [course] = book.records.query(RecordQuery(RecordKind.COURSE, limit=1))
        book.attachments.add_file(course, evidence, "Certificate")
        missed = PracticeEntry(date=date(2025, 3, 3), duration_minutes=50, did_not_attend=True)
        book.records.create(missed)
    Logbook.open(location).close()
    return data


@pytest.fixture
def copy(demo: Path, tmp_path: Path) -> Path:
    """A copy of the demo logbook of this test's own."""
    data = tmp_path / "data"
    shutil.copytree(demo, data)
    return data


@pytest.fixture
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)


def _never_in_full(*_: object, **__: object) -> Logbook:
    raise AssertionError("the logbook was opened in full")


def quickly(run_cli: RunCli, data: Path, *args: str) -> Ran:
    """The command run as it is, failing the test if it opens the logbook in full."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Logbook, "open", _never_in_full)
        return run_cli(*args, data=data)


def in_full(run_cli: RunCli, data: Path, *args: str, **env: str) -> Ran:
    """The command run with the reader turned off: the logbook opened in full."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LogbookReader, "open", classmethod(lambda cls, path: None))
        return run_cli(*args, data=data, env=env)


def both_ways(run_cli: RunCli, data: Path, *args: str, **env: str) -> tuple[Ran, Ran]:
    """The command run as it is, then with the logbook opened in full, each on the logbook as
    it was (a full open may change the folder: migrate, set a file aside), with the time in a
    set-aside file's name left out."""
    kept = data.with_name("kept")
    shutil.copytree(data, kept)
    ran = _timeless(run_cli(*args, data=data, env=env))
    shutil.rmtree(data)
    kept.rename(data)
    return ran, _timeless(in_full(run_cli, data, *args, **env))


def _timeless(ran: Ran) -> Ran:
    return Ran(ran.returncode, STAMP.sub("<time>", ran.stdout), STAMP.sub("<time>", ran.stderr))


@pytest.mark.parametrize("by", ["kind", "month", "year"])
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: " ".join(p) or "all dates")
def test_summary_prints_what_the_full_open_prints(
    demo: Path, run_cli: RunCli, by: str, period: tuple[str, ...]
) -> None:
    args = ("summary", "--by", by, *period)
    quick = quickly(run_cli, demo, *args)
    assert quick.returncode == 0, quick.stderr
    assert quick.stdout.count("\n") > 1
    assert quick == in_full(run_cli, demo, *args)


@pytest.mark.parametrize("kind", ENTRY_KINDS)
@pytest.mark.parametrize("options", LISTINGS, ids=lambda o: " ".join(o) or "plain")
def test_list_prints_what_the_full_open_prints(
    demo: Path, run_cli: RunCli, kind: str, options: tuple[str, ...]
) -> None:
    args = ("list", kind, *options)
    quick = quickly(run_cli, demo, *args)
    assert quick.returncode == 0, quick.stderr
    assert quick == in_full(run_cli, demo, *args)


@pytest.mark.parametrize(("kind", "subtypes"), SUBTYPES.items())
def test_list_by_sub_kind_prints_what_the_full_open_prints(
    demo: Path, run_cli: RunCli, kind: str, subtypes: tuple[str, ...]
) -> None:
    args = ("list", kind, *(word for subtype in subtypes for word in ("--type", subtype)))
    quick = quickly(run_cli, demo, *args)
    assert quick.returncode == 0, quick.stderr
    assert quick == in_full(run_cli, demo, *args)


def test_the_listings_compared_are_not_empty(demo: Path, run_cli: RunCli) -> None:
    for kind in ENTRY_KINDS:
        assert _found(quickly(run_cli, demo, "list", kind)), kind
    for kind in ("supervision", "practice", "personal_practice"):
        assert _found(quickly(run_cli, demo, "list", kind, "--year", "2025")) > 3, kind
    for words in SEARCHES:
        assert _found(quickly(run_cli, demo, "list", "supervision", "--search", words)), words
    for kind, subtypes in SUBTYPES.items():
        assert _found(quickly(run_cli, demo, "list", kind, "--type", subtypes[0])), kind


def _found(ran: Ran) -> int:
    """How many records a listing says it found ("showing 50 of 91 …" or "3 cpd record(s)")."""
    last = ran.stdout.splitlines()[-1]
    return int(last.split(" of ")[1].split()[0] if last.startswith("showing") else last.split()[0])


def test_the_reader_reads_every_kind_as_the_repository_does(demo: Path) -> None:
    location = DataLocation(demo)
    with Logbook.open(location) as book:
        queries = [q for kind in RecordKind for q in _queries(book, kind)]
        stored = [book.records.query(q) for q in queries]
    opened = LogbookReader.open(location.database)
    assert opened is not None
    with opened:
        read = [opened.records(q) for q in queries]
    assert read == stored
    assert all(read[queries.index(RecordQuery(kind, limit=None))] for kind in RecordKind)


def test_totals_count_the_records_the_lists_show(demo: Path) -> None:
    """The totals (from the statements the reader shares with the repository) agree with the
    records the repository's own statements list, under every filter a list offers."""
    with Logbook.open(DataLocation(demo)) as book:
        for kind, info in KINDS.items():
            for query in _queries(book, kind):
                rows = book.records.query(replace(query, offset=0, limit=None))
                total = book.records.summarise(query)
                assert (total.count, total.minutes) == (len(rows), sum(map(minutes_of, rows)))
                if not info.date_field:
                    continue
                months: dict[str, list[int]] = {}
                for row in rows:
                    month = months.setdefault(getattr(row, info.date_field).isoformat()[:7], [])
                    month.append(minutes_of(row))
                expected = [Total(k, len(m), sum(m)) for k, m in sorted(months.items())]
                assert book.records.totals(query, "month") == expected, query


def _queries(book: Logbook, kind: RecordKind) -> list[RecordQuery]:
    """Queries of ``kind`` with each filter, sort and page a list offers, on values of the
    kind's first record."""
    info = KINDS[kind]
    queries = [
        RecordQuery(kind, limit=None),
        RecordQuery(kind, descending=False, offset=3, limit=7),
        RecordQuery(kind, text="endings", limit=None),
        RecordQuery(kind, text="holding silence", limit=None),
    ]
    if info.date_field:
        in_2025 = Period(date(2025, 1, 1), date(2025, 12, 31))
        queries += [RecordQuery(kind, period=in_2025, limit=None)]
    for sort in ("person", "organisation", "created_at", "duration_minutes", "title"):
        if sort in (info.person_field and "person", info.organisation_field and "organisation"):
            queries.append(RecordQuery(kind, sort=sort, limit=None))
        elif sort in info.field_names:
            queries.append(RecordQuery(kind, sort=sort, descending=False, limit=None))
    first = book.records.query(RecordQuery(kind, limit=1))
    if not first:
        return queries
    if info.subtype_field:
        subtype = str(getattr(first[0], info.subtype_field))
        queries.append(RecordQuery(kind, subtypes=frozenset({subtype}), limit=None))
    if info.person_field and (person := getattr(first[0], info.person_field)):
        queries.append(RecordQuery(kind, person_uid=person, limit=None))
    if info.organisation_field and (organisation := getattr(first[0], info.organisation_field)):
        queries.append(RecordQuery(kind, organisation_uid=organisation, limit=None))
    if kind is RecordKind.SUPERVISION:
        queries += [RecordQuery(kind, direction=d, limit=None) for d in Direction]
    return queries


def test_a_quick_read_leaves_the_folder_as_it_found_it(copy: Path, run_cli: RunCli) -> None:
    before = _folder(copy)
    assert quickly(run_cli, copy, "summary", "--by", "month").returncode == 0
    assert quickly(run_cli, copy, "list", "practice").returncode == 0
    assert _folder(copy) == before


def _folder(data: Path) -> dict[str, str]:
    """Every file under ``data`` with a digest of its content (the lock file's is its own)."""
    return {
        str(path.relative_to(data)): ""
        if path.name.endswith(".lock")
        else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data.rglob("*"))
        if path.is_file()
    }


def test_summary_and_list_load_no_database_toolkit_pdf_crypto_or_qt(demo: Path) -> None:
    """The command line loads what a command uses: building the parser, ``--help``, a summary
    and a list need none of SQLAlchemy, Alembic, ReportLab, cryptography, pikepdf or Qt."""
    program = (
        "import sys\n"
        "from logbook.cli.main import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        "    loaded = {name.partition('.')[0] for name in sys.modules}\n"
        f"    print('LOADED', *sorted(loaded & {set(HEAVY)!r}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PRACTICE_LOGBOOK_DATA_DIR"}
    on_demo = ("--data-dir", str(demo))
    for args in [
        ("--help",),
        (*on_demo, "summary", "--by", "month"),
        (*on_demo, "summary", "--year", "2025"),
        (*on_demo, "list", "supervision"),
        (*on_demo, "list", "practice", "--format", "json", "--search", "group"),
    ]:
        ran = subprocess.run(
            [sys.executable, "-c", program, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert ran.stderr == ""
        assert ran.stdout.splitlines()[-1] == "LOADED", args


def test_a_logbook_at_an_older_schema_is_upgraded_by_the_full_open(
    tmp_path: Path, run_cli: RunCli
) -> None:
    data = tmp_path / "data"
    create_at_schema(DataLocation(data).database, "0001")
    ran, full = both_ways(run_cli, data, "summary", "--by", "month")
    assert ran == full
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Summary for all dates")
    upgraded = sqlite3.connect(DataLocation(data).database)
    try:
        assert upgraded.execute("SELECT version_num FROM alembic_version").fetchone() == (
            SCHEMA_HEAD,
        )
    finally:
        upgraded.close()
    assert list((data / "backups").glob("*before-upgrade-from-0001.sqlite"))


def _set_schema(data: Path, revision: str) -> None:
    with sqlite3.connect(DataLocation(data).database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


@pytest.mark.parametrize("revision", ["0005", "9999"])
def test_a_logbook_at_another_schema_is_opened_in_full(
    copy: Path, run_cli: RunCli, revision: str
) -> None:
    _set_schema(copy, revision)
    assert LogbookReader.open(DataLocation(copy).database) is None
    ran, full = both_ways(run_cli, copy, "summary")
    assert ran == full
    if revision == "9999":
        assert ran.returncode == 1
        assert "written by a newer version of Practice Logbook" in ran.stderr
        assert "Traceback" not in ran.stderr


@pytest.mark.usefixtures("quick_kdf")
def test_an_encrypted_logbook_is_opened_in_full(copy: Path, run_cli: RunCli) -> None:
    secret = {"PRACTICE_LOGBOOK_NEW_PASSPHRASE": "correct horse battery"}
    key_file = copy.parent / "recovery-key.txt"
    done = run_cli("encrypt", "--save-recovery-key", str(key_file), data=copy, env=secret)
    assert done.returncode == 0, done.stderr
    assert LogbookReader.open(DataLocation(copy).database) is None
    locked, full = both_ways(run_cli, copy, "summary", "--by", "month")
    assert locked == full
    assert locked.returncode == 1
    assert "PRACTICE_LOGBOOK_PASSPHRASE" in locked.stderr
    unlock = {"PRACTICE_LOGBOOK_PASSPHRASE": "correct horse battery"}
    unlocked, full = both_ways(run_cli, copy, "list", "supervision", **unlock)
    assert unlocked == full
    assert unlocked.returncode == 0, unlocked.stderr
    assert "supervision record(s)" in unlocked.stdout


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"these are not the records you are looking for" * 100, "not an SQLite database"),
        (None, "an SQLite database but not a Practice Logbook"),
    ],
    ids=["not SQLite", "SQLite, not a logbook"],
)
@pytest.mark.parametrize("args", [("summary",), ("list", "cpd")], ids=" ".join)
def test_a_file_that_is_not_a_logbook_gets_the_same_message(
    tmp_path: Path, run_cli: RunCli, content: bytes | None, said: str, args: tuple[str, ...]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = DataLocation(data).database
    if content is None:
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("CREATE TABLE notes (text TEXT)")
        conn.close()
    else:
        path.write_bytes(content)
    os.chmod(path, 0o600)
    assert LogbookReader.open(path) is None
    ran, full = both_ways(run_cli, data, *args)
    assert ran == full
    assert ran.returncode == 1
    assert said in ran.stderr
    assert "Traceback" not in ran.stderr


def test_a_damaged_logbook_is_reported_by_the_full_open(copy: Path, run_cli: RunCli) -> None:
    """A damaged page in a table the listing never reads: the full open's integrity check
    finds it, and so does the reader's, which leaves the file to the full open."""
    path = DataLocation(copy).database
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        [(page,)] = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'personal_practice' AND pagetype = 'leaf' "
            "ORDER BY pageno LIMIT 1"
        ).fetchall()
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(b"\xff" * page_size)
    assert LogbookReader.open(path) is None
    ran, full = both_ways(run_cli, copy, "list", "supervision")
    assert ran == full
    assert ran.returncode == 1
    assert "damaged" in ran.stderr
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize(
    "beside",
    [
        "logbook.sqlite-wal",
        "logbook.sqlite-journal",
        "logbook.sqlite.keys",
        "logbook.sqlite.keys.next",
        "logbook.sqlite.staging-restore",
    ],
)
def test_work_to_settle_or_tidy_beside_the_file_is_left_to_the_full_open(
    copy: Path, run_cli: RunCli, beside: str
) -> None:
    (copy / beside).write_bytes(b"")
    assert LogbookReader.open(DataLocation(copy).database) is None
    ran, full = both_ways(run_cli, copy, "summary", "--by", "year")
    assert ran == full
    assert ran.returncode == 0, ran.stderr


def test_leftovers_of_an_interrupted_backup_or_save_are_left_to_the_full_open(
    copy: Path, run_cli: RunCli
) -> None:
    for leftover in [copy / "backups" / ".partial.sqlite.partial", copy / "identities/.partial-x"]:
        leftover.parent.mkdir(exist_ok=True)
        leftover.write_bytes(b"half")
        assert open_records(DataLocation(copy), _never_in_full) is None
        ran = run_cli("summary", data=copy)
        assert ran.returncode == 0, ran.stderr
        assert not leftover.exists()  # the full open removed it, as it always has


def test_a_backup_due_is_taken_by_the_full_open(copy: Path, run_cli: RunCli) -> None:
    for backup in (copy / "backups").iterdir():
        backup.unlink()
    assert open_records(DataLocation(copy), _never_in_full) is None
    ran, full = both_ways(run_cli, copy, "summary", "--by", "month")
    assert ran == full
    assert list((copy / "backups").glob("*-daily.sqlite"))
    records = open_records(DataLocation(copy), _never_in_full)
    assert records is not None
    records.close()


def test_a_logbook_open_elsewhere_is_reported_by_the_full_open(copy: Path, run_cli: RunCli) -> None:
    lock = LogbookLock.acquire(DataLocation(copy).database)
    try:
        ran = run_cli("summary", data=copy)
        full = in_full(run_cli, copy, "summary")
    finally:
        lock.release()
    assert ran == full
    assert ran.returncode == 1
    assert "is already open in another window" in ran.stderr


def test_a_logbook_readable_by_others_is_made_private_by_the_full_open(
    copy: Path, run_cli: RunCli
) -> None:
    path = DataLocation(copy).database
    os.chmod(path, 0o644)
    assert LogbookReader.open(path) is None
    assert run_cli("list", "cpd", data=copy).returncode == 0
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_read_that_fails_is_made_again_by_the_full_open(
    demo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = in_full(run_cli, demo, "summary", "--by", "month")
    calls: list[str] = []

    def fail(self: LogbookReader, *_: object) -> None:
        calls.append("totals")
        raise ReadFailed("database disk image is malformed")

    monkeypatch.setattr(LogbookReader, "totals", fail)
    assert run_cli("summary", "--by", "month", data=demo) == expected
    assert calls == ["totals"]


def test_a_value_read_differently_is_read_by_the_full_open(
    demo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field of a type the reader does not know (one added since) sends the list to the
    full open, whose column types know it."""
    expected = in_full(run_cli, demo, "list", "supervision", "--format", "json")

    def unknown(declared: object) -> None:
        raise TypeError(f"no stored form is known for {declared}")

    monkeypatch.setattr(values, "reader_for", unknown)
    reader._readers.cache_clear()
    try:
        assert run_cli("list", "supervision", "--format", "json", data=demo) == expected
    finally:
        reader._readers.cache_clear()


def test_the_reader_knows_the_schema_the_app_writes() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory(str(MIGRATIONS)).get_heads() == [reader.READABLE_SCHEMA]
    assert reader.READABLE_SCHEMA == SCHEMA_HEAD


def test_the_plain_statements_name_the_tables_and_columns_of_the_models() -> None:
    from logbook.storage import record_sql
    from logbook.storage.repository import ROWS

    for kind, row in ROWS.items():
        assert record_sql.table(kind) == row.__tablename__
        columns = set(row.__table__.columns.keys())
        assert set(KINDS[kind].field_names) <= columns, kind
        assert ("direction" in columns) == ("direction" in KINDS[kind].field_names), kind


def _commands() -> list[tuple[str, ...]]:
    """Every command and action of the parser, as the words that name it."""
    import argparse

    from logbook.cli.main import build_parser

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield words
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, (*words, name))

    return list(walk(build_parser(), ()))


def test_options_listed_from_a_service_are_in_their_command_help(run_cli: RunCli) -> None:
    helps = {words: run_cli(*words, "--help") for words in _commands()}
    assert all(ran.returncode == 0 and ran.stdout.startswith("usage:") for ran in helps.values())
    assert "--persona {mindfulness,pwp," in helps[("demo",)].stdout
    assert "--keep {here,other}" in helps[("conflicts", "resolve")].stdout
    assert "(default 90)" in " ".join(helps[("reminders",)].stdout.split())
    assert "--method {" in helps[("identity", "confirm")].stdout
    assert "{supervision," in helps[("request", "create")].stdout
    assert "Layouts: portfolio:" in helps[("export-pdf",)].stdout
    assert "--layout {portfolio," in helps[("export-pdf",)].stdout
    wrong = run_cli("demo", "--persona", "nobody")
    assert wrong.returncode == 2
    assert "invalid choice: 'nobody' (choose from 'mindfulness'," in wrong.stderr
