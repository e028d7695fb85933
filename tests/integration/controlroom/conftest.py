"""A real Control Room server (uvicorn on a free loopback port) per database backend."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from controlroom.api import create_app
from controlroom.db import make_engine, make_sessionmaker, transaction
from controlroom.files import BlobStore
from controlroom.services import tokens
from controlroom.services.processes import ensure_workspace
from controlroom.settings import ControlRoomSettings
from controlroom.states import TokenKind
from tests.unit.controlroom.dbhelpers import BACKENDS, fresh_database
from tests.unit.controlroom.serving import running_server


@dataclass(frozen=True)
class Server:
    base_url: str
    settings: ControlRoomSettings
    sessions: sessionmaker[Session]
    blobs: BlobStore

    def workspace(self, name: str) -> tuple[str, str]:
        """A workspace and an admin token for it."""
        with transaction(self.sessions) as s:
            ws = ensure_workspace(s, name)
            _, secret = tokens.create(s, ws.id, TokenKind.ADMIN, name="test", actor="test")
            return ws.id, secret


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"cr-{request.param}")
    with fresh_database(request.param, folder) as url:
        settings = ControlRoomSettings(
            database_url=url,
            files_dir=folder / "files",
            signing_key="test-signing-key",
            max_payload_bytes=64 * 1024,
            max_file_bytes=2 * 1024 * 1024,
            signed_url_ttl=60,
        )
        engine = make_engine(url)
        app = create_app(settings, engine=engine, migrate=False, background=False)
        try:
            with running_server(app) as base:
                httpx.get(f"{base}/openapi.json", timeout=5).raise_for_status()
                yield Server(base, settings, make_sessionmaker(engine), BlobStore(folder / "files"))
        finally:
            engine.dispose()


@pytest.fixture()
def robot_dir() -> Path:
    return Path(__file__).parent / "robot"
