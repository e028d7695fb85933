"""Where a value stands on a page: runs of words that read as a field's kind, with the
label printed before (or above) them and their place in the page's text block. Used by
``extractors.memory`` to learn and to recall a vendor's layout."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clerk.documents import Box, Document, Word
from clerk.schemas import FieldKind
from extractors.normalize import NormalizeHints, normalize

MAX_SPAN = 6  # words a value may span
LABEL_WORDS = 3
LABEL_PUNCTUATION = ":.;#"
NEAR = 3.0  # word heights between a label and its value on one line
WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Span:
    raw: str
    value: str
    label: str
    x: float
    y: float
    page: int = 1
    box: Box | None = None


def spans(
    document: Document, kind: FieldKind, hints: NormalizeHints
) -> Iterable[tuple[Span, list[Word]]]:
    """Every run of up to ``MAX_SPAN`` words of one line that reads as a ``kind`` value."""
    for page in document.pages:
        block = text_block(page.words)
        rows = line_groups(page.words)
        for index, line in enumerate(rows):
            for start in range(len(line)):
                for end in range(start + 1, min(len(line), start + MAX_SPAN) + 1):
                    words = line[start:end]
                    raw = " ".join(w.text for w in words)
                    got = normalize(kind, raw, hints)
                    if got is None or (kind in ("amount", "number", "date") and not has_digit(raw)):
                        continue
                    label = label_of(line, start, end, rows[index - 1] if index else [])
                    x, y = centre(words, block)
                    box = union(words)
                    yield Span(raw, got.value, label, x, y, page.number, box), words


def line_groups(words: Sequence[Word]) -> list[list[Word]]:
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return [lines[k] for k in sorted(lines)]


def label_of(line: Sequence[Word], start: int, end: int, above: Sequence[Word]) -> str:
    """The label of the value ``line[start:end]``: the words right before it on its line
    (a gap of at most ``NEAR`` word heights), else the words of letters above it in its
    column (``^issue date``), else the words before it at any distance (a receipt's
    ``TOTAL .... 12.50``), else ""."""
    words = line[start:end]
    first = words[0]
    before = line[:start]
    near = before
    if first.box is not None and before and before[-1].box is not None:
        height = max(first.box.y1 - first.box.y0, 1.0)
        if first.box.x0 - before[-1].box.x1 > NEAR * height:
            near = []
    label = label_words(near)
    if label:
        return label
    column = _in_column(words, above)
    if column and all(WORD.fullmatch(w.text.strip(LABEL_PUNCTUATION)) or not w.text.strip(
            LABEL_PUNCTUATION) for w in column):  # fmt: skip
        text = label_words(column)
        if text:
            return f"^{text}"
    return label_words(before)


def label_words(before: Sequence[Word]) -> str:
    """Up to ``LABEL_WORDS`` words of letters at the end of ``before``."""
    out: list[str] = []
    for word in reversed(before):
        text = word.text.strip(LABEL_PUNCTUATION)
        if not text:
            continue
        if not WORD.fullmatch(text) or len(out) == LABEL_WORDS:
            break
        out.append(text.casefold())
    return " ".join(reversed(out))


def _in_column(words: Sequence[Word], above: Sequence[Word]) -> list[Word]:
    """The words of the line above that overlap ``words`` across (all of it without
    geometry)."""
    box = union(words)
    if box is None:
        return list(above)
    return [w for w in above if w.box is not None and w.box.x0 < box.x1 and w.box.x1 > box.x0]


def text_block(words: Sequence[Word]) -> tuple[float, float, float, float] | None:
    boxes = [w.box for w in words if w.box is not None]
    if not boxes:
        return None
    x0, y0 = min(b.x0 for b in boxes), min(b.y0 for b in boxes)
    x1, y1 = max(b.x1 for b in boxes), max(b.y1 for b in boxes)
    return x0, y0, max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)


def place(
    word: Word, block: tuple[float, float, float, float] | None
) -> tuple[float | None, float | None]:
    if word.box is None or block is None:
        return None, None
    x0, y0, width, height = block
    box = word.box
    return ((box.x0 + box.x1) / 2 - x0) / width, ((box.y0 + box.y1) / 2 - y0) / height


def centre(
    words: Sequence[Word], block: tuple[float, float, float, float] | None
) -> tuple[float, float]:
    places = [place(w, block) for w in words]
    xs = [x for x, _ in places if x is not None]
    ys = [y for _, y in places if y is not None]
    return (sum(xs) / len(xs) if xs else 0.0), (sum(ys) / len(ys) if ys else 0.0)


def inside(span: Span, box: Box) -> bool:
    """The span's words lie within the machine's box (the machine read it there)."""
    if span.box is None:
        return False
    inner = span.box
    return (
        box.x0 - 1 <= inner.x0 and inner.x1 <= box.x1 + 1
        and box.y0 - 1 <= inner.y0 and inner.y1 <= box.y1 + 1
    )  # fmt: skip


def union(words: Sequence[Word]) -> Box | None:
    boxes = [w.box for w in words if w.box is not None]
    if not boxes:
        return None
    out = boxes[0]
    for box in boxes[1:]:
        out = out.union(box)
    return out


def first_lines(document: Document, count: int = 8) -> list[list[Word]]:
    """The first ``count`` lines of page 1: where a vendor prints its name."""
    if not document.pages:
        return []
    return line_groups(document.pages[0].words)[:count]


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
