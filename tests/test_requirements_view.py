"""The Requirements page driven as a user drives it: pick a pack, read a month, change settings."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from logbook.domain.choices import SupervisionFormat
from logbook.domain.records import PracticeEntry, Profile, SupervisionSession
from logbook.services.logbook import Logbook
from logbook.ui.requirements_view import FindingsRole, RequirementsView, StateRole

TODAY = date(2026, 11, 22)


@pytest.fixture
def view(qtbot, logbook: Logbook) -> RequirementsView:  # type: ignore[no-untyped-def]
    logbook.requirements.clock = lambda: TODAY
    records = [
        Profile(name="Sam Rivers", followed_packs=("bacp_accreditation",)),
        # Weekly practice from June to October 2026.
        *(
            PracticeEntry(date=date(2026, 6, 1) + timedelta(days=7 * n), duration_minutes=50)
            for n in range(22)
        ),
        SupervisionSession(date=date(2026, 6, 10), duration_minutes=90),
        # July: only a group of five for two hours, credited 24 minutes.
        SupervisionSession(
            date=date(2026, 7, 15),
            duration_minutes=120,
            format=SupervisionFormat.GROUP,
            group_size=5,
        ),
        SupervisionSession(date=date(2026, 8, 12), duration_minutes=90),
        SupervisionSession(date=date(2026, 9, 9), duration_minutes=90),
        SupervisionSession(date=date(2026, 10, 7), duration_minutes=90),
    ]
    logbook.records.create_many(records)
    widget = RequirementsView(logbook.requirements)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    return widget


def _row(view: RequirementsView, rule_id: str) -> int:
    assert view.model.result is not None
    return next(i for i, r in enumerate(view.model.result.rules) if r.rule_id == rule_id)


def _column(view: RequirementsView, year: int, month: int) -> int:
    return view.model.FIXED + view.model.months.index(date(year, month, 1))


def test_grid_passes_the_model_tester(qtmodeltester, view: RequirementsView):  # type: ignore[no-untyped-def]
    qtmodeltester.check(view.model)


def test_the_followed_pack_opens_with_a_month_by_month_grid(view: RequirementsView):
    assert view.current_pack() == "bacp_accreditation"
    assert view.heading.text() == "BACP individual accreditation"
    assert view.status_chip.text() == "Not yet met"
    model = view.model
    row = _row(view, "monthly-supervision")
    states = {
        month: model.index(row, _column(view, 2026, month)).data(StateRole)
        for month in range(6, 12)
    }
    assert states == {6: "met", 7: "short", 8: "met", 9: "met", 10: "met", 11: "none"}
    july = model.index(row, _column(view, 2026, 7))
    assert july.data() == "0.40"
    assert july.data(Qt.ItemDataRole.BackgroundRole) != model.index(
        row, _column(view, 2026, 8)
    ).data(Qt.ItemDataRole.BackgroundRole)
    assert model.headerData(_column(view, 2026, 7), Qt.Orientation.Horizontal) == "Jul\n2026"
    assert model.index(row, 1).data() == "Not yet met"


def test_a_cell_shows_its_reasons_entries_and_source(qtbot, view: RequirementsView):  # type: ignore[no-untyped-def]
    row = _row(view, "monthly-supervision")
    view.grid.setCurrentIndex(view.model.index(row, _column(view, 2026, 7)))
    text = view.detail.toPlainText()
    assert "July 2026" in text
    assert "24 minutes of supervision from 1 entry; at least 1 h 30 min needed" in text
    assert "group of 5: 2 h ÷ 5 → 24 minutes" in text
    assert "To close the gap: 1 h 6 min short." in text
    assert (
        "Source: BACP: Individual accreditation – supervision requirements, checked 22 Nov 2026"
        in text
    )
    assert view.entries.rowCount() == 1
    assert view.entries.item(0, 0).text() == "15 Jul 2026"
    assert "group of 5" in view.entries.item(0, 1).text()
    assert "0.40 h credited" in view.entries.item(0, 3).text()
    assert view.entries_label.text() == "1 entry behind the selected cell"


def test_window_rules_list_the_month_entries(view: RequirementsView):
    row = _row(view, "supervised-practice-hours")
    index = view.model.index(row, _column(view, 2026, 8))
    # 450 hours are not reached yet, but the window is still open: amber, not red.
    assert index.data(StateRole) == "running"
    assert index.data(FindingsRole)[0].label == "23 Nov 2020 – 22 Nov 2026"
    view.grid.setCurrentIndex(index)
    # Practice on Mondays in August 2026: 3, 10, 17, 24 and 31.
    assert view.entries.rowCount() == 5
    assert "At your average of the last 6 months" in view.detail.toPlainText()


def test_settings_are_saved_and_checked_again(view: RequirementsView):
    box = view.settings_box
    box.fraction.setValue(60)
    box.leave_from.setDate(date(2026, 7, 1))
    box.leave_to.setDate(date(2026, 7, 31))
    box.findChildren(type(box.save_button))[0].click()  # "Add leave"
    assert box.leave.count() == 1
    box.save_button.click()
    settings = view.service.settings("bacp_accreditation")
    assert settings.working_fraction == pytest.approx(0.6)
    assert [(p.start, p.end) for p in settings.leave] == [(date(2026, 7, 1), date(2026, 7, 31))]
    assert "Saved" in box.message.text()
    row = _row(view, "monthly-supervision")
    july = view.model.index(row, _column(view, 2026, 7))
    assert july.data(StateRole) == "none"  # on leave: not checked
    view.grid.setCurrentIndex(july)
    assert "On leave for 31 of 31 days" in view.detail.toPlainText()


def test_switching_pack_and_range(view: RequirementsView):
    view.select_pack("nmc_revalidation")
    assert view.heading.text() == "NMC revalidation"
    assert "No cycle start is set" in view.notes.text()
    view.range_choice.setCurrentIndex(0)  # last 12 months
    assert len(view.model.months) == 12


def test_importing_a_bad_pack_shows_file_line_and_field(
    view: RequirementsView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    bad = tmp_path / "team.toml"
    good = view.service.pack_text("nhs_tt_pwp").replace('id = "nhs_tt_pwp"', 'id = "team"')
    bad.write_text(good.replace("minimum = 1\n", "minimum = 'one'\n", 1), encoding="utf-8")
    assert not view.import_pack_file(str(bad))
    assert "team.toml, line" in shown[0]
    assert "rules[1].minimum: must be a number" in shown[0]
    bad.write_text(good, encoding="utf-8")
    assert view.import_pack_file(str(bad))
    assert view.current_pack() == "team"
    assert "(your pack)" in view.pack_choice.currentText()


def test_start_a_pathway_from_a_milestones_rule(qtbot, view: RequirementsView):  # type: ignore[no-untyped-def]
    view.select_pack("peer_support_induction")
    view.grid.setCurrentIndex(view.model.index(0, 1))
    assert view.start_button.isEnabled()
    with qtbot.waitSignal(view.pathway_started) as started:
        view.start_button.click()
    assert len(started.args[0].created) == 7  # the pathway and its six stages
    assert view.model.result is not None
    findings = view.model.result.rules[0].findings
    assert "not started" in findings[0].explanation
    assert "no pathway started" not in findings[0].explanation


def test_screenshot(view: RequirementsView, tmp_path: Path):
    row = _row(view, "monthly-supervision")
    view.grid.setCurrentIndex(view.model.index(row, _column(view, 2026, 7)))
    image = view.grab()
    assert not image.isNull()
    assert image.save(str(tmp_path / "requirements.png"))


def test_at_1024_by_700_what_falls_short_comes_first_and_leads_to_its_month(
    qtbot,  # type: ignore[no-untyped-def]
    logbook: Logbook,
) -> None:
    """A shortfall two years back, with the grid showing the last 12 months: the list of
    periods not met names it at the top, and choosing it shows its cell and explanation."""
    logbook.requirements.clock = lambda: TODAY
    logbook.records.create_many(
        [
            Profile(name="Sam Rivers", followed_packs=("bacp_accreditation",)),
            *(
                SupervisionSession(date=date(2024, month, 10), duration_minutes=90)
                for month in range(1, 13)
                if month != 3
            ),
            *(
                SupervisionSession(date=date(year, month, 10), duration_minutes=90)
                for year in (2025, 2026)
                for month in range(1, 13)
                if date(year, month, 10) < TODAY
            ),
            *(
                PracticeEntry(date=date(2024, 1, 1) + timedelta(days=7 * n), duration_minutes=50)
                for n in range(150)
            ),
        ]
    )
    view = RequirementsView(logbook.requirements)
    qtbot.addWidget(view)
    view.resize(1024 - 240, 700 - 120)  # the page beside the sidebar, under the toolbar
    view.show()
    qtbot.waitExposed(view)
    assert view.range_choice.currentText() == "Last 12 months"

    first = view.shortfalls.item(0)
    assert first.text().startswith("March 2024: ")
    assert "monthly" in first.text().lower() or "supervision" in first.text().lower()
    shown = view.shortfalls.visualItemRect(first)
    viewport = view.shortfalls.viewport().rect()
    assert viewport.top() <= shown.top()
    assert shown.bottom() <= viewport.bottom()
    assert view.shortfalls.isVisible()

    qtbot.mouseClick(view.shortfalls.viewport(), Qt.MouseButton.LeftButton, pos=shown.center())

    assert view.range_choice.currentText() == "Everything"
    current = view.rules_view.currentIndex()
    assert view.model.month_of(current.column()) == date(2024, 3, 1)
    assert current.data(StateRole) == "short"
    assert "March 2024" in view.detail.toPlainText()
    cell = view.grid.visualRect(current)
    assert view.grid.viewport().rect().intersects(cell)
