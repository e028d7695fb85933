"""The ERP's "Find document" screen: look a document up by vendor and reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from robots.bots._screens import await_screen
from robots.bots._vendor_popup import VendorChoice, VendorPopup


@dataclass(frozen=True)
class Found:
    document_number: str
    note: str


class DocumentSearch:
    HEADING = "Find document"

    def __init__(self, context: Any, content: Any) -> None:
        self.context = context
        self.content = content

    def choose_vendor(self, name: str, vat_id: str | None) -> VendorChoice:
        return VendorPopup(self.context, self.content).choose(name, vat_id)

    def find(self, kind: str, vendor_number: str, reference: str) -> list[Found]:
        """Search the screen as the menu opened it: a fresh Find document screen searches
        invoices, so only a purchase order needs the document type changed."""
        content = self.content
        if kind == "po":
            content.get_by_label("Document type").select_option(label="Purchase order")
        content.get_by_label("Vendor no.").fill(vendor_number)
        content.get_by_label("Document reference").fill(reference)
        content.get_by_role("button", name="Search", exact=True).click()
        # "none" first: it is the usual answer, and the first name found costs no second look.
        none, rows = content.get_by_test_id("no-results"), content.get_by_test_id("search-results")
        if await_screen(content, {"none": none, "rows": rows}) == "none":
            return []
        numbers = content.get_by_test_id("result-document").all_inner_texts()
        notes = content.get_by_test_id("result-note").all_inner_texts()
        return [Found(n.strip(), note.strip()) for n, note in zip(numbers, notes, strict=True)]
