"""DesktopErpBot under the desktop client's run-time faults: every entry ends in the
ledger once, equal field by field, or with the right typed error and nothing entered."""

from __future__ import annotations

import pytest

from clerk.errors import ApplicationError
from robots.bots import BotSettings
from robots.bots.desktop import DesktopErpBot
from robots.credentials import Credential
from sandbox.settings import SandboxSettings
from tests.e2e.bots.conftest import PASSWORD, assert_document, three_line_invoice
from tests.e2e.bots.desktop.conftest import numbered, screenshot_of

pytestmark = pytest.mark.desktop


def _entered(bot: DesktopErpBot, settings: SandboxSettings, key: str) -> None:
    record = three_line_invoice()
    result = bot.enter_invoice(record, item_key=key)
    [doc] = numbered(settings, record.invoice_number)
    assert_document(doc, record, result.document_number, key)


def test_slow_dialogs(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, desktop_faults
) -> None:
    desktop_faults(slow_dialog_ms=400)
    _entered(desktop_bot, desktop_erp, "f-slow")


def test_dialogs_slower_than_the_timeout_are_erp_timeout(
    desktop_erp: SandboxSettings, desktop_settings: BotSettings, desktop_faults
) -> None:
    impatient = desktop_settings.model_copy(update={"bot_timeout_ms": 1000})
    desktop_faults(slow_dialog_ms=2500)
    record = three_line_invoice()
    bot = DesktopErpBot(impatient, Credential("ERP", "robot", PASSWORD))
    with bot, pytest.raises(ApplicationError) as caught:
        bot.enter_invoice(record, item_key="f-timeout")
    assert caught.value.code == "ERP_TIMEOUT"
    screenshot_of(caught.value)
    assert numbered(desktop_erp, record.invoice_number) == []


def test_a_system_message_before_every_window(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, desktop_faults
) -> None:
    _entered(desktop_bot, desktop_erp, "f-popups-first")  # signed in: its windows count not
    desktop_faults(popup_rate=1.0, seed=3)
    before = desktop_bot.desk.notices
    _entered(desktop_bot, desktop_erp, "f-popups")
    assert desktop_bot.desk.notices - before == 5  # lookup, find, form, saved, read-back


def test_the_second_layout_and_back(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, desktop_faults
) -> None:
    desktop_faults(layout=2)
    _entered(desktop_bot, desktop_erp, "f-layout2")
    desktop_faults(layout=1)
    _entered(desktop_bot, desktop_erp, "f-layout1")
    assert len(desktop_bot.maps) >= 2  # one map per layout, each read once by OCR


# With every entry crashing, the seed decides where (the client's RNG starts from the
# seed again in each new client): seed 1 in the grid, each time (the entry is lost);
# seed 2 right after saving (the invoice is in; the retry finds it).
def test_a_client_crashing_in_every_entry_is_erp_unavailable_with_nothing_entered(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, desktop_faults
) -> None:
    desktop_faults(crash_rate=1.0, seed=1)
    crashes = desktop_bot.crashes
    record = three_line_invoice()
    with pytest.raises(ApplicationError) as caught:
        desktop_bot.enter_invoice(record, item_key="f-crash-grid")
    assert caught.value.code == "ERP_UNAVAILABLE"
    assert "ended 3 times" in caught.value.message
    screenshot_of(caught.value)
    assert numbered(desktop_erp, record.invoice_number) == []
    assert desktop_bot.crashes - crashes == 3


def test_a_client_crashing_right_after_saving_leaves_one_entry_found_by_the_retry(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, desktop_faults
) -> None:
    desktop_faults(crash_rate=1.0, seed=2)
    crashes = desktop_bot.crashes
    record = three_line_invoice()
    result = desktop_bot.enter_invoice(record, item_key="f-crash-saved")
    assert not result.created
    [doc] = numbered(desktop_erp, record.invoice_number)
    assert_document(doc, record, result.document_number, "f-crash-saved")
    assert desktop_bot.crashes - crashes == 1


def test_some_crashes_and_messages_together(
    desktop_bot: DesktopErpBot, desktop_erp: SandboxSettings, desktop_faults
) -> None:
    desktop_faults(crash_rate=0.3, popup_rate=0.3, slow_dialog_ms=50, seed=11)
    for i in range(4):
        record = three_line_invoice()
        try:
            result = desktop_bot.enter_invoice(record, item_key=f"f-mixed-{i}")
        except ApplicationError as exc:
            assert exc.code == "ERP_UNAVAILABLE"
            assert numbered(desktop_erp, record.invoice_number) == []
            continue
        [doc] = numbered(desktop_erp, record.invoice_number)
        assert_document(doc, record, result.document_number, f"f-mixed-{i}")
