"""Following a requirement pack from the Requirements page, after the first-run welcome: the
dashboard then shows its badge, and stops when the pack is no longer followed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from logbook.domain.records import Profile
from logbook.services.logbook import Logbook
from logbook.ui.dashboard import DashboardPage
from logbook.ui.requirements_view import RequirementsView
from tests.ui_helpers import open_window

PACK = "babcp_pwp"


def badge_titles(dashboard: DashboardPage) -> list[str]:
    return [badge.title for badge in dashboard.badges]


def test_follow_and_unfollow_a_pack_from_the_requirements_page(
    qtbot: QtBot, logbook: Logbook
) -> None:
    logbook.records.create(Profile(name="Sam Rivera"))
    window = open_window(qtbot, logbook)
    dashboard = window.section_widget("dashboard")
    assert isinstance(dashboard, DashboardPage)
    window.show_section("requirements")
    view = window.section_widget("requirements")
    assert isinstance(view, RequirementsView)
    view.select_pack(PACK)
    title = view.heading.text()
    assert view.follow_button.text() == "Follow"

    qtbot.mouseClick(view.follow_button, Qt.MouseButton.LeftButton)
    assert logbook.requirements.followed() == [PACK]
    assert view.follow_button.isChecked()
    assert view.follow_button.text() == "Following"
    assert "(followed)" in view.pack_choice.currentText()
    window.show_section("dashboard")
    # The dashboard checks the followed packs again by itself, off the GUI thread.
    qtbot.waitUntil(lambda: badge_titles(dashboard) == [title], timeout=10_000)

    window.show_section("requirements")
    qtbot.mouseClick(view.follow_button, Qt.MouseButton.LeftButton)
    assert logbook.requirements.followed() == []
    assert view.follow_button.text() == "Follow"
    window.show_section("dashboard")
    qtbot.waitUntil(lambda: badge_titles(dashboard) == [], timeout=10_000)


def test_without_a_profile_following_says_why(qtbot: QtBot, logbook: Logbook) -> None:
    view = RequirementsView(logbook.requirements)
    qtbot.addWidget(view)
    view.select_pack(PACK)
    qtbot.mouseClick(view.follow_button, Qt.MouseButton.LeftButton)
    assert "profile" in view.notes.text().lower()
    assert not view.follow_button.isChecked()
    assert logbook.requirements.followed() == []
