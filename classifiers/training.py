"""Train the document-type classifier, export it to ONNX, prove the export, publish it.

``build`` is what ``clerk models build`` runs: corpus -> TF-IDF (word 1-2 grams + char
2-4 grams) -> logistic regression -> temperature scaling -> ONNX, checked against
scikit-learn on every held-out text, measured on held-out clean and noised sets, and
published to the registry with a model card. The same seed gives the same data hash and
the same model; when the registry's current classifier was built from the same data with
the same recipe, nothing is trained.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from classifiers import _calibration as calibration
from classifiers._data import (
    CALIBRATION_EVERY,
    CALIBRATION_NOISE_RATES,
    NOISE_RATES,
    NOISE_SHARE,
    TEST_NOISE_RATE,
    TRANSLATED_SHARE,
    ClassifierData,
    make_data,
)
from classifiers._evaluation import evaluate
from classifiers._export import check_agreement, onnx_probabilities, open_session, to_onnx
from classifiers._features import MAX_CHARS, SKLEARN_TOKEN_PATTERN
from classifiers._translate import LANGUAGES as TRANSLATED_LANGUAGES
from clerk.bins import bin_edges
from clerk.documents import DOC_TYPES
from clerk.registry import ModelCard, Registry, new_version, now_iso, source_hash

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

KIND = "classifier"
# Bump when anything below changes what a given data set trains into.
RECIPE = "tfidf-w12-c24-logreg-temperature/1"
# Everything that shapes the model: a change to any of these files rebuilds it.
SOURCES = ("classifiers", "corpus", "clerk/documents.py", "clerk/schemas.py")
DEFAULT_N_TRAIN = 2400
C = 10.0
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 4)
# min_df, never max_features: a document-frequency cut keeps every part of a kept n-gram
# (its words, its shorter char n-grams), while a top-k cut can keep "69002 lon" and drop
# "lon" at a tie, and onnxruntime then never finds the bigram (probabilities off by 2e-3).
MIN_DF = 2

Progress = Callable[[str, float], None]


def make_pipeline() -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    # lowercase=False: _features.prepare lower-cases in Python (see _features.py for why).
    words = TfidfVectorizer(
        lowercase=False,
        token_pattern=SKLEARN_TOKEN_PATTERN,
        ngram_range=WORD_NGRAMS,
        min_df=MIN_DF,
        dtype=np.float32,
    )
    chars = TfidfVectorizer(
        lowercase=False,
        analyzer="char",
        ngram_range=CHAR_NGRAMS,
        min_df=MIN_DF,
        dtype=np.float32,
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("model", LogisticRegression(C=C, max_iter=2000)),
        ]
    )


def fit(data: ClassifierData) -> tuple[Pipeline, float]:
    """Fit on the train split, then fold the calibration split's temperature into the model."""
    pipeline = make_pipeline()
    pipeline.fit(list(data.train.texts), list(data.train.labels))
    classes = [str(c) for c in pipeline.classes_]
    missing = sorted(set(DOC_TYPES) - set(classes))
    if missing:
        raise ValueError(
            f"the training data has no example of {missing}; the corpus must cover every "
            "type in clerk.documents.DOC_TYPES (raise n_train)"
        )
    model = pipeline.named_steps["model"]
    index = {c: i for i, c in enumerate(classes)}
    probs = pipeline.predict_proba(list(data.calibration.texts))
    truth = np.array([index[label] for label in data.calibration.labels])
    temperature = calibration.fit_temperature(probs, truth)
    # softmax((Wx + b) / T) == softmax((W/T) x + b/T): the exported model is calibrated.
    model.coef_ = model.coef_ / temperature
    model.intercept_ = model.intercept_ / temperature
    return pipeline, temperature


def build(
    registry: Registry,
    seed: int,
    progress: Progress | None = None,
    *,
    n_train: int = DEFAULT_N_TRAIN,
    force: bool = False,
) -> ModelCard:
    """Build, check and publish a classifier; skip when the current one is this build."""
    report = progress or (lambda stage, fraction: None)
    n_test = max(60, n_train // 4)
    report("generating corpus", 0.0)
    data = make_data(seed, n_train, n_test)
    sources = source_hash(*SOURCES)
    if not force and registry.is_current(KIND, data.data_hash, RECIPE, sources):
        report("up to date", 1.0)
        return registry.current(KIND)[1]

    report("training", 0.2)
    pipeline, temperature = fit(data)
    classes = [str(c) for c in pipeline.classes_]

    report("exporting to ONNX", 0.7)
    model = to_onnx(pipeline)
    report("checking ONNX against scikit-learn", 0.75)
    held_out = [*data.test_clean.texts, *data.test_noised.texts, *data.calibration.texts]
    agreement = check_agreement(model, pipeline, held_out)

    report("evaluating on held-out data", 0.9)
    session = open_session(model)
    metrics = heldout_metrics(session, data, classes, temperature)
    metrics["onnx_max_prob_diff"] = agreement.max_prob_diff
    metrics["onnx_checked_texts"] = agreement.n_texts

    card = ModelCard(
        kind=KIND,
        version=unique_version(registry, new_version(KIND, data.data_hash)),
        data_hash=data.data_hash,
        recipe=RECIPE,
        seed=seed,
        created_at=now_iso(),
        metrics=metrics,
        params=_params(data, temperature, n_train, n_test),
        source_hash=sources,
    )
    report("publishing", 0.97)
    with tempfile.TemporaryDirectory(prefix="clerk-classifier-") as tmp:
        folder = Path(tmp)
        (folder / "model.onnx").write_bytes(model)
        (folder / "labels.json").write_text(json.dumps(classes))
        card = registry.publish(card, folder)
    report("done", 1.0)
    return card


def heldout_metrics(
    session: Any, data: ClassifierData, classes: list[str], temperature: float
) -> dict[str, Any]:
    clean_probs = onnx_probabilities(session, data.test_clean.texts)
    noised_probs = onnx_probabilities(session, data.test_noised.texts)
    clean = evaluate(clean_probs, data.test_clean.labels, classes)
    noised = evaluate(noised_probs, data.test_noised.labels, classes)
    both = evaluate(
        np.vstack([clean_probs, noised_probs]),
        data.test_clean.labels + data.test_noised.labels,
        classes,
    )
    # Undoing the temperature shows what calibration bought (softmax(T * log p_T) = raw).
    raw = evaluate(
        np.vstack([calibration.scale(p, 1 / temperature) for p in (clean_probs, noised_probs)]),
        data.test_clean.labels + data.test_noised.labels,
        classes,
    )
    return {
        "accuracy": clean["accuracy"],
        "macro_f1": clean["macro_f1"],
        "accuracy_noised": noised["accuracy"],
        "macro_f1_noised": noised["macro_f1"],
        "ece": both["ece"],
        "ece_uncalibrated": raw["ece"],
        "temperature": round(temperature, 4),
        "n_train": len(data.train),
        "n_calibration": len(data.calibration),
        "n_test": len(data.test_clean) + len(data.test_noised),
        "heldout_clean": clean,
        "heldout_noised": noised,
        "confidence_histogram": {
            "edges": bin_edges(),
            "counts": both["confidence_histogram"],
        },
    }


def _params(data: ClassifierData, temperature: float, n_train: int, n_test: int) -> dict[str, Any]:
    return {
        "labels": list(DOC_TYPES),
        "temperature": temperature,
        "max_chars": MAX_CHARS,
        "C": C,
        "word_ngrams": list(WORD_NGRAMS),
        "char_ngrams": list(CHAR_NGRAMS),
        "min_df": MIN_DF,
        "n_train_documents": n_train,
        "n_test_documents": n_test,
        "calibration_every": CALIBRATION_EVERY,
        "noise_share": NOISE_SHARE,
        "translated_share": TRANSLATED_SHARE,
        "translated_languages": list(TRANSLATED_LANGUAGES),
        "noise_rates": list(NOISE_RATES),
        "calibration_noise_rates": list(CALIBRATION_NOISE_RATES),
        "test_noise_rate": TEST_NOISE_RATE,
        "test_hash": data.test_hash,
    }


def unique_version(registry: Registry, version: str) -> str:
    """Two builds within one second (``--force`` twice) would share a version name."""
    candidate, n = version, 1
    while (registry.root / KIND / candidate).exists():
        n += 1
        candidate = f"{version}-{n}"
    return candidate
