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
    check: bool = typer.Option(
        True, "--check/--no-check", help="Sign in once to test them, when the system answers."
    ),
) -> None:
    """Store a system's user name and password (asked for without echo, or read with
    --password-stdin) in the vault, then sign in once as the robots do (at CLERK_ERP_URL
    or CLERK_CMS_URL) to test them. Exit code 1 when the system refused them; they stay
    stored. A system that does not answer is not tested."""
    from robots.credentials import SYSTEMS, store, vault_file

    if system.upper() not in SYSTEMS:
        raise typer.BadParameter(f"{system!r} is not one of {', '.join(SYSTEMS)}")
    if password_stdin and not username:
        raise typer.BadParameter("with --password-stdin, give the user name with --username")
    user = username or typer.prompt(f"{system.upper()} user name")
    password = read_password(f"{system.upper()} password", from_stdin=password_stdin)
    store(system, user, password)
    typer.echo(f"Stored {system.upper()} credentials for {user!r} in {vault_file()}.")
    if check:
        _check_sign_in(system.upper(), user, password)


def _check_sign_in(system: str, user: str, password: str) -> None:
    import httpx

    from clerk.errors import ClerkError
    from robots.bots.browser import Browser
    from robots.bots.cms import CmsBot
    from robots.bots.erp import ErpBot
    from robots.bots.settings import BotSettings
    from robots.credentials import Credential

    settings = BotSettings()
    url = settings.erp_url if system == "ERP" else settings.cms_url
    try:
        httpx.get(url, timeout=3)
    except httpx.TransportError as exc:
        typer.echo(
            f"Sign-in not tested: the {system} at {url} does not answer ({exc}); set "
            f"CLERK_{system}_URL to test it here, or test it later with a run."
        )
        return
    bot_class = ErpBot if system == "ERP" else CmsBot
    try:
        with Browser(headless=settings.bot_headless) as browser:
            bot_class(browser, settings, Credential(system, user, password)).check_sign_in()
    except ClerkError as exc:
        typer.echo(
            f"error: the {system} sign-in at {url} failed: {exc.code}: {exc.message}", err=True
        )
        raise typer.Exit(1) from None
    typer.echo(f"Signed in to the {system} at {url} as {user!r}: the credentials work.")


@app.command("check")
def check(
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of lines"),
) -> None:
    """Show which systems have credentials (never the passwords); exit 1 if any is missing."""
    import json

    from clerk.errors import ClerkError
    from robots.credentials import SYSTEMS, credential

    rows = []
    for system in SYSTEMS:
        try:
            rows.append({"system": system, "ok": True, "username": credential(system).username})
        except ClerkError as exc:
            rows.append({"system": system, "ok": False, "code": exc.code, "message": exc.message})
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    else:
        for row in rows:
            state = f"ok ({row['username']})" if row["ok"] else f"missing - {row['message']}"
            typer.echo(f"{row['system']}: {state}")
    raise typer.Exit(0 if all(row["ok"] for row in rows) else 1)
