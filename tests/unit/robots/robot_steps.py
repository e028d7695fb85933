"""Run Clerk's robots, unchanged, against a real Control Room (uvicorn, SQLite).

Each robot under test gets a one-step process, so a run's input items go straight to
it. ``run_step`` opens a step run, starts the robot exactly as the worker does
(``python -m robocorp.tasks run robots/<x>.py -t <task>`` with the ``RC_*`` variables:
the stock client over HTTP), ends the step run, and returns the run's items.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clerk.paths import PROJECT_ROOT, models_dir
from controlroom.api import create_app
from controlroom.db import make_engine, make_sessionmaker, transaction, upgrade
from controlroom.files import BlobStore
from controlroom.models import File, ProcessStep, StepRun, WorkItem
from controlroom.services import runs, steps
from controlroom.services._step_end import end_step_run
from controlroom.services.processes import RetryPolicy, StepSpec, create_process, ensure_workspace
from controlroom.settings import ControlRoomSettings
from controlroom.states import StepRunState
from tests.unit.controlroom.serving import running_server

TASKS = {
    "Intake": "intake",
    "Understand": "understand",
    "Enter ERP": "enter_erp",
    "Publish CMS": "publish_cms",
}


@dataclass
class Room:
    url: str
    sessions: sessionmaker[Session]
    blobs: BlobStore
    workspace_id: str
    home: Path
    env: dict[str, str]

    def process(self, step: str) -> str:
        """A one-step process for ``step`` (one attempt: failures stay visible)."""
        name = f"{step}-{uuid.uuid4().hex[:8]}"
        with transaction(self.sessions) as s:
            spec = StepSpec(str(PROJECT_ROOT), step, retry=RetryPolicy(max_attempts=1))
            create_process(s, self.workspace_id, name, [spec], actor="test")
        return name

    def start(self, process: str, inputs: list[runs.InputSpec]) -> str:
        with transaction(self.sessions) as s:
            run = runs.start_run(
                s, self.blobs, self.workspace_id, process, inputs, actor="test",
                max_payload_bytes=1 << 20, max_file_bytes=50 << 20,
            )  # fmt: skip
            return str(run.id)

    def run_step(self, run_id: str, step: str, env: dict[str, str] | None = None) -> str:
        """Run the robot over the run's queue; returns its output (for assertion messages)."""
        with transaction(self.sessions) as s:
            opened = steps.open_step_run(s, run_id, 1, actor="test")
            started = steps.start_step_run(s, opened.id, actor="test")
        task = TASKS[step]
        result = subprocess.run(
            [sys.executable, "-m", "robocorp.tasks", "run", f"robots/{task}.py", "-t", task,
             "-o", str(self.home / "robot-output" / started.step_run_id)],
            cwd=PROJECT_ROOT,
            env={**self.env, **(env or {}), **steps.robot_environment(started, self.url)},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        with transaction(self.sessions) as s:
            sr = s.get_one(StepRun, started.step_run_id)
            state = StepRunState.COMPLETED if result.returncode == 0 else StepRunState.FAILED
            end_step_run(s, sr, state, exit_code=result.returncode, message="", actor="test")
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-6000:]
        return output

    def items(self, run_id: str) -> list[tuple[WorkItem, int]]:
        """(item, step position) of the run, oldest first; position 2 = outputs."""
        with self.sessions() as s:
            rows = s.execute(
                select(WorkItem, ProcessStep.position)
                .join(ProcessStep, ProcessStep.id == WorkItem.step_id)
                .where(WorkItem.process_run_id == run_id)
                .order_by(WorkItem.created_at)
            ).all()
            for item, _ in rows:
                s.expunge(item)
        return [(i, p) for i, p in rows]

    def inputs(self, run_id: str) -> list[WorkItem]:
        return [i for i, _ in self.items(run_id) if i.parent_id is None]

    def outputs(self, run_id: str) -> list[WorkItem]:
        """Items the robot created (outputs of a one-step process's last step)."""
        return [i for i, p in self.items(run_id) if i.parent_id is not None]

    def files(self, item_id: str) -> dict[str, bytes]:
        with self.sessions() as s:
            rows = s.scalars(select(File).where(File.work_item_id == item_id)).all()
            return {f.name: self.blobs.get(f.blob_key) for f in rows}


def room_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    folder = tmp_path_factory.mktemp("room")
    url = f"sqlite:///{folder / 'cr.db'}"
    upgrade(url)
    settings = ControlRoomSettings(
        database_url=url, files_dir=folder / "files", signing_key="test-signing-key"
    )
    engine = make_engine(url)
    app = create_app(settings, engine=engine, migrate=False, background=False)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as s:
        workspace = ensure_workspace(s, "default").id
    env = {
        **os.environ,
        "CLERK_HOME": str(folder / "home"),
        "CLERK_MODELS_DIR": str(models_dir()),
        "CLERK_INTAKE_SETTLE_SECONDS": "0",
        "OMP_THREAD_LIMIT": "1",
    }
    try:
        with running_server(app) as base:
            yield Room(base, sessions, BlobStore(folder / "files"), workspace, folder, env)
    finally:
        engine.dispose()


def payload_of(item: WorkItem) -> dict[str, Any]:
    assert isinstance(item.payload, dict)
    return item.payload
