"""PDF text layers read through pdfium: characters grouped into words (``_char_words``),
placed where the PDF draws them (``_pdf_layer``), including rotated pages, glyphs no font
maps to Unicode, and scans placed inside form XObjects."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from fpdf import FPDF
from PIL import Image

from extractors import read
from extractors.reading._char_words import Char, words
from extractors.reading._pdf_layer import View, image_cover, page_chars


def _char(text: str, x0: float, top: float = 100.0, width: float = 5.0) -> Char:
    return Char(text, x0, top, x0 + width, top + 10.0, True)


def _spelled(chars: list[Char]) -> list[str]:
    return [w.text for w in words(chars)]


def _typed(text: str, x0: float, top: float = 100.0, gap: float = 0.0) -> list[Char]:
    """``text`` set in 5 pt wide characters from ``x0``, ``gap`` between characters."""
    return [_char(ch, x0 + i * (5.0 + gap), top) for i, ch in enumerate(text)]


# --- grouping characters into words ---------------------------------------------------


def test_a_space_ends_a_word_and_is_not_part_of_one() -> None:
    placed = words(_typed("Net 10.00", 50))
    assert [w.text for w in placed] == ["Net", "10.00"]
    net, amount = (w.box for w in placed)
    assert (net.x0, net.x1) == (50, 65)  # three characters, not the space after them
    assert (amount.x0, amount.x1) == (70, 95)
    assert (net.y0, net.y1) == (100, 110)


def test_a_gap_wider_than_three_points_splits_and_a_narrower_one_does_not() -> None:
    assert _spelled(_typed("Total", 50, gap=2.9)) == ["Total"]  # letter-spaced heading
    assert _spelled(_typed("Qty", 50) + _typed("12", 68.1)) == ["Qty", "12"]  # 3.1 apart


def test_characters_read_left_to_right_whatever_order_the_stream_draws_them() -> None:
    drawn = list(reversed(_typed("Invoice", 50)))
    assert _spelled(drawn) == ["Invoice"]


def test_a_line_is_every_character_whose_top_chains_within_three_points() -> None:
    baseline_wobble = _typed("Acme", 50, top=100) + _typed("GmbH", 75, top=102.5)
    assert _spelled(baseline_wobble) == ["Acme", "GmbH"]
    # touching, but 4 points apart in height: two lines, so two words
    assert _spelled(_typed("ab", 50, top=100) + _typed("cd", 60, top=104)) == ["ab", "cd"]


def test_ligatures_are_spelled_out() -> None:
    assert _spelled([_char("ﬁ", 50), *_typed("nal", 55)]) == ["final"]


def test_characters_that_are_not_upright_read_top_to_bottom_in_columns() -> None:
    column = [Char(ch, 300, 200 + 6 * i, 310, 206 + 6 * i, False) for i, ch in enumerate("PAID")]
    placed = words([*_typed("Total", 50), *reversed(column)])
    assert [w.text for w in placed] == ["Total", "PAID"]
    assert placed[1].box.y0 == 200 and placed[1].box.y1 == 224


# --- characters from a real PDF -------------------------------------------------------

# (font, style, size, x, baseline from the top, text)
_STRINGS = [
    ("Helvetica", "", 11, 60, 80, "Invoice INV-2024-0117"),
    ("Helvetica", "B", 14, 340, 80, "Nordwind GmbH"),
    ("Times", "", 10, 60, 120, "Total due 1,250.00 EUR"),
    ("Courier", "", 9, 60, 160, "IBAN DE89 3704 0044"),
]
# The standard fonts' descents below the baseline, per point of size (their AFM
# descenders), as pdfminer placed glyph boxes.
_DESCENT = {"Helvetica": 0.207, "Times": 0.217, "Courier": 0.194}


def _fpdf() -> tuple[bytes, list[tuple[str, float, float, float, float]]]:
    """A page made with fpdf2, and each word's expected box: from the pen position to
    the end of its advance, one font size tall, bottom at the descent."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    expected = []
    for family, style, size, x, baseline, text in _STRINGS:
        pdf.set_font(family, style, size)
        pdf.text(x, baseline, text)
        left = x
        bottom = baseline + _DESCENT[family] * size
        for word in text.split(" "):
            width = pdf.get_string_width(word)
            expected.append((word, left, bottom - size, left + width, bottom))
            left += width + pdf.get_string_width(" ")
    return bytes(pdf.output()), expected


def test_words_of_an_fpdf_page_are_where_fpdf_put_them() -> None:
    data, expected = _fpdf()
    (document,) = read(data, "fpdf.pdf")
    assert document.text_source == "text-layer"
    page = document.pages[0]
    assert (page.width, page.height) == pytest.approx((595.28, 841.89), abs=0.01)
    by_text = {w.text: w for w in page.words}
    assert sorted(by_text) == sorted(text for text, *_ in expected)
    for text, x0, top, x1, bottom in expected:
        box = by_text[text].box
        assert box is not None, text
        assert (box.x0, box.y0, box.x1, box.y1) == pytest.approx((x0, top, x1, bottom), abs=0.05)
    assert document.text.splitlines() == [
        "Invoice INV-2024-0117 Nordwind GmbH",
        "Total due 1,250.00 EUR",
        "IBAN DE89 3704 0044",
    ]


def test_words_drawn_apart_without_a_space_glyph_read_apart() -> None:
    # Chromium's PDFs (an HTML invoice printed to PDF) draw each word on its own, a
    # space's width apart but with no space character: closer than the 3 pt that
    # separates words by distance alone at a small font size. pdfium sees the gap.
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 8)
    x = 50.0
    for word in ("Nimbus", "Compute,", "Inc.", "12", "november", "2026"):
        pdf.text(x, 100, word)
        x += pdf.get_string_width(word) + 2.2  # a space at 8 pt is 2.2 pt wide
    (document,) = read(bytes(pdf.output()), "chromium.pdf")
    assert document.text.splitlines() == ["Nimbus Compute, Inc. 12 november 2026"]
    assert [w.text for w in document.pages[0].words][:2] == ["Nimbus", "Compute,"]


def test_a_rotated_page_reads_as_displayed() -> None:
    # A landscape page stored portrait with /Rotate 90, its text drawn turned a quarter
    # anticlockwise so that it reads upright once the page is turned: what a viewer
    # shows is what the words say, in points from the displayed top-left.
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    with pdf.rotation(90, x=100, y=700):
        pdf.text(100, 700, "Landscape total 99.00")
    source = pypdfium2.PdfDocument(bytes(pdf.output()))
    source[0].set_rotation(90)
    buffer = io.BytesIO()
    source.save(buffer)
    data = buffer.getvalue()

    (document,) = read(data, "landscape.pdf")
    page = document.pages[0]
    assert (page.width, page.height) == pytest.approx((841.89, 595.28), abs=0.01)
    assert page.text == "Landscape total 99.00"
    image = pypdfium2.PdfDocument(data)[0].render(scale=2, grayscale=True).to_pil()
    assert image.size == (round(page.width * 2), round(page.height * 2))
    for word in page.words:  # each box holds its word's ink on the rendered page
        assert word.box is not None
        box = word.box
        ink = image.crop(
            (round(box.x0 * 2), round(box.y0 * 2), round(box.x1 * 2), round(box.y1 * 2))
        )
        assert ink.getextrema()[0] < 100, word.text
        assert box.x1 - box.x0 > box.y1 - box.y0  # runs across the page


def _raw_pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _unmapped_glyphs_pdf() -> bytes:
    """A page in a Type 3 font whose glyphs have made-up names and no ToUnicode map:
    no reader can know which letters they are (a subset font stripped of its map)."""
    codes = bytes(range(1, 27))
    shown = (codes[:9] + b" " + codes[9:]).hex().encode()  # two "words" a line
    content = b"".join(
        b"BT /T3 14 Tf 60 %d Td <%s> Tj ET\n" % (780 - 24 * line, shown) for line in range(3)
    )
    glyph = b"600 0 0 0 500 700 d1 0 0 500 700 re f"
    names = b" ".join(b"/g%d" % code for code in codes)
    procs = b" ".join(b"/g%d 7 0 R" % code for code in codes)
    widths = b" ".join([b"600"] * 32)
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /T3 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%sendstream" % (len(content), content),
            b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] "
            b"/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs 6 0 R "
            b"/Encoding << /Type /Encoding /Differences [1 %s] >> "
            b"/FirstChar 1 /LastChar 32 /Widths [%s] /Resources << >> >>" % (names, widths),
            b"<< %s >>" % procs,
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(glyph), glyph),
        ]
    )


def test_glyphs_without_unicode_read_as_replacement_characters() -> None:
    page = pypdfium2.PdfDocument(_unmapped_glyphs_pdf())[0]
    chars = page_chars(page, View.of(page))
    assert chars and {c.text for c in chars if not c.text.isspace()} == {"\ufffd"}


@pytest.mark.ocr
def test_a_page_of_glyphs_without_unicode_is_ocred() -> None:
    (document,) = read(_unmapped_glyphs_pdf(), "subset.pdf")
    assert document.text_source == "ocr"
    assert "\ufffd" not in document.text


def test_a_scan_placed_inside_nested_forms_counts_where_it_is_drawn() -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(600, 800), invariant=1)
    canvas.beginForm("scan")
    canvas.drawImage(ImageReader(Image.new("L", (50, 50), 128)), 0, 0, 100, 100)
    canvas.endForm()
    canvas.beginForm("wrapper")
    canvas.scale(2, 2)
    canvas.doForm("scan")
    canvas.endForm()
    canvas.translate(100, 100)
    canvas.scale(1.5, 1.5)
    canvas.doForm("wrapper")  # 100 pt, twice 2x, then 1.5x: 300 pt square
    canvas.showPage()
    canvas.save()
    page = pypdfium2.PdfDocument(buffer.getvalue())[0]
    assert image_cover(page, View.of(page)) == pytest.approx(300 * 300 / (600 * 800))
