"""Credentials never reach traces, screenshots, logs or error messages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from clerk.errors import ClerkError
from robots.bots import BotSettings, ErpBot, artifacts_of
from robots.credentials import Credential
from sandbox.server import Sandbox
from tests.e2e.bots.conftest import PASSWORD, three_line_invoice

pytestmark = pytest.mark.browser


def _zip_text(path: Path) -> bytes:
    """Every member of a trace zip, decompressed (the zip bytes alone hide text)."""
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_failed_item_artifacts_never_hold_the_password(
    browser, settings: BotSettings, sandbox: Sandbox, faults, caplog: pytest.LogCaptureFixture
) -> None:
    # Sessions end early and the invoice cannot pass validation, so every run fails and
    # keeps its artifacts; the seeds are tried until one run had to sign in again in
    # the middle of its trace (two trace chunks around a second sign-in).
    bot = ErpBot(browser, settings, Credential("ERP", "robot", PASSWORD))
    bad = three_line_invoice(total_amount=three_line_invoice().total_amount + 1)
    secret = PASSWORD.encode()
    relogged = False
    for seed in range(1, 12):
        faults("erp", session_expiry_rate=0.15, seed=seed)
        with pytest.raises(ClerkError) as caught:
            bot.enter_invoice(bad, item_key=f"item-secret-{seed}")
        artifacts = artifacts_of(caught.value)
        assert artifacts is not None and artifacts.screenshot is not None
        assert secret not in artifacts.screenshot.read_bytes()
        for trace in artifacts.traces:
            assert secret not in trace.read_bytes()
            assert secret not in _zip_text(trace)
        assert PASSWORD not in str(caught.value)
        # Beside the failure screen's own trace: one chunk before and one after.
        if len([t for t in artifacts.traces if "failure-screen" not in t.name]) >= 2:
            relogged = True
            break
    assert relogged, "no seed made the bot sign in again in the middle of a trace"
    assert PASSWORD not in caplog.text


def test_trace_of_a_successful_run_with_a_failure_after_it(
    browser, settings: BotSettings, sandbox: Sandbox
) -> None:
    # A validation failure after a normal sign-in: the trace covers the whole entry.
    bot = ErpBot(browser, settings, Credential("ERP", "robot", PASSWORD))
    record = three_line_invoice(tax_amount=three_line_invoice().tax_amount + 1)
    with pytest.raises(ClerkError) as caught:
        bot.enter_invoice(record, item_key="item-secret-2")
    artifacts = artifacts_of(caught.value)
    assert artifacts is not None and artifacts.traces
    actions, screen = artifacts.traces
    assert record.invoice_number.encode() in _zip_text(actions)  # it recorded the entry
    assert b"Totals do not add up" in _zip_text(screen)  # the DOM of the failed screen
    for trace in (actions, screen):
        assert PASSWORD.encode() not in _zip_text(trace)
