import numpy as np
import pytest

from classifiers._calibration import (
    bin_edges,
    expected_calibration_error,
    fit_temperature,
    histogram,
    nll,
    scale,
)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_scale_divides_the_logits() -> None:
    logits = np.array([[2.0, 0.5, -1.0], [0.0, 3.0, 1.0]])
    assert np.allclose(scale(_softmax(logits), 2.5), _softmax(logits / 2.5))
    assert np.allclose(scale(_softmax(logits), 1.0), _softmax(logits))


def test_fit_temperature_recovers_the_temperature_that_generated_the_labels() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, size=(4000, 4))
    true_probs = _softmax(logits / 2.0)  # the data are twice less certain than the logits
    truth = np.array([rng.choice(4, p=p) for p in true_probs])
    fitted = fit_temperature(_softmax(logits), truth)
    assert fitted == pytest.approx(2.0, rel=0.1)
    assert nll(scale(_softmax(logits), fitted), truth) < nll(_softmax(logits), truth)


def test_ece_is_zero_when_confidence_matches_accuracy_and_large_when_not() -> None:
    conf = np.array([0.75] * 4)
    assert expected_calibration_error(conf, np.array([1, 1, 1, 0])) == pytest.approx(0.0)
    assert expected_calibration_error(np.array([0.99] * 4), np.array([0, 0, 0, 0])) == (
        pytest.approx(0.99)
    )
    # two bins, each weighted by its share of the samples
    conf = np.array([0.95, 0.95, 0.55, 0.55])
    correct = np.array([1, 1, 0, 0])
    assert expected_calibration_error(conf, correct) == pytest.approx(0.5 * 0.05 + 0.5 * 0.55)
    assert expected_calibration_error(np.array([]), np.array([])) == 0.0


def test_histogram_has_ten_bins_and_puts_one_in_the_last() -> None:
    counts = histogram(np.array([0.0, 0.05, 0.1, 0.55, 0.999, 1.0]))
    assert counts == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bin_edges()[0] == 0.0 and bin_edges()[-1] == 1.0 and len(bin_edges()) == 11
