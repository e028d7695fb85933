"""Engines, sessions and migrations for the Control Room store.

SQLite (the default, ``$CLERK_HOME/controlroom/controlroom.db``) runs in WAL mode so
readers never block the writer, with a busy timeout, foreign keys on, and every
transaction opened with ``BEGIN IMMEDIATE``: it takes the single write lock up front, so
"read the next PENDING item, then mark it IN_PROGRESS" cannot interleave with another
writer (the default deferred BEGIN would fail one of them with SQLITE_BUSY on upgrade).

Writers queue on an OS file lock (``<database>.writelock``, ``flock``) before ``BEGIN
IMMEDIATE``, and release it right after COMMIT/ROLLBACK. SQLite's own busy handler makes
a waiting writer sleep and retry in growing steps (up to 100 ms each), so under many
concurrent robots some lose over and over and wait seconds; a blocked ``flock`` wakes as
soon as the lock is free, across threads and server processes alike. A thread that asks
for a second write transaction while it holds one gets an error at once (it would wait
for itself).

PostgreSQL (``CLERK_DATABASE_URL=postgresql+psycopg://...``) uses normal transactions;
reservation there relies on ``SELECT ... FOR UPDATE SKIP LOCKED`` (see services.queue).

``upgrade(url)`` runs the Alembic migrations in ``controlroom/migrations`` to head; the
server and the CLI call it on start, so a fresh database needs no manual step.
"""

from __future__ import annotations

import fcntl
import importlib
import importlib.util
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Every module that declares tables on ``controlroom.models.Base``: migrations and the
# schema check need all of them imported. Add a module here when it adds tables.
MODEL_MODULES = ("controlroom.models", "controlroom._console_models")
SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY_OPTION = "clerk_read_only"


T = TypeVar("T")
log = logging.getLogger("controlroom.db")


# A pooled PostgreSQL connection idle at least this long is pinged before it is used.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "clerk_idle_since"


def ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use when it has been idle ``PING_AFTER_IDLE_SECONDS``
    or longer: one that died while idle (a database restart, a firewall's timeout) is
    replaced before any work runs on it.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: a round trip before each
    transaction, one in seven of a lone robot's reserve (``bench/ab_queue.py``: 13% more
    cycles/s for one robot without it). A connection back in use within the second is
    not pinged. If the database went away in that second, the transaction's first
    statement fails and changes nothing: SQLAlchemy recognizes the disconnect and replaces
    every pooled connection, the robots' batch runs again each piece alone
    (``api._write_batch``), and any other request fails as it would have while the
    database was away."""

    @event.listens_for(engine, "checkin")
    def _idle_from_now(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return  # new, or in use a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"a pooled connection died while idle: {exc}") from exc
        if not alive:
            raise DisconnectionError("a pooled connection died while idle")


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def sqlite_file(engine_or_url: Engine | str) -> str | None:
    """The database file of a SQLite store; None for PostgreSQL and in-memory SQLite."""
    if not is_sqlite(engine_or_url):
        return None
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.database if url.database and url.database != ":memory:" else None


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine configured for the Control Room (SQLite pragmas; on PostgreSQL a pooled
    connection idle for a while is pinged before use, ``ping_when_idle``)."""
    if not is_sqlite(url):
        engine = create_engine(url, **kwargs)
        ping_when_idle(engine)
        return engine
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **kwargs,
    )

    lock_path = _write_lock_path(sqlite_file(url))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        if lock_path is not None:
            # One descriptor per connection: flock excludes other descriptors, so threads
            # of this process queue on it like other processes do.
            record.info[_LOCK_FD] = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        # Take transaction control away from the sqlite3 module so BEGIN IMMEDIATE sticks.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection: Any, record: Any) -> None:
        fd = record.info.pop(_LOCK_FD, None)
        if fd is not None:
            os.close(fd)  # also drops a lock still held

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        # A connection given back without commit/rollback (e.g. garbage-collected): the
        # pool has rolled it back; make sure it does not keep the lock.
        if record.info.get(_LOCK_HELD):
            if dbapi_connection is not None and dbapi_connection.in_transaction:
                dbapi_connection.execute("ROLLBACK")
            _drop_write_lock(record.info)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers (``read_transaction``) need no write lock: WAL serves them a snapshot.
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        if read_only:
            connection.exec_driver_sql("BEGIN")
            return
        _take_write_lock(connection.connection.info)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _drop_write_lock(connection.connection.info)
            raise

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Any) -> None:
        # This hook runs before SQLAlchemy's own commit: COMMIT here so the lock is only
        # released once the data is committed (the driver's commit() is then a no-op).
        _end_then_unlock(connection, "COMMIT")

    @event.listens_for(engine, "rollback")
    def _on_rollback(connection: Any) -> None:
        _end_then_unlock(connection, "ROLLBACK")

    return engine


_LOCK_FD = "clerk_write_lock_fd"
_LOCK_HELD = "clerk_write_lock_held"
_thread_holds = threading.local()


def _take_write_lock(info: dict[str, Any]) -> None:
    fd = info.get(_LOCK_FD)
    if fd is None:
        return
    if getattr(_thread_holds, "count", 0):
        raise RuntimeError(
            "this thread already holds a SQLite write transaction on another connection: "
            "finish it before opening a second one (it would wait for itself)"
        )
    fcntl.flock(fd, fcntl.LOCK_EX)  # blocks without the GIL
    info[_LOCK_HELD] = True
    _thread_holds.count = 1


def _drop_write_lock(info: dict[str, Any]) -> None:
    if info.pop(_LOCK_HELD, False):
        _thread_holds.count = 0
        fcntl.flock(info[_LOCK_FD], fcntl.LOCK_UN)


def _end_then_unlock(connection: Any, statement: str) -> None:
    info = connection.connection.info
    if not info.get(_LOCK_HELD):
        return
    try:
        raw = connection.connection.dbapi_connection
        if raw is not None and raw.in_transaction:
            raw.execute(statement)
    finally:
        _drop_write_lock(info)


_probe_fds: dict[str | None, int] = {}  # per database file, opened once


def _write_lock_path(database_file: str | None) -> str | None:
    """The file writers of a SQLite database file queue on."""
    return str(Path(database_file).expanduser()) + ".writelock" if database_file else None


def write_lock_is_free(engine: Engine) -> bool:
    """Whether no writer holds the SQLite write lock right now (a probe: a writer may
    take it a moment later, and then the caller simply waits its turn). Always True for
    PostgreSQL and in-memory SQLite, which have no such lock."""
    database = engine.url.database
    fd = _probe_fds.get(database)
    if fd is None:
        path = _write_lock_path(sqlite_file(engine))
        if path is None:
            return True
        fd = _probe_fds[database] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def load_models() -> MetaData:
    """Import every model module present and return the shared metadata."""
    for name in MODEL_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    from controlroom.models import Base

    return Base.metadata


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception."""
    with factory() as session, session.begin():
        yield session


# PostgreSQL deadlock and serialization failures: the transaction did nothing and may
# simply run again (e.g. two writers meeting at the audit chain's lock in opposite order).
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def is_retryable(exc: BaseException) -> bool:
    """True for errors after which re-running the whole transaction is safe and useful."""
    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in _RETRYABLE_SQLSTATES or "database is locked" in str(exc.orig)


TX_ATTEMPTS = 3


def run_alone(factory: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """``work`` in a transaction of its own: the one unit-of-work runner of the API, the
    console and the services' callers. A deadlock, serialization failure or "database
    is locked" rolls it back whole, so it runs again (up to ``TX_ATTEMPTS`` times); ``work``
    must therefore only touch the database."""
    for attempt in range(1, TX_ATTEMPTS + 1):
        try:
            with transaction(factory) as session:
                return work(session)
        except DBAPIError as exc:
            if attempt == TX_ATTEMPTS or not is_retryable(exc):
                raise
            log.warning("transaction failed (%s); running it again", exc.orig)
    raise AssertionError("unreachable")


def isolated(session: Session, what: str, work: Callable[[], T]) -> T | None:
    """``work()`` in a savepoint: if it raises, only its changes are undone, the error is
    logged, and None is returned, so one broken run, step run or item cannot stop the
    tick for every other process (it is tried again on the next tick)."""
    savepoint = session.begin_nested()
    try:
        result = work()
    except Exception:
        savepoint.rollback()
        log.exception("%s failed; skipped, the rest goes on", what)
        return None
    savepoint.commit()
    return result


@contextmanager
def read_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that only reads: on SQLite it does not take the write lock, so
    lookups (tokens, listings) never queue behind writers. Never write in it."""
    with factory() as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})
        try:
            yield session
        finally:
            session.rollback()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | Engine, revision: str = "head") -> None:
    """Migrate the database at ``url`` (or behind an engine) to ``revision``."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if not isinstance(url, Engine):
            engine.dispose()
