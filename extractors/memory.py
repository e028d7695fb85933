"""Vendor memory: where a vendor's documents of one layout print each field, as evidence.

When a person confirms a document's fields (an approval in the console, ``clerk
corrections add``), ``observe`` records per field what stood on the page: the label
printed before it (or above it), its place in the text block (0..1 across and down) and
its format (``shape``: ``99/99/9999`` for a date, ``.2`` for an amount with two decimals,
``AAA-99999`` for an invoice number). Names and ids that are the vendor's own (its name,
VAT id, IBAN) are remembered by value. The Control Room keeps these entries per vendor
(``vendor_keys``: VAT id, IBAN, else the normalized name) and per layout
(``layout_of``: the first label words of page 1 and the column each stands in).

On the next document, ``choose`` finds the entry of its vendor and layout, and ``recall``
reads each remembered field where the entry says it stands: after the same label, in the
same format. A value found so becomes the field's reading; where the model read the same
value the two readings agree. ``lift`` then confirms the agreeing fields (the
confidence of a checked table row, as ``extractors.corroborate`` does) only when the
entry has been confirmed ``min_confirmations`` times, no check of the document failed,
and every remembered field agrees; a remembered field that reads differently from the
model fails the ``vendor_memory_agrees`` check, so a person looks. A remembered label
followed by a value of another format yields no reading, and the entry then confirms no
field of that document.

This module is pure: the Control Room stores the entries
(``controlroom.services.vendor_memory``) and a worker fetches them over the robot API.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from difflib import SequenceMatcher
from typing import Any, Protocol

from clerk.documents import Check, Document, Field
from clerk.schemas import SCHEMAS, FieldKind
from extractors import _memory_places as places
from extractors._memory_places import Span
from extractors.normalize import NormalizeHints, hints_from_text
from extractors.vendor_master import id_key, name_key

CHECK = "vendor_memory_agrees"
# The vendor's name field on each type: the sender (a purchase order's is its buyer).
NAME_FIELD = {
    "invoice": "vendor_name",
    "receipt": "merchant_name",
    "purchase_order": "buyer_name",
    "remittance_advice": "payer_name",
}
ID_FIELDS = ("vendor_vat_id", "iban")
# A value read from memory alone, with no second reading: below the auto bar (0.93).
MEMORY_CONFIDENCE = 0.90
LAYOUT_WORDS = 30  # label words of page 1 that make a layout
# Token overlap (Jaccard) for "the same layout" of a vendor whose name or ids were read
# (it only tells that vendor's layouts apart: the labels must match too), and of one
# whose were not. Set from the overlaps of real receipts (OCR, bench/bench_learning.py's
# documents): SAME_LAYOUT where different shops' pairs stop (their 99th percentile), well
# below most of one shop's pairs.
SAME_LAYOUT = 0.2
SAME_LETTERHEAD = 0.6
SAME_NAME = 0.85  # difflib ratio of normalized names: OCR slips in a remembered name
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Layout:
    signature: str  # hash of the tokens: the same layout gives the same signature
    tokens: tuple[str, ...]  # "word:column", sorted

    def similarity(self, other: Layout) -> float:
        a, b = set(self.tokens), set(other.tokens)
        return len(a & b) / len(a | b) if a | b else 0.0


@dataclass(frozen=True)
class FieldMemory:
    name: str
    label: str  # the words before the value ("total rm"), "^..." when above it; "" none
    x: float  # the value's centre in the page's text block, 0..1 across
    y: float  # ... and down
    shape: str
    value: str | None = None  # kept for the vendor's own name and ids only
    confirmations: int = 1


@dataclass(frozen=True)
class MemoryEntry:
    vendor_key: str
    vendor_name: str
    doc_type: str
    layout: Layout
    fields: tuple[FieldMemory, ...]
    confirmations: int = 1
    version: int = 1

    def field(self, name: str) -> FieldMemory | None:
        return next((f for f in self.fields if f.name == name), None)


class MemorySource(Protocol):
    """Where a pipeline gets the entries: the Control Room database or its robot API."""

    def entries(self, doc_type: str) -> Sequence[MemoryEntry]: ...


@dataclass(frozen=True)
class Recalled:
    """What ``recall`` found: per field, the value read where the entry says."""

    entry: MemoryEntry
    agree: tuple[str, ...]  # the model read the same value
    differ: tuple[tuple[str, str | None, str], ...]  # (field, model's value, memory's)
    taken: tuple[str, ...]  # fields whose reading came from memory (differ or missing)
    # Remembered labels followed by a value of another format: memory confirms nothing.
    other_format: tuple[str, ...] = ()


# -- keys and layouts ---------------------------------------------------------------------


def vendor_keys(doc_type: str, values: Mapping[str, str | None]) -> list[str]:
    """The keys a document's vendor is known by, strongest first: VAT id, IBAN, name."""
    keys = [f"{k}:{id_key(v)}" for k in ID_FIELDS if (v := values.get(k)) and id_key(v)]
    name = values.get(NAME_FIELD.get(doc_type, ""))
    if name and name_key(name):
        keys.append(f"name:{name_key(name)}")
    return keys


def layout_of(document: Document) -> Layout:
    """The first ``LAYOUT_WORDS`` words of letters on page 1, each with the third of
    the text block it stands in: values (digits) change from document to document,
    labels and the letterhead do not."""
    if not document.pages:
        return Layout("", ())
    page = document.pages[0]
    block = places.text_block(page.words)
    tokens: set[str] = set()
    for word in page.words:
        if len(tokens) >= LAYOUT_WORDS:
            break
        if not places.WORD.fullmatch(word.text.strip(":.,;")):
            continue
        x, _ = places.place(word, block)
        column = "-" if x is None else str(min(2, int(x * 3)))
        tokens.add(f"{word.text.strip(':.,;').casefold()}:{column}")
    ordered = tuple(sorted(tokens))
    signature = hashlib.sha256(" ".join(ordered).encode()).hexdigest()[:16]
    return Layout(signature, ordered)


def shape(kind: FieldKind, raw: str) -> str:
    """A value's format: an amount's decimal separator and places (``.2``, ``,2``,
    ``int``), a date's digits and words (``99/99/9999``, ``99 a 9999``), any other
    value's letters and digits (``AAA-99999``)."""
    text = raw.strip()
    if kind in ("amount", "number"):
        digits = re.sub(r"[^\d.,]", "", text)
        match = re.search(r"([.,])(\d{1,3})$", digits)
        return f"{match[1]}{len(match[2])}" if match and len(match[2]) != 3 else "int"
    if kind == "date":
        return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d", "9", text))
    return re.sub(r"[^\W\d_]", "A", re.sub(r"\d", "9", text))


def entry_to_json(entry: MemoryEntry) -> dict[str, Any]:
    """The robot API's form of an entry (``entry_from_json`` reads it back)."""
    return asdict(entry)


def entry_from_json(data: Mapping[str, Any]) -> MemoryEntry:
    """An entry from the robot API; ``ValueError`` for anything else."""
    try:
        layout = data["layout"]
        return MemoryEntry(
            vendor_key=str(data["vendor_key"]),
            vendor_name=str(data["vendor_name"]),
            doc_type=str(data["doc_type"]),
            layout=Layout(str(layout["signature"]), tuple(map(str, layout["tokens"]))),
            fields=tuple(FieldMemory(**f) for f in data["fields"]),
            confirmations=int(data["confirmations"]),
            version=int(data["version"]),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a vendor memory entry ({exc}): {str(data)[:80]}") from None


# -- teaching -----------------------------------------------------------------------------


def observe(
    document: Document,
    doc_type: str,
    confirmed: Mapping[str, str],
    machine: Sequence[Field] = (),
) -> list[FieldMemory]:
    """Where each confirmed value (normalized, by field name) stands in ``document``.
    A value printed nowhere is not remembered; where it is printed more than once, the
    place the machine read it wins, then a labelled place, then the first."""
    schema = SCHEMAS.get(doc_type)
    if schema is None:
        return []
    hints = hints_from_text(document.text)
    read_at = {f.name: f.box for f in machine if f.box is not None}
    out: list[FieldMemory] = []
    for spec in schema.fields:
        value = confirmed.get(spec.name)
        if not value:
            continue
        own = spec.name in ID_FIELDS or spec.name == NAME_FIELD.get(doc_type)
        spans = [s for s, words in places.spans(document, spec.kind, hints) if s.value == value or (
            own and _same_name(s.raw, value))]  # fmt: skip
        if not spans:
            continue
        box = read_at.get(spec.name)
        best = next((s for s in spans if box is not None and places.inside(s, box)), None)
        best = best or next((s for s in spans if s.label), spans[0])
        out.append(
            FieldMemory(
                spec.name,
                best.label,
                round(best.x, 3),
                round(best.y, 3),
                shape(spec.kind, best.raw),
                value if own else None,
            )
        )
    return out


def merged(old: Sequence[FieldMemory], new: Sequence[FieldMemory]) -> tuple[FieldMemory, ...]:
    """An entry's fields after one more confirmation: a field remembered the same way
    again (label, shape, own value) counts one more confirmation; one remembered
    differently starts again at one."""
    before = {f.name: f for f in old}
    out = []
    for f in new:
        prior = before.pop(f.name, None)
        same = prior is not None and (prior.label, prior.shape, prior.value) == (
            f.label,
            f.shape,
            f.value,
        )
        out.append(replace(f, confirmations=prior.confirmations + 1) if same and prior else f)
    return (*out, *before.values())


# -- recalling ----------------------------------------------------------------------------


def choose(
    entries: Iterable[MemoryEntry],
    document: Document,
    doc_type: str,
    values: Mapping[str, str | None],
) -> MemoryEntry | None:
    """The entry of this document's vendor and layout: its vendor key was read (or its
    remembered name is printed in the first lines) and the layouts overlap by
    ``SAME_LAYOUT``; or, with no vendor read, they overlap by ``SAME_LETTERHEAD``."""
    keys = set(vendor_keys(doc_type, values))
    layout = layout_of(document)
    head = _head(document)
    best: tuple[float, MemoryEntry] | None = None
    for entry in entries:
        if entry.doc_type != doc_type:
            continue
        similarity = layout.similarity(entry.layout)
        named = entry.vendor_key in keys or _printed(entry.vendor_name, head)
        if similarity >= (SAME_LAYOUT if named else SAME_LETTERHEAD) and (
            best is None or similarity > best[0]
        ):
            best = (similarity, entry)
    return best[1] if best else None


def recall(
    entry: MemoryEntry, document: Document, doc_type: str, fields: Sequence[Field]
) -> tuple[tuple[Field, ...], Recalled]:
    """``fields`` with each remembered field read where ``entry`` says it stands. A field
    the model did not read takes memory's reading at ``MEMORY_CONFIDENCE``, and so does
    the vendor's own name or id read otherwise (the one a person confirmed is printed);
    a field read differently at a remembered place keeps the model's value (the check
    ``lift`` adds fails, so a person looks); one read the same keeps the model's."""
    schema = SCHEMAS[doc_type]
    hints = hints_from_text(document.text)
    head = _head(document)
    by_name = {f.name: f for f in fields}
    agree: list[str] = []
    differ: list[tuple[str, str | None, str]] = []
    taken: list[str] = []
    other_format: list[str] = []
    out = list(fields)
    for memory in entry.fields:
        spec = schema.spec(memory.name)
        if spec is None:
            continue
        if memory.value is not None:
            found = memory.value if _printed(memory.value, head) or _printed_id(
                memory.value, document.text) else None  # fmt: skip
            span: Span | None = None
        else:
            span, odd = _where(memory, document, spec.kind, hints)
            found = span.value if span else None
            if odd:
                other_format.append(memory.name)
        if found is None:
            continue
        model = by_name.get(memory.name)
        if model is not None and model.value == found:
            agree.append(memory.name)
            continue
        if model is not None and memory.value is not None and _same_name(model.value, found):
            agree.append(memory.name)  # an OCR slip in the vendor's name: its confirmed one
            out = [replace(f, value=found) if f is model else f for f in out]
            continue
        if model is not None:
            differ.append((memory.name, model.value, found))
            if memory.value is None:  # a place read differently: the model's stays
                continue
        taken.append(memory.name)
        raw, page, box = (span.raw, span.page, span.box) if span else (found, None, None)
        read = Field(memory.name, raw, found, MEMORY_CONFIDENCE, page, box, source="rule")
        if model is not None:
            out = [read if f is model else f for f in out]
        else:
            out.append(read)
    recalled = Recalled(entry, tuple(agree), tuple(differ), tuple(taken), tuple(other_format))
    return tuple(out), recalled


def lift(
    recalled: Recalled,
    fields: Sequence[Field],
    checks: Sequence[Check],
    min_confirmations: int,
    bar: float,
) -> tuple[tuple[Field, ...], tuple[Check, ...]]:
    """The ``vendor_memory_agrees`` check, and the agreeing fields confirmed at ``bar``
    when the entry may lift (confirmed often enough, every remembered field read agrees,
    no other check failed)."""
    entry = recalled.entry
    if recalled.differ:
        said = "; ".join(f"{n}: read {m!r}, remembered place gives {r!r}" for n, m, r in
                         recalled.differ)  # fmt: skip
        check = Check(CHECK, False, f"{entry.vendor_name}'s remembered layout disagrees: {said}")
        return tuple(fields), (*checks, check)
    if not recalled.agree:
        return tuple(fields), tuple(checks)
    agreed = ", ".join(recalled.agree)
    message = (
        f"{agreed} read where {entry.vendor_name}'s documents of this layout print them "
        f"(confirmed {entry.confirmations} time(s), version {entry.version})"
    )
    why = ""
    if entry.confirmations < min_confirmations:
        why = f"the memory needs {min_confirmations} confirmation(s)"
    elif recalled.other_format:
        odd = ", ".join(recalled.other_format)
        why = f"the remembered place of {odd} shows a value of another format"
    elif recalled.taken:
        why = f"{', '.join(recalled.taken)} came from memory alone"
    elif not all(c.passed for c in checks):
        why = "another check failed"
    if why:
        message += f"; not used to confirm: {why}"
        return tuple(fields), (*checks, Check(CHECK, True, message))
    lifted = tuple(
        replace(f, confidence=max(f.confidence, bar)) if f.name in recalled.agree else f
        for f in fields
    )
    return lifted, (*checks, Check(CHECK, True, message))


# -- where values stand ------------------------------------------------------------------


def _where(
    memory: FieldMemory, document: Document, kind: FieldKind, hints: NormalizeHints
) -> tuple[Span | None, bool]:
    """The value of ``memory``'s format after its label (nearest its remembered place);
    with no label remembered, one within a tenth of the block of that place. And whether
    the label is there followed by a value of another format only."""
    near: list[tuple[float, Span]] = []
    other_format = False
    for span, _ in places.spans(document, kind, hints):
        if memory.label and span.label != memory.label:
            continue
        if not memory.label and (abs(span.x - memory.x) > 0.1 or abs(span.y - memory.y) > 0.1):
            continue
        if shape(kind, span.raw) != memory.shape:
            other_format = other_format or bool(memory.label)
            continue
        near.append((abs(span.x - memory.x) + abs(span.y - memory.y), span))
    if not near:
        return None, other_format
    near.sort(key=lambda pair: (pair[0], -len(pair[1].raw)))
    return near[0][1], False


def _same_name(read: str | None, value: str) -> bool:
    a, b = name_key(read or ""), name_key(value)
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= SAME_NAME)


def _head(document: Document) -> list[str]:
    """The first lines of page 1, each normalized (``name_key``), and each two together
    (a name may wrap)."""
    lines = ["".join(name_key(w.text) for w in line) for line in places.first_lines(document)]
    return [*lines, *(a + b for a, b in itertools.pairwise(lines))]


def _printed(name: str, head: Sequence[str]) -> bool:
    """``name`` is printed in ``head``, but for OCR slips: a run of a line's characters
    as long as the name matches it by ``SAME_NAME``."""
    key = name_key(name)
    if len(key) < 4:
        return False
    for line in head:
        if key in line:
            return True
        if len(line) < len(key) * SAME_NAME:
            continue
        for start in range(0, max(1, len(line) - len(key) + 1)):
            window = line[start : start + len(key)]
            if SequenceMatcher(None, key, window).ratio() >= SAME_NAME:
                return True
    return False


def _printed_id(value: str, text: str) -> bool:
    key = id_key(value)
    return len(key) >= 6 and key in id_key(text)
