"""Field extraction on the held-out synthetic set: exact match after normalization per
field and per document type, clean and scan-like (OCR-noised text with simulated word
confidences), milliseconds per document, and how right the confident fields are.

Baseline, measured in the same run on the same documents: the same model decoded
greedily (spaCy's default ``doc.ents``, first entity per field, no beam probabilities,
no candidate pooling). The ratio says what the beam and the candidate scoring buy and
what they cost.

Usage: ``.venv/bin/python bench/bench_extraction.py [--docs 300] [--seed 7] [--build]``.
It uses the extractor in the registry (``CLERK_MODELS_DIR``); ``--build`` trains one
into a temporary registry first (about three minutes on two cores).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import corpus
from clerk.documents import document_text
from clerk.registry import Registry
from clerk.schemas import SCHEMAS
from corpus.sample import Sample
from extractors.extraction import FieldExtractor
from extractors.ner.data import document_from_text
from extractors.ner.hints import infer_hints
from extractors.normalize import normalize
from extractors.training._evaluate import AUTO_BAR, Report, evaluate

NOISE = 0.03


def greedy_baseline(extractor: FieldExtractor, samples: list[Sample]) -> tuple[float, float]:
    """(exact-match rate over flat fields, ms per document) with greedy decoding."""
    from extractors.ner.pipeline import set_beam

    nlp = extractor.model.nlp
    set_beam(nlp, 1)
    right = total = 0
    started = time.perf_counter()
    try:
        for sample in samples:
            text = document_text(document_from_text(sample.text)).text
            hints = infer_hints(text)
            first: dict[str, str] = {}
            for ent in nlp(text).ents:
                first.setdefault(ent.label_, ent.text)
            for spec in SCHEMAS[sample.doc_type].fields:
                truth = sample.truth.get(spec.name)
                if truth is None:
                    continue
                total += 1
                raw = first.get(spec.name)
                value = normalize(spec.kind, raw, hints) if raw is not None else None
                right += value is not None and value.value == truth
    finally:
        set_beam(nlp, extractor.model.beam_width)
    seconds = time.perf_counter() - started
    return right / max(total, 1), 1000 * seconds / max(len(samples), 1)


def flat_exact(report: Report) -> float:
    right = total = 0
    for (_, name), (r, t) in report.exact.items():
        if "." not in name:
            right, total = right + r, total + t
    return right / max(total, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--build", action="store_true", help="train into a temporary registry")
    args = parser.parse_args()

    registry = Registry()
    if args.build:
        from extractors.training.train import build

        registry = Registry(Path(tempfile.mkdtemp(prefix="clerk-bench-")))
        started = time.perf_counter()
        build(registry, args.seed, lambda m, f: print(f"  [{f:4.0%}] {m}", flush=True))
        print(f"trained in {time.perf_counter() - started:.0f} s")
    extractor = FieldExtractor.load(registry)
    print(f"extractor {extractor.model_version}")

    test = corpus.generate(args.docs, args.seed + 1000, split="test")
    rng = random.Random(args.seed)
    noisy = [corpus.ocr_noise_sample(s, rng, NOISE) for s in test]
    clean_report = evaluate(extractor, test)
    scan_report = evaluate(extractor, noisy, originals=test, seed=args.seed)

    print(f"\n{len(test)} held-out documents (split=test), scan-like = OCR noise rate {NOISE}")
    print(f"{'doc type':20s} {'clean':>8s} {'scan':>8s}")
    for doc_type in sorted({s.doc_type for s in test}):
        if not SCHEMAS[doc_type].fields:
            continue
        clean, scan = clean_report.exact_overall(doc_type), scan_report.exact_overall(doc_type)
        print(f"{doc_type:20s} {clean:8.3f} {scan:8.3f}")
    print(f"{'all':20s} {clean_report.exact_overall():8.3f} {scan_report.exact_overall():8.3f}")

    print(f"\n{'field (exact match)':28s} {'clean':>8s} {'scan':>8s}")
    clean_fields, scan_fields = clean_report.exact_by_field(), scan_report.exact_by_field()
    for name in clean_fields:
        print(f"{name:28s} {clean_fields[name]:8.3f} {scan_fields.get(name, 0.0):8.3f}")

    columns = ("clean cov", "clean acc", "scan cov", "scan acc")
    print(f"\n{'confidence >=':14s} " + " ".join(f"{c:>10s}" for c in columns))
    clean_conf, scan_conf = clean_report.confidence_metrics(), scan_report.confidence_metrics()
    for threshold in clean_conf:
        c, s = clean_conf[threshold], scan_conf[threshold]
        print(
            f"{threshold:14s} {c['coverage']:10.3f} {c['precision']:10.4f} "
            f"{s['coverage']:10.3f} {s['precision']:10.4f}"
        )

    print("\nfield gate of clerk.policy alone (every field >= threshold): documents, fields right")
    clean_auto, scan_auto = clean_report.auto_metrics(), scan_report.auto_metrics()
    for threshold in ("0.90", f"{AUTO_BAR:.2f}", "0.95"):
        c, s = clean_auto[threshold], scan_auto[threshold]
        print(
            f"{threshold:14s} clean {c['documents']:6.3f} {c['field_precision']:7.4f}   "
            f"scan {s['documents']:6.3f} {s['field_precision']:7.4f}"
        )
    print(
        f"lowest threshold with flat-field precision >= 0.995 (clean): "
        f"{clean_report.threshold_for(0.995)}"
    )

    base_exact, base_ms = greedy_baseline(extractor, test)
    ours_exact, ours_ms = flat_exact(clean_report), clean_report.ms_per_document()
    print("\nflat fields, clean          exact    ms/doc")
    print(f"greedy decoding (baseline) {base_exact:7.3f} {base_ms:9.1f}")
    print(f"beam + candidate scoring   {ours_exact:7.3f} {ours_ms:9.1f}")
    print(
        f"ratio                      {ours_exact / max(base_exact, 1e-9):7.2f}x "
        f"{ours_ms / max(base_ms, 1e-9):8.2f}x"
    )
    print(f"scan-like ms/doc {scan_report.ms_per_document():.1f}")


if __name__ == "__main__":
    main()
