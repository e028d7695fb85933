import subprocess
import sys
from pathlib import Path

import pytest

import corpus
from classifiers._inference import Classification, Classifier
from clerk.documents import DOC_TYPES
from clerk.errors import ApplicationError
from clerk.registry import Registry
from tests.unit.classifiers.conftest import Built

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def classifier(built: Built) -> Classifier:
    return Classifier.load(built.registry)


def test_classify_gives_label_confidence_and_ordered_top3(
    classifier: Classifier, built: Built
) -> None:
    result = classifier.classify(
        "ACME GmbH\nRechnung Nr. 2024-117\nRechnungsdatum 03.04.2024\n"
        "Pos Beschreibung Menge Betrag\n1 Papier A4 10 45,00\nNetto 45,00\nMwSt 19% 8,55\n"
        "Gesamtbetrag 53,55 EUR\nZahlbar innerhalb 14 Tagen"
    )
    assert isinstance(result, Classification)
    assert result.model_version == built.card.version
    labels = [label for label, _ in result.top3]
    probs = [p for _, p in result.top3]
    assert len(set(labels)) == 3 and set(labels) <= set(DOC_TYPES)
    assert probs == sorted(probs, reverse=True)
    assert 0.0 < sum(probs) <= 1.0 + 1e-6
    assert (result.label, result.confidence) == result.top3[0]
    assert 0.0 < result.confidence <= 1.0


def test_classifies_held_out_corpus_documents(classifier: Classifier, built: Built) -> None:
    samples = corpus.generate(60, built.seed + 100, split="test")
    results = classifier.classify_many([s.text for s in samples])
    correct = sum(r.label == s.doc_type for r, s in zip(results, samples, strict=True))
    assert correct / len(samples) > 0.8


def test_classify_many_matches_one_by_one(classifier: Classifier) -> None:
    texts = [s.text for s in corpus.generate(12, 3, split="test")]
    many = classifier.classify_many(texts)
    assert len(many) == len(texts)
    for i in range(len(texts)):
        one = classifier.classify(texts[i])
        assert one.label == many[i].label
        assert one.confidence == pytest.approx(many[i].confidence, abs=1e-6)
    assert classifier.classify_many([]) == []


def test_empty_text_is_other_with_the_model_probability(classifier: Classifier) -> None:
    for text in ("", "   \n\f\t "):
        result = classifier.classify(text)
        assert result.label == "other"
        p_other = dict(result.top3).get("other")
        assert p_other is not None and result.confidence == p_other
        assert 0.0 < result.confidence < 1.0  # the model's number, not a constant


def test_long_text_is_cut_to_max_chars(classifier: Classifier) -> None:
    head = corpus.generate(1, 9, doc_types=["invoice"], split="test")[0].text
    long = head + "\n" + ("lorem ipsum dolor sit amet " * 200_000)
    cut = classifier.classify(long)
    assert cut.label == classifier.classify(long[: classifier.max_chars * 2]).label
    assert classifier.max_chars == classifier.card.params["max_chars"]


def test_missing_and_corrupt_models_are_model_missing(tmp_path: Path, built: Built) -> None:
    with pytest.raises(ApplicationError) as info:
        Classifier.load(Registry(tmp_path / "empty"))
    assert info.value.code == "MODEL_MISSING"

    import shutil

    shutil.copytree(built.registry.root, tmp_path / "models")
    registry = Registry(tmp_path / "models")
    folder, _ = registry.current("classifier")
    (folder / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ApplicationError) as info:
        Classifier.load(registry)
    assert info.value.code == "MODEL_MISSING"
    assert "clerk models build --only classifier --force" in info.value.message


def test_inference_never_imports_sklearn(built: Built) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from classifiers import Classifier\n"
        "from clerk.registry import Registry\n"
        f"c = Classifier.load(Registry(Path({str(built.registry.root)!r})))\n"
        "r = c.classify('Invoice no. 12 total due 100.00 EUR')\n"
        "c.classify_many(['', 'Purchase order'])\n"
        "assert 'onnxruntime' in sys.modules\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sklearn', 'skl2onnx', 'scipy', 'corpus'})\n"
        "print(r.label, bad)\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] in DOC_TYPES
