"""Currency fields: symbols, codes and words in three languages -> ISO 4217."""

from __future__ import annotations

import pytest

from extractors.normalize import ISO_4217, NormalizeHints, normalize_currency


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("€", "EUR"),
        ("EUR", "EUR"),
        ("eur", "EUR"),
        ("Euro", "EUR"),
        ("Euros", "EUR"),
        ("$", "USD"),
        ("US$", "USD"),
        ("USD", "USD"),
        ("£", "GBP"),
        ("GBP", "GBP"),
        ("Pfund", "GBP"),
        ("livres sterling", "GBP"),
        ("CHF", "CHF"),
        ("Fr.", "CHF"),
        ("SFr.", "CHF"),
        ("Schweizer Franken", "CHF"),
        ("francs suisses", "CHF"),
        ("¥", "JPY"),
        ("zł", "PLN"),
        ("Kč", "CZK"),
        ("SEK", "SEK"),
        (" : EUR ", "EUR"),
        ("(€)", "EUR"),
        ("EUR 12.00", "EUR"),  # an amount beside the code still names one currency
        ("RM", "MYR"),  # the ringgit is printed RM, not MYR
        ("RM 7.42", "MYR"),
    ],
)
def test_markers(raw: str, expected: str) -> None:
    assert normalize_currency(raw) == expected


def test_hints_resolve_dollar_and_krona() -> None:
    assert normalize_currency("$", NormalizeHints(default_currency="AUD")) == "AUD"
    assert normalize_currency("$", NormalizeHints(default_currency="CHF")) == "USD"
    assert normalize_currency("kr", NormalizeHints(default_currency="NOK")) == "NOK"
    assert normalize_currency("kr") is None  # SEK, NOK, DKK and ISK all print kr


@pytest.mark.parametrize(
    "raw", ["", "XYZ", "money", "EUR or USD", "€ $", "E", "12.00", "Dollar Euro"]
)
def test_garbage_is_rejected(raw: str) -> None:
    assert normalize_currency(raw) is None


def test_iso_list_holds_the_common_codes() -> None:
    assert {"EUR", "USD", "GBP", "CHF", "JPY", "SEK", "PLN", "CZK"} <= ISO_4217
    assert all(len(code) == 3 and code.isupper() for code in ISO_4217)
    assert "XYZ" not in ISO_4217


def test_a_receipt_in_ringgit_says_so_to_the_hints() -> None:
    from extractors.normalize import hints_from_text

    hints = hints_from_text("IKANO HANDEL SDN BHD\nTotal RM 73.30\nCash RM 100.00")
    assert hints.default_currency == "MYR"
