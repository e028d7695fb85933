"""Understand: read, classify and extract each document; pass on what may go on alone.

Per input item (one file from Intake): every document in the file (an e-mail holds its
body and attachments) is understood with one process-wide ``Understander``, which uses
the vendor memory of the Control Room that runs the robot as evidence
(``robots._vendor_memory``, over its robot API). Then:

- ``auto`` documents: one output item each, with the understanding and the file, for the
  Enter ERP step. That includes receipts and remittance advices, which no step enters:
  they flow through and end COMPLETED at Publish CMS as "no entry needed", so the run
  shows them as processed rather than as failures.
- ``review`` documents (low confidence, a failed check; type ``other`` always): the item
  fails as BUSINESS ``NEEDS_REVIEW``. Its payload is updated with the understanding
  *before* the release, so the review screen shows the fields on the page; approving
  there sends it on to Enter ERP.
- unreadable files fail with the reader's code (``ENCRYPTED_PDF``, ``EMPTY_FILE``, ...).
- an item that Intake marked ``duplicate_of`` fails as BUSINESS ``DUPLICATE``.
- a reviewer's ``doc_type_override`` (``clerk.payloads.TypeOverride``, set by "Read again
  as this type") is passed on: its document is read as that type (``type_set_by``).

A file with several documents (an e-mail) can fail only once: the auto ones go on (their
sha256 kept in the payload's ``passed_on``, so a retry of the item does not pass them on
twice), the item fails for the rest, its payload showing the first that needs review (a typed one
before ``other``) and its message naming all of them. An APPLICATION failure of any
document (OCR engine down, ...) fails the item before anything goes on, so the retry
the Control Room schedules redoes the whole file without duplicating outputs.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from clerk.documents import Reason, Understanding
from clerk.errors import BusinessError, error
from clerk.payloads import ItemPayload
from robots import _common as common
from robots._common import task

if TYPE_CHECKING:
    from robocorp.workitems import Input

    from pipeline.understander import Failure, Outcome, Understander

log = logging.getLogger("clerk.robots.understand")
MAX_REASONS = 6

_understander: Understander | None = None


def understander() -> Understander:
    """The process's models, loaded on first use (a failed load is retried next item) and
    again when a promotion or rollback changed the registry's current models."""
    global _understander
    if _understander is None or _understander.is_stale():
        from pipeline.understander import Understander
        from robots._vendor_memory import RobotMemory

        _understander = Understander.load(memory=RobotMemory.from_environment())
    return _understander


def as_reviewed(u: Understanding) -> Understanding:
    """``other`` never goes on alone, whatever the policy settings say."""
    if u.doc_type == "other" and u.decision == "auto":
        message = "documents of type 'other' have no step to go to and always go to a person"
        return replace(u, decision="review", reasons=(*u.reasons, Reason("type", "other", message)))
    return u


def describe(u: Understanding) -> str:
    if u.type_set_by:
        return f"{u.document_name} ({u.doc_type}, type set by {u.type_set_by})"
    return f"{u.document_name} ({u.doc_type}, confidence {u.type_confidence:.2f})"


def review_message(name: str, auto: list[Understanding], review: list[Understanding],
                   failures: list[Failure]) -> str:  # fmt: skip
    parts = []
    if auto:
        went = "; ".join(f"{u.document_name} ({u.doc_type})" for u in auto)
        parts.append(f"{len(auto)} document(s) of {name} went on: {went}")
    for u in review:
        reasons = [r.message for r in u.reasons[:MAX_REASONS]]
        if len(u.reasons) > MAX_REASONS:
            reasons.append(f"and {len(u.reasons) - MAX_REASONS} more")
        parts.append(f"{describe(u)} needs review: " + "; ".join(reasons))
    parts += [f"{f.name} could not be read: {f.code}: {f.message}" for f in failures]
    if len(review) > 1:
        parts.append(
            f"the review screen shows {review[0].document_name}; the others are listed here"
        )
    return ". ".join(parts)


def route(item: Input, payload: ItemPayload, path: Path, outcomes: list[Outcome]) -> str:
    """Pass auto documents on; fail the item for the rest. Returns the tally label."""
    from pipeline.understander import Failure

    failures = [o for o in outcomes if isinstance(o, Failure)]
    understood = [as_reviewed(o) for o in outcomes if not isinstance(o, Failure)]
    for failure in failures:
        if failure.type != "BUSINESS":  # infrastructure: redo the whole file later
            raise error(failure.code, failure.message)
    auto = [u for u in understood if u.decision == "auto"]
    review = sorted(
        (u for u in understood if u.decision == "review"), key=lambda u: u.doc_type == "other"
    )
    fresh = [u for u in auto if u.document_sha256 not in payload.passed_on]
    for u in fresh:
        common.pass_on(item, payload.with_understanding(u), [path])
    if review or failures:
        # On a retry, the documents passed on now are not passed on again.
        payload = payload.with_passed_on(u.document_sha256 for u in fresh)
    if review:
        # The reviewer must see the extraction: save it on the item before failing it.
        item.payload = payload.with_understanding(review[0]).dump()
        item.save()
        raise BusinessError(
            "NEEDS_REVIEW", review_message(payload.document.name, auto, review, failures)
        )
    if fresh and failures:
        item.payload = payload.dump()
        item.save()
    if failures:
        first = failures[0]
        message = first.message
        if len(failures) > 1 or auto:
            message = review_message(payload.document.name, auto, [], failures)
        raise error(first.code, message)
    return "auto" if len(auto) == 1 else f"auto ({len(auto)} documents)"


def duplicate_error(payload: ItemPayload) -> BusinessError:
    doc = payload.document
    return BusinessError(
        "DUPLICATE",
        f"{doc.name} has the same bytes (sha256 {doc.sha256[:12]}...) as {payload.duplicate_of}; "
        "reject this item, or, if the document must go through again, edit its payload "
        "(set duplicate_of to null) and retry",
    )


def understand_item(item: Input, scratch: Path) -> str:
    payload = common.read_payload(item)
    if payload.duplicate_of:
        raise duplicate_error(payload)
    path = common.fetch_file(item, payload.document.file, scratch / str(item.id))
    try:
        outcomes = understander().understand_bytes(
            path.read_bytes(), payload.document.name, payload.doc_type_override
        )
        return route(item, payload, path, outcomes)
    finally:  # a step run may drain thousands of items: keep no copies
        shutil.rmtree(path.parent, ignore_errors=True)


@task
def understand() -> None:
    """Understand each incoming document and pass on those that need no person."""
    common.start("understand")
    with tempfile.TemporaryDirectory(prefix="clerk-understand-") as scratch:
        tally = common.for_each_input(lambda item: understand_item(item, Path(scratch)))
    log.info("understand finished: %s", tally)
