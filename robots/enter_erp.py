"""Enter ERP: invoices and purchase orders into the legacy ERP, through its screens.

Per input item: the understanding's values become a typed record
(``robots.bots._records``), ``ErpBot`` enters it, and the item goes on to Publish CMS with
``entry = EntryRef("erp", document number, created)``. A purchase order goes in with its
net, tax and total as printed (one that prints only a total is entered without tax).
Other document types go on untouched (no ERP entry needed); Publish CMS completes them.

Idempotency key: the work item's id. A retried item keeps its id (the Control Room
retries in place, also after a robot was killed mid-entry), and the bot leaves
"clerk item <id>" in the ERP document's internal note, so a second attempt finds its own
first one and returns it (``created`` false) instead of entering it twice. The document's
sha256 would not do: two items may carry the same bytes on purpose (a reviewer sent a
flagged duplicate through), and the ERP must then report DUPLICATE, not stay silent.
The note also links each ERP document back to its work item for auditors.

On failure the bot's screenshot and Playwright traces are attached to the item (the
console shows them) and the item fails with the bot's code: APPLICATION for timeouts,
5xx, a lost session (the Control Room retries them), BUSINESS for an unknown vendor, an
ERP validation error or a duplicate (a person looks).

Settings: the bots' (``CLERK_ERP_URL``, ``CLERK_BOT_*``, see ``robots.bots.settings``);
credentials from the vault (``clerk credentials set ERP``), read once per process.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from clerk.errors import ClerkError
from clerk.payloads import ItemPayload
from robots import _common as common
from robots._common import task

if TYPE_CHECKING:
    from robocorp.workitems import Input

    from robots.bots import EntryResult, InvoiceRecord, PurchaseOrderRecord

log = logging.getLogger("clerk.robots.enter_erp")
ERP_TYPES = ("invoice", "purchase_order")


class EntryBot(Protocol):
    """What an ERP bot offers: the web ``ErpBot`` or the ``DesktopErpBot``."""

    def enter_invoice(self, record: InvoiceRecord, *, item_key: str) -> EntryResult: ...

    def enter_purchase_order(
        self, record: PurchaseOrderRecord, *, item_key: str
    ) -> EntryResult: ...


def carried_files(item: Input, payload: ItemPayload, scratch: Path) -> list[Path]:
    """The document's file, to travel on with the item (a reviewer of a later failure
    needs the page); none if the item has none (an approved review creates none)."""
    if payload.document.file not in item.files:
        return []
    return [common.fetch_file(item, payload.document.file, scratch / str(item.id))]


def enter_item(item: Input, bot: EntryBot, scratch: Path) -> str:
    try:
        return _enter(item, bot, scratch)
    finally:  # a step run may drain thousands of items: keep no copies
        shutil.rmtree(scratch / str(item.id), ignore_errors=True)


def _enter(item: Input, bot: EntryBot, scratch: Path) -> str:
    from robots.bots import artifacts_of, invoice_record_from, purchase_order_record_from

    payload = common.read_payload(item)
    understanding = common.understanding_of(payload, "Enter ERP")
    doc_type, values = understanding.doc_type, understanding.values()
    rows = understanding.row_values()
    if doc_type not in ERP_TYPES:
        common.pass_on(item, payload, carried_files(item, payload, scratch))
        return f"passed on ({doc_type})"
    try:
        if doc_type == "invoice":
            result = bot.enter_invoice(invoice_record_from(values, rows), item_key=str(item.id))
        else:
            result = bot.enter_purchase_order(
                purchase_order_record_from(values, rows), item_key=str(item.id)
            )
    except ClerkError as exc:
        common.attach_artifacts(item, artifacts_of(exc), "erp")
        raise
    log.info(
        "item %s: %s %s in the ERP as %s", item.id, doc_type,
        "entered" if result.created else "found (earlier attempt)", result.document_number,
    )  # fmt: skip
    common.pass_on(
        item, common.entered(payload, "erp", result), carried_files(item, payload, scratch)
    )
    return "entered" if result.created else "found entered by an earlier attempt"


@task
def enter_erp() -> None:
    """Enter invoices and purchase orders into the ERP; pass everything on."""
    from robots.bots import BotSettings, Browser, ErpBot

    settings = BotSettings()
    common.start("enter_erp", [settings.erp_url])
    with Browser(headless=settings.bot_headless) as browser, tempfile.TemporaryDirectory() as tmp:
        bot = ErpBot(browser, settings)
        tally = common.for_each_input(lambda item: enter_item(item, bot, Path(tmp)))
    log.info("enter_erp finished: %s", tally)
