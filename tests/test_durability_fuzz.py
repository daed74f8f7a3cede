"""Hostile input: every file the app reads from outside, fuzzed with Hypothesis.

A modest number of examples per target keeps the suite quick; ``bench/fuzz_campaign.py`` runs
ten thousand and more. For every input: accepted, or refused with a clear ``LogbookError``;
a refused input changes nothing; an accepted one leaves a sound logbook.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz_targets import TARGETS, Target, run_examples, target

EXAMPLES = 40


@pytest.fixture(params=sorted(TARGETS))
def fuzzed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    with target(request.param, tmp_path / request.param) as made:
        yield made


def test_hostile_files_are_refused_cleanly_and_change_nothing(fuzzed: Target) -> None:
    tally = run_examples(fuzzed, EXAMPLES, raise_failures=True)
    assert tally.failures == []
    assert tally.total >= EXAMPLES // 2  # Hypothesis may stop early only if it runs out of ideas


def test_the_examples_the_fuzzer_starts_from_are_accepted(fuzzed: Target) -> None:
    # Mutants of a valid file are worth more than noise: the seeds themselves must import.
    outcomes = [fuzzed.attempt(seed) for seed in fuzzed.seeds()]
    assert "accepted" in outcomes, outcomes


@pytest.mark.parametrize(
    "document",
    [
        "",
        "[]",
        "null",
        '{"format": "practice-logbook", "format_version": 1}',
        '{"format": "practice-logbook", "format_version": 1, "records": [{"kind": "supervision"}]}',
        '{"format": "practice-logbook", "format_version": 1, "records": {}}',
        '{"format": "practice-logbook", "format_version": 99, "records": []}',
        "[" * 100_000,
    ],
)
def test_json_import_refuses_malformed_documents_with_a_message(
    document: str, tmp_path: Path
) -> None:
    with target("json", tmp_path / "json") as made:
        outcome = made.attempt(document.encode())
    assert outcome != "accepted"
    assert "input.json" in outcome


def test_a_json_import_with_one_bad_record_imports_nothing(tmp_path: Path) -> None:
    with target("json", tmp_path / "json") as made:
        assert isinstance(made, TARGETS["json"])
        document = json.loads(made.seeds()[0])
        sessions = [r for r in document["records"] if r["kind"] == "supervision"]
        sessions[-1]["duration_minutes"] = -30
        outcome = made.attempt(json.dumps(document).encode())
        assert outcome != "accepted"
        assert made.tally.failures == []  # and the logbook is exactly as before


@pytest.mark.parametrize("name", ["request", "response"])
@pytest.mark.parametrize("value", [float("nan"), 2**70, -(2**60), 1e308 * 10])
def test_signoff_files_with_numbers_json_cannot_sign_are_refused(
    name: str, value: float, tmp_path: Path
) -> None:
    # Found by the fuzz campaign: canonical JSON (RFC 8785) has no NaN, infinity or integers
    # beyond 2**53, so a file carrying one must be refused, not crash the app.
    with target(name, tmp_path / name) as made:
        document = json.loads(made.seeds()[0])
        document["note"] = value
        outcome = made.attempt(json.dumps(document).encode())
    assert outcome != "accepted"
