"""WAL checkpoints for a server on SQLite, in the background instead of inside a COMMIT.

By default the connection whose COMMIT takes SQLite's write-ahead log past 1,000 pages
copies the log back into the database file there and then, with two fsyncs. In the server
that COMMIT runs on the event loop (``controlroom.api._write_batch``), so every robot
waited for the copy: a large share of a commit's cost and the worst pauses of
``bench/bench_queue.py``. While the server runs, its connections leave checkpoints alone
(``wal_autocheckpoint=0``) and a background task (``background.every``) runs a PASSIVE
checkpoint every ``INTERVAL`` seconds in a thread, on a connection of its own. PASSIVE
never waits for readers or writers; SQLite starts the log from the beginning again once
it has all been copied. Other processes (the CLI) keep SQLite's default.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, event

from controlroom import _background as background
from controlroom.db import sqlite_file

INTERVAL = 0.25  # seconds; keeps the log under SQLite's 1,000 pages at full queue load


def _leave_checkpoints_alone(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def checkpoint(database: str, mode: str = "PASSIVE") -> tuple[int, int, int]:
    """One checkpoint (PASSIVE, or TRUNCATE after a bulk load): (busy, frames in the
    log, frames copied)."""
    assert mode in ("PASSIVE", "FULL", "RESTART", "TRUNCATE"), mode
    connection = sqlite3.connect(database, timeout=1)
    try:
        row = connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        return int(row[0]), int(row[1]), int(row[2])
    finally:
        connection.close()


@contextlib.asynccontextmanager
async def in_background(engine: Engine, interval: float = INTERVAL) -> AsyncIterator[None]:
    """While inside: the engine's connections do not checkpoint; a task does, every
    ``interval`` seconds. On leaving, one last checkpoint, and the default is back."""
    database = sqlite_file(engine)
    assert database, "only a SQLite file has a write-ahead log"
    event.listen(engine, "connect", _leave_checkpoints_alone)
    engine.dispose()  # connections opened before (migrations) reconnect without it

    try:
        async with background.every(interval, lambda: checkpoint(database), "WAL checkpoint"):
            yield
    finally:
        event.remove(engine, "connect", _leave_checkpoints_alone)
        engine.dispose()
        await run_in_threadpool(checkpoint, database)
