"""The scheduling tick: create step runs on demand, end finished runs, stop runs.

Step runs are not planned ahead. A (process run, step) pair gets a PENDING step run when
it has PENDING items that are available now and fewer than ``step_runs_per_step`` step
runs PENDING or RUNNING. A worker then claims it (``services.workers.claim``); the robot
drains the queue through the robocorp API and exits on an empty queue.

A run ends when none of its items is PENDING or IN_PROGRESS and none of its step runs is
PENDING or RUNNING: COMPLETED when every item COMPLETED, FAILED when at least one item
FAILED (``RunState`` has no "completed with failures": FAILED means "done, look at the
exception queue"). A PENDING item waiting for its backoff keeps the run open. When a
person retries a FAILED item of an ended FAILED run, the item is PENDING again and the
next tick re-opens the run (RUNNING) so it gets a step run.

An operator's stop (``stop_run``) marks the run CANCELLED: no new step runs, PENDING ones
are CANCELLED at once, RUNNING ones are told to stop in their worker's heartbeat reply.

The tick runs on every worker claim and from a background task in the server, so it is
idempotent and safe under concurrency: SQLite has a single writer (``BEGIN IMMEDIATE``);
on PostgreSQL the tick takes a transaction-scoped advisory lock, so two server processes
never both see "no step run yet" for the same pair.

Configuration (``SchedulerSettings``):

    CLERK_STEP_RUNS_PER_STEP      step runs PENDING/RUNNING at once per (run, step) (1)
    CLERK_SCHEDULER_INTERVAL      seconds between background ticks in the server (2)
    CLERK_WORKER_HEARTBEAT_SECONDS  how often workers are asked to heartbeat (5)
    CLERK_WORKER_TIMEOUT_SECONDS  a worker silent this long is OFFLINE and its step runs
                                  are ended as crashed (30)
    CLERK_WORKER_RESTART_GRACE_SECONDS  after the server (re)starts, no worker is judged
                                  silent for this long: its heartbeats could not arrive
                                  while the server was down (default: the worker timeout)
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import and_, exists, func, select, text
from sqlalchemy.orm import Session

from controlroom import _limits as limits
from controlroom._db_types import utcnow
from controlroom.db import isolated
from controlroom.models import ProcessRun, ProcessStep, StepRun, WorkItem
from controlroom.services import _queue_statements as sql
from controlroom.services.runs import (
    ACTIVE_RUN_STATES,
    SCHEDULER_ACTOR,
    cancel_orphan_step_runs,
    refresh_run_state,
)
from controlroom.services.steps import open_step_run
from controlroom.services.workers import reap_silent_workers
from controlroom.states import ItemState, RunState, StepRunState

log = logging.getLogger(__name__)
T = TypeVar("T")
# Arbitrary constant naming the scheduler's PostgreSQL advisory lock ("CLRKSCHD").
_PG_SCHEDULER_LOCK = 0x434C524B53434844 & 0x7FFFFFFFFFFFFFFF

ACTIVE_STEP_RUN_STATES = (StepRunState.PENDING.value, StepRunState.RUNNING.value)
OPEN_ITEM_STATES = (ItemState.PENDING.value, ItemState.IN_PROGRESS.value)


class SchedulerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_", extra="ignore")

    # Upper bounds: past them ``timedelta`` overflows and every tick would fail.
    step_runs_per_step: int = Field(default=1, ge=1, le=1000)
    scheduler_interval: float = Field(default=2.0, gt=0, le=limits.DAY_SECONDS)
    worker_heartbeat_seconds: float = Field(default=5.0, gt=0, le=limits.DAY_SECONDS)
    worker_timeout_seconds: float = Field(default=30.0, gt=0, le=limits.DAY_SECONDS)
    worker_restart_grace_seconds: float | None = Field(default=None, ge=0, le=limits.DAY_SECONDS)

    @property
    def restart_grace(self) -> float:
        """Seconds after the server starts before any worker is judged silent."""
        grace = self.worker_restart_grace_seconds
        return self.worker_timeout_seconds if grace is None else grace


@dataclass(frozen=True)
class TickResult:
    created: tuple[str, ...] = ()  # new step run ids
    ended_runs: tuple[str, ...] = ()
    reopened_runs: tuple[str, ...] = ()
    offline_workers: tuple[str, ...] = ()
    crashed_step_runs: tuple[str, ...] = ()
    cancelled_step_runs: tuple[str, ...] = ()


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SCHEDULER_LOCK})


def _has_items(session: Session, run_id: str, step_id: str, states: tuple[str, ...]) -> bool:
    # One index probe per state on ix_work_items_queue (run, step, state, ...): cheap even
    # with a million items queued, unlike a GROUP BY over the whole table.
    for state in states:
        found = session.execute(
            select(WorkItem.id)
            .where(
                WorkItem.process_run_id == run_id,
                WorkItem.step_id == step_id,
                WorkItem.state == state,
            )
            .limit(1)
        ).first()
        if found is not None:
            return True
    return False


def _available_count(session: Session, run_id: str, step_id: str, now: datetime, limit: int) -> int:
    """Items a robot could reserve now (up to ``limit``), by the queue's reservation rule
    (``_queue_statements.reservable``): a step run started for an output whose input is
    still IN_PROGRESS would only find an empty queue and exit."""
    rule = sql.reservable(sql.items, sql.parents, run_id, step_id, now)
    inner = select(sql.items.c.id).where(*rule).limit(limit).subquery()
    return int(session.execute(select(func.count()).select_from(inner)).scalar_one())


def schedule_step_runs(
    session: Session, *, now: datetime | None = None, per_step: int = 1
) -> list[str]:
    """Create the PENDING step runs the queues call for; return their ids."""
    now = now or utcnow()
    active = (
        select(StepRun.process_run_id, StepRun.step_id, func.count().label("n"))
        .where(StepRun.state.in_(ACTIVE_STEP_RUN_STATES))
        .group_by(StepRun.process_run_id, StepRun.step_id)
        .subquery()
    )
    pairs = session.execute(
        select(
            ProcessRun.id,
            ProcessRun.correlation_id,
            ProcessStep.id,
            ProcessStep.position,
            func.coalesce(active.c.n, 0),
        )
        .join(ProcessStep, ProcessStep.process_id == ProcessRun.process_id)
        .outerjoin(
            active,
            and_(active.c.process_run_id == ProcessRun.id, active.c.step_id == ProcessStep.id),
        )
        .where(ProcessRun.state.in_(ACTIVE_RUN_STATES))
        .order_by(ProcessRun.created_at, ProcessStep.position)
    ).all()
    created: list[str] = []
    for run_id, correlation_id, step_id, position, n_active in pairs:
        room = per_step - int(n_active)
        if room <= 0:
            continue
        wanted = min(room, _available_count(session, run_id, step_id, now, room))
        if wanted:
            opened = isolated(
                session,
                f"opening step runs for run {run_id} step {position}",
                functools.partial(_open, session, run_id, position, correlation_id, wanted),
            )
            created += opened or []
    return created


def _open(
    session: Session, run_id: str, position: int, correlation_id: str, count: int
) -> list[str]:
    return [
        open_step_run(
            session, run_id, position, actor=SCHEDULER_ACTOR, correlation_id=correlation_id
        ).id
        for _ in range(count)
    ]


def end_finished_runs(session: Session) -> list[str]:
    """End every active run with no open item and no active step run; return their ids.

    The candidates are found with index probes per (run, step), so a run with a million
    queued items costs a few lookups per tick; ``runs.refresh_run_state`` decides.
    """
    runs = session.execute(
        select(ProcessRun.id, ProcessRun.process_id)
        .where(ProcessRun.state.in_(ACTIVE_RUN_STATES))
        .where(
            ~exists().where(
                StepRun.process_run_id == ProcessRun.id,
                StepRun.state.in_(ACTIVE_STEP_RUN_STATES),
            )
        )
    ).all()
    ended: list[str] = []
    for run_id, process_id in runs:
        steps = _step_ids(session, process_id)
        if any(_has_items(session, run_id, step, OPEN_ITEM_STATES) for step in steps):
            continue
        run = isolated(
            session,
            f"ending run {run_id}",
            functools.partial(refresh_run_state, session, run_id, actor=SCHEDULER_ACTOR),
        )
        if run is not None and run.state not in ACTIVE_RUN_STATES:
            ended.append(run_id)
    return ended


def _step_ids(session: Session, process_id: str) -> list[str]:
    return list(
        session.execute(
            select(ProcessStep.id).where(ProcessStep.process_id == process_id)
        ).scalars()
    )


def reopen_retried_runs(session: Session) -> list[str]:
    """FAILED runs whose items a person put back to PENDING become RUNNING again."""
    candidates = session.scalars(
        select(ProcessRun.id)
        .where(ProcessRun.state == RunState.FAILED.value)
        .where(
            exists().where(
                WorkItem.process_run_id == ProcessRun.id,
                WorkItem.state == ItemState.PENDING.value,
            )
        )
    ).all()

    def reopen(run_id: str) -> bool:
        return (
            refresh_run_state(session, run_id, actor=SCHEDULER_ACTOR).state
            == RunState.RUNNING.value
        )

    return [
        run_id
        for run_id in candidates
        if isolated(session, f"re-opening run {run_id}", functools.partial(reopen, run_id))
    ]


def tick(
    session: Session,
    settings: SchedulerSettings,
    *,
    now: datetime | None = None,
    reap_after: datetime | None = None,
) -> TickResult:
    """One scheduling pass; call inside one transaction (``db.transaction``).

    ``reap_after``: no worker is judged silent before then (the server passes its start
    plus ``settings.restart_grace``)."""
    now = now or utcnow()
    _lock(session)
    offline: list[str] = []
    crashed: list[str] = []
    if reap_after is None or now >= reap_after:
        offline, crashed = reap_silent_workers(
            session, timeout_seconds=settings.worker_timeout_seconds, now=now
        )
    cancelled = cancel_orphan_step_runs(session, now=now)
    reopened = reopen_retried_runs(session)
    created = schedule_step_runs(session, now=now, per_step=settings.step_runs_per_step)
    ended = end_finished_runs(session)
    return TickResult(
        created=tuple(created),
        ended_runs=tuple(ended),
        reopened_runs=tuple(reopened),
        offline_workers=tuple(offline),
        crashed_step_runs=tuple(crashed),
        cancelled_step_runs=tuple(cancelled),
    )
