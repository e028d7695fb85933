"""``clerk worker``'s logging: state changes at INFO, not an httpx line per poll."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from controlroom.worker.cli import configure_logging

NAMES = ("", "httpx", "httpcore", "controlroom.worker")


@pytest.fixture()
def saved_levels() -> Iterator[None]:
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in NAMES}
    handlers = list(root.handlers)
    yield
    root.handlers = handlers
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_polls_stay_out_of_the_log_unless_verbose(saved_levels: None) -> None:
    configure_logging(verbose=False)
    assert logging.getLogger("controlroom.worker").isEnabledFor(logging.INFO)
    # httpx logs each request (a claim every --poll seconds) at INFO
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert logging.getLogger("httpx").isEnabledFor(logging.WARNING)
    configure_logging(verbose=True)
    assert logging.getLogger("httpx").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("controlroom.worker").isEnabledFor(logging.DEBUG)
