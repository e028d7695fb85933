"""PDFs: text-layer words with boxes, scanned pages through OCR, and broken files."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfbase.pdfmetrics import getDescent, stringWidth

from clerk.documents import document_text
from clerk.errors import BusinessError
from extractors import ReadingSettings, read
from extractors.reading import pdf as reading_pdf
from tests.unit.extractors.conftest import (
    A4_POINTS,
    INVOICE,
    OCR_DPI,
    draw_scan,
    image_pdf,
    invoice_words,
    text_pdf,
)


def test_text_layer_words_have_boxes_where_reportlab_drew_them(invoice_pdf: bytes) -> None:
    (document,) = read(invoice_pdf, "invoice.pdf")
    assert document.text_source == "text-layer"
    assert document.mime == "application/pdf"
    page = document.pages[0]
    assert (round(page.width, 2), round(page.height, 2)) == (595.28, 841.89)
    assert [w.text for w in page.words] == invoice_words()
    by_position = iter(page.words)
    for y, columns in INVOICE:
        for x, text in columns:
            left = x
            for token in text.split():
                word = next(by_position)
                assert word.box is not None and word.confidence == 1.0
                width = stringWidth(token, "Helvetica", 10)
                assert word.box.x0 == pytest.approx(left, abs=0.05)
                assert word.box.x1 == pytest.approx(left + width, abs=0.05)
                # pdfminer's glyph box: one font size tall, bottom at the font's descent
                # below the baseline (y is the baseline, from the top)
                bottom = y - getDescent("Helvetica", 10)
                assert word.box.y1 == pytest.approx(bottom, abs=0.05)
                assert word.box.y0 == pytest.approx(bottom - 10, abs=0.05)
                left += width + stringWidth(" ", "Helvetica", 10)


def test_document_text_is_lines_of_single_spaced_words(invoice_pdf: bytes) -> None:
    (document,) = read(invoice_pdf, "invoice.pdf")
    expected = "\n".join(" ".join(text for _, text in columns) for _, columns in INVOICE)
    assert document.text == expected
    assert document_text(document).text == expected
    assert [w.line for w in document.pages[0].words][-1] == len(INVOICE) - 1


def test_two_columns_on_one_baseline_share_a_line_in_x_order() -> None:
    # Right column drawn first, bigger and bold, 1 pt lower: stream order, font size and a
    # small baseline wobble must not split the line or reorder it.
    data = text_pdf(
        [
            [
                (320, 101, "Invoice No. 4711", "Helvetica-Bold", 14),
                (60, 100, "Acme GmbH", "Helvetica", 9),
                (320, 120, "Date 2024-01-31", "Helvetica", 10),
                (60, 120, "Main Street 5", "Times-Roman", 10),
                (60, 134, "Berlin", "Helvetica", 10),
            ]
        ]
    )
    (document,) = read(data, "columns.pdf")
    assert document.text.splitlines() == [
        "Acme GmbH Invoice No. 4711",
        "Main Street 5 Date 2024-01-31",
        "Berlin",
    ]


def test_pages_keep_their_numbers_and_lines_restart(invoice_pdf: bytes) -> None:
    data = text_pdf(
        [[(60, 100, "first page", "Helvetica", 10)], [(60, 300, "second page", "Helvetica", 10)]]
    )
    (document,) = read(data, "two.pdf")
    assert [p.number for p in document.pages] == [1, 2]
    assert document.pages[1].words[0].page == 2
    assert document.pages[1].words[0].line == 0
    assert document.text == "first page\fsecond page"


def test_pdf_named_txt_is_read_as_pdf(invoice_pdf: bytes) -> None:
    (document,) = read(invoice_pdf, "notes.txt")
    assert document.mime == "application/pdf"
    assert document.text.startswith("Nordwind Papier GmbH INVOICE")


@pytest.mark.ocr
def test_scanned_page_is_ocred_and_text_page_is_not() -> None:
    lines = [(100, [(60, "Scanned remittance 8815")]), (130, [(60, "Paid total 1250.00 EUR")])]
    image, drawn = draw_scan(lines)
    data = image_pdf(
        image, before=[(60, 100, "Cover sheet", "Helvetica", 12)], stamp="Received 2024-05-02"
    )
    (document,) = read(data, "mixed.pdf")
    assert document.text_source == "ocr"
    cover, scan = document.pages
    assert cover.text == "Cover sheet"
    assert cover.width == pytest.approx(A4_POINTS[0])  # points on the text-layer page
    # the stamp's text layer alone does not count as the page's text: the page is OCRed,
    # stamp included
    assert scan.text == "Scanned remittance 8815\nPaid total 1250.00 EUR\nReceived 2024-05-02"
    # OCR boxes come back in points too: one unit for every page of a PDF
    scale = OCR_DPI / 72
    assert (scan.width, scan.height) == pytest.approx(A4_POINTS, abs=0.5)
    first = scan.words[0]
    assert first.box is not None and 0 < first.confidence <= 1
    assert first.box.x0 == pytest.approx(drawn[0].x0 / scale, abs=2)
    assert first.box.y0 == pytest.approx(drawn[0].y0 / scale, abs=2)
    assert first.box.x1 == pytest.approx(drawn[0].x1 / scale, abs=2)


def test_truncated_pdf(invoice_pdf: bytes) -> None:
    with pytest.raises(BusinessError) as caught:
        read(invoice_pdf[: len(invoice_pdf) * 2 // 3], "cut.pdf")
    assert caught.value.code == "TRUNCATED_FILE"
    assert "ask the sender" in caught.value.message


def test_garbage_after_the_header_is_a_truncated_file() -> None:
    with pytest.raises(BusinessError) as caught:
        read(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n", "junk.pdf")
    assert caught.value.code == "TRUNCATED_FILE"


def test_encrypted_pdf(invoice_pdf: bytes) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(invoice_pdf)))
    writer.encrypt("s3cret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(BusinessError) as caught:
        read(out.getvalue(), "locked.pdf")
    assert caught.value.code == "ENCRYPTED_PDF"
    assert "unprotected copy" in caught.value.message


def test_owner_password_only_pdf_is_read(invoice_pdf: bytes) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(invoice_pdf)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    (document,) = read(out.getvalue(), "restricted.pdf")
    assert document.text.startswith("Nordwind Papier GmbH")


@pytest.fixture(scope="module")
def five_hundred_pages() -> bytes:
    return text_pdf([[(60, 100, f"page {n}", "Helvetica", 10)] for n in range(500)])


def test_too_many_pages_is_refused_before_any_page_is_read(
    five_hundred_pages: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pages(*args: object) -> None:
        raise AssertionError("a page was read before the page count was checked")

    monkeypatch.setattr(reading_pdf, "_read_pages", no_pages)
    with pytest.raises(BusinessError) as caught:
        read(five_hundred_pages, "big.pdf")
    assert caught.value.code == "TOO_MANY_PAGES"
    assert "500 pages" in caught.value.message and "limit of 50" in caught.value.message


def test_page_limit_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MAX_PAGES", "1")
    data = text_pdf([[(60, 100, "one", "Helvetica", 10)], [(60, 100, "two", "Helvetica", 10)]])
    with pytest.raises(BusinessError) as caught:
        read(data, "two.pdf")
    assert caught.value.code == "TOO_MANY_PAGES"
    assert ReadingSettings().max_pages == 1
