"""HTTP client for the worker protocol (``/worker-v1``), with retry and backoff.

Transport errors and 502/503/504 (a Control Room restarting, a proxy in between) are
retried with exponential backoff and jitter, up to ``deadline`` seconds per call; other
HTTP errors are raised at once as ``ProtocolError`` with the server's message.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any

import httpx

log = logging.getLogger("controlroom.worker")
_RETRY_STATUS = frozenset({502, 503, 504})
CORRELATION_HEADER = "X-Correlation-ID"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class Unreachable(Exception):
    """The Control Room did not answer within the call's deadline."""


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and "message" in error:
            return str(error["message"])
        if "detail" in body:
            return str(body["detail"])
    return str(body)[:500]


def _cid(correlation_id: str | None) -> dict[str, str]:
    # The Control Room logs the request under this id: a step run's calls share its run's.
    return {CORRELATION_HEADER: correlation_id} if correlation_id else {}


class WorkerClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        stop: threading.Event | None = None,
        max_backoff: float = 15.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(
            base_url=self.base_url + "/worker-v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
        self._stop = stop or threading.Event()
        self._max_backoff = max_backoff

    def close(self) -> None:
        self._http.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        deadline: float | None = 60.0,
        json: Any = None,
        content: bytes | None = None,
        interruptible: bool = True,
        correlation_id: str | None = None,
    ) -> Any:
        """One request, retried on transport errors until ``deadline`` seconds pass
        (``None``: forever) or, when ``interruptible``, the stop event is set."""
        started = time.monotonic()
        delay = 0.2
        while True:
            try:
                response = self._http.request(
                    method, path, json=json, content=content, headers=_cid(correlation_id)
                )
                if response.status_code not in _RETRY_STATUS:
                    if response.status_code >= 400:
                        raise ProtocolError(response.status_code, _detail(response))
                    return response.json() if response.content else None
                problem = f"HTTP {response.status_code}"
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            waited = time.monotonic() - started
            if deadline is not None and waited >= deadline:
                raise Unreachable(
                    f"{method} {self.base_url}/worker-v1{path} failed for {waited:.0f}s "
                    f"({problem}): is the Control Room up?"
                )
            if interruptible and self._stop.is_set():
                raise Unreachable(f"{method} {path} abandoned: the worker is stopping")
            log.warning("%s %s: %s; retrying in %.1fs", method, path, problem, delay)
            if interruptible:
                self._stop.wait(delay)
            else:
                time.sleep(delay)
            delay = min(self._max_backoff, delay * 2) * random.uniform(0.8, 1.2)  # noqa: S311

    def register(self, name: str, hostname: str, concurrency: int) -> dict[str, Any]:
        body = {"name": name, "hostname": hostname, "concurrency": concurrency}
        reply: dict[str, Any] = self.call("POST", "/workers", json=body, deadline=None)
        return reply

    def heartbeat(self, worker_id: str, running: list[str]) -> dict[str, Any]:
        reply: dict[str, Any] = self.call(
            "POST", f"/workers/{worker_id}/heartbeat", json={"running": running}, deadline=10
        )
        return reply

    def claim(self, worker_id: str) -> dict[str, Any] | None:
        reply = self.call("POST", f"/workers/{worker_id}/claim", deadline=10)
        return reply.get("stepRun") if isinstance(reply, dict) else None

    def log(self, step_run_id: str, chunk: bytes, *, cid: str | None = None) -> None:
        self.call(
            "POST", f"/step-runs/{step_run_id}/log", content=chunk, deadline=5, correlation_id=cid
        )

    def artifact(
        self, step_run_id: str, name: str, data: bytes, deadline: float, *, cid: str | None = None
    ) -> None:
        self.call(
            "PUT",
            f"/step-runs/{step_run_id}/artifacts/{name}",
            content=data,
            deadline=deadline,
            interruptible=False,
            correlation_id=cid,
        )

    def finish(
        self,
        step_run_id: str,
        exit_code: int | None,
        *,
        cancelled: bool,
        message: str,
        deadline: float | None,
        cid: str | None = None,
    ) -> dict[str, Any]:
        body = {"exitCode": exit_code, "cancelled": cancelled, "message": message}
        reply: dict[str, Any] = self.call(
            "POST",
            f"/step-runs/{step_run_id}/finish",
            json=body,
            deadline=deadline,
            interruptible=False,
            correlation_id=cid,
        )
        return reply

    def hand_back(self, step_run_id: str, *, cid: str | None = None) -> None:
        self.call(
            "POST",
            f"/step-runs/{step_run_id}/hand-back",
            deadline=10,
            interruptible=False,
            correlation_id=cid,
        )
