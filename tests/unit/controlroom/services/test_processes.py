"""Processes: the bounds on a step's retry policy, at the service every entry point uses."""

from __future__ import annotations

import math

import pytest
from sqlalchemy.orm import Session, sessionmaker

from controlroom import _limits as limits
from controlroom.db import transaction
from controlroom.services.errors import InvalidInput
from controlroom.services.processes import RetryPolicy, StepSpec, create_process, ensure_workspace


@pytest.mark.parametrize(
    "policy",
    [
        RetryPolicy(backoff_seconds=1e308),
        RetryPolicy(backoff_seconds=math.nan),
        RetryPolicy(backoff_seconds=-1),
        RetryPolicy(backoff_factor=1e308),
        RetryPolicy(max_backoff_seconds=math.inf),
        RetryPolicy(max_attempts=10**9),
        RetryPolicy(max_attempts=0),
    ],
)
def test_a_retry_policy_out_of_bounds_is_refused(
    factory: sessionmaker[Session], policy: RetryPolicy
) -> None:
    with transaction(factory) as s:
        ws = ensure_workspace(s, "bounds")
        with pytest.raises(InvalidInput) as caught:
            create_process(
                s, ws.id, "p", [StepSpec("robot", "task", retry=policy)], actor="t",
                validate_robots=False,
            )  # fmt: skip
    assert caught.value.code == "BAD_RETRY_POLICY"


def test_delay_never_overflows_whatever_the_stored_policy() -> None:
    worst = RetryPolicy(
        max_attempts=10**6, backoff_seconds=1e308, backoff_factor=1e308, max_backoff_seconds=1e308
    )
    assert worst.delay(1) == limits.MAX_BACKOFF_SECONDS
    assert worst.delay(10**6) == limits.MAX_BACKOFF_SECONDS
    assert RetryPolicy(backoff_seconds=math.nan).delay(2) == 0
    assert RetryPolicy(backoff_seconds=30, backoff_factor=2).delay(3) == 120


def test_a_process_with_too_many_steps_is_refused(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        ws = ensure_workspace(s, "bounds")
        with pytest.raises(InvalidInput) as caught:
            create_process(
                s, ws.id, "long", [StepSpec("robot", "task")] * 4, actor="t",
                validate_robots=False, max_steps=3,
            )  # fmt: skip
    assert caught.value.code == "TOO_MANY_STEPS"
    assert limits.DEFAULT_MAX_PROCESS_STEPS == 50
