"""Publish CMS: product updates become product-page drafts in the legacy CMS.

The last step of "Document processing". Product updates are saved as drafts by
``CmsBot`` (a person publishes them in the CMS); the entry is recorded on the item's
payload (``entry = EntryRef("cms", draft number, created)``) before it completes. Every
other document (already entered in the ERP, or a receipt/remittance advice that needs no
entry) completes as it is.

Idempotency key: the work item's id, as in Enter ERP (the bot finds a pending draft whose
change note carries it). Failures attach the screenshot and traces and fail with the
bot's code (``CMS_TIMEOUT``/``CMS_UNAVAILABLE``/``SESSION_LOST``: APPLICATION, retried;
``CMS_VALIDATION``, ``BAD_PAYLOAD``: BUSINESS).

Settings: ``CLERK_CMS_URL`` and ``CLERK_BOT_*`` (``robots.bots.settings``); credentials
from the vault (``clerk credentials set CMS``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from clerk.errors import ClerkError
from robots import _common as common
from robots._common import task

if TYPE_CHECKING:
    from robocorp.workitems import Input

    from robots.bots import CmsBot

log = logging.getLogger("clerk.robots.publish_cms")
CMS_TYPES = ("product_update",)


def publish_item(item: Input, bot: CmsBot) -> str:
    from robots.bots import artifacts_of, product_record_from

    payload = common.read_payload(item)
    doc_type, values = common.understanding_values(payload, "Publish CMS")
    if doc_type not in CMS_TYPES:
        if payload.entry is None and doc_type in ("invoice", "purchase_order"):
            # Only a person's approval at Enter ERP gets an unentered one here.
            log.info("item %s: %s completes without an ERP entry (approved)", item.id, doc_type)
            return f"done without ERP entry, approved ({doc_type})"
        if payload.entry is None:
            return f"done, no entry needed ({doc_type})"
        return f"done ({doc_type} in the {payload.entry.system.upper()})"
    try:
        result = bot.save_product_draft(product_record_from(values), item_key=str(item.id))
    except ClerkError as exc:
        common.attach_artifacts(item, artifacts_of(exc), "cms")
        raise
    # The last step has no next one: the entry is recorded on the item itself.
    item.payload = common.entered(payload, "cms", result).dump()
    item.save()
    log.info("item %s: product draft %s (%s)", item.id, result.document_number,
             "created" if result.created else "found from an earlier attempt")  # fmt: skip
    return "draft saved" if result.created else "draft found from an earlier attempt"


@task
def publish_cms() -> None:
    """Save product updates as CMS drafts; complete everything else."""
    from robots.bots import BotSettings, Browser, CmsBot

    settings = BotSettings()
    common.start("publish_cms", [settings.cms_url])
    with Browser(headless=settings.bot_headless) as browser:
        bot = CmsBot(browser, settings)
        tally = common.for_each_input(lambda item: publish_item(item, bot))
    log.info("publish_cms finished: %s", tally)
