"""Bearer tokens: stored hashed, scoped, expiring, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from controlroom import tokens
from controlroom.models import Token
from controlroom.states import TokenKind
from controlroom.types import utcnow
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
