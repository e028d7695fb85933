"""The work-item queue as a robot's step run sees it: reserve, release, create outputs,
and what happens to unreleased items when the step run ends.

Reservation takes the oldest available PENDING item of the step run's (run, step) with
``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent step runs never get
the same item and never wait for each other; on SQLite the surrounding ``BEGIN
IMMEDIATE`` transaction makes the select-then-update atomic. The ``ix_work_items_queue``
index (run, step, state, available_at, id) makes it one index probe however long the
queue is.

An output is not reserved while the input it was made from is still IN_PROGRESS: the
robot that made it may still be uploading its files. Once that input is released (or its
step run ends and the server resolves it) the output is served. The check is a primary-key
probe per candidate, so it costs nothing measurable. Outputs of the last step are stored
COMPLETED: nothing consumes them.

Ending a step run, and what happens to the items it left IN_PROGRESS, is
``services._step_end.end_step_run`` (the worker protocol's single exit path).

The robot hot path (``reserve_id``, ``release_row``: what the HTTP routes call) runs
prepared statements on the driver connection (``_queue_statements``, ``_driver_sql``): on
PostgreSQL one statement for a reserve and one for a completing release, each a network
round trip; on SQLite a select and an update each, in process. It works on plain rows
(dicts), not ORM objects, and records its audit rows with
``audit.append_at_commit`` so PostgreSQL holds the audit chain lock only while
committing. It does not read the step run each time: its run, step and process are
remembered (``step_run_facts``) and "still RUNNING" is a condition of the reserving or
completing UPDATE itself; a row count of 0 then takes the slow path to the right error.
``reserve_next`` and ``release`` wrap them for callers that want the item.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk.payloads import storable_text
from controlroom import _audit as audit
from controlroom import _logs as logs
from controlroom._db_types import utcnow
from controlroom.models import ProcessStep, StepRun, WorkItem
from controlroom.services import _queue_statements as sql
from controlroom.services import _replay as replay
from controlroom.services._withdraw import withdraw_outputs
from controlroom.services.errors import Conflict, InvalidInput, NotFound
from controlroom.services.processes import policy_of
from controlroom.services.validation import check_payload
from controlroom.services.views import item_state
from controlroom.states import ExceptionType, ItemState, StepRunState

log = logging.getLogger(__name__)

MAX_CODE_CHARS = 100
MAX_MESSAGE_CHARS = 10_000


def get_step_run(session: Session, step_run_id: str) -> StepRun:
    step_run = session.get(StepRun, step_run_id)
    if step_run is None:
        raise NotFound(f"no step run {step_run_id!r}")
    return step_run


def _running(session: Session, step_run_id: str) -> StepRun:
    step_run = get_step_run(session, step_run_id)
    if step_run.state != StepRunState.RUNNING.value:
        raise Conflict(
            f"step run {step_run_id} is {step_run.state}, not RUNNING: it can no longer "
            "reserve, release or create items",
            "STEP_RUN_NOT_RUNNING",
        )
    return step_run


def _locked_item(session: Session, item_id: str, process_run_id: str) -> WorkItem:
    item = session.scalar(select(WorkItem).where(WorkItem.id == item_id).with_for_update())
    # An item of another run is as invisible to a step run as a missing one.
    if item is None or item.process_run_id != process_run_id:
        raise NotFound(f"no work item {item_id!r} in process run {process_run_id}")
    return item


@dataclass(frozen=True)
class RunningStepRun:
    """What the hot path needs of a RUNNING step run (one row, no ORM object)."""

    id: str
    process_run_id: str
    step_id: str
    process_id: str
    started_at: datetime | None  # when its robot started (``_replay`` reads it)


def running_step_run(session: Session, step_run_id: str) -> RunningStepRun:
    """The step run with its process, in one query; Conflict unless it is RUNNING."""
    row = session.connection().execute(sql.STEP_RUN, {"step_run_id": step_run_id}).first()
    if row is None:
        raise NotFound(f"no step run {step_run_id!r}")
    if row.state != StepRunState.RUNNING.value:
        raise Conflict(
            f"step run {step_run_id} is {row.state}, not RUNNING: it can no longer "
            "reserve, release or create items",
            "STEP_RUN_NOT_RUNNING",
        )
    facts = RunningStepRun(
        step_run_id, row.process_run_id, row.step_id, row.process_id, row.started_at
    )
    _remember(facts)
    return facts


# A step run's run, step and process never change, so they are kept per process once read
# (``step_run_facts``); whether it is still RUNNING is not, and the hot path's updates
# check that in the same statement (``sql.RESERVE``, ``sql.COMPLETE``).
_FACTS: dict[str, RunningStepRun] = {}
_MAX_FACTS = 10_000


def _remember(facts: RunningStepRun) -> None:
    if len(_FACTS) >= _MAX_FACTS:
        _FACTS.clear()
    _FACTS[facts.id] = facts


def step_run_facts(session: Session, step_run_id: str) -> RunningStepRun:
    """The step run's run, step and process: remembered after the first read, which
    also checks it is RUNNING. Later calls do not check the state: the hot path's updates
    do (a row count of 0 then goes through ``running_step_run`` for the error)."""
    facts = _FACTS.get(step_run_id)
    return facts if facts is not None else running_step_run(session, step_run_id)


def _not_running(session: Session, step_run: RunningStepRun) -> Conflict:
    """Raise the step run's own error (it ended, or is gone); if it is somehow RUNNING
    after all, the update still did nothing, so report a conflict to retry."""
    running_step_run(session, step_run.id)
    return Conflict(f"step run {step_run.id} changed meanwhile; try again", "STEP_RUN_CHANGED")


def _row_state(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``views.item_state`` of a plain row, with ``changes`` applied."""
    values = {**row, **changes}
    no_exception = values["exception_type"] is None and values["exception_code"] is None
    available_at = values["available_at"]
    return {
        "state": values["state"],
        "attempts": values["attempts"],
        "exception": None
        if no_exception
        else {
            "type": values["exception_type"],
            "code": values["exception_code"],
            "message": values["exception_message"],
        },
        "reserved_by": values["reserved_by"],
        "available_at": available_at.isoformat() if available_at is not None else None,
        "rejected": values["rejected_at"] is not None,
    }


def reserve_id(
    session: Session,
    step_run: RunningStepRun,
    *,
    actor: str,
    correlation_id: str | None = None,
    server_started_at: datetime | None = None,
) -> str | None:
    """Reserve the oldest available PENDING item for the step run; its id, or None. A
    reserve the server committed before a restart it did not survive gets the item it
    reserved (``_replay``; ``server_started_at``: when this server process started)."""
    again = replay.lost_reservation(session, step_run.id, step_run.started_at, server_started_at)
    if again is not None:
        return again
    now = utcnow()
    where = {"run": step_run.process_run_id, "step": step_run.step_id, "now": now}
    if _one_statement(session):
        row = sql.RESERVE_RETURNING.first(session, {**where, "step_run_id": step_run.id})
    else:
        row = sql.NEXT_PENDING.first(session, where)
    if row is None:
        running_step_run(session, step_run.id)  # an ended step run hears so, not "empty"
        return None
    attempts = row["attempts"] + 1
    if not _one_statement(session):
        params = {"item_id": row["id"], "new_attempts": attempts, "step_run_id": step_run.id}
        reserved = sql.RESERVE.rowcount(session, {**params, "now": now})
        if reserved != 1:
            raise _not_running(session, step_run)
    audit.append_at_commit(
        session,
        actor,
        "item.reserve",
        "work_item",
        row["id"],
        before=_row_state(row),
        after=_row_state(
            row, state=ItemState.IN_PROGRESS.value, attempts=attempts, reserved_by=step_run.id
        ),
        correlation_id=correlation_id,
    )
    logs.at_commit(
        session,
        log,
        "item %s reserved by step run %s (attempt %d)",
        row["id"],
        step_run.id,
        attempts,
        item_correlation_id=row["correlation_id"],
    )
    return str(row["id"])


def reserve_next(
    session: Session, step_run_id: str, *, actor: str, correlation_id: str | None = None
) -> WorkItem | None:
    """Reserve the oldest available PENDING item for the step run, or None if none."""
    item_id = reserve_id(
        session, running_step_run(session, step_run_id), actor=actor, correlation_id=correlation_id
    )
    return None if item_id is None else session.get(WorkItem, item_id, populate_existing=True)


def _clean_exception(state: ItemState, exception: dict[str, Any] | None) -> dict[str, str]:
    if state is ItemState.COMPLETED or not exception:
        return {"type": ExceptionType.APPLICATION.value} if state is ItemState.FAILED else {}
    kind = str(exception.get("type") or ExceptionType.APPLICATION.value).upper()
    if kind not in ExceptionType.__members__:
        raise InvalidInput(
            f"exception type {kind!r} is not one of {', '.join(ExceptionType.__members__)}"
        )
    code = exception.get("code")
    if code is not None and (
        not isinstance(code, str) or len(code) > MAX_CODE_CHARS or not code.isprintable()
    ):
        raise InvalidInput(
            f"exception code must be a string of at most {MAX_CODE_CHARS} printable chars"
        )
    message = exception.get("message")
    if message is not None and not isinstance(message, str):
        raise InvalidInput("exception message must be a string")
    cleaned = {"type": kind}
    if code:
        cleaned["code"] = code
    if message:
        # Keep the start (what failed); a robot's full traceback belongs in its log.
        # A NUL or a lone surrogate becomes U+FFFD: kept, not refused, for one odd character.
        cleaned["message"] = storable_text(message[:MAX_MESSAGE_CHARS])
    return cleaned


def _set_exception(item: WorkItem, exception: dict[str, str] | None) -> None:
    exception = exception or {}
    item.exception_type = exception.get("type")
    item.exception_code = exception.get("code")
    item.exception_message = exception.get("message")


def _fail(item: WorkItem, step: ProcessStep, exception: dict[str, str], now: datetime) -> None:
    """FAILED, unless the retry policy re-queues it (APPLICATION/ORCHESTRATOR only)."""
    policy = policy_of(step)
    _set_exception(item, exception)
    item.reserved_by = None
    item.released_at = now
    retryable = exception["type"] != ExceptionType.BUSINESS.value
    if retryable and item.attempts < policy.max_attempts:
        item.state = ItemState.PENDING.value
        item.available_at = now + timedelta(seconds=policy.delay(item.attempts))
    else:
        item.state = ItemState.FAILED.value


def release(
    session: Session,
    step_run_id: str,
    item_id: str,
    state: str,
    exception: dict[str, Any] | None = None,
    *,
    actor: str,
    correlation_id: str | None = None,
) -> WorkItem:
    """Release an item the step run holds as COMPLETED or FAILED (with its exception)."""
    step_run = running_step_run(session, step_run_id)
    release_row(
        session, step_run, item_id, state, exception, actor=actor, correlation_id=correlation_id
    )
    return session.get_one(WorkItem, item_id, populate_existing=True)


def release_row(
    session: Session,
    step_run: RunningStepRun,
    item_id: str,
    state: str,
    exception: dict[str, Any] | None = None,
    *,
    actor: str,
    correlation_id: str | None = None,
    server_started_at: datetime | None = None,
) -> str:
    """``release`` on plain rows; returns the item's new state. COMPLETED (the common
    case) is one locked select and one update; FAILED goes through the retry policy.
    A release the server answered before a restart it did not survive is answered again
    (``_replay``; ``server_started_at``: when this server process started)."""
    try:
        target = ItemState(state)
    except ValueError:
        raise InvalidInput(f"state must be COMPLETED or FAILED, got {state!r}") from None
    if target not in (ItemState.COMPLETED, ItemState.FAILED):
        raise InvalidInput(f"state must be COMPLETED or FAILED, got {state!r}")
    cleaned = _clean_exception(target, exception)
    if target is ItemState.COMPLETED and _one_statement(session):
        now = utcnow()
        row = sql.COMPLETE_RETURNING.first(
            session,
            {
                "item_id": item_id,
                "run": step_run.process_run_id,
                "step_run_id": step_run.id,
                "now": now,
            },
        )
        if row is not None:
            before, after = _row_state(row), _row_state(row, **_COMPLETED)
            _audit_release(session, row, before, after, target, actor, correlation_id)
            return ItemState.COMPLETED.value
        # Not held, not IN_PROGRESS, another run's, or the step run ended: the
        # two-statement path below says which.
    row = sql.LOCKED_ITEM.first(session, {"item_id": item_id})
    held = (
        row is not None
        and row["process_run_id"] == step_run.process_run_id
        and row["state"] == ItemState.IN_PROGRESS.value
        and row["reserved_by"] == step_run.id
    )
    if not held:
        running_step_run(session, step_run.id)  # an ended step run's error comes first
    # An item of another run is as invisible to a step run as a missing one.
    if row is None or row["process_run_id"] != step_run.process_run_id:
        raise NotFound(f"no work item {item_id!r} in process run {step_run.process_run_id}")
    if row["state"] != ItemState.IN_PROGRESS.value:
        again = replay.lost_release(session, item_id, actor, target.value, server_started_at)
        if again is not None:
            return again
        raise Conflict(
            f"work item {item_id} is {row['state']}, not IN_PROGRESS: it was already released "
            "or never reserved",
            "ITEM_NOT_IN_PROGRESS",
        )
    if row["reserved_by"] != step_run.id:
        raise Conflict(f"work item {item_id} is reserved by another step run", "NOT_YOURS")
    now = utcnow()
    before = _row_state(row)
    if target is ItemState.COMPLETED:
        done = sql.COMPLETE.rowcount(
            session, {"item_id": item_id, "step_run_id": step_run.id, "now": now}
        )
        if done != 1:
            raise _not_running(session, step_run)
        after = _row_state(row, **_COMPLETED)
        new_state = ItemState.COMPLETED.value
    else:
        running_step_run(session, step_run.id)  # the rare path checks the state up front
        item = session.get_one(WorkItem, item_id, populate_existing=True)
        _fail(item, session.get_one(ProcessStep, item.step_id), cleaned, now)
        if item.state == ItemState.PENDING.value:  # re-queued: the retry makes new outputs
            withdraw_outputs(
                session,
                item,
                step_run.id,
                actor=actor,
                reason=f"input {item_id} re-queued after a failed attempt",
                correlation_id=correlation_id,
            )
        after = item_state(item)
        new_state = item.state
    _audit_release(session, row, before, after, target, actor, correlation_id)
    return new_state


# What completing an item changes (``sql.COMPLETE``), as ``_row_state`` changes.
_COMPLETED: dict[str, Any] = {
    "state": ItemState.COMPLETED.value,
    "exception_type": None,
    "exception_code": None,
    "exception_message": None,
    "reserved_by": None,
}


def _audit_release(
    session: Session,
    row: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
    target: ItemState,
    actor: str,
    correlation_id: str | None,
) -> None:
    audit.append_at_commit(
        session,
        actor,
        "item.release",
        "work_item",
        row["id"],
        before=before,
        after={**after, "released_as": target.value},
        correlation_id=correlation_id,
    )
    logs.at_commit(
        session,
        log,
        "item %s released as %s -> %s",
        row["id"],
        target.value,
        after["state"],
        item_correlation_id=row["correlation_id"],
    )


def _one_statement(session: Session) -> bool:
    """Whether reserve and complete run as one statement each (``_queue_statements``):
    on PostgreSQL, where every statement is a round trip."""
    return session.get_bind().dialect.name == "postgresql"


def next_step_of(session: Session, step: ProcessStep) -> ProcessStep | None:
    return session.scalar(
        select(ProcessStep).where(
            ProcessStep.process_id == step.process_id, ProcessStep.position == step.position + 1
        )
    )


def add_output(
    session: Session,
    parent: WorkItem,
    step: ProcessStep,
    payload: Any,
    *,
    actor: str,
    created_by: str | None = None,
    correlation_id: str | None = None,
    audit_extra: dict[str, Any] | None = None,
) -> WorkItem:
    """A new item of ``parent``'s run for ``step``, audited: PENDING for the next step,
    COMPLETED when ``step`` is the parent's own (the last step's result)."""
    output = WorkItem(
        workspace_id=parent.workspace_id,
        process_run_id=parent.process_run_id,
        step_id=step.id,
        parent_id=parent.id,
        created_by=created_by,
        state=(ItemState.COMPLETED if step.id == parent.step_id else ItemState.PENDING).value,
        payload=payload,
        available_at=utcnow(),
        correlation_id=parent.correlation_id or logs.new_correlation_id(),
    )
    session.add(output)
    session.flush()
    audit.append(
        session,
        actor,
        "item.create_output",
        "work_item",
        output.id,
        after={**item_state(output), "parent_id": parent.id, **(audit_extra or {})},
        correlation_id=correlation_id,
    )
    return output


def create_output(
    session: Session,
    step_run_id: str,
    parent_id: str,
    payload: Any,
    *,
    actor: str,
    max_payload_bytes: int,
    correlation_id: str | None = None,
    server_started_at: datetime | None = None,
) -> WorkItem:
    """An output of ``parent_id``: an input of the next step of the same run. A request
    the server committed before a restart it did not survive gets the output it made
    (``_replay``; ``server_started_at``: when this server process started)."""
    step_run = _running(session, step_run_id)
    check_payload(payload, max_payload_bytes)
    parent = _locked_item(session, parent_id, step_run.process_run_id)
    if parent.reserved_by != step_run.id or parent.state != ItemState.IN_PROGRESS.value:
        raise Conflict(
            f"work item {parent_id} is not an input this step run holds (state "
            f"{parent.state}): create outputs before releasing the input",
            "NOT_YOURS",
        )
    made = replay.lost_output(session, parent.id, step_run.id, payload, server_started_at)
    if made is not None:
        return made
    step = session.get_one(ProcessStep, step_run.step_id)
    # After the last step, the output is kept as the run's result, already COMPLETED.
    output = add_output(
        session,
        parent,
        next_step_of(session, step) or step,
        payload,
        actor=actor,
        created_by=step_run.id,
        correlation_id=correlation_id,
    )
    logs.at_commit(
        session,
        log,
        "item %s created as output of %s",
        output.id,
        parent.id,
        item_correlation_id=output.correlation_id,
    )
    return output
