"""Intake: one work item per incoming file, for the Understand step.

Where documents come from, per input item of the run:

- the item carries files (a console upload, ``clerk runs start --file``, the API): each
  file is a document; a Clerk payload on the item (the console writes one) gives its
  source, else the source is ``api``;
- the payload is ``{"inbox": "<dir>"}``: that folder is scanned;
- neither (a plain scheduled run): the configured inbox folder is scanned.

One output per file: an e-mail stays one item (its body and attachments are split by the
Understand step, which knows how to read them). Each output carries the file and
``ItemPayload(document=DocumentRef(sha256, name, mime, source, file))``.

Duplicates: bytes whose sha256 was taken in before (this run or any earlier one, see
``robots._intake_ledger``) still become an item, with ``duplicate_of`` set, so the
Understand step fails it as BUSINESS ``DUPLICATE`` and a person sees it: never silently
dropped.

Inbox files are moved, not left: first into ``<inbox>/processing/<item id>/`` (an atomic
rename, so two intake runs never take the same file, and a retried item finds what it had
taken), then into ``<inbox>/processed/<date>/`` once their item exists. Leaving them
would make every later scan produce a DUPLICATE item per old file. Hidden files, temp
names (``.part``, ``.tmp``, ``.crdownload``) and files younger than the settle time (still
being written) are left for the next run.

Settings (``IntakeSettings``):

    CLERK_INBOX_DIR              inbox folder (default ``$CLERK_HOME/inbox``)
    CLERK_INTAKE_LEDGER          dedup ledger (default ``$CLERK_HOME/intake/ledger.sqlite3``)
    CLERK_INTAKE_SETTLE_SECONDS  minimum age of an inbox file (default 2)
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import hashlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from clerk.errors import BusinessError
from clerk.paths import clerk_home
from clerk.payloads import DocumentRef, ItemPayload
from extractors.reading.sniff import mime_of
from robots import _common as common
from robots._common import task
from robots._intake_ledger import IntakeLedger

if TYPE_CHECKING:
    from robocorp.workitems import Input

log = logging.getLogger("clerk.robots.intake")
TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp")


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLERK_", extra="ignore")

    inbox_dir: Path = Field(default_factory=lambda: clerk_home() / "inbox")
    intake_ledger: Path = Field(default_factory=lambda: clerk_home() / "intake" / "ledger.sqlite3")
    intake_settle_seconds: float = Field(default=2.0, ge=0)


@dataclass(frozen=True)
class Incoming:
    """One file to take in."""

    path: Path  # where its bytes are now
    name: str  # its name as it arrived
    source: str  # DocumentRef.source
    origin: str  # this very file, for the ledger (inbox path, item id/file name)
    inbox: Path | None = None  # set for inbox files: they move to processed/ afterwards


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def email_source(path: Path) -> str | None:
    """``email:<message-id>`` for an e-mail file, None if it has no Message-ID."""
    with path.open("rb") as handle:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parse(handle)
    message_id = (headers.get("Message-ID") or "").strip().strip("<>")
    return f"email:{message_id}" if message_id else None


def _settled(path: Path, settle_seconds: float, now: float) -> bool:
    name = path.name
    if name.startswith(".") or name.lower().endswith(TEMP_SUFFIXES):
        return False
    return now - path.stat().st_mtime >= settle_seconds


def _arrival(path: Path) -> tuple[float, str]:
    try:
        return path.stat().st_mtime, path.name
    except FileNotFoundError:  # taken by another intake run meanwhile
        return float("inf"), path.name


def _unique(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        n += 1
        target = folder / f"{stem} ({n}){suffix}"
    return target


def scan_inbox(inbox: Path, item_id: str, settle_seconds: float) -> Iterator[Incoming]:
    """Files of ``inbox`` (top level only), each first moved into this item's
    ``processing/`` folder; files a crashed earlier attempt of this item left there come
    first."""
    mine = inbox / "processing" / item_id
    for path in sorted(mine.glob("*")) if mine.is_dir() else []:
        yield _incoming(path, inbox / path.name, inbox)
    now = time.time()
    # Oldest first: when the same bytes arrive twice, the later arrival is the duplicate.
    waiting = [p for p in inbox.iterdir() if p.is_file()]
    for path in sorted(waiting, key=_arrival):
        if not _settled(path, settle_seconds, now):
            log.info("leaving %s for the next run: hidden, temporary or still being written", path)
            continue
        mine.mkdir(parents=True, exist_ok=True)
        target = _unique(mine, path.name)
        try:
            path.rename(target)  # atomic: another intake run may be scanning too
        except FileNotFoundError:
            continue
        yield _incoming(target, path, inbox)


def _incoming(path: Path, original: Path, inbox: Path) -> Incoming:
    source = None
    if path.suffix.lower() == ".eml":
        try:
            source = email_source(path)
        except Exception as exc:  # a broken mail is still taken in; Understand says why
            log.warning("no Message-ID read from %s: %s", path, exc)
    return Incoming(path, original.name, source or f"inbox:{original}", f"inbox:{original}", inbox)


def move_processed(incoming: Incoming) -> None:
    if incoming.inbox is None or not incoming.path.exists():
        return
    folder = incoming.inbox / "processed" / datetime.now(UTC).strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.move(str(incoming.path), _unique(folder, incoming.name))
    with contextlib.suppress(OSError):  # the item's processing/ folder, once empty
        incoming.path.parent.rmdir()


def document_ref(incoming: Incoming, sha256: str) -> DocumentRef:
    return DocumentRef(
        sha256=sha256,
        name=incoming.name,
        mime=mime_of(incoming.path.read_bytes(), incoming.name),
        source=incoming.source,
        file=incoming.path.name,
    )


def take_in(item: Input, incoming: Incoming, ledger: IntakeLedger) -> str:
    """Create the Understand step's item for one file; returns the tally label."""
    sha = sha256_of(incoming.path)
    claim = ledger.claim(sha, incoming.name, incoming.source, incoming.origin, str(item.id))
    if claim.state == "forwarded":
        move_processed(incoming)
        return "already taken in by an earlier attempt"
    payload = ItemPayload(document=document_ref(incoming, sha))
    if claim.state == "duplicate":
        assert claim.first is not None
        payload = payload.model_copy(update={"duplicate_of": claim.first.describe()})
    output = common.pass_on(item, payload, [incoming.path])
    if claim.state == "new":
        ledger.forwarded(sha, str(output.id))
    move_processed(incoming)
    return "duplicate" if claim.state == "duplicate" else "taken in"


def incoming_of(item: Input, settings: IntakeSettings, scratch: Path) -> Iterator[Incoming]:
    """The files one input item stands for (see the module docstring)."""
    payload = item.payload if isinstance(item.payload, dict) else {}
    if item.files:
        try:
            source = ItemPayload.parse(payload).document.source
        except ValueError:
            source = str(payload.get("source") or "api")
        for name in item.files:
            path = common.fetch_file(item, name, scratch / str(item.id))
            yield Incoming(path, name, source, f"item:{item.id}/{name}")
        return
    inbox = Path(payload["inbox"]) if payload.get("inbox") else settings.inbox_dir
    if payload.get("inbox") and not inbox.is_dir():
        raise BusinessError(
            "BAD_PAYLOAD",
            f"the input item asks to scan {inbox}, which is not a folder on this worker; "
            "fix the path in the payload and retry",
        )
    inbox.mkdir(parents=True, exist_ok=True)
    yield from scan_inbox(inbox, str(item.id), settings.intake_settle_seconds)


def intake_item(item: Input, settings: IntakeSettings, ledger: IntakeLedger, scratch: Path) -> str:
    """Take in every file of one input item. One file's trouble does not stop the rest;
    the item fails (with the first error) only if some file could not be taken in."""
    tally = common.Tally()
    errors: list[Exception] = []
    for incoming in incoming_of(item, settings, scratch):
        try:
            tally.add(take_in(item, incoming, ledger))
        except Exception as exc:
            log.exception("could not take in %s", incoming.path)
            errors.append(exc)
    log.info("item %s: %s", item.id, tally)
    if errors:
        raise errors[0]
    return "uploaded files taken in" if item.files else "inbox scanned"


@task
def intake() -> None:
    """Turn incoming files into work items for the Understand step."""
    common.start("intake")
    settings = IntakeSettings()
    ledger = IntakeLedger(settings.intake_ledger)
    with tempfile.TemporaryDirectory(prefix="clerk-intake-") as scratch:
        tally = common.for_each_input(
            lambda item: intake_item(item, settings, ledger, Path(scratch))
        )
    log.info("intake finished: %s", tally)
