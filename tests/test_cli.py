"""The command line as a user runs it: real files, exit statuses and what it prints. Commands
run in this process through the entry point the console script calls; a locked logbook with no
terminal to ask a passphrase on is tried in a separate process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from logbook.storage import encryption
from tests.cli_support import RunCli

PASSPHRASE = "correct horse battery"


@pytest.fixture
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys stretched less, so encrypting takes milliseconds (the files say how they were)."""
    monkeypatch.setattr(encryption, "SCRYPT_LOG2_N", 12)


def test_log_list_and_summarise(tmp_path: Path, run_cli: RunCli) -> None:
    data = tmp_path / "data"
    added = run_cli(
        "add",
        "supervision",
        "date=2026-03-02",
        "duration=1:30",
        "supervisor=Ana Silva",
        "type=clinical skills",
        "themes=risk;endings",
        data=data,
    )
    assert added.returncode == 0, added.stderr
    assert "Added supervision" in added.stdout
    listed = run_cli("list", "supervision", "--search", "silva", data=data)
    assert "2026-03-02" in listed.stdout
    assert "1.50 h" in listed.stdout
    assert "1 supervision record(s); total 1.50 h" in listed.stdout
    summary = run_cli("summary", "--year", "2026", data=data)
    assert "Supervision" in summary.stdout
    assert "1.50 h" in summary.stdout


def test_bad_values_exit_1_with_the_field_named_and_nothing_added(
    tmp_path: Path, run_cli: RunCli
) -> None:
    data = tmp_path / "data"
    result = run_cli("add", "supervision", "date=2026-03-02", "duration=0", data=data)
    assert result.returncode == 1
    assert "duration: duration must be between 1 and 1440 minutes" in result.stderr
    assert "Traceback" not in result.stderr
    assert "0 supervision record(s)" in run_cli("list", "supervision", data=data).stdout


def test_demo_export_and_import_into_a_new_logbook(tmp_path: Path, run_cli: RunCli) -> None:
    first, second, exported = tmp_path / "a", tmp_path / "b", tmp_path / "logbook.json"
    demo = run_cli("demo", "--persona", "pwp", "--years", "1", data=first)
    assert demo.returncode == 0
    assert "demo logbook for the pwp persona" in demo.stdout
    assert run_cli("export-json", exported, data=first).returncode == 0
    document = json.loads(exported.read_text())
    assert document["format"] == "practice-logbook"
    assert document["format_version"] == 1
    imported = run_cli("import-json", exported, data=second)
    assert f"{len(document['records'])} added" in imported.stdout
    again = run_cli("import-json", exported, data=second)
    assert "0 added, 0 updated" in again.stdout
    assert run_cli("summary", data=first).stdout == run_cli("summary", data=second).stdout


def test_import_csv_reports_bad_rows_and_writes_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    data, csv = tmp_path / "data", tmp_path / "cpd.csv"
    csv.write_text(
        "start_date,title,duration,cpd_type\n2026-01-10,Risk workshop,3h,workshop\n"
        "2026-01-11,,2h,workshop\n2026-01-12,Reading,2h,podcast\n"
    )
    result = run_cli("import-csv", "cpd", csv, data=data)
    assert result.returncode == 1
    assert "cpd.csv, row 3, title: title is required" in result.stderr
    assert "cpd.csv, row 4, cpd_type: 'podcast' is not one of" in result.stderr
    assert "0 cpd record(s)" in run_cli("list", "cpd", data=data).stdout


def test_a_newer_logbook_is_refused_without_a_traceback(tmp_path: Path, run_cli: RunCli) -> None:
    data = tmp_path / "data"
    run_cli("summary", data=data)
    with sqlite3.connect(data / "logbook.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.close()
    result = run_cli("summary", data=data)
    assert result.returncode == 1
    assert "written by a newer version of Practice Logbook" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("kind", "edit"),
    [
        ("supervision", "UPDATE supervision SET format = 'bogus'"),
        ("practice", "UPDATE practice SET duration_minutes = 'lots'"),
    ],
)
def test_a_value_edited_outside_the_app_is_reported_without_a_traceback(
    tmp_path: Path, run_cli: RunCli, kind: str, edit: str
) -> None:
    data = tmp_path / "data"
    run_cli("add", "supervision", "date=2026-01-10", "duration=1h", data=data)
    run_cli("add", "practice", "date=2026-01-10", "duration=1h", data=data)
    with sqlite3.connect(data / "logbook.sqlite") as conn:
        conn.execute(edit)
    conn.close()
    result = run_cli("list", kind, data=data)
    assert result.returncode == 70
    assert "an unexpected problem stopped the command" in result.stderr
    assert "`logbook-cli check` lists what it cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("list", "supervision", "--limit", "0", data=tmp_path)
    assert result.returncode == 2
    assert "must be 1 or more" in result.stderr


def encrypted(run_cli: RunCli, data: Path) -> None:
    """A logbook in ``data`` with one CPD record, then encrypted with ``PASSPHRASE``."""
    added = run_cli("add", "cpd", "start_date=2026-01-10", "title=Risk", "duration=3h", data=data)
    assert added.returncode == 0, added.stderr
    secret = {"PRACTICE_LOGBOOK_NEW_PASSPHRASE": PASSPHRASE}
    key_file = data.parent / "recovery-key.txt"
    done = run_cli("encrypt", "--save-recovery-key", str(key_file), data=data, env=secret)
    assert done.returncode == 0, done.stderr


@pytest.mark.usefixtures("quick_kdf")
def test_every_command_opens_an_encrypted_logbook_with_its_passphrase(
    tmp_path: Path, run_cli: RunCli
) -> None:
    data = tmp_path / "data"
    encrypted(run_cli, data)
    locked = run_cli("list", "cpd", data=data)
    assert locked.returncode == 1
    assert "PRACTICE_LOGBOOK_PASSPHRASE" in locked.stderr
    unlocked = {"PRACTICE_LOGBOOK_PASSPHRASE": PASSPHRASE}
    listed = run_cli("list", "cpd", data=data, env=unlocked)
    assert "1 cpd record(s); total 3.00 h" in listed.stdout, listed.stderr


@pytest.mark.usefixtures("quick_kdf")
def test_a_locked_logbook_with_no_terminal_to_ask_on_exits_1_in_its_own_process(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Run from a script (stdin not a terminal), the command says which variable to set and
    exits 1 instead of waiting for a passphrase nobody can type."""
    data = tmp_path / "data"
    encrypted(run_cli, data)
    locked = subprocess.run(
        [sys.executable, "-m", "logbook.cli.main", "--data-dir", str(data), "list", "cpd"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert locked.returncode == 1
    assert "there is no terminal to ask on" in locked.stderr
    assert "PRACTICE_LOGBOOK_PASSPHRASE" in locked.stderr
    assert "Traceback" not in locked.stderr
    assert locked.stdout == ""


def test_dates_typed_the_uk_way_are_read_day_first(tmp_path: Path, run_cli: RunCli) -> None:
    """A UK spreadsheet writes 03/04/2026 for 3 April; the command line reads what people type."""
    data = tmp_path / "data"
    sheet = tmp_path / "sessions.csv"
    sheet.write_text("date,duration,supervisor\n03/04/2026,60,Ana Silva\n4 Apr 2026,90,Ana Silva\n")
    assert run_cli("import-csv", "supervision", sheet, data=data).returncode == 0
    added = run_cli("add", "supervision", "date=25/11/2026", "duration=45", data=data)
    assert added.returncode == 0, added.stderr
    listed = run_cli("list", "supervision", "--from", "1/4/2026", "--to", "30 Nov 2026", data=data)
    days = [line.split()[0] for line in listed.stdout.splitlines() if line[:4] == "2026"]
    assert sorted(days) == ["2026-04-03", "2026-04-04", "2026-11-25"]
    refused = run_cli("add", "supervision", "date=2026-02-30", "duration=45", data=data)
    assert refused.returncode == 1
    assert "'2026-02-30' is not a date (use YYYY-MM-DD or 25/11/2026)" in refused.stderr
