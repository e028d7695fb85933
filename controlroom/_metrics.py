"""Prometheus metrics read from the database at scrape time.

Nothing is counted in process memory: ``ControlRoomCollector`` queries the store on
every scrape, so any number of server processes (uvicorn workers, several hosts on one
PostgreSQL) report the same, correct figures, and a restart loses nothing.

Metrics (labels ``workspace``, ``process``, ``step`` (name) and ``position``):

    clerk_work_items{..., state}                 items per state (gauge)
    clerk_queue_depth{...}                       PENDING items of active runs available now
    clerk_queue_delayed{...}                     ... waiting for a retry backoff
    clerk_item_reserve_release_seconds{...}      histogram of released_at - reserved_at
    clerk_item_failures{..., type, code}         FAILED items by exception type and code
    clerk_item_retries_total{...}                reservations beyond each item's first
    clerk_step_runs{state}                       step runs per state
    clerk_process_runs{workspace, process, state}
    clerk_worker_heartbeat_age_seconds{workspace, worker}   seconds since last heartbeat
    clerk_workers{state}                         workers per state
    clerk_workers_online                         workers IDLE or BUSY

The latency histogram is computed from each item's latest reservation (a re-queued item
is counted again for its new attempt, replacing the earlier one), so its counts can go
down when an item is retried: read it as "the distribution over items as they are now",
which is what a dashboard of queue health needs. No egress counter exists in the store
yet, so none is exported.

Cost: item counts come from the covering queue index in its own order; the latency
histogram and the retry sum scan the released / retried items, so a scrape's time grows
with them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from sqlalchemy import Float, case, cast, func, literal_column, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from controlroom._db_types import utcnow
from controlroom.models import (
    Process,
    ProcessRun,
    ProcessStep,
    StepRun,
    Worker,
    WorkItem,
    Workspace,
)
from controlroom.states import ItemState, RunState, WorkerState

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)
STEP_LABELS = ("workspace", "process", "step", "position")


def _latency_seconds(dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.extract("epoch", WorkItem.released_at - WorkItem.reserved_at)
    # SQLite stores naive UTC text. julianday() keeps whole milliseconds, but as a day
    # number near 2.46 million its double carries only ~40 microseconds, so a difference
    # of two is rounded back to the milliseconds it holds (2 s stayed 1.99999 s before).
    days = func.julianday(WorkItem.released_at) - func.julianday(WorkItem.reserved_at)
    return func.round(days * cast(literal_column("86400.0"), Float), 3)


class ControlRoomCollector(Collector):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def describe(self) -> list[Metric]:
        # Registering must not query the database.
        return []

    def collect(self) -> Iterator[Metric]:
        with self.sessions() as session:
            yield from self._collect(session, utcnow())

    def _steps(self, session: Session) -> dict[str, tuple[str, str, str, str]]:
        rows = session.execute(
            select(
                ProcessStep.id, Workspace.name, Process.name, ProcessStep.name, ProcessStep.position
            )
            .join(Process, Process.id == ProcessStep.process_id)
            .join(Workspace, Workspace.id == Process.workspace_id)
        ).all()
        return {r[0]: (r[1], r[2], r[3], str(r[4])) for r in rows}

    def _collect(self, session: Session, now: datetime) -> Iterator[Metric]:
        steps = self._steps(session)
        dialect = session.get_bind().dialect.name
        yield from self._items(session, steps, now)
        yield self._latency(session, steps, dialect)
        yield self._failures(session, steps)
        yield from self._runs(session)
        yield from self._workers(session, now)

    def _items(
        self, session: Session, steps: dict[str, tuple[str, str, str, str]], now: datetime
    ) -> Iterator[Metric]:
        items = GaugeMetricFamily(
            "clerk_work_items", "Work items per state.", labels=[*STEP_LABELS, "state"]
        )
        retries = CounterMetricFamily(
            "clerk_item_retries", "Reservations beyond each item's first.", labels=list(STEP_LABELS)
        )
        depth = GaugeMetricFamily(
            "clerk_queue_depth", "PENDING items available now.", labels=list(STEP_LABELS)
        )
        delayed = GaugeMetricFamily(
            "clerk_queue_delayed",
            "PENDING items waiting for a retry backoff.",
            labels=list(STEP_LABELS),
        )
        # Grouped by (run, step, state) so SQLite and PostgreSQL answer from the covering
        # ix_work_items_queue index in its own order (no sort), however long the queue.
        pending = ItemState.PENDING.value
        rows = session.execute(
            select(
                WorkItem.process_run_id,
                WorkItem.step_id,
                WorkItem.state,
                func.count(),
                func.sum(
                    case(((WorkItem.state == pending) & (WorkItem.available_at <= now), 1), else_=0)
                ),
            ).group_by(WorkItem.process_run_id, WorkItem.step_id, WorkItem.state)
        ).all()
        active = set(
            session.scalars(
                select(ProcessRun.id).where(
                    ProcessRun.state.in_((RunState.PENDING.value, RunState.RUNNING.value))
                )
            )
        )
        per_state: dict[tuple[str, str], float] = {}
        available: dict[str, float] = {}
        waiting: dict[str, float] = {}
        for run_id, step_id, state, count, ready in rows:
            per_state[(step_id, state)] = per_state.get((step_id, state), 0) + count
            # The queue is what robots can still be given: PENDING items of active runs
            # (a stopped run keeps its PENDING items, but nobody will serve them).
            if state == pending and run_id in active:
                available[step_id] = available.get(step_id, 0) + float(ready or 0)
                waiting[step_id] = waiting.get(step_id, 0) + count - float(ready or 0)
        for (step_id, state), count in per_state.items():
            if step_id in steps:
                items.add_metric([*steps[step_id], state], count)
        retried = dict(
            session.execute(
                select(WorkItem.step_id, func.sum(WorkItem.attempts - 1))
                .where(WorkItem.attempts > 1)
                .group_by(WorkItem.step_id)
            ).all()
        )
        for step_id, labels in steps.items():
            retries.add_metric(list(labels), float(retried.get(step_id) or 0))
            depth.add_metric(list(labels), available.get(step_id, 0))
            delayed.add_metric(list(labels), waiting.get(step_id, 0))
        yield from (items, retries, depth, delayed)

    def _latency(
        self, session: Session, steps: dict[str, tuple[str, str, str, str]], dialect: str
    ) -> Metric:
        family = HistogramMetricFamily(
            "clerk_item_reserve_release_seconds",
            "Seconds from reservation to release, per item's latest attempt.",
            labels=list(STEP_LABELS),
        )
        latency = _latency_seconds(dialect)
        # One CASE per row giving the first bucket that holds it (it stops at the first
        # match), then cumulative sums here: far cheaper than one SUM(CASE) per bucket.
        bucket = case(
            *[(latency <= bound, index) for index, bound in enumerate(LATENCY_BUCKETS)],
            else_=len(LATENCY_BUCKETS),
        ).label("bucket")
        rows = session.execute(
            select(WorkItem.step_id, bucket, func.count(), func.coalesce(func.sum(latency), 0.0))
            .where(WorkItem.released_at.is_not(None), WorkItem.reserved_at.is_not(None))
            .group_by(WorkItem.step_id, bucket)
        ).all()
        per_step: dict[str, list[float]] = {}
        totals: dict[str, float] = {}
        for step_id, index, count, total in rows:
            counts = per_step.setdefault(step_id, [0.0] * (len(LATENCY_BUCKETS) + 1))
            counts[int(index)] += float(count)
            totals[step_id] = totals.get(step_id, 0.0) + float(total)
        for step_id, counts in per_step.items():
            if step_id not in steps:
                continue
            running, buckets = 0.0, []
            for bound, count in zip((*LATENCY_BUCKETS, math.inf), counts, strict=True):
                running += count
                buckets.append((_bound(bound), running))
            family.add_metric(list(steps[step_id]), buckets, sum_value=max(totals[step_id], 0.0))
        return family

    def _failures(self, session: Session, steps: dict[str, tuple[str, str, str, str]]) -> Metric:
        family = GaugeMetricFamily(
            "clerk_item_failures",
            "FAILED items by exception type and code.",
            labels=[*STEP_LABELS, "type", "code"],
        )
        rows = session.execute(
            select(WorkItem.step_id, WorkItem.exception_type, WorkItem.exception_code, func.count())
            .where(WorkItem.state == ItemState.FAILED.value)
            .group_by(WorkItem.step_id, WorkItem.exception_type, WorkItem.exception_code)
        ).all()
        for step_id, kind, code, count in rows:
            if step_id in steps:
                family.add_metric([*steps[step_id], kind or "", code or ""], count)
        return family

    def _runs(self, session: Session) -> Iterator[Metric]:
        step_runs = GaugeMetricFamily("clerk_step_runs", "Step runs per state.", labels=["state"])
        for state, count in session.execute(
            select(StepRun.state, func.count()).group_by(StepRun.state)
        ).all():
            step_runs.add_metric([state], count)
        runs = GaugeMetricFamily(
            "clerk_process_runs",
            "Process runs per state.",
            labels=["workspace", "process", "state"],
        )
        for workspace, process, state, count in session.execute(
            select(Workspace.name, Process.name, ProcessRun.state, func.count())
            .join(Process, Process.id == ProcessRun.process_id)
            .join(Workspace, Workspace.id == ProcessRun.workspace_id)
            .group_by(Workspace.name, Process.name, ProcessRun.state)
        ).all():
            runs.add_metric([workspace, process, state], count)
        yield from (step_runs, runs)

    def _workers(self, session: Session, now: datetime) -> Iterator[Metric]:
        age = GaugeMetricFamily(
            "clerk_worker_heartbeat_age_seconds",
            "Seconds since each worker's last heartbeat.",
            labels=["workspace", "worker"],
        )
        states = GaugeMetricFamily("clerk_workers", "Workers per state.", labels=["state"])
        per_state = dict.fromkeys((s.value for s in WorkerState), 0)
        online = 0
        for workspace, name, state, beat in session.execute(
            select(Workspace.name, Worker.name, Worker.state, Worker.last_heartbeat_at).join(
                Workspace, Workspace.id == Worker.workspace_id
            )
        ).all():
            per_state[state] = per_state.get(state, 0) + 1
            online += state in (WorkerState.IDLE.value, WorkerState.BUSY.value)
            if beat is not None:
                age.add_metric([workspace, name], max((now - beat).total_seconds(), 0.0))
        for state, count in per_state.items():
            states.add_metric([state], count)
        yield age
        yield states
        yield GaugeMetricFamily("clerk_workers_online", "Workers IDLE or BUSY.", value=online)


def _bound(value: float) -> str:
    return "+Inf" if math.isinf(value) else repr(float(value))
