"""Pixels prepared for tesseract: grey and contrast stretched; enlarged, for a second
pass, only when the first pass found the text too small.

Chosen on 100 real photographed and scanned shop receipts by their character error rate
against the true text (tesseract ``--psm 6``, inverted re-reading off as in
``extractors.reading._ocr``; ``bench/bench_realdocs.py`` measures it on the same kind of
receipts):

- grey read better than the original image, and grey with a 1% autocontrast stretch
  better still (a 0.3% or 3% stretch did worse); it costs little next to the OCR;
- enlarging made it worse wherever the text was already 16 px or more high, as on
  every one of these receipts, and made the OCR slower. Text a few pixels high (a
  low-resolution fax, a thumbnail, a screenshot) is misread by tesseract as it is and
  read once enlarged, so a page is enlarged when the words the first pass read with
  confidence are less than 10 px high, and read again. That height is tesseract's own:
  a cheap estimate from rows of ink pixels was tried first and took some other receipts
  with small but readable text for too small, which enlarged them and ruined their
  reading;
- worse or no better, so not done: Otsu binarization, tesseract's Sauvola thresholding,
  unsharp masking, background flattening, a 3x3 median (fewer totals found), deskewing
  pages tilted by half a degree or more (one total fewer found).

Boxes tesseract returns from an enlarged page are in its pixels; divide by the scale to
get back to the original's.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

from clerk.documents import Word

if TYPE_CHECKING:
    from PIL import Image

# Share of the darkest and of the lightest pixels ignored when stretching the contrast,
# so that a speck of black or a glare spot does not decide the stretch.
AUTOCONTRAST_CUTOFF = 1.0
# Words (box height: capitals and digits, more with ascenders and descenders) lower
# than this, in the median, make the page be enlarged and read again. Receipts at
# about 300 DPI read best as they were; 9 px type (7 px words) was misread.
MIN_WORD_HEIGHT = 10.0
# ... to this height: receipt print that read best was 16-30 px.
TARGET_WORD_HEIGHT = 24.0
MAX_SCALE = 4.0
# Only words read at least this confidently (and enough of them) tell the text height:
# specks and stains come back as short low-confidence "words".
_SURE = 0.5
_MIN_SURE_WORDS = 3


def prepare(image: Image.Image) -> Image.Image:
    """``image`` (modes "1", "L" or "RGB", already flattened) ready for tesseract: grey
    with its contrast stretched. A bilevel image has no contrast to stretch and stays
    as it is."""
    from PIL import ImageOps

    if image.mode == "1":
        return image
    grey = image if image.mode == "L" else image.convert("L")
    return ImageOps.autocontrast(grey, cutoff=AUTOCONTRAST_CUTOFF)


def enlargement(words: Sequence[Word], width: int, height: int, max_pixels: int) -> float:
    """How much to enlarge a page whose first reading gave ``words`` (boxes in its
    pixels): 1.0 (not at all) unless its text is small. The enlarged page never has
    more than ``max_pixels`` pixels."""
    heights = [w.box.y1 - w.box.y0 for w in words if w.box is not None and w.confidence >= _SURE]
    if len(heights) < _MIN_SURE_WORDS:
        return 1.0
    typical = statistics.median(heights)
    if typical <= 0 or typical >= MIN_WORD_HEIGHT:
        return 1.0
    scale = min(TARGET_WORD_HEIGHT / typical, MAX_SCALE)
    scale = min(scale, (max_pixels / max(width * height, 1)) ** 0.5)
    return scale if scale > 1.0 else 1.0


def enlarge(image: Image.Image, scale: float) -> tuple[Image.Image, float]:
    """``image`` enlarged (Lanczos, in grey) and the exact scale of its width."""
    from PIL import Image

    size = (round(image.width * scale), round(image.height * scale))
    grey = image if image.mode == "L" else image.convert("L")
    return grey.resize(size, Image.Resampling.LANCZOS), size[0] / image.width


def confidence(words: Sequence[Word]) -> float:
    """Characters read, weighted by confidence: which of two readings read more."""
    return sum(w.confidence * len(w.text) for w in words)
