"""Robot start-up: the egress guard admits the Control Room and the targets, nothing else."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from clerk.errors import ApplicationError
from robots import _common as common
from robots import _egress as egress


@pytest.fixture()
def guard_off_afterwards() -> Iterator[None]:
    yield
    egress.uninstall()


def test_allowed_hosts_take_host_and_port_from_urls() -> None:
    assert common.allowed_hosts(
        ["http://cr.corp.local:8765/", "https://erp.corp.local", None, "", "http://cms"]
    ) == ["cr.corp.local:8765", "erp.corp.local:443", "cms:80"]


def test_start_admits_the_configured_hosts_and_refuses_the_rest(
    monkeypatch: pytest.MonkeyPatch, guard_off_afterwards: None
) -> None:
    monkeypatch.setenv("RC_API_WORKITEM_HOST", "http://cr.corp.local:8765")
    monkeypatch.delenv("RC_API_PROCESS_HOST", raising=False)
    monkeypatch.delenv("CLERK_EGRESS_ALLOW", raising=False)
    common.start("test", ["http://erp.corp.local:8801"])
    with pytest.raises(ApplicationError) as refused:
        socket.create_connection(("example.com", 443), timeout=1)
    assert refused.value.code == "EGRESS_BLOCKED"
    with pytest.raises(ApplicationError):
        socket.create_connection(("cr.corp.local", 9999), timeout=1)  # other port
    # Loopback stays open (the sandbox, a local Control Room).
    with socket.create_server(("127.0.0.1", 0)) as server:
        socket.create_connection(server.getsockname(), timeout=1).close()
