"""Fault injection, switchable at run time through ``PUT /admin/faults``.

Each app keeps one ``FaultState``. Every random decision (HTTP 500s before or after a
save, modal popups, early session expiry) draws from one RNG that is reseeded whenever
the faults are set, so a test that sets the same faults and sends the same requests sees
the same faults.
"""

from __future__ import annotations

import random
import threading
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field


class Faults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latency_ms: int = Field(default=0, ge=0, le=60_000)
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)  # share of requests answered with 500
    # share of saves (a form POST that succeeded, sign-in aside) answered with 500 after
    # the change was committed: a retry must find the earlier entry, not make a second
    lost_reply_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    popup_rate: float = Field(default=0.0, ge=0.0, le=1.0)  # share of pages with a modal message
    session_expiry_rate: float = Field(default=0.0, ge=0.0, le=1.0)  # share of requests that end it
    session_idle_seconds: float | None = Field(default=None, gt=0)  # overrides the settings value
    layout: Literal[1, 2] = 1  # 2: other ids, names and field order on every screen
    seed: int = 0


class FaultState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.faults = Faults()
        self._rng = random.Random(0)  # noqa: S311 - reproducible faults, not secrets

    def set(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._rng = random.Random(faults.seed)  # noqa: S311

    def draw(self, rate: float) -> bool:
        """True with probability ``rate``; 0 and 1 never consume a random number."""
        if rate <= 0.0:
            return False
        if rate >= 1.0:
            return True
        with self._lock:
            return self._rng.random() < rate

    def uniform(self, low: float, high: float) -> float:
        with self._lock:
            return self._rng.uniform(low, high)


def set_faults(base_url: str, token: str, **faults: Any) -> dict[str, Any]:
    """Switch an app's faults (unset ones go back to their defaults); returns them."""
    Faults(**faults)  # fail here, with a clear message, rather than with a 422
    response = httpx.put(
        f"{base_url.rstrip('/')}/admin/faults",
        json=faults,
        headers={"X-Admin-Token": token},
        timeout=10,
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def read_ledger(base_url: str, token: str) -> dict[str, Any]:
    """The app's read-only ledger of everything entered (tests and benchmarks only)."""
    response = httpx.get(
        f"{base_url.rstrip('/')}/ledger", headers={"X-Admin-Token": token}, timeout=10
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result
