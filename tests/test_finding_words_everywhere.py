"""One finding read at every door: the command line, the Requirements page and the PDF say
the same words, including what was not counted and what would meet it."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pypdf

from logbook.domain.choices import SupervisionFormat, SupervisionType
from logbook.domain.findings import Finding, Status
from logbook.domain.periods import Period
from logbook.domain.records import PracticeEntry, Profile, SupervisionSession
from logbook.domain.requirements.text import FindingWords, finding_words
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.requirements_view import RequirementsView

PACK = "bacp_accreditation"
RULE = "monthly-supervision"
ASKED = Period(date(2025, 3, 1), date(2025, 4, 30))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def cli(data: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "logbook.cli.main", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def fill(logbook: Logbook) -> FindingWords:
    """April 2025 falls short: a group of five credited 24 minutes, and management
    supervision that BACP does not count."""
    logbook.records.create_many(
        [
            Profile(name="Sam Rivers"),
            PracticeEntry(date=date(2025, 3, 4), duration_minutes=50),
            PracticeEntry(date=date(2025, 4, 8), duration_minutes=50),
            SupervisionSession(date=date(2025, 3, 5), duration_minutes=90),
            SupervisionSession(
                date=date(2025, 4, 9),
                duration_minutes=120,
                format=SupervisionFormat.GROUP,
                group_size=5,
            ),
            SupervisionSession(
                date=date(2025, 4, 23),
                duration_minutes=60,
                supervision_type=SupervisionType.MANAGEMENT,
            ),
        ]
    )
    logbook.requirements.follow([PACK])
    (result,) = logbook.requirements.evaluate(ASKED, [PACK])
    rule = next(r for r in result.rules if r.rule_id == RULE)
    finding: Finding = next(f for f in rule.findings if f.label == "April 2025")
    assert finding.status is Status.NOT_YET_MET
    return finding_words(finding)


def test_the_cli_the_app_and_the_pdf_say_the_same(
    qtbot, location: DataLocation, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    logbook = Logbook.open(location)
    try:
        april = fill(logbook)
    finally:
        logbook.close()  # the command line opens it next
    assert "24 minutes of supervision from 1 entry" in april.explanation
    assert "Not counted: management / line, 1 entry (1 h)." in april.explanation
    assert april.to_close.startswith("1 h 6 min short.")
    expected = [flat(april.explanation), flat(april.to_close)]

    status = flat(
        cli(
            location.root,
            "status",
            "--pack",
            PACK,
            "--from",
            "1/3/2025",
            "--to",
            "30/4/2025",
            "--explain",
        )
    )
    pdf_path = tmp_path / "portfolio.pdf"
    cli(location.root, "export-pdf", "--from", "1/3/2025", "--to", "30/4/2025", str(pdf_path))
    pdf = flat(" ".join(page.extract_text() for page in pypdf.PdfReader(pdf_path).pages))

    logbook = Logbook.open(location)
    view = RequirementsView(logbook.requirements)
    qtbot.addWidget(view)
    view.range_choice.setCurrentIndex(view.range_choice.findData(0))  # every month
    row = next(i for i, r in enumerate(view.model.result.rules) if r.rule_id == RULE)
    column = view.model.FIXED + view.model.months.index(date(2025, 4, 1))
    view.rules_view.setCurrentIndex(view.model.index(row, column))
    app = flat(view.detail.toPlainText())
    logbook.close()

    for door, text in (("command line", status), ("app", app), ("PDF", pdf)):
        for words in expected:
            assert words in text, f"{door} does not say: {words}"
