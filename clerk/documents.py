"""The one document model shared by reading, classifying, extracting, robots and review.

Boxes are in page coordinates with the origin at the top-left: PDF points for PDFs,
pixels for images. ``Page.width``/``height`` use the same unit, so a viewer scales a
box by ``rendered_width / page.width``. Text that has no geometry (plain text, e-mail
bodies, spreadsheets) has ``box=None``.

The JSON form of these classes is the work-item payload between robot steps; it carries
``SCHEMA`` so that a reader can refuse a payload it does not understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import TypeAdapter

SCHEMA = "clerk.understanding/2"  # /2: reasons are ``Reason`` records, not sentences
_READABLE_SCHEMAS = ("clerk.understanding/1", SCHEMA)

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
    ("1234.56"), ISO currency code, or cleaned text. Line items are flattened into
    names like ``line_items.0.amount`` so every field is edited the same way."""

    name: str
    raw: str
    value: str | None
    confidence: float
    page: int | None = None
    box: Box | None = None
    source: FieldSource = "model"


@dataclass(frozen=True)
class Check:
    name: str  # stable, e.g. "net_plus_tax_equals_total"
    passed: bool
    message: str


ReasonKind = Literal["type", "field", "check", "other"]


@dataclass(frozen=True)
class Reason:
    """Why a document waits for a person, as data: what it names (the document type, a
    field by its flat name, a check by its stable name) and a sentence for people. The
    review screen flags and links by ``kind`` and ``name``, never by searching text."""

    kind: ReasonKind
    name: str
    message: str

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
    corrections: tuple[Field, ...] = ()  # a reviewer's fields, source="human"
    schema: str = SCHEMA

    def flags(self, field_name: str) -> bool:
        """A reason names this field."""
        return any(r.kind == "field" and r.name == field_name for r in self.reasons)

    def field(self, name: str) -> Field | None:
        """The effective field: a human correction wins over the machine's value."""
        for candidate in (*reversed(self.corrections), *self.fields):
            if candidate.name == name:
                return candidate
        return None

    def values(self) -> dict[str, str | None]:
        """Effective normalized values by name (corrections applied)."""
        out: dict[str, str | None] = {f.name: f.value for f in self.fields}
        out.update({f.name: f.value for f in self.corrections})
        return out

    def corrected(self, corrections: list[Field]) -> Understanding:
        human = tuple(replace(c, source="human", confidence=1.0) for c in corrections)
        return replace(self, corrections=self.corrections + human)


@dataclass(frozen=True)
class TextWithOffsets:
    """A document's text and, for each word, its character span in that text."""

    text: str
    spans: tuple[tuple[int, int, Word], ...]

    def words_in(self, start: int, end: int) -> list[Word]:
        return [w for s, e, w in self.spans if s < end and e > start]


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
    return _understanding_adapter.dump_python(understanding, mode="json")


def understanding_from_json(data: dict[str, Any]) -> Understanding:
    schema = data.get("schema")
    if schema not in _READABLE_SCHEMAS:
        raise ValueError(
            f"payload schema is {schema!r}, this Clerk reads {SCHEMA!r}; "
            "upgrade the robot that wrote it or re-run the understand step"
        )
    if schema != SCHEMA:  # /1 wrote reasons as sentences; items stored then stay readable
        reasons = data.get("reasons")
        if not isinstance(reasons, list):
            raise ValueError(
                f"a {schema} understanding needs its reasons as a list of sentences, got "
                f"{type(reasons).__name__}; re-run the understand step"
            )
        # Anything but a sentence is left for the validation below to refuse readably.
        data = {
            **data,
            "schema": SCHEMA,
            "reasons": [_reason_of(r) if isinstance(r, str) else r for r in reasons],
        }
    return _understanding_adapter.validate_python(data)


_V1_FIELD = re.compile(r"^field (\S+) = ")
_V1_CHECK = re.compile(r"^check (\S+) failed")


def _reason_of(sentence: str) -> dict[str, str]:
    """A ``clerk.understanding/1`` reason sentence as a ``Reason``'s fields."""
    for kind, pattern in (("field", _V1_FIELD), ("check", _V1_CHECK)):
        if (match := pattern.match(sentence)) is not None:
            return {"kind": kind, "name": match.group(1), "message": sentence}
    return {"kind": "other", "name": "", "message": sentence}


def document_to_json(document: Document) -> dict[str, Any]:
    return _document_adapter.dump_python(document, mode="json")


def document_from_json(data: dict[str, Any]) -> Document:
    return _document_adapter.validate_python(data)
