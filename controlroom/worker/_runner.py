"""Run one claimed step run: start the robot, stream its output, upload, report.

The robot runs in its own session (process group), so a Ctrl-C aimed at the worker does
not reach it and a cancellation can stop the robot and any children it started; if the
worker dies without stopping it (SIGKILL), the kernel sends the robot SIGTERM
(``clerk.processes.die_with_parent``), and the worker's ``GroupGuard`` ends the robot's
whole group, so a robot started by a wrapper script or a browser it started goes too. Output
(stdout and stderr merged) is read by a thread and sent to the Control Room in chunks
every ``flush_seconds`` or 64 KiB; a copy goes to ``console.log`` beside the artifacts,
uploaded in full if some chunk could not be sent. When the robot ends, what
``controlroom.worker._artifacts`` keeps of its ``ROBOT_ARTIFACTS`` folder is uploaded (text
gzipped, the log parts that log.html repeats left out), then the exit code is reported; the
Control Room resolves the items the robot left reserved.

Secrets: the robot does not inherit the worker's token (``ROBOT_HIDDEN``), and output and
artifacts are scrubbed (``clerk.redact.scrub``) of token secrets, ``Authorization``
credentials and the secrets this worker knows (its token, the step run's tokens,
``CLERK_VAULT_KEY``) before they are written or sent; the Control Room scrubs again.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import os
import queue
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk.processes import GroupGuard, die_with_parent
from clerk.redact import scrub
from controlroom.worker._artifacts import uploads
from controlroom.worker._client import ProtocolError, Unreachable, WorkerClient
from controlroom.worker._robot import RobotError, resolve_robot_dir, robot_command

log = logging.getLogger("controlroom.worker")
CHUNK_BYTES = 64 * 1024
LOCAL_CONSOLE = "console-local.log"
ORPHAN_GRACE = 5.0  # seconds output may stay open after the robot process exited
ROBOT_HIDDEN = ("CLERK_WORKER_TOKEN", "CLERK_WORKER_TOKEN_FILE")  # not in a robot's env
_KNOWN_SECRETS = ("RC_API_WORKITEM_TOKEN", "RC_API_PROCESS_TOKEN", "CLERK_VAULT_KEY")


_guard: GroupGuard | None = None
_guard_lock = threading.Lock()


def group_guard() -> GroupGuard:
    """This worker's one ``GroupGuard``, started with the first robot and told goodbye
    when the process exits in order (its robots have been stopped and reaped by then)."""
    global _guard
    with _guard_lock:
        if _guard is None:
            _guard = GroupGuard()
            atexit.register(_guard.close)
        return _guard


@dataclass(frozen=True)
class RunnerConfig:
    robots_root: Path
    work_dir: Path
    flush_seconds: float = 0.5
    kill_grace_seconds: float = 10.0
    finish_deadline: float | None = None  # None: retry the finish report until it lands


class StepRunner(threading.Thread):
    """One thread per step run; ``cancel()`` asks it to stop the robot."""

    def __init__(self, client: WorkerClient, claim: dict[str, Any], config: RunnerConfig) -> None:
        super().__init__(name=f"step-run-{claim['id'][:8]}", daemon=True)
        self.client = client
        self.claim = claim
        self.config = config
        self.step_run_id: str = claim["id"]
        self.correlation_id: str = claim.get("correlationId") or ""
        self._cancel = threading.Event()
        self._cancel_reason = ""
        self.process: subprocess.Popen[bytes] | None = None
        self.exit_code: int | None = None
        known = {**os.environ, **claim.get("env", {})}
        self.secrets = tuple(
            {client.token, *(known[key] for key in _KNOWN_SECRETS if known.get(key))}
        )

    def cancel(self, reason: str) -> None:
        self._cancel_reason = self._cancel_reason or reason
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _log(self, level: int, message: str, *args: object, exc_info: bool = False) -> None:
        prefix = f"[step_run={self.step_run_id} cid={self.correlation_id}] "
        log.log(level, prefix + message, *args, exc_info=exc_info)

    def run(self) -> None:
        try:
            self._run()
        except Exception:
            self._log(logging.ERROR, "step run aborted by a worker error", exc_info=True)

    def _run(self) -> None:
        folder = self.config.work_dir / self.step_run_id
        artifacts = folder / "artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)
        try:
            robot_dir = resolve_robot_dir(self.claim["robotDir"], self.config.robots_root)
            command = robot_command(robot_dir, self.claim["taskName"])
        except RobotError as exc:
            self._log(logging.ERROR, "%s", exc)
            self._finish(None, cancelled=False, message=f"worker cannot start the robot: {exc}")
            return
        if self.cancelled:
            self._hand_back()
            return
        inherited = {k: v for k, v in os.environ.items() if k not in ROBOT_HIDDEN}
        env = command.environment(
            inherited,
            {
                **self.claim["env"],
                "ROBOT_ARTIFACTS": str(artifacts),
                "CLERK_STEP_RUN_ID": self.step_run_id,
            },
        )
        self._log(logging.INFO, "starting %s in %s", " ".join(command.argv), command.cwd)
        # The robot gets SIGTERM when this thread ends (the kernel's parent is the thread
        # that forks): this thread waits for the robot, so that happens only if the
        # worker dies (a SIGKILL runs none of its clean-up) or this thread fails before
        # the robot ends; either way no one would stop or report the robot any more.
        # Its own session keeps the worker's terminal's and group's signals away.
        guard = group_guard()
        self.process = subprocess.Popen(
            list(command.argv),
            cwd=command.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        guard.add(self.process.pid)  # its group: it leads a session of its own
        lost = self._pump_output(self.process, folder / LOCAL_CONSOLE)
        self.exit_code = self.process.wait()
        guard.discard(self.process.pid)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._log(logging.INFO, "robot pid %s exited with %s", self.process.pid, self.exit_code)
        self._upload(artifacts, folder / LOCAL_CONSOLE if lost else None)
        if self.cancelled:
            message = f"cancelled: {self._cancel_reason}"
        elif self.exit_code < 0:
            message = f"robot killed by signal {-self.exit_code}"
        else:
            message = f"robot exited with code {self.exit_code}"
        self._finish(self.exit_code, cancelled=self.cancelled, message=message)

    def _pump_output(self, process: subprocess.Popen[bytes], local: Path) -> bool:
        """Forward output until the robot closes it; return True if a chunk was lost."""
        lines: queue.Queue[bytes | None] = queue.Queue()

        def read() -> None:
            assert process.stdout is not None
            for line in iter(process.stdout.readline, b""):
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, name=f"{self.name}-out", daemon=True).start()
        header = (
            f"# clerk worker: step run {self.step_run_id} correlation "
            f"{self.correlation_id} pid {process.pid}\n"
        ).encode()
        buffer = bytearray(header)
        lost = False
        last_flush = time.monotonic()
        killer: threading.Thread | None = None
        exited_at: float | None = None
        with local.open("wb") as copy:
            copy.write(header)
            done = False
            while not done:
                if self.cancelled and killer is None:
                    killer = threading.Thread(target=self._stop_robot, args=(process,), daemon=True)
                    killer.start()
                if exited_at is None and process.poll() is not None:
                    exited_at = time.monotonic()
                elif exited_at is not None and time.monotonic() - exited_at > ORPHAN_GRACE:
                    # The robot is gone but something it started still holds its output
                    # open: stop the whole group rather than wait forever.
                    self._kill_group(process)
                    exited_at = math.inf
                try:
                    line = lines.get(timeout=self.config.flush_seconds)
                except queue.Empty:
                    line = b""
                if line is None:
                    done = True
                elif line:
                    line = scrub(line, self.secrets)
                    copy.write(line)
                    buffer += line
                due = time.monotonic() - last_flush >= self.config.flush_seconds
                if buffer and (done or due or len(buffer) >= CHUNK_BYTES):
                    lost |= not self._send(bytes(buffer))
                    buffer.clear()
                    last_flush = time.monotonic()
        return lost

    def _kill_group(self, process: subprocess.Popen[bytes]) -> None:
        self._log(
            logging.WARNING,
            "robot pid %s left children holding its output: killing its process group",
            process.pid,
        )
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def _send(self, chunk: bytes) -> bool:
        try:
            self.client.log(self.step_run_id, chunk, cid=self.correlation_id)
            return True
        except (Unreachable, ProtocolError) as exc:
            self._log(logging.WARNING, "log chunk of %d bytes not sent: %s", len(chunk), exc)
            return False

    def _stop_robot(self, process: subprocess.Popen[bytes]) -> None:
        self._log(logging.WARNING, "stopping robot pid %s: %s", process.pid, self._cancel_reason)
        for sig, wait in ((signal.SIGTERM, self.config.kill_grace_seconds), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def _upload(self, artifacts: Path, local_console: Path | None) -> None:
        """Upload what ``worker.artifacts`` keeps of the robot's folder (text gzipped),
        then the local console copy if some chunk of it was lost on the way."""
        try:
            files = list(uploads(artifacts, self.secrets))  # scrubbed, then packed
        except OSError as exc:
            self._log(logging.WARNING, "artifacts in %s not read: %s", artifacts, exc)
            files = []
        if local_console is not None and local_console.is_file():
            files.append((local_console.name, scrub(local_console.read_bytes(), self.secrets)))
        for name, data in files:
            try:
                self.client.artifact(self.step_run_id, name, data, 60, cid=self.correlation_id)
            except (Unreachable, ProtocolError) as exc:
                self._log(logging.WARNING, "artifact %s not uploaded: %s", name, exc)

    def _finish(self, exit_code: int | None, *, cancelled: bool, message: str) -> None:
        try:
            reply = self.client.finish(
                self.step_run_id,
                exit_code,
                cancelled=cancelled,
                message=message,
                deadline=self.config.finish_deadline,
                cid=self.correlation_id,
            )
            self._log(logging.INFO, "finished: %s", reply)
        except (Unreachable, ProtocolError) as exc:
            # The Control Room will time this worker out and end the step run as crashed.
            self._log(logging.ERROR, "finish not reported: %s", exc)

    def _hand_back(self) -> None:
        try:
            self.client.hand_back(self.step_run_id, cid=self.correlation_id)
            self._log(logging.INFO, "handed back before start")
        except (Unreachable, ProtocolError) as exc:
            self._log(logging.ERROR, "hand-back not reported: %s", exc)
