"""Log records carry the request's and the work item's correlation ids."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from controlroom import _logs as logs
from controlroom.db import make_engine, make_sessionmaker, transaction


def test_filter_adds_both_ids() -> None:
    record = logging.LogRecord("controlroom", logging.INFO, __file__, 1, "msg", None, None)
    token = logs.correlation_id.set("req-1")
    try:
        logs.CorrelationFilter().filter(record)
    finally:
        logs.correlation_id.reset(token)
    assert (record.correlation_id, record.item_correlation_id) == ("req-1", "-")
    item_record = logging.LogRecord("c", logging.INFO, __file__, 1, "m", None, None)
    item_record.__dict__.update({"item_correlation_id": "doc-9"})
    logs.CorrelationFilter().filter(item_record)
    assert (item_record.correlation_id, item_record.item_correlation_id) == ("-", "doc-9")
    formatted = logging.Formatter(logs.FORMAT).format(item_record)
    assert "item_cid=doc-9" in formatted


def test_a_line_at_commit_is_logged_once_committed_and_dropped_on_rollback(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'logs.db'}")
    factory = make_sessionmaker(engine)
    log = logging.getLogger("controlroom.test_at_commit")
    caplog.set_level(logging.INFO, logger=log.name)
    token = logs.correlation_id.set("req-7")
    try:
        with pytest.raises(RuntimeError), transaction(factory) as session:
            logs.at_commit(session, log, "item %s reserved", "gone", item_correlation_id="d-1")
            raise RuntimeError("the batch failed")
        with transaction(factory) as session:
            logs.at_commit(session, log, "item %s reserved", "kept", item_correlation_id="d-2")
            assert caplog.records == []  # not before the commit
            logs.correlation_id.set("the-batch")  # a batch commits in another context
    finally:
        logs.correlation_id.reset(token)
        engine.dispose()
    [record] = caplog.records
    assert record.getMessage() == "item kept reserved"
    # The request's id as it was when the change was made, not when the commit ran.
    assert (record.correlation_id, record.item_correlation_id) == ("req-7", "d-2")  # type: ignore[attr-defined]


def test_uvicorns_own_lines_are_escaped_too() -> None:
    """A forged line break in what uvicorn logs (an app's traceback can hold a client's
    path) stays on one line once the server has configured logging."""
    import io

    names = ("controlroom", "uvicorn", "uvicorn.access")
    before = {n: list(logging.getLogger(n).handlers) for n in names}
    kept = {n: (logging.getLogger(n).level, logging.getLogger(n).propagate) for n in names}
    try:
        logs.configure()
        stream = io.StringIO()
        logger = logging.getLogger("uvicorn.error")
        logging.getLogger("uvicorn").handlers[0].setStream(stream)  # type: ignore[attr-defined]
        logger.warning("GET /x\nFORGED 200 OK")
        assert stream.getvalue().count("\n") == 1 and "\\n" in stream.getvalue()
    finally:
        for name, handlers in before.items():
            logging.getLogger(name).handlers[:] = handlers
            logging.getLogger(name).setLevel(kept[name][0])
            logging.getLogger(name).propagate = kept[name][1]


def test_configure_keeps_uvicorns_access_log_off() -> None:
    """The server runs uvicorn with ``access_log=False`` (``RequestGuard`` logs each
    request): configuring the Control Room's logging afterwards must not turn it back on."""
    import uvicorn

    names = ("controlroom", "uvicorn", "uvicorn.access", "uvicorn.error")
    before = {n: list(logging.getLogger(n).handlers) for n in names}
    kept = {n: (logging.getLogger(n).level, logging.getLogger(n).propagate) for n in names}
    try:
        uvicorn.Config("x:y", access_log=False).configure_logging()
        logs.configure()
        # uvicorn's protocols log access lines only when this is true.
        assert not logging.getLogger("uvicorn.access").hasHandlers()
        assert logging.getLogger("uvicorn").handlers
    finally:
        for name, handlers in before.items():
            logging.getLogger(name).handlers[:] = handlers
            logging.getLogger(name).setLevel(kept[name][0])
            logging.getLogger(name).propagate = kept[name][1]
