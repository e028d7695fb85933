"""Group commit for the robots' brief writes: concurrent reserves and releases share one
transaction and one COMMIT.

The audit chain lets one writer append at a time (SQLite's write lock, PostgreSQL's
advisory lock), so a server under many robots runs their reserve and release
transactions one after another anyway; what each costs on its own is the transaction
around it (the lock, ``BEGIN``, the chain's last row, the log write at ``COMMIT``), more
than its few primary-key statements. ``WriteBatcher`` collects the brief work that
requests hand it while the event loop is busy and runs it, in arrival order, in one
transaction: on SQLite on the event loop itself (in-process statements take well under
a millisecond), on PostgreSQL in a thread (each statement is a network round trip).
``bench/bench_queue.py`` measures the cycles/s it gives 16 robots. Each piece of work still
sees the ones before it (two reserves in one batch take two different items), and every
audit row is chained and committed with the batch.

Nothing is shared by a failure: when one piece of work raises, the whole batch is rolled
back and each piece runs again alone in its own transaction, so only the faulty request
gets the error and the others get exactly what they would have got alone. A batch of one
is simply that transaction. Work runs in its request's own context (correlation id in the
logs and the audit rows).

When another writer (a thread of this process or another server process, the CLI) holds
SQLite's write lock, the batch waits for it in a thread, so the event loop goes on
serving. Requests arriving while a batch is in a thread form the next batch: at most one
batch is in flight per server process. Allowing two or three on PostgreSQL (the next
batch's statements overlapping the last one's COMMIT) was measured worse, not better:
batches got smaller, so each cycle paid for more commits (16 robots, same server
alternating: 328-369 cycles/s with one in flight, 263-331 with two; server CPU per
cycle 1.5-1.75 ms against 2.0-2.2; measured again on 2026-12-07: 726-763 with one,
570-608 with two).

On PostgreSQL a batch that ran with company waits ``GATHER_SECONDS`` before the next
one starts, so more requests join it: fewer, fuller transactions, each paying its BEGIN,
audit chain lock and COMMIT once for more robots. A batch of one (a quiet server) starts
the next at once, so a lone robot waits for nothing (16 robots, alternating runs:
826-854 cycles/s with the wait, 740-810 without, server CPU per cycle 0.97-1.00 ms
against 1.13-1.20; one robot 254-257 against 251-264).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from controlroom.db import is_sqlite, run_alone, transaction, write_lock_is_free

T = TypeVar("T")
GATHER_SECONDS = 0.001  # PostgreSQL, under load: how long a batch waits for company
MAX_BATCH = 32  # caps the time one batch holds the event loop (a few statements per piece)
log = logging.getLogger("controlroom.api")


@dataclass
class _Job(Generic[T]):
    work: Callable[[Session], T]
    context: contextvars.Context
    done: asyncio.Future[T]


@dataclass
class _Outcome:
    value: Any = None
    error: BaseException | None = None


class WriteBatcher:
    """Collects brief write work from concurrent requests and commits it in batches."""

    def __init__(self, factory: sessionmaker[Session], engine: Engine) -> None:
        self._factory = factory
        self._engine = engine
        # SQLite runs in-process in well under a millisecond; PostgreSQL is a network
        # round trip per statement, so its batches always run in a thread.
        self._on_loop = is_sqlite(engine)
        self._waiting: list[_Job[Any]] = []
        self._scheduled = False
        self._in_flight: asyncio.Task[None] | None = None  # a batch running in a thread
        self._gather = False  # wait GATHER_SECONDS before the next batch (see _start)

    async def run(self, work: Callable[[Session], T]) -> T:
        """``work``'s result once the batch it joined has committed (or its error)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        job = _Job(work, contextvars.copy_context(), done)
        self._waiting.append(job)
        self._schedule(loop)
        return await job.done

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        # Run on the loop's next turn: requests that are ready now join this batch first.
        if not self._scheduled and self._in_flight is None and self._waiting:
            self._scheduled = True
            if self._gather:
                loop.call_later(GATHER_SECONDS, self._start, loop)
            else:
                loop.call_soon(self._start, loop)

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._scheduled = False
        # A request cancelled before its turn (the robot hung up) reserves nothing.
        jobs = [job for job in self._waiting[:MAX_BATCH] if not job.done.cancelled()]
        del self._waiting[:MAX_BATCH]
        # In a thread (PostgreSQL), a batch that found company waits a moment for more
        # next time: fewer, fuller transactions under load; none alone keeps no one waiting.
        self._gather = not self._on_loop and len(jobs) > 1
        if not jobs:
            self._schedule(loop)
        elif self._on_loop and write_lock_is_free(self._engine):
            self._settle(jobs, self._outcomes(jobs))
            self._schedule(loop)
        else:
            self._in_flight = loop.create_task(self._in_thread(jobs, loop))

    async def _in_thread(self, jobs: list[_Job[Any]], loop: asyncio.AbstractEventLoop) -> None:
        try:
            outcomes = await run_in_threadpool(self._outcomes, jobs)
        except asyncio.CancelledError:  # the server is stopping
            for job in jobs:
                job.done.cancel()
            raise
        finally:
            self._in_flight = None
        self._settle(jobs, outcomes)
        self._schedule(loop)

    def _outcomes(self, jobs: list[_Job[Any]]) -> list[_Outcome]:
        if len(jobs) > 1:
            try:
                with transaction(self._factory) as session:
                    values = [job.context.run(job.work, session) for job in jobs]
                return [_Outcome(value) for value in values]
            except Exception as exc:  # nothing of the batch was kept
                log.debug("a batch of %d failed (%s); running each alone", len(jobs), exc)
        return [self._alone(job) for job in jobs]

    def _alone(self, job: _Job[Any]) -> _Outcome:
        try:
            return _Outcome(job.context.run(run_alone, self._factory, job.work))
        except Exception as exc:
            return _Outcome(error=exc)

    @staticmethod
    def _settle(jobs: list[_Job[Any]], outcomes: list[_Outcome]) -> None:
        for job, outcome in zip(jobs, outcomes, strict=True):
            if job.done.cancelled():
                continue
            if outcome.error is not None:
                job.done.set_exception(outcome.error)
            else:
                job.done.set_result(outcome.value)
