"""Roles: viewer < operator < reviewer < admin; a refused action is a 403 and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from controlroom.db import transaction
from controlroom.models import ProcessRun, WorkItem
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import csrf_of, fail_for_review, make_pdf


def _upload(client: object, console: Console) -> object:
    token = csrf_of(client.get("/console/processes").text)  # type: ignore[attr-defined]
    data, _ = make_pdf()
    return client.post(  # type: ignore[attr-defined]
        f"/console/upload/{console.process_id}",
        data={"csrf_token": token},
        files=[("documents", ("a.pdf", data, "application/pdf"))],
        follow_redirects=False,
    )


def _runs(console: Console) -> int:
    with transaction(console.factory) as session:
        return int(session.scalar(select(func.count()).select_from(ProcessRun)) or 0)


def test_viewer_reads_everything_but_cannot_start_a_run(console: Console) -> None:
    viewer = console.logged_in("vera", "viewer")
    for path in (
        "/console/",
        "/console/processes",
        "/console/runs",
        "/console/review",
        "/console/workers",
    ):
        assert viewer.get(path).status_code == 200, path
    assert "Upload and start run" not in viewer.get("/console/processes").text
    response = _upload(viewer, console)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "needs the operator role" in response.text  # type: ignore[attr-defined]
    assert _runs(console) == 0


@pytest.mark.parametrize("role", ["operator", "reviewer", "admin"])
def test_operator_and_above_start_runs(console: Console, role: str) -> None:
    client = console.logged_in(f"u-{role}", role)
    response = _upload(client, console)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert _runs(console) == 1


@pytest.mark.parametrize(
    ("role", "allowed"), [("viewer", False), ("operator", False), ("reviewer", True)]
)
def test_only_reviewers_act_on_failed_items(console: Console, role: str, allowed: bool) -> None:
    _, item_id = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    client = console.logged_in(f"u-{role}", role)
    page = client.get(f"/console/items/{item_id}")
    assert ("Approve and continue" in page.text) is allowed
    token = csrf_of(page.text)
    response = client.post(
        f"/console/items/{item_id}/retry", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == (303 if allowed else 403)
    with transaction(console.factory) as session:
        assert session.get_one(WorkItem, item_id).state == ("PENDING" if allowed else "FAILED")


def test_viewer_cannot_stop_a_run(console: Console) -> None:
    run_id, _ = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    viewer = console.logged_in("vera", "viewer")
    token = csrf_of(viewer.get(f"/console/runs/{run_id}").text)
    assert (
        viewer.post(f"/console/runs/{run_id}/stop", data={"csrf_token": token}).status_code == 403
    )


def test_only_admins_manage_users(console: Console) -> None:
    reviewer = console.logged_in("rita", "reviewer")
    assert reviewer.get("/console/users").status_code == 403
    token = csrf_of(reviewer.get("/console/").text)
    response = reviewer.post(
        "/console/users",
        data={"csrf_token": token, "username": "eve", "role": "admin", "password": "x" * 12},
    )
    assert response.status_code == 403
    admin = console.logged_in("root", "admin")
    token = csrf_of(admin.get("/console/users").text)
    created = admin.post(
        "/console/users",
        data={"csrf_token": token, "username": "eve", "role": "viewer", "password": "x" * 12},
    )
    assert "User eve created as viewer" in created.text
    token_page = admin.post(
        "/console/tokens", data={"csrf_token": token, "name": "ci", "kind": "api"}
    )
    assert "shown only once" in token_page.text
