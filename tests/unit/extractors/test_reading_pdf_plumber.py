"""The pdfium reader against pdfplumber, which Clerk read PDFs with before: on the
corpus's PDFs and the bundled samples, every page has the same words on the same lines,
with boxes within a fraction of a point.

One difference is pdfplumber's: the standard fonts' metrics in pdfminer have no Euro
sign, so it gives "€" no width and places the rest of its line that much too far left;
pdfium places them where they are drawn. Lines with a "€" are compared by text only."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

import corpus
from clerk.documents import Box, Word
from clerk.errors import ClerkError
from extractors.reading._lines import Placed, group_lines
from extractors.reading.pdf import read_pdf
from extractors.reading.settings import ReadingSettings

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "inbox"
# TrueType widths: pdfium and pdfminer round a glyph's advance differently, and the
# difference adds up along a line; an italic "f" overhangs its advance in pdfium's box.
_X_TOLERANCE = 1.0
_Y_TOLERANCE = 0.05


def _pdfs() -> list[tuple[str, bytes]]:
    pdfs = [(s.id, corpus.render_pdf(s)) for s in corpus.generate(16, 5)]
    pdfs += [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*.pdf"))]
    return pdfs


def _plumber_pages(data: bytes) -> list[tuple[Word, ...]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            group_lines(
                (
                    Placed(w["text"], Box(w["x0"], w["top"], w["x1"], w["bottom"]))
                    for w in page.extract_words()
                    if w["text"].strip()
                ),
                number,
            )
            for number, page in enumerate(pdf.pages, start=1)
        ]


@pytest.mark.parametrize(("name", "data"), _pdfs(), ids=lambda v: v if isinstance(v, str) else "")
def test_words_and_lines_are_pdfplumbers(name: str, data: bytes) -> None:
    try:
        pages, source = read_pdf(data, ReadingSettings(ocr_dpi=72))
    except ClerkError:
        pytest.skip(f"{name}: refused (a damaged or encrypted sample, or no PDF)")
    for page, theirs in zip(pages, _plumber_pages(data), strict=True):
        if source == "ocr" and not theirs:
            continue  # a scan: OCR read it, pdfplumber finds no text at all
        assert [(w.text, w.line) for w in page.words] == [(w.text, w.line) for w in theirs]
        euro_lines = {w.line for w in theirs if "€" in w.text}
        for ours, plumber in zip(page.words, theirs, strict=True):
            assert ours.box is not None and plumber.box is not None
            assert ours.box.y0 == pytest.approx(plumber.box.y0, abs=_Y_TOLERANCE)
            assert ours.box.y1 == pytest.approx(plumber.box.y1, abs=_Y_TOLERANCE)
            if ours.line not in euro_lines:
                assert ours.box.x0 == pytest.approx(plumber.box.x0, abs=_X_TOLERANCE)
                assert ours.box.x1 == pytest.approx(plumber.box.x1, abs=_X_TOLERANCE)
