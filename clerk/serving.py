"""Loopback ports and ASGI apps served from a thread: the one copy for the demo, the
sandbox, the tests and the benchmarks (``clerk controlroom`` serves in the foreground)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` now (the OS picks it; another process may take it
    before it is bound again, which is fine on a test or demo machine)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class ThreadedServer:
    """One ASGI app served by uvicorn from a daemon thread. ``config`` goes to
    ``uvicorn.Config`` (e.g. ``lifespan="off"``, ``proxy_headers=False``)."""

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        name: str = "server",
        sock: socket.socket | None = None,
        **config: Any,
    ) -> None:
        """``sock``: a socket bound already (its port is then the server's), so that no
        other process can take the port between choosing and serving it."""
        import uvicorn  # the kernel imports no server at start-up

        self.host = host
        self.port = sock.getsockname()[1] if sock is not None else port or free_port(host)
        self.name = name
        settings = {"log_level": "warning", **config}
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=self.port, **settings))
        run = {"sockets": [sock]} if sock is not None else {}
        self.thread = threading.Thread(target=self.server.run, kwargs=run, daemon=True, name=name)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> ThreadedServer:
        """Start serving; returns once the server accepts connections."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the {self.name} did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=timeout)
