"""The demo stack: a Control Room, the sandbox ERP/CMS and one worker on loopback, with
the "Document processing" process registered, in a folder of its own.

``DemoStack`` is shared by ``clerk demo``, the end-to-end tests and the benchmark. The
Control Room and the sandbox run in this process (uvicorn in threads, free ports); the
worker is a ``clerk worker`` subprocess in its own session, so a Ctrl-C reaches only
this process, which then stops the worker (SIGTERM: its robots get a grace period).

Every way this process is stopped ends the worker and its robots with it. While the
stack runs, SIGTERM (systemd, a container's stop) takes Ctrl-C's way: it raises
KeyboardInterrupt in the main thread, whose handlers call ``stop``. During ``stop``
another SIGINT or SIGTERM hurries the worker (its second signal stops its robots at
once) rather than cutting the stop short. If this process is killed outright, the kernel
sends the worker SIGTERM (``clerk.processes.die_with_parent``).

State lives under ``home`` (``clerk demo`` uses ``$CLERK_HOME/demo``): the Control
Room's SQLite database and files, the sandbox databases, the vendor master exported from
the sandbox ERP (``master/vendors.csv``, read by the understand robot), the credential
vault with the sandbox's demo-only credentials, the inbox and the worker's folders. The
model registry is the user's (``CLERK_MODELS_DIR``), never copied.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clerk.paths import PROJECT_ROOT, models_dir
from clerk.processes import die_with_parent, kill_leftovers, process_tree
from clerk.serving import ThreadedServer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from sandbox.server import Sandbox

PROCESS = "Document processing"
STEPS = ("Intake", "Understand", "Enter ERP", "Publish CMS")
# The robot that enters documents into each kind of ERP screen (``clerk demo --erp``).
ERP_STEPS = {"web": "Enter ERP", "desktop": "Enter ERP (desktop)"}


def steps_for(erp: str) -> tuple[str, ...]:
    """The main job's steps with the Enter ERP robot of ``erp`` ("web" or "desktop")."""
    if erp not in ERP_STEPS:
        raise ValueError(f"unknown ERP {erp!r}: use one of {', '.join(ERP_STEPS)}")
    return tuple(ERP_STEPS[erp] if step == "Enter ERP" else step for step in STEPS)


SAMPLES = PROJECT_ROOT / "samples" / "inbox"
FINAL_RUN_STATES = ("COMPLETED", "FAILED", "CANCELLED")


def _on_main_thread() -> bool:
    """Python signal handlers can only be set from, and only run in, the main thread."""
    return threading.current_thread() is threading.main_thread()


@dataclass
class DemoOptions:
    home: Path
    fresh: bool = True  # wipe ``home`` first
    concurrency: int = 2
    retry_backoff: float = 2.0  # seconds before an APPLICATION failure is retried
    max_attempts: int = 3
    extra_env: dict[str, str] = field(default_factory=dict)
    erp: str = "web"  # "desktop": the desktop ERP client (Enter ERP (desktop), under X)
    steps: tuple[str, ...] | None = None  # another process than the main job (tests)

    @property
    def process_steps(self) -> tuple[str, ...]:
        return self.steps or steps_for(self.erp)


@dataclass
class DemoStack:
    options: DemoOptions
    env: dict[str, str] = field(default_factory=dict)
    sandbox: Sandbox | None = None
    controlroom: ThreadedServer | None = None
    worker: subprocess.Popen[bytes] | None = None
    sessions: sessionmaker[Session] | None = None
    workspace_id: str = ""
    api_token: str = ""
    console_user: tuple[str, str] | None = None
    _engine: Any = None
    _sigterm_taken: bool = False  # by ``start``, until ``stop``
    _sigterm_before: Any = None  # the handler it had then

    @property
    def home(self) -> Path:
        return self.options.home

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def url(self) -> str:
        assert self.controlroom is not None
        return self.controlroom.url

    @property
    def admin_token(self) -> str:
        """The sandbox's admin token: faults and ledgers (tests, summary), never the bots."""
        return self.env["CLERK_SANDBOX_ADMIN_TOKEN"]

    @property
    def console_url(self) -> str:
        return f"{self.url}/console"

    def _claim_home(self) -> None:
        """Refuse a home another live demo is using (a fresh start would wipe it)."""
        pidfile = self.home / "demo.pid"
        try:
            other = int(pidfile.read_text())
        except (OSError, ValueError):
            return
        if other != os.getpid() and Path(f"/proc/{other}").exists():
            raise RuntimeError(
                f"another clerk demo (pid {other}) is using {self.home}; stop it (Ctrl-C in "
                "its terminal) or give this one its own folder with --home"
            )

    def prepare(self) -> None:
        """Fresh folders and the environment every part (and the robots) will see."""
        self._claim_home()
        if self.options.fresh and self.home.exists():
            shutil.rmtree(self.home)
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "demo.pid").write_text(str(os.getpid()))
        self.inbox.mkdir(exist_ok=True)
        models = str(models_dir())  # resolved before CLERK_HOME points at the demo
        self.env = {
            "CLERK_HOME": str(self.home),
            "CLERK_MODELS_DIR": models,
            "CLERK_DATABASE_URL": f"sqlite:///{self.home / 'controlroom' / 'controlroom.db'}",
            "CLERK_FILES_DIR": str(self.home / "controlroom" / "files"),
            "CLERK_INBOX_DIR": str(self.inbox),
            "CLERK_INTAKE_SETTLE_SECONDS": "0",
            "CLERK_SANDBOX_ADMIN_TOKEN": secrets.token_urlsafe(16),
            "CLERK_SANDBOX_ERP_DB": str(self.home / "sandbox" / "erp.sqlite3"),
            "CLERK_SANDBOX_CMS_DB": str(self.home / "sandbox" / "cms.sqlite3"),
            "CLERK_SANDBOX_PASSWORD": "demo-" + secrets.token_urlsafe(12),
            "CLERK_VAULT_KEY": secrets.token_urlsafe(32),
            "CLERK_SCHEDULER_INTERVAL": "0.3",
            "CLERK_WORKER_HEARTBEAT_SECONDS": "1",
            "CLERK_RETRY_BACKOFF_SECONDS": str(self.options.retry_backoff),
            "CLERK_RETRY_MAX_ATTEMPTS": str(self.options.max_attempts),
            "OMP_THREAD_LIMIT": "1",
            **self.options.extra_env,
        }
        os.environ.update(self.env)  # the in-process services read the same settings

    def start_sandbox(self) -> None:
        from sandbox.server import Sandbox
        from sandbox.settings import SandboxSettings

        (self.home / "sandbox").mkdir(exist_ok=True)
        self.sandbox = Sandbox.start(SandboxSettings(), free_ports=True)
        self.env["CLERK_ERP_URL"] = self.sandbox.erp.url
        self.env["CLERK_CMS_URL"] = self.sandbox.cms.url
        os.environ.update(CLERK_ERP_URL=self.sandbox.erp.url, CLERK_CMS_URL=self.sandbox.cms.url)

    def export_vendor_master(self) -> Path:
        """The ERP's vendor master as CSV, exported as an administrator exports master
        data for Clerk, and the understand robot pointed at it (``CLERK_VENDOR_MASTER``).

        It reads the vendors table of the ERP's database (read-only), never the entered
        documents: the robots learn who the vendors are, not what was booked."""
        import sqlite3

        from extractors.vendor_master import MasterVendor, write_vendor_master
        from sandbox.settings import SandboxSettings

        if "CLERK_VENDOR_MASTER" in self.options.extra_env:  # the caller's own master
            return Path(self.options.extra_env["CLERK_VENDOR_MASTER"])
        erp_db = SandboxSettings().erp_db_path()
        with closing(sqlite3.connect(f"{erp_db.as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT number, name, vat_id, iban FROM vendors ORDER BY number")
            vendors = [MasterVendor(*map(str, row)) for row in rows]
        path = self.home / "master" / "vendors.csv"
        write_vendor_master(path, vendors)
        self.env["CLERK_VENDOR_MASTER"] = str(path)
        os.environ["CLERK_VENDOR_MASTER"] = str(path)
        return path

    def store_credentials(self) -> None:
        """The sandbox's demo-only account, into the demo's own encrypted vault."""
        from robots.credentials import store
        from sandbox.settings import SandboxSettings

        sandbox = SandboxSettings()
        for system in ("ERP", "CMS"):
            store(system, sandbox.username, sandbox.password)

    def start_controlroom(self) -> None:
        from controlroom import db
        from controlroom.api import create_app
        from controlroom.services import tokens
        from controlroom.services.processes import ensure_workspace
        from controlroom.settings import ControlRoomSettings
        from controlroom.states import TokenKind

        settings = ControlRoomSettings()
        self._engine = db.make_engine(settings.database_url)
        self.controlroom = ThreadedServer(
            create_app(settings, engine=self._engine), name="Control Room", proxy_headers=False
        )
        self.controlroom.start()
        self.sessions = db.make_sessionmaker(self._engine)
        with db.transaction(self.sessions) as s:
            self.workspace_id = ensure_workspace(s, settings.workspace).id
            _, self.api_token = tokens.create(
                s, self.workspace_id, TokenKind.ADMIN, name="demo", actor="demo"
            )

    def register_process(self) -> None:
        from controlroom import db
        from controlroom.services.processes import RetryPolicy, StepSpec, create_process

        policy = RetryPolicy(
            max_attempts=self.options.max_attempts, backoff_seconds=self.options.retry_backoff
        )
        assert self.sessions is not None
        with db.transaction(self.sessions) as s:
            specs = [
                StepSpec(str(PROJECT_ROOT), step, retry=policy)
                for step in self.options.process_steps
            ]
            create_process(s, self.workspace_id, PROCESS, specs, actor="demo")

    def add_console_user(self) -> tuple[str, str]:
        from controlroom import db
        from controlroom.services.users import create_user

        password = secrets.token_urlsafe(12)
        assert self.sessions is not None
        with db.transaction(self.sessions) as s:
            create_user(s, "demo", password, "admin", actor="demo")
        self.console_user = ("demo", password)
        return self.console_user

    def start_worker(self) -> None:
        from controlroom import db
        from controlroom.services import tokens
        from controlroom.states import TokenKind

        assert self.sessions is not None
        with db.transaction(self.sessions) as s:
            _, secret = tokens.create(
                s, self.workspace_id, TokenKind.WORKER, name="demo-worker", actor="demo"
            )
        log = (self.home / "worker.log").open("ab")
        # die_with_parent: the worker gets SIGTERM when the thread starting it ends, so
        # the stack must be started from a thread that outlives it: ``clerk demo``, the
        # tests and the benchmark start it from the main thread, which ends with us.
        self.worker = subprocess.Popen(
            [sys.executable, "-c", "from clerk_app.cli import main; main()", "worker",
             "--controlroom", self.url, "--name", "demo-worker",
             "--concurrency", str(self.options.concurrency), "--poll", "0.3", "--grace", "5",
             "--work-dir", str(self.home / "worker"), "--robots-dir", str(PROJECT_ROOT)],
            env={**os.environ, **self.env, "CLERK_WORKER_TOKEN": secret},  # not in ps
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the terminal is ours to hand on
            preexec_fn=die_with_parent,
        )  # fmt: skip
        log.close()

    def drop_samples(self, source: Path = SAMPLES, duplicate: str | None = None) -> list[str]:
        """Copy the sample files into the inbox (plus, if named, a second copy of one
        under another name: intake must flag it DUPLICATE)."""
        names = []
        for path in sorted(source.iterdir()):
            if path.is_file():
                shutil.copy2(path, self.inbox / path.name)
                names.append(path.name)
        if duplicate:
            copy = Path(duplicate)
            target = f"{copy.stem} (resent){copy.suffix}"
            shutil.copy(source / duplicate, self.inbox / target)  # arrives later: newer mtime
            names.append(target)
        return names

    def start_run(self, payloads: list[dict[str, Any]] | None = None) -> str:
        from controlroom import db
        from controlroom.files import BlobStore
        from controlroom.services.runs import InputSpec, start_run
        from controlroom.settings import ControlRoomSettings

        settings = ControlRoomSettings()
        assert self.sessions is not None
        with db.transaction(self.sessions) as s:
            run = start_run(
                s, BlobStore(settings.files_dir), self.workspace_id, PROCESS,
                [InputSpec(p) for p in payloads or [{}]], actor="demo",
                max_payload_bytes=settings.max_payload_bytes,
                max_file_bytes=settings.max_file_bytes,
            )  # fmt: skip
            return str(run.id)

    def run_state(self, run_id: str) -> str:
        from controlroom.models import ProcessRun

        assert self.sessions is not None
        with self.sessions() as s:
            return str(s.get_one(ProcessRun, run_id).state)

    def interrupt_on_sigterm(self) -> None:
        """Until ``stop``: SIGTERM raises KeyboardInterrupt, as Ctrl-C's SIGINT does, so
        a service manager's stop takes the way out a Ctrl-C takes (``stop`` included)."""
        if _on_main_thread() and not self._sigterm_taken:
            self._sigterm_before = signal.signal(signal.SIGTERM, signal.default_int_handler)
            self._sigterm_taken = True

    @contextmanager
    def _signals_hurry_the_worker(self) -> Iterator[None]:
        """SIGINT and SIGTERM go to the worker, not to this process's stack: a second
        Ctrl-C while stopping must not leave the worker running."""
        if not _on_main_thread():
            yield
            return

        def hand_on(signum: int, _frame: Any) -> None:
            if self.worker is not None:
                self.worker.send_signal(signum)  # a no-op once it has ended

        before = {sig: signal.signal(sig, hand_on) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            if self._sigterm_taken:
                before[signal.SIGTERM] = self._sigterm_before
                self._sigterm_taken = False
            for sig, handler in before.items():  # None: not set from Python; the default
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)

    def start(self, console_user: bool = False) -> None:
        self.interrupt_on_sigterm()
        self.prepare()
        self.start_sandbox()
        self.export_vendor_master()
        self.store_credentials()
        self.start_controlroom()
        self.register_process()
        if console_user:
            self.add_console_user()
        self.start_worker()

    def stop(self) -> None:
        """Stop the worker (robots get their grace time), then the servers; then SIGTERM
        has its handler from before ``start`` back."""
        # The worker's process tree: whatever the orderly stop below misses ends at its end.
        started = process_tree(self.worker.pid) if self.worker is not None else []
        with self._signals_hurry_the_worker():
            if self.worker is not None and self.worker.poll() is None:
                self.worker.send_signal(signal.SIGTERM)
                try:
                    self.worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(self.worker.pid, signal.SIGKILL)
                    self.worker.wait(timeout=10)
            if self.controlroom is not None:
                self.controlroom.stop()
            if self._engine is not None:
                self._engine.dispose()
            if self.sandbox is not None:
                self.sandbox.stop()
            left = kill_leftovers(started)
            if left:
                print(f"killed {len(left)} process(es) left after the stop: {left}",
                      file=sys.stderr)  # fmt: skip
            pidfile = self.home / "demo.pid"
            if pidfile.exists() and pidfile.read_text() == str(os.getpid()):
                pidfile.unlink()


@contextmanager
def demo_stack(options: DemoOptions, console_user: bool = False) -> Iterator[DemoStack]:
    stack = DemoStack(options)
    try:
        stack.start(console_user)
        yield stack
    finally:
        stack.stop()


def wait_for_run(stack: DemoStack, run_id: str, timeout: float, poll: float = 0.5) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = stack.run_state(run_id)
        if state in FINAL_RUN_STATES:
            return state
        if stack.worker is not None and stack.worker.poll() is not None:
            raise RuntimeError(
                f"the worker exited with code {stack.worker.returncode}; "
                f"see {stack.home / 'worker.log'}"
            )
        time.sleep(poll)
    raise TimeoutError(f"run {run_id} did not end within {timeout:.0f} s")
