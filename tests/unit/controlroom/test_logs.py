"""Log records carry the request's and the work item's correlation ids."""

from __future__ import annotations

import logging

from controlroom import logs


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
