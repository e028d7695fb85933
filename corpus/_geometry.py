"""Where each cell of a sample's layout lands on a page, for any renderer.

A renderer passes a ``measure(text, bold, size) -> width`` for its fonts; the placement
keeps every cell in the line's order, at least ``gap`` points from its neighbour (more than
a text extractor's word tolerance, so cells never merge into one word), and inside the
margins, shrinking a line's font when its cells cannot fit side by side.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from corpus.sample import Sample

Measure = Callable[[str, bool, float], float]

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
RECEIPT_WIDTH = 226.8  # 80 mm till roll


@dataclass(frozen=True)
class Placed:
    text: str
    x: float  # left edge, points from the page's left
    baseline: float  # points from the page's top
    size: float
    bold: bool


@dataclass(frozen=True)
class Rule:
    x0: float
    x1: float
    y: float  # points from the top


@dataclass(frozen=True)
class PageGeometry:
    width: float
    height: float
    cells: tuple[Placed, ...]
    rules: tuple[Rule, ...]


def page_setup(sample: Sample) -> tuple[float, float, float, float]:
    """(width, height, margin x, margin y) chosen per sample, deterministically."""
    rng = random.Random(f"page/{sample.id}")
    if sample.layout.get("page") == "receipt":
        return RECEIPT_WIDTH, 0.0, rng.uniform(10, 16), rng.uniform(14, 24)
    width, height = LETTER if sample.language == "en" and rng.random() < 0.4 else A4
    return width, height, rng.uniform(42, 72), rng.uniform(40, 64)


def layout_pages(sample: Sample, measure: Measure) -> list[PageGeometry]:
    pages: list[list[dict[str, Any]]] = sample.layout["pages"]
    body: float = float(sample.layout.get("size", 10.0))
    width, height, mx, my = page_setup(sample)
    usable = width - 2 * mx
    out: list[PageGeometry] = []
    for lines in pages:
        # Line advance: 1.35 x size plus the line's extra gap; squeeze when the page is full.
        advances = [(1.0 + line["gap"]) * 1.35 * body * line["size"] for line in lines]
        page_height = height or sum(advances) + 2 * my + body
        squeeze = min(1.0, (page_height - 2 * my - body) / max(sum(advances), 1.0))
        size_scale = max(0.6, squeeze) if squeeze < 1.0 else 1.0
        y = my
        cells: list[Placed] = []
        rules: list[Rule] = []
        for line, advance in zip(lines, advances, strict=True):
            y += advance * squeeze
            size = body * line["size"] * size_scale
            placed = _place_line(line["cells"], size, y, mx, usable, measure)
            cells.extend(placed)
            if line["rule"]:
                rules.append(Rule(mx, mx + usable, y + 0.35 * size))
        out.append(PageGeometry(width, page_height, tuple(cells), tuple(rules)))
    return out


def _place_line(
    cells: list[dict[str, Any]],
    size: float,
    baseline: float,
    mx: float,
    usable: float,
    measure: Measure,
) -> list[Placed]:
    for _ in range(12):
        gap = max(4.5, 0.6 * size)
        widths = [measure(c["text"], c["bold"], size) for c in cells]
        if sum(widths) + gap * (len(cells) - 1) <= usable or size < 4:
            break
        size *= 0.9
    lefts: list[float] = []
    previous_right = -1e9
    for c, w in zip(cells, widths, strict=True):
        anchor = mx + c["x"] * usable
        left = anchor if c["align"] == "left" else anchor - w
        left = max(left, previous_right + gap, mx if not lefts else -1e9)
        lefts.append(left)
        previous_right = left + w
    limit = mx + usable
    for i in range(len(cells) - 1, -1, -1):
        if lefts[i] + widths[i] > limit:
            lefts[i] = limit - widths[i]
        limit = lefts[i] - gap
    return [
        Placed(c["text"], left, baseline, size, c["bold"])
        for c, left in zip(cells, lefts, strict=True)
    ]
