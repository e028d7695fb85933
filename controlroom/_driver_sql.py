"""Core statements run straight on the database driver: the queue's hot path.

SQLAlchemy's execution path (execution context, events, result wrapping) costs more than
SQLite takes to run one of the queue's primary-key statements (profile a reserve +
release cycle of ``bench/bench_queue.py`` to see the split). A
``Prepared`` statement is a Core statement compiled once per dialect, with SQLAlchemy's
own bind and result processors for its column types resolved once, so values are stored
and read back exactly as through the ORM. ``execute`` runs it on the session's driver
connection, inside the session's transaction, and raises driver errors as SQLAlchemy's
``DBAPIError`` (what ``db.is_retryable`` and the error handlers expect).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in order, for positional drivers
    fixed: dict[str, Any]  # values written into the statement itself, already processed
    binders: dict[str, Callable[[Any], Any]]  # processors of the caller's parameters
    columns: tuple[str, ...]
    readers: tuple[Processor, ...]
    defaults: dict[str, Callable[[Any], Any]]  # Python-side column defaults (updated_at)


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    compiled = cast(Any, statement).compile(dialect=dialect)
    sql = compiled.string
    prefetched = {c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)}
    binders: dict[str, Callable[[Any], Any]] = {}
    fixed: dict[str, Any] = {}
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if bind.required:
            if process is not None:
                binders[name] = process
            continue
        inlined = None if name in prefetched else _inline(sql, compiled, name, bind.value)
        if inlined is not None:
            sql = inlined
        else:
            fixed[name] = process(bind.value) if process is not None else bind.value
    # What the statement returns: a query's columns, or a DML statement's RETURNING.
    selected = list(cast(Any, statement).exported_columns)
    columns = tuple(str(c.key) for c in selected)
    readers = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in selected)
    # Columns whose default or onupdate SQLAlchemy computes in Python per execution.
    defaults: dict[str, Callable[[Any], Any]] = {}
    for kind, columns_of in (("default", "insert_prefetch"), ("onupdate", "update_prefetch")):
        for column in getattr(compiled, columns_of):
            default = getattr(column, kind)
            fixed.pop(column.key, None)
            if default.is_callable:
                defaults[column.key] = default.arg
            else:
                process = binders.get(column.key)
                fixed[column.key] = process(default.arg) if process else default.arg
    order = compiled.positiontup
    return _Compiled(
        sql,
        tuple(order) if order else None,
        fixed,
        binders,
        columns,
        readers,
        defaults,
    )


def _inline(sql: str, compiled: Any, name: str, value: Any) -> str | None:
    """``sql`` with the constant ``value`` of parameter ``name`` written into its text
    (PostgreSQL only; None where it is not). The server plans a prepared statement once
    for all executions only when that generic plan looks no worse than one made for the
    values at hand, and with the constants as parameters (the states, ``LIMIT 1``) it
    never does: the reserve and the audit chain's last row were planned again on every
    execution (planning was a third of PostgreSQL's CPU under 16 robots, ``perf`` on
    ``bench/bench_queue.py``). Only plain strings, integers and NULL are inlined."""
    if compiled.dialect.paramstyle != "pyformat" or not (
        value is None or type(value) in (str, int)
    ):
        return None
    literal = (
        "NULL" if value is None else compiled.render_literal_value(value, compiled.binds[name].type)
    )
    placeholder = f"%({name})s"
    if "%" in literal or sql.count(placeholder) != 1:
        return None
    return sql.replace(placeholder, literal)


class Prepared:
    """A Core statement (bound parameters by name) to run on the driver connection."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _compile(self.statement, dialect)
        return compiled

    def _parameters(self, compiled: _Compiled, params: dict[str, Any]) -> Any:
        values = dict(compiled.fixed)
        for name, default in compiled.defaults.items():
            if name not in params:
                process = compiled.binders.get(name)
                values[name] = process(default(None)) if process is not None else default(None)
        for name, value in params.items():
            process = compiled.binders.get(name)
            values[name] = process(value) if process is not None else value
        if compiled.order is None:
            return values
        return [values[name] for name in compiled.order]

    def _run(self, session: Session, params: Sequence[dict[str, Any]]) -> tuple[Any, _Compiled]:
        connection = session.connection()  # joins (or begins) the session's transaction
        dialect = connection.dialect
        compiled = self._for(dialect)
        driver = connection.connection.driver_connection
        assert driver is not None
        values = [self._parameters(compiled, p) for p in params]
        cursor = driver.cursor()
        try:
            if len(values) == 1:
                cursor.execute(compiled.sql, values[0])
            else:
                cursor.executemany(compiled.sql, values)
        except dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise DBAPIError.instance(
                compiled.sql, values, exc, dialect.loaded_dbapi.Error, dialect=dialect
            ) from exc
        return cursor, compiled

    def first(
        self, session: Session, params: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """Run a query (or DML with RETURNING); its first row as a dict of column key to
        value, or None."""
        cursor, compiled = self._run(session, [params or {}])
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        return {
            name: (read(value) if read is not None else value)
            for name, read, value in zip(compiled.columns, compiled.readers, row, strict=True)
        }

    def rowcount(self, session: Session, params: dict[str, Any] | None = None) -> int:
        """Run a DML statement; the number of rows it changed."""
        cursor, _ = self._run(session, [params or {}])
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def execute_many(self, session: Session, params: Sequence[dict[str, Any]]) -> None:
        """Run a DML statement once per parameter set."""
        if params:
            self._run(session, params)[0].close()
