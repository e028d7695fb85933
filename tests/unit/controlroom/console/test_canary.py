"""The canary in the console: agreement with reviewers recorded at approval and shown on
the dashboard; promote and roll back for admins only, with CSRF, audited."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clerk import canary
from clerk.documents import Understanding
from clerk.registry import ModelCard, Registry
from controlroom._console_models import ShadowAgreement
from controlroom.db import transaction
from controlroom.models import AuditEntry
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import csrf_of, fail_for_review

SHADOW = {
    "model_versions": {"classifier": "classifier-cand<b>", "extractor": "extractor-cand"},
    "doc_type": "invoice",
    "type_confidence": 0.97,
    "values": {
        "invoice_number": "INV-1002",
        "vendor_name": "ACME <script>alert(1)</script> GmbH",
        "total_amount": "118.00",
    },
}


def _with_shadow(understanding: Understanding) -> Understanding:
    versions = {"classifier": "classifier-cur", "extractor": "extractor-cur"}
    return replace(understanding, shadow=SHADOW, model_versions=versions)


def _approve(console: Console, client: Any, **fields: str) -> str:
    _, item_id = fail_for_review(
        console.factory,
        console.client(),
        console.process_id,
        console.workspace_id,
        adjust=_with_shadow,
    )
    page = client.get(f"/console/items/{item_id}")
    form = {"csrf_token": csrf_of(page.text), **{f"field:{k}": v for k, v in fields.items()}}
    response = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=False)
    assert response.status_code == 303
    return item_id


def test_approval_records_agreement_and_the_dashboard_shows_it(console: Console) -> None:
    reviewer = console.logged_in("rita", "reviewer")
    first = _approve(console, reviewer, invoice_number="INV-1002")  # the candidate had it
    _approve(console, reviewer, invoice_number="INV-1002", total_amount="119.00")
    with transaction(console.factory) as session:
        rows = list(session.scalars(select(ShadowAgreement).order_by(ShadowAgreement.created_at)))
        assert [(r.fields, r.current_agreed, r.candidate_agreed) for r in rows] == [
            (3, 2, 3),
            (3, 1, 2),
        ]
        assert rows[0].work_item_id == first
        assert (rows[0].current_classifier, rows[0].candidate_classifier) == (
            "classifier-cur",
            "classifier-cand<b>",
        )
        assert rows[0].type_current_agreed and rows[0].type_candidate_agreed
    viewer = console.logged_in("vic", "viewer")
    html = viewer.get("/console/").text
    section = html[html.index('id="canary"') :]
    # 6 fields compared on 2 items: current 3 (50.0%), candidate 5 (83.3%), types 2 of 2
    assert "<td>2</td>" in section and "<td>6</td>" in section
    assert "3 (50.0%)" in section and "5 (83.3%)" in section and "2 (100.0%)" in section
    assert "classifier-cand&lt;b&gt;" in section and "classifier-cand<b>" not in section
    assert "/models/promote" not in section  # a viewer sees no promote form


def test_an_item_without_a_shadow_records_no_agreement(console: Console) -> None:
    reviewer = console.logged_in("rita", "reviewer")
    _, item_id = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    page = reviewer.get(f"/console/items/{item_id}")
    reviewer.post(f"/console/items/{item_id}/approve", data={"csrf_token": csrf_of(page.text)})
    with transaction(console.factory) as session:
        assert list(session.scalars(select(ShadowAgreement))) == []
    assert "No approved item has been read by a shadow candidate" in reviewer.get("/console/").text


def _registry(console: Console, now: float, new: float) -> Registry:
    registry = Registry(Path(os.environ["CLERK_MODELS_DIR"]))
    for version, current in (("classifier-1", True), ("classifier-2", False)):
        folder = console.home / f"build-{version}"
        folder.mkdir()
        (folder / "model.onnx").write_bytes(version.encode())
        comparison = {
            "current_version": "classifier-1",
            "heldout": {"metric": "accuracy", "current": now, "candidate": new, "n": 90},
            "corrections": {
                "metric": "document type accuracy",
                "current": 0.5,
                "candidate": 1.0,
                "n": 4,
            },
        }
        card = ModelCard(
            "classifier", version, "d" * 64, "r", 7, version, {"comparison": comparison}
        )
        card = registry.publish(card, folder, make_current=current)
    canary.mark_candidate(registry, card)
    return registry


def _post(client: Any, path: str, data: dict[str, str]) -> Any:
    token = csrf_of(client.get("/console/").text)
    return client.post(
        f"/console{path}", data={"csrf_token": token, **data}, follow_redirects=False
    )


def _audit(console: Console) -> list[tuple[str, str, str]]:
    with transaction(console.factory) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "model").order_by(AuditEntry.seq)
        )
        return [(e.action, e.entity_id, e.actor) for e in entries]


@pytest.mark.parametrize("role", ["viewer", "operator", "reviewer"])
def test_promote_and_rollback_need_an_admin(console: Console, role: str) -> None:
    registry = _registry(console, 0.9, 0.95)
    client = console.logged_in("pat", role)
    assert _post(client, "/models/promote", {"version": "classifier-2"}).status_code == 403
    assert _post(client, "/models/rollback", {}).status_code == 403
    assert registry.current_version("classifier") == "classifier-1" and _audit(console) == []


def test_promote_needs_the_csrf_token(console: Console) -> None:
    registry = _registry(console, 0.9, 0.95)
    admin = console.logged_in("ada", "admin")
    response = admin.post(
        "/console/models/promote", data={"version": "classifier-2"}, follow_redirects=False
    )
    assert response.status_code == 403
    assert registry.current_version("classifier") == "classifier-1" and _audit(console) == []


def test_admin_promotes_is_refused_a_drop_forces_it_and_rolls_back(console: Console) -> None:
    registry = _registry(console, 0.93, 0.91)
    admin = console.logged_in("ada", "admin")
    page = admin.get("/console/").text
    assert "A promotion would be refused" in page and 'name="force"' in page
    refused = _post(admin, "/models/promote", {"version": "classifier-2"})
    assert refused.status_code == 303
    flash = admin.get(refused.headers["location"]).text
    assert "Not promoted: promotion refused" in flash and "0.9300 to 0.9100" in flash
    assert registry.current_version("classifier") == "classifier-1" and _audit(console) == []

    forced = _post(admin, "/models/promote", {"version": "classifier-2", "force": "1"})
    assert "now using classifier-2" in admin.get(forced.headers["location"]).text
    assert registry.current_version("classifier") == "classifier-2"
    assert "Roll back the classifier" in admin.get("/console/").text

    rolled = _post(admin, "/models/rollback", {"kind": "classifier"})
    assert "rolled back to classifier-1" in admin.get(rolled.headers["location"]).text
    assert registry.current_version("classifier") == "classifier-1"
    assert _audit(console) == [
        ("model.promote", "classifier-2", "user:ada"),
        ("model.rollback", "classifier-1", "user:ada"),
    ]
    with transaction(console.factory) as session:
        promote = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "model.promote")
        ).one()
        assert promote.after is not None and promote.after["forced"] is True
        assert "lowers held-out accuracy" in promote.after["refusal_overridden"]


@pytest.mark.postgres
def test_agreement_is_recorded_and_summed_on_postgres(pg_console: Console) -> None:
    reviewer = pg_console.logged_in("rita", "reviewer")
    _approve(pg_console, reviewer, invoice_number="INV-1002")
    section = reviewer.get("/console/").text.split('id="canary"', 1)[1]
    assert "2 (66.7%)" in section and "3 (100.0%)" in section and "1 (100.0%)" in section
