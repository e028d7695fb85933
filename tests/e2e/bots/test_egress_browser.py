"""The browser half of the egress guard: a page that reaches for outside hosts."""

from __future__ import annotations

import logging

import pytest
from playwright.sync_api import expect

from robots import _egress as egress
from robots.bots import Browser
from sandbox.server import Sandbox

pytestmark = pytest.mark.browser


def test_outside_image_and_fetch_are_blocked_logged_and_counted(
    browser: Browser, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    before = egress.blocked_counts().get("browser", 0)
    context = browser.new_context(5000, egress.AllowList.parse(""))
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        with caplog.at_level(logging.WARNING, logger="clerk.egress"):
            page.goto(f"{sandbox.erp.url}/diagnostics/egress")
            expect(page.get_by_test_id("fetch-result")).to_have_text("blocked")
            expect(page.get_by_role("img", name="outside image")).to_have_js_property(
                "naturalWidth", 0
            )
            page.wait_for_load_state("load")
    finally:
        context.close()
    assert egress.blocked_counts()["browser"] - before == 2
    assert "http://example.com/x.png" in failed and "https://8.8.8.8/" in failed
    assert "example.com:80 is not on CLERK_EGRESS_ALLOW" in caplog.text
    assert "8.8.8.8:443 is not on CLERK_EGRESS_ALLOW" in caplog.text


def test_allow_listed_host_passes(browser: Browser, sandbox: Sandbox) -> None:
    before = egress.blocked_counts().get("browser", 0)
    context = browser.new_context(5000, egress.AllowList.parse("example.com:80"))
    try:
        page = context.new_page()
        blocked = page.route  # noqa: F841 - the context route decides; nothing here
        page.goto(f"{sandbox.erp.url}/diagnostics/egress")
        expect(page.get_by_test_id("fetch-result")).to_have_text("blocked")
    finally:
        context.close()
    # Only the fetch to 8.8.8.8 was blocked; example.com was allowed through the guard
    # (and then failed on its own, since this machine has no route to the internet).
    assert egress.blocked_counts()["browser"] - before == 1
