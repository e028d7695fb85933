"""``clerk understand``: a setting that keeps the pipeline from loading is one clear
error line and exit code 1, with one process or several."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk.cli import app


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_unusable_vendor_master_is_one_error_line(
    workers: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Invoice")
    monkeypatch.setenv("CLERK_VENDOR_MASTER", str(tmp_path / "missing.csv"))
    result = CliRunner().invoke(app, ["understand", "--workers", workers, str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "MASTER_DATA_UNAVAILABLE" in result.output
    assert "Traceback" not in result.output


def test_the_default_is_one_process_per_usable_core() -> None:
    import os

    from clerk.understand_cli import default_workers

    assert default_workers() == len(os.sched_getaffinity(0)) >= 1
