"""The classifier's data, drawn from the synthetic corpus: train, calibration and test splits.

Everything is derived from one seed, so the same seed gives byte-identical texts, the same
data hash and (the trainer being deterministic) the same model.

- train: ``corpus.generate(split="train")`` documents, every fifth one kept aside for
  calibration, plus OCR-noised copies of a share of the rest (scans are part of the job),
  plus a few blank and garbage texts labelled ``other`` so that an empty page is ``other``.
- calibration: the documents kept aside, a share of them noised the same way.
- test: ``split="test"`` documents (vendors, labels and phrasings the train split never
  uses), once clean and once noised at a fixed scan-like rate.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.features import prepare

NOISE_SHARE = 0.5  # share of training documents that also appear as a noised copy
NOISE_RATES = (0.02, 0.15)  # per-copy OCR error rate, drawn uniformly
TEST_NOISE_RATE = 0.08  # the scan-like test set
CALIBRATION_EVERY = 5  # every fifth generated training document calibrates
LANGUAGES = ("en", "de", "fr")


@dataclass(frozen=True)
class Split:
    texts: tuple[str, ...]  # prepared (classifiers.features.prepare)
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
    seed: int, n_train: int, n_test: int, languages: Sequence[str] = LANGUAGES
) -> ClassifierData:
    import corpus

    langs = tuple(languages)
    generated = corpus.generate(n_train, seed, languages=langs, split="train")
    rng = random.Random(f"classifier-noise-{seed}")
    train_docs = [s for i, s in enumerate(generated) if i % CALIBRATION_EVERY != 4]
    cal_docs = [s for i, s in enumerate(generated) if i % CALIBRATION_EVERY == 4]

    def augmented(docs: Sequence[corpus.Sample]) -> Split:
        texts = [s.text for s in docs]
        labels = [s.doc_type for s in docs]
        for s in docs:
            if rng.random() < NOISE_SHARE:
                texts.append(corpus.ocr_noise(s.text, rng, rng.uniform(*NOISE_RATES)))
                labels.append(s.doc_type)
        return Split(tuple(prepare(t) for t in texts), tuple(labels))

    train = augmented(train_docs)
    blanks = _blank_texts(rng, max(4, n_train // 100))
    train = Split(train.texts + blanks, train.labels + ("other",) * len(blanks))
    calibration = augmented(cal_docs)

    test_docs = corpus.generate(n_test, seed, languages=langs, split="test")
    test_rng = random.Random(f"classifier-test-noise-{seed}")
    test_clean = Split(
        tuple(prepare(s.text) for s in test_docs), tuple(s.doc_type for s in test_docs)
    )
    test_noised = Split(
        tuple(prepare(corpus.ocr_noise(s.text, test_rng, TEST_NOISE_RATE)) for s in test_docs),
        test_clean.labels,
    )
    return ClassifierData(train, calibration, test_clean, test_noised, len(generated))


def _blank_texts(rng: random.Random, n: int) -> tuple[str, ...]:
    """Empty pages and OCR debris: what a blank or unreadable scan turns into."""
    alphabet = string.punctuation + string.digits + "il|"
    out = [""]
    for _ in range(n - 1):
        out.append(prepare("".join(rng.choice(alphabet + " ") for _ in range(rng.randint(1, 24)))))
    return tuple(out)
