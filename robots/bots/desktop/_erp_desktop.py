"""``DesktopErpBot``: enters invoices into the sandbox's desktop ERP client through its
windows (``Desk``), keyboard first, with the same guarantees as the web ``ErpBot``.

Per item, holding the display (``display_lock``): start the client if it is not running
and sign in with the vault's credential; look the vendor up (F4); look the invoice up by
vendor and number (Ctrl+F), and return an earlier attempt's own document (its internal
note carries this item's key) or fail with ``DUPLICATE``; else fill "Invoice entry"
(fields found by their labels, ``_form_map``), save (Ctrl+S), take the document number
from the confirmation, and read the invoice back through Find invoice.

When the client dies under the bot (the crash fault, or a real one), the bot starts it
again and repeats the attempt, which is idempotent: an invoice saved just before the
crash is found by the search. After ``bot_max_attempts`` crashes: ``ERP_UNAVAILABLE``.
On any failure a screenshot of the display is attached to the error (``artifacts``).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from clerk.display import display_lock
from clerk.errors import ApplicationError, BusinessError, ClerkError
from robots.bots._document_search import Found
from robots.bots._item_run import _safe_name
from robots.bots._records import InvoiceRecord, PurchaseOrderRecord
from robots.bots._results import Artifacts, EntryResult
from robots.bots._vendor_popup import VendorChoice, VendorPopup, _norm_name, _norm_vat
from robots.bots.desktop import _records_text as texts
from robots.bots.desktop._client import ClientProcess
from robots.bots.desktop._desk import Desk
from robots.bots.desktop._form_map import FormMap, learn, still_valid
from robots.bots.desktop._windows import Window, WindowGone
from robots.bots.erp import existing_result, note_for
from robots.bots.settings import BotSettings
from robots.credentials import Credential, credential

log = logging.getLogger("clerk.bots.desktop")
MAIN = "Clerk Desktop ERP - *"
ENDING_S = 2.0  # how long a client that broke an X call may take to be seen ending
DRAWN_S = 0.5  # how long a new form may take to draw before it is read as a new layout


class DesktopErpBot:
    system = "ERP"

    def __init__(
        self, settings: BotSettings | None = None, credential: Credential | None = None
    ) -> None:
        self.settings = settings or BotSettings()
        self._credential = credential
        self.client = ClientProcess(self.settings.desktop_erp_command)
        self._desk: Desk | None = None
        self.maps: list[FormMap] = []
        self._cache = Path(tempfile.mkdtemp(prefix="clerk-desktop-"))
        self.signed_in = False
        self.last_artifacts: Artifacts | None = None
        self.crashes = 0  # times the client died under this bot, all items together
        self._evidence: Path | None = None  # a screenshot taken where the item went wrong

    @property
    def credential(self) -> Credential:
        if self._credential is None:
            self._credential = credential(self.system)
        return self._credential

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            self._desk = Desk(self.client, self.settings.bot_timeout_ms / 1000)
        return self._desk

    def close(self) -> None:
        self.client.stop()
        if self._desk is not None:
            self._desk.release()
            self._desk = None
        shutil.rmtree(self._cache, ignore_errors=True)

    def __enter__(self) -> DesktopErpBot:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- one item ------------------------------------------------------------------------
    def enter_purchase_order(self, record: PurchaseOrderRecord, *, item_key: str) -> EntryResult:
        raise BusinessError(
            "UNKNOWN_TYPE",
            f"purchase order {record.po_number}: the desktop ERP has no purchase-order "
            "screen; enter it in the web ERP (Enter ERP) or by hand",
        )

    def enter_invoice(self, record: InvoiceRecord, *, item_key: str) -> EntryResult:
        self.last_artifacts = self._evidence = None
        with display_lock():
            try:
                return self._with_restarts(record, item_key)
            except ClerkError as exc:
                exc.artifacts = self.last_artifacts = self._fail(item_key)  # type: ignore[attr-defined]
                log.warning("desktop ERP item %s failed: %s", item_key, exc)
                raise
            except Exception as exc:
                artifacts = self.last_artifacts = self._fail(item_key)
                error = ApplicationError(
                    "INTERNAL",
                    f"desktop ERP bot failed on item {item_key} while {self.desk.step}: "
                    f"{type(exc).__name__}",
                )
                error.artifacts = artifacts  # type: ignore[attr-defined]
                log.exception("desktop ERP item %s failed unexpectedly", item_key)
                raise error from exc

    def _with_restarts(self, record: InvoiceRecord, item_key: str) -> EntryResult:
        crashes = 0
        while True:
            try:
                self._ready()
                return self._attempt(record, item_key)
            except ClerkError:
                raise
            except Exception as exc:
                # Whatever broke while the client died (a wait, an X call on a window
                # that is gone) is the client's crash; its death may be reported a
                # moment after the X error it caused (seen: INTERNAL, not a restart).
                if not isinstance(exc, WindowGone) and not self.client.ends(within=ENDING_S):
                    raise
                crashes += 1
                self.crashes += 1
                self.signed_in = False
                step = self.desk.step
                if crashes >= self.settings.bot_max_attempts:
                    raise ApplicationError(
                        "ERP_UNAVAILABLE",
                        f"the desktop ERP client ended {crashes} times in a row, the last "
                        f"time while {step}; the item will be retried later",
                    ) from None
                log.info("the desktop ERP client ended while %s; starting it again", step)

    def _keep_evidence(self) -> None:
        """A screenshot of the screen as it is, before the bot closes the window that
        shows why the item cannot go in (a refusal, the earlier entry)."""
        self._evidence = self.desk.screenshot(self._cache / "evidence.png")

    def _fail(self, item_key: str) -> Artifacts:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        folder = self.settings.artifacts_dir() / f"{_safe_name(item_key)}-{stamp}"
        try:
            if self._evidence is not None:
                folder.mkdir(parents=True, exist_ok=True)
                return Artifacts(
                    screenshot=Path(shutil.move(self._evidence, folder / "screenshot.png"))
                )
            return Artifacts(screenshot=self.desk.screenshot(folder / "screenshot.png"))
        except Exception as exc:  # a broken display must not hide the real error
            log.warning("no screenshot for %s: %s", item_key, exc)
            return Artifacts()

    # --- the client ----------------------------------------------------------------------
    def _ready(self) -> None:
        desk = self.desk
        if not self.client.alive():
            desk.step = "starting the desktop ERP client"
            self.client.start()
            self.signed_in = False
        if not self.signed_in:
            # A keystroke lost to the sign-in window, just shown, reads as a wrong
            # password: a refusal counts only when a fresh client refuses again.
            if not self._sign_in(self.credential):
                self.client.start()
                if not self._sign_in(self.credential):
                    self.client.stop()
                    raise ApplicationError(
                        "LOGIN_FAILED",
                        f"the desktop ERP refused user {self.credential.username!r} twice. "
                        "Store the right password with `clerk credentials set ERP`.",
                    )
            self.signed_in = True
            return
        self._close_leftovers()

    def _sign_in(self, cred: Credential) -> bool:
        """Sign in; false if the client refused."""
        try:
            from robocorp import log as robocorp_log

            robocorp_log.hide_from_output(cred.password)
        except ImportError:  # pragma: no cover - robocorp.log ships with robocorp-tasks
            pass
        desk = self.desk
        desk.step = "signing in to the desktop ERP"
        _, window = desk.wait_for("Sign in")
        desk.take(window)
        desk.type_confirmed(cred.username, select_all=("ctrl", "slash"))  # Tk's select-all
        desk.keys("tab")
        self._type_password(cred.password)
        desk.keys("enter")
        title, _ = desk.wait_for(MAIN, "Sign-in failed")
        return title == MAIN

    def _type_password(self, password: str) -> None:
        self.desk.rpa.type_text(password)  # never logged: robocorp.log hides it

    def _main(self) -> Window:
        _, window = self.desk.wait_for(MAIN)
        self.desk.focus(window)
        return window

    def _close_leftovers(self) -> None:
        """A window an earlier, failed item left open is closed (Escape) before this one."""
        desk = self.desk
        desk.step = "closing windows an earlier item left open"
        for _ in range(6):
            others = [w for w in desk.screen.windows() if not w.title.startswith(MAIN[:-1])]
            if not others:
                return
            desk.focus(others[-1])
            desk.keys("esc")
            desk.wait_gone(others[-1])
        self.client.stop()  # it would not close: start afresh
        raise WindowGone("leftover windows would not close")

    # --- the steps -----------------------------------------------------------------------
    def _attempt(self, record: InvoiceRecord, item_key: str) -> EntryResult:
        note = note_for(item_key)
        vendor = self._vendor(record.vendor_name, record.vendor_vat_id)
        found = self._find(vendor.number, record.invoice_number, evidence=True)
        if found:
            what = f"invoice {record.invoice_number} of vendor {vendor.number}"
            own = [f for f in found if f.get("Note") == note]
            diffs = texts.differences(own[0], record, vendor.number, note) if own else []
            if diffs:  # an earlier attempt's entry is this item's only if it is right
                raise ApplicationError(
                    "ENTRY_MISMATCH",
                    f"an earlier attempt saved {what} as {own[0]['Document']}, but it reads "
                    f"differently: {'; '.join(diffs)}; correct it in the ERP",
                )
            return existing_result([Found(f["Document"], f.get("Note", "")) for f in found],
                                   note, what)  # fmt: skip
        number = self._fill_and_save(record, vendor.number, note)
        self.desk.step = f"reading invoice {number or record.invoice_number} back"
        saved = [f for f in self._find(vendor.number, record.invoice_number)
                 if f.get("Note") == note and number in ("", f["Document"])]  # fmt: skip
        if len(saved) != 1:
            raise ApplicationError(
                "ENTRY_MISMATCH",
                f"invoice {record.invoice_number} was saved ({number or 'number not read'}) "
                f"but Find invoice shows {len(saved)} entries of this item",
            )
        number = saved[0]["Document"]
        diffs = texts.differences(saved[0], record, vendor.number, note)
        if diffs:
            raise ApplicationError(
                "ENTRY_MISMATCH",
                f"invoice {record.invoice_number} was saved as {number} but reads back "
                f"differently: {'; '.join(diffs)}",
            )
        return EntryResult(number, created=True)

    def _vendor(self, name: str, vat_id: str | None) -> VendorChoice:
        desk = self.desk
        queries = [(k, q) for k, q in (("vat", _norm_vat(vat_id or "")),
                                        ("name", " ".join(name.split()))) if q]  # fmt: skip
        for kind, query in queries:
            desk.step = f"looking vendor {query!r} up (F4)"
            rows = texts.vendor_rows(self._search("f4", "Vendor lookup", [query]))
            matches = [
                VendorChoice(r.number, r.name) for r in rows
                if (kind == "vat" and _norm_vat(r.vat_id) == query)
                or (kind == "name" and _norm_name(r.name) == _norm_name(name))
            ]  # fmt: skip
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise BusinessError(
                    "UNKNOWN_VENDOR",
                    f"{len(matches)} vendors in the ERP match {query!r}; pick the right one "
                    "in review (add the VAT id)",
                )
        raise VendorPopup._unknown(name, vat_id)

    def _find(self, vendor: str, reference: str, evidence: bool = False) -> list[dict[str, str]]:
        self.desk.step = f"looking for invoice {reference!r} of vendor {vendor} (Ctrl+F)"
        found = texts.records(
            self._search("ctrl+f", "Find invoice", [vendor, reference], evidence=evidence)
        )
        # Only what was asked for (the search lists every invoice of a blank field).
        return [f for f in found if (f.get("Vendor"), f.get("Invoice no.")) == (vendor, reference)]

    def _search(self, keys: str, title: str, fields: list[str], evidence: bool = False) -> str:
        """Open a search window from the main window, fill its fields (Tab between them),
        search (Enter) and copy the results; ``""`` when it found nothing. The title
        echoes the search: a keystroke lost to a window that was only just shown is seen
        there, and the search is made again (at most three times)."""
        desk = self.desk
        echo = " ".join(fields)
        for _ in range(3):
            self._main()
            desk.keys(*keys.split("+"))
            _, window = desk.wait_for(title)
            desk.take(window)
            with desk.batch():
                for index, value in enumerate(fields):
                    if index:
                        desk.keys("tab")
                    desk.type(value)
                desk.keys("enter")
            _, window = desk.wait_for(f"{title} - *")
            if window.title.startswith(f"{title} - {echo}: "):
                text = "" if window.title.endswith(": 0 found") else desk.copy_text()
                if text and evidence:
                    self._keep_evidence()  # an earlier entry: the DUPLICATE's reviewer sees it
                desk.close(window, "esc")
                return text
            log.info("the desktop ERP searched for %r, not %r; searching again", window.title, echo)
            desk.close(window, "esc")
        raise ApplicationError(
            "BOT_ERROR",
            f"the desktop ERP's {title} window did not get what the bot typed ({echo!r}) in "
            "three tries; see the screenshot",
        )

    def _form_map(self, window: Window) -> FormMap:
        """The map of the form on screen: a known one whose label templates are in
        place, else one read by OCR. A form just shown may not be drawn yet: the known
        maps are checked again (every 5 ms, a grab of two labels each) for a moment
        before the form is read as a new layout, and both are tried again until one
        holds or the timeout passes."""
        from PIL import Image

        desk = self.desk
        desk.step = "finding the invoice form's fields by their labels"
        origin = (window.left, window.top)
        deadline = time.monotonic() + desk.timeout

        def known() -> FormMap | None:
            return next((m for m in self.maps if still_valid(desk.screen.grab, m, origin)), None)

        while True:
            if self.maps:
                try:
                    return desk.screen.wait(known, DRAWN_S, self.client.alive, poll=0.005)
                except TimeoutError:
                    pass  # not one of the known layouts: read it
            shot = desk.screenshot(self._cache / "form.png")
            try:
                with Image.open(shot) as image:
                    form = learn(image.crop(window.region), self._cache)
            except ApplicationError:
                if not self.client.alive():
                    raise WindowGone("the client ended while its form was read") from None
                if time.monotonic() > deadline:
                    raise
                continue
            self.maps.append(form)
            return form

    def _fill_and_save(self, record: InvoiceRecord, vendor: str, note: str) -> str:
        desk = self.desk
        desk.step = "opening Invoice entry (Ctrl+N)"
        self._main()
        desk.keys("ctrl", "n")
        _, window = desk.wait_for("Invoice entry")
        desk.take(window)
        form = self._form_map(window)
        desk.step = "filling the invoice form"
        at = (window.left, window.top)
        with desk.batch():  # one stream of input: clicks, keys, the save
            for key, value in texts.header_values(record, vendor, note).items():
                if value:
                    desk.click(at[0] + form.fields[key][0], at[1] + form.fields[key][1])
                    desk.type(value)
            desk.click(at[0] + form.first_cell[0], at[1] + form.first_cell[1])
            for line in texts.line_values(record):
                for column in form.columns:
                    desk.type(line[column])
                    desk.keys("tab")
            desk.step = "saving the invoice (Ctrl+S)"
            desk.keys("ctrl", "s")
        title, answer = desk.wait_for("Invoice saved", "Validation error")
        desk.take(answer)
        if title == "Validation error":
            self._keep_evidence()
            message = desk.copy_text(select_all=False).removeprefix("Validation error\n")
            desk.close(answer, "enter")
            desk.close(window, "esc")
            raise BusinessError(
                "ERP_VALIDATION",
                f"the desktop ERP refused invoice {record.invoice_number}: "
                f"{' '.join(message.split())}",
            )
        try:
            number = desk.copy_text().strip()
        except ApplicationError:  # the read-back finds the number all the same
            log.info("the document number could not be copied; the read-back will tell it")
            number = ""
        desk.close(answer, "enter")
        return number
