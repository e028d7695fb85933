"""Shared Control Room fixtures: one migrated database per backend per session (SQLite
always; PostgreSQL when CLERK_TEST_DATABASE_URL is set), a workspace per test, a blob
store, and helpers to build processes, runs and running step runs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from controlroom.db import make_engine, make_sessionmaker, transaction
from controlroom.files import BlobStore
from controlroom.services import queue, steps
from controlroom.services.processes import RetryPolicy, StepSpec, create_process, ensure_workspace
from controlroom.services.runs import InputSpec, start_run
from tests.unit.controlroom.dbhelpers import BACKENDS, fresh_database

ACTOR = "test"
LIMIT = 64 * 1024


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with fresh_database(request.param, tmp_path_factory.mktemp(f"db-{request.param}")) as url:
        yield url


@pytest.fixture(scope="session")
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture()
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


@dataclass
class World:
    """A workspace with a process; helpers to start runs and step runs in it."""

    factory: sessionmaker[Session]
    blobs: BlobStore
    workspace_id: str
    process: str

    def start(self, *inputs: InputSpec) -> str:
        with transaction(self.factory) as s:
            run = start_run(
                s,
                self.blobs,
                self.workspace_id,
                self.process,
                list(inputs),
                actor=ACTOR,
                max_payload_bytes=LIMIT,
                max_file_bytes=LIMIT,
            )
            return run.id

    def step_run(self, run_id: str, position: int = 1) -> steps.StartedStepRun:
        with transaction(self.factory) as s:
            opened = steps.open_step_run(s, run_id, position, actor=ACTOR)
            return steps.start_step_run(s, opened.id, actor=ACTOR)

    def tx(self) -> Any:
        return transaction(self.factory)

    def failed_item(self, spec: InputSpec, code: str, message: str) -> str:
        """A run of ``spec`` whose item the first step's robot released FAILED (BUSINESS
        ``code``), as a reviewer finds it; its id."""
        sr = self.step_run(self.start(spec))
        item_id = sr.first_item_id or ""
        with self.tx() as s:
            error = {"type": "BUSINESS", "code": code, "message": message}
            queue.release(s, sr.step_run_id, item_id, "FAILED", error, actor=ACTOR)
        return item_id


def make_world(
    factory: sessionmaker[Session],
    blobs: BlobStore,
    *,
    steps_count: int = 2,
    policy: RetryPolicy = RetryPolicy(max_attempts=3, backoff_seconds=60),
) -> World:
    name = f"ws-{uuid.uuid4().hex[:10]}"
    with transaction(factory) as s:
        ws = ensure_workspace(s, name)
        specs = [StepSpec("robot", f"task{i}", retry=policy) for i in range(1, steps_count + 1)]
        create_process(s, ws.id, "proc", specs, actor=ACTOR, validate_robots=False)
        return World(factory, blobs, ws.id, "proc")


@pytest.fixture()
def world(factory: sessionmaker[Session], blobs: BlobStore) -> World:
    return make_world(factory, blobs)
