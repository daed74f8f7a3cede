"""``logbook-cli status`` run as a user runs it, on a real logbook folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from logbook.domain.choices import PracticeActivity, SupervisionFormat
from logbook.domain.records import PracticeEntry, SupervisionSession
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from tests.cli_support import Ran, run_cli


def cli(data: Path, *args: str) -> Ran:
    return run_cli(*args, data=data)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-status")
    logbook = Logbook.open(DataLocation(folder))
    try:
        logbook.records.create_many(
            [
                PracticeEntry(date=date(2025, 3, 4), duration_minutes=50),
                PracticeEntry(date=date(2025, 4, 8), duration_minutes=50),
                PracticeEntry(
                    date=date(2025, 4, 22),
                    duration_minutes=50,
                    activity=PracticeActivity.ASSESSMENT,
                ),
                SupervisionSession(date=date(2025, 3, 5), duration_minutes=90),
                SupervisionSession(
                    date=date(2025, 4, 9),
                    duration_minutes=120,
                    format=SupervisionFormat.GROUP,
                    group_size=5,
                ),
            ]
        )
    finally:
        logbook.close()
    return folder


def test_no_followed_packs_lists_what_is_installed(data: Path):
    done = cli(data, "status")
    assert done.returncode == 0, done.stderr
    assert "You follow no requirement packs yet" in done.stdout
    assert "bacp_accreditation" in done.stdout
    assert "nmc_revalidation" in done.stdout


def test_status_explains_a_short_month(data: Path):
    done = cli(
        data,
        "status",
        "--pack",
        "bacp_accreditation",
        "--from",
        "2025-03-01",
        "--to",
        "2025-04-30",
        "--explain",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "BACP individual accreditation: Not yet met" in out
    assert "[not yet met] 1.5 hours of supervision in every month of practice" in out
    # April: two hours in a group of five count 24 minutes, 1 h 6 min short of 1 h 30 min.
    assert "April 2025: 24 minutes of supervision from 1 entry; at least 1 h 30 min needed." in out
    assert "group of 5: 2 h ÷ 5 → 24 minutes" in out
    assert "To close the gap: 1 h 6 min short." in out
    assert "Source: BACP: Individual accreditation – supervision requirements" in out
    assert "(checked 22 Nov 2026)" in out
    assert "Not counted: assessment, 1 entry (50 minutes)" in out
    assert "compliant" not in out.lower()


def test_status_as_json(data: Path):
    done = cli(data, "status", "--pack", "bacp_student", "--year", "2025", "--format", "json")
    assert done.returncode == 0, done.stderr
    (pack,) = json.loads(done.stdout)
    assert pack["pack"] == "bacp_student"
    ratio = next(r for r in pack["rules"] if r["rule"] == "ratio-1-to-8")
    assert ratio["source"]["url"] == "https://www.bacp.co.uk/supervision/"
    # 2025 holds 150 minutes of client work (assessment counts for students): 2.5 h ÷ 8.
    assert ratio["findings"][0]["required"] == pytest.approx(2.5 / 8, abs=1e-3)
    assert ratio["findings"][0]["actual"] == pytest.approx(1.5 + 0.4, abs=1e-3)


def test_unknown_pack_is_a_clear_error(data: Path):
    done = cli(data, "status", "--pack", "bacp")
    assert done.returncode == 1
    assert "No requirement pack 'bacp' is installed" in done.stderr


def test_a_broken_own_pack_is_a_warning_with_its_line(data: Path):
    own = data / "packs"
    own.mkdir(exist_ok=True)
    (own / "team.toml").write_text('id = "team"\ntitle = "Team"\nbody = 3\n', encoding="utf-8")
    done = cli(data, "status", "--list")
    assert done.returncode == 0
    assert "warning:" in done.stderr
    assert "team.toml, line 3, body: must be text" in done.stderr
    assert "nhs_tt_pwp" in done.stdout
