"""``die_with_parent``: a child started with it ends when its parent is SIGKILLed; and
``process_tree`` / ``kill_leftovers``, the last resort after an orderly stop."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl")

# A parent that starts a sleeping child in a session of its own (as the worker starts its
# robots: no signal to the parent's group reaches it), prints its pid and waits.
PARENT = """
import subprocess, sys, time
from clerk.processes import die_with_parent

child = subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(60)"],
    start_new_session=True,
    preexec_fn=die_with_parent,
)
print(child.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_child_started_with_die_with_parent_ends_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    with parent.stdout:
        line = parent.stdout.readline()
    assert line, "the parent did not start its child (its error is above)"
    child = int(line)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(child):
        os.kill(child, signal.SIGKILL)
        raise AssertionError(f"child {child} outlived its SIGKILLed parent by 10 s")


def test_called_outside_a_fork_it_only_sets_the_callers_own_signal() -> None:
    code = (
        "import ctypes; from clerk.processes import die_with_parent; die_with_parent(); "
        "sig = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(sig)); print(sig.value)"
    )  # 2: PR_GET_PDEATHSIG
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == signal.SIGTERM


def test_the_leftovers_of_a_process_tree_are_killed_and_no_one_else() -> None:
    from clerk.processes import kill_leftovers, process_tree

    # A grandchild in a session of its own, as a robot under the worker.
    tree = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
         "'import time; time.sleep(60)'], start_new_session=True); time.sleep(60)"],
    )  # fmt: skip
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        deadline = time.monotonic() + 20
        while len(found := process_tree(tree.pid)) < 2:
            assert time.monotonic() < deadline, "the grandchild did not start"
            time.sleep(0.05)
        pids = [pid for pid, _ in found]
        assert pids[0] == tree.pid and bystander.pid not in pids
        assert sorted(kill_leftovers(found)) == sorted(pids)
        assert tree.wait(timeout=10) == -signal.SIGKILL
        deadline = time.monotonic() + 10
        while _alive(pids[1]):
            assert time.monotonic() < deadline, "the grandchild outlived the kill"
            time.sleep(0.05)
        assert bystander.poll() is None
        assert kill_leftovers(found) == []  # ended ones are not signalled again
    finally:
        for process in (tree, bystander):
            process.kill()
            process.wait()


# A parent that guards a group led by a shell whose child sleeps (a robot under a wrapper
# script: the parent-death signal reaches the shell only), prints the sleeper's pid and
# waits; with "bye" it closes the guard in order first.
GUARDED = """
import subprocess, sys, time
from clerk.processes import GroupGuard, die_with_parent

guard = GroupGuard(grace=0.5)
shell = subprocess.Popen(
    ["sh", "-c", "sleep 60 & echo $!; wait"],
    stdout=subprocess.PIPE,
    text=True,
    start_new_session=True,
    preexec_fn=die_with_parent,
)
guard.add(shell.pid)
print(shell.stdout.readline().strip(), flush=True)
if sys.argv[1:] == ["bye"]:
    guard.close()
    print("closed", flush=True)
time.sleep(60)
"""


def _guarded(*args: str) -> tuple[subprocess.Popen[str], int]:
    parent = subprocess.Popen(
        [sys.executable, "-c", GUARDED, *args], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    assert line.strip().isdigit(), "the parent did not start its group (its error is above)"
    if args:
        assert parent.stdout.readline().strip() == "closed"
    return parent, int(line)


def test_a_guarded_groups_grandchild_ends_soon_after_its_parent_is_killed() -> None:
    parent, sleeper = _guarded()
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    parent.stdout.close()  # type: ignore[union-attr]
    killed = time.monotonic()
    while _alive(sleeper) and time.monotonic() - killed < 5:
        time.sleep(0.05)
    if _alive(sleeper):
        os.kill(sleeper, signal.SIGKILL)
        raise AssertionError(f"grandchild {sleeper} outlived its SIGKILLed grandparent by 5 s")
    assert time.monotonic() - killed < 2


def test_a_guard_closed_in_order_leaves_the_groups_alone() -> None:
    parent, sleeper = _guarded("bye")
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        parent.stdout.close()  # type: ignore[union-attr]
        time.sleep(1.5)  # longer than the guard's grace: it would have killed by now
        assert _alive(sleeper)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(sleeper, signal.SIGKILL)
