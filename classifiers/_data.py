"""The classifier's data, drawn from the synthetic corpus: train, calibration and test splits.

Everything is derived from one seed, so the same seed gives byte-identical texts, the same
data hash and (the trainer being deterministic) the same model.

- train: ``corpus.generate(split="train")`` documents, plus OCR-noised copies of a share
  of them (scans are part of the job), plus copies of a share of the English ones with
  their labels in Dutch, Polish, Spanish, Italian or Portuguese (``classifiers._translate``),
  plus a few blank and garbage texts labelled ``other`` so that an empty page is ``other``.
- calibration and test: ``split="test"`` documents (vendors, label wordings and layouts the
  train split never uses), each type's every third document kept for calibration and the
  rest for test. Calibrating on held-out documents matters: on its own training
  distribution the model is never wrong, so a temperature fitted there only sharpens it.
  Calibration documents appear clean and noised at 5-30% (up to a bad scan, so there
  are mistakes to calibrate on); test documents once clean and once noised at a fixed
  scan-like rate.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers._features import prepare
from classifiers._translate import pick_language, translate

NOISE_SHARE = 0.5  # share of training documents that also appear as a noised copy
NOISE_RATES = (0.01, 0.12)  # per-copy share of misread word characters, uniform
CALIBRATION_NOISE_RATES = (0.05, 0.3)  # up to a bad scan, so that calibration sees mistakes
TEST_NOISE_RATE = 0.05  # scan-like: a rough scan (bench/bench_realdocs.py: tesseract's rate)
CALIBRATION_EVERY = 3  # per type, every third held-out document calibrates
TRANSLATED_SHARE = 1.5  # translated copies per English training document, on average


@dataclass(frozen=True)
class Split:
    texts: tuple[str, ...]  # prepared (classifiers._features.prepare)
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.texts)

    def sha256(self) -> str:
        blob = json.dumps([self.labels, self.texts], ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True)
class ClassifierData:
    train: Split
    calibration: Split
    test_clean: Split
    test_noised: Split
    n_documents: int  # generated training documents before augmentation

    @property
    def data_hash(self) -> str:
        """sha256 of the training and calibration data exactly as the trainer gets them."""
        return hashlib.sha256(
            (self.train.sha256() + self.calibration.sha256()).encode()
        ).hexdigest()

    @property
    def test_hash(self) -> str:
        return hashlib.sha256(
            (self.test_clean.sha256() + self.test_noised.sha256()).encode()
        ).hexdigest()


def make_data(
    seed: int, n_train: int, n_test: int, languages: Sequence[str] | None = None
) -> ClassifierData:
    """``n_train`` training documents; ``n_test`` test documents plus half as many to
    calibrate; in ``languages``, or in the corpus's weighted mix of all its languages."""
    import corpus

    langs = tuple(languages) if languages is not None else None
    train_docs = corpus.generate(n_train, seed, languages=langs, split="train")
    rng = random.Random(f"classifier-noise-{seed}")  # noqa: S311 (seeded data, not secrets)
    texts = [s.text for s in train_docs]
    labels = [s.doc_type for s in train_docs]
    for s in train_docs:
        if rng.random() < NOISE_SHARE:
            texts.append(corpus.ocr_noise(s.text, rng, rng.uniform(*NOISE_RATES)))
            labels.append(s.doc_type)
    translated_rng = random.Random(f"classifier-translated-{seed}")  # noqa: S311
    for s in train_docs:
        copies = int(TRANSLATED_SHARE) + (translated_rng.random() < TRANSLATED_SHARE % 1)
        for _ in range(copies if s.language == "en" else 0):
            language, plain = pick_language(translated_rng), translated_rng.random() < 0.3
            texts.append(translate(s.text, language, plain))
            labels.append(s.doc_type)
    blanks = _blank_texts(rng, max(4, n_train // 100))
    train = Split(
        tuple(prepare(t) for t in texts) + blanks, tuple(labels) + ("other",) * len(blanks)
    )

    held_out = corpus.generate(n_test + n_test // 2, seed, languages=langs, split="test")
    seen: dict[str, int] = {}
    cal_docs: list[corpus.Sample] = []
    test_docs: list[corpus.Sample] = []
    for s in held_out:
        seen[s.doc_type] = seen.get(s.doc_type, 0) + 1
        (cal_docs if seen[s.doc_type] % CALIBRATION_EVERY == 0 else test_docs).append(s)
    cal_rng = random.Random(f"classifier-calibration-noise-{seed}")  # noqa: S311
    cal_texts = [s.text for s in cal_docs] + [
        corpus.ocr_noise(s.text, cal_rng, cal_rng.uniform(*CALIBRATION_NOISE_RATES))
        for s in cal_docs
    ]
    calibration = Split(
        tuple(prepare(t) for t in cal_texts), tuple(s.doc_type for s in cal_docs) * 2
    )

    test_rng = random.Random(f"classifier-test-noise-{seed}")  # noqa: S311
    test_clean = Split(
        tuple(prepare(s.text) for s in test_docs), tuple(s.doc_type for s in test_docs)
    )
    test_noised = Split(
        tuple(prepare(corpus.ocr_noise(s.text, test_rng, TEST_NOISE_RATE)) for s in test_docs),
        test_clean.labels,
    )
    return ClassifierData(train, calibration, test_clean, test_noised, len(train_docs))


def _blank_texts(rng: random.Random, n: int) -> tuple[str, ...]:
    """Empty pages and OCR debris: what a blank or unreadable scan turns into."""
    alphabet = string.punctuation + string.digits + "il|"
    out = [""]
    for _ in range(n - 1):
        out.append(prepare("".join(rng.choice(alphabet + " ") for _ in range(rng.randint(1, 24)))))
    return tuple(out)
