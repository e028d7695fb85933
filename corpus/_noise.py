"""OCR-like corruption of text, for augmenting the trainers' data.

Only characters inside words change; spaces, line breaks and form feeds stay where they
are, so a line keeps its words and a word never vanishes. ``ocr_noise_sample`` moves the
sample's spans with the words they cover; the truth stays the clean value, which is what
an extractor has to recover from a noisy read.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from corpus.sample import Sample, Span

# Confusions tesseract makes on real scans (STACK.md: "PO" as "P0", "190.43" as "196.43").
_SWAP = {
    "O": "0",
    "0": "O6",
    "o": "0",
    "l": "1I",
    "1": "lI7",
    "I": "l1",
    "S": "5",
    "5": "S6",
    "B": "8",
    "8": "B3",
    "e": "c",
    "c": "e",
    "a": "o",
    "g": "9",
    "Z": "2",
    "2": "Z",
    "6": "5b",
    "3": "8",
    "9": "g",
    ",": ".",
    ".": ",",
    "u": "v",
    "h": "b",
    "€": "E",
}
_TOKEN = re.compile(r"\S+")


def _noisy_word(word: str, rng: random.Random, rate: float) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        roll = rng.random()
        if roll >= rate:
            out.append(ch)
        elif word[i : i + 2] == "rn":
            out.append("m")
            i += 1
        elif ch == "m" and roll < rate * 0.3:
            out.append("rn")
        elif ch in _SWAP and roll < rate * 0.75:
            out.append(rng.choice(_SWAP[ch]))
        elif roll < rate * 0.88 and len(word) > 1:
            pass  # dropped
        else:
            out.append(ch + ch)  # doubled
        i += 1
    return "".join(out) or word


def _noisy_tokens(
    text: str, rng: random.Random, rate: float
) -> tuple[str, dict[int, int], dict[int, int]]:
    """The noisy text plus maps from old token starts/ends to new ones."""
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pieces: list[str] = []
    last = 0
    position = 0
    for match in _TOKEN.finditer(text):
        gap = text[last : match.start()]
        pieces.append(gap)
        position += len(gap)
        new = _noisy_word(match.group(), rng, rate)
        starts[match.start()] = position
        pieces.append(new)
        position += len(new)
        ends[match.end()] = position
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), starts, ends


def ocr_noise(text: str, rng: random.Random, rate: float) -> str:
    """``text`` with about ``rate`` of its word characters misread; whitespace untouched."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate is {rate}; give a fraction between 0 and 1 (0.02 is typical)")
    return _noisy_tokens(text, rng, rate)[0]


def ocr_noise_sample(sample: Sample, rng: random.Random, rate: float) -> Sample:
    """A noisy copy of ``sample`` whose spans cover the same (now misread) words."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate is {rate}; give a fraction between 0 and 1 (0.02 is typical)")
    text, starts, ends = _noisy_tokens(sample.text, rng, rate)
    spans: list[Span] = []
    for span in sample.spans:
        if span.start not in starts or span.end not in ends:
            raise ValueError(
                f"span {span} of sample {sample.id} does not sit on word boundaries; "
                "spans must start and end where whitespace-separated words do"
            )
        spans.append(Span(starts[span.start], ends[span.end], span.label))
    return replace(sample, id=f"{sample.id}~ocr", text=text, spans=tuple(spans))
