"""The sandbox ERP and CMS over HTTP: sessions, CSRF, postbacks, faults, ledger."""

from __future__ import annotations

import html
import re
import time

import httpx
import pytest
from pydantic import ValidationError

from sandbox._erp_forms import fields_for, line_name
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


def test_cms_second_layout_renames_and_reorders_every_screen(apps: Sandbox, faults) -> None:
    v2 = {"sku": "prodCode", "title": "prodName", "price": "listPrice", "currency": "priceCur",
          "stock": "qtyOnHand", "note": "chgNote", "description": "bodyHtml"}  # fmt: skip

    def screens(layout: int) -> tuple[str, str, str]:
        """Catalogue, editor (reached by the catalogue's link) and the saved draft page."""
        with signed_in(apps.cms.url) as client:
            catalogue = client.get("/products").text
            link = re.search(r'href="(/editor\?[^"]+)" aria-label="Edit SKU-1002"', catalogue)
            assert link, catalogue[:800]
            editor = client.get(html.unescape(link.group(1))).text
            values = {
                "sku": "SKU-1002",
                "title": "Pens",
                "price": "3.49",
                "currency": "EUR",
                "stock": "8",
                "note": f"layout {layout}",
                "description": "<p>Blue</p>",
            }
            form = {(v2[k] if layout == 2 else k): v for k, v in values.items()}
            saved = client.post(
                "/editor", data={**form, "csrf_token": csrf_of(editor), "layout": str(layout)}
            )
            assert saved.status_code == 303, saved.text
            draft = client.get(saved.headers["location"]).text
        return catalogue, editor, draft

    catalogue, editor, draft = screens(1)
    faults("cms", layout=2)
    catalogue2, editor2, draft2 = screens(2)
    # The same labels and test ids; other ids, names and order.
    assert "Ballpoint pen, blue" in editor and "Ballpoint pen, blue" in editor2
    assert 'href="/editor?sku=SKU-1002"' in catalogue and "?prodCode=SKU-1002" in catalogue2
    assert 'id="gvProducts"' in catalogue2 and 'id="gvProducts"' not in catalogue
    assert 'data-testid="draft-row-note">layout 1<' in catalogue2
    assert catalogue.index("Product catalogue") < catalogue.index("Drafts awaiting review")
    assert catalogue2.index("Drafts awaiting review") < catalogue2.index("Product catalogue")
    assert 'name="prodCode"' in editor2 and 'name="sku"' not in editor2
    assert 'id="p_sku"' in editor and 'id="xprodCode"' in editor2
    assert editor.index(">SKU</label>") < editor.index(">Stock</label>")
    assert editor2.index(">Stock</label>") < editor2.index(">SKU</label>")
    assert editor.index("Description editor") > editor.index(">Change note</label>")
    assert editor2.index("Description editor") < editor2.index(">SKU</label>")
    for page, layout in ((draft, 1), (draft2, 2)):
        assert 'data-testid="draft-sku">SKU-1002<' in page
        assert f'data-testid="draft-note">layout {layout}<' in page
    assert draft.index('data-testid="draft-sku"') < draft.index('data-testid="draft-note"')
    assert draft2.index('data-testid="draft-note"') < draft2.index('data-testid="draft-sku"')
    assert 'id="dvDraft"' in draft2 and 'id="dvDraft"' not in draft
    saved = [d for d in read_ledger(apps.cms.url, ADMIN)["drafts"] if d["sku"] == "SKU-1002"]
    assert [(d["note"], d["stock"]) for d in saved[-2:]] == [("layout 1", 8), ("layout 2", 8)]


def test_erp_second_layout_covers_the_confirmation_and_search_results(
    apps: Sandbox, faults
) -> None:
    def screens(layout: int) -> tuple[str, str]:
        """The confirmation of a new invoice, and the search result that finds it."""
        reference = f"LAYOUT-{layout}"
        with signed_in(apps.erp.url) as client:
            token = csrf_of(client.get("/invoices/new").text)
            header = {
                "vendor_no": "10002",
                "inv_no": reference,
                "inv_date": "02.03.2026",
                "currency": "EUR",
                "net": "20.00",
                "tax": "3.80",
                "total": "23.80",
            }
            names = {f.key: f.name(layout) for f in fields_for("invoice", layout)}
            form = {names[k]: v for k, v in header.items()}
            form.update(
                {
                    line_name(c, 0, layout): v
                    for c, v in (("desc", "Paper"), ("qty", "2"), ("price", "10"), ("amount", "20"))
                }
            )
            saved = client.post(
                "/invoices/new",
                data={**form, "csrf_token": token, "layout": str(layout), "rows": "1",
                      "action": "post"},
            )  # fmt: skip
            assert saved.status_code == 303, html.unescape(saved.text)
            confirmation = client.get(saved.headers["location"]).text
            found = client.post(
                "/search",
                data={"csrf_token": token, "kind": "invoice", "vendor_no": "10002",
                      "reference": reference},
            ).text  # fmt: skip
        return confirmation, found

    confirmation, found = screens(1)
    faults("erp", layout=2)
    confirmation2, found2 = screens(2)
    for page, layout in ((confirmation, 1), (confirmation2, 2)):
        assert 'data-testid="document-number">INV-' in page
        assert f'data-testid="detail-reference">LAYOUT-{layout}<' in page
        assert 'data-testid="detail-net">20.00<' in page
    assert confirmation.index("detail-reference") < confirmation.index("detail-total")
    assert confirmation2.index("detail-total") < confirmation2.index("detail-reference")
    assert 'id="dvDocument"' in confirmation2 and 'id="dvDocument"' not in confirmation
    for page in (found, found2):
        assert page.count('data-testid="result-row"') == 1
    assert found.index("result-document") < found.index("result-note")
    assert found2.index("result-note") < found2.index("result-document")
    assert 'id="gvResults"' in found2 and 'id="gvResults"' not in found


def test_cms_reviewer_publishes_or_rejects_a_draft(apps: Sandbox) -> None:
    def save(client: httpx.Client, title: str) -> str:
        page = client.get("/editor", params={"sku": "SKU-1005"}).text
        response = client.post(
            "/editor",
            data={"csrf_token": csrf_of(page), "sku": "SKU-1005", "title": title,
                  "price": "13.5", "currency": "EUR", "stock": "390", "note": "review",
                  "description": "<p>1000 labels</p>"},
        )  # fmt: skip
        assert response.status_code == 303
        return str(response.headers["location"])

    def product() -> dict:
        return {p["sku"]: p for p in read_ledger(apps.cms.url, ADMIN)["products"]}["SKU-1005"]

    with signed_in(apps.cms.url) as client:
        rejected, published = save(client, "Label roll (old)"), save(client, "Label roll 54x25")
        page = client.get(rejected).text
        assert ">Publish</button>" in page and ">Reject</button>" in page
        token = csrf_of(page)
        assert client.post(f"{rejected}/review", data={"decision": "publish"}).status_code == 403
        unclear = client.post(f"{rejected}/review", data={"csrf_token": token, "decision": "x"})
        assert unclear.status_code == 400
        decided = client.post(
            f"{rejected}/review", data={"csrf_token": token, "decision": "reject"}
        )
        assert decided.status_code == 303
        assert product()["title"] == "Label roll 54 x 25 mm"  # a rejection publishes nothing
        client.post(f"{published}/review", data={"csrf_token": token, "decision": "publish"})
        again = client.post(f"{published}/review", data={"csrf_token": token, "decision": "reject"})
        assert again.status_code == 409  # decided once
        shown = client.get(published).text
        assert "Draft published." in shown and ">Publish</button>" not in shown
        catalogue = client.get("/products").text
    assert (product()["title"], product()["price"], product()["stock"]) == (
        "Label roll 54x25", "13.50", 390
    )  # fmt: skip
    numbers = {rejected.rsplit("/", 1)[1], published.rsplit("/", 1)[1]}
    statuses = {d["draft_number"]: d["status"] for d in read_ledger(apps.cms.url, ADMIN)["drafts"]}
    assert sorted(statuses[n] for n in numbers) == ["published", "rejected"]
    assert not any(n in catalogue for n in numbers)  # no longer awaiting review


def test_lost_reply_commits_the_save_but_answers_500(apps: Sandbox, faults) -> None:
    faults("cms", lost_reply_rate=1.0)
    with signed_in(apps.cms.url) as client:  # signing in is never hit
        page = client.get("/editor").text
        response = client.post(
            "/editor",
            data={"csrf_token": csrf_of(page), "sku": "LOST-1", "title": "Lost reply",
                  "price": "2", "currency": "EUR", "stock": "1", "note": "lost"},
        )  # fmt: skip
        refused = client.post("/editor", data={"csrf_token": csrf_of(page), "sku": "x y"})
    assert response.status_code == 500 and 'data-testid="server-error"' in response.text
    assert refused.status_code == 422  # only saves lose their answer
    drafts = [d for d in read_ledger(apps.cms.url, ADMIN)["drafts"] if d["sku"] == "LOST-1"]
    assert [d["title"] for d in drafts] == ["Lost reply"]
