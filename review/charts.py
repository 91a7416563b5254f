"""Charts as inline SVG, drawn on the server (no scripts, no CDN, nothing for the CSP to allow).

Colours come from classes in ``static/review.css``; every label is escaped. Each
bar has a ``<title>`` so the exact figure shows on hover, and the dashboard also
prints the figures as tables.
"""

from __future__ import annotations

import math
from typing import List, Sequence, Tuple

from markupsafe import Markup, escape

WIDTH = 1100
HALF_WIDTH = 540
BAR_HEIGHT = 22
LABEL_WIDTH = 330


def nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` for the top of an axis."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def day_bars(
    points: Sequence[Tuple[str, float]], title: str, css: str = "bar", height: int = 200, width: int = WIDTH
) -> Markup:
    """A vertical bar per day; ``points`` are ``(label, value)`` in date order."""
    left, bottom, top = 48, 24, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = nice_ceiling(max((value for _, value in points), default=0))
    parts: List[str] = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line class="grid" x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(peak * fraction)}</text>'
        )
    step = plot_w / max(len(points), 1)
    for index, (label, value) in enumerate(points):
        bar_h = plot_h * value / peak if peak else 0
        x = left + index * step
        parts.append(
            f'<rect class="{css}" x="{x + step * 0.1:.1f}" y="{top + plot_h - bar_h:.1f}" '
            f'width="{max(step * 0.8, 0.5):.1f}" height="{bar_h:.1f}">'
            f"<title>{escape(label)}: {_number(value)}</title></rect>"
        )
    if points:
        marks = sorted({0, len(points) // 2, len(points) - 1})
        for index in marks:
            anchor = "start" if index == 0 else "end" if index == len(points) - 1 else "middle"
            x = left + index * step + (step if anchor == "end" else step / 2 if anchor == "middle" else 0)
            parts.append(
                f'<text class="axis" x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}">'
                f"{escape(points[index][0])}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(points: Sequence[Tuple[str, float]], title: str, css: str = "bar") -> Markup:
    """A horizontal bar per ``(label, value)``, largest first as given."""
    height = max(len(points), 1) * BAR_HEIGHT + 8
    plot_w = WIDTH - LABEL_WIDTH - 80
    peak = max((value for _, value in points), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(points):
        y = 4 + index * BAR_HEIGHT
        width = plot_w * value / peak
        parts.append(f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="{css}" x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{BAR_HEIGHT - 6}">'
                     f'<title>{escape(label)}: {_number(value)}</title></rect>')
        parts.append(f'<text class="value" x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">{_number(value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def helpfulness_bars(points: Sequence[Tuple[str, int, int]], title: str, min_votes: int = 5) -> Markup:
    """Per topic, "helpful" (left) and "not helpful" (right) answers, always with their counts.

    A rate from fewer than ``min_votes`` votes would mislead: such a topic gets a grey
    bar split by its counts and no percentage.
    """
    height = max(len(points), 1) * BAR_HEIGHT + 8
    plot_w = WIDTH - LABEL_WIDTH - 250
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, (label, helpful, not_helpful) in enumerate(points):
        total = helpful + not_helpful
        few = total < min_votes
        y = 4 + index * BAR_HEIGHT
        good = plot_w * helpful / total if total else 0
        if few:
            text = f"{helpful} helpful, {not_helpful} not (too few votes for a rate)"
        else:
            text = f"{100 * helpful / total:.0f}% helpful ({helpful} of {total})"
        good_css, bad_css = ("bar few", "bar few-alt") if few else ("bar good", "bar bad")
        parts.append(f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="{good_css}" x="{LABEL_WIDTH}" y="{y + 3}" width="{good:.1f}" '
                     f'height="{BAR_HEIGHT - 6}"><title>{escape(label)}: {helpful} helpful</title></rect>')
        parts.append(f'<rect class="{bad_css}" x="{LABEL_WIDTH + good:.1f}" y="{y + 3}" width="{plot_w - good:.1f}" '
                     f'height="{BAR_HEIGHT - 6}"><title>{escape(label)}: {not_helpful} not helpful</title></rect>')
        parts.append(f'<text class="value{" few" if few else ""}" x="{LABEL_WIDTH + plot_w + 6}" y="{y + 15}">'
                     f"{escape(text)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
