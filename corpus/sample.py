"""The contract between the synthetic corpus and the trainers.

A ``Sample`` is one synthetic document: its type, language, the text exactly as Clerk's
reader renders it (``clerk.documents.document_text``: words joined by single spaces,
lines by ``\\n``, pages by ``\\f``), labelled character spans for NER, and the
ground-truth normalized values keyed by ``clerk.schemas`` field names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str  # a flat field name from clerk.schemas, e.g. "invoice_number"


@dataclass(frozen=True)
class Sample:
    id: str
    doc_type: str
    language: str  # one of corpus.LANGUAGES: "en" | "de" | "fr" | "nl" | "es" | "it" | "pl"
    text: str
    spans: tuple[Span, ...]
    truth: dict[str, str]  # field name (flattened for groups) -> normalized value
    layout: dict[str, Any] = field(default_factory=dict)  # rendering hints, corpus-private
