"""``clerk controlroom --workers N``: N server processes on one port, stopped together,
by SIGTERM as by a SIGKILL of their parent (which cannot hand a signal on)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from clerk.serving import free_port
from tests.unit.controlroom.console.support import login

CLERK = str(Path(sys.executable).with_name("clerk"))


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _start_two(
    tmp_path: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int, list[psutil.Process]]:
    """``clerk controlroom --workers 2`` serving on a free port, with its two children."""
    port = free_port()
    env = {
        **os.environ,
        "CLERK_HOME": str(tmp_path / "home"),
        "CLERK_DATABASE_URL": f"sqlite:///{tmp_path / 'cr.db'}",
        **(extra_env or {}),
    }
    env.pop("CLERK_TRUSTED_PROXIES", None)
    env.pop("CLERK_SIGNING_KEY", None)
    with (tmp_path / "server.log").open("wb") as log:
        parent = subprocess.Popen(
            [CLERK, "controlroom", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = psutil.Process(parent.pid).children()
        try:
            ready = [
                httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code
                for _ in range(10)
            ]
            if ready == [200] * 10 and len(children) == 2:
                return parent, port, children
        except httpx.TransportError:
            pass
        if parent.poll() is not None:
            break
        time.sleep(0.2)
    parent.kill()
    raise AssertionError((tmp_path / "server.log").read_text())


def _end(parent: subprocess.Popen[bytes], children: list[psutil.Process]) -> None:
    if parent.poll() is None:
        parent.kill()
        parent.wait()
    for child in children:
        if _alive(child):
            child.kill()


def test_two_server_processes_share_the_port_and_stop_together(tmp_path: Path) -> None:
    parent, port, children = _start_two(tmp_path)
    try:
        # One signing key, made before the processes started, shared by both.
        key_files = list((tmp_path / "home").rglob("signing.key"))
        assert len(key_files) == 1
        # An unauthenticated robot call gets the same clear 401 from whichever answers.
        url = f"http://127.0.0.1:{port}/process-v1/workspaces/w/processes/p/runs/r/robotRuns/s/"
        for _ in range(20):
            reply = httpx.post(url + "reserve-next-work-item", timeout=5)
            assert reply.status_code == 401
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) == 0
        assert not any(_alive(child) for child in children)
    finally:
        _end(parent, children)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl")
def test_sigkill_of_the_parent_ends_the_server_processes(tmp_path: Path) -> None:
    parent, _, children = _start_two(tmp_path)
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [c for c in children if _alive(c)]
    finally:
        _end(parent, children)
    assert not left, f"server processes outlived their SIGKILLed parent: {left}"


def test_forwarded_for_from_loopback_cannot_dodge_the_address_limit(tmp_path: Path) -> None:
    """uvicorn believes X-Forwarded-For from loopback peers unless told not to: the
    served Control Room must not (CLERK_TRUSTED_PROXIES is unset)."""
    parent, port, children = _start_two(tmp_path, {"CLERK_LOGIN_ADDRESS_MAX_FAILURES": "3"})
    try:
        statuses = []
        for n in range(4):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                client.headers["X-Forwarded-For"] = f"203.0.113.{n}"
                statuses.append(login(client, f"nobody{n}", "guess").status_code)
    finally:
        _end(parent, children)
    assert statuses == [401, 401, 401, 429]
