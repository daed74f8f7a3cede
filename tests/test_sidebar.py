"""The sidebar collapses to icons (View ▸ Collapse sidebar, Ctrl+\\, or its button), keeps each
section's name for screen readers and tooltips, and is remembered; a narrow window starts with
it collapsed until the user chooses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.records import Profile
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui.main_window import MainWindow
from logbook.ui.pages import Page
from logbook.ui.sections import SECTIONS
from logbook.ui.sidebar import COLLAPSED_WIDTH
from tests.ui_helpers import open_window, press

WIDE, NARROW = (1360, 820), (1024, 700)


def opened(qtbot: QtBot, logbook: Logbook, location: DataLocation | None = None) -> MainWindow:
    if logbook.records.profile() is None:
        logbook.records.create(Profile(name="Sam Carter"))
    window = open_window(qtbot, logbook, location)
    window.resize(*WIDE)
    qtbot.waitUntil(lambda: window.width() == WIDE[0])
    return window


def names_painted(window: MainWindow) -> bool:
    """Whether the sidebar is wide enough to show the section names beside their icons."""
    return window.sidebar_pane.width() > COLLAPSED_WIDTH + 40


def test_ctrl_backslash_collapses_the_sidebar_to_icons_and_back(
    qtbot: QtBot, logbook: Logbook
) -> None:
    window = opened(qtbot, logbook)
    assert names_painted(window)
    page_width = window.stack.width()

    press(qtbot, Qt.Key.Key_Backslash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not names_painted(window))
    assert window.sidebar_pane.width() <= 60
    assert window.stack.width() >= page_width + 120  # the page got the room
    assert window.registry["view.sidebar"].isChecked()

    press(qtbot, Qt.Key.Key_Backslash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: names_painted(window))
    assert not window.registry["view.sidebar"].isChecked()


def test_collapsed_each_section_keeps_its_name_and_shortcut(qtbot: QtBot, logbook: Logbook) -> None:
    window = opened(qtbot, logbook)
    window.registry.trigger("view.sidebar")
    sidebar = window.sidebar
    names = [sidebar.item(row).data(Qt.ItemDataRole.AccessibleTextRole) for row in range(10)]
    assert names[:3] == ["Dashboard", "Supervision", "Practice"]
    assert names[-1] == "Requirements"
    assert sidebar.item(1).toolTip() == "Supervision (Ctrl+2)"
    assert sidebar.item(9).toolTip() == "Requirements (Ctrl+0)"
    assert sidebar.accessibleName() == "Sections"
    # The icons still lead to their sections.
    sidebar.setCurrentRow(2)
    assert window.current_key == "practice"


def test_the_button_at_its_foot_collapses_and_expands_it(qtbot: QtBot, logbook: Logbook) -> None:
    window = opened(qtbot, logbook)
    window.set_sidebar_collapsed(False)
    button = window.sidebar_pane.toggle_button
    assert button.isVisible()
    assert button.accessibleName() == "Collapse sidebar"
    assert "Ctrl+\\" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not names_painted(window))
    assert button.accessibleName() == "Expand sidebar"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: names_painted(window))


def test_the_view_menu_offers_it(qtbot: QtBot, logbook: Logbook) -> None:
    window = opened(qtbot, logbook)
    view = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&View")
    action = window.registry["view.sidebar"]
    assert action in view.actions()
    assert action.isCheckable()
    assert action.text() == "Collapse &sidebar"


def test_a_narrow_window_starts_collapsed_until_the_user_chooses(
    qtbot: QtBot, logbook: Logbook
) -> None:
    window = opened(qtbot, logbook)
    window.resize(*NARROW)
    qtbot.waitUntil(lambda: not names_painted(window))
    window.resize(*WIDE)
    qtbot.waitUntil(lambda: names_painted(window))

    window.resize(*NARROW)
    qtbot.waitUntil(lambda: not names_painted(window))
    window.registry.trigger("view.sidebar")  # the user wants the names, narrow or not
    qtbot.waitUntil(lambda: names_painted(window))
    window.resize(1000, 690)
    qtbot.wait(50)
    assert names_painted(window)


def test_the_choice_is_kept_for_next_time(
    qtbot: QtBot, logbook: Logbook, location: DataLocation
) -> None:
    first = opened(qtbot, logbook, location)
    first.registry.trigger("view.sidebar")
    first.close()

    again = opened(qtbot, logbook, location)
    qtbot.waitUntil(lambda: not names_painted(again))
    assert again.registry["view.sidebar"].isChecked()
    again.registry.trigger("view.sidebar")
    again.close()

    narrow = open_window(qtbot, logbook, location)
    narrow.resize(*NARROW)
    qtbot.wait(50)
    assert names_painted(narrow)  # expanded by choice, even in a narrow window


def test_every_section_is_lists_or_a_page_that_builds_itself(
    qtbot: QtBot, logbook: Logbook
) -> None:
    """One registry line is all a new section needs: its lists, or a page class that builds
    itself from the window's context. A section with neither, with both, or whose page cannot
    be built is caught here rather than by a user."""
    window = opened(qtbot, logbook)
    for section in SECTIONS:
        assert bool(section.lists) != bool(section.page), section.key
        if section.page:
            page_type = section.page_type()
            assert issubclass(page_type, QWidget), section.key
            assert issubclass(page_type, Page), section.key
            assert page_type.build is not Page.build, f"{section.key} does not build itself"
        window.show_section(section.key)
        shown = window.section_widget(section.key)
        assert window.pages[section.key] is shown
        assert shown.isVisible(), section.key
