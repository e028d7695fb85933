"""``build``: train, calibrate, evaluate and publish the field extractor, from a seed.

Recipe (``RECIPE`` changes whenever this code would train a different model):
1. ``corpus.generate(split="train")``; the last ``dev_share`` of it is the dev split
   (early stopping and confidence calibration). Every training document is used clean
   and every other one once more OCR-noised (``corpus.ocr_noise_sample``), so the
   model sees ``P0`` for ``PO`` and ``196.43`` for ``190.43`` as scans produce them.
   The dev split is used clean and noised. Long item tables in training documents are
   cut to three rows (``data.crop_tables``): the rows carry no labels and only cost
   training time. Documents of type ``other`` (no fields) are only a few.
2. One NER over type-agnostic labels (the flat ``clerk.schemas`` field names); the
   document type is applied after the model, by the schema filter in
   ``FieldExtractor``. A type token prefixed to the text would not help: the model's
   features see eight tokens either side (CNN window 2, depth 4), so a token at the top
   of the page is invisible to a total at the bottom; and a classifier mistake would
   then also poison extraction. Most labels mean the same on every type
   (``total_amount``), and the few that differ are told apart by their own context
   (``Invoice No.`` vs ``PO Number``), which the model does see.
3. Greedy training with dropout and compounding batches; the dev F1 is checked every
   epoch, the best weights are kept, and training stops after ``patience`` epochs
   without improvement (or at ``max_epochs``).
4. The rules are added (after ``initialize``, which would clear them), then the
   confidence calibrator is fitted on the dev split's fields (``confidence.fit``).
5. Held-out metrics on ``split="test"`` (unseen company names and label wordings),
   clean and OCR-noised, go into the model card.

Everything random is seeded from ``seed``: the corpus, the noise, the shuffling, and
spaCy/thinc (``fix_random_seed``), so the same seed gives the same weights on one machine.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clerk.documents import DOC_TYPES
from clerk.registry import ModelCard, Registry, new_version, now_iso, source_hash
from clerk.schemas import SCHEMAS, entity_labels
from corpus.sample import Sample
from extractors.ner.confidence import fit
from extractors.ner.data import AlignStats, crop_tables, data_hash, to_examples
from extractors.ner.model import DEFAULT_BEAM, EntityModel
from extractors.ner.pipeline import KIND, PIPELINE_DIR, add_rules, make_nlp
from extractors.training._evaluate import Report, evaluate

if TYPE_CHECKING:
    from spacy.language import Language

    from extractors.extraction import FieldExtractor

RECIPE = "ner-xx-5"
# Everything that shapes the model, its calibration or its card: a change to any of these
# files rebuilds it. Reading (PDF, OCR) is not here: training text comes from the corpus.
SOURCES = (
    "extractors/ner",
    "extractors/training",
    "extractors/normalize",
    "extractors/extraction.py",
    "extractors/_keyvalue.py",
    "extractors/_keyvalue_lexicon.py",
    "extractors/_tables.py",
    "corpus",
    "clerk/documents.py",
    "clerk/schemas.py",
    "clerk/policy.py",
)
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class TrainParams:
    # 75% of them English, German and French (``corpus.LANGUAGE_WEIGHTS``): about the 400
    # those three had before the corpus wrote Dutch, Spanish, Italian and Polish too.
    train_docs: int = 560
    other_docs: int = 20
    test_docs: int = 150
    dev_share: float = 0.2
    noise_rate: float = 0.03
    noised_share: float = 0.5
    max_epochs: int = 12
    patience: int = 3
    dropout: float = 0.2
    learn_rate: float = 0.002
    window: int = 2
    width: int = 96
    beam_width: int = DEFAULT_BEAM
    # Off by default: a wall-clock cap makes the model depend on the machine's load,
    # and a build must give the same model for the same seed. Set it only to experiment.
    max_seconds: float | None = None


def build(
    registry: Registry,
    seed: int,
    progress: Progress | None = None,
    *,
    force: bool = False,
    params: TrainParams | None = None,
) -> ModelCard:
    """Train and publish a new extractor unless the current one came from the same data
    and recipe; returns the card of the extractor in use afterwards."""
    params = params or TrainParams()
    report = progress or (lambda message, fraction: None)
    report("generating the corpus", 0.0)
    data = corpus_splits(seed, params)
    sources = source_hash(*SOURCES)
    if not force and registry.is_current(KIND, data.digest, RECIPE, sources):
        report("extractor is current", 1.0)
        return registry.current(KIND)[1]

    trained = train(data, seed, params, report)
    report("evaluating on held-out documents", 0.9)
    card = ModelCard(
        kind=KIND,
        version=new_version(KIND, data.digest),
        data_hash=data.digest,
        recipe=RECIPE,
        seed=seed,
        created_at=now_iso(),
        metrics={**heldout_metrics(trained.extractor, data, seed), **trained.metrics},
        params={**asdict(params), "language": "xx", "labels": trained.labels},
        source_hash=sources,
    )
    card = save(registry, card, trained)
    report("published " + card.version, 1.0)
    return card


@dataclass(frozen=True)
class CorpusSplits:
    train: list[Sample]
    train_noisy: list[Sample]
    dev: list[Sample]
    dev_noisy: list[Sample]
    test: list[Sample]
    test_noisy: list[Sample]
    digest: str  # data_hash of all of them with the params


def corpus_splits(seed: int, params: TrainParams) -> CorpusSplits:
    import corpus

    # Documents of type "other" have no fields: a few teach the model that such text
    # exists; more would only cost training time.
    typed = [t for t in DOC_TYPES if SCHEMAS[t].fields]
    generated = corpus.generate(params.train_docs, seed, doc_types=typed, split="train")
    others = corpus.generate(params.other_docs, seed, doc_types=["other"], split="train")
    generated = [*others, *generated]
    test = corpus.generate(params.test_docs, seed, split="test")
    dev_size = max(1, int(len(generated) * params.dev_share))
    train, dev = generated[:-dev_size], generated[-dev_size:]
    rng = random.Random(seed)  # noqa: S311 - reproducible shuffling, not security
    # Noised copies of a share of the training documents: the model meets scan-like text
    # without paying for a second pass over every clean document.
    step = max(1, round(1 / params.noised_share)) if params.noised_share > 0 else 0
    noised = train[::step] if step else []
    train_noisy = [corpus.ocr_noise_sample(s, rng, params.noise_rate) for s in noised]
    dev_noisy = [corpus.ocr_noise_sample(s, rng, params.noise_rate) for s in dev]
    test_noisy = [corpus.ocr_noise_sample(s, rng, params.noise_rate) for s in test]
    digest = data_hash([train, train_noisy, dev, dev_noisy, test, test_noisy], asdict(params))
    return CorpusSplits(train, train_noisy, dev, dev_noisy, test, test_noisy, digest)


@dataclass
class Trained:
    nlp: Language
    extractor: FieldExtractor
    metrics: dict[str, Any]  # training figures (history, alignment, calibration)
    labels: list[str]


def train(
    data: CorpusSplits,
    seed: int,
    params: TrainParams,
    report: Progress,
    extra: Sequence[Sample] = (),
) -> Trained:
    """Train on the corpus (plus ``extra``: partially labelled samples, see
    ``extractors.training._corrections``), add the rules, calibrate on the dev split."""
    from extractors.extraction import FieldExtractor

    started = time.perf_counter()
    cropped = [crop_tables(s) for s in [*data.train, *data.train_noisy]]
    nlp, stats, history, stopped = train_pipeline(
        cropped, [*data.dev, *data.dev_noisy], seed, params, report, extra
    )
    add_rules(nlp)
    report("calibrating confidence", 0.8)
    extractor = FieldExtractor(EntityModel(nlp, params.beam_width), None, "unpublished")
    dev_clean = evaluate(extractor, data.dev, tables=False)
    dev_scan = evaluate(extractor, data.dev_noisy, tables=False, originals=data.dev, seed=seed)
    evidence = [*dev_clean.evidence, *dev_scan.evidence]
    calibrator = fit([e for e, _ in evidence], [ok for _, ok in evidence], seed)
    extractor.calibrator = calibrator
    metrics = {
        "dev_f1_by_epoch": history,
        "alignment": asdict(stats),
        "train_seconds": round(time.perf_counter() - started, 1),
        "stopped_by": stopped,
        "calibration": {
            "method": "logistic regression over field evidence, fitted on the dev split",
            "dev_fields": len(evidence),
            "fitted": calibrator is not None,
        },
    }
    labels = sorted(nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
    return Trained(nlp, extractor, metrics, labels)


def heldout_metrics(extractor: FieldExtractor, data: CorpusSplits, seed: int) -> dict[str, Any]:
    """Held-out figures on the synthetic test split, clean and OCR-noised."""
    clean = evaluate(extractor, data.test)
    noisy = evaluate(extractor, data.test_noisy, originals=data.test, seed=seed)
    return {"test_clean": _metrics(clean), "test_noised": _metrics(noisy)}


def save(
    registry: Registry, card: ModelCard, trained: Trained, *, current: bool = True
) -> ModelCard:
    """Publish the trained pipeline and its calibrator under ``card``."""
    build_dir = Path(tempfile.mkdtemp(prefix="clerk-extractor-"))
    try:
        trained.nlp.to_disk(build_dir / PIPELINE_DIR)
        if trained.extractor.calibrator is not None:
            trained.extractor.calibrator.save(build_dir)
        return registry.publish(card, build_dir, make_current=current)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)


def train_pipeline(
    train: list[Sample],
    dev: list[Sample],
    seed: int,
    params: TrainParams,
    report: Progress,
    extra: Sequence[Sample] = (),
) -> tuple[Language, AlignStats, list[float], str]:
    """A trained pipeline (no rules yet), alignment counts, dev F1 per epoch, stop reason.
    ``extra``: partially labelled samples (reviewers' corrections) trained on as well."""
    from spacy.util import minibatch
    from thinc.api import compounding, fix_random_seed

    fix_random_seed(seed)
    nlp = make_nlp(params.window, params.width)
    ner = nlp.get_pipe("ner")
    for label in entity_labels():
        ner.add_label(label)  # type: ignore[attr-defined]
    train_examples, stats = to_examples(nlp, train)
    if extra:
        from extractors.training._corrections import partial_examples

        train_examples += partial_examples(nlp, extra)
    dev_examples, _ = to_examples(nlp, dev)
    optimizer = nlp.initialize(lambda: train_examples)
    optimizer.learn_rate = params.learn_rate
    rng = random.Random(seed)  # noqa: S311 - reproducible shuffling, not security
    history: list[float] = []
    best: tuple[float, bytes] | None = None
    stopped = "max_epochs"
    started = time.perf_counter()
    for epoch in range(params.max_epochs):
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        batches = minibatch(train_examples, size=compounding(1.0, 8.0, 1.01))  # type: ignore[no-untyped-call]
        for batch in batches:
            nlp.update(list(batch), drop=params.dropout, sgd=optimizer, losses=losses)
        f1 = float(nlp.evaluate(dev_examples)["ents_f"] or 0.0)
        history.append(round(f1, 4))
        report(f"epoch {epoch + 1}: dev F1 {f1:.3f}", 0.1 + 0.7 * (epoch + 1) / params.max_epochs)
        if best is None or f1 > best[0]:
            best = (f1, nlp.to_bytes())
        elif len(history) - 1 - history.index(max(history)) >= params.patience:
            stopped = "patience"
            break
        if params.max_seconds is not None and time.perf_counter() - started > params.max_seconds:
            stopped = "time"
            break
    assert best is not None
    nlp.from_bytes(best[1])
    return nlp, stats, history, stopped


def _metrics(report: Report) -> dict[str, Any]:
    doc_types = sorted({kind for kind, _ in report.exact})
    return {
        "documents": report.documents,
        "ms_per_document": report.ms_per_document(),
        "spans": report.span_metrics(),
        "exact_match": report.exact_by_field(),
        "exact_match_overall": report.exact_overall(),
        "exact_match_by_type": {t: report.exact_overall(t) for t in doc_types},
        "confidence": report.confidence_metrics(),
        "auto": report.auto_metrics(),
        "threshold_for_0.995": report.threshold_for(0.995),
        "mean_confidence": report.mean_confidence(),
    }
