"""``CmsBot``: saves product pages as drafts in the legacy CMS, idempotently (a draft
awaiting review whose change note carries this item's key is returned, not doubled)."""

from __future__ import annotations

from typing import Any

from robots._egress import AllowList
from robots.bots._bot_base import BotBase
from robots.bots._cms_editor import CmsCatalogue
from robots.bots._item_run import ItemRun
from robots.bots._login_page import LoginPage
from robots.bots._records import ProductRecord
from robots.bots._results import EntryResult
from robots.bots.browser import Browser
from robots.bots.erp import note_for
from robots.bots.settings import BotSettings
from robots.credentials import Credential


class CmsBot(BotBase):
    system = "CMS"

    def __init__(
        self,
        browser: Browser,
        settings: BotSettings | None = None,
        credential: Credential | None = None,
        allow: AllowList | None = None,
    ) -> None:
        super().__init__(browser, settings or BotSettings(), credential, allow)
        self.base_url = self.settings.cms_url.rstrip("/")

    def _login(self, page: Any, credential: Credential) -> None:
        landing = page.get_by_role("heading", name=CmsCatalogue.HEADING)
        LoginPage(page, self.base_url, "CMS", landing).sign_in(credential)

    def save_product_draft(self, record: ProductRecord, *, item_key: str) -> EntryResult:
        note = note_for(item_key)

        def prepare(run: ItemRun) -> Any:

            def attempt() -> EntryResult:
                catalogue = CmsCatalogue(run.page, self.base_url)
                catalogue.open()
                existing = catalogue.pending_draft(note)
                if existing:
                    return EntryResult(existing, created=False)
                editor = catalogue.open_editor(record.sku)
                editor.fill(record, note)
                number = editor.save()
                editor.verify(number, record, note)
                return EntryResult(number, created=True)

            return attempt

        return self._execute(item_key, prepare)
