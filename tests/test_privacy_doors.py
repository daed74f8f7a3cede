"""The privacy guard on every way in: the command line, CSV and JSON imports refuse text that
may identify a client unless the user keeps it, and a kept finding is recorded on the entry."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.allowances import Door, fingerprint
from logbook.domain.records import Person, RecordKind, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.services.privacy import IdentifiersFoundError, request_findings
from logbook.services.signoff.files import read_request
from tests.cli_support import run_cli as cli

THEMES = "themes=client Sarah Jones NHS 943 476 5919"
CSV_HEADER = "date,duration,supervisor,reflection\n"
CSV_ROWS = (
    "2026-03-02,60,Ana Silva,Discussed endings in general\n"
    "2026-03-09,60,Ana Silva,patient John Smith DOB 12/03/1987 lives at LS1 4AP\n"
)


def _rows(data: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(DataLocation(data).database) as conn:
        return conn.execute(sql).fetchall()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- logbook-cli add --------------------------------------------------------------------------


def test_add_with_a_client_name_and_nhs_number_is_refused_with_both_named(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    result = cli("add", "supervision", "date=2026-03-02", "duration=60", THEMES, data=data)
    assert result.returncode == 1
    assert "themes: “client Sarah Jones” looks like a person's name" in result.stderr
    assert "“943 476 5919” looks like an NHS number" in result.stderr
    assert "Nothing was saved" in result.stderr
    assert "--allow-identifiers" in result.stderr
    assert "Traceback" not in result.stderr
    assert _rows(data, "SELECT count(*) FROM supervision") == [(0,)]


def test_add_with_allow_identifiers_saves_and_records_the_choice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cli(
        "add",
        "supervision",
        "date=2026-03-02",
        "duration=60",
        THEMES,
        "--allow-identifiers",
        data=data,
    )
    assert result.returncode == 0, result.stderr
    [(uid,)] = _rows(data, "SELECT uid FROM supervision")
    kept = _rows(data, "SELECT record_uid, field, kind, door, fingerprint FROM privacy_allowance")
    assert sorted((r[1], r[2], r[3]) for r in kept) == [
        ("themes", "name", "cli"),
        ("themes", "nhs_number", "cli"),
    ]
    assert {r[0] for r in kept} == {uid}
    assert fingerprint(str(uid), "themes", "943 476 5919") in {r[4] for r in kept}
    # The allowance holds a fingerprint, never the identifier itself.
    assert not any(
        number in str(value)
        for row in kept
        for value in row
        for number in ("943 476 5919", "9434765919", "Sarah")
    )


def test_add_without_identifiers_needs_no_flag(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = cli(
        "add",
        "supervision",
        "date=2026-03-02",
        "duration=60",
        "themes=client group;endings",
        "supervisor=Mrs Patel",
        data=data,
    )
    assert result.returncode == 0, result.stderr
    assert _rows(data, "SELECT count(*) FROM privacy_allowance") == [(0,)]


# --- import-csv -------------------------------------------------------------------------------


def test_csv_import_is_refused_naming_file_row_and_field(tmp_path: Path) -> None:
    data = tmp_path / "data"
    csv = _write(tmp_path / "sessions.csv", CSV_HEADER + CSV_ROWS)
    result = cli("import-csv", "supervision", csv, data=data)
    assert result.returncode == 1
    assert "sessions.csv was not imported; nothing was changed" in result.stderr
    line = next(x for x in result.stderr.splitlines() if "row 3" in x)
    assert "sessions.csv, row 3, reflection:" in line
    for found in ("patient John Smith", "DOB 12/03/1987", "LS1 4AP"):
        assert found in line
    assert "row 2" not in result.stderr
    assert "--allow-identifiers" in result.stderr
    assert _rows(data, "SELECT count(*) FROM supervision") == [(0,)]
    assert _rows(data, "SELECT count(*) FROM person") == [(0,)]


def test_csv_import_with_allow_identifiers_records_the_choice_per_entry(tmp_path: Path) -> None:
    data = tmp_path / "data"
    csv = _write(tmp_path / "sessions.csv", CSV_HEADER + CSV_ROWS)
    result = cli("import-csv", "supervision", csv, "--allow-identifiers", data=data)
    assert result.returncode == 0, result.stderr
    assert _rows(data, "SELECT count(*) FROM supervision") == [(2,)]
    kept = _rows(data, "SELECT DISTINCT record_uid, door FROM privacy_allowance")
    flagged = _rows(data, "SELECT uid FROM supervision WHERE reflection LIKE 'patient%'")
    assert kept == [(flagged[0][0], "csv")]
    kinds = _rows(data, "SELECT kind FROM privacy_allowance ORDER BY kind")
    assert kinds == [("date_of_birth",), ("name",), ("postcode",)]


def test_a_long_csv_lists_twenty_findings_then_counts_the_rest(tmp_path: Path) -> None:
    with Logbook.open(DataLocation(tmp_path / "data")) as logbook:
        rows = "".join(
            f"2026-03-02,60,Ana Silva,client Sarah Jones session {n}\n" for n in range(25)
        )
        csv = _write(tmp_path / "many.csv", CSV_HEADER + rows)
        with pytest.raises(IdentifiersFoundError) as raised:
            logbook.import_csv(RecordKind.SUPERVISION, csv)
        assert len(raised.value.problems) == 21
        assert raised.value.problems[-1].message == "… and 5 more problems"
        assert logbook.records.count(RecordKind.SUPERVISION) == 0


# --- import-json ------------------------------------------------------------------------------


def _export_with(tmp_path: Path, reflection: str, *, allow: bool) -> Path:
    """A logbook JSON export holding one session with ``reflection``."""
    source = tmp_path / "source"
    extra = ("--allow-identifiers",) if allow else ()
    added = cli(
        "add",
        "supervision",
        "date=2026-03-02",
        "duration=60",
        f"reflection={reflection}",
        *extra,
        data=source,
    )
    assert added.returncode == 0, added.stderr
    exported = tmp_path / "export.json"
    assert cli("export-json", exported, data=source).returncode == 0
    return exported


def test_json_import_of_an_unkept_identifier_is_refused_naming_record_and_field(
    tmp_path: Path,
) -> None:
    exported = _export_with(tmp_path, "Explored client Rosie's fear", allow=True)
    document = json.loads(exported.read_text(encoding="utf-8"))
    del document["privacy_allowances"]  # a file from before allowances were exported
    exported.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "target"
    result = cli("import-json", exported, data=target)
    assert result.returncode == 1
    assert "export.json was not imported; nothing was changed" in result.stderr
    assert "export.json, record 1, reflection: “client Rosie” looks like" in result.stderr
    assert "--allow-identifiers" in result.stderr
    assert _rows(target, "SELECT count(*) FROM supervision") == [(0,)]

    allowed = cli("import-json", exported, "--allow-identifiers", data=target)
    assert allowed.returncode == 0, allowed.stderr
    assert _rows(target, "SELECT door FROM privacy_allowance") == [("json",)]


def test_a_kept_finding_travels_with_the_export_and_merges_without_asking(
    tmp_path: Path,
) -> None:
    exported = _export_with(tmp_path, "Explored client Rosie's fear", allow=True)
    document = json.loads(exported.read_text(encoding="utf-8"))
    [carried] = document["privacy_allowances"]
    assert carried["door"] == "cli"
    assert "Rosie" not in json.dumps(carried)
    target = tmp_path / "target"
    result = cli("import-json", exported, data=target)
    assert result.returncode == 0, result.stderr
    assert _rows(target, "SELECT door, field FROM privacy_allowance") == [("cli", "reflection")]


def test_an_export_without_identifiers_imports_without_the_flag(tmp_path: Path) -> None:
    exported = _export_with(
        tmp_path, "Discussed endings with Mrs Patel, my supervisor", allow=False
    )
    result = cli("import-json", exported, data=tmp_path / "target")
    assert result.returncode == 0, result.stderr


def test_a_bad_allowance_in_a_file_is_a_located_problem(tmp_path: Path) -> None:
    exported = _export_with(tmp_path, "Endings", allow=False)
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["privacy_allowances"] = [{"record_uid": "x"}]
    exported.write_text(json.dumps(document), encoding="utf-8")
    result = cli("import-json", exported, data=tmp_path / "target")
    assert result.returncode == 1
    assert "export.json, privacy_allowances[0]: must be an object of" in result.stderr


# --- the privacy service the form uses ---------------------------------------------------------


def test_kept_texts_are_remembered_only_for_the_text_saved(tmp_path: Path) -> None:
    with Logbook.open(DataLocation(tmp_path / "data")) as logbook:
        session = SupervisionSession(
            date=date(2026, 3, 2), duration_minutes=60, reflection="client Sarah Jones again"
        )
        saved = logbook.records.create(session).record
        added = logbook.privacy.keep(
            saved, {"reflection": {"client Sarah Jones", "client Tom"}}, Door.FORM
        )
        assert added == 1
        assert logbook.privacy.kept_texts(saved) == {"reflection": {"client Sarah Jones"}}
        assert logbook.privacy.unkept(saved) == []
        edited = saved.__class__(
            **{**saved.__dict__, "reflection": "client Sarah Jones, her son Jack"}
        )
        [found] = logbook.privacy.unkept(edited)
        assert found.warning.text == "son Jack"


# --- sign-off request files --------------------------------------------------------------------


def _session_with(logbook: Logbook, themes: tuple[str, ...]) -> SupervisionSession:
    person = logbook.records.create(Person(name="Dr Amira Shah")).record
    session = SupervisionSession(
        date=date(2026, 3, 2), duration_minutes=60, counterpart_uid=person.uid, themes=themes
    )
    return logbook.records.create(session).record


def test_a_request_carrying_a_client_name_is_refused_and_no_file_written(
    tmp_path: Path,
) -> None:
    with Logbook.open(DataLocation(tmp_path / "data")) as logbook:
        entry = _session_with(logbook, ("risk", "client sarah jones"))
        target = tmp_path / "request.json"
        with pytest.raises(IdentifiersFoundError) as raised:
            logbook.signoff.create_request(
                [entry], target, supervisor_name="Dr Amira Shah", message="About Mrs Patel (client)"
            )
        text = str(raised.value)
        assert "The request was not created" in text
        assert "themes: “client sarah jones”" in text
        assert "message: “Mrs Patel (client)”" in text
        assert not target.exists()
        assert logbook.signoff.sent_requests() == []

        request = logbook.signoff.create_request(
            [entry], target, supervisor_name="Dr Amira Shah", allow_identifiers=True
        ).request
        assert target.exists()
        assert [a.door for a in logbook.privacy.allowances(entry.uid)] == [Door.REQUEST]
        # The supervisor opening it sees the finding flagged.
        [flag] = request_findings(read_request(target).items)
        assert "themes: “client sarah jones” looks like a person's name" in flag
        assert request.items[0].uid == entry.uid


def test_a_request_for_an_entry_kept_before_goes_without_asking(tmp_path: Path) -> None:
    with Logbook.open(DataLocation(tmp_path / "data")) as logbook:
        entry = _session_with(logbook, ("client sarah jones",))
        logbook.privacy.keep(entry, {"themes": {"client sarah jones"}})
        logbook.signoff.create_request(
            [entry], tmp_path / "request.json", supervisor_name="Dr Amira Shah"
        )
        assert (tmp_path / "request.json").exists()


# --- the schema -------------------------------------------------------------------------------


def test_a_logbook_of_schema_0004_gains_the_allowance_table(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "data")
    location.root.mkdir()
    shutil.copyfile(
        Path(__file__).parent / "data" / "logbook-schema-0004.sqlite", location.database
    )
    with Logbook.open(location) as logbook:
        [entry] = [s for s in logbook.records.all(RecordKind.SUPERVISION) if s.uid.endswith("7")]
        assert isinstance(entry, SupervisionSession)
        logbook.privacy.keep(
            dataclasses.replace(entry, reflection="client Sarah"), {"reflection": {"client Sarah"}}
        )
    assert _rows(tmp_path / "data", "SELECT field, door FROM privacy_allowance") == [
        ("reflection", "form")
    ]
