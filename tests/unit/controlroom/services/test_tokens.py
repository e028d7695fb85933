"""Bearer tokens: stored hashed, scoped, expiring, revocable."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from controlroom._db_types import utcnow
from controlroom.models import Token
from controlroom.services import tokens
from controlroom.services.errors import Conflict, NotFound
from controlroom.states import TokenKind
from tests.unit.controlroom.conftest import World


def test_only_the_hash_is_stored(world: World) -> None:
    with world.tx() as s:
        token, secret = tokens.create(s, world.workspace_id, TokenKind.API, name="ci", actor="t")
    assert secret.startswith(tokens.PREFIX) and len(secret) > 40
    with world.tx() as s:
        row = s.scalars(select(Token).where(Token.id == token.id)).one()
        assert row.token_hash == tokens.hash_secret(secret) and secret not in row.token_hash
        who = tokens.authenticate(s, secret)
    assert (who.workspace_id, who.kind, who.name) == (world.workspace_id, TokenKind.API, "ci")


def test_unknown_expired_revoked(world: World) -> None:
    with world.tx() as s:
        _, expired = tokens.create(
            s,
            world.workspace_id,
            TokenKind.API,
            actor="t",
            expires_at=utcnow() - timedelta(seconds=1),
        )
        revoked_row, revoked = tokens.create(s, world.workspace_id, TokenKind.API, actor="t")
        tokens.revoke(s, revoked_row.id, actor="t")
    for secret, message in ((expired, "expired"), (revoked, "revoked"), ("clerk_x", "unknown")):
        with pytest.raises(tokens.AuthError, match=message), world.tx() as s:
            tokens.authenticate(s, secret)


def test_step_run_tokens_name_their_step_run(world: World) -> None:
    with pytest.raises(ValueError, match="step run"), world.tx() as s:
        tokens.create(s, world.workspace_id, TokenKind.STEP_RUN, actor="t")


def _principal(
    token_id: str, step_run_id: str | None = None, expires_at: datetime | None = None
) -> tokens.Principal:
    return tokens.Principal(
        token_id=token_id,
        workspace_id="ws",
        kind=TokenKind.STEP_RUN,
        step_run_id=step_run_id,
        worker_id=None,
        name="",
        expires_at=expires_at,
    )


def test_cache_forgets_by_token_and_step_run_and_on_expiry() -> None:
    cache = tokens.TokenCache(60)
    cache.put("a", _principal("t1", "sr1"), cache.generation)
    cache.put("b", _principal("t2", "sr2"), cache.generation)
    cache.put("c", _principal("t3", expires_at=utcnow() - timedelta(seconds=1)), cache.generation)
    assert cache.get("a") and cache.get("b") and cache.get("c") is None
    cache.forget(step_run_id="sr1")
    assert cache.get("a") is None and cache.get("b")
    cache.forget(token_id="t2")
    assert cache.get("b") is None


def test_cache_drops_a_lookup_that_raced_a_revocation() -> None:
    cache = tokens.TokenCache(60)
    started = cache.generation  # a lookup reads the row (not yet revoked) ...
    cache.forget(token_id="t1")  # ... the revocation commits ...
    cache.put("a", _principal("t1"), started)  # ... and its stale answer is not kept
    assert cache.get("a") is None


def test_cache_entries_expire_after_the_ttl() -> None:
    cache = tokens.TokenCache(0.05)
    cache.put("a", _principal("t1"), cache.generation)
    assert cache.get("a")
    time.sleep(0.06)
    assert cache.get("a") is None


def test_find_takes_a_unique_id_prefix_and_refuses_an_ambiguous_one(world: World) -> None:
    with world.tx() as s:
        for n in (1, 2):
            s.add(
                Token(
                    id=f"abcd000{n}-0000-4000-8000-{world.workspace_id[:12]}",
                    token_hash=tokens.hash_secret(f"{world.workspace_id}-{n}"),
                    workspace_id=world.workspace_id,
                    kind=TokenKind.API.value,
                )
            )
    with world.tx() as s:
        assert tokens.find(s, "ABCD0002").id.startswith("abcd0002")
        with pytest.raises(Conflict, match="2 tokens") as ambiguous:
            tokens.find(s, "abcd000")
        assert ambiguous.value.code == "AMBIGUOUS_ID"
        with pytest.raises(NotFound):
            tokens.find(s, "abcd_%")  # LIKE wildcards are plain characters here


def test_last_use_is_due_once_per_interval_per_token() -> None:
    every_minute = tokens.LastUse(60)
    assert every_minute.due("a") and every_minute.due("b")
    assert not every_minute.due("a") and not every_minute.due("b")
    always = tokens.LastUse(0)
    assert always.due("a") and always.due("a")
