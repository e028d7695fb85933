from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from clerk.errors import BusinessError
from clerk.paths import PROJECT_ROOT
from clerk.schemas import split_addressed
from robots.bots import _records as records
from robots.bots._records import InvoiceRecord, PurchaseOrderRecord, product_record_from


def invoice_record_from(values: dict[str, str | None]) -> InvoiceRecord:
    """The record of flat values and cells by address, as ground truth keeps them."""
    return records.invoice_record_from(*split_addressed(values))


def purchase_order_record_from(values: dict[str, str | None]) -> PurchaseOrderRecord:
    return records.purchase_order_record_from(*split_addressed(values))


VALUES = {
    "invoice_number": "A-1", "issue_date": "2026-03-02", "due_date": None,
    "vendor_name": "Nordlicht Papier AG", "vendor_vat_id": "DE811569869", "currency": "eur",
    "net_amount": "30.00", "tax_amount": "5.70", "total_amount": "35.70",
    "line_items.1.description": "Pens", "line_items.1.quantity": "1",
    "line_items.1.unit_price": "10", "line_items.1.amount": "10.00",
    "line_items.0.description": "Paper", "line_items.0.quantity": "2",
    "line_items.0.unit_price": "10.00", "line_items.0.amount": "20.00",
}  # fmt: skip


def test_invoice_record_from_values_and_rows() -> None:
    record = invoice_record_from(VALUES)
    assert record.issue_date == date(2026, 3, 2) and record.due_date is None
    assert record.currency == "EUR" and record.po_number is None
    assert [ln.description for ln in record.lines] == ["Paper", "Pens"]
    assert record.lines[1].unit_price == Decimal("10")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"invoice_number": None}, "'invoice_number' is missing"),
        ({"issue_date": "02.03.2026"}, "not an ISO date"),
        ({"net_amount": "30,00"}, "not a decimal number"),
        ({"line_items.0.amount": ""}, "'amount' on line 1 is missing"),
        ({"line_items.1.quantity": "x"}, "'quantity' on line 2 is 'x', not a decimal number"),
    ],
)
def test_bad_values_are_bad_payload(change: dict, fragment: str) -> None:
    with pytest.raises(BusinessError) as caught:
        invoice_record_from({**VALUES, **change})
    assert caught.value.code == "BAD_PAYLOAD" and fragment in caught.value.message


def test_no_lines_is_bad_payload() -> None:
    values = {k: v for k, v in VALUES.items() if not k.startswith("line_items")}
    with pytest.raises(BusinessError, match="no line items"):
        invoice_record_from(values)
    with pytest.raises(BusinessError, match="no line items"):
        records.invoice_record_from(split_addressed(values)[0], [{}, {"amount": None}])


def test_bundled_samples_build_records() -> None:
    folder = PROJECT_ROOT / "samples" / "expected"
    built = 0
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        values = data.get("fields") or data.get("truth") or {}
        if data.get("doc_type") == "invoice":
            assert invoice_record_from(values).lines
            built += 1
        elif data.get("doc_type") == "purchase_order":
            assert purchase_order_record_from(values).lines
            built += 1
    if not built:
        pytest.skip("no bundled invoice or purchase-order samples yet")


def test_product_record() -> None:
    record = product_record_from(
        {"sku": "SKU-1", "product_name": "Pen", "price": "1.50", "currency": "EUR",
         "stock": "12", "description": None}
    )  # fmt: skip
    assert (record.stock, record.description, record.price) == (12, None, Decimal("1.50"))


PO = {
    "po_number": "BE-1", "order_date": "2025-10-18", "buyer_name": "Johnson GmbH",
    "vendor_name": "Seine Office GmbH", "currency": "EUR",
    "net_amount": "20.00", "tax_amount": "3.80", "total_amount": "23.80",
    "line_items.0.description": "Paper", "line_items.0.quantity": "2",
    "line_items.0.unit_price": "10.00", "line_items.0.amount": "20.00",
}  # fmt: skip


@pytest.mark.parametrize(
    ("missing", "net", "tax"),
    [
        ((), "20.00", "3.80"),  # as printed
        (("net_amount", "tax_amount"), "23.80", "0"),  # a total only: no tax charged
        (("tax_amount",), "20.00", "3.80"),  # the total less the net
        (("net_amount",), "20.00", "3.80"),  # the total less the tax
    ],
)
def test_purchase_order_amounts(missing: tuple[str, ...], net: str, tax: str) -> None:
    values = {k: v for k, v in PO.items() if k not in missing}
    record = purchase_order_record_from(values)
    assert (record.net_amount, record.tax_amount, record.total_amount) == (
        Decimal(net), Decimal(tax), Decimal("23.80")
    )  # fmt: skip


def test_purchase_order_without_a_total_is_bad_payload() -> None:
    with pytest.raises(BusinessError, match="'total_amount' is missing"):
        purchase_order_record_from({**PO, "total_amount": None})
    with pytest.raises(BusinessError, match="'tax_amount' is '3,80', not a decimal"):
        purchase_order_record_from({**PO, "tax_amount": "3,80"})
