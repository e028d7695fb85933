"""Operators' pages: dashboard, processes (start a run), runs (live), artifacts, workers."""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from clerk.payloads import DocumentRef, ItemPayload
from controlroom.console import _canary as canary
from controlroom.console import _dashboard as dashboard
from controlroom.console import _queries as queries
from controlroom.console._web import (
    DOWNLOAD_CSP,
    PREFIX,
    PageError,
    acting_user,
    current_user,
    in_tx,
    page_number,
    read_only,
    redirect,
    render,
    settings_of,
    workspace_id,
)
from controlroom.files import BlobStore
from controlroom.models import Process, ProcessRun
from controlroom.services import itemfiles, runs
from controlroom.services.errors import ServiceError
from controlroom.states import UserRole
from extractors.reading.sniff import mime_of

log = logging.getLogger("controlroom.console")
router = APIRouter(prefix=PREFIX)
UPLOAD_PREFIX = PREFIX + "/upload/"
MAX_UPLOAD_FILES = 200
INLINE_IMAGES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}


@router.get("/")
async def home(request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    threshold = settings_of(request).drift_psi_threshold
    data = await read_only(request, lambda s: dashboard.build(s, ws, psi_threshold=threshold))
    canary_panel = await read_only(request, canary.panel)
    return render(
        request,
        "dashboard.html",
        {
            "d": data,
            "canary": canary_panel,
            "charts": dashboard.chart_set(data),
            "min_drift": dashboard.MIN_DRIFT_DOCUMENTS,
            "page": "dashboard",
        },
    )


@router.get("/processes")
async def processes_page(request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)

    def work(session: Session) -> dict[str, Any]:
        grouped: dict[str, dict[str, Any]] = {}
        for process, step in queries.process_steps(session, ws):
            entry = grouped.setdefault(process.id, {"process": process, "steps": []})
            entry["steps"].append(step)
        return {"processes": list(grouped.values()), "depths": queries.queue_depths(session, ws)}

    data = await read_only(request, work)
    inbox = settings_of(request).inbox_dir
    waiting = sorted(p.name for p in inbox.iterdir() if p.is_file()) if inbox.is_dir() else []
    return render(
        request,
        "processes.html",
        {**data, "inbox": inbox, "inbox_files": waiting, "page": "processes"},
    )


def _document_input(name: str, data: bytes, source: str) -> runs.InputSpec:
    mime = mime_of(data, name)  # by content, as intake and the reader decide it
    ref = DocumentRef(
        sha256=hashlib.sha256(data).hexdigest(), name=name, mime=mime, source=source, file=name
    )
    return runs.InputSpec(payload=ItemPayload(document=ref).dump(), files=((name, data),))


async def _start(
    request: Request, process_id: str, inputs: list[runs.InputSpec], actor: str
) -> str:
    ws = await workspace_id(request)
    cr = request.app.state.settings
    blobs: BlobStore = request.app.state.blobs

    def work(session: Session) -> str:
        run = runs.start_run(
            session,
            blobs,
            ws,
            process_id,
            inputs,
            actor=actor,
            max_payload_bytes=cr.max_payload_bytes,
            max_file_bytes=cr.max_file_bytes,
            max_items=cr.max_run_items,
        )
        return run.id

    try:
        return await in_tx(request, work)
    except ServiceError as exc:
        raise PageError(exc.status, exc.message, "Run not started") from None


@router.post("/upload/{process_id}")
async def start_by_upload(process_id: str, request: Request) -> Response:
    who = await acting_user(request, UserRole.OPERATOR.value, "Starting a run")
    max_bytes = request.app.state.settings.max_file_bytes
    inputs = []
    async with request.form(max_files=MAX_UPLOAD_FILES) as form:
        for part in form.getlist("documents"):
            if not isinstance(part, UploadFile) or not part.filename:
                continue
            data = await part.read(max_bytes + 1)
            itemfiles.check_size(len(data), max_bytes, part.filename)
            name = Path(part.filename).name  # browsers may send a path; keep the base name
            inputs.append(_document_input(name, data, f"upload:{who.username}"))
    if not inputs:
        raise PageError(400, "choose at least one document to upload", "Nothing to start")
    run_id = await _start(request, process_id, inputs, who.actor)
    return redirect(
        request, f"{PREFIX}/runs/{run_id}", f"Run started with {len(inputs)} document(s)."
    )


@router.post("/processes/{process_id}/inbox")
async def start_from_inbox(process_id: str, request: Request) -> Response:
    who = await acting_user(request, UserRole.OPERATOR.value, "Starting a run")
    inbox = settings_of(request).inbox_dir
    files = sorted(p for p in inbox.iterdir() if p.is_file()) if inbox.is_dir() else []
    if not files:
        raise PageError(400, f"the inbox {inbox} has no documents (CLERK_INBOX_DIR)", "Inbox empty")
    inputs = [_document_input(p.name, p.read_bytes(), f"inbox:{p}") for p in files]
    run_id = await _start(request, process_id, inputs, who.actor)
    # Moved only after the run is committed: a failed start leaves the inbox as it was.
    done = inbox / ".started" / run_id
    done.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.move(str(path), done / path.name)
    return redirect(
        request, f"{PREFIX}/runs/{run_id}", f"Run started with {len(inputs)} inbox document(s)."
    )


@router.get("/runs")
async def runs_page(request: Request, page: int = 1) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    page = page_number(page)
    rows = await read_only(
        request, lambda s: queries.recent_runs(s, ws, limit=51, offset=(page - 1) * 50)
    )
    return render(
        request,
        "runs.html",
        {"runs": rows[:50], "has_next": len(rows) > 50, "page_no": page, "page": "runs"},
    )


LOG_TAIL_BYTES = 16 * 1024


def _tail(data: bytes) -> str:
    return data[-LOG_TAIL_BYTES:].decode("utf-8", errors="replace")


def _log_tails(rows: list[queries.StepRunRow], blobs: BlobStore, files_dir: Path) -> dict[str, str]:
    """The end of each step run's console log: sealed artifact, or the live spool."""
    from controlroom.services.step_logs import CONSOLE_LOG, spool_path

    tails: dict[str, str] = {}
    for row in rows:
        sealed = next((a for a in row.artifacts if a.name == CONSOLE_LOG), None)
        try:
            if sealed is not None:
                tails[row.step_run.id] = _tail(blobs.get(sealed.blob_key))
            else:
                spool = spool_path(files_dir, row.step_run.id)
                if spool.is_file():
                    with spool.open("rb") as handle:
                        handle.seek(max(spool.stat().st_size - LOG_TAIL_BYTES, 0))
                        tails[row.step_run.id] = _tail(handle.read())
        except Exception as exc:  # a missing log must not take the page down
            tails[row.step_run.id] = f"(log unavailable: {exc})"
    return tails


def _run_context(
    session: Session,
    ws: str,
    run_id: str,
    blobs: BlobStore | None = None,
    files_dir: Path | None = None,
) -> dict[str, Any]:
    run = session.get(ProcessRun, run_id)
    if run is None or run.workspace_id != ws:
        raise PageError(404, f"no process run {run_id}")
    process = session.get_one(Process, run.process_id)
    step_runs = queries.step_run_rows(session, run.id)
    return {
        "run": run,
        "process": process,
        "counts": runs.item_counts(session, run.id),
        "step_names": {s.position: s.name for s in process.steps},
        "step_runs": step_runs,
        "logs": _log_tails(step_runs, blobs, files_dir) if blobs and files_dir else {},
        "items": queries.run_items(session, run.id),
        "active": queries.is_active(run),
    }


@router.get("/runs/{run_id}")
async def run_page(run_id: str, request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    blobs, files_dir = request.app.state.blobs, request.app.state.settings.files_dir
    data = await read_only(request, lambda s: _run_context(s, ws, run_id, blobs, files_dir))
    return render(request, "run.html", {**data, "page": "runs"})


@router.get("/runs/{run_id}/live")
async def run_live(run_id: str, request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    blobs, files_dir = request.app.state.blobs, request.app.state.settings.files_dir
    data = await read_only(request, lambda s: _run_context(s, ws, run_id, blobs, files_dir))
    response = render(request, "_run_live.html", data)
    if not data["active"]:
        response.headers["X-Poll-Stop"] = "1"
    return response


@router.post("/runs/{run_id}/stop")
async def stop_run(run_id: str, request: Request) -> Response:
    who = await acting_user(request, UserRole.OPERATOR.value, "Stopping a run")
    ws = await workspace_id(request)

    def work(session: Session) -> bool:
        run = runs.get_run(session, ws, run_id)
        return runs.stop_run(session, run.id, who.actor)

    try:
        stopped = await in_tx(request, work)
    except ServiceError as exc:
        raise PageError(exc.status, exc.message) from None
    return redirect(
        request,
        f"{PREFIX}/runs/{run_id}",
        "Run stopped." if stopped else "The run had already ended.",
    )


@router.get("/artifacts/{artifact_id}")
async def artifact(artifact_id: str, request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    row = await read_only(request, lambda s: queries.artifact(s, ws, artifact_id))
    if row is None:
        raise PageError(404, f"no artifact {artifact_id}")
    blobs: BlobStore = request.app.state.blobs
    try:
        data = blobs.get(row.blob_key)
    except Exception as exc:
        raise PageError(500, f"artifact {row.name!r} cannot be read: {exc}") from None
    suffix = Path(row.name).suffix.lower()
    safe_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(row.name).name)
    headers = {"Content-Security-Policy": DOWNLOAD_CSP, "Cache-Control": "private, max-age=3600"}
    if suffix in INLINE_IMAGES:
        return Response(data, media_type=INLINE_IMAGES[suffix], headers=headers)
    if suffix in (".log", ".txt") and request.query_params.get("view") == "1":
        return Response(data, media_type="text/plain; charset=utf-8", headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return Response(data, media_type="application/octet-stream", headers=headers)


@router.get("/workers")
async def workers_page(request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    rows = await read_only(request, lambda s: queries.workers_with_work(s, ws))
    template = "_workers_live.html" if "x-partial" in request.headers else "workers.html"
    return render(request, template, {"workers": rows, "page": "workers"})
