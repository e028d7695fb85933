"""DesktopErpBot against the desktop ERP client under Xvfb: entries checked in the
ledger field by field, idempotent retries, and typed failures with a screenshot."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import pytest

from clerk.errors import ApplicationError, BusinessError
from robots.bots import BotSettings, LineRecord, PurchaseOrderRecord
from robots.bots.desktop import DesktopErpBot
from robots.credentials import Credential
from sandbox.settings import SandboxSettings
from tests.e2e.bots.conftest import PASSWORD, assert_document, three_line_invoice
from tests.e2e.bots.desktop.conftest import numbered, screenshot_of

pytestmark = pytest.mark.desktop


def test_enters_an_invoice_and_reads_it_back(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    record = three_line_invoice()
    result = desktop_bot.enter_invoice(record, item_key="d-item-1")
    assert result.created
    [doc] = numbered(desktop_erp, record.invoice_number)
    assert_document(doc, record, result.document_number, "d-item-1")


def test_a_retried_item_finds_its_own_entry(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    record = three_line_invoice()
    first = desktop_bot.enter_invoice(record, item_key="d-item-2")
    again = desktop_bot.enter_invoice(record, item_key="d-item-2")
    assert (again.document_number, again.created) == (first.document_number, False)
    assert len(numbered(desktop_erp, record.invoice_number)) == 1


def test_the_same_invoice_from_another_item_is_a_duplicate(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    record = three_line_invoice()
    desktop_bot.enter_invoice(record, item_key="d-item-3")
    with pytest.raises(BusinessError) as caught:
        desktop_bot.enter_invoice(record, item_key="d-item-4")
    assert caught.value.code == "DUPLICATE"
    screenshot_of(caught.value)
    assert len(numbered(desktop_erp, record.invoice_number)) == 1


def test_an_unknown_vendor_is_a_business_failure(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    record = three_line_invoice(vendor_name="Nobody Trading Ltd", vendor_vat_id="GB000000000")
    with pytest.raises(BusinessError) as caught:
        desktop_bot.enter_invoice(record, item_key="d-item-5")
    assert caught.value.code == "UNKNOWN_VENDOR"
    assert numbered(desktop_erp, record.invoice_number) == []


def test_a_refused_entry_is_erp_validation_and_the_next_one_goes_in(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    good = three_line_invoice()
    bad = three_line_invoice(total_amount=good.total_amount + Decimal("1.00"))
    with pytest.raises(BusinessError) as caught:
        desktop_bot.enter_invoice(bad, item_key="d-item-6")
    assert caught.value.code == "ERP_VALIDATION"
    assert "Totals do not add up" in caught.value.message
    screenshot_of(caught.value)
    assert numbered(desktop_erp, bad.invoice_number) == []
    result = desktop_bot.enter_invoice(good, item_key="d-item-7")
    [doc] = numbered(desktop_erp, good.invoice_number)
    assert_document(doc, good, result.document_number, "d-item-7")


def test_a_purchase_order_has_no_desktop_screen(desktop_bot: DesktopErpBot) -> None:
    order = PurchaseOrderRecord(
        "PO-1", date(2026, 3, 2), "Jane", "Nordlicht Papier AG", "EUR", Decimal("1"),
        Decimal("0"), Decimal("1"), (),
    )  # fmt: skip
    with pytest.raises(BusinessError) as caught:
        desktop_bot.enter_purchase_order(order, item_key="d-item-8")
    assert caught.value.code == "UNKNOWN_TYPE"


def test_a_wrong_password_is_login_failed(
    desktop_erp: SandboxSettings, desktop_settings: BotSettings
) -> None:
    bot = DesktopErpBot(desktop_settings, Credential("ERP", "robot", "not-the-password"))
    with bot, pytest.raises(ApplicationError) as caught:
        bot.enter_invoice(three_line_invoice(), item_key="d-item-9")
    assert caught.value.code == "LOGIN_FAILED"
    assert "twice" in caught.value.message
    assert "not-the-password" not in caught.value.message


def test_more_lines_than_the_grid_shows(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    lines = tuple(
        LineRecord(f"Item {i}", Decimal("1"), Decimal("10.00"), Decimal("10.00")) for i in range(9)
    )
    record = three_line_invoice(
        lines=lines, net_amount=Decimal("90.00"), tax_amount=Decimal("17.10"),
        total_amount=Decimal("107.10"),
    )  # fmt: skip
    result = desktop_bot.enter_invoice(record, item_key="d-item-10")
    [doc] = numbered(desktop_erp, record.invoice_number)
    assert_document(doc, record, result.document_number, "d-item-10")


def test_two_bots_on_one_display_take_turns(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, desktop_settings: BotSettings
) -> None:
    # A worker running two desktop robots at once: two clients on one display, each bot
    # driving only its own client's windows (by pid), one item at a time (the lock).
    from concurrent.futures import ThreadPoolExecutor

    records = [three_line_invoice() for _ in range(4)]

    def enter(bot: DesktopErpBot, start: int) -> list[str]:
        return [
            bot.enter_invoice(records[i], item_key=f"d-two-{i}").document_number
            for i in (start, start + 2)
        ]

    other = DesktopErpBot(desktop_settings, Credential("ERP", "robot", PASSWORD))
    with other, ThreadPoolExecutor(2) as pool:
        first, second = pool.submit(enter, desktop_bot, 0), pool.submit(enter, other, 1)
        numbers = {0: first.result()[0], 2: first.result()[1]}
        numbers |= {1: second.result()[0], 3: second.result()[1]}
    for i, record in enumerate(records):
        [doc] = numbered(desktop_erp, record.invoice_number)
        assert_document(doc, record, numbers[i], f"d-two-{i}")


def test_text_beyond_ascii_is_typed_as_it_is(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    record = three_line_invoice(
        lines=(
            LineRecord("Écran 27\" – Müller & Søn, 5 € / Stück", Decimal("1"),
                       Decimal("177.90"), Decimal("177.90")),
        ),
    )  # fmt: skip
    result = desktop_bot.enter_invoice(record, item_key="d-item-11")
    [doc] = numbered(desktop_erp, record.invoice_number)
    assert_document(doc, record, result.document_number, "d-item-11")


def test_an_earlier_attempt_s_entry_counts_only_if_it_reads_back_right(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings
) -> None:
    from sandbox._erp_store import ErpStore

    record = three_line_invoice()
    first = desktop_bot.enter_invoice(record, item_key="d-item-12")
    store = ErpStore(desktop_erp.erp_db_path(), desktop_erp.samples_dir)
    with store.connect() as db:  # someone changed it in the ERP since
        db.execute(
            "UPDATE documents SET total = '999.00' WHERE document_number = ?",
            (first.document_number,),
        )
    with pytest.raises(ApplicationError) as caught:
        desktop_bot.enter_invoice(record, item_key="d-item-12")
    assert caught.value.code == "ENTRY_MISMATCH"
    assert "Total '999.00'" in caught.value.message
    assert len(numbered(desktop_erp, record.invoice_number)) == 1


def test_keys_typed_into_a_window_just_shown_all_arrive(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, caplog: pytest.LogCaptureFixture
) -> None:
    # Keys sent before the client gave its new window the keyboard were lost (its
    # searches then echoed "69869" for "DE811569869" and were made again, three times
    # in a row under load): each search window must take its query the first time.
    caplog.set_level(logging.INFO, logger="clerk.bots.desktop")
    records = [three_line_invoice() for _ in range(3)]
    for i, record in enumerate(records):
        result = desktop_bot.enter_invoice(record, item_key=f"d-keys-{i}")
        [doc] = numbered(desktop_erp, record.invoice_number)
        assert_document(doc, record, result.document_number, f"d-keys-{i}")
    assert "searching again" not in caplog.text
