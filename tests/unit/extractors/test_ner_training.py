from __future__ import annotations

import pytest

import corpus
from clerk.registry import ModelCard, Registry
from extractors.ner.pipeline import KIND, PIPELINE_DIR, RULER, register_components
from extractors.training.train import RECIPE, TrainParams, build, train_pipeline
from tests.unit.extractors.ner_support import SEED, SMALL, trained_registry

Trained = tuple[Registry, ModelCard]


@pytest.fixture(scope="session")
def trained() -> Trained:
    return trained_registry()


TINY = TrainParams(max_epochs=1, patience=5)


def _weights(seed: int) -> bytes:
    samples = corpus.generate(8, 3, doc_types=["invoice", "receipt"], split="train")
    nlp, *_ = train_pipeline(samples[:6], samples[6:], seed, TINY, lambda m, f: None)
    return nlp.get_pipe("ner").to_bytes(exclude=["vocab"])


def test_training_is_reproducible_from_the_seed() -> None:
    assert _weights(5) == _weights(5)
    assert _weights(5) != _weights(6)


def test_build_publishes_a_model_card_with_held_out_metrics(trained: Trained) -> None:
    registry, card = trained
    assert (card.kind, card.recipe, card.seed) == (KIND, RECIPE, SEED)
    folder, current = registry.current(KIND)
    assert current.version == card.version
    assert (folder / PIPELINE_DIR / "meta.json").exists()
    for split in ("test_clean", "test_noised"):
        metrics = card.metrics[split]
        spans = metrics["spans"]
        assert {"precision", "recall", "f1"} <= set(spans["total_amount"])
        assert "_micro" in spans
        assert 0.0 <= metrics["exact_match"]["total_amount"] <= 1.0
        assert "line_items.*.amount" in metrics["exact_match"]
        assert metrics["documents"] == SMALL.test_docs
    assert card.metrics["alignment"]["skipped"] == 0
    assert card.metrics["calibration"]["fitted"]


def test_the_pipeline_on_disk_has_its_rules(trained: Trained) -> None:
    import spacy

    registry, _ = trained
    folder, _ = registry.current(KIND)
    register_components()
    nlp = spacy.load(folder / PIPELINE_DIR)
    assert RULER in nlp.pipe_names
    doc = nlp("IBAN DE89 3704 0044 0532 0130 00")
    assert any(span.label_ == "iban" for span in doc.spans["rules"])


def test_build_skips_when_the_current_model_has_the_same_data_and_recipe(
    trained: Trained,
) -> None:
    registry, card = trained
    again = build(registry, SEED, params=SMALL)
    assert again.version == card.version
    assert len(registry.versions(KIND)) == 1


def test_held_out_accuracy_floor(trained: Trained) -> None:
    """The small test model on documents it never saw (unseen company names and label
    wordings): a floor well under what it measures, so a broken pipeline fails and a
    healthy one does not flake."""
    _, card = trained
    clean = card.metrics["test_clean"]
    noised = card.metrics["test_noised"]
    assert clean["exact_match_overall"] >= 0.6
    assert clean["spans"]["_micro"]["f1"] >= 0.2
    assert noised["exact_match_overall"] < clean["exact_match_overall"]
    # tables are read by rules and arithmetic: nearly perfect on clean text
    assert clean["exact_match"]["line_items.*.amount"] >= 0.95
