"""Log-in limits: per account with backoff, per address looser, and X-Forwarded-For
believed only from CLERK_TRUSTED_PROXIES (issue 16 item 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from controlroom._console_models import LoginAttempt
from controlroom.console._settings import ConsoleSettings
from controlroom.db import transaction
from tests.unit.controlroom.console.conftest import Console
from tests.unit.controlroom.console.support import PASSWORD, TestClient, login


def _settings(console: Console, **values: object) -> None:
    console.app.state.console_settings = ConsoleSettings(**values)  # type: ignore[arg-type]


def _age_attempts(console: Console, seconds: float) -> None:
    """Let ``seconds`` pass for the limits: every recorded attempt moves back in time."""
    with transaction(console.factory) as s:
        for attempt in s.scalars(select(LoginAttempt)):
            attempt.at -= timedelta(seconds=seconds)


def _addresses(console: Console) -> list[str]:
    with transaction(console.factory) as s:
        return list(s.scalars(select(LoginAttempt.address).order_by(LoginAttempt.id)))


def test_one_users_failures_do_not_lock_out_others_behind_the_same_address(
    console: Console,
) -> None:
    console.user("alice", "viewer")
    console.user("bob", "viewer")
    client = console.client()
    for _ in range(5):
        assert login(client, "alice", "typo").status_code == 401
    assert login(client, "alice", PASSWORD).status_code == 429
    assert login(client, "bob", PASSWORD).status_code == 303


def test_account_backoff_doubles_and_a_success_resets_it(console: Console) -> None:
    console.user("alice", "viewer")
    client = console.client()
    for _ in range(5):
        assert login(client, "alice", "typo").status_code == 401
    first = login(client, "alice", PASSWORD)
    assert first.status_code == 429 and 25 <= int(first.headers["retry-after"]) <= 30
    _age_attempts(console, 31)
    assert login(client, "alice", "typo").status_code == 401  # the wait was served
    second = login(client, "alice", PASSWORD)
    assert second.status_code == 429 and 55 <= int(second.headers["retry-after"]) <= 60
    _age_attempts(console, 61)
    assert login(client, "alice", PASSWORD).status_code == 303
    assert login(console.client(), "alice", "typo").status_code == 401  # counting anew


def test_the_backoff_stops_at_its_maximum(console: Console) -> None:
    _settings(console, login_max_backoff_seconds=100)
    console.user("alice", "viewer")
    client = console.client()
    for _ in range(5):
        assert login(client, "alice", "typo").status_code == 401
    for _ in range(4):  # 30, 60, 100 (not 120), 100
        _age_attempts(console, 101)
        assert login(client, "alice", "typo").status_code == 401
    limited = login(client, "alice", PASSWORD)
    assert limited.status_code == 429 and 95 <= int(limited.headers["retry-after"]) <= 100


def test_failures_across_accounts_limit_the_address(console: Console) -> None:
    _settings(console, login_address_max_failures=3)
    console.user("zoe", "viewer")
    client = console.client()
    for n in range(3):
        assert login(client, f"user{n}", "guess").status_code == 401
    limited = login(client, "zoe", PASSWORD)
    assert limited.status_code == 429 and "address" in limited.text


def test_forwarded_for_from_a_loopback_peer_is_not_believed_by_default(console: Console) -> None:
    _settings(console, login_address_max_failures=3)
    console.user("zoe", "viewer")
    client = TestClient(console.app, base_url="http://127.0.0.1", client=("127.0.0.1", 4000))
    for n in range(3):
        client.headers["X-Forwarded-For"] = f"203.0.113.{n}"
        assert login(client, f"user{n}", "guess").status_code == 401
    client.headers["X-Forwarded-For"] = "203.0.113.99"
    assert login(client, "zoe", PASSWORD).status_code == 429
    assert set(_addresses(console)) == {"127.0.0.1"}


def test_forwarded_for_is_believed_from_a_trusted_proxy_only(console: Console) -> None:
    _settings(console, login_address_max_failures=3, trusted_proxies="10.0.0.0/24, ::1")
    console.user("zoe", "viewer")
    proxy = TestClient(console.app, base_url="http://127.0.0.1", client=("10.0.0.7", 4000))
    for n in range(3):  # a client's own entry, then the one the proxy appended
        proxy.headers["X-Forwarded-For"] = f"198.51.100.1, 203.0.113.{n}"
        assert login(proxy, f"user{n}", "guess").status_code == 401
    proxy.headers["X-Forwarded-For"] = "203.0.113.99, 10.0.0.8"  # through two proxies
    assert login(proxy, "zoe", PASSWORD).status_code == 303
    stranger = TestClient(console.app, base_url="http://127.0.0.1", client=("192.0.2.5", 4000))
    stranger.headers["X-Forwarded-For"] = "203.0.113.50"
    assert login(stranger, "nobody", "guess").status_code == 401
    assert _addresses(console) == [
        "203.0.113.0",
        "203.0.113.1",
        "203.0.113.2",
        "203.0.113.99",
        "192.0.2.5",
    ]


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    with pytest.raises(ValidationError, match=r"'10\.0\.0\.0/33' is not an IP address"):
        ConsoleSettings(trusted_proxies="10.0.0.1, 10.0.0.0/33")
    assert len(ConsoleSettings(trusted_proxies=" 10.0.0.1 ,,::1 ").proxies()) == 2
