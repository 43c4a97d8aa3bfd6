"""The report's charts (reportlab drawings), readable in black and white.

Planned sessions are white bars with a black outline, done are black bars; pain before a
walk is a dashed line with squares, after a solid line with circles.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

WIDTH, HEIGHT = 470, 170


def _title(d: Drawing, text: str) -> None:
    d.add(String(0, HEIGHT - 12, text, fontName="Helvetica-Bold", fontSize=10))


def weekly_chart(weeks: list[dict[str, Any]]) -> Drawing:
    """Planned vs done walking days per week."""
    d = Drawing(WIDTH, HEIGHT)
    _title(d, "Walking days per week: planned (white) and done (black)")
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, WIDTH - 140, HEIGHT - 55
    chart.data = [
        [float(w["planned"] or 0) for w in weeks],
        [float(w["done"]) for w in weeks],
    ]
    chart.bars[0].fillColor = colors.white
    chart.bars[0].strokeColor = colors.black
    chart.bars[1].fillColor = colors.black
    chart.bars[1].strokeColor = colors.black
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(7.0, *(max(row, default=0.0) for row in chart.data))
    chart.valueAxis.valueStep = 1
    step = max(1, len(weeks) // 8)
    chart.categoryAxis.categoryNames = [
        w["week_start"][5:] if i % step == 0 else "" for i, w in enumerate(weeks)
    ]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = WIDTH - 100, HEIGHT - 40
    legend.fontSize = 8
    legend.colorNamePairs = [(colors.white, "planned"), (colors.black, "done")]
    legend.strokeColor = colors.black
    d.add(legend)
    return d


def pain_chart(pairs: list[tuple[str, int, int]]) -> Drawing:
    """Pain before (dashed, squares) and after (solid, circles) each walk, in order."""
    d = Drawing(WIDTH, HEIGHT)
    _title(d, "Pain before (dashed, squares) and after (solid, circles) each walk")
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 30, 30, WIDTH - 60, HEIGHT - 55
    plot.data = [
        [(float(i + 1), float(b)) for i, (_, b, _) in enumerate(pairs)],
        [(float(i + 1), float(a)) for i, (_, _, a) in enumerate(pairs)],
    ]
    plot.lines[0].strokeColor = colors.black
    plot.lines[0].strokeDashArray = [4, 3]
    plot.lines[0].symbol = makeMarker("Square", size=4)
    plot.lines[1].strokeColor = colors.black
    plot.lines[1].symbol = makeMarker("Circle", size=4)
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 10, 2
    plot.xValueAxis.valueMin = 0.5
    plot.xValueAxis.valueMax = len(pairs) + 0.5
    plot.xValueAxis.valueStep = max(1, len(pairs) // 10)
    plot.xValueAxis.labels.fontSize = 7
    plot.yValueAxis.labels.fontSize = 7
    d.add(plot)
    d.add(String(WIDTH / 2 - 30, 8, "walks in order (1 = first)", fontSize=7))
    return d
