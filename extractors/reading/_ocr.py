"""Words with boxes from tesseract (through pytesseract), one image file per call.

Cost is what matters here: a page through Clerk should cost no more than the bare
``tesseract`` command plus a small share. So the caller hands over a file tesseract
reads as it is (an uncompressed PNM written once from the prepared pixels, see
``extractors.reading._preprocess``); pytesseract gets the path, so it neither converts
nor re-encodes the image, and ``image_to_data`` runs tesseract once for text, boxes
and confidences.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from clerk.documents import Box, Word
from clerk.errors import ApplicationError

# "Assume a single uniform block of text": reads table rows across (psm 3 read a
# monospaced table column by column), and psm 4 gave no better accuracy on the
# invoice-like page in bench/bench_reading.py while costing the same.
PSM = 6
# Tesseract re-reads every line it read with low confidence as white-on-black text, and
# keeps the inverted reading when that scores higher. On real photographed and scanned
# receipts turning this off lowered the character error rate slightly and, with
# ``extractors.reading._preprocess``, cut the OCR time (bench/bench_realdocs.py measures
# both): faint print, stains and photo edges were being re-read inverted at a cost.
# Text printed white on black is no longer read.
CONFIG = f"--psm {PSM} -c tessedit_do_invert=0"
# A page normally takes seconds at most (bench/bench_reading.py prints OCR pages per
# second); a stuck tesseract must not hold a worker forever.
_TIMEOUT_SECONDS = 300
_TSV_COLUMNS = 12
OCR_MAX_CONFIDENCE = 0.99  # the most an OCRed word gets: 1.0 means a text layer


def ocr_file(path: str, page: int, languages: str, dpi: int | None = None) -> tuple[Word, ...]:
    """OCR one image file (one page). ``dpi`` tells tesseract the resolution when the
    file carries none (rendered PDF pages); boxes come back in the file's pixels."""
    import pytesseract

    # Default OpenMP threading made a page several times slower on a busy machine; scale with
    # processes instead. pytesseract passes os.environ to the child, so set it there.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    config = CONFIG + (f" --dpi {dpi}" if dpi else "")
    try:
        tsv = pytesseract.image_to_data(
            path, lang=languages, config=config, timeout=_TIMEOUT_SECONDS
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise ApplicationError(
            "OCR_FAILED",
            f"the tesseract program was not found ({pytesseract.pytesseract.tesseract_cmd!r}); "
            "install Debian's tesseract-ocr with the language packs for "
            f"{languages!r}",
        ) from exc
    except pytesseract.TesseractError as exc:
        raise ApplicationError(
            "OCR_FAILED",
            f"tesseract failed on page {page} (exit {exc.status}): {exc.message}; check that "
            f"the language packs {languages!r} are installed (tesseract --list-langs)",
        ) from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise ApplicationError(
            "OCR_FAILED",
            f"tesseract did not finish page {page} within {_TIMEOUT_SECONDS} s ({exc}); "
            "the machine may be overloaded; the item can be retried",
        ) from exc
    return tuple(_words(tsv, page))


def _words(tsv: str, page: int) -> Iterator[Word]:
    """Word rows of tesseract's TSV, numbered by tesseract's own (block, par, line)."""
    line_index: dict[tuple[str, str, str], int] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        # level 5 is a word; conf -1 marks layout rows; empty text is a blank region
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
