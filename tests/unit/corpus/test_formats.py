from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import pytest

from corpus import _formats as formats


def test_known_iban_is_valid_and_a_typo_is_not() -> None:
    assert formats.iban_is_valid("DE89 3704 0044 0532 0130 00")
    assert not formats.iban_is_valid("DE89 3704 0044 0532 0130 01")


@pytest.mark.parametrize("country", ["DE", "AT", "NL", "FR", "GB", "BE", "CH", "ES", "IT"])
def test_generated_ibans_pass_mod97(country: str) -> None:
    rng = random.Random(country)
    for _ in range(50):
        iban = formats.make_iban(rng, country)
        assert iban.startswith(country) and formats.iban_is_valid(iban)


@pytest.mark.parametrize(
    ("country", "pattern"),
    [("DE", r"DE\d{9}"), ("FR", r"FR[0-9A-Z]\d{10}"), ("GB", r"GB\d{9}"), ("AT", r"ATU\d{8}")],
)
def test_vat_ids_have_the_real_shapes(country: str, pattern: str) -> None:
    import re

    rng = random.Random(1)
    for _ in range(30):
        truth, printed = formats.make_vat_id(rng, country)
        assert re.fullmatch(pattern, truth)
        assert formats.vat_normalize(printed) == truth


@pytest.mark.parametrize("language", ["en", "de", "fr", "nl", "es", "it", "pl"])
def test_every_date_style_round_trips(language: str) -> None:
    for style in formats.DATE_STYLES[language]:
        for day in (date(2014, 8, 3), date(2021, 1, 1), date(2019, 12, 31), date(2023, 6, 9)):
            text = formats.format_date(day, style, language)
            assert formats.parse_date(text, style, language) == day, (style, text)


def test_dates_read_as_people_write_them() -> None:
    day = date(2014, 8, 3)
    assert formats.format_date(day, "dmy_dot", "de") == "03.08.2014"
    assert formats.format_date(day, "d_dot_month_y", "de") == "3. August 2014"
    assert formats.format_date(day, "mdy_slash_short", "en") == "08/03/14"
    assert formats.format_date(day, "d_month_y", "fr") == "3 août 2014"
    assert formats.format_date(day, "month_d_y", "en") == "August 3, 2014"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            formats.MoneyStyle(",", ".", "€", "suffix", "EUR"),
            [("amount", "1.234,56"), ("currency", "€")],
        ),
        (formats.MoneyStyle(".", ",", "$", "glued_prefix", "USD"), [("amount", "$1,234.56")]),
        (
            formats.MoneyStyle(",", " ", "EUR", "prefix", "EUR"),
            [("currency", "EUR"), ("amount", "1 234,56")],
        ),
        (
            formats.MoneyStyle(".", "'", "CHF", "suffix", "CHF"),
            [("amount", "1'234.56"), ("currency", "CHF")],
        ),
    ],
)
def test_money_conventions(style: formats.MoneyStyle, expected: list[tuple[str, str]]) -> None:
    value = Decimal("1234.56")
    assert formats.money_parts(value, style) == expected
    amount = next(text for kind, text in expected if kind == "amount")
    assert formats.parse_amount(amount, style) == value


def test_truth_forms() -> None:
    assert formats.money(Decimal("1234.5")) == "1234.50"
    assert formats.quantity_truth(Decimal("2.50")) == "2.5"
    assert formats.quantity_truth(Decimal("3")) == "3"


def test_an_american_issuer_writes_numeric_dates_month_first() -> None:
    day = date(2026, 3, 11)
    for style in formats.DATE_STYLES["en"]:
        shown = formats.format_date(day, formats.country_date_style(style, "US"), "en")
        assert not re.match(r"11\W03\W", shown), (style, shown)  # never 11/03 for March 11
    assert formats.country_date_style("dmy_slash", "GB") == "dmy_slash"
