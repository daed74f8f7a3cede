"""The dashboard: hours by period and kind, the monthly charts, what is coming up, badges."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.choices import Direction, MilestoneStatus
from logbook.domain.records import (
    CpdActivity,
    Milestone,
    Pathway,
    PracticeEntry,
    Profile,
    RecordKind,
    Registration,
    SupervisionSession,
)
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.columns import NameDirectory
from logbook.ui.dashboard import DashboardPage, collect, recolour_svg

TODAY = date(2026, 6, 15)


@pytest.fixture
def profile(logbook: Logbook) -> Profile:
    pathway = Pathway(title="PWP training", started_on=date(2025, 9, 1))
    profile = Profile(
        name="Sam Rivera",
        registrations=(Registration(body="BABCP", number="123", renewal_date=date(2026, 7, 1)),),
    )
    logbook.records.create_many(
        [
            profile,
            pathway,
            Milestone(
                pathway_uid=pathway.uid,
                title="Clinical skills assessment",
                due_date=date(2026, 7, 10),
            ),
            Milestone(
                pathway_uid=pathway.uid,
                title="Case reports",
                due_date=date(2026, 6, 1),
                status=MilestoneStatus.IN_PROGRESS,
            ),
            Milestone(
                pathway_uid=pathway.uid,
                title="Induction",
                due_date=date(2026, 6, 5),
                status=MilestoneStatus.COMPLETE,
                completed_on=date(2026, 6, 4),
            ),
            # June 2026: 1.5 h received, 1 h given; May: 2 h received; last year: 1 h.
            SupervisionSession(date=date(2026, 6, 2), duration_minutes=90),
            SupervisionSession(
                date=date(2026, 6, 9), duration_minutes=60, direction=Direction.GIVEN
            ),
            SupervisionSession(date=date(2026, 5, 12), duration_minutes=120),
            SupervisionSession(date=date(2025, 11, 3), duration_minutes=60),
            PracticeEntry(date=date(2026, 6, 3), duration_minutes=300),
            PracticeEntry(date=date(2026, 6, 4), duration_minutes=60, did_not_attend=True),
            CpdActivity(start_date=date(2026, 2, 1), title="Risk workshop", duration_minutes=360),
        ]
    )
    return profile


def rows(data: object) -> dict[str, tuple[int, int, int]]:
    return {row.label: row.minutes for row in data.rows}  # type: ignore[attr-defined]


def test_hours_this_month_year_and_cycle_by_kind(logbook: Logbook, profile: Profile) -> None:
    data = collect(logbook, profile, today=TODAY, chart_months=12)
    assert data.cycle_label == "BABCP cycle"
    assert data.periods[2] is not None
    assert (data.periods[2].start, data.periods[2].end) == (date(2025, 7, 1), date(2026, 6, 30))
    assert rows(data) == {
        "Supervision received": (90, 210, 270),
        "Supervision given": (60, 60, 60),
        "Practice": (300, 300, 300),  # the did-not-attend session counts nothing
        "CPD": (0, 360, 360),
    }


def test_chart_series_by_month(logbook: Logbook, profile: Profile) -> None:
    data = collect(logbook, profile, today=TODAY, chart_months=12)
    assert data.months[0] == date(2025, 7, 1)
    assert data.months[-1] == date(2026, 6, 1)
    assert len(data.months) == 12
    june, may, november = 11, 10, 4
    assert data.series["Supervision"][june] == 2.5  # received and given
    assert data.series["Practice"][june] == 5.0
    assert data.series["CPD"][7] == 6.0  # February
    assert data.supervision[june] == 1.5  # received only
    assert data.supervision[may] == 2.0
    assert data.supervision[november] == 1.0
    longer = collect(logbook, profile, today=TODAY, chart_months=24)
    assert len(longer.months) == 24


def test_coming_up_renewals_and_milestones(logbook: Logbook, profile: Profile) -> None:
    data = collect(logbook, profile, today=TODAY, look_ahead_days=60)
    listed = [(u.title, u.urgent) for u in data.upcoming]
    assert listed == [
        ("Case reports", True),  # overdue since 1 June
        ("BABCP renewal", True),  # within a month
        ("Clinical skills assessment", False),
    ]
    overdue = data.upcoming[0]
    assert overdue.detail == "PWP training · overdue since 01 Jun 2026"
    assert data.upcoming[1].detail == "in 16 days, 01 Jul 2026"

    # A renewal months away is still shown (the next thing to plan for), without urgency.
    later = collect(logbook, profile, today=date(2026, 1, 5), look_ahead_days=60)
    assert [(u.title, u.detail, u.urgent) for u in later.upcoming] == [
        ("BABCP renewal", "in 177 days, 01 Jul 2026", False)
    ]


def test_the_page_shows_figures_charts_and_switches_span(
    qtbot: QtBot, logbook: Logbook, profile: Profile
) -> None:
    page = DashboardPage(logbook, NameDirectory(logbook.records))
    qtbot.addWidget(page)
    page.today = TODAY
    page.set_profile(profile)
    page.resize(1100, 900)
    page.show()
    page.refresh()
    text = page.hours_text()
    assert " | This month | This year | BABCP cycle" in text
    assert "Supervision received | 1.50 h | 3.50 h | 4.50 h" in text
    assert "Practice | 5.00 h | 5.00 h | 5.00 h" in text
    qtbot.waitUntil(lambda: page._charts_ready)
    qtbot.waitUntil(lambda: b"Jun 26" in page.hours_chart.svg_bytes)
    assert page.hours_chart.renderer().isValid()
    assert b"Jul 25" in page.hours_chart.svg_bytes
    page.span_buttons.button(24).click()
    qtbot.waitUntil(lambda: b"Jul 24" in page.hours_chart.svg_bytes)
    assert page.chart_months == 24
    assert page.supervision_chart.renderer().isValid()


def test_charts_take_the_dark_theme_colours(qtbot: QtBot) -> None:
    from logbook.export.charts import MonthlySeries, drawing_to_svg, monthly_hours_chart

    data = MonthlySeries([date(2026, m, 1) for m in range(1, 7)], {"Practice": [1.0] * 6})
    svg = drawing_to_svg(monthly_hours_chart(data, 400, 200))
    light = recolour_svg(svg, theme.LIGHT)
    dark = recolour_svg(svg, theme.DARK)
    assert b"clipPath" not in light  # Qt's SVG renderer would paint it black
    # Axis labels and grid lines take each theme's muted and border colours.
    for colours, svg_text in ((theme.DARK, dark), (theme.LIGHT, light)):
        assert colours.muted.encode() in svg_text
        assert colours.border.encode() in svg_text
    assert theme.DARK.muted.encode() not in light


def test_badges_for_followed_requirement_packs(
    qtbot: QtBot, logbook: Logbook, profile: Profile
) -> None:
    packs = [p.id for p in logbook.requirements.pack_infos()]
    assert "babcp_pwp" in packs
    logbook.requirements.follow(["babcp_pwp"])
    page = DashboardPage(logbook, NameDirectory(logbook.records))
    qtbot.addWidget(page)
    page.today = TODAY
    page.set_profile(logbook.records.profile())
    page.show()
    with qtbot.waitSignal(page.badges_shown, timeout=20_000):
        page.refresh()
    assert page.requirements_card.isVisibleTo(page)
    assert [b.title for b in page.badges] == ["BABCP PWP registration"]
    headline = page.badges[0].headline
    assert headline.startswith(("Not yet met", "Criteria met"))
    assert "compliant" not in headline.lower()


def test_nothing_coming_up_says_so(qtbot: QtBot, logbook: Logbook) -> None:
    logbook.records.create(Profile(name="Sam"))
    page = DashboardPage(logbook, NameDirectory(logbook.records))
    qtbot.addWidget(page)
    page.set_profile(logbook.records.profile())
    page.refresh()
    labels = [label.text() for label in page.findChildren(QLabel)]
    assert any(text.startswith("Nothing due in the next 90 days") for text in labels)


def test_a_pathway_badge_counts_stages_reached(qtbot: QtBot, logbook: Logbook) -> None:
    logbook.records.create(Profile(name="Sam Rivera"))
    service = logbook.requirements
    service.clock = lambda: TODAY
    service.follow(["peer_support_induction"])
    service.start_pathway("peer_support_induction", "induction-training", date(2026, 3, 1))
    first = min(logbook.records.all(RecordKind.MILESTONE), key=lambda m: m.sequence)  # type: ignore[attr-defined]
    logbook.records.update(
        dataclasses.replace(first, status=MilestoneStatus.COMPLETE, completed_on=date(2026, 4, 1))
    )
    page = DashboardPage(logbook, NameDirectory(logbook.records))
    qtbot.addWidget(page)
    page.today = TODAY
    page.set_profile(logbook.records.profile())
    page.show()
    page.refresh()
    page.show_badges()

    def shown() -> list[str]:
        return [label.text() for label in page.findChildren(QLabel)]

    qtbot.waitUntil(lambda: any("1 of 6 reached" in text for text in shown()), timeout=10000)
    assert "Not yet met" in shown()
    assert not any("Criteria met" in text for text in shown())


def test_a_request_with_no_answer_for_a_fortnight_is_a_reminder(
    qtbot: QtBot, practitioner: Logbook, tmp_path
) -> None:
    import sqlite3
    from datetime import datetime, timedelta

    from tests.signoff_support import SUPERVISOR, add_entries

    entries = add_entries(practitioner, 2)
    practitioner.signoff.create_request(entries, tmp_path / "q.json", supervisor_name=SUPERVISOR)
    fresh = collect(practitioner, practitioner.records.profile(), today=date.today())
    assert not any("No answer" in u.title for u in fresh.upcoming)
    sent = (datetime.now() - timedelta(days=20)).isoformat(timespec="seconds")
    with sqlite3.connect(practitioner.db.path) as conn:
        conn.execute("UPDATE signoff_request SET created_at = ?", (f"{sent}+00:00",))

    page = DashboardPage(practitioner, NameDirectory(practitioner.records))
    qtbot.addWidget(page)
    page.set_profile(practitioner.records.profile())
    page.resize(740, 600)  # beside the sidebar of a 1024-pixel window
    page.show()
    page.refresh()
    data = collect(practitioner, practitioner.records.profile(), today=date.today())

    [reminder] = [u for u in data.upcoming if u.title.startswith("No answer")]
    assert reminder.title == f"No answer from {SUPERVISOR} for 20 days"
    assert reminder.detail.startswith("Sign-off request of 2 entries, sent ")
    assert reminder.urgent
    [row] = [w for w in page.findChildren(QWidget) if w.accessibleName().startswith("No answer")]
    qtbot.waitUntil(lambda: row.isVisible())
    right = row.mapTo(page.viewport(), row.rect().topRight()).x()
    assert right <= page.viewport().width()  # the reminder wraps rather than running off
    with qtbot.waitSignal(page.open_section) as opened:
        row.mousePressEvent(None)  # type: ignore[arg-type]
    assert opened.args == ["signoff"]
