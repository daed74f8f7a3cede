"""``logbook-cli export-pdf`` on a demo logbook: the file, its period and its errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf
import pytest

from logbook.cli.main import main
from logbook.services.demo import generate_demo
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "logbook"
    logbook = Logbook.open(DataLocation(folder))
    generate_demo(logbook, persona="pwp", years=2, today=date(2026, 4, 30))
    logbook.close()
    return folder


def test_export_pdf_writes_the_chosen_layout_and_year(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "log.pdf"
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "export-pdf",
            str(out),
            "--layout",
            "supervision",
            "--year",
            "2025",
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert f"Wrote {out}" in printed
    assert "01 Jan 2025 – 31 Dec 2025" in printed
    first = pypdf.PdfReader(out).pages[0].extract_text()
    assert "Supervision log: case management and clinical skills" in " ".join(first.split())
    assert "01 Jan 2025 – 31 Dec 2025" in first


def test_export_pdf_sections_and_private_reflections(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cpd.pdf"
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "export-pdf",
            str(out),
            "--from",
            "2025-01-01",
            "--to",
            "2025-06-30",
            "--sections",
            "cpd,reflections",
            "--include-private-reflections",
        ]
    )
    assert status == 0
    assert "includes private reflections" in capsys.readouterr().out
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "1 Continuing professional development" in text.replace("\n", " ")
    assert "2 Reflections" in text.replace("\n", " ")
    assert "Supervision received" not in text


def test_export_pdf_explains_bad_input(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--data-dir", str(data_dir), "export-pdf", str(out), "--year", "1990"]) == 1
    assert "Nothing to export" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "export-pdf", str(out), "--layout", "nmc"]) == 1
    assert "needs your NMC registration" in capsys.readouterr().err
    missing = tmp_path / "missing" / "x.pdf"
    assert main(["--data-dir", str(data_dir), "export-pdf", str(missing)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not out.exists()


def test_export_pdf_lists_a_layouts_sections(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "export-pdf",
            str(tmp_path / "x.pdf"),
            "--layout",
            "hcpc",
            "--list-sections",
        ]
    )
    assert status == 0
    listed = capsys.readouterr().out
    assert "activities" in listed
    assert "Dated list of CPD activities" in listed


def test_export_pdf_adds_the_logs_entry_by_entry_when_asked(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--data-dir", str(data_dir), "export-pdf"]
    assert main([*base, str(tmp_path / "x.pdf"), "--list-sections"]) == 0
    assert (
        "Appendix: practice logs entry by entry  (only when asked for)" in capsys.readouterr().out
    )
    assert main([*base, str(tmp_path / "entries.pdf"), "--entry-by-entry"]) == 0
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "entries.pdf").pages)
    assert "Appendix: practice logs entry by entry" in " ".join(text.split())


def test_output_read_only_in_part_ends_quietly(data_dir: Path, tmp_path: Path) -> None:
    """``logbook-cli … | true``: the reader has gone before the first line is written, and no
    traceback follows."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = (
        f"'{sys.executable}' -m logbook.cli.main --data-dir '{data_dir}' export-pdf "
        f"'{tmp_path / 'x.pdf'}' --year 2025 | true"
    )
    ran = subprocess.run(command, shell=True, capture_output=True, text=True, env=env)
    assert "Traceback" not in ran.stderr
    assert ran.stderr == ""
    assert (tmp_path / "x.pdf").exists()


def test_a_layout_with_no_dates_covers_the_period_its_body_asks_about(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date, timedelta

    from logbook.services.export import default_period

    out = tmp_path / "log.pdf"
    base = ["--data-dir", str(data_dir), "export-pdf", str(out)]
    assert main([*base, "--layout", "supervision"]) == 0
    today = date.today()
    start = today.replace(year=today.year - 1) + timedelta(days=1)
    assert f"{start:%d %b %Y} – {today:%d %b %Y}" in capsys.readouterr().out
    assert default_period("portfolio", None) is None


def test_export_pdf_prints_a_statement_from_a_file_and_names_a_bad_one(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import dataclasses

    from logbook.domain.records import Registration

    with Logbook.open(DataLocation(data_dir)) as logbook:
        profile = logbook.records.profile()
        assert profile is not None
        hcpc = Registration(body="HCPC", number="PYL01234")
        logbook.records.update(
            dataclasses.replace(profile, registrations=(*profile.registrations, hcpc))
        )
    summary = tmp_path / "summary.txt"
    summary.write_text("I support adults with common mental health problems.\n", "utf-8")
    base = ["--data-dir", str(data_dir), "export-pdf", "--layout", "hcpc"]
    assert main([*base, str(tmp_path / "x.pdf"), "--list-sections"]) == 0
    assert "--statement practice_summary=FILE" in capsys.readouterr().out
    given = f"practice_summary={summary}"
    assert main([*base, str(tmp_path / "h.pdf"), "--statement", given]) == 0
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "h.pdf").pages)
    assert "I support adults with common mental health problems." in " ".join(text.split())
    missing = f"practice_summary={tmp_path / 'none.txt'}"
    assert main([*base, str(tmp_path / "m.pdf"), "--statement", missing]) == 1
    assert "none.txt does not exist" in capsys.readouterr().err
    assert main([*base, str(tmp_path / "m.pdf"), "--statement", "practice_summary"]) == 1
    assert "give it as SECTION=FILE" in capsys.readouterr().err
    assert not (tmp_path / "m.pdf").exists()
