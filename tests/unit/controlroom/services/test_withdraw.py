"""Withdrawing an unfinished attempt's outputs, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from controlroom.models import AuditEntry, File, StepRun, WorkItem
from controlroom.services import itemfiles, queue
from controlroom.services._step_end import end_step_run
from controlroom.services.runs import InputSpec
from controlroom.states import ItemState, StepRunState
from tests.unit.controlroom.conftest import ACTOR, LIMIT, World


def test_a_crashed_attempts_outputs_and_their_files_are_withdrawn(world: World) -> None:
    run_id = world.start(InputSpec({"n": 1}), InputSpec({"n": 2}))
    started = world.step_run(run_id)
    first = started.first_item_id or ""
    with world.tx() as s:
        output = queue.create_output(
            s, started.step_run_id, first, {"out": 1}, actor=ACTOR, max_payload_bytes=LIMIT
        )
        itemfiles.attach(
            s, world.blobs, output, "o.txt", b"half", max_file_bytes=LIMIT, actor=ACTOR
        )
        output_id = output.id
        second = queue.reserve_next(s, started.step_run_id, actor=ACTOR)
        assert second is not None
        kept = queue.create_output(
            s, started.step_run_id, second.id, {"out": 2}, actor=ACTOR, max_payload_bytes=LIMIT
        )
        queue.release(s, started.step_run_id, second.id, "COMPLETED", actor=ACTOR)
    with world.tx() as s:
        step_run = s.get_one(StepRun, started.step_run_id)
        counts = end_step_run(
            s, step_run, StepRunState.CRASHED, exit_code=None, message="died", actor=ACTOR
        )
    assert counts["requeued"] == 1 and counts["withdrawn"] == 1
    with world.tx() as s:
        assert s.get(WorkItem, output_id) is None
        assert s.scalars(select(File).where(File.work_item_id == output_id)).all() == []
        assert s.get_one(WorkItem, kept.id).state == ItemState.PENDING  # a released input's
        assert s.get_one(WorkItem, first).state == ItemState.PENDING
        withdrawn = s.scalars(select(AuditEntry).where(AuditEntry.action == "item.withdraw")).all()
        assert [e.entity_id for e in withdrawn if e.entity_id == output_id] == [output_id]
