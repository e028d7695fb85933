"""Checks as evidence: a passing relation confirms the fields it ties together, and only
where the relation is not trivially true."""

from __future__ import annotations

import datetime as dt

from clerk.documents import Check, Field, LineItem
from clerk.schemas import addressed, split_addressed
from extractors.corroborate import (
    CONFIRMED_CONFIDENCE,
    FOOTER_IDS_CHECK,
    FOOTER_VAT_CHECK,
    NOT_SENDER_CHECK,
    NUMBER_CHECK,
    OTHER_COMPANY_CHECK,
    SENDER_CHECK,
    TERMS_CHECK,
    corroborate,
    corroborate_rows,
)
from extractors.validate import validate

TODAY = dt.date(2025, 6, 1)
LOW = 0.5


def _fields(values: dict[str, str]) -> list[Field]:
    return [Field(name, value, value, LOW) for name, value in values.items()]


def _understood(
    values: dict[str, str], text: str = "", doc_type: str = "invoice"
) -> tuple[dict[str, Field], dict[str, Check]]:
    """The fields, flat ones by name and cells by address (``line_items.0.amount``), and
    the checks of a document whose values (addressed likewise) were all read at LOW."""
    flat, table = split_addressed(values)
    rows = [LineItem(tuple(_fields(row))) for row in table]
    checks = validate(doc_type, flat, today=TODAY, rows=table)
    lifted, checks = corroborate(doc_type, _fields(flat), checks, text, rows)
    lifted_rows = corroborate_rows(checks, rows)
    cells = [{c.name: c for c in row.cells} for row in lifted_rows]
    return addressed({f.name: f for f in lifted}, cells), {c.name: c for c in checks}


def _corroborated(values: dict[str, str], text: str = "") -> dict[str, Field]:  # invoices
    return _understood(values, text)[0]


AMOUNTS = {"net_amount": "100.00", "tax_amount": "19.00", "total_amount": "119.00"}
LINES = {
    "line_items.0.description": "Widget",
    "line_items.0.quantity": "2",
    "line_items.0.unit_price": "30.00",
    "line_items.0.amount": "60.00",
    "line_items.1.description": "Gadget",
    "line_items.1.quantity": "1",
    "line_items.1.unit_price": "40.00",
    "line_items.1.amount": "40.00",
}


def test_net_plus_tax_equals_total_confirms_the_three_amounts() -> None:
    fields = _corroborated({**AMOUNTS, "invoice_number": "A-1"})
    assert all(fields[n].confidence == CONFIRMED_CONFIDENCE for n in AMOUNTS)
    assert fields["invoice_number"].confidence == LOW  # no relation covers it


def test_amounts_that_do_not_add_up_stay_as_read() -> None:
    fields = _corroborated({**AMOUNTS, "total_amount": "120.00"})
    assert all(fields[n].confidence == LOW for n in AMOUNTS)


def test_a_zero_tax_confirms_nothing() -> None:
    # net = total holds for any one number read twice
    fields = _corroborated({"net_amount": "50.00", "tax_amount": "0.00", "total_amount": "50.00"})
    assert all(f.confidence == LOW for f in fields.values())


def test_rows_whose_arithmetic_holds_confirm_their_numbers_but_not_their_descriptions() -> None:
    fields = _corroborated({**LINES, "net_amount": "100.00"})
    for i in (0, 1):
        for name in ("quantity", "unit_price", "amount"):
            assert fields[f"line_items.{i}.{name}"].confidence == CONFIRMED_CONFIDENCE
        assert fields[f"line_items.{i}.description"].confidence == LOW
    assert fields["net_amount"].confidence == CONFIRMED_CONFIDENCE


def test_rows_that_do_not_sum_to_the_net_confirm_nothing() -> None:
    fields = _corroborated({**LINES, "net_amount": "110.00"})
    assert all(f.confidence == LOW for f in fields.values())


def test_one_row_of_quantity_one_is_no_evidence() -> None:
    one = {
        "line_items.0.description": "Service",
        "line_items.0.quantity": "1",
        "line_items.0.unit_price": "75.00",
        "line_items.0.amount": "75.00",
        "net_amount": "75.00",
    }
    assert all(f.confidence == LOW for f in _corroborated(one).values())
    three = {**one, "line_items.0.quantity": "3", "line_items.0.amount": "225.00",
             "net_amount": "225.00"}  # fmt: skip
    assert _corroborated(three)["net_amount"].confidence == CONFIRMED_CONFIDENCE


def test_payment_terms_confirm_both_dates_when_the_days_match() -> None:
    dates = {"issue_date": "2025-03-02", "due_date": "2025-04-01"}
    fields, checks = _understood(dates, "Payment terms: 30 days net.")
    assert fields["issue_date"].confidence == fields["due_date"].confidence == CONFIRMED_CONFIDENCE
    check = checks[TERMS_CHECK]
    assert check.passed and "30 days" in check.message


def test_terms_in_other_languages_and_net_n() -> None:
    dates = {"issue_date": "2025-03-02", "due_date": "2025-03-16"}
    for text in ("Zahlbar innerhalb von 14 Tagen", "Paiement à 14 jours", "Net 14"):
        assert _corroborated(dates, text)["due_date"].confidence == CONFIRMED_CONFIDENCE, text


def test_terms_that_do_not_match_add_no_check_and_confirm_nothing() -> None:
    dates = {"issue_date": "2025-03-02", "due_date": "2025-04-05"}
    fields, checks = _understood(dates, "Payment terms: 30 days net. Delivery in 5 days.")
    assert fields["due_date"].confidence == LOW
    assert TERMS_CHECK not in checks


LETTER = """Montprint B.V.
Kerkstraat 101
3011 AD Rotterdam
Aquatec B.V.
Keizersgracht 116
Amsterdam
Invoice 9564939
Issue date 2 March 2025
Total 4872.17
Payment terms: 30 days net.
Thank you for your business!
VAT No. NL276233299B62
Montprint B.V. T +31 (471) 257711
Kerkstraat 101 accounts@montprint.nl
3011 AD Rotterdam www.montprint.nl"""


def test_a_company_named_in_the_letterhead_and_the_footer_sent_the_invoice() -> None:
    fields, checks = _understood({"vendor_name": "Montprint B.V."}, LETTER)
    assert fields["vendor_name"].confidence == CONFIRMED_CONFIDENCE
    assert checks[SENDER_CHECK].passed
    # The customer's name stands in the address block only: nothing confirms it.
    fields, checks = _understood({"vendor_name": "Aquatec B.V."}, LETTER)
    assert fields["vendor_name"].confidence == LOW and SENDER_CHECK not in checks
    # A name without a legal form may be anything printed twice (a street, a brand).
    fields, _ = _understood({"vendor_name": "Kerkstraat 101"}, LETTER)
    assert fields["vendor_name"].confidence == LOW


def test_on_a_purchase_order_the_sender_is_the_buyer() -> None:
    order = LETTER.replace("Invoice", "Purchase order")
    values = {"buyer_name": "Montprint B.V.", "vendor_name": "Aquatec B.V."}
    fields, checks = _understood(values, order, "purchase_order")
    assert fields["buyer_name"].confidence == CONFIRMED_CONFIDENCE
    # an order has two parties: the one company it names besides its buyer is the vendor
    assert checks[OTHER_COMPANY_CHECK].passed
    assert fields["vendor_name"].confidence == CONFIRMED_CONFIDENCE
    carried = order.replace("Thank you", "Carrier: DHL Express B.V.\nThank you")
    fields, checks = _understood(values, carried, "purchase_order")
    assert OTHER_COMPANY_CHECK not in checks  # a third company: which one is the vendor?
    assert fields["vendor_name"].confidence == LOW
    swapped = {"buyer_name": "Aquatec B.V.", "vendor_name": "Montprint B.V."}
    fields, checks = _understood(swapped, order, "purchase_order")
    assert not checks[NOT_SENDER_CHECK].passed  # the vendor read is the order's sender
    assert fields["buyer_name"].confidence == LOW


def test_the_senders_ids_printed_in_its_footer_are_confirmed() -> None:
    footer = LETTER + "\nIBAN NL91 ABNA 0417 1643 00\nKvK 12345678"
    values = {
        "vendor_name": "Montprint B.V.",
        "vendor_vat_id": "NL276233299B62",
        "iban": "NL91ABNA0417164300",
    }
    fields, checks = _understood(values, footer)
    assert fields["vendor_vat_id"].confidence == CONFIRMED_CONFIDENCE
    assert fields["iban"].confidence == CONFIRMED_CONFIDENCE
    assert checks[FOOTER_IDS_CHECK].passed
    # An id printed higher up (a customer's, in the address block) stays as read.
    higher = {**values, "vendor_vat_id": "NL999999999B01"}
    fields, _ = _understood(higher, footer.replace("Aquatec B.V.", "Aquatec B.V. NL999999999B01"))
    assert fields["vendor_vat_id"].confidence == LOW
    # A second VAT id in the footer (a French invoice prints its customer's right above
    # the sender's legal footer): which one is the sender's, the footer does not say.
    customer = footer.replace("VAT No. NL276233299B62", "Identifiant TVA FR 32 321 789 091")
    fields, checks = _understood(values, customer.replace("KvK 12345678", "TVA NL276233299B62"))
    assert fields["vendor_vat_id"].confidence == LOW
    assert (
        not checks[FOOTER_VAT_CHECK].passed and "FR32321789091" in checks[FOOTER_VAT_CHECK].message
    )
    assert fields["iban"].confidence == CONFIRMED_CONFIDENCE
    # Without the sender's name at both edges, its footer is not known to be its own.
    fields, checks = _understood({**values, "vendor_name": "Aquatec B.V."}, footer)
    assert fields["vendor_vat_id"].confidence == LOW and FOOTER_IDS_CHECK not in checks


def test_a_number_printed_as_the_invoices_twice_is_confirmed() -> None:
    text = "VAT Invoice 9564939\nCustomer No. 706717\nPlease transfer 4872.17 quoting 9564939"
    fields, checks = _understood({"invoice_number": "9564939"}, text)
    assert fields["invoice_number"].confidence == CONFIRMED_CONFIDENCE
    assert checks[NUMBER_CHECK].passed and "'VAT Invoice 9564939'" in checks[NUMBER_CHECK].message
    # A customer number printed once, or inside a longer number, confirms nothing.
    fields, checks = _understood({"invoice_number": "706717"}, text + "\nInvoice 7067170")
    assert fields["invoice_number"].confidence == LOW and NUMBER_CHECK not in checks
    # On a purchase order the order's own number, in its words.
    order = "BESTELLUNG BE-9458\nBitte geben Sie unsere Bestellnummer BE-9458 an."
    fields, _ = _understood({"po_number": "BE-9458"}, order, "purchase_order")
    assert fields["po_number"].confidence == CONFIRMED_CONFIDENCE


def test_a_shipping_charge_that_makes_up_the_total_confirms_the_sums() -> None:
    values = {"net_amount": "100.00", "tax_amount": "20.00", "total_amount": "124.90"}
    text = "Subtotal 100.00\nVAT 20% 20.00\nShipping & handling 4.90\nTotal 124.90"
    fields, checks = _understood(values, text)
    assert checks["net_plus_tax_equals_total"].passed
    assert "shipping & handling 4.90" in checks["net_plus_tax_equals_total"].message
    assert fields["total_amount"].confidence == CONFIRMED_CONFIDENCE
    fields, checks = _understood(values, text.replace("4.90", "5.90"))
    assert not checks["net_plus_tax_equals_total"].passed
    assert fields["total_amount"].confidence == LOW
