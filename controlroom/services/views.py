"""Plain-dict views of rows: what the audit log records and the APIs return."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from controlroom.models import File, ProcessRun, StepRun, WorkItem


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def item_state(item: WorkItem) -> dict[str, Any]:
    """The part of an item the queue changes (payload left out: it may be large)."""
    return {
        "state": item.state,
        "attempts": item.attempts,
        "exception": exception_of(item),
        "reserved_by": item.reserved_by,
        "available_at": _iso(item.available_at),
        "rejected": item.rejected_at is not None,
    }


def exception_of(item: WorkItem) -> dict[str, str | None] | None:
    if item.exception_type is None and item.exception_code is None:
        return None
    return {
        "type": item.exception_type,
        "code": item.exception_code,
        "message": item.exception_message,
    }


def item_view(item: WorkItem, *, step_position: int | None = None) -> dict[str, Any]:
    return {
        "id": item.id,
        "process_run_id": item.process_run_id,
        "step_id": item.step_id,
        "step_position": step_position,
        "parent_id": item.parent_id,
        "created_by": item.created_by,
        "state": item.state,
        "payload": item.payload,
        "exception": exception_of(item),
        "attempts": item.attempts,
        "reserved_by": item.reserved_by,
        "reserved_at": _iso(item.reserved_at),
        "released_at": _iso(item.released_at),
        "available_at": _iso(item.available_at),
        "rejected": item.rejected_at is not None,
        "rejected_at": _iso(item.rejected_at),
        "rejected_by": item.rejected_by,
        "rejection_reason": item.rejection_reason,
        "correlation_id": item.correlation_id,
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
    }


def file_view(file: File) -> dict[str, Any]:
    return {
        "id": file.id,
        "name": file.name,
        "size": file.size,
        "sha256": file.sha256,
        "created_at": _iso(file.created_at),
    }


def step_run_view(step_run: StepRun) -> dict[str, Any]:
    return {
        "id": step_run.id,
        "process_run_id": step_run.process_run_id,
        "step_id": step_run.step_id,
        "state": step_run.state,
        "worker_id": step_run.worker_id,
        "created_at": _iso(step_run.created_at),
        "started_at": _iso(step_run.started_at),
        "ended_at": _iso(step_run.ended_at),
        "exit_code": step_run.exit_code,
        "message": step_run.message,
    }


def run_view(run: ProcessRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "process_id": run.process_id,
        "state": run.state,
        "started_by": run.started_by,
        "correlation_id": run.correlation_id,
        "created_at": _iso(run.created_at),
        "ended_at": _iso(run.ended_at),
    }
