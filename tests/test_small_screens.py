"""A 1024×700 screen shows everything: every section and the main dialogs, on a logbook as full
as the demo, with no button or label cut short, nothing outside its window, and no dialog
larger than the screen.

The offscreen screen of the tests is 800×600, so the screen is made 1024×700 here (what the
app reads of it: its available geometry) and the main window is given all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import QEvent, QRect, QSize
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
    QWizard,
)
from pytestqt.qtbot import QtBot

from logbook.domain.records import RecordKind
from logbook.domain.signoff import SignoffMode
from logbook.services.demo import generate_demo
from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.backups_dialog import BackupsDialog
from logbook.ui.conflicts_dialog import ConflictsDialog
from logbook.ui.encryption_dialog import EncryptionDialog
from logbook.ui.export_dialog import ExportDialog
from logbook.ui.first_run import FirstRunWizard
from logbook.ui.layouts import FRAME_ALLOWANCE
from logbook.ui.list_page import ListSection
from logbook.ui.main_window import MainWindow
from logbook.ui.pathways import StartPathwayDialog
from logbook.ui.portfolio_check_dialog import PortfolioCheckDialog
from logbook.ui.preferences import PreferencesDialog
from logbook.ui.sections import BY_KEY, SECTIONS
from logbook.ui.settings import Preferences, UiState
from logbook.ui.signoff.dialogs import (
    ApplyResponseDialog,
    IdentityDialog,
    PeriodSummaryDialog,
    RequestDialog,
    SignDialog,
)

SCREEN = QRect(0, 0, 1024, 700)
TODAY = date(2026, 4, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Logbook]:
    logbook = Logbook.open(DataLocation(tmp_path_factory.mktemp("demo")), auto_backup=False)
    generate_demo(logbook, persona="mindfulness", years=3, today=TODAY)
    yield logbook
    logbook.close()


@pytest.fixture
def small_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(SCREEN))


@pytest.fixture(scope="module", params=["light", "high_contrast"])
def themed(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Each theme (high contrast draws tabs and buttons with wider borders), in the app's own
    font size."""
    app = qapp
    font = app.font()
    theme.set_density(app)
    theme.apply_theme(app, request.param)
    yield request.param
    theme.apply_theme(app, "light")
    app.setFont(font)


def cut_short(window: QWidget) -> list[str]:
    """Buttons, labels and drop-downs in ``window`` smaller than their text needs."""
    found = []
    for widget in _shown(window):
        text = widget.text() if isinstance(widget, (QAbstractButton, QLabel)) else ""
        if isinstance(widget, QComboBox):
            text = widget.currentText()
        if not text.strip():
            continue
        # What a layout may shrink it to: its minimum size, or else its minimum size hint.
        needed = QWidgetItem(widget).minimumSize()
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed.setHeight(widget.heightForWidth(widget.width()))
        if widget.width() < needed.width() or widget.height() < needed.height() - 1:
            found.append(
                f"{type(widget).__name__} “{text[:40]}” is {widget.width()}×{widget.height()}, "
                f"needs {needed.width()}×{needed.height()}"
            )
    return found


def sticking_out(window: QWidget) -> list[str]:
    """Widgets reaching past their parent (or the window), where nothing scrolls to them."""
    found = []
    for widget in _shown(window):
        parent = widget.parentWidget()
        if parent is None or _scrolled(widget, window):
            continue
        if not parent.rect().contains(widget.geometry()):
            name = widget.objectName() or type(widget).__name__
            found.append(f"{name} at {widget.geometry()} is outside its parent {parent.rect()}")
    return found


def _shown(window: QWidget) -> list[QWidget]:
    return [
        widget
        for widget in window.findChildren(QWidget)
        if widget.window() is window and widget.isVisibleTo(window)
    ]


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` is inside a scroll area's viewport (where it may be larger)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return True
        parent = area
    return False


def problems(window: QWidget, where: str) -> list[str]:
    # Laid out as the user sees it: widgets shown by work that just finished have their place.
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    return [f"{where}: {problem}" for problem in cut_short(window) + sticking_out(window)]


def too_big(dialog: QWidget, where: str) -> list[str]:
    room = QSize(
        SCREEN.width() - FRAME_ALLOWANCE.width(), SCREEN.height() - FRAME_ALLOWANCE.height()
    )
    size = dialog.size()
    if size.width() > room.width() or size.height() > room.height():
        return [f"{where}: {size.width()}×{size.height()} is larger than a 1024×700 screen"]
    return []


def main_window(qtbot: QtBot, logbook: Logbook) -> MainWindow:
    window = MainWindow(logbook, preferences=Preferences(None), ui_state=UiState(None), today=TODAY)
    qtbot.addWidget(window)
    window.resize(SCREEN.size())  # maximised: the window manager's frame is outside it
    window.show()
    qtbot.waitExposed(window)
    return window


def settle(qtbot: QtBot) -> None:
    qtbot.wait(20)


def test_the_checks_see_a_cut_button_and_a_widget_outside(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    button = QPushButton("Check all signatures", window)
    layout.addWidget(button)
    window.setFixedWidth(60)
    window.show()
    qtbot.waitExposed(window)
    assert cut_short(window)
    button.setMinimumWidth(200)
    settle(qtbot)
    assert sticking_out(window)


def test_every_section_fits(qtbot: QtBot, demo: Logbook, small_screen: None, themed: str) -> None:
    window = main_window(qtbot, demo)
    found: list[str] = []
    for key in window.section_keys:
        window.show_section(key)
        settle(qtbot)
        found += problems(window, f"{key} ({themed})")
        if key == "signoff":
            tabs = window.section_widget(key).tabs  # type: ignore[attr-defined]
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                settle(qtbot)
                found += problems(window, f"sign-off tab {tabs.tabText(index)} ({themed})")
        if BY_KEY[key].lists:
            found += _every_tab(qtbot, window, key, themed)
    assert not found, "\n".join(found)


def _every_tab(qtbot: QtBot, window: MainWindow, key: str, themed: str) -> list[str]:
    section = window.section_widget(key)
    assert isinstance(section, ListSection)
    found = []
    for page in section.pages[1:]:
        section.show_kind(page.kind)
        settle(qtbot)
        found += problems(window, f"{key}, {page.kind.value} ({themed})")
    return found


@pytest.mark.parametrize("themed", ["light"], indirect=True)
def test_the_sidebar_open_still_fits(
    qtbot: QtBot, demo: Logbook, small_screen: None, themed: str
) -> None:
    """Whoever keeps the section names showing at 1024 pixels still sees whole buttons."""
    window = main_window(qtbot, demo)
    window.registry["view.sidebar"].setChecked(False)
    window.toggle_sidebar()
    found: list[str] = []
    for key in window.section_keys:
        window.show_section(key)
        settle(qtbot)
        found += problems(window, key)
    assert not found, "\n".join(found)


def _dialogs(window: MainWindow, logbook: Logbook) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    for section in SECTIONS:
        for kind, _title in section.lists:
            yield (
                f"new {kind.value}",
                lambda key=section.key, kind=kind: _new_entry(window, key, kind),
            )
    yield "your profile", lambda: _opened(window.edit_profile())
    yield "preferences", lambda: PreferencesDialog(window.preferences, window)
    yield "backups", lambda: BackupsDialog(logbook, parent=window)
    yield "encryption", lambda: EncryptionDialog(logbook, parent=window)
    yield "export portfolio", lambda: ExportDialog(logbook, parent=window)
    yield "check a portfolio", lambda: PortfolioCheckDialog(logbook, parent=window)
    yield "request sign-off", lambda: RequestDialog(logbook, window)
    yield "sign in person", lambda: SignDialog(logbook, mode=SignoffMode.IN_PERSON, parent=window)
    yield "sign a batch", lambda: SignDialog(logbook, mode=SignoffMode.BATCH, parent=window)
    yield "period summary", lambda: PeriodSummaryDialog(logbook, window)
    yield "apply a response", lambda: ApplyResponseDialog(logbook, None, window)
    yield "new identity", lambda: IdentityDialog(logbook, window)
    yield "pack settings", lambda: _pack_settings(window)
    yield "conflicts", lambda: ConflictsDialog(logbook, parent=window)
    yield "start a pathway", lambda: StartPathwayDialog(logbook, window)


def _new_entry(window: MainWindow, key: str, kind: RecordKind) -> QWidget:
    window.show_section(key)
    return _opened(window.new_entry(kind))


def _opened(dialog: QDialog | None) -> QDialog:
    assert dialog is not None
    return dialog


def _pack_settings(window: MainWindow) -> QWidget:
    view = window.section_widget("requirements")
    dialog = view.settings_dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, QDialog)
    return dialog


def test_every_main_dialog_fits(
    qtbot: QtBot, demo: Logbook, small_screen: None, themed: str
) -> None:
    window = main_window(qtbot, demo)
    found: list[str] = []
    for name, make in _dialogs(window, demo):
        dialog = make()
        dialog.show()
        qtbot.waitExposed(dialog)
        settle(qtbot)
        found += problems(dialog, f"{name} ({themed})") + too_big(dialog, name)
        dialog.hide()
    for dialog in list(window.editors):
        dialog.reject()
    assert not found, "\n".join(found)


def test_every_page_of_the_welcome_fits(
    qtbot: QtBot, logbook: Logbook, small_screen: None, themed: str
) -> None:
    wizard = FirstRunWizard(logbook)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.about.name.setText("Sam Carter")
    found = too_big(wizard, "welcome")
    for _page in wizard.pageIds():
        settle(qtbot)
        found += problems(wizard, f"welcome, {wizard.currentPage().title()} ({themed})")
        wizard.next()
    assert isinstance(wizard, QWizard)
    assert not found, "\n".join(found)
