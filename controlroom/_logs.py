"""Correlation ids in logs.

Every HTTP request runs with a correlation id (``X-Correlation-ID``, generated when
absent) held in a context variable; every work item has its own correlation id, shared
by the outputs made from it, so one document can be followed across steps. The filter
puts both on every record as ``correlation_id`` and ``item_correlation_id`` ("-" when
unknown); services pass the item's with ``extra=item_extra(item)``.

Every record is written with ``clerk.redact.EscapingFormatter``: a control character in
a logged value (a ``%0a`` in a request's path) is escaped, never a line break.
"""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar
from typing import IO, Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

from clerk.redact import EscapingFormatter

correlation_id: ContextVar[str | None] = ContextVar("clerk_correlation_id", default=None)

FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [cid=%(correlation_id)s item_cid=%(item_correlation_id)s]"
    " %(message)s"
)


class _HasCorrelation(Protocol):
    id: str
    correlation_id: str


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def current() -> str | None:
    return correlation_id.get()


def item_extra(item: _HasCorrelation) -> dict[str, Any]:
    return {"item_correlation_id": item.correlation_id}


_AT_COMMIT = "clerk_log_at_commit"  # session.info key: lines waiting for the commit


def at_commit(
    session: Session, logger: logging.Logger, msg: str, *args: Any, item_correlation_id: str
) -> None:
    """An INFO line about a change, logged once the session's transaction has committed
    and dropped if it rolls back: a group-committed batch that fails and runs each piece
    again alone (``api._write_batch``), or a transaction retried after a deadlock, logs
    the change once, and only if it happened. The request's correlation id is taken now."""
    extra = {"correlation_id": current() or "-", "item_correlation_id": item_correlation_id}
    session.info.setdefault(_AT_COMMIT, []).append((logger, msg, args, extra))


# Listening on the Session class once, as the audit chain does: a dict lookup per commit.
@event.listens_for(Session, "after_commit")
def _log_committed(session: Session) -> None:
    for logger, msg, args, extra in session.info.pop(_AT_COMMIT, ()):
        logger.info(msg, *args, extra=extra)


@event.listens_for(Session, "after_rollback")
def _drop_rolled_back(session: Session) -> None:
    session.info.pop(_AT_COMMIT, None)


class CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = correlation_id.get() or "-"
        if not hasattr(record, "item_correlation_id"):
            record.item_correlation_id = "-"
        return True


def handler(stream: IO[str] | None = None) -> logging.Handler:
    """The Control Room's log handler: correlation ids, control characters escaped."""
    found = logging.StreamHandler(stream)
    found.addFilter(CorrelationFilter())
    found.setFormatter(EscapingFormatter(FORMAT))
    return found


def configure(level: int = logging.INFO) -> None:
    """Log to stderr with correlation ids (the server calls this once).

    ``FORMAT`` uses no source location, thread or process, so records skip collecting them
    (the logging HOWTO's "Optimization" settings): the server writes a few lines per robot
    request, and finding the caller's frame is 12 to 14% of an INFO line's cost in
    ``FORMAT`` (``timeit`` of one line with ``logging._srcfile`` kept, then None).
    """
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger("controlroom")
    root.handlers[:] = [handler()]
    root.setLevel(level)
    root.propagate = False
    # uvicorn's own lines (errors, tracebacks of the app) go through the same escaping:
    # called from the app factory, this runs after uvicorn has set its logging up.
    logging.getLogger("uvicorn").handlers[:] = [handler()]
    # The access log only if uvicorn kept it on: uvicorn turns it off by leaving
    # "uvicorn.access" without handlers (``access_log=False``, as the server runs), and
    # giving it one here turned it back on (a second line per request, beside
    # ``RequestGuard``'s, on the robot hot path too).
    access = logging.getLogger("uvicorn.access")
    if access.handlers:
        access.handlers[:] = [handler()]
