"""CSV import reads a row at a time: a long or hostile file costs bounded memory, is refused
naming file, row and column, and leaves the logbook as it was; a long good file is imported
row for row."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from logbook.cli.main import main as cli
from logbook.domain.errors import ValidationError
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Person, RecordKind, SupervisionSession
from logbook.services import imports, tabular
from logbook.services.imports import import_csv
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from tests.fuzz_targets import fingerprint
from tests.signoff_support import open_book

# What reading any CSV file may take beyond the app's own memory (as for JSON files, see
# tests/test_hostile_inputs.py). Before rows were streamed, the first hostile file below took
# about 110 MB more, and the third about 600 MB; now each takes under 10 MB.
MEMORY_BOUND_MB = 100
UID = "5d2a4c1e-7b0f-4c55-9d3e-2f6a8b9c0d1e"

CHILD = textwrap.dedent(
    """
    import sys
    from logbook.cli.main import main

    def kb(field):
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith(field))

    folder, warm_up, *hostile = sys.argv[1:]
    assert main(["--data-dir", folder, "import-csv", "supervision", warm_up]) == 1
    # The peak starts again from what the process holds now (a child's getrusage peak
    # starts from its parent's).
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = kb("VmRSS:")
    for path in hostile:
        assert main(["--data-dir", folder, "import-csv", "supervision", path]) == 1
    print((kb("VmHWM:") - before) // 1024)
    """
)


def _write(path: Path, header: str, rows: list[str] | None = None, *, repeat: str = "") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        handle.writelines(f"{row}\n" for row in rows or [])
        handle.write(repeat)
    return path


def _problem_lines(stderr: str, name: str) -> list[str]:
    block = stderr.split(f"error: {name} was not imported", 1)[1].split("error: ", 1)[0]
    return [line for line in block.splitlines() if line.startswith("  - ")]


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="measured through /proc")
def test_hostile_csv_files_stay_within_the_memory_bound_and_change_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "book"
    with open_book(folder) as book:
        book.records.create(SupervisionSession(date=date(2026, 1, 5), duration_minutes=50))
    before = fingerprint(DataLocation(folder).database)
    header = "date,duration,supervisor,reflection"
    # Loads and warms up everything an import uses, writing and rolling back one batch.
    warm_up = _write(tmp_path / "warm.csv", header, ["2026-03-02,60,A,", "2026-02-30,60,A,"])
    # 300,000 rows, each with a bad date: reading stops at 100,000 problems.
    rows = _write(
        tmp_path / "rows.csv", header, repeat="2026-02-30,60,Sarah Whitfield,\n" * 300_000
    )
    # 45 MB of good rows with long reflections, written in batches, then a bad last row.
    long = _write(
        tmp_path / "long.csv",
        header,
        [f"2026-03-02,60,Person {i % 50},{'x' * 19_000}" for i in range(2_400)],
        repeat="2026-03-02,sixty,Person 1,\n",
    )
    # One line of 40 million commas (the csv module would make each gap a cell).
    commas = _write(tmp_path / "commas.csv", header, repeat="," * 40_000_000 + "\n")

    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), *map(str, (warm_up, rows, long, commas))],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    growth_mb = int(result.stdout.split()[-1])
    assert growth_mb < MEMORY_BOUND_MB
    listed = _problem_lines(result.stderr, "rows.csv")
    assert len(listed) == 101
    assert (
        listed[0]
        == "  - rows.csv, row 2, date: '2026-02-30' is not a date (use YYYY-MM-DD or 25/11/2026)"
    )
    assert (
        listed[99]
        == "  - rows.csv, row 101, date: '2026-02-30' is not a date (use YYYY-MM-DD or 25/11/2026)"
    )
    assert listed[100] == (
        "  - … and more than 99,900 other problems; the rest of the file was not checked"
    )
    assert _problem_lines(result.stderr, "long.csv") == [
        "  - long.csv, row 2402, duration: 'sixty' is not a duration: use minutes (90), "
        "hours (1.5h) or h:mm (1:30)"
    ]
    assert _problem_lines(result.stderr, "commas.csv") == [
        "  - commas.csv, row 2: a line is longer than 1,048,576 characters"
    ]
    assert fingerprint(DataLocation(folder).database) == before


def test_a_long_good_file_is_imported_row_for_row(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    themes = ("risk", "caseload review", "endings")
    path = _write(
        tmp_path / "year.csv",
        "date,duration,supervisor,organisation,themes,reflection",
        [
            f"2025-{1 + i % 12:02d}-{1 + i % 28:02d},{30 + i % 60},Supervisor {i % 40},"
            f"Trust {i % 3},{themes[i % 3]},Row {i + 2}"
            for i in range(30_000)
        ],
    )

    assert cli(["--data-dir", str(folder), "import-csv", "supervision", str(path)]) == 0

    with open_book(folder) as book:
        sessions = RecordQuery(RecordKind.SUPERVISION)
        total = book.records.summarise(sessions)
        assert total.count == 30_000
        assert total.minutes == sum(30 + i % 60 for i in range(30_000))
        assert book.records.count(RecordKind.PERSON) == 40
        assert book.records.count(RecordKind.ORGANISATION) == 3
        (found,) = book.records.query(RecordQuery(RecordKind.SUPERVISION, text="Row 20001"))
        assert (found.date, found.duration_minutes) == (date(2025, 8, 8), 49)  # type: ignore[attr-defined]
        assert found.themes == ("caseload review",)  # type: ignore[attr-defined]


# --- what streaming must not lose ----------------------------------------------------------


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two rows, so a short file is written in several."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)


@pytest.mark.usefixtures("small_batches")
def test_an_id_repeated_in_a_later_batch_names_the_row_it_repeats(
    logbook: Logbook, tmp_path: Path
) -> None:
    existing = logbook.records.create(Person(name="Sarah Whitfield")).record
    taken = logbook.records.create(
        SupervisionSession(date=date(2026, 1, 5), duration_minutes=50)
    ).record
    rows = [f"{UID},2026-03-02,60,Sarah Whitfield"]
    rows += [f",2026-03-0{day},60,Sarah Whitfield" for day in range(3, 7)]
    rows += [f"{UID},2026-03-09,60,Tom Reid", f"{taken.uid},2026-03-10,60,"]
    path = _write(tmp_path / "s.csv", "uid,date,duration,supervisor", rows)

    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)

    assert [str(p) for p in caught.value.problems] == [
        "s.csv, row 7, uid: the same id as row 2",
        "s.csv, row 8, uid: a record with this id is already in the logbook",
    ]
    assert logbook.records.count(RecordKind.SUPERVISION) == 1
    assert [p.uid for p in logbook.records.all(RecordKind.PERSON)] == [existing.uid]


@pytest.mark.usefixtures("small_batches")
def test_a_file_broken_after_some_batches_leaves_nothing_behind(
    logbook: Logbook, tmp_path: Path
) -> None:
    rows = [f"2026-03-0{day},60,Person {day}" for day in range(1, 8)]
    path = _write(tmp_path / "s.csv", "date,duration,supervisor", [*rows, '2026-03-08,"60'])

    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)

    assert [str(p) for p in caught.value.problems] == [
        "s.csv, row 9: not a valid CSV file: unexpected end of data"
    ]
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    assert logbook.records.count(RecordKind.PERSON) == 0


def test_a_refused_value_is_not_also_reported_missing(logbook: Logbook, tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "date,duration", ["2026-02-30,60"])
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert [str(p) for p in caught.value.problems] == [
        "s.csv, row 2, date: '2026-02-30' is not a date (use YYYY-MM-DD or 25/11/2026)"
    ]


def test_a_new_name_too_long_for_a_person_is_refused_at_its_row_and_column(
    logbook: Logbook, tmp_path: Path
) -> None:
    path = _write(tmp_path / "s.csv", "date,duration,supervisor", [f"2026-03-02,60,{'n' * 400}"])
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert [str(p) for p in caught.value.problems] == [
        "s.csv, row 2, supervisor: name is too long (at most 300 characters)"
    ]
    assert logbook.records.count(RecordKind.PERSON) == 0


def test_a_percent_sign_in_a_name_is_not_a_wildcard(logbook: Logbook, tmp_path: Path) -> None:
    logbook.records.create(Person(name="Sarah Whitfield"))
    path = _write(tmp_path / "s.csv", "date,duration,supervisor", ["2026-03-02,60,Sarah%"])
    assert import_csv(logbook.records, RecordKind.SUPERVISION, path).created_references == 1
    names = sorted(p.name for p in logbook.records.all(RecordKind.PERSON))  # type: ignore[attr-defined]
    assert names == ["Sarah Whitfield", "Sarah%"]


def test_a_file_naming_too_many_new_people_is_refused_and_not_read_on(
    logbook: Logbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_NEW_NAMES", 3)
    rows = [f"2026-03-0{day},60,Person {day}" for day in range(1, 7)]
    path = _write(tmp_path / "s.csv", "date,duration,supervisor", [*rows, "2026-02-30,60,"])
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert [str(p) for p in caught.value.problems] == [
        "s.csv, row 5, supervisor: more than 3 new people and organisations in one file; "
        "add them first, or import the file in parts"
    ]
    assert logbook.records.count(RecordKind.PERSON) == 0


def test_a_header_of_thousands_of_columns_is_refused_in_one_line(
    logbook: Logbook, tmp_path: Path
) -> None:
    path = _write(tmp_path / "s.csv", ",".join(f"c{i}" for i in range(5000)), ["1"])
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, path)
    assert [str(p) for p in caught.value.problems] == [
        "s.csv, row 1: the header row has 5,000 columns (at most 1,000)"
    ]


@pytest.mark.usefixtures("small_batches")
def test_the_change_names_every_record_written_in_every_batch(
    logbook: Logbook, tmp_path: Path
) -> None:
    rows = [f"2026-03-0{day},60,Person {day % 2}" for day in range(1, 6)]
    path = _write(tmp_path / "s.csv", "date,duration,supervisor", rows)

    result = import_csv(logbook.records, RecordKind.SUPERVISION, path)

    written = [
        *logbook.records.all(RecordKind.PERSON),
        *logbook.records.all(RecordKind.SUPERVISION),
    ]
    assert (result.imported, result.created_references) == (5, 2)
    assert sorted(result.change.created) == sorted(r.uid for r in written)
    assert result.change.kinds == {RecordKind.PERSON, RecordKind.SUPERVISION}
