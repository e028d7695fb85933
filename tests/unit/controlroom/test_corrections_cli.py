"""``clerk corrections add/list/forget`` and ``clerk understand`` reading what they
taught, through the real ``clerk`` app on a temporary CLERK_HOME (installed models)."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from clerk.paths import PROJECT_ROOT, models_dir
from clerk_app.cli import app
from controlroom.models import AuditEntry

RECEIPT = PROJECT_ROOT / "samples" / "inbox" / "receipt_fr.pdf"
TEACH = [
    "corrections", "add", str(RECEIPT), "--type", "receipt",
    "--field", "merchant_name=Richter & Wilson BV",
    "--field", "receipt_date=26/01/2024",
    "--field", "total_amount=26,90 €",
]  # fmt: skip


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CLERK_MODELS_DIR", str(models_dir()))  # before CLERK_HOME moves
    monkeypatch.setenv("CLERK_HOME", str(tmp_path))
    for name in ("CLERK_DATABASE_URL", "CLERK_FILES_DIR", "CLERK_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def _run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def _audit(home: Path) -> list[tuple[str, str]]:
    engine = create_engine(f"sqlite:///{home / 'controlroom' / 'controlroom.db'}")
    with Session(engine) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("memory.%")))
        out = [(a.action, a.actor) for a in rows]
    engine.dispose()
    return out


def test_add_list_understand_forget(cli: CliRunner, tmp_path: Path) -> None:
    first = _run(cli, *TEACH)
    assert "learned Richter & Wilson BV (name:richter&wilsonbv)" in first
    assert "merchant_name" in first and "total_amount" in first and "version 1" in first
    again = _run(cli, *TEACH)
    assert "confirmed Richter & Wilson BV" in again and "version 2" in again

    (row,) = json.loads(_run(cli, "corrections", "list", "--json"))
    assert row["confirmations"] == 2 and row["version"] == 2
    assert row["taught_by"] == f"cli:{getpass.getuser()}"
    assert {"merchant_name", "receipt_date", "total_amount"} <= set(row["fields"])
    assert "Richter & Wilson BV" in _run(cli, "corrections", "list")

    understood = cli.invoke(app, ["understand", "-w", "1", str(RECEIPT)])
    assert understood.exit_code == 0, understood.output
    (taught,) = [json.loads(line) for line in understood.stdout.splitlines()]
    memory = [c for c in taught["checks"] if c["name"] == "vendor_memory_agrees"]
    assert memory and memory[0]["passed"], taught["checks"]
    plain = _run(cli, "understand", "-w", "1", "--no-memory", str(RECEIPT))
    assert "vendor_memory_agrees" not in plain

    assert "forgot 1 layout(s)" in _run(cli, "corrections", "forget", "Richter & Wilson BV")
    assert "is empty" in _run(cli, "corrections", "list")
    gone = _run(cli, "corrections", "forget", "Richter & Wilson BV", code=1)
    assert "has no vendor 'Richter & Wilson BV'" in gone
    assert [a for a, _ in _audit(tmp_path)] == ["memory.teach", "memory.teach", "memory.forget"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--type", "bogus", "--field", "total_amount=1"], "unknown document type 'bogus'"),
        (["--type", "receipt", "--field", "nope=1"], "a receipt has no field 'nope'; its fields"),
        (["--type", "receipt", "--field", "total_amount"], "is not NAME=VALUE"),
        (["--type", "receipt", "--field", "total_amount=abc"], "'abc' cannot be read as an amount"),
    ],
)
def test_bad_input_is_one_clear_error(
    cli: CliRunner, tmp_path: Path, args: list[str], said: str
) -> None:
    output = _run(cli, "corrections", "add", str(RECEIPT), *args, code=1)
    assert said in output and "Traceback" not in output
