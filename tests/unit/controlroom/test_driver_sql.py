"""Prepared statements on the driver connection read and write exactly what the same
Core statements do through SQLAlchemy, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from controlroom._audit import _LAST
from controlroom._db_types import utcnow
from controlroom._driver_sql import Prepared
from controlroom.models import AuditEntry, WorkItem
from controlroom.services import _queue_statements as sql
from controlroom.services.runs import InputSpec
from tests.unit.controlroom.conftest import World


def test_a_query_reads_what_core_reads(world: World) -> None:
    run = world.start(InputSpec({"n": 0}), InputSpec({"n": 1}))
    sr = world.step_run(run)
    with world.tx() as s:
        step = s.get_one(WorkItem, sr.first_item_id).step_id
        params = {"run": run, "step": step, "now": utcnow()}
        core = s.connection().execute(sql.NEXT_PENDING.statement, params).first()
        prepared = sql.NEXT_PENDING.first(s, params)
    assert core is not None and prepared == dict(core._mapping)
    assert prepared["available_at"].tzinfo is not None  # aware UTC, as the ORM gives it


def test_an_update_binds_its_values_and_the_column_onupdate(world: World) -> None:
    run = world.start(InputSpec({"n": 0}))
    sr = world.step_run(run)
    item_id = sr.first_item_id
    with world.tx() as s:
        before = s.get_one(WorkItem, item_id).updated_at
    now = utcnow()
    with world.tx() as s:
        changed = sql.COMPLETE.rowcount(
            s, {"item_id": item_id, "step_run_id": sr.step_run_id, "now": now}
        )
    assert changed == 1
    with world.tx() as s:
        item = s.get_one(WorkItem, item_id)
        assert (item.state, item.reserved_by, item.released_at) == ("COMPLETED", None, now)
        assert item.updated_at > before  # ``onupdate=utcnow`` ran as it does through Core
    with world.tx() as s:  # no such item: nothing changes
        assert sql.COMPLETE.rowcount(s, {"item_id": "nope", "step_run_id": "x", "now": now}) == 0


def test_driver_errors_are_sqlalchemy_errors(world: World) -> None:
    duplicate = Prepared(
        insert(AuditEntry.__table__).values(  # type: ignore[arg-type]
            {c.key: bindparam(c.key) for c in AuditEntry.__table__.c}
        )
    )
    with world.tx() as s:
        last = _LAST.first(s)
        assert last is not None  # starting the run wrote audit rows
        row = s.scalars(select(AuditEntry).where(AuditEntry.seq == last["seq"])).one()
        values = {c.key: getattr(row, c.key) for c in AuditEntry.__table__.c}
    with pytest.raises(IntegrityError), world.tx() as s:
        duplicate.execute_many(s, [values])  # the same seq and hash again


def test_an_update_returning_reads_its_rows_as_a_query_does(world: World) -> None:
    run = world.start(InputSpec({"n": 0}))
    sr = world.step_run(run)
    items = WorkItem.__table__
    bump = Prepared(
        update(items)  # type: ignore[arg-type]
        .where(items.c.id == bindparam("item_id"))
        .values(attempts=items.c.attempts + 1)
        .returning(items.c.id, items.c.attempts, items.c.available_at)
    )
    with world.tx() as s:
        row = bump.first(s, {"item_id": sr.first_item_id})
        missing = bump.first(s, {"item_id": "nope"})
    assert row is not None and missing is None
    assert (row["id"], row["attempts"]) == (sr.first_item_id, 2)
    assert row["available_at"].tzinfo is not None  # the column's result processor ran


def test_postgresql_plans_a_hot_statement_once_for_every_execution(world: World) -> None:
    """The constants of a statement (here ``LIMIT 1``) are written into its text on
    PostgreSQL, so after its first executions the server runs one generic plan instead
    of planning it again each time; with ``LIMIT`` a parameter it never did."""
    with world.tx() as s:
        if s.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL's plan cache; SQLite has none to choose")
        for _ in range(12):  # psycopg prepares after 5; the server goes generic after 5 more
            assert _LAST.first(s) is not None
        plans = (
            s.connection()
            .exec_driver_sql(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE position('ORDER BY audit_log.seq DESC' in statement) > 0"
            )
            .one()
        )
    assert "LIMIT 1" in _LAST._for(s.get_bind().dialect).sql
    assert plans.generic_plans > 0, f"planned every time: {plans}"


def test_sqlite_keeps_constants_as_parameters(world: World) -> None:
    with world.tx() as s:
        dialect = s.get_bind().dialect
    if dialect.name != "sqlite":
        pytest.skip("SQLite's statements")
    compiled = _LAST._for(dialect)
    assert "LIMIT ?" in compiled.sql and 1 in compiled.fixed.values()
