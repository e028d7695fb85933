"""Run the sandbox apps with uvicorn: in the foreground (``clerk sandbox``) or in a
background thread (tests, benchmarks, the demo)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette

from clerk.serving import ThreadedServer
from sandbox._cms import create_cms_app
from sandbox._erp import create_erp_app
from sandbox.settings import SandboxSettings


def _config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, **_OPTIONS)


_OPTIONS: dict[str, Any] = {"log_level": "warning", "lifespan": "off", "access_log": False}


def background_server(app: Starlette, host: str = "127.0.0.1", port: int = 0) -> ThreadedServer:
    """One sandbox app on a loopback port, served from a daemon thread (not started)."""
    return ThreadedServer(app, host, port, name="sandbox server", **_OPTIONS)


@dataclass
class Sandbox:
    """Both apps, started together."""

    erp: ThreadedServer
    cms: ThreadedServer
    settings: SandboxSettings

    @classmethod
    def start(cls, settings: SandboxSettings | None = None, *, free_ports: bool = False) -> Sandbox:
        settings = settings or SandboxSettings()
        erp_port = 0 if free_ports else settings.erp_port
        cms_port = 0 if free_ports else settings.cms_port
        erp = background_server(create_erp_app(settings), settings.host, erp_port).start()
        cms = background_server(create_cms_app(settings), settings.host, cms_port).start()
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
