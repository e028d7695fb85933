"""A second reading of a field's line, through real tesseract
(``extractors.reading.second_reading``): it agrees with the print and catches a misread
digit."""

from __future__ import annotations

import pytest

from clerk.documents import Box, Field
from extractors.reading.second_reading import digits_agree, lost_digits, second_readings
from tests.unit.extractors.conftest import draw_scan, png_bytes

LANGUAGES = "eng"


def test_digits_agree_only_when_the_same_digits_stand_together() -> None:
    assert digits_agree("RM 29.70", "TOTAL 29.70")
    assert digits_agree("18/02/2018", "Date: 18-02-2018 15:28")
    assert not digits_agree("18/02/2018", "Date: 16/02/2018")
    assert not digits_agree("73.30", "13.30")
    assert not digits_agree("7.42", "")
    assert not digits_agree("CASH", "CASH")  # no digits: nothing to agree on


def test_a_reading_that_only_lost_digits_is_no_disagreement() -> None:
    """Lost digits ask for a third reading; a digit of its own is a disagreement."""
    assert lost_digits("67.85", "67.8)")
    assert lost_digits("7.42", "")
    assert lost_digits("63.35", "335%")
    assert not lost_digits("105,00", "105,02")  # a digit the first reading did not have
    assert not lost_digits("18/02/2018", "15/02/2013")
    assert not lost_digits("29.70", "TOTAL 29.70")  # agreement


@pytest.fixture(scope="module")
def receipt_line() -> tuple[bytes, Box]:
    image, drawn = draw_scan([(100, [(60, "Date: 16/02/2018"), (300, "TOTAL 73.30")])])
    date = next(w for w in drawn if w.text == "16/02/2018")
    return png_bytes(image), Box(date.x0, date.y0, date.x1, date.y1)


@pytest.mark.ocr
def test_a_value_the_print_bears_out_passes(receipt_line: tuple[bytes, Box]) -> None:
    image, box = receipt_line
    field = Field("receipt_date", "16/02/2018", "2018-02-16", 0.96, 1, box)
    (check,) = second_readings([field], image, LANGUAGES)
    assert (check.name, check.passed) == ("second_reading:receipt_date", True)


@pytest.mark.ocr
def test_a_misread_digit_fails_and_says_what_was_read(receipt_line: tuple[bytes, Box]) -> None:
    image, box = receipt_line
    field = Field("receipt_date", "18/02/2018", "2018-02-18", 0.96, 1, box)
    (check,) = second_readings([field], image, LANGUAGES)
    assert not check.passed
    assert "'18/02/2018' was read again as" in check.message and "16/02/2018" in check.message


def test_only_fields_with_digits_and_a_box_are_read_again(
    receipt_line: tuple[bytes, Box],
) -> None:
    # Line items are no fields any more (Understanding.line_items): the pipeline never
    # passes them here, and their arithmetic judges them.
    image, box = receipt_line
    fields = [
        Field("merchant_name", "ACME", "ACME", 0.96, 1, box),  # no digits
        Field("currency", "MYR", "MYR", 0.96),  # no box
        Field("total_amount", "73.30", "73.30", 0.96),  # derived: no box
    ]
    assert second_readings(fields, image, LANGUAGES) == []


def test_a_second_reading_that_cannot_run_confirms_nothing() -> None:
    field = Field("total_amount", "7.42", "7.42", 0.96, 1, Box(0, 0, 10, 10))
    (check,) = second_readings([field], b"not an image", LANGUAGES)
    assert not check.passed and "second reading of total_amount failed" in check.message
