"""The export dialog driven as a person would: choose, preview, export, cancel, fix mistakes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from logbook.services.demo import generate_demo
from logbook.services.logbook import Logbook
from logbook.ui.export_dialog import ExportDialog

TODAY = date(2026, 4, 30)


@pytest.fixture
def demo(logbook: Logbook) -> Logbook:
    generate_demo(logbook, persona="mindfulness", years=2, today=TODAY)
    return logbook


@pytest.fixture
def dialog(qtbot: QtBot, demo: Logbook) -> ExportDialog:
    window = ExportDialog(demo)
    qtbot.addWidget(window)
    window.show()
    return window


def _choose_year(dialog: ExportDialog, year: int) -> None:
    dialog.year_radio.setChecked(True)
    dialog.year_spin.setValue(year)


def _idle(qtbot: QtBot, dialog: ExportDialog) -> None:
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=60_000)


def test_private_reflections_are_off_by_default_and_warn_when_on(dialog: ExportDialog) -> None:
    assert not dialog.private_check.isChecked()
    assert not dialog.private_warning.isVisible()
    dialog.private_check.setChecked(True)
    assert dialog.private_warning.isVisible()
    assert "cover will say so" in dialog.private_warning.text()
    assert dialog.options().include_private


def test_layout_choice_lists_its_sections(dialog: ExportDialog) -> None:
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("supervision"))
    titles = [dialog.sections_list.item(i).text() for i in range(dialog.sections_list.count())]
    assert titles[:2] == ["Summary", "Supervision received"]
    assert dialog.sections() is None  # all checked means every section
    dialog.sections_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.sections() == frozenset(
        {"log", "given", "breaks", "cpd", "declaration", "signoffs"}
    )


def test_the_entry_by_entry_appendix_is_offered_unticked(dialog: ExportDialog) -> None:
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("portfolio"))
    items = [dialog.sections_list.item(i) for i in range(dialog.sections_list.count())]
    [appendix] = [i for i in items if i.data(Qt.ItemDataRole.UserRole) == "entries"]
    assert appendix.text() == "Appendix: practice logs entry by entry"
    assert appendix.checkState() == Qt.CheckState.Unchecked
    assert dialog.sections() is None
    appendix.setCheckState(Qt.CheckState.Checked)
    chosen = dialog.sections()
    assert chosen is not None
    assert {"entries", "practice", "summary"} <= chosen


def test_each_body_layout_chooses_the_period_its_body_asks_about(
    logbook: Logbook, qtbot: QtBot
) -> None:
    from logbook.domain.periods import Period
    from logbook.domain.records import Profile, Registration

    logbook.records.create(
        Profile(
            name="Sam Carter",
            registrations=(
                Registration(body="NMC", number="12A3456E", renewal_date=date(2028, 3, 31)),
            ),
        )
    )
    dialog = ExportDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("nmc"))
    assert dialog.cycle_radio.isChecked()
    assert dialog.period() == Period(date(2025, 3, 31), date(2028, 3, 30))
    assert "the current NMC revalidation cycle" in dialog.layout_note.text()
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("hcpc"))
    assert dialog.custom_radio.isChecked()
    period = dialog.period()
    assert period.end == date.today()
    assert period.start is not None
    assert (period.end - period.start).days in (729, 730)
    assert "the 2 years to today" in dialog.layout_note.text()


def test_nmc_layout_says_what_is_missing(dialog: ExportDialog) -> None:
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("nmc"))
    assert "needs your NMC registration" in dialog.status.text()


def test_preview_shows_the_first_pages_before_saving(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path
) -> None:
    target = tmp_path / "portfolio.pdf"
    dialog.path_edit.setText(str(target))
    _choose_year(dialog, 2025)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, dialog)
    assert len(dialog.preview_labels) == 3
    pixmap = dialog.preview_labels[0].pixmap()
    assert pixmap.width() == 230
    assert pixmap.height() > 300  # an A4 page, portrait
    assert "Nothing has been saved yet" in dialog.preview_info.text()
    assert not target.exists()
    dialog.preview_area.grab().save(str(tmp_path / "preview.png"))


def test_export_writes_the_file_with_progress(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path
) -> None:
    target = tmp_path / "portfolio.pdf"
    dialog.path_edit.setText(str(target))
    _choose_year(dialog, 2025)
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.isEnabled()
        assert not dialog.export_button.isEnabled()
    result = signal.args[0]
    assert result.path == target
    assert dialog.last_export is result  # what "Open" opens
    assert target.exists()
    assert f"Saved {target}" in dialog.status.text()
    assert dialog.open_button.isEnabled()
    assert max(seen) > 500
    first = pypdf.PdfReader(target).pages[0].extract_text()
    assert "01 Jan 2025 – 31 Dec 2025" in first
    _idle(qtbot, dialog)
    assert dialog.export_button.isEnabled()


def test_a_short_summary_leaves_out_the_cover_and_contents(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path
) -> None:
    target = tmp_path / "summary.pdf"
    dialog.path_edit.setText(str(target))
    _choose_year(dialog, 2025)
    dialog.compact_check.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    pages = [page.extract_text() for page in pypdf.PdfReader(target).pages]
    assert not any("Contents" in text for text in pages)
    assert "01 Jan 2025 – 31 Dec 2025" in pages[0]
    _idle(qtbot, dialog)


def test_cancel_stops_the_export_and_leaves_no_file(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "portfolio.pdf"
    target.parent.mkdir()
    dialog.path_edit.setText(str(target))
    dialog.all_radio.setChecked(True)
    # Cancel as soon as the export reports its first progress.
    dialog.progress.valueChanged.connect(lambda value: dialog.cancel_work())
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, dialog)
    assert dialog.job is not None
    assert dialog.job.was_cancelled
    assert "Cancelled: no file was written" in dialog.status.text()
    assert list(target.parent.iterdir()) == []


def test_bad_input_is_explained_in_the_dialog(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path
) -> None:
    dialog.path_edit.setText(str(tmp_path / "missing" / "portfolio.pdf"))
    _choose_year(dialog, 2025)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, dialog)
    assert "does not exist" in dialog.status.text()

    dialog.path_edit.setText(str(tmp_path / "portfolio.pdf"))
    _choose_year(dialog, 1990)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing to export" in dialog.status.text(), timeout=30_000)
    assert not (tmp_path / "portfolio.pdf").exists()

    dialog.custom_radio.setChecked(True)
    dialog.from_edit.setDate(dialog.to_edit.date().addDays(5))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "end date is before the start date" in dialog.status.text()


def test_every_control_has_an_accessible_name(dialog: ExportDialog) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
    )

    kinds = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QAbstractSpinBox)
    unnamed = [
        type(widget).__name__
        for kind in kinds
        for widget in dialog.findChildren(kind)
        if widget.isVisibleTo(dialog)
        and not (widget.accessibleName() or getattr(widget, "text", lambda: "")())
    ]
    assert not unnamed


def test_the_hcpc_statements_start_as_drafts_and_print_as_written(
    qtbot: QtBot, demo: Logbook, tmp_path: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    _register_with_hcpc(demo)
    window = ExportDialog(demo)
    qtbot.addWidget(window)
    window.show()
    assert not window.statements_button.isVisible()  # the portfolio asks for none
    window.layout_combo.setCurrentIndex(window.layout_combo.findData("hcpc"))
    assert window.statements_button.isVisible()
    mine = "I teach mindfulness-based courses in the NHS and the third sector."
    seen: dict[str, object] = {}

    def write() -> None:
        statements = window.statements_dialog
        assert statements is not None
        summary = statements.edits["practice_summary"]
        seen["draft"] = summary.toPlainText()
        summary.setPlainText("word " * 501)
        ok = statements.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["over"] = (ok.isEnabled(), statements.counts["practice_summary"].text())
        summary.setPlainText(mine)
        statements.edits["statement"].setPlainText("")
        ok.click()

    QTimer.singleShot(0, write)
    window.all_radio.setChecked(True)
    window.write_statements()
    assert str(seen["draft"]).startswith("My roles in this period: ")
    assert seen["over"] == (False, "501 words of at most 500")
    assert window.options().statements == {"practice_summary": mine}
    target = tmp_path / "hcpc.pdf"
    window.path_edit.setText(str(target))
    window.start_export()
    _idle(qtbot, window)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(target).pages)
    assert mine in text
    assert "The statement is not yet written by the practitioner." in text


def _register_with_hcpc(logbook: Logbook) -> None:
    import dataclasses

    from logbook.domain.records import Registration

    profile = logbook.records.profile()
    assert profile is not None
    hcpc = Registration(body="HCPC", number="PYL01234")
    logbook.records.update(dataclasses.replace(profile, registrations=(hcpc,)))


def test_statements_written_once_are_there_at_the_next_export(qtbot: QtBot, demo: Logbook) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    _register_with_hcpc(demo)
    first = ExportDialog(demo)
    qtbot.addWidget(first)
    first.layout_combo.setCurrentIndex(first.layout_combo.findData("hcpc"))
    first.all_radio.setChecked(True)
    mine = "I work with adults in community arts therapies."
    seen: dict[str, str] = {}

    def write(again: bool = False) -> None:
        dialog = first.statements_dialog if not again else later.statements_dialog
        assert dialog is not None
        seen["shown" if again else "first"] = dialog.edits["practice_summary"].toPlainText()
        if not again:
            dialog.edits["practice_summary"].setPlainText(mine)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, write)
    first.write_statements()
    assert "Your own words are kept (2)" in first.status.text(), first.status.text()
    first.close()

    later = ExportDialog(demo)
    qtbot.addWidget(later)
    later.layout_combo.setCurrentIndex(later.layout_combo.findData("hcpc"))
    later.all_radio.setChecked(True)
    assert later.options().statements["practice_summary"] == mine
    QTimer.singleShot(0, lambda: write(again=True))
    later.write_statements()
    assert seen["shown"] == mine  # offered as written, not as a fresh draft
    later.layout_combo.setCurrentIndex(later.layout_combo.findData("portfolio"))
    assert later.options().statements == {}
    assert not [d for d in demo.drafts.all() if not d.name.startswith("statements:")]
