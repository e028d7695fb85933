"""The ERP's "Enter invoice" screen."""

from __future__ import annotations

from typing import Any

from robots.bots._entry_form import compare, read_detail, select_currency, submit_and_read
from robots.bots._line_grid import fill_lines, plain
from robots.bots._records import InvoiceRecord

_DETAIL = ("vendor_number", "reference", "doc_date", "due_date", "net", "tax", "total",
           "currency", "po_reference", "note")  # fmt: skip


def erp_date(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


class InvoiceEntry:
    HEADING = "Enter invoice"

    def __init__(self, content: Any) -> None:
        self.content = content
        self._saved: dict[str, Any] | None = None  # the saved document's page, as read

    def fill(self, record: InvoiceRecord, vendor_number: str, note: str) -> None:
        c = self.content
        fill_lines(c, record.lines)  # first: its postbacks then carry nothing to lose
        c.get_by_label("Vendor no.").fill(vendor_number)
        c.get_by_label("Invoice number").fill(record.invoice_number)
        c.get_by_label("Invoice date").fill(erp_date(record.issue_date))
        c.get_by_label("Due date").fill(erp_date(record.due_date))
        select_currency(c, record.currency)
        c.get_by_label("Net amount").fill(plain(record.net_amount))
        c.get_by_label("Tax amount").fill(plain(record.tax_amount))
        c.get_by_label("Total amount").fill(plain(record.total_amount))
        c.get_by_label("PO reference").fill(record.po_number or "")
        c.get_by_label("Internal note").fill(note)

    def post(self) -> str:
        """Post; return the new document number. The page that confirms it also shows the
        saved document, which is read in the same round trip for ``verify``."""
        self._saved = submit_and_read(self.content, "Post invoice", _DETAIL)
        return str(self._saved["document_number"])

    def verify(self, document_number: str, record: InvoiceRecord, vendor: str, note: str) -> None:
        expected = {
            "vendor_number": vendor,
            "reference": record.invoice_number,
            "doc_date": record.issue_date.isoformat(),
            "due_date": record.due_date.isoformat() if record.due_date else "",
            "net": record.net_amount,
            "tax": record.tax_amount,
            "total": record.total_amount,
            "currency": record.currency,
            "po_reference": record.po_number or "",
            "note": note,
            "lines": [
                (ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in record.lines
            ],
        }
        saved = self._saved or read_detail(self.content, _DETAIL)
        compare(document_number, expected, saved)
