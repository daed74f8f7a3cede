"""The portfolio's monthly charts drawn for the screen, as SVG: the app shows the drawing the PDF
prints, so both show the same chart.

ReportLab is imported when a chart is first drawn, not with this module, so opening the window
does not wait for it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

# A colour as SVG writes it: percentages of red, green and blue.
Rgb = tuple[int, int, int]


class ChartInk(NamedTuple):
    """The colours a chart is drawn in apart from its series: text, muted text and grid."""

    text: Rgb
    muted: Rgb
    grid: Rgb


def monthly_hours_svg(
    months: list[date], series: dict[str, list[float]], width: float, height: float
) -> bytes:
    """Hours per month as stacked bars, a colour per series, as SVG of the given size."""
    from logbook.export.charts import MonthlySeries, drawing_to_svg, monthly_hours_chart

    chart = monthly_hours_chart(MonthlySeries(months, series, unit="h"), width, height)
    return drawing_to_svg(chart)


def chart_ink() -> ChartInk:
    """The ink of every chart, so the screen can swap it for its theme's colours."""
    from logbook.export import charts

    return ChartInk(_rgb(charts.INK), _rgb(charts.MUTED), _rgb(charts.GRID))


def _rgb(colour: Any) -> Rgb:
    return round(colour.red * 100), round(colour.green * 100), round(colour.blue * 100)
