"""The review screen and its actions: locks, approve with corrections, retry, reject."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from sqlalchemy import select

from clerk.documents import Check, Reason, Understanding, understanding_from_json
from controlroom._console_models import Correction, ReviewLock
from controlroom.db import transaction
from controlroom.models import AuditEntry, WorkItem
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import csrf_of, fail_for_review, with_line_items


def _failed(console: Console, **kwargs: Any) -> str:
    client = console.client()
    _, item_id = fail_for_review(
        console.factory, client, console.process_id, console.workspace_id, **kwargs
    )
    return item_id


def test_review_screen_shows_fields_boxes_and_failed_checks(console: Console) -> None:
    item_id = _failed(console, pages=3)
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}")
    assert page.status_code == 200
    html = page.text
    assert 'name="field:invoice_number" value="INV-1001"' in html
    assert "net_plus_tax_equals_total" in html
    assert html.count('class="page"') == 3
    assert 'data-field="f0"' in html and "<rect" in html
    assert "55%" in html  # the low-confidence total
    image = client.get(f"/console/items/{item_id}/pages/2.png")
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/console/items/{item_id}/pages/9.png").status_code == 404


def test_approve_with_correction_creates_next_step_item(console: Console) -> None:
    item_id = _failed(console)
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}")
    form = {
        "csrf_token": csrf_of(page.text),
        "field:invoice_number": "INV-1002",
        "field:total_amount": "118.00",
    }
    response = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=False)
    assert response.status_code == 303
    with transaction(console.factory) as session:
        item = session.get_one(WorkItem, item_id)
        assert item.state == "COMPLETED" and item.exception_code is None
        children = list(session.scalars(select(WorkItem).where(WorkItem.parent_id == item_id)))
        assert len(children) == 1
        child = children[0]
        assert child.state == "PENDING"
        understanding = child.payload["understanding"]
        assert understanding["corrections"][0]["name"] == "invoice_number"
        assert understanding["corrections"][0]["value"] == "INV-1002"
        assert understanding["corrections"][0]["source"] == "human"
        rows = list(session.scalars(select(Correction)))
        assert [(r.field_name, r.original_value, r.corrected_value, r.reviewer) for r in rows] == [
            ("invoice_number", "INV-1001", "INV-1002", "rita")
        ]
        assert session.get(ReviewLock, item_id) is None
        actors = [
            e.actor
            for e in session.scalars(select(AuditEntry).where(AuditEntry.entity_id == item_id))
        ]
        assert "user:rita" in actors
    # A second submit (double click, or another tab) must not create a second output.
    again = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=True)
    assert "Not done" in again.text
    with transaction(console.factory) as session:
        assert (
            len(list(session.scalars(select(WorkItem).where(WorkItem.parent_id == item_id)))) == 1
        )
    history = client.get(f"/console/items/{item_id}").text
    assert "item.approve" in history and "<strong>rita</strong>" in history
    assert "Next failed item" not in history  # the queue is empty now
    second = _failed(console)
    assert (
        f'href="/console/items/{second}" class="next"'
        in client.get(f"/console/items/{item_id}").text
    )


def test_line_items_are_one_table_on_the_review_screen(console: Console) -> None:
    """Issue 11: each cell was its own field, one per row of one long column."""
    item_id = _failed(console, adjust=with_line_items(40))
    client = console.logged_in("rita", "reviewer")
    html = client.get(f"/console/items/{item_id}").text
    assert html.count('<table class="linetable"') == 1
    assert html.count("data-line=") == 40
    head = html[html.index('<table class="linetable"') :]
    head = head[: head.index("</thead>")]
    for label in ("#", "Description", "Quantity", "Unit price", "Amount"):
        assert f">{label}" in head
    assert 'name="field:line_items.39.amount"' in html
    assert 'name="field:line_items.0.quantity" value="1"' in html
    # Escaped like every field; the reasons are two, not one per cell.
    assert "Item 1 &lt;b&gt;widget&lt;/b&gt;" in html and "<b>widget</b>" not in html
    assert "(2 reasons)" in html
    # Line 2 failed its arithmetic; line 1 was read with low confidence; boxes are drawn.
    assert 'class="failed" data-line="2"' in html and 'class="low" data-line="1"' in html
    assert html.count("<rect") >= 28 * 4  # the first page's cells, besides the flat fields
    fieldtable = html[
        html.index('<table class="fieldtable"') : html.index('<table class="linetable"')
    ]
    assert "line_items" not in fieldtable


def test_a_corrected_cell_is_stored_per_cell(console: Console) -> None:
    item_id = _failed(console, adjust=with_line_items(3))
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}")
    form = {
        "csrf_token": csrf_of(page.text),
        "field:invoice_number": "INV-1001",  # unchanged: no correction
        "field:line_items.1.amount": "17.00",
        "field:line_items.2.unit_price": "9.50",  # unchanged
    }
    response = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=True)
    assert "Approved with 1 correction(s)" in response.text
    with transaction(console.factory) as session:
        rows = list(session.scalars(select(Correction)))
        assert [(r.field_name, r.original_value, r.corrected_value) for r in rows] == [
            ("line_items.1.amount", "18.00", "17.00")
        ]
        child = session.scalars(select(WorkItem).where(WorkItem.parent_id == item_id)).one()
        understanding = understanding_from_json(child.payload["understanding"])
    assert understanding.line_items[1].cell("amount").value == "18.00"  # type: ignore[union-attr]
    assert understanding.row_values()[1]["amount"] == "17.00"
    assert child.payload["understanding"]["corrections"][0]["name"] == "line_items.1.amount"


def test_a_cell_the_item_has_no_row_for_is_refused(console: Console) -> None:
    item_id = _failed(console, adjust=with_line_items(3))
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}")
    form = {"csrf_token": csrf_of(page.text), "field:line_items.7.amount": "1.00"}
    response = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=True)
    assert "Not done" in response.text and "line_items.7.amount names line 8" in response.text
    assert (
        "the item has 3 line item(s)" in response.text
        and "line_items.3.&lt;column&gt;" in response.text
    )


def test_lock_shown_to_second_reviewer_and_blocks_actions(console: Console) -> None:
    item_id = _failed(console)
    alice = console.logged_in("alice", "reviewer")
    bob = console.logged_in("bob", "reviewer")
    assert alice.get(f"/console/items/{item_id}").status_code == 200
    page = bob.get(f"/console/items/{item_id}")
    assert "Locked by <strong>alice</strong> until" in page.text
    assert "open by alice" in bob.get("/console/review").text
    assert "Approve and continue" not in page.text
    token = csrf_of(bob.get("/console/review").text)
    response = bob.post(
        f"/console/items/{item_id}/retry", data={"csrf_token": token}, follow_redirects=True
    )
    assert "locked by alice" in response.text
    with transaction(console.factory) as session:
        assert session.get_one(WorkItem, item_id).state == "FAILED"


def test_expired_lock_passes_to_the_next_reviewer(console: Console) -> None:
    from datetime import timedelta

    from controlroom._db_types import utcnow

    item_id = _failed(console)
    alice = console.logged_in("alice", "reviewer")
    bob = console.logged_in("bob", "reviewer")
    alice.get(f"/console/items/{item_id}")
    with transaction(console.factory) as session:
        session.get_one(ReviewLock, item_id).expires_at = utcnow() - timedelta(seconds=1)
    page = bob.get(f"/console/items/{item_id}")
    assert "Approve and continue" in page.text
    with transaction(console.factory) as session:
        assert session.get_one(ReviewLock, item_id).username == "bob"


def test_retry_and_reject_release_the_lock(console: Console) -> None:
    first, second = _failed(console), _failed(console)
    client = console.logged_in("rita", "reviewer")
    token = csrf_of(client.get(f"/console/items/{first}").text)
    client.post(f"/console/items/{first}/retry", data={"csrf_token": token})
    client.get(f"/console/items/{second}")
    no_reason = client.post(
        f"/console/items/{second}/reject", data={"csrf_token": token}, follow_redirects=True
    )
    assert "needs a reason" in no_reason.text
    client.post(
        f"/console/items/{second}/reject",
        data={"csrf_token": token, "reason": "duplicate of INV-1000"},
    )
    with transaction(console.factory) as session:
        assert session.get_one(WorkItem, first).state == "PENDING"
        rejected = session.get_one(WorkItem, second)
        assert (
            rejected.rejected_by == "user:rita"
            and rejected.rejection_reason == "duplicate of INV-1000"
        )
        assert session.scalars(select(ReviewLock)).all() == []


def test_bulk_retry_takes_only_application_failures(console: Console) -> None:
    app_failure = _failed(
        console, exception={"type": "APPLICATION", "code": "ERP_TIMEOUT", "message": "t"}
    )
    business = _failed(console)
    # The step allows 3 attempts: the APPLICATION failure went back to PENDING; fail it for good.
    with transaction(console.factory) as session:
        item = session.get_one(WorkItem, app_failure)
        item.state, item.exception_type, item.exception_code = (
            "FAILED",
            "APPLICATION",
            "ERP_TIMEOUT",
        )
    client = console.logged_in("rita", "reviewer")
    token = csrf_of(client.get("/console/review").text)
    response = client.post(
        "/console/review/bulk-retry",
        data={"csrf_token": token, "item": [app_failure, business]},
        follow_redirects=True,
    )
    assert "Retried 1 item(s)" in response.text and "Skipped 1" in response.text
    with transaction(console.factory) as session:
        assert session.get_one(WorkItem, app_failure).state == "PENDING"
        assert session.get_one(WorkItem, business).state == "FAILED"


def test_an_item_without_understanding_still_shows_its_pages(console: Console) -> None:
    from controlroom.services import runs
    from tests.unit.controlroom.console.support import (
        finish_robot,
        item_payload,
        make_pdf,
        start_robot,
    )

    data, _ = make_pdf(pages=2)
    with transaction(console.factory) as session:
        run = runs.start_run(
            session,
            console.app.state.blobs,
            console.workspace_id,
            console.process_id,
            [runs.InputSpec(item_payload(data, "scan.pdf", None), (("scan.pdf", data),))],
            actor="user:test",
            max_payload_bytes=10**6,
            max_file_bytes=10**7,
        )
        run_id = run.id
    robot = start_robot(console.factory, console.client(), run_id)
    assert robot.first_item_id
    robot.release(robot.first_item_id, "FAILED", {"type": "BUSINESS", "code": "UNREADABLE"})
    finish_robot(console.factory, robot)
    client = console.logged_in("rita", "reviewer")
    html = client.get(f"/console/items/{robot.first_item_id}").text
    assert html.count('class="page"') == 2 and "no fields were extracted" in html
    assert "Approve and continue" not in html and ">Retry<" in html


def test_clerk_items_approve_does_what_the_console_does(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same correction through the console and through `clerk items approve` (by a
    short id) leaves the same item, output, correction and audit action."""
    import getpass

    from typer.testing import CliRunner

    from clerk_app.cli import app

    monkeypatch.setenv("CLERK_DATABASE_URL", str(console.app.state.engine.url))
    by_console, by_cli = _failed(console), _failed(console)
    client = console.logged_in("rita", "reviewer")
    token = csrf_of(client.get(f"/console/items/{by_console}").text)
    form = {"csrf_token": token, "field:invoice_number": "INV-1002", "field:total_amount": "118.00"}
    client.post(f"/console/items/{by_console}/approve", data=form)
    runner = CliRunner()
    unknown = runner.invoke(app, ["items", "approve", by_cli[:8], "--field", "invoice_nmber=X"])
    assert unknown.exit_code == 1 and "no field 'invoice_nmber'" in unknown.output
    bad = runner.invoke(app, ["items", "approve", by_cli[:8], "--field", "invoice_number"])
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output
    args = ["items", "approve", by_cli[:8], "--field", "invoice_number=INV-1002"]
    result = runner.invoke(app, [*args, "--field", "total_amount=118.00"])
    assert result.exit_code == 0, result.output
    assert f"item {by_cli} approved with 1 correction(s); output " in result.output

    def outcome(item_id: str) -> tuple[Any, ...]:
        with transaction(console.factory) as session:
            item = session.get_one(WorkItem, item_id)
            (child,) = session.scalars(select(WorkItem).where(WorkItem.parent_id == item_id))
            fixes = child.payload["understanding"]["corrections"]
            rows = session.scalars(select(Correction).where(Correction.work_item_id == item_id))
            actions = session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == item_id)
            )
            return (
                item.state,
                item.exception_code,
                child.state,
                [(f["name"], f["value"], f["source"]) for f in fixes],
                [(r.field_name, r.original_value, r.corrected_value) for r in rows],
                sorted(actions),
            )

    assert outcome(by_cli) == outcome(by_console)
    assert outcome(by_cli)[0] == "COMPLETED" and "item.approve" in outcome(by_cli)[-1]
    with transaction(console.factory) as session:
        actors = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity_id == by_cli, AuditEntry.action == "item.approve"
            )
        )
        assert list(actors) == [f"cli:{getpass.getuser()}"]
        reviewer = session.scalars(
            select(Correction.reviewer).where(Correction.work_item_id == by_cli)
        ).one()
        assert reviewer == getpass.getuser()
    again = runner.invoke(app, ["items", "approve", by_cli])
    assert again.exit_code == 1 and "not FAILED" in again.output


def test_clerk_items_approve_waits_for_a_reviewer_s_lock(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from clerk_app.cli import app

    monkeypatch.setenv("CLERK_DATABASE_URL", str(console.app.state.engine.url))
    item_id = _failed(console)
    console.logged_in("alice", "reviewer").get(f"/console/items/{item_id}")  # takes the lock
    result = CliRunner().invoke(app, ["items", "approve", item_id])
    assert result.exit_code == 1 and "locked by alice" in result.output
    with transaction(console.factory) as session:
        assert session.get_one(WorkItem, item_id).state == "FAILED"


def test_replace_the_file_and_retry_an_encrypted_pdf(console: Console) -> None:
    encrypted = {"type": "BUSINESS", "code": "ENCRYPTED_PDF", "message": "password-protected"}
    item_id = _failed(console, exception=encrypted)
    url = f"/console/items/{item_id}/replace"
    new = ("C:\\fakepath\\invoice-open.pdf", b"%PDF-1.7 not protected", "application/pdf")
    # A viewer sees no form and is refused; a reviewer without the CSRF token too.
    viewer = console.logged_in("vera", "viewer")
    assert 'action="' + url not in viewer.get(f"/console/items/{item_id}").text
    refused = viewer.post(
        url,
        data={"csrf_token": csrf_of(viewer.get(f"/console/items/{item_id}").text)},
        files={"document": new},
    )
    assert refused.status_code == 403 and "needs the reviewer role" in refused.text
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}").text
    assert 'enctype="multipart/form-data"' in page and "Replace the file and retry" in page
    assert client.post(url, files={"document": new}).status_code == 403
    with transaction(console.factory) as session:
        assert session.get_one(WorkItem, item_id).state == "FAILED"
    # Nothing chosen: said so, nothing changed.
    empty = client.post(url, data={"csrf_token": csrf_of(page)})
    assert "choose the replacement file" in empty.text
    done = client.post(url, data={"csrf_token": csrf_of(page)}, files={"document": new})
    assert done.status_code == 200 and "File replaced by invoice-open.pdf" in done.text
    with transaction(console.factory) as session:
        item = session.get_one(WorkItem, item_id)
        assert (item.state, item.exception_code) == ("PENDING", None)
        assert item.payload["document"]["file"] == "invoice-open.pdf"
        assert session.get(ReviewLock, item_id) is None
        actor = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity_id == item_id, AuditEntry.action == "item.replace_file"
            )
        ).one()
        assert actor == "user:rita"


def _state(console: Console, item_id: str) -> tuple[str, Any, int]:
    with transaction(console.factory) as session:
        item = session.get_one(WorkItem, item_id)
        return item.state, item.payload, len(list(session.scalars(select(Correction))))


def test_posted_rows_with_a_bad_number_are_refused_and_change_nothing(console: Console) -> None:
    item_id = _failed(console, adjust=with_line_items(3))
    before = _state(console, item_id)
    client = console.logged_in("rita", "reviewer")
    form = {
        "csrf_token": csrf_of(client.get(f"/console/items/{item_id}").text),
        "field:invoice_number": "INV-2002",  # a good correction beside the bad cell
        "field:line_items.1.quantity": "two",
    }
    response = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=True)
    assert (
        "Not done: the line items were not saved: line 2 quantity &#39;two&#39; is not a number"
        in (response.text)
    )
    assert _state(console, item_id) == before
    assert before[0] == "FAILED" and before[2] == 0


def test_approve_removes_and_adds_lines_as_corrections(console: Console) -> None:
    approve_with_lines_removed_and_added(console)


def approve_with_lines_removed_and_added(console: Console) -> None:
    """Line 1 removed, a line 4 added: the corrections and the output's rows (also run
    on PostgreSQL)."""
    item_id = _failed(console, adjust=with_line_items(3))
    client = console.logged_in("rita", "reviewer")
    html = client.get(f"/console/items/{item_id}").text
    assert 'data-next-index="3"' in html  # where the browser numbers a new line
    columns = ("description", "quantity", "unit_price", "amount")
    form = {"csrf_token": csrf_of(html)}
    form |= {f"field:line_items.0.{c}": "" for c in columns}  # line 1 removed
    form |= dict(
        zip(
            (f"field:line_items.3.{c}" for c in columns),
            ("Delivery", "1", "4.90", "4.90"),
            strict=True,
        )
    )
    response = client.post(f"/console/items/{item_id}/approve", data=form, follow_redirects=True)
    assert "Approved with 8 correction(s)" in response.text
    with transaction(console.factory) as session:
        records = {
            (r.field_name, r.original_value, r.corrected_value)
            for r in session.scalars(select(Correction))
        }
        child = session.scalars(select(WorkItem).where(WorkItem.parent_id == item_id)).one()
        understanding = understanding_from_json(child.payload["understanding"])
    assert ("line_items.0.quantity", "1", None) in records
    assert ("line_items.3.amount", None, "4.90") in records
    assert [i for i, _ in understanding.indexed_rows()] == [1, 2, 3]
    assert [r["description"] for r in understanding.row_values()] == [
        "Item 2 <b>widget</b>",
        "Item 3 <b>widget</b>",
        "Delivery",
    ]


def _lines_and_their_check(understanding: Understanding) -> Understanding:
    """Four lines, the policy's reason for line 2's failed arithmetic, and a failed check
    that names no field."""
    u = with_line_items(4)(understanding)
    master = Check("vendor_master_match", False, "ACME GmbH is not in the vendor master")
    reasons = (
        Reason("check", "line_item_amounts", "check line_item_amounts failed: line 2", (1,)),
        Reason("check", master.name, f"check {master.name} failed: {master.message}"),
    )
    return dataclasses.replace(u, reasons=(*u.reasons, *reasons), checks=(*u.checks, master))


def test_fields_are_grouped_and_each_reason_links_to_its_field_or_check(console: Console) -> None:
    item_id = _failed(console, adjust=_lines_and_their_check)
    client = console.logged_in("rita", "reviewer")
    html = client.get(f"/console/items/{item_id}").text
    heads = re.findall(r'<th colspan="3" scope="rowgroup" id="sec-(\w+)">', html)
    assert heads == ["document", "parties", "amounts"]
    amounts = html[html.index('data-section="amounts"') :]
    assert 'name="field:total_amount"' in amounts[: amounts.index("</tbody>")]
    # The check reason goes to the total, the rows reason to line 1's first shaky cell,
    # and the failed line-2 arithmetic to line 2's amount.
    links = dict(re.findall(r'data-reason-name="([\w:]+)"><a href="#([\w-]+)"', html))
    ids = {m[1]: m[0] for m in re.findall(r'id="(f\d+)" name="field:([\w.]+)"', html)}
    assert links["net_plus_tax_equals_total"] == ids["total_amount"]
    assert links["line_items"] == ids["line_items.0.description"]
    assert links["line_item_amounts"] == ids["line_items.1.amount"]
    # A check linked to its field is not listed twice; one without a field links to its
    # entry in the failed checks.
    assert 'id="check-net_plus_tax_equals_total"' not in html
    assert links["vendor_master_match"] == "check-vendor_master_match"
    assert '<li id="check-vendor_master_match" tabindex="-1">' in html
    # Flagged: the cells of lines 1 and 4 read below the bar (the rows reason), and only
    # the amount of line 2 (its failed arithmetic); nothing of line 3.
    flagged = set(re.findall(r'name="field:([\w.]+)"[^>]*data-flagged', html))
    assert {"line_items.0.quantity", "line_items.0.amount", "line_items.3.amount"} <= flagged
    assert {c for c in flagged if c.startswith("line_items.1.")} == {"line_items.1.amount"}
    assert not {c for c in flagged if c.startswith("line_items.2.")}


def test_the_review_screen_runs_no_inline_script_under_its_csp(console: Console) -> None:
    item_id = _failed(console, adjust=with_line_items(3))
    client = console.logged_in("rita", "reviewer")
    response = client.get(f"/console/items/{item_id}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/console/static/' in attrs for attrs in scripts)
    assert not re.search(r"\son[a-z]+=", html) and " style=" not in html
    for name in ("review.js", "review_lines.js"):
        assert client.get(f"/console/static/{name}").status_code == 200
