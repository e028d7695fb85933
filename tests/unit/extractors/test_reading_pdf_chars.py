"""``reading.pdf._chars`` builds only the character keys word grouping reads, the way
pdfplumber builds them: the words must be exactly those of ``Page.extract_words`` (a
pdfplumber upgrade that changes how it places characters shows up here)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.utils import extract_words

import corpus
from extractors.reading.pdf import _chars

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "inbox"


def _pdfs() -> list[tuple[str, bytes]]:
    generated = corpus.generate(12, 5)
    rng = random.Random(3)
    pdfs = [(s.id, corpus.render_pdf(s)) for s in generated]
    pdfs += [(f"{s.id}-scan", corpus.render_scan_pdf(s, rng)) for s in generated[:2]]
    pdfs += [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*.pdf"))]
    return pdfs


@pytest.mark.parametrize(("name", "data"), _pdfs(), ids=lambda v: v if isinstance(v, str) else "")
def test_words_from_the_lean_characters_are_pdfplumbers(name: str, data: bytes) -> None:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception:  # the damaged and encrypted samples: reading refuses them earlier
        pytest.skip(f"{name}: pdfplumber cannot open it")
    with pdf:
        for page in pdf.pages:
            assert extract_words(_chars(page)) == page.extract_words()
