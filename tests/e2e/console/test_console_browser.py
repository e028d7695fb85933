"""Each role's main path in a real browser against a real server."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from controlroom.db import transaction
from controlroom.models import StepRun, WorkItem
from controlroom.services import step_logs, workers
from tests.e2e.console.conftest import Server, sign_in
from tests.unit.controlroom.console.support import (
    fail_for_review,
    item_payload,
    make_pdf,
    start_robot,
    understanding_for,
)

pytestmark = pytest.mark.browser


def test_operator_uploads_documents_and_watches_the_run_live(
    context: Any, server: Server, tmp_path: Path
) -> None:
    page = sign_in(context, "operator")
    server.shot(page, "01-dashboard")
    page.goto("/console/processes")
    data, fields = make_pdf()
    document = tmp_path / "invoice-42.pdf"
    document.write_bytes(data)
    page.set_input_files("input[type=file][name=documents]", str(document))
    page.click("text=Upload and start run")
    page.wait_for_url(re.compile(r".*/console/runs/[0-9a-f-]{36}.*"))
    run_id = re.search(r"/runs/([0-9a-f-]{36})", page.url).group(1)  # type: ignore[union-attr]
    with transaction(server.factory) as session:
        (item,) = session.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id))
        document = item.payload["document"]
        assert (document["name"], document["source"], document["file"]) == (
            "invoice-42.pdf",
            "upload:operator",
            "invoice-42.pdf",
        )
        assert document["sha256"] == hashlib.sha256(data).hexdigest()
    page.evaluate("window.__notReloaded = true")
    failed = page.locator('td[data-state="FAILED"][data-step="1"]')
    assert failed.inner_text() == "0"
    server.shot(page, "03-run-pending")

    # The understand robot picks the item up and fails it for review (real robocorp API).
    with server.http() as http:
        robot = start_robot(server.factory, http, run_id)
        assert robot.first_item_id
        understanding = understanding_for(data, "invoice-42.pdf", fields)
        robot.save_payload(robot.first_item_id, item_payload(data, "invoice-42.pdf", understanding))
        robot.release(
            robot.first_item_id,
            "FAILED",
            {"type": "BUSINESS", "code": "NEEDS_REVIEW", "message": "a check failed"},
        )
        # What a worker uploads while the robot runs: console output, a screenshot, log.html.
        files_dir = server.app.state.settings.files_dir
        step_logs.append_log(
            files_dir, robot.step_run_id, b"Reading invoice-42.pdf\nNEEDS_REVIEW\n"
        )
        with transaction(server.factory) as session:
            step_run = session.get_one(StepRun, robot.step_run_id)
            shot = io.BytesIO()
            Image.new("RGB", (320, 200), (40, 90, 160)).save(shot, "PNG")
            step_logs.put_artifact(
                session, server.app.state.blobs, step_run, "erp-form.png", shot.getvalue()
            )
            step_logs.put_artifact(
                session, server.app.state.blobs, step_run, "log.html", b"<script>alert(1)</script>"
            )
    # No reload: the partial refreshes itself every 2 s.
    expect(failed).to_have_text("1", timeout=10_000)
    expect(page.locator("pre.log")).to_contain_text("NEEDS_REVIEW")
    assert page.locator('img[alt="Screenshot erp-form.png"]').evaluate("i => i.naturalWidth") == 320
    assert page.locator("a:text('log.html')").get_attribute("download") is not None
    assert page.evaluate("window.__notReloaded") is True
    assert page.locator("text=RUNNING").first.is_visible()
    server.shot(page, "04-run-live")


def test_reviewer_corrects_a_field_and_approves_it_downstream(context: Any, server: Server) -> None:
    item_id = server.failed_item(pages=3)
    page = sign_in(context, "reviewer")
    page.goto("/console/review")
    server.shot(page, "05-review-queue")
    page.click(f'a[href="/console/items/{item_id}"]')
    page.wait_for_url(f"**/console/items/{item_id}")
    page.locator(".page:not([hidden]) img").evaluate(
        "img => img.complete ? true : new Promise(r => img.addEventListener('load', r))"
    )
    assert page.locator(".page:not([hidden]) img").evaluate("img => img.naturalWidth") > 0
    # Clicking a box focuses its field; focusing a field highlights its box.
    page.locator('.box[data-field="f0"]').click()
    assert page.evaluate("document.activeElement.name") == "field:invoice_number"
    assert "active" in (page.locator('.box[data-field="f0"]').get_attribute("class") or "")
    page.focus('input[name="field:total_amount_p3"]')
    assert page.locator('.page[data-page="3"]').is_visible()
    assert not page.locator('.page[data-page="1"]').is_visible()
    page.locator("[data-show-page='1']").click()
    page.fill('input[name="field:invoice_number"]', "INV-2002")
    server.shot(page, "06-review-screen")
    page.click("text=Approve and continue")
    page.wait_for_selector("text=Approved with 1 correction(s)")
    with transaction(server.factory) as session:
        child = session.scalar(select(WorkItem).where(WorkItem.parent_id == item_id))
        assert child is not None and child.state == "PENDING"
        assert child.payload["understanding"]["corrections"][0]["value"] == "INV-2002"
    # The output is visible downstream with the corrected value, and the history names her.
    page.click(f'a[href="/console/items/{child.id}"]')
    assert page.input_value('input[name="field:invoice_number"]') == "INV-2002"
    page.go_back()
    assert page.locator("table.history >> text=reviewer").first.is_visible()
    server.shot(page, "07-after-approve")


def test_viewer_is_refused_actions(context: Any, server: Server) -> None:
    with server.http() as http:  # the run's id too: a viewer may not stop it
        run_id, item_id = fail_for_review(
            server.factory,
            http,
            server.process_id,
            server.workspace_id,
            blobs=server.app.state.blobs,
        )
    page = sign_in(context, "viewer")
    page.goto("/console/processes")
    assert page.locator("text=Upload and start run").count() == 0
    page.goto(f"/console/items/{item_id}")
    assert page.locator("text=Approve and continue").count() == 0
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    response = page.request.post(
        f"/console/items/{item_id}/retry", form={"csrf_token": token or ""}, max_redirects=0
    )
    assert response.status == 403
    assert "needs the reviewer role" in response.text()
    stop = page.request.post(
        f"/console/runs/{run_id}/stop", form={"csrf_token": token or ""}, max_redirects=0
    )
    assert stop.status == 403


def test_document_markup_renders_as_text(context: Any, server: Server) -> None:
    item_id = server.failed_item(
        exception={"type": "BUSINESS", "code": "NEEDS_REVIEW", "message": "<b>bold</b>"}
    )
    page = sign_in(context, "reviewer")
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"/console/items/{item_id}")
    value = page.input_value('input[name="field:vendor_name"]')
    assert value == "ACME <script>alert(1)</script> GmbH"
    assert page.locator("p.exception >> text=<b>bold</b>").count() == 1
    assert page.locator("b:text('bold')").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_csrf_token_is_required(context: Any, server: Server) -> None:
    item_id = server.failed_item()
    page = sign_in(context, "reviewer")
    page.goto(f"/console/items/{item_id}")
    for form in ({}, {"csrf_token": "forged"}):
        response = page.request.post(
            f"/console/items/{item_id}/approve", form=form, max_redirects=0
        )
        assert response.status == 403
    with transaction(server.factory) as session:
        assert session.get_one(WorkItem, item_id).state == "FAILED"


def test_admin_adds_a_user_who_can_then_sign_in(context: Any, server: Server) -> None:
    page = sign_in(context, "admin")
    page.goto("/console/processes")
    server.shot(page, "12-processes-admin")
    page.goto("/console/users")
    page.fill('form[action="/console/users"] input[name=username]', "newbie")
    page.select_option('form[action="/console/users"] select[name=role]', "reviewer")
    page.fill('form[action="/console/users"] input[name=password]', "a long password")
    page.click("text=Add user")
    page.wait_for_selector("text=User newbie created as reviewer")
    server.shot(page, "09-users")
    other = context.browser.new_context(base_url=server.url)
    try:
        second = other.new_page()
        second.goto("/console/login")
        second.fill("#username", "newbie")
        second.fill("#password", "a long password")
        second.click("button[type=submit]")
        second.wait_for_url("**/console/")
    finally:
        other.close()


def test_pages_for_people(context: Any, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every main page loads for a viewer (and is kept as a screenshot when asked)."""
    from clerk.registry import ModelCard, Registry, now_iso

    build = server.home / "card-build"
    build.mkdir(exist_ok=True)
    counts = [0, 0, 1, 1, 2, 4, 8, 15, 25, 44]
    card = ModelCard(
        "classifier",
        "classifier-e2e",
        "0" * 64,
        "e2e",
        1,
        now_iso(),
        {"confidence_histogram": {"edges": [i / 10 for i in range(11)], "counts": counts}},
    )
    Registry(server.home / "models").publish(card, build)
    monkeypatch.setenv("CLERK_MODELS_DIR", str(server.home / "models"))  # the dashboard's
    with transaction(server.factory) as session:
        worker = workers.register(
            session, server.workspace_id, "robot-01", "vm-robot-01", 2, actor="t"
        )
        workers.heartbeat(session, server.workspace_id, worker.id, [], actor="t")
    page = sign_in(context, "viewer")
    for name, path in (
        ("02-processes", "/console/processes"),
        ("08-workers", "/console/workers"),
        ("10-runs", "/console/runs"),
        ("11-dashboard-data", "/console/"),
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200
        server.shot(page, name)
    assert page.locator("text=classifier-e2e").count() == 1
    page.goto("/console/login")
    server.shot(page, "00-login")
