"""Group commit of the robots' reserves and releases (``WriteBatcher``), on the real
databases: one transaction for concurrent work, a failure only for the request at fault,
each request's own context, and no event-loop stall while another writer holds SQLite."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from controlroom import _logs as logs
from controlroom.api import _write_batch as write_batch
from controlroom.api._write_batch import WriteBatcher
from controlroom.audit_cli import verify_chain
from controlroom.models import WorkItem
from controlroom.services import queue
from controlroom.services.errors import Conflict
from controlroom.services.runs import InputSpec
from controlroom.states import ItemState
from tests.unit.controlroom.conftest import ACTOR, World


def _batcher(world: World) -> WriteBatcher:
    engine = world.factory.kw["bind"]
    return WriteBatcher(world.factory, engine)


def _reserve(step_run_id: str) -> Callable[[Session], str | None]:
    def work(session: Session) -> str | None:
        facts = queue.step_run_facts(session, step_run_id)
        return queue.reserve_id(session, facts, actor=ACTOR, correlation_id=logs.current())

    return work


def _release(step_run_id: str, item_id: str) -> Callable[[Session], str]:
    def work(session: Session) -> str:
        facts = queue.step_run_facts(session, step_run_id)
        return queue.release_row(session, facts, item_id, "COMPLETED", actor=ACTOR)

    return work


@contextmanager
def _commits(world: World) -> Iterator[list[int]]:
    engine = world.factory.kw["bind"]
    seen: list[int] = []

    def count(_connection: Any) -> None:
        seen.append(1)

    event.listen(engine, "commit", count)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", count)


def _state(world: World, item_id: str) -> str:
    with world.tx() as s:
        return s.get_one(WorkItem, item_id).state


def test_concurrent_reserves_share_one_commit_and_take_different_items(world: World) -> None:
    run = world.start(*(InputSpec({"n": n}) for n in range(6)))
    sr = world.step_run(run)  # holds the first item
    batcher = _batcher(world)

    async def main() -> list[Any]:
        return await asyncio.gather(*(batcher.run(_reserve(sr.step_run_id)) for _ in range(5)))

    with _commits(world) as commits:
        taken = asyncio.run(main())
    assert len(commits) == 1
    assert None not in taken and len(set(taken)) == 5 and sr.first_item_id not in taken
    assert all(_state(world, item) == ItemState.IN_PROGRESS.value for item in taken)
    with world.tx() as s:
        assert verify_chain(s).ok


def test_a_failing_request_gets_its_error_and_the_others_are_kept(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    run = world.start(*(InputSpec({"n": n}) for n in range(4)))
    sr = world.step_run(run)
    batcher = _batcher(world)
    first = sr.first_item_id
    assert first is not None

    async def main() -> tuple[Any, ...]:
        return await asyncio.gather(
            batcher.run(_release(sr.step_run_id, first)),
            batcher.run(_release(sr.step_run_id, first)),  # a double release: Conflict
            batcher.run(_reserve(sr.step_run_id)),
            return_exceptions=True,
        )

    caplog.set_level(logging.INFO, logger="controlroom.services.queue")
    released, double, reserved = asyncio.run(main())
    # The batch was rolled back and each piece ran again alone: each change is logged once.
    lines = [r.getMessage() for r in caplog.records if r.name == "controlroom.services.queue"]
    assert lines == [
        f"item {first} released as COMPLETED -> COMPLETED",
        f"item {reserved} reserved by step run {sr.step_run_id} (attempt 1)",
    ]
    assert released == ItemState.COMPLETED.value
    assert isinstance(double, Conflict) and double.code == "ITEM_NOT_IN_PROGRESS"
    assert isinstance(reserved, str) and _state(world, reserved) == ItemState.IN_PROGRESS.value
    assert _state(world, first) == ItemState.COMPLETED.value
    with world.tx() as s:
        report = verify_chain(s)
        assert report.ok, report


def test_each_request_runs_in_its_own_context(world: World) -> None:
    run = world.start(*(InputSpec({"n": n}) for n in range(4)))
    sr = world.step_run(run)
    batcher = _batcher(world)

    async def as_request(cid: str) -> str | None:
        logs.correlation_id.set(cid)  # what RequestGuard does per request
        return await batcher.run(lambda session: logs.current())

    async def main() -> list[Any]:
        return await asyncio.gather(*(as_request(f"cid-{n}") for n in range(3)))

    assert asyncio.run(main()) == ["cid-0", "cid-1", "cid-2"]
    del sr


def test_a_held_write_lock_is_waited_for_off_the_event_loop(world: World) -> None:
    engine = world.factory.kw["bind"]
    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite has a single write lock")
    run = world.start(InputSpec({"n": 0}), InputSpec({"n": 1}))
    sr = world.step_run(run)
    batcher = _batcher(world)
    holding, let_go = threading.Event(), threading.Event()

    def other_writer() -> None:
        with world.tx() as s:
            s.get_one(WorkItem, sr.first_item_id)
            holding.set()
            let_go.wait(10)

    writer = threading.Thread(target=other_writer)
    writer.start()
    assert holding.wait(10)

    async def main() -> tuple[str | None, bool]:
        job = asyncio.ensure_future(batcher.run(_reserve(sr.step_run_id)))
        await asyncio.sleep(0.2)  # the loop keeps running while the batch waits
        waiting = not job.done()
        let_go.set()
        return await asyncio.wait_for(job, 10), waiting

    try:
        taken, waited = asyncio.run(main())
    finally:
        let_go.set()
        writer.join(10)
    assert waited and taken is not None and taken != sr.first_item_id


def test_a_busy_postgresql_server_gathers_the_next_batch_and_a_quiet_one_does_not(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a batch that had company, PostgreSQL's next batch waits ``GATHER_SECONDS``
    for more requests; after a batch of one it starts at once. SQLite, whose batches run
    on the event loop in well under a millisecond, never waits. (The wait is stretched
    here to 0.2 s so that the second request, sent 0.02 s after the first, surely falls
    inside it or surely not.)"""
    monkeypatch.setattr(write_batch, "GATHER_SECONDS", 0.2)
    sr = world.step_run(world.start(*(InputSpec({"n": n}) for n in range(8))))
    batcher = _batcher(world)
    reserve = _reserve(sr.step_run_id)

    async def two_apart() -> None:
        first = asyncio.ensure_future(batcher.run(reserve))
        await asyncio.sleep(0.02)
        await asyncio.gather(first, batcher.run(reserve))

    async def main() -> tuple[int, int]:
        await batcher.run(reserve)  # a batch of one: the server is quiet
        with _commits(world) as quiet:
            await two_apart()
        await asyncio.gather(batcher.run(reserve), batcher.run(reserve))  # it is busy
        with _commits(world) as busy:
            await two_apart()
        return len(quiet), len(busy)

    gathered = world.factory.kw["bind"].dialect.name == "postgresql"
    assert asyncio.run(main()) == (2, 1 if gathered else 2)
