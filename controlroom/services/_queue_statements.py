"""The queue hot path's SQL, built once at import as Core statements on the tables.

Building a SQLAlchemy expression costs more Python time than running it on SQLite (a
profile of a reserve + release cycle shows where it goes), and
so did SQLAlchemy's execution path: reserve and release run these statements as
``_driver_sql.Prepared`` (compiled once per dialect, run on the driver connection).

On PostgreSQL each statement is a network round trip, and the robots' brief writes wait
for one another's (``api._write_batch``), so there reserve and complete are one statement
each (``RESERVE_RETURNING``, ``COMPLETE_RETURNING``): an ``UPDATE ... FROM`` a locking
sub-select, ``RETURNING`` the row as it was (what the audit row's ``before`` needs).
SQLite's ``RETURNING`` cannot name the sub-select's columns, and an in-process statement
costs no round trip: there the select and the update stay two statements.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, bindparam, exists, select, update
from sqlalchemy.sql.selectable import NamedFromClause

from controlroom._driver_sql import Prepared
from controlroom.models import ProcessRun, StepRun, WorkItem
from controlroom.states import ItemState, StepRunState

items = cast(Table, WorkItem.__table__)
parents = items.alias("parent")
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
        _step_runs.c.started_at,
    )
    .join(_process_runs, _process_runs.c.id == _step_runs.c.process_run_id)
    .where(_step_runs.c.id == bindparam("step_run_id"))
)


def reservable(
    candidates: NamedFromClause, parents: NamedFromClause, run: Any, step: Any, now: Any
) -> tuple[ColumnElement[bool], ...]:
    """The reservation rule, the one copy: a PENDING item of the (run, step) that is due and
    whose parent is not IN_PROGRESS (an output waits while the input it came from is still
    being worked). ``run``, ``step`` and ``now`` are values or bind parameters. The queue
    reserves by it (``NEXT_PENDING``, ``RESERVE_RETURNING``) and the scheduler counts by it."""
    return (
        candidates.c.process_run_id == run,
        candidates.c.step_id == step,
        candidates.c.state == ItemState.PENDING.value,
        candidates.c.available_at <= now,
        ~exists().where(
            parents.c.id == candidates.c.parent_id,
            parents.c.state == ItemState.IN_PROGRESS.value,
        ),
    )


def _next_pending(candidates: NamedFromClause, parents: NamedFromClause) -> Select[Any]:
    """The oldest reservable item, locked past the ones others hold. Params: run, step, now."""
    rule = reservable(candidates, parents, bindparam("run"), bindparam("step"), bindparam("now"))
    return (
        select(*(candidates.c[c.key] for c in ITEM_COLUMNS))
        .where(*rule)
        .order_by(candidates.c.available_at, candidates.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


NEXT_PENDING = Prepared(_next_pending(items, parents))

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


# PostgreSQL only, params: run, step, step_run_id, now. ``NEXT_PENDING`` and ``RESERVE``
# in one statement; returns the item as it was (``ITEM_COLUMNS``), or no row when the
# queue has nothing available or the step run is not RUNNING.
_candidates = items.alias("candidate")
_candidateparents = items.alias("candidate_parent")
_picked = _next_pending(_candidates, _candidateparents).subquery("picked")
RESERVE_RETURNING = Prepared(
    update(items)
    .where(items.c.id == _picked.c.id, _STEP_RUN_RUNNING)
    .values(
        state=ItemState.IN_PROGRESS.value,
        attempts=_picked.c.attempts + 1,
        reserved_by=bindparam("step_run_id"),
        reserved_at=bindparam("now"),
        released_at=None,
    )
    .returning(*_picked.c)
)

# PostgreSQL only, params: item_id, run, step_run_id, now. ``LOCKED_ITEM`` and
# ``COMPLETE`` in one statement, when the step run (RUNNING) holds the item IN_PROGRESS
# in its run; returns the item as it was, or no row (then the two-statement path finds
# out why, with the right error).
_held = (
    select(*(_candidates.c[c.key] for c in ITEM_COLUMNS))
    .where(_candidates.c.id == bindparam("item_id"))
    .with_for_update()
    .subquery("held")
)
COMPLETE_RETURNING = Prepared(
    update(items)
    .where(
        items.c.id == _held.c.id,
        _held.c.process_run_id == bindparam("run"),
        _held.c.state == ItemState.IN_PROGRESS.value,
        _held.c.reserved_by == bindparam("step_run_id"),
        _STEP_RUN_RUNNING,
    )
    .values(
        state=ItemState.COMPLETED.value,
        exception_type=None,
        exception_code=None,
        exception_message=None,
        reserved_by=None,
        released_at=bindparam("now"),
    )
    .returning(*_held.c)
)
