"""``clerk controlroom --workers N``: N server processes on one port, stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from sandbox.server import free_port

CLERK = str(Path(sys.executable).with_name("clerk"))


def test_two_server_processes_share_the_port_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "CLERK_HOME": str(tmp_path / "home"),
        "CLERK_DATABASE_URL": f"sqlite:///{tmp_path / 'cr.db'}",
    }
    env.pop("CLERK_SIGNING_KEY", None)
    log = (tmp_path / "server.log").open("wb")
    parent = subprocess.Popen(
        [CLERK, "controlroom", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        children: list[psutil.Process] = []
        while time.monotonic() < deadline:
            children = psutil.Process(parent.pid).children()
            try:
                ready = [
                    httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code
                    for _ in range(10)
                ]
                if ready == [200] * 10 and len(children) == 2:
                    break
            except httpx.TransportError:
                pass
            assert parent.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.2)
        else:
            raise AssertionError((tmp_path / "server.log").read_text())
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
        assert not any(child.is_running() and child.status() != "zombie" for child in children)
    finally:
        if parent.poll() is None:
            parent.kill()
        log.close()
