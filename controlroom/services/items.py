"""Operator actions on work items and the item listings.

Only a FAILED item that is not rejected can be retried, edited or rejected. A retry puts
it back to PENDING on the same step, available now, keeping its id and attempt count
(the last exception is cleared from the row and kept in the audit log). An edit replaces
the payload and retries. A reject keeps the item FAILED and marks it terminal
(``rejected_at/by``, ``rejection_reason``): it leaves the exception queue for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._db_types import utcnow
from controlroom.models import ProcessStep, WorkItem
from controlroom.services.errors import Conflict, InvalidInput, NotFound
from controlroom.services.runs import refresh_run_state
from controlroom.services.validation import MAX_INT32, check_payload
from controlroom.services.views import item_state
from controlroom.states import ExceptionType, ItemState

MAX_PAGE = 500


@dataclass(frozen=True)
class ItemFilter:
    run_id: str | None = None
    state: str | None = None
    step: int | None = None  # step position
    exception_type: str | None = None
    exception_code: str | None = None
    rejected: bool | None = None
    limit: int = 50
    offset: int = 0


def get_item(session: Session, workspace_id: str, item_id: str) -> WorkItem:
    item = session.get(WorkItem, item_id)
    if item is None or item.workspace_id != workspace_id:
        raise NotFound(f"no work item {item_id!r}: see `clerk items list`")
    return item


def _query(workspace_id: str, f: ItemFilter) -> Select[WorkItem, int]:
    if f.state is not None and f.state not in ItemState.__members__:
        raise InvalidInput(f"state must be one of {', '.join(ItemState)}, got {f.state!r}")
    if f.exception_type is not None and f.exception_type not in ExceptionType.__members__:
        raise InvalidInput(
            f"exception type must be one of {', '.join(ExceptionType)}, got {f.exception_type!r}"
        )
    if not 1 <= f.limit <= MAX_PAGE or not 0 <= f.offset <= MAX_INT32:
        raise InvalidInput(f"limit must be 1..{MAX_PAGE} and offset 0..{MAX_INT32}")
    if f.step is not None and not 1 <= f.step <= MAX_INT32:
        raise InvalidInput(f"step must be 1..{MAX_INT32}, got {f.step}")
    stmt = (
        select(WorkItem, ProcessStep.position)
        .join(ProcessStep, ProcessStep.id == WorkItem.step_id)
        .where(WorkItem.workspace_id == workspace_id)
    )
    if f.run_id:
        stmt = stmt.where(WorkItem.process_run_id == f.run_id)
    if f.state:
        stmt = stmt.where(WorkItem.state == f.state)
    if f.step is not None:
        stmt = stmt.where(ProcessStep.position == f.step)
    if f.exception_type:
        stmt = stmt.where(WorkItem.exception_type == f.exception_type)
    if f.exception_code:
        stmt = stmt.where(WorkItem.exception_code == f.exception_code)
    if f.rejected is not None:
        rejected = WorkItem.rejected_at.is_not(None)
        stmt = stmt.where(rejected if f.rejected else ~rejected)
    return stmt


def list_items(session: Session, workspace_id: str, f: ItemFilter) -> list[tuple[WorkItem, int]]:
    """Items with their step position, oldest first (stable across pages)."""
    stmt = (
        _query(workspace_id, f)
        .order_by(WorkItem.created_at, WorkItem.id)
        .limit(f.limit)
        .offset(f.offset)
    )
    return [(item, position) for item, position in session.execute(stmt).all()]


def open_failure(session: Session, workspace_id: str, item_id: str, action: str) -> WorkItem:
    """The FAILED, not rejected item, locked for update; NotFound or Conflict (with the
    code ``ITEM_NOT_FAILED`` or ``ITEM_REJECTED``) saying why ``action`` cannot be done."""
    item = session.scalar(
        select(WorkItem)
        .where(WorkItem.id == item_id, WorkItem.workspace_id == workspace_id)
        .with_for_update()
    )
    if item is None:
        raise NotFound(f"no work item {item_id!r}: see `clerk items list`")
    if item.state != ItemState.FAILED.value:
        raise Conflict(
            f"cannot {action} work item {item_id}: it is {item.state}, not FAILED",
            "ITEM_NOT_FAILED",
        )
    if item.rejected_at is not None:
        raise Conflict(
            f"cannot {action} work item {item_id}: it was rejected by {item.rejected_by}",
            "ITEM_REJECTED",
        )
    return item


def requeue(item: WorkItem) -> None:
    item.state = ItemState.PENDING.value
    item.available_at = utcnow()
    item.reserved_by = None
    item.exception_type = item.exception_code = item.exception_message = None


def retry(
    session: Session,
    workspace_id: str,
    item_id: str,
    *,
    actor: str,
    reason: str = "",
    correlation_id: str | None = None,
) -> WorkItem:
    item = open_failure(session, workspace_id, item_id, "retry")
    before = item_state(item)
    requeue(item)
    audit.append(
        session,
        actor,
        "item.retry",
        "work_item",
        item.id,
        before=before,
        after={**item_state(item), "reason": reason},
        correlation_id=correlation_id,
    )
    refresh_run_state(session, item.process_run_id, actor=actor)
    return item


def edit_and_retry(
    session: Session,
    workspace_id: str,
    item_id: str,
    payload: Any,
    *,
    actor: str,
    max_payload_bytes: int,
    reason: str = "",
    correlation_id: str | None = None,
) -> WorkItem:
    check_payload(payload, max_payload_bytes)
    item = open_failure(session, workspace_id, item_id, "edit")
    before = {**item_state(item), "payload": item.payload}
    item.payload = payload
    requeue(item)
    audit.append(
        session,
        actor,
        "item.edit_retry",
        "work_item",
        item.id,
        before=before,
        after={**item_state(item), "payload": payload, "reason": reason},
        correlation_id=correlation_id,
    )
    refresh_run_state(session, item.process_run_id, actor=actor)
    return item


def reject(
    session: Session,
    workspace_id: str,
    item_id: str,
    *,
    actor: str,
    reason: str,
    correlation_id: str | None = None,
) -> WorkItem:
    if not reason.strip():
        raise InvalidInput("a rejection needs a reason (--reason): it is kept for audit")
    item = open_failure(session, workspace_id, item_id, "reject")
    before = item_state(item)
    item.rejected_at = utcnow()
    item.rejected_by = actor
    item.rejection_reason = reason.strip()
    audit.append(
        session,
        actor,
        "item.reject",
        "work_item",
        item.id,
        before=before,
        after={**item_state(item), "reason": item.rejection_reason},
        correlation_id=correlation_id,
    )
    return item


def children(session: Session, item_id: str) -> list[WorkItem]:
    return list(
        session.scalars(
            select(WorkItem).where(WorkItem.parent_id == item_id).order_by(WorkItem.created_at)
        )
    )
