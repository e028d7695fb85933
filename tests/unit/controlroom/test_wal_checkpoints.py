"""Background WAL checkpoints on a real SQLite file: while on, the engine's connections
leave checkpoints to the task, which keeps the log copied back; after, the default."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from controlroom import _wal_checkpoints as wal_checkpoints
from controlroom.db import make_engine, upgrade


def _autocheckpoint(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())


def test_checkpoints_run_in_the_background_while_on(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cr.db'}"
    upgrade(url)
    engine = make_engine(url)
    assert _autocheckpoint(engine) == 1000  # SQLite's default

    wal = tmp_path / "cr.db-wal"
    page = 4096

    def write_pages(n: int) -> None:
        with engine.begin() as connection:
            for _ in range(n):
                connection.execute(text("INSERT INTO filler VALUES (randomblob(4000))"))

    async def main() -> tuple[int, int]:
        async with wal_checkpoints.in_background(engine, interval=0.05):
            off = _autocheckpoint(engine)
            with engine.begin() as connection:
                connection.execute(text("CREATE TABLE filler (x BLOB)"))
            for _ in range(3):  # 600 pages in all, under SQLite's own 1000-page trigger
                write_pages(200)
                await asyncio.sleep(0.3)  # the task copies the log back meanwhile
            return off, wal.stat().st_size

    off, wal_size = asyncio.run(main())
    assert off == 0
    # Each write started the log again from the beginning: it never held the 600 pages.
    assert wal_size < 400 * page, wal_size
    assert _autocheckpoint(engine) == 1000  # back to the default afterwards
    engine.dispose()


def test_a_truncate_checkpoint_empties_the_log(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cr.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE filler (x BLOB)"))
        for _ in range(50):
            connection.execute(text("INSERT INTO filler VALUES (randomblob(4000))"))
    wal = tmp_path / "cr.db-wal"
    assert wal.stat().st_size > 50 * 4096
    busy, _, _ = wal_checkpoints.checkpoint(str(tmp_path / "cr.db"), "TRUNCATE")
    assert busy == 0 and wal.stat().st_size == 0
    engine.dispose()
