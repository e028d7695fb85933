"""``clerk workers``: the workers registered with the Control Room, what each is doing.

Works on the Control Room database directly (see ``controlroom.cli``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from controlroom.cli_support import HOST_NOTE, JSON_OPTION, print_table
from controlroom.cli_support import session as db_session

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def workers(as_json: bool = JSON_OPTION) -> None:
    """List workers: name, state, last heartbeat, concurrency and the step runs each is
    running now."""
    with db_session() as (session, ws, _, _):
        rows: list[dict[str, Any]] = [
            {
                "id": worker.id,
                "name": worker.name,
                "hostname": worker.hostname,
                "state": worker.state,
                "last_heartbeat": _iso(worker.last_heartbeat_at),
                "concurrency": worker.concurrency,
                "running": [
                    {
                        "step_run_id": sr.id,
                        "process": process,
                        "step": step,
                        "started_at": _iso(sr.started_at),
                    }
                    for sr, step, process in running
                ],
            }
            for worker, running in workers_with_work(session, ws)
        ]
    if not as_json:
        for row in rows:
            row["running"] = ", ".join(
                f"{r['step']} ({r['step_run_id'][:8]})" for r in row["running"]
            )
    columns = ["name", "state", "last_heartbeat", "concurrency", "running"]
    print_table(rows, columns, as_json)


workers.__doc__ = f"{workers.__doc__} {HOST_NOTE}"


def workers_with_work(session: Session, workspace_id: str) -> list[tuple[Any, list[Any]]]:
    """Each worker of the workspace by name, with its RUNNING step runs as (step run,
    step name, process name)."""
    from sqlalchemy import select

    from controlroom.models import Process, ProcessStep, StepRun, Worker
    from controlroom.states import StepRunState

    workers = session.scalars(
        select(Worker).where(Worker.workspace_id == workspace_id).order_by(Worker.name)
    ).all()
    running = session.execute(
        select(StepRun, ProcessStep.name, Process.name)
        .join(ProcessStep, ProcessStep.id == StepRun.step_id)
        .join(Process, Process.id == ProcessStep.process_id)
        .where(Process.workspace_id == workspace_id)
        .where(StepRun.state == StepRunState.RUNNING.value, StepRun.worker_id.is_not(None))
        .order_by(StepRun.started_at)
    ).all()
    by_worker: dict[str, list[Any]] = {}
    for step_run, step, process in running:
        by_worker.setdefault(step_run.worker_id or "", []).append((step_run, step, process))
    return [(w, by_worker.get(w.id, [])) for w in workers]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
