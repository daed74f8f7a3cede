"""A portfolio is one state of the logbook: a change saved while it is read is not half in it.

The change is committed by a second SQLite connection, as another writer would, between the
exporter's reads of two record kinds (its progress report says when one kind has been read).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pypdf

from logbook.domain.records import RecordKind
from logbook.services.export import ExportOptions, export_portfolio
from logbook.services.logbook import Logbook
from tests.test_export_pdf import NOW, YEAR, _fill

# Sorted by kind, attestations are read first and CPD later.
FIRST_READ = f"Reading {RecordKind.ATTESTATION.label.lower()}"


def _rename_in_one_commit(path: Path) -> None:
    """Rename an attestation's signer and a CPD activity together, from another connection."""
    with sqlite3.connect(path, timeout=5) as other:
        other.execute(
            "UPDATE attestation SET by_name = 'Fiona Renamed' WHERE by_name = 'Fiona Confirmer'"
        )
        other.execute(
            "UPDATE cpd SET title = 'cpd-renamed', learning_outcomes = 'outcome of cpd-renamed' "
            "WHERE title = 'cpd-risk-workshop'"
        )
    other.close()


def _text(path: Path) -> str:
    pages = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    return re.sub(r"\s+", " ", " ".join(pages))


def test_a_change_saved_while_the_portfolio_is_read_is_left_out_whole(
    logbook: Logbook, tmp_path: Path
) -> None:
    _fill(logbook)
    changed: list[str] = []

    def change_after_the_first_kind(_fraction: float, what: str) -> None:
        if what == FIRST_READ and not changed:
            _rename_in_one_commit(logbook.path)
            changed.append(what)

    target = tmp_path / "portfolio.pdf"
    export_portfolio(
        logbook, target, ExportOptions(YEAR), progress=change_after_the_first_kind, now=NOW
    )

    assert changed, "the exporter never reported reading attestations"
    text = _text(target)
    assert "Fiona Confirmer" in text  # read before the change
    assert "cpd-risk-workshop" in text  # read after it, from the same state
    assert "cpd-renamed" not in text
    assert "Fiona Renamed" not in text

    # The change was committed: the next portfolio has both halves of it.
    later = tmp_path / "later.pdf"
    export_portfolio(logbook, later, ExportOptions(YEAR), now=NOW)
    text = _text(later)
    assert "Fiona Renamed" in text
    assert "cpd-renamed" in text
