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
``services.step_end.end_step_run`` (the worker protocol's single exit path).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, aliased

from controlroom import audit
from controlroom.logs import item_extra, new_correlation_id
from controlroom.models import ProcessStep, StepRun, WorkItem
from controlroom.services.errors import Conflict, InvalidInput, NotFound
from controlroom.services.processes import policy_of
from controlroom.services.validation import check_payload
from controlroom.services.views import item_state
from controlroom.states import ExceptionType, ItemState, StepRunState
from controlroom.types import utcnow

log = logging.getLogger(__name__)

_Parent = aliased(WorkItem, name="parent")
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


def reservation_query(step_run: StepRun, now: datetime) -> Select[WorkItem]:
    """The oldest available PENDING item of the step run's (run, step), row-locked."""
    return (
        select(WorkItem)
        .where(
            WorkItem.process_run_id == step_run.process_run_id,
            WorkItem.step_id == step_run.step_id,
            WorkItem.state == ItemState.PENDING.value,
            WorkItem.available_at <= now,
            ~exists().where(
                _Parent.id == WorkItem.parent_id,
                _Parent.state == ItemState.IN_PROGRESS.value,
            ),
        )
        .order_by(WorkItem.available_at, WorkItem.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def reserve_next(
    session: Session, step_run_id: str, *, actor: str, correlation_id: str | None = None
) -> WorkItem | None:
    """Reserve the oldest available PENDING item for the step run, or None if none."""
    step_run = _running(session, step_run_id)
    now = utcnow()
    item = session.scalar(reservation_query(step_run, now))
    if item is None:
        return None
    before = item_state(item)
    item.state = ItemState.IN_PROGRESS.value
    item.attempts += 1
    item.reserved_by = step_run.id
    item.reserved_at = now
    item.released_at = None
    audit.append(
        session,
        actor,
        "item.reserve",
        "work_item",
        item.id,
        before=before,
        after=item_state(item),
        correlation_id=correlation_id,
    )
    log.info(
        "item %s reserved by step run %s (attempt %d)",
        item.id,
        step_run.id,
        item.attempts,
        extra=item_extra(item),
    )
    return item


def _clean_exception(state: ItemState, exception: dict[str, Any] | None) -> dict[str, str]:
    if state is ItemState.COMPLETED or not exception:
        return {"type": ExceptionType.APPLICATION.value} if state is ItemState.FAILED else {}
    kind = str(exception.get("type") or ExceptionType.APPLICATION.value).upper()
    if kind not in ExceptionType.__members__:
        raise InvalidInput(
            f"exception type {kind!r} is not one of {', '.join(ExceptionType.__members__)}"
        )
    code = exception.get("code")
    if code is not None and (not isinstance(code, str) or len(code) > MAX_CODE_CHARS):
        raise InvalidInput(f"exception code must be a string of at most {MAX_CODE_CHARS} chars")
    message = exception.get("message")
    if message is not None and not isinstance(message, str):
        raise InvalidInput("exception message must be a string")
    cleaned = {"type": kind}
    if code:
        cleaned["code"] = code
    if message:
        # Keep the start (what failed); a robot's full traceback belongs in its log.
        cleaned["message"] = message[:MAX_MESSAGE_CHARS]
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
    step_run = _running(session, step_run_id)
    try:
        target = ItemState(state)
    except ValueError:
        raise InvalidInput(f"state must be COMPLETED or FAILED, got {state!r}") from None
    if target not in (ItemState.COMPLETED, ItemState.FAILED):
        raise InvalidInput(f"state must be COMPLETED or FAILED, got {state!r}")
    cleaned = _clean_exception(target, exception)
    item = _locked_item(session, item_id, step_run.process_run_id)
    if item.state != ItemState.IN_PROGRESS.value:
        raise Conflict(
            f"work item {item_id} is {item.state}, not IN_PROGRESS: it was already released "
            "or never reserved",
            "ITEM_NOT_IN_PROGRESS",
        )
    if item.reserved_by != step_run.id:
        raise Conflict(f"work item {item_id} is reserved by another step run", "NOT_YOURS")
    now = utcnow()
    before = item_state(item)
    if target is ItemState.COMPLETED:
        item.state = ItemState.COMPLETED.value
        _set_exception(item, None)
        item.reserved_by = None
        item.released_at = now
    else:
        step = session.get_one(ProcessStep, item.step_id)
        _fail(item, step, cleaned, now)
    audit.append(
        session,
        actor,
        "item.release",
        "work_item",
        item.id,
        before=before,
        after={**item_state(item), "released_as": target.value},
        correlation_id=correlation_id,
    )
    log.info(
        "item %s released as %s -> %s", item.id, target.value, item.state, extra=item_extra(item)
    )
    return item


def create_output(
    session: Session,
    step_run_id: str,
    parent_id: str,
    payload: Any,
    *,
    actor: str,
    max_payload_bytes: int,
    correlation_id: str | None = None,
) -> WorkItem:
    """An output of ``parent_id``: an input of the next step of the same run."""
    step_run = _running(session, step_run_id)
    check_payload(payload, max_payload_bytes)
    parent = _locked_item(session, parent_id, step_run.process_run_id)
    if parent.reserved_by != step_run.id or parent.state != ItemState.IN_PROGRESS.value:
        raise Conflict(
            f"work item {parent_id} is not an input this step run holds (state "
            f"{parent.state}): create outputs before releasing the input",
            "NOT_YOURS",
        )
    step = session.get_one(ProcessStep, step_run.step_id)
    next_step = session.scalar(
        select(ProcessStep).where(
            ProcessStep.process_id == step.process_id, ProcessStep.position == step.position + 1
        )
    )
    output = WorkItem(
        workspace_id=parent.workspace_id,
        process_run_id=parent.process_run_id,
        step_id=(next_step or step).id,
        parent_id=parent.id,
        created_by=step_run.id,
        state=(ItemState.PENDING if next_step else ItemState.COMPLETED).value,
        payload=payload,
        available_at=utcnow(),
        correlation_id=parent.correlation_id or new_correlation_id(),
    )
    session.add(output)
    session.flush()
    audit.append(
        session,
        actor,
        "item.create_output",
        "work_item",
        output.id,
        after={**item_state(output), "parent_id": parent.id},
        correlation_id=correlation_id,
    )
    log.info("item %s created as output of %s", output.id, parent.id, extra=item_extra(output))
    return output
