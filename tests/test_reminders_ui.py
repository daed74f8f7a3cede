"""Reminders in the window: the dashboard's "Coming up" lists supervision not yet logged, and
the app tells of what is due now when it starts, without a dialog to answer."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from logbook import app
from logbook.domain.records import PracticeEntry, Profile, Registration
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.columns import NameDirectory
from logbook.ui.dashboard import DashboardPage
from logbook.ui.main_window import MainWindow
from logbook.ui.reminder_notice import ReminderNotice
from logbook.ui.settings import UiState
from tests.ui_helpers import open_window

WEDNESDAY = date(2026, 11, 25)
MONTHLY = "No supervision logged yet this month"


def follows_bacp_with_practice(logbook: Logbook, day: date) -> None:
    logbook.records.create_many(
        [Profile(name="Sam Rivera"), PracticeEntry(date=day, duration_minutes=50)]
    )
    logbook.requirements.follow(["bacp_accreditation"])


def rows(page: QWidget) -> dict[str, QWidget]:
    return {w.accessibleName(): w for w in page.findChildren(QWidget) if w.accessibleName()}


def test_the_dashboard_lists_supervision_not_yet_logged(qtbot: QtBot, logbook: Logbook) -> None:
    follows_bacp_with_practice(logbook, date(2026, 11, 3))
    page = DashboardPage(logbook, NameDirectory(logbook.records))
    qtbot.addWidget(page)
    page.today = WEDNESDAY
    page.set_profile(logbook.records.profile())
    page.resize(740, 600)
    page.show()
    page.refresh()

    [row] = [w for name, w in rows(page).items() if name.startswith(MONTHLY)]
    labels = {label.text(): label.objectName() for label in row.findChildren(QLabel)}
    assert labels == {
        MONTHLY: "",
        "Urgent": "badgeWarning",  # the month is ending
        "BACP individual accreditation asks for at least 1.5 h a month · 6 days left, to 30 Nov": (
            "muted"
        ),
    }
    with qtbot.waitSignal(page.open_section) as opened:
        row.mousePressEvent(None)  # type: ignore[arg-type]
    assert opened.args == ["supervision"]


def window_on(qtbot: QtBot, logbook: Logbook, section: str) -> MainWindow:
    window = open_window(qtbot, logbook)
    window.today = WEDNESDAY
    window.resize(1024, 700)
    window.show_section(section)
    return window


def test_urgent_reminders_show_in_a_notice_that_leads_to_the_dashboard(
    qtbot: QtBot, logbook: Logbook
) -> None:
    follows_bacp_with_practice(logbook, date(2026, 11, 3))
    window = window_on(qtbot, logbook, "supervision")

    notice = app.show_reminders(window)

    assert isinstance(notice, ReminderNotice)
    qtbot.waitUntil(notice.isVisible)
    assert notice.heading.text() == "1 thing due now"
    assert MONTHLY in [label.text() for label in notice.findChildren(QLabel)]
    assert QApplication.activeModalWidget() is None  # nothing to answer before carrying on
    assert window.geometry().contains(notice.mapTo(window, notice.rect().bottomRight()))
    notice.dashboard_button.click()
    assert window.current_key == "dashboard"
    assert not notice.isVisible()


def test_nothing_urgent_shows_nothing(qtbot: QtBot, logbook: Logbook) -> None:
    # Early in the month a missing session is listed on the dashboard, but is not urgent.
    follows_bacp_with_practice(logbook, date(2026, 11, 3))
    window = window_on(qtbot, logbook, "supervision")
    window.today = date(2026, 11, 5)

    assert app.show_reminders(window) is None
    assert window.findChildren(ReminderNotice) == []
    assert window.statusBar().currentMessage() == ""


def test_on_the_dashboard_the_status_bar_points_at_coming_up(
    qtbot: QtBot, logbook: Logbook
) -> None:
    follows_bacp_with_practice(logbook, date(2026, 11, 3))
    window = window_on(qtbot, logbook, "dashboard")

    assert app.show_reminders(window) is None  # the dashboard already lists them
    assert window.statusBar().currentMessage() == "1 thing is due now: see Coming up"


def test_the_app_shows_the_notice_when_it_starts(qtbot: QtBot, tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "logbook")
    renewal = date.today() + timedelta(days=12)
    with Logbook.open(location) as logbook:
        logbook.records.create(
            Profile(
                name="Sam Rivera",
                registrations=(Registration(body="HCPC", number="PYL1", renewal_date=renewal),),
            )
        )
    state = UiState(location)
    state.save_value("window/section", "cpd")
    state.sync()
    seen: list[str] = []

    def look_and_close(tries: int = 1200) -> None:
        # Only this start's window: other tests' windows may still be open.
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.is_open and w.logbook.path.parent == location.root
        ]
        notices = windows[0].findChildren(ReminderNotice) if windows else []
        if not notices and tries:
            QTimer.singleShot(25, lambda: look_and_close(tries - 1))
            return
        seen.extend(label.text() for n in notices for label in n.findChildren(QLabel))
        for window in windows:
            window.close()

    QTimer.singleShot(0, look_and_close)
    assert app.main(["--data-dir", str(location.root), "--theme", "light"]) == 0
    assert "HCPC renewal" in seen
    assert f"in 12 days, {renewal:%d %b %Y}" in seen
