"""Confidence bins, one definition: the classifier's card records its held-out histogram
with these edges, calibration measures its error over them, and the console's drift
chart counts the documents it classified into the same bins as the card it compares with.

Bin ``i`` holds ``edges[i] <= confidence < edges[i + 1]``; the last bin is closed (a
confidence of exactly 1.0 falls in it) and values outside ``[edges[0], edges[-1]]`` fall
in the first or last bin.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

N_BINS = 10


def bin_edges(n_bins: int = N_BINS) -> list[float]:
    """Equal-width edges over [0, 1]: ``n_bins + 1`` of them."""
    return [round(i / n_bins, 10) for i in range(n_bins + 1)]


def bin_of(confidence: float, edges: Sequence[float]) -> int:
    index = bisect.bisect_right(edges, confidence) - 1
    return min(max(index, 0), len(edges) - 2)


def histogram(confidences: Iterable[float], edges: Sequence[float]) -> list[int]:
    counts = [0] * (len(edges) - 1)
    for confidence in confidences:
        counts[bin_of(confidence, edges)] += 1
    return counts


def card_histogram(metrics: Mapping[str, Any]) -> tuple[list[float], list[int]] | None:
    """A model card's ``confidence_histogram`` as (edges, counts), or None when it has
    none usable. A card that recorded only the counts used the equal-width default."""
    raw = metrics.get("confidence_histogram")
    counts = raw.get("counts") if isinstance(raw, dict) else raw
    if not isinstance(counts, list) or not counts:
        return None
    if not all(isinstance(c, int | float) for c in counts):
        return None
    edges = raw.get("edges") if isinstance(raw, dict) else None
    if edges is None:
        edges = bin_edges(len(counts))
    if (
        not isinstance(edges, list)
        or len(edges) != len(counts) + 1
        or not all(isinstance(e, int | float) for e in edges)
        or any(b <= a for a, b in itertools.pairwise(edges))
    ):
        return None
    return [float(e) for e in edges], [int(c) for c in counts]
