"""Reviewers' corrected field values as labelled examples for the extractor.

A corrected value becomes a labelled span where its text can be found in the document's
text: as the reviewer typed it, or (values are normalized: ISO dates, plain decimals) as
documents commonly print it (``12.03.2026``, ``1,234.50``, ...). The first occurrence on
word boundaries is labelled. Everything else in the document is left *unlabelled*
(spaCy's "missing"), not "no entity": the reviewer only vouched for the fields they
changed, and the machine's other values may be right, so the example teaches where the
corrected fields are and nothing about the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clerk.corrections import CorrectedDocument
from clerk.schemas import entity_labels
from corpus.sample import Sample, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DECIMAL = re.compile(r"^(-?)(\d+)\.(\d{2})$")


@dataclass(frozen=True)
class ConversionStats:
    documents: int = 0
    without_text: int = 0
    fields: int = 0
    found: int = 0
    not_found: int = 0
    unknown_field: int = 0


def spellings(value: str) -> list[str]:
    """The ways a normalized value may be printed, the value itself first."""
    out = [value]
    if date := _ISO_DATE.match(value):
        y, m, d = date.groups()
        out += [f"{d}.{m}.{y}", f"{d}/{m}/{y}", f"{m}/{d}/{y}", f"{d}-{m}-{y}"]
    elif amount := _DECIMAL.match(value):
        sign, whole, cents = amount.groups()
        grouped = f"{int(whole):,}"
        out += [
            f"{sign}{grouped}.{cents}",
            f"{sign}{grouped.replace(',', '.')},{cents}",
            f"{sign}{whole},{cents}",
            f"{sign}{grouped.replace(',', ' ')},{cents}",
        ]
    return list(dict.fromkeys(out))


def find_value(text: str, value: str) -> tuple[int, int] | None:
    """Where ``value`` (in any of its spellings) first stands on word boundaries."""
    best: tuple[int, int] | None = None
    for spelling in spellings(value):
        pattern = re.compile(rf"(?<![\w]){re.escape(spelling)}(?![\w])")
        found = pattern.search(text)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), found.end())
    return best


def to_samples(docs: Iterable[CorrectedDocument]) -> tuple[list[Sample], ConversionStats]:
    """One sample per document with text and at least one found value."""
    labels = set(entity_labels())
    samples: list[Sample] = []
    n = without_text = fields = found = not_found = unknown = 0
    for doc in docs:
        n += 1
        if not doc.text:
            without_text += 1
            continue
        spans: list[Span] = []
        for name, value in sorted(doc.values.items()):
            fields += 1
            if name not in labels:
                unknown += 1
                continue
            where = find_value(doc.text, value)
            if where is None:
                not_found += 1
                continue
            found += 1
            spans.append(Span(where[0], where[1], name))
        if spans:
            truth = {s.label: doc.values[s.label] for s in spans}
            samples.append(
                Sample(
                    f"correction-{doc.sha256[:12]}",
                    doc.doc_type,
                    "en",
                    doc.text,
                    tuple(spans),
                    truth,
                    {"partial": True},
                )
            )
    stats = ConversionStats(n, without_text, fields, found, not_found, unknown)
    return samples, stats


def partial_examples(nlp: Language, samples: Sequence[Sample]) -> list[Example]:
    """Training examples whose only labels are the samples' spans; every other token is
    missing (BILUO "-"), so the model is not taught that it is no entity."""
    from spacy.training import Example, offsets_to_biluo_tags

    from extractors.ner.pipeline import mark_lines

    examples: list[Example] = []
    for sample in samples:
        doc = mark_lines(nlp.make_doc(sample.text))
        spans = [(s.start, s.end, s.label) for s in sample.spans]
        tags = ["-"] * len(doc)
        for start, end, label in spans:
            aligned = doc.char_span(start, end, alignment_mode="contract")
            if aligned is None or any(tags[i] != "-" for i in range(aligned.start, aligned.end)):
                continue  # unalignable, or overlapping another corrected value
            one = offsets_to_biluo_tags(doc, [(aligned.start_char, aligned.end_char, label)])
            for i in range(aligned.start, aligned.end):
                tags[i] = one[i]
        if any(t != "-" for t in tags):
            examples.append(Example.from_dict(doc, {"entities": tags}))
    return examples
