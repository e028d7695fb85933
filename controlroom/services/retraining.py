"""The Control Room's corrections as retraining records, each with its document's text.

``correction_records`` is what ``clerk models build --with-corrections`` (without a file)
and ``clerk corrections export --with-text`` read: every correction as
``review.correction_record`` gives it, plus ``text``: the document's text, read again
from the item's document file (``payload.document.file``) by Clerk's reader, the same
text the understand step saw. A document that cannot be read any more (file deleted by
retention, unreadable) keeps ``text: null`` and is left out of training.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk.payloads import ItemPayload
from controlroom._console_models import Correction
from controlroom.files import BlobStore
from controlroom.models import File, WorkItem
from controlroom.services.review import correction_record


def document_text(session: Session, blobs: BlobStore, item_id: str, sha256: str) -> str | None:
    """The text of the document ``sha256`` in the item's document file, or None."""
    from extractors import read_all

    item = session.get(WorkItem, item_id)
    if item is None:
        return None
    try:
        name = ItemPayload.parse(item.payload).document.file
    except ValueError:
        return None
    file = session.scalar(select(File).where(File.work_item_id == item_id, File.name == name))
    if file is None or not blobs.exists(file.blob_key):
        return None
    try:
        result = read_all(blobs.get(file.blob_key), name)
    except Exception:  # an unreadable file is no training example, not a failed build
        return None
    for document in result.documents:
        if document.sha256 == sha256 or len(result.documents) == 1:
            return document.text
    return None


def correction_records(session: Session, blobs: BlobStore) -> list[dict[str, Any]]:
    """Every correction, oldest first, with ``text`` (read once per document)."""
    texts: dict[tuple[str, str], str | None] = {}
    out: list[dict[str, Any]] = []
    for row in session.scalars(select(Correction).order_by(Correction.created_at, Correction.id)):
        key = (row.work_item_id, row.document_sha256)
        if key not in texts:
            texts[key] = document_text(session, blobs, *key)
        out.append({**correction_record(row), "text": texts[key]})
    return out


def write_records(session: Session, blobs: BlobStore, out: Path) -> int:
    """``correction_records`` as JSON lines (the export's form, plus ``text``)."""
    records = correction_records(session, blobs)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    tmp.replace(out)
    return len(records)
