"""A robot's request sent again after a restart lost its answer, on SQLite and PostgreSQL:
answered as the first time when it is surely a replay, done again otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from controlroom._db_types import utcnow
from controlroom.models import AuditEntry, WorkItem
from controlroom.services import _replay as replay
from controlroom.services import itemfiles, queue
from controlroom.services.errors import Conflict
from controlroom.services.runs import InputSpec
from controlroom.services.steps import StartedStepRun
from tests.unit.controlroom.conftest import ACTOR, LIMIT, World


def _output(world: World, sr: StartedStepRun, payload: object, started: datetime | None) -> str:
    with world.tx() as s:
        return queue.create_output(
            s,
            sr.step_run_id,
            sr.first_item_id or "",
            payload,
            actor=ACTOR,
            max_payload_bytes=LIMIT,
            server_started_at=started,
        ).id


def _outputs(world: World, sr: StartedStepRun) -> int:
    with world.tx() as s:
        return (
            s.scalar(select(func.count()).where(WorkItem.parent_id == (sr.first_item_id or "")))
            or 0
        )


def _date(world: World, item_id: str, at: datetime) -> None:
    with world.tx() as s:
        s.execute(update(WorkItem).where(WorkItem.id == item_id).values(created_at=at))


def test_a_create_output_replayed_after_a_restart_gets_the_output_it_made(world: World) -> None:
    sr = world.step_run(world.start(InputSpec({"n": 1})))
    made = _output(world, sr, {"out": 1}, None)
    restarted = utcnow()  # the server died after committing; the robot never got the id
    assert _output(world, sr, {"out": 1}, restarted) == made
    assert _outputs(world, sr) == 1


def test_equal_outputs_made_in_one_server_life_are_all_kept(world: World) -> None:
    """Two equal line items make two equal outputs: without a restart between them the
    second request cannot be a replay."""
    sr = world.step_run(world.start(InputSpec({"n": 1})))
    started = utcnow()
    first = _output(world, sr, {"sku": "A"}, started)
    assert _output(world, sr, {"sku": "A"}, started) != first
    assert _outputs(world, sr) == 2


@pytest.mark.parametrize("change", ["payload", "file", "long before", "late"])
def test_a_create_output_that_may_be_new_work_makes_a_new_output(world: World, change: str) -> None:
    sr = world.step_run(world.start(InputSpec({"n": 1})))
    made = _output(world, sr, {"out": 1}, None)
    restarted = utcnow()
    payload: object = {"out": 1}
    if change == "payload":
        payload = {"out": 2}
    elif change == "file":  # the robot had the id: it attached a file to the output
        with world.tx() as s:
            output = s.get_one(WorkItem, made)
            itemfiles.attach(
                s, world.blobs, output, "o.txt", b"x", max_file_bytes=LIMIT, actor=ACTOR
            )
    elif change == "long before":  # the twin predates the restart by more than a replay can
        _date(world, made, restarted - replay.WINDOW - timedelta(seconds=5))
    else:  # the server has run longer than the client keeps retrying
        restarted -= replay.WINDOW + timedelta(seconds=5)
        _date(world, made, restarted - timedelta(seconds=1))
    assert _output(world, sr, payload, restarted) != made
    assert _outputs(world, sr) == 2


def _release(world: World, sr: StartedStepRun, state: str, actor: str, started: datetime) -> str:
    error = {"type": "BUSINESS", "code": "BAD", "message": "no"} if state == "FAILED" else None
    with world.tx() as s:
        step_run = queue.running_step_run(s, sr.step_run_id)
        return queue.release_row(
            s,
            step_run,
            sr.first_item_id or "",
            state,
            error,
            actor=actor,
            server_started_at=started,
        )


def test_a_release_replayed_after_a_restart_is_answered_as_before(world: World) -> None:
    sr = world.step_run(world.start(InputSpec({"n": 1}), InputSpec({"n": 2})))
    with world.tx() as s:
        queue.release(s, sr.step_run_id, sr.first_item_id or "", "COMPLETED", actor=ACTOR)
    restarted = utcnow()
    assert _release(world, sr, "COMPLETED", ACTOR, restarted) == "COMPLETED"
    with world.tx() as s:  # answered, not done again
        released = select(func.count()).where(
            AuditEntry.entity_id == (sr.first_item_id or ""), AuditEntry.action == "item.release"
        )
        assert s.scalar(released) == 1
    # Not the same request: another state, another actor, or no restart in between.
    for state, actor, started in [
        ("FAILED", ACTOR, restarted),
        ("COMPLETED", "step-run:other", restarted),
        ("COMPLETED", ACTOR, restarted - replay.WINDOW * 2),
    ]:
        with pytest.raises(Conflict) as refused:
            _release(world, sr, state, actor, started)
        assert refused.value.code == "ITEM_NOT_IN_PROGRESS"


def test_a_reserve_replayed_after_a_restart_gets_the_item_it_reserved(world: World) -> None:
    sr = world.step_run(world.start(InputSpec({"n": 1}), InputSpec({"n": 2}), InputSpec({"n": 3})))
    with world.tx() as s:
        facts = queue.running_step_run(s, sr.step_run_id)
        queue.release_row(s, facts, sr.first_item_id or "", "COMPLETED", actor=ACTOR)
        reserved = queue.reserve_id(s, facts, actor=ACTOR)
    restarted = utcnow()
    with world.tx() as s:
        assert queue.reserve_id(s, facts, actor=ACTOR, server_started_at=restarted) == reserved
        held = select(func.count()).where(
            WorkItem.reserved_by == sr.step_run_id, WorkItem.state == "IN_PROGRESS"
        )
        assert s.scalar(held) == 1
    # Long after the start it is a reserve like any other (and the robot's mistake).
    with world.tx() as s:
        later = restarted - replay.WINDOW * 2
        assert queue.reserve_id(s, facts, actor=ACTOR, server_started_at=later) not in (
            None,
            reserved,
        )
