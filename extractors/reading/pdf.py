"""PDFs: words from the text layer where one is usable, OCR of the rendered page elsewhere.

pypdfium2 answers the cheap questions first, without parsing pages: is it encrypted, is
it broken, how many pages does it have (a 500-page file is refused in milliseconds).
Its text page then gives each page's characters with boxes (``_pdf_layer``), grouped
into words as pdfplumber grouped them (``_char_words``): about 8 ms for an invoice page
of a thousand characters, where pdfplumber's layout analysis took about 50. All pages
are in PDF points, origin top-left of the page as displayed, as ``clerk.documents``
promises for PDFs:
an OCRed page is rendered at ``CLERK_OCR_DPI`` and tesseract's pixel boxes are scaled
back to points, so a viewer need not know which pages were OCRed.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from clerk.documents import Box, Page, TextSource
from clerk.errors import BusinessError
from extractors.reading._char_words import words
from extractors.reading._lines import Placed, group_lines
from extractors.reading._ocr import ocr_image
from extractors.reading._pdf_layer import View, image_cover, page_chars
from extractors.reading.settings import ReadingSettings

if TYPE_CHECKING:
    import pypdfium2

# pdfium's FPDF_GetLastError codes
_ERR_PASSWORD = 4
_ERR_SECURITY = 6
# Share of words that must be real text: a glyph its font does not map to Unicode reads
# as U+FFFD, and a page of those is unusable as text and needs OCR.
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
        pages = _read_pages(document, settings)
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
    document: pypdfium2.PdfDocument, settings: ReadingSettings
) -> list[tuple[Page, bool]]:
    import pypdfium2

    out: list[tuple[Page, bool]] = []
    for index in range(len(document)):
        try:
            page = _text_page(document, index)
        except pypdfium2.PdfiumError as exc:
            raise _truncated(f"pdfium could not read page {index + 1}: {exc}") from exc
        if page is not None:
            out.append((page, False))
        else:
            out.append((_ocr_page(document, index, settings), True))
    return out


def _text_page(document: pypdfium2.PdfDocument, index: int) -> Page | None:
    """The page from its text layer, or None when that is unusable and OCR must read it."""
    pdf_page = document[index]
    try:
        view = View.of(pdf_page)
        placed = words(page_chars(pdf_page, view))
        if not _usable(placed) or _stamped_scan(pdf_page, view, placed):
            return None
    finally:
        pdf_page.close()
    width, height = view.size
    return Page(index + 1, width, height, group_lines(placed, index + 1))


def _usable(placed: list[Placed]) -> bool:
    if not placed:
        return False
    real = sum(1 for w in placed if "\ufffd" not in w.text)
    return real >= _MIN_USABLE_SHARE * len(placed)


def _stamped_scan(pdf_page: pypdfium2.PdfPage, view: View, placed: list[Placed]) -> bool:
    """A scan with a few words of real text on it (a page number, a filing stamp, an
    "original" watermark): the words are real but the page's content is in the image."""
    return len(placed) < _FEW_WORDS and image_cover(pdf_page, view) >= _SCAN_COVER


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
    dpi = round(scale * 72)
    words = ocr_image(image, index + 1, settings.ocr_languages, dpi, psm=settings.ocr_psm)
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
