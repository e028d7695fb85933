"""The desktop ERP's copied texts, parsed, and a read-back compared with the record."""

from __future__ import annotations

from decimal import Decimal

from robots.bots.desktop._records_text import differences, line_values, records, vendor_rows
from sandbox.desktop._dialogs import record_text
from tests.e2e.bots.conftest import three_line_invoice

DOC = {
    "document_number": "INV-2026-000123", "vendor_number": "10002", "reference": "RE-1",
    "doc_date": "2026-03-02", "due_date": "2026-04-01", "currency": "EUR", "net": "177.90",
    "tax": "33.80", "total": "211.70", "po_reference": "PO-7781", "note": "clerk item k",
    "lines": [
        {"description": "A4 copy paper, 500 sheets", "quantity": "5", "unit_price": "4.99",
         "amount": "24.95"},
        {"description": "Toner cartridge black", "quantity": "2", "unit_price": "61.50",
         "amount": "123.00"},
        {"description": "Desk lamp LED", "quantity": "1.5", "unit_price": "19.97",
         "amount": "29.95"},
    ],
}  # fmt: skip


def test_the_client_s_record_text_reads_back_as_the_record() -> None:
    [found] = records(record_text(DOC))
    assert found["Document"] == "INV-2026-000123"
    assert found["Invoice date"] == "02.03.2026"
    record = three_line_invoice("RE-1")
    assert differences(found, record, "10002", "clerk item k") == []


def test_every_differing_field_is_named() -> None:
    [found] = records(record_text({**DOC, "total": "211.71", "currency": "USD"}))
    record = three_line_invoice("RE-1")
    diffs = differences(found, record, "10002", "clerk item k")
    assert any(d.startswith("Currency") for d in diffs)
    assert any(d.startswith("Total") for d in diffs)
    assert len(diffs) == 2


def test_two_records_and_vendor_rows() -> None:
    text = record_text(DOC) + "\n\n" + record_text({**DOC, "document_number": "INV-2"})
    assert [r["Document"] for r in records(text)] == ["INV-2026-000123", "INV-2"]
    rows = vendor_rows("Vendor: 10002 | Nordlicht Papier AG | DE811569869 | Hamburg\n")
    assert rows[0].number == "10002" and rows[0].vat_id == "DE811569869"


def test_quantities_are_typed_plainly() -> None:
    line = line_values(three_line_invoice())[0]
    assert (line["qty"], line["price"]) == ("5", "4.99")
    assert Decimal(line_values(three_line_invoice())[2]["qty"]) == Decimal("1.5")
