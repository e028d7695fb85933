"""A real Control Room (uvicorn), a real ``clerk worker`` and a real robot that dies.

The ``crashy`` robot (``robots/crashy``, stock robocorp.workitems only) appends a ledger
line for each item it completes. The test makes it hang on one item and SIGKILLs it
there: the worker must report the crash, the Control Room must put the item back and
start a new step run, and in the end every item is COMPLETED with exactly one ledger
line each.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from clerk.serving import free_port
from controlroom._db_types import utcnow
from controlroom.db import make_engine, make_sessionmaker, transaction
from controlroom.files import BlobStore
from controlroom.models import Artifact, ProcessRun, StepRun, Worker, WorkItem
from controlroom.services import tokens
from controlroom.services.processes import RetryPolicy, StepSpec, create_process, ensure_workspace
from controlroom.states import TokenKind
from tests.unit.controlroom.dbhelpers import BACKENDS, fresh_database

pytestmark = pytest.mark.slow
ROBOT = Path(__file__).parent / "robots" / "crashy"


@dataclass
class ControlRoom:
    url: str
    db_url: str
    root: Path
    worker_token: str
    api_token: str
    server: subprocess.Popen[bytes]
    env: dict[str, str]

    engine: Any = None

    def sessions(self) -> Any:
        if self.engine is None:
            self.engine = make_engine(self.db_url)
        return make_sessionmaker(self.engine)

    def start_server(self) -> None:
        port = self.url.rsplit(":", 1)[1]
        with (self.root / "server.log").open("ab") as log:  # the child keeps its own fd
            self.server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "controlroom.api:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    port,
                    "--log-level",
                    "warning",
                ],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        _wait(lambda: _up(self.url), 20, "the Control Room to start")

    def stop_server(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=20)

    def start_run(self, process: str, payloads: list[dict[str, Any]]) -> str:
        reply = httpx.post(
            f"{self.url}/api/v1/processes/{process}/runs",
            json={"items": [{"payload": p} for p in payloads]},
            headers={"Authorization": f"Bearer {self.api_token}"},
        )
        assert reply.status_code == 201, reply.text
        return str(reply.json()["id"])


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/openapi.json", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _wait(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture()
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture()
def controlroom(tmp_path: Path, backend: str) -> Iterator[ControlRoom]:
    with fresh_database(backend, tmp_path) as db_url:
        yield from _controlroom(tmp_path, db_url)


def _controlroom(tmp_path: Path, db_url: str) -> Iterator[ControlRoom]:
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as s:
        ws = ensure_workspace(s, "default")
        quick = RetryPolicy(max_attempts=3, backoff_seconds=0)
        for name, task in (("crashy", "Process"), ("holder", "Hold")):
            create_process(s, ws.id, name, [StepSpec(str(ROBOT), task, retry=quick)], actor="test")
        shelled = [StepSpec(str(ROBOT), "ProcessInShell", retry=quick)]
        create_process(s, ws.id, "shelled", shelled, actor="test")
        once = RetryPolicy(max_attempts=1)
        create_process(s, ws.id, "leaky", [StepSpec(str(ROBOT), "Leak", retry=once)], actor="test")
        two_steps = [StepSpec(str(ROBOT), task, retry=quick) for task in ("Process", "Collect")]
        create_process(s, ws.id, "emitter", two_steps, actor="test")
        _, worker_token = tokens.create(s, ws.id, TokenKind.WORKER, name="w", actor="test")
        _, api_token = tokens.create(s, ws.id, TokenKind.API, name="op", actor="test")
    engine.dispose()
    (tmp_path / "crashy").mkdir()
    env = {
        **os.environ,
        "CLERK_HOME": str(tmp_path / "home"),
        "CLERK_DATABASE_URL": db_url,
        "CLERK_FILES_DIR": str(tmp_path / "files"),
        "CLERK_SCHEDULER_INTERVAL": "0.3",
        "CLERK_WORKER_HEARTBEAT_SECONDS": "0.5",
        "CLERK_WORKER_TIMEOUT_SECONDS": "5",
        "CRASHY_DIR": str(tmp_path / "crashy"),
        "CRASHY_PYTHON": sys.executable,
    }
    room = ControlRoom(
        f"http://127.0.0.1:{free_port()}", db_url, tmp_path, worker_token, api_token, None, env
    )  # type: ignore[arg-type]
    room.start_server()
    yield room
    if room.server.poll() is None:
        room.stop_server()
    if room.engine is not None:
        room.engine.dispose()


@pytest.fixture()
def worker(controlroom: ControlRoom) -> Iterator[subprocess.Popen[bytes]]:
    process = start_worker(controlroom, ["--token", controlroom.worker_token], {})
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def start_worker(
    controlroom: ControlRoom, token_args: list[str], env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """``clerk worker`` for ``controlroom``, given its token by ``token_args`` or ``env``."""
    with (controlroom.root / "worker.log").open("ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from clerk_app.cli import main; main()",
                "worker",
                "--controlroom",
                controlroom.url,
                *token_args,
                "--concurrency",
                "2",
                "--name",
                "test-worker",
                "--poll",
                "0.2",
                "--grace",
                "2",
                "--work-dir",
                str(controlroom.root / "work"),
            ],
            env={**controlroom.env, **env},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def _run_state(room: ControlRoom, run_id: str) -> str | None:
    with room.sessions()() as s:
        state = s.get_one(ProcessRun, run_id).state
    return state if state in ("COMPLETED", "FAILED", "CANCELLED") else None


def _logs(room: ControlRoom) -> str:
    return "".join(
        f"\n--- {name} ---\n" + (room.root / name).read_text(errors="replace")[-4000:]
        for name in ("server.log", "worker.log")
        if (room.root / name).exists()
    )


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_robot_killed_mid_item_is_retried_and_each_item_completes_exactly_once(
    controlroom: ControlRoom, worker: subprocess.Popen[bytes]
) -> None:
    crashy = controlroom.root / "crashy"
    (crashy / "hang-on-1").touch()
    run_id = controlroom.start_run("crashy", [{"n": n} for n in range(3)])
    pid = int(
        _wait(
            lambda: (crashy / "hanging.pid").exists() and (crashy / "hanging.pid").read_text(),
            30,
            "the robot to hang",
        )
    )
    os.kill(pid, signal.SIGKILL)
    state = _wait(lambda: _run_state(controlroom, run_id), 60, "the run to end")
    assert state == "COMPLETED", _logs(controlroom)

    lines = (crashy / "ledger.txt").read_text().splitlines()
    with controlroom.sessions()() as s:
        items = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).all()
        step_runs = s.scalars(
            select(StepRun).where(StepRun.process_run_id == run_id).order_by(StepRun.created_at)
        ).all()
        artifacts = s.scalars(
            select(Artifact.name).where(Artifact.step_run_id == step_runs[-1].id)
        ).all()
    ledger_ids = sorted(line.split()[0] for line in lines)
    assert ledger_ids == sorted(i.id for i in items), "each item completes exactly once"
    assert {i.state for i in items} == {"COMPLETED"}
    assert sorted((i.payload["n"], i.attempts) for i in items) == [(0, 1), (1, 2), (2, 1)]
    assert [s.state for s in step_runs] == ["CRASHED", "COMPLETED"]
    assert step_runs[0].exit_code == -signal.SIGKILL
    assert {"console.log", "log.html.gz"} <= set(artifacts)  # gzipped by the worker
    # The run's correlation id reached the robot's environment and its console log.
    with controlroom.sessions()() as s:
        cid = s.get_one(ProcessRun, run_id).correlation_id
        console = s.scalars(
            select(Artifact).where(
                Artifact.step_run_id == step_runs[-1].id, Artifact.name == "console.log"
            )
        ).one()
    text = BlobStore(controlroom.root / "files").get(console.blob_key).decode()
    assert f"cid={cid}" in text and f"correlation {cid}" in text
    assert worker.poll() is None, "the worker survives its robot's crash"


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_robot_killed_after_making_an_output_leaves_no_duplicate_for_step_two(
    controlroom: ControlRoom, worker: subprocess.Popen[bytes]
) -> None:
    crashy = controlroom.root / "crashy"
    (crashy / "hang-on-1").touch()
    run_id = controlroom.start_run("emitter", [{"n": n, "emit": True} for n in range(3)])
    pid = int(
        _wait(
            lambda: (crashy / "hanging.pid").exists() and (crashy / "hanging.pid").read_text(),
            30,
            "the robot to hang after making item 1's output",
        )
    )
    os.kill(pid, signal.SIGKILL)
    state = _wait(lambda: _run_state(controlroom, run_id), 60, "the run to end")
    assert state == "COMPLETED", _logs(controlroom)
    collected = (crashy / "collected.txt").read_text().splitlines()
    with controlroom.sessions()() as s:
        items = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).all()
    inputs = sorted(i.id for i in items if i.parent_id is None)
    assert len(inputs) == 3 and len(items) == 6, "one output per input, none left behind"
    assert sorted(line.split()[0] for line in collected) == inputs, "step 2 works once each"


def test_items_a_passing_task_left_unreleased_are_completed_at_step_run_end(
    controlroom: ControlRoom, worker: subprocess.Popen[bytes]
) -> None:
    run_id = controlroom.start_run("holder", [{"n": 0}])
    assert _wait(lambda: _run_state(controlroom, run_id), 60, "the run to end") == "COMPLETED"
    with controlroom.sessions()() as s:
        item = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).one()
        step_run = s.scalars(select(StepRun).where(StepRun.process_run_id == run_id)).one()
    assert (controlroom.root / "crashy" / "held.txt").read_text() == item.id
    assert (item.state, item.attempts, step_run.state) == ("COMPLETED", 1, "COMPLETED")


def test_sigterm_hands_the_hanging_robots_item_back_and_the_worker_exits(
    controlroom: ControlRoom, worker: subprocess.Popen[bytes]
) -> None:
    crashy = controlroom.root / "crashy"
    (crashy / "hang-on-0").touch()
    run_id = controlroom.start_run("crashy", [{"n": 0}])
    _wait(lambda: (crashy / "hanging.pid").exists(), 30, "the robot to hang")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0, _logs(controlroom)
    with controlroom.sessions()() as s:
        item = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).one()
        step_run = s.scalars(select(StepRun).where(StepRun.process_run_id == run_id)).first()
    assert step_run is not None and step_run.state == "CANCELLED", _logs(controlroom)
    assert (item.state, item.attempts) == ("PENDING", 1)


def test_worker_rides_out_a_control_room_restart(
    controlroom: ControlRoom, worker: subprocess.Popen[bytes]
) -> None:
    first = controlroom.start_run("crashy", [{"n": 0}])
    assert _wait(lambda: _run_state(controlroom, first), 60, "the first run") == "COMPLETED"
    controlroom.stop_server()
    time.sleep(2)  # the worker's claims and heartbeats fail meanwhile and back off
    controlroom.start_server()
    second = controlroom.start_run("crashy", [{"n": 1}])
    state = _wait(lambda: _run_state(controlroom, second), 60, "the run after the restart")
    assert state == "COMPLETED", _logs(controlroom)
    assert worker.poll() is None


def test_live_step_runs_survive_a_control_room_outage_longer_than_the_worker_timeout(
    controlroom: ControlRoom, worker: subprocess.Popen[bytes]
) -> None:
    crashy = controlroom.root / "crashy"
    (crashy / "hang-on-0").touch()
    run_id = controlroom.start_run("crashy", [{"n": 0}])
    pid = int(
        _wait(
            lambda: (crashy / "hanging.pid").exists() and (crashy / "hanging.pid").read_text(),
            30,
            "the robot to start its item",
        )
    )
    controlroom.server.kill()  # SIGKILL: no goodbye
    controlroom.server.wait(timeout=20)
    time.sleep(6)  # past CLERK_WORKER_TIMEOUT_SECONDS=5: no heartbeat could arrive meanwhile
    # The worker's heartbeat retries back off up to 15 s, so it may come back that late.
    controlroom.env["CLERK_WORKER_RESTART_GRACE_SECONDS"] = "25"
    restarted = utcnow()
    controlroom.start_server()

    def heartbeat_after_restart() -> bool:
        with controlroom.sessions()() as s:
            (beat,) = s.scalars(select(Worker.last_heartbeat_at)).all()
        return beat is not None and beat > restarted

    _wait(heartbeat_after_restart, 25, "the worker to heartbeat again")
    with controlroom.sessions()() as s:
        states = s.scalars(select(StepRun.state).where(StepRun.process_run_id == run_id)).all()
    assert states == ["RUNNING"], _logs(controlroom)  # not CRASHED at the restart
    os.kill(pid, signal.SIGKILL)
    assert _wait(lambda: _run_state(controlroom, run_id), 60, "the run") == "COMPLETED"


def test_a_worker_with_a_wrong_token_exits_with_a_message(controlroom: ControlRoom) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from clerk_app.cli import main; main()",
            "worker",
            "--controlroom",
            controlroom.url,
            "--token",
            "clerk_not-a-token",
        ],
        env=controlroom.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown token" in result.stderr
