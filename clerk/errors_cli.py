"""``clerk errors``: the table of stable failure codes."""

from __future__ import annotations

import json

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
        for c in CODES.values():
            typer.echo(f"{c.code:<18} {c.type:<12} {c.meaning}")
