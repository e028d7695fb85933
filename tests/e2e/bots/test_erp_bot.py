"""ErpBot end to end against the sandbox ERP in Debian's chromium."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clerk.errors import ApplicationError, BusinessError
from robots.bots import ErpBot, PurchaseOrderRecord, artifacts_of
from sandbox.server import Sandbox
from tests.e2e.bots.conftest import (
    assert_entered,
    invoices_numbered,
    ledger,
    three_line_invoice,
    unique,
)

pytestmark = pytest.mark.browser


def test_three_line_invoice_is_entered_field_by_field(erp_bot: ErpBot, sandbox: Sandbox) -> None:
    record = three_line_invoice()
    result = erp_bot.enter_invoice(record, item_key="item-3lines")
    assert result.created
    assert result.document_number.startswith("INV-")
    assert_entered(sandbox, record, result.document_number, "item-3lines")
    assert erp_bot.last_artifacts is None


def test_rerun_of_the_same_item_returns_the_same_document(
    erp_bot: ErpBot, sandbox: Sandbox
) -> None:
    record = three_line_invoice()
    first = erp_bot.enter_invoice(record, item_key="item-again")
    second = erp_bot.enter_invoice(record, item_key="item-again")
    assert (second.document_number, second.created) == (first.document_number, False)
    assert len(invoices_numbered(sandbox, record.invoice_number)) == 1


def test_another_item_with_the_same_vendor_and_number_is_a_duplicate(
    erp_bot: ErpBot, sandbox: Sandbox
) -> None:
    record = three_line_invoice()
    first = erp_bot.enter_invoice(record, item_key="item-original")
    with pytest.raises(BusinessError) as caught:
        erp_bot.enter_invoice(record, item_key="item-copy")
    assert caught.value.code == "DUPLICATE"
    assert first.document_number in caught.value.message
    assert len(invoices_numbered(sandbox, record.invoice_number)) == 1


def test_invoice_already_in_the_erp_history_is_a_duplicate(erp_bot: ErpBot) -> None:
    record = three_line_invoice(
        "AC-2025-0042", vendor_name="Acme Office Supplies GmbH", vendor_vat_id="DE129274202"
    )
    with pytest.raises(BusinessError) as caught:
        erp_bot.enter_invoice(record, item_key="item-history")
    assert caught.value.code == "DUPLICATE"


def test_unknown_vendor(erp_bot: ErpBot, sandbox: Sandbox) -> None:
    record = three_line_invoice(vendor_name="Nobody Trading Ltd", vendor_vat_id="GB999999973")
    with pytest.raises(BusinessError) as caught:
        erp_bot.enter_invoice(record, item_key="item-unknown")
    assert caught.value.code == "UNKNOWN_VENDOR"
    assert "Nobody Trading Ltd" in caught.value.message
    assert invoices_numbered(sandbox, record.invoice_number) == []


def test_vendor_found_by_name_when_no_vat_id(erp_bot: ErpBot, sandbox: Sandbox) -> None:
    record = three_line_invoice(vendor_vat_id=None, vendor_name="nordlicht  papier ag")
    result = erp_bot.enter_invoice(record, item_key="item-byname")
    assert invoices_numbered(sandbox, record.invoice_number)[0]["vendor_number"] == "10002"
    assert result.created


def test_validation_messages_surface_as_erp_validation(erp_bot: ErpBot, sandbox: Sandbox) -> None:
    record = three_line_invoice(total_amount=Decimal("999.99"))
    with pytest.raises(BusinessError) as caught:
        erp_bot.enter_invoice(record, item_key="item-badtotal")
    assert caught.value.code == "ERP_VALIDATION"
    assert "Totals do not add up: net 177.90 + tax 33.80 = 211.70, but the total is 999.99" in (
        caught.value.message
    )
    artifacts = artifacts_of(caught.value)
    assert artifacts is not None and artifacts.screenshot is not None
    assert artifacts.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert artifacts.traces and artifacts.traces[-1].stat().st_size > 0
    assert invoices_numbered(sandbox, record.invoice_number) == []


def _trace_events(path: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read("trace.trace").decode()
    return [json.loads(line) for line in text.splitlines() if line]


def test_a_failure_keeps_the_actions_and_the_dom_of_the_failed_screen(erp_bot: ErpBot) -> None:
    record = three_line_invoice(net_amount=Decimal("170.00"))
    with pytest.raises(BusinessError) as caught:
        erp_bot.enter_invoice(record, item_key="item-traced")
    artifacts = artifacts_of(caught.value)
    assert artifacts is not None
    actions, screen = artifacts.traces
    # Every action of the entry, with its values, and no per-action DOM snapshots.
    events = _trace_events(actions)
    fills = [e["params"].get("value") for e in events if e.get("method") == "fill"]
    assert record.invoice_number in fills and "170.00" in fills
    assert not [e for e in events if e["type"] == "frame-snapshot"]
    # The screen it failed on, every frame of it: the shell, the menu and the form.
    snapshots = [e["snapshot"] for e in _trace_events(screen) if e["type"] == "frame-snapshot"]
    urls = {s["frameUrl"].rsplit("/", 1)[-1] for s in snapshots}
    assert {"main", "menu", "new"} <= urls, urls
    assert any("does not equal the sum of the lines" in json.dumps(s["html"]) for s in snapshots)


def purchase_order(**changes: Any) -> PurchaseOrderRecord:
    """Three lines at 177.90 net, 8.1 % Swiss VAT on top."""
    values: dict[str, Any] = {
        "po_number": unique("PO"),
        "order_date": date(2026, 2, 14),
        "buyer_name": "Jana Weber",
        "vendor_name": "Helvetia Druck AG",
        "currency": "CHF",
        "net_amount": Decimal("177.90"),
        "tax_amount": Decimal("14.41"),
        "total_amount": Decimal("192.31"),
        "lines": three_line_invoice().lines,
    }
    values.update(changes)
    return PurchaseOrderRecord(**values)


def orders_numbered(sandbox: Sandbox, number: str) -> list[dict[str, Any]]:
    return [d for d in ledger(sandbox)["purchase_orders"] if d["reference"] == number]


def assert_po_entered(
    sandbox: Sandbox, record: PurchaseOrderRecord, document_number: str, vendor: str, key: str
) -> None:
    """The ledger holds exactly one order for the record, equal field by field."""
    [doc] = orders_numbered(sandbox, record.po_number)
    assert doc["document_number"] == document_number
    assert (doc["vendor_number"], doc["vendor_name"]) == (vendor, record.vendor_name)
    assert (doc["buyer"], doc["currency"]) == (record.buyer_name, record.currency)
    assert doc["doc_date"] == record.order_date.isoformat()
    assert Decimal(doc["net"]) == record.net_amount
    assert Decimal(doc["tax"]) == record.tax_amount
    assert Decimal(doc["total"]) == record.total_amount
    assert doc["note"] == f"clerk item {key}"
    assert len(doc["lines"]) == len(record.lines)
    for saved, meant in zip(doc["lines"], record.lines, strict=True):
        assert saved["description"] == meant.description
        assert Decimal(saved["quantity"]) == meant.quantity
        assert Decimal(saved["unit_price"]) == meant.unit_price
        assert Decimal(saved["amount"]) == meant.amount


def test_purchase_order_with_tax_is_entered_field_by_field(
    erp_bot: ErpBot, sandbox: Sandbox
) -> None:
    record = purchase_order()
    result = erp_bot.enter_purchase_order(record, item_key="po-1")
    assert result.created and result.document_number.startswith("PO-")
    assert_po_entered(sandbox, record, result.document_number, "10005", "po-1")
    again = erp_bot.enter_purchase_order(record, item_key="po-1")
    assert (again.document_number, again.created) == (result.document_number, False)
    assert len(orders_numbered(sandbox, record.po_number)) == 1


def test_purchase_order_totals_that_do_not_add_up_are_erp_validation(
    erp_bot: ErpBot, sandbox: Sandbox
) -> None:
    record = purchase_order(total_amount=Decimal("200.00"))
    with pytest.raises(BusinessError) as caught:
        erp_bot.enter_purchase_order(record, item_key="po-badtotal")
    assert caught.value.code == "ERP_VALIDATION"
    assert "Totals do not add up: net 177.90 + tax 14.41 = 192.31, but the total is 200.00" in (
        caught.value.message
    )
    assert orders_numbered(sandbox, record.po_number) == []


def test_wrong_password_is_login_failed_without_the_password(
    browser, settings, sandbox: Sandbox
) -> None:
    from robots.credentials import Credential

    bot = ErpBot(browser, settings, Credential("ERP", "robot", "not-the-password-42"))
    with pytest.raises(ApplicationError) as caught:
        bot.enter_invoice(three_line_invoice(), item_key="item-badlogin")
    assert caught.value.code == "LOGIN_FAILED"
    assert "not-the-password-42" not in str(caught.value)


def test_vendor_popup_returns_the_choice_into_the_opener_form(
    browser, settings, sandbox: Sandbox
) -> None:
    from robots.bots._erp_shell import ErpShell
    from robots.bots._invoice_entry import InvoiceEntry
    from robots.bots._login_page import LoginPage
    from robots.bots._vendor_popup import VendorPopup
    from robots.credentials import Credential
    from tests.e2e.bots.conftest import PASSWORD

    context = browser.new_context(8000)
    try:
        page = context.new_page()
        shell = ErpShell(page, sandbox.erp.url)
        LoginPage(page, sandbox.erp.url, "ERP", shell.landing).sign_in(
            Credential("ERP", "robot", PASSWORD)
        )
        content = shell.open("Enter invoice", InvoiceEntry.HEADING)
        choice = VendorPopup(context, content).choose("Kappa Elektronik GmbH", None)
        assert choice.number == "10009"
        assert content.get_by_label("Vendor no.").input_value() == "10009"
        assert content.get_by_test_id("vendor-name").inner_text() == "Kappa Elektronik GmbH"
        assert len(context.pages) == 1  # the popup closed itself
    finally:
        context.close()


def test_purchase_order_in_the_second_layout(erp_bot: ErpBot, sandbox: Sandbox, faults) -> None:
    faults("erp", layout=2)
    lines = three_line_invoice().lines[:2]
    record = purchase_order(
        order_date=date(2026, 5, 4), buyer_name="Ola Nordmann", vendor_name="Stahlwerk Süd KG",
        currency="EUR", net_amount=Decimal("147.95"), tax_amount=Decimal("28.11"),
        total_amount=Decimal("176.06"), lines=lines,
    )  # fmt: skip
    result = erp_bot.enter_purchase_order(record, item_key="po-layout2")
    assert_po_entered(sandbox, record, result.document_number, "10012", "po-layout2")
