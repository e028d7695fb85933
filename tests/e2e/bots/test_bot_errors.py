"""Browser errors as codes, with the real browser and the sandbox: an application that
cannot be reached is ``ERP_UNAVAILABLE``; a step the bot itself got wrong (a strict-mode
violation, an element of the wrong kind) is ``BOT_ERROR`` naming the step, never
"could not be reached"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from clerk.errors import ApplicationError
from clerk.serving import free_port
from robots.bots import Browser, ErpBot, artifacts_of
from robots.bots._invoice_entry import InvoiceEntry
from robots.bots._item_run import translated
from sandbox.server import Sandbox
from tests.e2e.bots.conftest import invoices_numbered, three_line_invoice

pytestmark = pytest.mark.browser


def test_an_erp_nobody_listens_on_is_erp_unavailable(browser, settings, erp_bot) -> None:
    gone = ErpBot(
        browser, settings.model_copy(update={"erp_url": f"http://127.0.0.1:{free_port()}"}),
        erp_bot.credential,
    )  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        gone.enter_invoice(three_line_invoice(), item_key="item-no-erp")
    assert caught.value.code == "ERP_UNAVAILABLE"
    assert "could not be reached while signing in to ERP" in caught.value.message
    assert "net::ERR_CONNECTION_REFUSED" in caught.value.message
    assert erp_bot.credential.password not in caught.value.message


def test_a_navigation_to_a_server_that_went_away_is_unavailable(browser: Browser) -> None:
    context = browser.new_context(5000)
    try:
        page = context.new_page()
        step = "opening the ERP start screen"
        with pytest.raises(ApplicationError) as caught, translated("ERP", lambda: step):
            page.goto(f"http://127.0.0.1:{free_port()}/main")
    finally:
        context.close()
    assert caught.value.code == "ERP_UNAVAILABLE"
    assert caught.value.message.startswith(
        "ERP could not be reached while opening the ERP start screen: "
    )


def _every_textbox(entry: InvoiceEntry, *args: Any) -> None:
    entry.content.get_by_role("textbox").fill("x")  # the form has dozens: strict mode


def _a_heading(entry: InvoiceEntry, *args: Any) -> None:
    entry.content.get_by_role("heading", name="Lines").fill("x")  # not an input


@pytest.mark.parametrize(
    ("broken_fill", "said"),
    [(_every_textbox, "strict mode violation"), (_a_heading, "not an <input>")],
)
def test_a_step_the_bot_got_wrong_is_bot_error_naming_the_step(
    erp_bot: ErpBot, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, broken_fill, said: str
) -> None:
    monkeypatch.setattr(InvoiceEntry, "fill", broken_fill)  # a bot with a bug, real screens
    record = three_line_invoice()
    with pytest.raises(ApplicationError) as caught:
        erp_bot.enter_invoice(record, item_key="item-bot-bug")
    error = caught.value
    assert error.code == "BOT_ERROR", error
    assert error.message.startswith("the ERP bot failed while filling the invoice form: ")
    assert said in error.message
    assert "could not be reached" not in error.message
    artifacts = artifacts_of(error)
    assert artifacts is not None and artifacts.screenshot is not None and artifacts.traces
    assert invoices_numbered(sandbox, record.invoice_number) == []


def test_a_bot_that_names_no_steps_does_not_blame_the_sign_in(
    cms_bot, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from robots.bots import ProductRecord
    from robots.bots._cms_editor import CmsCatalogue

    def ambiguous(self: CmsCatalogue, *args: Any) -> None:
        self.page.get_by_role("link").click()  # every link of the page: strict mode

    monkeypatch.setattr(CmsCatalogue, "open", ambiguous)
    record = ProductRecord(sku="SKU-BOTERR", product_name="x", price=Decimal("1"), currency="EUR")
    with pytest.raises(ApplicationError) as caught:
        cms_bot.save_product_draft(record, item_key="cms-bot-bug")
    assert caught.value.code == "BOT_ERROR"
    assert caught.value.message.startswith("the CMS bot failed: ")
    assert "strict mode violation" in caught.value.message
