"""What every route needs: the app's settings, sessions and blob store, the caller's
token, and a way to run a unit of work off the event loop."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from controlroom import _logs as logs
from controlroom.api._write_batch import WriteBatcher
from controlroom.db import read_transaction, run_alone, transaction
from controlroom.files import BlobStore
from controlroom.services import tokens
from controlroom.settings import ControlRoomSettings
from controlroom.states import TokenKind

T = TypeVar("T")
_log = logging.getLogger("controlroom.api")


def settings(request: Request) -> ControlRoomSettings:
    value: ControlRoomSettings = request.app.state.settings
    return value


def started_at(request: Request) -> datetime:
    """When this server process started (``services._replay`` tells replays by it)."""
    value: datetime = request.app.state.started_at
    return value


def sessions(request: Request) -> sessionmaker[Session]:
    value: sessionmaker[Session] = request.app.state.sessionmaker
    return value


def blobs(request: Request) -> BlobStore:
    value: BlobStore = request.app.state.blobs
    return value


def signing_key(request: Request) -> bytes:
    value: bytes = request.app.state.signing_key
    return value


def correlation_id() -> str | None:
    return logs.current()


async def in_tx(request: Request, work: Callable[[Session], T], *, brief: bool = False) -> T:
    """Run ``work`` in one transaction in a worker thread (SQLAlchemy is synchronous).

    A deadlock or serialization failure rolls the transaction back whole, so it is run
    again (``controlroom.db.run_alone``); ``work`` must therefore only touch the database.

    ``brief`` work (a few primary-key statements: the robots' reserve and release) goes to
    the app's ``WriteBatcher`` instead: concurrent requests share one transaction and one
    commit, on the event loop itself on SQLite while its write lock is free, in a thread
    on PostgreSQL (see ``controlroom.api._write_batch``).
    """
    if brief:
        batcher: WriteBatcher = request.app.state.write_batcher
        return await batcher.run(work)
    return await run_in_threadpool(run_alone, sessions(request), work)


async def in_read(request: Request, work: Callable[[Session], T]) -> T:
    """Like ``in_tx`` for work that only reads (no write lock on SQLite)."""
    factory = sessions(request)

    def run() -> T:
        with read_transaction(factory) as session:
            return work(session)

    return await run_in_threadpool(run)


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise HTTPException(401, "send 'Authorization: Bearer <token>' (see `clerk tokens`)")
    return secret.strip()


def _record_use(factory: sessionmaker[Session], token_id: str) -> None:
    """Best effort: a busy database must not fail the request that used the token.
    Step-run tokens are skipped: their step run's own times say when they were used."""
    try:
        with transaction(factory) as session:
            tokens.record_use(session, token_id)
    except SQLAlchemyError as exc:
        _log.warning("could not record the use of token %s: %s", token_id, exc)


async def authenticate(request: Request, *kinds: TokenKind) -> tokens.Principal:
    """The caller's principal: from ``tokens.CACHE`` when it is there (no thread hop, no
    transaction), else one read transaction. See ``controlroom.services.tokens`` for how soon a
    revocation is seen."""
    secret = _bearer(request)

    def look_up(value: str) -> tokens.Principal:
        with read_transaction(sessions(request)) as session:
            return tokens.authenticate(session, value)

    def cached() -> tokens.Principal:
        return tokens.authenticate_cached(secret, look_up)

    try:
        hit = tokens.CACHE.get(tokens.hash_secret(secret))
        principal = hit if hit is not None else await run_in_threadpool(cached)
    except tokens.AuthError as exc:
        raise HTTPException(401, str(exc)) from None
    if principal.kind is not TokenKind.STEP_RUN and tokens.LAST_USE.due(principal.token_id):
        await run_in_threadpool(_record_use, sessions(request), principal.token_id)
    if kinds and principal.kind not in kinds:
        wanted = " or ".join(k.value for k in kinds)
        raise HTTPException(
            403, f"this is a {principal.kind.value} token; this endpoint needs {wanted}"
        )
    return principal
