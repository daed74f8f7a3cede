"""Charts as drawings: the same chart in the PDF and, as SVG, in the app."""

from __future__ import annotations

from datetime import date

import pytest
from reportlab.graphics.shapes import String

from logbook.export import fonts
from logbook.export.charts import (
    MonthlySeries,
    drawing_to_svg,
    monthly_hours_chart,
    nice_scale,
    totals_bar_chart,
)

MONTHS = [date(2025, m, 1) for m in range(1, 13)]


def _strings(node: object) -> list[String]:
    found = []
    for child in getattr(node, "contents", []) or []:
        if isinstance(child, String):
            found.append(child)
        found += _strings(child)
    return found


def test_monthly_chart_marks_the_minimum_and_labels_in_the_embedded_font() -> None:
    data = MonthlySeries(
        MONTHS, {"Supervision": [2, 1, 0] + [1.5] * 9}, target=1.5, title="Supervision per month"
    )
    drawing = monthly_hours_chart(data, 480, 180)
    svg = drawing_to_svg(drawing).decode()
    assert svg.startswith("<?xml")
    assert "Minimum 1.5 h" in svg
    assert "Below minimum" in svg
    assert "Supervision per month" in svg
    assert "font-family: 'DejaVu Sans'" in svg
    assert "Helvetica" not in svg
    assert drawing.initialFontName == fonts.REGULAR


def test_totals_chart_lists_every_organisation() -> None:
    drawing = totals_bar_chart(
        ["NHS Lothian", "Edinburgh Mind"], [12.5, 4], 400, 80, title="Supervision by organisation"
    )
    svg = drawing_to_svg(drawing).decode()
    assert "NHS Lothian" in svg
    assert "Edinburgh Mind" in svg
    assert "12.5 h" in svg


def test_empty_chart_says_so() -> None:
    svg = drawing_to_svg(monthly_hours_chart(MonthlySeries([], {}), 300, 120)).decode()
    assert "No entries in this period" in svg


def test_series_must_match_the_months() -> None:
    with pytest.raises(ValueError, match="has 2 values for 12 months"):
        MonthlySeries(MONTHS, {"Practice": [1.0, 2.0]})


@pytest.mark.parametrize(
    ("top", "expected"),
    [(3.0, (3.0, 1.0)), (7.3, (8.0, 2.0)), (0.0, (1.0, 0.25)), (42.0, (50.0, 10.0))],
)
def test_axis_scale_uses_round_numbers(top: float, expected: tuple[float, float]) -> None:
    assert nice_scale(top) == expected
