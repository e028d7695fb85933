"""Reservation cost against queue size, at the service level (no HTTP).

    .venv/bin/python bench/bench_reserve.py [--small 1000] [--big 100000] [--cycles 300]
                                            [--pg postgresql+psycopg://...]

For each database (SQLite in a temp folder; PostgreSQL with ``--pg`` or
``CLERK_TEST_DATABASE_URL``, in a schema of its own that is dropped afterwards) it fills
one (run, step) queue with ``--small`` PENDING items, then another with ``--big``
PENDING items plus as many COMPLETED ones, and times ``--cycles`` reserve + release
cycles (each its own transaction, as a robot makes them) on each, alternating blocks of
cycles between the two so background load falls on both alike. It prints the mean
and p95 per cycle and the ratio big/small: about 1.0 means reservation does not slow
down as the queue grows (the ``ix_work_items_queue`` index at work).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from controlroom.db import make_engine, make_sessionmaker, transaction, upgrade
from controlroom.files import BlobStore
from controlroom.logs import new_correlation_id
from controlroom.models import WorkItem
from controlroom.services import queue, steps
from controlroom.services.processes import StepSpec, create_process, ensure_workspace
from controlroom.services.runs import start_run
from controlroom.types import utcnow

ACTOR = "bench"


def _queue(factory: sessionmaker[Session], blobs: BlobStore, pending: int, completed: int) -> str:
    """A run whose step 1 holds ``pending`` PENDING and ``completed`` COMPLETED items;
    returns a RUNNING step run on it."""
    with transaction(factory) as s:
        ws = ensure_workspace(s, "bench")
        name = f"p-{uuid.uuid4().hex[:8]}"
        create_process(s, ws.id, name, [StepSpec("robot", "t")], actor=ACTOR, validate_robots=False)
        run = start_run(
            s, blobs, ws.id, name, [], actor=ACTOR, max_payload_bytes=10**6, max_file_bytes=10**6
        )
        seed = s.query(WorkItem).filter(WorkItem.process_run_id == run.id).one()
        rows = []
        now = utcnow()
        for i in range(pending + completed):
            rows.append(
                {
                    "id": str(uuid.uuid4()),
                    "workspace_id": ws.id,
                    "process_run_id": run.id,
                    "step_id": seed.step_id,
                    "state": "PENDING" if i < pending else "COMPLETED",
                    "payload": {"i": i},
                    "attempts": 0,
                    "available_at": now,
                    "correlation_id": new_correlation_id(),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) == 5000:
                s.execute(insert(WorkItem), rows)
                rows = []
        if rows:
            s.execute(insert(WorkItem), rows)
        opened = steps.open_step_run(s, run.id, 1, actor=ACTOR)
        return steps.start_step_run(s, opened.id, actor=ACTOR).step_run_id


def _cycles(factory: sessionmaker[Session], step_run_id: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        with transaction(factory) as s:
            item = queue.reserve_next(s, step_run_id, actor=ACTOR)
            assert item is not None, "queue ran dry: raise --small/--big or lower --cycles"
            queue.release(s, step_run_id, item.id, "COMPLETED", actor=ACTOR)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _report(label: str, times: list[float]) -> float:
    mean = statistics.fmean(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"  {label:<34} mean {mean:6.2f} ms  p95 {p95:6.2f} ms per reserve+release")
    return mean


def bench(url: str, folder: Path, small: int, big: int, cycles: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    blobs = BlobStore(folder / "files")
    try:
        print(f"{engine.dialect.name}:")
        fill = time.perf_counter()
        small_run = _queue(factory, blobs, small, 0)
        big_run = _queue(factory, blobs, big, big)
        print(f"  filled {small + 2 * big:,} items in {time.perf_counter() - fill:.1f} s")
        # Fresh statistics, and no autovacuum of the bulk insert racing the measurement.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "VACUUM ANALYZE work_items" if engine.dialect.name == "postgresql" else "ANALYZE"
            )
        _cycles(factory, small_run, 20)  # warm caches and the connection pool
        # Alternate blocks so load from other processes hits both sides alike.
        small_times: list[float] = []
        big_times: list[float] = []
        block = max(cycles // 10, 1)
        for _ in range(0, cycles, block):
            small_times += _cycles(factory, small_run, block)
            big_times += _cycles(factory, big_run, block)
        base = _report(f"{small:,} pending (baseline)", small_times)
        grown = _report(f"{big:,} pending + {big:,} completed", big_times)
        print(f"  ratio big/small: {grown / base:.2f}")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--pg", default=os.environ.get("CLERK_TEST_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench(f"sqlite:///{folder / 'bench.db'}", folder, args.small, args.big, args.cycles)
        if args.pg:
            schema = f"clerk_bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(args.pg)
            with admin.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            try:
                sep = "&" if "?" in args.pg else "?"
                bench(
                    f"{args.pg}{sep}options=-csearch_path%3D{schema}",
                    folder,
                    args.small,
                    args.big,
                    args.cycles,
                )
            finally:
                with admin.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
                admin.dispose()


if __name__ == "__main__":
    main()
