"""Held-out metrics for the extractor: span precision/recall/F1 per label, exact match of
the normalized value per field, and how well confidence separates right from wrong.

"Exact match" is what a user cares about: the field's normalized value equals the
ground truth (a span one token short that still normalizes to the right amount counts
as right; a perfect span whose date is read in the wrong order counts as wrong). The
rate is over the fields the truth has, so a missed field counts against it.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clerk.documents import document_text
from clerk.policy import PolicySettings
from clerk.schemas import SCHEMAS, addressed, parse_cell_address, split_addressed
from corpus.sample import Sample
from extractors._tables import parse_tables
from extractors.ner.confidence import Evidence
from extractors.ner.data import document_from_text, scan_like_document
from extractors.ner.hints import infer_hints

if TYPE_CHECKING:
    from extractors.extraction import FieldExtractor

# The card's confidence thresholds, with the default auto bar of ``clerk.policy`` (0.93).
AUTO_BAR: float = PolicySettings.model_fields["field_confidence"].default
THRESHOLDS = (0.5, 0.8, 0.9, AUTO_BAR, 0.95, 0.99)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "support": self.tp + self.fn}  # fmt: skip


@dataclass
class Report:
    spans: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    # (doc_type, field) -> [right, total]
    exact: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    confidences: list[tuple[float, bool]] = field(default_factory=list)
    evidence: list[tuple[Evidence, bool]] = field(default_factory=list)
    # per document: (confidence, right) of every field it returned, tables included
    documents_fields: list[list[tuple[float, bool]]] = field(default_factory=list)
    seconds: float = 0.0
    documents: int = 0

    def span_metrics(self) -> dict[str, dict[str, float | int]]:
        total = Tally()
        out = {}
        for label, tally in sorted(self.spans.items()):
            out[label] = tally.scores()
            total.tp, total.fp, total.fn = (
                total.tp + tally.tp,
                total.fp + tally.fp,
                total.fn + tally.fn,
            )
        out["_micro"] = total.scores()
        return out

    def exact_by_field(self, doc_type: str | None = None) -> dict[str, float]:
        merged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (kind, name), (right, total) in self.exact.items():
            if doc_type is None or kind == doc_type:
                key = _group_key(name)
                merged[key][0] += right
                merged[key][1] += total
        return {k: round(r / t, 4) for k, (r, t) in sorted(merged.items()) if t}

    def exact_overall(self, doc_type: str | None = None) -> float:
        right = total = 0
        for (kind, _), (r, t) in self.exact.items():
            if doc_type is None or kind == doc_type:
                right, total = right + r, total + t
        return round(right / total, 4) if total else 0.0

    def confidence_metrics(self) -> dict[str, dict[str, float | int]]:
        """For each threshold: share of fields at or above it, and how many of them are right."""
        out: dict[str, dict[str, float | int]] = {}
        n = len(self.confidences)
        for threshold in THRESHOLDS:
            kept = [ok for c, ok in self.confidences if c >= threshold]
            out[f"{threshold:.2f}"] = {
                "coverage": round(len(kept) / n, 4) if n else 0.0,
                "precision": round(sum(kept) / len(kept), 4) if kept else 1.0,
                "fields": len(kept),
            }
        return out

    def auto_metrics(self) -> dict[str, dict[str, float | int]]:
        """The field-confidence gate of ``clerk.policy`` alone, per threshold: the share of
        documents whose every field clears it ("auto"), and how many of those documents'
        fields are right. Missing fields are not counted here (the validators' required
        check sends such documents to review)."""
        out: dict[str, dict[str, float | int]] = {}
        for threshold in THRESHOLDS:
            auto = [d for d in self.documents_fields if d and all(c >= threshold for c, _ in d)]
            fields = [ok for d in auto for _, ok in d]
            out[f"{threshold:.2f}"] = {
                "documents": round(len(auto) / len(self.documents_fields), 4)
                if self.documents_fields
                else 0.0,
                "field_precision": round(sum(fields) / len(fields), 4) if fields else 1.0,
            }
        return out

    def threshold_for(self, precision: float) -> float | None:
        """The lowest confidence above which fields are right at least ``precision`` of
        the time (flat fields), or None if no threshold gets there."""
        ranked = sorted(self.confidences, key=lambda item: -item[0])
        right = 0
        best: float | None = None
        for n, (confidence, ok) in enumerate(ranked, start=1):
            right += ok
            if right / n >= precision:
                best = confidence
        return best

    def mean_confidence(self) -> float:
        values = [c for c, _ in self.confidences]
        return round(sum(values) / len(values), 4) if values else 0.0

    def ms_per_document(self) -> float:
        return round(1000 * self.seconds / self.documents, 1) if self.documents else 0.0


def evaluate(
    extractor: FieldExtractor,
    samples: Sequence[Sample],
    tables: bool = True,
    *,
    originals: Sequence[Sample] | None = None,
    seed: int = 0,
) -> Report:
    """Run the extractor over ``samples``; with ``originals`` (the clean samples the
    noisy ones were made from, in the same order) the documents are scan-like, with
    simulated OCR word confidences (``data.scan_like_document``)."""
    report = Report()
    rng = random.Random(seed)  # noqa: S311 - simulated OCR confidences, not security
    for i, sample in enumerate(samples):
        started = time.perf_counter()
        if originals is not None:
            document = scan_like_document(sample, originals[i], rng)
        else:
            document = document_from_text(sample.text, sample.id)
        source = document_text(document)
        hints = infer_hints(source.text)
        scored = extractor.score_fields(source, sample.doc_type, hints)
        rows = parse_tables(source, sample.doc_type, hints) if tables else ()
        report.seconds += time.perf_counter() - started
        report.documents += 1
        _tally_spans(report, extractor, sample)
        values = {s.field.name: s for s in scored}
        schema = SCHEMAS[sample.doc_type]
        for spec in schema.fields:
            truth = sample.truth.get(spec.name)
            found = values.get(spec.name)
            if found is not None:
                right = truth is not None and found.field.value == truth
                report.confidences.append((found.field.confidence, right))
                report.evidence.append((found.evidence, right))
            if truth is None:
                continue
            cell = report.exact[(sample.doc_type, spec.name)]
            cell[1] += 1
            cell[0] += int(found is not None and found.field.value == truth)
        per_document = [
            (s.field.confidence, s.field.value == sample.truth.get(s.field.name)) for s in scored
        ]
        true_rows = split_addressed(sample.truth)[1]
        per_document += [
            (c.confidence, i < len(true_rows) and c.value == true_rows[i].get(c.name))
            for i, row in enumerate(rows)
            for c in row.cells
        ]
        report.documents_fields.append(per_document)
        if tables and schema.rows is not None:
            group = schema.rows.name
            got = addressed({}, [row.values() for row in rows], group)
            for name, truth in addressed({}, true_rows, group).items():
                cell = report.exact[(sample.doc_type, name)]
                cell[1] += 1
                cell[0] += int(got.get(name) == truth)
    return report


def _tally_spans(report: Report, extractor: FieldExtractor, sample: Sample) -> None:
    predicted = set(extractor.model.entities(sample.text))
    gold = {(s.start, s.end, s.label) for s in sample.spans}
    for start, end, label in predicted:
        report.spans[label].tp += (start, end, label) in gold
        report.spans[label].fp += (start, end, label) not in gold
    for item in gold - predicted:
        report.spans[item[2]].fn += 1


def _group_key(name: str) -> str:
    cell = parse_cell_address(name)
    return f"{cell[0]}.*.{cell[2]}" if cell is not None else name
