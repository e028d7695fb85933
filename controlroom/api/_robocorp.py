"""The stock robocorp-workitems 1.5.1 client's protocol, route for route.

    P = /process-v1/workspaces/{ws}/processes/{process}
    POST P/runs/{run}/robotRuns/{stepRun}/reserve-next-work-item -> {"workItemId": id|null}
    POST P/runs/{run}/robotRuns/{stepRun}/release-work-item  {workItemId, state, exception}
    POST P/work-items/{parent}/output  {payload} -> {"id"}
    W = /json-v1/workspaces/{ws}/workitems/{item}
    GET|PUT W/data          payload (GET: 404 when the item has no payload; read as {})
    GET W/files             [{"fileName", "fileId", "fileSize", "sha256"}]
    GET W/files/{fileId}    {"url"}: signed GET /files-v1/download/{fileId}
    POST W/files            {fileName, fileSize} -> {"url", "fields"}: signed multipart POST
    DELETE W/files/{fileId}

Callers authenticate with their step run's token, which reaches only that step run's
process run, and writes only to items the step run holds or created; admin tokens reach
the whole workspace. The two file-transfer URLs carry an HMAC signature instead
(``controlroom._signing``) because the client calls them without a token. An upload URL
also names the declared ``fileSize`` (the upload must have exactly that many bytes) and
the step run that asked for it, which must still hold the item when the upload arrives:
once the item is released or the step run ends, the URL no longer works.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from controlroom import _audit as audit
from controlroom import _signing as signing
from controlroom.api import _deps as deps
from controlroom.api import _openapi_bodies as openapi_bodies
from controlroom.models import ProcessRun, StepRun, WorkItem
from controlroom.services import itemfiles, queue, tokens
from controlroom.services.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from controlroom.services.validation import check_file_name, check_payload, load_json
from controlroom.states import ItemState, StepRunState, TokenKind

router = APIRouter(tags=["robocorp"])
P = "/process-v1/workspaces/{ws}/processes/{process}"
W = "/json-v1/workspaces/{ws}/workitems/{item_id}"
UPLOAD_PREFIX = "/files-v1/upload/"
DOWNLOAD_PREFIX = "/files-v1/download/"
_ROBOT_KINDS = (TokenKind.STEP_RUN, TokenKind.ADMIN)


class ReleaseIn(BaseModel):
    workItemId: str = Field(min_length=1, max_length=64)
    state: str
    exception: dict[str, Any] | None = None


class OutputIn(BaseModel):
    payload: Any = None


class FileIn(BaseModel):
    fileName: str
    fileSize: int = Field(ge=0)


def _actor(who: tokens.Principal) -> str:
    return f"step-run:{who.step_run_id}" if who.step_run_id else who.actor


def _check_scope(who: tokens.Principal, ws: str, step_run_id: str) -> None:
    if who.workspace_id != ws:
        raise Forbidden(f"this token is not valid for workspace {ws}")
    if who.kind is TokenKind.STEP_RUN and who.step_run_id != step_run_id:
        raise Forbidden(f"this token belongs to step run {who.step_run_id}, not {step_run_id}")


def _running_on_path(
    session: Session, step_run_id: str, process: str, run: str
) -> queue.RunningStepRun:
    """The step run, if the URL names its own process and run (whether it is RUNNING is
    checked by the reserve or release itself)."""
    step_run = queue.step_run_facts(session, step_run_id)
    if run != step_run.process_run_id or process != step_run.process_id:
        raise NotFound(f"step run {step_run_id} is not part of process {process} run {run}")
    return step_run


def _step_run(session: Session, who: tokens.Principal, ws: str, step_run_id: str) -> StepRun:
    _check_scope(who, ws, step_run_id)
    step_run = session.get(StepRun, step_run_id)
    if step_run is None:
        raise NotFound(f"no step run {step_run_id!r}")
    return step_run


def _check_path(session: Session, step_run: StepRun, process: str, run: str | None) -> None:
    process_run = session.get_one(ProcessRun, step_run.process_run_id)
    if (run is not None and run != process_run.id) or process != process_run.process_id:
        raise NotFound(f"step run {step_run.id} is not part of process {process} run {run}")


def _item(session: Session, who: tokens.Principal, ws: str, item_id: str, write: bool) -> WorkItem:
    """The item if this caller may read (or write) it."""
    if who.workspace_id != ws:
        raise Forbidden(f"this token is not valid for workspace {ws}")
    item = session.get(WorkItem, item_id)
    if item is None or item.workspace_id != ws:
        raise NotFound(f"no work item {item_id!r}")
    if who.kind is not TokenKind.STEP_RUN:
        return item
    step_run = session.get_one(StepRun, who.step_run_id)
    if step_run.state != StepRunState.RUNNING.value:
        raise Conflict(f"step run {step_run.id} is {step_run.state}", "STEP_RUN_NOT_RUNNING")
    if item.process_run_id != step_run.process_run_id:
        raise NotFound(f"no work item {item_id!r} in this step run's process run")
    if write:
        _check_writer(item, step_run)
    return item


def _check_writer(item: WorkItem, step_run: StepRun) -> None:
    """A step run writes only to an item it holds IN_PROGRESS or created as an output,
    and only while it is RUNNING."""
    if step_run.state != StepRunState.RUNNING.value:
        raise Conflict(f"step run {step_run.id} is {step_run.state}", "STEP_RUN_NOT_RUNNING")
    holds = item.reserved_by == step_run.id and item.state == ItemState.IN_PROGRESS.value
    if not (holds or item.created_by == step_run.id):
        raise Conflict(
            f"work item {item.id} is {item.state} and not held or created by step run "
            f"{step_run.id}: it cannot be changed",
            "NOT_YOURS",
        )


def _public_base(request: Request) -> str:
    configured = deps.settings(request).controlroom_url
    return (configured or str(request.base_url)).rstrip("/")


@router.post(P + "/runs/{run}/robotRuns/{step_run_id}/reserve-next-work-item")
async def reserve_next(
    ws: str, process: str, run: str, step_run_id: str, request: Request
) -> dict[str, Any]:
    return await reserve_next_for(request, ws, process, run, step_run_id)


async def reserve_next_for(
    request: Request, ws: str, process: str, run: str, step_run_id: str
) -> dict[str, Any]:
    """The reserve route's work, shared with ``api._robot_routes.HotRoutes``."""
    who = await deps.authenticate(request, *_ROBOT_KINDS)
    _check_scope(who, ws, step_run_id)

    def work(session: Session) -> str | None:
        step_run = _running_on_path(session, step_run_id, process, run)
        return queue.reserve_id(
            session,
            step_run,
            actor=_actor(who),
            correlation_id=deps.correlation_id(),
            server_started_at=deps.started_at(request),
        )

    return {"workItemId": await deps.in_tx(request, work, brief=True)}


@router.post(P + "/runs/{run}/robotRuns/{step_run_id}/release-work-item")
async def release(
    ws: str, process: str, run: str, step_run_id: str, body: ReleaseIn, request: Request
) -> dict[str, Any]:
    return await release_for(request, ws, process, run, step_run_id, body)


async def release_for(
    request: Request, ws: str, process: str, run: str, step_run_id: str, body: ReleaseIn
) -> dict[str, Any]:
    """The release route's work, shared with ``api._robot_routes.HotRoutes``."""
    who = await deps.authenticate(request, *_ROBOT_KINDS)
    _check_scope(who, ws, step_run_id)

    def work(session: Session) -> dict[str, Any]:
        step_run = _running_on_path(session, step_run_id, process, run)
        state = queue.release_row(
            session,
            step_run,
            body.workItemId,
            body.state,
            body.exception,
            actor=_actor(who),
            correlation_id=deps.correlation_id(),
            server_started_at=deps.started_at(request),
        )
        return {"workItemId": body.workItemId, "state": state}

    return await deps.in_tx(request, work, brief=True)


@router.post(P + "/work-items/{parent_id}/output")
async def create_output(
    ws: str, process: str, parent_id: str, body: OutputIn, request: Request
) -> dict[str, Any]:
    who = await deps.authenticate(request, TokenKind.STEP_RUN)
    limit = deps.settings(request).max_payload_bytes

    def work(session: Session) -> dict[str, Any]:
        assert who.step_run_id is not None
        step_run = _step_run(session, who, ws, who.step_run_id)
        _check_path(session, step_run, process, None)
        output = queue.create_output(
            session,
            step_run.id,
            parent_id,
            body.payload,
            actor=_actor(who),
            max_payload_bytes=limit,
            correlation_id=deps.correlation_id(),
            server_started_at=deps.started_at(request),
        )
        return {"id": output.id}

    return await deps.in_tx(request, work)


@router.get(W + "/data")
async def get_payload(ws: str, item_id: str, request: Request) -> Response:
    who = await deps.authenticate(request, *_ROBOT_KINDS)

    def work(session: Session) -> Any:
        return _item(session, who, ws, item_id, write=False).payload

    payload = await deps.in_read(request, work)
    if payload is None:
        raise NotFound(f"work item {item_id} has no payload", "NO_PAYLOAD")
    return JSONResponse(payload)


@router.put(W + "/data", openapi_extra=openapi_bodies.json_body({}))
async def put_payload(ws: str, item_id: str, request: Request) -> Response:
    who = await deps.authenticate(request, *_ROBOT_KINDS)
    raw = await request.body()
    payload = load_json(raw)
    check_payload(payload, deps.settings(request).max_payload_bytes)

    def work(session: Session) -> Any:
        item = _item(session, who, ws, item_id, write=True)
        item.payload = payload
        audit.append(
            session,
            _actor(who),
            "item.save_payload",
            "work_item",
            item.id,
            after={"bytes": len(raw)},
            correlation_id=deps.correlation_id(),
        )
        return payload

    return JSONResponse(await deps.in_tx(request, work))


@router.get(W + "/files")
async def list_files(ws: str, item_id: str, request: Request) -> list[dict[str, Any]]:
    who = await deps.authenticate(request, *_ROBOT_KINDS)

    def work(session: Session) -> list[dict[str, Any]]:
        _item(session, who, ws, item_id, write=False)
        return [
            {"fileName": f.name, "fileId": f.id, "fileSize": f.size, "sha256": f.sha256}
            for f in itemfiles.list_files(session, item_id)
        ]

    return await deps.in_read(request, work)


@router.get(W + "/files/{file_id}")
async def download_url(ws: str, item_id: str, file_id: str, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_ROBOT_KINDS)

    def work(session: Session) -> None:
        _item(session, who, ws, item_id, write=False)
        itemfiles.get(session, file_id, item_id)

    await deps.in_read(request, work)
    path = DOWNLOAD_PREFIX + file_id
    query = signing.sign(
        deps.signing_key(request), "GET", path, deps.settings(request).signed_url_ttl
    )
    return {"url": f"{_public_base(request)}{path}?{query}"}


@router.post(W + "/files")
async def upload_url(ws: str, item_id: str, body: FileIn, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_ROBOT_KINDS)
    check_file_name(body.fileName)
    itemfiles.check_size(body.fileSize, deps.settings(request).max_file_bytes, body.fileName)

    def work(session: Session) -> None:
        _item(session, who, ws, item_id, write=True)

    await deps.in_tx(request, work)
    # The URL names the declared size and the step run that asked for it (none for an
    # admin token): the upload must match the one, and the other must still hold the item.
    params = {"size": str(body.fileSize), "by": who.step_run_id or ""}
    target = _upload_target(item_id, body.fileName, params)
    query = signing.sign(
        deps.signing_key(request), "POST", target, deps.settings(request).signed_url_ttl
    )
    url = f"{_public_base(request)}{UPLOAD_PREFIX}{item_id}/{quote(body.fileName, safe='')}"
    return {"url": f"{url}?{urlencode(params)}&{query}", "fields": {}}


@router.delete(W + "/files/{file_id}")
async def delete_file(ws: str, item_id: str, file_id: str, request: Request) -> dict[str, Any]:
    who = await deps.authenticate(request, *_ROBOT_KINDS)

    def work(session: Session) -> None:
        item = _item(session, who, ws, item_id, write=True)
        itemfiles.delete(
            session, item, file_id, actor=_actor(who), correlation_id=deps.correlation_id()
        )

    await deps.in_tx(request, work)
    return {"deleted": file_id}


def _upload_target(item_id: str, name: str, params: dict[str, str]) -> str:
    """What an upload URL's signature covers. Signed over the decoded name: the same
    string however the client encodes the URL."""
    return f"{UPLOAD_PREFIX}{item_id}/{name}?size={params['size']}&by={params['by']}"


def _verify(request: Request, method: str, path: str) -> None:
    try:
        signing.verify(
            deps.signing_key(request),
            method,
            path,
            request.query_params.get("expires"),
            request.query_params.get("signature"),
        )
    except signing.SignatureError as exc:
        raise HTTPException(403, str(exc)) from None


@router.get(
    DOWNLOAD_PREFIX + "{file_id}",
    response_class=Response,
    responses=openapi_bodies.BYTES_RESPONSE,
    openapi_extra={"parameters": openapi_bodies.signed_query("expires", "signature")},
)
async def download(file_id: str, request: Request) -> Response:
    _verify(request, "GET", DOWNLOAD_PREFIX + file_id)

    def work(session: Session) -> bytes:
        return itemfiles.read(deps.blobs(request), itemfiles.get(session, file_id))

    data = await deps.in_read(request, work)
    return Response(data, media_type="application/octet-stream")


@router.post(UPLOAD_PREFIX + "{item_id}/{name}", openapi_extra=openapi_bodies.upload_body())
async def upload(item_id: str, name: str, request: Request) -> dict[str, Any]:
    params = {k: request.query_params.get(k, "") for k in ("size", "by")}
    _verify(request, "POST", _upload_target(item_id, name, params))
    limit = deps.settings(request).max_file_bytes
    async with request.form(max_files=1, max_fields=100) as form:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise InvalidInput("the upload needs a multipart 'file' part", "MISSING_FILE")
        data = await part.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"file {name!r} is over the limit of {limit} bytes (CLERK_MAX_FILE_BYTES)")
    if str(len(data)) != params["size"]:
        raise InvalidInput(
            f"file {name!r} has {len(data)} bytes but {params['size']} were declared: "
            "ask for a new upload URL with the right fileSize",
            "SIZE_MISMATCH",
        )

    def work(session: Session) -> dict[str, Any]:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise NotFound(f"no work item {item_id!r}")
        if params["by"]:  # the step run that asked must still hold (or have made) the item
            holder = session.get(StepRun, params["by"])
            if holder is None:
                raise NotFound(f"no step run {params['by']!r}")
            _check_writer(item, holder)
        file = itemfiles.attach(
            session,
            deps.blobs(request),
            item,
            name,
            data,
            max_file_bytes=limit,
            actor=f"signed-upload:{item_id}",
            correlation_id=deps.correlation_id(),
        )
        return {"fileId": file.id, "fileName": file.name, "fileSize": file.size}

    return await deps.in_tx(request, work)
