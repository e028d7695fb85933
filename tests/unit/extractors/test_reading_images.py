"""Scanned images through real tesseract: content, boxes, frames and the limits."""

from __future__ import annotations

import difflib
import io
import struct
import time
import zlib

import pytest
from PIL import Image

from clerk.documents import Document
from clerk.errors import ApplicationError, BusinessError
from extractors import ReadingSettings, read
from tests.unit.extractors.conftest import OCR_DPI, Scan, draw_scan, invoice_words, png_bytes

FONT_PX = 11 * OCR_DPI / 72  # draw_scan's default 11 pt at 300 DPI


def word_accuracy(expected: list[str], got: list[str]) -> float:
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


@pytest.mark.ocr
def test_invoice_scan_reads_at_95_percent_word_accuracy(invoice_scan_read: Document) -> None:
    got = [w.text for w in invoice_scan_read.pages[0].words]
    assert word_accuracy(invoice_words(), got) >= 0.95
    assert invoice_scan_read.text_source == "ocr"
    assert invoice_scan_read.mime == "image/png"


@pytest.mark.ocr
def test_table_rows_read_across_columns(invoice_scan_read: Document) -> None:
    lines = invoice_scan_read.text.splitlines()
    assert "Toner cartridge 2 61.20 122.40" in lines
    assert "Item Qty Unit price Amount" in lines


@pytest.mark.ocr
def test_ocr_boxes_land_where_the_text_was_drawn(
    invoice_scan: Scan, invoice_scan_read: Document
) -> None:
    page = invoice_scan_read.pages[0]
    assert (page.width, page.height) == (invoice_scan.width, invoice_scan.height)
    drawn = {w.text: w for w in invoice_scan.words}
    checked = 0
    for word in page.words:
        target = drawn.get(word.text)
        if target is None or sum(w.text == word.text for w in invoice_scan.words) > 1:
            continue  # only words drawn exactly once can be matched unambiguously
        assert word.box is not None
        # Horizontally tesseract's boxes hug the ink (a few pixels at 300 DPI); vertically
        # they may reach down to the line's descender depth, so the drawn box must sit
        # inside and the OCR box may be no taller than the font's full height.
        assert abs(word.box.x0 - target.x0) <= 6, word
        assert abs(word.box.x1 - target.x1) <= 6, word
        assert word.box.y0 - 6 <= target.y0 and target.y1 <= word.box.y1 + 6, word
        assert word.box.y1 - word.box.y0 <= 1.25 * FONT_PX, word
        checked += 1
    assert checked >= 30


@pytest.mark.ocr
def test_ocr_words_carry_confidence_and_line_order(invoice_scan_read: Document) -> None:
    words = invoice_scan_read.pages[0].words
    assert all(0.0 < w.confidence <= 1.0 for w in words)
    assert sum(w.confidence for w in words) / len(words) > 0.85
    lines = [w.line for w in words]
    assert lines == sorted(lines)
    assert lines[0] == 0


@pytest.mark.ocr
def test_multi_page_tiff_gives_one_page_per_frame() -> None:
    first, _ = draw_scan([(40, [(20, "First frame 1001")])], size_pt=(300, 60), font_pt=14)
    second, _ = draw_scan([(40, [(20, "Second frame 2002")])], size_pt=(300, 60), font_pt=14)
    bilevel = [im.point(lambda v: 255 if v > 128 else 0).convert("1") for im in (first, second)]
    buffer = io.BytesIO()
    bilevel[0].save(buffer, "TIFF", save_all=True, append_images=bilevel[1:], compression="group4")
    (document,) = read(buffer.getvalue(), "scan.tif")
    assert document.mime == "image/tiff"
    assert [p.number for p in document.pages] == [1, 2]
    assert document.pages[0].text == "First frame 1001"
    assert document.pages[1].text == "Second frame 2002"
    assert all(w.page == 2 for w in document.pages[1].words)


@pytest.mark.ocr
def test_png_named_pdf_is_read_as_png_and_transparent_png_is_flattened() -> None:
    image, _ = draw_scan([(40, [(20, "Transparent 4711")])], size_pt=(300, 60), font_pt=14)
    rgba = Image.new("RGBA", image.size, (0, 0, 0, 0))  # black but fully transparent
    rgba.putalpha(image.point(lambda v: 255 - v))  # ink opaque, paper transparent
    buffer = io.BytesIO()
    rgba.save(buffer, "PNG")
    (document,) = read(buffer.getvalue(), "invoice.pdf")
    assert document.mime == "image/png"
    assert document.text == "Transparent 4711"


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring ``width`` x ``height`` with almost no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_before_decoding() -> None:
    data = bomb_png(50_000, 50_000)
    assert len(data) < 200
    started = time.perf_counter()
    with pytest.raises(BusinessError) as caught:
        read(data, "bomb.png")
    assert time.perf_counter() - started < 0.5
    assert caught.value.code == "IMAGE_TOO_LARGE"
    assert "50000 x 50000 = 2500000000 pixels" in caught.value.message
    assert "CLERK_MAX_IMAGE_PIXELS" in caught.value.message


def test_pixel_limit_follows_settings() -> None:
    data = png_bytes(Image.new("L", (200, 100), 255))
    with pytest.raises(BusinessError) as caught:
        read(data, "small.png", ReadingSettings(max_image_pixels=19_999))
    assert caught.value.code == "IMAGE_TOO_LARGE"
    assert "20000 pixels" in caught.value.message


def test_jpeg_declared_size_is_read_from_the_header() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "white").save(buffer, "JPEG")
    with pytest.raises(BusinessError) as caught:
        read(buffer.getvalue(), "photo.jpg", ReadingSettings(max_image_pixels=1000))
    assert "640 x 480" in caught.value.message


def test_truncated_png_is_a_truncated_file() -> None:
    image, _ = draw_scan([(40, [(20, "cut short")])], size_pt=(300, 60), font_pt=14)
    data = png_bytes(image)
    with pytest.raises(BusinessError) as caught:
        read(data[: len(data) // 2], "cut.png")
    assert caught.value.code == "TRUNCATED_FILE"


def test_tiff_with_too_many_frames_is_refused() -> None:
    frames = [Image.new("1", (16, 16), 1) for _ in range(4)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(BusinessError) as caught:
        read(buffer.getvalue(), "many.tif", ReadingSettings(max_pages=3))
    assert caught.value.code == "TOO_MANY_PAGES"
    assert "4 frames" in caught.value.message


def test_missing_tesseract_is_an_application_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.reading import _tesseract

    monkeypatch.setattr(_tesseract, "_LIBRARY_NAMES", ("libnotesseract.so.5",))
    monkeypatch.setattr(_tesseract, "_loaded", None)
    monkeypatch.setattr(_tesseract, "_engines", {})
    data = png_bytes(Image.new("L", (64, 32), 255))
    with pytest.raises(ApplicationError) as caught:
        read(data, "blank.png")
    assert caught.value.code == "OCR_FAILED"
    assert "libnotesseract.so.5" in caught.value.message
    assert "tesseract-ocr" in caught.value.message


@pytest.mark.ocr
def test_missing_language_pack_is_an_application_error() -> None:
    data = png_bytes(Image.new("L", (64, 32), 255))
    with pytest.raises(ApplicationError) as caught:
        read(data, "blank.png", ReadingSettings(ocr_languages="xyz"))
    assert caught.value.code == "OCR_FAILED"
    assert "'xyz'" in caught.value.message


def test_cut_tiff_is_a_truncated_file() -> None:
    frames = [Image.new("L", (400, 300), shade) for shade in (0, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    data = buffer.getvalue()
    with pytest.raises(BusinessError) as caught:
        read(data[:-50], "cut.tif")
    assert caught.value.code == "TRUNCATED_FILE"
    assert "image file is truncated" in caught.value.message
