"""The sandbox ERP and CMS over HTTP: sessions, CSRF, postbacks, faults, ledger."""

from __future__ import annotations

import html
import time

import httpx
import pytest
from pydantic import ValidationError

from sandbox.faults import read_ledger, set_faults
from sandbox.server import Sandbox
from tests.unit.sandbox.conftest import ADMIN, csrf_of, signed_in


def test_pages_need_a_session(apps: Sandbox) -> None:
    with httpx.Client(base_url=apps.erp.url) as client:
        response = client.get("/invoices/new")
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_wrong_password_is_refused(apps: Sandbox) -> None:
    with httpx.Client(base_url=apps.erp.url) as client:
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login", data={"csrf_token": token, "username": "robot", "password": "nope"}
        )
    assert response.status_code == 401 and "Invalid user name or password." in response.text


def test_post_without_valid_csrf_token_is_refused(apps: Sandbox) -> None:
    with signed_in(apps.erp.url) as client:
        before = len(read_ledger(apps.erp.url, ADMIN)["invoices"])
        form = {"action": "post", "vendor_no": "10001", "inv_no": "CSRF-1"}
        assert client.post("/invoices/new", data=form).status_code == 403
        assert (
            client.post("/invoices/new", data={**form, "csrf_token": "forged"}).status_code == 403
        )
        assert len(read_ledger(apps.erp.url, ADMIN)["invoices"]) == before


def test_add_line_posts_back_and_keeps_the_values(apps: Sandbox) -> None:
    with signed_in(apps.erp.url) as client:
        token = csrf_of(client.get("/invoices/new").text)
        response = client.post(
            "/invoices/new",
            data={"csrf_token": token, "action": "add_line", "rows": "1", "inv_no": "KEEP-7",
                  "line_desc_0": "Kept line"},
        )  # fmt: skip
    assert response.status_code == 200
    assert 'value="KEEP-7"' in response.text and 'value="Kept line"' in response.text
    assert 'aria-label="Description, line 2"' in response.text
    assert 'name="rows" value="2"' in response.text


def test_idle_timeout_sends_back_to_login(apps: Sandbox, faults) -> None:
    faults("erp", session_idle_seconds=0.2)
    with signed_in(apps.erp.url) as client:
        assert client.get("/frames/welcome").status_code == 200
        time.sleep(0.3)  # the server's clock, not a bot waiting for a screen
        response = client.get("/frames/welcome")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?expired=1"


def test_error_rate_is_reproducible_with_a_seed(apps: Sandbox, faults) -> None:
    def statuses() -> list[int]:
        faults("erp", error_rate=0.5, seed=42)
        with httpx.Client(base_url=apps.erp.url) as client:
            return [client.get("/login").status_code for _ in range(20)]

    first = statuses()
    assert set(first) == {200, 500}
    assert statuses() == first


def test_latency_popups_layout_and_session_expiry(apps: Sandbox, faults) -> None:
    faults("erp", latency_ms=150, popup_rate=1.0, layout=2, session_expiry_rate=0.0)
    with signed_in(apps.erp.url) as client:
        start = time.perf_counter()
        html = client.get("/invoices/new").text
        assert time.perf_counter() - start >= 0.15
    assert 'data-testid="system-message"' in html and 'role="dialog"' in html
    assert 'name="extDocRef"' in html and 'name="inv_no"' not in html
    assert html.index("Total amount") < html.index("Invoice number")  # other order
    faults("erp", session_expiry_rate=1.0)
    with signed_in(apps.erp.url) as client:
        response = client.get("/frames/welcome")
    assert response.headers["location"] == "/login?expired=1"


def test_admin_endpoints_need_the_token(apps: Sandbox) -> None:
    assert httpx.get(f"{apps.erp.url}/ledger").status_code == 401
    with pytest.raises(httpx.HTTPStatusError):
        set_faults(apps.cms.url, "wrong-token", latency_ms=1)
    with pytest.raises(ValidationError):
        set_faults(apps.erp.url, ADMIN, error_rate=2.0)
    response = httpx.put(
        f"{apps.erp.url}/admin/faults", json={"nonsense": 1}, headers={"X-Admin-Token": ADMIN}
    )
    assert response.status_code == 422


def test_cms_saves_a_draft_with_the_editor_html(apps: Sandbox) -> None:
    with signed_in(apps.cms.url) as client:
        page = client.get("/editor", params={"sku": "SKU-1001"}).text
        assert 'title="Description editor"' in page and "Bright white" in page
        response = client.post(
            "/editor",
            data={"csrf_token": csrf_of(page), "sku": "SKU-1001", "title": "Paper A4",
                  "price": "5", "currency": "EUR", "stock": "10", "note": "n1",
                  "description": "<p>Hi<script>x()</script></p>"},
        )  # fmt: skip
        assert response.status_code == 303
        draft = client.get(response.headers["location"]).text
    assert "Draft saved for review" in draft
    saved = read_ledger(apps.cms.url, ADMIN)["drafts"][-1]
    assert (saved["status"], saved["price"], saved["description"]) == (
        "draft",
        "5.00",
        "<p>Hix()</p>",
    )


def test_cms_validation(apps: Sandbox) -> None:
    with signed_in(apps.cms.url) as client:
        token = csrf_of(client.get("/editor").text)
        response = client.post(
            "/editor", data={"csrf_token": token, "sku": "x y", "title": "", "price": "abc",
                             "currency": "EUR", "stock": "1.5"},
        )  # fmt: skip
    assert response.status_code == 422
    for message in ("SKU 'x y' is invalid", "Title is required.", "Price 'abc'", "Stock '1.5'"):
        assert message in html.unescape(response.text)


def test_purchase_order_screen_checks_net_tax_total_and_shows_them(apps: Sandbox) -> None:
    with signed_in(apps.erp.url) as client:
        page = client.get("/po/new").text
        for label in ("Net amount", "Tax amount", "Order total"):
            assert f">{label}</label>" in page
        form = {"csrf_token": csrf_of(page), "action": "post", "rows": "1", "po_no": "PO-HTTP-1",
                "po_date": "14.02.2026", "buyer": "Jana Weber", "vendor_no": "10005",
                "currency": "CHF", "net": "20.00", "tax": "1.62", "total": "20.00",
                "line_desc_0": "Paper", "line_qty_0": "2", "line_price_0": "10",
                "line_amount_0": "20.00"}  # fmt: skip
        refused = client.post("/po/new", data=form)
        assert refused.status_code == 422
        assert 'class="errors" role="alert"' in refused.text
        assert (
            "Totals do not add up: net 20.00 + tax 1.62 = 21.62, but the total is 20.00."
            in html.unescape(refused.text)
        )
        saved = client.post("/po/new", data={**form, "total": "21.62"})
        assert saved.status_code == 303
        confirmation = client.get(saved.headers["location"]).text
    assert 'data-testid="document-number">PO-' in confirmation
    for testid, value in (("net", "20.00"), ("tax", "1.62"), ("total", "21.62")):
        assert f'data-testid="detail-{testid}">{value}<' in confirmation
    [doc] = [d for d in read_ledger(apps.erp.url, ADMIN)["purchase_orders"]
             if d["reference"] == "PO-HTTP-1"]  # fmt: skip
    assert (doc["net"], doc["tax"], doc["total"]) == ("20.00", "1.62", "21.62")
