"""The label reader's values merged into the NER's fields, and the confidence each gets.

Two readers of one document: the trained NER reads spans of the text, and the label
reader (``extractors._keyvalue``) pairs printed labels with the values beside or under
them. ``reconcile`` says what their agreement, disagreement or silence is worth. No
setting: the confidences below are constants, measured with ``bench/bench_keyvalue.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from functools import reduce

from clerk.documents import Box, Field, LineItem
from clerk.schemas import SCHEMAS, FieldKind
from extractors._keyvalue import KeyValue, names_the_buyers_order

# Below the default auto bar (CLERK_AUTO_FIELD_CONFIDENCE = 0.93): a value only the
# geometry found, or one the geometry contradicts, is shown to a person.
KV_ONLY_CONFIDENCE = 0.85
DISAGREE_CONFIDENCE = 0.5
# A NER value that its label's geometry confirms. On rendered synthetic documents, the
# agreeing fields that the NER had scored below 0.93 and that this lifts were right 576
# times in 576 on 3,000 held-out documents not used to design the rule (test seeds 505,
# 606). Day/month-ambiguous numeric dates are not lifted: agreement cannot settle their
# order, and they were the only misses on the design seeds (4 in 739).
AGREE_CONFIDENCE = 0.95
# A value only its own label points at, on a text layer, that the model read as no other
# field (``_unopposed``): a document's own number and dates, whose labels name them alone
# ("Rechnungsnummer", "N° de facture", "PO Number", "Fecha de vencimiento"), or a bare
# "Date" on a page where no label names a date; measured per type and field with
# ``bench/bench_keyvalue.py``: 438/438 right on seeds 505 and 606. An invoice's order
# reference only under a label that names the buyer's order (``names_the_buyers_order``):
# under any order label it was right 127 times in 140 (often the seller's own number).
UNOPPOSED_CONFIDENCE = 0.94
# A model's reading below even odds does not oppose a label's value: "18/12/2026" read as
# the issue date at 0.41 beside "DATA 18/11/2026" (counted apart in the same bench).
EVEN_ODDS = 0.5
UNOPPOSED_FIELDS = {
    "invoice": frozenset({"invoice_number", "issue_date", "due_date"}),
    "purchase_order": frozenset({"po_number", "order_date"}),  # an order's own number
}
# A document's numbers, which with its dates a label can name as one field and the model
# read as another (``claimed_by_another``).
_CLAIMABLE = frozenset({"invoice_number", "po_number"})
# A numeric date with slashes or dashes, which may read day first or month first (a
# dotted one reads day first whatever the document).
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*\d{2,4}\s*$")


def reconcile(
    fields: Sequence[Field],
    candidates: Sequence[KeyValue],
    doc_type: str,
    read_as: Mapping[str, AbstractSet[str]] | None = None,
    rows: Sequence[LineItem] = (),
) -> tuple[Field, ...]:
    """The NER's ``fields`` with the key-value ``candidates`` merged in.

    - A field the NER missed, or whose value did not normalize, takes the candidate's
      value at ``KV_ONLY_CONFIDENCE`` (below the auto bar) with ``source="rule"``; a
      document number or date that nothing contradicts (``_unopposed``: its own label,
      a text layer, not read by the model as another field, not a day/month-ambiguous
      date) at ``UNOPPOSED_CONFIDENCE``, also where the model read another value below
      ``EVEN_ODDS``.
    - A field the candidate contradicts takes the candidate's value, at most at
      ``DISAGREE_CONFIDENCE``, so that a person looks: on held-out documents the
      geometric pairing is right in most disagreements (``bench/bench_keyvalue.py``
      counts them), so the reviewer is shown the likelier value. Unless the model read
      the candidate's value as this field too, only less surely than another
      (``read_as``: each field's values the model read at even odds or better): then
      the label and the model agree on it, as below. "Rechnungsdatum: 03.02.2026" read
      as the issue date by both, beside "Fällig am: 13.02.2026" that the model also
      took for one, is the issue date.
    - Agreement lifts the NER's confidence to at least ``AGREE_CONFIDENCE`` (measured,
      see there) on a text layer, except for a day/month-ambiguous numeric date. Not
      on OCR text: both readers share its misread characters.
    - A field whose labels point at two different values has no candidate, and the NER's
      reading of it stays below the auto bar (``KV_ONLY_CONFIDENCE``)."""
    schema = SCHEMAS.get(doc_type)
    if schema is None:
        return tuple(fields)
    read_as = read_as or {}
    by_name: dict[str, list[KeyValue]] = {}
    for candidate in candidates:
        by_name.setdefault(candidate.name, []).append(candidate)
    out = list(fields)
    for spec in schema.fields:
        found = by_name.get(spec.name, [])
        index = next((i for i, f in enumerate(out) if f.name == spec.name), None)
        current = out[index] if index is not None else None
        labelled = {c.value for c in found}
        if index is not None and current is not None and read_from_a_row(current, spec.kind, rows):
            # A row's amount read as the document's net, tax or total: a person looks.
            current = replace(current, confidence=min(current.confidence, KV_ONLY_CONFIDENCE))
            out[index] = current
        if (
            index is not None
            and current is not None
            and (
                claimed_by_another(current, candidates)
                or (len(labelled) == 1 and in_the_table(current, rows))
            )
        ):
            # The model read as this field the words a label names as another one, or a
            # table row's words where this field's own label points elsewhere: its reading
            # is not this field's, and opposes nothing. This field has what its own label
            # says, or nothing.
            del out[index]
            unread = read_as.get(spec.name, frozenset()) - {current.value}
            read_as = {**read_as, spec.name: unread}
            index = current = None
        if len(labelled) > 1:
            # Two labels of the field, two values ("Prix actuel 182.18", "Tarif 173.50"):
            # which one the document means, a person says.
            if index is not None and current is not None:
                out[index] = replace(
                    current, confidence=min(current.confidence, KV_ONLY_CONFIDENCE)
                )
            continue
        if not found:
            continue
        kv = found[0]
        if current is None or current.value is None:
            confidence = KV_ONLY_CONFIDENCE
            if _unopposed(doc_type, spec.kind, kv, read_as):
                confidence = UNOPPOSED_CONFIDENCE
            field = Field(spec.name, kv.raw, kv.value, confidence, kv.page, kv.box, "rule")
            if index is None:
                out.append(field)
            else:
                out[index] = field
        elif index is not None and current.value != kv.value:
            confidence = min(current.confidence, DISAGREE_CONFIDENCE)
            if kv.value in read_as.get(spec.name, ()) and _agreeable(spec.kind, kv):
                confidence = AGREE_CONFIDENCE
            elif current.confidence < EVEN_ODDS and _unopposed(doc_type, spec.kind, kv, read_as):
                confidence = UNOPPOSED_CONFIDENCE
            out[index] = Field(spec.name, kv.raw, kv.value, confidence, kv.page, kv.box, "rule")
        elif (
            index is not None
            and _agreeable(spec.kind, kv)
            and not ambiguous_date(spec.kind, (current.raw,))
        ):
            out[index] = replace(current, confidence=max(current.confidence, AGREE_CONFIDENCE))
    return tuple(out)


def claimed_by_another(field: Field, candidates: Sequence[KeyValue]) -> bool:
    """The model's reading of a document number or date (``_CLAIMABLE``) is the very words,
    with the same value, that a label names as another field: "21065" under "PO #" read
    as the invoice number, "Date 26 septembre 2021" read as the due date too. Amounts and
    names are not claimed: a net that is the total where no tax is charged shares its
    words, and so does a vendor's name with its sender."""
    if field.value is None or field.box is None or not _claimable(field.name):
        return False
    if any(c.name == field.name and c.value == field.value for c in candidates):
        return False  # its own label says so too: an invoice due the day it is dated
    return any(
        c.name != field.name
        and _claimable(c.name)
        and c.value == field.value
        and c.page == field.page
        and _overlap(c.box, field.box) >= 0.5
        for c in candidates
    )


def in_the_table(field: Field, rows: Sequence[LineItem]) -> bool:
    """The model's reading of a document number or date sits among the rows of the
    document's table, inside the box of their cells on its page: a row's detail ("Art.
    No. P22851" under an item, read as the order reference), not a header's value."""
    if field.value is None or field.box is None or len(rows) < 2:
        return False
    if not _claimable(field.name):
        return False
    boxes = [c.box for row in rows for c in row.cells if c.box is not None and c.page == field.page]
    if not boxes:
        return False
    table = reduce(Box.union, boxes)
    x, y = (field.box.x0 + field.box.x1) / 2, (field.box.y0 + field.box.y1) / 2
    return table.x0 <= x <= table.x1 and table.y0 <= y <= table.y1


def _claimable(name: str) -> bool:
    """A document number (``_CLAIMABLE``) or date: the fields a label can name as one
    and the model read as another."""
    return name in _CLAIMABLE or name.endswith("_date")


def read_from_a_row(field: Field, kind: FieldKind, rows: Sequence[LineItem]) -> bool:
    """The model's document amount (net, tax, total) is a cell of the table, the same
    words: "933,28", the amount of a row printed at a 2.6 % rate, read as the order's
    tax. The totals a document prints stand apart from its rows, even where one row's
    amount is the net."""
    if kind != "amount" or field.value is None or field.box is None:
        return False
    return any(
        cell.value == field.value
        and cell.page == field.page
        and cell.box is not None
        and _overlap(cell.box, field.box) >= 0.5
        for row in rows
        for cell in row.cells
    )


def _overlap(a: Box, b: Box) -> float:
    """The shared area of two boxes as a share of the smaller one's."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0))
    if width <= 0 or height <= 0 or smaller <= 0:
        return 0.0
    return width * height / smaller


def _unopposed(
    doc_type: str, kind: FieldKind, kv: KeyValue, read_as: Mapping[str, AbstractSet[str]]
) -> bool:
    """A document's own number or date, or the buyer's order an invoice names, that only
    its own label points at (a bare "Date" is the document's date where no label names
    one: ``key_values`` keeps it only then), on a text layer, that the model read as no
    other field: nothing contradicts it."""
    own = kv.name in UNOPPOSED_FIELDS.get(doc_type, ())
    if not (own or (doc_type == "invoice" and names_the_buyers_order(kv))):
        return False
    if not _agreeable(kind, kv):
        return False
    return not any(kv.value in values for other, values in read_as.items() if other != kv.name)


def _agreeable(kind: FieldKind, kv: KeyValue) -> bool:
    """Agreement with the label's value can confirm it: read from a text layer (OCR text
    gives both readers the same misread characters), and not a date that reads two ways."""
    return kv.ocr >= 1.0 and not ambiguous_date(kind, (kv.raw,))


def ambiguous_date(kind: FieldKind, raws: Sequence[str]) -> bool:
    """A numeric date that reads as two dates (03/04/2024, 03.04.2024) is as unsure
    after agreement as before: both readers read it with the same document hints.
    Dotted dates are not: no month-first convention writes dots, and the normalizer
    reads them day-first whatever the hints."""
    if kind != "date":
        return False
    for raw in raws:
        match = _NUMERIC_DATE.match(raw)
        if match is not None:
            first, second = int(match.group(1)), int(match.group(2))
            if first != second and first <= 12 and second <= 12:
                return True
    return False
