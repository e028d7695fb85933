"""Authentication records when a token was last used (for ``clerk tokens list``)."""

from __future__ import annotations

from sqlalchemy import select

from controlroom.models import Token
from controlroom.services import tokens
from controlroom.states import TokenKind
from tests.unit.controlroom.api.conftest import Api


def test_a_request_records_its_tokens_last_use(api: Api) -> None:
    with api.world.tx() as s:
        row, secret = tokens.create(s, api.world.workspace_id, TokenKind.API, actor="test")
    reply = api.client.get("/api/v1/processes", headers=api.headers(secret))
    assert reply.status_code == 200, reply.text
    with api.world.tx() as s:
        used = s.scalar(select(Token.last_used_at).where(Token.id == row.id))
        admin = s.scalar(
            select(Token.last_used_at).where(Token.token_hash == tokens.hash_secret(api.admin))
        )
    assert used is not None and admin is None
