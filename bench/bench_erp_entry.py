"""ERP invoice entry: ``ErpBot`` against a minimal hand-written Playwright script.

Both type the same invoice (3 lines) into the same sandbox ERP screens with the same
browser, in the same run, with no injected latency; each invoice gets a fresh context
and a fresh sign-in. The script does only what entering needs (sign in, menu, vendor
popup, lines, post); the bot also looks for an earlier entry first, reads the saved
document back, records a trace, guards egress and watches for modals and errors.

Prints the median seconds per invoice of each, the ratio bot / script (goal <= 1.2) and
the invoices entered per minute per worker. ``--phases`` also prints where the bot's time
goes: the median seconds of each page-object step per invoice (timed by wrapping the
bot's methods in this process; the script is not touched).

    .venv/bin/python bench/bench_erp_entry.py [--runs 7] [--no-trace] [--phases]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from robots.bots import BotSettings, Browser, ErpBot, InvoiceRecord, LineRecord
from robots.credentials import Credential
from sandbox.faults import read_ledger
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings

USER, PASSWORD = "robot", "robot-pass"
LINES = (
    LineRecord("A4 copy paper, 500 sheets", Decimal("5"), Decimal("4.99"), Decimal("24.95")),
    LineRecord("Toner cartridge black", Decimal("2"), Decimal("61.50"), Decimal("123.00")),
    LineRecord("Desk lamp LED", Decimal("1"), Decimal("29.95"), Decimal("29.95")),
)


def invoice(number: str) -> InvoiceRecord:
    return InvoiceRecord(
        vendor_name="Nordlicht Papier AG",
        vendor_vat_id="DE811569869",
        invoice_number=number,
        issue_date=date(2026, 3, 2),
        due_date=date(2026, 4, 1),
        currency="EUR",
        net_amount=Decimal("177.90"),
        tax_amount=Decimal("33.80"),
        total_amount=Decimal("211.70"),
        po_number="PO-7781",
        lines=LINES,
    )


def script_entry(browser: Any, base: str, record: InvoiceRecord) -> str:
    """What a person would write in ten minutes: no checks, no retries."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(USER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    menu = page.get_by_title("Menu").content_frame
    content = page.get_by_title("Content").content_frame
    menu.get_by_role("link", name="Enter invoice").click()
    content.get_by_role("heading", name="Enter invoice").wait_for()
    for row in range(2, len(record.lines) + 1):
        content.get_by_role("button", name="Add line").click()
        content.get_by_label(f"Description, line {row}").wait_for()
    with context.expect_page() as opened:
        content.get_by_role("button", name="Search vendor...").click()
    popup = opened.value
    popup.get_by_label("Search vendor (name, VAT id or number)").fill(record.vendor_vat_id or "")
    popup.get_by_role("button", name="Find").click()
    try:
        with popup.expect_event("close"):
            popup.get_by_role("button", name="Select 10002").click()
    except PlaywrightError:  # the window closed while its click was still being reported
        if not popup.is_closed():
            raise
    content.get_by_label("Invoice number").fill(record.invoice_number)
    content.get_by_label("Invoice date").fill(record.issue_date.strftime("%d.%m.%Y"))
    content.get_by_label("Due date").fill(
        record.due_date.strftime("%d.%m.%Y") if record.due_date else ""
    )
    content.get_by_label("Currency").select_option(record.currency)
    content.get_by_label("Net amount").fill(str(record.net_amount))
    content.get_by_label("Tax amount").fill(str(record.tax_amount))
    content.get_by_label("Total amount").fill(str(record.total_amount))
    content.get_by_label("PO reference").fill(record.po_number or "")
    for row, line in enumerate(record.lines, start=1):
        content.get_by_label(f"Description, line {row}").fill(line.description)
        content.get_by_label(f"Quantity, line {row}").fill(str(line.quantity))
        content.get_by_label(f"Unit price, line {row}").fill(str(line.unit_price))
        content.get_by_label(f"Amount, line {row}").fill(str(line.amount))
    content.get_by_role("button", name="Post invoice").click()
    number = str(content.get_by_test_id("document-number").inner_text())
    context.close()
    return number


# The bot's steps, as (owner, method, phase name). A phase called twice per invoice (the
# two menu screens) adds up.
def _phase_targets() -> list[tuple[Any, str, str]]:
    from robots.bots import _bot_base as bot_base
    from robots.bots._document_search import DocumentSearch
    from robots.bots._erp_shell import ErpShell
    from robots.bots._invoice_entry import InvoiceEntry
    from robots.bots._item_run import ItemRun
    from robots.bots._login_page import LoginPage

    return [
        (ItemRun, "__init__", "context (new context, egress proxy, page)"),
        (bot_base, "dismiss_modals", "modal handler (init script)"),
        (LoginPage, "sign_in", "sign in"),
        (ItemRun, "sign_in", "trace start (sign in excluded)"),
        (ErpShell, "open", "open a screen (x2: search, entry)"),
        (DocumentSearch, "choose_vendor", "vendor popup"),
        (DocumentSearch, "find", "pre-create search"),
        (InvoiceEntry, "fill", "fill (lines first)"),
        (InvoiceEntry, "post", "post + read of the saved page"),
        (InvoiceEntry, "verify", "compare with what was meant"),
        (ItemRun, "close", "trace stop + context close"),
    ]


_REST = "rest (retry loop, bot's own Python)"


class Phases:
    """Wraps the bot's steps with timers; ``take()`` returns one invoice's seconds."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.samples: dict[str, list[float]] = defaultdict(list)
        for owner, name, label in _phase_targets():
            setattr(owner, name, self._timed(getattr(owner, name), label))

    def _timed(self, method: Any, label: str) -> Any:
        @functools.wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.current[label] += time.perf_counter() - start

        return timed

    def take(self, total: float) -> None:
        now = dict(self.current)
        self.current.clear()
        now["trace start (sign in excluded)"] -= now.get("sign in", 0.0)
        for label, seconds in now.items():
            self.samples[label].append(seconds)
        self.samples[_REST].append(total - sum(now.values()))

    def report(self) -> None:
        print("ErpBot phases (median seconds per invoice):")
        for _, _, label in _phase_targets():
            if label in self.samples:
                print(f"  {label:40s} {statistics.median(self.samples[label]):.3f}")
        print(f"  {_REST:40s} {statistics.median(self.samples[_REST]):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--no-trace", action="store_true", help="run the bot without its Playwright trace"
    )
    parser.add_argument("--phases", action="store_true", help="also time the bot's steps")
    args = parser.parse_args()
    phases = Phases() if args.phases else None
    script, bot_s = measure(args.runs, trace=not args.no_trace, phases=phases)
    print(f"runs: {args.runs} of each, 3-line invoice, zero injected latency")
    print(f"bot trace: {'off' if args.no_trace else 'on (production default)'}")
    print(f"hand-written script: median {script:.3f} s per invoice")
    print(f"ErpBot:              median {bot_s:.3f} s per invoice")
    print(f"ratio bot / script:  {bot_s / script:.2f}  (goal <= 1.2)")
    print(f"ErpBot throughput:   {60 / bot_s:.1f} invoices per minute per worker")
    if phases is not None:
        phases.report()


def measure(runs: int, *, trace: bool = True, phases: Phases | None = None) -> tuple[float, float]:
    """Median seconds per invoice of the script and of the bot, interleaved."""
    folder = Path(tempfile.mkdtemp(prefix="bench-erp-"))
    sandbox = Sandbox.start(
        SandboxSettings(erp_db=folder / "erp.sqlite3", cms_db=folder / "cms.sqlite3"),
        free_ports=True,
    )
    settings = BotSettings(
        erp_url=sandbox.erp.url,
        bot_artifacts_dir=folder / "artifacts",
        bot_trace=trace,
    )
    script_times: list[float] = []
    bot_times: list[float] = []
    try:
        with Browser() as browser:
            bot = ErpBot(browser, settings, Credential("ERP", USER, PASSWORD))
            script_entry(browser.get(), sandbox.erp.url, invoice("WARM-S"))  # warm-up
            bot.enter_invoice(invoice("WARM-B"), item_key="warm")
            if phases is not None:
                phases.current.clear()
            for run in range(runs):  # interleaved, so load drifts hit both alike
                start = time.perf_counter()
                script_entry(browser.get(), sandbox.erp.url, invoice(f"S-{run}"))
                script_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                result = bot.enter_invoice(invoice(f"B-{run}"), item_key=f"bench-{run}")
                bot_times.append(time.perf_counter() - start)
                assert result.created, result
                if phases is not None:
                    phases.take(bot_times[-1])
        entered = read_ledger(sandbox.erp.url, sandbox.settings.admin_token)["invoices"]
        assert sum(1 for d in entered if d["reference"].startswith("B-")) == runs
    finally:
        sandbox.stop()
    return statistics.median(script_times), statistics.median(bot_times)


if __name__ == "__main__":
    main()
