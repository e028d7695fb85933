"""``clerk sandbox``: serve the legacy ERP and CMS that the bots drive."""

from __future__ import annotations

from pathlib import Path

import typer


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    erp_port: int = typer.Option(8801, help="Port of the legacy ERP."),
    cms_port: int = typer.Option(8802, help="Port of the legacy CMS."),
    erp_db: Path | None = typer.Option(None, help="ERP SQLite file (default under $CLERK_HOME)."),
    cms_db: Path | None = typer.Option(None, help="CMS SQLite file (default under $CLERK_HOME)."),
) -> None:
    """Serve the sandbox ERP and CMS until interrupted (Ctrl+C)."""
    from sandbox.server import serve_forever
    from sandbox.settings import SandboxSettings

    settings = SandboxSettings(
        host=host, erp_port=erp_port, cms_port=cms_port, erp_db=erp_db, cms_db=cms_db
    )
    typer.echo(
        f"ERP: http://{host}:{erp_port}  (db {settings.erp_db_path()})\n"
        f"CMS: http://{host}:{cms_port}  (db {settings.cms_db_path()})\n"
        f"User {settings.username!r}; faults and ledger need the admin token "
        "(CLERK_SANDBOX_ADMIN_TOKEN)."
    )
    serve_forever(settings)
