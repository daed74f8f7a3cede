"""How well the privacy detector does on sentences as practitioners write them.

The corpus (tests/data/privacy-corpus.txt) holds identifying sentences, which must be flagged,
and ordinary ones, which must not. Recall is the share of identifying sentences flagged; the
false-alarm rate is the share of ordinary sentences flagged. Print the figures, and every miss
and false alarm, with:

    uv run python tests/test_privacy_corpus.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from logbook.domain.privacy import find_identifiers

CORPUS = Path(__file__).parent / "data" / "privacy-corpus.txt"
MIN_RECALL = 0.95
MAX_FALSE_ALARMS = 0.03


@dataclass(frozen=True)
class Scores:
    identifying: int
    ordinary: int
    misses: list[str]
    false_alarms: list[str]

    @property
    def recall(self) -> float:
        return 1 - len(self.misses) / self.identifying

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.ordinary

    def report(self) -> str:
        return (
            f"privacy corpus: {self.identifying} identifying, {self.ordinary} ordinary sentences; "
            f"recall {self.recall:.3f} ({self.identifying - len(self.misses)}/{self.identifying}), "
            f"false alarms {self.false_alarm_rate:.3f} "
            f"({len(self.false_alarms)}/{self.ordinary})"
        )


def read_corpus(path: Path = CORPUS) -> tuple[list[str], list[str]]:
    """The identifying and the ordinary sentences of the corpus file."""
    identifying: list[str] = []
    ordinary: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        mark, _, sentence = line.partition(" ")
        if mark not in ("+", "-") or not sentence.strip():
            raise ValueError(f"{path.name}, line {number}: start with '+ ' or '- '")
        (identifying if mark == "+" else ordinary).append(sentence)
    return identifying, ordinary


def score(identifying: list[str], ordinary: list[str]) -> Scores:
    return Scores(
        len(identifying),
        len(ordinary),
        [s for s in identifying if not find_identifiers(s)],
        [s for s in ordinary if find_identifiers(s)],
    )


def test_the_corpus_is_large_enough_and_has_no_repeats() -> None:
    identifying, ordinary = read_corpus()
    assert len(identifying) >= 200
    assert len(ordinary) >= 200
    everything = identifying + ordinary
    assert len(set(everything)) == len(everything)


def test_recall_and_false_alarms_meet_their_floors(capsys: pytest.CaptureFixture[str]) -> None:
    scores = score(*read_corpus())
    with capsys.disabled():
        print("\n" + scores.report())
    assert scores.recall >= MIN_RECALL, f"missed: {scores.misses}"
    assert scores.false_alarm_rate <= MAX_FALSE_ALARMS, f"false alarms: {scores.false_alarms}"


def main() -> int:
    scores = score(*read_corpus())
    print(scores.report())
    for sentence in scores.misses:
        print(f"  missed:      {sentence}")
    for sentence in scores.false_alarms:
        found = ", ".join(f"“{w.text}” ({w.kind.label})" for w in find_identifiers(sentence))
        print(f"  false alarm: {sentence}  <- {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
