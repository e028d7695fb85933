"""Calibrated confidence: temperature scaling, expected calibration error, histograms.

Logistic regression trained to near-zero loss on clean synthetic text is over-confident.
One scalar temperature ``T``, fitted on a calibration split the model did not train on,
divides the logits: ``softmax(z / T)``. Because it is folded into the model's weights
(``coef_ / T``, ``intercept_ / T``) before export, the ONNX model itself gives calibrated
probabilities and inference needs no extra step. Labels never change (argmax is the same).
"""

from __future__ import annotations

import math

import numpy as np

from clerk.bins import N_BINS, bin_edges

T_BOUNDS = (0.05, 20.0)


def scale(probs: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(log(p) / T)``: the same as dividing the logits by ``T``."""
    logits = np.log(np.clip(probs, 1e-300, None)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def nll(probs: np.ndarray, truth: np.ndarray) -> float:
    picked = probs[np.arange(len(truth)), truth]
    return float(-np.log(np.clip(picked, 1e-300, None)).mean())


def fit_temperature(probs: np.ndarray, truth: np.ndarray) -> float:
    """The ``T`` that minimises the negative log-likelihood of ``truth`` (class indices)."""
    from scipy.optimize import minimize_scalar

    lo, hi = (math.log(b) for b in T_BOUNDS)
    result = minimize_scalar(
        lambda log_t: nll(scale(probs, math.exp(log_t)), truth),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(math.exp(result.x))


def bin_index(confidences: np.ndarray, n_bins: int = N_BINS) -> np.ndarray:
    """``clerk.bins.bin_of`` over an array: equal-width bins over [0, 1], 1.0 in the last."""
    edges = np.asarray(bin_edges(n_bins))
    found = np.searchsorted(edges, np.asarray(confidences), side="right") - 1
    bins: np.ndarray = np.clip(found, 0, n_bins - 1)
    return bins


def expected_calibration_error(
    confidences: np.ndarray, correct: np.ndarray, n_bins: int = N_BINS
) -> float:
    """Sum over bins of (share of samples) x |accuracy - mean confidence| in the bin."""
    confidences = np.asarray(confidences, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    if confidences.size == 0:
        return 0.0
    bins = bin_index(confidences, n_bins)
    total = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            gap = abs(correct[mask].mean() - confidences[mask].mean())
            total += mask.mean() * gap
    return float(total)


def histogram(confidences: np.ndarray, n_bins: int = N_BINS) -> list[int]:
    """Counts of confidences per equal-width bin (the dashboard's drift baseline)."""
    counts = np.bincount(bin_index(confidences, n_bins), minlength=n_bins)
    return [int(c) for c in counts]
