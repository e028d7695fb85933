"""Confidence bins: one definition for the card, calibration and the drift chart."""

from __future__ import annotations

import random

import numpy as np

from classifiers._calibration import bin_index
from clerk.bins import bin_edges, bin_of, card_histogram, histogram


def test_edges_and_the_closed_last_bin() -> None:
    edges = bin_edges()
    assert edges == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert [bin_of(c, edges) for c in (0.0, 0.0999, 0.1, 0.5, 0.9999, 1.0)] == [0, 0, 1, 5, 9, 9]
    assert bin_of(-0.2, edges) == 0 and bin_of(1.5, edges) == 9  # outside: the ends
    assert histogram([0.0, 0.05, 0.1, 0.99, 1.0], [0.0, 0.5, 1.0]) == [3, 2]


def test_calibration_bins_as_the_drift_chart_does() -> None:
    rng = random.Random(7)
    values = [rng.random() for _ in range(2000)] + [i / 10 for i in range(11)]
    for n_bins in (5, 10, 15):
        edges = bin_edges(n_bins)
        expected = [bin_of(v, edges) for v in values]
        assert bin_index(np.array(values), n_bins).tolist() == expected


def test_a_card_histogram_with_edges_without_or_broken() -> None:
    kept = {"confidence_histogram": {"edges": [0.0, 0.5, 1.0], "counts": [3, 4]}}
    assert card_histogram(kept) == ([0.0, 0.5, 1.0], [3, 4])
    only_counts = {"confidence_histogram": [1, 2, 3, 4]}  # an older card: equal-width
    assert card_histogram(only_counts) == ([0.0, 0.25, 0.5, 0.75, 1.0], [1, 2, 3, 4])
    for broken in (
        {},
        {"confidence_histogram": {"edges": [0.0, 1.0], "counts": [1, 2]}},  # one edge short
        {"confidence_histogram": {"edges": [0.0, 0.7, 0.5], "counts": [1, 2]}},  # not rising
        {"confidence_histogram": {"counts": ["a"]}},
    ):
        assert card_histogram(broken) is None, broken
