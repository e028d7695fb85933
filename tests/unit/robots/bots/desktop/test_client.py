"""ClientProcess.ends: a client's death is waited for, not read from one poll (a dying
client's X connection closes before the kernel reports it ended)."""

from __future__ import annotations

import time

from robots.bots.desktop._client import ClientProcess


def test_a_client_that_exits_is_seen_ending_within_the_grace() -> None:
    client = ClientProcess("sh -c 'sleep 0.3; exit 3'")
    client.start()
    try:
        assert client.alive()  # not yet
        start = time.monotonic()
        assert client.ends(within=5.0)
        assert time.monotonic() - start < 4.0  # as it ended, not at the grace's end
        assert not client.alive()
    finally:
        client.stop()


def test_a_client_that_keeps_running_does_not_end() -> None:
    client = ClientProcess("sleep 30")
    client.start()
    try:
        assert not client.ends(within=0.2)
        assert client.alive()
    finally:
        client.stop()
    assert not client.alive()
    assert client.ends(within=0.0)  # none running: nothing to wait for
