"""``clerk credentials set ERP|CMS`` and ``clerk credentials check``."""

from __future__ import annotations

import typer

app = typer.Typer(help="Store and check the robots' credentials for the target systems.")


@app.command("set")
def set_credentials(
    system: str = typer.Argument(..., help="ERP or CMS."),
    username: str = typer.Option(None, "--username", "-u", help="User name (prompted if absent)."),
) -> None:
    """Store a system's user name and password (asked for without echo) in the vault."""
    from robots.credentials import SYSTEMS, store, vault_file

    if system.upper() not in SYSTEMS:
        raise typer.BadParameter(f"{system!r} is not one of {', '.join(SYSTEMS)}")
    user = username or typer.prompt(f"{system.upper()} user name")
    password = typer.prompt(f"{system.upper()} password", hide_input=True, confirmation_prompt=True)
    store(system, user, password)
    typer.echo(f"Stored {system.upper()} credentials for {user!r} in {vault_file()}.")


@app.command("check")
def check() -> None:
    """Show which systems have credentials (never the passwords); exit 1 if any is missing."""
    from clerk.errors import ClerkError
    from robots.credentials import SYSTEMS, credential

    missing = False
    for system in SYSTEMS:
        try:
            typer.echo(f"{system}: ok ({credential(system).username})")
        except ClerkError as exc:
            missing = True
            typer.echo(f"{system}: missing - {exc.message}")
    raise typer.Exit(1 if missing else 0)
