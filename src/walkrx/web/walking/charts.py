"""Server-rendered SVG charts for the progress page.

Accessible: ``role="img"`` with ``<title>`` and ``<desc>``; the caller shows the same
numbers as a table. Pure functions of plain data; no Django, no clinical rules.

Scaled to the walker: the value axis ends just above the walker's own largest value
or target, so a 10-minute walk is a bar, not a sliver. Reference bands (e.g. the HUNT
groups) are drawn only when they are within reach of that axis; the page shows them
as a labelled reference otherwise. Date labels are thinned from the newest backwards
so they never overlap, even on a 320 px wide phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

W, H = 320, 190
LEFT, RIGHT, TOP, BOTTOM = 36, 6, 14, 28
FONT = 15
#: Room for one date label ("23 Nov" at 15 units) plus a gap, in viewBox units.
LABEL_ROOM = 66

#: Colours with at least 3:1 contrast on white (WCAG 1.4.11 for graphics).
BAR = "#0b5cad"
BAR_SOFT = "#5a8fc7"
TARGET = "#a4161a"
AFTER = "#1f6f3a"
BEFORE = "#8a4b00"
WORST = "#6a1b9a"
BAND = ("#f2f2f2", "#e6eef7")
TEXT = "#3b3b3b"


@dataclass(frozen=True)
class Band:
    """A shaded horizontal band with a label (e.g. a HUNT category)."""

    low: float
    high: float
    label: str


def _svg(chart_id: str, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {W} {H}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def scale(vmax: float) -> tuple[float, list[float]]:
    """A round upper bound at or above ``vmax`` and 3-6 gridline values from 0."""
    vmax = max(vmax, 1.0)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if vmax / step <= 5:
            top = step * -(-vmax // step)
            return float(top), [float(step * i) for i in range(int(top // step) + 1)]
    return vmax, [0.0, vmax]


def _y(v: float, top: float) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - min(v, top) / top)


def label_indexes(n: int, width: float = W - LEFT - RIGHT) -> list[int]:
    """Which of ``n`` evenly spaced labels to show: the newest, then every k-th back."""
    if n <= 0:
        return []
    slot = width / n
    every = max(1, -(-LABEL_ROOM // slot))
    return sorted(range(n - 1, -1, -int(every)))


def _grid(grid: Sequence[float], top: float) -> list[str]:
    out = []
    for g in grid:
        y = _y(g, top)
        out.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#bdbdbd" '
            f'stroke-width="0.5"/><text class="y-tick" x="{LEFT - 4}" y="{y + 4:.1f}" '
            f'text-anchor="end" font-size="{FONT}" fill="{TEXT}">{g:g}</text>'
        )
    return out


def label_positions(labels: Sequence[str], slot: float) -> list[tuple[int, float]]:
    """(index, x) of the labels to draw, kept inside the chart.

    Never closer than :data:`LABEL_ROOM`: a label pulled in from the edge can push its
    neighbour out.
    """
    out: list[tuple[int, float]] = []
    for i in reversed(label_indexes(len(labels))):
        half = len(labels[i]) * FONT * 0.3  # about half the label's width
        x = min(max(LEFT + i * slot + slot / 2, LEFT + half), W - RIGHT - half)
        if not out or out[-1][1] - x >= LABEL_ROOM:
            out.append((i, x))
    return out[::-1]


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    return [
        f'<text class="x-label" x="{x:.1f}" y="{H - 8}" text-anchor="middle" '
        f'font-size="{FONT}" fill="{TEXT}">{escape(labels[i])}</text>'
        for i, x in label_positions(labels, slot)
    ]


def _hline(cls: str, value: float, top: float, label: str, colour: str) -> str:
    """A dashed line; its label (if any) sits just above it at the left."""
    y = _y(value, top)
    text = (
        f'<text x="{LEFT + 3}" y="{y - 4:.1f}" font-size="{FONT - 1}" fill="{colour}">'
        f"{escape(label)}</text>"
        if label
        else ""
    )
    return (
        f'<g class="{cls}"><line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
        f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 3"/>{text}</g>'
    )


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    target: float | None = None,
    target_label: str = "target",
    bands: Sequence[Band] = (),
    secondary: Sequence[float | None] | None = None,
    min_top: float = 0.0,
) -> str:
    """Bars per label, scaled to the data and the target; bands only when within reach."""
    data = [v or 0.0 for v in values] + [v or 0.0 for v in (secondary or [])]
    top, grid = scale(max([1.0, *data, target or 0.0, min_top]) * 1.1)
    plot_w = W - LEFT - RIGHT
    n = max(len(labels), 1)
    slot = plot_w / n
    body: list[str] = []
    for i, band in enumerate(b for b in bands if b.low < top):
        y1, y2 = _y(min(band.high, top), top), _y(band.low, top)
        body.append(
            f'<g class="band"><rect x="{LEFT}" y="{y1:.1f}" width="{plot_w}" '
            f'height="{y2 - y1:.1f}" fill="{BAND[i % 2]}"/><text x="{W - RIGHT - 2}" '
            f'y="{y1 + FONT:.1f}" text-anchor="end" font-size="{FONT - 2}" fill="{TEXT}">'
            f"{escape(band.label)}</text></g>"
        )
    body += _grid(grid, top)
    for i, v in enumerate(values):
        x = LEFT + i * slot + slot * 0.15
        w = slot * (0.35 if secondary else 0.7)
        if v:
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{_y(v, top):.1f}" width="{w:.1f}" '
                f'height="{_y(0, top) - _y(v, top):.1f}" fill="{BAR}"/>'
            )
        if secondary and secondary[i]:
            s = float(secondary[i] or 0)
            body.append(
                f'<rect class="bar2" x="{x + w:.1f}" y="{_y(s, top):.1f}" width="{w:.1f}" '
                f'height="{_y(0, top) - _y(s, top):.1f}" fill="{BAR_SOFT}"/>'
            )
    body += _x_labels(labels, slot)
    if target:
        body.append(_hline("target", target, top, target_label, TARGET))
    return _svg(chart_id, title, desc, body)


def pain_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    before: Sequence[int | None],
    after: Sequence[int | None],
    limit: int,
    worst: Sequence[int | None] | None = None,
) -> str:
    """Pain before (square), worst during (triangle) and after (circle) each walk, with the limit."""
    top = 10.0
    n = max(len(labels), 1)
    slot = (W - LEFT - RIGHT) / n
    body = _grid((0, 2, 4, 6, 8, 10), top)
    # the limit's label is in the legend beside the chart: inside, it would cover the points
    body.append(_hline("limit", limit, top, "", TARGET))
    worst = worst or [None] * len(labels)
    for i in range(len(labels)):
        x = LEFT + i * slot + slot / 2
        points = [p for p in (before[i], worst[i], after[i]) if p is not None]
        if len(points) > 1:
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_y(min(points), top):.1f}" '
                f'y2="{_y(max(points), top):.1f}" stroke="#6b6b6b" stroke-width="1"/>'
            )
        b, w, a = before[i], worst[i], after[i]
        if b is not None:
            yb = _y(b, top)
            body.append(
                f'<rect class="before" x="{x - 4:.1f}" y="{yb - 4:.1f}" width="8" height="8" '
                f'fill="{BEFORE}"/>'
            )
        if w is not None:
            yw = _y(w, top)
            body.append(
                f'<path class="worst" d="M{x:.1f} {yw - 5:.1f} L{x + 5:.1f} {yw + 4:.1f} '
                f'L{x - 5:.1f} {yw + 4:.1f} Z" fill="{WORST}"/>'
            )
        if a is not None:
            body.append(
                f'<circle class="after" cx="{x:.1f}" cy="{_y(a, top):.1f}" r="4" fill="{AFTER}"/>'
            )
    body += _x_labels(labels, slot)
    return _svg(chart_id, title, desc, body)
