"""An extractor candidate trained on the corpus plus reviewers' corrections.

The same recipe, seed and corpus as ``training.build`` (so the only difference from a
plain build is the corrections), with the corrected values as partially labelled samples
(``extractors.training._corrections``). The candidate and the current extractor are measured
on the same data: the synthetic held-out split (exact match over all fields) and the
held-back corrections (share of corrected values read exactly). The candidate is
published beside the current one and named ``CANDIDATE``; nothing uses it to decide.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from clerk import canary
from clerk.corrections import CorrectedDocument, candidate_data_hash
from clerk.registry import ModelCard, Registry, new_version, now_iso, source_hash
from extractors.ner.data import document_from_text
from extractors.ner.pipeline import KIND
from extractors.training._corrections import to_samples
from extractors.training.train import (
    RECIPE,
    SOURCES,
    TrainParams,
    corpus_splits,
    heldout_metrics,
    save,
    train,
)

if TYPE_CHECKING:
    from extractors.extraction import FieldExtractor

HELDOUT_METRIC = "test_clean.exact_match_overall"


def agreement(extractor: FieldExtractor, docs: Sequence[CorrectedDocument]) -> dict[str, Any]:
    """How many of the reviewers' values the extractor reads exactly, on documents with
    text (each under the type the reviewer left it)."""
    fields = agreed = 0
    for doc in docs:
        if not doc.text or not doc.values:
            continue
        read = {
            f.name: f.value for f in extractor.extract(document_from_text(doc.text), doc.doc_type)
        }
        for name, value in doc.values.items():
            fields += 1
            agreed += read.get(name) == value
    return {
        "metric": "corrected values read exactly",
        "n": fields,
        "agreed": agreed,
        "rate": round(agreed / fields, 4) if fields else None,
    }


def build_candidate(
    registry: Registry,
    seed: int,
    train_docs: Sequence[CorrectedDocument],
    held_docs: Sequence[CorrectedDocument],
    corrections_sha256: str,
    progress: Callable[[str, float], None] | None = None,
    *,
    params: TrainParams | None = None,
) -> ModelCard:
    """Train, compare with the current extractor, publish as the candidate."""
    from extractors.extraction import FieldExtractor

    params = params or TrainParams()
    report = progress or (lambda message, fraction: None)
    current_folder, current_card = registry.current(KIND)  # MODEL_MISSING: nothing to compare
    report("generating the corpus", 0.0)
    data = corpus_splits(seed, params)
    samples, stats = to_samples(train_docs)
    trained = train(data, seed, params, report, extra=samples)

    report("comparing with the current extractor", 0.85)
    current = FieldExtractor.from_folder(current_folder, current_card.version)
    ours = heldout_metrics(trained.extractor, data, seed)
    theirs = heldout_metrics(current, data, seed)
    mine, old = agreement(trained.extractor, held_docs), agreement(current, held_docs)
    comparison = {
        "current_version": current_card.version,
        "corrections_sha256": corrections_sha256,
        "heldout": {
            "metric": HELDOUT_METRIC,
            "current": theirs["test_clean"]["exact_match_overall"],
            "candidate": ours["test_clean"]["exact_match_overall"],
            "current_noised": theirs["test_noised"]["exact_match_overall"],
            "candidate_noised": ours["test_noised"]["exact_match_overall"],
            "n": ours["test_clean"]["documents"],
        },
        "corrections": {
            "metric": mine["metric"],
            "current": old["rate"],
            "candidate": mine["rate"],
            "n": mine["n"],
            "documents": len(held_docs),
        },
        "training_examples": {**asdict(stats), "samples": len(samples)},
    }
    digest = candidate_data_hash(data.digest, corrections_sha256)
    card = ModelCard(
        kind=KIND,
        version=new_version(KIND, digest),
        data_hash=digest,
        recipe=RECIPE,
        seed=seed,
        created_at=now_iso(),
        metrics={**ours, **trained.metrics, "comparison": comparison},
        params={
            **asdict(params),
            "language": "xx",
            "labels": trained.labels,
            "status": "candidate",
            "corrections_sha256": corrections_sha256,
            "corpus_data_hash": data.digest,
        },
        source_hash=source_hash(*SOURCES),
    )
    card = save(registry, card, trained, current=False)
    canary.mark_candidate(registry, card)
    report("candidate " + card.version, 1.0)
    return card
