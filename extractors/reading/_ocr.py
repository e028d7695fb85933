"""Words with boxes from tesseract, one grey image per call.

Cost is what matters here: a page through Clerk should cost no more than the bare
``tesseract`` command plus a small share. Tesseract runs in this process, its
languages loaded once (``extractors.reading._tesseract``), and reads the prepared pixels
(``extractors.reading._preprocess``) as they are: nothing is encoded or decoded between
Clerk and tesseract, and one recognition gives text, boxes and confidences (TSV).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from clerk.documents import Box, Word
from extractors.reading import _tesseract

if TYPE_CHECKING:
    from PIL import Image

# "Assume a single uniform block of text" (the default of ``ReadingSettings.ocr_psm``):
# reads table rows across (psm 3 read a monospaced table column by column), and psm 4
# gave no better accuracy on the invoice-like page in bench/bench_reading.py while
# costing the same.
PSM = 6
# Tesseract re-reads every line it read with low confidence as white-on-black text, and
# keeps the inverted reading when that scores higher. On real photographed and scanned
# receipts turning this off lowered the character error rate slightly and, with
# ``extractors.reading._preprocess``, cut the OCR time (bench/bench_realdocs.py measures
# both): faint print, stains and photo edges were being re-read inverted at a cost.
# Text printed white on black is no longer read.
VARIABLES = {"tessedit_do_invert": "0"}
# A page normally takes seconds at most (bench/bench_reading.py prints OCR pages per
# second); a stuck page must not hold a worker forever.
TIMEOUT_SECONDS = 300.0
_TSV_COLUMNS = 12
OCR_MAX_CONFIDENCE = 0.99  # the most an OCRed word gets: 1.0 means a text layer


def ocr_image(
    image: Image.Image,
    page: int,
    languages: str,
    dpi: int | None = None,
    *,
    psm: int = PSM,
    timeout: float = TIMEOUT_SECONDS,
) -> tuple[Word, ...]:
    """The words of a grey ("L") image, as page ``page``; boxes in its pixels. ``dpi``
    tells tesseract the resolution (a rendered PDF page; tesseract's ``--dpi``); without
    it tesseract estimates it from the text, as it does for a file that declares none."""
    return tuple(_words(recognize(image, languages, psm, dpi, timeout), page))


def recognize(image: Image.Image, languages: str, psm: int, dpi: int | None, timeout: float) -> str:
    """The one tesseract call every reading makes (its TSV)."""
    variables = {**VARIABLES, "user_defined_dpi": str(dpi or 0)}  # 0: not given
    return _tesseract.read_tsv(image, languages, psm=psm, variables=variables, timeout=timeout)


def _words(tsv: str, page: int) -> Iterator[Word]:
    """Word rows of tesseract's TSV, numbered by tesseract's own (block, par, line)."""
    line_index: dict[tuple[str, str, str], int] = {}
    for row in tsv.splitlines():
        cells = row.split("\t")
        # level 5 is a word (a header row is skipped too); conf -1 marks layout rows;
        # empty text is a blank region
        if len(cells) != _TSV_COLUMNS or cells[0] != "5":
            continue
        text = cells[11].strip()
        confidence = float(cells[10])
        if not text or confidence < 0:
            continue
        key = (cells[2], cells[3], cells[4])
        line = line_index.setdefault(key, len(line_index))
        left, top, width, height = (int(v) for v in cells[6:10])
        box = Box(float(left), float(top), float(left + width), float(top + height))
        # 1.0 is reserved for text-layer words (``clerk.documents.Word``): field confidence
        # treats a span of 1.0 words as unOCRed text, and a read of 100 is still a read.
        yield Word(text, min(OCR_MAX_CONFIDENCE, confidence / 100.0), page, line, box)
