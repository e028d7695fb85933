"""``clerk worker``: where it takes its token from (never only the command line), and
its logging (state changes at INFO, not an httpx line per poll)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clerk_app.cli import app
from controlroom.worker.cli import WorkerSettings, configure_logging, worker_token

TOKEN = "clerk_" + "t" * 43
NAMES = ("", "httpx", "httpcore", "controlroom.worker")


@pytest.fixture(autouse=True)
def _no_token_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLERK_WORKER_TOKEN", "CLERK_WORKER_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_the_token_comes_from_a_file_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "worker.token"
    file.write_text(f"{TOKEN}\n")
    assert worker_token(None, file, WorkerSettings()) == TOKEN
    monkeypatch.setenv("CLERK_WORKER_TOKEN_FILE", str(file))
    assert worker_token(None, None, WorkerSettings()) == TOKEN
    monkeypatch.setenv("CLERK_WORKER_TOKEN", "clerk_from-the-environment")
    assert worker_token(None, None, WorkerSettings()) == "clerk_from-the-environment"
    # What is given on the command line wins over the environment.
    assert worker_token(None, file, WorkerSettings()) == TOKEN
    assert worker_token("clerk_given", file, WorkerSettings()) == "clerk_given"


def test_a_missing_empty_or_garbled_token_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(typer.BadParameter, match="no worker token"):
        worker_token(None, None, WorkerSettings())
    with pytest.raises(typer.BadParameter, match="cannot read"):
        worker_token(None, tmp_path / "absent", WorkerSettings())
    for text in ("", "\n", f"{TOKEN} second-word\n"):
        (tmp_path / "bad").write_text(text)
        with pytest.raises(typer.BadParameter, match="alone, on one line"):
            worker_token(None, tmp_path / "bad", WorkerSettings())


def test_help_says_token_is_visible_in_ps_and_offers_the_file() -> None:
    result = CliRunner().invoke(app, ["worker", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--token-file" in result.stdout and "ps" in result.stdout


@pytest.fixture()
def saved_levels() -> Iterator[None]:
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in NAMES}
    handlers = list(root.handlers)
    yield
    root.handlers = handlers
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_polls_stay_out_of_the_log_unless_verbose(saved_levels: None) -> None:
    configure_logging(verbose=False)
    assert logging.getLogger("controlroom.worker").isEnabledFor(logging.INFO)
    # httpx logs each request (a claim every --poll seconds) at INFO
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert logging.getLogger("httpx").isEnabledFor(logging.WARNING)
    configure_logging(verbose=True)
    assert logging.getLogger("httpx").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("controlroom.worker").isEnabledFor(logging.DEBUG)
