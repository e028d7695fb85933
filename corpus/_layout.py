"""A document as the renderers draw it and as the reader reads it back.

A page is a list of lines; a line is a list of cells on one baseline; a cell is a run of
text drawn at a horizontal anchor (a fraction of the usable width, left- or right-aligned)
and made of segments, some of which carry a field name. The text of a document follows
from this alone: segments joined by a space, cells by a space, lines by ``\\n`` and pages
by ``\\f`` (``clerk.documents.document_text``), so the spans of labelled segments are
exact by construction.

The JSON form (``Layout.to_dict``) is what ``Sample.layout["pages"]`` holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus.sample import Span

Part = str | tuple[str, str | None]


@dataclass(frozen=True)
class Seg:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Cell:
    segs: tuple[Seg, ...]
    x: float  # 0..1 of the usable width: the left edge, or the right edge when align="right"
    align: str = "left"  # "left" | "right"
    bold: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)


@dataclass(frozen=True)
class Line:
    cells: tuple[Cell, ...]
    gap: float = 0.0  # extra blank space above the line, in line heights
    rule: bool = False  # a horizontal rule below the line (table headers, totals)
    size: float = 1.0  # font size relative to the document's body size


def cell(x: float, *parts: Part, align: str = "left", bold: bool = False) -> Cell | None:
    """A cell from strings and (text, field) pairs; empty parts vanish, as on paper."""
    segs: list[Seg] = []
    for part in parts:
        text, name = (part, None) if isinstance(part, str) else part
        clean = " ".join(text.split())
        if clean:
            segs.append(Seg(clean, name))
    return Cell(tuple(segs), x, align, bold) if segs else None


@dataclass
class Builder:
    """Collects lines page by page; a page breaks by itself after ``page_lines`` lines."""

    page_lines: int = 52
    pages: list[list[Line]] = field(default_factory=lambda: [[]])

    def line(
        self, *cells: Cell | None, gap: float = 0.0, rule: bool = False, size: float = 1.0
    ) -> None:
        kept = tuple(c for c in cells if c is not None)
        if not kept:
            return  # the reader never sees an empty line
        if len(self.pages[-1]) >= self.page_lines:
            self.pages.append([])
        self.pages[-1].append(Line(kept, gap, rule, size))

    def text_line(self, x: float, *parts: Part, **kw: Any) -> None:
        self.line(cell(x, *parts), **kw)

    def break_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])

    def compose(self) -> tuple[str, tuple[Span, ...]]:
        return compose(self.pages)

    def to_dict(self) -> list[list[dict[str, Any]]]:
        return layout_to_dict(self.pages)


def compose(pages: list[list[Line]]) -> tuple[str, tuple[Span, ...]]:
    out: list[str] = []
    spans: list[Span] = []
    pos = 0
    for p, page in enumerate(p for p in pages if p):
        if p:
            out.append("\f")
            pos += 1
        for i, line in enumerate(page):
            if i:
                out.append("\n")
                pos += 1
            first = True
            for c in line.cells:
                for seg in c.segs:
                    if not first:
                        out.append(" ")
                        pos += 1
                    first = False
                    if seg.field:
                        spans.append(Span(pos, pos + len(seg.text), seg.field))
                    out.append(seg.text)
                    pos += len(seg.text)
    return "".join(out), tuple(spans)


def layout_to_dict(pages: list[list[Line]]) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "cells": [
                    {
                        "text": c.text,
                        "x": round(c.x, 4),
                        "align": c.align,
                        "bold": c.bold,
                    }
                    for c in line.cells
                ],
                "gap": line.gap,
                "rule": line.rule,
                "size": line.size,
            }
            for line in page
        ]
        for page in pages
        if page
    ]
