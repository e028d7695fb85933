"""``GET /metrics``: the Prometheus text exposition of ``controlroom._metrics``.

Open by default, like most exporters on a private network; set ``CLERK_METRICS_TOKEN``
to require ``Authorization: Bearer <that value>`` from the scraper.
"""

from __future__ import annotations

import hmac
import os

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from controlroom._metrics import ControlRoomCollector
from controlroom.api import _deps as deps

router = APIRouter(tags=["metrics"])


def _registry(request: Request) -> CollectorRegistry:
    registry = getattr(request.app.state, "metrics_registry", None)
    if registry is None:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(ControlRoomCollector(deps.sessions(request)))
        request.app.state.metrics_registry = registry
    return registry


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    expected = os.environ.get("CLERK_METRICS_TOKEN")
    if expected:
        header = request.headers.get("authorization", "")
        if not hmac.compare_digest(header.encode(), f"Bearer {expected}".encode()):
            raise HTTPException(401, "send 'Authorization: Bearer $CLERK_METRICS_TOKEN'")
    body = await run_in_threadpool(generate_latest, _registry(request))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI) -> None:
    app.include_router(router)
