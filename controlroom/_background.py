"""Periodic background work for the server's lifespan (the scheduler, WAL checkpoints)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

log = logging.getLogger("controlroom")


@contextlib.asynccontextmanager
async def every(interval: float, work: Callable[[], object], name: str) -> AsyncIterator[None]:
    """While inside: ``work`` runs in a thread now and then every ``interval`` seconds.
    A failure is logged, never fatal: the next turn tries again. On leaving, the task is
    cancelled and awaited."""

    async def loop() -> None:
        while True:
            try:
                await asyncio.to_thread(work)
            except Exception:
                log.exception("%s failed; trying again in %ss", name, interval)
            await asyncio.sleep(interval)

    task = asyncio.create_task(loop(), name=f"controlroom-{name.replace(' ', '-')}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
