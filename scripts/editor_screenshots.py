"""Screenshots of the record editors, filled with realistic data, for the docs.

Run: uv run python scripts/editor_screenshots.py [--dark] [--out docs/screenshots]
Writes editor-supervision.png and privacy-warning.png (plus editor-<kind>.png with --all).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from logbook.domain import choices as c
from logbook.domain.records import (
    CpdActivity,
    Organisation,
    Person,
    Record,
    RecordKind,
    SupervisionSession,
    TeachingCourse,
)
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.editors import RecordEditorDialog, open_editor
from logbook.ui.editors.kinds import FORMS


class Host:
    def __init__(self, logbook: Logbook) -> None:
        self.logbook = logbook

    def create(self, records: list[Record]) -> None:
        self.logbook.records.create_many(records)

    def update(self, record: Record) -> None:
        self.logbook.records.update(record)


def sample_logbook(folder: Path) -> Logbook:
    logbook = Logbook.open(DataLocation(folder / "logbook"))
    trust = Organisation(
        name="NHS Lothian", organisation_kind=c.OrganisationKind.NHS, supervising=True
    )
    mind = Organisation(
        name="Edinburgh Mind", organisation_kind=c.OrganisationKind.CHARITY, employer=True
    )
    supervisor = Person(name="Dr Amira Shah", organisation_uid=trust.uid, roles=("supervisor",))
    course = TeachingCourse(
        title="MBCT for recurrent depression, spring", start_date=date(2026, 3, 4)
    )
    earlier = [
        SupervisionSession(
            date=date(2026, 2, day),
            duration_minutes=90,
            counterpart_uid=supervisor.uid,
            organisation_uid=trust.uid,
            supervision_type=c.SupervisionType.CLINICAL_SKILLS,
            mode=c.Mode.VIDEO,
            setting=c.Setting.PRIMARY_CARE,
        )
        for day in (3, 17)
    ]
    logbook.records.create_many([trust, mind, supervisor, course, *earlier])
    cpd = CpdActivity(start_date=date(2026, 2, 9), title="x", duration_minutes=60)
    logbook.records.create(cpd)
    return logbook


def fit(dialog: RecordEditorDialog) -> None:
    """Size the dialog to show the whole form without scrolling."""
    body = dialog.body
    QApplication.processEvents()
    chrome = dialog.height() - dialog.scroll_area.viewport().height()
    width = max(dialog.width(), 700, body.minimumSizeHint().width() + 60)
    dialog.resize(width, body.sizeHint().height() + chrome + 2)
    QApplication.processEvents()


def supervision(logbook: Logbook) -> RecordEditorDialog:
    dialog = open_editor(RecordKind.SUPERVISION, logbook, Host(logbook))
    assert isinstance(dialog, RecordEditorDialog)
    form = dialog.form
    form.editor("date").edit.setDate(date(2026, 3, 3))  # type: ignore[attr-defined]
    form.editor("themes").edit.setText("case formulation, risk, endings")  # type: ignore[attr-defined]
    form.editor("action_points").edit.setPlainText(  # type: ignore[attr-defined]
        "Bring the step-up decision to the next MDT.\nRe-read the guidance on planned endings."
    )
    form.editor("reflection").edit.setPlainText(  # type: ignore[attr-defined]
        "I notice I rush endings when a session runs over; slowing down helped today."
    )
    if dialog.series is not None:
        dialog.series.setChecked(True)
    return dialog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--all", action="store_true", help="also every other kind's editor")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    theme.apply_theme(app, "dark" if args.dark else "light")
    suffix = "-dark" if args.dark else ""
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        logbook = sample_logbook(Path(folder))
        dialog = supervision(logbook)
        dialog.show()
        fit(dialog)
        dialog.grab().save(str(args.out / f"editor-supervision{suffix}.png"))

        reflection = dialog.form.editor("reflection").edit  # type: ignore[attr-defined]
        reflection.setPlainText(
            "Discussed the referral for patient Mrs Jones (NHS 943 476 5919): I felt out of my "
            "depth with the risk assessment."
        )
        if dialog.series is not None:
            dialog.series.setChecked(False)
        dialog.save()  # the guard holds the save and asks
        fit(dialog)
        dialog.grab().save(str(args.out / f"privacy-warning{suffix}.png"))
        dialog.close()

        if args.all:
            for kind in FORMS:
                if kind is RecordKind.SUPERVISION:
                    continue
                other = open_editor(kind, logbook, Host(logbook))
                other.show()
                fit(other)  # type: ignore[arg-type]
                other.grab().save(str(args.out / f"editor-{kind.value}{suffix}.png"))
                other.close()
        logbook.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
