"""The Python half of the egress guard, on real sockets."""

from __future__ import annotations

import logging
import socket
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from clerk.errors import ApplicationError
from robots import _egress as egress


@pytest.fixture()
def connects(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every address that reached the real ``socket.connect`` while guarded."""
    seen: list[Any] = []
    real = socket.socket.connect

    def spy(sock: socket.socket, address: Any) -> Any:
        seen.append(address)
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    yield seen


@pytest.fixture()
def guarded(connects: list[Any]) -> Iterator[list[Any]]:
    egress.install(egress.AllowList.parse("controlroom.example:8000"))
    try:
        yield connects
    finally:
        egress.uninstall()


def test_allow_list_parsing() -> None:
    allow = egress.AllowList.parse(" cr.corp:8000, ERP.corp ,[::1]:9 ,")
    assert allow.allows("cr.corp", 8000) and not allow.allows("cr.corp", 8001)
    assert allow.allows("erp.corp", 443) and allow.allows("ERP.CORP", None)
    assert allow.allows("127.0.0.5", 1) and allow.allows("localhost", 80)
    assert allow.allows("::1", 5) and not allow.allows("8.8.8.8", 53)


def test_urllib_to_outside_is_blocked_before_any_connect(
    guarded: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    before = egress.blocked_counts().get("python", 0)
    with caplog.at_level(logging.WARNING, logger="clerk.egress"):
        with pytest.raises(ApplicationError) as caught:
            urllib.request.urlopen("http://93.184.216.34/x.png", timeout=2)
        with pytest.raises(ApplicationError):
            urllib.request.urlopen("https://example.com/", timeout=2)
        with pytest.raises(ApplicationError):
            socket.create_connection(("8.8.8.8", 53), timeout=2)
        raw = socket.socket()
        with pytest.raises(ApplicationError):
            raw.connect(("1.1.1.1", 443))
        raw.close()
    assert caught.value.code == "EGRESS_BLOCKED"
    assert "93.184.216.34:80" in caught.value.message
    assert guarded == []  # no connect reached the network stack
    assert egress.blocked_counts()["python"] - before == 4
    assert "example.com:443 is not on CLERK_EGRESS_ALLOW" in caplog.text


def test_loopback_still_works(guarded: list[Any]) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            accepted.append(conn.recv(5))

    thread = threading.Thread(target=serve)
    thread.start()
    with socket.create_connection(("localhost", port), timeout=5) as client:
        client.sendall(b"hello")
    thread.join(5)
    server.close()
    assert accepted == [b"hello"]
    assert guarded and guarded[0][1] == port


def test_blocked_error_is_not_an_oserror_so_callers_cannot_swallow_it(guarded) -> None:
    with pytest.raises(ApplicationError):
        try:
            socket.getaddrinfo("example.org", 80)
        except OSError:  # what a library's retry loop would catch
            pytest.fail("the guard must not look like a network error")


def test_url_allowed() -> None:
    allow = egress.AllowList.parse("erp.corp:8801")
    assert egress.url_allowed("http://erp.corp:8801/x", allow)
    assert not egress.url_allowed("http://erp.corp/x", allow)
    assert egress.url_allowed("data:image/png;base64,AAAA", allow)
    assert egress.url_allowed("http://127.0.0.1:9/", allow)


@pytest.mark.parametrize(
    ("url", "blocked"),
    [
        ("http://127.0.0.1:5000/x", False),
        ("http://localhost/x", False),
        ("http://erp.corp:8801/a", False),
        ("http://erp.corp/a", True),
        ("http://erp.corp:88011/", True),
        ("http://cr.corp:9/x", False),
        ("http://example.com/x.png", True),
        ("https://8.8.8.8/", True),
        ("data:image/png;base64,AA", False),
        ("http://127.0.0.1.evil.com/", True),
        ("http://127.0.0.1@evil.com/", True),
        ("http://evil.com/?u=http://127.0.0.1/", True),
    ],
)
def test_browser_url_rule(url: str, blocked: bool) -> None:
    assert egress.url_allowed(url, egress.AllowList.parse("erp.corp:8801,cr.corp")) is not blocked
