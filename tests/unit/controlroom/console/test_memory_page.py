"""The vendor memory in the console: an approval teaches it, reviewers see it, admins
forget a vendor (CSRF, audit); contradicting values teach nothing."""

from __future__ import annotations

from sqlalchemy import select

from controlroom._console_models import VendorMemory
from controlroom.db import transaction
from controlroom.models import AuditEntry
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import csrf_of, fail_for_review


def _approve(console: Console, fields: dict[str, str]) -> None:
    _, item_id = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}")
    form = {"csrf_token": csrf_of(page.text), **{f"field:{k}": v for k, v in fields.items()}}
    response = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=True)
    assert "Approved with" in response.text


def _audit(console: Console, action: str) -> list[AuditEntry]:
    with transaction(console.factory) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _entries(console: Console) -> list[VendorMemory]:
    with transaction(console.factory) as session:
        return list(session.scalars(select(VendorMemory)))


def _teach_forget_roundtrip(console: Console) -> None:
    _approve(console, {"total_amount": "118.00"})  # the low-confidence total, confirmed
    (entry,) = _entries(console)
    assert entry.vendor_name == "ACME <script>alert(1)</script> GmbH"
    assert {"invoice_number", "vendor_name", "total_amount"} <= set(entry.fields)
    assert entry.version == 1 and entry.taught_by == "user:rita"
    (taught,) = _audit(console, "memory.teach")
    assert taught.actor == "user:rita" and taught.entity_id == entry.id

    admin = console.logged_in("ada", "admin")
    page = admin.get("/console/memory")
    assert page.status_code == 200
    assert "ACME &lt;script&gt;" in page.text and "<script>alert" not in page.text
    forget = {"vendor": entry.vendor_key}
    assert admin.post("/console/memory/forget", data=forget).status_code == 403  # no CSRF
    assert len(_entries(console)) == 1
    done = admin.post(
        "/console/memory/forget",
        data={**forget, "csrf_token": csrf_of(page.text)},
        follow_redirects=True,
    )
    assert "Forgot 1 layout(s)" in done.text
    assert _entries(console) == []
    (forgotten,) = _audit(console, "memory.forget")
    assert (
        forgotten.actor == "user:ada" and (forgotten.before or {})["vendor_key"] == entry.vendor_key
    )


def test_an_approval_teaches_and_an_admin_forgets(console: Console) -> None:
    _teach_forget_roundtrip(console)


def test_the_same_on_postgresql(pg_console: Console) -> None:
    _teach_forget_roundtrip(pg_console)


def test_viewers_do_not_see_it_and_reviewers_cannot_forget(console: Console) -> None:
    _approve(console, {"total_amount": "118.00"})
    viewer = console.logged_in("vic", "viewer")
    assert viewer.get("/console/memory").status_code == 403
    reviewer = console.logged_in("rob", "reviewer")
    page = reviewer.get("/console/memory")
    assert page.status_code == 200 and "Forget vendor" not in page.text
    refused = reviewer.post(
        "/console/memory/forget",
        data={"vendor": _entries(console)[0].vendor_key, "csrf_token": csrf_of(page.text)},
    )
    assert refused.status_code == 403
    assert len(_entries(console)) == 1


def test_an_approval_whose_values_contradict_the_arithmetic_teaches_nothing(
    console: Console,
) -> None:
    # One reviewer confirms amounts that do not add up: the item is approved (that is
    # the reviewer's call), the memory refuses to learn from it and says why.
    _approve(console, {"net_amount": "100.00", "tax_amount": "19.00", "total_amount": "118.00"})
    assert _entries(console) == []
    (refused,) = _audit(console, "memory.teach_refused")
    assert refused.after is not None
    assert refused.after["code"] == "MEMORY_CONTRADICTS_CHECKS"
    assert "net_plus_tax_equals_total" in refused.after["message"]
