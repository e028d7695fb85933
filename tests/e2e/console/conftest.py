"""One Control Room server (uvicorn on a free loopback port, temp SQLite, temp
CLERK_HOME) and one Debian chromium for the whole session; a fresh browser context
(cookies) per test. Set CLERK_CONSOLE_SHOTS=DIR to keep screenshots of the pages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from clerk.serving import ThreadedServer, free_port
from controlroom.db import transaction
from controlroom.services import users
from tests.unit.controlroom.console.support import (
    PASSWORD,
    csrf_of,
    fail_for_review,
    make_process,
)

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROLES = ("admin", "operator", "reviewer", "viewer")


@dataclass
class Server:
    url: str
    app: Any
    factory: sessionmaker[Session]
    workspace_id: str
    process_id: str
    home: Path
    shots: Path | None

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)

    def failed_item(self, **options: Any) -> str:
        """The id of an item failed for review in this server's run
        (``support.fail_for_review`` with ``options``)."""
        with self.http() as http:
            _, item_id = fail_for_review(
                self.factory,
                http,
                self.process_id,
                self.workspace_id,
                blobs=self.app.state.blobs,
                **options,
            )
        return item_id

    def shot(self, page: Any, name: str, *, full_page: bool = True) -> None:
        if self.shots is not None:
            page.screenshot(path=str(self.shots / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from controlroom.api._app import create_app
    from controlroom.console._settings import ConsoleSettings
    from controlroom.services.processes import ensure_workspace
    from controlroom.settings import ControlRoomSettings

    # Everything is passed explicitly: a session fixture must not leave CLERK_* variables
    # set for the rest of the test session.
    home = tmp_path_factory.mktemp("console-e2e")
    port = free_port()
    settings = ControlRoomSettings(
        database_url=f"sqlite:///{home / 'controlroom.db'}",
        files_dir=home / "files",
        controlroom_port=port,
        signing_key="e2e-signing-key",
    )
    app = create_app(settings, background=False)
    app.state.console_settings = ConsoleSettings(inbox_dir=home / "inbox")
    factory = app.state.sessionmaker
    with transaction(factory) as session:
        workspace_id = ensure_workspace(session, settings.workspace).id
        for role in ROLES:
            users.create_user(session, role, PASSWORD, role, actor="test")
    process_id = make_process(factory, settings.workspace)
    served = ThreadedServer(app, port=port, name="console server", lifespan="off").start(15)
    shots = os.environ.get("CLERK_CONSOLE_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    yield Server(
        f"http://127.0.0.1:{port}",
        app,
        factory,
        workspace_id,
        process_id,
        home,
        Path(shots) if shots else None,
    )
    served.stop(timeout=10)
    app.state.engine.dispose()


# Per module, not per session: a live sync Playwright keeps an asyncio loop running
# in the main thread, which breaks every later test that calls asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM}")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser: Any, server: Server) -> Iterator[Any]:
    ctx = browser.new_context(base_url=server.url, viewport={"width": 1360, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def laptop(browser: Any, server: Server) -> Iterator[Any]:
    """A context the size of a reviewer's laptop screen (the review screen's screenshots)."""
    ctx = browser.new_context(base_url=server.url, viewport={"width": 1366, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


def sign_in(context: Any, role: str) -> Any:
    page = context.new_page()
    page.goto("/console/login")
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    return page


__all__ = ["CHROMIUM_ARGS", "Server", "csrf_of", "sign_in"]
