from __future__ import annotations

import random

import pytest

import corpus
from corpus import Sample


def test_noise_keeps_lines_and_words(train: list[Sample]) -> None:
    rng = random.Random(5)
    changed = 0
    for s in train[:200]:
        noisy = corpus.ocr_noise(s.text, rng, 0.05)
        assert [len(line.split()) for line in noisy.split("\n")] == [
            len(line.split()) for line in s.text.split("\n")
        ]
        assert noisy.count("\f") == s.text.count("\f")
        changed += noisy != s.text
    assert changed > 150


def test_zero_rate_is_identity_and_bad_rate_is_refused(train: list[Sample]) -> None:
    assert corpus.ocr_noise(train[0].text, random.Random(1), 0.0) == train[0].text
    with pytest.raises(ValueError, match="between 0 and 1"):
        corpus.ocr_noise("x", random.Random(1), 1.5)


def test_typical_tesseract_slips_occur() -> None:
    rng = random.Random(3)
    outputs = {corpus.ocr_noise("PO 190.43 modern", rng, 0.3) for _ in range(400)}
    joined = " ".join(outputs)
    assert "P0" in joined and "196.43" in joined and "modem" in joined


def test_noisy_sample_spans_cover_the_same_words(train: list[Sample]) -> None:
    rng = random.Random(9)
    for s in train[:300]:
        noisy = corpus.ocr_noise_sample(s, rng, 0.08)
        assert noisy.truth == s.truth and len(noisy.spans) == len(s.spans)
        old_words = s.text.split()
        new_words = noisy.text.split()
        for old, new in zip(s.spans, noisy.spans, strict=True):
            assert new.label == old.label
            n_old = len(s.text[old.start : old.end].split())
            assert len(noisy.text[new.start : new.end].split()) == n_old
            index = len(s.text[: old.start].split())
            assert noisy.text[new.start : new.end].split() == new_words[index : index + n_old]
            assert s.text[old.start : old.end].split() == old_words[index : index + n_old]
