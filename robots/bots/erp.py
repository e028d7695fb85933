"""``ErpBot``: enters invoices and purchase orders into the legacy ERP, idempotently.

Before creating, it looks the document up by vendor and reference. A hit whose internal
note carries this item's key is this item's own earlier attempt: its number is returned
with ``created=False``. Any other hit is a ``DUPLICATE``. After saving, the document is
read back from its confirmation page and compared with what was meant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clerk.errors import BusinessError
from robots._egress import AllowList
from robots.bots._bot_base import BotBase
from robots.bots._document_search import DocumentSearch, Found
from robots.bots._erp_shell import ErpShell
from robots.bots._invoice_entry import InvoiceEntry
from robots.bots._item_run import ItemRun
from robots.bots._login_page import LoginPage
from robots.bots._po_entry import PurchaseOrderEntry
from robots.bots._records import InvoiceRecord, PurchaseOrderRecord
from robots.bots._results import EntryResult
from robots.bots._vendor_popup import VendorChoice
from robots.bots.browser import Browser
from robots.bots.settings import BotSettings
from robots.credentials import Credential


def note_for(item_key: str) -> str:
    """The marker the bot leaves in a document's internal note."""
    return f"clerk item {item_key}"


def existing_result(found: list[Found], note: str, what: str) -> EntryResult:
    own = [f for f in found if f.note == note]
    if own:
        return EntryResult(own[0].document_number, created=False)
    numbers = ", ".join(f.document_number for f in found)
    raise BusinessError(
        "DUPLICATE",
        f"{what} is already in the ERP as {numbers}, entered by someone else; "
        "check whether this document is a duplicate",
    )


class ErpBot(BotBase):
    system = "ERP"

    def __init__(
        self,
        browser: Browser,
        settings: BotSettings | None = None,
        credential: Credential | None = None,
        allow: AllowList | None = None,
    ) -> None:
        super().__init__(browser, settings or BotSettings(), credential, allow)
        self.base_url = self.settings.erp_url.rstrip("/")

    def _login(self, page: Any, credential: Credential) -> None:
        LoginPage(page, self.base_url, "ERP", page.get_by_title("Content")).sign_in(credential)

    def _prepare(self, run: ItemRun) -> ErpShell:
        return ErpShell(run.page, self.base_url)

    def enter_invoice(self, record: InvoiceRecord, *, item_key: str) -> EntryResult:
        def attempt(run: ItemRun, shell: ErpShell) -> EntryResult:
            note = note_for(item_key)
            vendor, found = self._search_first(
                run, shell, "invoice", record.vendor_name, record.vendor_vat_id,
                record.invoice_number,
            )  # fmt: skip
            if found:
                what = f"invoice {record.invoice_number} of vendor {vendor.number}"
                return existing_result(found, note, what)
            entry = InvoiceEntry(self._open(run, shell, InvoiceEntry.HEADING))
            return self._enter(run, entry, record, vendor.number, note, "invoice")

        return self._execute(item_key, self._bind(attempt))

    def enter_purchase_order(self, record: PurchaseOrderRecord, *, item_key: str) -> EntryResult:
        def attempt(run: ItemRun, shell: ErpShell) -> EntryResult:
            note = note_for(item_key)
            vendor, found = self._search_first(
                run, shell, "po", record.vendor_name, None, record.po_number
            )
            if found:
                return existing_result(found, note, f"purchase order {record.po_number}")
            entry = PurchaseOrderEntry(self._open(run, shell, PurchaseOrderEntry.HEADING))
            return self._enter(run, entry, record, vendor.number, note, "purchase order")

        return self._execute(item_key, self._bind(attempt))

    # ``run.step`` names what the bot is doing, for the message of a browser error.
    def _search_first(
        self, run: ItemRun, shell: ErpShell, kind: str, vendor_name: str,
        vat_id: str | None, reference: str,
    ) -> tuple[VendorChoice, list[Found]]:  # fmt: skip
        run.step = "opening the ERP start screen"
        shell.open_main(fresh=run.fresh)
        run.fresh = False
        search = DocumentSearch(run.context, self._open(run, shell, DocumentSearch.HEADING))
        run.step = f"choosing vendor {vendor_name!r} in the vendor search popup"
        vendor = search.choose_vendor(vendor_name, vat_id)
        run.step = f"looking for {reference!r} of vendor {vendor.number} on Find document"
        return vendor, search.find(kind, vendor.number, reference)

    @staticmethod
    def _open(run: ItemRun, shell: ErpShell, heading: str) -> Any:
        run.step = f"opening {heading}"
        return shell.open(heading, heading)  # each menu entry is named as its screen

    @staticmethod
    def _enter(
        run: ItemRun, entry: Any, record: Any, vendor: str, note: str, what: str
    ) -> EntryResult:
        run.step = f"filling the {what} form"
        entry.fill(record, vendor, note)
        run.step = f"saving the {what}"
        number = entry.post()
        run.step = f"reading {what} {number} back"
        entry.verify(number, record, vendor, note)
        return EntryResult(number, created=True)

    def _bind(
        self, attempt: Callable[[ItemRun, ErpShell], EntryResult]
    ) -> Callable[[ItemRun], Callable[[], EntryResult]]:
        def bound(run: ItemRun) -> Callable[[], EntryResult]:
            shell = self._prepare(run)
            return lambda: attempt(run, shell)

        return bound
