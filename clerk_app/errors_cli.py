"""``clerk errors``: the table of stable failure codes."""

from __future__ import annotations

import json
import shutil
import textwrap

import typer

from clerk.errors import CODES, errors_markdown


def errors(
    markdown: bool = typer.Option(False, "--markdown", help="Print docs/errors.md."),
    as_json: bool = typer.Option(False, "--json", help="Print the codes as JSON."),
) -> None:
    """List every failure code a work item can carry."""
    if markdown:
        typer.echo(errors_markdown(), nl=False)
    elif as_json:
        rows = [{"code": c.code, "type": c.type, "meaning": c.meaning} for c in CODES.values()]
        typer.echo(json.dumps(rows, indent=2))
    else:
        typer.echo(errors_table(shutil.get_terminal_size().columns))


def errors_table(width: int) -> str:
    """Code, type and meaning in columns as wide as their longest entry, two spaces
    apart; a meaning longer than the terminal wraps under its own column."""
    codes = list(CODES.values())
    code_w = max(len(c.code) for c in codes)
    type_w = max(len(c.type) for c in codes)
    indent = " " * (code_w + type_w + 4)
    lines = [f"{'CODE':<{code_w}}  {'TYPE':<{type_w}}  MEANING"]
    for c in codes:
        head = f"{c.code:<{code_w}}  {c.type:<{type_w}}  "
        wrapped = textwrap.wrap(c.meaning, max(width - len(indent), 20)) or [""]
        lines.append(head + wrapped[0])
        lines.extend(indent + rest for rest in wrapped[1:])
    return "\n".join(lines)
