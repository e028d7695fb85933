"""Payload checks: what both databases can store, and the size limit."""

from __future__ import annotations

from typing import Any

import pytest

from controlroom.services.errors import InvalidInput, TooLarge
from controlroom.services.validation import check_payload


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "a\\u0000b"},  # the six characters, not a NUL
        {"text": "\\\\\\u0000"},
        {"emoji": "\U0001f600", "accents": "é"},
        {"nested": [{"ok": None}, 1.5, True]},
    ],
)
def test_plain_json_passes(payload: Any) -> None:
    check_payload(payload, 10_000)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"text": "a\x00b"}, "NUL_CHARACTER"),
        ({"key\x00": 1}, "NUL_CHARACTER"),
        ({"text": "\\\x00"}, "NUL_CHARACTER"),  # a backslash, then a NUL
        (["x\ud800"], "LONE_SURROGATE"),
        ({"text": "\udc00 alone"}, "LONE_SURROGATE"),
        ({"number": float("nan")}, "INVALID_INPUT"),
        ({"set": {1, 2}}, "INVALID_INPUT"),
    ],
)
def test_what_a_database_cannot_store_is_refused_with_its_code(payload: Any, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_payload(payload, 10_000)
    assert caught.value.code == code


def test_over_the_limit_is_too_large() -> None:
    check_payload({"text": "x" * 80}, 91)  # {"text":"…"} is 11 bytes around the text
    with pytest.raises(TooLarge, match="CLERK_MAX_PAYLOAD_BYTES"):
        check_payload({"text": "x" * 81}, 91)
