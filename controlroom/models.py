"""The Control Room's schema (SQLAlchemy 2 typed ORM), one table per concept.

Ids are random UUID strings (the stock robocorp client treats them as opaque strings);
the audit log alone is keyed by a gap-free sequence. Enum columns are plain strings with
CHECK constraints so SQLite and PostgreSQL behave alike and migrations stay simple.

Tables:
    workspaces      tenancy boundary; every token is scoped to one
    users           console accounts (argon2 password hash, role)
    processes       named chains of steps
    process_steps   ordered steps: robot dir + task name + retry policy
    process_runs    one execution of a process
    step_runs       one robot execution of one step of a run (worker, times, exit code)
    artifacts       logs and artifacts uploaded for a step run (content-addressed blobs)
    work_items      the queue: item per (run, step); outputs link to their parent
    files           files attached to work items (content-addressed blobs)
    tokens          bearer tokens, stored as sha256 of the secret
    workers         registered worker machines and their heartbeats
    audit_log       append-only, hash-chained record of every change
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from controlroom._db_types import JSONType, UTCDateTime, utcnow
from controlroom.states import (
    ArtifactKind,
    ExceptionType,
    ItemState,
    RunState,
    StepRunState,
    TokenKind,
    UserRole,
    WorkerState,
)

# Deterministic constraint names: Alembic can then alter/drop them on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def _one_of(column: str, values: type) -> str:
    return f"{column} IN ({', '.join(repr(str(v.value)) for v in values)})"  # type: ignore[attr-defined]


def partial(condition: str) -> dict[str, Any]:
    """An index's keyword arguments for holding only the rows that meet ``condition``."""
    return {"postgresql_where": text(condition), "sqlite_where": text(condition)}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        # SQLAlchemy 2.1 maps float to Double; Float is what the migrations create (and
        # is double precision on PostgreSQL), so the schema check stays exact on SQLite.
        float: Float(),
    }


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", UserRole), name="role"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(400))
    role: Mapped[str] = mapped_column(String(20), default=UserRole.VIEWER.value)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class Process(Base):
    __tablename__ = "processes"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_processes_ws_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    steps: Mapped[list[ProcessStep]] = relationship(
        order_by="ProcessStep.position", back_populates="process", cascade="all, delete-orphan"
    )


class ProcessStep(Base):
    """One step. Retry policy: an APPLICATION failure is re-queued while
    ``attempts < max_attempts``, after ``backoff_seconds * backoff_factor**(attempts-1)``
    (capped at ``max_backoff_seconds``)."""

    __tablename__ = "process_steps"
    __table_args__ = (
        UniqueConstraint("process_id", "position", name="uq_process_steps_position"),
        CheckConstraint("position >= 1", name="position"),
        CheckConstraint("max_attempts >= 1", name="max_attempts"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    process_id: Mapped[str] = mapped_column(ForeignKey("processes.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based order in the process
    name: Mapped[str] = mapped_column(String(200))
    robot_dir: Mapped[str] = mapped_column(Text)
    task_name: Mapped[str] = mapped_column(String(200))  # a task in the robot's robot.yaml
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    backoff_seconds: Mapped[float] = mapped_column(Float, default=30.0)
    backoff_factor: Mapped[float] = mapped_column(Float, default=2.0)
    max_backoff_seconds: Mapped[float] = mapped_column(Float, default=3600.0)

    process: Mapped[Process] = relationship(back_populates="steps")


class ProcessRun(Base):
    __tablename__ = "process_runs"
    __table_args__ = (
        CheckConstraint(_one_of("state", RunState), name="state"),
        Index("ix_process_runs_process_created", "process_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    process_id: Mapped[str] = mapped_column(ForeignKey("processes.id"))
    state: Mapped[str] = mapped_column(String(20), default=RunState.PENDING.value)
    started_by: Mapped[str] = mapped_column(String(200))  # actor, e.g. "cli:alice"
    correlation_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class Worker(Base):
    __tablename__ = "workers"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name", name="uq_workers_ws_name"),
        CheckConstraint(_one_of("state", WorkerState), name="state"),
        CheckConstraint("concurrency >= 1", name="concurrency"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    name: Mapped[str] = mapped_column(String(200))
    hostname: Mapped[str] = mapped_column(String(255), default="")
    state: Mapped[str] = mapped_column(String(20), default=WorkerState.OFFLINE.value)
    concurrency: Mapped[int] = mapped_column(Integer, default=1)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat_at: Mapped[datetime | None]


class StepRun(Base):
    __tablename__ = "step_runs"
    __table_args__ = (
        CheckConstraint(_one_of("state", StepRunState), name="state"),
        # Workers claim the oldest PENDING step run; crash detection scans RUNNING ones.
        Index("ix_step_runs_state_created", "state", "created_at"),
        Index("ix_step_runs_run_step", "process_run_id", "step_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    process_run_id: Mapped[str] = mapped_column(ForeignKey("process_runs.id"))
    step_id: Mapped[str] = mapped_column(ForeignKey("process_steps.id"))
    state: Mapped[str] = mapped_column(String(20), default=StepRunState.PENDING.value)
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("workers.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    exit_code: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")  # why it ended, for people


class Artifact(Base):
    """A step run's log or output artifact; bytes live in the content-addressed store."""

    __tablename__ = "artifacts"
    __table_args__ = (
        UniqueConstraint("step_run_id", "name", name="uq_artifacts_step_run_name"),
        CheckConstraint(_one_of("kind", ArtifactKind), name="kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    step_run_id: Mapped[str] = mapped_column(ForeignKey("step_runs.id"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    blob_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkItem(Base):
    """One unit of work for one step of one run.

    ``attempts`` counts reservations; a re-queued item keeps its id and count.
    ``available_at`` delays a retried item (backoff). A rejected item stays FAILED with
    ``rejected_at`` set: terminal, never retried, and out of the exception queue.
    """

    __tablename__ = "work_items"
    __table_args__ = (
        CheckConstraint(_one_of("state", ItemState), name="state"),
        CheckConstraint(
            f"exception_type IS NULL OR {_one_of('exception_type', ExceptionType)}",
            name="exception_type",
        ),
        # The reservation query: equality on run/step/state, then the oldest available.
        Index("ix_work_items_queue", "process_run_id", "step_id", "state", "available_at", "id"),
        # Partial (migration 0009): a reserve or release writes an entry into every
        # index whose condition its row meets, so these hold only the rows asked for.
        Index("ix_work_items_reserved_by", "reserved_by", **partial("reserved_by IS NOT NULL")),
        Index("ix_work_items_parent", "parent_id", **partial("parent_id IS NOT NULL")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    process_run_id: Mapped[str] = mapped_column(ForeignKey("process_runs.id"))
    step_id: Mapped[str] = mapped_column(ForeignKey("process_steps.id"))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("work_items.id"))
    # The step run whose robot created this item as an output (None for run inputs).
    created_by: Mapped[str | None] = mapped_column(ForeignKey("step_runs.id"))
    state: Mapped[str] = mapped_column(String(20), default=ItemState.PENDING.value)
    payload: Mapped[Any] = mapped_column(JSONType, nullable=True)
    exception_type: Mapped[str | None] = mapped_column(String(20))
    exception_code: Mapped[str | None] = mapped_column(String(100))
    exception_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reserved_by: Mapped[str | None] = mapped_column(ForeignKey("step_runs.id"))
    reserved_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    rejected_at: Mapped[datetime | None]
    rejected_by: Mapped[str | None] = mapped_column(String(200))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    correlation_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class File(Base):
    """A file on a work item; names are unique per item (the client looks files up by name)."""

    __tablename__ = "files"
    __table_args__ = (UniqueConstraint("work_item_id", "name", name="uq_files_item_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    work_item_id: Mapped[str] = mapped_column(ForeignKey("work_items.id"))
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    blob_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Token(Base):
    """A bearer token. Only ``sha256(secret)`` is stored: the secret has 256 random bits,
    so a fast hash is enough (no dictionary to attack) and lookup stays one index probe."""

    __tablename__ = "tokens"
    __table_args__ = (CheckConstraint(_one_of("kind", TokenKind), name="kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    step_run_id: Mapped[str | None] = mapped_column(ForeignKey("step_runs.id"))
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("workers.id"))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Append-only. ``hash = sha256(prev_hash + canonical JSON of the entry)``; the first
    entry's ``prev_hash`` is 64 zeros. Only ``controlroom._audit.append`` writes here."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    correlation_id: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
