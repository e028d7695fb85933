"""How a Playwright error becomes a code (robots.bots._item_run.browser_error)."""

from __future__ import annotations

import pytest
from playwright._impl._errors import TargetClosedError
from playwright.sync_api import Error, TimeoutError

from robots.bots._item_run import browser_error


@pytest.mark.parametrize(
    "message",
    [
        "Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/login",
        "Page.goto: net::ERR_CONNECTION_RESET at http://erp/main",
        "Locator.click: Target crashed",
        "APIRequestContext.get: connect ECONNREFUSED 127.0.0.1:8801",
    ],
)
def test_network_and_crashes_are_unavailable(message: str) -> None:
    error = browser_error("ERP", Error(message), "opening Find document from the menu")
    assert error.code == "ERP_UNAVAILABLE"
    assert error.message == (
        f"ERP could not be reached while opening Find document from the menu: {message}"
    )


def test_a_closed_target_is_unavailable() -> None:
    assert browser_error("CMS", TargetClosedError(), "saving").code == "CMS_UNAVAILABLE"


def test_timeouts_stay_timeouts() -> None:
    error = browser_error("ERP", TimeoutError("Locator.wait_for: Timeout 15000ms exceeded."), "")
    assert error.code == "ERP_TIMEOUT"
    assert "did not show the expected screen in time: Locator.wait_for" in error.message


@pytest.mark.parametrize(
    "message",
    [
        'Locator.fill: Error: strict mode violation: get_by_label("Amount") resolved to 3 '
        "elements:\n    1) <input ...>",
        "Locator.fill: Error: Element is not an <input>, <textarea> or <select> element",
        'Locator.click: Unexpected token "=" while parsing css selector "a==b"',
    ],
)
def test_the_bots_own_mistakes_are_bot_error_with_the_first_line(message: str) -> None:
    error = browser_error("ERP", Error(message), "filling the invoice form")
    assert error.code == "BOT_ERROR" and error.type == "APPLICATION"
    first = message.splitlines()[0]
    assert error.message.startswith(f"the ERP bot failed while filling the invoice form: {first}.")
    assert "could not be reached" not in error.message


def test_the_secret_is_never_quoted() -> None:
    error = browser_error(
        "ERP", Error('Locator.fill: bad value "hunter22"'), "signing in", "hunter22"
    )
    assert "hunter22" not in error.message and "***" in error.message
