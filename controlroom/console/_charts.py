"""Chart geometry for server-drawn SVG, and the statistics behind the dashboard.

Functions here return plain numbers and rectangles; the templates turn them into SVG
(autoescaped, no script), so nothing is fetched from elsewhere and labels cannot inject
markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    title: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    max_value: float
    baseline: float  # y of the x axis
    ticks: tuple[tuple[float, str], ...]  # (y, label) on the value axis


def bar_chart(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    width: int = 640,
    height: int = 180,
    titles: Sequence[str] | None = None,
    series: int = 0,
    of: int = 1,
    scale_max: float | None = None,
    gap: float = 2.0,
) -> BarChart:
    """Bars over ``width``; with ``of`` > 1 each slot holds ``of`` series side by side and
    this chart draws series number ``series`` (give every series the same ``scale_max``)."""
    left, bottom, top = 40.0, 22.0, 8.0
    plot_h = height - bottom - top
    n = max(len(values), 1)
    slot = (width - left - 4) / n
    bar_w = max(slot / of - gap, 1.0)
    peak = scale_max if scale_max is not None else max([*values, 0.0])
    top_value = _nice(peak) if peak > 0 else 1.0
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = plot_h * value / top_value
        bars.append(
            Bar(
                x=left + i * slot + gap / 2 + series * (slot / of),
                y=top + plot_h - h,
                width=bar_w,
                height=h,
                label=label,
                value=value,
                title=(titles[i] if titles else f"{label}: {value:g}"),
            )
        )
    ticks = tuple((top + plot_h - plot_h * f, f"{top_value * f:g}") for f in (0.0, 0.5, 1.0))
    return BarChart(width, height, tuple(bars), top_value, top + plot_h, ticks)


def _nice(value: float) -> float:
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return float(candidate)
    return float(10 ** (exponent + 1))


def psi(expected: Sequence[float], actual: Sequence[float], epsilon: float = 1e-4) -> float:
    """Population stability index of ``actual`` against ``expected`` (counts per bin).

    Empty bins get ``epsilon`` so the log stays finite; 0.1 is usually read as "some
    shift" and 0.2 as "significant" (the default alarm threshold).
    """
    if len(expected) != len(actual):
        raise ValueError(f"PSI needs equal bins, got {len(expected)} and {len(actual)}")
    e_total, a_total = sum(expected), sum(actual)
    if e_total <= 0 or a_total <= 0:
        raise ValueError("PSI needs at least one value in each histogram")
    total = 0.0
    for e, a in zip(expected, actual, strict=True):
        pe = max(e / e_total, epsilon)
        pa = max(a / a_total, epsilon)
        total += (pa - pe) * math.log(pa / pe)
    return total


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (``q`` in 0..100) of already sorted values."""
    if not sorted_values:
        return None
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    rank = (len(sorted_values) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return float(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low))
