"""``clerk workers``: the workers registered with the Control Room, what each is doing.

Works on the Control Room database directly (see ``controlroom.cli``)."""

from __future__ import annotations

from typing import Any

from controlroom.cli_support import HOST_NOTE, JSON_OPTION, print_table
from controlroom.cli_support import session as db_session


def workers(as_json: bool = JSON_OPTION) -> None:
    """List workers: name, state, last heartbeat, concurrency and the step runs each is
    running now."""
    from controlroom.console.queries import workers_with_work

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


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
