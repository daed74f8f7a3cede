"""Check boxes and radio buttons stay visible in every theme: their outline stands out from
the window behind them (in dark mode Fusion's own outline all but vanished)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from logbook.ui import theme


@pytest.fixture
def themed() -> Iterator[None]:
    yield
    theme.apply_theme(QApplication.instance(), "light")  # type: ignore[arg-type]


def _contrast(one: QColor, other: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", ["light", "dark", "high_contrast"])
@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_an_unchecked_indicator_is_outlined_visibly(
    qtbot: QtBot, themed: None, name: str, kind: type
) -> None:
    colours = theme.apply_theme(QApplication.instance(), name)  # type: ignore[arg-type]
    holder = QWidget()
    qtbot.addWidget(holder)
    button = kind("Individual mentoring", holder)
    holder.resize(240, 40)
    holder.show()
    qtbot.waitExposed(holder)

    image = holder.grab().toImage()
    box = button.geometry()
    indicator_height = button.style().pixelMetric(button.style().PixelMetric.PM_IndicatorHeight)
    middle = box.top() + box.height() // 2
    strongest = max(
        _contrast(image.pixelColor(x, y), QColor(colours.window))
        for x in range(box.left(), box.left() + indicator_height + 2)
        for y in range(middle - indicator_height // 2 - 1, middle + indicator_height // 2 + 2)
    )
    assert strongest >= 3.0  # WCAG's minimum for the parts of a control
