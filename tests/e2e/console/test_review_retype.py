"""The review screen's "Document type" control in a real browser: the current type is
chosen, another one sends the item back to be read as it, and the page then says who
set the type. CLERK_CONSOLE_SHOTS=DIR keeps the screenshots."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from clerk.documents import Understanding
from controlroom.db import transaction
from controlroom.models import WorkItem
from tests.e2e.console.conftest import Server, sign_in
from tests.e2e.console.test_review_layout import flagged_tax

pytestmark = pytest.mark.browser


def test_a_reviewer_reads_an_item_again_as_another_type(laptop: Any, server: Server) -> None:
    item_id = server.failed_item(name="invoice_en.pdf", adjust=flagged_tax)
    page = sign_in(laptop, "reviewer")
    page.goto(f"/console/items/{item_id}")
    select = page.locator("#retype-type")
    assert select.input_value() == "invoice"
    assert page.get_by_label("Document type").is_visible()
    page.evaluate("window.scrollTo(0, 0)")  # the page opens on the flagged field
    server.shot(page, "review-retype", full_page=False)
    select.select_option("receipt")
    with page.expect_navigation():
        page.get_by_role("button", name="Read again as this type").click()
    assert "read again as Receipt" in page.content()
    assert page.locator(".meta").inner_text() == "To be read again as receipt type set by reviewer"
    server.shot(page, "review-retype-done", full_page=False)
    with transaction(server.factory) as session:
        item = session.get_one(WorkItem, item_id)
        assert item.state == "PENDING"
        assert item.payload["doc_type_override"]["doc_type"] == "receipt"


def _read_as_receipt_by_rita(u: Understanding) -> Understanding:
    u = flagged_tax(u)
    return dataclasses.replace(u, doc_type="receipt", type_confidence=1.0, type_set_by="rita")


def test_the_page_says_who_set_the_type(laptop: Any, server: Server) -> None:
    item_id = server.failed_item(name="invoice_en.pdf", adjust=_read_as_receipt_by_rita)
    page = sign_in(laptop, "reviewer")
    page.goto(f"/console/items/{item_id}")
    assert page.locator(".meta .s-human").inner_text() == "type set by rita"
    assert page.locator("#retype-type").input_value() == "receipt"
    page.evaluate("window.scrollTo(0, 0)")
    server.shot(page, "review-type-set-by", full_page=False)
