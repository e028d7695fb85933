from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from clerk.serving import free_port
from clerk_app.cli import app


def test_clerk_sandbox_is_registered() -> None:
    result = CliRunner().invoke(app, ["sandbox", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--erp-port", "--cms-port", "--erp-db", "--cms-db"):
        assert option in result.output


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/login", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_the_environment_sets_ports_and_the_account_is_printed(tmp_path: Path) -> None:
    """The real `clerk sandbox` binds CLERK_SANDBOX_*_PORT (the options' defaults must not
    override them) and prints the robot account and the URLs workers need."""
    erp_port, cms_port = free_port(), free_port()
    env = {
        **os.environ,
        "CLERK_HOME": str(tmp_path),
        "CLERK_SANDBOX_ERP_PORT": str(erp_port),
        "CLERK_SANDBOX_CMS_PORT": str(cms_port),
        "CLERK_SANDBOX_PASSWORD": "pw-from-env",
    }
    env.pop("CLERK_SANDBOX_HOST", None)
    code = "from clerk_app.cli import main; main()"
    erp, cms = f"http://127.0.0.1:{erp_port}", f"http://127.0.0.1:{cms_port}"
    with subprocess.Popen(
        [sys.executable, "-c", code, "sandbox"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        try:
            deadline = time.monotonic() + 20
            while not (_answers(erp) and _answers(cms)):
                if process.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            up = _answers(erp) and _answers(cms)
        finally:
            process.terminate()
            banner, _ = process.communicate(timeout=20)
    assert up, f"the sandbox did not answer on {erp} and {cms}:\n{banner}"
    assert f"ERP: {erp}" in banner and f"CMS: {cms}" in banner
    assert "Robot user 'robot', password 'pw-from-env'" in banner
    assert f"export CLERK_ERP_URL={erp} CLERK_CMS_URL={cms}" in banner
