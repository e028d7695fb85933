"""A robot's request sent again because the Control Room died before answering it.

The stock robocorp-workitems client retries every failed request but a 400, 401, 403,
404 or 409 (``robocorp.workitems._requests``: five attempts, random waits of up to 2, 4,
5 and 5 s). When the Control Room is killed after it committed a request and before the
answer left, the robot sends the same request again to the restarted server:

- a reserve would reserve a second item, and the first would stay IN_PROGRESS, held by a
  robot that never heard of it, until its step run ended;
- a create-output would make a second output of the same input, and the next step would
  do the work twice;
- a release would find the item no longer IN_PROGRESS and answer 409, which the client
  does not retry, so the robot would fail a task whose work is done.

The client sends no idempotency key, and a robot may legitimately create two equal
outputs of one input (two equal line items), so the rule is narrow. A request is taken
for a replay only when all of these hold:

- this server process started less than ``WINDOW`` ago (the client gives up within about
  20 s, so a replay arrives soon after a restart);
- the earlier twin was committed before this process started, and less than ``WINDOW``
  before it (the server died right after committing it);
- for a reserve, the step run still holds the item it reserved last (the stock client
  reserves only once it released the item it holds);
- for a create-output, the twin is the same step run's newest output of the same input,
  with an equal payload, no files and never reserved (a robot that got the answer would
  have attached its files or moved on);
- for a release, the item's newest release was this step run's, to the same state.

A replay is answered as the first request would have been, and logged. Outside the first
minute after a start these checks cost nothing: ``soon_after_start`` is a clock read.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom._db_types import utcnow
from controlroom.models import AuditEntry, File, WorkItem
from controlroom.states import ItemState

log = logging.getLogger(__name__)

WINDOW = timedelta(seconds=60)


def soon_after_start(started_at: datetime | None) -> bool:
    """Whether a replay can still arrive at a server process that started at
    ``started_at`` (None: the caller is not a server, nothing is a replay)."""
    return started_at is not None and utcnow() - started_at <= WINDOW


def _before_start(at: datetime, started_at: datetime) -> bool:
    return started_at - WINDOW <= at < started_at


def lost_reservation(
    session: Session,
    step_run_id: str,
    step_run_started_at: datetime | None,
    started_at: datetime | None,
) -> str | None:
    """The item a reserve request already reserved, if the request is a replay. A step
    run started after this server process cannot replay a request made before it: the
    reserve path, the hottest, then costs no query even in the first minute."""
    if not soon_after_start(started_at):
        return None
    assert started_at is not None
    if step_run_started_at is None or step_run_started_at >= started_at:
        return None
    held = session.execute(
        select(WorkItem.id, WorkItem.reserved_at)
        .where(WorkItem.reserved_by == step_run_id, WorkItem.state == ItemState.IN_PROGRESS.value)
        .order_by(WorkItem.reserved_at.desc())
        .limit(1)
    ).first()
    if held is None or held.reserved_at is None or not _before_start(held.reserved_at, started_at):
        return None
    log.warning(
        "reserve by step run %s replayed after a restart: answered with item %s, reserved "
        "before the restart",
        step_run_id,
        held.id,
    )
    item_id: str = held.id
    return item_id


def lost_output(
    session: Session,
    parent_id: str,
    step_run_id: str,
    payload: object,
    started_at: datetime | None,
) -> WorkItem | None:
    """The output a create-output request already made, if the request is a replay."""
    if not soon_after_start(started_at):
        return None
    assert started_at is not None
    twin = session.scalar(
        select(WorkItem)
        .where(WorkItem.parent_id == parent_id, WorkItem.created_by == step_run_id)
        .order_by(WorkItem.created_at.desc())
        .limit(1)
    )
    if (
        twin is None
        or not _before_start(twin.created_at, started_at)
        or twin.attempts
        or twin.reserved_by is not None
        or twin.payload != payload
        or session.scalar(select(File.id).where(File.work_item_id == twin.id).limit(1))
    ):
        return None
    log.warning(
        "create-output of %s by step run %s replayed after a restart: answered with "
        "output %s, made before the restart",
        parent_id,
        step_run_id,
        twin.id,
    )
    return twin


def lost_release(
    session: Session,
    item_id: str,
    actor: str,
    target: str,
    started_at: datetime | None,
) -> str | None:
    """The state a release request already left the item in, if the request is a replay."""
    if not soon_after_start(started_at):
        return None
    assert started_at is not None
    last = session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.entity == "work_item",
            AuditEntry.entity_id == item_id,
            AuditEntry.action == "item.release",
        )
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    )
    if (
        last is None
        or last.actor != actor
        or not _before_start(last.at, started_at)
        or (last.after or {}).get("released_as") != target
    ):
        return None
    log.warning(
        "release of %s as %s by %s replayed after a restart: answered as before",
        item_id,
        target,
        actor,
    )
    state: str = (last.after or {})["state"]
    return state
