"""Migrations produce exactly the models' schema; SQLite runs in WAL mode."""

from __future__ import annotations

import time
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from controlroom.db import (
    load_models,
    make_engine,
    make_sessionmaker,
    read_transaction,
    transaction,
    upgrade,
)
from controlroom.models import Workspace


def test_migrations_match_models(db_url: str) -> None:
    upgrade(db_url)  # idempotent: already at head
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, load_models()) == []
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_sqlite_readers_do_not_wait_for_the_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cr.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    try:
        with transaction(factory) as writer:
            writer.add(Workspace(name="held"))
            writer.flush()  # the write lock is held until this block ends
            started = time.monotonic()
            with read_transaction(factory) as reader:
                names = reader.scalars(select(Workspace.name)).all()
            assert names == [] and time.monotonic() - started < 1.0  # a snapshot, no wait
    finally:
        engine.dispose()
