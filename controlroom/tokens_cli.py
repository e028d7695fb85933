"""``clerk tokens``: create, list and revoke bearer tokens on the Control Room database.

Like the other admin commands (``controlroom.cli``) they work on the database directly,
through the same service (``controlroom.services.tokens``) and audit log as the HTTP API. A
token's secret is shown once, when it is created; ``list`` never shows one.
"""

from __future__ import annotations

import sys

import typer

from controlroom.cli_support import HOST_NOTE, JSON_OPTION, actor, print_table
from controlroom.cli_support import session as db_session

tokens = typer.Typer(help=f"Bearer tokens. {HOST_NOTE}", no_args_is_help=True)


@tokens.command("create")
def tokens_create(
    workspace: str | None = typer.Option(None, "--workspace", help="default CLERK_WORKSPACE"),
    kind: str = typer.Option("api", "--kind", help="admin | api | worker"),
    name: str = typer.Option("", "--name", help="a label for people, e.g. the worker's host"),
    expires_in: int | None = typer.Option(
        None, "--expires-in", min=1, max=10 * 366 * 24 * 3600, help="seconds (ten years at most)"
    ),
) -> None:
    """Create a token and print it once (only its sha256 is stored)."""
    from datetime import timedelta

    from controlroom._db_types import utcnow
    from controlroom.services import tokens as svc
    from controlroom.services.processes import ensure_workspace
    from controlroom.states import TokenKind

    allowed = [k.value for k in TokenKind if k is not TokenKind.STEP_RUN]
    if kind not in allowed:
        typer.echo(f"error: --kind must be one of {', '.join(allowed)}, got {kind!r}", err=True)
        raise typer.Exit(2)
    expires = utcnow() + timedelta(seconds=expires_in) if expires_in else None
    with db_session() as (session, ws, _, _):
        if workspace:
            ws = ensure_workspace(session, workspace).id
        token, secret = svc.create(
            session, ws, TokenKind(kind), name=name, actor=actor(), expires_at=expires
        )
    typer.echo(f"token {token.id} ({kind}), shown once:", err=True)
    sys.stdout.write(secret + "\n")


@tokens.command("list")
def tokens_list(
    workspace: str | None = typer.Option(None, "--workspace", help="only this workspace"),
    kind: list[str] = typer.Option(
        [], "--kind", help="admin | api | worker | step-run (default: all but step-run)"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Tokens, without their secrets: id, name, kind, the worker a worker token is bound
    to, created, last used (to the minute), revoked, expiry."""
    from sqlalchemy import select

    from controlroom.models import Worker, Workspace
    from controlroom.services import tokens as svc
    from controlroom.states import TokenKind

    known = [k.value for k in TokenKind]
    if unknown := [k for k in kind if k not in known]:
        typer.echo(f"error: --kind must be among {', '.join(known)}, got {unknown}", err=True)
        raise typer.Exit(2)
    kinds = [TokenKind(k) for k in kind] or [k for k in TokenKind if k is not TokenKind.STEP_RUN]
    with db_session() as (session, _, _, _):
        names = {i: n for i, n in session.execute(select(Workspace.id, Workspace.name))}
        workers = {i: n for i, n in session.execute(select(Worker.id, Worker.name))}
        ws = next((i for i, n in names.items() if n == workspace), "") if workspace else None
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind,
                "workspace": names.get(t.workspace_id, t.workspace_id),
                "worker": workers.get(t.worker_id) if t.worker_id else None,
                "worker_id": t.worker_id,
                "created": t.created_at,
                "created_by": t.created_by,
                "last_used": t.last_used_at,
                "expires": t.expires_at,
                "revoked": t.revoked_at,
            }
            for t in svc.list_tokens(session, workspace_id=ws, kinds=kinds)
        ]
    columns = ["id", "name", "kind", "workspace", "worker", "created", "last_used", "revoked"]
    print_table(rows, columns, as_json)


@tokens.command("revoke")
def tokens_revoke(
    token_id: str = typer.Argument(..., help="token id, or a unique prefix of one"),
) -> None:
    """Revoke a token at once (an already revoked one stays as it is)."""
    from controlroom.services import tokens as svc

    with db_session() as (session, _, _, _):
        token = svc.revoke(session, token_id, actor=actor())
        token_id, name, when = token.id, token.name, token.revoked_at
    typer.echo(f"token {token_id} ({name or 'unnamed'}) revoked at {when}")
