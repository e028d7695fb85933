"""Replace an open failure's document and retry it: what a reviewer does when the file
itself is the problem (a password-protected PDF, a scan of the wrong page).

In one transaction, on the locked FAILED item: the new bytes are attached under their
(checked) base name, the old document file is removed if its name differs, the payload's
document reference points at the new file, and the item goes back to PENDING on the same
step. The old understanding is dropped (it described the old bytes), and so is a
``duplicate_of`` finding and a reviewer's ``doc_type_override`` (both were about the old
bytes too). One ``item.replace_file`` audit entry names the old and new file;
``file.delete``/``file.add`` are audited as usual.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy.orm import Session

from clerk.payloads import DocumentRef, ItemPayload
from controlroom import _audit as audit
from controlroom.files import BlobStore
from controlroom.models import WorkItem
from controlroom.services import itemfiles, items, review
from controlroom.services.errors import InvalidInput
from controlroom.services.runs import refresh_run_state
from controlroom.services.validation import check_file_name, check_payload
from controlroom.services.views import item_state
from extractors.reading.sniff import mime_of


def base_name(name: str) -> str:
    """The file's own name, whichever path a browser sent (``C:\\x\\a.pdf``, ``a/b.pdf``)."""
    return check_file_name(PurePosixPath(PureWindowsPath(name).name).name.strip())


def replace_file_and_retry(
    session: Session,
    blobs: BlobStore,
    workspace_id: str,
    item_id: str,
    name: str,
    data: bytes,
    *,
    username: str,
    max_file_bytes: int,
    max_payload_bytes: int,
    reason: str = "",
) -> WorkItem:
    actor = f"user:{username}"
    name = base_name(name)
    itemfiles.check_size(len(data), max_file_bytes, name)
    if not data:
        raise InvalidInput(f"file {name!r} is empty: choose the replacement document")
    review.check_lock(session, item_id, username)
    item = items.open_failure(session, workspace_id, item_id, "replace the file of")
    try:
        payload = ItemPayload.parse(item.payload)
    except ValueError as exc:
        raise InvalidInput(
            f"item {item_id} carries no Clerk document ({str(exc).splitlines()[0]}); "
            "attach files to it over the API instead"
        ) from None
    old = payload.document
    before = {**item_state(item), "payload": item.payload}
    for file in itemfiles.list_files(session, item.id):
        if file.name == old.file and file.name != name:
            itemfiles.delete(session, item, file.id, actor=actor)
    itemfiles.attach(session, blobs, item, name, data, max_file_bytes=max_file_bytes, actor=actor)
    document = DocumentRef(
        sha256=hashlib.sha256(data).hexdigest(),
        name=name,
        mime=mime_of(data, name),
        source=f"upload:{username}",
        file=name,
    )
    new_payload = payload.model_copy(
        update={
            "document": document,
            "understanding": None,
            "duplicate_of": None,
            "doc_type_override": None,
        }
    ).dump()
    check_payload(new_payload, max_payload_bytes)
    item.payload = new_payload
    items.requeue(item)
    audit.append(
        session,
        actor,
        "item.replace_file",
        "work_item",
        item.id,
        before=before,
        after={
            **item_state(item),
            "replaced": f"{old.name} ({old.sha256[:12]}) → {name} ({document.sha256[:12]})",
            "reason": reason,
        },
        correlation_id=item.correlation_id,
    )
    review.release_lock(session, item.id)
    refresh_run_state(session, item.process_run_id, actor=actor)
    return item
