"""The exception handler's actions: review locks, approve with corrections, bulk retry,
and the corrections kept as labelled examples. The console's review screen and
``clerk items approve`` both call ``approve`` here, so they do the same thing.

Approving a FAILED item completes it and creates its output for the next step of the
process, carrying the corrected payload, in one transaction: the item is locked
(``FOR UPDATE`` / SQLite's single writer) and must still be FAILED and unrejected, so a
double submit or a second reviewer gets a Conflict instead of a duplicate output.
The core queue's ``create_output`` needs a RUNNING step run holding the parent; an
approval has none, so the output is created here with ``created_by=None`` and
``parent_id`` set, exactly as the queue would otherwise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clerk.documents import Document, Understanding
from clerk.payloads import ItemPayload
from controlroom import _audit as audit
from controlroom._console_models import Correction, ReviewLock
from controlroom._db_types import utcnow
from controlroom.models import ProcessStep, WorkItem
from controlroom.services import _review_rows as review_rows
from controlroom.services import items, shadow
from controlroom.services._review_rows import corrections_from_form
from controlroom.services.errors import Conflict, InvalidInput, ServiceError
from controlroom.services.queue import add_output, next_step_of
from controlroom.services.runs import refresh_run_state
from controlroom.services.validation import check_payload
from controlroom.services.views import item_state
from controlroom.states import ExceptionType, ItemState


@dataclass(frozen=True)
class LockState:
    held_by_me: bool
    holder: str
    expires_at: datetime


def acquire_lock(session: Session, item_id: str, username: str, seconds: int) -> LockState:
    """Take or renew the review lock on an item, or report who holds it."""
    now = utcnow()
    lock = session.get(ReviewLock, item_id, with_for_update=True)
    if lock is not None and lock.expires_at > now and lock.username != username:
        return LockState(False, lock.username, lock.expires_at)
    expires = now + timedelta(seconds=seconds)
    if lock is None:
        lock = ReviewLock(
            work_item_id=item_id, username=username, acquired_at=now, expires_at=expires
        )
        session.add(lock)
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError:  # another reviewer inserted it first (PostgreSQL)
            lock = session.get_one(ReviewLock, item_id, populate_existing=True)
            return LockState(lock.username == username, lock.username, lock.expires_at)
    else:
        if lock.username != username:
            lock.acquired_at = now
        lock.username = username
        lock.expires_at = expires
    return LockState(True, username, expires)


def check_lock(session: Session, item_id: str, username: str) -> None:
    """An action needs no other reviewer's live lock on the item."""
    lock = session.get(ReviewLock, item_id)
    if lock is not None and lock.expires_at > utcnow() and lock.username != username:
        raise Conflict(
            f"item {item_id} is locked by {lock.username} until "
            f"{lock.expires_at:%H:%M} UTC; wait or pick another item",
            "ITEM_LOCKED",
        )


def release_lock(session: Session, item_id: str, username: str | None = None) -> None:
    stmt = delete(ReviewLock).where(ReviewLock.work_item_id == item_id)
    if username is not None:
        stmt = stmt.where(ReviewLock.username == username)
    session.execute(stmt)


def parse_payload(item: WorkItem) -> tuple[ItemPayload | None, Understanding | None, str]:
    """The item's payload and understanding, or an explanation of why it has none."""
    try:
        payload = ItemPayload.parse(item.payload)
    except ValueError as exc:
        return None, None, f"the payload is not a Clerk item: {str(exc).splitlines()[0]}"
    try:
        understanding = payload.get_understanding()
    except ValueError as exc:
        return payload, None, str(exc).splitlines()[0]
    return (
        payload,
        understanding,
        "" if understanding else "no fields were extracted for this item yet",
    )


def field_names(understanding: Understanding) -> list[str]:
    """The flat fields a reviewer may set: the schema's header fields (extracted or
    missing, in schema order), then every other extracted or corrected flat field."""
    from clerk.schemas import SCHEMAS

    schema = SCHEMAS.get(understanding.doc_type)
    names = [s.name for s in schema.fields] if schema is not None else []
    for name in understanding.values():
        if name not in names:
            names.append(name)
    return names


def approve(
    session: Session,
    workspace_id: str,
    item_id: str,
    submitted: dict[str, str],
    *,
    username: str,
    max_payload_bytes: int,
    actor: str | None = None,
    document: Document | None = None,
    role: str | None = None,
) -> tuple[WorkItem, WorkItem | None, list[Correction]]:
    """Apply corrections, complete the item, and hand its output to the next step.

    ``submitted`` maps flat field names and line item cell addresses
    (``Understanding.address``) to values; a value equal to the effective one is no
    correction. The cells are checked first (``review_rows``: numbers, new and removed
    lines), so a bad one changes nothing. ``username`` is the reviewer (lock holder,
    corrections' author); ``actor`` is who the audit log names (default ``user:<username>``).
    With the item's ``document`` (as read) and the reviewer's ``role``, the confirmed
    values also teach the vendor memory (``services.vendor_memory.teach``); a teach it
    refuses leaves the approval as it is and says why in the audit log
    (``memory.teach_refused``)."""
    actor = actor or f"user:{username}"
    check_lock(session, item_id, username)
    item = items.open_failure(session, workspace_id, item_id, "approve")
    payload, understanding, problem = parse_payload(item)
    if payload is None or understanding is None:
        raise InvalidInput(
            f"item {item_id} cannot be approved with corrections: {problem}; use Retry or Reject"
        )
    flat_submitted, cells_submitted = review_rows.split_submitted(submitted)
    flat = field_names(understanding)
    unknown = [name for name in flat_submitted if name not in flat]
    if unknown:
        raise InvalidInput(
            f"item {item_id} has no field {', '.join(map(repr, unknown))}; "
            f"its fields are: {', '.join(flat)}"
            + (" and its line items' cells by address" if understanding.columns() else "")
        )
    cells = review_rows.checked_cells(understanding, cells_submitted)
    fixes = corrections_from_form(understanding, {**flat_submitted, **cells})
    corrected = understanding.corrected(fixes) if fixes else understanding
    new_payload = payload.with_understanding(corrected).dump()
    check_payload(new_payload, max_payload_bytes)
    shadow.record(session, item.id, understanding, corrected)
    records = [
        Correction(
            work_item_id=item.id,
            document_sha256=understanding.document_sha256,
            doc_type=understanding.doc_type,
            field_name=fix.name,
            original_value=(orig.value if (orig := understanding.field(fix.name)) else None),
            original_raw=orig.raw if orig else None,
            original_confidence=orig.confidence if orig else None,
            corrected_value=fix.value,
            reviewer=username,
        )
        for fix in fixes
    ]
    session.add_all(records)
    before = {**item_state(item), "payload": item.payload}
    item.payload = new_payload
    item.state = ItemState.COMPLETED.value
    item.exception_type = item.exception_code = item.exception_message = None
    item.released_at = utcnow()
    audit.append(
        session,
        actor,
        "item.approve",
        "work_item",
        item.id,
        before=before,
        after={**item_state(item), "corrections": {f.name: f.value for f in fixes}},
        correlation_id=item.correlation_id,
    )
    next_step = next_step_of(session, session.get_one(ProcessStep, item.step_id))
    output = None
    if next_step is not None:
        output = add_output(
            session,
            item,
            next_step,
            new_payload,
            actor=actor,
            correlation_id=item.correlation_id,
            audit_extra={"approved_by": username},
        )
    release_lock(session, item.id)
    refresh_run_state(session, item.process_run_id, actor=actor)
    if document is not None and role is not None:
        _teach(session, workspace_id, document, corrected, actor=actor, role=role)
    return item, output, records


def _teach(
    session: Session,
    workspace_id: str,
    document: Document,
    confirmed: Understanding,
    *,
    actor: str,
    role: str,
) -> None:
    from controlroom.services import vendor_memory

    try:
        vendor_memory.teach(session, workspace_id, document, confirmed, actor=actor, role=role)
    except ServiceError as exc:  # nothing was written by the teach
        audit.append(
            session,
            actor,
            "memory.teach_refused",
            "document",
            confirmed.document_sha256,
            after={"code": exc.code, "message": exc.message},
        )


def retry(
    session: Session, workspace_id: str, item_id: str, *, username: str, reason: str = ""
) -> WorkItem:
    check_lock(session, item_id, username)
    item = items.retry(session, workspace_id, item_id, actor=f"user:{username}", reason=reason)
    release_lock(session, item_id)
    return item


def reject(
    session: Session, workspace_id: str, item_id: str, *, username: str, reason: str
) -> WorkItem:
    check_lock(session, item_id, username)
    item = items.reject(session, workspace_id, item_id, actor=f"user:{username}", reason=reason)
    release_lock(session, item_id)
    return item


def bulk_retry(
    session: Session, workspace_id: str, item_ids: list[str], *, username: str
) -> tuple[int, list[str]]:
    """Retry the selected APPLICATION failures; others (or locked ones) are skipped."""
    done, skipped = 0, []
    for item_id in dict.fromkeys(item_ids):
        item = session.get(WorkItem, item_id)
        lock = session.get(ReviewLock, item_id)
        locked = lock is not None and lock.expires_at > utcnow() and lock.username != username
        if (
            item is None
            or item.workspace_id != workspace_id
            or item.exception_type != ExceptionType.APPLICATION.value
            or item.state != ItemState.FAILED.value
            or item.rejected_at is not None
            or locked
        ):
            skipped.append(item_id)
            continue
        items.retry(session, workspace_id, item_id, actor=f"user:{username}", reason="bulk retry")
        done += 1
    return done, skipped


def correction_record(row: Correction) -> dict[str, Any]:
    return {
        "document_sha256": row.document_sha256,
        "doc_type": row.doc_type,
        "field": row.field_name,
        "original_value": row.original_value,
        "original_raw": row.original_raw,
        "original_confidence": row.original_confidence,
        "corrected_value": row.corrected_value,
        "reviewer": row.reviewer,
        "at": row.created_at.isoformat(),
        "work_item_id": row.work_item_id,
    }


def export_corrections(session: Session, out: Path) -> int:
    """Write every correction as one JSON line, oldest first; return the count."""
    count = 0
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in session.scalars(
            select(Correction).order_by(Correction.created_at, Correction.id)
        ).yield_per(500):
            handle.write(
                json.dumps(correction_record(row), ensure_ascii=False, sort_keys=True) + "\n"
            )
            count += 1
    tmp.replace(out)
    return count
