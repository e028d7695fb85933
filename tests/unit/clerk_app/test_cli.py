"""The ``clerk`` command tree as a whole: every option and argument says what it is for
in ``--help``, and every command the README's "Using it" names exists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
from typer.testing import CliRunner

from clerk_app.cli import app


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path), command


def test_every_option_and_argument_has_help_text() -> None:
    commands = dict(_commands(typer.main.get_command(app)))
    assert {"workers", "audit list", "audit verify", "runs list", "models card"} <= set(commands)
    missing = [
        f"clerk {path} {param.name}"
        for path, command in commands.items()
        for param in command.params
        if param.name != "help" and not getattr(param, "help", None)
    ]
    assert missing == []


def test_help_shows_the_text_of_each_option() -> None:
    result = CliRunner().invoke(app, ["items", "list", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "at most this many items" in result.output
