"""Characters with boxes to words, the way pdfplumber's ``extract_words`` groups them.

Clerk read PDFs with pdfplumber until its layout analysis proved to be most of a
text-layer document's cost; the grouping rules stay the same so the words do:

- runs of characters of one orientation (upright or not, in stream order) are read
  apart;
- upright characters form lines of ``top`` values chained within ``_TOLERANCE`` and are
  read left to right; the others form columns of ``x0`` values and are read top to
  bottom;
- a word ends at a space, where the next character starts more than ``_TOLERANCE``
  after the last one's end, or where it sits more than ``_TOLERANCE`` off its line.

Ligature glyphs are spelled out ("ﬁ" is "fi"), so a word reads as it is typed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from clerk.documents import Box
from extractors.reading._lines import Placed

# pdfplumber's default x_tolerance and y_tolerance, in points.
_TOLERANCE = 3.0
_LIGATURES = {
    "ﬀ": "ff",
    "ﬃ": "ffi",
    "ﬄ": "ffl",
    "ﬁ": "fi",
    "ﬂ": "fl",
    "ﬆ": "st",
    "ﬅ": "st",
}


class Char(NamedTuple):
    """One character of a page's text layer: points, origin top-left, y downwards (a
    tuple: a page has a thousand of them, made in a loop that counts microseconds)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    upright: bool


def words(chars: Iterable[Char]) -> list[Placed]:
    """The words the characters spell, each with the union of its characters' boxes."""
    out: list[Placed] = []
    for upright, run in itertools.groupby(chars, key=lambda c: c.upright):
        for line in _lines(list(run), upright):
            for word in _split(line, upright):
                text = "".join(_LIGATURES.get(c.text, c.text) for c in word)
                if text.strip():
                    out.append(Placed(text, _union(word)))
    return out


def _lines(run: list[Char], upright: bool) -> Iterator[list[Char]]:
    """Lines (columns for text that is not upright), each in reading order."""
    if upright:
        clustered = _cluster(run, lambda c: c.top)
        return (sorted(line, key=lambda c: c.x0) for line in clustered)
    clustered = _cluster(run, lambda c: c.x0)
    return (sorted(line, key=lambda c: (c.top, c.bottom)) for line in clustered)


def _cluster(chars: list[Char], key: Callable[[Char], float]) -> list[list[Char]]:
    """Characters grouped by ``key`` values that chain within ``_TOLERANCE`` of each
    other, groups in order of value, characters in stream order inside a group."""
    values = sorted({key(c) for c in chars})
    group_of: dict[float, int] = {}
    group = 0
    for previous, value in zip([None, *values], values, strict=False):
        if previous is not None and value > previous + _TOLERANCE:
            group += 1
        group_of[value] = group
    ordered = sorted(chars, key=lambda c: group_of[key(c)])
    return [list(g) for _, g in itertools.groupby(ordered, key=lambda c: group_of[key(c)])]


def _split(line: Sequence[Char], upright: bool) -> Iterator[list[Char]]:
    word: list[Char] = []
    for char in line:
        if char.text.isspace():
            if word:
                yield word
            word = []
        elif word and _begins_word(word[-1], char, upright):
            yield word
            word = [char]
        else:
            word.append(char)
    if word:
        yield word


def _begins_word(before: Char, char: Char, upright: bool) -> bool:
    # (pdfplumber also starts a word where a character starts before the last one did;
    # in a line sorted by position that never happens)
    if upright:
        end, at, off_line = before.x1, char.x0, char.top - before.top
    else:
        end, at, off_line = before.bottom, char.top, char.x0 - before.x0
    return at > end + _TOLERANCE or abs(off_line) > _TOLERANCE


def _union(chars: Sequence[Char]) -> Box:
    return Box(
        min(c.x0 for c in chars),
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
    )
