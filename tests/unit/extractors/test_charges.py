"""Charges between the net and the total (``extractors._charges``): a shipping line that
makes up the difference passes net + tax = total; anything else leaves it failed."""

from __future__ import annotations

from extractors._charges import NET_PLUS_TAX, explained_by_charges
from extractors.normalize import NormalizeHints, hints_from_text

ORDER = "Subtotal 3,280.80\nTax 0.00\nShipping 185.00\nTotal (USD) $3,465.80"
VALUES = {"net_amount": "3280.80", "tax_amount": "0.00", "total_amount": "3465.80"}


def test_a_printed_shipping_charge_makes_up_the_total() -> None:
    check = explained_by_charges(VALUES, ORDER, NormalizeHints())
    assert check is not None and check.name == NET_PLUS_TAX and check.passed
    assert check.message == (
        "net 3280.80 + tax 0.00 + shipping 185.00 = 3465.80, matches total 3465.80"
    )


def test_two_charges_together_make_up_the_total() -> None:
    text = "Zwischensumme 100,00\nVersandkosten 4,90\nVerpackung\nPorto 1,10\nGesamt 125,00"
    values = {"net_amount": "100.00", "tax_amount": "19.00", "total_amount": "125.00"}
    assert explained_by_charges(values, text, hints_from_text(text)) is not None


def test_a_charge_that_does_not_make_up_the_difference_explains_nothing() -> None:
    assert (
        explained_by_charges({**VALUES, "net_amount": "3180.80"}, ORDER, NormalizeHints()) is None
    )
    no_charge = ORDER.replace("Shipping", "Discount")
    assert explained_by_charges(VALUES, no_charge, NormalizeHints()) is None
    # a total below net + tax is no charge's doing
    assert (
        explained_by_charges({**VALUES, "total_amount": "3000.00"}, ORDER, NormalizeHints()) is None
    )
    # a line item that names a delivery in the middle of its line is no charge line
    row = ORDER.replace("Shipping 185.00", "2 Express shipping 92.50 185.00")
    assert explained_by_charges(VALUES, row, NormalizeHints()) is None
