"""Document-type classifier: held-out accuracy, calibration, and ONNX vs scikit-learn speed.

    .venv/bin/python bench/bench_classifier.py [--n-train 2400] [--seed 7] [--repeat 3]

Trains the recipe of ``classifiers.training`` (same data, same model as ``clerk models
build --seed SEED``), exports it to ONNX, and measures on the corpus's held-out split
(vendors, label wordings and layouts the model never saw):

- accuracy and macro-F1 on clean text and on scan-like text (OCR noise at 2%, 5%, 10%
  of word characters misread), with the expected calibration error before and after
  temperature scaling;
- milliseconds per document against the scikit-learn pipeline the ONNX model was exported
  from, measured in the same run (the ratio is scikit-learn's time over ONNX's): one
  document per call through ``classifiers.Classifier.classify`` (a robot's case, one
  thread), and raw batches of 64 (the ONNX tokenizer pads a batch to its longest text).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Both sides on one core, as a worker runs them.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-train", type=int, default=None, help="default: the recipe's")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timing passes; best is kept")
    args = parser.parse_args()

    import json

    import corpus
    from classifiers import _calibration as calibration
    from classifiers._data import TEST_NOISE_RATE, make_data
    from classifiers._evaluation import evaluate
    from classifiers._export import check_agreement, onnx_probabilities, to_onnx
    from classifiers._features import prepare
    from classifiers._inference import Classifier
    from classifiers.training import DEFAULT_N_TRAIN, fit
    from clerk.registry import ModelCard, now_iso

    n_train = args.n_train or DEFAULT_N_TRAIN
    n_test = max(60, n_train // 4)
    t0 = time.perf_counter()
    data = make_data(args.seed, n_train, n_test)
    pipeline, temperature = fit(data)
    model = to_onnx(pipeline)
    classes = [str(c) for c in pipeline.classes_]
    train_s = time.perf_counter() - t0
    print(
        f"trained on {len(data.train)} texts ({n_train} documents + noised copies) "
        f"in {train_s:.1f} s; ONNX model {len(model) / 1e6:.1f} MB; temperature {temperature:.3f}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "model.onnx").write_bytes(model)
        (folder / "labels.json").write_text(json.dumps(classes))
        card = ModelCard(
            "classifier",
            "bench",
            data.data_hash,
            "bench",
            args.seed,
            now_iso(),
            params={"max_chars": 6000},
        )
        classifier = Classifier.from_folder(folder, card)

        # Held-out sets: the test documents clean and at three OCR noise rates.
        test_docs = [s for s in corpus.generate(n_test + n_test // 2, args.seed, split="test")]
        test_texts = set(data.test_clean.texts)
        docs = [s for s in test_docs if prepare(s.text) in test_texts]
        sets: dict[str, list[str]] = {"clean": [s.text for s in docs]}
        for rate in (0.02, TEST_NOISE_RATE, 0.10):
            rng = random.Random(f"bench-{args.seed}-{rate}")
            sets[f"scan-like {rate:.0%}"] = [corpus.ocr_noise(s.text, rng, rate) for s in docs]
        truth = [s.doc_type for s in docs]

        print(f"\nheld-out documents: {len(docs)} per set")
        print(
            f"{'set':<16}{'accuracy':>10}{'macro-F1':>10}{'ECE':>8}{'ECE raw':>9}"
            f"{'sklearn acc':>13}"
        )
        for name, texts in sets.items():
            prepared = [prepare(t) for t in texts]
            check_agreement(model, pipeline, prepared)  # raises if ONNX != sklearn
            onnx_probs = onnx_probabilities(classifier.session, prepared)
            m = evaluate(onnx_probs, truth, classes)
            raw = evaluate(calibration.scale(onnx_probs, 1 / temperature), truth, classes)
            skl = evaluate(pipeline.predict_proba(prepared), truth, classes)
            print(
                f"{name:<16}{m['accuracy']:>10.4f}{m['macro_f1']:>10.4f}{m['ece']:>8.4f}"
                f"{raw['ece']:>9.4f}{skl['accuracy']:>13.4f}"
            )

        texts = sets["clean"] + sets[f"scan-like {TEST_NOISE_RATE:.0%}"]

        def sk_one(t: str) -> object:
            return pipeline.predict_proba([prepare(t)])

        def sk_batch(batch: Sequence[str]) -> object:
            return pipeline.predict_proba([prepare(t) for t in batch])

        print(f"\nspeed over {len(texts)} held-out documents (best of {args.repeat}), one thread")
        print(f"{'':<22}{'ONNX ms/doc':>12}{'sklearn ms/doc':>16}{'ratio':>8}")
        onnx_one = _ms_per_doc(
            lambda ts: [classifier.classify(t) for t in ts], texts, 1, args.repeat
        )
        skl_one = _ms_per_doc(lambda ts: [sk_one(t) for t in ts], texts, 1, args.repeat)
        print(f"{'one per call':<22}{onnx_one:>12.3f}{skl_one:>16.3f}{skl_one / onnx_one:>7.1f}x")
        onnx_b = _ms_per_doc(
            lambda ts: onnx_probabilities(classifier.session, [prepare(t) for t in ts]),
            texts,
            64,
            args.repeat,
        )
        skl_b = _ms_per_doc(sk_batch, texts, 64, args.repeat)
        print(f"{'batches of 64':<22}{onnx_b:>12.3f}{skl_b:>16.3f}{skl_b / onnx_b:>7.1f}x")
        t = time.perf_counter()
        Classifier.from_folder(folder, card)
        print(f"\nopening the ONNX session: {(time.perf_counter() - t) * 1000:.0f} ms")


def _ms_per_doc(
    run: Callable[[Sequence[str]], object], texts: Sequence[str], batch: int, repeat: int
) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for start in range(0, len(texts), batch):
            run(texts[start : start + batch])
        best = min(best, time.perf_counter() - t)
    return best * 1000 / len(texts)


if __name__ == "__main__":
    main()
