"""A fresh console per test: the database is copied from one migrated template, so a
test's users, failed log-ins and items never leak into another's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from controlroom.api._app import create_app
from controlroom.console import _auth as auth
from controlroom.db import transaction, upgrade
from controlroom.services import users
from controlroom.services.processes import ensure_workspace
from controlroom.settings import ControlRoomSettings
from tests.unit.controlroom.console.support import (
    PASSWORD,
    TestClient,
    copy_database,
    login,
    make_process,
)


@dataclass
class Console:
    app: Any
    factory: sessionmaker[Session]
    workspace_id: str
    process_id: str
    home: Path

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://127.0.0.1")

    def user(self, username: str, role: str) -> None:
        with transaction(self.factory) as session:
            users.create_user(session, username, PASSWORD, role, actor="test")

    def logged_in(self, username: str, role: str) -> TestClient:
        self.user(username, role)
        client = self.client()
        response = login(client, username)
        assert response.status_code == 303, response.text
        return client


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id, with the smallest cost: tests hash many passwords on a busy box."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "HASHER", hasher)
    monkeypatch.setattr(auth, "_DUMMY_HASH", hasher.hash("clerk-dummy-password"))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("console-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _console(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    monkeypatch.setenv("CLERK_HOME", str(tmp_path))
    monkeypatch.setenv("CLERK_INBOX_DIR", str(tmp_path / "inbox"))
    monkeypatch.setenv("CLERK_MODELS_DIR", str(tmp_path / "models"))
    settings = ControlRoomSettings(
        database_url=url, files_dir=tmp_path / "files", signing_key="test-signing-key"
    )
    app = create_app(settings, migrate=False, background=False)
    factory = app.state.sessionmaker
    with transaction(factory) as session:
        workspace_id = ensure_workspace(session, settings.workspace).id
    process_id = make_process(factory, settings.workspace)
    yield Console(app, factory, workspace_id, process_id, tmp_path)
    app.state.engine.dispose()


@pytest.fixture
def console(
    tmp_path: Path, template_db: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Console]:
    yield from _console(
        copy_database(template_db, tmp_path / "controlroom.db"), tmp_path, monkeypatch
    )


@pytest.fixture
def pg_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    """The same console on PostgreSQL (CLERK_TEST_DATABASE_URL), in a schema of its own."""
    from tests.unit.controlroom.dbhelpers import fresh_database

    with fresh_database("postgres", tmp_path) as url:
        yield from _console(url, tmp_path, monkeypatch)
