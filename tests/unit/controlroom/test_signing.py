"""Signed URLs: HMAC over method, path and expiry."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from controlroom._signing import SignatureError, sign, verify

KEY = b"k" * 32


def _params(query: str) -> tuple[str, str]:
    parsed = parse_qs(query)
    return parsed["expires"][0], parsed["signature"][0]


def test_valid_until_expiry() -> None:
    expires, sig = _params(sign(KEY, "GET", "/files-v1/download/f1", 60, now=1000))
    verify(KEY, "GET", "/files-v1/download/f1", expires, sig, now=1059)
    with pytest.raises(SignatureError, match="expired"):
        verify(KEY, "GET", "/files-v1/download/f1", expires, sig, now=1061)


@pytest.mark.parametrize(
    ("key", "method", "path", "change"),
    [
        (b"other", "GET", "/files-v1/download/f1", None),
        (KEY, "POST", "/files-v1/download/f1", None),
        (KEY, "GET", "/files-v1/download/f2", None),
        (KEY, "GET", "/files-v1/download/f1", "expires"),
    ],
)
def test_any_change_breaks_the_signature(
    key: bytes, method: str, path: str, change: str | None
) -> None:
    expires, sig = _params(sign(KEY, "GET", "/files-v1/download/f1", 60, now=1000))
    if change == "expires":
        expires = str(int(expires) + 3600)  # stretching the lifetime is tampering too
    with pytest.raises(SignatureError, match="does not match"):
        verify(key, method, path, expires, sig, now=1000)


@pytest.mark.parametrize(("expires", "sig"), [(None, "x"), ("1", None), ("soon", "x")])
def test_missing_or_malformed(expires: str | None, sig: str | None) -> None:
    with pytest.raises(SignatureError):
        verify(KEY, "GET", "/p", expires, sig, now=0)


def test_a_non_ascii_signature_is_a_signature_error() -> None:
    expires, _ = _params(sign(KEY, "GET", "/files-v1/download/f1", 60, now=1000))
    with pytest.raises(SignatureError, match="does not match"):
        verify(KEY, "GET", "/files-v1/download/f1", expires, "é" * 64, now=1001)
