"""Server-rendered SVG charts for the progress page.

Accessible: ``role="img"`` with ``<title>`` and ``<desc>``; the caller shows the same
numbers as a table. Pure functions of plain data; no Django, no clinical rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

W, H = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 28

#: Colours with at least 3:1 contrast on white (WCAG 1.4.11 for graphics).
BAR = "#0b5cad"
BAR_SOFT = "#5a8fc7"
TARGET = "#a4161a"
AFTER = "#1f6f3a"
BEFORE = "#8a4b00"
BAND = ("#f2f2f2", "#e6eef7")


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


def _scale(vmax: float) -> tuple[float, list[float]]:
    """A round upper bound and 3-5 gridline values."""
    vmax = max(vmax, 1.0)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if vmax / step <= 5:
            top = step * -(-vmax // step)
            return float(top), [step * i for i in range(int(top // step) + 1)]
    return vmax, [0.0, vmax]


def _y(v: float, top: float) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - min(v, top) / top)


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
) -> str:
    """Bars per label; an optional target line, shaded bands, and a lighter second series."""
    data = [v or 0.0 for v in values] + [v or 0.0 for v in (secondary or [])]
    top, grid = _scale(max([1.0, *data, target or 0.0, *(b.low for b in bands)]) * 1.05)
    plot_w = W - LEFT - RIGHT
    n = max(len(labels), 1)
    slot = plot_w / n
    body: list[str] = []
    for i, band in enumerate(bands):
        y1, y2 = _y(min(band.high, top), top), _y(band.low, top)
        if y2 - y1 <= 0:
            continue
        body.append(
            f'<rect x="{LEFT}" y="{y1:.1f}" width="{plot_w}" height="{y2 - y1:.1f}" '
            f'fill="{BAND[i % 2]}"/>'
            f'<text x="{W - RIGHT - 2}" y="{y1 + 11:.1f}" text-anchor="end" font-size="11" '
            f'fill="#3b3b3b">{escape(band.label)}</text>'
        )
    for g in grid:
        y = _y(g, top)
        body.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#bdbdbd" '
            f'stroke-width="0.5"/><text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" '
            f'font-size="11" fill="#3b3b3b">{g:g}</text>'
        )
    for i, v in enumerate(values):
        x = LEFT + i * slot + slot * 0.15
        w = slot * (0.35 if secondary else 0.7)
        if v:
            body.append(
                f'<rect x="{x:.1f}" y="{_y(v, top):.1f}" width="{w:.1f}" '
                f'height="{_y(0, top) - _y(v, top):.1f}" fill="{BAR}"/>'
            )
        if secondary and secondary[i]:
            s = float(secondary[i] or 0)
            body.append(
                f'<rect x="{x + w:.1f}" y="{_y(s, top):.1f}" width="{w:.1f}" '
                f'height="{_y(0, top) - _y(s, top):.1f}" fill="{BAR_SOFT}"/>'
            )
    every = max(1, -(-n // 5))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            x = LEFT + i * slot + slot / 2
            body.append(
                f'<text x="{x:.1f}" y="{H - 10}" text-anchor="middle" font-size="11" '
                f'fill="#3b3b3b">{escape(label)}</text>'
            )
    if target:
        y = _y(target, top)
        body.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}" '
            f'stroke-width="2" stroke-dasharray="6 3"/><text x="{LEFT + 2}" y="{y - 3:.1f}" '
            f'font-size="11" fill="{TARGET}">{escape(target_label)}</text>'
        )
    return _svg(chart_id, title, desc, body)


def pain_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    before: Sequence[int | None],
    after: Sequence[int | None],
    limit: int,
) -> str:
    """Pain before (square) and after (circle) each walk on 0-10, with the pain limit."""
    top = 10.0
    n = max(len(labels), 1)
    slot = (W - LEFT - RIGHT) / n
    body: list[str] = []
    for g in (0, 2, 4, 6, 8, 10):
        y = _y(g, top)
        body.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#bdbdbd" '
            f'stroke-width="0.5"/><text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" '
            f'font-size="11" fill="#3b3b3b">{g}</text>'
        )
    y = _y(limit, top)
    body.append(
        f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}" '
        f'stroke-width="1.5" stroke-dasharray="6 3"/><text x="{LEFT + 2}" y="{y - 3:.1f}" '
        f'font-size="11" fill="{TARGET}">your limit {limit}/10</text>'
    )
    for i in range(len(labels)):
        x = LEFT + i * slot + slot / 2
        b, a = before[i], after[i]
        if b is not None and a is not None:
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_y(b, top):.1f}" y2="{_y(a, top):.1f}" '
                'stroke="#6b6b6b" stroke-width="1"/>'
            )
        if b is not None:
            yb = _y(b, top)
            body.append(
                f'<rect x="{x - 4:.1f}" y="{yb - 4:.1f}" width="8" height="8" fill="{BEFORE}"/>'
            )
        if a is not None:
            body.append(f'<circle cx="{x:.1f}" cy="{_y(a, top):.1f}" r="4" fill="{AFTER}"/>')
    every = max(1, -(-n // 5))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            body.append(
                f'<text x="{LEFT + i * slot + slot / 2:.1f}" y="{H - 10}" text-anchor="middle" '
                f'font-size="11" fill="#3b3b3b">{escape(label)}</text>'
            )
    return _svg(chart_id, title, desc, body)
