"""Serving the Control Room: ``clerk controlroom [--workers N]``.

With one worker the app is served in this process. With several, the database is
migrated once here and N server processes are started, each listening on its own
``SO_REUSEPORT`` socket on the same port, so the kernel spreads connections over them;
this process waits and hands SIGINT/SIGTERM on to them. If it dies without doing so
(SIGKILL), the kernel sends them SIGTERM (``clerk.processes.die_with_parent``).

Why not ``uvicorn --workers``: its workers rebuild the listening socket from a file
descriptor with ``proto=0``, so asyncio skips TCP_NODELAY on accepted connections and a
small response waits for Nagle and the client's delayed ACK (Linux delays it up to
40 ms; ``bench/bench_queue.py --server-workers 2`` shows it in p50). A socket made here
with IPPROTO_TCP does not.

Each process serves the same store; what is kept in memory per process is only caches
(tokens for 5 s, step runs' fixed facts) and each process runs the scheduler, whose
work is transactional. On SQLite the writers of all processes queue on one lock (see
``controlroom.db``).
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import socket
import subprocess
import sys
from types import FrameType
from typing import Any

from clerk.processes import die_with_parent

APP = "controlroom.server:production_app"
# uvicorn would believe X-Forwarded-For from loopback peers by default and hand the app
# the address a client wrote there; the console decides itself, from
# CLERK_TRUSTED_PROXIES (``controlroom.console._web.client_address``).
UVICORN_OPTIONS: dict[str, Any] = {"access_log": False, "proxy_headers": False}


def production_app() -> Any:
    """The app a server process serves (the parent has migrated the database).

    Everything built up to here (modules, the app, SQLAlchemy's metadata and caches) lives
    as long as the process, so it is frozen out of the garbage collector's sight: a full
    collection over it was a pause every robot waiting on the server felt (it showed in
    ``bench/bench_queue.py``'s p99).
    """
    from controlroom import _logs as logs
    from controlroom.api import create_app

    logs.configure()
    app = create_app(migrate=False)
    gc.collect()
    gc.freeze()
    return app


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def serve_one(host: str, port: int, app: str = APP, log_level: str = "info") -> None:
    """One server process on its own SO_REUSEPORT socket."""
    import uvicorn

    config = uvicorn.Config(app, factory=True, log_level=log_level, **UVICORN_OPTIONS)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def serve(host: str, port: int, workers: int, app: str = APP, log_level: str = "info") -> None:
    """Serve ``app`` (an import string of an app factory) with ``workers`` processes."""
    if workers <= 1:
        serve_one(host, port, app, log_level)
        return
    command = [sys.executable, "-m", "controlroom.server", "--host", host, "--port", str(port)]
    children: list[subprocess.Popen[bytes]] = []
    handed_on: list[int] = []
    signalled: set[int] = set()

    def hand_on(signum: int, _frame: FrameType | None) -> None:
        handed_on.append(signum)
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)
                signalled.add(child.pid)

    # Handlers first, so a signal while the processes start stops the start and reaches
    # every process started, including one that was starting just then.
    signal.signal(signal.SIGTERM, hand_on)
    signal.signal(signal.SIGINT, hand_on)
    for _ in range(workers):
        if handed_on:
            break
        # Started from this (main) thread, which waits for them: if this process dies
        # without handing a signal on (SIGKILL, OOM killer), they get SIGTERM.
        children.append(
            subprocess.Popen(
                [*command, "--app", app, "--log-level", log_level], preexec_fn=die_with_parent
            )
        )
    for child in children:
        if handed_on and child.pid not in signalled and child.poll() is None:
            child.send_signal(handed_on[0])
    codes = [child.wait() for child in children]
    # uvicorn shuts down gracefully, then re-raises the signal it was stopped with.
    if any(code not in (0, *(-signum for signum in handed_on)) for code in codes):
        logging.getLogger("controlroom").error("server processes exited with %s", codes)
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description="one Control Room server process")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--app", default=APP)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args()
    serve_one(args.host, args.port, args.app, args.log_level)


if __name__ == "__main__":
    main()
