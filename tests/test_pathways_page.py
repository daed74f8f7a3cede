"""The Pathways page: a pathway is started from a template on the page itself, and the selected
pathway shows its stages in their order, where you are, what is next and missing evidence."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox
from pytestqt.qtbot import QtBot

from logbook.domain.choices import Curriculum, MilestoneStatus, PathwayKind
from logbook.domain.dates import short_date
from logbook.domain.periods import add_months
from logbook.domain.records import Milestone, Pathway, Profile, RecordKind
from logbook.services.changes import Change
from logbook.services.logbook import Logbook
from logbook.ui.pathways import PathwayPanel, StartPathwayDialog
from tests.ui_helpers import open_window, when_modal


def _panel(window) -> PathwayPanel:  # type: ignore[no-untyped-def]
    [panel] = window.findChildren(PathwayPanel)
    return panel


def _stages(panel: PathwayPanel) -> list[tuple[str, str]]:
    table = panel.stages
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def test_a_pathway_started_on_the_page_lists_its_stages_in_order(
    qtbot: QtBot, logbook: Logbook
) -> None:
    logbook.records.create(Profile(name="Jo Baird"))
    window = open_window(qtbot, logbook)
    window.show_section("pathways")
    panel = _panel(window)
    assert "start one from a template" in panel.heading.text()

    def start(dialog: object) -> None:
        assert isinstance(dialog, StartPathwayDialog)
        dialog.select("peer_support_induction")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(start)
    panel.start_button.click()

    qtbot.waitUntil(lambda: panel.stages.rowCount() == 6)
    assert _stages(panel) == [
        ("▶", "Data protection"),
        ("○", "Safeguarding adults and children"),
        ("○", "Trauma-informed practice"),
        ("○", "Breakaway training"),
        ("○", "Facilitator training"),
        ("○", "Sharing lived experience safely"),
    ]
    assert "0 of 6 reached · next: Data protection" in panel.heading.text()
    assert window.current_list().selected_records()[0].title == "Peer support worker induction"
    assert window.statusBar().currentMessage().startswith("Pathway started")

    first = min(logbook.records.all(RecordKind.MILESTONE), key=lambda m: m.sequence)  # type: ignore[attr-defined]
    logbook.records.update(
        dataclasses.replace(first, status=MilestoneStatus.COMPLETE, completed_on=date.today())
    )
    window.apply_external_change(
        Change(updated=(first.uid,), kinds=frozenset({RecordKind.MILESTONE}))
    )

    assert _stages(panel)[:2] == [
        ("✓", "Data protection"),
        ("▶", "Safeguarding adults and children"),
    ]
    assert panel.stages.item(0, 4).text() == "missing"  # reached, with nothing to show for it
    assert "1 of 6 reached · next: Safeguarding adults and children" in panel.heading.text()
    window.close()


def test_a_conversion_plan_starts_with_the_routes_and_curricula_chosen(
    qtbot: QtBot, logbook: Logbook
) -> None:
    dialog = StartPathwayDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.select("conversion_training")
    assert dialog.convert_from.currentData() == Curriculum.MBLC
    assert dialog.convert_to.currentData() == Curriculum.MBCT
    boxes = dialog.findChildren(QCheckBox)
    ticked = [b for b in boxes if b.text() in ("Individual mentoring", "NHS therapist training")]
    for box in ticked:
        box.setChecked(True)

    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    [plan] = logbook.records.all(RecordKind.PATHWAY)
    assert isinstance(plan, Pathway)
    assert plan.pathway_kind is PathwayKind.CONVERSION
    assert plan.title == "Conversion from Mindfulness Based Living Course to MBCT"
    routes = sorted(
        (m for m in logbook.records.all(RecordKind.MILESTONE) if isinstance(m, Milestone)),
        key=lambda m: m.sequence,
    )
    assert [m.title for m in routes] == ["Individual mentoring", "NHS therapist training"]


def test_a_conversion_plan_needs_a_route(qtbot: QtBot, logbook: Logbook) -> None:
    dialog = StartPathwayDialog(logbook)
    qtbot.addWidget(dialog)
    dialog.select("conversion_training")
    seen: list[str] = []
    when_modal(lambda box: (seen.append(box.text()), box.accept()))  # type: ignore[attr-defined]

    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    qtbot.waitUntil(lambda: bool(seen))
    assert seen == ["Tick at least one route for the plan."]
    assert logbook.records.all(RecordKind.PATHWAY) == []


PWP_STAGES = [
    "Trainee post started and induction completed",
    "Case-management and clinical-skills supervisors agreed",
    "Module passed: engagement and assessment",
    "Module passed: evidence-based low-intensity treatment",
    "Module passed: values, diversity and context",
    "Clinical skills assessments passed",
    "Supervised practice completed and signed off",
    "Programme completed",
    "Registered as a PWP with BABCP or the BPS",
]


def test_pwp_training_is_offered_and_starts_with_its_stages_in_order(
    qtbot: QtBot, logbook: Logbook
) -> None:
    logbook.records.create(Profile(name="Priya Shah"))
    window = open_window(qtbot, logbook)
    window.show_section("pathways")
    panel = _panel(window)
    offered: list[str] = []
    about: list[str] = []

    def start(dialog: object) -> None:
        assert isinstance(dialog, StartPathwayDialog)
        offered.extend(dialog.choice.item(r).text() for r in range(dialog.choice.count()))
        dialog.select("pwp_training")
        about.append(dialog.about.text())
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(start)
    panel.start_button.click()

    qtbot.waitUntil(lambda: panel.stages.rowCount() == len(PWP_STAGES))
    assert "PWP training (one year)" in offered
    assert "Dates are typical: your programme's own calendar rules." in about[0]
    assert [title for _mark, title in _stages(panel)] == PWP_STAGES
    assert [mark for mark, _title in _stages(panel)] == ["▶"] + ["○"] * (len(PWP_STAGES) - 1)
    assert f"0 of {len(PWP_STAGES)} reached · next: {PWP_STAGES[0]}" in panel.heading.text()
    # Only the start and the end have typical dates: a month in, and a year in.
    dues = [panel.stages.item(r, 2).text() for r in range(panel.stages.rowCount())]
    assert dues[0] == short_date(add_months(date.today(), 1))
    assert dues[7] == short_date(add_months(date.today(), 12))
    assert [d for n, d in enumerate(dues) if n not in (0, 7)] == [""] * (len(PWP_STAGES) - 2)
    window.close()
