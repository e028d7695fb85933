"""A scan whose reading missed a required date or amount is read again with tesseract's
automatic page layout (``pipeline.read_again``): the reading that found more is kept,
and one read again goes to a person."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

import corpus
from clerk.documents import Check, Document, Understanding
from extractors import read
from pipeline.read_again import CHECK, missing_values, read_again
from pipeline.understander import Understander
from tests.unit.extractors.conftest import png_bytes

pytestmark = pytest.mark.ocr


@pytest.fixture(scope="module")
def receipt_scan() -> bytes:
    (sample,) = corpus.generate(1, 41, doc_types=["receipt"], languages=["en"])
    return corpus.render_scan(sample, random.Random(3), clean_background=True)


@pytest.fixture(scope="module")
def first_reading(receipt_scan: bytes) -> Document:
    (document,) = read(receipt_scan, "receipt.png")
    return document


def as_read(understander: Understander, doc_type: str) -> Callable[[Document], Understanding]:
    def understand(document: Document) -> Understanding:
        return understander.understand(document, doc_type=doc_type)

    return understand


def without_total(understanding: Understanding) -> Understanding:
    """The understanding as if its reading had not found the total."""
    checks = [c for c in understanding.checks if c.name != "required:total_amount"]
    checks.append(Check("required:total_amount", False, "total_amount is missing"))
    fields = tuple(f for f in understanding.fields if f.name != "total_amount")
    return replace(understanding, fields=fields, checks=tuple(checks), decision="review")


def test_a_reading_that_found_its_dates_and_amounts_is_kept_as_it_is(
    understander: Understander, receipt_scan: bytes, first_reading: Document
) -> None:
    first = understander.understand(first_reading, doc_type="receipt")
    assert missing_values(first) == []
    again = read_again(receipt_scan, first_reading, first, as_read(understander, "receipt"),
                       understander.policy, understander.reading)  # fmt: skip
    assert again is first


def test_a_missed_total_found_by_the_second_reading_is_kept_and_goes_to_a_person(
    understander: Understander, receipt_scan: bytes, first_reading: Document
) -> None:
    first = without_total(understander.understand(first_reading))
    assert missing_values(first) == ["total_amount"]
    again = read_again(
        receipt_scan,
        first_reading,
        first,
        as_read(understander, first.doc_type),
        understander.policy,
        understander.reading,
    )
    assert missing_values(again) == []
    assert "total_amount" in {f.name for f in again.fields}
    (check,) = [c for c in again.checks if c.name == CHECK]
    assert not check.passed and "missed total_amount" in check.message
    assert again.decision == "review"
    assert any(r.name == CHECK for r in again.reasons)
    # The type is still the first reading's, as the classifier gave it.
    assert (again.doc_type, again.type_confidence, again.top3, again.type_set_by) == (
        first.doc_type, first.type_confidence, first.top3, first.type_set_by
    )  # fmt: skip


def test_a_second_reading_that_finds_no_more_leaves_the_first(
    understander: Understander, first_reading: Document
) -> None:
    first = without_total(understander.understand(first_reading, doc_type="receipt"))
    page = Image.new("L", (1200, 400), 255)
    ImageDraw.Draw(page).text((100, 150), "THANK YOU", fill=0, font_size=60)
    again = read_again(
        png_bytes(page),
        first_reading,
        first,
        as_read(understander, "receipt"),
        understander.policy,
        understander.reading,
    )
    assert again is first


def test_only_scans_are_read_again(understander: Understander, first_reading: Document) -> None:
    typed = replace(first_reading, text_source="text-layer")
    first = without_total(understander.understand(typed, doc_type="receipt"))
    with_no_pixels = b"not an image: it must not be read"
    again = read_again(
        with_no_pixels,
        typed,
        first,
        as_read(understander, "receipt"),
        understander.policy,
        understander.reading,
    )
    assert again is first


def test_the_understander_reads_a_scan_again_only_when_it_missed_something(
    understander: Understander, receipt_scan: bytes, first_reading: Document
) -> None:
    understanding = understander.understand(first_reading, receipt_scan)
    assert CHECK not in {c.name for c in understanding.checks}
