"""Pixels prepared for OCR: grey and contrast stretched; a page whose first reading
found small text enlarged and read again, boxes back in the original's pixels; pages
of ordinary print read once as they are; the pixel limit respected."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image, ImageDraw

from clerk.documents import Box, Word
from clerk.errors import BusinessError
from extractors import read
from extractors.reading._preprocess import (
    MAX_SCALE,
    MIN_WORD_HEIGHT,
    enlarge,
    enlargement,
    prepare,
)
from tests.unit.extractors.conftest import DrawnWord, draw_scan, font, png_bytes

# Receipt lines drawn with a 9 px font: tesseract 5.3 read them as they were as
# "TOTALAMA7.20 | Invoice 2024-0217 | 'CASH 50.00 CHANGE 270" when this was written, and
# read them right when enlarged 2x to 4x.
TINY_LINES = ["TOTAL RM 47.30", "INVOICE 2024-0117", "CASH 50.00 CHANGE 2.70"]
TINY_PX = 9


def draw_tiny(lines: list[str], px: int = TINY_PX) -> tuple[Image.Image, tuple[DrawnWord, ...]]:
    face = font(px)
    image = Image.new("L", (220, 20 + len(lines) * px * 2), 255)
    draw = ImageDraw.Draw(image)
    drawn: list[DrawnWord] = []
    for number, line in enumerate(lines):
        left, top = 10.0, 10.0 + number * px * 2
        for word in line.split(" "):
            box = draw.textbbox((left, top), word, font=face)
            draw.text((left, top), word, font=face, fill=0)
            drawn.append(DrawnWord(word, *box))
            left += face.getlength(word + " ")
    return image, tuple(drawn)


def word(height: float, confidence: float = 0.9, text: str = "47.30") -> Word:
    return Word(text, confidence, 1, 0, Box(10.0, 20.0, 40.0, 20.0 + height))


def test_small_confident_words_ask_for_enlargement_within_the_pixel_limit() -> None:
    small = [word(6.0) for _ in range(5)]
    assert enlargement(small, 220, 80, max_pixels=60_000_000) == MAX_SCALE
    assert enlargement([word(8.0) for _ in range(5)], 220, 80, 60_000_000) == pytest.approx(3.0)
    limited = enlargement(small, 220, 80, max_pixels=4 * 220 * 80)
    assert limited == pytest.approx(2.0)


def test_ordinary_or_unsure_or_few_words_are_not_enlarged() -> None:
    assert enlargement([word(MIN_WORD_HEIGHT) for _ in range(5)], 900, 2000, 60_000_000) == 1.0
    assert enlargement([word(25.0) for _ in range(40)], 900, 2000, 60_000_000) == 1.0
    # specks and stains come back as small words read with little confidence
    specks = [word(4.0, confidence=0.2, text="~") for _ in range(30)]
    assert enlargement([*specks, *(word(25.0) for _ in range(5))], 900, 2000, 60_000_000) == 1.0
    assert enlargement([word(6.0), word(6.0)], 220, 80, 60_000_000) == 1.0
    assert enlargement([], 220, 80, 60_000_000) == 1.0
    assert enlargement([word(6.0) for _ in range(5)], 220, 80, max_pixels=220 * 80) == 1.0


def test_enlarged_image_is_grey_and_reports_its_exact_scale() -> None:
    image, _ = draw_tiny(TINY_LINES)
    enlarged, scale = enlarge(image.convert("1"), 2.5)
    assert enlarged.mode == "L"
    assert enlarged.size == (round(image.width * 2.5), round(image.height * 2.5))
    assert scale == enlarged.width / image.width


def test_bilevel_scan_stays_bilevel_and_colour_becomes_grey() -> None:
    image, _ = draw_scan([(40, [(20, "Bilevel 1001")])], size_pt=(300, 60), font_pt=14)
    bilevel = image.point(lambda v: 255 if v > 128 else 0).convert("1")
    assert prepare(bilevel).mode == "1"
    colour = prepare(image.convert("RGB"))
    assert colour.mode == "L"
    assert colour.size == image.size


def test_contrast_is_stretched() -> None:
    image, _ = draw_scan([(40, [(20, "Faint 2002")])], size_pt=(300, 60), font_pt=14)
    faint = image.point(lambda v: 110 + v * 100 // 255)  # grey ink on grey paper
    assert prepare(faint).getextrema() == (0, 255)


def counting_ocr(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Sizes of the images tesseract reads while reading images."""
    from extractors.reading import images

    calls: list[tuple[int, int]] = []
    real = images.ocr_image

    def counted(
        image: Image.Image, page: int, languages: str, dpi: int | None = None, **options: Any
    ) -> tuple[Word, ...]:
        calls.append(image.size)
        return real(image, page, languages, dpi, **options)

    monkeypatch.setattr(images, "ocr_image", counted)
    return calls


@pytest.mark.ocr
def test_a_page_of_ordinary_print_is_read_once_and_not_enlarged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = counting_ocr(monkeypatch)
    image, drawn = draw_scan([(60, [(60, "Nordwind Papier GmbH 4711")])], size_pt=(400, 100))
    assert image.width > 1500
    (document,) = read(png_bytes(image), "page.png")
    assert len(calls) == 1
    assert document.text == "Nordwind Papier GmbH 4711"
    assert (document.pages[0].width, document.pages[0].height) == image.size
    box = document.pages[0].words[0].box
    assert box is not None and abs(box.x0 - drawn[0].x0) <= 6


@pytest.mark.ocr
def test_tiny_text_is_enlarged_read_and_boxed_in_the_original_pixels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = counting_ocr(monkeypatch)
    image, drawn = draw_tiny(TINY_LINES)
    (document,) = read(png_bytes(image), "tiny.png")
    assert len(calls) == 2
    assert calls[1][0] > 2 * calls[0][0]  # the second reading is of the enlarged page
    page = document.pages[0]
    assert (page.width, page.height) == (image.width, image.height)
    assert document.text.splitlines() == TINY_LINES
    targets = {w.text: w for w in drawn}
    for word in page.words:
        assert word.box is not None
        assert 0 <= word.box.x0 < word.box.x1 <= image.width, word
        assert 0 <= word.box.y0 < word.box.y1 <= image.height, word
        target = targets[word.text]
        # within 2 original pixels of where the word was drawn (9 px type, enlarged ~3.4x)
        assert abs(word.box.x0 - target.x0) <= 2, word
        assert abs(word.box.x1 - target.x1) <= 2, word
        assert word.box.y0 - 2 <= target.y1 and target.y0 <= word.box.y1 + 2, word
        assert abs((word.box.y0 + word.box.y1) / 2 - (target.y0 + target.y1) / 2) <= 3, word


@pytest.mark.ocr
def test_jpeg_photo_is_read_in_grey_with_its_own_size() -> None:
    image, _ = draw_scan([(40, [(20, "Photo 4711 total")])], size_pt=(300, 60), font_pt=14)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=90)
    (document,) = read(buffer.getvalue(), "photo.jpg")
    assert document.text == "Photo 4711 total"
    assert (document.pages[0].width, document.pages[0].height) == image.size


def test_truncated_jpeg_is_a_truncated_file() -> None:
    image, _ = draw_scan([(40, [(20, "cut short")])], size_pt=(300, 60), font_pt=14)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    data = buffer.getvalue()
    with pytest.raises(BusinessError) as caught:
        read(data[: len(data) // 2], "cut.jpg")
    assert caught.value.code == "TRUNCATED_FILE"
