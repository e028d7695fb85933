"""Acceptance: an unmodified Robocorp robot runs against Clerk's Control Room.

The robot (``robot/tasks.py``) imports only ``robocorp.tasks`` and ``robocorp.workitems``
and is started exactly as RCC would start it, with only ``RC_*`` variables pointing at
the server. The Control Room's state is then checked item by item.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from controlroom import _audit as audit
from controlroom.db import transaction
from controlroom.models import AuditEntry, File, StepRun, WorkItem
from controlroom.services import runs, steps
from controlroom.services._step_end import end_step_run
from controlroom.states import StepRunState
from tests.integration.controlroom.conftest import Server

pytestmark = pytest.mark.slow

# The environment a robot gets: the RC_* variables and what any process needs to start.
_KEEP = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _run_robot(
    server: Server, robot_dir: Path, run_id: str, position: int, task: str, out: Path
) -> tuple[subprocess.CompletedProcess[str], str, str | None]:
    """Open and start a step run, run the robot task, end the step run like a worker."""
    with transaction(server.sessions) as s:
        step_run = steps.open_step_run(s, run_id, position, actor="test")
        started = steps.start_step_run(s, step_run.id, actor="test")
    env = {k: v for k, v in os.environ.items() if k in _KEEP}
    env.update(steps.robot_environment(started, server.base_url))
    assert sorted(k for k in env if k.startswith("RC_")) == sorted(
        [
            "RC_WORKSPACE_ID",
            "RC_PROCESS_ID",
            "RC_PROCESS_RUN_ID",
            "RC_ACTIVITY_RUN_ID",
            "RC_WORKITEM_ID",
            "RC_API_WORKITEM_HOST",
            "RC_API_WORKITEM_TOKEN",
            "RC_API_PROCESS_HOST",
            "RC_API_PROCESS_TOKEN",
        ]
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "robocorp.tasks",
            "run",
            "tasks.py",
            "-t",
            task,
            "-o",
            str(out / f"{task}-{started.step_run_id}"),
        ],
        cwd=robot_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    with transaction(server.sessions) as s:
        sr = s.get_one(StepRun, started.step_run_id)
        outcome = StepRunState.COMPLETED if result.returncode == 0 else StepRunState.FAILED
        end_step_run(s, sr, outcome, exit_code=result.returncode, message="", actor="test")
        runs.refresh_run_state(s, run_id, actor="test")
    return result, started.step_run_id, started.first_item_id


def _items(server: Server, token: str, **params: Any) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.base_url}/api/v1/items",
        params={**params, "limit": 500},
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    return response.json()["items"]


def _files(server: Server, item_id: str) -> dict[str, bytes]:
    with transaction(server.sessions) as s:
        rows = s.scalars(select(File).where(File.work_item_id == item_id)).all()
        return {f.name: server.blobs.get(f.blob_key) for f in rows}


def test_stock_robot_runs_unchanged(server: Server, robot_dir: Path, tmp_path: Path) -> None:
    _ws, admin = server.workspace(f"acceptance-{uuid.uuid4().hex[:8]}")
    auth = {"Authorization": f"Bearer {admin}"}
    api = f"{server.base_url}/api/v1"
    process = httpx.post(
        f"{api}/processes",
        headers=auth,
        json={
            "name": "acceptance",
            "steps": [
                {
                    "robot_dir": str(robot_dir),
                    "task_name": "Consume",
                    "max_attempts": 2,
                    "backoff_seconds": 0,
                },
                {"robot_dir": str(robot_dir), "task_name": "Finish", "max_attempts": 1},
            ],
        },
    )
    assert process.status_code == 201, process.text

    docs = {
        "a.txt": b"Invoice A\nTotal 100.00 EUR\n",
        "b.bin": os.urandom(300_000),
        "e.dat": bytes(range(256)) * 40,
    }
    items = [
        {"payload": {"kind": "ok", "doc": "A"}, "files": ["a.txt"]},
        {"payload": {"kind": "ok", "doc": "B"}, "files": ["b.bin"]},
        {"payload": {"kind": "business", "doc": "C"}},
        {"payload": {"kind": "application", "doc": "D"}},
        {"payload": {"kind": "flaky", "doc": "E"}, "files": ["e.dat"]},
    ]

    started = httpx.post(
        f"{api}/processes/acceptance/runs",
        headers=auth,
        data={"items": json.dumps(items)},
        files=[("files", (name, data)) for name, data in docs.items()],
    )
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    inputs = {i["payload"]["doc"]: i for i in _items(server, admin, run=run_id, step=1)}
    assert set(inputs) == set("ABCDE")

    result, step1, first = _run_robot(server, robot_dir, run_id, 1, "consume", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert first == inputs["A"]["id"]  # RC_WORKITEM_ID was the first input

    step1_items = {i["payload"]["doc"]: i for i in _items(server, admin, run=run_id, step=1)}
    expect = {
        "A": ("COMPLETED", 1, None),
        "B": ("COMPLETED", 1, None),
        "C": (
            "FAILED",
            1,
            {"type": "BUSINESS", "code": "NEEDS_REVIEW", "message": "Total does not match"},
        ),
        "D": (
            "FAILED",
            2,
            {"type": "APPLICATION", "code": "ERP_TIMEOUT", "message": "ERP did not answer"},
        ),
        "E": ("COMPLETED", 2, None),
    }
    for doc, (state, attempts, exception) in expect.items():
        item = step1_items[doc]
        assert (item["state"], item["attempts"], item["exception"]) == (
            state,
            attempts,
            exception,
        ), doc
        assert item["id"] == inputs[doc]["id"]  # a re-queued item keeps its id
    assert step1_items["E"]["payload"]["seen"] is True  # PUT data from the robot

    outputs = {i["payload"]["doc"]: i for i in _items(server, admin, run=run_id, step=2)}
    assert set(outputs) == {"A", "B", "E"}
    for doc, name in (("A", "a.txt"), ("B", "b.bin"), ("E", "e.dat")):
        out = outputs[doc]
        assert out["parent_id"] == inputs[doc]["id"]
        assert out["created_by"] == step1
        assert out["state"] == "PENDING"
        files = _files(server, out["id"])
        assert files["copy.bin"] == docs[name]  # byte-identical through both transfers
        digest = hashlib.sha256(docs[name]).hexdigest()
        assert files["summary.txt"].decode() == f"{digest} {len(docs[name])}\n"
        assert out["payload"] == {"doc": doc, "sha256": digest, "leave": doc == "E"}

    result, step2, first2 = _run_robot(server, robot_dir, run_id, 2, "finish", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert first2 == outputs["A"]["id"]
    step2_items = {i["id"]: i for i in _items(server, admin, run=run_id, step=2)}
    for doc in "ABE":
        item = step2_items[outputs[doc]["id"]]
        assert (item["state"], item["attempts"], item["exception"]) == ("COMPLETED", 1, None)
    finals = [i for i in step2_items.values() if i["parent_id"] == outputs["A"]["id"]]
    assert [f["payload"] for f in finals] == [{"final": "A"}]
    assert finals[0]["state"] == "COMPLETED" and finals[0]["created_by"] == step2

    run = httpx.get(f"{api}/runs/{run_id}", headers=auth).json()
    assert run["state"] == "FAILED"  # done, with C and D in the exception queue
    assert run["items_by_step"] == {"1": {"COMPLETED": 3, "FAILED": 2}, "2": {"COMPLETED": 4}}
    assert [s["state"] for s in run["step_runs"]] == ["COMPLETED", "COMPLETED"]

    with transaction(server.sessions) as s:
        e_out = s.get_one(WorkItem, outputs["E"]["id"])
        trail = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == e_out.id).order_by(AuditEntry.seq)
        ).all()
        actions = [a.action for a in trail]
        assert actions[0] == "item.create_output"
        assert "item.reserve" in actions
        assert actions[-1] == "work_item.resolve"  # left IN_PROGRESS by a passing task
        d_trail = [
            a.action
            for a in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id == inputs["D"]["id"])
                .order_by(AuditEntry.seq)
            )
        ]
        assert d_trail == [
            "item.create",
            "item.reserve",
            "item.release",
            "item.reserve",
            "item.release",
        ]
        chain = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        prev = audit.GENESIS_HASH
        for entry in chain:
            assert entry.prev_hash == prev
            assert entry.hash == audit.entry_hash(prev, entry)
            prev = entry.hash


def test_parallel_robots_share_one_queue(server: Server, robot_dir: Path, tmp_path: Path) -> None:
    """Three stock robots drain one step's queue at once: each item is served once."""
    _ws, admin = server.workspace(f"parallel-{uuid.uuid4().hex[:8]}")
    auth = {"Authorization": f"Bearer {admin}"}
    api = f"{server.base_url}/api/v1"
    step = {"robot_dir": str(robot_dir), "task_name": "Consume", "max_attempts": 1}
    assert (
        httpx.post(
            f"{api}/processes", headers=auth, json={"name": "parallel", "steps": [step]}
        ).status_code
        == 201
    )
    items = [{"payload": {"kind": "ok", "doc": f"d{i}"}, "files": [f"d{i}.txt"]} for i in range(18)]
    started = httpx.post(
        f"{api}/processes/parallel/runs",
        headers=auth,
        data={"items": json.dumps(items)},
        files=[("files", (f"d{i}.txt", f"doc {i}".encode())) for i in range(18)],
    )
    run_id = started.json()["id"]
    robots = []
    for n in range(3):
        with transaction(server.sessions) as s:
            opened = steps.open_step_run(s, run_id, 1, actor="test")
            sr = steps.start_step_run(s, opened.id, actor="test")
        env = {k: v for k, v in os.environ.items() if k in _KEEP}
        env.update(steps.robot_environment(sr, server.base_url))
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "robocorp.tasks",
                "run",
                "tasks.py",
                "-t",
                "consume",
                "-o",
                str(tmp_path / f"out{n}"),
            ],
            cwd=robot_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        robots.append((sr.step_run_id, proc))
    for step_run_id, proc in robots:
        output, _ = proc.communicate(timeout=180)
        assert proc.returncode == 0, output
        with transaction(server.sessions) as s:
            end_step_run(
                s,
                s.get_one(StepRun, step_run_id),
                StepRunState.COMPLETED,
                exit_code=0,
                message="",
                actor="test",
            )
    inputs = _items(server, admin, run=run_id, step=1)
    originals = [i for i in inputs if i["parent_id"] is None]
    assert len(originals) == 18
    assert {(i["state"], i["attempts"]) for i in originals} == {("COMPLETED", 1)}
    outputs = [i for i in inputs if i["parent_id"] is not None]  # last step: kept COMPLETED
    assert sorted(o["parent_id"] for o in outputs) == sorted(i["id"] for i in originals)
    with transaction(server.sessions) as s:
        reserves = s.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.action == "item.reserve",
                AuditEntry.entity_id.in_([i["id"] for i in originals]),
            )
        ).all()
    assert sorted(reserves) == sorted(i["id"] for i in originals)  # exactly once each
