"""Correlation ids in logs.

Every HTTP request runs with a correlation id (``X-Correlation-ID``, generated when
absent) held in a context variable; every work item has its own correlation id, shared
by the outputs made from it, so one document can be followed across steps. The filter
puts both on every record as ``correlation_id`` and ``item_correlation_id`` ("-" when
unknown); services pass the item's with ``extra=item_extra(item)``.
"""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar
from typing import Any, Protocol

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


class CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = correlation_id.get() or "-"
        if not hasattr(record, "item_correlation_id"):
            record.item_correlation_id = "-"
        return True


def configure(level: int = logging.INFO) -> None:
    """Log to stderr with correlation ids (the server calls this once).

    ``FORMAT`` uses no source location, thread or process, so records skip collecting them
    (the logging HOWTO's "Optimization" settings): the server writes a few lines per robot
    request, and finding the caller's frame was a third of each line's cost.
    """
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler()
    handler.addFilter(CorrelationFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger("controlroom")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
