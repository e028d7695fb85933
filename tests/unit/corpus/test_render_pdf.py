from __future__ import annotations

import io

import pdfplumber

import corpus
from corpus import Sample


def _read_lines(data: bytes) -> str:
    """pdfplumber words grouped into lines by baseline, in x order, pages by form feeds."""
    pages: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines: list[tuple[float, list[dict]]] = []
            for word in sorted(page.extract_words(), key=lambda w: (w["bottom"], w["x0"])):
                if lines and abs(lines[-1][0] - word["bottom"]) < 2.5:
                    lines[-1][1].append(word)
                else:
                    lines.append((word["bottom"], [word]))
            pages.append(
                "\n".join(
                    " ".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"]))
                    for _, ws in lines
                )
            )
    return "\f".join(pages)


def test_pdf_text_layer_reads_back_as_sample_text(
    train: list[Sample], test_split: list[Sample]
) -> None:
    spread = train[:66] + test_split[:30] + [s for s in train if "\f" in s.text][:4]
    fonts = {s.layout["font"] for s in spread}
    assert {"Helvetica", "Times", "Courier", "DejaVuSans"} <= fonts
    mismatched = [s.id for s in spread if _read_lines(corpus.render_pdf(s)) != s.text]
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
