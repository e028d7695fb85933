"""Files on work items: metadata rows over the content-addressed blob store.

Adding a file under a name the item already has replaces it (the stock client looks
files up by name, so names are unique per item). Bytes are written to the blob store
before the row is flushed; an orphan blob left by a rolled-back transaction is harmless
(same content, same key) and a later sweep can remove it.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._logs import item_extra
from controlroom.files import BlobError, BlobStore
from controlroom.models import File, WorkItem
from controlroom.services.errors import NotFound, ServiceError, TooLarge
from controlroom.services.validation import check_file_name

log = logging.getLogger(__name__)


class BlobUnavailable(ServiceError):
    status = 500
    code = "BLOB_UNAVAILABLE"


def check_size(size: int, limit: int, name: str) -> None:
    if size > limit:
        raise TooLarge(
            f"file {name!r} is {size} bytes, over the limit of {limit} (CLERK_MAX_FILE_BYTES)"
        )


def attach(
    session: Session,
    blobs: BlobStore,
    item: WorkItem,
    name: str,
    data: bytes,
    *,
    max_file_bytes: int,
    actor: str,
    correlation_id: str | None = None,
) -> File:
    check_file_name(name)
    check_size(len(data), max_file_bytes, name)
    blob = blobs.put(data)
    old = session.scalar(select(File).where(File.work_item_id == item.id, File.name == name))
    before = None
    if old is not None:
        before = {"name": old.name, "sha256": old.sha256, "size": old.size}
        session.delete(old)
        session.flush()
    file = File(work_item_id=item.id, name=name, size=blob.size, sha256=blob.key, blob_key=blob.key)
    session.add(file)
    session.flush()
    audit.append(
        session,
        actor,
        "file.add",
        "work_item",
        item.id,
        before=before,
        after={"file_id": file.id, "name": name, "sha256": blob.key, "size": blob.size},
        correlation_id=correlation_id,
    )
    log.info(
        "file %r (%d bytes) added to item %s", name, blob.size, item.id, extra=item_extra(item)
    )
    return file


def list_files(session: Session, item_id: str) -> list[File]:
    return list(
        session.scalars(select(File).where(File.work_item_id == item_id).order_by(File.name))
    )


def get(session: Session, file_id: str, item_id: str | None = None) -> File:
    file = session.get(File, file_id)
    if file is None or (item_id is not None and file.work_item_id != item_id):
        raise NotFound(f"no file {file_id!r}" + (f" on work item {item_id}" if item_id else ""))
    return file


def read(blobs: BlobStore, file: File) -> bytes:
    try:
        return blobs.get(file.blob_key)
    except BlobError as exc:
        log.error("file %s (%r) unreadable: %s", file.id, file.name, exc)
        raise BlobUnavailable(f"file {file.name!r} cannot be served: {exc}") from None


def delete(
    session: Session,
    item: WorkItem,
    file_id: str,
    *,
    actor: str,
    correlation_id: str | None = None,
) -> None:
    file = get(session, file_id, item.id)
    audit.append(
        session,
        actor,
        "file.delete",
        "work_item",
        item.id,
        before={"file_id": file.id, "name": file.name, "sha256": file.sha256},
        correlation_id=correlation_id,
    )
    session.delete(file)
    session.flush()
