"""One sandbox (ERP + CMS on free loopback ports, temp SQLite) and one Debian chromium
for the session; each bot call makes its own context. Faults are reset after each test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from robots.bots import BotSettings, Browser, CmsBot, ErpBot, InvoiceRecord, LineRecord
from robots.credentials import Credential
from sandbox.faults import read_ledger, set_faults
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings

ADMIN = "test-admin-token"
PASSWORD = "S3cret-pa55word-xyzzy"


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    folder = tmp_path_factory.mktemp("sandbox")
    settings = SandboxSettings(
        erp_db=folder / "erp.sqlite3",
        cms_db=folder / "cms.sqlite3",
        admin_token=ADMIN,
        password=PASSWORD,
    )
    running = Sandbox.start(settings, free_ports=True)
    yield running
    running.stop()


# Per module, not per session: a live sync Playwright keeps an asyncio loop running
# in the main thread, which breaks every later test that calls asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as shared:
        yield shared


@pytest.fixture()
def settings(sandbox: Sandbox, tmp_path: Path) -> BotSettings:
    return BotSettings(
        erp_url=sandbox.erp.url,
        cms_url=sandbox.cms.url,
        bot_artifacts_dir=tmp_path / "artifacts",
        bot_timeout_ms=8000,
    )


@pytest.fixture()
def faults(sandbox: Sandbox) -> Iterator[Any]:
    """``faults(erp=..., cms=...)`` sets faults; all are cleared after the test."""

    def apply(app: str = "erp", **values: Any) -> None:
        set_faults(getattr(sandbox, app).url, ADMIN, **values)

    yield apply
    set_faults(sandbox.erp.url, ADMIN)
    set_faults(sandbox.cms.url, ADMIN)


@pytest.fixture()
def erp_bot(browser: Browser, settings: BotSettings) -> ErpBot:
    return ErpBot(browser, settings, Credential("ERP", "robot", PASSWORD))


@pytest.fixture()
def cms_bot(browser: Browser, settings: BotSettings) -> CmsBot:
    return CmsBot(browser, settings, Credential("CMS", "robot", PASSWORD))


def ledger(sandbox: Sandbox, app: str = "erp") -> dict[str, Any]:
    return read_ledger(getattr(sandbox, app).url, ADMIN)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


def three_line_invoice(number: str | None = None, **changes: Any) -> InvoiceRecord:
    values: dict[str, Any] = {
        "vendor_name": "Nordlicht Papier AG",
        "vendor_vat_id": "DE 811 569 869",
        "invoice_number": number or unique("INV"),
        "issue_date": date(2026, 3, 2),
        "due_date": date(2026, 4, 1),
        "currency": "EUR",
        "net_amount": Decimal("177.90"),
        "tax_amount": Decimal("33.80"),
        "total_amount": Decimal("211.70"),
        "po_number": "PO-7781",
        "lines": (
            LineRecord(
                "A4 copy paper, 500 sheets", Decimal("5"), Decimal("4.99"), Decimal("24.95")
            ),
            LineRecord("Toner cartridge black", Decimal("2"), Decimal("61.50"), Decimal("123.00")),
            LineRecord("Desk lamp LED", Decimal("1.5"), Decimal("19.97"), Decimal("29.95")),
        ),
    }
    values.update(changes)
    return InvoiceRecord(**values)


def invoices_numbered(sandbox: Sandbox, number: str) -> list[dict[str, Any]]:
    return [d for d in ledger(sandbox)["invoices"] if d["reference"] == number]


def assert_entered(
    sandbox: Sandbox, record: InvoiceRecord, document_number: str, item_key: str
) -> None:
    """The ledger holds exactly one document for the invoice, equal field by field."""
    found = invoices_numbered(sandbox, record.invoice_number)
    assert len(found) == 1, found
    assert_document(found[0], record, document_number, item_key)


def assert_document(
    doc: dict[str, Any], record: InvoiceRecord, document_number: str, item_key: str,
    vendor: tuple[str, str] = ("10002", "Nordlicht Papier AG"),
) -> None:  # fmt: skip
    """One ledger document equals the invoice meant, field by field."""
    assert doc["document_number"] == document_number
    assert (doc["vendor_number"], doc["vendor_name"]) == vendor
    assert doc["reference"] == record.invoice_number
    assert doc["doc_date"] == record.issue_date.isoformat()
    assert doc["due_date"] == (record.due_date.isoformat() if record.due_date else "")
    assert doc["currency"] == record.currency
    assert Decimal(doc["net"]) == record.net_amount
    assert Decimal(doc["tax"]) == record.tax_amount
    assert Decimal(doc["total"]) == record.total_amount
    assert doc["po_reference"] == (record.po_number or "")
    assert doc["note"] == f"clerk item {item_key}"
    assert len(doc["lines"]) == len(record.lines)
    for saved, meant in zip(doc["lines"], record.lines, strict=True):
        assert saved["description"] == meant.description
        assert Decimal(saved["quantity"]) == meant.quantity
        assert Decimal(saved["unit_price"]) == meant.unit_price
        assert Decimal(saved["amount"]) == meant.amount
