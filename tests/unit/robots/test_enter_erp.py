"""Enter ERP and Publish CMS: the robots, a real Control Room, the sandbox and chromium.

Items carry the samples' ground truth as their understanding, so these tests do not
depend on the models; the sandbox ledger is then checked field by field.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clerk.payloads import ItemPayload
from controlroom.db import transaction
from controlroom.services import items as item_service
from controlroom.services.runs import InputSpec
from robots.credentials import forget, store
from sandbox.faults import read_ledger, set_faults
from sandbox.server import Sandbox
from sandbox.settings import SandboxSettings
from tests.unit.robots.ground_truth import ROOT, assert_erp_matches, payload_of_truth, truth
from tests.unit.robots.robot_steps import Room, payload_of, room_fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ADMIN = "robots-test-admin"
room = pytest.fixture(scope="module")(room_fixture)


@pytest.fixture(scope="module")
def sandbox(room: Room) -> Iterator[tuple[Sandbox, dict[str, str]]]:
    folder = room.home / "sandbox"
    password = secrets.token_urlsafe(12)
    running = Sandbox.start(
        SandboxSettings(erp_db=folder / "erp.sqlite3", cms_db=folder / "cms.sqlite3",
                        admin_token=ADMIN, password=password),
        free_ports=True,
    )  # fmt: skip
    env = {
        "CLERK_ERP_URL": running.erp.url,
        "CLERK_CMS_URL": running.cms.url,
        "CLERK_VAULT_FILE": str(room.home / "vault.cfg"),
        "CLERK_VAULT_KEY": secrets.token_urlsafe(24),
        "CLERK_BOT_ARTIFACTS_DIR": str(room.home / "artifacts"),
        "CLERK_BOT_TIMEOUT_MS": "8000",
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        for system in ("ERP", "CMS"):
            store(system, "robot", password)
        forget()
    yield running, env
    running.stop()


def with_file(name: str, payload: dict[str, Any]) -> InputSpec:
    return InputSpec(payload, ((name, (ROOT / "inbox" / name).read_bytes()),))


def erp_docs(sandbox: Sandbox) -> list[dict[str, Any]]:
    ledger = read_ledger(sandbox.erp.url, ADMIN)
    return [*ledger["invoices"], *ledger["purchase_orders"]]


def test_invoices_and_orders_are_entered_and_others_passed_on(
    room: Room, sandbox: tuple[Sandbox, dict[str, str]]
) -> None:
    app, env = sandbox
    names = ["invoice_en.pdf", "purchase_order_de.pdf", "receipt_fr.pdf"]
    process = room.process("Enter ERP")
    # The order carries net, tax and total, as printed: all three go into the ERP.
    run = room.start(process, [with_file(n, payload_of_truth(n)) for n in names])
    room.run_step(run, "Enter ERP", env)

    inputs = room.inputs(run)
    assert [i.state for i in inputs] == ["COMPLETED"] * 3, [i.exception_message for i in inputs]
    outputs = {payload_of(o)["document"]["name"]: ItemPayload.parse(payload_of(o))
               for o in room.outputs(run)}  # fmt: skip
    assert sorted(outputs) == sorted(names)
    assert outputs["receipt_fr.pdf"].entry is None
    docs = {d["document_number"]: d for d in erp_docs(app)}
    for name, item in zip(names[:2], inputs[:2], strict=True):
        entry = outputs[name].entry
        assert entry is not None and entry.system == "erp" and entry.created
        assert_erp_matches(docs[entry.document_number], truth(name)["fields"], item.id)
    assert len([d for d in docs.values() if d["note"].endswith(tuple(i.id for i in inputs))]) == 2


def test_a_failed_entry_keeps_its_screenshot_and_a_retry_enters_once(
    room: Room, sandbox: tuple[Sandbox, dict[str, str]]
) -> None:
    app, env = sandbox
    process = room.process("Enter ERP")
    unknown = payload_of_truth(
        "rechnung_de.pdf", vendor_name="Nobody Known Handels GmbH", vendor_vat_id=None
    )
    run = room.start(
        process,
        [with_file("rechnung_de.pdf", unknown), with_file("facture_fr.pdf",
                                                          payload_of_truth("facture_fr.pdf"))],
    )  # fmt: skip
    room.run_step(run, "Enter ERP", env)
    vendorless, entered = room.inputs(run)
    assert (vendorless.state, vendorless.exception_type, vendorless.exception_code) == (
        "FAILED", "BUSINESS", "UNKNOWN_VENDOR"
    )  # fmt: skip
    assert any(n.endswith(".png") for n in room.files(vendorless.id)), "screenshot attached"
    assert entered.state == "COMPLETED", entered.exception_message

    # The ERP answers 500 to everything: APPLICATION, with the failure's files attached.
    # An invoice number of its own: an invoice another test of this module entered first
    # would be a DUPLICATE "entered by someone else" (it once failed so with 9564939).
    name = "scan_invoice_de.png"
    values = {**truth(name)["fields"], "invoice_number": f"RETRY-{secrets.token_hex(4)}"}
    down = room.start(
        process, [with_file(name, payload_of_truth(name, invoice_number=values["invoice_number"]))]
    )
    set_faults(app.erp.url, ADMIN, error_rate=1.0)
    try:
        room.run_step(down, "Enter ERP", env)
    finally:
        set_faults(app.erp.url, ADMIN)
    [item] = room.inputs(down)
    assert (item.state, item.exception_type, item.exception_code) == (
        "FAILED", "APPLICATION", "ERP_UNAVAILABLE"
    )  # fmt: skip
    assert room.files(item.id), "screenshot and trace attached"
    before = len(erp_docs(app))
    with transaction(room.sessions) as s:
        item_service.retry(s, room.workspace_id, item.id, actor="test", reason="ERP is back")
    room.run_step(down, "Enter ERP", env)
    [item] = room.inputs(down)
    assert item.state == "COMPLETED", item.exception_message
    ours = [d for d in erp_docs(app) if d["note"] == f"clerk item {item.id}"]
    assert len(ours) == 1 and len(erp_docs(app)) == before + 1
    assert_erp_matches(ours[0], values, item.id)


def test_product_updates_become_cms_drafts_and_the_rest_completes(
    room: Room, sandbox: tuple[Sandbox, dict[str, str]]
) -> None:
    app, env = sandbox
    process = room.process("Publish CMS")
    run = room.start(
        process,
        [with_file("product_update_fr.pdf", payload_of_truth("product_update_fr.pdf")),
         InputSpec(payload_of_truth("receipt_fr.pdf"))],
    )  # fmt: skip
    room.run_step(run, "Publish CMS", env)
    product, receipt = room.inputs(run)
    assert product.state == receipt.state == "COMPLETED", product.exception_message
    entry = ItemPayload.parse(payload_of(product)).entry
    assert entry is not None and entry.system == "cms" and entry.created
    drafts = read_ledger(app.cms.url, ADMIN)["drafts"]
    [draft] = [d for d in drafts if d["draft_number"] == entry.document_number]
    fields = truth("product_update_fr.pdf")["fields"]
    assert draft["sku"] == fields["sku"] and draft["title"] == fields["product_name"]
    assert (
        Decimal(str(draft["price"])) == Decimal(fields["price"])
        and draft["note"] == f"clerk item {product.id}"
    )
    assert ItemPayload.parse(payload_of(receipt)).entry is None
    assert room.outputs(run) == []


def test_missing_credentials_fail_as_application_errors(
    room: Room, sandbox: tuple[Sandbox, dict[str, str]], tmp_path: Path
) -> None:
    _, env = sandbox
    process = room.process("Enter ERP")
    run = room.start(process, [with_file("invoice_en.pdf", payload_of_truth("invoice_en.pdf"))])
    room.run_step(run, "Enter ERP", {**env, "CLERK_VAULT_FILE": str(tmp_path / "none.cfg")})
    [item] = room.inputs(run)
    assert (item.state, item.exception_type, item.exception_code) == (
        "FAILED", "APPLICATION", "CREDENTIALS_MISSING"
    )  # fmt: skip
    assert "clerk credentials set ERP" in (item.exception_message or "")
