"""Charts as ReportLab drawings built from plain data, for the PDF and (as SVG) for the app.

One drawing goes into the portfolio as vector graphics and into the app through
:func:`drawing_to_svg` and ``QSvgWidget``, so both show the same chart. Every label is set in
the embedded TrueType font, at 8 points or more; nothing falls back to Helvetica. Each drawing
carries ``alt_text``, the chart in words, which the tagged PDF gives its figure for a screen
reader.

Example:
    >>> data = MonthlySeries([date(2025, 1, 1)], {"Supervision": [2.0]}, target=1.5)
    >>> drawing = monthly_hours_chart(data, 480, 200)
    >>> svg = drawing_to_svg(drawing)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from logbook.export import fonts

INK = colors.HexColor("#1F2A36")
MUTED = colors.HexColor("#5B6770")
GRID = colors.HexColor("#D9DEE3")
# The smallest label a printed chart has; tick and legend labels use it.
LABEL_SIZE = 8.0
SHORTFALL = colors.HexColor("#B5483B")
TARGET = colors.HexColor("#B5483B")

# Colour-blind-friendly, print-safe series colours (navy, teal, ochre, green, plum, slate).
PALETTE = (
    colors.HexColor("#1F4E79"),
    colors.HexColor("#2A9D8F"),
    colors.HexColor("#D4A017"),
    colors.HexColor("#6A994E"),
    colors.HexColor("#8E5C8E"),
    colors.HexColor("#7A8B99"),
)


@dataclass(frozen=True)
class MonthlySeries:
    """Figures per calendar month, one list per series, in the order of ``months``.

    Attributes:
        months: First days of the months, oldest first.
        series: Series name -> one value per month (stacked in the order given).
        target: A minimum per month to draw as a line; months of a single series below it are
            drawn in the shortfall colour.
        title: Printed above the chart.
        unit: Unit of the values, shown on the axis and the target label.
        target_label: Text beside the target line (default "Minimum <target> <unit>").
    """

    months: list[date]
    series: dict[str, list[float]]
    target: float | None = None
    title: str = ""
    unit: str = "h"
    target_label: str = ""
    colours: dict[str, colors.Color] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, values in self.series.items():
            if len(values) != len(self.months):
                raise ValueError(
                    f"series '{name}' has {len(values)} values for {len(self.months)} months"
                )


def nice_scale(top: float, ticks: int = 5) -> tuple[float, float]:
    """An axis maximum and step of round numbers (1, 2, 2.5, 5 x 10^n) covering ``top``."""
    if top <= 0:
        return 1.0, 0.25
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw:
            break
    return step * math.ceil(top / step - 1e-9), step


def _month_labels(months: Sequence[date]) -> list[str]:
    """Month names, thinned so that at most about 13 labels fit under the axis."""
    if not months:
        return []
    every = max(1, math.ceil(len(months) / 13))
    spans_years = months[0].year != months[-1].year
    labels = []
    for i, month in enumerate(months):
        if i % every:
            labels.append("")
        elif spans_years:
            labels.append(f"{month:%b} {month:%y}")
        else:
            labels.append(f"{month:%b}")
    return labels


class Chart(Drawing):  # type: ignore[misc]
    """A drawing that carries its description in words, ``alt_text``."""

    _attrMap = AttrMap(BASE=Drawing, alt_text=AttrMapValue(isString, desc="The chart in words"))


def new_drawing(width: float, height: float) -> Drawing:
    """An empty chart whose initial font is the embedded one (the default is Helvetica)."""
    fonts.register_fonts()
    drawing = Chart(width, height)
    drawing.initialFontName = fonts.REGULAR
    drawing.initialFontSize = LABEL_SIZE
    drawing.alt_text = ""
    return drawing


def _title(drawing: Drawing, text: str, height: float) -> None:
    if text:
        drawing.add(String(0, height - 11, text, fontName=fonts.BOLD, fontSize=9.5, fillColor=INK))


def _empty(drawing: Drawing, width: float, height: float, message: str) -> Drawing:
    drawing.alt_text = f"{drawing.alt_text or 'Chart'}: {message.lower()}."
    drawing.add(Rect(0, 0, width, height - 18, fillColor=None, strokeColor=GRID))
    drawing.add(
        String(
            width / 2,
            (height - 18) / 2,
            message,
            fontName=fonts.ITALIC,
            fontSize=9,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    return drawing


def _format_value(value: float, unit: str) -> str:
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
    return f"{text} {unit}".strip()


def monthly_hours_chart(data: MonthlySeries, width: float, height: float) -> Drawing:
    """Stacked bars of hours per month by series, with an optional minimum line.

    With a single series and a target, months below the target are drawn in the shortfall
    colour so that missing months stand out ("supervision per month against the minimum").

    Args:
        data: The months and figures.
        width: Drawing width in points.
        height: Drawing height in points.
    """
    drawing = new_drawing(width, height)
    _title(drawing, data.title, height)
    drawing.alt_text = data.title or "Hours per month"
    names = [name for name, values in data.series.items() if any(values)] or list(data.series)
    if not data.months or not names:
        return _empty(drawing, width, height, "No entries in this period")
    drawing.alt_text = monthly_description(data, names)

    legend_height = 14 if len(names) > 1 or data.target is not None else 0
    # Room above the bars for the title, the legend and half of the top tick label.
    top_pad = (16 if data.title else 4) + legend_height + LABEL_SIZE / 2
    stacks = [sum(data.series[n][i] for n in names) for i in range(len(data.months))]
    top, step = nice_scale(max([*stacks, (data.target or 0) * 1.15, 0.0]) * 1.04)

    chart = _stacked_bars(data, names, (top, step), width, height, top_pad)
    drawing.add(chart)
    drawing.add(
        String(
            2,
            chart.y + chart.height / 2,
            data.unit,
            fontName=fonts.REGULAR,
            fontSize=LABEL_SIZE,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )

    legend_y = height - (16 if data.title else 4) - 4
    legend = _monthly_legend(data, names, chart, legend_y)
    if legend is not None:
        drawing.add(legend)
    if data.target is not None:
        if len(names) == 1:
            _mark_empty_months(drawing, chart, data.series[names[0]])
        _target_line(drawing, chart, chart.y + chart.height * data.target / top)
        label = data.target_label or f"Minimum {_format_value(data.target, data.unit)}"
        _target_label(drawing, chart, label, legend_y)
    return drawing


def _stacked_bars(
    data: MonthlySeries,
    names: list[str],
    scale: tuple[float, float],
    width: float,
    height: float,
    top_pad: float,
) -> VerticalBarChart:
    """The bars of ``names`` stacked month by month on a value axis of ``scale`` (its top and
    step), leaving ``top_pad`` above for the title and legend."""
    top, step = scale
    axis_labels = [_format_value(step * i, "") for i in range(round(top / step) + 1)]
    label_width = max(stringWidth(t, fonts.REGULAR, LABEL_SIZE) for t in axis_labels) + 6

    chart = VerticalBarChart()
    chart.x = label_width + 12
    chart.y = 20
    chart.width = width - chart.x - 4
    chart.height = height - chart.y - top_pad
    chart.data = [tuple(float(v) for v in data.series[n]) for n in names]
    chart.categoryAxis.categoryNames = _month_labels(data.months)
    _style_axes(chart, top, step)
    chart.barSpacing = 0
    chart.groupSpacing = max(1.0, min(6.0, chart.width / len(data.months) * 0.3))
    for index, name in enumerate(names):
        chart.bars[index].fillColor = data.colours.get(name, PALETTE[index % len(PALETTE)])
        chart.bars[index].strokeColor = None
    if data.target is not None and len(names) == 1:
        for month_index, value in enumerate(data.series[names[0]]):
            if value < data.target:
                chart.bars[(0, month_index)].fillColor = SHORTFALL
    return chart


def _style_axes(chart: VerticalBarChart, top: float, step: float) -> None:
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.fillColor = MUTED
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = MUTED
    chart.categoryAxis.tickDown = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.labelTextFormat = lambda v: _format_value(v, "")
    chart.valueAxis.strokeColor = None
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.valueAxis.tickLeft = 0


def _monthly_legend(
    data: MonthlySeries, names: list[str], chart: VerticalBarChart, y: float
) -> Legend | None:
    """The series' colours, or with a single series the two colours against the minimum;
    none for a single series without one."""
    pairs: list[tuple[colors.Color, str]] = []
    if len(names) > 1:
        pairs = [(chart.bars[i].fillColor, n) for i, n in enumerate(names)]
    elif data.target is not None:
        pairs = [(chart.bars[0].fillColor, "At or above minimum"), (SHORTFALL, "Below minimum")]
    if not pairs:
        return None
    legend = Legend()
    legend.x = chart.x
    legend.y = y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "nw"
    legend.fontName = fonts.REGULAR
    legend.fontSize = LABEL_SIZE
    legend.fillColor = INK
    legend.dx = 7
    legend.dy = 7
    legend.dxTextSpace = 4
    legend.deltax = 8
    legend.autoXPadding = 14
    # Each column as wide as its own name, so long series names still fit across the chart.
    legend.variColumn = 1
    legend.strokeColor = None
    legend.colorNamePairs = pairs
    return legend


def _mark_empty_months(drawing: Drawing, chart: VerticalBarChart, values: list[float]) -> None:
    # An empty month has no bar; mark it on the axis so the gap is not missed.
    slot = chart.width / len(values)
    for month_index, value in enumerate(values):
        if value <= 0:
            x = chart.x + slot * (month_index + 0.5)
            drawing.add(Rect(x - 3, chart.y, 6, 2, fillColor=SHORTFALL, strokeColor=None))


def _target_line(drawing: Drawing, chart: VerticalBarChart, y: float) -> None:
    drawing.add(
        Line(
            chart.x,
            y,
            chart.x + chart.width,
            y,
            strokeColor=TARGET,
            strokeWidth=1,
            strokeDashArray=[4, 2],
        )
    )


def _target_label(drawing: Drawing, chart: VerticalBarChart, label: str, legend_y: float) -> None:
    # The line's label sits in the legend row, clear of the bars, after a sample of the line.
    right = chart.x + chart.width
    drawing.add(
        String(
            right,
            legend_y - 6.5,
            label,
            fontName=fonts.BOLD,
            fontSize=LABEL_SIZE,
            fillColor=TARGET,
            textAnchor="end",
        )
    )
    sample_end = right - stringWidth(label, fonts.BOLD, LABEL_SIZE) - 4
    drawing.add(
        Line(
            sample_end - 16,
            legend_y - 4,
            sample_end,
            legend_y - 4,
            strokeColor=TARGET,
            strokeWidth=1,
            strokeDashArray=[4, 2],
        )
    )


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def totals_bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    width: float,
    height: float,
    *,
    title: str = "",
    unit: str = "h",
    colour: colors.Color | None = None,
) -> Drawing:
    """Horizontal bars of one total per label (e.g. supervision hours per organisation).

    Args:
        labels: Bar names, printed at the left (shortened with an ellipsis if too long).
        values: One figure per label.
        width: Drawing width in points.
        height: Drawing height in points.
        title: Printed above the chart.
        unit: Unit printed after each figure.
        colour: Bar colour (default: the first palette colour).
    """
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    drawing = new_drawing(width, height)
    _title(drawing, title, height)
    drawing.alt_text = title or "Totals"
    if not labels:
        return _empty(drawing, width, height, "No entries in this period")
    drawing.alt_text = totals_description(labels, values, title, unit)

    top_pad = 18 if title else 4
    label_size = LABEL_SIZE + 0.5
    label_room = min(
        width * 0.38, max(stringWidth(t, fonts.REGULAR, label_size) for t in labels) + 8
    )
    value_room = stringWidth(_format_value(max(values), unit) + "00", fonts.REGULAR, LABEL_SIZE) + 6
    top, step = nice_scale(max(values))

    chart = HorizontalBarChart()
    chart.x = label_room
    chart.y = 4
    chart.width = width - label_room - value_room
    chart.height = height - top_pad - chart.y
    chart.data = [tuple(float(v) for v in values)]
    chart.categoryAxis.categoryNames = [
        _fit(t, fonts.REGULAR, label_size, label_room - 8) for t in labels
    ]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = label_size
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = MUTED
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.visible = 0
    chart.valueAxis.visibleGrid = 0
    chart.bars[0].fillColor = colour or PALETTE[0]
    chart.bars[0].strokeColor = None
    slot = chart.height / len(labels)
    chart.barWidth = 10
    chart.groupSpacing = max(2.0, slot * 0.35)
    chart.barLabelFormat = lambda v: _format_value(round(v, 2), unit)
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def monthly_description(data: MonthlySeries, names: Sequence[str]) -> str:
    """The monthly chart in words: what it shows over which months, each month's total (or,
    over two years, the highest and lowest), and the months below the minimum."""
    months = data.months
    totals = [sum(data.series[n][i] for n in names) for i in range(len(months))]
    words = [
        f"{data.title or 'Hours per month'}: a bar chart of {len(months)} "
        f"{'month' if len(months) == 1 else 'months'}, {months[0]:%B %Y} to {months[-1]:%B %Y}"
    ]
    if len(names) > 1:
        words[0] += ", each bar split into " + ", ".join(names)
    if len(months) <= 24:
        words.append(
            "; ".join(
                f"{m:%b %Y} {_format_value(round(v, 2), data.unit)}"
                for m, v in zip(months, totals, strict=True)
            )
        )
    else:
        high = max(range(len(months)), key=lambda i: totals[i])
        low = min(range(len(months)), key=lambda i: totals[i])
        words.append(
            f"Highest {_format_value(round(totals[high], 2), data.unit)} in "
            f"{months[high]:%B %Y}; lowest {_format_value(round(totals[low], 2), data.unit)} "
            f"in {months[low]:%B %Y}"
        )
    if data.target is not None:
        minimum = _format_value(data.target, data.unit)
        below = [m for m, v in zip(months, totals, strict=True) if v < data.target]
        if not below:
            words.append(f"Every month reaches the minimum of {minimum}")
        else:
            shown = ", ".join(f"{m:%b %Y}" for m in below[:12])
            more = f" and {len(below) - 12} more" if len(below) > 12 else ""
            words.append(f"{len(below)} below the minimum of {minimum}: {shown}{more}")
    return ". ".join(words) + "."


def totals_description(
    labels: Sequence[str], values: Sequence[float], title: str, unit: str
) -> str:
    """The totals chart in words: its title, then each bar's label and figure."""
    figures = "; ".join(
        f"{label} {_format_value(round(value, 2), unit)}"
        for label, value in zip(labels, values, strict=True)
    )
    return f"{title or 'Totals'}: a bar chart. {figures}."


_FONT_FAMILY = re.compile(r"font-family: ?([^;\"]+);")
_SVG_FONTS = {
    fonts.REGULAR: "",
    fonts.BOLD: " font-weight: bold;",
    fonts.ITALIC: " font-style: oblique;",
    fonts.BOLD_ITALIC: " font-weight: bold; font-style: oblique;",
    fonts.CONDENSED: " font-stretch: condensed;",
    fonts.CONDENSED_BOLD: " font-weight: bold; font-stretch: condensed;",
}


def drawing_to_svg(drawing: Drawing) -> bytes:
    """The drawing as SVG bytes (UTF-8), e.g. for ``QSvgWidget.load(QByteArray(svg))``.

    Font names are rewritten to the family name plus weight/style so that Qt's SVG renderer
    picks the same typeface the PDF embeds.
    """
    from reportlab.graphics import renderSVG

    svg = renderSVG.drawToString(drawing)

    def family(match: re.Match[str]) -> str:
        extra = _SVG_FONTS.get(match[1].strip())
        if extra is None:
            return match[0]
        return f"font-family: '{fonts.CSS_FAMILY}';{extra}"

    return _FONT_FAMILY.sub(family, svg).encode("utf-8")
