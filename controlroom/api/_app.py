"""``create_app``: the Control Room's FastAPI application.

``app.state`` carries ``settings``, ``engine``, ``sessionmaker``, ``write_batcher``,
``blobs`` and ``signing_key`` for every router. Other parts of the Control Room plug in through
``EXTENSIONS``: modules with an ``install(app)`` function, installed when present; an
extension adds background work by appending an async context manager factory
(``app -> AsyncContextManager``) to ``app.state.lifespans``, which runs only when the
app is created with ``background=True`` (the server does; tests may not).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.types import ASGIApp

from controlroom import _background as background
from controlroom import _wal_checkpoints as wal_checkpoints
from controlroom import db
from controlroom._db_types import utcnow
from controlroom.api import _memory as memory
from controlroom.api import _operator as operator
from controlroom.api import _robocorp as robocorp
from controlroom.api import _robot_routes as robot_routes
from controlroom.api._errors import RequestGuard, install_error_handlers
from controlroom.api._write_batch import WriteBatcher
from controlroom.files import BlobStore
from controlroom.settings import ControlRoomSettings

log = logging.getLogger("controlroom.api")
EXTENSIONS = (
    "controlroom.api.workers",
    "controlroom.api.metrics",
    "controlroom.console",
)


@dataclass(frozen=True)
class GuardLimits:
    """``RequestGuard``'s body limits: ``file_limit`` under ``upload_prefixes``."""

    json_limit: int
    file_limit: int
    upload_prefixes: tuple[str, ...]


class ControlRoomApp(FastAPI):
    """FastAPI with its layers in this order, outermost first:

    1. middleware added with ``add_middleware`` (the console's security headers), so
       they hold for every answer, RequestGuard's 413 too;
    2. ``RequestGuard``: every request logged once, every answer with its correlation id
       (an unhandled error's 500 too), bodies held to their limits;
    3. ``HotRoutes``: the robots' reserve and release answered there
       (``api._robot_routes``), every other request passed on to
    4. FastAPI's own stack: its error and body-limit middleware, the exception
       handlers, the router.
    """

    def __init__(self, guard: GuardLimits, **options: Any) -> None:
        super().__init__(**options)
        self.guard = guard

    def build_middleware_stack(self) -> ASGIApp:
        added, self.user_middleware = self.user_middleware, []
        try:
            fastapi_stack = super().build_middleware_stack()
        finally:
            self.user_middleware = added
        app: ASGIApp = RequestGuard(robot_routes.HotRoutes(fastapi_stack), **asdict(self.guard))
        for cls, args, kwargs in reversed(added):  # as in Starlette: the list's first is outermost
            app = cls(app, *args, **kwargs)
        return app


def create_app(
    settings: ControlRoomSettings | None = None,
    *,
    engine: Engine | None = None,
    migrate: bool = True,
    background: bool = True,
) -> ControlRoomApp:
    settings = settings or ControlRoomSettings()
    engine = engine or db.make_engine(settings.database_url)
    if migrate:
        db.upgrade(engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            if background:
                for factory in app.state.lifespans:
                    await stack.enter_async_context(factory(app))
            yield

    guard = GuardLimits(
        json_limit=settings.max_payload_bytes,
        file_limit=settings.max_file_bytes,
        upload_prefixes=(
            robocorp.UPLOAD_PREFIX,
            "/api/v1/processes/",
            "/worker-v1/step-runs/",
            "/console/upload/",
        ),
    )
    app = ControlRoomApp(
        guard,
        title="Clerk Control Room",
        version="1",
        description="Robocorp-compatible work-item API and the operator API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.started_at = utcnow()  # a request committed before it may be replayed
    app.state.engine = engine
    app.state.sessionmaker = db.make_sessionmaker(engine)
    # Group commit of the robots' reserves and releases (see write_batch).
    app.state.write_batcher = WriteBatcher(app.state.sessionmaker, engine)
    app.state.blobs = BlobStore(settings.files_dir)
    app.state.signing_key = settings.signing_key_bytes()
    app.state.lifespans = []
    if db.sqlite_file(engine):
        app.state.lifespans.append(lambda app: wal_checkpoints.in_background(engine))
    if settings.artifact_retention_days > 0:
        app.state.lifespans.append(_retention_task)
    install_error_handlers(app)
    app.include_router(robocorp.router)
    app.include_router(operator.router)
    app.include_router(memory.router)
    for name in EXTENSIONS:
        importlib.import_module(name).install(app)
    return app


def _retention_task(app: FastAPI) -> contextlib.AbstractAsyncContextManager[None]:
    """Every hour: delete step-run artifacts older than CLERK_ARTIFACT_RETENTION_DAYS."""
    from controlroom.services import retention

    settings: ControlRoomSettings = app.state.settings

    def work() -> int:
        return retention.expire_all(
            app.state.sessionmaker,
            app.state.blobs,
            settings.files_dir,
            settings.artifact_retention_days,
        )

    return background.every(retention.INTERVAL_SECONDS, work, "artifact retention")
