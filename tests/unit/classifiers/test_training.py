import json

import pytest

from classifiers._data import make_data
from classifiers._inference import Classifier
from classifiers.training import KIND, RECIPE, build
from clerk.documents import DOC_TYPES
from clerk.registry import Registry
from tests.unit.classifiers.conftest import Built


def test_build_publishes_model_labels_and_card(built: Built) -> None:
    folder, card = built.registry.current(KIND)
    assert card == built.card
    assert {p.name for p in folder.iterdir()} == {"model.onnx", "labels.json", "card.json"}
    assert sorted(json.loads((folder / "labels.json").read_text())) == sorted(DOC_TYPES)
    assert card.kind == KIND and card.recipe == RECIPE and card.seed == built.seed
    assert card.version.startswith("classifier-") and card.data_hash[:8] in card.version
    assert card.params["max_chars"] > 0 and card.params["temperature"] > 0


def test_card_has_held_out_metrics_per_class_and_calibration(built: Built) -> None:
    m = built.card.metrics
    n_test = m["heldout_clean"]["n"]
    assert m["n_test"] == 2 * n_test
    assert m["onnx_checked_texts"] == m["n_test"] + m["n_calibration"]  # every held-out text
    assert m["n_train"] > built.n_train  # noised copies and blank pages were added
    for name in ("heldout_clean", "heldout_noised"):
        per_class = m[name]["per_class"]
        assert set(per_class) == set(DOC_TYPES)
        assert all(set(v) == {"precision", "recall", "f1", "support"} for v in per_class.values())
        assert sum(v["support"] for v in per_class.values()) == n_test
    # a small model is still far better than chance (1/6) on documents it never saw
    assert m["accuracy"] > 0.8 and m["macro_f1"] > 0.8 and m["accuracy_noised"] > 0.7
    assert 0.0 <= m["ece"] < 0.15
    assert m["onnx_max_prob_diff"] < 1e-4
    hist = m["confidence_histogram"]
    assert len(hist["counts"]) == 10 and len(hist["edges"]) == 11
    assert sum(hist["counts"]) == 2 * n_test


def test_skips_when_current_and_rebuilds_when_forced(registry_copy: Registry, built: Built) -> None:
    stages: list[str] = []
    again = build(registry_copy, built.seed, lambda s, f: stages.append(s), n_train=built.n_train)
    assert again == built.card
    assert "up to date" in stages and "training" not in stages
    assert len(registry_copy.versions(KIND)) == 1

    forced = build(registry_copy, built.seed, n_train=built.n_train, force=True)
    assert forced.version != built.card.version
    assert forced.data_hash == built.card.data_hash  # same seed, same data
    assert registry_copy.current_version(KIND) == forced.version
    assert len(registry_copy.versions(KIND)) == 2
    # ...and the same model: the two versions label held-out documents identically
    texts = list(make_data(built.seed + 1, 60, 60).test_noised.texts)
    old = Classifier.from_folder(registry_copy.root / KIND / built.card.version)
    new = Classifier.load(registry_copy)
    old_out, new_out = old.classify_many(texts), new.classify_many(texts)
    assert [c.label for c in old_out] == [c.label for c in new_out]
    assert [c.confidence for c in old_out] == pytest.approx([c.confidence for c in new_out])


def test_data_hash_depends_on_the_seed_only() -> None:
    a, b = make_data(3, 60, 60), make_data(3, 60, 60)
    assert a.data_hash == b.data_hash and a.test_hash == b.test_hash
    assert a.train == b.train
    assert make_data(4, 60, 60).data_hash != a.data_hash


def test_data_splits_are_disjoint_and_cover_every_type() -> None:
    data = make_data(5, 120, 60)
    held_out = set(data.test_clean.texts)
    assert not held_out & set(data.train.texts)
    assert not held_out & set(data.calibration.texts)
    for split in (data.train, data.calibration, data.test_clean):
        assert set(split.labels) == set(DOC_TYPES)
    assert "" in data.train.texts  # an empty page is taught as "other"
