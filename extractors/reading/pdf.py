"""PDFs: words from the text layer where one is usable, OCR of the rendered page elsewhere.

pypdfium2 opens the file first because it answers the cheap questions quickly and
without parsing pages: is it encrypted, is it broken, how many pages does it have (a
500-page file is refused in milliseconds). pdfplumber then gives words with boxes.
All pages are in PDF points, origin top-left, as ``clerk.documents`` promises for PDFs:
an OCRed page is rendered at ``CLERK_OCR_DPI`` and tesseract's pixel boxes are scaled
back to points, so a viewer need not know which pages were OCRed.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from clerk.documents import Box, Page, TextSource
from clerk.errors import BusinessError, ClerkError
from extractors.reading._lines import Placed, group_lines
from extractors.reading._ocr import ocr_file
from extractors.reading.settings import ReadingSettings

if TYPE_CHECKING:
    import pypdfium2

# pdfium's FPDF_GetLastError codes
_ERR_PASSWORD = 4
_ERR_SECURITY = 6
# Share of words that must be real text: pdfminer writes "(cid:12)" for glyphs a font
# does not map to Unicode, and a page of those is unusable as text and needs OCR.
_MIN_USABLE_SHARE = 0.5
# A page that images cover this much, with fewer words than this, is a stamped scan.
_SCAN_COVER = 0.5
_FEW_WORDS = 10


def read_pdf(data: bytes, settings: ReadingSettings) -> tuple[tuple[Page, ...], TextSource]:
    document = open_pdf(data)
    try:
        count = len(document)
        if count > settings.max_pages:
            raise BusinessError(
                "TOO_MANY_PAGES",
                f"the PDF has {count} pages, more than the limit of {settings.max_pages}; "
                "split it into smaller files, or raise CLERK_MAX_PAGES",
            )
        if count == 0:
            raise _truncated("it has no pages")
        pages = _read_pages(data, document, settings)
    finally:
        document.close()
    source: TextSource = "ocr" if any(ocr for _, ocr in pages) else "text-layer"
    return tuple(page for page, _ in pages), source


def open_pdf(data: bytes) -> pypdfium2.PdfDocument:
    """The pdfium document, or a typed error for encrypted and broken files."""
    import pypdfium2

    if b"%%EOF" not in data:
        # Without the trailer marker the cross-reference table is gone too; pdfium would
        # rebuild it and silently drop whatever the cut removed.
        raise _truncated("the end-of-file marker %%EOF is missing")
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (_ERR_PASSWORD, _ERR_SECURITY):
            raise BusinessError(
                "ENCRYPTED_PDF",
                "the PDF is password-protected and cannot be read; ask the sender for an "
                "unprotected copy",
            ) from exc
        raise _truncated(f"pdfium could not parse it: {exc}") from exc


def _read_pages(
    data: bytes, document: pypdfium2.PdfDocument, settings: ReadingSettings
) -> list[tuple[Page, bool]]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    from pdfplumber.utils.text import extract_words

    out: list[tuple[Page, bool]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index, plumber_page in enumerate(pdf.pages):
                number = index + 1
                words = extract_words(_chars(plumber_page))
                placed = [
                    Placed(w["text"], Box(w["x0"], w["top"], w["x1"], w["bottom"]))
                    for w in words
                    if w["text"].strip()
                ]
                if _usable(placed) and not _stamped_scan(plumber_page, placed):
                    page = Page(
                        number,
                        float(plumber_page.width),
                        float(plumber_page.height),
                        group_lines(placed, number),
                    )
                    out.append((page, False))
                else:
                    out.append((_ocr_page(document, index, settings), True))
    except (PdfminerException, PDFSyntaxError, PSException) as exc:
        raise _truncated(f"pdfminer could not parse a page: {exc}") from exc
    except ClerkError:
        raise
    except Exception as exc:
        raise _truncated(f"pdfminer failed on it: {type(exc).__name__}: {exc}") from exc
    return out


def _chars(plumber_page: Any) -> list[dict[str, Any]]:
    """``plumber_page.chars`` with only the keys that grouping them into words reads.

    pdfplumber builds every layout object's full record first (colours, fonts, matrices:
    a large part of a text page's reading time, ``bench/bench_reading.py``); the
    characters' positions and text are
    computed here the same way (``pdfplumber.page.Page.process_object``), so
    ``extract_words`` gives the same words with the same boxes.
    """
    from unicodedata import normalize as normalize_unicode

    from pdfminer.layout import LTChar, LTContainer

    mb_x0, mb_top = plumber_page.mediabox[:2]
    height = plumber_page.height
    doctop = plumber_page.initial_doctop
    norm = plumber_page.pdf.unicode_norm
    chars: list[dict[str, Any]] = []
    pending = list(reversed(plumber_page.layout._objs))
    while pending:  # depth first, in order, as pdfplumber walks the layout
        obj = pending.pop()
        if isinstance(obj, LTContainer):
            pending.extend(reversed(obj._objs))
        elif isinstance(obj, LTChar):
            text = obj.get_text()
            top = (height - obj.y1) + mb_top
            x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
            chars.append(
                {
                    "text": normalize_unicode(norm, text) if norm is not None else text,
                    "x0": x0,
                    "x1": x1,
                    "top": top,
                    "bottom": (height - obj.y0) + mb_top,
                    "doctop": doctop + top,
                    "upright": obj.upright,
                    "size": obj.size,
                }
            )
    return chars


def _usable(placed: list[Placed]) -> bool:
    if not placed:
        return False
    real = sum(1 for w in placed if "(cid:" not in w.text and "\ufffd" not in w.text)
    return real >= _MIN_USABLE_SHARE * len(placed)


def _stamped_scan(plumber_page: Any, placed: list[Placed]) -> bool:
    """A scan with a few words of real text on it (a page number, a filing stamp, an
    "original" watermark): the words are real but the page's content is in the image."""
    if len(placed) >= _FEW_WORDS:
        return False
    area = float(plumber_page.width) * float(plumber_page.height)
    covered = sum(
        max(0.0, float(im["x1"]) - float(im["x0"]))
        * max(0.0, float(im["bottom"]) - float(im["top"]))
        for im in plumber_page.images
    )
    return area > 0 and covered / area >= _SCAN_COVER


def _ocr_page(document: pypdfium2.PdfDocument, index: int, settings: ReadingSettings) -> Page:
    page = document[index]
    try:
        width_pt, height_pt = page.get_size()
        # A poster-sized page at 300 DPI would be a giant bitmap: lower the resolution
        # until it fits the pixel limit instead of refusing a readable page.
        scale = settings.ocr_dpi / 72
        pixels = width_pt * height_pt * scale * scale
        if pixels > settings.max_image_pixels:
            scale *= math.sqrt(settings.max_image_pixels / pixels)
        bitmap = page.render(scale=scale, grayscale=True)
        image = bitmap.to_pil()
    finally:
        page.close()
    with tempfile.TemporaryDirectory(prefix="clerk-ocr-") as scratch:
        path = os.path.join(scratch, "page.pgm")
        image.save(path)  # uncompressed: no PNG encode here and no decode in tesseract
        words = ocr_file(path, index + 1, settings.ocr_languages, dpi=round(scale * 72))
    # Back to points, so every page of a PDF uses the unit of the PDF itself (a viewer
    # sizes pages from the file without knowing which were OCRed). The image's own size
    # is used rather than get_size() because rendering applies the page's /Rotate.
    in_points = tuple(
        replace(w, box=Box(w.box.x0 / scale, w.box.y0 / scale, w.box.x1 / scale, w.box.y1 / scale))
        if w.box is not None
        else w
        for w in words
    )
    return Page(index + 1, image.width / scale, image.height / scale, in_points)


def _truncated(why: str) -> BusinessError:
    return BusinessError(
        "TRUNCATED_FILE",
        f"the PDF is damaged or cut short ({why}); ask the sender for the file again",
    )
