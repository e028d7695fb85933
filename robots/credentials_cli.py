"""``clerk credentials set ERP|CMS`` and ``clerk credentials check``."""

from __future__ import annotations

import typer

from clerk.secret_input import STDIN_HELP, read_password

app = typer.Typer(help="Store and check the robots' credentials for the target systems.")


@app.command("set")
def set_credentials(
    system: str = typer.Argument(..., help="ERP or CMS."),
    username: str = typer.Option(None, "--username", "-u", help="User name (prompted if absent)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Store a system's user name and password (asked for without echo, or read with
    --password-stdin) in the vault."""
    from robots.credentials import SYSTEMS, store, vault_file

    if system.upper() not in SYSTEMS:
        raise typer.BadParameter(f"{system!r} is not one of {', '.join(SYSTEMS)}")
    if password_stdin and not username:
        raise typer.BadParameter("with --password-stdin, give the user name with --username")
    user = username or typer.prompt(f"{system.upper()} user name")
    password = read_password(f"{system.upper()} password", from_stdin=password_stdin)
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
