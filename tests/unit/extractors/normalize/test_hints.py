"""Document-level hints: the unambiguous values of a document settle its ambiguous ones."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from extractors.normalize import NormalizeHints, hints_from_text, normalize_amount, normalize_date
from extractors.normalize.hints import infer_currency, infer_date_order, infer_decimal_comma


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("Invoice date 12/31/14, due 01/30/15", "MDY"),
        ("Date 31/12/2014 due 08/01/2015", "DMY"),
        ("Date 08/03/2014 due 09/04/2014", None),  # nothing settles it
        ("Date 31/12/2014 due 12/31/2014", None),  # contradicts itself
        ("Datum 03.08.2014", None),  # dots are day-first anyway, no vote needed
        ("Order 2014-08-03", None),
        ("Phone 030/1234567, ref 13/4", None),
    ],
)
def test_date_order(text: str, order: str | None) -> None:
    assert infer_date_order(text) == order


@pytest.mark.parametrize(
    ("text", "comma"),
    [
        ("Total 1.234,56 EUR, Netto 1.037,45", True),
        ("Total $1,234.56 tax $12.00", False),
        ("Summe 12,50 € und 3.00", None),  # a tie
        ("Menge 3 Stück, 03.08.2014", None),  # a date is not a decimal
        ("Total 1 234,56 €", True),
        ("Total 1'234.50 CHF", False),
    ],
)
def test_decimal_comma(text: str, comma: bool | None) -> None:
    assert infer_decimal_comma(text) is comma


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Total USD 1,234.56 tax $12.00", "USD"),
        ("Summe 12,50 €", "EUR"),
        ("Total 12.50 CAD", "CAD"),
        ("Total 12.50 EUR or 13.00 USD", None),
        ("ALL RIGHTS RESERVED. TOP quality PEN set 12.00", None),  # codes only beside numbers
        ("no money here", None),
    ],
)
def test_currency(text: str, currency: str | None) -> None:
    assert infer_currency(text) == currency


def test_hints_resolve_the_ambiguous_values_of_a_us_document() -> None:
    text = "INVOICE\nDate: 08/03/14\nDue: 09/15/14\nTotal: $1.234\nCurrency USD 1,234.00"
    hints = hints_from_text(text, "en")
    assert hints == NormalizeHints("en", "MDY", False, "USD")
    assert normalize_date("08/03/14", hints) == "2014-08-03"
    assert normalize_amount("$1.234", hints) is not None


@pytest.mark.parametrize("seed", range(3))
def test_generated_documents_round_trip_with_inferred_hints(seed: int) -> None:
    """A document writes every date month-first; one of its dates has a day above 12, so
    the inferred hints read all the others (08/03/14) right."""
    rng = random.Random(seed)
    for _ in range(50):
        dates = [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)) for _ in range(4)]
        dates.append(dt.date(2021, rng.randint(1, 12), rng.randint(13, 28)))
        text = "\n".join(f"Date {d:%m/%d/%y}" for d in dates)
        hints = hints_from_text(text, "en")
        assert hints.date_order == "MDY"
        for d in dates:
            assert normalize_date(f"{d:%m/%d/%y}", hints) == d.isoformat()
