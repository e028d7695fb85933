"""Read queries the console needs and the core services do not offer.

The exception queue is the one that must stay fast at scale: FAILED, not rejected,
filtered by process/step/exception/age, sorted, and paged with LIMIT/OFFSET. The
``ix_work_items_failed_facets`` index (FAILED items only) gives the counts without reading
table rows and ``ix_work_items_state_updated`` the order; measured numbers are in
``bench/bench_console.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from controlroom._console_models import ReviewLock
from controlroom._db_types import utcnow
from controlroom.models import (
    Artifact,
    AuditEntry,
    Process,
    ProcessRun,
    ProcessStep,
    StepRun,
    Worker,
    WorkItem,
)
from controlroom.states import ItemState, StepRunState

S = TypeVar("S", bound=Select[*tuple[Any, ...]])
PAGE_SIZES = (25, 50, 100)
SORTS = {
    "newest": (WorkItem.updated_at.desc(), WorkItem.id.desc()),
    "oldest": (WorkItem.updated_at.asc(), WorkItem.id.asc()),
    "code": (WorkItem.exception_code.asc(), WorkItem.updated_at.desc(), WorkItem.id.desc()),
    "attempts": (WorkItem.attempts.desc(), WorkItem.updated_at.desc(), WorkItem.id.desc()),
}
AGES = {"1h": 3600, "1d": 86400, "7d": 7 * 86400}


@dataclass(frozen=True)
class QueueFilter:
    process_id: str = ""
    step_id: str = ""
    exception_type: str = ""
    exception_code: str = ""
    older_than: str = ""  # a key of AGES: only items failed at least that long ago
    sort: str = "newest"
    page: int = 1
    size: int = 50

    def clean(self) -> QueueFilter:
        return QueueFilter(
            self.process_id,
            self.step_id,
            self.exception_type
            if self.exception_type in ("BUSINESS", "APPLICATION", "ORCHESTRATOR")
            else "",
            self.exception_code[:100],
            self.older_than if self.older_than in AGES else "",
            self.sort if self.sort in SORTS else "newest",
            max(self.page, 1),
            self.size if self.size in PAGE_SIZES else 50,
        )


@dataclass(frozen=True)
class QueueRow:
    item_id: str
    process_name: str
    step_name: str
    step_position: int
    exception_type: str | None
    exception_code: str | None
    exception_message: str | None
    attempts: int
    failed_at: datetime
    document_name: str | None
    locked_by: str | None = None  # a reviewer with a live lock on it


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    by_type: dict[str, int]
    by_code: list[tuple[str, int]]
    filter: QueueFilter

    @property
    def pages(self) -> int:
        return max((self.total + self.filter.size - 1) // self.filter.size, 1)


def _queue_where(stmt: S, workspace_id: str, f: QueueFilter) -> S:
    stmt = stmt.where(
        WorkItem.state == ItemState.FAILED.value,
        WorkItem.rejected_at.is_(None),
        WorkItem.workspace_id == workspace_id,
    )
    if f.step_id:
        stmt = stmt.where(WorkItem.step_id == f.step_id)
    elif f.process_id:
        steps = select(ProcessStep.id).where(ProcessStep.process_id == f.process_id)
        stmt = stmt.where(WorkItem.step_id.in_(steps))
    if f.older_than:
        stmt = stmt.where(WorkItem.updated_at <= utcnow() - timedelta(seconds=AGES[f.older_than]))
    return stmt


def exception_queue(session: Session, workspace_id: str, f: QueueFilter) -> QueuePage:
    f = f.clean()
    # One grouped scan gives both facets: counts per type (for the chosen code) and per
    # code (for the chosen type).
    facets = session.execute(
        _queue_where(
            select(WorkItem.exception_type, WorkItem.exception_code, func.count()), workspace_id, f
        ).group_by(WorkItem.exception_type, WorkItem.exception_code)
    ).all()
    by_type: dict[str, int] = {}
    codes: dict[str, int] = {}
    for kind, code, count in facets:
        if not f.exception_code or code == f.exception_code:
            by_type[kind or "—"] = by_type.get(kind or "—", 0) + count
        if not f.exception_type or kind == f.exception_type:
            codes[code or "—"] = codes.get(code or "—", 0) + count
    by_code = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[:30]
    total = by_type.get(f.exception_type, 0) if f.exception_type else sum(by_type.values())
    stmt = _queue_where(
        select(
            WorkItem.id,
            Process.name,
            ProcessStep.name,
            ProcessStep.position,
            WorkItem.exception_type,
            WorkItem.exception_code,
            WorkItem.exception_message,
            WorkItem.attempts,
            WorkItem.updated_at,
            WorkItem.payload["document"]["name"].as_string(),
        )
        .join(ProcessStep, ProcessStep.id == WorkItem.step_id)
        .join(Process, Process.id == ProcessStep.process_id),
        workspace_id,
        f,
    )
    if f.exception_type:
        stmt = stmt.where(WorkItem.exception_type == f.exception_type)
    if f.exception_code:
        stmt = stmt.where(WorkItem.exception_code == f.exception_code)
    stmt = stmt.order_by(*SORTS[f.sort]).limit(f.size).offset((f.page - 1) * f.size)
    rows = [QueueRow(*row) for row in session.execute(stmt)]
    if rows:
        locks = dict(
            session.execute(
                select(ReviewLock.work_item_id, ReviewLock.username).where(
                    ReviewLock.work_item_id.in_([r.item_id for r in rows]),
                    ReviewLock.expires_at > utcnow(),
                )
            ).all()
        )
        rows = [replace(r, locked_by=locks.get(r.item_id)) for r in rows]
    return QueuePage(rows, total, by_type, by_code, f)


def process_steps(session: Session, workspace_id: str) -> list[tuple[Process, ProcessStep]]:
    return list(
        (process, step)
        for process, step in session.execute(
            select(Process, ProcessStep)
            .join(ProcessStep, ProcessStep.process_id == Process.id)
            .where(Process.workspace_id == workspace_id)
            .order_by(Process.name, ProcessStep.position)
        ).all()
    )


def queue_depths(session: Session, workspace_id: str) -> dict[str, dict[str, int]]:
    """Items per step id and state; rejected items are counted as ``REJECTED``."""
    rows = session.execute(
        select(WorkItem.step_id, WorkItem.state, WorkItem.rejected_at.is_not(None), func.count())
        .where(WorkItem.workspace_id == workspace_id)
        .group_by(WorkItem.step_id, WorkItem.state, WorkItem.rejected_at.is_not(None))
    ).all()
    depths: dict[str, dict[str, int]] = {}
    for step_id, state, rejected, count in rows:
        key = "REJECTED" if rejected else state
        bucket = depths.setdefault(step_id, {})
        bucket[key] = bucket.get(key, 0) + count
    return depths


def recent_runs(
    session: Session, workspace_id: str, limit: int = 50, offset: int = 0
) -> list[tuple[ProcessRun, str]]:
    return list(
        session.execute(
            select(ProcessRun, Process.name)
            .join(Process, Process.id == ProcessRun.process_id)
            .where(ProcessRun.workspace_id == workspace_id)
            .order_by(ProcessRun.created_at.desc(), ProcessRun.id)
            .limit(limit)
            .offset(offset)
        ).all()
    )


@dataclass(frozen=True)
class StepRunRow:
    step_run: StepRun
    step_name: str
    step_position: int
    worker_name: str | None
    artifacts: list[Artifact]
    released: int = 0  # items this step run released
    failed: int = 0  # ... of them as FAILED (BUSINESS or APPLICATION)

    @property
    def warn(self) -> bool:
        """A step run that ended well although items failed in it: not all green."""
        return self.failed > 0 and self.step_run.state == StepRunState.COMPLETED.value

    @property
    def duration(self) -> float | None:
        if self.step_run.started_at is None:
            return None
        end = self.step_run.ended_at or utcnow()
        return (end - self.step_run.started_at).total_seconds()


def step_run_rows(session: Session, run_id: str) -> list[StepRunRow]:
    rows = session.execute(
        select(StepRun, ProcessStep.name, ProcessStep.position, Worker.name)
        .join(ProcessStep, ProcessStep.id == StepRun.step_id)
        .outerjoin(Worker, Worker.id == StepRun.worker_id)
        .where(StepRun.process_run_id == run_id)
        .order_by(StepRun.created_at, StepRun.id)
    ).all()
    ids = [r[0].id for r in rows]
    artifacts: dict[str, list[Artifact]] = {}
    if ids:
        for artifact in session.scalars(
            select(Artifact).where(Artifact.step_run_id.in_(ids)).order_by(Artifact.name)
        ):
            artifacts.setdefault(artifact.step_run_id, []).append(artifact)
    outcomes = _release_counts(session, run_id) if ids else {}
    return [
        StepRunRow(sr, name, pos, worker, artifacts.get(sr.id, []), *outcomes.get(sr.id, (0, 0)))
        for sr, name, pos, worker in rows
    ]


def _release_counts(session: Session, run_id: str) -> dict[str, tuple[int, int]]:
    """(released, failed) per step run of a run, from the audit log's ``item.release``
    entries: the item rows keep only their latest state (a retry clears who released it),
    while the log keeps each release, with the step run that held the item."""
    step_run = AuditEntry.before["reserved_by"].as_string()
    failed = AuditEntry.after["released_as"].as_string() == ItemState.FAILED.value
    rows = session.execute(
        select(step_run, func.count(), func.sum(case((failed, 1), else_=0)))
        .join(WorkItem, WorkItem.id == AuditEntry.entity_id)
        .where(
            WorkItem.process_run_id == run_id,
            AuditEntry.entity == "work_item",
            AuditEntry.action == "item.release",
        )
        .group_by(step_run)
    ).all()
    return {sr: (int(n), int(f or 0)) for sr, n, f in rows if sr}


def run_items(session: Session, run_id: str, limit: int = 200) -> list[tuple[WorkItem, int]]:
    return list(
        session.execute(
            select(WorkItem, ProcessStep.position)
            .join(ProcessStep, ProcessStep.id == WorkItem.step_id)
            .where(WorkItem.process_run_id == run_id)
            .order_by(ProcessStep.position, WorkItem.created_at, WorkItem.id)
            .limit(limit)
        ).all()
    )


def workers_with_work(
    session: Session, workspace_id: str
) -> list[tuple[Worker, list[tuple[StepRun, str, str]]]]:
    workers = list(
        session.scalars(
            select(Worker).where(Worker.workspace_id == workspace_id).order_by(Worker.name)
        )
    )
    running = session.execute(
        select(StepRun, ProcessStep.name, Process.name)
        .join(ProcessStep, ProcessStep.id == StepRun.step_id)
        .join(Process, Process.id == ProcessStep.process_id)
        .where(StepRun.state == StepRunState.RUNNING.value, StepRun.worker_id.is_not(None))
    ).all()
    by_worker: dict[str, list[tuple[StepRun, str, str]]] = {}
    for step_run, step_name, process_name in running:
        by_worker.setdefault(step_run.worker_id or "", []).append(
            (step_run, step_name, process_name)
        )
    return [(w, by_worker.get(w.id, [])) for w in workers]


def item_history(session: Session, item_id: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "work_item", AuditEntry.entity_id == item_id)
            .order_by(AuditEntry.seq)
        )
    )


def artifact(session: Session, workspace_id: str, artifact_id: str) -> Artifact | None:
    """An artifact of a step run in this workspace (another workspace's is not found)."""
    return session.scalar(
        select(Artifact)
        .join(StepRun, StepRun.id == Artifact.step_run_id)
        .join(ProcessRun, ProcessRun.id == StepRun.process_run_id)
        .where(Artifact.id == artifact_id, ProcessRun.workspace_id == workspace_id)
    )


def is_active(run: ProcessRun) -> bool:
    return run.state in ("PENDING", "RUNNING")


def since(hours: int) -> datetime:
    return utcnow() - timedelta(hours=hours)


def next_failed_item(session: Session, workspace_id: str, after: str, username: str) -> str | None:
    """The newest open failure other than ``after`` that nobody else has open."""
    others = select(ReviewLock.work_item_id).where(
        ReviewLock.expires_at > utcnow(), ReviewLock.username != username
    )
    return session.scalar(
        _queue_where(select(WorkItem.id), workspace_id, QueueFilter())
        .where(WorkItem.id != after, WorkItem.id.not_in(others))
        .order_by(*SORTS["newest"])
        .limit(1)
    )
