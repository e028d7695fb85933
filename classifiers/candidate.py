"""A classifier candidate trained on the corpus plus reviewers' corrections.

The same recipe, seed and corpus as ``training.build``; every corrected document with
text joins the training split under the type the reviewer left it (a document type a
reviewer corrected, or confirmed by approving the item). The candidate and the current
classifier are measured on the same data: the synthetic held-out test split (accuracy,
clean and noised) and the held-back corrections (accuracy of the type). The candidate is
published beside the current one and named ``CANDIDATE``; nothing uses it to decide.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from classifiers._data import Split, make_data
from classifiers._evaluation import evaluate
from classifiers._export import check_agreement, onnx_probabilities, open_session, to_onnx
from classifiers._features import MAX_CHARS, prepare
from classifiers._inference import Classifier
from classifiers.training import (
    DEFAULT_N_TRAIN,
    KIND,
    RECIPE,
    SOURCES,
    fit,
    heldout_metrics,
    unique_version,
)
from clerk import canary
from clerk.corrections import CorrectedDocument, candidate_data_hash
from clerk.documents import DOC_TYPES
from clerk.registry import ModelCard, Registry, new_version, now_iso, source_hash


def to_split(docs: Sequence[CorrectedDocument]) -> Split:
    """The documents with text and a known type, as prepared classifier texts."""
    kept = [d for d in docs if d.text and d.doc_type in DOC_TYPES]
    return Split(tuple(prepare(d.text or "") for d in kept), tuple(d.doc_type for d in kept))


def accuracy(session: Any, classes: Sequence[str], split: Split) -> dict[str, Any]:
    if not len(split):
        return {"accuracy": None, "n": 0}
    probs = onnx_probabilities(session, split.texts)
    return {"accuracy": evaluate(probs, split.labels, classes)["accuracy"], "n": len(split)}


def build_candidate(
    registry: Registry,
    seed: int,
    train_docs: Sequence[CorrectedDocument],
    held_docs: Sequence[CorrectedDocument],
    corrections_sha256: str,
    progress: Callable[[str, float], None] | None = None,
    *,
    n_train: int = DEFAULT_N_TRAIN,
) -> ModelCard:
    """Train, compare with the current classifier, publish as the candidate."""
    report = progress or (lambda stage, fraction: None)
    current_folder, current_card = registry.current(KIND)  # MODEL_MISSING: nothing to compare
    current = Classifier.from_folder(current_folder, current_card)
    n_test = max(60, n_train // 4)
    report("generating corpus", 0.0)
    data = make_data(seed, n_train, n_test)
    extra, held = to_split(train_docs), to_split(held_docs)
    data = replace(
        data,
        train=Split(data.train.texts + extra.texts, data.train.labels + extra.labels),
    )
    report("training", 0.2)
    pipeline, temperature = fit(data)
    classes = [str(c) for c in pipeline.classes_]
    report("exporting to ONNX", 0.7)
    model = to_onnx(pipeline)
    agreement = check_agreement(model, pipeline, [*data.test_clean.texts, *held.texts])
    report("comparing with the current classifier", 0.85)
    session = open_session(model)
    metrics = heldout_metrics(session, data, classes, temperature)
    metrics["onnx_max_prob_diff"] = agreement.max_prob_diff
    theirs = {
        "clean": accuracy(current.session, current.labels, data.test_clean),
        "noised": accuracy(current.session, current.labels, data.test_noised),
        "corrections": accuracy(current.session, current.labels, held),
    }
    mine = accuracy(session, classes, held)
    metrics["comparison"] = {
        "current_version": current_card.version,
        "corrections_sha256": corrections_sha256,
        "heldout": {
            "metric": "accuracy",
            "current": theirs["clean"]["accuracy"],
            "candidate": metrics["accuracy"],
            "current_noised": theirs["noised"]["accuracy"],
            "candidate_noised": metrics["accuracy_noised"],
            "n": len(data.test_clean),
        },
        "corrections": {
            "metric": "document type accuracy",
            "current": theirs["corrections"]["accuracy"],
            "candidate": mine["accuracy"],
            "n": mine["n"],
            "documents": len(held_docs),
        },
        "training_examples": {"documents": len(train_docs), "texts": len(extra)},
    }
    digest = candidate_data_hash(data.data_hash, corrections_sha256)
    card = ModelCard(
        kind=KIND,
        version=unique_version(registry, new_version(KIND, digest)),
        data_hash=digest,
        recipe=RECIPE,
        seed=seed,
        created_at=now_iso(),
        metrics=metrics,
        params={
            "labels": list(DOC_TYPES),
            "temperature": temperature,
            "max_chars": MAX_CHARS,
            "n_train_documents": n_train,
            "n_test_documents": n_test,
            "status": "candidate",
            "corrections_sha256": corrections_sha256,
            "corpus_data_hash": data.data_hash,
        },
        source_hash=source_hash(*SOURCES),
    )
    with tempfile.TemporaryDirectory(prefix="clerk-classifier-") as tmp:
        folder = Path(tmp)
        (folder / "model.onnx").write_bytes(model)
        (folder / "labels.json").write_text(json.dumps(classes))
        card = registry.publish(card, folder, make_current=False)
    canary.mark_candidate(registry, card)
    report("candidate " + card.version, 1.0)
    return card
