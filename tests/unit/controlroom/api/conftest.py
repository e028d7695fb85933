"""The Control Room app served by uvicorn on loopback, on the session database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from controlroom.api import create_app
from controlroom.db import make_engine, transaction
from controlroom.files import BlobStore
from controlroom.services import tokens
from controlroom.settings import ControlRoomSettings
from controlroom.states import TokenKind
from tests.unit.controlroom.conftest import World, make_world
from tests.unit.controlroom.serving import running_server

MAX_PAYLOAD = 8 * 1024
MAX_FILE = 64 * 1024


@pytest.fixture(scope="session")
def client(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    settings = ControlRoomSettings(
        database_url=db_url,
        files_dir=tmp_path_factory.mktemp("files"),
        signing_key="unit-test-key",
        max_payload_bytes=MAX_PAYLOAD,
        max_file_bytes=MAX_FILE,
        signed_url_ttl=30,
    )
    engine = make_engine(db_url)
    app = create_app(settings, engine=engine, migrate=False, background=False)
    with running_server(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    engine.dispose()


@dataclass
class Api:
    client: httpx.Client
    world: World
    admin: str

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.admin}"}


@pytest.fixture()
def api(client: httpx.Client, factory: sessionmaker[Session], tmp_path: Path) -> Api:
    blobs: BlobStore = client.app.state.blobs  # type: ignore[attr-defined]
    world = make_world(factory, blobs)
    with transaction(factory) as s:
        _, admin = tokens.create(s, world.workspace_id, TokenKind.ADMIN, actor="test")
    return Api(client, world, admin)
