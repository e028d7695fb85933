"""Cross-field checks: each passes on a consistent document and fails on a broken one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pytest

from clerk.documents import Check
from clerk.schemas import SCHEMAS, split_addressed
from extractors.validate import ValidateSettings, validate

TODAY = dt.date(2024, 6, 15)

INVOICE: dict[str, str | None] = {
    "invoice_number": "INV-2024-0042",
    "issue_date": "2024-06-01",
    "due_date": "2024-07-01",
    "vendor_name": "ACME Trading GmbH",
    "vendor_vat_id": "DE123456789",
    "iban": "DE89370400440532013000",
    "po_number": "PO-77",
    "currency": "EUR",
    "net_amount": "130.00",
    "tax_amount": "24.70",
    "total_amount": "154.70",
    "line_items.0.description": "Widget",
    "line_items.0.quantity": "2",
    "line_items.0.unit_price": "40.00",
    "line_items.0.amount": "80.00",
    "line_items.1.description": "Gadget",
    "line_items.1.quantity": "2.5",
    "line_items.1.unit_price": "20.00",
    "line_items.1.amount": "50.00",
}


def _checks(
    doc_type: str, values: Mapping[str, str | None], **changes: str | None
) -> dict[str, Check]:
    """The checks of the document whose flat fields and cells (by their addresses,
    ``line_items.0.amount``, as ground truth keeps them) are ``values`` + ``changes``."""
    merged = {**values, **{k.replace("__", "."): v for k, v in changes.items()}}
    flat, rows = split_addressed(merged)
    checks = validate(doc_type, flat, today=TODAY, rows=rows)
    names = [c.name for c in checks]
    assert len(names) == len(set(names)), names  # every check has a unique name
    return {c.name: c for c in checks}


def test_a_consistent_invoice_passes_every_check() -> None:
    checks = _checks("invoice", INVOICE)
    failed = [c for c in checks.values() if not c.passed]
    assert failed == []
    assert {
        "net_plus_tax_equals_total",
        "line_items_sum_to_net",
        "line_item_amounts",
        "iban_checksum",
        "vat_id_format",
        "due_date_not_before_issue_date",
        "date_plausible",
        "currency_known",
        "required:invoice_number",
        "required:line_items",
    } <= set(checks)
    assert checks["required:line_items"].message == "2 line(s) have every required cell"
    assert "paid_invoices_sum_to_total" not in checks  # remittance advice only


def test_each_required_field_is_its_own_check() -> None:
    required = [s.name for s in SCHEMAS["invoice"].fields if s.required]
    checks = _checks("invoice", INVOICE, vendor_name=None, invoice_number="  ")
    assert all(f"required:{name}" in checks for name in required)
    assert not checks["required:vendor_name"].passed
    assert "Vendor name" in checks["required:vendor_name"].message
    assert not checks["required:invoice_number"].passed  # blank counts as missing
    assert checks["required:issue_date"].passed


def test_a_partial_line_needs_its_required_fields() -> None:
    checks = _checks("invoice", INVOICE, line_items__2__amount="5.00")
    missing = checks["required:line_items"]
    assert not missing.passed
    assert missing.message == "line 3 has no description, quantity, unit price"
    assert missing.rows == (2,)


def test_incomplete_lines_are_one_check_that_names_them() -> None:
    """Issue 11: 40 lines with a missing cell each were 40 checks (and 40 reasons)."""
    rows = [{"description": f"Item {i}", "amount": "1.00"} for i in range(40)]
    checks = validate("invoice", {}, today=TODAY, rows=rows)
    incomplete = [c for c in checks if c.name.startswith("required:line_items")]
    assert len(incomplete) == 1
    assert incomplete[0].rows == tuple(range(40))
    assert incomplete[0].message.startswith("line 1 has no quantity, unit price; line 2 ")


def test_net_plus_tax() -> None:
    check = _checks("invoice", INVOICE, total_amount="154.00")["net_plus_tax_equals_total"]
    assert not check.passed
    assert "130.00" in check.message and "24.70" in check.message and "154.00" in check.message
    assert "0.70" in check.message
    within = _checks("invoice", INVOICE, total_amount="154.71")["net_plus_tax_equals_total"]
    assert within.passed  # tolerance 0.01
    assert not _checks("invoice", INVOICE, total_amount="154.72")[
        "net_plus_tax_equals_total"
    ].passed
    assert "net_plus_tax_equals_total" not in _checks("invoice", INVOICE, tax_amount=None)


def test_a_part_read_without_the_other_is_smaller_than_the_total() -> None:
    # Net + tax = total cannot run without the net; the tax alone still must be a part.
    twice = _checks("invoice", INVOICE, net_amount=None, tax_amount="154.70")
    assert not twice["parts_within_total"].passed
    assert twice["parts_within_total"].message == "tax 154.70 is not within the total 154.70"
    assert _checks("invoice", INVOICE, net_amount=None)["parts_within_total"].passed
    assert _checks("invoice", INVOICE, tax_amount=None)["parts_within_total"].passed
    net_over = _checks("invoice", INVOICE, tax_amount=None, net_amount="160.00")
    assert not net_over["parts_within_total"].passed
    assert "parts_within_total" not in _checks("invoice", INVOICE)  # net + tax = total does
    assert "parts_within_total" not in _checks("invoice", INVOICE, total_amount=None)
    receipt = {"merchant_name": "Boon Seng Paper Sdn Bhd", "total_amount": "31.80"}
    assert not _checks("receipt", {**receipt, "tax_amount": "31.80"})["parts_within_total"].passed
    assert _checks("receipt", {**receipt, "tax_amount": "1.80"})["parts_within_total"].passed


def test_line_items_sum_to_net() -> None:
    check = _checks("invoice", INVOICE, net_amount="131.00", total_amount="155.70")[
        "line_items_sum_to_net"
    ]
    assert not check.passed
    assert "130.00" in check.message and "131.00" in check.message
    without_lines = {k: v for k, v in INVOICE.items() if not k.startswith("line_items")}
    assert "line_items_sum_to_net" not in _checks("invoice", without_lines)
    assert "line_items_sum_to_net" not in _checks("invoice", INVOICE, line_items__1__amount=None)


def test_purchase_order_lines_sum_to_total() -> None:
    order = {
        "po_number": "PO-1",
        "order_date": "2024-05-30",
        "buyer_name": "Clerk AG",
        "vendor_name": "ACME",
        "currency": "CHF",
        "total_amount": "130.00",
        **{k: v for k, v in INVOICE.items() if k.startswith("line_items")},
    }
    checks = _checks("purchase_order", order)
    assert checks["line_items_sum_to_net"].passed
    assert "total amount" in checks["line_items_sum_to_net"].message
    assert not _checks("purchase_order", order, total_amount="99.00")[
        "line_items_sum_to_net"
    ].passed
    assert "net_plus_tax_equals_total" not in checks
    assert "due_date_not_before_issue_date" not in checks


def test_line_item_amounts_name_the_wrong_line() -> None:
    check = _checks("invoice", INVOICE, line_items__1__amount="55.00")["line_item_amounts"]
    assert not check.passed
    assert "line 2" in check.message and "2.5 x 20.00 = 50.00" in check.message
    assert "line 1" not in check.message
    assert check.rows == (1,)  # the row as data, for the review screen
    rounded = _checks(
        "invoice",
        INVOICE,
        line_items__0__quantity="3",
        line_items__0__unit_price="0.333",
        line_items__0__amount="1.00",
    )["line_item_amounts"]
    assert rounded.passed  # 0.999 rounds to 1.00


def test_iban_vat_and_currency() -> None:
    bad = _checks(
        "invoice",
        INVOICE,
        iban="DE89370400440532013001",
        vendor_vat_id="DE12345",
        currency="EURO",
    )
    assert (
        not bad["iban_checksum"].passed and "DE89370400440532013001" in bad["iban_checksum"].message
    )
    assert not bad["vat_id_format"].passed and "DE12345" in bad["vat_id_format"].message
    assert not bad["currency_known"].passed and "EURO" in bad["currency_known"].message
    absent = _checks("invoice", INVOICE, iban=None, vendor_vat_id=None)
    assert "iban_checksum" not in absent and "vat_id_format" not in absent


def test_due_date() -> None:
    check = _checks("invoice", INVOICE, due_date="2024-05-31")["due_date_not_before_issue_date"]
    assert not check.passed and "2024-05-31" in check.message and "2024-06-01" in check.message
    assert _checks("invoice", INVOICE, due_date="2024-06-01")[
        "due_date_not_before_issue_date"
    ].passed
    assert "due_date_not_before_issue_date" not in _checks("invoice", INVOICE, due_date=None)


@pytest.mark.parametrize(
    ("issue_date", "plausible"),
    [
        ("2024-06-15", True),
        ("2014-06-15", True),  # exactly ten years back
        ("2014-06-14", False),
        ("2025-06-15", True),  # exactly one year ahead
        ("2025-06-16", False),
        ("1999-01-01", False),
    ],
)
def test_date_plausible_against_an_injected_today(issue_date: str, plausible: bool) -> None:
    check = _checks("invoice", INVOICE, issue_date=issue_date, due_date=None)["date_plausible"]
    assert check.passed is plausible
    if not plausible:
        assert f"issue_date {issue_date}" in check.message


def test_unreadable_values_fail_the_check_that_needs_them() -> None:
    checks = _checks("invoice", INVOICE, net_amount="12,x", due_date="01.07.2024")
    assert not checks["net_plus_tax_equals_total"].passed
    assert "'12,x'" in checks["net_plus_tax_equals_total"].message
    assert not checks["line_items_sum_to_net"].passed
    assert not checks["due_date_not_before_issue_date"].passed
    assert "'01.07.2024'" in checks["date_plausible"].message


def test_remittance_advice() -> None:
    advice = {
        "payer_name": "Clerk AG",
        "payment_date": "2024-06-10",
        "currency": "EUR",
        "total_amount": "300.00",
        "paid_invoices.0.invoice_number": "INV-1",
        "paid_invoices.0.amount": "100.00",
        "paid_invoices.1.invoice_number": "INV-2",
        "paid_invoices.1.amount": "200.00",
    }
    checks = _checks("remittance_advice", advice)
    assert checks["paid_invoices_sum_to_total"].passed
    assert all(c.passed for c in checks.values())
    off = _checks("remittance_advice", advice, total_amount="310.00")["paid_invoices_sum_to_total"]
    assert not off.passed and "300.00" in off.message and "310.00" in off.message
    assert "line_item_amounts" not in checks


def test_receipt_has_no_net() -> None:
    receipt = {
        "merchant_name": "Café Central",
        "receipt_date": "2024-06-14",
        "currency": "EUR",
        "total_amount": "12.40",
        "tax_amount": "1.98",
    }
    checks = _checks("receipt", receipt)
    assert all(c.passed for c in checks.values())
    assert "net_plus_tax_equals_total" not in checks
    assert set(checks) == {
        "required:merchant_name",
        "required:receipt_date",
        "required:currency",
        "required:total_amount",
        "currency_known",
        "date_plausible",
        "parts_within_total",  # the tax is a part of the total
    }


def test_an_empty_document_fails_only_on_required_fields() -> None:
    for doc_type, schema in SCHEMAS.items():
        checks = validate(doc_type, {}, today=TODAY)
        assert {c.name for c in checks} == {
            f"required:{s.name}" for s in schema.fields if s.required
        }
        assert not any(c.passed for c in checks)


def test_other_has_no_checks_and_unknown_types_are_refused() -> None:
    assert validate("other", {"anything": "x"}, today=TODAY) == ()
    with pytest.raises(ValueError, match=r"'letter'.*invoice"):
        validate("letter", {})


def test_today_defaults_to_the_real_date() -> None:
    today = dt.date.today().isoformat()
    checks = {c.name: c for c in validate("receipt", {"receipt_date": today})}
    assert checks["date_plausible"].passed


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    old = {"receipt_date": "2004-06-15"}
    assert not {c.name: c for c in validate("receipt", old, today=TODAY)}["date_plausible"].passed
    monkeypatch.setenv("CLERK_VALIDATE_MAX_PAST_YEARS", "20")
    assert {c.name: c for c in validate("receipt", old, today=TODAY)}["date_plausible"].passed


def test_tolerance_is_a_setting() -> None:
    loose = ValidateSettings(tolerance=Decimal("0.05"))
    values = {**INVOICE, "total_amount": "154.74"}
    strict = {c.name: c for c in validate("invoice", values, today=TODAY)}
    relaxed = {c.name: c for c in validate("invoice", values, today=TODAY, settings=loose)}
    assert not strict["net_plus_tax_equals_total"].passed
    assert relaxed["net_plus_tax_equals_total"].passed
    assert "within 0.05" in relaxed["net_plus_tax_equals_total"].message


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("vendor_name", "Sutton & Krüger GmbH & Co. KG", True),
        ("vendor_name", "77.26 CHF", False),  # an amount read as the vendor
        ("vendor_name", "1 234,50", False),
        ("vendor_name", "4711", False),  # no letters at all
        ("vendor_name", "3M Deutschland GmbH", True),
    ],
)
def test_a_name_that_holds_a_price_fails_its_shape_check(field: str, value: str, ok: bool) -> None:
    checks = _checks("invoice", INVOICE, **{field: value})
    if ok:
        assert f"name_shape:{field}" not in checks
    else:
        assert not checks[f"name_shape:{field}"].passed
        assert value in checks[f"name_shape:{field}"].message


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("Gourde inox S2", True),
        ("Gourde inox S2 419,66", False),  # the price column ran into the name
        ("Wireless Mouse Mini £", False),
        ("USB-C cable 2.00m", True),  # a measure, not a price
    ],
)
def test_a_product_name_with_a_price_fails(value: str, ok: bool) -> None:
    values = {"sku": "A-1", "product_name": value, "price": "9.90", "currency": "EUR"}
    checks = _checks("product_update", values)
    assert ("name_shape:product_name" not in checks) is ok


def test_a_label_the_document_prints_without_a_value_read_fails() -> None:
    from extractors.validate import labelled_but_unread

    text = "Invoice 7\nDue date\nIBAN DE89 3704 0044 0532 0130 00"
    (check,) = labelled_but_unread("invoice", {"due_date": "2024-07-01"}, text)
    assert (check.name, check.passed) == ("labelled:iban", False)
    assert "'IBAN'" in check.message
    # Required fields have their own check; words inside other words are no label.
    assert labelled_but_unread("invoice", {"iban": "X", "due_date": "Y"}, text) == ()
    assert labelled_but_unread("invoice", {"due_date": "Y"}, "Ibanez Music") == ()


def test_an_unreadable_cell_fails_the_checks_that_need_it_naming_its_line() -> None:
    checks = _checks("invoice", INVOICE, line_items__1__amount="5x")
    for name in ("line_items_sum_to_net", "line_item_amounts"):
        assert not checks[name].passed
        assert checks[name].message.startswith("amount '5x' on line 2 is not a plain decimal")
        assert checks[name].rows == (1,)


def test_one_number_read_as_both_the_invoice_and_the_order_number_fails() -> None:
    check = _checks("invoice", INVOICE, po_number="inv 2024-0042")["document_numbers_differ"]
    assert not check.passed and "INV-2024-0042" in check.message
    assert _checks("invoice", INVOICE)["document_numbers_differ"].passed
    alone = {"invoice_number": "INV-1", "issue_date": "2024-06-01"}
    assert "document_numbers_differ" not in _checks("invoice", alone)


def test_a_vat_id_or_iban_read_as_the_order_number_too_fails() -> None:
    vat = _checks("invoice", INVOICE, po_number="DE 123456789")["document_numbers_differ"]
    assert not vat.passed
    assert vat.message == "the po reference and the vendor vat id are both read as 'DE 123456789'"
    iban = _checks("invoice", INVOICE, invoice_number=None, po_number="DE89370400440532013000")
    assert not iban["document_numbers_differ"].passed


@pytest.mark.parametrize(
    "printed",
    ["N° TVA intracom. BE 0140.863.189", "USt-IdNr.: DE 123456789", "VAT No: GB123456789"],
)
def test_a_vat_id_label_in_any_language_with_no_vat_id_read_is_flagged(printed: str) -> None:
    from extractors.validate import labelled_but_unread

    text = f"Koch Medical SA\n{printed}\nTotal 10,00 EUR"
    (check,) = labelled_but_unread("invoice", {"iban": "X", "due_date": "Y"}, text)
    assert check.name == "labelled:vendor_vat_id" and not check.passed
    assert "VAT id label" in check.message
    read = {"iban": "X", "due_date": "Y", "vendor_vat_id": "BE0140863189"}
    assert labelled_but_unread("invoice", read, text) == ()
    # a word that only holds a label's letters is no label ("Unifor" is not "UID")
    assert labelled_but_unread("invoice", {"iban": "X", "due_date": "Y"}, "Unifor Ltd") == ()
