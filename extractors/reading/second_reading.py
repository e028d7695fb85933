"""A second reading of the digits an automatic decision rests on.

OCR misreads one digit of a date or an amount now and then ("16/02/2018" as
"18/02/2018", "73.30" as "13.30"), and nothing else on the page may tell: the value is
well formed, labelled, and the only one of its kind. Before such a value is typed into
an ERP without a person, its line is read again on its own: cut out of the page with a
margin, enlarged by half and read as one line of text (tesseract ``--psm 7``), which
segments and scales the print differently from the page's reading. The two readings
must give the same digits.

On the 100 real tuning receipts (bench/bench_realdocs.py), among the dates and totals
read at or above the auto bar, this second reading caught three wrong dates ("12-09-2018"
for "12-03-2018") and disagreed with 13 of 133 right values, which then go to a person.
It costs one tesseract call on a small image per checked field, and it runs only for a
document that would otherwise go straight through.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from clerk.documents import Box, Check, Field

# The crop's margin around the field's box, as a share of the box's height: a line's
# ascenders and descenders stand outside the words' boxes.
MARGIN = 0.35
SCALE = 1.5  # tesseract read the cut-out line best enlarged by half (1.0 and 2.0 worse)
# The size of a third reading, where the second lost digits without reading others.
THIRD_SCALE = 2.0
PSM = 7  # one line of text (inverted re-reading off, as for pages: ``_ocr.VARIABLES``)
TIMEOUT_SECONDS = 30.0


def reread(image_bytes: bytes, page: int, box: Box, languages: str, scale: float = SCALE) -> str:
    """The text tesseract reads in ``box`` (the page's pixels) of page ``page`` (a frame
    of the image file) when that line is read on its own, enlarged by ``scale``."""
    from PIL import Image

    from extractors.reading._ocr import ocr_image
    from extractors.reading._preprocess import prepare
    from extractors.reading.images import flattened

    with Image.open(io.BytesIO(image_bytes)) as image:
        image.seek(page - 1)
        margin = max(4.0, (box.y1 - box.y0) * MARGIN)
        area = (
            max(0.0, box.x0 - margin),
            max(0.0, box.y0 - margin),
            min(float(image.width), box.x1 + margin),
            min(float(image.height), box.y1 + margin),
        )
        line = prepare(flattened(image.crop(area)).convert("L"))
        dpi = _credible_dpi(image.info.get("dpi"))
    size = (max(1, round(line.width * scale)), max(1, round(line.height * scale)))
    line = line.resize(size, Image.Resampling.LANCZOS)
    words = ocr_image(line, page, languages, dpi, psm=PSM, timeout=TIMEOUT_SECONDS)
    return " ".join(w.text for w in words)


def _credible_dpi(declared: object) -> int | None:
    """The resolution the image file declares, if tesseract would believe it (it
    estimates its own outside 70-2400 DPI)."""
    if not isinstance(declared, tuple) or not declared:
        return None
    try:
        dpi = round(float(declared[-1]))
    except (TypeError, ValueError):
        return None
    return dpi if 70 <= dpi <= 2400 else None


def lost_digits(raw: str, again: str) -> bool:
    """The second reading lost digits of the first but read none of its own: what it
    holds could be the first one's digits with some dropped ("67.8)" for "67.85", "" for
    "7.42"). That says nothing either way: a third reading at another size decides."""
    digits, read = re.sub(r"\D", "", raw), re.sub(r"\D", "", again)
    return not digits_agree(raw, again) and _subsequence(read, digits)


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def digits_agree(raw: str, again: str) -> bool:
    """Whether the second reading holds the first one's digits, in order and together:
    "RM 29.70" agrees with "29.70", "18/02/2018" does not with "16/02/2018"."""
    digits = re.sub(r"\D", "", raw)
    return bool(digits) and digits in re.sub(r"\D", "", again)


def second_readings(fields: Sequence[Field], image_bytes: bytes, languages: str) -> list[Check]:
    """A ``second_reading:<field>`` check for each flat field whose raw text holds digits
    and whose box the page shows: passed when the line read again gives the same digits.
    Line items (``Understanding.line_items``, not passed here) are left to their
    arithmetic (``extractors.corroborate``)."""
    checks = []
    for field in fields:
        if field.box is None or field.page is None:
            continue
        if not re.search(r"\d", field.raw):
            continue
        name = f"second_reading:{field.name}"
        try:
            again = reread(image_bytes, field.page, field.box, languages)
            if lost_digits(field.raw, again):
                again = reread(image_bytes, field.page, field.box, languages, THIRD_SCALE)
        except Exception as exc:  # a second reading that cannot run confirms nothing
            checks.append(Check(name, False, f"the second reading of {field.name} failed: {exc}"))
            continue
        if digits_agree(field.raw, again):
            checks.append(Check(name, True, f"{field.name} {field.raw!r} read again alike"))
        else:
            message = f"{field.name} {field.raw!r} was read again as {again!r}"
            checks.append(Check(name, False, message))
    return checks
