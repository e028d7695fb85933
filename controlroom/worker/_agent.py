"""The long-lived worker: register, heartbeat, claim up to N step runs, run them.

It survives what a machine that runs for days meets:

- a robot that crashes: its runner reports the exit code; the worker goes on;
- a Control Room restart: every call retries with backoff; if the Control Room forgot
  the worker (404), it registers again; step runs the Control Room ended meanwhile come
  back in the heartbeat's ``cancel`` list and their robots are stopped;
- SIGTERM/SIGINT: no new claims; running robots get ``grace`` seconds to finish, then are
  stopped and reported CANCELLED (their items go back to the queue). A second signal
  stops them at once. The worker returns only when every robot it started has ended;
- its own sudden death (SIGKILL, OOM killer): the kernel sends each robot SIGTERM
  (``clerk.processes.die_with_parent``, set by the runner that starts it).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass
from types import FrameType

from controlroom.worker._client import ProtocolError, Unreachable, WorkerClient
from controlroom.worker._runner import RunnerConfig, StepRunner

log = logging.getLogger("controlroom.worker")


@dataclass(frozen=True)
class AgentConfig:
    name: str
    hostname: str
    concurrency: int
    runner: RunnerConfig
    poll_seconds: float = 1.0
    grace_seconds: float = 30.0


class WorkerAgent:
    def __init__(self, client: WorkerClient, config: AgentConfig, stop: threading.Event) -> None:
        self.client = client
        self.config = config
        self.stop = stop  # shared with the client: its retries end when it is set
        self.worker_id = ""
        self.heartbeat_seconds = 5.0
        self.runners: dict[str, StepRunner] = {}
        self._lock = threading.Lock()
        self._signals = 0

    def _register(self) -> None:
        reply = self.client.register(
            self.config.name, self.config.hostname, self.config.concurrency
        )
        self.worker_id = reply["workerId"]
        self.heartbeat_seconds = float(reply.get("heartbeatSeconds", 5.0))
        log.info(
            "registered as worker %s (%s), concurrency %d",
            self.worker_id,
            self.config.name,
            self.config.concurrency,
        )

    def _running(self) -> list[StepRunner]:
        with self._lock:
            for sid in [sid for sid, r in self.runners.items() if not r.is_alive()]:
                del self.runners[sid]
            return list(self.runners.values())

    def _heartbeats(self) -> None:
        while not self.stop.wait(self.heartbeat_seconds):
            self.beat()
        # Keep beating while robots finish after a stop, so we are not declared dead.
        while self._running():
            self.beat()
            time.sleep(min(self.heartbeat_seconds, 1.0))

    def beat(self) -> None:
        running = self._running()
        try:
            reply = self.client.heartbeat(self.worker_id, [r.step_run_id for r in running])
        except ProtocolError as exc:
            if exc.status == 404:
                log.warning(
                    "the Control Room does not know worker %s: registering again", self.worker_id
                )
                self._register_quietly()
            else:
                log.error("heartbeat refused: %s", exc)
            return
        except Unreachable as exc:
            log.warning("heartbeat failed: %s", exc)
            return
        cancel = set(reply.get("cancel", []))
        for runner in running:
            if runner.step_run_id in cancel and not runner.cancelled:
                runner.cancel("the Control Room stopped this step run")

    def _register_quietly(self) -> None:
        try:
            self._register()
        except (Unreachable, ProtocolError) as exc:
            log.error("re-registering failed: %s", exc)

    def _claim_loop(self) -> None:
        backoff = self.config.poll_seconds
        while not self.stop.is_set():
            if len(self._running()) >= self.config.concurrency:
                self.stop.wait(self.config.poll_seconds / 4)
                continue
            try:
                claim = self.client.claim(self.worker_id)
                backoff = self.config.poll_seconds
            except ProtocolError as exc:
                log.error("claim refused: %s", exc)
                if exc.status in (404, 409):
                    self._register_quietly()
                claim = None
            except Unreachable as exc:
                log.warning("claim failed: %s", exc)
                backoff = min(backoff * 2, 30.0)
                self.stop.wait(backoff)
                continue
            if claim is None:
                self.stop.wait(self.config.poll_seconds)
                continue
            if self.stop.is_set():  # the signal came while the claim was in flight
                self._hand_back(claim["id"])
                return
            runner = StepRunner(self.client, claim, self.config.runner)
            with self._lock:  # started under the lock: ``_running`` never drops it unstarted
                self.runners[runner.step_run_id] = runner
                runner.start()

    def _hand_back(self, step_run_id: str) -> None:
        try:
            self.client.hand_back(step_run_id)
        except (Unreachable, ProtocolError) as exc:
            log.error("hand-back of step run %s failed: %s", step_run_id, exc)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._signals += 1
        if self._signals == 1:
            log.warning(
                "signal %d: no new work; waiting up to %.0fs for %d robot(s)",
                signum,
                self.config.grace_seconds,
                len(self.runners),
            )
            self.stop.set()
        else:
            log.warning("signal %d again: stopping robots now", signum)
            # Not ``_running()``: the handler runs in the main thread, which may hold the
            # (non-reentrant) lock at that moment. Cancelling an ended runner is harmless.
            for runner in list(self.runners.values()):
                runner.cancel("the worker is shutting down")

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def run(self) -> None:
        """Serve until stopped; return when every robot has ended and been reported."""
        self._register()
        beats = threading.Thread(target=self._heartbeats, name="heartbeat", daemon=True)
        beats.start()
        try:
            self._claim_loop()
        finally:
            deadline = time.monotonic() + self.config.grace_seconds
            while self._running() and time.monotonic() < deadline:
                time.sleep(0.2)
            for runner in self._running():
                runner.cancel("the worker is shutting down")
            for runner in self._running():
                runner.join()
            beats.join(timeout=self.heartbeat_seconds + 1)
            log.info("worker %s stopped", self.worker_id)
