"""Withdrawing the outputs of an attempt that did not finish.

A robot creates an item's outputs before it releases the item. When the attempt does not
finish (its step run crashed, failed or was cancelled with the item still reserved, or the
robot released it FAILED and the retry policy re-queues it), the next attempt makes its
outputs again: the first attempt's must go, or the next step would do the work twice.
They are still untouched: an output is not served while its input is IN_PROGRESS
(``_queue_statements.reservable``), and the withdrawal happens in the same transaction that
moves the input out of IN_PROGRESS. Withdrawn outputs are deleted with their file rows
(blobs are content-addressed and shared; an unreferenced one is harmless), and each
deletion is audited (``item.withdraw``) so the audit log still tells the whole story.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom.models import File, WorkItem


def withdraw_outputs(
    session: Session,
    parent: WorkItem,
    step_run_id: str,
    *,
    actor: str,
    reason: str,
    correlation_id: str | None = None,
) -> int:
    """Delete the never-reserved outputs ``step_run_id`` made from ``parent``; their count."""
    outputs = session.scalars(
        select(WorkItem).where(
            WorkItem.parent_id == parent.id,
            WorkItem.created_by == step_run_id,
            WorkItem.attempts == 0,
            WorkItem.reserved_by.is_(None),
        )
    ).all()
    for output in outputs:
        session.execute(delete(File).where(File.work_item_id == output.id))
        audit.append(
            session,
            actor,
            "item.withdraw",
            "work_item",
            output.id,
            before={"state": output.state, "parent_id": parent.id, "created_by": step_run_id},
            after={"reason": reason},
            correlation_id=output.correlation_id or correlation_id,
        )
        session.delete(output)
    if outputs:
        session.flush()
    return len(outputs)
