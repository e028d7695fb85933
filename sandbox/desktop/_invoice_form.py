"""The desktop client's "Invoice entry" window: header fields and a line-item grid.

The checks are the web ERP's own (``sandbox._erp_forms.validate``): a document the web
ERP refuses, this window refuses too, in a modal "Validation error" box. Dates are typed
as DD.MM.YYYY, as there. Saving shows "Invoice saved" with the new document number,
selected in a read-only field (Ctrl+C copies it); OK closes both windows.

Layout 2 (a fault) orders the header as the web ERP's layout 2 does, renames the labels
and the grid's columns, puts the quantity first in the grid, and changes the theme.
Crash (a fault) ends the whole client with exit code 3, either when the grid is first
entered (the entry is lost) or right after the invoice was saved (it is not).
"""

from __future__ import annotations

import os
import tkinter as tk
from typing import TYPE_CHECKING

from sandbox._erp_forms import LINE_COLUMNS, FormState, fields_for, validate
from sandbox.desktop._widgets import labelled_entry, read_only_text, set_text

if TYPE_CHECKING:
    from sandbox.desktop._client import DesktopClient

GRID_ROWS = 6  # shown at first; Tab out of the last cell adds a row
WIDTHS = {"desc": 30, "qty": 8, "price": 11, "amount": 11}
CRASH_EXIT = 3
# Layout 2's labels: none equal to, or a part of, another layout's label.
V2_LABELS = {
    "vendor_no": "Supplier", "inv_no": "Bill number", "inv_date": "Bill date",
    "due_date": "Payable by", "currency": "Currency code", "net": "Net value",
    "tax": "VAT", "total": "Gross value", "po_ref": "Order ref.", "note": "Memo",
}  # fmt: skip
V2_COLUMNS = {"qty": "Qty", "desc": "Item text", "price": "Price each", "amount": "Line value"}
V2_COLUMN_ORDER = ("qty", "desc", "price", "amount")


def columns(layout: int) -> list[tuple[str, str]]:
    """(key, header) of the grid's columns, left to right."""
    if layout == 2:
        return [(key, V2_COLUMNS[key]) for key in V2_COLUMN_ORDER]
    return [(key, header) for key, header, _ in LINE_COLUMNS]


def header_labels(layout: int) -> list[tuple[str, str]]:
    """(key, label) of the header fields, top to bottom."""
    return [
        (f.key, V2_LABELS[f.key] if layout == 2 else f.label) for f in fields_for("invoice", layout)
    ]


class InvoiceForm(tk.Toplevel):
    def __init__(self, client: DesktopClient) -> None:
        faults = client.faults.current()
        theme = client.theme
        super().__init__(client.root, bg=theme.background)
        self.app = client
        self.title("Invoice entry")
        self.geometry("+40+30")
        self.crash_at = ""
        if client.faults.draw(faults.crash_rate):
            self.crash_at = "grid" if client.faults.draw(0.5) else "saved"
        head = tk.Frame(self, bg=theme.background)
        head.pack(anchor="w", padx=8, pady=8)
        self.fields: dict[str, tk.Entry] = {}
        for row, (key, label) in enumerate(header_labels(faults.layout)):
            self.fields[key] = labelled_entry(head, theme, label, row, 28)
        self.fields["vendor_no"].bind("<F4>", lambda e: self._lookup())
        grid = tk.Frame(self, bg=theme.background)
        grid.pack(anchor="w", padx=20, pady=8)
        self.cells: list[dict[str, tk.Entry]] = []
        for col, (_, header) in enumerate(columns(faults.layout)):
            tk.Label(grid, text=header, font=theme.font, bg=theme.background).grid(
                row=0, column=col, sticky="w", padx=2
            )
        self._rows, self._layout = grid, faults.layout
        for _ in range(GRID_ROWS):
            self._add_row()
        if self.crash_at == "grid":
            for cell in self.cells[0].values():
                cell.bind("<FocusIn>", lambda e: os._exit(CRASH_EXIT))
        buttons = tk.Frame(self, bg=theme.background)
        buttons.pack(anchor="e", padx=20, pady=10)
        tk.Button(buttons, text="Save (Ctrl+S)", font=theme.font, command=self.save).pack(
            side="left", padx=6
        )
        tk.Button(buttons, text="Cancel", font=theme.font, command=self.destroy).pack(side="left")
        self.bind("<Control-s>", lambda e: self.save())
        self.bind("<Escape>", lambda e: self.destroy())
        self.fields[header_labels(faults.layout)[0][0]].focus_set()

    def _add_row(self) -> None:
        """A row of empty cells under the others; Tab out of the last cell adds one more,
        as the old grids did, so an invoice may have any number of lines."""
        keys = [key for key, _ in columns(self._layout)]
        theme = self.app.theme
        cells = {}
        for col, key in enumerate(keys):
            cell = tk.Entry(self._rows, width=WIDTHS[key], font=theme.font, bg=theme.field)
            cell.grid(row=len(self.cells) + 1, column=col, padx=2, pady=1)
            cells[key] = cell
        if self.cells:
            self.cells[-1][keys[-1]].unbind("<Tab>")
        cells[keys[-1]].bind("<Tab>", self._grow)
        self.cells.append(cells)

    def _grow(self, _: object) -> str:
        self._add_row()
        self.update_idletasks()  # mapped now: Tk ignores the focus of an unmapped cell
        self.cells[-1][columns(self._layout)[0][0]].focus_set()
        return "break"

    def _lookup(self) -> None:
        from sandbox.desktop._dialogs import VendorLookup

        self.app.open_window(lambda: VendorLookup(self.app, self.fields["vendor_no"]))

    def form_state(self) -> FormState:
        values = {key: entry.get().strip() for key, entry in self.fields.items()}
        lines = [{key: cell.get().strip() for key, cell in row.items()} for row in self.cells]
        return FormState("invoice", values, lines)

    def save(self) -> None:
        errors, document = validate(self.form_state(), self.app.store)
        if document is None:
            self.app.message("Validation error", "\n".join(errors))
            return
        number = self.app.store.add(document)
        if self.crash_at == "saved":
            os._exit(CRASH_EXIT)
        self.app.open_window(lambda: Saved(self, number))


class Saved(tk.Toplevel):
    """The confirmation with the document number, selected and focused."""

    def __init__(self, form: InvoiceForm, number: str) -> None:
        theme = form.app.theme
        super().__init__(form.app.root, bg=theme.background)
        self.form = form
        self.title("Invoice saved")
        self.geometry("+260+220")
        tk.Label(self, text="Saved as document", font=theme.font, bg=theme.background).pack(
            padx=16, pady=(14, 4)
        )
        self.number = read_only_text(self, theme, height=1, width=20)
        set_text(self.number, number)
        self.number.tag_add("sel", "1.0", "end-1c")
        self.number.pack(padx=16)
        tk.Button(self, text="OK", width=10, font=theme.font, command=self.close).pack(pady=12)
        self.bind("<Return>", lambda e: self.close())
        self.bind("<Escape>", lambda e: self.close())
        self.transient(form.app.root)
        self.number.focus_set()
        self.grab_set()

    def close(self) -> None:
        self.grab_release()
        self.destroy()
        self.form.destroy()
