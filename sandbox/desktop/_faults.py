"""Faults of the desktop ERP client, switchable while it runs.

The client is a separate process (a fat client over the ERP's database), so faults are
not set over HTTP as the web apps' are: they live in a small JSON file that the client
reads again whenever it changed, each time it opens a window. ``set_desktop_faults``
writes it atomically (tests, benchmarks, an operator). The RNG is reseeded whenever the
faults change, so the same faults and the same actions give the same faults.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class DesktopFaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slow_dialog_ms: int = Field(default=0, ge=0, le=60_000)  # every window opens this late
    # share of windows that open only after a modal "System message" was closed
    popup_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    layout: Literal[1, 2] = 1  # 2: other labels, field order, grid columns and theme
    crash_rate: float = Field(default=0.0, ge=0.0, le=1.0)  # share of entries the client dies in
    seed: int = 0


def set_desktop_faults(path: Path, **faults: Any) -> DesktopFaults:
    """Switch the faults of every client reading ``path`` (unset ones to their defaults)."""
    parsed = DesktopFaults(**faults)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_text(parsed.model_dump_json())
    os.replace(scratch, path)  # a client never reads half a file
    return parsed


class FaultFile:
    """The client's view of the faults file: re-read when its mtime or size changes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.faults = DesktopFaults()
        self._stamp: tuple[int, int] | None = None
        self._rng = random.Random(0)  # noqa: S311 - reproducible faults, not secrets

    def current(self) -> DesktopFaults:
        if self.path is None:
            return self.faults
        try:
            stat = self.path.stat()
        except OSError:
            stamp = None
        else:
            stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                loaded = DesktopFaults(**json.loads(self.path.read_text())) if stamp else None
            except (OSError, ValueError):
                loaded = None  # a broken file means no faults, not a dead client
            self.faults = loaded or DesktopFaults()
            self._rng = random.Random(self.faults.seed)  # noqa: S311
        return self.faults

    def draw(self, rate: float) -> bool:
        if rate <= 0.0:
            return False
        return rate >= 1.0 or self._rng.random() < rate
