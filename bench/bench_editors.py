"""How quickly a supervision session can be logged on a 50,000-entry logbook.

Run: uv run python bench/bench_editors.py

Reports, each beside a baseline measured in the same run:
- opening the supervision editor (defaults from the newest sessions, pickers filled) against
  a bare QDialog with the same number of plain inputs in a QFormLayout;
- saving one session through the record service against a bare SQLite insert of one row;
- the privacy check of a 2,000-character reflection against a plain ``str.split`` of it.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QFormLayout, QLineEdit

from bench.common import big_logbook, median_seconds, report
from logbook.domain.privacy import find_identifiers
from logbook.domain.records import Record, RecordKind
from logbook.services.logbook import Logbook
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.editors.defaults import duplicate


class Host:
    def __init__(self, logbook: Logbook) -> None:
        self.logbook = logbook

    def create(self, records: list[Record]) -> None:
        self.logbook.records.create_many(records)

    def update(self, record: Record) -> None:
        self.logbook.records.update(record)


def bare_form(rows: int) -> QDialog:
    dialog = QDialog()
    form = QFormLayout(dialog)
    for index in range(rows):
        field = QComboBox() if index % 2 else QLineEdit()
        form.addRow(f"Field {index}", field)
    dialog.show()
    QApplication.processEvents()
    return dialog


def main() -> None:
    app = QApplication([])
    location = big_logbook()
    logbook = Logbook.open(location)
    host = Host(logbook)
    total = sum(logbook.records.count(kind) for kind in RecordKind)
    print(f"logbook: {total:,} records in {location.database}")

    def open_supervision() -> RecordEditorDialog:
        dialog = open_editor(RecordKind.SUPERVISION, logbook, host)
        assert isinstance(dialog, RecordEditorDialog)
        dialog.show()
        QApplication.processEvents()
        dialog.close()
        dialog.deleteLater()
        return dialog

    probe = open_editor(RecordKind.SUPERVISION, logbook, host)
    assert isinstance(probe, RecordEditorDialog)
    rows = len(probe.form.editors)
    probe.deleteLater()

    def open_bare() -> None:
        dialog = bare_form(rows)
        dialog.close()
        dialog.deleteLater()

    report(
        "open supervision editor",
        median_seconds(open_supervision),
        median_seconds(open_bare),
        f"bare dialog, {rows} inputs",
    )

    # Saving: copy the logbook so repeated saves leave the shared benchmark file untouched.
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.sqlite"
        source = sqlite3.connect(location.database)
        target = sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
        scratch = Logbook.open_file(copy)
        editor = open_editor(RecordKind.SUPERVISION, scratch, Host(scratch))
        assert isinstance(editor, RecordEditorDialog)
        record, problems = editor.form.collect()
        assert not problems

        def save_one() -> None:
            scratch.records.create(duplicate(record))

        raw = sqlite3.connect(Path(folder) / "raw.sqlite")
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE t (uid TEXT PRIMARY KEY, day TEXT, minutes INT)")

        def raw_insert() -> None:
            raw.execute("INSERT INTO t VALUES (lower(hex(randomblob(16))), '2026-03-03', 90)")
            raw.commit()

        report(
            "save one session",
            median_seconds(save_one),
            median_seconds(raw_insert),
            "bare SQLite insert",
        )
        raw.close()
        scratch.close()

    text = (
        "Discussed endings and pacing with the group; noticed my urge to fix things. "
        "Planned to slow the inquiry and leave more silence. "
    ) * 16
    text = text[:2000]
    report(
        "privacy check, 2,000 characters",
        median_seconds(lambda: find_identifiers(text), repeat=50),
        median_seconds(lambda: text.split(), repeat=50),
        "str.split of the same text",
        "(runs 400 ms after typing stops)",
    )
    logbook.close()
    app.quit()


if __name__ == "__main__":
    main()
