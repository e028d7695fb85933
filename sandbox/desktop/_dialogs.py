"""The desktop client's smaller windows: vendor lookup, find invoice and the ledger.

Results are shown as read-only text that can be copied whole (Ctrl+A, Ctrl+C), one
"Name: value" line per field, which is how a person (or a bot) takes them elsewhere.
A search's window title echoes what was searched for and says how many it found
("Find invoice - 10002 RE-1: 1 found"), so whoever waits for the answer waits for the
title, and sees whether the search got what was typed.
"""

from __future__ import annotations

import tkinter as tk
from datetime import date
from typing import TYPE_CHECKING, Any

from sandbox.desktop._widgets import labelled_entry, read_only_text, set_text

if TYPE_CHECKING:
    from sandbox.desktop._client import DesktopClient


def _dotted(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""


def record_text(doc: dict[str, Any]) -> str:
    """One document as the find window shows it."""
    lines = [
        f"Document: {doc['document_number']}",
        f"Vendor: {doc['vendor_number']}",
        f"Invoice no.: {doc['reference']}",
        f"Invoice date: {_dotted(doc['doc_date'])}",
        f"Due date: {_dotted(doc['due_date'])}",
        f"Currency: {doc['currency']}",
        f"Net: {doc['net']}",
        f"Tax: {doc['tax']}",
        f"Total: {doc['total']}",
        f"PO reference: {doc['po_reference']}",
        f"Note: {doc['note']}",
    ]
    for i, line in enumerate(doc["lines"], start=1):
        lines.append(
            f"Line {i}: {line['description']} | {line['quantity']} | {line['unit_price']} | "
            f"{line['amount']}"
        )
    return "\n".join(lines)


class _SearchWindow(tk.Toplevel):
    name = ""

    def __init__(self, client: DesktopClient, height: int) -> None:
        self.app = client
        theme = client.theme
        super().__init__(client.root, bg=theme.background)
        self.title(self.name)
        self.geometry("+120+90")
        self.form = tk.Frame(self, bg=theme.background)
        self.form.pack(anchor="w", padx=8, pady=8)
        self.results = read_only_text(self, theme, height=height)
        self.results.pack(padx=12, pady=(0, 12))
        self.bind("<Return>", lambda e: self.search())
        self.bind("<Escape>", lambda e: self.destroy())

    def show(self, query: str, found: list[str]) -> None:
        set_text(self.results, "\n\n".join(found) if found else "Nothing found.")
        self.title(f"{self.name} - {query}: {len(found)} found")
        self.results.focus_set()

    def search(self) -> None:
        raise NotImplementedError


class VendorLookup(_SearchWindow):
    """Vendors by name, VAT id or number; from an invoice's vendor field (F4), a double
    click on a result puts its number there."""

    name = "Vendor lookup"

    def __init__(self, client: DesktopClient, target: tk.Entry | None = None) -> None:
        super().__init__(client, height=10)
        self.target = target
        self.query = labelled_entry(self.form, client.theme, "Name or VAT id", 0, 32)
        self.results.bind("<Double-1>", lambda e: self.pick())
        self.query.focus_set()

    def search(self) -> None:
        vendors = self.app.store.find_vendors(self.query.get())
        rows = [f"Vendor: {v.number} | {v.name} | {v.vat_id} | {v.city}" for v in vendors]
        self.show(self.query.get(), rows)

    def pick(self) -> None:
        line = self.results.get("insert linestart", "insert lineend")
        if self.target is not None and line.startswith("Vendor: "):
            self.target.delete(0, "end")
            self.target.insert(0, line.removeprefix("Vendor: ").split(" | ")[0])
            self.destroy()


class FindDialog(_SearchWindow):
    name = "Find invoice"

    def __init__(self, client: DesktopClient) -> None:
        super().__init__(client, height=18)
        self.vendor = labelled_entry(self.form, client.theme, "Vendor no.", 0, 12)
        self.reference = labelled_entry(self.form, client.theme, "Invoice no.", 1, 24)
        self.vendor.focus_set()

    def search(self) -> None:
        store = self.app.store
        found = store.search("invoice", self.vendor.get(), self.reference.get())
        docs = [store.document(d["document_number"]) for d in found]
        query = f"{self.vendor.get()} {self.reference.get()}"
        self.show(query, [record_text(d) for d in docs if d is not None])


class LedgerWindow(tk.Toplevel):
    """Every invoice entered, newest last; read-only."""

    def __init__(self, client: DesktopClient) -> None:
        theme = client.theme
        super().__init__(client.root, bg=theme.background)
        self.title("Ledger")
        self.geometry("+60+60")
        text = read_only_text(self, theme, height=24, width=90)
        text.pack(padx=12, pady=12)
        rows = [
            f"{d['document_number']}  {d['vendor_number']}  {d['vendor_name'][:28]:28}  "
            f"{d['reference'][:18]:18}  {_dotted(d['doc_date'])}  {d['total']:>12} {d['currency']}"
            for d in client.store.ledger()["invoices"]
        ]
        set_text(text, "\n".join(rows) or "No invoices.")
        self.bind("<Escape>", lambda e: self.destroy())
        text.focus_set()
