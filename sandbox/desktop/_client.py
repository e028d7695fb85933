"""The sandbox's desktop ERP client: a Tk fat client over the web ERP's own database.

It shares the vendor master and the ledger with the web ERP (``sandbox._erp_store``): an
invoice entered here shows in the web ERP's ledger and the other way round, and the
document numbers come from one sequence. Like the two-tier clients of old, it talks to
the database directly; there is no server of its own.

Windows (their titles are what a bot finds them by): "Sign in", the main window "Clerk
Desktop ERP" with menus (File, Invoices, Vendors, Reports) and shortcuts (Ctrl+N new
invoice, Ctrl+F find invoice, F4 vendor lookup, Ctrl+L ledger, Ctrl+Q quit), "Invoice
entry" with a line-item grid, "Vendor lookup", "Find invoice", "Invoice saved" (the
document number, selected, Ctrl+C copies it), "Ledger" (read-only), and modal message
boxes ("Validation error", "Sign-in failed", "System message").

Faults (``sandbox.desktop._faults``) are read again each time a window opens.

Run: ``python -m sandbox.desktop`` (the desktop bot starts it itself); the database, the
account and the faults file come from the ``CLERK_SANDBOX_*`` settings.
"""

from __future__ import annotations

import os
import secrets
import tkinter as tk
from collections.abc import Callable
from typing import Any

from sandbox._erp_store import ErpStore
from sandbox.desktop._dialogs import FindDialog, LedgerWindow, VendorLookup
from sandbox.desktop._faults import FaultFile
from sandbox.desktop._invoice_form import InvoiceForm
from sandbox.desktop._widgets import THEMES, MessageBox, Theme, labelled_entry
from sandbox.settings import SandboxSettings

TITLE = "Clerk Desktop ERP"
NOTICES = (
    "The nightly backup starts at 22:00. Save your work before then.",
    "Period 03 is open for posting.",
    "A new version of the client is available. Ask your administrator.",
)


class DesktopClient:
    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.store = ErpStore(settings.erp_db_path(), settings.samples_dir)
        self.faults = FaultFile(settings.desktop_faults_path())
        self.root = tk.Tk(className="ClerkDesktopErp")
        self.root.title(TITLE)
        self.root.geometry("1000x720+0+0")
        self.root.withdraw()  # until signed in
        self.root.bind_all("<Map>", self._mark_pid, add="+")
        self.user = ""
        self._x11: Any = None

    def _mark_pid(self, event: tk.Event) -> None:
        """Put ``_NET_WM_PID`` on each window, as GTK and Qt clients do (Tk does not):
        a bot on a display shared with other clients tells its own windows by it."""
        widget = event.widget
        if not isinstance(widget, tk.Wm):
            return
        from Xlib import Xatom
        from Xlib.display import Display

        if self._x11 is None:
            self._x11 = Display()
        inner = self._x11.create_resource_object("window", widget.winfo_id())
        frame = inner.query_tree().parent  # Tk's wrapper, which carries the title
        atom = self._x11.intern_atom("_NET_WM_PID")
        frame.change_property(atom, Xatom.CARDINAL, 32, [os.getpid()])
        self._x11.flush()

    @property
    def theme(self) -> Theme:
        return THEMES[self.faults.current().layout]

    def open_window(self, build: Callable[[], Any]) -> None:
        """Open a window as the faults say: late, and after a modal "System message"."""
        faults = self.faults.current()

        def show() -> None:
            if self.faults.draw(faults.popup_rate):
                notice = NOTICES[secrets.randbelow(len(NOTICES))]
                MessageBox(self.root, self.theme, "System message", notice, lambda: build())
            else:
                build()

        if faults.slow_dialog_ms:
            self.root.after(faults.slow_dialog_ms, show)
        else:
            show()

    def message(self, title: str, text: str, on_close: Callable[[], None] | None = None) -> None:
        MessageBox(self.root, self.theme, title, text, on_close)

    # --- sign-in -------------------------------------------------------------------------
    def sign_in_window(self) -> None:
        theme = self.theme
        window = tk.Toplevel(self.root, bg=theme.background)
        window.title("Sign in")
        window.geometry("+300+240")
        tk.Label(window, text=TITLE, font=(theme.font[0], 16), bg=theme.background).grid(
            row=0, column=0, columnspan=2, pady=12
        )
        user = labelled_entry(window, theme, "User name", 1, 24)
        password = labelled_entry(window, theme, "Password", 2, 24)
        password.configure(show="*")

        def submit() -> None:
            ok = secrets.compare_digest(user.get(), self.settings.username) and (
                secrets.compare_digest(password.get(), self.settings.password)
            )
            if not ok:
                password.delete(0, "end")
                self.message("Sign-in failed", "Unknown user name or wrong password.")
                return
            self.user = user.get()
            window.destroy()
            self.open_window(self.show_main)

        tk.Button(window, text="Sign in", font=theme.font, command=submit).grid(
            row=3, column=1, sticky="w", pady=10
        )
        window.bind("<Return>", lambda e: submit())
        window.protocol("WM_DELETE_WINDOW", self.root.destroy)
        user.focus_set()

    # --- main window ---------------------------------------------------------------------
    def show_main(self) -> None:
        theme = self.theme
        root = self.root
        root.configure(bg=theme.background)
        menubar = tk.Menu(root)
        entries = {
            "File": [("Sign out and quit", "Ctrl+Q", root.destroy)],
            "Invoices": [
                ("New invoice", "Ctrl+N", self.new_invoice),
                ("Find invoice", "Ctrl+F", self.find_invoice),
            ],
            "Vendors": [("Vendor lookup", "F4", self.vendor_lookup)],
            "Reports": [("Ledger", "Ctrl+L", self.ledger)],
        }
        for name, items in entries.items():
            menu = tk.Menu(menubar, tearoff=False)
            for label, accelerator, command in items:
                menu.add_command(label=label, accelerator=accelerator, command=command)
            menubar.add_cascade(label=name, menu=menu)
        root.configure(menu=menubar)
        for key, command in (
            ("<Control-n>", self.new_invoice), ("<Control-f>", self.find_invoice),
            ("<F4>", self.vendor_lookup), ("<Control-l>", self.ledger),
            ("<Control-q>", root.destroy),
        ):  # fmt: skip
            root.bind(key, lambda e, c=command: c())  # type: ignore[misc]
        tk.Label(
            root, text=f"Signed in as {self.user}.  Ctrl+N new invoice, Ctrl+F find, "
            "F4 vendors, Ctrl+L ledger.", font=theme.font, bg=theme.background,
        ).pack(anchor="w", padx=16, pady=16)  # fmt: skip
        root.title(f"{TITLE} - {self.user}")
        root.deiconify()
        root.focus_force()

    def new_invoice(self) -> None:
        self.open_window(lambda: InvoiceForm(self))

    def find_invoice(self) -> None:
        self.open_window(lambda: FindDialog(self))

    def vendor_lookup(self) -> None:
        self.open_window(lambda: VendorLookup(self))

    def ledger(self) -> None:
        self.open_window(lambda: LedgerWindow(self))

    def run(self) -> None:
        self.open_window(self.sign_in_window)
        self.root.mainloop()


def main() -> None:
    DesktopClient(SandboxSettings()).run()
