"""Control Room commands: ``clerk controlroom`` (serve) and the admin commands
``clerk processes|runs`` (``clerk items`` is ``controlroom.items_cli``, ``clerk tokens``
``controlroom.tokens_cli``).

The admin commands work on the Control Room's database directly through the domain
services (same rules, same audit log as the HTTP API), so run them on the Control Room
host with the same ``CLERK_*`` settings as the server. They act in the workspace named by
``CLERK_WORKSPACE`` (default ``default``), created on first use. Every listing takes
``--json``. SQLAlchemy, Alembic and FastAPI are imported inside the commands only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from controlroom import _limits as limits
from controlroom.cli_support import HOST_NOTE as _HOST_NOTE
from controlroom.cli_support import (
    ID_HELP,
    JSON_OPTION,
    cell,
    json_arg,
    print_table,
    state_arg,
    took,
)
from controlroom.cli_support import actor as _actor
from controlroom.cli_support import session as db_session

if TYPE_CHECKING:
    from controlroom.settings import ControlRoomSettings

processes = typer.Typer(help=f"Processes (ordered robot steps). {_HOST_NOTE}", no_args_is_help=True)
runs = typer.Typer(help=f"Process runs. {_HOST_NOTE}", no_args_is_help=True)


def serve(
    host: str | None = typer.Option(None, "--host", help="default CLERK_CONTROLROOM_HOST"),
    port: int | None = typer.Option(None, "--port", help="default CLERK_CONTROLROOM_PORT"),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="server processes on the port (16 robots on 2 cores: on SQLite a second "
        "process measured no faster, on PostgreSQL a little)",
    ),
) -> None:
    """Serve the Control Room (robocorp work-item API, operator API, workers)."""
    from controlroom import db, server
    from controlroom.settings import ControlRoomSettings

    settings = ControlRoomSettings()
    db.upgrade(settings.database_url)  # once, before any server process starts
    settings.signing_key_bytes()  # made once here, so the processes share it
    host = host or settings.controlroom_host
    port = port or settings.controlroom_port
    typer.echo(
        f"Control Room on http://{host}:{port} (database {_safe_url(settings)}, "
        f"{workers} server process{'es' if workers > 1 else ''})"
    )
    server.serve(host, port, workers)


def _safe_url(settings: ControlRoomSettings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


@processes.command("add")
def processes_add(
    name: str = typer.Argument(..., help="the process's name, unique in the workspace"),
    robot: Path = typer.Option(
        ...,
        "--robot",
        help="robot directory with robot.yaml; a relative path is stored as given and each "
        "worker resolves it against its --robots-dir (default: its working directory)",
    ),
    step: list[str] = typer.Option(..., "--step", help="robot.yaml task name, in order"),
    max_attempts: int | None = typer.Option(
        None,
        "--max-attempts",
        min=1,
        max=limits.MAX_ATTEMPTS,
        help=f"per step, 1..{limits.MAX_ATTEMPTS} (default CLERK_RETRY_MAX_ATTEMPTS)",
    ),
    backoff: float | None = typer.Option(
        None,
        "--backoff",
        min=0,
        max=limits.MAX_BACKOFF_SECONDS,
        help="first retry delay, s, up to 30 days (default CLERK_RETRY_BACKOFF_SECONDS)",
    ),
) -> None:
    """Add a process whose steps are tasks of one robot (checked against robot.yaml here).

    A relative --robot (e.g. `.`) is stored relative, so workers on other hosts find the
    robot under their own --robots-dir; an absolute one must exist on every worker."""
    import os
    from dataclasses import replace

    from controlroom.services.processes import StepSpec, create_process

    with db_session() as (session, ws, settings, _):
        policy = settings.retry_policy()
        if max_attempts is not None:
            policy = replace(policy, max_attempts=max_attempts)
        if backoff is not None:
            policy = replace(policy, backoff_seconds=backoff)
        stored = str(robot) if robot.is_absolute() else os.path.normpath(robot)
        specs = [StepSpec(stored, task, retry=policy) for task in step]
        process = create_process(
            session, ws, name, specs, actor=_actor(), max_steps=settings.max_process_steps
        )
        typer.echo(f"process {process.name} ({process.id}) with {len(specs)} step(s)")
        if not robot.is_absolute():
            typer.echo(
                f"robot dir {stored!r} is relative: each worker resolves it against its "
                "--robots-dir (CLERK_WORKER_ROBOTS_DIR; default: the directory it runs in)"
            )


@processes.command("list")
def processes_list(as_json: bool = JSON_OPTION) -> None:
    """List processes and their steps."""
    from controlroom.services.processes import list_processes, process_view

    with db_session() as (session, ws, _, _):
        views = [process_view(p) for p in list_processes(session, ws)]
    if as_json:
        typer.echo(json.dumps(views, indent=2))
        return
    rows = [
        {"name": v["name"], "id": v["id"], "steps": " -> ".join(s["task_name"] for s in v["steps"])}
        for v in views
    ]
    print_table(rows, ["name", "id", "steps"], False)


@runs.command("start")
def runs_start(
    process: str = typer.Argument(..., help="the process's name or id"),
    payload: list[str] = typer.Option([], "--payload", help="JSON payload; one item each"),
    file: list[Path] = typer.Option(
        [], "--file", exists=True, dir_okay=False, help="file for the item (see --item-per-file)"
    ),
    item_per_file: bool = typer.Option(
        False, "--item-per-file", help="one item per --file (payload: the single --payload)"
    ),
) -> None:
    """Start a run. One input item per --payload (one empty item if none); --file files
    go onto that single item, or each onto its own item with --item-per-file."""
    from controlroom.services.runs import InputSpec, start_run

    payloads = [json_arg(p, "--payload") for p in payload]
    files = [(f.name, f.read_bytes()) for f in file]
    if item_per_file:
        if len(payloads) > 1:
            typer.echo("error: --item-per-file takes at most one --payload", err=True)
            raise typer.Exit(2)
        base = payloads[0] if payloads else {}
        specs = [InputSpec(base, (f,)) for f in files]
    elif files and len(payloads) > 1:
        typer.echo(
            "error: with several --payload items, say where files go: "
            "use --item-per-file or start one run per item",
            err=True,
        )
        raise typer.Exit(2)
    else:
        specs = [InputSpec(p, ()) for p in payloads] or [InputSpec({}, ())]
        specs[0] = InputSpec(specs[0].payload, tuple(files))
    with db_session() as (session, ws, settings, blobs):
        run = start_run(
            session,
            blobs,
            ws,
            process,
            specs,
            actor=_actor(),
            max_payload_bytes=settings.max_payload_bytes,
            max_file_bytes=settings.max_file_bytes,
            max_items=settings.max_run_items,
        )
        typer.echo(f"run {run.id} started with {len(specs)} item(s)")


@runs.command("list")
def runs_list(
    process: str | None = typer.Option(None, "--process", help="only this process's runs"),
    state: str | None = typer.Option(None, "--state", help="e.g. RUNNING, FAILED (any case)"),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="at most this many runs"),
    offset: int = typer.Option(0, "--offset", min=0, help="skip this many runs first"),
    as_json: bool = JSON_OPTION,
) -> None:
    """List process runs, newest first: id, process, state, start and end (who started
    each, with --json)."""
    from controlroom.services import processes as procs
    from controlroom.services.runs import list_runs
    from controlroom.services.views import run_view

    with db_session() as (session, ws, _, _):
        process_id = procs.find_process(session, ws, process).id if process else None
        names = {p.id: p.name for p in procs.list_processes(session, ws)}
        rows = [
            {**run_view(r), "process": names.get(r.process_id)}
            for r in list_runs(
                session,
                ws,
                process_id=process_id,
                state=state_arg(state),
                limit=limit,
                offset=offset,
            )
        ]
    if not as_json:
        for row in rows:  # the end's date only when it is not the start's: 80 columns
            start, end = cell(row["created_at"]), cell(row["ended_at"])
            row["ended_at"] = end[11:] if end[:10] == start[:10] else end
    print_table(rows, ["id", "process", "state", "created_at", "ended_at"], as_json)


@runs.command("show")
def runs_show(run: str = typer.Argument(..., help=ID_HELP), as_json: bool = JSON_OPTION) -> None:
    """A run with its item counts per step and its step runs."""
    from controlroom.services import runs as svc
    from controlroom.services.ids import resolve
    from controlroom.services.views import run_view, step_run_view

    with db_session() as (session, ws, _, _):
        found = svc.get_run(session, ws, resolve(session, ws, "run", run))
        view = {
            **run_view(found),
            "items_by_step": svc.item_counts(session, found.id),
            "step_runs": [step_run_view(s) for s in svc.step_runs_of(session, found.id)],
        }
    if as_json:
        typer.echo(json.dumps(view, indent=2, default=str))
        return
    typer.echo(f"run {view['id']}  {view['state']}  started {cell(view['created_at'])}")
    for position, counts in sorted(view["items_by_step"].items()):
        typer.echo(f"  step {position}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    rows = [
        {**r, "worker": r["worker_id"], "took": took(r["started_at"], r["ended_at"]),
         "exit": r["exit_code"]}
        for r in view["step_runs"]
    ]  # fmt: skip
    print_table(rows, ["id", "state", "worker", "started_at", "took", "exit"], False)


@runs.command("stop")
def runs_stop(run: str = typer.Argument(..., help=ID_HELP)) -> None:
    """Stop a run: no new step runs start, running robots are told to stop, and the
    run ends CANCELLED. Its items keep their states."""
    from controlroom.services import runs as svc
    from controlroom.services.ids import resolve
    from controlroom.services.runs import stop_run

    with db_session() as (session, ws, _, _):
        found = svc.get_run(session, ws, resolve(session, ws, "run", run))
        stopped = stop_run(session, found.id, actor=_actor())
        state = found.state
    if stopped:
        typer.echo(f"run {found.id} stopped (CANCELLED)")
    else:
        typer.echo(f"run {found.id} had already ended ({state}); nothing to stop")
