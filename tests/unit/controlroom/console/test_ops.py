"""Operators' pages: starting runs by upload and from the inbox, run detail, stop,
artifacts served safely, workers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sqlalchemy import select

from clerk.payloads import ItemPayload
from controlroom.db import transaction
from controlroom.models import Artifact, File, ProcessRun, StepRun, WorkItem
from controlroom.services import items, workers
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import csrf_of, fail_for_review, start_robot


def _items(console: Console, run_id: str) -> list[WorkItem]:
    with transaction(console.factory) as session:
        return list(session.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)))


def test_upload_makes_one_item_per_document_with_its_file(console: Console) -> None:
    client = console.logged_in("olga", "operator")
    token = csrf_of(client.get("/console/processes").text)
    response = client.post(
        f"/console/upload/{console.process_id}",
        data={"csrf_token": token},
        files=[
            ("documents", ("a.pdf", b"%PDF-1.4 a", "application/pdf")),
            ("documents", ("scans/b.weird", b"\x00\x01", "application/octet-stream")),
        ],
        follow_redirects=False,
    )
    assert response.status_code == 303
    run_id = response.headers["location"].split("/runs/")[1].split("?")[0]
    items = _items(console, run_id)
    assert len(items) == 2
    refs = {
        ItemPayload.parse(i.payload).document.name: ItemPayload.parse(i.payload).document
        for i in items
    }
    assert refs["a.pdf"].mime == "application/pdf"
    assert refs["b.weird"].mime == "application/octet-stream"
    assert refs["a.pdf"].sha256 == hashlib.sha256(b"%PDF-1.4 a").hexdigest()
    assert refs["a.pdf"].source == "upload:olga" and refs["a.pdf"].file == "a.pdf"
    with transaction(console.factory) as session:
        files = {f.name: f.sha256 for f in session.scalars(select(File))}
    assert files == {"a.pdf": refs["a.pdf"].sha256, "b.weird": refs["b.weird"].sha256}
    page = client.get(response.headers["location"])
    assert "Run started with 2 document(s)." in page.text and 'data-poll="' in page.text


def test_start_from_inbox_moves_the_files_after_the_run_exists(console: Console) -> None:
    inbox = console.home / "inbox"
    inbox.mkdir()
    (inbox / "one.pdf").write_bytes(b"%PDF-1.4 one")
    (inbox / "two.png").write_bytes(b"\x89PNG two")
    client = console.logged_in("olga", "operator")
    page = client.get("/console/processes")
    assert "2 document(s) waiting" in page.text
    response = client.post(
        f"/console/processes/{console.process_id}/inbox",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    run_id = response.headers["location"].split("/runs/")[1].split("?")[0]
    docs = sorted(ItemPayload.parse(i.payload).document.source for i in _items(console, run_id))
    assert docs == [f"inbox:{inbox / 'one.pdf'}", f"inbox:{inbox / 'two.png'}"]
    assert sorted(p.name for p in (inbox / ".started" / run_id).iterdir()) == ["one.pdf", "two.png"]
    assert [p for p in inbox.iterdir() if p.is_file()] == []
    empty = client.post(
        f"/console/processes/{console.process_id}/inbox", data={"csrf_token": csrf_of(page.text)}
    )
    assert empty.status_code == 400 and "has no documents" in empty.text


def test_run_page_live_partial_and_stop(console: Console) -> None:
    run_id, _ = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    client = console.logged_in("olga", "operator")
    live = client.get(f"/console/runs/{run_id}/live", headers={"X-Partial": "1"})
    assert live.status_code == 200 and "<html" not in live.text
    assert "X-Poll-Stop" not in live.headers
    assert 'data-state="FAILED" data-step="1">1<' in live.text
    token = csrf_of(client.get(f"/console/runs/{run_id}").text)
    stopped = client.post(f"/console/runs/{run_id}/stop", data={"csrf_token": token})
    assert "Run stopped." in stopped.text
    with transaction(console.factory) as session:
        assert session.get_one(ProcessRun, run_id).state == "CANCELLED"
    assert client.get(f"/console/runs/{run_id}/live").headers["X-Poll-Stop"] == "1"


def test_artifacts_log_html_is_an_attachment_and_screenshots_are_inline(console: Console) -> None:
    run_id, _ = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    blobs = console.app.state.blobs
    html = blobs.put(b"<html><script>alert(document.cookie)</script></html>")
    png = blobs.put(b"\x89PNG\r\n\x1a\nfake")
    with transaction(console.factory) as session:
        step_run = session.scalars(select(StepRun).where(StepRun.process_run_id == run_id)).one()
        for name, blob, kind in (("log.html", html, "log"), ("output/shot.png", png, "artifact")):
            session.add(
                Artifact(
                    step_run_id=step_run.id,
                    kind=kind,
                    name=name,
                    size=blob.size,
                    sha256=blob.key,
                    blob_key=blob.key,
                )
            )
    client = console.logged_in("vera", "viewer")
    page = client.get(f"/console/runs/{run_id}").text
    ids = {
        name: aid
        for aid, name in __import__("re").findall(
            r'/console/artifacts/([0-9a-f-]{36})"[^>]*>([^<]+)<', page
        )
    }
    assert "log.html" in ids
    log = client.get(f"/console/artifacts/{ids['log.html']}")
    assert log.headers["content-disposition"] == 'attachment; filename="log.html"'
    assert log.headers["content-type"] == "application/octet-stream"
    assert log.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert '<img src="/console/artifacts/' in page and 'alt="Screenshot output/shot.png"' in page
    with transaction(console.factory) as session:
        shot_id = session.scalars(
            select(Artifact.id).where(Artifact.name == "output/shot.png")
        ).one()
    shot = client.get(f"/console/artifacts/{shot_id}")
    assert shot.headers["content-type"] == "image/png" and "content-disposition" not in shot.headers


def test_workers_page_shows_heartbeat_and_current_work(console: Console) -> None:
    run_id, _ = fail_for_review(
        console.factory, console.client(), console.process_id, console.workspace_id
    )
    with transaction(console.factory) as session:
        worker = workers.register(
            session, console.workspace_id, "robot-host-1", "host1", 2, actor="test"
        )
        worker_id = worker.id
    robot = start_robot(console.factory, console.client(), run_id)
    with transaction(console.factory) as session:
        session.get_one(StepRun, robot.step_run_id).worker_id = worker_id
        workers.heartbeat(
            session, console.workspace_id, worker_id, [robot.step_run_id], actor="test"
        )
    client = console.logged_in("vera", "viewer")
    page = client.get("/console/workers").text
    assert "robot-host-1" in page and "BUSY" in page and "invoices · Understand" in page
    assert "1/2" in page
    run_page = client.get(f"/console/runs/{run_id}").text
    assert "robot-host-1" in run_page


def test_admin_creates_a_process_from_robot_folders(console: Console, tmp_path: Path) -> None:
    robot = tmp_path / "robot"
    robot.mkdir()
    (robot / "robot.yaml").write_text(
        "tasks:\n  Understand:\n    shell: python -m robocorp.tasks run\n"
    )
    admin = console.logged_in("root", "admin")
    token = csrf_of(admin.get("/console/processes").text)
    created = admin.post(
        "/console/processes",
        data={"csrf_token": token, "name": "receipts", "steps": f"{robot} Understand Read it\n"},
    )
    assert "Process receipts created." in created.text and "Read it" in created.text
    wrong = admin.post(
        "/console/processes",
        data={"csrf_token": token, "name": "bad", "steps": f"{robot} Missing"},
    )
    assert "Process not created" in wrong.text and "is not in" in wrong.text
    operator = console.logged_in("olga", "operator")
    refused = operator.post(
        "/console/processes",
        data={"csrf_token": csrf_of(operator.get("/console/").text), "name": "x", "steps": "a b"},
    )
    assert refused.status_code == 403


def test_a_completed_step_run_whose_item_failed_does_not_look_all_green(
    console: Console,
) -> None:
    client = console.logged_in("olga", "operator")
    run_id, item_id = fail_for_review(
        console.factory, client, console.process_id, console.workspace_id
    )
    with transaction(console.factory) as session:
        step_run = session.scalars(select(StepRun).where(StepRun.process_run_id == run_id)).one()
        assert step_run.state == "COMPLETED"
    page = client.get(f"/console/runs/{run_id}").text
    outcome = re.search(r'<td class="outcome">(.*?)</td>', page, re.S)
    assert outcome, page
    assert 'class="badge s-completed s-warn">COMPLETED<' in outcome.group(1)
    assert "· 1 of 1 item failed" in outcome.group(1)
    # A retry clears the item's failure; the step run's record of it stays.
    with transaction(console.factory) as session:
        items.retry(session, console.workspace_id, item_id, actor="user:rita", reason="")
    assert "· 1 of 1 item failed" in client.get(f"/console/runs/{run_id}").text
