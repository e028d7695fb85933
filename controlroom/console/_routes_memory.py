"""The vendor memory page: what reviewers' confirmations taught, per vendor and layout
(reviewers and admins), and forgetting a vendor (admins; CSRF-checked, audited)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from controlroom.console._web import (
    PREFIX,
    acting_user,
    current_user,
    in_tx,
    read_only,
    redirect,
    render,
    require_role,
    workspace_id,
)
from controlroom.services import vendor_memory
from controlroom.services.errors import ServiceError
from controlroom.states import UserRole

router = APIRouter(prefix=PREFIX)
PAGE = PREFIX + "/memory"


@router.get("/memory")
async def memory_page(request: Request) -> Response:
    who = await current_user(request)
    require_role(who, UserRole.REVIEWER.value, "Seeing the vendor memory")
    ws = await workspace_id(request)

    def work(session: Session) -> list[dict[str, Any]]:
        return [vendor_memory.summary(r) for r in vendor_memory.rows(session, ws)]

    entries = await read_only(request, work)
    return render(request, "memory.html", {"entries": entries, "page": "memory"})


@router.post("/memory/forget")
async def forget(request: Request) -> Response:
    who = await acting_user(request, UserRole.ADMIN.value, "Forgetting a vendor")
    ws = await workspace_id(request)
    form = await request.form()
    vendor = form.get("vendor")
    vendor = vendor.strip() if isinstance(vendor, str) else ""
    try:
        count = await in_tx(request, lambda s: vendor_memory.forget(s, ws, vendor, actor=who.actor))
    except ServiceError as exc:
        return redirect(request, PAGE, f"Nothing forgotten: {exc.message}")
    return redirect(request, PAGE, f"Forgot {count} layout(s) of {vendor}.")
