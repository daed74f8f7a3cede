"""Every theme is readable: WCAG contrast of text on each background it is drawn on (4.5:1, and
7:1 in high contrast), of check boxes, radio buttons and focus rings against the window (3:1),
and a focus ring thick enough to find in high contrast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from logbook.services.locations import DataLocation
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.preferences import PreferencesDialog
from logbook.ui.settings import Preferences
from tests.ui_helpers import open_window, when_modal

NAMES = ["light", "dark", "high_contrast"]
G, R = QPalette.ColorGroup, QPalette.ColorRole


def contrast(one: QColor | str, other: QColor | str) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(QColor(one)), luminance(QColor(other))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def needed(colours: theme.Colours) -> float:
    return 7.0 if colours.high_contrast else 4.5


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    theme.apply_theme(qapp, "light")


def test_the_contrast_ratio_is_wcags() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# Text the palette draws: (group, text role, background role).
PALETTE_TEXT = [
    (G.Active, R.WindowText, R.Window),
    (G.Active, R.Text, R.Base),
    (G.Active, R.Text, R.AlternateBase),
    (G.Active, R.ButtonText, R.Button),
    (G.Active, R.HighlightedText, R.Highlight),
    (G.Inactive, R.HighlightedText, R.Highlight),  # the selection of a window behind another
    (G.Active, R.ToolTipText, R.ToolTipBase),
    (G.Active, R.PlaceholderText, R.Base),
    (G.Active, R.Link, R.Base),
]


@pytest.mark.parametrize("name", NAMES)
def test_text_stands_out_in_the_palette(app: QApplication, name: str) -> None:
    colours = theme.apply_theme(app, name)  # type: ignore[arg-type]
    palette = app.palette()
    weak = [
        f"{text.name} on {background.name} ({group.name}): {ratio:.2f}"
        for group, text, background in PALETTE_TEXT
        if (ratio := contrast(palette.color(group, text), palette.color(group, background)))
        < needed(colours)
    ]
    assert not weak


# Text our own styles draw: (text colour, backgrounds it is drawn on).
STYLED_TEXT = {
    "text": ("window", "base", "alternate", "surface", "button"),
    "muted": ("window", "base", "alternate", "surface", "button"),  # subtitles, notes, headers
    "accent": ("window", "base", "surface"),  # links
    "warning": ("window", "base", "alternate", "surface"),  # sign-off and requirement states
    "danger": ("window", "base", "alternate", "surface"),
    "success": ("window", "base", "alternate", "surface"),
    "soft_text": ("accent_soft",),  # the selected section, badges, the chosen chart span
    "accent_text": ("accent",),  # primary buttons
}


@pytest.mark.parametrize("name", NAMES)
def test_text_stands_out_in_our_styles(name: str) -> None:
    colours = theme.colours_for(name)  # type: ignore[arg-type]
    pairs = [
        (f"{ink} on {background}", getattr(colours, ink), getattr(colours, background))
        for ink, backgrounds in STYLED_TEXT.items()
        for background in backgrounds
    ]
    pairs += [
        (
            f"{ink} badge",
            getattr(colours, ink),
            theme._mix(getattr(colours, ink), colours.surface, 0.18),
        )
        for ink in ("warning", "success")
    ]
    weak = [
        f"{what}: {ratio:.2f}"
        for what, ink, background in pairs
        if (ratio := contrast(ink, background)) < needed(colours)
    ]
    assert not weak


@pytest.mark.parametrize("name", NAMES)
def test_controls_and_the_focus_ring_stand_out(name: str) -> None:
    colours = theme.colours_for(name)  # type: ignore[arg-type]
    indicator = colours.text if colours.high_contrast else colours.muted
    weak = [
        f"{what} on {background}: {ratio:.2f}"
        for what, ink in (("indicator outline", indicator), ("focus ring", colours.focus))
        for background in ("window", "base", "surface", "button")
        if (ratio := contrast(ink, getattr(colours, background))) < 3.0
    ]
    assert not weak


def test_high_contrast_has_no_faint_greys(app: QApplication) -> None:
    colours = theme.apply_theme(app, "high_contrast")
    palette = app.palette()
    disabled = palette.color(G.Disabled, R.Text)
    assert disabled.alpha() == 255
    assert contrast(disabled, palette.color(G.Active, R.Base)) >= 7.0
    assert disabled != palette.color(G.Active, R.Text)  # still tells disabled from enabled
    assert contrast(colours.border, colours.window) >= 7.0  # fields and buttons are outlined


def _focus_ring(qtbot: QtBot, name: str) -> tuple[float, int]:
    """Tab onto a button: the contrast of its ring with the window, and the ring's thickness
    in pixels, along the middle of its left side."""
    colours = theme.colours_for(name)  # type: ignore[arg-type]
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QHBoxLayout(holder)
    first, second = QPushButton("Back", holder), QPushButton("Next", holder)
    layout.addWidget(first)
    layout.addWidget(second)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow)
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    qtbot.waitUntil(second.hasFocus)
    image = holder.grab().toImage()
    box = second.geometry()
    middle = box.center().y()
    edge = [image.pixelColor(x, middle) for x in range(box.left(), box.left() + 8)]
    ring = [c for c in edge if contrast(c, colours.focus) < 1.2]
    strongest = max(contrast(c, colours.window) for c in edge)
    return strongest, len(ring)


@pytest.mark.parametrize("name", NAMES)
def test_the_keyboard_focus_is_ringed(qtbot: QtBot, app: QApplication, name: str) -> None:
    colours = theme.apply_theme(app, name)  # type: ignore[arg-type]
    strongest, thickness = _focus_ring(qtbot, name)
    assert strongest >= 3.0
    assert thickness >= (3 if colours.high_contrast else 2)


def test_high_contrast_is_a_choice_in_preferences(
    qtbot: QtBot, app: QApplication, logbook: Logbook, location: DataLocation
) -> None:
    window = open_window(qtbot, logbook, location)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, PreferencesDialog)
        combo = dialog.editors["theme"]
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findText("High contrast"))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(choose)
    window.registry.trigger("edit.preferences")
    assert app.palette().window().color().name() == "#000000"
    assert app.palette().text().color().name() == "#ffffff"
    assert Preferences.for_location(location)["theme"] == "high_contrast"
