"""Ids as people type them: full, or a unique prefix; ambiguity and short prefixes are
refused with the fix in the message."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from controlroom.files import BlobStore
from controlroom.models import ProcessRun, WorkItem
from controlroom.services.errors import InvalidInput, NotFound
from controlroom.services.ids import resolve, short
from controlroom.services.processes import find_process
from controlroom.services.runs import InputSpec
from tests.unit.controlroom.conftest import World, make_world


def _add_run(world: World, run_id: str) -> None:
    with world.tx() as s:
        process = find_process(s, world.workspace_id, world.process)
        s.add(
            ProcessRun(
                id=run_id,
                workspace_id=world.workspace_id,
                process_id=process.id,
                state="COMPLETED",
                started_by="test",
                correlation_id="c",
            )
        )


def test_a_unique_prefix_resolves(world: World) -> None:
    run_id = world.start(InputSpec({}, ()))
    with world.tx() as s:
        item_id = s.scalars(select(WorkItem.id).where(WorkItem.process_run_id == run_id)).one()
        assert resolve(s, world.workspace_id, "run", run_id) == run_id
        assert resolve(s, world.workspace_id, "run", short(run_id).upper()) == run_id
        assert resolve(s, world.workspace_id, "item", item_id[:6]) == item_id
        with pytest.raises(NotFound, match="at least 4"):
            resolve(s, world.workspace_id, "run", run_id[:3])
        with pytest.raises(NotFound, match="clerk items list"):
            resolve(s, world.workspace_id, "item", run_id)  # a run's id is no item's


def test_an_ambiguous_prefix_is_refused(world: World) -> None:
    shared = uuid.uuid4().hex[:8]
    _add_run(world, f"{shared}-0000-4000-8000-000000000001")
    _add_run(world, f"{shared}-0000-4000-8000-000000000002")
    with world.tx() as s:
        with pytest.raises(InvalidInput, match="ambiguous") as caught:
            resolve(s, world.workspace_id, "run", shared)
        assert caught.value.code == "AMBIGUOUS_ID"
        assert resolve(s, world.workspace_id, "run", f"{shared}-0000-4000-8000-000000000002")


def test_another_workspace_s_ids_are_not_found(
    world: World, factory: sessionmaker[Session], blobs: BlobStore
) -> None:
    run_id = world.start(InputSpec({}, ()))
    other = make_world(factory, blobs)
    with other.tx() as s, pytest.raises(NotFound):
        resolve(s, other.workspace_id, "run", short(run_id))
