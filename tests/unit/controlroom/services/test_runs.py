"""Starting runs (validation first, nothing half-written) and run state."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from controlroom.models import File, ProcessRun, StepRun, WorkItem
from controlroom.services import queue
from controlroom.services._step_end import end_step_run
from controlroom.services.errors import InvalidInput, NotFound, TooLarge
from controlroom.services.runs import InputSpec, refresh_run_state, start_run
from controlroom.states import StepRunState
from tests.unit.controlroom.conftest import ACTOR, LIMIT, World


def _count(world: World, model: type) -> int:
    with world.tx() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_start_run_attaches_files(world: World) -> None:
    run = world.start(InputSpec({"a": 1}, (("a.pdf", b"%PDF-1.7 a"), ("b.txt", b"b"))))
    with world.tx() as s:
        item = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run)).one()
        files = s.scalars(select(File).where(File.work_item_id == item.id)).all()
        assert sorted((f.name, world.blobs.get(f.blob_key)) for f in files) == [
            ("a.pdf", b"%PDF-1.7 a"),
            ("b.txt", b"b"),
        ]


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        (InputSpec({"x": "y" * LIMIT}), TooLarge),
        (InputSpec({}, (("../etc/passwd", b"x"),)), InvalidInput),
        (InputSpec({}, (("a\\b", b"x"),)), InvalidInput),
        (InputSpec({}, (("", b"x"),)), InvalidInput),
        (InputSpec({}, (("ok.txt", b"x" * (LIMIT + 1)),)), TooLarge),
        (InputSpec({}, (("same", b"1"), ("same", b"2"))), InvalidInput),
        (InputSpec(float("nan")), InvalidInput),
    ],
)
def test_bad_inputs_write_nothing(world: World, spec: InputSpec, error: type) -> None:
    before = (_count(world, ProcessRun), _count(world, WorkItem))
    with pytest.raises(error), world.tx() as s:
        start_run(
            s,
            world.blobs,
            world.workspace_id,
            world.process,
            [InputSpec({"fine": 1}), spec],
            actor=ACTOR,
            max_payload_bytes=LIMIT,
            max_file_bytes=LIMIT,
        )
    assert (_count(world, ProcessRun), _count(world, WorkItem)) == before


def test_unknown_process(world: World) -> None:
    with pytest.raises(NotFound, match="clerk processes list"), world.tx() as s:
        start_run(
            s,
            world.blobs,
            world.workspace_id,
            "nope",
            [],
            actor=ACTOR,
            max_payload_bytes=LIMIT,
            max_file_bytes=LIMIT,
        )


def test_run_state_follows_items_and_step_runs(world: World) -> None:
    run = world.start(InputSpec({}))
    sr = world.step_run(run)
    with world.tx() as s:
        queue.release(
            s,
            sr.step_run_id,
            sr.first_item_id or "",
            "FAILED",
            {"type": "BUSINESS", "code": "DUPLICATE"},
            actor=ACTOR,
        )
        assert refresh_run_state(s, run, actor=ACTOR).state == "RUNNING"  # step run open
        end_step_run(
            s,
            s.get_one(StepRun, sr.step_run_id),
            StepRunState.COMPLETED,
            exit_code=0,
            message="",
            actor=ACTOR,
        )
        run_row = refresh_run_state(s, run, actor=ACTOR)
        assert (run_row.state, run_row.ended_at is not None) == ("FAILED", True)


def test_a_run_start_with_too_many_items_writes_nothing(world: World) -> None:
    before = _count(world, WorkItem)
    with world.tx() as s, pytest.raises(TooLarge) as caught:
        start_run(
            s, world.blobs, world.workspace_id, world.process, [InputSpec({})] * 3,
            actor=ACTOR, max_payload_bytes=LIMIT, max_file_bytes=LIMIT, max_items=2,
        )  # fmt: skip
    assert caught.value.code == "TOO_MANY_ITEMS" and "CLERK_MAX_RUN_ITEMS" in caught.value.message
    assert _count(world, WorkItem) == before
