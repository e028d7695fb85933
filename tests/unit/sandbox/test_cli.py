from __future__ import annotations

from typer.testing import CliRunner

from clerk.cli import app


def test_clerk_sandbox_is_registered() -> None:
    result = CliRunner().invoke(app, ["sandbox", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--erp-port", "--cms-port", "--erp-db", "--cms-db"):
        assert option in result.output
