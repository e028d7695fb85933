"""The scheduling tick on a real SQLite database (and PostgreSQL for concurrency)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from controlroom._db_types import utcnow
from controlroom.db import make_engine, make_sessionmaker, transaction, upgrade
from controlroom.files import BlobStore
from controlroom.models import ProcessRun, StepRun, Worker, WorkItem
from controlroom.services import queue, scheduling
from controlroom.services import workers as workers_service
from controlroom.services.processes import RetryPolicy, StepSpec, create_process, ensure_workspace
from controlroom.services.runs import InputSpec, start_run, stop_run
from controlroom.states import ExceptionType, ItemState, RunState, StepRunState, WorkerState

ACTOR = "test"
SETTINGS = scheduling.SchedulerSettings(worker_timeout_seconds=30)


@pytest.fixture()
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'cr.db'}")
    upgrade(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def _setup(
    factory: sessionmaker[Session],
    tmp_path: Path,
    n_items: int = 3,
    max_attempts: int = 2,
    steps: int = 1,
) -> tuple[str, str]:
    """A workspace, a process of ``steps`` steps, and a run with ``n_items`` inputs."""
    with transaction(factory) as s:
        ws = ensure_workspace(s, "default")
        policy = RetryPolicy(max_attempts=max_attempts, backoff_seconds=0)
        specs = [StepSpec("robot", f"task{i}", retry=policy) for i in range(1, steps + 1)]
        create_process(s, ws.id, "proc", specs, actor=ACTOR, validate_robots=False)
        run = start_run(
            s,
            BlobStore(tmp_path / "blobs"),
            ws.id,
            "proc",
            [InputSpec({"n": i}) for i in range(n_items)],
            actor=ACTOR,
            max_payload_bytes=10_000,
            max_file_bytes=10_000,
        )
        return ws.id, run.id


def _tick(factory: sessionmaker[Session], **kw: object) -> scheduling.TickResult:
    settings = SETTINGS.model_copy(update=kw) if kw else SETTINGS
    with transaction(factory) as s:
        return scheduling.tick(s, settings)


def _worker(factory: sessionmaker[Session], ws: str, name: str = "w1") -> str:
    with transaction(factory) as s:
        return workers_service.register(s, ws, name, "host", 2, actor=ACTOR).id


def _claim(factory: sessionmaker[Session], ws: str, worker: str) -> workers_service.Claim | None:
    with transaction(factory) as s:
        return workers_service.claim(s, ws, worker, actor=ACTOR)


def _finish(factory: sessionmaker[Session], step_run_id: str, code: int | None) -> dict[str, int]:
    with transaction(factory) as s:
        step_run = s.get_one(StepRun, step_run_id)
        return workers_service.finish(s, step_run, code, cancelled=False, message="", actor=ACTOR)


def _states(factory: sessionmaker[Session], run_id: str) -> list[str]:
    with factory() as s:
        return sorted(s.scalars(select(WorkItem.state).where(WorkItem.process_run_id == run_id)))


def test_one_step_run_per_run_and_step_and_ticks_are_idempotent(sessions, tmp_path) -> None:
    _, run_id = _setup(sessions, tmp_path)
    first = _tick(sessions)
    assert len(first.created) == 1
    assert _tick(sessions).created == ()
    with sessions() as s:
        (state,) = s.scalars(select(StepRun.state).where(StepRun.process_run_id == run_id))
    assert state == StepRunState.PENDING


def test_step_runs_per_step_is_configurable_and_capped_by_available_items(
    sessions, tmp_path
) -> None:
    _setup(sessions, tmp_path, n_items=3)
    assert len(_tick(sessions, step_runs_per_step=5).created) == 3


def test_run_completes_when_queue_drains_and_unreleased_items_of_a_passing_task_complete(
    sessions, tmp_path
) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=2)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None and claim.started.first_item_id is not None
    # The robot reserves the second item too, then passes without releasing either.
    with transaction(sessions) as s:
        assert queue.reserve_next(s, claim.step_run_id, actor=ACTOR) is not None
    assert _states(sessions, run_id) == ["IN_PROGRESS", "IN_PROGRESS"]
    assert _finish(sessions, claim.step_run_id, 0)["completed"] == 2
    result = _tick(sessions)
    assert result.ended_runs == (run_id,) and result.created == ()
    with sessions() as s:
        assert s.get_one(ProcessRun, run_id).state == RunState.COMPLETED


def test_run_fails_when_an_item_failed_and_next_step_gets_a_step_run(sessions, tmp_path) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=2, steps=2)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None
    with transaction(sessions) as s:
        first = claim.started.first_item_id
        assert first is not None
        queue.create_output(
            s, claim.step_run_id, first, {"ok": 1}, actor=ACTOR, max_payload_bytes=1000
        )
        queue.release(s, claim.step_run_id, first, "COMPLETED", actor=ACTOR)
        second = queue.reserve_next(s, claim.step_run_id, actor=ACTOR)
        assert second is not None
        queue.release(
            s,
            claim.step_run_id,
            second.id,
            "FAILED",
            {"type": "BUSINESS", "code": "UNREADABLE", "message": "bad"},
            actor=ACTOR,
        )
    _finish(sessions, claim.step_run_id, 0)
    result = _tick(sessions)
    assert len(result.created) == 1 and result.ended_runs == ()  # step 2 has the output
    claim2 = _claim(sessions, ws, worker)
    assert claim2 is not None and claim2.step_name == "task2"
    _finish(sessions, claim2.step_run_id, 0)
    assert _tick(sessions).ended_runs == (run_id,)
    with sessions() as s:
        assert s.get_one(ProcessRun, run_id).state == RunState.FAILED


def test_an_output_gets_no_step_run_while_its_input_is_in_progress(sessions, tmp_path) -> None:
    ws, _ = _setup(sessions, tmp_path, n_items=1, steps=2)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None and claim.started.first_item_id
    with transaction(sessions) as s:
        queue.create_output(
            s,
            claim.step_run_id,
            claim.started.first_item_id,
            {},
            actor=ACTOR,
            max_payload_bytes=100,
        )
    assert _tick(sessions).created == ()  # step 2's robot would find nothing to reserve
    with transaction(sessions) as s:
        queue.release(s, claim.step_run_id, claim.started.first_item_id, "COMPLETED", actor=ACTOR)
    assert len(_tick(sessions).created) == 1


def test_a_handed_back_step_run_refunds_the_attempt(sessions, tmp_path) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=1)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None
    with transaction(sessions) as s:
        workers_service.hand_back(s, s.get_one(StepRun, claim.step_run_id), actor=ACTOR)
    with sessions() as s:
        item = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).one()
        assert (item.state, item.attempts, item.reserved_by) == ("PENDING", 0, None)
        assert s.get_one(StepRun, claim.step_run_id).state == StepRunState.CANCELLED
    assert len(_tick(sessions).created) == 1


def test_delayed_items_keep_the_run_open_without_step_runs(sessions, tmp_path) -> None:
    _, run_id = _setup(sessions, tmp_path, n_items=1)
    with transaction(sessions) as s:
        item = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).one()
        item.available_at = utcnow() + timedelta(hours=1)
    result = _tick(sessions)
    assert result.created == () and result.ended_runs == ()
    with sessions() as s:
        assert s.get_one(ProcessRun, run_id).state == RunState.RUNNING


def test_failing_task_requeues_then_fails_orchestrator_after_retry_limit(
    sessions, tmp_path
) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=1, max_attempts=2)
    worker = _worker(sessions, ws)
    for attempt, expected in ((1, "requeued"), (2, "failed")):
        assert len(_tick(sessions).created) == 1, attempt
        claim = _claim(sessions, ws, worker)
        assert claim is not None
        assert _finish(sessions, claim.step_run_id, 1)[expected] == 1
    with sessions() as s:
        item = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).one()
        assert (item.state, item.exception_type, item.exception_code, item.attempts) == (
            ItemState.FAILED,
            ExceptionType.ORCHESTRATOR,
            "RETRIES_EXHAUSTED",
            2,
        )
    assert _tick(sessions).ended_runs == (run_id,)


def test_silent_worker_goes_offline_and_its_step_runs_crash(sessions, tmp_path) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=1, max_attempts=3)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None
    with transaction(sessions) as s:
        s.get_one(Worker, worker).last_heartbeat_at = utcnow() - timedelta(seconds=31)
    result = _tick(sessions)
    assert result.offline_workers == (worker,)
    assert result.crashed_step_runs == (claim.step_run_id,)
    assert len(result.created) == 1  # the item is PENDING again and gets a new step run
    with sessions() as s:
        assert s.get_one(Worker, worker).state == WorkerState.OFFLINE
        assert s.get_one(StepRun, claim.step_run_id).state == StepRunState.CRASHED
    assert _states(sessions, run_id) == ["PENDING"]
    # The dead robot's step run can no longer touch the queue.
    with transaction(sessions) as s, pytest.raises(Exception, match="not RUNNING"):
        queue.release(
            s, claim.step_run_id, claim.started.first_item_id or "", "COMPLETED", actor=ACTOR
        )


def test_a_disabled_silent_worker_does_not_pin_its_step_runs(sessions, tmp_path) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=1)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None
    with transaction(sessions) as s:
        row = s.get_one(Worker, worker)
        row.state = WorkerState.DISABLED.value  # an operator's switch; heartbeats now refused
        row.last_heartbeat_at = utcnow() - timedelta(seconds=31)
    result = _tick(sessions)
    assert result.offline_workers == () and result.crashed_step_runs == (claim.step_run_id,)
    assert _states(sessions, run_id) == ["PENDING"]


def _second_run(factory: sessionmaker[Session], tmp_path: Path, ws: str) -> str:
    with transaction(factory) as s:
        create_process(
            s, ws, "other", [StepSpec("robot", "task")], actor=ACTOR, validate_robots=False
        )
        run = start_run(
            s, BlobStore(tmp_path / "blobs"), ws, "other", [InputSpec({})], actor=ACTOR,
            max_payload_bytes=10_000, max_file_bytes=10_000,
        )  # fmt: skip
        return run.id


def test_an_overflowing_stored_backoff_stops_neither_release_nor_scheduling(
    sessions, tmp_path
) -> None:
    """A step row from before the bounds existed: its backoff overflows ``timedelta``."""
    ws, _ = _setup(sessions, tmp_path, n_items=2, max_attempts=3)
    with transaction(sessions) as s:
        s.execute(
            text("UPDATE process_steps SET backoff_seconds = 1e308, max_backoff_seconds = 1e308")
        )
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None and claim.started.first_item_id is not None
    with transaction(sessions) as s:  # an APPLICATION failure goes through the retry policy
        released = queue.release(
            s, claim.step_run_id, claim.started.first_item_id, "FAILED", actor=ACTOR
        )
        assert released.state == "PENDING"
        assert queue.reserve_next(s, claim.step_run_id, actor=ACTOR) is not None
    other = _second_run(sessions, tmp_path, ws)
    with transaction(sessions) as s:
        s.get_one(Worker, worker).last_heartbeat_at = utcnow() - timedelta(seconds=31)
    result = _tick(sessions)  # the silent worker's item is re-queued with that policy too
    assert result.crashed_step_runs == (claim.step_run_id,)
    with sessions() as s:
        (created,) = result.created
        assert s.get_one(StepRun, created).process_run_id == other


def test_a_failing_step_run_is_skipped_and_the_tick_goes_on(sessions, tmp_path) -> None:
    """A real database error while ending one crashed step run (a trigger refuses its
    item's update) must not stop the tick: other runs still get step runs."""
    ws, _ = _setup(sessions, tmp_path, n_items=1)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None
    other = _second_run(sessions, tmp_path, ws)
    with transaction(sessions) as s:
        s.execute(
            text(
                "CREATE TRIGGER broken BEFORE UPDATE ON work_items "
                f"WHEN OLD.id = '{claim.started.first_item_id}' "
                "BEGIN SELECT RAISE(ABORT, 'broken item'); END"
            )
        )
        s.get_one(Worker, worker).last_heartbeat_at = utcnow() - timedelta(seconds=31)
    result = _tick(sessions)
    assert result.offline_workers == (worker,) and result.crashed_step_runs == ()
    with sessions() as s:
        assert s.get_one(StepRun, claim.step_run_id).state == StepRunState.RUNNING
        (created,) = result.created
        assert s.get_one(StepRun, created).process_run_id == other


def _step2_items(factory: sessionmaker[Session], run_id: str) -> list[WorkItem]:
    with factory() as s:
        return list(
            s.scalars(
                select(WorkItem).where(
                    WorkItem.process_run_id == run_id, WorkItem.parent_id.is_not(None)
                )
            )
        )


def test_outputs_of_a_crashed_step_run_are_withdrawn_so_step_two_works_once(
    sessions, tmp_path
) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=1, max_attempts=3, steps=2)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None and claim.started.first_item_id is not None
    first = claim.started.first_item_id
    with transaction(sessions) as s:
        queue.create_output(
            s, claim.step_run_id, first, {"try": 1}, actor=ACTOR, max_payload_bytes=99
        )
        s.get_one(Worker, worker).last_heartbeat_at = utcnow() - timedelta(seconds=31)
    result = _tick(sessions)  # the worker went silent: its step run ends CRASHED
    assert result.crashed_step_runs == (claim.step_run_id,)
    assert _step2_items(sessions, run_id) == []  # the unfinished attempt's output is gone
    with sessions() as s:
        assert s.get_one(WorkItem, first).state == ItemState.PENDING

    again = _claim(sessions, ws, _worker(sessions, ws, "w2"))
    assert again is not None and again.started.first_item_id == first
    with transaction(sessions) as s:
        queue.create_output(
            s, again.step_run_id, first, {"try": 2}, actor=ACTOR, max_payload_bytes=99
        )
        queue.release(s, again.step_run_id, first, "COMPLETED", actor=ACTOR)
    assert [i.payload for i in _step2_items(sessions, run_id)] == [{"try": 2}]


def test_outputs_of_a_failed_attempt_are_withdrawn_when_it_is_retried(sessions, tmp_path) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=1, max_attempts=3, steps=2)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None and claim.started.first_item_id is not None
    first = claim.started.first_item_id
    with transaction(sessions) as s:
        queue.create_output(
            s, claim.step_run_id, first, {"half": 1}, actor=ACTOR, max_payload_bytes=99
        )
        item = queue.release(
            s, claim.step_run_id, first, "FAILED", {"type": "APPLICATION"}, actor=ACTOR
        )
        assert item.state == ItemState.PENDING
    assert _step2_items(sessions, run_id) == []


def test_no_worker_is_judged_silent_within_the_restart_grace(sessions, tmp_path) -> None:
    ws, _ = _setup(sessions, tmp_path, n_items=1)
    worker = _worker(sessions, ws)
    _tick(sessions)
    claim = _claim(sessions, ws, worker)
    assert claim is not None
    now = utcnow()
    with transaction(sessions) as s:  # its heartbeats could not reach a server that was down
        s.get_one(Worker, worker).last_heartbeat_at = now - timedelta(seconds=31)
    with transaction(sessions) as s:
        held = scheduling.tick(s, SETTINGS, now=now, reap_after=now + timedelta(seconds=30))
    assert held.offline_workers == () and held.crashed_step_runs == ()
    assert SETTINGS.restart_grace == SETTINGS.worker_timeout_seconds
    later = now + timedelta(seconds=31)
    with transaction(sessions) as s:
        reaped = scheduling.tick(s, SETTINGS, now=later, reap_after=now + timedelta(seconds=30))
    assert reaped.crashed_step_runs == (claim.step_run_id,)


def test_stop_run_cancels_pending_and_tells_running_step_runs_to_stop(sessions, tmp_path) -> None:
    ws, run_id = _setup(sessions, tmp_path, n_items=2)
    worker = _worker(sessions, ws)
    _tick(sessions, step_runs_per_step=2)
    claim = _claim(sessions, ws, worker)
    assert claim is not None
    with transaction(sessions) as s:
        assert stop_run(s, run_id, "cli:op") is True
        assert stop_run(s, run_id, "cli:op") is False
    with transaction(sessions) as s:
        states = sorted(s.scalars(select(StepRun.state).where(StepRun.process_run_id == run_id)))
        cancel = workers_service.heartbeat(s, ws, worker, [claim.step_run_id], actor=ACTOR)
    assert states == ["CANCELLED", "RUNNING"]
    assert cancel == [claim.step_run_id]
    assert _tick(sessions).created == ()


def _pg_database(base_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"clerk_sched_{threading.get_ident() % 100000}_{id(base_url) % 1000}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_concurrent_ticks_on_postgresql_create_one_step_run_per_pair(tmp_path) -> None:
    import os

    base = os.environ.get("CLERK_TEST_DATABASE_URL")
    if not base:
        pytest.skip("set CLERK_TEST_DATABASE_URL to a PostgreSQL database")
    for url in _pg_database(base):
        engine = make_engine(url)
        upgrade(engine)
        factory = make_sessionmaker(engine)
        runs = [_setup(factory, tmp_path, n_items=2)[1]]
        with transaction(factory) as s:  # a second run of the same process
            run = start_run(
                s,
                BlobStore(tmp_path / "b"),
                s.scalars(select(ProcessRun.workspace_id)).first() or "",
                "proc",
                [InputSpec({})],
                actor=ACTOR,
                max_payload_bytes=1000,
                max_file_bytes=1000,
            )
            runs.append(run.id)
        barrier = threading.Barrier(8)

        def tick() -> None:
            barrier.wait()
            for _ in range(5):
                _tick(factory)

        threads = [threading.Thread(target=tick) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with factory() as s:
            counts = dict(
                s.execute(
                    select(StepRun.process_run_id, func.count()).group_by(StepRun.process_run_id)
                ).all()
            )
        assert counts == {runs[0]: 1, runs[1]: 1}
        engine.dispose()


@pytest.mark.parametrize(
    "name",
    [
        "CLERK_WORKER_TIMEOUT_SECONDS",
        "CLERK_WORKER_HEARTBEAT_SECONDS",
        "CLERK_SCHEDULER_INTERVAL",
        "CLERK_WORKER_RESTART_GRACE_SECONDS",
        "CLERK_STEP_RUNS_PER_STEP",
    ],
)
def test_scheduler_settings_are_bounded(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv(name, "1e308" if name != "CLERK_STEP_RUNS_PER_STEP" else "1000000")
    with pytest.raises(ValidationError):
        scheduling.SchedulerSettings()


def test_a_step_run_whose_claim_reply_was_lost_is_crashed_by_the_heartbeat(
    sessions, tmp_path
) -> None:
    """Issue 16 chaos: the Control Room was SIGKILLed after committing a claim and before
    replying. The worker went on heart-beating without that step run, so the silent-worker
    reaper never ended it: the step's only slot and a reserved item were held forever."""
    ws, run_id = _setup(sessions, tmp_path, n_items=2)
    worker = _worker(sessions, ws)
    _tick(sessions)
    lost = _claim(sessions, ws, worker)  # committed; the worker never hears of it
    assert lost is not None

    def beat(running: list[str]) -> list[str]:
        with transaction(sessions) as s:
            return workers_service.heartbeat(
                s, ws, worker, running, actor=ACTOR, forgotten_after=30
            )

    def state() -> str:
        with sessions() as s:
            return s.get_one(StepRun, lost.step_run_id).state

    beat([])  # a claim reply may still be on its way: not yet
    assert state() == "RUNNING"
    with transaction(sessions) as s:
        s.get_one(StepRun, lost.step_run_id).started_at = utcnow() - timedelta(seconds=31)
    assert beat([lost.step_run_id]) == []  # listed: the worker runs it
    assert state() == "RUNNING"
    beat([])
    assert state() == "CRASHED"
    with sessions() as s:
        items = s.scalars(select(WorkItem).where(WorkItem.process_run_id == run_id)).all()
    assert {i.state for i in items} == {"PENDING"}
    assert len(_tick(sessions).created) == 1, "the step's slot is free again"
