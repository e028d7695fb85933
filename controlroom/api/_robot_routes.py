"""The stock client's two hot routes, ``reserve-next-work-item`` and
``release-work-item``, served as plain Starlette routes.

Every robot cycle is one of each, and FastAPI's own path around a route (solving its
dependencies, validating the body through a dependency model, encoding and validating
the returned dict against the return annotation) cost the event loop a share of each
cycle to rival the reserve or release itself (a profile of ``bench/bench_queue.py``, 16
robots on SQLite, shows it). Here
the body is read as FastAPI reads it (the same 400s, word for word) and validated once,
and the answer is encoded once; the work is the same (``robocorp.reserve_next_for``,
``release_for``), so authentication, scope checks, errors and their shapes are too.

The routes are put ahead of their FastAPI twins, which stay registered so the OpenAPI
schema still describes them (and they answer if these are ever taken out).
"""

from __future__ import annotations

import email.message
import json
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from controlroom.api import _robocorp as robocorp

RUN = robocorp.P + "/runs/{run}/robotRuns/{step_run_id}"
_MISSING = object()


async def reserve_next(request: Request) -> Response:
    p = request.path_params
    reply = await robocorp.reserve_next_for(
        request, p["ws"], p["process"], p["run"], p["step_run_id"]
    )
    return JSONResponse(reply)


async def release(request: Request) -> Response:
    body = await _release_body(request)
    p = request.path_params
    reply = await robocorp.release_for(
        request, p["ws"], p["process"], p["run"], p["step_run_id"], body
    )
    return JSONResponse(reply)


def _invalid(kind: str, loc: tuple[str | int, ...], msg: str, **more: Any) -> Exception:
    return RequestValidationError([{"type": kind, "loc": loc, "msg": msg, **more}])


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False  # FastAPI's strict_content_type: no type, no JSON
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


async def _release_body(request: Request) -> robocorp.ReleaseIn:
    """The body as FastAPI reads a body model: the same 400s with the same messages."""
    raw = await request.body()
    value: Any = _MISSING
    if raw:
        if not _is_json(request.headers.get("content-type")):
            value = raw
        else:
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as exc:
                error = {"error": exc.msg}
                raise _invalid(
                    "json_invalid", ("body", exc.pos), "JSON decode error", input={}, ctx=error
                ) from None
            except Exception:  # not UTF-8, nested too deeply
                raise HTTPException(400, "There was an error parsing the body") from None
    if value is _MISSING:
        raise _invalid("missing", ("body",), "Field required", input=None)
    if not isinstance(value, dict):
        raise _invalid(
            "model_attributes_type",
            ("body",),
            "Input should be a valid dictionary or object to extract fields from",
        )
    try:
        return robocorp.ReleaseIn.model_validate(value)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None


def install(app: FastAPI) -> None:
    """Put the lean routes first in ``app``'s routing table."""
    app.router.routes[0:0] = [
        Route(RUN + "/reserve-next-work-item", reserve_next, methods=["POST"]),
        Route(RUN + "/release-work-item", release, methods=["POST"]),
    ]
