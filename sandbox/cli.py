"""``clerk sandbox``: serve the legacy ERP and CMS that the bots drive.

Every option defaults to its ``CLERK_SANDBOX_*`` setting (``sandbox.settings``), so the
environment decides unless an option is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def serve(
    host: str | None = typer.Option(None, help="Address to listen on [CLERK_SANDBOX_HOST]."),
    erp_port: int | None = typer.Option(
        None, help="Port of the legacy ERP [CLERK_SANDBOX_ERP_PORT, 8801]."
    ),
    cms_port: int | None = typer.Option(
        None, help="Port of the legacy CMS [CLERK_SANDBOX_CMS_PORT, 8802]."
    ),
    erp_db: Path | None = typer.Option(None, help="ERP SQLite file (default under $CLERK_HOME)."),
    cms_db: Path | None = typer.Option(None, help="CMS SQLite file (default under $CLERK_HOME)."),
) -> None:
    """Serve the sandbox ERP and CMS until interrupted (Ctrl+C). Prints the robot
    account of both apps and the variables that point workers at them."""
    from sandbox.server import serve_forever
    from sandbox.settings import SandboxSettings

    given: dict[str, Any] = {"host": host, "erp_port": erp_port, "cms_port": cms_port}
    given |= {"erp_db": erp_db, "cms_db": cms_db}
    settings = SandboxSettings(**{k: v for k, v in given.items() if v is not None})
    erp = f"http://{settings.host}:{settings.erp_port}"
    cms = f"http://{settings.host}:{settings.cms_port}"
    typer.echo(
        f"ERP: {erp}  (db {settings.erp_db_path()})\n"
        f"CMS: {cms}  (db {settings.cms_db_path()})\n"
        f"Robot user {settings.username!r}, password {settings.password!r} in both apps "
        "(CLERK_SANDBOX_USERNAME / CLERK_SANDBOX_PASSWORD): store them on each worker with "
        "`clerk credentials set ERP` and `clerk credentials set CMS`.\n"
        f"Workers reach the apps with: export CLERK_ERP_URL={erp} CLERK_CMS_URL={cms}\n"
        "Faults and the ledger need the admin token (CLERK_SANDBOX_ADMIN_TOKEN).",
    )
    serve_forever(settings)
