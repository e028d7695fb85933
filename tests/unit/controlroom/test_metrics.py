"""``/metrics`` scraped over HTTP and parsed with prometheus_client's own parser."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from controlroom._db_types import utcnow
from controlroom.api import create_app
from controlroom.db import make_engine, make_sessionmaker, transaction
from controlroom.files import BlobStore
from controlroom.models import ProcessRun, Worker, WorkItem
from controlroom.services import queue, scheduling
from controlroom.services import workers as workers_service
from controlroom.services.processes import RetryPolicy, StepSpec, create_process, ensure_workspace
from controlroom.services.runs import InputSpec, start_run, stop_run
from controlroom.settings import ControlRoomSettings
from tests.unit.controlroom.dbhelpers import BACKENDS, fresh_database

A = "test"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as database_url:
        yield database_url


def _scenario(url: str, tmp_path: Path) -> None:
    """Step 1 of 'metered' gets 4 items: one completed in ~2 s, one BUSINESS failure,
    one APPLICATION failure re-queued (retry 1), one left PENDING. Two workers, one of
    them silent for 100 s."""
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with transaction(factory) as s:
        ws = ensure_workspace(s, "default")
        retry = RetryPolicy(max_attempts=3, backoff_seconds=0)
        create_process(
            s,
            ws.id,
            "metered",
            [StepSpec("r", "one", "extract", retry), StepSpec("r", "two", "enter", retry)],
            actor=A,
            validate_robots=False,
        )
        start_run(
            s,
            BlobStore(tmp_path / "b"),
            ws.id,
            "metered",
            [InputSpec({"n": n}) for n in range(4)],
            actor=A,
            max_payload_bytes=1000,
            max_file_bytes=1000,
        )
        worker = workers_service.register(s, ws.id, "w-busy", "h", 1, actor=A).id
        workers_service.register(s, ws.id, "w-quiet", "h", 1, actor=A)
    with transaction(factory) as s:
        scheduling.tick(s, scheduling.SchedulerSettings())
    with transaction(factory) as s:
        claim = workers_service.claim(s, ws.id, worker, actor=A)
        assert claim is not None and claim.started.first_item_id
        sid, first = claim.step_run_id, claim.started.first_item_id
        queue.release(s, sid, first, "COMPLETED", actor=A)
        b = queue.reserve_next(s, sid, actor=A)
        assert b is not None
        queue.release(s, sid, b.id, "FAILED", {"type": "BUSINESS", "code": "UNREADABLE"}, actor=A)
        c = queue.reserve_next(s, sid, actor=A)
        assert c is not None
        queue.release(
            s, sid, c.id, "FAILED", {"type": "APPLICATION", "code": "ERP_TIMEOUT"}, actor=A
        )
    with transaction(factory) as s:
        # Known latency for the completed item; one worker has gone quiet.
        done = s.get_one(WorkItem, first)
        assert done.released_at is not None
        done.reserved_at = done.released_at - timedelta(seconds=2)
        s.execute(
            update(Worker)
            .where(Worker.name == "w-quiet")
            .values(last_heartbeat_at=utcnow() - timedelta(seconds=100))
        )
    engine.dispose()


def _scrape(url: str, tmp_path: Path) -> dict[str, list[tuple[dict[str, str], float, str]]]:
    settings = ControlRoomSettings(database_url=url, files_dir=tmp_path / "files", signing_key="k")
    app = create_app(settings, migrate=False, background=False)

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cr") as client:
            return await client.get("/metrics")

    reply = asyncio.run(get())
    app.state.engine.dispose()
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/plain")
    samples: dict[str, list[tuple[dict[str, str], float, str]]] = {}
    for family in text_string_to_metric_families(reply.text):
        for sample in family.samples:
            samples.setdefault(family.name, []).append((sample.labels, sample.value, sample.name))
    return samples


def _value(samples, family: str, sample_name: str | None = None, **labels: str) -> float:
    found = [
        v
        for lab, v, name in samples[family]
        if (sample_name is None or name == sample_name)
        and all(lab.get(k) == val for k, val in labels.items())
    ]
    assert len(found) == 1, (family, labels, samples[family])
    return found[0]


def test_metrics_reflect_the_database(url: str, tmp_path: Path) -> None:
    _scenario(url, tmp_path)
    m = _scrape(url, tmp_path)
    step1 = {"process": "metered", "step": "extract", "position": "1"}
    step2 = {"process": "metered", "step": "enter", "position": "2"}
    assert _value(m, "clerk_work_items", state="COMPLETED", **step1) == 1
    assert _value(m, "clerk_work_items", state="FAILED", **step1) == 1
    assert _value(m, "clerk_work_items", state="PENDING", **step1) == 2
    assert _value(m, "clerk_queue_depth", **step1) == 2
    assert _value(m, "clerk_queue_depth", **step2) == 0
    assert _value(m, "clerk_item_retries", **step1) == 0  # the re-queued one is not re-reserved
    assert _value(m, "clerk_item_failures", type="BUSINESS", code="UNREADABLE", **step1) == 1
    hist = "clerk_item_reserve_release_seconds"
    # Completed (2 s) and business-failed (~0 s) have both times; the re-queued one too.
    assert _value(m, hist, f"{hist}_count", **step1) == 3
    assert _value(m, hist, f"{hist}_bucket", le="1.0", **step1) == 2
    assert _value(m, hist, f"{hist}_bucket", le="2.5", **step1) == 3
    assert 2.0 <= _value(m, hist, f"{hist}_sum", **step1) < 2.5
    assert _value(m, "clerk_workers_online") == 2
    assert _value(m, "clerk_worker_heartbeat_age_seconds", worker="w-quiet") >= 100
    assert _value(m, "clerk_worker_heartbeat_age_seconds", worker="w-busy") < 60
    assert _value(m, "clerk_step_runs", state="RUNNING") == 1
    assert _value(m, "clerk_process_runs", process="metered", state="RUNNING") == 1


def test_a_stopped_runs_items_leave_the_queue_depth(url: str, tmp_path: Path) -> None:
    _scenario(url, tmp_path)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as s:
        run_id = s.scalars(select(ProcessRun.id)).one()
        assert stop_run(s, run_id, "cli:op")
    engine.dispose()
    m = _scrape(url, tmp_path)
    step1 = {"process": "metered", "step": "extract", "position": "1"}
    assert _value(m, "clerk_queue_depth", **step1) == 0
    assert _value(m, "clerk_work_items", state="PENDING", **step1) == 2
    assert _value(m, "clerk_process_runs", process="metered", state="CANCELLED") == 1


def test_retries_count_reservations_beyond_the_first(url: str, tmp_path: Path) -> None:
    _scenario(url, tmp_path)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as s:
        s.execute(update(WorkItem).where(WorkItem.state == "PENDING").values(attempts=3))
    engine.dispose()
    m = _scrape(url, tmp_path)
    step1 = {"process": "metered", "step": "extract", "position": "1"}
    assert _value(m, "clerk_item_retries", "clerk_item_retries_total", **step1) == 4
