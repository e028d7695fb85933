"""Migrations produce exactly the models' schema; SQLite runs in WAL mode."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.exc import DBAPIError

from controlroom import db
from controlroom.db import (
    is_retryable,
    load_models,
    make_engine,
    make_sessionmaker,
    read_transaction,
    transaction,
    upgrade,
    write_lock_is_free,
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


def test_the_item_indexes_hold_only_the_rows_their_readers_ask_for(db_url: str) -> None:
    """Migration 0009: a reserve or release writes no entry into an index whose condition
    its row does not meet. Alembic's comparison above does not look at the conditions."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            indexes = {ix["name"]: ix for ix in inspect(conn).get_indexes("work_items")}
        where_option = f"{engine.dialect.name}_where"
    finally:
        engine.dispose()
    assert "ix_work_items_state_exc" not in indexes
    for name, condition in (
        ("ix_work_items_reserved_by", "reserved_by IS NOT NULL"),
        ("ix_work_items_parent", "parent_id IS NOT NULL"),
        ("ix_work_items_failed_facets", "'FAILED'"),
    ):
        where = indexes[name].get("dialect_options", {}).get(where_option)
        assert where is not None and condition in str(where), (name, where)


def test_the_queue_table_is_vacuumed_at_a_fixed_number_of_dead_rows(db_url: str) -> None:
    """On PostgreSQL, work_items carries its own autovacuum threshold (migration 0008):
    a fifth of a million-item queue dead would slow every reservation first."""
    engine = make_engine(db_url)
    try:
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite reuses freed pages itself; no vacuum settings")
        with engine.connect() as conn:
            options = conn.exec_driver_sql(
                "SELECT reloptions FROM pg_class WHERE relname = 'work_items'"
            ).scalar()
        assert "autovacuum_vacuum_scale_factor=0" in options
        assert "autovacuum_vacuum_threshold=10000" in options
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


def test_deadlocks_are_recognised_as_retryable(db_url: str) -> None:
    engine = make_engine(db_url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        pytest.skip("SQLite has a single writer: no deadlocks to detect")
    a, b = engine.connect(), engine.connect()
    try:
        for conn in (a, b):
            conn.exec_driver_sql("SET deadlock_timeout = '50ms'")
        a.exec_driver_sql("SELECT pg_advisory_xact_lock(1)")
        b.exec_driver_sql("SELECT pg_advisory_xact_lock(2)")
        errors: list[BaseException] = []

        def cross(conn: Connection, key: int) -> None:
            try:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")
            except DBAPIError as exc:
                errors.append(exc)
                conn.rollback()

        thread = threading.Thread(target=cross, args=(a, 2))
        thread.start()
        cross(b, 1)
        thread.join(10)
        assert len(errors) == 1 and is_retryable(errors[0])
        assert not is_retryable(DBAPIError("SELECT 1", {}, Exception("syntax error")))
    finally:
        a.close()
        b.close()
        engine.dispose()


def test_sqlite_writers_queue_on_the_write_lock_without_busy_errors(tmp_path: Path) -> None:
    """Many threads and two engines (as two server processes would) writing at once: every
    transaction commits, none fails with "database is locked", none waits long."""
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    engines = [make_engine(url), make_engine(url)]
    with engines[0].begin() as c:
        c.exec_driver_sql("CREATE TABLE n (x INTEGER)")
    waits: list[float] = []
    errors: list[BaseException] = []

    def writer(engine_index: int) -> None:
        try:
            for _ in range(30):
                started = time.perf_counter()
                with engines[engine_index].begin() as c:
                    c.exec_driver_sql("INSERT INTO n VALUES (1)")
                waits.append(time.perf_counter() - started)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i % 2,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with engines[1].connect() as c:
        count = c.exec_driver_sql("SELECT count(*) FROM n").scalar()
    for engine in engines:
        engine.dispose()
    assert not errors and count == 8 * 30
    assert max(waits) < 2.0, f"a writer waited {max(waits):.2f} s"


def test_a_second_write_transaction_in_the_same_thread_fails_at_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested.db'}")
    try:
        with engine.begin():
            started = time.perf_counter()
            with pytest.raises(RuntimeError, match="already holds"), engine.begin():
                pass
            assert time.perf_counter() - started < 1.0
        with engine.begin() as c:  # the first one's commit released the lock
            c.exec_driver_sql("SELECT 1")
    finally:
        engine.dispose()


def test_the_write_lock_probe_sees_a_writer_in_another_thread(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'probe.db'}"
    upgrade(url)
    engine = make_engine(url)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with transaction(make_sessionmaker(engine)) as s:
            s.add(Workspace(name="held"))
            s.flush()
            holding.set()
            release.wait(10)

    try:
        assert write_lock_is_free(engine)
        thread = threading.Thread(target=writer)
        thread.start()
        assert holding.wait(10)
        assert not write_lock_is_free(engine)
        release.set()
        thread.join(10)
        assert write_lock_is_free(engine)
    finally:
        release.set()
        engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def test_a_pooled_connection_that_died_while_idle_is_replaced_before_use(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        pytest.skip("SQLite has no server connection to lose")
    admin = make_engine(db_url)
    try:
        pings: list[object] = []
        real_ping = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
        first = _backend_pid(engine)
        assert _backend_pid(engine) == first and pings == []  # back in use at once: no ping
        with admin.connect() as conn:  # the database drops the idle connection
            conn.exec_driver_sql(f"SELECT pg_terminate_backend({first})")
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
        with transaction(make_sessionmaker(engine)) as s:  # the work runs on a live one
            assert s.scalars(select(Workspace)).all() is not None
            replaced = s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        assert len(pings) == 1 and replaced != first
    finally:
        admin.dispose()
        engine.dispose()
