"""ErpBot and CmsBot under the sandbox's run-time faults: each run ends with a correct
entry or the right typed error, and never with a duplicate."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from clerk.errors import ApplicationError
from robots.bots import BotSettings, ErpBot, ProductRecord
from robots.credentials import Credential
from sandbox.server import Sandbox
from tests.e2e.bots.conftest import (
    PASSWORD,
    assert_entered,
    invoices_numbered,
    ledger,
    three_line_invoice,
    unique,
)

pytestmark = pytest.mark.browser


def test_modal_system_messages_everywhere(erp_bot: ErpBot, sandbox: Sandbox, faults) -> None:
    faults("erp", popup_rate=1.0, seed=1)
    record = three_line_invoice()
    result = erp_bot.enter_invoice(record, item_key="item-popups")
    assert_entered(sandbox, record, result.document_number, "item-popups")


def test_second_layout(erp_bot: ErpBot, sandbox: Sandbox, faults) -> None:
    faults("erp", layout=2)
    record = three_line_invoice()
    result = erp_bot.enter_invoice(record, item_key="item-layout2")
    assert_entered(sandbox, record, result.document_number, "item-layout2")


def test_added_latency(erp_bot: ErpBot, sandbox: Sandbox, faults) -> None:
    faults("erp", latency_ms=120)
    record = three_line_invoice()
    result = erp_bot.enter_invoice(record, item_key="item-slow")
    assert_entered(sandbox, record, result.document_number, "item-slow")


def test_latency_beyond_the_timeout_is_erp_timeout(
    browser, settings: BotSettings, sandbox: Sandbox, faults
) -> None:
    faults("erp", latency_ms=1500)
    impatient = settings.model_copy(update={"bot_timeout_ms": 700})
    bot = ErpBot(browser, impatient, Credential("ERP", "robot", PASSWORD))
    with pytest.raises(ApplicationError) as caught:
        bot.enter_invoice(three_line_invoice(), item_key="item-timeout")
    assert caught.value.code == "ERP_TIMEOUT"


def test_every_request_failing_is_erp_unavailable(
    erp_bot: ErpBot, sandbox: Sandbox, faults
) -> None:
    faults("erp", error_rate=1.0)
    record = three_line_invoice()
    with pytest.raises(ApplicationError) as caught:
        erp_bot.enter_invoice(record, item_key="item-down")
    assert caught.value.code == "ERP_UNAVAILABLE"
    assert "3 times" in caught.value.message
    assert invoices_numbered(sandbox, record.invoice_number) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_some_server_errors_end_in_an_entry_or_erp_unavailable(
    erp_bot: ErpBot, sandbox: Sandbox, faults, seed: int
) -> None:
    faults("erp", error_rate=0.06, seed=seed)
    record = three_line_invoice()
    try:
        result = erp_bot.enter_invoice(record, item_key=f"item-flaky-{seed}")
    except ApplicationError as exc:
        assert exc.code == "ERP_UNAVAILABLE"
        assert len(invoices_numbered(sandbox, record.invoice_number)) <= 1
    else:
        assert_entered(sandbox, record, result.document_number, f"item-flaky-{seed}")


def test_session_ending_at_every_request_is_session_lost(
    erp_bot: ErpBot, sandbox: Sandbox, faults
) -> None:
    faults("erp", session_expiry_rate=1.0)
    record = three_line_invoice()
    with pytest.raises(ApplicationError) as caught:
        erp_bot.enter_invoice(record, item_key="item-nosession")
    assert caught.value.code == "SESSION_LOST"
    assert invoices_numbered(sandbox, record.invoice_number) == []


def test_early_session_expiry_is_survived_by_signing_in_again(
    erp_bot: ErpBot, sandbox: Sandbox, faults, caplog: pytest.LogCaptureFixture
) -> None:
    recovered = 0
    for seed in range(1, 9):
        faults("erp", session_expiry_rate=0.08, seed=seed)
        record = three_line_invoice()
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="clerk.bots"):
            try:
                result = erp_bot.enter_invoice(record, item_key=f"item-expiry-{seed}")
            except ApplicationError as exc:
                assert exc.code == "SESSION_LOST"
                assert len(invoices_numbered(sandbox, record.invoice_number)) <= 1
                continue
        assert_entered(sandbox, record, result.document_number, f"item-expiry-{seed}")
        if "session lost; signing in again" in caplog.text:
            recovered += 1
        if recovered >= 1:
            break
    assert recovered >= 1, "no run lost its session and then finished the entry"


def test_cms_under_popups_and_second_layout(cms_bot, sandbox: Sandbox, faults) -> None:
    faults("cms", popup_rate=1.0, layout=2, latency_ms=50, seed=4)
    record = ProductRecord(
        sku=unique("SKU"), product_name="Stapler heavy duty", price=Decimal("24.5"),
        currency="EUR", stock=12, description="Staples up to 100 sheets.",
    )  # fmt: skip
    result = cms_bot.save_product_draft(record, item_key="cms-faults")
    drafts = [d for d in ledger(sandbox, "cms")["drafts"] if d["sku"] == record.sku]
    assert [d["draft_number"] for d in drafts] == [result.document_number]
    assert (drafts[0]["title"], drafts[0]["price"], drafts[0]["stock"]) == (
        "Stapler heavy duty",
        "24.50",
        12,
    )


def test_a_save_whose_answer_is_lost_is_found_again_not_doubled(
    erp_bot: ErpBot, cms_bot, sandbox: Sandbox, faults
) -> None:
    # Every save commits and then answers 500: the retry's search finds this item's own
    # document (or draft) and returns it instead of entering it twice.
    faults("erp", lost_reply_rate=1.0)
    record = three_line_invoice()
    result = erp_bot.enter_invoice(record, item_key="item-lost-reply")
    assert not result.created
    assert_entered(sandbox, record, result.document_number, "item-lost-reply")

    faults("cms", lost_reply_rate=1.0)
    product = ProductRecord(
        sku=unique("SKU"), product_name="Paper clips 100", price=Decimal("1.2"),
        currency="EUR", stock=500, description=None,
    )  # fmt: skip
    saved = cms_bot.save_product_draft(product, item_key="cms-lost-reply")
    drafts = [d for d in ledger(sandbox, "cms")["drafts"] if d["sku"] == product.sku]
    assert [d["draft_number"] for d in drafts] == [saved.document_number]
    assert not saved.created and drafts[0]["note"] == "clerk item cms-lost-reply"
