"""Exception handlers' pages: the failed-item queue and the side-by-side review screen."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from clerk.documents import Document
from controlroom.console import _history as history
from controlroom.console import _page_images as page_images
from controlroom.console import _queries as queries
from controlroom.console._web import (
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
from controlroom.models import File, Process, ProcessRun, ProcessStep, WorkItem
from controlroom.services import itemfiles, items, replace, retype, review
from controlroom.services.errors import ServiceError
from controlroom.states import ItemState, UserRole

router = APIRouter(prefix=PREFIX)
FIELD_PREFIX = "field:"


@router.get("/review")
async def queue_page(
    request: Request,
    process: str = "",
    step: str = "",
    type: str = "",
    code: str = "",
    age: str = "",
    sort: str = "newest",
    page: int = 1,
    size: int = 50,
) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    f = queries.QueueFilter(process, step, type, code, age, sort, page_number(page), size).clean()

    def work(session: Session) -> dict[str, Any]:
        return {
            "q": queries.exception_queue(session, ws, f),
            "steps": queries.process_steps(session, ws),
        }

    data = await read_only(request, work)
    return render(
        request,
        "review_queue.html",
        {
            **data,
            "f": f,
            "ages": queries.AGES,
            "sorts": queries.SORTS,
            "sizes": queries.PAGE_SIZES,
            "page": "review",
        },
    )


@router.post("/review/bulk-retry")
async def bulk_retry(request: Request) -> Response:
    who = await acting_user(request, UserRole.REVIEWER.value, "Retrying items")
    ws = await workspace_id(request)
    form = await request.form()
    ids = [v for v in form.getlist("item") if isinstance(v, str)][:500]
    back = form.get("back")
    back_url = (
        back
        if isinstance(back, str) and back.startswith(PREFIX + "/review")
        else PREFIX + "/review"
    )
    if not ids:
        return redirect(request, back_url, "Select at least one APPLICATION failure to retry.")
    done, skipped = await in_tx(
        request, lambda s: review.bulk_retry(s, ws, ids, username=who.username)
    )
    message = f"Retried {done} item(s)."
    if skipped:
        message += (
            f" Skipped {len(skipped)} (not an open APPLICATION failure, or locked by someone else)."
        )
    return redirect(request, back_url, message)


def _item_context(session: Session, ws: str, item_id: str) -> dict[str, Any]:
    item = session.get(WorkItem, item_id)
    if item is None or item.workspace_id != ws:
        raise PageError(404, f"no work item {item_id}")
    step = session.get_one(ProcessStep, item.step_id)
    process = session.get_one(Process, step.process_id)
    run = session.get_one(ProcessRun, item.process_run_id)
    payload, understanding, problem = review.parse_payload(item)
    files = itemfiles.list_files(session, item.id)
    document_file: File | None = None
    if payload is not None:
        document_file = next((f for f in files if f.name == payload.document.file), None)
    return {
        "item": item,
        "step": step,
        "process": process,
        "run": run,
        "payload": payload,
        "understanding": understanding,
        "problem": problem,
        "files": files,
        "document_file": document_file,
        "history": history.item_history(session, item.id),
        "children": items.children(session, item.id),
        "parent": session.get(WorkItem, item.parent_id) if item.parent_id else None,
        "reviewable": item.state == ItemState.FAILED.value and item.rejected_at is None,
        "can_retype": understanding is not None and retype.can_retype(step),
        "doc_types": retype.doc_types(),
    }


@router.get("/items/{item_id}")
async def item_page(item_id: str, request: Request) -> Response:
    who = await current_user(request)
    ws = await workspace_id(request)
    settings = settings_of(request)
    blobs: BlobStore = request.app.state.blobs
    data = await read_only(request, lambda s: _item_context(s, ws, item_id))
    lock = None
    if data["reviewable"] and who.can(UserRole.REVIEWER.value):
        lock = await in_tx(
            request,
            lambda s: review.acquire_lock(s, item_id, who.username, settings.review_lock_seconds),
        )
    fields: list[page_images.FieldView] = []
    table: page_images.TableView | None = None
    page_list: list[page_images.PageView] = []
    sections: list[page_images.SectionView] = []
    reasons: list[page_images.ReasonView] = []
    understanding = data["understanding"]
    if understanding is not None:
        fields = page_images.field_views(understanding)
        table = page_images.table_view(understanding, len(fields))
        sections = page_images.sections(understanding, fields)
        reasons = page_images.reason_views(understanding, fields, table)
    # The pages are shown even without an understanding (e.g. an unreadable scan).
    if data["document_file"] is not None:
        try:
            sizes = page_images.page_sizes(understanding, data["document_file"], blobs)
        except Exception as exc:
            data["problem"] = f"the document cannot be shown: {exc}"
            sizes = []
        page_list = page_images.page_views([*fields, *(table.cells() if table else ())], sizes)
    next_item = None
    if not data["reviewable"] or (lock is not None and not lock.held_by_me):
        next_item = await read_only(
            request, lambda s: queries.next_failed_item(s, ws, item_id, who.username)
        )
    try:
        current_page = max(
            1, min(int(request.query_params.get("page", "1")), max(len(page_list), 1))
        )
    except ValueError:
        current_page = 1
    return render(
        request,
        "item.html",
        {
            **data,
            "lock": lock,
            "fields": fields,
            "sections": sections,
            "reasons": reasons,
            # A reason's field is flagged too (a failed check's total, say): a Tab stop.
            "reason_targets": {r.target for r in reasons if r.target},
            "check_anchor": page_images.check_anchor,
            "table": table,
            "failed_checks": _unlinked_failures(understanding, reasons),
            "page_views": page_list,
            "current_page": current_page,
            "field_prefix": FIELD_PREFIX,
            "next_item": next_item,
            "page": "review",
        },
    )


def _unlinked_failures(understanding: Any, reasons: list[page_images.ReasonView]) -> list[Any]:
    """The failed checks to list on their own: those no reason already links to a field
    (a check the policy named is in the reasons, with its message)."""
    if understanding is None:
        return []
    linked = {r.reason.name for r in reasons if r.reason.kind == "check" and r.target}
    return [c for c in understanding.checks if not c.passed and c.name not in linked]


@router.get("/items/{item_id}/pages/{number}.png")
async def page_image(item_id: str, number: int, request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)
    data = await read_only(request, lambda s: _item_context(s, ws, item_id))
    file: File | None = data["document_file"]
    if file is None:
        raise PageError(404, f"item {item_id} has no document file")
    blobs: BlobStore = request.app.state.blobs
    dpi = settings_of(request).page_dpi
    try:
        png = page_images.page_png(blobs.get(file.blob_key), file.sha256, number, dpi)
    except page_images.PageUnavailable as exc:
        raise PageError(404, f"page {number} of {file.name!r} cannot be shown: {exc}") from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/items/{item_id}/files/{file_id}")
async def item_file(item_id: str, file_id: str, request: Request) -> Response:
    await current_user(request)
    ws = await workspace_id(request)

    def work(session: Session) -> File:
        items.get_item(session, ws, item_id)
        return itemfiles.get(session, file_id, item_id)

    try:
        file = await read_only(request, work)
        data = itemfiles.read(request.app.state.blobs, file)
    except ServiceError as exc:
        raise PageError(exc.status, exc.message) from None
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in file.name)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


async def _act(request: Request, item_id: str, action: str) -> Response:
    who = await acting_user(
        request, UserRole.REVIEWER.value, f"{action.capitalize()} of a failed item"
    )
    ws = await workspace_id(request)
    form = await request.form()
    reason = str(form.get("reason") or "").strip()[:2000]
    max_payload = request.app.state.settings.max_payload_bytes
    back = f"{PREFIX}/items/{item_id}"
    try:
        if action == "approve":
            submitted = {
                k[len(FIELD_PREFIX) :]: v
                for k, v in form.multi_items()
                if k.startswith(FIELD_PREFIX) and isinstance(v, str)
            }
            document = await _document(request, ws, item_id)
            _, output, fixes = await in_tx(
                request,
                lambda s: review.approve(
                    s,
                    ws,
                    item_id,
                    submitted,
                    username=who.username,
                    max_payload_bytes=max_payload,
                    document=document,
                    role=who.role,
                ),
            )
            where = (
                f" Output {output.id[:8]} queued for the next step."
                if output
                else " It was the last step."
            )
            message = f"Approved with {len(fixes)} correction(s).{where}"
        elif action == "retry":
            await in_tx(
                request,
                lambda s: review.retry(s, ws, item_id, username=who.username, reason=reason),
            )
            message = "Item sent back to its step for another attempt."
        elif action == "retype":
            doc_type = str(form.get("doc_type") or "")[:60]
            await in_tx(
                request,
                lambda s: retype.retype(
                    s, ws, item_id, doc_type, username=who.username, max_payload_bytes=max_payload
                ),
            )
            message = f"Item sent back to be read again as {retype.type_label(doc_type)}."
        elif action == "reject":
            await in_tx(
                request,
                lambda s: review.reject(s, ws, item_id, username=who.username, reason=reason),
            )
            message = "Item rejected."
        else:
            await in_tx(request, lambda s: review.release_lock(s, item_id, who.username))
            return redirect(request, PREFIX + "/review", "Item released for other reviewers.")
    except ServiceError as exc:
        return redirect(request, back, f"Not done: {exc.message}")
    return redirect(request, back, message)


async def _document(request: Request, ws: str, item_id: str) -> Document | None:
    """The item's document as the pipeline read it, for the vendor memory to learn from
    (``services.vendor_memory``); None when the item has none to read."""
    from starlette.concurrency import run_in_threadpool

    data = await read_only(request, lambda s: _item_context(s, ws, item_id))
    file: File | None = data["document_file"]
    understanding = data["understanding"]
    if file is None or understanding is None:
        return None
    blobs: BlobStore = request.app.state.blobs
    content = blobs.get(file.blob_key)
    sha = understanding.document_sha256
    return await run_in_threadpool(page_images.read_document, content, file.name, sha)


@router.post("/items/{item_id}/approve")
async def approve(item_id: str, request: Request) -> Response:
    return await _act(request, item_id, "approve")


@router.post("/items/{item_id}/retry")
async def retry(item_id: str, request: Request) -> Response:
    return await _act(request, item_id, "retry")


@router.post("/items/{item_id}/retype")
async def read_again_as(item_id: str, request: Request) -> Response:
    return await _act(request, item_id, "retype")


@router.post("/items/{item_id}/reject")
async def reject(item_id: str, request: Request) -> Response:
    return await _act(request, item_id, "reject")


@router.post("/items/{item_id}/release")
async def release(item_id: str, request: Request) -> Response:
    return await _act(request, item_id, "release")


@router.post("/items/{item_id}/replace")
async def replace_file(item_id: str, request: Request) -> Response:
    """Upload a replacement document (e.g. the unprotected PDF) and retry the item."""
    who = await acting_user(request, UserRole.REVIEWER.value, "Replacing the file of an item")
    ws = await workspace_id(request)
    settings = request.app.state.settings
    back = f"{PREFIX}/items/{item_id}"
    async with request.form() as form:
        part = form.get("document")
        reason = str(form.get("reason") or "").strip()[:2000]
        if not isinstance(part, UploadFile) or not part.filename:
            return redirect(request, back, "Not done: choose the replacement file first.")
        # One byte over the limit is enough to refuse; the rest is never read.
        data = await part.read(settings.max_file_bytes + 1)
        name = part.filename
    blobs: BlobStore = request.app.state.blobs
    try:
        await in_tx(
            request,
            lambda s: replace.replace_file_and_retry(
                s,
                blobs,
                ws,
                item_id,
                name,
                data,
                username=who.username,
                max_file_bytes=settings.max_file_bytes,
                max_payload_bytes=settings.max_payload_bytes,
                reason=reason,
            ),
        )
    except ServiceError as exc:
        return redirect(request, back, f"Not done: {exc.message}")
    return redirect(
        request,
        back,
        f"File replaced by {replace.base_name(name)}; the item goes back to its step.",
    )
