"""Serve an ASGI app with uvicorn on a free loopback port in a background thread."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from clerk.serving import ThreadedServer


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """Yield the server's base URL; stop the server on exit. The socket is bound before
    the server starts, so no other test's server can take its port in between."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    # proxy headers off, as controlroom.server serves
    server = ThreadedServer(
        app, sock=sock, name="Control Room server", lifespan="on", proxy_headers=False
    )
    server.start(timeout=20)
    try:
        yield server.url
    finally:
        server.stop(timeout=10)
        sock.close()
