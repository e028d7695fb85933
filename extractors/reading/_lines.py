"""Reading order for words that carry boxes: lines top-to-bottom, words left-to-right.

Words join a line when their vertical extents overlap by at least half the smaller
height. Overlap, not equal ``top`` values, is the test because words on one baseline in
different fonts or sizes (a bold label beside a regular value, two columns set in
different sizes) have different tops but share most of their height, while the next
line down overlaps little or not at all. The line's extent is the running mean of its
words' extents rather than their union, so one tall word (a logo glyph, a superscript)
cannot chain two neighbouring lines together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clerk.documents import Box, Word

# Share of the smaller height two words must overlap vertically to sit on one line.
_MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class Placed:
    """A word's text and box before its line is known."""

    text: str
    box: Box
    confidence: float = 1.0


@dataclass
class _Line:
    top: float
    bottom: float
    count: int
    words: list[Placed]

    def overlap(self, box: Box) -> float:
        shared = min(self.bottom, box.y1) - max(self.top, box.y0)
        smaller = min(self.bottom - self.top, box.y1 - box.y0)
        if smaller <= 0:  # a zero-height word (rare in broken PDFs): compare centres
            centre = (box.y0 + box.y1) / 2
            return 1.0 if self.top <= centre <= self.bottom else 0.0
        return shared / smaller

    def add(self, word: Placed) -> None:
        self.count += 1
        self.top += (word.box.y0 - self.top) / self.count
        self.bottom += (word.box.y1 - self.bottom) / self.count
        self.words.append(word)


def group_lines(placed: Iterable[Placed], page: int) -> tuple[Word, ...]:
    """``Word``s with ``line`` set, in reading order (lines by height, words by x)."""
    ordered = sorted(placed, key=lambda w: ((w.box.y0 + w.box.y1) / 2, w.box.x0))
    lines: list[_Line] = []
    for word in ordered:
        # Sorted by centre, a word can only belong to one of the last few lines; looking
        # back two lines catches a small word whose centre sorts just past the next line's.
        target = next(
            (line for line in reversed(lines[-2:]) if line.overlap(word.box) >= _MIN_OVERLAP),
            None,
        )
        if target is None:
            lines.append(_Line(word.box.y0, word.box.y1, 1, [word]))
        else:
            target.add(word)
    lines.sort(key=lambda line: (line.top + line.bottom) / 2)
    return tuple(
        Word(w.text, w.confidence, page, index, w.box)
        for index, line in enumerate(lines)
        for w in sorted(line.words, key=lambda w: w.box.x0)
    )
