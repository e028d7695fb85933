"""Document -> fields: the trained NER's candidates, filtered by the document type's
schema, normalized, scored, and placed on the page; plus the table rows.

One model serves every document type: its labels are the flat field names of
``clerk.schemas`` (``total_amount`` means the same on an invoice and a receipt), and
the schema of the type the classifier chose decides which labels count. Candidates
for one field that normalize to the same value pool their probability, so a total
printed twice is surer than one printed once, and two different totals compete.

``FieldExtractor.load()`` loads the registry's current extractor once per process.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from clerk.documents import Document, Field, LineItem, TextWithOffsets, document_text
from clerk.registry import Registry
from clerk.schemas import SCHEMAS, FieldKind, FieldSpec
from extractors._header import merchant_from_header, merge_merchant
from extractors._keyvalue import key_values
from extractors._receipt_fields import merge_receipt_fields, printed_currencies
from extractors._reconcile import (
    AGREE_CONFIDENCE,
    KV_ONLY_CONFIDENCE,
    UNOPPOSED_CONFIDENCE,
    ambiguous_date,
    reconcile,
)
from extractors._sender import merge_sender
from extractors._tables import parse_tables, words_geometry
from extractors._tax_parts import merge_tax_parts
from extractors.ner.confidence import Calibrator, Evidence, score
from extractors.ner.hints import infer_hints
from extractors.ner.model import RULE_SHAPES, Candidate, EntityModel
from extractors.ner.pipeline import KIND, PIPELINE_DIR
from extractors.normalize import Normalized, NormalizeHints, normalize
from extractors.normalize.hints import infer_date_order

# The date that dates the document has a different name on each type, and the model
# cannot see the type: "Date 03/11/25" is an invoice's issue date and a PO's order
# date. For a type's own document date, the names the type does not use count too.
DOCUMENT_DATES = ("issue_date", "order_date", "receipt_date", "payment_date")

# A day/month-ambiguous numeric date the document does not settle: below the auto bar.
UNSETTLED_DATE_CONFIDENCE = 0.85

_loaded: dict[tuple[str, str], FieldExtractor] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Scored:
    """A chosen field with the evidence its confidence came from (used to calibrate)."""

    field: Field
    evidence: Evidence


class FieldExtractor:
    def __init__(
        self, model: EntityModel, calibrator: Calibrator | None, model_version: str
    ) -> None:
        self.model = model
        self.calibrator = calibrator
        self.model_version = model_version

    @classmethod
    def load(cls, registry: Registry | None = None) -> FieldExtractor:
        """The registry's current extractor, loaded once per process and version."""
        registry = registry if registry is not None else Registry()
        folder, card = registry.current(KIND)
        key = (str(registry.root.resolve()), card.version)
        with _lock:
            if key not in _loaded:
                _loaded[key] = cls.from_folder(folder, card.version)
            return _loaded[key]

    @classmethod
    def from_folder(cls, folder: Path, version: str) -> FieldExtractor:
        return cls(EntityModel.load(folder / PIPELINE_DIR), Calibrator.load(folder), version)

    def extract(self, document: Document, doc_type: str) -> tuple[Field, ...]:
        """Every flat field of ``doc_type``'s schema that the document shows, best first
        per name, with normalized value, calibrated confidence, page and box."""
        return self.extract_with_rows(document, doc_type)[0]

    def extract_with_rows(
        self, document: Document, doc_type: str
    ) -> tuple[tuple[Field, ...], tuple[LineItem, ...]]:
        """The flat fields (``extract``) and the rows of the document's table
        (``extractors._tables.parse_tables``)."""
        source = document_text(document)
        hints = infer_hints(source.text)
        candidates = self.model.candidates(source.text)
        fields = [s.field for s in self.score_fields(source, doc_type, hints, candidates)]
        # Geometry second: a label's value fills what the NER missed and flags where
        # the two disagree (extractors._reconcile.reconcile).
        read_as = values_read(source.text, doc_type, hints, candidates)
        rows = parse_tables(source, doc_type, hints)
        labelled = key_values(document, doc_type, hints)
        paired = reconcile(fields, labelled, doc_type, read_as, rows)
        if document.text_source == "text-layer":
            paired = confirm_the_only_date(paired, source.text, candidates, hints)
        paired = merge_sender(paired, doc_type, source)  # the letterhead's and footer's name
        paired = cap_unsettled_dates(paired, source.text)
        if doc_type in ("invoice", "purchase_order"):  # "CGST 9% ...", "SGST 9% ..."
            paired = merge_tax_parts(paired, source, hints)
            paired = currency_as_printed(paired, source.text)
        if doc_type == "receipt":  # a till's layout (extractors._header, ._receipt_fields)
            # After the cap: a receipt's country settles its dates' order too.
            paired = merge_merchant(paired, merchant_from_header(document))
            paired = merge_receipt_fields(paired, source, hints)
        return drop_misread_spans(paired), rows

    def score_fields(
        self,
        source: TextWithOffsets,
        doc_type: str,
        hints: NormalizeHints,
        candidates: Sequence[Candidate] | None = None,
    ) -> list[Scored]:
        """The best candidate per field of ``doc_type``, scored; ``candidates`` are the
        model's on ``source.text`` (computed here when not given)."""
        schema = SCHEMAS.get(doc_type)
        if schema is None or not schema.fields:
            return []
        if candidates is None:
            candidates = self.model.candidates(source.text)
        names = {spec.name for spec in schema.fields}
        by_span: dict[tuple[int, int], dict[str, float]] = {}
        for c in candidates:
            if c.label in names:
                mass = by_span.setdefault((c.start, c.end), {})
                mass[c.label] = mass.get(c.label, 0.0) + c.probability
        scored: list[Scored] = []
        currencies: list[str] = []
        for spec in schema.fields:
            wanted = _labels_for(spec.name, names)
            mine = [c for c in candidates if c.label in wanted]
            if spec.kind == "currency":
                mine = [c for c in mine if _names_a_currency(source.text, c)]
            if not mine:
                continue
            chosen = self._choose(source, spec, mine, hints, by_span)
            scored.append(chosen)
            if spec.kind == "amount":
                normalized = normalize("amount", chosen.field.raw, hints)
                if normalized is not None and normalized.currency:
                    currencies.append(normalized.currency)
        has_currency = any(s.field.name == "currency" for s in scored)
        if not has_currency and any(s.name == "currency" for s in schema.fields):
            derived = self._derived_currency(currencies, hints)
            if derived is not None:
                scored.append(derived)
        return scored

    def _choose(
        self,
        source: TextWithOffsets,
        spec: FieldSpec,
        candidates: Sequence[Candidate],
        hints: NormalizeHints,
        by_span: dict[tuple[int, int], dict[str, float]],
    ) -> Scored:
        groups: dict[str, list[tuple[Candidate, Normalized | None]]] = {}
        for candidate in candidates:
            if spec.kind in _GROUPED_IDS:
                candidate = _cut_to_id(candidate, spec.kind, source.text, hints)
            raw = candidate.text(source.text)
            normalized = normalize(spec.kind, raw, hints)
            key = f"={normalized.value}" if normalized is not None else f"?{raw}"
            groups.setdefault(key, []).append((candidate, normalized))

        def mass(members: list[tuple[Candidate, Normalized | None]]) -> float:
            return sum(c.probability for c, _ in members) + 0.01 * any(c.rule for c, _ in members)

        # Normalizable values first, then the most probability mass, then the earliest.
        ranked = sorted(
            groups.values(),
            key=lambda m: (m[0][1] is not None, mass(m), -m[0][0].start),
            reverse=True,
        )
        best = ranked[0]
        total = sum(mass(m) for m in ranked)
        top, normalized = max(best, key=lambda pair: pair[0].probability)
        words = source.words_in(top.start, top.end)
        page, box = words_geometry(words)
        evidence = Evidence(
            kind=spec.kind,
            probability=min(sum(c.probability for c, _ in best), 1.0),
            competition=min(total - mass(best), 1.0),
            contested=min(
                sum(
                    p
                    for label, p in by_span.get((top.start, top.end), {}).items()
                    if label != spec.name
                ),
                1.0,
            ),
            normalized=normalized is not None,
            rule_applies=spec.name in RULE_SHAPES,
            rule=any(c.rule for c, _ in best),
            ocr=min((w.confidence for w in words), default=1.0),
        )
        field = Field(
            spec.name,
            top.text(source.text),
            normalized.value if normalized is not None else None,
            score(self.calibrator, evidence),
            page,
            box,
        )
        return Scored(field, evidence)

    def _derived_currency(self, currencies: list[str], hints: NormalizeHints) -> Scored | None:
        """The currency the amounts name, else the document's most frequent marker."""
        counted = Counter(currencies).most_common(1)
        value: str | None = counted[0][0] if counted else None
        agreement = counted[0][1] / len(currencies) if counted else 0.0
        if value is None:
            value = hints.default_currency
            agreement = 0.5
        if value is None:
            return None
        evidence = Evidence(
            "currency", agreement, 1.0 - agreement, 0.0, True, True, False, 1.0, derived=True
        )
        field = Field("currency", value, value, score(self.calibrator, evidence), source="rule")
        return Scored(field, evidence)


# Ids printed in groups ("GB 262 9421 91", "DE27 7542 5144 ..."), whose span a two-column
# line can run on into the next column's words.
_GROUPED_IDS: tuple[FieldKind, ...] = ("iban", "vat_id")


def _cut_to_id(
    candidate: Candidate, kind: FieldKind, text: str, hints: NormalizeHints
) -> Candidate:
    """The candidate cut to the longest run of its first words that reads as an id of
    ``kind``, where the whole span does not: "GB 262 9421 91 Invoice number: 0193845527"
    (a VAT id and, a column further, the invoice number, on one line of text) is the VAT
    id "GB 262 9421 91". Unchanged where no shorter run reads as one either."""
    raw = candidate.text(text)
    if normalize(kind, raw, hints) is not None:
        return candidate
    ends = [m.end() for m in re.finditer(r"\S+", raw)]
    for end in reversed(ends[:-1]):
        if normalize(kind, raw[:end], hints) is not None:
            return replace(candidate, end=candidate.start + end)
    return candidate


_CURRENCY_LABEL = re.compile(r"currenc|währung|devise|valuta|moneda|waluta|amounts? in", re.I)


def _names_a_currency(text: str, candidate: Candidate) -> bool:
    """A code stands for the document's currency beside an amount or under a currency
    label; elsewhere three capitals are a word ("SDN BHD" is a Malaysian legal form, and
    BHD a dinar only beside a number)."""
    start = text.rfind("\n", 0, candidate.start) + 1
    end = text.find("\n", candidate.end)
    line = text[start : end if end >= 0 else len(text)]
    return any(ch.isdigit() for ch in line) or bool(_CURRENCY_LABEL.search(line))


# A candidate the model gave even odds or better: it read the span as that field.
_READ_AS = 0.5


def values_read(
    text: str, doc_type: str, hints: NormalizeHints, candidates: Sequence[Candidate]
) -> dict[str, frozenset[str]]:
    """Per field of ``doc_type``, the normalized values the model read as that field at
    even odds or better, chosen or not (``extractors._reconcile.reconcile``)."""
    schema = SCHEMAS.get(doc_type)
    if schema is None:
        return {}
    names = {spec.name for spec in schema.fields}
    out: dict[str, frozenset[str]] = {}
    for spec in schema.fields:
        wanted = _labels_for(spec.name, names)
        values = (
            normalize(spec.kind, c.text(text), hints)
            for c in candidates
            if c.label in wanted and c.probability >= _READ_AS
        )
        out[spec.name] = frozenset(v.value for v in values if v is not None)
    return out


def confirm_the_only_date(
    fields: Sequence[Field], text: str, candidates: Sequence[Candidate], hints: NormalizeHints
) -> tuple[Field, ...]:
    """The label reader's document date (``KV_ONLY_CONFIDENCE``) lifted to
    ``AGREE_CONFIDENCE`` when the model finds that date and no other on the page, under
    whatever date label: the model reads the span as a date ("Bestellt am 18. Oktober"
    read as a due date on an order, which has none), the label says which, and a page
    with one date has no other the label could mean. For text layers only: on OCR text
    both readers share its misread characters."""
    values = set()
    for c in candidates:
        if c.label.endswith("_date"):
            normalized = normalize("date", c.text(text), hints)
            values.add(normalized.value if normalized is not None else None)
    if len(values) != 1:
        return tuple(fields)
    (only,) = values
    return tuple(
        replace(f, confidence=AGREE_CONFIDENCE)
        if f.name in DOCUMENT_DATES
        and f.source == "rule"
        and f.value == only
        and f.confidence == KV_ONLY_CONFIDENCE
        else f
        for f in fields
    )


# A province after a town, "00184 Roma (RM)": Rome's, not the ringgit a till prints alone.
_PROVINCE = re.compile(r"\(\s*[A-Z]{2}\s*\)")


def currency_as_printed(fields: Sequence[Field], text: str) -> tuple[Field, ...]:
    """The one currency the page prints beside its amounts or as its columns' unit
    ("Price (GBP)", "Importo (CHF)"), printed twice or more and no other, confirms the
    model's currency (``UNOPPOSED_CONFIDENCE`` at least), or contradicts it (then below
    the bar, ``KV_ONLY_CONFIDENCE``). Where the model read none, it is the currency:
    above the auto bar when printed twice or more, shown to a person
    (``KV_ONLY_CONFIDENCE``) when once."""
    printed = printed_currencies(_PROVINCE.sub(" ", text))
    if len(printed) != 1:
        return tuple(fields)
    ((code, times),) = printed.items()
    confidence = UNOPPOSED_CONFIDENCE if times >= 2 else KV_ONLY_CONFIDENCE
    read = next((f for f in fields if f.name == "currency" and f.value is not None), None)
    if read is not None:
        if times < 2:
            return tuple(fields)
        if read.value == code:
            weighed = replace(read, confidence=max(read.confidence, confidence))
        else:  # the page prints another currency, twice: a person decides
            weighed = replace(read, confidence=min(read.confidence, KV_ONLY_CONFIDENCE))
        return tuple(weighed if f is read else f for f in fields)
    kept = [f for f in fields if f.name != "currency"]
    return (*kept, Field("currency", code, code, confidence, source="rule"))


def drop_misread_spans(fields: Sequence[Field]) -> tuple[Field, ...]:
    """Without a field whose reading is not of its kind (no value) when another field
    read the same text as its own: "1 578,92 €" is the tax amount, read right, and no due
    date. Nothing could be entered from it; a printed label whose value was not read
    still sends the document to a person (``extractors.validate.labelled_but_unread``)."""
    valued = {f.raw for f in fields if f.value is not None}
    return tuple(f for f in fields if f.value is not None or f.raw not in valued)


def cap_unsettled_dates(fields: Sequence[Field], text: str) -> tuple[Field, ...]:
    """A numeric date that reads two ways (03/04/2024), on a document whose other dates
    do not settle the order, is a guess, however sure the reader was of the span (the
    month-first default for US-dollar English is a convention, not evidence): it is
    capped at ``UNSETTLED_DATE_CONFIDENCE``."""
    if infer_date_order(text) is not None:
        return tuple(fields)
    return tuple(
        replace(f, confidence=UNSETTLED_DATE_CONFIDENCE)
        if f.name.endswith("_date")
        and f.confidence > UNSETTLED_DATE_CONFIDENCE
        and ambiguous_date("date", (f.raw,))
        else f
        for f in fields
    )


def _labels_for(name: str, schema_names: set[str]) -> set[str]:
    if name not in DOCUMENT_DATES:
        return {name}
    return {name} | {d for d in DOCUMENT_DATES if d not in schema_names}


def extract_fields(
    document: Document, doc_type: str, registry: Registry | None = None
) -> tuple[Field, ...]:
    """``FieldExtractor.load(registry).extract(document, doc_type)``."""
    return FieldExtractor.load(registry).extract(document, doc_type)
