"""English label words in five more languages, for the classifier's training data."""

from __future__ import annotations

import pytest

from classifiers._translate import LANGUAGES, translate


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "FACTUUR\nFactuurdatum: 12/03/2024\nTotaal 10.00 (btw 1.74)"),
        ("pl", "FAKTURA\nData wystawienia: 12/03/2024\nRazem 10.00 (vat 1.74)"),
        ("es", "FACTURA\nFecha de factura: 12/03/2024\nTotal 10.00 (iva 1.74)"),
    ],
)
def test_label_words_are_translated_keeping_their_case(language: str, expected: str) -> None:
    text = "INVOICE\nInvoice date: 12/03/2024\nTotal 10.00 (vat 1.74)"
    assert translate(text, language) == expected


def test_the_longest_phrase_wins_and_other_words_stay() -> None:
    translated = translate("Purchase order for Acme Widgets", "it")
    assert translated == "Ordine di acquisto for Acme Widgets"
    assert translate("Totally netted", "nl") == "Totally netted"  # words, not parts of words


def test_plain_text_drops_diacritics_as_ascii_printers_do() -> None:
    assert translate("Amount due 12.00", "pl") == "Do zapłaty 12.00"
    assert translate("Amount due 12.00", "pl", plain=True) == "Do zaplaty 12.00"


def test_every_language_has_every_word() -> None:
    for language in LANGUAGES:
        assert translate("invoice receipt purchase order", language).count(" ") >= 2
