"""Fixtures for the reading layer, built here from code: reportlab PDFs, PIL scans drawn
with DejaVu fonts, stdlib e-mails and openpyxl workbooks. The expensive ones (anything
that runs tesseract) are session-scoped and shared between test modules."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from clerk.documents import Document
from extractors import read

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
OCR_DPI = 300
A4_POINTS = (595.2756, 841.8898)

# An invoice-like page: header block, a table with columns, totals. (x, y) are points
# from the top-left; each entry is one line, each line a list of (x, text) columns.
INVOICE: list[tuple[float, list[tuple[float, str]]]] = [
    (60, [(60, "Nordwind Papier GmbH"), (380, "INVOICE")]),
    (78, [(60, "Hafenstrasse 12, 20457 Hamburg")]),
    (120, [(60, "Bill to: Clerk Demo Ltd"), (380, "Invoice No. INV-2024-0117")]),
    (138, [(60, "14 Market Street, Leeds"), (380, "Date 2024-03-15")]),
    (156, [(380, "Due date 2024-04-14")]),
    (200, [(60, "Item"), (250, "Qty"), (320, "Unit price"), (450, "Amount")]),
    (222, [(60, "Copy paper A4"), (250, "10"), (320, "4.50"), (450, "45.00")]),
    (240, [(60, "Toner cartridge"), (250, "2"), (320, "61.20"), (450, "122.40")]),
    (258, [(60, "Delivery"), (250, "1"), (320, "9.90"), (450, "9.90")]),
    (300, [(320, "Net amount"), (450, "177.30")]),
    (318, [(320, "VAT 19%"), (450, "33.69")]),
    (336, [(320, "Total EUR"), (450, "210.99")]),
    (380, [(60, "IBAN DE89 3704 0044 0532 0130 00")]),
]


@dataclass(frozen=True)
class DrawnWord:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Scan:
    """An image and where each word was drawn on it, in its pixels."""

    png: bytes
    width: int
    height: int
    words: tuple[DrawnWord, ...]


def font(size: float, name: str = "DejaVuSans.ttf") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size)


def draw_scan(
    lines: list[tuple[float, list[tuple[float, str]]]],
    size_pt: tuple[float, float] = A4_POINTS,
    font_pt: float = 11,
) -> tuple[Image.Image, tuple[DrawnWord, ...]]:
    """White page at 300 DPI with black text; returns the image and drawn word boxes."""
    scale = OCR_DPI / 72
    image = Image.new("L", (round(size_pt[0] * scale), round(size_pt[1] * scale)), 255)
    draw = ImageDraw.Draw(image)
    face = font(font_pt * scale)
    drawn: list[DrawnWord] = []
    for y, columns in lines:
        for x, text in columns:
            left = x * scale
            for word in text.split(" "):
                box = draw.textbbox((left, y * scale), word, font=face, anchor="ls")
                draw.text((left, y * scale), word, font=face, fill=0, anchor="ls")
                drawn.append(DrawnWord(word, *box))
                left += face.getlength(word + " ")
    return image, tuple(drawn)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(OCR_DPI, OCR_DPI))
    return buffer.getvalue()


def text_pdf(pages: list[list[tuple[float, float, str, str, float]]]) -> bytes:
    """A text-layer PDF: per page, (x, y_from_top, text, font, size) strings."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4_POINTS, invariant=1)
    for strings in pages:
        for x, y, text, face, size in strings:
            canvas.setFont(face, size)
            canvas.drawString(x, A4_POINTS[1] - y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def image_pdf(
    image: Image.Image,
    before: list[tuple[float, float, str, str, float]],
    stamp: str = "",
) -> bytes:
    """Page 1 with a text layer (``before``), page 2 the image (a scan) with at most a
    ``stamp`` of real text at the bottom, as filing systems add."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4_POINTS, invariant=1)
    for x, y, text, face, size in before:
        canvas.setFont(face, size)
        canvas.drawString(x, A4_POINTS[1] - y, text)
    canvas.showPage()
    canvas.drawImage(ImageReader(image), 0, 0, *A4_POINTS)
    if stamp:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(60, 60, stamp)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def invoice_words() -> list[str]:
    return [w for _, columns in INVOICE for _, text in columns for w in text.split()]


@pytest.fixture(scope="session")
def invoice_scan() -> Scan:
    image, drawn = draw_scan(INVOICE)
    return Scan(png_bytes(image), image.width, image.height, drawn)


@pytest.fixture(scope="session")
def invoice_scan_read(invoice_scan: Scan) -> Document:
    """The invoice scan read once (tesseract runs once for every test that uses it)."""
    (document,) = read(invoice_scan.png, "invoice-scan.png")
    return document


@pytest.fixture(scope="session")
def invoice_pdf() -> bytes:
    strings = [(x, y, text, "Helvetica", 10) for y, columns in INVOICE for x, text in columns]
    return text_pdf([strings])
