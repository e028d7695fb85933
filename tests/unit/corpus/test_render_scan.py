from __future__ import annotations

import io
import os
import random

import pdfplumber
import pytest
from PIL import Image

import corpus
from corpus import Sample


@pytest.fixture(scope="module")
def invoice(train: list[Sample]) -> Sample:
    return next(s for s in train if s.doc_type == "invoice" and "\f" not in s.text)


def test_png_is_a_300_dpi_a4_or_letter_page(invoice: Sample) -> None:
    image = Image.open(io.BytesIO(corpus.render_scan(invoice, random.Random(1))))
    assert image.format == "PNG" and image.mode == "L"
    assert round(image.info["dpi"][0]) == 300
    assert 2400 <= image.width <= 2600 and 3200 <= image.height <= 3600
    assert corpus.render_scan(invoice, random.Random(1)) == corpus.render_scan(
        invoice, random.Random(1)
    )


@pytest.mark.slow
def test_multi_page_tiff_and_image_only_pdf(train: list[Sample]) -> None:
    long = next(s for s in train if "\f" in s.text)
    pages = long.text.count("\f") + 1
    tiff = Image.open(io.BytesIO(corpus.render_scan_tiff(long, random.Random(2))))
    assert getattr(tiff, "n_frames", 1) == pages
    with pdfplumber.open(io.BytesIO(corpus.render_scan_pdf(long, random.Random(2)))) as pdf:
        assert len(pdf.pages) == pages
        assert all(not p.extract_words() and p.images for p in pdf.pages)


@pytest.mark.ocr
def test_tesseract_reads_the_scan(invoice: Sample) -> None:
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"
    image = Image.open(io.BytesIO(corpus.render_scan(invoice, random.Random(3), "jpeg")))
    words = pytesseract.image_to_string(image, config="--psm 4").split()
    truth_words = invoice.text.split()
    found = sum(w in words for w in truth_words)
    assert found / len(truth_words) > 0.8
    assert invoice.truth["invoice_number"] in words
