import numpy as np
import pytest

from classifiers._evaluation import evaluate

CLASSES = ["a", "b", "c"]


def test_evaluate_counts_precision_recall_and_macro_f1() -> None:
    probs = np.array(
        [
            [0.9, 0.05, 0.05],  # a -> a
            [0.8, 0.1, 0.1],  # b -> a (wrong)
            [0.1, 0.8, 0.1],  # b -> b
            [0.2, 0.2, 0.6],  # c -> c
        ]
    )
    m = evaluate(probs, ["a", "b", "b", "c"], CLASSES)
    assert m["n"] == 4
    assert m["accuracy"] == 0.75
    assert m["per_class"]["a"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert m["per_class"]["b"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert m["per_class"]["c"]["f1"] == 1.0
    assert m["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3, abs=1e-4)
    assert sum(m["confidence_histogram"]) == 4
    assert 0.0 <= m["ece"] <= 1.0
