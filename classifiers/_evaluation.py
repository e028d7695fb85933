"""Held-out metrics for the model card: accuracy, macro-F1, per-class P/R/F1, calibration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from classifiers._calibration import expected_calibration_error, histogram


def evaluate(probs: np.ndarray, truth: Sequence[str], classes: Sequence[str]) -> dict[str, Any]:
    """Metrics of probabilities ``probs`` (columns in ``classes`` order) against ``truth``."""
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[t] for t in truth], dtype=int)
    pred = probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    correct = pred == y
    per_class: dict[str, dict[str, float | int]] = {}
    f1s = []
    for i, name in enumerate(classes):
        tp = int(np.sum((pred == i) & (y == i)))
        predicted = int(np.sum(pred == i))
        support = int(np.sum(y == i))
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
        if support:  # a class absent from the test set would drag macro-F1 down for nothing
            f1s.append(f1)
    return {
        "n": len(y),
        "accuracy": round(float(correct.mean()) if len(y) else 0.0, 4),
        "macro_f1": round(float(np.mean(f1s)) if f1s else 0.0, 4),
        "ece": round(expected_calibration_error(confidence, correct), 4),
        "mean_confidence": round(float(confidence.mean()) if len(y) else 0.0, 4),
        "per_class": per_class,
        "confidence_histogram": histogram(confidence),
    }
