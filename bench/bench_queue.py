"""Queue throughput through HTTP: reserve-then-release cycles by concurrent client processes.

    .venv/bin/python bench/bench_queue.py [--quick] [--pg URL] [--server-workers N]
                                          [--duration 10] [--big 1000000] [--check-items 20000]
                                          [--service-small 1000] [--service-big 100000]
                                          [--service-cycles 300]

A real Control Room, started with the product's own command (``clerk controlroom
--workers N``, N = ``--server-workers``, logging as in production), serves the stock
robocorp endpoints (``reserve-next-work-item`` / ``release-work-item``). Each client is
its own PROCESS with its own step run and token, looping reserve + release over empty
items on one persistent HTTP/1.1 connection (a plain socket), for ``--duration`` seconds.
For 1, 4 and 16 clients it prints cycles/s, the cycle latency p50/p95/p99 (reserve +
release), the ratio to the single-client baseline measured in the same run, and the CPU
each cycle cost the server processes (and, on a PostgreSQL of this machine, the
database's backends) and the clients. On a machine shared with other work the rates
move by a third from run to run; CPU per cycle moves much less, so it is the figure to
compare a change by. Then the same against a
queue already holding ``--big`` items (bulk-inserted with one INSERT ... SELECT, not
through the API, then VACUUM ANALYZE and CHECKPOINT, or ANALYZE), to show reservation
does not slow as the queue grows. Then, on PostgreSQL, a correctness run: 16 clients drain
``--check-items`` items; no item may be reserved twice and none may be lost.

Last, per database, the reservation cost against queue size at the service level (no
HTTP, so no network noise; formerly ``bench/bench_reserve.py``, same defaults and
output): one (run, step) queue with ``--service-small`` PENDING items, another with
``--service-big`` PENDING plus as many COMPLETED; ``--service-cycles`` reserve + release
cycles (each its own transaction) on each, alternating blocks of cycles so background
load falls on both alike; mean and p95 per cycle and the ratio big/small (about 1.0: the
``ix_work_items_queue`` index keeps reservation one probe however long the queue is).

SQLite runs in a temp folder; PostgreSQL (``--pg`` or ``CLERK_TEST_DATABASE_URL``) in a
fresh database created and dropped by the script. ``--quick`` is a smoke run (small
queue, 2 s per configuration). ``--big 0``, ``--check-items 0`` and ``--service-cycles 0``
skip their parts (to compare a change on the 1/4/16-client rows alone).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import Engine, bindparam, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from clerk.serving import free_port
from controlroom import _wal_checkpoints as wal_checkpoints
from controlroom._db_types import UTCDateTime, utcnow
from controlroom.db import make_engine, make_sessionmaker, sqlite_file, transaction, upgrade
from controlroom.models import ProcessRun, ProcessStep, WorkItem

PROCESS = "bench"
CLERK = str(Path(sys.executable).with_name("clerk"))
# One server process per core (``clerk controlroom --workers N``); the robots share those
# cores here. On two cores, SQLite measured as fast with one process (at less CPU a
# cycle), PostgreSQL a little faster with two: ``--server-workers 1`` to compare.
SERVER_WORKERS = os.cpu_count() or 1


@dataclass(frozen=True)
class Client:
    url: str  # the step run's process API prefix (…/processes/{pid}/runs/{run}/robotRuns/{sr}/)
    token: str
    first_item: str | None


@dataclass(frozen=True)
class Result:
    clients: int
    cycles: int
    seconds: float
    latencies: list[float]  # seconds per reserve+release cycle
    reserved: list[str]
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds used, per meter

    @property
    def rate(self) -> float:
        return self.cycles / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# ---------------------------------------------------------------- database set-up


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    yield f"sqlite:///{folder / 'bench.db'}"


@contextmanager
def pg_database(base: str) -> Iterator[str]:
    name = f"clerk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str) -> tuple[str, str]:
    """Migrate; create the workspace, the one-step process and an API token."""
    from controlroom.services import tokens
    from controlroom.services.processes import (
        RetryPolicy,
        StepSpec,
        create_process,
        ensure_workspace,
    )
    from controlroom.states import TokenKind

    upgrade(url)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as s:
        ws = ensure_workspace(s, "default")
        step = StepSpec("bench-robot", "noop", retry=RetryPolicy(max_attempts=3))
        create_process(s, ws.id, PROCESS, [step], actor="bench", validate_robots=False)
        _, secret = tokens.create(s, ws.id, TokenKind.API, name="bench", actor="bench")
    engine.dispose()
    return ws.id, secret


def bulk_items(engine: Engine, run_id: str, step_id: str, ws: str, n: int) -> None:
    """Insert ``n`` empty PENDING items with one INSERT ... SELECT over a generated series."""
    now = utcnow()
    if engine.dialect.name == "postgresql":
        series = "SELECT gen_random_uuid()::text AS id FROM generate_series(1, :n)"
        payload = "'{}'::jsonb"
    else:
        series = (
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < :n) "
            "SELECT lower(hex(randomblob(16))) AS id FROM s"
        )
        payload = "'{}'"
    statement = text(
        f"INSERT INTO work_items (id, workspace_id, process_run_id, step_id, state, payload, "
        f"attempts, available_at, correlation_id, created_at, updated_at) "
        f"SELECT g.id, :ws, :run, :step, 'PENDING', {payload}, 0, :now, g.id, :now, :now "
        f"FROM ({series}) AS g"
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    with engine.begin() as c:
        c.execute(statement, {"n": n, "ws": ws, "run": run_id, "step": step_id, "now": now})
    fresh_statistics(engine)


def fresh_statistics(engine: Engine) -> None:
    """After a bulk load, as an administrator would: fresh statistics, and the load settled
    before measuring. On PostgreSQL, no autovacuum of the new rows racing the measurement
    (it took seconds of CPU), and the load's write-ahead log (a million rows, several
    hundred MB) flushed by a CHECKPOINT now, not by one that its size sets off during the
    measurement; on SQLite, the load's write-ahead log copied back now, not by the
    server's background checkpoints during the measurement."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("VACUUM ANALYZE work_items")
            try:
                conn.exec_driver_sql("CHECKPOINT")
            except DBAPIError as exc:  # a superuser's or pg_checkpoint's right
                print(f"  (no CHECKPOINT after the load: {exc.orig})")
        else:
            conn.exec_driver_sql("ANALYZE")
    database = sqlite_file(engine)
    if database:
        # The running server's readers (its last requests, its own checkpoints) may hold
        # the log for a moment: try again briefly rather than fail the run.
        for _ in range(50):
            busy, _, _ = wal_checkpoints.checkpoint(database, "TRUNCATE")
            if not busy:
                break
            time.sleep(0.1)
        assert not busy, "the bulk load's write-ahead log could not be checkpointed"


def new_run(url: str, base: str, ws: str, api_token: str, items: int, clients: int) -> list[Client]:
    """A run of ``items`` empty items and ``clients`` RUNNING step runs with their tokens."""
    from controlroom.services.steps import open_step_run, start_step_run

    reply = httpx.post(
        f"{base}/api/v1/processes/{PROCESS}/runs",
        json={"items": []},
        headers={"Authorization": f"Bearer {api_token}"},
        timeout=60,
    )
    reply.raise_for_status()
    run_id = reply.json()["id"]
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory() as s:
        step_id = s.scalars(select(ProcessStep.id)).one()
        process_id = s.get_one(ProcessRun, run_id).process_id
    started = time.perf_counter()
    bulk_items(engine, run_id, step_id, ws, items)
    if items >= 100_000:
        print(f"    bulk-inserted {items:,} items in {time.perf_counter() - started:.1f} s")
    out = []
    with transaction(factory) as s:
        for _ in range(clients):
            step_run = open_step_run(s, run_id, 1, actor="bench")
            st = start_step_run(s, step_run.id, actor="bench")
            prefix = (
                f"{base}/process-v1/workspaces/{ws}/processes/{process_id}/runs/{run_id}/"
                f"robotRuns/{st.step_run_id}/"
            )
            out.append(Client(prefix, st.token, st.first_item_id))
    engine.dispose()
    return out


# ---------------------------------------------------------------- clients


def client_loop(client: Client, start: Any, stop_at: Any, drain: bool, out: Any) -> None:
    try:
        out.put(_client_loop(client, start, stop_at, drain))
    except BaseException as exc:  # report instead of leaving the parent waiting
        out.put(f"{type(exc).__name__}: {exc}")
        raise


class _Http:
    """One persistent HTTP/1.1 connection on a plain socket: the request's bytes written
    whole, the answer read by its Content-Length. The clients share the machine's two
    cores with the server they measure, so what a client costs is taken from the server:
    ``http.client`` cost 0.6 ms of CPU per cycle against no database and this 0.2 ms
    (``bench_queue`` on this kind of machine, 16 clients), which let the same server go
    from about 1,600 to 2,400 cycles/s. Robots run on their own machines, where their
    HTTP client's CPU is theirs; here it is noise in the server's figure."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.prefix = parts.path
        self.sock = socket.create_connection((parts.hostname or "", parts.port or 80), 60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.headers = (
            f"Host: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\n"
        ).encode()
        self.unread = b""  # bytes received past the last answer's end (kept for the next)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body or {}).encode()
        self.sock.sendall(
            b"POST %s HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s"
            % ((self.prefix + path).encode(), self.headers, len(data), data)
        )
        received = self.unread
        while b"\r\n\r\n" not in received:
            received += self._recv()
        head, _, rest = received.partition(b"\r\n\r\n")
        status_line, *header_lines = head.split(b"\r\n")
        length = next(
            (int(v) for k, _, v in (h.partition(b":") for h in header_lines)
             if k.strip().lower() == b"content-length"),
            0,
        )  # fmt: skip
        while len(rest) < length:
            rest += self._recv()
        answer, self.unread = rest[:length], rest[length:]
        status = int(status_line.split()[1])
        if status != 200:
            raise RuntimeError(f"POST {path}: HTTP {status} {answer[:300]!r}")
        return json.loads(answer)

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


def _client_loop(
    client: Client, start: Any, stop_at: Any, drain: bool
) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    reserved: list[str] = []
    http_ = _Http(client.url, client.token)
    if client.first_item:  # start_step_run reserved one for RC_WORKITEM_ID: release it
        http_.post("release-work-item", {"workItemId": client.first_item, "state": "COMPLETED"})
        reserved.append(client.first_item)
    start.wait()
    deadline = stop_at.value
    while drain or time.time() < deadline:
        t0 = time.perf_counter()
        item = http_.post("reserve-next-work-item")["workItemId"]
        if not item:
            break
        http_.post("release-work-item", {"workItemId": item, "state": "COMPLETED"})
        latencies.append(time.perf_counter() - t0)
        reserved.append(item)
    http_.close()
    return latencies, reserved


def run_clients(
    clients: list[Client], duration: float, drain: bool = False, meters: Meters | None = None
) -> Result:
    ctx = mp.get_context("fork")
    start = ctx.Event()
    stop_at = ctx.Value("d", 0.0)
    out: Any = ctx.Queue()
    procs = [ctx.Process(target=client_loop, args=(c, start, stop_at, drain, out)) for c in clients]
    for p in procs:
        p.start()
    # The clients' CPU, read before they are joined (an exited, unjoined client's /proc
    # entry still holds its times).
    meters = {**(meters or {}), "clients": lambda: cpu_seconds(p.pid for p in procs)}
    time.sleep(0.5)  # let every client connect and release its first item
    began = time.time()
    before = {name: meter() for name, meter in meters.items()}
    stop_at.value = began + duration
    start.set()
    results = [out.get(timeout=duration + 600) for _ in procs]
    cpu = {name: used(before[name], meter()) for name, meter in meters.items()}
    failed = [r for r in results if isinstance(r, str)]
    if failed:
        raise RuntimeError(f"{len(failed)} client(s) failed: {failed[0]}")
    elapsed = time.time() - began
    for p in procs:
        p.join()
    latencies = [x for r in results for x in r[0]]
    reserved = [x for r in results for x in r[1]]
    return Result(len(clients), len(latencies), elapsed, latencies, reserved, cpu)


# ---------------------------------------------------------------- CPU per cycle

# A meter: CPU seconds used so far by each process it watches (pid -> seconds).
Meters = dict[str, Callable[[], dict[int, float]]]
_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        # The fields after the command name, which may itself hold spaces or ")".
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone, or not ours to read
        return None


def cpu_seconds(pids: Iterable[int]) -> dict[int, float]:
    """User + system CPU each live process has used, all its threads included."""
    found = {}
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            found[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    return found


def process_tree(root: int) -> list[int]:
    """``root`` and its live descendants (``--server-workers N`` starts N children)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (a process started meanwhile counts whole;
    one that ended meanwhile is lost, so this can only under-count)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def database_meter(url: str) -> Callable[[], dict[int, float]] | None:
    """The PostgreSQL backends serving ``url``'s database, when they run on this machine
    (their CPU is then readable in /proc); None otherwise."""
    if make_url(url).host not in (None, "", "localhost", "127.0.0.1", "::1"):
        return None
    engine = make_engine(url, poolclass=NullPool)  # nothing held open between readings
    query = text(
        "SELECT pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )

    def read() -> dict[int, float]:
        with engine.connect() as connection:
            pids = connection.execute(query).scalars().all()
        return cpu_seconds(p for p in pids if Path(f"/proc/{p}/comm").exists())

    return read


# ---------------------------------------------------------------- server


def ceiling_app() -> Any:
    """The same two POST routes with no database: the HTTP stack's own ceiling here."""
    from fastapi import Body, FastAPI

    app = FastAPI()

    @app.post("/ceiling/reserve-next-work-item")
    async def reserve() -> dict[str, str]:
        return {"workItemId": "x"}

    @app.post("/ceiling/release-work-item")
    async def release(body: dict[str, Any] = Body(...)) -> dict[str, str]:
        return {"workItemId": "x", "state": "COMPLETED"}

    return app


@contextmanager
def server(
    url: str, folder: Path, workers: int, app: str | None = None
) -> Iterator[tuple[str, Meters]]:
    """The server's base URL, and a meter of its processes' CPU."""
    port = free_port()
    env = {
        **os.environ,
        "CLERK_DATABASE_URL": url,
        "CLERK_FILES_DIR": str(folder / "files"),
        "CLERK_HOME": str(folder / "home"),
        "CLERK_SIGNING_KEY": "bench",
    }
    if app is None:  # the product's own command, as an administrator runs it
        command = [CLERK, "controlroom", "--port", str(port), "--workers", str(workers)]
        starts = 1
    else:  # the same server processes (controlroom.server), serving another app
        here = str(Path(__file__).resolve().parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "controlroom.server", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--app", app, "--log-level", "warning"]
        starts = workers
    with (folder / "server.log").open("ab") as log:
        procs = [subprocess.Popen(command, env=env, stdout=log, stderr=log) for _ in range(starts)]
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError(f"the server did not start: see {folder / 'server.log'}")
            time.sleep(0.2)
        time.sleep(1.5 if workers > 1 else 0)  # let the other processes finish starting

        def server_cpu() -> dict[int, float]:
            return cpu_seconds(pid for p in procs for pid in process_tree(p.pid))

        yield base, {"server": server_cpu}
    except BaseException:
        dead = [p.pid for p in procs if p.poll() is not None]
        tail = (folder / "server.log").read_text(errors="replace")[-3000:]
        print(f"server processes that died: {dead}\n--- server.log (end) ---\n{tail}")
        raise
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


# ---------------------------------------------------------------- report


def line(label: str, r: Result, baseline: Result | None) -> str:
    ratio = f"{r.rate / baseline.rate:5.2f}x" if baseline and baseline.rate else "  1.00x"
    cpu = [f"{name} {1000 * s / r.cycles:.2f}" for name, s in r.cpu.items() if r.cycles]
    return (
        f"  {label:<28} {r.rate:8.0f} cycles/s  p50 {r.pct(0.50):6.1f} ms  "
        f"p95 {r.pct(0.95):6.1f} ms  p99 {r.pct(0.99):6.1f} ms  {ratio}  ({r.cycles} cycles)"
        + (f"  CPU/cycle: {', '.join(cpu)} ms" if cpu else "")
    )


@dataclass(frozen=True)
class BackendFigures:
    """What ``python -m bench`` puts in its table for one database."""

    small: Result  # 16 clients on an ``--items`` queue
    big: Result | None  # 16 clients on a ``--big`` queue (None with ``--big 0``)
    items: int
    big_items: int


def bench_backend(
    name: str, url: str, folder: Path, args: argparse.Namespace, *, service: bool = True
) -> BackendFigures:
    ws, api_token = prepare(url)
    with server(url, folder, args.server_workers) as (base, meters):
        database = database_meter(url) if name == "postgresql" else None
        if database is not None:
            meters = {**meters, "postgres": database}
        print(
            f"{name}: {args.server_workers} server process(es), {args.duration:.0f} s per "
            "configuration"
        )
        baseline: Result | None = None
        rates: dict[int, Result] = {}
        for n in (1, 4, 16):
            clients = new_run(url, base, ws, api_token, args.items, n)
            r = run_clients(clients, args.duration, meters=meters)
            baseline = baseline or r
            rates[n] = r
            print(line(f"{n:>2} client(s)", r, baseline), flush=True)
        n_big = 16
        big: Result | None = None
        if args.big:  # --big 0 skips it
            clients = new_run(url, base, ws, api_token, args.big, n_big)
            big = run_clients(clients, args.duration, meters=meters)
            print(line(f"{n_big} clients, {args.big:,} queued", big, rates[n_big]), flush=True)
            print(
                f"    ratio vs the same clients on a {args.items:,}-item queue: "
                f"{big.rate / rates[n_big].rate:.2f}"
            )
        if name == "postgresql" and args.check_items:  # --check-items 0 skips it
            check(url, base, ws, api_token, args.check_items)
    if service and args.service_cycles:  # --service-cycles 0 skips it
        service_level(url, folder, args.service_small, args.service_big, args.service_cycles)
    return BackendFigures(rates[n_big], big, args.items, args.big)


# ---------------------------------------------------------------- service level (no HTTP)


def _service_queue(factory: Any, blobs: Any, pending: int, completed: int) -> str:
    """A run whose step 1 holds ``pending`` PENDING and ``completed`` COMPLETED items;
    returns a RUNNING step run on it."""
    from sqlalchemy import insert

    from controlroom._logs import new_correlation_id
    from controlroom.services import steps
    from controlroom.services.processes import StepSpec, create_process, ensure_workspace
    from controlroom.services.runs import start_run

    with transaction(factory) as s:
        ws = ensure_workspace(s, "bench")
        name = f"p-{uuid.uuid4().hex[:8]}"
        create_process(
            s, ws.id, name, [StepSpec("robot", "t")], actor="bench", validate_robots=False
        )
        run = start_run(
            s, blobs, ws.id, name, [], actor="bench", max_payload_bytes=10**6, max_file_bytes=10**6
        )
        seed = s.query(WorkItem).filter(WorkItem.process_run_id == run.id).one()
        rows: list[dict[str, Any]] = []
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
        opened = steps.open_step_run(s, run.id, 1, actor="bench")
        return steps.start_step_run(s, opened.id, actor="bench").step_run_id


def _service_cycles(factory: Any, step_run_id: str, n: int) -> list[float]:
    from controlroom.services import queue

    times = []
    for _ in range(n):
        started = time.perf_counter()
        with transaction(factory) as s:
            item = queue.reserve_next(s, step_run_id, actor="bench")
            assert item is not None, "queue ran dry: raise --service-small/big or lower cycles"
            queue.release(s, step_run_id, item.id, "COMPLETED", actor="bench")
        times.append((time.perf_counter() - started) * 1000)
    return times


def _service_report(label: str, times: list[float]) -> float:
    mean = statistics.fmean(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"  {label:<34} mean {mean:6.2f} ms  p95 {p95:6.2f} ms per reserve+release")
    return mean


def service_level(url: str, folder: Path, small: int, big: int, cycles: int) -> None:
    from controlroom.files import BlobStore

    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    blobs = BlobStore(folder / "service-files")
    try:
        print(f"{engine.dialect.name}, service level (no HTTP), reservation vs queue size:")
        fill = time.perf_counter()
        small_run = _service_queue(factory, blobs, small, 0)
        big_run = _service_queue(factory, blobs, big, big)
        print(f"  filled {small + 2 * big:,} items in {time.perf_counter() - fill:.1f} s")
        fresh_statistics(engine)
        _service_cycles(factory, small_run, 20)  # warm caches and the connection pool
        small_times: list[float] = []
        big_times: list[float] = []
        block = max(cycles // 10, 1)
        for _ in range(0, cycles, block):
            small_times += _service_cycles(factory, small_run, block)
            big_times += _service_cycles(factory, big_run, block)
        base = _service_report(f"{small:,} pending (baseline)", small_times)
        grown = _service_report(f"{big:,} pending + {big:,} completed", big_times)
        print(f"  ratio big/small: {grown / base:.2f}")
    finally:
        engine.dispose()


def check(url: str, base: str, ws: str, api_token: str, n_items: int) -> None:
    clients = new_run(url, base, ws, api_token, n_items, 16)
    run_id = clients[0].url.split("/runs/")[1].split("/")[0]
    r = run_clients(clients, 0, drain=True)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        rows = s.execute(
            select(WorkItem.id, WorkItem.state, WorkItem.attempts).where(
                WorkItem.process_run_id == run_id
            )
        ).all()
    engine.dispose()
    ids = {row[0] for row in rows}
    dupes = len(r.reserved) - len(set(r.reserved))
    lost = ids - set(r.reserved)
    not_done = [row for row in rows if row[1] != "COMPLETED" or row[2] != 1]
    print(
        f"  correctness: 16 clients drained {len(ids):,} items in {r.seconds:.1f} s: "
        f"{dupes} reserved twice, {len(lost)} lost, {len(not_done)} not COMPLETED once"
    )
    # The run also holds the one default item the start-run API adds to an empty request.
    if dupes or lost or not_done or len(ids) < n_items:
        raise SystemExit("correctness check FAILED")
    print("  correctness: OK")


def ceiling(folder: Path, args: argparse.Namespace) -> Result:
    """The HTTP stack alone (same server processes, same clients, no database); returns
    the 16 clients' result."""
    url = f"sqlite:///{folder / 'ceiling.db'}"
    with server(url, folder, args.server_workers, "bench_queue:ceiling_app") as (base, meters):
        print(
            f"HTTP ceiling: the same routes with no database, {args.server_workers} server "
            "process(es)"
        )
        first: Result | None = None
        for n in (1, 16):
            clients = [Client(f"{base}/ceiling/", "-", None)] * n
            r = run_clients(clients, args.duration, meters=meters)
            first = first or r
            print(line(f"{n:>2} client(s), no database", r, first), flush=True)
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument("--pg", default=os.environ.get("CLERK_TEST_DATABASE_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--server-workers", type=int, default=SERVER_WORKERS, help="default: one per core"
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--items", type=int, default=50_000, help="queue per configuration")
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--check-items", type=int, default=20_000)
    parser.add_argument("--service-small", type=int, default=1000)
    parser.add_argument("--service-big", type=int, default=100_000)
    parser.add_argument("--service-cycles", type=int, default=300)
    args = parser.parse_args()
    if args.quick:
        args.duration, args.items, args.big, args.check_items = 2.0, 5_000, 20_000, 1_000
        args.service_big, args.service_cycles = 10_000, 100
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        ceiling(Path(tmp), args)
        if not args.no_sqlite:
            folder = Path(tmp) / "sqlite"
            folder.mkdir()
            with sqlite_database(folder) as url:
                bench_backend("sqlite", url, folder, args)
        if args.pg:
            folder = Path(tmp) / "pg"
            folder.mkdir()
            with pg_database(args.pg) as url:
                bench_backend("postgresql", url, folder, args)
        else:
            print("postgresql: skipped (pass --pg URL or set CLERK_TEST_DATABASE_URL)")


if __name__ == "__main__":
    main()
