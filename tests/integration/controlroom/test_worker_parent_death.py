"""A ``clerk worker`` killed outright (SIGKILL: no handler runs) takes its robots along.

The robots run in sessions of their own, so nothing the worker's terminal or process
group gets reaches them; the kernel's parent-death signal (``clerk.processes``) does.
The real Control Room, worker and ``crashy`` robot of ``test_worker_crash``.
"""

from __future__ import annotations

import subprocess
import time

import psutil
import pytest

from tests.integration.controlroom import test_worker_crash as crash

pytestmark = pytest.mark.slow
# The robot must end this soon after its worker (issue 16 item 8: one kept processing
# items for 10.6 s). The kernel signals it at once; the rest is Python's exit.
ENDS_WITHIN = 2.0

# The Control Room and worker fixtures of the crash tests, shared rather than copied.
backend = crash.backend
controlroom = crash.controlroom
worker = crash.worker


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize("process", ["crashy", "shelled"])
def test_sigkill_of_the_worker_ends_its_robot(
    controlroom: crash.ControlRoom, worker: subprocess.Popen[bytes], process: str
) -> None:
    """``shelled`` runs the robot under ``sh -c``: the worker's child is the shell, and
    the robot, its grandchild, must end as soon."""
    folder = controlroom.root / "crashy"
    (folder / "hang-on-0").touch()
    controlroom.start_run(process, [{"n": 0}])
    hanging = folder / "hanging.pid"
    robot = int(crash._wait(lambda: hanging.exists() and hanging.read_text(), 30, "the robot"))
    assert robot in {p.pid for p in psutil.Process(worker.pid).children(recursive=True)}

    worker.kill()
    killed = time.monotonic()
    worker.wait(timeout=10)
    try:
        crash._wait(lambda: _gone(robot), ENDS_WITHIN, f"robot pid {robot} to end with its worker")
    finally:
        if not _gone(robot):
            psutil.Process(robot).kill()
    assert time.monotonic() - killed < ENDS_WITHIN + 0.5  # the poll's own granularity
