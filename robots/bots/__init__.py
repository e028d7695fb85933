"""Page objects and bots for the legacy target screens (ERP, CMS), driven with
Playwright over Debian's chromium. Selectors by role, label or test id; no sleeps.

Public modules: ``browser``, ``cms``, ``erp``, ``settings`` and ``desktop``; the page
objects and helpers named ``_*`` are private (reach them through ``__all__``).
"""

from robots.bots._records import (
    InvoiceRecord,
    LineRecord,
    ProductRecord,
    PurchaseOrderRecord,
    invoice_record_from,
    product_record_from,
    purchase_order_record_from,
)
from robots.bots._results import Artifacts, EntryResult, artifacts_of
from robots.bots.browser import Browser
from robots.bots.cms import CmsBot
from robots.bots.erp import ErpBot
from robots.bots.settings import BotSettings

__all__ = [
    "Artifacts",
    "BotSettings",
    "Browser",
    "CmsBot",
    "EntryResult",
    "ErpBot",
    "InvoiceRecord",
    "LineRecord",
    "ProductRecord",
    "PurchaseOrderRecord",
    "artifacts_of",
    "invoice_record_from",
    "product_record_from",
    "purchase_order_record_from",
]
