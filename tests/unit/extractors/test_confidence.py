"""Field evidence as the calibrator sees it: a text layer gets its own slope."""

from __future__ import annotations

from dataclasses import replace

from extractors.ner.confidence import FEATURES, Calibrator, Evidence

SURE = Evidence("text", 0.999, 0.0, 0.0, True, False, False, 1.0)


def _features(evidence: Evidence) -> dict[str, float]:
    return dict(zip(FEATURES, evidence.vector(), strict=True))


def test_text_layer_features_are_on_only_for_unocred_spans() -> None:
    clean, read = _features(SURE), _features(replace(SURE, ocr=0.99))
    assert clean["text_layer"] == 1.0 and read["text_layer"] == 0.0
    assert clean["text_layer_logit"] == clean["logit"] > 6
    assert clean["text_layer_probability"] == 0.999 and clean["text_layer_normalized"] == 1.0
    assert read["text_layer_logit"] == read["text_layer_probability"] == 0.0


def test_a_calibrator_can_trust_the_beam_on_a_text_layer_only() -> None:
    weights = tuple(1.0 if name == "text_layer_logit" else 0.0 for name in FEATURES)
    calibrator = Calibrator(weights, bias=-3.0)
    assert calibrator.confidence(SURE) > 0.97
    assert calibrator.confidence(replace(SURE, ocr=0.99)) < 0.05
