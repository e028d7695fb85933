"""``clerk tokens list`` and ``clerk tokens revoke``, through the real ``clerk`` app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk_app.cli import app
from controlroom import db
from controlroom.services import tokens, workers
from controlroom.settings import ControlRoomSettings
from tests.unit.controlroom.test_cli import _ok, cli  # noqa: F401 (the fixture)


def test_list_shows_no_secret_and_revoke_takes_an_id_prefix(cli: CliRunner) -> None:  # noqa: F811
    admin = _ok(cli, "tokens", "create", "--kind", "admin", "--name", "ops").strip()
    worker = _ok(cli, "tokens", "create", "--kind", "worker", "--name", "w1").strip()
    bound = _ok(cli, "tokens", "create", "--kind", "worker", "--name", "w2").strip()
    engine = db.make_engine(ControlRoomSettings().database_url)
    try:
        with db.transaction(db.make_sessionmaker(engine)) as s:  # as `clerk worker` registers
            who = tokens.authenticate(s, bound)
            host = workers.register(s, who.workspace_id, "host-7", "h7", 1, actor="test")
            workers.bind_token(s, who.token_id, host, actor="test")
    finally:
        engine.dispose()
    result = cli.invoke(app, ["tokens", "list", "--json"])
    assert result.exit_code == 0, result.output
    for secret in (admin, worker):  # neither the secret nor its hash
        assert secret not in result.output and tokens.hash_secret(secret) not in result.output
    listed = {t["name"]: t for t in json.loads(result.stdout)}
    assert set(listed) == {"ops", "w1", "w2"} and listed["w1"]["kind"] == "worker"
    assert listed["w2"]["worker"] == "host-7"
    assert {k for k, v in listed["w1"].items() if v is None} >= {"worker", "last_used", "revoked"}
    table = _ok(cli, "tokens", "list")
    assert "w1" in table and worker not in table

    prefix = listed["w1"]["id"][:8]
    assert "revoked at" in _ok(cli, "tokens", "revoke", prefix)
    after = {t["name"]: t for t in json.loads(_ok(cli, "tokens", "list", "--json"))}
    assert after["w1"]["revoked"] is not None and after["ops"]["revoked"] is None
    engine = db.make_engine(ControlRoomSettings().database_url)
    try:
        with db.transaction(db.make_sessionmaker(engine)) as s:
            with pytest.raises(tokens.AuthError, match="revoked"):
                tokens.authenticate(s, worker)
            tokens.authenticate(s, admin)
    finally:
        engine.dispose()


def test_revoke_refuses_unknown_and_too_short_ids(cli: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    _ok(cli, "tokens", "create", "--kind", "api")
    result = cli.invoke(app, ["tokens", "revoke", "ffffffff-no-such-token"])
    assert result.exit_code == 1 and "no token with an id starting" in result.output
    result = cli.invoke(app, ["tokens", "revoke", "ab"])
    assert result.exit_code == 1 and "too short" in result.output
    result = cli.invoke(app, ["tokens", "list", "--kind", "robot"])
    assert result.exit_code == 2 and "step-run" in result.output
