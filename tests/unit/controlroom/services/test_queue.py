"""Reserve, release, outputs and the retry policy on real SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from controlroom._db_types import utcnow
from controlroom.files import BlobStore
from controlroom.models import AuditEntry, StepRun, WorkItem
from controlroom.services import _queue_statements as queue_statements
from controlroom.services import queue
from controlroom.services._step_end import end_step_run
from controlroom.services.errors import Conflict, InvalidInput, NotFound, TooLarge
from controlroom.services.processes import RetryPolicy
from controlroom.services.runs import InputSpec
from controlroom.states import ItemState, StepRunState
from tests.unit.controlroom.conftest import ACTOR, LIMIT, World, make_world


def _item(world: World, item_id: str) -> WorkItem:
    with world.tx() as s:
        return s.get_one(WorkItem, item_id)


def _audit_count(world: World) -> int:
    with world.tx() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_start_reserves_first_item_and_reserve_goes_in_order(world: World) -> None:
    run = world.start(InputSpec({"n": 0}), InputSpec({"n": 1}), InputSpec({"n": 2}))
    started = world.step_run(run)
    first = _item(world, started.first_item_id or "")
    assert (first.payload, first.state, first.attempts) == ({"n": 0}, "IN_PROGRESS", 1)
    with world.tx() as s:
        got = [queue.reserve_next(s, started.step_run_id, actor=ACTOR) for _ in range(3)]
        assert [i.payload if i else None for i in got] == [{"n": 1}, {"n": 2}, None]
        assert all(i.reserved_by == started.step_run_id for i in got if i)


def test_release_completed_and_business_failure(world: World) -> None:
    run = world.start(InputSpec({"n": 0}), InputSpec({"n": 1}))
    sr = world.step_run(run)
    with world.tx() as s:
        queue.release(s, sr.step_run_id, sr.first_item_id or "", "COMPLETED", actor=ACTOR)
        second = queue.reserve_next(s, sr.step_run_id, actor=ACTOR)
        assert second is not None
        queue.release(
            s,
            sr.step_run_id,
            second.id,
            "FAILED",
            {"type": "BUSINESS", "code": "NEEDS_REVIEW", "message": " low "},
            actor=ACTOR,
        )
    done, failed = _item(world, sr.first_item_id or ""), _item(world, second.id)
    assert done.state == "COMPLETED" and done.exception_type is None
    assert (failed.state, failed.exception_type, failed.exception_code) == (
        "FAILED",
        "BUSINESS",
        "NEEDS_REVIEW",
    )
    assert failed.attempts == 1  # BUSINESS is never retried automatically


def test_a_failure_message_keeps_its_text_whatever_odd_characters_it_holds(
    world: World,
) -> None:
    """A NUL (PostgreSQL's text refuses it) or a lone surrogate (not UTF-8) in a robot's
    message becomes U+FFFD; the release goes through with the rest of the message."""
    sr = world.step_run(world.start(InputSpec({})))
    message = "page 2:\x00\x00 bad \ud800 byte \U0001f600"
    with world.tx() as s:
        queue.release(
            s,
            sr.step_run_id,
            sr.first_item_id or "",
            "FAILED",
            {"type": "BUSINESS", "code": "BAD_PAGE", "message": message},
            actor=ACTOR,
        )
    failed = _item(world, sr.first_item_id or "")
    assert (failed.state, failed.exception_code) == ("FAILED", "BAD_PAGE")
    assert failed.exception_message == "page 2:\ufffd\ufffd bad \ufffd byte \U0001f600"


def test_application_failure_backs_off_then_stays_failed(
    factory: sessionmaker[Session], blobs: BlobStore
) -> None:
    world = make_world(factory, blobs, policy=RetryPolicy(max_attempts=2, backoff_seconds=0))
    run = world.start(InputSpec({"n": 0}))
    sr = world.step_run(run)
    item_id = sr.first_item_id or ""
    exc = {"type": "APPLICATION", "code": "ERP_TIMEOUT", "message": "slow"}
    with world.tx() as s:
        queue.release(s, sr.step_run_id, item_id, "FAILED", exc, actor=ACTOR)
    requeued = _item(world, item_id)
    assert (requeued.state, requeued.attempts, requeued.exception_code) == (
        "PENDING",
        1,
        "ERP_TIMEOUT",
    )
    with world.tx() as s:
        again = queue.reserve_next(s, sr.step_run_id, actor=ACTOR)
        assert again is not None and again.id == item_id and again.attempts == 2
        queue.release(s, sr.step_run_id, item_id, "FAILED", exc, actor=ACTOR)
    final = _item(world, item_id)
    assert (final.state, final.attempts, final.exception_type) == ("FAILED", 2, "APPLICATION")


def test_backoff_delays_the_retry(world: World) -> None:  # policy: 3 attempts, 60 s
    run = world.start(InputSpec({}))
    sr = world.step_run(run)
    before = utcnow()
    with world.tx() as s:
        queue.release(
            s,
            sr.step_run_id,
            sr.first_item_id or "",
            "FAILED",
            {"type": "APPLICATION"},
            actor=ACTOR,
        )
        assert queue.reserve_next(s, sr.step_run_id, actor=ACTOR) is None  # not yet due
    item = _item(world, sr.first_item_id or "")
    assert timedelta(seconds=59) < item.available_at - before < timedelta(seconds=62)
    assert RetryPolicy(5, 30, 2, 100).delay(1) == 30
    assert RetryPolicy(5, 30, 2, 100).delay(3) == 100  # 120, capped


def test_bad_releases_change_nothing(world: World) -> None:
    run = world.start(InputSpec({}), InputSpec({}))
    sr, other = world.step_run(run), world.step_run(run)
    item_id = sr.first_item_id or ""
    count = _audit_count(world)
    cases = [
        (NotFound, lambda s: queue.release(s, sr.step_run_id, "nope", "COMPLETED", actor=ACTOR)),
        (InvalidInput, lambda s: queue.release(s, sr.step_run_id, item_id, "DONE", actor=ACTOR)),
        (InvalidInput, lambda s: queue.release(s, sr.step_run_id, item_id, "PENDING", actor=ACTOR)),
        (
            InvalidInput,
            lambda s: queue.release(
                s, sr.step_run_id, item_id, "FAILED", {"type": "OOPS"}, actor=ACTOR
            ),
        ),
        (
            InvalidInput,
            lambda s: queue.release(
                s, sr.step_run_id, item_id, "FAILED", {"code": "A\x00B"}, actor=ACTOR
            ),
        ),
        (
            Conflict,
            lambda s: queue.release(s, other.step_run_id, item_id, "COMPLETED", actor=ACTOR),
        ),
        (NotFound, lambda s: queue.reserve_next(s, "no-such-step-run", actor=ACTOR)),
    ]
    for error, call in cases:
        with pytest.raises(error), world.tx() as s:
            call(s)
    assert _item(world, item_id).state == "IN_PROGRESS"
    assert _audit_count(world) == count
    with world.tx() as s:
        queue.release(s, sr.step_run_id, item_id, "COMPLETED", actor=ACTOR)
    with pytest.raises(Conflict, match="not IN_PROGRESS"), world.tx() as s:
        queue.release(s, sr.step_run_id, item_id, "COMPLETED", actor=ACTOR)  # double release


def test_outputs_feed_the_next_step_once_the_parent_is_released(world: World) -> None:
    run = world.start(InputSpec({"doc": 1}))
    sr = world.step_run(run)
    parent = sr.first_item_id or ""
    with world.tx() as s:
        out = queue.create_output(
            s, sr.step_run_id, parent, {"x": 1}, actor=ACTOR, max_payload_bytes=LIMIT
        )
        out_id = out.id
    step2 = world.step_run(run, 2)
    assert step2.first_item_id is None  # held: its parent is still IN_PROGRESS
    with world.tx() as s:
        queue.release(s, sr.step_run_id, parent, "COMPLETED", actor=ACTOR)
        got = queue.reserve_next(s, step2.step_run_id, actor=ACTOR)
        assert got is not None and got.id == out_id and got.parent_id == parent
        last = queue.create_output(
            s, step2.step_run_id, out_id, {"final": 1}, actor=ACTOR, max_payload_bytes=LIMIT
        )
        assert last.state == ItemState.COMPLETED.value  # nothing consumes the last step's
    with pytest.raises(TooLarge), world.tx() as s:
        queue.create_output(
            s, step2.step_run_id, out_id, {"x": "y" * LIMIT}, actor=ACTOR, max_payload_bytes=LIMIT
        )
    with pytest.raises(Conflict), world.tx() as s:  # parent released: no more outputs
        queue.create_output(s, sr.step_run_id, parent, {}, actor=ACTOR, max_payload_bytes=LIMIT)


def test_end_of_step_run_resolves_unreleased_items(
    factory: sessionmaker[Session], blobs: BlobStore
) -> None:
    world = make_world(factory, blobs, policy=RetryPolicy(max_attempts=2, backoff_seconds=0))
    run = world.start(InputSpec({"a": 1}), InputSpec({"b": 2}))
    passing, crashing = world.step_run(run), world.step_run(run)
    with world.tx() as s:
        end_step_run(
            s,
            s.get_one(StepRun, passing.step_run_id),
            StepRunState.COMPLETED,
            exit_code=0,
            message="",
            actor=ACTOR,
        )
        end_step_run(
            s,
            s.get_one(StepRun, crashing.step_run_id),
            StepRunState.CRASHED,
            exit_code=None,
            message="worker lost",
            actor=ACTOR,
        )
    assert _item(world, passing.first_item_id or "").state == "COMPLETED"
    crashed = _item(world, crashing.first_item_id or "")
    assert (crashed.state, crashed.attempts) == ("PENDING", 1)
    with pytest.raises(Conflict), world.tx() as s:  # an ended step run cannot reserve
        queue.reserve_next(s, crashing.step_run_id, actor=ACTOR)


def test_concurrent_reservations_never_share_an_item(world: World) -> None:
    run = world.start(*[InputSpec({"n": i}) for i in range(40)])
    runners = [world.step_run(run) for _ in range(4)]
    taken: list[str] = [r.first_item_id or "" for r in runners]
    lock = threading.Lock()
    errors: list[BaseException] = []

    def drain(step_run_id: str) -> None:
        try:
            while True:
                with world.tx() as s:
                    item = queue.reserve_next(s, step_run_id, actor=ACTOR)
                    if item is None:
                        return
                    with lock:
                        taken.append(item.id)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(r.step_run_id,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(taken) == 40 and len(set(taken)) == 40


def test_reservation_uses_the_queue_index(world: World) -> None:
    with world.tx() as s:
        if s.get_bind().dialect.name != "sqlite":
            pytest.skip("the plan check reads SQLite's EXPLAIN QUERY PLAN")
    run = world.start(InputSpec({}))
    sr = world.step_run(run)
    from sqlalchemy.dialects import sqlite

    with world.tx() as s:
        step_run = s.get_one(StepRun, sr.step_run_id)
        params = {"run": step_run.process_run_id, "step": step_run.step_id, "now": utcnow()}
        # The prebuilt statement the HTTP hot path runs (the one reservation rule).
        stmt = queue_statements.NEXT_PENDING.statement.params(params)  # type: ignore[attr-defined]
        sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        plan = " ".join(
            str(row) for row in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
        )
        assert "ix_work_items_queue" in plan, plan


def test_remembered_step_run_still_cannot_reserve_or_release_once_ended(world: World) -> None:
    """The hot path remembers a step run's run and step, but "still RUNNING" is checked by
    the reserving or completing update itself, even if the item was left IN_PROGRESS."""
    run = world.start(InputSpec({"n": 0}), InputSpec({"n": 1}))
    sr = world.step_run(run)
    with world.tx() as s:
        facts = queue.step_run_facts(s, sr.step_run_id)  # read once: remembered from now on
    with world.tx() as s:
        s.get_one(StepRun, sr.step_run_id).state = StepRunState.CRASHED.value
    audit_rows = _audit_count(world)
    with pytest.raises(Conflict) as reserving, world.tx() as s:
        queue.reserve_id(s, queue.step_run_facts(s, sr.step_run_id), actor=ACTOR)
    with pytest.raises(Conflict) as releasing, world.tx() as s:
        queue.release_row(s, facts, sr.first_item_id or "", "COMPLETED", actor=ACTOR)
    assert reserving.value.code == releasing.value.code == "STEP_RUN_NOT_RUNNING"
    assert _item(world, sr.first_item_id or "").state == "IN_PROGRESS"  # untouched
    with world.tx() as s:
        states = s.scalars(select(WorkItem.state).where(WorkItem.process_run_id == run)).all()
    assert sorted(states) == ["IN_PROGRESS", "PENDING"]
    assert _audit_count(world) == audit_rows
