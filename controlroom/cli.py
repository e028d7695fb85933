"""Control Room commands: ``clerk controlroom`` (serve) and the admin commands
``clerk processes|runs|items`` (``clerk tokens`` is ``controlroom.tokens_cli``).

The admin commands work on the Control Room's database directly through the domain
services (same rules, same audit log as the HTTP API), so run them on the Control Room
host with the same ``CLERK_*`` settings as the server. They act in the workspace named by
``CLERK_WORKSPACE`` (default ``default``), created on first use. Every listing takes
``--json``. SQLAlchemy, Alembic and FastAPI are imported inside the commands only.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from controlroom import limits

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from controlroom.files import BlobStore
    from controlroom.settings import ControlRoomSettings

T = TypeVar("T")
_HOST_NOTE = "Works on the Control Room database directly: run it on the Control Room host."

processes = typer.Typer(help=f"Processes (ordered robot steps). {_HOST_NOTE}", no_args_is_help=True)
runs = typer.Typer(help=f"Process runs. {_HOST_NOTE}", no_args_is_help=True)
items = typer.Typer(help=f"Work items and operator actions. {_HOST_NOTE}", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="print JSON instead of a table")


def serve(
    host: str | None = typer.Option(None, "--host", help="default CLERK_CONTROLROOM_HOST"),
    port: int | None = typer.Option(None, "--port", help="default CLERK_CONTROLROOM_PORT"),
    workers: int = typer.Option(
        1, "--workers", min=1, help="server processes on the port (SQLite: 2 are no faster)"
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


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@contextmanager
def _session() -> Iterator[tuple[Session, str, ControlRoomSettings, BlobStore]]:
    """One transaction on the configured database: (session, workspace id, settings,
    blobs). Service errors become a message and exit code 1."""
    from controlroom import db
    from controlroom.files import BlobStore
    from controlroom.services.errors import ServiceError
    from controlroom.services.processes import ensure_workspace
    from controlroom.settings import ControlRoomSettings

    settings = ControlRoomSettings()
    engine = db.make_engine(settings.database_url)
    try:
        db.upgrade(engine)
        with db.transaction(db.make_sessionmaker(engine)) as session:
            workspace = ensure_workspace(session, settings.workspace)
            yield session, workspace.id, settings, BlobStore(settings.files_dir)
    except ServiceError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def _print(rows: list[dict[str, Any]], columns: list[str], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")  # ids must stay whole to be copied
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


def _json_arg(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        typer.echo(f"error: {what} is not valid JSON ({exc}): {text!r}", err=True)
        raise typer.Exit(2) from None


@processes.command("add")
def processes_add(
    name: str,
    robot: Path = typer.Option(..., "--robot", help="robot directory with robot.yaml"),
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
    """Add a process whose steps are tasks of one robot (checked against robot.yaml)."""
    from dataclasses import replace

    from controlroom.services.processes import StepSpec, create_process

    with _session() as (session, ws, settings, _):
        policy = settings.retry_policy()
        if max_attempts is not None:
            policy = replace(policy, max_attempts=max_attempts)
        if backoff is not None:
            policy = replace(policy, backoff_seconds=backoff)
        specs = [StepSpec(str(robot.resolve()), task, retry=policy) for task in step]
        process = create_process(
            session, ws, name, specs, actor=_actor(), max_steps=settings.max_process_steps
        )
        typer.echo(f"process {process.name} ({process.id}) with {len(specs)} step(s)")


@processes.command("list")
def processes_list(as_json: bool = JSON_OPTION) -> None:
    """List processes and their steps."""
    from controlroom.services.processes import list_processes, process_view

    with _session() as (session, ws, _, _):
        views = [process_view(p) for p in list_processes(session, ws)]
    if as_json:
        typer.echo(json.dumps(views, indent=2))
        return
    rows = [
        {"name": v["name"], "id": v["id"], "steps": " -> ".join(s["task_name"] for s in v["steps"])}
        for v in views
    ]
    _print(rows, ["name", "id", "steps"], False)


@runs.command("start")
def runs_start(
    process: str,
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

    payloads = [_json_arg(p, "--payload") for p in payload]
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
    with _session() as (session, ws, settings, blobs):
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
    process: str | None = typer.Option(None, "--process"),
    state: str | None = typer.Option(None, "--state"),
    limit: int = typer.Option(50, "--limit", min=1, max=500),
    offset: int = typer.Option(0, "--offset", min=0),
    as_json: bool = JSON_OPTION,
) -> None:
    """List process runs, newest first."""
    from controlroom.services import processes as procs
    from controlroom.services.runs import list_runs
    from controlroom.services.views import run_view

    with _session() as (session, ws, _, _):
        process_id = procs.find_process(session, ws, process).id if process else None
        rows = [
            run_view(r)
            for r in list_runs(
                session, ws, process_id=process_id, state=state, limit=limit, offset=offset
            )
        ]
    _print(rows, ["id", "state", "started_by", "created_at", "ended_at"], as_json)


@runs.command("show")
def runs_show(run: str, as_json: bool = JSON_OPTION) -> None:
    """A run with its item counts per step and its step runs."""
    from controlroom.services import runs as svc
    from controlroom.services.views import run_view, step_run_view

    with _session() as (session, ws, _, _):
        found = svc.get_run(session, ws, run)
        view = {
            **run_view(found),
            "items_by_step": svc.item_counts(session, found.id),
            "step_runs": [step_run_view(s) for s in svc.step_runs_of(session, found.id)],
        }
    if as_json:
        typer.echo(json.dumps(view, indent=2, default=str))
        return
    typer.echo(f"run {view['id']}  {view['state']}  started {view['created_at']}")
    for position, counts in sorted(view["items_by_step"].items()):
        typer.echo(f"  step {position}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    _print(
        view["step_runs"],
        ["id", "state", "worker_id", "started_at", "ended_at", "exit_code"],
        False,
    )


@runs.command("stop")
def runs_stop(run: str) -> None:
    """Stop a run: no new step runs start, running robots are told to stop, and the
    run ends CANCELLED. Its items keep their states."""
    from controlroom.services import runs as svc
    from controlroom.services.scheduling import stop_run

    with _session() as (session, ws, _, _):
        found = svc.get_run(session, ws, run)
        stopped = stop_run(session, found.id, actor=_actor())
        state = found.state
    if stopped:
        typer.echo(f"run {run} stopped (CANCELLED)")
    else:
        typer.echo(f"run {run} had already ended ({state}); nothing to stop")


@items.command("list")
def items_list(
    run: str | None = typer.Option(None, "--run"),
    state: str | None = typer.Option(None, "--state"),
    step: int | None = typer.Option(None, "--step", min=1),
    exception_type: str | None = typer.Option(None, "--exception-type"),
    exception_code: str | None = typer.Option(None, "--exception-code"),
    limit: int = typer.Option(50, "--limit", min=1, max=500),
    offset: int = typer.Option(0, "--offset", min=0),
    as_json: bool = JSON_OPTION,
) -> None:
    """List work items, oldest first."""
    from controlroom.services import items as svc
    from controlroom.services.views import item_view

    f = svc.ItemFilter(run, state, step, exception_type, exception_code, None, limit, offset)
    with _session() as (session, ws, _, _):
        rows = [item_view(i, step_position=p) for i, p in svc.list_items(session, ws, f)]
    if not as_json:
        for row in rows:
            exc = row["exception"] or {}
            row["exception"] = f"{exc.get('type')} {exc.get('code')}" if exc else None
            row["step"] = row["step_position"]
    _print(rows, ["id", "step", "state", "attempts", "exception", "rejected"], as_json)


def _item_action(action: Callable[..., Any], item: str, **kwargs: Any) -> None:
    from controlroom.services.views import item_view

    with _session() as (session, ws, settings, _):
        if action.__name__ == "edit_and_retry":
            kwargs["max_payload_bytes"] = settings.max_payload_bytes
        result = item_view(action(session, ws, item, actor=_actor(), **kwargs))
    typer.echo(
        f"item {result['id']} is now {result['state']}"
        + (" (rejected)" if result["rejected"] else "")
    )


@items.command("retry")
def items_retry(
    item: str,
    reason: str = typer.Option("", "--reason"),
    payload: str | None = typer.Option(None, "--payload", help="replace the payload first"),
) -> None:
    """Put a FAILED item back in its queue (optionally with a corrected payload)."""
    from controlroom.services import items as svc

    if payload is not None:
        _item_action(
            svc.edit_and_retry, item, payload=_json_arg(payload, "--payload"), reason=reason
        )
    else:
        _item_action(svc.retry, item, reason=reason)


@items.command("reject")
def items_reject(item: str, reason: str = typer.Option(..., "--reason")) -> None:
    """Reject a FAILED item for good (it stays FAILED, marked rejected)."""
    from controlroom.services import items as svc

    _item_action(svc.reject, item, reason=reason)
