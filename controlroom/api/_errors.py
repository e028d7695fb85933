"""One error shape for every failure: ``{"error": {"code", "message"}}``.

The stock robocorp client reads exactly these two fields into its ``HTTPError``. Also
here: the correlation-id middleware and the request-size guard, which both wrap the app
at the ASGI level, outside FastAPI's own stack (``api._app.ControlRoomApp``), so they hold
for every route, including ones added by other modules and the robots' hot routes.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from controlroom import _logs as logs
from controlroom.services.errors import ServiceError

log = logging.getLogger("controlroom.api")
CORRELATION_HEADER = "X-Correlation-ID"
_MAX_CORRELATION_CHARS = 64


def error_response(status: int, code: str, message: str) -> JSONResponse:
    # No correlation header here: RequestGuard adds it to every response.
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _code_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.upper().replace(" ", "_")
    except ValueError:
        return "ERROR"


async def _service_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return error_response(exc.status, exc.code, exc.message)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 413:
        return error_response(413, "TOO_LARGE", str(exc.detail))
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return error_response(exc.status_code, _code_for(exc.status_code), detail)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return error_response(400, "INVALID_INPUT", "; ".join(parts) or "invalid request")


async def _unstorable(request: Request, exc: Exception) -> JSONResponse:
    """A value the database refuses, to store or to look up (PostgreSQL: a NUL character
    in text, a number out of its column's range; either database: a lone surrogate, which
    is not UTF-8), is the caller's input, not a fault here: 400, nothing written (the
    transaction rolled back)."""
    if isinstance(exc, DataError):
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else "invalid data"
        message = f"the database refuses a value in this request: {reason}"
        return error_response(400, "UNSTORABLE_VALUE", message)
    if isinstance(exc, UnicodeEncodeError) and exc.reason == "surrogates not allowed":
        return error_response(
            400,
            "UNSTORABLE_VALUE",
            "a value in this request holds a lone UTF-16 surrogate, which is not text",
        )
    return await _unexpected(request, exc)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error: %s", exc)
    return error_response(500, "INTERNAL", "internal error; the server log has details")


# Most specific first: ``reply_for`` takes the first that matches, as FastAPI does by MRO.
_HANDLERS = (
    (ServiceError, _service_error),
    (StarletteHTTPException, _http_error),
    (RequestValidationError, _validation_error),
    (DataError, _unstorable),
    (UnicodeEncodeError, _unstorable),
    (Exception, _unexpected),
)


def install_error_handlers(app: FastAPI) -> None:
    for kind, handler in _HANDLERS:
        app.add_exception_handler(kind, handler)


async def reply_for(request: Request, exc: Exception) -> JSONResponse:
    """The answer the app's handlers give ``exc``, for a route served outside FastAPI's
    stack (``api._robot_routes``)."""
    handler = next(h for kind, h in _HANDLERS if isinstance(exc, kind))
    return await handler(request, exc)


class BodyTooLarge(StarletteHTTPException):
    """An HTTPException so FastAPI's body parsing passes it through as a 413."""

    def __init__(self, limit: int, kind: str) -> None:
        super().__init__(413, f"request body over the limit of {limit} bytes ({kind})")


class RequestGuard:
    """Correlation id for every request (from ``X-Correlation-ID`` or new, echoed back)
    and a cap on request bodies: ``file_limit`` for upload paths, ``json_limit`` for
    the rest, enforced on ``Content-Length`` and again while streaming."""

    def __init__(
        self, app: ASGIApp, *, json_limit: int, file_limit: int, upload_prefixes: tuple[str, ...]
    ) -> None:
        self.app = app
        self.json_limit = json_limit
        self.file_limit = file_limit
        self.upload_prefixes = upload_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cid = headers.get(CORRELATION_HEADER.lower(), "").strip()
        if not cid or len(cid) > _MAX_CORRELATION_CHARS or not cid.isprintable():
            cid = logs.new_correlation_id()
        token = logs.correlation_id.set(cid)
        path: str = scope["path"]
        is_upload = path.startswith(self.upload_prefixes)
        # Multipart framing adds a little; the file itself is checked exactly later.
        limit = self.file_limit + 64 * 1024 if is_upload else self.json_limit
        kind = "CLERK_MAX_FILE_BYTES" if is_upload else "CLERK_MAX_PAYLOAD_BYTES"
        started = False
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (CORRELATION_HEADER.lower().encode(), cid.encode()),
                ]
            await send(message)

        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, kind)
            return message

        try:
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(limit, kind)
            await self.app(scope, counting_receive, send_with_id)
        except BodyTooLarge as exc:
            if started:
                raise
            response = error_response(413, "TOO_LARGE", str(exc.detail))
            await response(scope, receive, send_with_id)
        finally:
            # The query string is left out: signed URLs carry their signature there.
            log.info("%s %s -> %s", scope.get("method"), path, status)
            logs.correlation_id.reset(token)
