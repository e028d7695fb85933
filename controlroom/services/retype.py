"""Read an open failure again as the type a reviewer chose: what a reviewer does when the
classifier took an invoice for a receipt (or the other way round), which a plain retry
would only repeat.

In one transaction, on the locked FAILED item of an Understand step: the payload records
the reviewer's type (``doc_type_override``: the type, who set it, the document it is for),
its understanding is dropped (it was read as the wrong type), and the item goes back to
PENDING on the same step, as a retry does. The Understand robot then reads that document
as the reviewer's type (``pipeline.understander``); every other gate stays as it is.

A changed type is kept as a labelled example the way field corrections are: a
``Correction`` row of the field ``doc_type`` (``clerk.corrections.TYPE_FIELD``), which
``clerk corrections export`` writes and the classifier candidate learns from
(``classifiers.candidate``). One ``item.retype`` audit entry names the old and new type.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clerk.corrections import TYPE_FIELD
from clerk.payloads import TypeOverride
from clerk.schemas import SCHEMAS
from controlroom import _audit as audit
from controlroom._console_models import Correction
from controlroom.models import ProcessStep, WorkItem
from controlroom.services import items, review
from controlroom.services.errors import Conflict, InvalidInput
from controlroom.services.runs import refresh_run_state
from controlroom.services.validation import check_payload
from controlroom.services.views import item_state

# The robot.yaml task that understands documents (robots/understand.py): only its items
# can be read again, as another type, by going back to their step.
UNDERSTAND_TASK = "Understand"


def type_label(doc_type: str) -> str:
    """A type as people read it: ``purchase_order`` -> ``Purchase order``."""
    return doc_type.replace("_", " ").capitalize()


def doc_types() -> list[tuple[str, str]]:
    """The types a reviewer may choose, (value, label), in the schemas' order."""
    return [(name, type_label(name)) for name in SCHEMAS]


def can_retype(step: ProcessStep) -> bool:
    return step.task_name == UNDERSTAND_TASK


def retype(
    session: Session,
    workspace_id: str,
    item_id: str,
    doc_type: str,
    *,
    username: str,
    max_payload_bytes: int,
    actor: str | None = None,
    reason: str = "",
) -> WorkItem:
    """Send the item back to its Understand step to be read as ``doc_type``.

    ``username`` is the reviewer (lock holder, the type's author); ``actor`` is who the
    audit log names (default ``user:<username>``). Choosing the type the item already
    has is allowed (it confirms it: the type gate then passes) and records no correction.
    """
    actor = actor or f"user:{username}"
    doc_type = doc_type.strip()
    if doc_type not in SCHEMAS:
        raise InvalidInput(
            f"document type must be one of {', '.join(SCHEMAS)}, got {doc_type[:60]!r}"
        )
    review.check_lock(session, item_id, username)
    item = items.open_failure(session, workspace_id, item_id, "read again as another type")
    step = session.get_one(ProcessStep, item.step_id)
    if not can_retype(step):
        raise Conflict(
            f"cannot read work item {item_id} again as another type: it failed at step "
            f"{step.position} ({step.name}), not at an {UNDERSTAND_TASK} step; "
            "use Retry, or Approve with corrected fields",
            "ITEM_NOT_UNDERSTOOD_HERE",
        )
    payload, understanding, problem = review.parse_payload(item)
    if payload is None or understanding is None:
        raise InvalidInput(
            f"item {item_id} has no document type to change: {problem}; use Retry or Reject"
        )
    override = TypeOverride(
        doc_type=doc_type, set_by=username, document_sha256=understanding.document_sha256
    )
    new_payload = payload.model_copy(
        update={"understanding": None, "doc_type_override": override}
    ).dump()
    check_payload(new_payload, max_payload_bytes)
    if doc_type != understanding.doc_type:
        session.add(
            Correction(
                work_item_id=item.id,
                document_sha256=understanding.document_sha256,
                doc_type=understanding.doc_type,
                field_name=TYPE_FIELD,
                original_value=understanding.doc_type,
                original_raw=None,
                original_confidence=understanding.type_confidence,
                corrected_value=doc_type,
                reviewer=username,
            )
        )
    before = {**item_state(item), "payload": item.payload}
    item.payload = new_payload
    items.requeue(item)
    audit.append(
        session,
        actor,
        "item.retype",
        "work_item",
        item.id,
        before=before,
        after={
            **item_state(item),
            "type": f"{understanding.doc_type} → {doc_type}",
            "document": understanding.document_name,
            "reason": reason,
        },
        correlation_id=item.correlation_id,
    )
    review.release_lock(session, item.id)
    refresh_run_state(session, item.process_run_id, actor=actor)
    return item
