"""Ending a step run: its state, its tokens, and the items its robot left reserved.

``end_step_run`` is the single path by which a step run stops being RUNNING: a worker's
finish report, a crash found by the heartbeat reaper, or a cancellation. It revokes the
step run's tokens (a robot that outlives its step run can no longer touch the queue),
then resolves the items the run still holds IN_PROGRESS:

- the task passed (COMPLETED): they are COMPLETED, as Robocorp's Control Room does;
- otherwise (FAILED exit code, CRASHED, CANCELLED): they go back to PENDING with the
  step's backoff, or FAILED/ORCHESTRATOR once the step's attempts are used up
  (``ROBOT_DIED`` when the step allows a single attempt, else ``RETRIES_EXHAUSTED``);
- handed back before the robot started: PENDING again at once, the attempt refunded.

Unless the task passed, the outputs the step run made from those items are withdrawn
(``services.withdraw``): the next attempt makes them again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._db_types import utcnow
from controlroom.models import ProcessRun, ProcessStep, StepRun, Token, WorkItem
from controlroom.services import tokens
from controlroom.services._withdraw import withdraw_outputs
from controlroom.services.processes import policy_of
from controlroom.states import ExceptionType, ItemState, StepRunState


def resolve_step_run_items(
    session: Session,
    step_run: StepRun,
    passed: bool,
    *,
    actor: str,
    now: datetime,
    correlation_id: str | None = None,
    refund: bool = False,
) -> dict[str, int]:
    """Resolve the items ``step_run`` still holds IN_PROGRESS; return counts by outcome.

    ``refund``: the robot never ran (a worker handed the step run back), so the attempt
    is given back and the items are available again at once."""
    step = session.get(ProcessStep, step_run.step_id)
    assert step is not None
    policy = policy_of(step)
    items = session.scalars(
        select(WorkItem)
        .where(WorkItem.reserved_by == step_run.id)
        .where(WorkItem.state == ItemState.IN_PROGRESS.value)
    ).all()
    counts = {"completed": 0, "requeued": 0, "failed": 0, "withdrawn": 0}
    for item in items:
        before = {"state": item.state, "attempts": item.attempts}
        if not passed:  # the attempt did not finish: its outputs go (``withdraw_outputs``)
            counts["withdrawn"] += withdraw_outputs(
                session,
                item,
                step_run.id,
                actor=actor,
                reason=f"step run {step_run.id} ended {step_run.state} holding the input",
                correlation_id=correlation_id,
            )
        item.released_at = now
        if passed:
            item.state = ItemState.COMPLETED.value
            item.reserved_by = None
            item.exception_type = item.exception_code = item.exception_message = None
            counts["completed"] += 1
        elif refund:
            item.state = ItemState.PENDING.value
            item.attempts = max(item.attempts - 1, 0)
            item.available_at = now
            item.reserved_by = None
            counts["requeued"] += 1
        elif item.attempts < policy.max_attempts:
            item.state = ItemState.PENDING.value
            item.available_at = now + timedelta(seconds=policy.delay(item.attempts))
            item.reserved_by = None
            counts["requeued"] += 1
        else:
            item.state = ItemState.FAILED.value
            item.exception_type = ExceptionType.ORCHESTRATOR.value
            code = "ROBOT_DIED" if policy.max_attempts == 1 else "RETRIES_EXHAUSTED"
            item.exception_code = code
            item.exception_message = (
                f"step run {step_run.id} ended {step_run.state} while holding the item "
                f"(attempt {item.attempts} of {policy.max_attempts})"
            )
            counts["failed"] += 1
        audit.append(
            session,
            actor,
            "work_item.resolve",
            "work_item",
            item.id,
            before=before,
            after={
                "state": item.state,
                "step_run_id": step_run.id,
                "exception_code": item.exception_code,
            },
            correlation_id=item.correlation_id or correlation_id,
        )
    session.flush()
    return counts


def end_step_run(
    session: Session,
    step_run: StepRun,
    state: StepRunState,
    *,
    exit_code: int | None,
    message: str,
    actor: str,
    now: datetime | None = None,
    refund: bool = False,
) -> dict[str, int]:
    """Move a PENDING/RUNNING step run to ``state`` and resolve its items (see module)."""
    now = now or utcnow()
    before = step_run.state
    step_run.state = state.value
    step_run.ended_at = now
    step_run.exit_code = exit_code
    step_run.message = message[:2000]
    session.execute(
        update(Token)
        .where(Token.step_run_id == step_run.id, Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    tokens.forget_on_commit(session, step_run_id=step_run.id)
    run = session.get(ProcessRun, step_run.process_run_id)
    correlation_id = run.correlation_id if run else None
    audit.append(
        session,
        actor,
        "step_run.end",
        "step_run",
        step_run.id,
        before={"state": before},
        after={"state": state.value, "exit_code": exit_code, "message": message[:500]},
        correlation_id=correlation_id,
    )
    return resolve_step_run_items(
        session,
        step_run,
        state is StepRunState.COMPLETED,
        actor=actor,
        now=now,
        correlation_id=correlation_id,
        refund=refund,
    )
