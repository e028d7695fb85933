"""The ERP's "Enter purchase order" screen."""

from __future__ import annotations

from typing import Any

from robots.bots._entry_form import compare, post, read_detail, select_currency
from robots.bots._invoice_entry import erp_date
from robots.bots._line_grid import fill_lines, plain
from robots.bots._records import PurchaseOrderRecord

_DETAIL = ("vendor_number", "reference", "doc_date", "buyer", "net", "tax", "total", "currency",
           "note")  # fmt: skip


class PurchaseOrderEntry:
    HEADING = "Enter purchase order"

    def __init__(self, content: Any) -> None:
        self.content = content

    def fill(self, record: PurchaseOrderRecord, vendor_number: str, note: str) -> None:
        c = self.content
        fill_lines(c, record.lines)
        c.get_by_label("PO number").fill(record.po_number)
        c.get_by_label("Order date").fill(erp_date(record.order_date))
        c.get_by_label("Buyer").fill(record.buyer_name)
        c.get_by_label("Vendor no.").fill(vendor_number)
        select_currency(c, record.currency)
        c.get_by_label("Net amount").fill(plain(record.net_amount))
        c.get_by_label("Tax amount").fill(plain(record.tax_amount))
        c.get_by_label("Order total").fill(plain(record.total_amount))
        c.get_by_label("Internal note").fill(note)

    def post(self) -> str:
        return post(self.content, "Save purchase order")

    def verify(
        self, document_number: str, record: PurchaseOrderRecord, vendor: str, note: str
    ) -> None:
        expected = {
            "vendor_number": vendor,
            "reference": record.po_number,
            "doc_date": record.order_date.isoformat(),
            "buyer": record.buyer_name,
            "net": record.net_amount,
            "tax": record.tax_amount,
            "total": record.total_amount,
            "currency": record.currency,
            "note": note,
            "lines": [
                (ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in record.lines
            ],
        }
        compare(document_number, expected, read_detail(self.content, _DETAIL))
