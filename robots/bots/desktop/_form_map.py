"""Where the fields of the desktop ERP's "Invoice entry" window are, found by their
labels: OCR (tesseract) once per layout, image templates of the labels after that.

The first time the bot meets a layout it reads the empty form with tesseract, finds
each field's label (the labels of both known layouts are listed here, as a web page
object lists its selectors) and keeps where to click, relative to the window: just
right of a header label (the labels sit right-aligned against their fields), and under
each column heading of the line grid. It also cuts two labels out of the screenshot as
templates. For every later form, ``still_valid`` compares those templates with the
pixels at their place in the window (one small screen grab each, far cheaper than
searching the window for them): if they are there, the map still holds;
if the layout changed (a new release, or the layout fault), the form is read again.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageStat

from clerk.errors import ApplicationError

log = logging.getLogger("clerk.bots.desktop")

HEADER = {
    "vendor_no": ("Vendor no.", "Supplier"),
    "inv_no": ("Invoice number", "Bill number"),
    "inv_date": ("Invoice date", "Bill date"),
    "due_date": ("Due date", "Payable by"),
    "currency": ("Currency", "Currency code"),
    "net": ("Net amount", "Net value"),
    "tax": ("Tax amount", "VAT"),
    "total": ("Total amount", "Gross value"),
    "po_ref": ("PO reference", "Order ref."),
    "note": ("Internal note", "Memo"),
}
COLUMNS = {
    "desc": ("Description", "Item text"),
    "qty": ("Quantity", "Qty"),
    "price": ("Unit price", "Price each"),
    "amount": ("Amount", "Line value"),
}
FIELD_OFFSET = 40  # px right of a label's end: inside its field
CELL_OFFSET = (12, 22)  # px from a column heading's top-left: inside the first cell


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]


@dataclass
class FormMap:
    """Click points of one layout, relative to the window's top left; columns left to
    right; label templates (the image, and where in the window it was cut)."""

    fields: dict[str, tuple[int, int]]
    columns: list[str]
    first_cell: tuple[int, int]
    templates: list[tuple[Path, tuple[int, int]]] = field(default_factory=list)


def read_words(image: Any, scale: int = 1) -> list[Word]:
    """Words with boxes in ``image``'s coordinates, read at ``scale`` times its size."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if scale > 1:
        image = image.resize((image.width * scale, image.height * scale))
    data = pytesseract.image_to_data(image, config="--psm 11", output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(data["text"]):
        if text.strip():
            left, top, width, height = (
                int(data[k][i]) // scale for k in ("left", "top", "width", "height")
            )
            line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            words.append(Word(text, left, top, width, height, line))
    return words


class Reading:
    """The form read at 1x and, only when a label is missing there, at 2x (tesseract
    reads the small serif "Qty" as "aty" at 1x, and at 2x misses other labels)."""

    def __init__(self, image: Any) -> None:
        self.image = image
        self.passes: list[list[Word]] = [read_words(image)]

    def find(self, phrase: str, below: int = -1) -> list[Word] | None:
        for number in range(2):
            if number == len(self.passes):
                self.passes.append(read_words(self.image, 2))
            found = _find_phrase(self.passes[number], phrase, below)
            if found is not None:
                return found
        return None


def _find_phrase(words: list[Word], phrase: str, below: int = -1) -> list[Word] | None:
    """Consecutive words (left to right on one visual row) that read as ``phrase``."""
    target = _norm(phrase).split()
    rows: dict[float, list[Word]] = {}
    for word in sorted(words, key=lambda w: (w.top + w.height / 2, w.left)):
        middle = word.top + word.height / 2
        if word.top <= below:
            continue
        key = next((k for k in rows if abs(k - middle) <= 8), middle)
        rows.setdefault(key, []).append(word)
    for row in rows.values():
        row.sort(key=lambda w: w.left)
        normed = [_norm(w.text) for w in row]
        for start in range(len(row) - len(target) + 1):
            if normed[start : start + len(target)] == target:
                # A whole label: no word of the same row right before it (a label is
                # never part of a longer one, "Amount" of "Net amount").
                before = row[start - 1] if start else None
                if before is None or row[start].left - (before.left + before.width) > 25:
                    return row[start : start + len(target)]
    return None


def learn(image: Any, cache: Path) -> FormMap:
    """Map the empty form in ``image`` (a screenshot of the window, cropped to it)."""
    reading = Reading(image)
    for layout in (0, 1):
        fields: dict[str, tuple[int, int]] = {}
        boxes: list[tuple[int, int, int, int]] = []
        for key, labels in HEADER.items():
            found = reading.find(labels[layout])
            if found is None:
                break
            right = found[-1].left + found[-1].width
            top = min(w.top for w in found)
            bottom = max(w.top + w.height for w in found)
            fields[key] = (right + FIELD_OFFSET, (top + bottom) // 2)
            boxes.append((found[0].left, top, right, bottom))
        if len(fields) != len(HEADER):
            continue
        last_label = max(b[3] for b in boxes)
        heads = {}
        for key, labels in COLUMNS.items():
            found = reading.find(labels[layout], below=last_label)
            if found is not None:
                heads[key] = found[0]
        if len(heads) != len(COLUMNS):
            continue
        order = sorted(heads, key=lambda k: heads[k].left)
        first = heads[order[0]]
        form = FormMap(fields, order, (first.left + CELL_OFFSET[0], first.top + CELL_OFFSET[1]))
        # Not the topmost label: its field has the focus, whose ring touches the label.
        form.templates = _cut_templates(image, sorted(boxes, key=lambda b: b[1])[1:3], cache)
        log.info("desktop ERP form read by OCR: layout %d, columns %s", layout + 1, order)
        return form
    seen = " ".join(w.text for w in reading.passes[0])[:300]
    raise ApplicationError(
        "BOT_ERROR",
        f"the desktop ERP's invoice form has labels the bot does not know (it read: {seen}); "
        "the screen may have changed: see the screenshot on the item; teach the bot the new "
        "labels in robots/bots/desktop/_form_map.py",
    )


def _cut_templates(
    image: Any, boxes: list[tuple[int, int, int, int]], cache: Path
) -> list[tuple[Path, tuple[int, int]]]:
    cache.mkdir(parents=True, exist_ok=True)
    templates = []
    for left, top, right, bottom in boxes:
        box = (left - 3, top - 3, right + 3, bottom + 3)
        handle, name = tempfile.mkstemp(suffix=".png", dir=cache)
        os.close(handle)
        path = Path(name)
        image.crop(box).save(path)
        templates.append((path, (box[0], box[1])))
    return templates


def still_valid(grab: Callable[[tuple[int, int, int, int]], Any], form: FormMap,
                origin: tuple[int, int]) -> bool:  # fmt: skip
    """Each template is at its place in the window at ``origin``: ``grab(region)`` (the
    screen's pixels there) equals it, but for a few pixels' worth of difference."""
    for path, (x, y) in form.templates:
        with Image.open(path) as template:
            left, top = origin[0] + x, origin[1] + y
            shown = grab((left, top, left + template.width, top + template.height))
            difference = ImageStat.Stat(ImageChops.difference(template.convert("RGB"), shown))
        if max(difference.mean) > 2.0:  # of 255: anti-aliasing may differ, a label not
            return False
    return bool(form.templates)
