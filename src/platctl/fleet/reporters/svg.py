"""Charts as inline SVG, drawn from the data in Python: no script, no fonts, no network.

Colours are CSS classes (``s0``..``s5``, ``fg``, ``grid``) that the page styles
for light and dark mode. Every mark carries a ``<title>`` with its exact value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

Series = tuple[str, Sequence[int]]

W, H = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 12, 28
LEVEL_SHADE = {"none": 5, "bronze": 2, "silver": 0, "gold": 1}


def line_chart(labels: Sequence[str], series: Sequence[Series], name: str) -> str:
    """One line per series over the x labels (days); y from 0 to the largest value."""
    top = max([1, *(v for _, values in series for v in values)])
    x = _scale(len(labels))
    parts = [_frame(name), *_y_axis(top), *_x_labels(labels, x)]
    for index, (title, values) in enumerate(series):
        points = " ".join(f"{x(i):.1f},{_y(v, top):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline class="line s{index}" points="{points}"><title>{escape(title)}</title></polyline>')
        if len(values) <= 60:
            parts += [f'<circle class="s{index}" cx="{x(i):.1f}" cy="{_y(v, top):.1f}" r="2.5">'
                      f'<title>{escape(labels[i])}: {escape(title)} {v}</title></circle>' for i, v in enumerate(values)]
    return _close(parts, _legend([t for t, _ in series]))


def bar_chart(rows: Sequence[tuple[str, int, str | None]], name: str, unit: str = "") -> str:
    """Horizontal bars, one per row (label, value, link or None)."""
    height = TOP + 22 * len(rows) + 8
    top = max([1, *(v for _, v, _ in rows)])
    label_width = 150
    parts = [_frame(name, height)]
    for index, (label, value, href) in enumerate(rows):
        y = TOP + 22 * index
        width = (W - label_width - 60) * value / top
        text = f'<text class="fg" x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(label[:24])}</text>'
        parts.append(f'<a href="{escape(href)}">{text}</a>' if href else text)
        shade = LEVEL_SHADE.get(label, 0) if unit == "levels" else 0
        parts.append(f'<rect class="s{shade}" x="{label_width}" y="{y + 3}" '
                     f'width="{width:.1f}" height="15"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text class="fg" x="{label_width + width + 4:.1f}" y="{y + 14}">{value}</text>')
    return _close(parts, "")


def stacked_bars(groups: Sequence[tuple[str, Sequence[tuple[str, int]]]], name: str) -> str:
    """One bar per group (golden path), split by segment (version), newest segment last."""
    height = TOP + 34 * len(groups) + 8
    label_width = 150
    parts = [_frame(name, height)]
    for index, (group, segments) in enumerate(groups):
        y = TOP + 34 * index
        total = sum(v for _, v in segments) or 1
        parts.append(f'<text class="fg" x="{label_width - 6}" y="{y + 16}" '
                     f'text-anchor="end">{escape(group[:24])}</text>')
        x = float(label_width)
        for position, (segment, value) in enumerate(segments):
            width = (W - label_width - 12) * value / total
            shade = len(segments) - 1 - position
            parts.append(f'<rect class="s{min(shade, 5)}" x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="18">'
                         f'<title>{escape(group)} {escape(segment)}: {value}</title></rect>')
            if width > 46:
                parts.append(f'<text class="on" x="{x + 4:.1f}" y="{y + 17}">{escape(segment)} ({value})</text>')
            x += width
    return _close(parts, "")


def _scale(count: int) -> Callable[[int], float]:
    span = W - LEFT - RIGHT

    def x(index: int) -> float:
        return LEFT + (span * index / (count - 1) if count > 1 else span / 2)

    return x


def _y(value: int, top: int) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - value / top)


def _y_axis(top: int) -> list[str]:
    parts = []
    for step in range(5):
        value = round(top * step / 4)
        y = _y(value, top)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="fg" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    return parts


def _x_labels(labels: Sequence[str], x: Callable[[int], float]) -> list[str]:
    if not labels:
        return []
    picks = sorted({0, len(labels) - 1, *range(0, len(labels), max(1, len(labels) // 5))})
    return [f'<text class="fg" x="{x(i):.1f}" y="{H - 8}" text-anchor="middle">{escape(labels[i][5:])}</text>'
            for i in picks]


def _frame(name: str, height: int = H) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(name)}" viewBox="0 0 {W} {height}" '
            f'xmlns="http://www.w3.org/2000/svg">')


def _legend(titles: Sequence[str]) -> str:
    items = "".join(f'<span class="key"><i class="k{i}"></i>{escape(t)}</span>' for i, t in enumerate(titles))
    return f'<div class="legend">{items}</div>'


def _close(parts: list[str], after: str) -> str:
    return "".join(parts) + "</svg>" + after
