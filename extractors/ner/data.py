"""Corpus samples -> spaCy training examples, and samples -> Documents.

Gold spans are character offsets; spaCy needs token boundaries. Each span is taken as
is when it aligns, else shrunk to the tokens wholly inside it (``contract``: a span
that ends before ``Ltd.``'s dot keeps ``Ltd``), and skipped only when nothing
sensible is left. The counts go into the model card so a tokenizer change that breaks
alignment shows up there, not as a silent drop in accuracy.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from clerk.documents import Document, Page, words_from_text
from corpus.sample import Sample, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example


@dataclass(frozen=True)
class AlignStats:
    spans: int = 0
    exact: int = 0
    contracted: int = 0
    skipped: int = 0
    overlapping: int = 0

    def __add__(self, other: AlignStats) -> AlignStats:
        return AlignStats(
            self.spans + other.spans,
            self.exact + other.exact,
            self.contracted + other.contracted,
            self.skipped + other.skipped,
            self.overlapping + other.overlapping,
        )


def to_example(nlp: Language, sample: Sample) -> tuple[Example, AlignStats]:
    """One training example with token-aligned entities, and what alignment did."""
    from spacy.training import Example

    from extractors.ner.pipeline import mark_lines

    doc = mark_lines(nlp.make_doc(sample.text))
    exact = contracted = skipped = overlapping = 0
    taken: list[tuple[int, int, str]] = []
    used: set[int] = set()
    for span in sorted(sample.spans, key=lambda s: (s.start, -s.end)):
        aligned = doc.char_span(span.start, span.end, label=span.label)
        if aligned is not None:
            exact += 1
        else:
            aligned = doc.char_span(
                span.start, span.end, label=span.label, alignment_mode="contract"
            )
            # A contracted span must keep most of the value, else it teaches a wrong edge.
            if aligned is None or len(aligned.text) < 0.6 * (span.end - span.start):
                skipped += 1
                continue
            contracted += 1
        tokens = set(range(aligned.start, aligned.end))
        if tokens & used:
            overlapping += 1
            continue
        used |= tokens
        taken.append((aligned.start_char, aligned.end_char, span.label))
    example = Example.from_dict(doc, {"entities": taken})
    stats = AlignStats(len(sample.spans), exact, contracted, skipped, overlapping)
    return example, stats


def to_examples(nlp: Language, samples: Iterable[Sample]) -> tuple[list[Example], AlignStats]:
    examples: list[Example] = []
    total = AlignStats()
    for sample in samples:
        example, stats = to_example(nlp, sample)
        examples.append(example)
        total = total + stats
    return examples, total


_NUMBER = re.compile(r"\d[\d.,']*")


def crop_tables(sample: Sample, keep: int = 3) -> Sample:
    """``sample`` with long runs of table rows cut to their first ``keep`` rows.

    A table row (a line with three or more numbers and no labelled span) teaches the
    model one thing, that an amount in a table is not a total; forty of them teach it
    forty times and cost a large share of an invoice's tokens. Training only: evaluation
    always reads whole documents."""
    lines = sample.text.split("\n")
    labelled: set[int] = set()
    offset = 0
    starts: list[int] = []
    for number, line in enumerate(lines):
        starts.append(offset)
        end = offset + len(line)
        if any(span.start < end and span.end > offset for span in sample.spans):
            labelled.add(number)
        offset = end + 1
    drop: set[int] = set()
    run = 0
    for number, line in enumerate(lines):
        is_row = number not in labelled and "\f" not in line and len(_NUMBER.findall(line)) >= 3
        run = run + 1 if is_row else 0
        if run > keep:
            drop.add(number)
    if not drop:
        return sample
    kept_text: list[str] = []
    shift = [0] * len(lines)  # characters removed before each line
    removed = 0
    for number, line in enumerate(lines):
        shift[number] = removed
        if number in drop:
            removed += len(line) + 1
        else:
            kept_text.append(line)
    spans = []
    for span in sample.spans:
        number = max(i for i, start in enumerate(starts) if start <= span.start)
        spans.append(Span(span.start - shift[number], span.end - shift[number], span.label))
    return replace(sample, text="\n".join(kept_text), spans=tuple(spans))


def document_from_text(text: str, name: str = "sample.txt") -> Document:
    """A geometry-free Document whose ``document_text`` is exactly ``text`` (pages split
    on form feeds), so character offsets in a sample stay valid for its Document."""
    pages = tuple(
        Page(number, 0.0, 0.0, words_from_text(page, number))
        for number, page in enumerate(text.split("\f"), start=1)
    )
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(digest, name, "text/plain", pages, "text-layer")


def scan_like_document(noisy: Sample, clean: Sample, rng: random.Random) -> Document:
    """``noisy``'s text as an OCR Document, with word confidences like tesseract's:
    a misread word (one that differs from ``clean``) gets 0.40-0.85, a word read right
    0.80-0.99. The ranges overlap, as real OCR confidences do; they are a simulation,
    so the confidence calibration should be refitted once real scans are labelled."""
    clean_words = clean.text.split()
    pages: list[Page] = []
    index = 0
    for number, page in enumerate(noisy.text.split("\f"), start=1):
        words = []
        for word in words_from_text(page, number):
            same = index < len(clean_words) and clean_words[index] == word.text
            confidence = rng.uniform(0.8, 0.99) if same else rng.uniform(0.4, 0.85)
            words.append(replace(word, confidence=round(confidence, 3)))
            index += 1
        pages.append(Page(number, 0.0, 0.0, tuple(words)))
    digest = hashlib.sha256(noisy.text.encode()).hexdigest()
    return Document(digest, noisy.id, "image/png", tuple(pages), "ocr")


def data_hash(parts: Sequence[Sequence[Sample]], params: dict[str, object]) -> str:
    """sha256 of every sample as fed to the trainer plus the parameters that shape it."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode())
    for samples in parts:
        for sample in samples:
            record = {
                "id": sample.id,
                "doc_type": sample.doc_type,
                "text": sample.text,
                "spans": [(s.start, s.end, s.label) for s in sample.spans],
                "truth": sample.truth,
            }
            digest.update(json.dumps(record, sort_keys=True).encode())
    return digest.hexdigest()
