"""Administrators' actions: console users (create, role, disable, reset password), API
tokens, creating processes, and promoting a model candidate or rolling back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom.console._web import (
    PREFIX,
    PageError,
    acting_user,
    current_user,
    in_tx,
    read_only,
    redirect,
    render,
    require_role,
    workspace_id,
)
from controlroom.models import Token
from controlroom.services import processes, tokens, users
from controlroom.services.errors import InvalidInput, ServiceError
from controlroom.services.processes import StepSpec
from controlroom.states import TokenKind, UserRole

router = APIRouter(prefix=PREFIX)
ADMIN = UserRole.ADMIN.value
TOKEN_KINDS = (TokenKind.API.value, TokenKind.ADMIN.value, TokenKind.WORKER.value)


@router.get("/users")
async def users_page(request: Request) -> Response:
    who = await current_user(request)
    require_role(who, ADMIN, "Managing users")
    ws = await workspace_id(request)

    def work(session: Session) -> dict[str, Any]:
        return {
            "users": users.list_users(session),
            "tokens": list(
                session.scalars(
                    select(Token)
                    .where(Token.workspace_id == ws, Token.kind.in_(TOKEN_KINDS))
                    .order_by(Token.created_at.desc())
                    .limit(100)
                )
            ),
        }

    data = await read_only(request, work)
    return render(
        request,
        "users.html",
        {
            **data,
            "roles": list(users.ROLE_RANK),
            "token_kinds": TOKEN_KINDS,
            "new_secret": None,
            "page": "users",
        },
    )


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.post("/users")
async def create_user(request: Request) -> Response:
    who = await acting_user(request, ADMIN, "Managing users")
    form = await request.form()
    username, role, password = _text(form, "username"), _text(form, "role"), form.get("password")
    try:
        await in_tx(
            request,
            lambda s: users.create_user(s, username, str(password or ""), role, actor=who.actor),
        )
    except ServiceError as exc:
        return redirect(request, PREFIX + "/users", f"User not created: {exc.message}")
    return redirect(request, PREFIX + "/users", f"User {username} created as {role}.")


@router.post("/users/{username}")
async def update_user(username: str, request: Request) -> Response:
    who = await acting_user(request, ADMIN, "Managing users")
    form = await request.form()
    role = _text(form, "role") or None
    disabled = {"disable": True, "enable": False}.get(_text(form, "status"))
    password = form.get("password")
    new_password = password if isinstance(password, str) and password else None
    if username == who.username and (disabled or (role and role != ADMIN)):
        return redirect(request, PREFIX + "/users", "You cannot disable or demote yourself.")
    try:
        await in_tx(
            request,
            lambda s: users.update_user(
                s, username, actor=who.actor, role=role, disabled=disabled, password=new_password
            ),
        )
    except ServiceError as exc:
        return redirect(request, PREFIX + "/users", f"Not changed: {exc.message}")
    return redirect(request, PREFIX + "/users", f"User {username} updated.")


@router.post("/tokens")
async def create_token(request: Request) -> Response:
    who = await acting_user(request, ADMIN, "Managing tokens")
    ws = await workspace_id(request)
    form = await request.form()
    kind = _text(form, "kind")
    name = _text(form, "name")[:200]
    if kind not in TOKEN_KINDS:
        return redirect(
            request, PREFIX + "/users", f"Token kind must be one of {', '.join(TOKEN_KINDS)}."
        )
    _, secret = await in_tx(
        request, lambda s: tokens.create(s, ws, TokenKind(kind), name=name, actor=who.actor)
    )
    # Shown once, on this response only (never in a URL or a log).
    data = await read_only(
        request,
        lambda s: {
            "users": users.list_users(s),
            "tokens": list(
                s.scalars(
                    select(Token)
                    .where(Token.workspace_id == ws, Token.kind.in_(TOKEN_KINDS))
                    .order_by(Token.created_at.desc())
                    .limit(100)
                )
            ),
        },
    )
    return render(
        request,
        "users.html",
        {
            **data,
            "roles": list(users.ROLE_RANK),
            "token_kinds": TOKEN_KINDS,
            "new_secret": secret,
            "page": "users",
        },
    )


@router.post("/tokens/{token_id}/revoke")
async def revoke_token(token_id: str, request: Request) -> Response:
    who = await acting_user(request, ADMIN, "Managing tokens")
    ws = await workspace_id(request)

    def work(session: Session) -> bool:
        token = session.get(Token, token_id)
        if token is None or token.workspace_id != ws:
            return False
        tokens.revoke(session, token_id, actor=who.actor)
        return True

    done = await in_tx(request, work)
    return redirect(
        request, PREFIX + "/users", "Token revoked." if done else f"No token {token_id}."
    )


def parse_steps(text: str) -> list[StepSpec]:
    """One step per line: ``robot_dir task_name [display name...]``."""
    specs = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split(maxsplit=2)
        if not parts:
            continue
        if len(parts) < 2:
            raise InvalidInput(
                f"step line {number} {line.strip()!r} needs a robot folder and a task name"
            )
        specs.append(StepSpec(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return specs


@router.post("/processes")
async def create_process(request: Request) -> Response:
    who = await acting_user(request, ADMIN, "Creating processes")
    ws = await workspace_id(request)
    form = await request.form()
    name, description = _text(form, "name"), _text(form, "description")
    try:
        specs = parse_steps(_text(form, "steps"))
        await in_tx(
            request,
            lambda s: processes.create_process(
                s,
                ws,
                name,
                specs,
                actor=who.actor,
                description=description,
                max_steps=request.app.state.settings.max_process_steps,
            ),
        )
    except ServiceError as exc:
        return redirect(request, PREFIX + "/processes", f"Process not created: {exc.message}")
    return redirect(request, PREFIX + "/processes", f"Process {name} created.")


@router.get("/{path:path}", include_in_schema=False)
async def not_found(path: str, request: Request) -> Response:
    """Any other console address: an HTML page, not the API's JSON error."""
    await current_user(request)
    raise PageError(404, f"there is no console page at /console/{path}")


@router.post("/models/promote")
async def promote_model(request: Request) -> Response:
    """Promote a candidate (``controlroom.services.canary``); audited, refused readably."""
    from clerk.registry import Registry
    from controlroom.services import canary

    who = await acting_user(request, ADMIN, "Promoting a model")
    form = await request.form()
    version, force = _text(form, "version"), _text(form, "force") == "1"
    try:
        change = await in_tx(
            request,
            lambda s: canary.promote(s, Registry(), version, force=force, actor=who.actor),
        )
    except ServiceError as exc:
        return redirect(request, PREFIX + "/", f"Not promoted: {exc.message}")
    return redirect(request, PREFIX + "/", f"{change.kind}: now using {change.current}.")


@router.post("/models/rollback")
async def rollback_model(request: Request) -> Response:
    from clerk.registry import Registry
    from controlroom.services import canary

    who = await acting_user(request, ADMIN, "Rolling back a model")
    form = await request.form()
    kind = _text(form, "kind") or None
    try:
        change = await in_tx(
            request, lambda s: canary.rollback(s, Registry(), kind, actor=who.actor)
        )
    except ServiceError as exc:
        return redirect(request, PREFIX + "/", f"Not rolled back: {exc.message}")
    return redirect(request, PREFIX + "/", f"{change.kind}: rolled back to {change.current}.")
