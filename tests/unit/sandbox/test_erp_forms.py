from __future__ import annotations

from pathlib import Path

import pytest

from sandbox._erp_forms import FormState, fields_for, line_name, validate
from sandbox._erp_store import ErpStore


@pytest.fixture()
def store(tmp_path: Path) -> ErpStore:
    return ErpStore(tmp_path / "erp.sqlite3", tmp_path / "none")


def invoice_form(**changes: str) -> dict[str, str]:
    form = {
        "vendor_no": "10002", "inv_no": "T-1", "inv_date": "02.03.2026", "due_date": "",
        "currency": "EUR", "net": "30.00", "tax": "5.70", "total": "35.70", "rows": "2",
        "line_desc_0": "Paper", "line_qty_0": "2", "line_price_0": "10.00",
        "line_amount_0": "20.00",
        "line_desc_1": "Pens", "line_qty_1": "1", "line_price_1": "10", "line_amount_1": "10.00",
    }  # fmt: skip
    form.update(changes)
    return form


def errors_for(store: ErpStore, **changes: str) -> list[str]:
    errors, _ = validate(FormState.parse("invoice", invoice_form(**changes), 1), store)
    return errors


def test_valid_invoice_becomes_a_document(store: ErpStore) -> None:
    errors, doc = validate(FormState.parse("invoice", invoice_form(), 1), store)
    assert errors == [] and doc is not None
    assert (doc.doc_date, doc.total, len(doc.lines)) == ("2026-03-02", "35.70", 2)
    number = store.add(doc)
    assert store.document(number)["lines"][1]["description"] == "Pens"
    assert errors_for(store) == ["Document T-1 of vendor 10002 has already been entered."]


def test_messages(store: ErpStore) -> None:
    assert errors_for(store, total="40.00") == [
        "Totals do not add up: net 30.00 + tax 5.70 = 35.70, but the total is 40.00."
    ]
    assert errors_for(store, inv_date="2026-03-02") == [
        "Invoice date: '2026-03-02' is not a valid date (use DD.MM.YYYY)."
    ]
    assert errors_for(store, vendor_no="99999") == [
        "Vendor 99999 does not exist in the vendor master."
    ]
    assert errors_for(store, line_amount_1="11.00", net="31.00", total="36.70") == [
        "Line 2: quantity x unit price = 10.00, but the amount is 11.00."
    ]
    assert errors_for(store, net="29.00", total="34.70") == [
        "Net amount 29.00 does not equal the sum of the lines 30.00."
    ]
    assert "Invoice number is required." in errors_for(store, inv_no="")


def test_second_layout_renames_and_reorders() -> None:
    v1 = [f.key for f in fields_for("invoice", 1)]
    v2 = [f.key for f in fields_for("invoice", 2)]
    assert sorted(v1) == sorted(v2) and v1 != v2
    assert {f.name(2) for f in fields_for("invoice", 2)}.isdisjoint(v1)
    assert line_name("desc", 0, 2) == "ln0_txt"
    form = {f.name(2): "x" for f in fields_for("invoice", 2)}
    assert FormState.parse("invoice", form, 2).values["inv_no"] == "x"


def po_form(**changes: str) -> dict[str, str]:
    form = {
        "po_no": "PO-T1", "po_date": "14.02.2026", "buyer": "Jana Weber", "vendor_no": "10005",
        "currency": "CHF", "net": "30.00", "tax": "2.43", "total": "32.43", "rows": "2",
        "line_desc_0": "Paper", "line_qty_0": "2", "line_price_0": "10.00",
        "line_amount_0": "20.00",
        "line_desc_1": "Pens", "line_qty_1": "1", "line_price_1": "10", "line_amount_1": "10.00",
    }  # fmt: skip
    form.update(changes)
    return form


def po_errors(store: ErpStore, **changes: str) -> list[str]:
    errors, _ = validate(FormState.parse("po", po_form(**changes), 1), store)
    return errors


def test_purchase_order_with_tax_keeps_net_tax_and_total(store: ErpStore) -> None:
    errors, doc = validate(FormState.parse("po", po_form(), 1), store)
    assert errors == [] and doc is not None
    number = store.add(doc)
    saved = store.document(number)
    assert saved is not None
    assert (saved["net"], saved["tax"], saved["total"], saved["buyer"]) == (
        "30.00", "2.43", "32.43", "Jana Weber"
    )  # fmt: skip
    assert [d["document_number"] for d in store.ledger()["purchase_orders"]] == [number]


def test_purchase_order_messages(store: ErpStore) -> None:
    assert po_errors(store, total="30.00") == [
        "Totals do not add up: net 30.00 + tax 2.43 = 32.43, but the total is 30.00."
    ]
    assert po_errors(store, net="32.43", tax="0.00") == [
        "Net amount 32.43 does not equal the sum of the lines 30.00."
    ]
    assert po_errors(store, tax="") == ["Tax amount is required."]
    assert po_errors(store, net="30,5x") == [
        "Net amount: '30,5x' is not a valid amount (e.g. 1234.50)."
    ]


def test_purchase_order_second_layout_names_the_amounts_apart() -> None:
    names = {f.key: f.name(2) for f in fields_for("po", 2)}
    assert (names["net"], names["tax"], names["total"]) == ("amtNet", "amtVat", "amtTot")
    assert [f.key for f in fields_for("po", 2)][:3] == ["total", "tax", "net"]
