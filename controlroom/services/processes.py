"""Workspaces and processes (ordered steps with their retry policy)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from controlroom import _audit as audit
from controlroom import _limits as limits
from controlroom.models import Process, ProcessStep, Workspace
from controlroom.services.errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    backoff_seconds: float = 30.0
    backoff_factor: float = 2.0
    max_backoff_seconds: float = 3600.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait before attempt ``attempts + 1``, never over
        ``limits.MAX_BACKOFF_SECONDS`` whatever the stored policy says."""
        try:
            raw = self.backoff_seconds * self.backoff_factor ** max(attempts - 1, 0)
        except OverflowError:
            raw = math.inf
        return _clamp(min(_clamp(raw), _clamp(self.max_backoff_seconds)))

    def check(self) -> RetryPolicy:
        """This policy, or InvalidInput (``BAD_RETRY_POLICY``) naming the field out of
        bounds (``controlroom._limits``)."""
        bounds = {
            "max_attempts": (1, limits.MAX_ATTEMPTS),
            "backoff_seconds": (0, limits.MAX_BACKOFF_SECONDS),
            "backoff_factor": (1, limits.MAX_BACKOFF_FACTOR),
            "max_backoff_seconds": (0, limits.MAX_BACKOFF_SECONDS),
        }
        for name, (low, high) in bounds.items():
            value = getattr(self, name)
            if not low <= value <= high:  # also refuses NaN
                raise InvalidInput(
                    f"{name} is {value!r}; it must be between {low:g} and {high:g}",
                    "BAD_RETRY_POLICY",
                )
        return self


def _clamp(seconds: float) -> float:
    """``seconds`` within 0..MAX_BACKOFF_SECONDS (NaN counts as 0)."""
    if seconds > limits.MAX_BACKOFF_SECONDS:
        return limits.MAX_BACKOFF_SECONDS
    return seconds if seconds >= 0 else 0.0


@dataclass(frozen=True)
class StepSpec:
    robot_dir: str
    task_name: str
    name: str = ""
    retry: RetryPolicy = RetryPolicy()


def policy_of(step: ProcessStep) -> RetryPolicy:
    return RetryPolicy(
        step.max_attempts, step.backoff_seconds, step.backoff_factor, step.max_backoff_seconds
    )


def robot_tasks(robot_dir: str | Path) -> list[str]:
    """The task names a robot declares in its ``robot.yaml``."""
    path = Path(robot_dir) / "robot.yaml"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist: --robot must be a robot directory") from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path} is not valid YAML: {exc}") from None
    except (OSError, ValueError) as exc:
        # A NUL byte or a lone surrogate in the name (ValueError; found by the API fuzz),
        # a name too long, a file where a directory should be, a robot.yaml not in UTF-8.
        raise InvalidInput(
            f"the robot directory {str(robot_dir)!r} cannot be read ({type(exc).__name__}: "
            f"{exc}): --robot must be a readable robot directory"
        ) from None
    tasks = document.get("tasks") if isinstance(document, dict) else None
    if not isinstance(tasks, dict) or not tasks:
        raise InvalidInput(f"{path} declares no tasks: add a 'tasks:' mapping")
    return [str(name) for name in tasks]


def ensure_workspace(session: Session, name: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.name == name))
    if workspace is None:
        workspace = Workspace(name=name)
        session.add(workspace)
        session.flush()
        audit.append(
            session, "system", "workspace.create", "workspace", workspace.id, after={"name": name}
        )
    return workspace


def create_process(
    session: Session,
    workspace_id: str,
    name: str,
    steps: list[StepSpec],
    *,
    actor: str,
    description: str = "",
    validate_robots: bool = True,
    max_steps: int = limits.DEFAULT_MAX_PROCESS_STEPS,
    correlation_id: str | None = None,
) -> Process:
    """A new process of ``steps``. ``validate_robots=False`` is for tests and benchmarks
    whose robots do not exist; every entry point (API, console, CLI) validates."""
    name = name.strip()
    if not name:
        raise InvalidInput("a process needs a name")
    if not steps:
        raise InvalidInput(f"process {name!r} needs at least one step")
    if len(steps) > max_steps:
        raise InvalidInput(
            f"process {name!r} has {len(steps)} steps; the limit is {max_steps} "
            "(CLERK_MAX_PROCESS_STEPS)",
            "TOO_MANY_STEPS",
        )
    if session.scalar(
        select(Process.id).where(Process.workspace_id == workspace_id, Process.name == name)
    ):
        raise Conflict(f"process {name!r} already exists in this workspace", "ALREADY_EXISTS")
    for spec in steps:
        spec.retry.check()
    if validate_robots:
        for spec in steps:
            known = robot_tasks(spec.robot_dir)
            if spec.task_name not in known:
                raise InvalidInput(
                    f"task {spec.task_name!r} is not in {spec.robot_dir}/robot.yaml; "
                    f"its tasks are: {', '.join(known)}"
                )
    process = Process(workspace_id=workspace_id, name=name, description=description)
    for position, spec in enumerate(steps, start=1):
        process.steps.append(
            ProcessStep(
                position=position,
                name=spec.name or spec.task_name,
                robot_dir=str(spec.robot_dir),
                task_name=spec.task_name,
                max_attempts=spec.retry.max_attempts,
                backoff_seconds=spec.retry.backoff_seconds,
                backoff_factor=spec.retry.backoff_factor,
                max_backoff_seconds=spec.retry.max_backoff_seconds,
            )
        )
    session.add(process)
    try:
        session.flush()
    except IntegrityError:  # a concurrent create won the race
        raise Conflict(f"process {name!r} already exists", "ALREADY_EXISTS") from None
    audit.append(
        session,
        actor,
        "process.create",
        "process",
        process.id,
        after=process_view(process),
        correlation_id=correlation_id,
    )
    return process


def process_view(process: Process) -> dict[str, Any]:
    return {
        "id": process.id,
        "name": process.name,
        "description": process.description,
        "steps": [
            {
                "id": s.id,
                "position": s.position,
                "name": s.name,
                "robot_dir": s.robot_dir,
                "task_name": s.task_name,
                "max_attempts": s.max_attempts,
                "backoff_seconds": s.backoff_seconds,
                "backoff_factor": s.backoff_factor,
                "max_backoff_seconds": s.max_backoff_seconds,
            }
            for s in process.steps
        ],
    }


def list_processes(session: Session, workspace_id: str) -> list[Process]:
    return list(
        session.scalars(
            select(Process)
            .where(Process.workspace_id == workspace_id)
            .options(selectinload(Process.steps))
            .order_by(Process.name)
        )
    )


def find_process(session: Session, workspace_id: str, name_or_id: str) -> Process:
    process = session.scalar(
        select(Process)
        .where(Process.workspace_id == workspace_id)
        .where((Process.id == name_or_id) | (Process.name == name_or_id))
        .options(selectinload(Process.steps))
    )
    if process is None:
        raise NotFound(f"no process {name_or_id!r}: see `clerk processes list`")
    return process


def step_at(process: Process, position: int) -> ProcessStep | None:
    for step in process.steps:
        if step.position == position:
            return step
    return None
