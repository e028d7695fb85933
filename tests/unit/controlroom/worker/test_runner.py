"""StepRunner with real robot subprocesses; the Control Room side is a recording stand-in
(the real server path is covered by tests/integration/controlroom/test_worker_crash.py)."""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from controlroom.worker import _runner as runner_module
from controlroom.worker._runner import RunnerConfig, StepRunner


class Recorder:
    token = "clerk_the-worker-token-of-the-recording-stand-in"

    def __init__(self) -> None:
        self.logs: list[bytes] = []
        self.artifacts: dict[str, bytes] = {}
        self.finished: dict[str, Any] = {}
        self.cids: set[str | None] = set()

    def log(self, step_run_id: str, chunk: bytes, *, cid: str | None = None) -> None:
        self.logs.append(chunk)
        self.cids.add(cid)

    def artifact(
        self, step_run_id: str, name: str, data: bytes, deadline: float, *, cid: str | None = None
    ) -> None:
        self.artifacts[name] = data

    def finish(
        self,
        step_run_id: str,
        exit_code: int | None,
        *,
        cancelled: bool,
        message: str,
        deadline: float | None,
        cid: str | None = None,
    ) -> dict[str, Any]:
        self.finished = {"exit_code": exit_code, "cancelled": cancelled, "message": message}
        return {"state": "done"}


def _robot(tmp_path: Path, shell: str) -> Path:
    robot = tmp_path / "robot"
    robot.mkdir()
    (robot / "robot.yaml").write_text(f"tasks:\n  Main:\n    shell: {shell}\n")
    return robot


def _runner(tmp_path: Path, robot: Path, client: Recorder) -> StepRunner:
    claim = {
        "id": "sr-1",
        "correlationId": "cid-1",
        "robotDir": str(robot),
        "taskName": "Main",
        "env": {"RC_ACTIVITY_RUN_ID": "sr-1", "CLERK_CORRELATION_ID": "cid-1"},
    }
    config = RunnerConfig(
        robots_root=tmp_path, work_dir=tmp_path / "work", flush_seconds=0.1, kill_grace_seconds=2
    )
    return StepRunner(client, claim, config)  # type: ignore[arg-type]


def test_robot_output_artifacts_and_exit_code_reach_the_control_room(tmp_path: Path) -> None:
    script = tmp_path / "robot_script.py"
    script.write_text(
        "import os, pathlib, sys\n"
        "env = os.environ\n"
        "print('cid', env['CLERK_CORRELATION_ID'], 'run', env['RC_ACTIVITY_RUN_ID'])\n"
        "out = pathlib.Path(os.environ['ROBOT_ARTIFACTS'])\n"
        "(out / 'shots').mkdir()\n"
        "(out / 'shots' / 'a.png').write_bytes(b'png')\n"
        "sys.exit(3)\n"
    )
    client = Recorder()
    runner = _runner(tmp_path, _robot(tmp_path, f"python {script}"), client)
    runner.run()
    console = b"".join(client.logs).decode()
    assert "cid cid-1 run sr-1" in console and "correlation cid-1" in console
    assert client.artifacts == {"shots/a.png": b"png"}
    assert client.finished == {
        "exit_code": 3,
        "cancelled": False,
        "message": "robot exited with code 3",
    }
    assert client.cids == {"cid-1"}


def test_children_holding_the_output_open_do_not_hang_the_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "ORPHAN_GRACE", 0.5)
    client = Recorder()
    runner = _runner(tmp_path, _robot(tmp_path, "sh -c 'sleep 60 & echo started'"), client)
    started = time.monotonic()
    runner.run()
    assert time.monotonic() - started < 15
    assert client.finished["exit_code"] == 0


def test_cancel_stops_the_robot_and_reports_cancelled(tmp_path: Path) -> None:
    client = Recorder()
    runner = _runner(
        tmp_path,
        _robot(
            tmp_path, f"{sys.executable} -c 'import time; print(1, flush=True); time.sleep(60)'"
        ),
        client,
    )
    runner.start()
    deadline = time.monotonic() + 20
    while not client.logs and time.monotonic() < deadline:
        time.sleep(0.05)
    runner.cancel("operator stopped the run")
    runner.join(timeout=20)
    assert not runner.is_alive()
    assert client.finished["cancelled"] is True
    assert client.finished["exit_code"] < 0
    assert "operator stopped the run" in client.finished["message"]


def test_a_robocorp_robot_s_log_goes_up_as_log_html_gz_alone(tmp_path: Path) -> None:
    """A real robocorp-tasks robot: its log.html arrives gzipped, its robolog parts not."""
    (tmp_path / "tasks.py").write_text(
        "from robocorp.tasks import task\n\n@task\ndef main():\n    print('hello')\n"
    )
    robot = _robot(tmp_path, f"python -m robocorp.tasks run {tmp_path / 'tasks.py'} -t main")
    client = Recorder()
    _runner(tmp_path, robot, client).run()
    assert client.finished["exit_code"] == 0, b"".join(client.logs).decode()
    assert "log.html.gz" in client.artifacts, sorted(client.artifacts)
    assert not [n for n in client.artifacts if ".robolog" in n], sorted(client.artifacts)
    assert gzip.decompress(client.artifacts["log.html.gz"]).lstrip().startswith(b"<!DOCTYPE html>")


def test_the_group_guard_ends_with_a_worker_that_exits_in_order() -> None:
    import subprocess
    import sys

    import psutil

    done = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c",
         "from controlroom.worker._runner import group_guard; print(group_guard().pid)"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "still running" not in done.stderr and "Exception ignored" not in done.stderr
    guard = int(done.stdout.split()[-1])
    assert not psutil.pid_exists(guard) or psutil.Process(guard).status() == psutil.STATUS_ZOMBIE
