"""The vendor memory for workers on other machines: ``GET /memory-v1/workspaces/{ws}/
vendor-memory?doc_type=receipt[&vendor=KEY...]``.

Any token of the workspace may read it (a robot's step-run token, a worker's, an API or
admin token): a robot's ``Understander`` uses it as evidence (``extractors.memory``).
Only the Control Room's own database is read; nothing leaves the premises. Teaching is
not here: it takes a person (the console's approval, ``clerk corrections add``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from clerk.schemas import SCHEMAS
from controlroom.api import _deps as deps
from controlroom.services import vendor_memory
from controlroom.services.errors import Forbidden, InvalidInput
from controlroom.states import TokenKind
from extractors.memory import entry_to_json

router = APIRouter(prefix="/memory-v1", tags=["vendor memory"])
READERS = (TokenKind.STEP_RUN, TokenKind.WORKER, TokenKind.API, TokenKind.ADMIN)
MAX_ENTRIES = 1000


@router.get("/workspaces/{ws}/vendor-memory")
async def vendor_memory_entries(
    ws: str,
    request: Request,
    doc_type: str = Query(..., max_length=50, description="e.g. invoice, receipt"),
    vendor: list[str] = Query(default=[], max_length=20, description="vendor keys"),
) -> dict[str, Any]:
    """The entries of a document type, of the vendors named (all when none is)."""
    who = await deps.authenticate(request, *READERS)
    if who.workspace_id != ws:
        raise Forbidden(f"this token is not valid for workspace {ws}")
    if doc_type not in SCHEMAS:
        raise InvalidInput(f"unknown doc_type {doc_type!r}; use one of: {', '.join(SCHEMAS)}")
    if any("\x00" in v or not v.isprintable() for v in vendor):
        raise InvalidInput("a vendor key holds a control character; send keys as listed")

    def work(session: Session) -> list[dict[str, Any]]:
        rows = vendor_memory.rows(session, ws, doc_type, vendor)[:MAX_ENTRIES]
        return [entry_to_json(vendor_memory.entry_of(r)) for r in rows]

    return {"entries": await deps.in_read(request, work)}
