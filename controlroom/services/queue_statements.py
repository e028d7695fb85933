"""The queue hot path's SQL, built once at import as Core statements on the tables.

Building a SQLAlchemy expression costs more Python time than running it on SQLite (the
profile of a reserve + release cycle showed ~40% of it in statement construction), and
so did SQLAlchemy's execution path: reserve and release run these statements as
``driver_sql.Prepared`` (compiled once per dialect, run on the driver connection).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, exists, select, update

from controlroom.driver_sql import Prepared
from controlroom.models import ProcessRun, StepRun, WorkItem
from controlroom.states import ItemState, StepRunState

items = cast(Table, WorkItem.__table__)
_parents = items.alias("parent")
_step_runs = cast(Table, StepRun.__table__)
_process_runs = cast(Table, ProcessRun.__table__)

# What the audit row and the checks need of an item.
ITEM_COLUMNS = (
    items.c.id,
    items.c.process_run_id,
    items.c.state,
    items.c.attempts,
    items.c.exception_type,
    items.c.exception_code,
    items.c.exception_message,
    items.c.reserved_by,
    items.c.available_at,
    items.c.rejected_at,
    items.c.correlation_id,
)

# Params: step_run_id. Run once per step run and process (then remembered): plain Core.
STEP_RUN = (
    select(
        _step_runs.c.state,
        _step_runs.c.process_run_id,
        _step_runs.c.step_id,
        _process_runs.c.process_id,
    )
    .join(_process_runs, _process_runs.c.id == _step_runs.c.process_run_id)
    .where(_step_runs.c.id == bindparam("step_run_id"))
)

# Params: run, step, now. Same rule as ``queue.reservation_query`` (the ORM form).
NEXT_PENDING = Prepared(
    select(*ITEM_COLUMNS)
    .where(
        items.c.process_run_id == bindparam("run"),
        items.c.step_id == bindparam("step"),
        items.c.state == ItemState.PENDING.value,
        items.c.available_at <= bindparam("now"),
        ~exists().where(
            _parents.c.id == items.c.parent_id,
            _parents.c.state == ItemState.IN_PROGRESS.value,
        ),
    )
    .order_by(items.c.available_at, items.c.id)
    .limit(1)
    .with_for_update(skip_locked=True)
)

# The step run must still be RUNNING: checked in the update itself (row count 0 if not),
# so the hot path needs no separate query for it.
_STEP_RUN_RUNNING = exists().where(
    _step_runs.c.id == bindparam("step_run_id"),
    _step_runs.c.state == StepRunState.RUNNING.value,
)

# Params: item_id, new_attempts, step_run_id, now.
RESERVE = Prepared(
    update(items)
    .where(items.c.id == bindparam("item_id"), _STEP_RUN_RUNNING)
    .values(
        state=ItemState.IN_PROGRESS.value,
        attempts=bindparam("new_attempts"),
        reserved_by=bindparam("step_run_id"),
        reserved_at=bindparam("now"),
        released_at=None,
    )
)

# Params: item_id.
LOCKED_ITEM = Prepared(
    select(*ITEM_COLUMNS).where(items.c.id == bindparam("item_id")).with_for_update()
)

# Params: item_id, step_run_id, now.
COMPLETE = Prepared(
    update(items)
    .where(items.c.id == bindparam("item_id"), _STEP_RUN_RUNNING)
    .values(
        state=ItemState.COMPLETED.value,
        exception_type=None,
        exception_code=None,
        exception_message=None,
        reserved_by=None,
        released_at=bindparam("now"),
    )
)
