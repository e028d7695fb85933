"""Replacing a failed item's document and retrying it."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from clerk.payloads import DocumentRef, ItemPayload, TypeOverride
from controlroom.models import AuditEntry, File, WorkItem
from controlroom.services import itemfiles, replace
from controlroom.services.errors import Conflict, InvalidInput, TooLarge
from controlroom.services.runs import InputSpec
from tests.unit.controlroom.conftest import LIMIT, World

LOCKED = b"%PDF-1.7 encrypted"


def _encrypted_pdf_item(world: World) -> str:
    ref = DocumentRef(
        sha256=hashlib.sha256(LOCKED).hexdigest(),
        name="locked.pdf",
        mime="application/pdf",
        source="upload:olga",
        file="locked.pdf",
    )
    # A reviewer's type is for these bytes, as the intake's duplicate finding is.
    override = TypeOverride(doc_type="invoice", set_by="rita", document_sha256=ref.sha256)
    payload = ItemPayload(
        document=ref, duplicate_of="an earlier intake", doc_type_override=override
    ).dump()
    spec = InputSpec(payload, (("locked.pdf", LOCKED),))
    return world.failed_item(spec, "ENCRYPTED_PDF", "password-protected")


def _replace(world: World, item_id: str, name: str, data: bytes, **kw: int) -> WorkItem:
    with world.tx() as s:
        return replace.replace_file_and_retry(
            s,
            world.blobs,
            world.workspace_id,
            item_id,
            name,
            data,
            username="rita",
            max_file_bytes=kw.get("max_file_bytes", LIMIT),
            max_payload_bytes=LIMIT,
            reason="sender sent it unlocked",
        )


def test_the_new_file_replaces_the_document_and_the_item_is_retried(world: World) -> None:
    item_id = _encrypted_pdf_item(world)
    new = b"%PDF-1.7 open"
    _replace(world, item_id, "C:\\fakepath\\open invoice.pdf", new)
    with world.tx() as s:
        item = s.get_one(WorkItem, item_id)
        assert (item.state, item.exception_code) == ("PENDING", None)
        document = ItemPayload.parse(item.payload).document
        assert (document.name, document.file, document.source) == (
            "open invoice.pdf",
            "open invoice.pdf",
            "upload:rita",
        )
        assert document.sha256 == hashlib.sha256(new).hexdigest()
        assert item.payload["duplicate_of"] is None and item.payload["understanding"] is None
        assert item.payload["doc_type_override"] is None
        (file,) = itemfiles.list_files(s, item_id)
        assert (file.name, itemfiles.read(world.blobs, file)) == ("open invoice.pdf", new)
        actions = list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity_id == item_id)
                .order_by(AuditEntry.seq)
            )
        )
        assert actions[-3:] == ["file.delete", "file.add", "item.replace_file"]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "item.replace_file")).one()
        assert entry.actor == "user:rita" and entry.before is not None
        assert entry.before["state"] == "FAILED" and "locked.pdf" in entry.after["replaced"]
    # Only an open failure: the item is PENDING now.
    with pytest.raises(Conflict):
        _replace(world, item_id, "again.pdf", new)


def test_bad_names_empty_and_oversized_files_change_nothing(world: World) -> None:
    item_id = _encrypted_pdf_item(world)
    for name, data, error in (
        ("..", b"x", InvalidInput),
        ("bad\x07name.pdf", b"x", InvalidInput),
        ("empty.pdf", b"", InvalidInput),
        ("big.pdf", b"x" * 101, TooLarge),
    ):
        with pytest.raises(error):
            _replace(world, item_id, name, data, max_file_bytes=100)
    with world.tx() as s:
        assert s.get_one(WorkItem, item_id).state == "FAILED"
        assert [f.name for f in s.scalars(select(File).where(File.work_item_id == item_id))] == [
            "locked.pdf"
        ]
