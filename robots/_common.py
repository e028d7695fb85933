"""What every Clerk robot shares: start-up (logging, egress guard), the item loop that
survives any one bad item, and small helpers around the stock work-item API.

Only the stock ``robocorp.workitems`` API is used, so the robots run unchanged against
Robocorp's Control Room or Clerk's.

Egress: ``start()`` installs the socket guard (``robots._egress``) before anything else.
Besides ``CLERK_EGRESS_ALLOW`` and loopback, it allows the hosts the robot is configured
to talk to and cannot work without: the Control Room of ``RC_API_WORKITEM_HOST`` /
``RC_API_PROCESS_HOST`` and, for the entry robots, ``CLERK_ERP_URL`` / ``CLERK_CMS_URL``.
Anything else (a library phoning home, a page's third-party resource) is refused.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from clerk.errors import BusinessError, ClerkError
from clerk.payloads import EntryRef, ItemPayload
from clerk.redact import log_to_stderr
from robots import _egress as egress

if TYPE_CHECKING:
    from robocorp.workitems import Input, Output

    from clerk.documents import Understanding
    from robots.bots import Artifacts, EntryResult

_F = TypeVar("_F", bound=Callable[..., Any])

if TYPE_CHECKING:

    def task(func: _F) -> _F:
        """``robocorp.tasks.task`` as the type checker sees it (robocorp leaves it untyped)."""
        return func

else:
    from robocorp.tasks import task as task  # the stock decorator: robots register with it

log = logging.getLogger("clerk.robots")


def allowed_hosts(urls: Iterable[str | None]) -> list[str]:
    """``host:port`` entries for the given URLs (empty or unset ones skipped)."""
    entries = []
    for url in urls:
        if not url:
            continue
        parts = urlsplit(url)
        if parts.hostname:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            entries.append(f"{parts.hostname}:{port}")
    return entries


def start(name: str, targets: Iterable[str | None] = ()) -> None:
    """Configure logging and install the egress guard; call first in every task."""
    log_to_stderr()
    control_room = (os.environ.get("RC_API_WORKITEM_HOST"), os.environ.get("RC_API_PROCESS_HOST"))
    extra = allowed_hosts([*control_room, *targets])
    configured = os.environ.get("CLERK_EGRESS_ALLOW", "")
    egress.install(egress.AllowList.parse(",".join([configured, *extra])))
    log.info("%s robot started; egress allowed to loopback and %s", name, extra or "nothing else")


@dataclass
class Tally:
    """How a step run's items ended, for its log."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1

    def __str__(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())) or "no items"


def fail_item(item: Input, exc: BaseException) -> str:
    """Release ``item`` as FAILED with the error's type, code and message; returns the
    tally label. Unexpected exceptions become APPLICATION ``INTERNAL``."""
    if isinstance(exc, ClerkError):
        kind = "BUSINESS" if exc.type == "BUSINESS" else "APPLICATION"
        code, message = exc.code, exc.message
    else:
        kind, code = "APPLICATION", "INTERNAL"
        message = (
            f"unexpected {type(exc).__name__}: {exc}; the robot went on with the next item; "
            "the step run's log has the traceback"
        )
    item.fail(kind, code, message)
    return f"failed {kind} {code}"


Handler = Callable[["Input"], str]


def for_each_input(handle: Handler, inputs: Iterable[Input] | None = None) -> Tally:
    """Run ``handle`` on every input item; it returns a tally label and may release the
    item itself. Any error fails that item (never the step run) and the loop goes on;
    an item the handler left unreleased is released as done."""
    if inputs is None:
        from robocorp import workitems

        inputs = workitems.inputs
    tally = Tally()
    for item in inputs:
        try:
            outcome = handle(item)
            if not item.released:
                item.done()
        except Exception as exc:
            expected = isinstance(exc, ClerkError)
            log.warning("item %s failed: %s", item.id, exc, exc_info=not expected)
            # An error after the release (a log call, say) must not release it twice.
            outcome = "released, then errored" if item.released else fail_item(item, exc)
        tally.add(outcome)
    return tally


def read_payload(item: Input) -> ItemPayload:
    """The item's Clerk payload, or ``BAD_PAYLOAD``."""
    try:
        return ItemPayload.parse(item.payload)
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise BusinessError(
            "BAD_PAYLOAD",
            f"work item {item.id} does not carry a Clerk document payload ({first}); "
            "start runs through `clerk runs start` or the console, or fix the payload",
        ) from None


def fetch_file(item: Input, name: str, folder: Path) -> Path:
    """Download the item's file ``name`` into ``folder``; ``BAD_PAYLOAD`` if absent."""
    if name not in item.files:
        raise BusinessError(
            "BAD_PAYLOAD",
            f"work item {item.id} names the file {name!r} but carries "
            f"{item.files or 'no files'}; start the run again with the document attached",
        )
    folder.mkdir(parents=True, exist_ok=True)
    path: Path = item.get_file(name, folder / name)
    return path


def pass_on(item: Input, payload: ItemPayload, files: Sequence[Path] = ()) -> Output:
    """Create the next step's item from ``item`` with ``payload`` and ``files``."""
    from robocorp import workitems

    return workitems.outputs.create(payload.dump(), files=[str(p) for p in files] or None)


def understanding_values(payload: ItemPayload, step: str) -> tuple[str, dict[str, str | None]]:
    """The document type and effective flat values, or ``BAD_PAYLOAD``."""
    understanding = understanding_of(payload, step)
    return understanding.doc_type, understanding.values()


def understanding_of(payload: ItemPayload, step: str) -> Understanding:
    """The payload's understanding (corrections kept beside it), or ``BAD_PAYLOAD``."""
    try:
        understanding = payload.get_understanding()
    except ValueError as exc:
        raise BusinessError(
            "BAD_PAYLOAD",
            f"{payload.document.name}: the understanding in the payload cannot be read "
            f"({str(exc).splitlines()[0]}); run the document through Understand again",
        ) from None
    if understanding is None:
        raise BusinessError(
            "BAD_PAYLOAD",
            f"{payload.document.name} reached {step} without an understanding; "
            "it must pass the Understand step (or a review) first",
        )
    return understanding


def attach_artifacts(item: Input, artifacts: Artifacts | None, system: str) -> None:
    """Put the failure's screenshot and traces on the item, named so that the files of
    several attempts do not collide. Never hides the original error."""
    if artifacts is None:
        return
    paths = [p for p in [artifacts.screenshot, *artifacts.traces] if p is not None and p.exists()]
    if not paths:
        return
    try:
        for path in paths:
            item.add_file(path, name=f"{system.lower()}-{path.parent.name}-{path.name}")
        item.save()
    except Exception as exc:
        log.warning("could not attach %d failure file(s) to item %s: %s", len(paths), item.id, exc)


def entered(payload: ItemPayload, system: str, result: EntryResult) -> ItemPayload:
    entry = EntryRef(system=system, document_number=result.document_number, created=result.created)  # type: ignore[arg-type]
    return payload.model_copy(update={"entry": entry})
