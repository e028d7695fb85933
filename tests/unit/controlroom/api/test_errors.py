"""The request guard's log line: one line per request, whatever the path holds."""

from __future__ import annotations

import io
import logging

import httpx

from controlroom import _logs as logs
from tests.unit.controlroom.api.conftest import MAX_FILE


def test_a_newline_in_the_path_cannot_forge_a_log_line(client: httpx.Client) -> None:
    out = io.StringIO()
    handler = logs.handler(out)  # the handler `logs.configure` installs
    log = logging.getLogger("controlroom.api")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        forged = "2026-01-01 00:00:00,000 INFO controlroom.api admin logged in"
        reply = client.get(f"/api/v1/nothing%0a{forged.replace(' ', '%20')}%0d%1b[2J")
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    assert reply.status_code in (401, 404)
    lines = [line for line in out.getvalue().splitlines() if "/api/v1/nothing" in line]
    assert len(lines) == 1, out.getvalue()
    assert not any(line.startswith("2026-01-01") for line in out.getvalue().splitlines())
    assert "/api/v1/nothing\\n2026-01-01" in lines[0] and "\\r\\x1b[2J" in lines[0]


def test_the_guards_413_carries_the_console_headers_and_the_correlation_id(
    client: httpx.Client,
) -> None:
    """Middleware added with ``add_middleware`` wraps RequestGuard, so even an answer the
    guard gives on its own (a body over the limit) gets the console's security headers."""
    reply = client.post(
        "/console/upload/anything",
        content=b"x" * (MAX_FILE + 64 * 1024 + 1),
        headers={"X-Correlation-ID": "cid-413"},
    )
    assert reply.status_code == 413
    assert reply.json()["error"]["code"] == "TOO_LARGE"
    assert reply.headers["x-correlation-id"] == "cid-413"
    assert reply.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" in reply.headers
