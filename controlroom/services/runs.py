"""Process runs: starting one with its input items, its state, and listing runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom import _limits as limits
from controlroom._db_types import utcnow
from controlroom._logs import new_correlation_id
from controlroom.files import BlobStore
from controlroom.models import ProcessRun, ProcessStep, StepRun, WorkItem
from controlroom.services import itemfiles
from controlroom.services.errors import InvalidInput, NotFound, TooLarge
from controlroom.services.processes import find_process, step_at
from controlroom.services.validation import MAX_INT32, check_file_name, check_payload
from controlroom.states import ItemState, RunState, StepRunState

log = logging.getLogger(__name__)

SCHEDULER_ACTOR = "system:scheduler"
ACTIVE_RUN_STATES = (RunState.PENDING.value, RunState.RUNNING.value)
_OPEN_ITEMS = (ItemState.PENDING.value, ItemState.IN_PROGRESS.value)
_OPEN_STEP_RUNS = (StepRunState.PENDING.value, StepRunState.RUNNING.value)


@dataclass(frozen=True)
class InputSpec:
    """One input item of a new run: its payload and its files (name, bytes)."""

    payload: Any = field(default_factory=dict)
    files: tuple[tuple[str, bytes], ...] = ()


def start_run(
    session: Session,
    blobs: BlobStore,
    workspace_id: str,
    process: str,
    inputs: list[InputSpec],
    *,
    actor: str,
    max_payload_bytes: int,
    max_file_bytes: int,
    max_items: int = limits.DEFAULT_MAX_RUN_ITEMS,
    correlation_id: str | None = None,
) -> ProcessRun:
    """Create a run whose inputs are PENDING items of the process's first step."""
    if len(inputs) > max_items:
        raise TooLarge(
            f"{len(inputs)} input items in one run; the limit is {max_items} "
            "(CLERK_MAX_RUN_ITEMS): start several runs",
            "TOO_MANY_ITEMS",
        )
    proc = find_process(session, workspace_id, process)
    first = step_at(proc, 1)
    if first is None:
        raise InvalidInput(f"process {proc.name!r} has no steps")
    if not inputs:
        inputs = [InputSpec()]
    for spec in inputs:  # validate everything before writing anything
        check_payload(spec.payload, max_payload_bytes)
        names = [check_file_name(name) for name, _ in spec.files]
        if len(set(names)) != len(names):
            raise InvalidInput(f"an input item lists the same file twice: {names}")
        for name, data in spec.files:
            itemfiles.check_size(len(data), max_file_bytes, name)
    run = ProcessRun(
        workspace_id=workspace_id,
        process_id=proc.id,
        state=RunState.RUNNING.value,
        started_by=actor,
        correlation_id=correlation_id or new_correlation_id(),
    )
    session.add(run)
    session.flush()
    audit.append(
        session,
        actor,
        "run.start",
        "process_run",
        run.id,
        after={"process": proc.name, "inputs": len(inputs)},
        correlation_id=correlation_id,
    )
    for spec in inputs:
        item = WorkItem(
            workspace_id=workspace_id,
            process_run_id=run.id,
            step_id=first.id,
            state=ItemState.PENDING.value,
            payload=spec.payload,
            available_at=utcnow(),
            correlation_id=new_correlation_id(),
        )
        session.add(item)
        session.flush()
        audit.append(
            session,
            actor,
            "item.create",
            "work_item",
            item.id,
            after={"state": item.state, "process_run_id": run.id, "step": 1},
            correlation_id=correlation_id,
        )
        for name, data in spec.files:
            itemfiles.attach(
                session,
                blobs,
                item,
                name,
                data,
                max_file_bytes=max_file_bytes,
                actor=actor,
                correlation_id=correlation_id,
            )
    log.info("run %s of %s started with %d input(s)", run.id, proc.name, len(inputs))
    return run


def stop_run(session: Session, run_id: str, actor: str) -> bool:
    """An operator's stop: the run is CANCELLED; returns False when it had already ended."""
    run = session.get(ProcessRun, run_id)
    if run is None:
        raise LookupError(f"process run {run_id!r} not found: check the id with the run list")
    if run.state not in ACTIVE_RUN_STATES:
        return False
    before = run.state
    session.execute(
        update(ProcessRun)
        .where(ProcessRun.id == run_id, ProcessRun.state == before)
        .values(state=RunState.CANCELLED.value, ended_at=utcnow())
    )
    audit.append(
        session,
        actor,
        "process_run.stop",
        "process_run",
        run_id,
        before={"state": before},
        after={"state": RunState.CANCELLED.value},
        correlation_id=run.correlation_id,
    )
    cancel_orphan_step_runs(session)
    return True


def cancel_orphan_step_runs(session: Session, *, now: datetime | None = None) -> list[str]:
    """PENDING step runs of a run that is no longer active are CANCELLED (never claimed)."""
    now = now or utcnow()
    rows = session.execute(
        select(StepRun.id, ProcessRun.correlation_id)
        .join(ProcessRun, ProcessRun.id == StepRun.process_run_id)
        .where(StepRun.state == StepRunState.PENDING.value)
        .where(ProcessRun.state.not_in(ACTIVE_RUN_STATES))
    ).all()
    for step_run_id, correlation_id in rows:
        session.execute(
            update(StepRun)
            .where(StepRun.id == step_run_id, StepRun.state == StepRunState.PENDING.value)
            .values(state=StepRunState.CANCELLED.value, ended_at=now, message="run stopped")
        )
        audit.append(
            session,
            SCHEDULER_ACTOR,
            "step_run.state",
            "step_run",
            step_run_id,
            before={"state": "PENDING"},
            after={"state": "CANCELLED"},
            correlation_id=correlation_id,
        )
    return [row[0] for row in rows]


def refresh_run_state(session: Session, run_id: str, *, actor: str) -> ProcessRun:
    """RUNNING while any item or step run is open; then FAILED if any item failed, else
    COMPLETED. Operator retries reopen a finished run."""
    run = session.get_one(ProcessRun, run_id)
    if run.state == RunState.CANCELLED.value:
        return run
    open_work = session.scalar(
        select(
            exists().where(WorkItem.process_run_id == run_id, WorkItem.state.in_(_OPEN_ITEMS))
            | exists().where(StepRun.process_run_id == run_id, StepRun.state.in_(_OPEN_STEP_RUNS))
        )
    )
    if open_work:
        state = RunState.RUNNING
    else:
        failed = session.scalar(
            select(
                exists().where(
                    WorkItem.process_run_id == run_id,
                    WorkItem.state == ItemState.FAILED.value,
                )
            )
        )
        state = RunState.FAILED if failed else RunState.COMPLETED
    if run.state != state.value:
        before = {"state": run.state}
        run.state = state.value
        run.ended_at = None if state is RunState.RUNNING else utcnow()
        audit.append(
            session,
            actor,
            "run.state",
            "process_run",
            run.id,
            before=before,
            after={"state": state.value},
        )
    return run


def get_run(session: Session, workspace_id: str, run_id: str) -> ProcessRun:
    run = session.get(ProcessRun, run_id)
    if run is None or run.workspace_id != workspace_id:
        raise NotFound(f"no process run {run_id!r}: see `clerk runs list`")
    return run


def list_runs(
    session: Session,
    workspace_id: str,
    *,
    process_id: str | None = None,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ProcessRun]:
    if not 0 <= offset <= MAX_INT32:
        raise InvalidInput(f"offset must be 0..{MAX_INT32}, got {offset}")
    stmt = select(ProcessRun).where(ProcessRun.workspace_id == workspace_id)
    if process_id:
        stmt = stmt.where(ProcessRun.process_id == process_id)
    if state:
        stmt = stmt.where(ProcessRun.state == state)
    stmt = stmt.order_by(ProcessRun.created_at.desc(), ProcessRun.id).limit(limit).offset(offset)
    return list(session.scalars(stmt))


def item_counts(session: Session, run_id: str) -> dict[int, dict[str, int]]:
    """Items per step position and state, e.g. ``{1: {"COMPLETED": 3, "FAILED": 1}}``."""
    rows = session.execute(
        select(ProcessStep.position, WorkItem.state, func.count())
        .join(ProcessStep, ProcessStep.id == WorkItem.step_id)
        .where(WorkItem.process_run_id == run_id)
        .group_by(ProcessStep.position, WorkItem.state)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for position, state, count in rows:
        counts.setdefault(position, {})[state] = count
    return counts


def step_runs_of(session: Session, run_id: str) -> list[StepRun]:
    return list(
        session.scalars(
            select(StepRun).where(StepRun.process_run_id == run_id).order_by(StepRun.created_at)
        )
    )
