"""The stock client's two hot routes, ``reserve-next-work-item`` and
``release-work-item``, answered ahead of FastAPI's stack.

Every robot cycle is one of each. FastAPI's own path around a route (solving its
dependencies, validating the body through a dependency model, validating the returned
dict) cost the event loop a share of each cycle to rival the reserve or release itself
(a profile of ``bench/bench_queue.py``, 16 robots on SQLite, showed it), so these two are
served without it. ``HotRoutes`` sits just inside ``RequestGuard``
(``api._app.ControlRoomApp``), so correlation ids, the body limit and the request log hold
here as everywhere; it answers a POST to either route itself and passes every other
request on, past FastAPI's middleware layers and router too (that part measured no
faster than routes at the head of the router: 16 robots on SQLite, two runs each on a
slow hour, 3.1-3.7 ms of server CPU a cycle before, 3.2-3.4 after). The body is read
as FastAPI reads it (the same 400s, word for word) and validated once; the work is the
same (``robocorp.reserve_next_for``, ``release_for``), and so are authentication, scope
checks, and errors and their shapes (``errors.reply_for``).

The FastAPI twins stay registered, so the OpenAPI schema still describes the two routes
(and they answer if ``match`` ever lets a request through).
"""

from __future__ import annotations

import email.message
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from controlroom.api import _errors as errors
from controlroom.api import _robocorp as robocorp

_MISSING = object()


async def _reserve(
    request: Request, ws: str, process: str, run: str, step_run_id: str
) -> dict[str, Any]:
    return await robocorp.reserve_next_for(request, ws, process, run, step_run_id)


async def _release(
    request: Request, ws: str, process: str, run: str, step_run_id: str
) -> dict[str, Any]:
    body = await _release_body(request)
    return await robocorp.release_for(request, ws, process, run, step_run_id, body)


Handler = Callable[[Request, str, str, str, str], Awaitable[dict[str, Any]]]
HANDLERS: dict[str, Handler] = {
    "reserve-next-work-item": _reserve,
    "release-work-item": _release,
}
# robocorp.P + "/runs/{run}/robotRuns/{step_run_id}/{action}", split at "/".
_FIXED = {1: "process-v1", 2: "workspaces", 4: "processes", 6: "runs", 8: "robotRuns"}


def match(scope: Scope) -> tuple[Handler, tuple[str, str, str, str]] | None:
    """The handler and its path parameters (ws, process, run, step run) for a POST to a
    hot route, as the router would match it (a parameter is one non-empty segment of
    the decoded path); None for every other request."""
    if scope["type"] != "http" or scope["method"] != "POST" or scope.get("root_path"):
        return None
    parts = scope["path"].split("/")
    if len(parts) != 11 or parts[0] or any(parts[i] != part for i, part in _FIXED.items()):
        return None
    handler = HANDLERS.get(parts[10])
    params = (parts[3], parts[5], parts[7], parts[9])  # ws, process, run, step_run_id
    return (handler, params) if handler is not None and all(params) else None


class HotRoutes:
    """ASGI: the hot routes answered here, every other request passed on to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hit = match(scope)
        if hit is None:
            await self.app(scope, receive, send)
            return
        handler, params = hit
        request = Request(scope, receive, send)
        response: Response
        try:
            response = JSONResponse(await handler(request, *params))
        except Exception as exc:
            response = await errors.reply_for(request, exc)
        await response(scope, receive, send)


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
