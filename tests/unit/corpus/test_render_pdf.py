from __future__ import annotations

import io

import pdfplumber

import corpus
import extractors
from corpus import Sample


def _read_text(data: bytes) -> str:
    """The text Clerk's own reader makes of the PDF (words grouped into lines by baseline)."""
    documents = extractors.read(data, "sample.pdf")
    assert len(documents) == 1 and documents[0].text_source == "text-layer"
    return documents[0].text


def test_pdf_text_layer_reads_back_as_sample_text(
    train: list[Sample], test_split: list[Sample]
) -> None:
    spread = train[:66] + test_split[:30] + [s for s in train if "\f" in s.text][:4]
    fonts = {s.layout["font"] for s in spread}
    assert {"Helvetica", "Times", "Courier", "DejaVuSans"} <= fonts
    mismatched = [s.id for s in spread if _read_text(corpus.render_pdf(s)) != s.text]
    assert len(mismatched) <= len(spread) * 0.05, mismatched


def test_pdf_pages_and_reproducible_bytes(train: list[Sample]) -> None:
    long = next(s for s in train if "\f" in s.text)
    data = corpus.render_pdf(long)
    assert data == corpus.render_pdf(long)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == long.text.count("\f") + 1
        assert pdf.pages[0].lines or pdf.pages[0].rects or pdf.pages[-1].lines


def test_receipts_print_on_a_till_roll(train: list[Sample]) -> None:
    receipt = next(s for s in train if s.doc_type == "receipt")
    with pdfplumber.open(io.BytesIO(corpus.render_pdf(receipt))) as pdf:
        assert pdf.pages[0].width < 300 < pdf.pages[0].height * 2


def test_polish_letters_survive_the_text_layer() -> None:
    samples = corpus.generate(40, 7, doc_types=["invoice", "receipt"], languages=["pl"])
    polish = [s for s in samples if any(c in s.text for c in "łśżąęćń")][:6]
    assert polish
    for s in polish:
        assert _read_text(corpus.render_pdf(s)) == s.text, s.id
