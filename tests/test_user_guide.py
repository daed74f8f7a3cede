"""Help → User guide: the guide opens beside the window (F1), its links lead to the other
documents and back, Ctrl+F finds words, and the guide ships with the app."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QDialog, QTableWidget
from pytestqt.qtbot import QtBot

from logbook.domain.records import Profile
from logbook.resources import document_path
from logbook.services.logbook import Logbook
from logbook.ui.main_window import MainWindow
from logbook.ui.shortcuts import clashes
from logbook.ui.user_guide import UserGuideWindow
from tests.ui_helpers import open_window, when_modal

REPOSITORY = Path(__file__).resolve().parent.parent
GUIDE = REPOSITORY / "docs" / "user-guide.md"


def headings(guide: UserGuideWindow) -> list[str]:
    found, block = [], guide.browser.document().begin()
    while block.isValid():
        if block.blockFormat().headingLevel():
            found.append(block.text())
        block = block.next()
    return found


def links(guide: UserGuideWindow) -> list[str]:
    """Every link target in the page shown."""
    found, block = [], guide.browser.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            href = fragments.fragment().charFormat().anchorHref()
            if href:
                found.append(href)
            fragments += 1
        block = block.next()
    return list(dict.fromkeys(found))


@pytest.fixture
def window(qtbot: QtBot, logbook: Logbook) -> MainWindow:
    logbook.records.create(Profile(name="Sam Rivera"))
    return open_window(qtbot, logbook)


def opened_guide(qtbot: QtBot, window: MainWindow) -> UserGuideWindow:
    window.registry.trigger("help.guide")
    [guide] = window.findChildren(UserGuideWindow)
    qtbot.waitExposed(guide)
    return guide


def test_help_opens_the_guide_beside_the_window(qtbot: QtBot, window: MainWindow) -> None:
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    help_items = [action.text() for action in menus["&Help"].actions()]
    assert help_items[:2] == ["&User guide", "&Keyboard shortcuts"]

    guide = opened_guide(qtbot, window)

    assert guide.windowTitle() == "User guide"
    assert not guide.isModal()
    assert QApplication.activeModalWidget() is None  # the main window stays usable
    shown = headings(guide)
    assert shown[0] == "User guide"
    for heading in (
        "First start and your profile",
        "Logging an entry fast",
        "Requirements",
        "Sign-off",
        "Backups, encryption and a new computer",
        "Privacy",
        "Keyboard shortcuts",
    ):
        assert heading in shown
    assert "criteria met for the recorded period" in guide.browser.toPlainText().lower()
    window.registry.trigger("help.guide")  # a second time raises the same window
    assert len(window.findChildren(UserGuideWindow)) == 1
    assert not clashes(guide)


def test_f1_is_the_guide_and_ctrl_slash_the_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(window.findChildren(UserGuideWindow)))
    window.findChildren(UserGuideWindow)[0].close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    rows: list[str] = []

    def read_shortcuts(dialog: QDialog) -> None:
        table = dialog.findChild(QTableWidget)
        assert table is not None
        rows.extend(
            f"{table.item(r, 0).text()}={table.item(r, 1).text()}" for r in range(table.rowCount())
        )
        dialog.close()

    when_modal(read_shortcuts, kind=QDialog)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(rows))
    assert "Keyboard shortcuts=Ctrl+/" in rows
    assert any(row.startswith("User guide=") and "F1" in row for row in rows)


def test_a_link_to_another_document_opens_it_and_back_returns(
    qtbot: QtBot, window: MainWindow
) -> None:
    guide = opened_guide(qtbot, window)
    assert "signoff.md" in links(guide)

    guide.follow(QUrl("signoff.md"))

    assert guide.windowTitle() == "User guide: Supervisor sign-off"
    assert "Sign-off states" in headings(guide)
    assert guide.back_button.isEnabled()
    guide.back_button.click()
    assert guide.windowTitle() == "User guide"
    assert not guide.back_button.isEnabled()


def test_a_link_to_a_heading_scrolls_to_it(qtbot: QtBot, window: MainWindow) -> None:
    guide = opened_guide(qtbot, window)
    guide.resize(900, 500)
    assert "#privacy" in links(guide)

    guide.follow(QUrl("#privacy"))

    assert guide.browser.textCursor().block().text() == "Privacy"
    assert guide.browser.verticalScrollBar().value() > 0


def test_every_link_in_the_guide_leads_somewhere(qtbot: QtBot, window: MainWindow) -> None:
    guide = opened_guide(qtbot, window)
    targets = links(guide)
    assert len(targets) > 10
    for target in targets:
        url = QUrl(target)
        if url.scheme() in ("http", "https", "mailto"):
            continue
        if not url.path():
            assert guide.scroll_to_heading(url.fragment()), target
            continue
        assert guide._resolve(url.path()) is not None, target


def test_ctrl_f_finds_words_in_the_page(qtbot: QtBot, window: MainWindow) -> None:
    guide = opened_guide(qtbot, window)
    guide.activateWindow()
    qtbot.waitUntil(guide.isActiveWindow)

    qtbot.keyClick(guide, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert guide.search.hasFocus()
    qtbot.keyClicks(guide.search, "recovery key")

    assert guide.browser.textCursor().selectedText().lower() == "recovery key"
    assert guide.found.text() == ""
    first = guide.browser.textCursor().position()
    qtbot.keyClick(guide.search, Qt.Key.Key_Return)
    assert guide.browser.textCursor().position() > first  # the next one
    guide.search.setText("no such words anywhere")
    assert guide.found.text() == "Not found"


def test_every_document_the_guide_links_to_ships_with_the_app() -> None:
    included = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    force = included["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    linked = {"user-guide.md"} | {
        part.split(")")[0].split("#")[0]
        for part in GUIDE.read_text(encoding="utf-8").split("](")[1:]
        if not part.startswith(("#", "http", "../"))
    }
    for name in linked:
        assert (REPOSITORY / "docs" / name).is_file(), name
        assert force.get(f"docs/{name}") == f"logbook/resources/docs/{name}", name
    assert 'data_files(ROOT / "docs", "resources/docs"' in (REPOSITORY / "build.spec").read_text()


def test_a_frozen_build_reads_the_bundled_guide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert document_path("user-guide.md") == GUIDE  # a checkout reads docs/
    bundled = tmp_path / "_internal" / "resources" / "docs" / "user-guide.md"
    bundled.parent.mkdir(parents=True)
    bundled.write_text("# User guide\n", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert document_path("user-guide.md") == bundled
