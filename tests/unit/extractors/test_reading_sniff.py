"""Content detection by bytes, and tesseract's TSV parsed into words."""

from __future__ import annotations

import pytest

from extractors.reading._ocr import _words
from extractors.reading.sniff import sniff
from tests.unit.extractors.test_reading_xlsx import _patched_headers


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xef\xbb\xbfjunk before %PDF-1.4\n", "pdf"),  # header within the first 1024 bytes
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpeg"),
        (b"II*\x00....", "tiff"),
        (b"MM\x00*....", "tiff"),
        (b"From: a@b.example\nSubject: hi\n\nbody", "email"),
        (b"From sender Mon Jan 1\nReceived: x\nDate: y\n\nbody", "email"),
        (b"Subject: only one header\n\nnot enough for a mail", "text"),
        (b"Dear sir,\nFrom: is not a header here\n", "text"),
        (b"plain words", "text"),
        (b"\x00\x01\x02\x03", "unknown"),
        (b"PK\x03\x04not really a zip", "unknown"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


TSV = "\n".join(
    [
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
        "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
        "4\t1\t1\t1\t1\t0\t100\t200\t500\t40\t-1\t",
        "5\t1\t1\t1\t1\t1\t100\t200\t120\t40\t96.5\tInvoice",
        "5\t1\t1\t1\t1\t2\t240\t200\t90\t40\t91\t 4711 ",
        "5\t1\t1\t1\t1\t3\t340\t200\t10\t40\t95\t ",
        "5\t1\t1\t1\t2\t1\t100\t260\t120\t40\t-1\tghost",
        "5\t1\t1\t2\t1\t1\t100\t320\t120\t40\t12.25\tTotal",
    ]
)


def test_tsv_words_drop_blank_and_minus_one_and_number_lines() -> None:
    words = list(_words(TSV, page=2))
    assert [(w.text, w.line, w.page) for w in words] == [
        ("Invoice", 0, 2),
        ("4711", 0, 2),
        ("Total", 1, 2),
    ]
    assert words[0].confidence == pytest.approx(0.965)
    assert words[2].confidence == pytest.approx(0.1225)
    assert words[1].box is not None and (words[1].box.x0, words[1].box.x1) == (240, 330)


def test_a_perfect_ocr_read_stays_below_a_text_layer() -> None:
    tsv = TSV.splitlines()[0] + "\n5\t1\t1\t1\t1\t1\t100\t200\t120\t40\t100\tInvoice"
    (word,) = _words(tsv, page=1)
    assert word.confidence == 0.99  # 1.0 means a text layer to the field confidence


def test_a_zip_of_an_unknown_version_is_unknown_not_a_crash() -> None:
    """Found by the reader fuzz: a central directory declaring zip version 6.4 made
    zipfile raise NotImplementedError out of the sniffer."""
    assert sniff(_patched_headers(4, 6, b"\x40\x00")) == "unknown"
