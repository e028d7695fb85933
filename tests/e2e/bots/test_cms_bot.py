"""CmsBot end to end: product page drafts through the iframe rich-text editor."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clerk.errors import BusinessError
from robots.bots import CmsBot, ProductRecord
from sandbox.server import Sandbox
from tests.e2e.bots.conftest import ledger, unique

pytestmark = pytest.mark.browser


def drafts_for(sandbox: Sandbox, sku: str) -> list[dict]:
    return [d for d in ledger(sandbox, "cms")["drafts"] if d["sku"] == sku]


def test_existing_product_draft_with_iframe_description(cms_bot: CmsBot, sandbox: Sandbox) -> None:
    record = ProductRecord(
        sku="SKU-1004", product_name="Monitor 27 inch QHD", price=Decimal("329.00"),
        currency="EUR", stock=55, description="New panel & stand <b>",
    )  # fmt: skip
    before = len(drafts_for(sandbox, "SKU-1004"))
    result = cms_bot.save_product_draft(record, item_key="cms-1004")
    assert result.created and result.document_number.startswith("DRAFT-")
    drafts = drafts_for(sandbox, "SKU-1004")
    assert len(drafts) == before + 1
    draft = drafts[-1]
    assert draft["draft_number"] == result.document_number
    assert (draft["title"], draft["price"], draft["currency"], draft["stock"]) == (
        "Monitor 27 inch QHD",
        "329.00",
        "EUR",
        55,
    )
    assert draft["status"] == "draft"
    # Typed into the contenteditable iframe, copied to the hidden field on submit:
    # the CMS stores the editor's HTML (inside the old text's paragraph), text escaped.
    assert draft["description"] in (
        "New panel &amp; stand &lt;b&gt;",
        "<p>New panel &amp; stand &lt;b&gt;</p>",
    )
    published = {p["sku"]: p for p in ledger(sandbox, "cms")["products"]}["SKU-1004"]
    assert published["title"] == "Monitor 27 inch"  # a draft, not published


def test_new_product_and_rerun_is_idempotent(cms_bot: CmsBot, sandbox: Sandbox) -> None:
    record = ProductRecord(
        sku=unique("SKU"), product_name="Whiteboard marker set", price=Decimal("7.9"),
        currency="EUR", stock=None, description=None,
    )  # fmt: skip
    first = cms_bot.save_product_draft(record, item_key="cms-new")
    assert drafts_for(sandbox, record.sku)[0]["stock"] == 0  # the new-product default
    second = cms_bot.save_product_draft(record, item_key="cms-new")
    assert (second.document_number, second.created) == (first.document_number, False)
    assert len(drafts_for(sandbox, record.sku)) == 1


def test_cms_validation_message(cms_bot: CmsBot, sandbox: Sandbox) -> None:
    record = ProductRecord(
        sku="bad sku!", product_name="Broken", price=Decimal("1"), currency="EUR", stock=1,
    )  # fmt: skip
    with pytest.raises(BusinessError) as caught:
        cms_bot.save_product_draft(record, item_key="cms-bad")
    assert caught.value.code == "CMS_VALIDATION"
    assert "SKU 'bad sku!' is invalid" in caught.value.message
    assert drafts_for(sandbox, "bad sku!") == []


def test_product_draft_in_the_second_layout(cms_bot: CmsBot, sandbox: Sandbox, faults) -> None:
    # Other ids, names and field order on the catalogue, the editor and the draft page;
    # the bot's role, label and test-id selectors find the same fields.
    faults("cms", layout=2)
    record = ProductRecord(
        sku="SKU-1006", product_name="Desk lamp LED, dimmable", price=Decimal("31.5"),
        currency="CHF", stock=140, description="Three colour temperatures, now dimmable.",
    )  # fmt: skip
    before = len(drafts_for(sandbox, record.sku))
    result = cms_bot.save_product_draft(record, item_key="cms-layout2")
    assert result.created and result.document_number.startswith("DRAFT-")
    drafts = drafts_for(sandbox, record.sku)
    assert len(drafts) == before + 1
    draft = drafts[-1]
    assert draft["draft_number"] == result.document_number
    assert (draft["title"], draft["price"], draft["currency"], draft["stock"]) == (
        "Desk lamp LED, dimmable", "31.50", "CHF", 140
    )  # fmt: skip
    assert (draft["status"], draft["note"]) == ("draft", "clerk item cms-layout2")
    assert "Three colour temperatures, now dimmable." in draft["description"]
    # A rerun finds its own pending draft in the second layout's catalogue.
    again = cms_bot.save_product_draft(record, item_key="cms-layout2")
    assert (again.document_number, again.created) == (result.document_number, False)
    assert len(drafts_for(sandbox, record.sku)) == before + 1
