"""The credential vault: keyrings.cryptfile with an unattended key, cached reads."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk.errors import ApplicationError
from robots import credentials


def _closed_port() -> int:
    from clerk.serving import free_port

    return free_port()


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Real AES-GCM and Argon2, at a cost that suits a shared 2-core test machine (the
    # production cost makes every operation take about 0.4 s, several under load).
    from keyrings.cryptfile.cryptfile import CryptFileKeyring

    monkeypatch.setattr(CryptFileKeyring, "time_cost", 1)
    monkeypatch.setattr(CryptFileKeyring, "memory_cost", 2**10)
    monkeypatch.setenv("CLERK_HOME", str(tmp_path))
    monkeypatch.delenv("CLERK_VAULT_KEY", raising=False)
    monkeypatch.delenv("CLERK_VAULT_FILE", raising=False)
    for system in ("ERP", "CMS"):  # nothing answers there: `set` stores without a sign-in
        monkeypatch.setenv(f"CLERK_{system}_URL", f"http://127.0.0.1:{_closed_port()}")
    credentials.forget()
    yield tmp_path
    credentials.forget()


def test_store_and_read_with_a_key_file(home: Path) -> None:
    credentials.store("erp", "robot", "pa55-w0rd!")
    key = home / "vault.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "vault.cfg").stat().st_mode) == 0o600
    assert b"pa55-w0rd!" not in (home / "vault.cfg").read_bytes()
    found = credentials.credential("ERP")
    assert (found.username, found.password) == ("robot", "pa55-w0rd!")
    assert "pa55-w0rd!" not in repr(found) and "pa55-w0rd!" not in str(found)


def test_env_key_and_cache(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_VAULT_KEY", "key-from-the-service-manager")
    credentials.store("CMS", "editor", "cms-secret")
    assert not (home / "vault.key").exists()
    loads: list[str] = []
    real = credentials._load
    monkeypatch.setattr(credentials, "_load", lambda s: loads.append(s) or real(s))
    assert credentials.credential("CMS").password == "cms-secret"
    assert credentials.credential("cms").password == "cms-secret"
    assert loads == ["CMS"]  # Argon2 is paid once per process
    monkeypatch.setenv("CLERK_VAULT_KEY", "another-key")
    credentials.forget()
    with pytest.raises(Exception):
        credentials._load("CMS")


def test_missing_credentials_say_what_to_run(home: Path) -> None:
    with pytest.raises(ApplicationError) as caught:
        credentials.credential("ERP")
    assert caught.value.code == "CREDENTIALS_MISSING"
    assert "clerk credentials set ERP" in caught.value.message
    credentials.store("ERP", "robot", "x")
    with pytest.raises(ApplicationError, match="clerk credentials set CMS"):
        credentials.credential("CMS")


def test_key_file_readable_by_others_is_refused(home: Path) -> None:
    credentials.store("ERP", "robot", "x")
    os.chmod(home / "vault.key", 0o644)
    credentials.forget()
    with pytest.raises(ApplicationError, match="chmod 600"):
        credentials.credential("ERP")


def test_cli_set_and_check(home: Path) -> None:
    from clerk_app.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["credentials", "check"])
    assert result.exit_code == 1 and "ERP: missing" in result.output
    result = runner.invoke(
        app, ["credentials", "set", "ERP", "--username", "robot"], input="hidden-1\nhidden-1\n"
    )
    assert result.exit_code == 0, result.output
    assert "hidden-1" not in result.output
    credentials.forget()
    result = runner.invoke(app, ["credentials", "check"])
    assert "ERP: ok (robot)" in result.output and "CMS: missing" in result.output
    assert result.exit_code == 1
    as_json = runner.invoke(app, ["credentials", "check", "--json"])
    assert as_json.exit_code == 1
    assert [(r["system"], r["ok"]) for r in json.loads(as_json.stdout)] == [
        ("ERP", True),
        ("CMS", False),
    ]
    assert json.loads(as_json.stdout)[1]["code"] == "CREDENTIALS_MISSING"


def test_cli_set_reads_the_password_from_stdin(home: Path) -> None:
    from clerk_app.cli import app

    runner = CliRunner()
    args = ["credentials", "set", "CMS", "--username", "editor", "--password-stdin"]
    result = runner.invoke(app, args, input="from-a-pipe\n")
    assert result.exit_code == 0, result.output
    assert "from-a-pipe" not in result.output
    credentials.forget()
    assert credentials.credential("CMS").password == "from-a-pipe"
    nameless = runner.invoke(app, ["credentials", "set", "ERP", "--password-stdin"], input="x\n")
    assert nameless.exit_code == 2 and "--username" in nameless.output


@pytest.mark.browser
def test_cli_set_signs_in_when_the_system_answers(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against the real sandbox and chromium: right and wrong passwords, and a system
    that does not answer (stored, not tested)."""
    from clerk_app.cli import app
    from sandbox.server import Sandbox
    from sandbox.settings import SandboxSettings

    settings = SandboxSettings(
        erp_db=home / "erp.sqlite3", cms_db=home / "cms.sqlite3",
        password="sandbox-pw", samples_dir=home / "no-samples",
    )  # fmt: skip
    running = Sandbox.start(settings, free_ports=True)
    monkeypatch.setenv("CLERK_ERP_URL", running.erp.url)
    monkeypatch.setenv("CLERK_CMS_URL", running.cms.url)
    monkeypatch.setenv("CLERK_BOT_TIMEOUT_MS", "8000")
    runner = CliRunner()
    args = ["credentials", "set", "--username", "robot", "--password-stdin"]
    try:
        good = runner.invoke(app, [*args, "CMS"], input="sandbox-pw\n")
        assert good.exit_code == 0, good.output
        assert "Signed in to the CMS" in good.output and "the credentials work" in good.output
        bad = runner.invoke(app, [*args, "ERP"], input="wrong-pw\n")
        assert bad.exit_code == 1, bad.output
        assert "ERP sign-in" in bad.output and "LOGIN_FAILED" in bad.output
        assert "wrong-pw" not in bad.output
        credentials.forget()
        assert credentials.credential("ERP").password == "wrong-pw"  # kept, as said
    finally:
        running.stop()
    gone = runner.invoke(app, [*args, "CMS"], input="sandbox-pw\n")
    assert gone.exit_code == 0 and "Sign-in not tested" in gone.output
