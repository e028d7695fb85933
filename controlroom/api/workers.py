"""The worker protocol over HTTP: ``/worker-v1``, Bearer token of kind ``worker``.

    POST /worker-v1/workers                        {name, hostname, concurrency}
                                                   -> {workerId, heartbeatSeconds}
    POST /worker-v1/workers/{id}/heartbeat         {running: [stepRunId]} -> {cancel: [...]}
    POST /worker-v1/workers/{id}/claim             -> {stepRun: {...} | null}
    POST /worker-v1/step-runs/{id}/log             raw bytes (console output chunk)
    PUT  /worker-v1/step-runs/{id}/artifacts/{name:path}   raw bytes
    POST /worker-v1/step-runs/{id}/finish          {exitCode, cancelled, message}
    POST /worker-v1/step-runs/{id}/hand-back       the robot never started
    POST /api/v1/runs/{id}/stop                    operator stop (api/admin token)

A claim runs a scheduling tick first, so a queue is served as soon as a worker polls even
without the background task. The claim reply carries the ``RC_*`` variables the robot
needs; the hosts are the URL the worker reached us at unless ``CLERK_CONTROLROOM_URL``
names the public one.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from clerk.redact import scrub_artifact
from controlroom import _background as background
from controlroom import _limits as limits
from controlroom._db_types import utcnow
from controlroom.api import _deps as deps
from controlroom.api import _openapi_bodies as openapi_bodies
from controlroom.db import transaction
from controlroom.models import ProcessRun, StepRun
from controlroom.services import runs, scheduling, step_logs, tokens
from controlroom.services import workers as service
from controlroom.services.steps import robot_environment
from controlroom.states import TokenKind

log = logging.getLogger("controlroom.workers")
router = APIRouter(prefix="/worker-v1", tags=["workers"])
operator_router = APIRouter(prefix="/api/v1", tags=["runs"])
MAX_LOG_CHUNK = 1024 * 1024
CLAIM_TICK_SECONDS = 0.25


class RegisterIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    hostname: str = Field(default="", max_length=255)
    concurrency: int = Field(default=1, ge=1, le=limits.MAX_WORKER_CONCURRENCY)


class HeartbeatIn(BaseModel):
    running: list[str] = Field(default_factory=list, max_length=1024)


class FinishIn(BaseModel):
    exitCode: int | None = Field(default=None, ge=-(2**31), le=2**31 - 1)  # an INTEGER column
    cancelled: bool = False
    message: str = Field(default="", max_length=4000)


def _scheduler_settings(request: Request) -> scheduling.SchedulerSettings:
    found = getattr(request.app.state, "scheduler_settings", None)
    if found is None:
        found = scheduling.SchedulerSettings()
        request.app.state.scheduler_settings = found
    return found


async def _worker_principal(request: Request) -> tokens.Principal:
    return await deps.authenticate(request, TokenKind.WORKER)


Principal = Annotated[tokens.Principal, Depends(_worker_principal)]
_in_tx = deps.in_tx
_in_read = deps.in_read
_settings = deps.settings


def _tick(
    app: FastAPI, session: Session, settings: scheduling.SchedulerSettings
) -> scheduling.TickResult:
    """A scheduling tick that judges no worker silent within the restart grace: workers
    could not heartbeat while this server was down (``install`` notes its start)."""
    started: datetime = app.state.started_at
    reap_after = started + timedelta(seconds=settings.restart_grace)
    return scheduling.tick(session, settings, reap_after=reap_after)


def _bound_worker(session: Session, who: tokens.Principal) -> str | None:
    """The worker the caller's token is bound to. A binding never changes once made, so a
    cached one is final; a cached None is read again (another server process may have
    bound the token since it was cached)."""
    return who.worker_id or service.bound_worker_id(session, who.token_id)


def _owned(session: Session, who: tokens.Principal, step_run_id: str) -> StepRun:
    return service.owned_step_run(
        session, who.workspace_id, _bound_worker(session, who), step_run_id
    )


def _rc_env(request: Request, claim: service.Claim) -> dict[str, str]:
    base = _settings(request).controlroom_url or str(request.base_url)
    env = robot_environment(claim.started, base)
    env["RC_ROBOT_RUN_ID"] = claim.step_run_id  # older clients' name for the step run
    env["CLERK_CORRELATION_ID"] = claim.correlation_id
    if claim.item_correlation_id:
        env["CLERK_ITEM_CORRELATION_ID"] = claim.item_correlation_id
    return env


@router.post("/workers")
async def register(body: RegisterIn, request: Request, who: Principal) -> dict[str, Any]:
    def work(session: Session) -> Any:
        worker = service.register(
            session, who.workspace_id, body.name, body.hostname, body.concurrency, actor=who.actor
        )
        service.bind_token(session, who.token_id, worker, actor=who.actor)
        return worker

    worker = await _in_tx(request, work)
    log.info("worker %s registered as %s", body.name, worker.id)
    return {
        "workerId": worker.id,
        "heartbeatSeconds": _scheduler_settings(request).worker_heartbeat_seconds,
    }


@router.post("/workers/{worker_id}/heartbeat")
async def heartbeat(
    worker_id: str, body: HeartbeatIn, request: Request, who: Principal
) -> dict[str, Any]:
    def work(session: Session) -> list[str]:
        service.check_acts_for(_bound_worker(session, who), worker_id)
        return service.heartbeat(
            session,
            who.workspace_id,
            worker_id,
            body.running,
            actor=who.actor,
            forgotten_after=_scheduler_settings(request).worker_timeout_seconds,
        )

    cancel = await _in_tx(request, work)
    return {
        "cancel": cancel,
        "heartbeatSeconds": _scheduler_settings(request).worker_heartbeat_seconds,
    }


@router.post("/workers/{worker_id}/claim")
async def claim(worker_id: str, request: Request, who: Principal) -> dict[str, Any]:
    await _in_read(request, lambda s: service.check_acts_for(_bound_worker(s, who), worker_id))
    settings = _scheduler_settings(request)
    # Many idle workers poll at once: one tick per process per CLAIM_TICK_SECONDS is enough.
    now = time.monotonic()
    if now - getattr(request.app.state, "last_claim_tick", 0.0) >= CLAIM_TICK_SECONDS:
        request.app.state.last_claim_tick = now
        await _in_tx(request, lambda s: _tick(request.app, s, settings))
    found = await _in_tx(
        request, lambda s: service.claim(s, who.workspace_id, worker_id, actor=who.actor)
    )
    if found is None:
        return {"stepRun": None}
    log.info(
        "step run %s claimed by worker %s [%s]", found.step_run_id, worker_id, found.correlation_id
    )
    return {
        "stepRun": {
            "id": found.step_run_id,
            "processRunId": found.started.process_run_id,
            "processId": found.started.process_id,
            "stepId": found.step_id,
            "stepName": found.step_name,
            "robotDir": found.robot_dir,
            "taskName": found.task_name,
            "correlationId": found.correlation_id,
            "env": _rc_env(request, found),
        }
    }


@router.post(
    "/step-runs/{step_run_id}/log",
    status_code=204,
    openapi_extra=openapi_bodies.bytes_body(),
)
async def append_log(step_run_id: str, request: Request, who: Principal) -> None:
    chunk = await request.body()
    if len(chunk) > MAX_LOG_CHUNK:
        raise HTTPException(413, f"log chunk of {len(chunk)} bytes: send at most {MAX_LOG_CHUNK}")
    await _in_tx(request, lambda s: _owned(s, who, step_run_id))
    files_dir = _settings(request).files_dir
    await run_in_threadpool(step_logs.append_log, files_dir, step_run_id, chunk)


@router.put(
    "/step-runs/{step_run_id}/artifacts/{name:path}",
    openapi_extra=openapi_bodies.bytes_body(),
)
async def put_artifact(
    step_run_id: str, name: str, request: Request, who: Principal
) -> dict[str, Any]:
    data = await request.body()
    settings = _settings(request)
    if len(data) > settings.max_file_bytes:
        raise HTTPException(
            413,
            f"artifact {name!r} has {len(data)} bytes: the limit is "
            f"CLERK_MAX_FILE_BYTES={settings.max_file_bytes}",
        )
    store = deps.blobs(request)
    # Before the transaction: it takes a while. A gzipped artifact is scrubbed inside.
    data = await run_in_threadpool(scrub_artifact, name, data, settings.max_file_bytes)

    def work(session: Session) -> dict[str, Any]:
        step_run = _owned(session, who, step_run_id)
        artifact = step_logs.put_artifact(session, store, step_run, name, data)
        return {
            "id": artifact.id,
            "name": artifact.name,
            "sha256": artifact.sha256,
            "size": artifact.size,
        }

    return await _in_tx(request, work)


@router.post("/step-runs/{step_run_id}/finish")
async def finish(
    step_run_id: str, body: FinishIn, request: Request, who: Principal
) -> dict[str, Any]:
    settings = _settings(request)
    store = deps.blobs(request)

    def work(session: Session) -> dict[str, Any]:
        step_run = _owned(session, who, step_run_id)
        step_logs.seal_console_log(session, store, settings.files_dir, step_run)
        counts = service.finish(
            session,
            step_run,
            body.exitCode,
            cancelled=body.cancelled,
            message=body.message,
            actor=who.actor,
        )
        return {"state": step_run.state, "resolved": counts}

    result = await _in_tx(request, work)
    # End the run or start the next step without waiting for the background tick.
    sched = _scheduler_settings(request)
    await _in_tx(request, lambda s: _tick(request.app, s, sched))
    return result


@router.post("/step-runs/{step_run_id}/hand-back")
async def hand_back(step_run_id: str, request: Request, who: Principal) -> dict[str, Any]:
    def work(session: Session) -> dict[str, Any]:
        step_run = _owned(session, who, step_run_id)
        if step_run.state == "RUNNING":
            service.hand_back(session, step_run, actor=who.actor)
        return {"state": step_run.state}

    return await _in_tx(request, work)


@operator_router.post("/runs/{run_id}/stop")
async def stop_run(run_id: str, request: Request) -> dict[str, Any]:
    """An operator's stop: no new step runs; running robots are stopped via heartbeats."""
    who = await deps.authenticate(request, TokenKind.API, TokenKind.ADMIN)

    def work(session: Session) -> dict[str, Any]:
        run = runs.get_run(session, who.workspace_id, run_id)  # 404 across workspaces
        stopped = runs.stop_run(session, run.id, who.actor)
        return {
            "id": run.id,
            "stopped": stopped,
            "state": session.get_one(ProcessRun, run.id).state,
        }

    return await _in_tx(request, work)


@contextlib.asynccontextmanager
async def scheduler_task(app: FastAPI) -> AsyncIterator[None]:
    """Run the scheduling tick every ``CLERK_SCHEDULER_INTERVAL`` seconds while the app
    lives (enter it from the app's lifespan). Errors are logged, never fatal: the next
    tick retries, and worker polls tick too."""
    settings: scheduling.SchedulerSettings = (
        getattr(app.state, "scheduler_settings", None) or scheduling.SchedulerSettings()
    )
    app.state.scheduler_settings = settings

    def once() -> None:
        with transaction(app.state.sessionmaker) as session:
            _tick(app, session, settings)

    async with background.every(settings.scheduler_interval, once, "scheduling tick"):
        yield


def install(app: FastAPI) -> None:
    """Add the worker API and the background scheduler (``create_app`` calls this)."""
    app.state.started_at = utcnow()
    app.include_router(router)
    app.include_router(operator_router)
    app.state.lifespans.append(scheduler_task)
