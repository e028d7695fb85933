"""The JSON operator API, ``/api/v1``: processes, runs, items, operator actions, tokens.

Bearer tokens of kind ``api`` or ``admin`` (``admin`` alone may create tokens and processes,
whose robots are always checked against their ``robot.yaml``); every
call is scoped to the token's workspace. Listings take ``limit``/``offset`` and return
``{"items": [...], "limit", "offset", "next_offset"}`` (``next_offset`` null at the end).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from controlroom import _limits as limits
from controlroom._db_types import utcnow
from controlroom.api import _deps as deps
from controlroom.api import _openapi_bodies as openapi_bodies
from controlroom.services import itemfiles, items, processes, runs, tokens
from controlroom.services.errors import InvalidInput, TooLarge
from controlroom.services.processes import RetryPolicy, StepSpec
from controlroom.services.validation import MAX_INT32
from controlroom.services.views import file_view, item_view, run_view, step_run_view
from controlroom.states import TokenKind

router = APIRouter(prefix="/api/v1", tags=["operator"])
_OPERATOR = (TokenKind.API, TokenKind.ADMIN)
MAX_START_FILES = 1000


class StepIn(BaseModel):
    """A step; retry fields left out take the CLERK_RETRY_* defaults."""

    robot_dir: str = Field(min_length=1, max_length=1000)
    task_name: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=200)
    max_attempts: int | None = Field(default=None, ge=1, le=limits.MAX_ATTEMPTS)
    backoff_seconds: float | None = Field(default=None, ge=0, le=limits.MAX_BACKOFF_SECONDS)
    backoff_factor: float | None = Field(default=None, ge=1, le=limits.MAX_BACKOFF_FACTOR)
    max_backoff_seconds: float | None = Field(default=None, ge=0, le=limits.MAX_BACKOFF_SECONDS)

    def policy(self, default: RetryPolicy) -> RetryPolicy:
        fields = ("max_attempts", "backoff_seconds", "backoff_factor", "max_backoff_seconds")
        given = {f: getattr(self, f) for f in fields if getattr(self, f) is not None}
        return replace(default, **given)


class ProcessIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    steps: list[StepIn] = Field(min_length=1)


class ItemIn(BaseModel):
    payload: Any = Field(default_factory=dict)
    files: list[str] = Field(default_factory=list)


class StartIn(BaseModel):
    items: list[ItemIn] = Field(default_factory=list)


class ReasonIn(BaseModel):
    reason: str = Field(default="", max_length=2000)


class EditIn(BaseModel):
    payload: Any
    reason: str = Field(default="", max_length=2000)


class TokenIn(BaseModel):
    kind: TokenKind = TokenKind.API
    name: str = Field(default="", max_length=200)
    expires_in_seconds: int | None = Field(default=None, ge=1, le=tokens.MAX_EXPIRES_IN_SECONDS)


def _page(rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {
        "items": rows,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(rows) == limit else None,
    }


@router.get("/processes")
async def list_processes(request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)

    def work(session: Session) -> list[dict[str, Any]]:
        return [
            processes.process_view(p) for p in processes.list_processes(session, who.workspace_id)
        ]

    return {"items": await deps.in_read(request, work)}


@router.post("/processes", status_code=201)
async def create_process(body: ProcessIn, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, TokenKind.ADMIN)  # as in the console
    settings = deps.settings(request)
    default = settings.retry_policy()
    specs = [StepSpec(s.robot_dir, s.task_name, s.name, s.policy(default)) for s in body.steps]

    def work(session: Session) -> dict[str, Any]:
        process = processes.create_process(
            session,
            who.workspace_id,
            body.name,
            specs,
            actor=who.actor,
            description=body.description,
            max_steps=settings.max_process_steps,
            correlation_id=deps.correlation_id(),
        )
        return processes.process_view(process)

    return await deps.in_tx(request, work)


async def _body_within(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes. The start
    route takes multipart uploads, so the server-wide guard lets it through up to
    CLERK_MAX_FILE_BYTES; a JSON start is held to the payload limit here."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(
                f"a JSON start request is over {limit} bytes (CLERK_MAX_PAYLOAD_BYTES): start "
                "several runs, or send documents as multipart files"
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def _start_inputs(request: Request) -> list[runs.InputSpec]:
    """JSON ``{"items": [...]}``, or multipart with an ``items`` JSON field and ``files``
    parts that the items name; without ``items``, one item per uploaded file."""
    settings = deps.settings(request)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raw = await _body_within(request, settings.max_payload_bytes)
        try:
            body = StartIn.model_validate_json(raw or b"{}")
        except ValueError as exc:
            raise InvalidInput(f"the body is not a valid start request: {exc}") from None
        if any(i.files for i in body.items):
            raise InvalidInput("files cannot be sent in JSON: use multipart/form-data")
        return [runs.InputSpec(payload=i.payload) for i in body.items]
    async with request.form(max_files=MAX_START_FILES, max_fields=10) as form:
        uploaded: dict[str, bytes] = {}
        for part in form.getlist("files"):
            if not isinstance(part, UploadFile) or not part.filename:
                raise InvalidInput("each 'files' part must be a file with a file name")
            data = await part.read(settings.max_file_bytes + 1)
            itemfiles.check_size(len(data), settings.max_file_bytes, part.filename)
            uploaded[part.filename] = data
        items_field = form.get("items")
    if items_field is None:
        return [runs.InputSpec(payload={}, files=((n, d),)) for n, d in uploaded.items()]
    if not isinstance(items_field, str):
        raise InvalidInput("'items' must be a JSON text field")
    try:
        body = StartIn.model_validate({"items": json.loads(items_field)})
    except ValueError as exc:
        raise InvalidInput(f"'items' is not a JSON list of {{payload, files}}: {exc}") from None
    specs = []
    for item in body.items:
        missing = [n for n in item.files if n not in uploaded]
        if missing:
            raise InvalidInput(f"item names files that were not uploaded: {missing}")
        specs.append(runs.InputSpec(item.payload, tuple((n, uploaded[n]) for n in item.files)))
    return specs


@router.post(
    "/processes/{process}/runs",
    status_code=201,
    openapi_extra=openapi_bodies.start_run_body(ItemIn),
)
async def start_run(process: str, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)
    specs = await _start_inputs(request)
    settings = deps.settings(request)

    def work(session: Session) -> dict[str, Any]:
        run = runs.start_run(
            session,
            deps.blobs(request),
            who.workspace_id,
            process,
            specs,
            actor=who.actor,
            max_payload_bytes=settings.max_payload_bytes,
            max_file_bytes=settings.max_file_bytes,
            max_items=settings.max_run_items,
            correlation_id=deps.correlation_id(),
        )
        return run_view(run)

    return await deps.in_tx(request, work)


@router.get("/runs")
async def list_runs(
    request: Request,
    process: str | None = None,
    state: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_INT32),
) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)

    def work(session: Session) -> list[dict[str, Any]]:
        process_id = (
            processes.find_process(session, who.workspace_id, process).id if process else None
        )
        return [
            run_view(r)
            for r in runs.list_runs(
                session,
                who.workspace_id,
                process_id=process_id,
                state=state,
                limit=limit,
                offset=offset,
            )
        ]

    return _page(await deps.in_read(request, work), limit, offset)


@router.get("/runs/{run_id}")
async def get_run(run_id: str, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)

    def work(session: Session) -> dict[str, Any]:
        run = runs.get_run(session, who.workspace_id, run_id)
        return {
            **run_view(run),
            "items_by_step": {str(k): v for k, v in runs.item_counts(session, run.id).items()},
            "step_runs": [step_run_view(s) for s in runs.step_runs_of(session, run.id)],
        }

    return await deps.in_read(request, work)


@router.get("/items")
async def list_items(
    request: Request,
    run: str | None = None,
    state: str | None = None,
    step: int | None = Query(None, ge=1, le=MAX_INT32),
    exception_type: str | None = None,
    exception_code: str | None = None,
    rejected: bool | None = None,
    limit: int = Query(50, ge=1, le=items.MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_INT32),
) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)
    f = items.ItemFilter(run, state, step, exception_type, exception_code, rejected, limit, offset)

    def work(session: Session) -> list[dict[str, Any]]:
        return [
            item_view(i, step_position=p) for i, p in items.list_items(session, who.workspace_id, f)
        ]

    return _page(await deps.in_read(request, work), limit, offset)


@router.get("/items/{item_id}")
async def get_item(item_id: str, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)

    def work(session: Session) -> dict[str, Any]:
        item = items.get_item(session, who.workspace_id, item_id)
        return {
            **item_view(item),
            "files": [file_view(f) for f in itemfiles.list_files(session, item.id)],
            "children": [c.id for c in items.children(session, item.id)],
        }

    return await deps.in_read(request, work)


@router.get(
    "/items/{item_id}/files/{file_id}",
    response_class=Response,
    responses=openapi_bodies.BYTES_RESPONSE,
)
async def download_file(item_id: str, file_id: str, request: Request) -> Response:
    """A work item's file, checked against its sha256 on the way out."""
    who = await deps.authenticate(request, *_OPERATOR)

    def work(session: Session) -> tuple[str, bytes]:
        item = items.get_item(session, who.workspace_id, item_id)
        file = itemfiles.get(session, file_id, item.id)
        return file.name, itemfiles.read(deps.blobs(request), file)

    name, data = await deps.in_read(request, work)
    disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    return Response(
        data, media_type="application/octet-stream", headers={"Content-Disposition": disposition}
    )


@router.post("/items/{item_id}/retry")
async def retry_item(item_id: str, body: ReasonIn, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)
    return await deps.in_tx(
        request,
        lambda s: item_view(
            items.retry(
                s,
                who.workspace_id,
                item_id,
                actor=who.actor,
                reason=body.reason,
                correlation_id=deps.correlation_id(),
            )
        ),
    )


@router.post("/items/{item_id}/edit")
async def edit_item(item_id: str, body: EditIn, request: Request) -> dict[str, Any]:
    """Replace a FAILED item's payload and retry it."""
    who = await deps.authenticate(request, *_OPERATOR)
    limit = deps.settings(request).max_payload_bytes
    return await deps.in_tx(
        request,
        lambda s: item_view(
            items.edit_and_retry(
                s,
                who.workspace_id,
                item_id,
                body.payload,
                actor=who.actor,
                max_payload_bytes=limit,
                reason=body.reason,
                correlation_id=deps.correlation_id(),
            )
        ),
    )


@router.post("/items/{item_id}/reject")
async def reject_item(item_id: str, body: ReasonIn, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_OPERATOR)
    return await deps.in_tx(
        request,
        lambda s: item_view(
            items.reject(
                s,
                who.workspace_id,
                item_id,
                actor=who.actor,
                reason=body.reason,
                correlation_id=deps.correlation_id(),
            )
        ),
    )


@router.post("/tokens", status_code=201)
async def create_token(body: TokenIn, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, TokenKind.ADMIN)
    if body.kind is TokenKind.STEP_RUN:
        raise InvalidInput("step-run tokens are minted when a step run starts, not by hand")
    expires = (
        utcnow() + timedelta(seconds=body.expires_in_seconds) if body.expires_in_seconds else None
    )

    def work(session: Session) -> dict[str, Any]:
        token, secret = tokens.create(
            session,
            who.workspace_id,
            body.kind,
            name=body.name,
            actor=who.actor,
            expires_at=expires,
            correlation_id=deps.correlation_id(),
        )
        return {
            "id": token.id,
            "kind": token.kind,
            "name": token.name,
            "token": secret,
            "expires_at": expires.isoformat() if expires else None,
        }

    return await deps.in_tx(request, work)
