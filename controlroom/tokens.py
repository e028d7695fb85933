"""Bearer tokens: created once, shown once, stored as ``sha256(secret)``.

Secrets are ``clerk_`` + 32 random bytes (urlsafe base64). With 256 bits of entropy no
dictionary or brute force applies, so a fast unsalted hash is as safe as a slow one, and
it lets ``authenticate`` find a token with one unique-index lookup. Each token belongs to
a workspace; step-run tokens also name the one step run they may act for.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom import audit
from controlroom.models import Token
from controlroom.states import TokenKind
from controlroom.types import utcnow

PREFIX = "clerk_"


class AuthError(Exception):
    """The token is missing, unknown, revoked or expired."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from a token."""

    token_id: str
    workspace_id: str
    kind: TokenKind
    step_run_id: str | None
    worker_id: str | None
    name: str

    @property
    def actor(self) -> str:
        return f"token:{self.kind.value}:{self.name or self.token_id}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(
    session: Session,
    workspace_id: str,
    kind: TokenKind,
    *,
    name: str = "",
    actor: str,
    step_run_id: str | None = None,
    worker_id: str | None = None,
    expires_at: datetime | None = None,
    correlation_id: str | None = None,
) -> tuple[Token, str]:
    """Store a new token and return it with its secret (the only time it is visible)."""
    if kind is TokenKind.STEP_RUN and step_run_id is None:
        raise ValueError("a step-run token needs the step run it is for")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = Token(
        token_hash=hash_secret(secret),
        workspace_id=workspace_id,
        kind=kind.value,
        name=name,
        step_run_id=step_run_id,
        worker_id=worker_id,
        created_by=actor,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    audit.append(
        session,
        actor,
        "token.create",
        "token",
        token.id,
        after={
            "kind": kind.value,
            "name": name,
            "workspace_id": workspace_id,
            "step_run_id": step_run_id,
            "expires_at": expires_at,
        },
        correlation_id=correlation_id,
    )
    return token, secret


def authenticate(session: Session, secret: str) -> Principal:
    token = session.scalar(select(Token).where(Token.token_hash == hash_secret(secret)))
    if token is None:
        raise AuthError("unknown token: create one with `clerk tokens create`")
    now = utcnow()
    if token.revoked_at is not None:
        raise AuthError(f"token {token.id} was revoked at {token.revoked_at.isoformat()}")
    if token.expires_at is not None and token.expires_at <= now:
        raise AuthError(f"token {token.id} expired at {token.expires_at.isoformat()}")
    return Principal(
        token_id=token.id,
        workspace_id=token.workspace_id,
        kind=TokenKind(token.kind),
        step_run_id=token.step_run_id,
        worker_id=token.worker_id,
        name=token.name,
    )


def revoke(session: Session, token_id: str, *, actor: str) -> None:
    token = session.get(Token, token_id)
    if token is None:
        raise LookupError(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.append(session, actor, "token.revoke", "token", token.id)
