"""Geometry of the report's charts, as plain numbers for the template to draw as inline SVG.

No markup is built here: the template (``_charts.html.j2``) draws the shapes, so every label
passes through Jinja's autoescaping like any other text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossiercheck.reports.viewmodel import SEVERITIES

WIDTH = 640
LABEL_W = 250
VALUE_W = 64
ROW_H = 22
BAR_H = 14
TOP = 6
CHAR_W = 6.6  # average width of a 12px label character, in viewBox units


@dataclass
class Segment:
    severity: str
    x: float
    w: float
    n: int


@dataclass
class Bar:
    label: str  # shown, possibly shortened
    title: str  # full label (tooltip)
    y: float
    total: int
    total_x: float
    segments: list[Segment] = field(default_factory=list)
    other: bool = False  # the "n other ..." line: a total without a bar


@dataclass
class BarChart:
    width: int
    height: int
    label_w: int
    bars: list[Bar]
    bar_h: int = BAR_H


def _short(label: str, max_chars: int) -> str:
    return label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "…"


def bar_chart(
    items: list[tuple[str, dict[str, int]]],
    other_label: str,
    max_bars: int = 20,
    width: int = WIDTH,
    label_w: int = LABEL_W,
) -> BarChart:
    """Horizontal stacked bars, largest first. Items past ``max_bars`` are summed in one last
    line, drawn as text without a bar (a bar summing dozens of items would dwarf the others
    and read as one big problem), so the chart still covers every finding. ``other_label`` has
    an ``{n}`` placeholder (the number of items summed)."""
    items = sorted(items, key=lambda it: -sum(it[1].get(s, 0) for s in SEVERITIES))
    rest: list = []
    if len(items) > max_bars:
        items, rest = items[: max_bars - 1], items[max_bars - 1 :]
    biggest = max((sum(c.get(s, 0) for s in SEVERITIES) for _, c in items), default=0) or 1
    span = width - label_w - VALUE_W
    max_chars = int((label_w - 12) / CHAR_W)
    bars = []
    for i, (label, counts) in enumerate(items):
        y = TOP + i * ROW_H
        x = float(label_w)
        segs = []
        for s in SEVERITIES:
            n = counts.get(s, 0)
            if n:
                w = max(span * n / biggest, 1.0)
                segs.append(Segment(s, round(x, 1), round(w, 1), n))
                x += w
        total = sum(counts.get(s, 0) for s in SEVERITIES)
        bars.append(Bar(_short(label, max_chars), label, y, total, round(x + 5, 1), segs))
    if rest:
        total = sum(c.get(s, 0) for _, c in rest for s in SEVERITIES)
        label = other_label.format(n=len(rest))
        bars.append(Bar(label, label, TOP + len(bars) * ROW_H, total, float(label_w + 5), [], other=True))
    return BarChart(width, TOP * 2 + max(len(bars), 1) * ROW_H, label_w, bars)


@dataclass
class TrendLine:
    severity: str
    points: str  # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float, int]]


@dataclass
class TrendChart:
    width: int
    height: int
    left: int
    bottom: float
    top: int
    ymax: int
    lines: list[TrendLine]
    xlabels: list[tuple[float, str]]


def trend_chart(trend: list[dict], max_runs: int = 12) -> TrendChart | None:
    """Lines of the error/warning/info counts over the last ``max_runs`` runs (None if < 2)."""
    runs = [t for t in trend if isinstance(t, dict)][-max_runs:]
    if len(runs) < 2:
        return None
    width, height, left, right, top, bottom_pad = WIDTH, 190, 48, 40, 10, 36
    bottom = height - bottom_pad
    ymax = max((int(t.get(s) or 0) for t in runs for s in SEVERITIES), default=0) or 1
    step = (width - left - right) / (len(runs) - 1)

    def y_of(n: int) -> float:
        return round(bottom - (bottom - top) * n / ymax, 1)

    lines = []
    for s in SEVERITIES:
        dots = [(round(left + i * step, 1), y_of(int(t.get(s) or 0)), int(t.get(s) or 0)) for i, t in enumerate(runs)]
        lines.append(TrendLine(s, " ".join(f"{x},{y}" for x, y, _ in dots), dots))
    xlabels = [(round(left + i * step, 1), str(t.get("peildatum") or t.get("run_id") or "")) for i, t in enumerate(runs)]
    return TrendChart(width, height, left, bottom, top, ymax, lines, xlabels)
