"""The worker protocol's store side: register, heartbeat, claim, finish, and reaping.

A worker registers by name (re-registering the same name returns the same id, and any
step run the previous process left RUNNING ends CRASHED: that process is gone). It then
heartbeats, listing the step runs it is running; the reply names those it must stop
(their run was stopped, or the server already ended them, e.g. after a network split).

A worker token is bound to the first worker it registers (``bind_token``): from then on
it may heartbeat, claim and report only as that worker, and only for the step runs that
worker claimed; a worker bound to one live token cannot be registered with another.

Claiming takes the oldest PENDING step run of the worker's workspace and makes it
RUNNING on this worker, in one short transaction: ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so concurrent claims never wait on or take the same row; SQLite serializes
writers. ``steps.start_step_run`` then reserves the first input (``RC_WORKITEM_ID``) and
issues the step-run token for the robot's ``RC_API_*_TOKEN``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._db_types import utcnow
from controlroom.db import isolated
from controlroom.models import (
    ProcessRun,
    ProcessStep,
    StepRun,
    Token,
    Worker,
    WorkItem,
)
from controlroom.services import tokens
from controlroom.services._step_end import end_step_run
from controlroom.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from controlroom.services.runs import SCHEDULER_ACTOR
from controlroom.services.steps import StartedStepRun, start_step_run
from controlroom.states import RunState, StepRunState, TokenKind, WorkerState


@dataclass(frozen=True)
class Claim:
    started: StartedStepRun
    step_id: str
    step_name: str
    robot_dir: str
    task_name: str
    correlation_id: str  # the run's
    item_correlation_id: str | None  # the first reserved item's

    @property
    def step_run_id(self) -> str:
        return self.started.step_run_id


def register(
    session: Session,
    workspace_id: str,
    name: str,
    hostname: str,
    concurrency: int,
    *,
    actor: str,
) -> Worker:
    name = name.strip()
    if not name:
        raise InvalidInput("a worker needs a name: pass --name or leave the host name")
    if concurrency < 1:
        raise InvalidInput(f"concurrency must be >= 1, got {concurrency}")
    now = utcnow()
    worker = session.scalar(
        select(Worker).where(Worker.workspace_id == workspace_id, Worker.name == name)
    )
    if worker is None:
        worker = Worker(workspace_id=workspace_id, name=name)
        session.add(worker)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"worker {name!r} registered concurrently: retry") from None
    elif worker.state == WorkerState.DISABLED.value:
        raise Forbidden(f"worker {name!r} is disabled: an operator must enable it first")
    else:
        # The previous process under this name is gone: its robots died with it.
        crash_step_runs_of(session, worker.id, "worker restarted", now)
    before = {"state": worker.state}
    worker.hostname = hostname
    worker.concurrency = concurrency
    worker.state = WorkerState.IDLE.value
    worker.last_heartbeat_at = now
    audit.append(
        session,
        actor,
        "worker.register",
        "worker",
        worker.id,
        before=before,
        after={"name": name, "hostname": hostname, "concurrency": concurrency},
    )
    return worker


def bind_token(session: Session, token_id: str, worker: Worker, *, actor: str) -> None:
    """Tie a worker token to the worker it registered: from then on it acts for that
    worker alone. A token already bound to another worker is refused (Forbidden)."""
    token = session.get_one(Token, token_id)
    if token.worker_id == worker.id:
        return
    if token.worker_id is not None:
        raise Forbidden(
            f"this worker token belongs to worker {token.worker_id}, not {worker.name!r}: "
            "create a token per worker with `clerk tokens create --kind worker`",
            "TOKEN_OF_ANOTHER_WORKER",
        )
    other = session.scalar(
        select(Token.id).where(
            Token.worker_id == worker.id,
            Token.kind == TokenKind.WORKER.value,
            Token.revoked_at.is_(None),
            (Token.expires_at.is_(None)) | (Token.expires_at > utcnow()),
        )
    )
    if other is not None:
        raise Forbidden(
            f"worker {worker.name!r} belongs to another worker token ({other}): revoke that "
            "token first, or register under another name",
            "WORKER_OF_ANOTHER_TOKEN",
        )
    token.worker_id = worker.id
    tokens.forget_on_commit(session, token_id=token.id)
    audit.append(session, actor, "token.bind", "token", token.id, after={"worker_id": worker.id})


def bound_worker_id(session: Session, token_id: str) -> str | None:
    """The worker a token is bound to (``bind_token``), or None."""
    return session.scalar(select(Token.worker_id).where(Token.id == token_id))


def check_acts_for(bound_worker_id: str | None, worker_id: str) -> None:
    """A worker token acts only for the worker it registered (``bind_token``)."""
    if bound_worker_id is None:
        raise Forbidden(
            "this worker token has registered no worker yet: POST /worker-v1/workers first",
            "WORKER_NOT_REGISTERED",
        )
    if bound_worker_id != worker_id:
        raise Forbidden(
            f"this worker token belongs to worker {bound_worker_id}, not {worker_id}",
            "TOKEN_OF_ANOTHER_WORKER",
        )


def _worker(session: Session, workspace_id: str, worker_id: str) -> Worker:
    worker = session.get(Worker, worker_id)
    if worker is None or worker.workspace_id != workspace_id:
        raise NotFound(f"no worker {worker_id!r} in this workspace: register again")
    if worker.state == WorkerState.DISABLED.value:
        raise Forbidden(f"worker {worker.name!r} is disabled by an operator")
    return worker


def heartbeat(
    session: Session,
    workspace_id: str,
    worker_id: str,
    running: list[str],
    *,
    actor: str,
    forgotten_after: float | None = None,
) -> list[str]:
    """Record a heartbeat; return the ids among ``running`` the worker must stop.

    With ``forgotten_after`` (seconds; the API passes the worker timeout), this worker's
    RUNNING step runs that it does not list, started longer ago than that, end CRASHED:
    the worker never got them. That happens when the claim was committed and its reply
    lost (the Control Room was killed in between, or the connection reset and the worker
    claimed again): the worker heartbeats, so the silent-worker reaper never ends them,
    and their reserved item and the step's only step-run slot would be held forever. The
    delay covers a claim reply still on its way while a heartbeat is sent."""
    worker = _worker(session, workspace_id, worker_id)
    if forgotten_after is not None:
        _crash_forgotten(session, worker.id, set(running), forgotten_after)
    if worker.state == WorkerState.OFFLINE.value:
        audit.append(
            session,
            actor,
            "worker.online",
            "worker",
            worker.id,
            before={"state": worker.state},
            after={"state": "IDLE"},
        )
    worker.last_heartbeat_at = utcnow()
    worker.state = (WorkerState.BUSY if running else WorkerState.IDLE).value
    if not running:
        return []
    rows = session.execute(
        select(StepRun.id, StepRun.state, StepRun.worker_id, ProcessRun.state)
        .join(ProcessRun, ProcessRun.id == StepRun.process_run_id)
        .where(StepRun.id.in_(running))
    ).all()
    keep = {
        sid
        for sid, state, owner, run_state in rows
        if state == StepRunState.RUNNING.value
        and owner == worker.id
        and run_state != RunState.CANCELLED.value
    }
    return [sid for sid in running if sid not in keep]


def reap_silent_workers(
    session: Session, *, timeout_seconds: float, now: datetime | None = None
) -> tuple[list[str], list[str]]:
    """Workers silent for ``timeout_seconds`` go OFFLINE; their RUNNING step runs end
    CRASHED (items back to PENDING, or FAILED/ORCHESTRATOR past the retry limit)."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=timeout_seconds)
    workers = session.execute(
        select(Worker.id, Worker.state)
        .where(Worker.state.in_((WorkerState.IDLE.value, WorkerState.BUSY.value)))
        .where((Worker.last_heartbeat_at < cutoff) | Worker.last_heartbeat_at.is_(None))
    ).all()
    for worker_id, state in workers:
        session.execute(
            update(Worker).where(Worker.id == worker_id).values(state=WorkerState.OFFLINE.value)
        )
        audit.append(
            session,
            SCHEDULER_ACTOR,
            "worker.offline",
            "worker",
            worker_id,
            before={"state": state},
            after={"state": WorkerState.OFFLINE.value},
        )
    # Any silent worker still holding RUNNING step runs loses them, whatever its state:
    # a worker an operator DISABLED is refused heartbeats, and must not pin items forever.
    holders = session.scalars(
        select(Worker.id)
        .where((Worker.last_heartbeat_at < cutoff) | Worker.last_heartbeat_at.is_(None))
        .where(
            exists().where(
                StepRun.worker_id == Worker.id, StepRun.state == StepRunState.RUNNING.value
            )
        )
    ).all()
    crashed: list[str] = []
    for worker_id in holders:
        crashed += crash_step_runs_of(session, worker_id, "worker stopped heart-beating", now)
    return [w[0] for w in workers], crashed


def crash_step_runs_of(session: Session, worker_id: str, reason: str, now: datetime) -> list[str]:
    step_runs = (
        session.execute(
            select(StepRun).where(
                StepRun.worker_id == worker_id, StepRun.state == StepRunState.RUNNING.value
            )
        )
        .scalars()
        .all()
    )
    crashed: list[str] = []
    for step_run in step_runs:

        def crash(step_run: StepRun = step_run) -> str:
            end_step_run(
                session,
                step_run,
                StepRunState.CRASHED,
                exit_code=None,
                message=reason,
                actor=SCHEDULER_ACTOR,
                now=now,
            )
            return step_run.id

        ended = isolated(session, f"ending step run {step_run.id} as crashed", crash)
        if ended is not None:
            crashed.append(ended)
    return crashed


def _crash_forgotten(session: Session, worker_id: str, listed: set[str], after: float) -> None:
    cutoff = utcnow() - timedelta(seconds=after)
    forgotten = session.scalars(
        select(StepRun).where(
            StepRun.worker_id == worker_id,
            StepRun.state == StepRunState.RUNNING.value,
            StepRun.started_at < cutoff,
        )
    ).all()
    for step_run in forgotten:
        if step_run.id in listed:
            continue
        end_step_run(
            session,
            step_run,
            StepRunState.CRASHED,
            exit_code=None,
            message="the worker does not run this step run (its claim reply was lost)",
            actor=SCHEDULER_ACTOR,
        )


def claim(session: Session, workspace_id: str, worker_id: str, *, actor: str) -> Claim | None:
    """Take the oldest PENDING step run for this worker, or None when there is none."""
    worker = _worker(session, workspace_id, worker_id)
    if worker.state == WorkerState.OFFLINE.value:
        raise Conflict(f"worker {worker.name!r} is OFFLINE: heartbeat or register again")
    query = (
        select(StepRun.id)
        .join(ProcessRun, ProcessRun.id == StepRun.process_run_id)
        .where(StepRun.state == StepRunState.PENDING.value)
        .where(ProcessRun.workspace_id == workspace_id)
        .where(ProcessRun.state == RunState.RUNNING.value)
        .order_by(StepRun.created_at)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=StepRun, skip_locked=True)
    step_run_id = session.scalar(query)
    if step_run_id is None:
        return None
    step_run = session.get_one(StepRun, step_run_id)
    run = session.get_one(ProcessRun, step_run.process_run_id)
    step = session.get_one(ProcessStep, step_run.step_id)
    started = start_step_run(
        session,
        step_run_id,
        actor=actor,
        worker_id=worker.id,
        correlation_id=run.correlation_id,
    )
    worker.state = WorkerState.BUSY.value
    worker.last_heartbeat_at = utcnow()
    first = session.get(WorkItem, started.first_item_id) if started.first_item_id else None
    return Claim(
        started=started,
        step_id=step.id,
        step_name=step.name,
        robot_dir=step.robot_dir,
        task_name=step.task_name,
        correlation_id=run.correlation_id,
        item_correlation_id=first.correlation_id if first else None,
    )


def owned_step_run(
    session: Session, workspace_id: str, worker_id: str | None, step_run_id: str
) -> StepRun:
    step_run = session.get(StepRun, step_run_id)
    run = session.get(ProcessRun, step_run.process_run_id) if step_run else None
    if step_run is None or run is None or run.workspace_id != workspace_id:
        raise NotFound(f"no step run {step_run_id!r} in this workspace")
    if worker_id is None:
        check_acts_for(None, "")
    if step_run.worker_id != worker_id:
        raise Forbidden(f"step run {step_run_id} belongs to another worker", "NOT_YOURS")
    return step_run


def finish(
    session: Session,
    step_run: StepRun,
    exit_code: int | None,
    *,
    cancelled: bool,
    message: str,
    actor: str,
) -> dict[str, int]:
    """A worker's report that its robot ended. A repeated report is a no-op."""
    if step_run.state != StepRunState.RUNNING.value:
        return {}
    if cancelled:
        state = StepRunState.CANCELLED
    elif exit_code is not None and exit_code < 0:  # killed by a signal: the robot died
        state = StepRunState.CRASHED
    elif exit_code == 0:
        state = StepRunState.COMPLETED
    else:
        state = StepRunState.FAILED
    message = message or f"robot exited with code {exit_code}"
    return end_step_run(session, step_run, state, exit_code=exit_code, message=message, actor=actor)


def hand_back(
    session: Session, step_run: StepRun, *, actor: str, now: datetime | None = None
) -> None:
    """A worker shutting down before it started the robot: the step run is CANCELLED and
    the scheduler creates a new one for the queue."""
    end_step_run(
        session,
        step_run,
        StepRunState.CANCELLED,
        exit_code=None,
        message="handed back by a stopping worker",
        actor=actor,
        now=now,
        refund=True,
    )
