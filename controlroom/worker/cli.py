"""``clerk worker``: run robots for a Control Room.

Configuration (``WorkerSettings``; the command-line options win):

    CLERK_WORKER_CONTROLROOM   Control Room base URL (default http://127.0.0.1:8765)
    CLERK_WORKER_TOKEN         worker token (``clerk tokens create --kind worker``); required,
                               here or in a file
    CLERK_WORKER_TOKEN_FILE    a file holding the worker token (mode 0600 advised)
    CLERK_WORKER_CONCURRENCY   step runs at once (default 1)
    CLERK_WORKER_NAME          worker name (default: the host name)
    CLERK_WORKER_DIR           per-step-run folders: artifacts, console copy
                               (default ``$CLERK_HOME/worker``)
    CLERK_WORKER_ROBOTS_DIR    base for relative robot dirs (default: current directory)
    CLERK_WORKER_GRACE_SECONDS time robots get to finish after SIGTERM (default 30)

A display for desktop robots (Enter ERP (desktop)): when ``$DISPLAY`` is unset and Xvfb
is installed, the worker starts an Xvfb, gives its robots ``DISPLAY``, and stops it when
it ends (``clerk.display``; the server also gets the parent-death signal).

The token: ``--token-file``, ``CLERK_WORKER_TOKEN_FILE`` or ``CLERK_WORKER_TOKEN`` keep it
out of the command line, which every user of the machine can read (``ps``);
``--token`` still works but shows it there. The first given of ``--token``,
``--token-file``, ``CLERK_WORKER_TOKEN``, ``CLERK_WORKER_TOKEN_FILE`` is used. Robots do
not inherit either variable.
"""

from __future__ import annotations

import faulthandler
import logging
import signal
import socket
import threading
from pathlib import Path

import typer
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.paths import clerk_home
from clerk.redact import log_to_stderr
from controlroom import _limits as limits


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_WORKER_", extra="ignore")

    controlroom: str = "http://127.0.0.1:8765"
    token: str = ""
    token_file: Path | None = None
    concurrency: int = Field(default=1, ge=1, le=limits.MAX_WORKER_CONCURRENCY)
    name: str = Field(default_factory=socket.gethostname)
    dir: Path = Field(default_factory=lambda: clerk_home() / "worker")
    robots_dir: Path = Field(default_factory=Path.cwd)
    grace_seconds: float = Field(default=30.0, ge=0, le=limits.DAY_SECONDS)


def configure_logging(verbose: bool) -> None:
    """State changes (registered, robot started and ended, step run finished, stopping)
    at INFO, every logged value escaped (``clerk.redact``). httpx logs every request at
    INFO, which is one line per poll: 328 of 344 lines in five idle minutes. Its lines
    are shown only with --verbose (and DEBUG)."""
    log_to_stderr(logging.DEBUG if verbose else logging.INFO, force=True)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


def worker_token(given: str | None, given_file: Path | None, settings: WorkerSettings) -> str:
    """The token from the first of ``--token``, ``--token-file``, CLERK_WORKER_TOKEN and
    CLERK_WORKER_TOKEN_FILE that is set."""
    if given:
        return given
    if given_file is None and settings.token:
        return settings.token
    path = given_file or settings.token_file
    if path is None:
        raise typer.BadParameter(
            "no worker token: pass --token-file, or set CLERK_WORKER_TOKEN or "
            "CLERK_WORKER_TOKEN_FILE (create one with `clerk tokens create --kind worker`)",
            param_hint="--token-file",
        )
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(
            f"cannot read the worker token from {path}: {exc}", param_hint="--token-file"
        ) from None
    if not secret or any(c.isspace() for c in secret):
        raise typer.BadParameter(
            f"{path} must hold the worker token alone, on one line", param_hint="--token-file"
        )
    return secret


def worker(
    controlroom: str | None = typer.Option(None, "--controlroom", help="Control Room URL"),
    token: str | None = typer.Option(
        None,
        "--token",
        help="worker token; visible to every local user in `ps`: prefer --token-file or "
        "CLERK_WORKER_TOKEN",
    ),
    token_file: Path | None = typer.Option(
        None, "--token-file", help="file holding the worker token (or CLERK_WORKER_TOKEN_FILE)"
    ),
    concurrency: int | None = typer.Option(
        None,
        "--concurrency",
        "-n",
        min=1,
        max=limits.MAX_WORKER_CONCURRENCY,
        help="step runs this worker runs at once (default CLERK_WORKER_CONCURRENCY, 1)",
    ),
    name: str | None = typer.Option(None, "--name", help="worker name (default host name)"),
    robots_dir: Path | None = typer.Option(
        None, "--robots-dir", help="base for relative robot dirs"
    ),
    work_dir: Path | None = typer.Option(None, "--work-dir", help="per-step-run folders"),
    grace: float | None = typer.Option(
        None, "--grace", min=0, max=limits.DAY_SECONDS, help="seconds robots get on SIGTERM"
    ),
    poll: float = typer.Option(1.0, "--poll", help="seconds between claims when idle"),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="also log every request (claims, heartbeats) at DEBUG"
    ),
) -> None:
    """Register with the Control Room and run the step runs it hands out."""
    from clerk.display import worker_display
    from controlroom.worker._agent import AgentConfig, WorkerAgent
    from controlroom.worker._client import ProtocolError, WorkerClient
    from controlroom.worker._runner import RunnerConfig

    settings = WorkerSettings()
    secret = worker_token(token, token_file, settings)
    configure_logging(verbose)
    # `kill -USR1 <worker>` writes every thread's stack to its log: a worker that will
    # not stop can say where it hangs.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    stop = threading.Event()
    client = WorkerClient(controlroom or settings.controlroom, secret, stop=stop)
    config = AgentConfig(
        name=name or settings.name,
        hostname=socket.gethostname(),
        concurrency=concurrency or settings.concurrency,
        runner=RunnerConfig(
            robots_root=(robots_dir or settings.robots_dir).resolve(),
            work_dir=(work_dir or settings.dir).resolve(),
        ),
        poll_seconds=poll,
        grace_seconds=settings.grace_seconds if grace is None else grace,
    )
    agent = WorkerAgent(client, config, stop)
    agent.install_signal_handlers()
    try:
        with worker_display() as display:
            if display:
                logging.getLogger("controlroom.worker").info("robots use display %s", display)
            agent.run()
    except ProtocolError as exc:  # e.g. a wrong or revoked token: retrying cannot help
        typer.echo(f"clerk worker: the Control Room refused to register us: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        client.close()
