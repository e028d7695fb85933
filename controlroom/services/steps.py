"""Step runs: open one for a step of a run, start it (reserving its first item, as
Robocorp's Control Room does for ``RC_WORKITEM_ID``), and the robot's environment.

The worker protocol (assignment, heartbeats, logs) is built on these; ending a step run
is ``queue.end_step_run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._db_types import utcnow
from controlroom.models import ProcessRun, ProcessStep, StepRun, WorkItem
from controlroom.services import tokens
from controlroom.services.errors import Conflict, InvalidInput, NotFound
from controlroom.services.queue import get_step_run, reserve_next
from controlroom.states import RunState, StepRunState, TokenKind


@dataclass(frozen=True)
class StartedStepRun:
    step_run_id: str
    process_id: str
    process_run_id: str
    workspace_id: str
    first_item_id: str | None  # None: the queue was empty when the step run started
    token: str  # step-run bearer token, shown only here


def open_step_run(
    session: Session,
    run_id: str,
    position: int,
    *,
    actor: str,
    correlation_id: str | None = None,
) -> StepRun:
    run = session.get(ProcessRun, run_id)
    if run is None:
        raise NotFound(f"no process run {run_id!r}")
    if run.state == RunState.CANCELLED.value:
        raise Conflict(f"process run {run_id} was cancelled", "RUN_CANCELLED")
    step = session.scalar(
        select(ProcessStep).where(
            ProcessStep.process_id == run.process_id, ProcessStep.position == position
        )
    )
    if step is None:
        raise InvalidInput(f"the process of run {run_id} has no step {position}")
    step_run = StepRun(process_run_id=run.id, step_id=step.id, state=StepRunState.PENDING.value)
    session.add(step_run)
    session.flush()
    audit.append(
        session,
        actor,
        "step_run.open",
        "step_run",
        step_run.id,
        after={"process_run_id": run.id, "step": position},
        correlation_id=correlation_id,
    )
    return step_run


def start_step_run(
    session: Session,
    step_run_id: str,
    *,
    actor: str,
    worker_id: str | None = None,
    token_expires_at: datetime | None = None,
    correlation_id: str | None = None,
) -> StartedStepRun:
    """Mark the step run RUNNING, reserve its first input, and mint its robot's token."""
    step_run = get_step_run(session, step_run_id)
    if step_run.state != StepRunState.PENDING.value:
        raise Conflict(
            f"step run {step_run_id} is {step_run.state}, not PENDING", "STEP_RUN_STARTED"
        )
    run = session.get_one(ProcessRun, step_run.process_run_id)
    step_run.state = StepRunState.RUNNING.value
    step_run.worker_id = worker_id
    step_run.started_at = utcnow()
    audit.append(
        session,
        actor,
        "step_run.start",
        "step_run",
        step_run.id,
        before={"state": StepRunState.PENDING.value},
        after={"state": step_run.state, "worker_id": worker_id},
        correlation_id=correlation_id,
    )
    first: WorkItem | None = reserve_next(
        session, step_run.id, actor=actor, correlation_id=correlation_id
    )
    _, secret = tokens.create(
        session,
        run.workspace_id,
        TokenKind.STEP_RUN,
        name=f"step-run {step_run.id}",
        actor=actor,
        step_run_id=step_run.id,
        worker_id=worker_id,
        expires_at=token_expires_at,
        correlation_id=correlation_id,
    )
    return StartedStepRun(
        step_run_id=step_run.id,
        process_id=run.process_id,
        process_run_id=run.id,
        workspace_id=run.workspace_id,
        first_item_id=first.id if first else None,
        token=secret,
    )


def robot_environment(started: StartedStepRun, base_url: str) -> dict[str, str]:
    """The ``RC_*`` variables that point a stock robocorp robot at this Control Room."""
    base_url = base_url.rstrip("/")
    return {
        "RC_WORKSPACE_ID": started.workspace_id,
        "RC_PROCESS_ID": started.process_id,
        "RC_PROCESS_RUN_ID": started.process_run_id,
        "RC_ACTIVITY_RUN_ID": started.step_run_id,
        "RC_WORKITEM_ID": started.first_item_id or "",
        "RC_API_WORKITEM_HOST": base_url,
        "RC_API_WORKITEM_TOKEN": started.token,
        "RC_API_PROCESS_HOST": base_url,
        "RC_API_PROCESS_TOKEN": started.token,
    }
