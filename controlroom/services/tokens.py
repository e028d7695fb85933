"""Bearer tokens: created once, shown once, stored as ``sha256(secret)``.

Secrets are ``clerk_`` + 32 random bytes (urlsafe base64). With 256 bits of entropy no
dictionary or brute force applies, so a fast unsalted hash is as safe as a slow one, and
it lets ``authenticate`` find a token with one unique-index lookup. Each token belongs to
a workspace; step-run tokens also name the one step run they may act for.

``CACHE`` keeps verified tokens in memory for ``CACHE_SECONDS`` (5 s) so the robot hot
path (reserve, release) skips the lookup transaction. Revocation bound: a token revoked
in THIS process (``revoke``, ending a step run) is dropped from the cache when that
transaction commits, so it is refused at once; one revoked by another process (the CLI,
another server worker) is refused within ``CACHE_SECONDS``. Step-run tokens lose nothing
even then: every robot operation checks in its own transaction that the step run is still
RUNNING, and ending the step run is what revokes them. Expiry is checked on every hit.

``last_used_at`` is written at most once per token per ``USE_RECORD_SECONDS`` (60 s): a
worker polling every second costs one small UPDATE a minute, not sixty. ``LAST_USE``
skips the write in this process; the UPDATE's own condition skips it across processes.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._db_types import utcnow
from controlroom.models import Token
from controlroom.services.errors import Conflict, InvalidInput, NotFound
from controlroom.states import TokenKind

PREFIX = "clerk_"
CACHE_SECONDS = 5.0
MIN_ID_PREFIX = 4
# The longest lifetime a token may be given (ten years): beyond it ``timedelta`` and the
# databases' timestamps overflow.
MAX_EXPIRES_IN_SECONDS = 10 * 366 * 24 * 3600
USE_RECORD_SECONDS = 60.0


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
    expires_at: datetime | None = None
    last_used_at: datetime | None = None

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
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
    )


def revoke(session: Session, token_id: str, *, actor: str) -> Token:
    """Revoke the token of this id (or unique id prefix, ``find``); a no-op if it is."""
    token = find(session, token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.append(session, actor, "token.revoke", "token", token.id)
        forget_on_commit(session, token_id=token.id)
    return token


def find(session: Session, id_or_prefix: str) -> Token:
    """The token whose id is ``id_or_prefix`` or the only one whose id starts with it."""
    prefix = id_or_prefix.strip().lower()
    if len(prefix) < MIN_ID_PREFIX:
        raise InvalidInput(
            f"token id {id_or_prefix!r} is too short: give at least {MIN_ID_PREFIX} characters "
            "of an id from `clerk tokens list`"
        )
    exact = session.get(Token, prefix)
    if exact is not None:
        return exact
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    found = list(session.scalars(select(Token).where(Token.id.like(escaped + "%", escape="\\"))))
    if not found:
        raise NotFound(f"no token with an id starting {prefix!r}: see `clerk tokens list`")
    if len(found) > 1:
        ids = ", ".join(sorted(t.id for t in found)[:5])
        raise Conflict(
            f"{len(found)} tokens have ids starting {prefix!r} ({ids}): give more characters",
            "AMBIGUOUS_ID",
        )
    return found[0]


def list_tokens(
    session: Session, *, workspace_id: str | None = None, kinds: list[TokenKind] | None = None
) -> list[Token]:
    """Tokens oldest first, optionally of one workspace and some kinds."""
    query = select(Token).order_by(Token.created_at, Token.id)
    if workspace_id is not None:
        query = query.where(Token.workspace_id == workspace_id)
    if kinds:
        query = query.where(Token.kind.in_([k.value for k in kinds]))
    return list(session.scalars(query))


class TokenCache:
    """Verified tokens by ``sha256(secret)`` for ``ttl`` seconds (thread-safe).

    ``forget`` bumps a generation counter; a lookup that started before it does not
    store its (possibly stale) answer, so a revocation cannot be undone by a race.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        return self._generation

    def get(self, secret_hash: str) -> Principal | None:
        hit = self._entries.get(secret_hash)
        if hit is None:
            return None
        principal, until = hit
        expired = principal.expires_at is not None and principal.expires_at <= utcnow()
        if expired or time.monotonic() >= until:
            with self._lock:
                self._entries.pop(secret_hash, None)
            return None
        return principal

    def put(self, secret_hash: str, principal: Principal, generation: int) -> None:
        with self._lock:
            if generation == self._generation and self.ttl > 0:
                self._entries[secret_hash] = (principal, time.monotonic() + self.ttl)

    def forget(self, *, token_id: str | None = None, step_run_id: str | None = None) -> None:
        with self._lock:
            self._generation += 1
            for key, (who, _) in list(self._entries.items()):
                if who.token_id == token_id or (step_run_id and who.step_run_id == step_run_id):
                    del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()


CACHE = TokenCache(CACHE_SECONDS)


def forget_on_commit(
    session: Session, *, token_id: str | None = None, step_run_id: str | None = None
) -> None:
    """Drop the token(s) from ``CACHE`` now and again when ``session`` commits (a lookup
    between the two still reads the old row and must not stay cached)."""
    CACHE.forget(token_id=token_id, step_run_id=step_run_id)

    def after_commit(_session: Session) -> None:
        CACHE.forget(token_id=token_id, step_run_id=step_run_id)

    event.listen(session, "after_commit", after_commit, once=True)


def authenticate_cached(secret: str, look_up: Callable[[str], Principal]) -> Principal:
    """``CACHE`` hit, or ``look_up(secret)`` (which raises ``AuthError``) stored on success."""
    key = hash_secret(secret)
    principal = CACHE.get(key)
    if principal is None:
        generation = CACHE.generation
        principal = look_up(secret)
        CACHE.put(key, principal, generation)
    return principal


class LastUse:
    """When this process last recorded each token's use (monotonic clock, thread-safe)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._at: dict[str, float] = {}
        self._lock = threading.Lock()

    def due(self, token_id: str) -> bool:
        """True (and remembered) when the token's use should be written now."""
        now = time.monotonic()
        with self._lock:
            last = self._at.get(token_id)
            if last is not None and now - last < self.interval:
                return False
            if len(self._at) > 10_000:  # bounded: old entries only cost an extra write
                self._at.clear()
            self._at[token_id] = now
            return True


LAST_USE = LastUse(USE_RECORD_SECONDS)


def record_use(
    session: Session,
    token_id: str,
    *,
    now: datetime | None = None,
    interval: float = USE_RECORD_SECONDS,
) -> bool:
    """Set ``last_used_at`` unless it was set less than ``interval`` seconds ago."""
    now = now or utcnow()
    result = session.execute(
        update(Token)
        .where(
            Token.id == token_id,
            or_(
                Token.last_used_at.is_(None),
                Token.last_used_at < now - timedelta(seconds=interval),
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
