"""A ``clerk worker`` killed outright (SIGKILL: no handler runs) takes its robots along.

The robots run in sessions of their own, so nothing the worker's terminal or process
group gets reaches them; the kernel's parent-death signal (``clerk.processes``) does.
The real Control Room, worker and ``crashy`` robot of ``test_worker_crash``.
"""

from __future__ import annotations

import subprocess

import psutil
import pytest

from tests.integration.controlroom import test_worker_crash as crash

pytestmark = pytest.mark.slow

# The Control Room and worker fixtures of the crash tests, shared rather than copied.
backend = crash.backend
controlroom = crash.controlroom
worker = crash.worker


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_sigkill_of_the_worker_ends_its_robot(
    controlroom: crash.ControlRoom, worker: subprocess.Popen[bytes]
) -> None:
    folder = controlroom.root / "crashy"
    (folder / "hang-on-0").touch()
    controlroom.start_run("crashy", [{"n": 0}])
    hanging = folder / "hanging.pid"
    robot = int(crash._wait(lambda: hanging.exists() and hanging.read_text(), 30, "the robot"))
    assert robot in {p.pid for p in psutil.Process(worker.pid).children(recursive=True)}

    worker.kill()
    worker.wait(timeout=10)
    try:
        crash._wait(lambda: _gone(robot), 10, f"robot pid {robot} to end with its worker")
    finally:
        if not _gone(robot):
            psutil.Process(robot).kill()
