"""``clerk users`` and ``clerk corrections export`` against a real SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk_app.cli import app
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import PASSWORD, csrf_of, fail_for_review, login

runner = CliRunner()


@pytest.fixture
def db_env(console: Console, monkeypatch: pytest.MonkeyPatch) -> Console:
    monkeypatch.setenv("CLERK_DATABASE_URL", str(console.app.state.engine.url))
    return console


def test_add_prompts_for_the_password_and_the_user_can_sign_in(db_env: Console) -> None:
    result = runner.invoke(
        app, ["users", "add", "alice", "--role", "reviewer"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "user alice created with role reviewer" in result.output
    assert PASSWORD not in result.output
    assert login(db_env.client(), "alice").status_code == 303
    listed = runner.invoke(app, ["users", "list"])
    assert "alice" in listed.output and "reviewer" in listed.output
    as_json = json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)
    assert [(u["username"], u["role"], u["disabled"]) for u in as_json] == [
        ("alice", "reviewer", False)
    ]


def test_add_reads_the_password_from_stdin_without_a_terminal(db_env: Console) -> None:
    result = runner.invoke(
        app, ["users", "add", "dora", "--role", "admin", "--password-stdin"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert login(db_env.client(), "dora").status_code == 303
    empty = runner.invoke(app, ["users", "add", "eve", "--password-stdin"], input="")
    assert empty.exit_code == 2 and "read an empty line" in empty.output
    both = runner.invoke(app, ["users", "add", "eve", "--password", PASSWORD, "--password-stdin"])
    assert both.exit_code == 2 and "not both" in both.output
    no_tty = runner.invoke(app, ["users", "add", "eve"], input="")
    assert no_tty.exit_code == 2 and "--password-stdin" in no_tty.output


def test_add_refuses_a_bad_role_short_password_and_duplicates(db_env: Console) -> None:
    bad_role = runner.invoke(app, ["users", "add", "bob", "--role", "boss", "--password", PASSWORD])
    assert bad_role.exit_code == 1 and "role must be one of" in bad_role.output
    short = runner.invoke(app, ["users", "add", "bob", "--password", "short"])
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    assert runner.invoke(app, ["users", "add", "bob", "--password", PASSWORD]).exit_code == 0
    again = runner.invoke(app, ["users", "add", "bob", "--password", PASSWORD])
    assert again.exit_code == 1 and "already exists" in again.output


def test_role_and_disable(db_env: Console) -> None:
    runner.invoke(app, ["users", "add", "carl", "--password", PASSWORD])
    assert runner.invoke(app, ["users", "role", "carl", "admin"]).exit_code == 0
    assert runner.invoke(app, ["users", "disable", "carl"]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["users", "list"]).output
    assert login(db_env.client(), "carl").status_code == 401
    missing = runner.invoke(app, ["users", "role", "nobody", "admin"])
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output


def test_corrections_export_writes_labelled_examples(db_env: Console, tmp_path: Path) -> None:
    _, item_id = fail_for_review(
        db_env.factory, db_env.client(), db_env.process_id, db_env.workspace_id
    )
    client = db_env.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}")
    client.post(
        f"/console/items/{item_id}/approve",
        data={
            "csrf_token": csrf_of(page.text),
            "field:invoice_number": "INV-9",
            "field:issue_date": "2026-01-31",
        },
    )
    out = tmp_path / "corrections.jsonl"
    result = runner.invoke(app, ["corrections", "export", str(out)])
    assert result.exit_code == 0 and "2 correction(s)" in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    by_field = {r["field"]: r for r in rows}
    assert by_field["invoice_number"]["original_value"] == "INV-1001"
    assert by_field["invoice_number"]["original_raw"] == "INV-1001"
    assert by_field["invoice_number"]["corrected_value"] == "INV-9"
    assert by_field["issue_date"]["original_value"] is None  # the model missed it
    assert {r["reviewer"] for r in rows} == {"rita"} and {r["doc_type"] for r in rows} == {
        "invoice"
    }
    assert all(len(r["document_sha256"]) == 64 for r in rows)


def test_corrections_export_with_text_reads_the_documents_again(
    db_env: Console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--with-text: each record carries its document's text, as the reader gives it, so
    `clerk models build --with-corrections --corrections FILE` can find the values."""
    _, item_id = fail_for_review(
        db_env.factory, db_env.client(), db_env.process_id, db_env.workspace_id
    )
    client = db_env.logged_in("rita", "reviewer")
    page = client.get(f"/console/items/{item_id}")
    form = {"csrf_token": csrf_of(page.text), "field:total_amount": "119.00"}
    client.post(f"/console/items/{item_id}/approve", data=form)
    monkeypatch.setenv("CLERK_FILES_DIR", str(db_env.home / "files"))  # the console's
    out = tmp_path / "with-text.jsonl"
    result = runner.invoke(app, ["corrections", "export", "--with-text", str(out)])
    assert result.exit_code == 0 and "1 correction(s)" in result.output, result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (row["field"], row["corrected_value"], row["work_item_id"]) == (
        "total_amount",
        "119.00",
        item_id,
    )
    assert "INV-1001" in row["text"] and "118.00" in row["text"]
