"""CSV import: every bad row reported by file, row, column and reason; nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from logbook.domain.errors import ValidationError
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Person, RecordKind
from logbook.services.imports import import_csv
from logbook.services.logbook import Logbook
from logbook.services.tabular import columns

GOOD = """date,duration,supervisor,organisation,type,format,group_size,mode,themes,live
2026-03-02,1:00,Sarah Whitfield,Leeds Talking Therapies,case management,individual,,video,risk,no
2026-03-09,90,Dr Tomasz Nowak,Leeds Talking Therapies,clinical_skills,group,4,in person,exposure,yes
"""

BAD = """date,duration,supervisor,type,format,group_size,mode
2026-03-02,1:00,Sarah Whitfield,case_management,individual,,video
2026-02-30,60,Sarah Whitfield,case_management,individual,,video
2026-03-16,0,Sarah Whitfield,clinical,individual,,video
2026-03-23,60,Sarah Whitfield,clinical,group,,telepathy
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rows_are_imported_with_names_resolved(logbook: Logbook, tmp_path: Path) -> None:
    result = import_csv(logbook.records, RecordKind.SUPERVISION, _write(tmp_path, "s.csv", GOOD))
    assert (result.imported, result.created_references) == (2, 3)
    total = logbook.records.summarise(RecordQuery(RecordKind.SUPERVISION))
    assert (total.count, total.minutes) == (2, 150)
    group = logbook.records.query(RecordQuery(RecordKind.SUPERVISION, text="exposure"))[0]
    assert (group.format.value, group.group_size, group.live) == ("group", 4, True)  # type: ignore[attr-defined]


def test_every_bad_row_is_reported_and_nothing_is_written(logbook: Logbook, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        import_csv(logbook.records, RecordKind.SUPERVISION, _write(tmp_path, "bad.csv", BAD))
    located = {(p.source, p.row, p.field) for p in caught.value.problems}
    assert located == {
        ("bad.csv", 3, "date"),
        ("bad.csv", 4, "duration"),
        ("bad.csv", 5, "mode"),
    }
    messages = str(caught.value)
    assert (
        "bad.csv, row 3, date: '2026-02-30' is not a date (use YYYY-MM-DD or 25/11/2026)"
        in messages
    )
    assert "bad.csv, row 4, duration: duration must be between 1 and 1440 minutes" in messages
    assert "nothing was changed" in messages
    assert logbook.records.count(RecordKind.SUPERVISION) == 0
    assert logbook.records.count(RecordKind.PERSON) == 0


def test_an_existing_supervisor_is_reused_not_duplicated(logbook: Logbook, tmp_path: Path) -> None:
    logbook.records.create(Person(name="Sarah Whitfield"))
    import_csv(logbook.records, RecordKind.SUPERVISION, _write(tmp_path, "s.csv", GOOD))
    names = sorted(p.name for p in logbook.records.all(RecordKind.PERSON))  # type: ignore[attr-defined]
    assert names == ["Dr Tomasz Nowak", "Sarah Whitfield"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("date,duration,colour\n2026-03-02,60,blue\n", "colour: unknown column for supervision"),
        ("date,duration\n2026-03-02,60,extra\n", "more cells than header columns"),
        ("date,duration\n,60\n", "x.csv, row 2, date: date is required"),
        ("duration\n60\n", "x.csv, row 2, date: date is required"),
    ],
)
def test_malformed_files_get_clear_messages(
    logbook: Logbook, tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_csv(logbook.records, RecordKind.SUPERVISION, _write(tmp_path, "x.csv", content))
    assert logbook.records.count(RecordKind.SUPERVISION) == 0


def test_a_file_that_is_not_text_is_rejected(logbook: Logbook, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"date,duration\n\xff\xfe\x00garbage\n")
    with pytest.raises(ValidationError, match=r"binary.csv: not UTF-8 text"):
        import_csv(logbook.records, RecordKind.SUPERVISION, path)


def test_documented_columns_cover_every_field_of_each_kind() -> None:
    assert columns(RecordKind.SUPERVISION)[:3] == ["date", "duration", "direction"]
    assert "supervisor" in columns(RecordKind.SUPERVISION)
    assert "course" in columns(RecordKind.PRACTICE)
    assert "pathway" in columns(RecordKind.MILESTONE)


def test_the_documentation_lists_every_column_of_every_kind() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "import-formats.md").read_text()
    for kind in RecordKind:
        if kind in (RecordKind.PROFILE, RecordKind.ATTACHMENT):
            continue
        section = docs.split(f"## `{kind.value}`", 1)[1].split("\n## ", 1)[0]
        for column in columns(kind):
            assert f"| `{column}` |" in section, (kind, column)


def test_an_import_first_takes_a_checked_backup(logbook: Logbook, tmp_path: Path) -> None:
    logbook.records.create(Person(name="Sarah Whitfield"))
    before = len(logbook.backups.all())
    with pytest.raises(ValidationError):
        logbook.import_csv(RecordKind.SUPERVISION, _write(tmp_path, "bad.csv", BAD))
    backups = logbook.backups.all()
    assert len(backups) == before + 1
    assert backups[0].reason == "Before an import"
    assert backups[0].counts[RecordKind.PERSON] == 1
    logbook.import_csv(RecordKind.SUPERVISION, _write(tmp_path, "good.csv", GOOD))
    assert logbook.records.count(RecordKind.SUPERVISION) == 2
