"""The review screen's "Document type" control: read a failed item again as another type
(CSRF, the reviewer role and the review lock as for the other actions), and
``clerk items retype``, which does the same."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import select

from clerk.documents import Understanding
from controlroom._console_models import Correction, ReviewLock
from controlroom.db import transaction
from controlroom.models import AuditEntry, ProcessStep, WorkItem
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import csrf_of, fail_for_review


def _failed(console: Console, **kwargs: Any) -> str:
    _, item_id = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id, **kwargs
    )
    return item_id


def _item(console: Console, item_id: str) -> tuple[str, dict[str, Any]]:
    with transaction(console.factory) as session:
        item = session.get_one(WorkItem, item_id)
        return item.state, item.payload


def test_the_reviewer_reads_the_item_again_as_the_type_they_choose(console: Console) -> None:
    item_id = _failed(console)
    url = f"/console/items/{item_id}/retype"
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}").text
    assert f'action="{url}"' in page and "Read again as this type" in page
    assert '<label for="retype-type">Document type</label>' in page
    assert '<option value="invoice" selected>Invoice</option>' in page  # the current type
    assert '<option value="purchase_order">Purchase order</option>' in page
    assert page.count("<option") == 6
    done = client.post(url, data={"csrf_token": csrf_of(page), "doc_type": "receipt"})
    assert done.status_code == 200 and "read again as Receipt" in done.text
    state, payload = _item(console, item_id)
    assert state == "PENDING" and payload["understanding"] is None
    assert payload["doc_type_override"]["doc_type"] == "receipt"
    assert payload["doc_type_override"]["set_by"] == "rita"
    with transaction(console.factory) as session:
        assert session.get(ReviewLock, item_id) is None
        row = session.scalars(select(Correction).where(Correction.work_item_id == item_id)).one()
        assert (row.field_name, row.original_value, row.corrected_value) == (
            "doc_type",
            "invoice",
            "receipt",
        )
        actor = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity_id == item_id, AuditEntry.action == "item.retype"
            )
        ).one()
        assert actor == "user:rita"
    history = client.get(f"/console/items/{item_id}").text
    assert "type changed, sent back to be read again" in history
    assert "invoice → receipt" in history


def test_without_the_token_or_the_role_nothing_changes(console: Console) -> None:
    item_id = _failed(console)
    url = f"/console/items/{item_id}/retype"
    for role in ("viewer", "operator"):
        other = console.logged_in(f"{role[0]}-user", role)
        page = other.get(f"/console/items/{item_id}").text
        assert f'action="{url}"' not in page and "changing the type" in page
        refused = other.post(url, data={"csrf_token": csrf_of(page), "doc_type": "receipt"})
        assert refused.status_code == 403 and "needs the reviewer role" in refused.text
    client = console.logged_in("rita", "reviewer")
    client.get(f"/console/items/{item_id}")
    assert client.post(url, data={"doc_type": "receipt"}).status_code == 403
    forged = client.post(url, data={"csrf_token": "x" * 43, "doc_type": "receipt"})
    assert forged.status_code == 403
    state, payload = _item(console, item_id)
    assert state == "FAILED" and payload["doc_type_override"] is None


def test_another_reviewer_s_lock_refuses_it(console: Console) -> None:
    item_id = _failed(console)
    console.logged_in("alice", "reviewer").get(f"/console/items/{item_id}")
    bob = console.logged_in("bob", "reviewer")
    page = bob.get(f"/console/items/{item_id}").text
    assert "Read again as this type" not in page  # read-only while alice has it
    response = bob.post(
        f"/console/items/{item_id}/retype",
        data={"csrf_token": csrf_of(page), "doc_type": "receipt"},
        follow_redirects=True,
    )
    assert "Not done:" in response.text and "locked by alice" in response.text
    assert _item(console, item_id)[0] == "FAILED"


def test_an_unknown_type_is_refused_and_shown_as_text(console: Console) -> None:
    item_id = _failed(console)
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}").text
    response = client.post(
        f"/console/items/{item_id}/retype",
        data={"csrf_token": csrf_of(page), "doc_type": "<script>alert(1)</script>"},
    )
    assert "Not done: document type must be one of invoice" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    state, payload = _item(console, item_id)
    assert state == "FAILED" and payload["understanding"] is not None


def _set_by(name: str) -> Any:
    def adjust(u: Understanding) -> Understanding:
        return dataclasses.replace(u, doc_type="receipt", type_confidence=1.0, type_set_by=name)

    return adjust


def test_the_page_says_who_set_the_type_escaped(console: Console) -> None:
    item_id = _failed(console, adjust=_set_by("rita <b>x</b>"))
    client = console.logged_in("vera", "viewer")
    page = client.get(f"/console/items/{item_id}").text
    assert '<span class="badge s-human">type set by rita &lt;b&gt;x&lt;/b&gt;</span>' in page
    assert "(the classifier said invoice, 91%)" in page  # the classifier's view, kept
    assert "100% sure" not in page


def test_an_item_failed_after_the_understand_step_offers_no_type_change(
    console: Console,
) -> None:
    item_id = _failed(console)
    with transaction(console.factory) as session:  # as if it had failed at Enter in ERP
        item = session.get_one(WorkItem, item_id)
        enter = session.scalars(
            select(ProcessStep).where(
                ProcessStep.process_id == console.process_id, ProcessStep.position == 2
            )
        ).one()
        item.step_id = enter.id
    client = console.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}").text
    assert "Approve and continue" in page and "Read again as this type" not in page
    response = client.post(
        f"/console/items/{item_id}/retype",
        data={"csrf_token": csrf_of(page), "doc_type": "receipt"},
    )
    assert "not at an Understand step" in response.text
    assert _item(console, item_id)[0] == "FAILED"


def test_clerk_items_retype_does_what_the_console_does(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    from typer.testing import CliRunner

    from clerk_app.cli import app

    monkeypatch.setenv("CLERK_DATABASE_URL", str(console.app.state.engine.url))
    by_console, by_cli, locked = _failed(console), _failed(console), _failed(console)
    client = console.logged_in("rita", "reviewer")
    token = csrf_of(client.get(f"/console/items/{by_console}").text)
    client.post(
        f"/console/items/{by_console}/retype", data={"csrf_token": token, "doc_type": "receipt"}
    )
    runner = CliRunner()
    unknown = runner.invoke(app, ["items", "retype", by_cli[:8], "--as", "memo"])
    assert unknown.exit_code == 1 and "must be one of invoice" in unknown.output
    result = runner.invoke(app, ["items", "retype", by_cli[:8], "--as", "receipt"])
    assert result.exit_code == 0, result.output
    assert f"item {by_cli} goes back to be read again as Receipt" in result.output

    def outcome(item_id: str) -> tuple[Any, ...]:
        with transaction(console.factory) as session:
            item = session.get_one(WorkItem, item_id)
            rows = session.scalars(select(Correction).where(Correction.work_item_id == item_id))
            actions = session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == item_id)
            )
            override = dict(item.payload["doc_type_override"])
            override.pop("set_by")
            return (
                item.state,
                item.payload["understanding"],
                override,
                [(r.field_name, r.original_value, r.corrected_value) for r in rows],
                sorted(actions),
            )

    assert outcome(by_cli) == outcome(by_console)
    with transaction(console.factory) as session:
        item = session.get_one(WorkItem, by_cli)
        assert item.payload["doc_type_override"]["set_by"] == getpass.getuser()
        actor = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity_id == by_cli, AuditEntry.action == "item.retype"
            )
        ).one()
        assert actor == f"cli:{getpass.getuser()}"
    console.logged_in("alice", "reviewer").get(f"/console/items/{locked}")  # takes the lock
    waits = runner.invoke(app, ["items", "retype", locked, "--as", "receipt"])
    assert waits.exit_code == 1 and "locked by alice" in waits.output
