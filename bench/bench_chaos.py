"""Chaos: a two-step process under robot kills, Control Room kills, a network cut and a
PostgreSQL restart; counts the lost items and the duplicated outputs (each must be 0).

    .venv/bin/python bench/bench_chaos.py [--quick] [--items 1000] [--backend sqlite|postgres|both]
                                         [--kills 20] [--long-outage 60] [--cut 30]
                                         [--erp 40] [--erp-kills 6] [--keep]

Run as root (the network cut needs ``ip netns``); without the permission it says why and
cuts the worker off by SIGSTOPping it instead (``--no-netns`` forces that).

What runs, per database:

- a real Control Room (uvicorn, the product's app factory) listening on the host end of a
  veth pair (``127.16.<k>.1``, loopback range: the bench adds a /32 route for the peer to
  the ``local`` table and sets ``route_localnet`` on both ends, nothing else changes);
- two ``clerk worker`` processes (concurrency 2): one inside a network namespace the bench
  makes (``127.16.<k>.2`` on the other end of the veth), one on the host;
- the ``crashy`` test robot (``tests/integration/controlroom/robots/crashy``, stock
  robocorp.workitems only) as a two-step process: ``Process`` makes one output per input
  and appends to ``ledger.txt``; ``Collect`` appends the output's parent to
  ``collected.txt``.

Faults, injected as the run progresses (the fraction of inputs whose output is done):

- ``--kills`` SIGKILLs of robots in the middle of an item: three quarters on step 1 right
  after it made the item's output and before it released the input (``hang-on-<n>``
  flags: the dangerous moment of issue 16 item 1), the rest at a random moment of a
  running step-2 robot;
- the Control Room SIGKILLed and restarted after 3 s, and again after ``--long-outage`` s;
- the network namespace's link set down for ``--cut`` s (longer than the worker timeout,
  so the Control Room judges the worker silent and requeues its items), then up again;
- on PostgreSQL, a private server (``initdb`` + ``pg_ctl`` on a free port, not the shared
  one) stopped with ``-m immediate`` under load and started again after 3 s.

Counts, from the database once the run has ended:

- lost: inputs not COMPLETED, or without a COMPLETED step-2 output;
- duplicated outputs: step-2 items beyond the first per input;
- duplicate ERP records: after the crashy phase, a smaller run through the real Enter
  ERP and Publish CMS robots (``--erp`` invoices, sandbox ERP, Debian's chromium) with
  ``--erp-kills`` SIGKILLs of Enter ERP robots 2-5 s into their life (mid-entry); ERP
  documents per work item, counted from the sandbox's ledger (the bot notes the item id
  in each document), beyond the first.

Also printed: step-2 side effects repeated (``collected.txt`` lines beyond one per
input: a robot killed after its side effect and before its release does it again on the
retry, which at-least-once delivery allows; not counted as a duplicate), items/s and
every fault injected.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from clerk.serving import free_port
from controlroom._db_types import utcnow
from controlroom.db import make_engine, make_sessionmaker, transaction, upgrade
from controlroom.models import ProcessRun, StepRun, Worker, WorkItem

ROOT = Path(__file__).resolve().parent.parent
ROBOT = ROOT / "tests" / "integration" / "controlroom" / "robots" / "crashy"
PROCESS = "chaos"
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


@dataclass(frozen=True)
class Config:
    items: int
    kills: int
    short_outage: float
    long_outage: float
    cut: float
    pg_down: float
    heartbeat: float
    worker_timeout: float
    item_seconds: float  # the step-1 robot's "work" per item (CRASHY_SECONDS)
    erp_items: int
    erp_kills: int
    netns: bool
    timeout: float


@dataclass
class Outcome:
    backend: str
    items: int = 0
    seconds: float = 0.0
    lost: int = 0
    duplicated_outputs: int = 0
    duplicate_erp_records: int | None = None  # None: no ERP phase ran
    erp_items: int = 0
    erp_lost: int = 0
    erp_seconds: float = 0.0
    side_effects_repeated: int = 0
    faults: list[str] = field(default_factory=list)
    run_state: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


def _wait(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------- a network namespace


class Network:
    """A namespace with one end of a veth pair, loopback-range addresses on both ends."""

    def __init__(self, tag: int) -> None:
        self.name = f"clerkchaos{os.getpid()}"
        self.host_if = f"cch{os.getpid() % 100000}"
        self.ns_if = f"ccw{os.getpid() % 100000}"
        self.host_ip = f"127.16.{tag}.1"
        self.ns_ip = f"127.16.{tag}.2"

    @staticmethod
    def _ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, text=True)

    def up(self) -> None:
        self._ip("netns", "add", self.name)
        try:
            self._ip("link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if)
            self._ip("link", "set", self.ns_if, "netns", self.name)
            Path(f"/proc/sys/net/ipv4/conf/{self.host_if}/route_localnet").write_text("1")
            self._ip("addr", "add", f"{self.host_ip}/30", "dev", self.host_if)
            self._ip("link", "set", self.host_if, "up")
            # 127.0.0.0/8 is "local" on lo: without this /32 the replies to the peer
            # would be delivered to this host instead of going out through the veth.
            self._ip("route", "add", f"{self.ns_ip}/32", "dev", self.host_if, "table", "local")
            inside = (
                f"echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet && "
                f"echo 1 > /proc/sys/net/ipv4/conf/{self.ns_if}/route_localnet && "
                f"ip addr add {self.ns_ip}/30 dev {self.ns_if} && "
                f"ip link set {self.ns_if} up"
            )
            self._ip("netns", "exec", self.name, "sh", "-c", inside)
        except BaseException:
            self.down()
            raise

    def down(self) -> None:
        # Deleting the namespace deletes its veth end, and with it the pair and the route.
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        subprocess.run(["ip", "link", "del", self.host_if], capture_output=True)

    def cut(self) -> None:
        self._ip("link", "set", self.host_if, "down")

    def restore(self) -> None:
        self._ip("link", "set", self.host_if, "up")

    def prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.name]


def netns_unavailable() -> str | None:
    """Why a network namespace cannot be made here, or None."""
    if os.geteuid() != 0:
        return "not root: ip netns needs CAP_SYS_ADMIN and CAP_NET_ADMIN"
    if shutil.which("ip") is None:
        return "no `ip` command (iproute2)"
    probe = f"clerkprobe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    if made.returncode != 0:
        return f"`ip netns add` failed: {made.stderr.strip()}"
    return None


# ---------------------------------------------------------------- a private PostgreSQL


class PrivatePostgres:
    """An ``initdb`` cluster of its own on a free port, owned by ``postgres``."""

    def __init__(self, folder: Path) -> None:
        if not PG_BIN:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = PG_BIN[-1]
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/clerk_chaos"

    def _as_postgres(self, *argv: str) -> None:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.start()
        self._as_postgres("createdb", "-h", "127.0.0.1", "-p", str(self.port), "clerk_chaos")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            f"-c max_connections=100 -c fsync=on"
        )
        self._as_postgres(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "pg.log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        with suppress(subprocess.CalledProcessError):
            self._as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


# ---------------------------------------------------------------- the system under test


@dataclass
class System:
    root: Path
    db_url: str
    host: str
    port: int
    env: dict[str, str]
    worker_tokens: list[str]
    api_token: str
    network: Network | None
    server: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    restored_at: datetime | None = None  # when the cut-off worker's link came back
    prefix: str = "chaos"  # worker names: <prefix>-<index>

    def dead_worker(self) -> str | None:
        for index, worker in enumerate(self.workers):
            if worker.poll() is not None:
                return f"worker {self.prefix}-{index} exited with {worker.returncode}"
        return None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start_server(self) -> None:
        with (self.root / "server.log").open("ab") as out:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "controlroom.api:create_app",
                 "--host", self.host, "--port", str(self.port), "--log-level", "warning"],
                env=self.env, stdout=subprocess.DEVNULL, stderr=out,
            )  # fmt: skip
        _wait(self._up, 60, "the Control Room to start")

    def _up(self) -> bool:
        try:
            return httpx.get(f"{self.url}/openapi.json", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def kill_server(self) -> None:
        assert self.server is not None
        self.server.kill()
        self.server.wait(timeout=30)

    def start_workers(self) -> None:
        for index, token in enumerate(self.worker_tokens):
            prefix = self.network.prefix() if (self.network and index == 0) else []
            (self.root / f"token-{index}").write_text(token)
            argv = [
                *prefix, sys.executable, "-c", "from clerk_app.cli import main; main()", "worker",
                "--controlroom", self.url, "--token-file", str(self.root / f"token-{index}"),
                "--concurrency", "2", "--name", f"{self.prefix}-{index}", "--poll", "0.2",
                "--grace", "2", "--work-dir", str(self.root / f"work-{index}"),
            ]  # fmt: skip
            with (self.root / f"worker-{index}.log").open("ab") as out:
                self.workers.append(
                    subprocess.Popen(argv, env=self.env, stdout=subprocess.DEVNULL, stderr=out)
                )

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                with suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGCONT)  # in case it was SIGSTOPped
                worker.terminate()
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        for pid in robot_pids(self.root / "crashy"):  # robots whose worker was killed
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()


def robot_pids(crashy_dir: Path, task: str | None = None, marker: str = "") -> list[int]:
    """The pids of running robots of this bench (their environment names our folder)."""
    found = []
    wanted = (marker or f"CRASHY_DIR={crashy_dir}").encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"robocorp.tasks" not in argv:
                continue
            if task is not None and task.encode() not in argv:
                continue
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def marked_pids(marker: str) -> list[int]:
    """Every process whose environment holds ``marker`` (robots and their browsers)."""
    wanted = marker.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with suppress(FileNotFoundError, ProcessLookupError, PermissionError):
                if wanted in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
    return found


def prepare(db_url: str) -> tuple[list[str], str]:
    from controlroom.services import tokens
    from controlroom.services.processes import (
        RetryPolicy,
        StepSpec,
        create_process,
        ensure_workspace,
    )
    from controlroom.states import TokenKind

    upgrade(db_url)
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as s:
        ws = ensure_workspace(s, "default")
        # A handful of kills may hit one item: give it room; APPLICATION retries at once.
        retry = RetryPolicy(max_attempts=8, backoff_seconds=0)
        steps = [StepSpec(str(ROBOT), task, retry=retry) for task in ("Process", "Collect")]
        create_process(s, ws.id, PROCESS, steps, actor="bench")
        worker_tokens = [
            tokens.create(s, ws.id, TokenKind.WORKER, name=f"chaos-{i}", actor="bench")[1]
            for i in range(2)
        ]
        _, api_token = tokens.create(s, ws.id, TokenKind.API, name="chaos", actor="bench")
    engine.dispose()
    return worker_tokens, api_token


# ---------------------------------------------------------------- the faults


class Killer(threading.Thread):
    """Kills every robot that reports a hang (``hanging-<n>.pid``) at once."""

    def __init__(self, crashy: Path, faults: list[str]) -> None:
        super().__init__(daemon=True)
        self.crashy = crashy
        self.faults = faults
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            for flag in self.crashy.glob("hanging-*.pid"):
                with suppress(FileNotFoundError, ValueError):
                    pid = int(flag.read_text())
                    flag.unlink()
                    with suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                        n = flag.stem.split("-", 1)[1]
                        self.faults.append(f"SIGKILL step-1 robot {pid} on item n={n}")
            self.halt.wait(0.05)


def worker_busy(system: System, name: str, timeout: float = 30) -> str:
    """Wait until worker ``name`` runs a step run (a cut of an idle worker tests little)."""
    engine = make_engine(system.db_url)
    try:

        def running() -> bool:
            with engine.connect() as c:
                return bool(
                    c.scalar(
                        select(func.count())
                        .select_from(StepRun)
                        .join(Worker, Worker.id == StepRun.worker_id)
                        .where(Worker.name == name, StepRun.state == "RUNNING")
                    )
                )

        try:
            _wait(running, timeout, f"{name} to run a step run")
        except TimeoutError:
            return f"{name} idle after {timeout:.0f} s of waiting"
        return f"{name} running a robot"
    finally:
        engine.dispose()


def rejoined(sessions: Any, name: str, since: datetime) -> bool:
    with sessions() as s:
        beat = s.scalar(select(Worker.last_heartbeat_at).where(Worker.name == name))
    return beat is not None and beat > since


def progress(sessions: Any, run_id: str) -> tuple[int, str | None]:
    """(step-2 items COMPLETED, the run's end state or None); (-1, None) if the database
    cannot be read just now."""
    try:
        with sessions() as s:
            done = s.scalar(
                select(func.count())
                .select_from(WorkItem)
                .where(
                    WorkItem.process_run_id == run_id,
                    WorkItem.parent_id.is_not(None),
                    WorkItem.state == "COMPLETED",
                )
            )
            state = s.get_one(ProcessRun, run_id).state
    except OperationalError:
        return -1, None
    return int(done or 0), (state if state in ("COMPLETED", "FAILED", "CANCELLED") else None)


def count(sessions: Any, run_id: str, crashy: Path, outcome: Outcome) -> None:
    with sessions() as s:
        items = s.execute(
            select(WorkItem.id, WorkItem.parent_id, WorkItem.state).where(
                WorkItem.process_run_id == run_id
            )
        ).all()
        outcome.run_state = s.get_one(ProcessRun, run_id).state
    inputs = {i.id: i.state for i in items if i.parent_id is None}
    outputs = Counter(i.parent_id for i in items if i.parent_id is not None)
    completed = {i.parent_id for i in items if i.parent_id is not None and i.state == "COMPLETED"}
    outcome.lost = sum(
        1 for id_, state in inputs.items() if state != "COMPLETED" or id_ not in completed
    )
    outcome.duplicated_outputs = sum(c - 1 for c in outputs.values() if c > 1)
    strays = set(outputs) - set(inputs)
    if strays:
        outcome.problems.append(f"{len(strays)} outputs of unknown parents")
    collected_file = crashy / "collected.txt"
    lines = collected_file.read_text().splitlines() if collected_file.exists() else []
    collected = Counter(line.split()[0] for line in lines)
    outcome.side_effects_repeated = sum(c - 1 for c in collected.values() if c > 1)
    missing = set(inputs) - set(collected)
    if missing:
        outcome.problems.append(f"{len(missing)} inputs never reached step 2's robot")


def chaos(backend: str, config: Config, folder: Path) -> Outcome:
    outcome = Outcome(backend)
    faults = outcome.faults
    tag = random.randint(1, 250)
    network: Network | None = None
    pg: PrivatePostgres | None = None
    system: System | None = None
    killer: Killer | None = None
    engine = None
    try:
        if backend == "postgres":
            pg = PrivatePostgres(folder / "pg")
            pg.init()
            db_url = pg.url
        else:
            db_url = f"sqlite:///{folder / 'controlroom.db'}"
        worker_tokens, api_token = prepare(db_url)
        if config.netns:
            network = Network(tag)
            network.up()
        crashy = folder / "crashy"
        crashy.mkdir()
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(ROOT),
            "CLERK_HOME": str(folder / "home"),
            "CLERK_DATABASE_URL": db_url,
            "CLERK_FILES_DIR": str(folder / "files"),
            "CLERK_SIGNING_KEY": "chaos-signing-key",
            "CLERK_MAX_RUN_ITEMS": str(max(1000, config.items)),
            "CLERK_SCHEDULER_INTERVAL": "0.5",
            "CLERK_WORKER_HEARTBEAT_SECONDS": str(config.heartbeat),
            "CLERK_WORKER_TIMEOUT_SECONDS": str(config.worker_timeout),
            "CRASHY_DIR": str(crashy),
            "CRASHY_PYTHON": sys.executable,
            "CRASHY_SECONDS": str(config.item_seconds),
        }
        host = network.host_ip if network else "127.0.0.1"
        system = System(folder, db_url, host, free_port(), env, worker_tokens, api_token, network)
        system.start_server()
        system.start_workers()
        engine = make_engine(db_url)
        sessions = make_sessionmaker(engine)

        n = config.items
        step1_kills = config.kills - config.kills // 4
        step2_kills = config.kills // 4
        for k in range(step1_kills):  # spread over 5%..85% of the items
            (crashy / f"hang-on-{int(n * (0.05 + 0.8 * k / max(1, step1_kills)))}").touch()
        killer = Killer(crashy, faults)
        killer.start()

        started = time.monotonic()
        reply = httpx.post(
            f"{system.url}/api/v1/processes/{PROCESS}/runs",
            json={"items": [{"payload": {"n": i, "emit": True}} for i in range(n)]},
            headers={"Authorization": f"Bearer {api_token}"},
            timeout=120,
        )
        reply.raise_for_status()
        run_id = str(reply.json()["id"])
        log(f"{backend}: run {run_id} started with {n} items")

        plan: list[tuple[float, str]] = [
            (0.08, "cr-short"),
            (0.15, "cut"),
            (0.30, "cr-long"),
            *[(0.1 + 0.6 * k / max(1, step2_kills), "kill-step2") for k in range(step2_kills)],
        ]
        if pg is not None:
            plan.append((0.40, "pg"))
        plan.sort()
        deadline = started + config.timeout
        end_state: str | None = None
        while time.monotonic() < deadline:
            done, end_state = progress(sessions, run_id)
            if end_state is not None:
                break
            if dead := system.dead_worker():
                outcome.problems.append(dead)
                break
            if plan and done >= plan[0][0] * n:
                at, fault = plan.pop(0)
                if not inject(fault, system, pg, config, faults, crashy, done):
                    # Nothing to hit this time (a robot ended first): try again at once,
                    # not some items later, or a short run ends before the fault lands.
                    plan.append((at, fault))
                    plan.sort()
            time.sleep(0.2)
        outcome.seconds = time.monotonic() - started
        if end_state is None:
            outcome.problems.append(f"the run did not end within {config.timeout:.0f} s")
        for _, fault in plan:
            outcome.problems.append(f"fault not injected (run ended first): {fault}")
        killer.halt.set()
        if system.restored_at is not None:
            since = system.restored_at
            try:  # its heartbeat retries back off up to 15 s
                _wait(lambda: rejoined(sessions, "chaos-0", since), 30, "chaos-0 to heartbeat")
            except TimeoutError:
                outcome.problems.append("the cut-off worker did not heartbeat again in 30 s")
        count(sessions, run_id, crashy, outcome)
        outcome.items = n
        system.stop()
        if config.erp_items:
            (folder / "erp").mkdir()
            erp_phase(outcome, config, folder / "erp", db_url)
    finally:
        if killer is not None:
            killer.halt.set()
        if system is not None:
            system.stop()
        if engine is not None:
            engine.dispose()
        if network is not None:
            network.down()
        if pg is not None:
            pg.stop()
    return outcome


# ---------------------------------------------------------------- the Enter ERP phase


def erp_phase(outcome: Outcome, config: Config, folder: Path, db_url: str) -> None:
    """The real Enter ERP and Publish CMS robots over ``config.erp_items`` invoices, the
    sandbox ERP, chromium, and ``config.erp_kills`` SIGKILLs of Enter ERP robots at
    random moments; counts the ERP documents per work item (the bot's note names it)."""
    from clerk.paths import PROJECT_ROOT, models_dir
    from controlroom.services import tokens
    from controlroom.services.processes import RetryPolicy, StepSpec, create_process
    from controlroom.states import TokenKind
    from robots import credentials
    from sandbox.faults import read_ledger
    from sandbox.server import Sandbox
    from sandbox.settings import SandboxSettings
    from tests.unit.robots.ground_truth import payload_of_truth

    admin, password = "chaos-admin", "chaos-robot-pass"
    sandbox = Sandbox.start(
        SandboxSettings(erp_db=folder / "erp.sqlite3", cms_db=folder / "cms.sqlite3",
                        admin_token=admin, password=password),
        free_ports=True,
    )  # fmt: skip
    home = folder / "erp-home"
    robot_env = {
        "CLERK_HOME": str(home),
        "CLERK_ERP_URL": sandbox.erp.url,
        "CLERK_CMS_URL": sandbox.cms.url,
        "CLERK_VAULT_FILE": str(home / "vault.cfg"),
        "CLERK_VAULT_KEY": "chaos-vault-key-0123456789",
        "CLERK_BOT_ARTIFACTS_DIR": str(home / "artifacts"),
        "CLERK_BOT_TIMEOUT_MS": "15000",
        "CLERK_MODELS_DIR": str(models_dir()),
        "OMP_THREAD_LIMIT": "1",
    }
    saved = {k: os.environ.get(k) for k in robot_env}
    os.environ.update(robot_env)
    try:
        for system_name in ("ERP", "CMS"):
            credentials.store(system_name, "robot", password)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        credentials.forget()
    upgrade(db_url)
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as s:
        from controlroom.services.processes import ensure_workspace

        ws = ensure_workspace(s, "default")
        retry = RetryPolicy(max_attempts=8, backoff_seconds=0)
        steps = [StepSpec(str(PROJECT_ROOT), t, retry=retry) for t in ("Enter ERP", "Publish CMS")]
        create_process(s, ws.id, "erp-chaos", steps, actor="bench")
        _, worker_token = tokens.create(s, ws.id, TokenKind.WORKER, name="erp", actor="bench")
        _, api_token = tokens.create(s, ws.id, TokenKind.API, name="erp", actor="bench")
    sessions = make_sessionmaker(engine)
    env = {
        **os.environ,
        **robot_env,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "CLERK_DATABASE_URL": db_url,
        "CLERK_FILES_DIR": str(folder / "erp-files"),
        "CLERK_SIGNING_KEY": "chaos-signing-key",
        "CLERK_SCHEDULER_INTERVAL": "0.5",
        "CLERK_WORKER_HEARTBEAT_SECONDS": str(config.heartbeat),
        "CLERK_WORKER_TIMEOUT_SECONDS": str(config.worker_timeout),
    }
    system = System(
        folder,
        db_url,
        "127.0.0.1",
        free_port(),
        env,
        [worker_token],
        api_token,
        None,
        prefix="erp",
    )
    marker = f"CLERK_HOME={home}"
    try:
        system.start_server()
        system.start_workers()
        n = config.erp_items
        payloads = [
            payload_of_truth("invoice_en.pdf", invoice_number=f"CHAOS-{i:05d}") for i in range(n)
        ]
        started = time.monotonic()
        reply = httpx.post(
            f"{system.url}/api/v1/processes/erp-chaos/runs",
            json={"items": [{"payload": p} for p in payloads]},
            headers={"Authorization": f"Bearer {api_token}"},
            timeout=120,
        )
        reply.raise_for_status()
        run_id = str(reply.json()["id"])
        log(f"erp: run {run_id} started with {n} invoices")
        kills = 0
        first_seen: dict[int, float] = {}
        killed: set[int] = set()
        age = random.uniform(2, 5)  # seconds into a robot's life: mid-entry, not at start
        end_state = None
        deadline = started + config.timeout
        while time.monotonic() < deadline:
            _, end_state = progress(sessions, run_id)
            if end_state is not None:
                break
            if dead := system.dead_worker():
                outcome.problems.append(dead)
                break
            now = time.monotonic()
            for pid in robot_pids(folder, "enter_erp", marker) if kills < config.erp_kills else []:
                if pid in killed:  # still exiting (its browser going down): not again
                    continue
                if now - first_seen.setdefault(pid, now) >= age:
                    killed.add(pid)
                    with suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                        kills += 1
                        outcome.faults.append(
                            f"SIGKILL Enter ERP robot {pid}, {age:.1f} s into its life"
                        )
                    age = random.uniform(2, 5)
                    break
            time.sleep(0.1)
        outcome.erp_seconds = time.monotonic() - started
        if end_state is None:
            outcome.problems.append(f"the ERP run did not end within {config.timeout:.0f} s")
        if kills < config.erp_kills:
            outcome.problems.append(f"only {kills} of {config.erp_kills} Enter ERP kills")
        with sessions() as s:
            rows = s.execute(
                select(WorkItem.id, WorkItem.parent_id, WorkItem.state).where(
                    WorkItem.process_run_id == run_id
                )
            ).all()
        inputs = {r.id: r.state for r in rows if r.parent_id is None}
        done = {r.parent_id for r in rows if r.parent_id is not None and r.state == "COMPLETED"}
        outputs = Counter(r.parent_id for r in rows if r.parent_id is not None)
        ledger = read_ledger(sandbox.erp.url, admin)["invoices"]
        entered = Counter(
            d["note"].removeprefix("clerk item ") for d in ledger if d["note"] in
            {f"clerk item {i}" for i in inputs}
        )  # fmt: skip
        outcome.erp_items = n
        outcome.duplicate_erp_records = sum(c - 1 for c in entered.values() if c > 1)
        outcome.erp_lost = sum(
            1 for i, st in inputs.items() if st != "COMPLETED" or i not in done or i not in entered
        )
        outcome.lost += outcome.erp_lost
        outcome.duplicated_outputs += sum(c - 1 for c in outputs.values() if c > 1)
    finally:
        system.stop()
        for pid in marked_pids(marker):  # a killed robot's browser, if any outlived it
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        engine.dispose()
        sandbox.stop()


def inject(
    fault: str,
    system: System,
    pg: PrivatePostgres | None,
    config: Config,
    faults: list[str],
    crashy: Path,
    done: int,
) -> bool:
    """Inject ``fault``; False if there was nothing to inject it into."""
    at = f"at {done} done"
    if fault in ("cr-short", "cr-long"):
        down = config.short_outage if fault == "cr-short" else config.long_outage
        log(f"SIGKILL the Control Room, down {down:.0f} s ({at})")
        system.kill_server()
        time.sleep(down)
        system.start_server()
        faults.append(f"Control Room SIGKILLed, restarted after {down:.0f} s ({at})")
    elif fault == "cut":
        busy = worker_busy(system, "chaos-0")
        if system.network is not None:
            log(f"cut the namespaced worker's link for {config.cut:.0f} s ({at}, {busy})")
            system.network.cut()
            time.sleep(config.cut)
            system.network.restore()
            system.restored_at = utcnow()
            faults.append(f"netns worker's veth down for {config.cut:.0f} s ({at}, {busy})")
        else:
            log(f"SIGSTOP worker 0 for {config.cut:.0f} s ({at}, {busy})")
            pid = system.workers[0].pid
            os.kill(pid, signal.SIGSTOP)
            time.sleep(config.cut)
            os.kill(pid, signal.SIGCONT)
            system.restored_at = utcnow()
            faults.append(f"worker 0 SIGSTOPped for {config.cut:.0f} s, no netns ({at}, {busy})")
    elif fault == "kill-step2":
        pids = robot_pids(crashy, "collect")
        if not pids:
            with suppress(TimeoutError):
                pids = _wait(lambda: robot_pids(crashy, "collect"), 10, "a step-2 robot")
        if not pids:
            return False
        time.sleep(random.uniform(0.0, 0.5))
        try:
            os.kill(pids[0], signal.SIGKILL)
        except ProcessLookupError:
            return False
        faults.append(f"SIGKILL step-2 robot {pids[0]} at a random moment ({at})")
    elif fault == "pg" and pg is not None:
        log(f"PostgreSQL stopped (-m immediate), down {config.pg_down:.0f} s ({at})")
        pg.stop("immediate")
        time.sleep(config.pg_down)
        pg.start()
        faults.append(f"PostgreSQL stopped -m immediate, restarted after {config.pg_down:.0f} s")
    return True


def report(outcome: Outcome, config: Config) -> None:
    kinds = Counter(f.split(" ", 3)[0] + " " + f.split(" ", 3)[1] for f in outcome.faults)
    print(f"\n== {outcome.backend}: {outcome.items} items, two steps, run {outcome.run_state}")
    print(f"   time {outcome.seconds:.1f} s, {outcome.rate:.2f} items/s (faults included)")
    print(f"   faults injected: {len(outcome.faults)}  ({dict(kinds)})")
    for fault in outcome.faults:
        print(f"     - {fault}")
    print(f"   lost items:              {outcome.lost}")
    print(f"   duplicated outputs:      {outcome.duplicated_outputs}")
    if outcome.duplicate_erp_records is None:
        print("   duplicate ERP records:   not measured (no Enter ERP phase: --erp 0)")
    else:
        print(
            f"   duplicate ERP records:   {outcome.duplicate_erp_records}  (Enter ERP phase: "
            f"{outcome.erp_items} invoices, {outcome.erp_lost} lost, {outcome.erp_seconds:.1f} s)"
        )
    print(
        f"   step-2 side effects repeated (at-least-once, not a duplicate): "
        f"{outcome.side_effects_repeated}"
    )
    for problem in outcome.problems:
        print(f"   PROBLEM: {problem}")


def config_from(args: argparse.Namespace, netns: bool) -> Config:
    if args.quick:
        return Config(
            items=args.items or 60,
            kills=args.kills if args.kills is not None else 4,
            short_outage=2,
            long_outage=args.long_outage or 6,
            cut=args.cut or 5,
            pg_down=2,
            heartbeat=0.5,
            worker_timeout=3,
            item_seconds=0.2,
            erp_items=args.erp if args.erp is not None else 0,
            erp_kills=args.erp_kills if args.erp_kills is not None else 2,
            netns=netns,
            timeout=args.timeout or 150,
        )
    return Config(
        items=args.items or 1000,
        kills=args.kills if args.kills is not None else 20,
        short_outage=3,
        long_outage=args.long_outage or 60,
        cut=args.cut or 30,
        pg_down=3,
        heartbeat=1,
        worker_timeout=10,
        item_seconds=0.0,
        erp_items=args.erp if args.erp is not None else 40,
        erp_kills=args.erp_kills if args.erp_kills is not None else 6,
        netns=netns,
        timeout=args.timeout or 3600,
    )


@contextmanager
def scratch(keep: bool) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="bench-chaos-"))
    os.chmod(folder, 0o755)  # the private PostgreSQL (user postgres) lives below it
    try:
        yield folder
    finally:
        if keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few dozen items, short outages")
    parser.add_argument("--items", type=int)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--kills", type=int)
    parser.add_argument("--long-outage", type=float, help="seconds (60; --quick 6)")
    parser.add_argument("--cut", type=float, help="seconds the worker is cut off (30; --quick 6)")
    parser.add_argument("--erp", type=int, help="invoices through Enter ERP (40; --quick 0)")
    parser.add_argument("--erp-kills", type=int, help="Enter ERP robot kills (6; --quick 2)")
    parser.add_argument("--timeout", type=float, help="seconds a run may take")
    parser.add_argument("--no-netns", action="store_true", help="SIGSTOP instead of a cut")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    why = "--no-netns given" if args.no_netns else netns_unavailable()
    if why:
        print(f"no network namespace ({why}): the cut is a SIGSTOP of the worker instead")
    config = config_from(args, netns=why is None)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        with scratch(args.keep) as folder:
            outcome = chaos(backend, config, folder)
        report(outcome, config)
        failed |= bool(
            outcome.lost
            or outcome.duplicated_outputs
            or outcome.duplicate_erp_records
            or outcome.problems
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
