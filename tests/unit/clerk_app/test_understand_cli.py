"""``clerk understand``: its documented exit codes (0 all understood, 1 a file failed,
2 usage, 3 nothing could run), with the installed models; a setting that keeps the
pipeline from loading is one clear error line, with one process or several."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk.paths import PROJECT_ROOT
from clerk_app.cli import app

INVOICE = PROJECT_ROOT / "samples" / "inbox" / "invoice_en.pdf"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_unusable_vendor_master_is_one_error_line(
    workers: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Invoice")
    monkeypatch.setenv("CLERK_VENDOR_MASTER", str(tmp_path / "missing.csv"))
    result = CliRunner().invoke(app, ["understand", "--workers", workers, str(tmp_path)])
    assert result.exit_code == 3, result.output
    assert "MASTER_DATA_UNAVAILABLE" in result.output
    assert "Traceback" not in result.output


def test_the_default_is_one_process_per_usable_core() -> None:
    import os

    from clerk_app.understand_cli import default_workers

    assert default_workers() == len(os.sched_getaffinity(0)) >= 1


def test_exit_codes_say_whether_every_file_was_understood(tmp_path: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(app, ["understand", "--workers", "1", str(INVOICE)])
    assert good.exit_code == 0, good.output
    missing = tmp_path / "no-such.pdf"
    mixed = runner.invoke(app, ["understand", "--workers", "1", str(missing), str(INVOICE)])
    assert mixed.exit_code == 1, mixed.output
    records = [json.loads(line) for line in mixed.stdout.splitlines()]
    assert records[0]["error"]["code"] == "FILE_NOT_FOUND"
    assert str(missing) in records[0]["error"]["message"]
    assert records[1]["doc_type"] == "invoice"  # the run went on
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    failed = runner.invoke(app, ["understand", "--workers", "1", str(empty)])
    assert failed.exit_code == 1 and "EMPTY_FILE" in failed.stdout
    nothing = runner.invoke(app, ["understand", str(tmp_path / "empty-dir")])
    assert nothing.exit_code == 1
    (tmp_path / "empty-dir").mkdir()
    nothing = runner.invoke(app, ["understand", str(tmp_path / "empty-dir")])
    assert nothing.exit_code == 2 and "No files found" in nothing.output


def test_pretty_puts_the_decision_and_its_reasons_at_the_top() -> None:
    result = CliRunner().invoke(app, ["understand", "--workers", "1", "--pretty", str(INVOICE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    record = json.loads(result.stdout)
    assert list(record)[:4] == ["file", "document", "decision", "reasons"]
    decision_at = next(i for i, line in enumerate(lines) if line.startswith('  "decision"'))
    fields_at = next(i for i, line in enumerate(lines) if line.startswith('  "fields"'))
    assert decision_at < 5 < fields_at
    if record["reasons"]:  # structured reasons (kind, name, message) before any field
        assert {"kind", "name", "message"} <= set(record["reasons"][0])
