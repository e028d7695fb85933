"""Child processes that end with the process that started them.

``die_with_parent`` is a ``preexec_fn`` for ``subprocess.Popen``: on Linux it has the
kernel send the child SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``), however
the parent dies: a SIGKILL or a crash runs none of the parent's own clean-up, and a child
in a session of its own (``start_new_session=True``) gets no signal its parent's
terminal or process group gets. Elsewhere it does nothing.

What to know when using it:

- The kernel's "parent" is the *thread* that started the child: the signal comes when
  that thread ends, even while the process lives on. Start such a child from a thread
  that lives as long as the child should (the main thread, or a thread that waits for
  the child).
- The setting survives the child's ``exec`` but not its forks: a grandchild needs its
  own, or to be in a process group that someone kills.
- It runs in the child between ``fork`` and ``exec``, which ``subprocess`` warns about in
  threaded programs (a lock another thread held at the fork stays held in the child).
  So it does little: a call of ``prctl``, looked up here beforehand, and a ``getppid``;
  no import, no library loading, no lock.

``GroupGuard`` covers what the parent-death signal cannot: a child's own children (a
robot started by a wrapper script or ``sh -c``; a browser). It is a small watchdog
process that the parent tells, over a pipe, which process groups it runs; when the pipe
closes without a goodbye (the parent died, however), it sends each group still there
SIGTERM and, a second later, SIGKILL.

This module is part of the kernel package: standard library only.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
DEATH_SIGNAL = int(signal.SIGTERM)  # what the worker and the servers stop in order on


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # the C library Python runs on
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


_prctl = _load_prctl()
_parent_pid = os.getpid()


def _before_fork() -> None:
    global _parent_pid
    _parent_pid = os.getpid()


# Run in the parent just before each fork (``subprocess`` runs the hooks when it has a
# preexec_fn): the child compares its parent with this after asking for the signal.
os.register_at_fork(before=_before_fork)


def die_with_parent() -> None:
    """Ask for SIGTERM when the parent (thread) dies; a ``preexec_fn``. Linux only."""
    if _prctl is None:
        return
    if _prctl(PR_SET_PDEATHSIG, DEATH_SIGNAL, 0, 0, 0) != 0:
        return  # not granted (a sandbox refusing prctl): the child runs as before
    if os.getpid() != _parent_pid and os.getppid() != _parent_pid:
        # In a forked child whose parent died between the fork and the prctl, too early
        # to signal it: do not start (subprocess reports this to a parent that is gone).
        raise ChildProcessError("the parent process ended before the child started")


def stop_child(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Ends a child started by this process: SIGTERM, and SIGKILL after ``grace``
    seconds if it has not exited; reaped either way."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def process_tree(pid: int) -> list[tuple[int, int]]:
    """``pid`` and every living descendant as (pid, start time), parents first; the start
    time tells a process from a later one that got its pid. Read from ``/proc``: empty
    where there is none, or when ``pid`` has ended."""
    root = _stat(pid)
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    if root is None:
        return []
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in entries:
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            children.setdefault(stat[0], []).append((int(entry), stat[1]))
    found = [(pid, root[1])]
    for parent, _ in found:  # grows as it goes: breadth first
        found.extend(children.get(parent, []))
    return found


def kill_leftovers(processes: list[tuple[int, int]]) -> list[int]:
    """SIGKILL those of ``processes`` (from ``process_tree``) that still run; their pids.
    The last resort after an orderly stop: whatever it missed does not outlive us."""
    killed = []
    for pid, started in processes:
        stat = _stat(pid)
        if stat is None or stat[1] != started or stat[2] == "Z":
            continue
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except ProcessLookupError:
            pass
    return killed


def _stat(pid: int) -> tuple[int, int, str] | None:
    """(parent pid, start time, state) from ``/proc/<pid>/stat``, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            text = file.read().decode(errors="replace")
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()  # the command name may hold spaces
    return int(fields[1]), int(fields[19]), fields[0]


# The watchdog: "+<pgid>" / "-<pgid>" lines add and drop groups; "." is the goodbye of a
# parent that stops in order. Anything else ending the input means the parent is gone.
_GUARD = r"""
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
groups, bye = set(), False
for line in sys.stdin:
    line = line.strip()
    if line == ".":
        bye = True
        break
    if line[1:].isdigit():
        (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
if not bye and groups:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for group in list(groups):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                groups.discard(group)
        if groups and sig == signal.SIGTERM:
            time.sleep(GRACE)
"""


class GroupGuard:
    """Ends the process groups a parent registers if the parent dies (see the module).

    Start it before the groups' leaders; ``add`` a group once its leader is started
    (``start_new_session=True``: its pid is the group id) and ``discard`` it once reaped.
    """

    def __init__(self, grace: float = 1.0) -> None:
        self._lock = threading.Lock()
        # Its own session: a Ctrl-C or a signal to the parent's group does not reach it.
        # close_fds (the default) keeps the pipe out of every other child, so the pipe
        # closes when the parent dies, not when the last robot does.
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _GUARD.replace("GRACE", repr(grace))],
            stdin=subprocess.PIPE,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self._process.pid

    def add(self, group: int) -> None:
        self._say(f"+{group}")

    def discard(self, group: int) -> None:
        self._say(f"-{group}")

    def close(self) -> None:
        """An orderly end: the guard leaves the groups alone and exits."""
        self._say(".")
        with self._lock:
            if self._process.stdin is not None:
                self._process.stdin.close()
        self._process.wait()

    def _say(self, line: str) -> None:
        with self._lock:
            stdin = self._process.stdin
            if stdin is None or stdin.closed:
                return
            try:
                stdin.write(line.encode() + b"\n")
                stdin.flush()
            except (BrokenPipeError, ValueError):
                pass  # the guard is gone: the parent-death signal still applies
