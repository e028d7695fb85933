"""The Control Room's state vocabularies (no database imports: cheap to import anywhere)."""

from __future__ import annotations

from enum import StrEnum


class ItemState(StrEnum):
    """A work item's state, exactly the four the stock robocorp client knows."""

    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class ExceptionType(StrEnum):
    BUSINESS = "BUSINESS"
    APPLICATION = "APPLICATION"
    ORCHESTRATOR = "ORCHESTRATOR"


class RunState(StrEnum):
    """A process run: RUNNING while any item or step run is open."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"  # every item COMPLETED
    FAILED = "FAILED"  # done, with at least one FAILED item
    CANCELLED = "CANCELLED"


class StepRunState(StrEnum):
    PENDING = "PENDING"  # created, waiting for a worker
    RUNNING = "RUNNING"  # a worker (or a robot with its token) is on it
    COMPLETED = "COMPLETED"  # the task passed
    FAILED = "FAILED"  # the task failed (exit code != 0)
    CRASHED = "CRASHED"  # the worker/robot died or stopped heart-beating
    CANCELLED = "CANCELLED"


class TokenKind(StrEnum):
    ADMIN = "admin"  # operator API, every action, tokens included
    API = "api"  # operator API without token management
    WORKER = "worker"  # worker protocol (register, heartbeat, claim step runs)
    STEP_RUN = "step-run"  # the robocorp work-item API, for one step run only


class WorkerState(StrEnum):
    IDLE = "IDLE"
    BUSY = "BUSY"
    OFFLINE = "OFFLINE"
    DISABLED = "DISABLED"


class UserRole(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


class ArtifactKind(StrEnum):
    LOG = "log"
    ARTIFACT = "artifact"
