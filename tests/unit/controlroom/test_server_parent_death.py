"""``clerk controlroom --workers N`` killed outright (SIGKILL: it cannot hand the signal
on) takes its server processes along."""

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

from sandbox.server import free_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl")
CLERK = str(Path(sys.executable).with_name("clerk"))


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_sigkill_of_the_parent_ends_the_server_processes(tmp_path: Path) -> None:
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
    log.close()
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            assert parent.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            children = psutil.Process(parent.pid).children()
            try:
                up = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
                if up.status_code == 200 and len(children) == 2:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)

        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        left = [c for c in children if _alive(c)]
        for child in left:
            child.kill()
    assert not left, f"server processes outlived their SIGKILLed parent: {left}"
