"""Run the sandbox apps with uvicorn: in the foreground (``clerk sandbox``) or in a
background thread (tests, benchmarks, the demo)."""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette

from sandbox.cms import create_cms_app
from sandbox.erp import create_erp_app
from sandbox.settings import SandboxSettings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", lifespan="off", access_log=False
    )


class BackgroundServer:
    """One app on a loopback port, served from a daemon thread."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._server = uvicorn.Server(_config(app, host, self.port))
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="sandbox")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._thread.start()
        started = threading.Event()

        def poll() -> None:
            while not self._server.started and self._thread.is_alive():
                started.wait(0.02)
            started.set()

        poll()
        if not self._server.started:
            raise RuntimeError(f"the sandbox server on {self.url} did not start")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@dataclass
class Sandbox:
    """Both apps, started together."""

    erp: BackgroundServer
    cms: BackgroundServer
    settings: SandboxSettings

    @classmethod
    def start(cls, settings: SandboxSettings | None = None, *, free_ports: bool = False) -> Sandbox:
        settings = settings or SandboxSettings()
        erp_port = 0 if free_ports else settings.erp_port
        cms_port = 0 if free_ports else settings.cms_port
        erp = BackgroundServer(create_erp_app(settings), settings.host, erp_port).start()
        cms = BackgroundServer(create_cms_app(settings), settings.host, cms_port).start()
        return cls(erp, cms, settings)

    def stop(self) -> None:
        self.erp.stop()
        self.cms.stop()


async def _serve_both(settings: SandboxSettings) -> None:
    servers = [
        uvicorn.Server(_config(create_erp_app(settings), settings.host, settings.erp_port)),
        uvicorn.Server(_config(create_cms_app(settings), settings.host, settings.cms_port)),
    ]
    await asyncio.gather(*(s.serve() for s in servers))


def serve_forever(settings: SandboxSettings) -> None:
    asyncio.run(_serve_both(settings))
