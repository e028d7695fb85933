"""Operator actions and listings."""

from __future__ import annotations

import pytest

from controlroom.models import ProcessRun, WorkItem
from controlroom.services import items, queue
from controlroom.services.errors import Conflict, InvalidInput, NotFound, TooLarge
from controlroom.services.runs import InputSpec, refresh_run_state
from tests.unit.controlroom.conftest import ACTOR, LIMIT, World


def _failed_item(world: World, kind: str = "BUSINESS") -> tuple[str, str]:
    run = world.start(InputSpec({"v": 1}))
    sr = world.step_run(run)
    with world.tx() as s:
        queue.release(
            s,
            sr.step_run_id,
            sr.first_item_id or "",
            "FAILED",
            {"type": kind, "code": "NEEDS_REVIEW", "message": "check"},
            actor=ACTOR,
        )
        assert refresh_run_state(s, run, actor=ACTOR).state == "RUNNING"  # step run open
    return run, sr.first_item_id or ""


def test_retry_requeues_with_same_id_and_attempts(world: World) -> None:
    _, item_id = _failed_item(world)
    with world.tx() as s:
        items.retry(s, world.workspace_id, item_id, actor=ACTOR, reason="fixed vendor")
    with world.tx() as s:
        item = s.get_one(WorkItem, item_id)
        assert (item.state, item.attempts, item.exception_type) == ("PENDING", 1, None)


def test_edit_and_retry_replaces_the_payload(world: World) -> None:
    _, item_id = _failed_item(world)
    with world.tx() as s:
        items.edit_and_retry(
            s, world.workspace_id, item_id, {"v": 2}, actor=ACTOR, max_payload_bytes=LIMIT
        )
    with world.tx() as s:
        assert s.get_one(WorkItem, item_id).payload == {"v": 2}
    with pytest.raises(Conflict, match="PENDING, not FAILED"), world.tx() as s:
        items.retry(s, world.workspace_id, item_id, actor=ACTOR)


def test_reject_is_terminal(world: World) -> None:
    run, item_id = _failed_item(world)
    with pytest.raises(InvalidInput, match="reason"), world.tx() as s:
        items.reject(s, world.workspace_id, item_id, actor=ACTOR, reason=" ")
    with world.tx() as s:
        items.reject(s, world.workspace_id, item_id, actor=ACTOR, reason="duplicate")
    with world.tx() as s:
        item = s.get_one(WorkItem, item_id)
        assert (item.state, item.rejection_reason, item.rejected_by) == (
            "FAILED",
            "duplicate",
            ACTOR,
        )
        assert s.get_one(ProcessRun, run).state == "RUNNING"
    for action in (items.retry, items.reject):
        with pytest.raises(Conflict, match="rejected"), world.tx() as s:
            action(s, world.workspace_id, item_id, actor=ACTOR, reason="again")


def test_edit_checks_size_and_ids(world: World) -> None:
    _, item_id = _failed_item(world)
    with pytest.raises(TooLarge), world.tx() as s:
        items.edit_and_retry(
            s, world.workspace_id, item_id, {"x": "y" * LIMIT}, actor=ACTOR, max_payload_bytes=LIMIT
        )
    with pytest.raises(NotFound), world.tx() as s:
        items.retry(s, world.workspace_id, "missing", actor=ACTOR)
    with pytest.raises(NotFound), world.tx() as s:  # another workspace's item is invisible
        items.retry(s, "other-workspace", item_id, actor=ACTOR)


def test_list_filters_and_pages(world: World) -> None:
    _, failed_id = _failed_item(world)
    other = world.start(*[InputSpec({"n": i}) for i in range(5)])
    ws = world.workspace_id
    with world.tx() as s:
        by_run = items.list_items(s, ws, items.ItemFilter(run_id=other, limit=2))
        assert len(by_run) == 2 and all(i.process_run_id == other for i, _ in by_run)
        page3 = items.list_items(s, ws, items.ItemFilter(run_id=other, limit=2, offset=4))
        assert len(page3) == 1
        failed = items.list_items(
            s,
            ws,
            items.ItemFilter(
                state="FAILED", exception_type="BUSINESS", exception_code="NEEDS_REVIEW"
            ),
        )
        assert [i.id for i, _ in failed] == [failed_id]
        assert items.list_items(s, ws, items.ItemFilter(step=2)) == []
        with pytest.raises(InvalidInput):
            items.list_items(s, ws, items.ItemFilter(state="DONE"))
        with pytest.raises(InvalidInput):
            items.list_items(s, ws, items.ItemFilter(limit=0))
