"""How fast the privacy detector reads a megabyte, of ordinary and of adversarial text.

Run: uv run python bench/bench_privacy.py

Each figure is beside a baseline measured in the same run: a case-insensitive search of the
same text for the word "client" (one pass of one simple pattern). Every case should take a
similar multiple of it: a case many times slower than the others would be backtracking.
"""

from __future__ import annotations

import re
from pathlib import Path

from bench.common import median_seconds, report
from logbook.domain.privacy import find_identifiers

MEGABYTE = 1_000_000
CORPUS = Path(__file__).parent.parent / "tests" / "data" / "privacy-corpus.txt"


def _megabyte(piece: str) -> str:
    return (piece * (MEGABYTE // len(piece) + 1))[:MEGABYTE]


def main() -> None:
    cases = {
        "practitioners' sentences": _megabyte(CORPUS.read_text(encoding="utf-8")),
        "digits and spaces": _megabyte("1 "),
        "at signs and dots": "a@" + _megabyte("b."),
        "role words": _megabyte("client "),
        "relation words": _megabyte("her son "),
        "names before roles": _megabyte("Mrs Patel, the client's "),
        "postcodes at venues": _megabyte("LS1 4AP venue "),
        "dates of birth": _megabyte("DOB 12/03/1987 "),
    }
    word = re.compile(r"\bclient\b", re.IGNORECASE)
    for name, text in cases.items():
        ours = median_seconds(lambda t=text: find_identifiers(t), repeat=3)
        baseline = median_seconds(lambda t=text: word.findall(t), repeat=3)
        report(f"privacy check, 1 MB of {name}", ours, baseline, "one word search")


if __name__ == "__main__":
    main()
