"""The admin commands, through the real ``clerk`` Typer app on a temporary CLERK_HOME."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clerk_app.cli import app

ROBOT = Path(__file__).parents[2] / "integration" / "controlroom" / "robot"


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CLERK_HOME", str(tmp_path))
    for name in ("CLERK_DATABASE_URL", "CLERK_FILES_DIR", "CLERK_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def _ok(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_process_run_item_lifecycle(cli: CliRunner, tmp_path: Path) -> None:
    _ok(
        cli,
        "processes",
        "add",
        "demo",
        "--robot",
        str(ROBOT),
        "--step",
        "Consume",
        "--step",
        "Finish",
    )
    listed = json.loads(_ok(cli, "processes", "list", "--json"))
    assert [s["task_name"] for s in listed[0]["steps"]] == ["Consume", "Finish"]
    doc = tmp_path / "doc.txt"
    doc.write_text("hello")
    _ok(cli, "runs", "start", "demo", "--payload", '{"kind": "ok"}', "--file", str(doc))
    runs = json.loads(_ok(cli, "runs", "list", "--json"))
    assert [r["state"] for r in runs] == ["RUNNING"]
    shown = json.loads(_ok(cli, "runs", "show", runs[0]["id"], "--json"))
    assert shown["items_by_step"] == {"1": {"PENDING": 1}}
    items = json.loads(_ok(cli, "items", "list", "--run", runs[0]["id"], "--json"))
    assert [i["payload"] for i in items] == [{"kind": "ok"}]
    result = cli.invoke(app, ["items", "retry", items[0]["id"]])
    assert result.exit_code == 1 and "PENDING, not FAILED" in result.output
    assert "stopped (CANCELLED)" in _ok(cli, "runs", "stop", runs[0]["id"])
    assert json.loads(_ok(cli, "runs", "show", runs[0]["id"], "--json"))["state"] == "CANCELLED"
    assert "already ended (CANCELLED)" in _ok(cli, "runs", "stop", runs[0]["id"])


def test_bad_input_is_a_message_not_a_traceback(cli: CliRunner) -> None:
    result = cli.invoke(app, ["processes", "add", "x", "--robot", str(ROBOT), "--step", "Nope"])
    assert result.exit_code == 1 and "Consume, Finish" in result.output
    result = cli.invoke(app, ["runs", "start", "missing"])
    assert result.exit_code == 1 and "no process 'missing'" in result.output
    result = cli.invoke(app, ["runs", "start", "missing", "--payload", "{bad"])
    assert result.exit_code == 2 and "not valid JSON" in result.output
    result = cli.invoke(app, ["tokens", "create", "--kind", "step-run"])
    assert result.exit_code == 2


def test_tokens_create_prints_the_secret_once(cli: CliRunner) -> None:
    secret = _ok(cli, "tokens", "create", "--kind", "admin", "--workspace", "ops").strip()
    assert secret.startswith("clerk_")


def test_processes_add_refuses_an_overflowing_backoff(cli: CliRunner) -> None:
    args = ["processes", "add", "p", "--robot", str(ROBOT), "--step", "Consume"]
    result = cli.invoke(app, [*args, "--backoff", "1e308"])
    assert result.exit_code == 2 and "--backoff" in result.output
    result = cli.invoke(app, [*args, "--max-attempts", "1000000"])
    assert result.exit_code == 2 and "--max-attempts" in result.output
    _ok(cli, *args, "--backoff", "60")


def _start_step_run(run_id: str) -> None:
    from controlroom import db
    from controlroom.services import steps
    from controlroom.settings import ControlRoomSettings

    engine = db.make_engine(ControlRoomSettings().database_url)
    with db.transaction(db.make_sessionmaker(engine)) as session:
        opened = steps.open_step_run(session, run_id, 1, actor="test")
        steps.start_step_run(session, opened.id, actor="test")
    engine.dispose()


def test_ids_may_be_short_and_tables_fit_80_columns(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _ok(cli, "processes", "add", "demo", "--robot", str(ROBOT), "--step", "Consume")
    _ok(cli, "runs", "start", "demo", "--payload", "{}")
    (run,) = json.loads(_ok(cli, "runs", "list", "--json"))
    short = run["id"][:8]
    table = _ok(cli, "runs", "list", "--state", "running")  # any case
    assert short in table and run["id"] not in table
    assert max(len(line) for line in table.splitlines()) <= 80
    assert json.loads(_ok(cli, "runs", "show", short, "--json"))["id"] == run["id"]
    (item,) = json.loads(_ok(cli, "items", "list", "--run", short, "--json"))
    items_table = _ok(cli, "items", "list", "--run", short, "--state", "pending")
    assert item["id"][:8] in items_table and item["id"] not in items_table
    assert max(len(line) for line in items_table.splitlines()) <= 80
    refused = cli.invoke(app, ["items", "retry", item["id"][:8]])
    assert refused.exit_code == 1 and "PENDING, not FAILED" in refused.output
    _start_step_run(run["id"])
    shown = _ok(cli, "runs", "show", short)
    assert "RUNNING" in shown and max(len(line) for line in shown.splitlines()) <= 80
    assert f"run {run['id']} stopped" in _ok(cli, "runs", "stop", short)
    ended = _ok(cli, "runs", "list")  # with both times
    assert "CANCELLED" in ended and max(len(line) for line in ended.splitlines()) <= 80
    missing = cli.invoke(app, ["runs", "show", "abc"])
    assert missing.exit_code == 1 and "at least 4" in missing.output


def test_a_relative_robot_dir_is_stored_relative_for_the_workers(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from controlroom.worker._robot import resolve_robot_dir

    monkeypatch.chdir(ROBOT)
    out = _ok(cli, "processes", "add", "here", "--robot", ".", "--step", "Consume")
    assert "'.' is relative" in out and "--robots-dir" in out
    monkeypatch.chdir(ROBOT.parent)
    _ok(cli, "processes", "add", "below", "--robot", "./robot/", "--step", "Consume")
    dirs = {
        p["name"]: p["steps"][0]["robot_dir"]
        for p in json.loads(_ok(cli, "processes", "list", "--json"))
    }
    assert dirs == {"here": ".", "below": "robot"}
    elsewhere = Path("/srv/robots/clerk")  # a worker host's --robots-dir
    assert resolve_robot_dir(dirs["here"], elsewhere) == elsewhere
    wrong = cli.invoke(app, ["processes", "add", "x", "--robot", ".", "--step", "Consume"])
    assert wrong.exit_code == 1 and "robot.yaml" in wrong.output  # checked where it runs


def _db() -> Any:
    from controlroom import db
    from controlroom.settings import ControlRoomSettings

    engine = db.make_engine(ControlRoomSettings().database_url)
    return engine, db.make_sessionmaker(engine)


def test_runs_list_names_the_process_and_items_list_the_document(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _ok(cli, "processes", "add", "Document processing", "--robot", str(ROBOT), "--step", "Consume")
    payload = json.dumps({"document": {"name": "invoice_en.pdf", "sha256": "0" * 64}})
    _ok(cli, "runs", "start", "Document processing", "--payload", payload)
    runs = _ok(cli, "runs", "list")
    assert "Document processing" in runs and max(len(x) for x in runs.splitlines()) <= 80
    (run,) = json.loads(_ok(cli, "runs", "list", "--json"))
    assert run["process"] == "Document processing"
    items = _ok(cli, "items", "list").splitlines()
    assert items[1].split() == ["id", "step", "state", "exception", "document"]
    assert items[3].split()[1:] == ["1", "PENDING", "invoice_en.pdf"]


def test_workers_lists_name_state_heartbeat_concurrency_and_running_step_runs(
    cli: CliRunner,
) -> None:
    from controlroom.db import transaction
    from controlroom.services import scheduling, workers
    from controlroom.services.processes import ensure_workspace

    assert json.loads(_ok(cli, "workers", "--json")) == []
    _ok(cli, "processes", "add", "demo", "--robot", str(ROBOT), "--step", "Consume")
    _ok(cli, "runs", "start", "demo", "--payload", "{}")
    engine, sessions = _db()
    with transaction(sessions) as s:
        ws = ensure_workspace(s, "default").id
        worker = workers.register(s, ws, "host-a", "host-a.local", 2, actor="test")
        scheduling.tick(s, scheduling.SchedulerSettings())  # the step run to claim
        claim = workers.claim(s, ws, worker.id, actor="test")
    engine.dispose()
    assert claim is not None
    (row,) = json.loads(_ok(cli, "workers", "--json"))
    assert (row["name"], row["state"], row["concurrency"]) == ("host-a", "BUSY", 2)
    assert row["last_heartbeat"] is not None
    assert [r["step_run_id"] for r in row["running"]] == [claim.started.step_run_id]
    assert row["running"][0]["step"] == "Consume"
    table = _ok(cli, "workers")
    assert "host-a" in table and f"Consume ({claim.started.step_run_id[:8]})" in table


def test_audit_list_filters_by_action_and_time(cli: CliRunner) -> None:
    _ok(cli, "processes", "add", "demo", "--robot", str(ROBOT), "--step", "Consume")
    _ok(cli, "runs", "start", "demo", "--payload", "{}")
    entries = json.loads(_ok(cli, "audit", "list", "--json"))
    assert entries and [e["seq"] for e in entries] == sorted(
        (e["seq"] for e in entries), reverse=True
    )
    actions = {e["action"] for e in entries}
    assert "run.start" in actions or any(a.startswith("run.") for a in actions), actions
    one = next(iter(sorted(actions)))
    only = json.loads(_ok(cli, "audit", "list", "--action", one, "--json"))
    assert only and {e["action"] for e in only} == {one}
    family = one.split(".")[0] + "."
    assert {
        e["action"] for e in json.loads(_ok(cli, "audit", "list", "--action", family, "--json"))
    } <= {a for a in actions if a.startswith(family)}
    assert len(json.loads(_ok(cli, "audit", "list", "--limit", "1", "--json"))) == 1
    assert json.loads(_ok(cli, "audit", "list", "--since", "1h", "--json")) == entries[:50]
    assert json.loads(_ok(cli, "audit", "list", "--since", "2999-01-01", "--json")) == []
    bad = cli.invoke(app, ["audit", "list", "--since", "yesterday"])
    assert bad.exit_code == 2 and "30m, 2h, 7d" in bad.output
    table = _ok(cli, "audit", "list")
    assert "cli:" in table and max(len(x) for x in table.splitlines()) <= 80
