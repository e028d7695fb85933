"""Reading a failed item again as the type a reviewer chose (SQLite; PostgreSQL too when
CLERK_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clerk.corrections import documents
from clerk.documents import Understanding
from clerk.payloads import DocumentRef, ItemPayload
from controlroom._console_models import Correction, ReviewLock
from controlroom._db_types import utcnow
from controlroom.db import transaction
from controlroom.files import BlobStore
from controlroom.models import AuditEntry, WorkItem
from controlroom.services import retype, review
from controlroom.services.errors import Conflict, InvalidInput
from controlroom.services.processes import StepSpec, create_process, ensure_workspace
from controlroom.services.runs import InputSpec
from tests.unit.controlroom.conftest import ACTOR, LIMIT, World

RECEIPT = b"%PDF-1.7 an invoice the classifier took for a receipt"
SHA = hashlib.sha256(RECEIPT).hexdigest()


@pytest.fixture()
def understand_world(factory: sessionmaker[Session], blobs: BlobStore) -> World:
    """A process whose first step is the Understand robot's task, as Clerk's is."""
    with transaction(factory) as s:
        ws = ensure_workspace(s, f"ws-{uuid.uuid4().hex[:10]}")
        specs = [StepSpec("robots", "Understand"), StepSpec("robots", "Enter ERP")]
        create_process(s, ws.id, "clerk", specs, actor=ACTOR, validate_robots=False)
        return World(factory, blobs, ws.id, "clerk")


def _understanding(doc_type: str = "receipt") -> Understanding:
    return Understanding(
        SHA, "scan.pdf", doc_type, 0.62, ((doc_type, 0.62), ("invoice", 0.31)),
        (), (), "review", (),
    )  # fmt: skip


def _failed_item(world: World, understanding: Understanding | None = None) -> str:
    ref = DocumentRef(
        sha256=SHA, name="scan.pdf", mime="application/pdf", source="api", file="scan.pdf"
    )
    payload = ItemPayload(document=ref)
    if understanding is not None:
        payload = payload.with_understanding(understanding)
    spec = InputSpec(payload.dump(), (("scan.pdf", RECEIPT),))
    return world.failed_item(spec, "NEEDS_REVIEW", "type confidence 0.62")


def _retype(world: World, item_id: str, doc_type: str, username: str = "rita") -> WorkItem:
    with world.tx() as s:
        return retype.retype(
            s,
            world.workspace_id,
            item_id,
            doc_type,
            username=username,
            max_payload_bytes=LIMIT,
            reason="it says INVOICE at the top",
        )


def test_the_item_goes_back_to_be_read_as_the_person_s_type(understand_world: World) -> None:
    item_id = _failed_item(understand_world, _understanding())
    with understand_world.tx() as s:
        review.acquire_lock(s, item_id, "rita", 600)
    _retype(understand_world, item_id, "invoice")
    with understand_world.tx() as s:
        item = s.get_one(WorkItem, item_id)
        assert (item.state, item.exception_code, item.attempts) == ("PENDING", None, 1)
        payload = ItemPayload.parse(item.payload)
        assert payload.understanding is None  # read as the wrong type: dropped
        assert payload.doc_type_override is not None
        assert payload.doc_type_override.model_dump() == {
            "doc_type": "invoice",
            "set_by": "rita",
            "document_sha256": SHA,
        }
        assert s.get(ReviewLock, item_id) is None
        (entry,) = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_id == item_id, AuditEntry.action == "item.retype"
            )
        )
        assert entry.actor == "user:rita"
        assert entry.after is not None and entry.after["type"] == "receipt → invoice"
        assert entry.after["reason"] == "it says INVOICE at the top"
        assert entry.before is not None and entry.before["payload"]["understanding"]


def test_a_changed_type_is_kept_as_a_correction_the_classifier_learns_from(
    understand_world: World,
) -> None:
    item_id = _failed_item(understand_world, _understanding())
    _retype(understand_world, item_id, "invoice")
    with understand_world.tx() as s:
        (row,) = s.scalars(select(Correction).where(Correction.work_item_id == item_id))
        assert (row.field_name, row.original_value, row.corrected_value, row.reviewer) == (
            "doc_type",
            "receipt",
            "invoice",
            "rita",
        )
        assert row.original_confidence == pytest.approx(0.62)
        record = review.correction_record(row)
    # clerk.corrections reads it as the reviewer's type: what the classifier candidate uses
    (doc,) = documents([{**record, "text": "INVOICE No. 7"}])
    assert (doc.doc_type, doc.type_corrected, doc.values) == ("invoice", True, {})


def test_confirming_the_type_the_item_has_records_no_correction(understand_world: World) -> None:
    item_id = _failed_item(understand_world, _understanding())
    _retype(understand_world, item_id, "receipt")
    with understand_world.tx() as s:
        item = s.get_one(WorkItem, item_id)
        assert item.state == "PENDING"
        assert item.payload["doc_type_override"]["doc_type"] == "receipt"
        assert s.scalars(select(Correction).where(Correction.work_item_id == item_id)).all() == []


def test_refusals_change_nothing(understand_world: World, world: World) -> None:
    item_id = _failed_item(understand_world, _understanding())
    with pytest.raises(InvalidInput, match="must be one of invoice, purchase_order"):
        _retype(understand_world, item_id, "memo")
    with understand_world.tx() as s:
        review.acquire_lock(s, item_id, "alice", 600)
    with pytest.raises(Conflict, match="locked by alice") as locked:
        _retype(understand_world, item_id, "invoice")
    assert locked.value.code == "ITEM_LOCKED"
    with understand_world.tx() as s:
        s.get_one(ReviewLock, item_id).expires_at = utcnow() - timedelta(seconds=1)
    bare = _failed_item(understand_world)  # no understanding: no type to change
    with pytest.raises(InvalidInput, match="no document type to change"):
        _retype(understand_world, bare, "invoice")
    elsewhere = _failed_item(world, _understanding())  # failed at a step that is not Understand
    with pytest.raises(Conflict, match="not at an Understand step") as not_here:
        _retype(world, elsewhere, "invoice")
    assert not_here.value.code == "ITEM_NOT_UNDERSTOOD_HERE"
    with understand_world.tx() as s:
        for gone in (item_id, bare):
            item = s.get_one(WorkItem, gone)
            assert (item.state, item.payload["doc_type_override"]) == ("FAILED", None)
        assert s.scalars(select(Correction).where(Correction.work_item_id == item_id)).all() == []
    _retype(understand_world, item_id, "invoice")  # the lock expired: now it goes
    with pytest.raises(Conflict, match="not FAILED") as again:
        _retype(understand_world, item_id, "invoice")
    assert again.value.code == "ITEM_NOT_FAILED"


def test_the_types_offered_are_the_schemas_with_readable_labels() -> None:
    offered = retype.doc_types()
    assert offered[0] == ("invoice", "Invoice")
    assert ("purchase_order", "Purchase order") in offered
    assert [value for value, _ in offered][-1] == "other"
