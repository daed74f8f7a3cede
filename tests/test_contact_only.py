"""Peer-support contacts recorded as "contact took place": no duration, no therapy fields,
counted as contacts and adding no hours, wherever they come in or go out."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pypdf
import pytest

from logbook.domain.choices import PracticeActivity, Setting
from logbook.domain.codec import decode, encode
from logbook.domain.errors import ValidationError
from logbook.domain.periods import Period
from logbook.domain.queries import RecordQuery
from logbook.domain.records import (
    Organisation,
    PracticeEntry,
    Profile,
    RecordKind,
    RoleSpell,
    minutes_of,
)
from logbook.domain.requirements.model import Rule, Selector, Source, TotalParams
from logbook.domain.requirements.rules import check_rule
from logbook.domain.validation import validate
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.imports import import_csv
from logbook.services.logbook import Logbook
from tests.cli_support import run_cli as cli

PEER = PracticeActivity.PEER_SUPPORT
DAY = date(2025, 3, 3)
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def contact(day: date = DAY, clients: int = 1) -> PracticeEntry:
    return PracticeEntry(date=day, activity=PEER, setting=Setting.COMMUNITY, clients=clients)


def messages(entry: PracticeEntry) -> dict[str, str]:
    return {p.field: p.message for p in validate(entry)}


# --- the record --------------------------------------------------------------------------------


def test_a_peer_support_contact_needs_no_duration_and_adds_no_hours() -> None:
    entry = contact(clients=3)
    assert validate(entry) == []
    assert entry.contact_only
    assert minutes_of(entry) == 0
    assert decode(RecordKind.PRACTICE, encode(entry)) == entry


def test_a_timed_peer_support_session_still_counts_its_hours() -> None:
    entry = PracticeEntry(date=DAY, duration_minutes=45, activity=PEER)
    assert validate(entry) == []
    assert not entry.contact_only
    assert minutes_of(entry) == 45


def test_every_other_activity_still_needs_a_duration() -> None:
    found = messages(PracticeEntry(date=DAY))
    assert "duration is required" in found["duration"]
    assert "peer-support contact" in found["duration"]
    assert (
        "between 1 and 1440" in messages(PracticeEntry(date=DAY, duration_minutes=1441))["duration"]
    )


def test_a_contact_counts_people_contacted() -> None:
    assert messages(contact(clients=0))["clients"] == "number of contacts must be between 1 and 500"


# --- totals and requirements -------------------------------------------------------------------


def test_contacts_count_as_entries_with_no_hours(logbook: Logbook) -> None:
    logbook.records.create_many(
        [contact(), contact(clients=2), PracticeEntry(date=DAY, duration_minutes=50)]
    )
    total = logbook.records.summarise(RecordQuery(RecordKind.PRACTICE))
    assert (total.count, total.minutes) == (3, 50)
    by_activity = logbook.records.totals(RecordQuery(RecordKind.PRACTICE), "subtype")
    peer = next(t for t in by_activity if t.key == PEER.value)
    assert (peer.count, peer.minutes) == (2, 0)


SOURCE = Source("test", "Test guidance", "https://example.org", date(2026, 1, 5))


@pytest.mark.parametrize(("measure", "expected"), [("hours", 50 / 60), ("count", 3)])
def test_requirements_count_contacts_but_credit_no_hours(measure: str, expected: float) -> None:
    records = [contact(), contact(date(2025, 3, 10)), PracticeEntry(date=DAY, duration_minutes=50)]
    params = TotalParams(Selector(RecordKind.PRACTICE, label="practice", measure=measure), 1)
    rule = Rule("practice", "practice", "total", "d", SOURCE, params)
    (finding,) = check_rule(rule, records, today=date(2025, 12, 31))
    assert finding.actual == pytest.approx(expected, abs=1e-3)


# --- command line, CSV and PDF -----------------------------------------------------------------


def test_the_command_line_adds_a_contact_without_a_duration(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = cli(
        "add",
        "practice",
        "date=2025-03-03",
        "activity=peer_support",
        "setting=community",
        "clients=4",
        data=data,
    )
    assert added.returncode == 0, added.stderr
    listed = cli("list", "practice", data=data)
    assert "0.00 h  Peer-support contact" in listed.stdout
    assert "1 practice record(s); total 0.00 h" in listed.stdout

    refused = cli("add", "practice", "date=2025-03-03", "activity=one_to_one", data=data)
    assert refused.returncode == 1
    assert "duration is required" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_csv_of_contacts_imports_and_a_therapy_row_without_duration_is_refused(
    logbook: Logbook, tmp_path: Path
) -> None:
    good = tmp_path / "contacts.csv"
    good.write_text(
        "date,activity,setting,delivery,clients\n"
        "2025-03-03,peer_support,community,telephone,1\n"
        "2025-03-04,Peer-support contact,community,face_to_face,5\n",
        encoding="utf-8",
    )
    result = import_csv(logbook.records, RecordKind.PRACTICE, good)
    assert result.imported == 2
    total = logbook.records.summarise(RecordQuery(RecordKind.PRACTICE))
    assert (total.count, total.minutes) == (2, 0)

    bad = tmp_path / "therapy.csv"
    bad.write_text("date,activity\n2025-03-05,one_to_one\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        import_csv(logbook.records, RecordKind.PRACTICE, bad)
    assert "row 2, duration: duration is required" in str(error.value.problems[0])


def test_the_portfolio_shows_contacts_with_no_hours(logbook: Logbook, tmp_path: Path) -> None:
    mind = Organisation(name="Edinburgh Mind", employer=True)
    profile = Profile(
        name="Jordan Reid",
        roles=(RoleSpell(title="Peer support worker", start=date(2024, 1, 1)),),
    )
    logbook.records.create_many(
        [mind, profile, contact(clients=3), PracticeEntry(date=DAY, duration_minutes=50)]
    )
    path = tmp_path / "portfolio.pdf"
    export_portfolio(logbook, path, ExportOptions(period=YEAR), now=datetime(2026, 1, 15, 9, 30))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))
    assert "Contacts (no hours)" in text  # the month by month summary
    assert "2 entries, 0.83 hours" in text
    export_portfolio(
        logbook,
        path,
        ExportOptions(period=YEAR, entry_by_entry=True),
        now=datetime(2026, 1, 15, 9, 30),
    )
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))
    assert "3 contacts (no hours)" in text  # the entry itself, in the appendix
