"""The one document model shared by reading, classifying, extracting, robots and review.

Boxes are in page coordinates with the origin at the top-left: PDF points for PDFs,
pixels for images. ``Page.width``/``height`` use the same unit, so a viewer scales a
box by ``rendered_width / page.width``. Text that has no geometry (plain text, e-mail
bodies, spreadsheets) has ``box=None``.

The JSON form of these classes is the work-item payload between robot steps; it carries
``SCHEMA`` so that a reader can refuse a payload it does not understand.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import TypeAdapter

from clerk.schemas import MAX_ROWS, SCHEMAS, addressed, cell_address, parse_cell_address

# /2: reasons are ``Reason`` records, not sentences. /3: line items are rows
# (``Understanding.line_items``), not cells flattened into ``fields``.
SCHEMA = "clerk.understanding/3"
_READABLE_SCHEMAS = ("clerk.understanding/1", "clerk.understanding/2", SCHEMA)

TextSource = Literal["text-layer", "ocr"]
Decision = Literal["auto", "review"]
FieldSource = Literal["model", "rule", "human"]

DOC_TYPES: tuple[str, ...] = (
    "invoice",
    "purchase_order",
    "receipt",
    "product_update",
    "remittance_advice",
    "other",
)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..1; exactly 1.0 only for a text layer (OCR gives at most 0.99)
    page: int  # 1-based
    line: int  # 0-based line index within the page, in reading order
    box: Box | None = None


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: tuple[Word, ...] = ()

    @property
    def text(self) -> str:
        return page_text(self)


@dataclass(frozen=True)
class Document:
    sha256: str
    name: str
    mime: str
    pages: tuple[Page, ...]
    text_source: TextSource

    @property
    def text(self) -> str:
        return document_text(self).text


@dataclass(frozen=True)
class Field:
    """One extracted value. ``value`` is normalized: ISO date, plain decimal string
    ("1234.56"), ISO currency code, or cleaned text. ``name`` is a flat field's name
    (``total_amount``), a line item cell's column (``amount``) inside a ``LineItem``, or,
    for a reviewer's correction of a cell, the cell's address (``line_items.0.amount``,
    ``clerk.schemas.cell_address``)."""

    name: str
    raw: str
    value: str | None
    confidence: float
    page: int | None = None
    box: Box | None = None
    source: FieldSource = "model"


@dataclass(frozen=True)
class LineItem:
    """One row of a document's table (line items; a remittance advice's paid invoices).
    ``cells`` are the row's fields in the schema's column order, each named by its column
    (``description``, ``quantity``, ``unit_price``, ``amount``); a column the row does not
    show has no cell."""

    cells: tuple[Field, ...] = ()

    def cell(self, column: str) -> Field | None:
        return next((c for c in self.cells if c.name == column), None)

    def values(self) -> dict[str, str | None]:
        return {c.name: c.value for c in self.cells}


@dataclass(frozen=True)
class Check:
    name: str  # stable, e.g. "net_plus_tax_equals_total"
    passed: bool
    message: str
    rows: tuple[int, ...] = ()  # the line items (0-based) a failed check found wrong


ReasonKind = Literal["type", "field", "check", "rows", "other"]


@dataclass(frozen=True)
class Reason:
    """Why a document waits for a person, as data: what it names (the document type, a
    field by its flat name, a check by its stable name, ``rows``: the line items by their
    group's name) and a sentence for people. ``rows`` are the line items (0-based) it is
    about. The review screen flags and links by ``kind``, ``name`` and ``rows``, never by
    searching text."""

    kind: ReasonKind
    name: str
    message: str
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Understanding:
    document_sha256: str
    document_name: str
    doc_type: str
    type_confidence: float
    top3: tuple[tuple[str, float], ...]
    fields: tuple[Field, ...]
    checks: tuple[Check, ...]
    decision: Decision
    reasons: tuple[Reason, ...]
    model_versions: dict[str, str] = field(default_factory=dict)
    text_source: TextSource = "text-layer"
    pages: int = 1
    # Each page's (width, height) as the reader measured it, in the unit the boxes use
    # (PDF points, image pixels): the review screen draws the boxes on them. Empty when
    # the pages have no size (text, spreadsheet) or the payload was written before.
    page_sizes: tuple[tuple[float, float], ...] = ()
    # A reviewer's fields, source="human": a flat field by its name, a cell by its address.
    corrections: tuple[Field, ...] = ()
    line_items: tuple[LineItem, ...] = ()  # the machine's rows; ``fields`` are flat only
    schema: str = SCHEMA
    # A candidate model's reading beside this one, never used to decide (pipeline.shadow):
    # {"model_versions", "doc_type", "type_confidence", "values"} or {..., "error"}.
    shadow: dict[str, Any] | None = None
    # The reviewer who set ``doc_type`` ("Read again as this type"); None: the classifier.
    # A person's type has ``type_confidence`` 1.0; ``top3`` stays the classifier's view.
    type_set_by: str | None = None

    @property
    def row_group(self) -> str:
        """The name of the doc type's repeated group, as cell addresses use it."""
        schema = SCHEMAS.get(self.doc_type)
        spec = schema.rows if schema is not None else None
        return spec.name if spec is not None else "line_items"

    def flags(self, field_name: str) -> bool:
        """A reason names this flat field."""
        return any(r.kind == "field" and r.name == field_name for r in self.reasons)

    def flags_row(self, row: int) -> bool:
        """A reason names this line item (0-based)."""
        return any(row in r.rows for r in self.reasons)

    def field(self, name: str) -> Field | None:
        """The effective field by flat name or cell address: a human correction wins over
        the machine's value."""
        cell = parse_cell_address(name)
        if cell is not None:
            return self.cell(cell[1], cell[2]) if cell[0] == self.row_group else None
        for candidate in (*reversed(self.corrections), *self.fields):
            if candidate.name == name:
                return candidate
        return None

    def cell(self, row: int, column: str) -> Field | None:
        """The effective cell of line item ``row`` (0-based), named by its column."""
        address = cell_address(self.row_group, row, column)
        for correction in reversed(self.corrections):
            if correction.name == address:
                return replace(correction, name=column)
        if 0 <= row < len(self.line_items):
            return self.line_items[row].cell(column)
        return None

    def address(self, row: int, column: str) -> str:
        """The stable address of a cell, for a correction or the audit log."""
        return cell_address(self.row_group, row, column)

    def rows(self) -> tuple[LineItem, ...]:
        """The effective line items (corrections applied), cells in schema column order;
        a correction to a row past the machine's last adds that row, and a row whose
        cells a person emptied is gone (``indexed_rows``)."""
        return tuple(row for _, row in self.indexed_rows())

    def row_count(self) -> int:
        """How many row indexes the line items use, removed rows included: the index a
        new row gets."""
        group = self.row_group
        corrected = [
            cell[1]
            for c in self.corrections
            if (cell := parse_cell_address(c.name)) is not None and cell[0] == group
        ]
        return max([len(self.line_items), *(r + 1 for r in corrected)])

    def indexed_rows(self) -> tuple[tuple[int, LineItem], ...]:
        """The effective line items with their indexes (the row in their cells'
        addresses). A row a person corrected until no cell holds a value is left out:
        that is how a reviewer removes a line the machine read (the indexes of the other
        rows keep, so every address stays valid)."""
        group = self.row_group
        corrected_rows = {
            cell[1]
            for c in self.corrections
            if (cell := parse_cell_address(c.name)) is not None and cell[0] == group
        }
        columns = self.columns()
        out = []
        for row in range(self.row_count()):
            cells = [c for col in columns if (c := self.cell(row, col)) is not None]
            machine = self.line_items[row].cells if row < len(self.line_items) else ()
            cells += [c for c in machine if c.name not in columns]
            if row in corrected_rows and not any(c.value for c in cells):
                continue
            out.append((row, LineItem(tuple(cells))))
        return tuple(out)

    def columns(self) -> tuple[str, ...]:
        """The columns of the doc type's line items, in schema order."""
        schema = SCHEMAS.get(self.doc_type)
        spec = schema.rows if schema is not None else None
        return tuple(f.name for f in spec.fields) if spec is not None else ()

    def values(self) -> dict[str, str | None]:
        """Effective normalized values of the flat fields by name (corrections applied)."""
        out: dict[str, str | None] = {f.name: f.value for f in self.fields}
        out.update(
            {f.name: f.value for f in self.corrections if parse_cell_address(f.name) is None}
        )
        return out

    def row_values(self) -> list[dict[str, str | None]]:
        """Effective normalized values of each line item by column (corrections applied)."""
        return [row.values() for row in self.rows()]

    def addressed_values(self) -> dict[str, str | None]:
        """Effective values of the flat fields by name and of the cells by address, for
        comparison with ground truth kept that way (``clerk.schemas.addressed``)."""
        return addressed(self.values(), self.row_values(), self.row_group)

    def corrected(self, corrections: list[Field]) -> Understanding:
        human = tuple(replace(c, source="human", confidence=1.0) for c in corrections)
        return replace(self, corrections=self.corrections + human)


@dataclass(frozen=True)
class TextWithOffsets:
    """A document's text and, for each word, its character span in that text."""

    text: str
    spans: tuple[tuple[int, int, Word], ...]

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words overlapping ``[start, end)``. ``document_text`` makes the spans in
        text order without overlaps, so those words are one run of them, found by
        bisection: rules ask this for every value they place, dozens of times a page."""
        spans = self.spans
        out: list[Word] = []
        # from the first word that ends after start, up to the first that starts at end
        for index in range(bisect.bisect_right(self._ends, start), len(spans)):
            s, _, word = spans[index]
            if s >= end:
                break
            out.append(word)
        return out

    @functools.cached_property
    def _ends(self) -> list[int]:
        return [e for _, e, _ in self.spans]


def page_text(page: Page) -> str:
    return _join_words(page.words)[0]


def document_text(document: Document) -> TextWithOffsets:
    """Words joined by spaces, lines by newlines, pages by a form feed.

    Every consumer (classifier, NER, review) uses this one rendering, so a character
    offset found by one is a valid offset for all of them."""
    parts: list[str] = []
    spans: list[tuple[int, int, Word]] = []
    offset = 0
    for index, page in enumerate(document.pages):
        if index:
            parts.append("\f")
            offset += 1
        text, page_spans = _join_words(page.words)
        parts.append(text)
        spans.extend((s + offset, e + offset, w) for s, e, w in page_spans)
        offset += len(text)
    return TextWithOffsets("".join(parts), tuple(spans))


def _join_words(words: tuple[Word, ...]) -> tuple[str, list[tuple[int, int, Word]]]:
    chunks: list[str] = []
    spans: list[tuple[int, int, Word]] = []
    position = 0
    current_line: int | None = None
    for word in words:
        if current_line is not None:
            separator = " " if word.line == current_line else "\n"
            chunks.append(separator)
            position += 1
        current_line = word.line
        chunks.append(word.text)
        spans.append((position, position + len(word.text), word))
        position += len(word.text)
    return "".join(chunks), spans


def words_from_text(text: str, page: int = 1) -> tuple[Word, ...]:
    """Words for text that has no geometry (plain text, e-mail bodies)."""
    words: list[Word] = []
    line_index = 0
    for line in text.splitlines():
        tokens = line.split()
        if not tokens:
            continue
        words.extend(Word(t, 1.0, page, line_index) for t in tokens)
        line_index += 1
    return tuple(words)


_understanding_adapter: TypeAdapter[Understanding] = TypeAdapter(Understanding)
_document_adapter: TypeAdapter[Document] = TypeAdapter(Document)


def understanding_to_json(understanding: Understanding) -> dict[str, Any]:
    """The payload form: each line item is an object of its cells by column,
    ``{"description": {field}, "quantity": {field}, ...}``."""
    data: dict[str, Any] = _understanding_adapter.dump_python(understanding, mode="json")
    data["line_items"] = [{c["name"]: c for c in row["cells"]} for row in data["line_items"]]
    for key in ("shadow", "type_set_by"):  # most items: none, no key
        if data.get(key) is None:
            data.pop(key, None)
    return data


def understanding_from_json(data: dict[str, Any]) -> Understanding:
    schema = data.get("schema")
    if schema not in _READABLE_SCHEMAS:
        raise ValueError(
            f"payload schema is {schema!r}, this Clerk reads {SCHEMA!r}; "
            "upgrade the robot that wrote it or re-run the understand step"
        )
    if schema == "clerk.understanding/1":  # reasons as sentences; stored items stay readable
        reasons = data.get("reasons")
        if not isinstance(reasons, list):
            raise ValueError(
                f"a {schema} understanding needs its reasons as a list of sentences, got "
                f"{type(reasons).__name__}; re-run the understand step"
            )
        # Anything but a sentence is left for the validation below to refuse readably.
        data = {**data, "reasons": [_reason_of(r) if isinstance(r, str) else r for r in reasons]}
    if schema != SCHEMA:  # /1 and /2 flattened line items into fields
        data = _rows_of_cells(data)
    else:
        rows = data.get("line_items", [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError(
                f"a {SCHEMA} understanding needs line_items as a list of objects of cells "
                f"by column, got {rows!r:.80}; re-run the understand step"
            )
        data = {**data, "line_items": [_row_of(r) for r in rows]}
    understanding = _understanding_adapter.validate_python({**data, "schema": SCHEMA})
    far = [
        c.name
        for c in understanding.corrections
        if (cell := parse_cell_address(c.name)) is not None and cell[1] >= MAX_ROWS
    ]
    if far or len(understanding.line_items) > MAX_ROWS:
        raise ValueError(
            f"the understanding names line items past the {MAX_ROWS} a document may have "
            f"({', '.join(far[:3]) or len(understanding.line_items)}); re-run the understand step"
        )
    return understanding


def _row_of(cells: dict[str, Any]) -> dict[str, Any]:
    """A payload row (cells by column) as ``LineItem`` data; the key names the cell."""
    return {
        "cells": [
            {**cell, "name": column} if isinstance(cell, dict) else cell
            for column, cell in cells.items()
        ]
    }


def _rows_of_cells(data: dict[str, Any]) -> dict[str, Any]:
    """A /1 or /2 understanding, whose fields held line item cells under their addresses
    (``line_items.0.amount``), with those cells moved into rows and each reason that named
    a cell naming its row."""
    fields = data.get("fields")
    if not isinstance(fields, list):
        return data  # left for the validation to refuse readably
    schema = SCHEMAS.get(str(data.get("doc_type")))
    spec = schema.rows if schema is not None else None
    order = [f.name for f in spec.fields] if spec is not None else []
    flat: list[Any] = []
    rows: dict[int, list[dict[str, Any]]] = {}
    for f in fields:
        name = f.get("name") if isinstance(f, dict) else None
        cell = parse_cell_address(name) if isinstance(name, str) else None
        if cell is None:
            flat.append(f)
        else:
            rows.setdefault(cell[1], []).append({**f, "name": cell[2]})
    count = max(rows, default=-1) + 1
    if count > MAX_ROWS:
        raise ValueError(
            f"a {data.get('schema')} understanding has a cell of line item {count}, past the "
            f"{MAX_ROWS} a document may have; re-run the understand step"
        )
    line_items = [  # rows keep their index: corrections address cells by it
        {"cells": sorted(rows.get(i, []), key=lambda c: _position(order, c["name"]))}
        for i in range(count)
    ]
    reasons = data.get("reasons")
    if isinstance(reasons, list):
        reasons = [_row_reason(r) for r in reasons]
    return {**data, "fields": flat, "line_items": line_items, "reasons": reasons}


def _position(order: list[str], column: str) -> int:
    return order.index(column) if column in order else len(order)


def _row_reason(reason: Any) -> Any:
    if isinstance(reason, dict) and reason.get("kind") == "field":
        cell = parse_cell_address(str(reason.get("name", "")))
        if cell is not None:
            return {**reason, "kind": "rows", "name": cell[0], "rows": [cell[1]]}
    return reason


_V1_FIELD = re.compile(r"^field (\S+) = ")
_V1_CHECK = re.compile(r"^check (\S+) failed")


def _reason_of(sentence: str) -> dict[str, str]:
    """A ``clerk.understanding/1`` reason sentence as a ``Reason``'s fields."""
    for kind, pattern in (("field", _V1_FIELD), ("check", _V1_CHECK)):
        if (match := pattern.match(sentence)) is not None:
            return {"kind": kind, "name": match.group(1), "message": sentence}
    return {"kind": "other", "name": "", "message": sentence}


def document_to_json(document: Document) -> dict[str, Any]:
    data: dict[str, Any] = _document_adapter.dump_python(document, mode="json")
    return data


def document_from_json(data: dict[str, Any]) -> Document:
    return _document_adapter.validate_python(data)
