"""Short-lived signed URLs for the file transfers the stock client makes without a token.

The robocorp client fetches a download URL and posts an upload to a URL it was handed,
both with no ``Authorization`` header (they were S3 URLs at Robocorp). Here the URL
carries ``expires`` (unix seconds) and ``signature = HMAC-SHA256(key, METHOD\\nPATH\\n
EXPIRES)``. The path names the item and file (or file name), so a signature is valid for
exactly one transfer target, one method, until it expires. Comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode


class SignatureError(Exception):
    """A signed URL is missing its signature, expired, or was tampered with."""


def _mac(key: bytes, method: str, path: str, expires: int) -> str:
    message = f"{method.upper()}\n{path}\n{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(key: bytes, method: str, path: str, ttl: int, now: float | None = None) -> str:
    """The query string (``expires=...&signature=...``) that authorizes one request."""
    expires = int((time.time() if now is None else now) + ttl)
    return urlencode({"expires": expires, "signature": _mac(key, method, path, expires)})


def verify(
    key: bytes,
    method: str,
    path: str,
    expires: str | None,
    signature: str | None,
    now: float | None = None,
) -> None:
    """Raise ``SignatureError`` unless the signature matches and has not expired."""
    if not expires or not signature:
        raise SignatureError("this URL needs 'expires' and 'signature': ask for a new one")
    try:
        expires_at = int(expires)
    except ValueError:
        raise SignatureError(f"'expires' must be unix seconds, got {expires!r}") from None
    expected = _mac(key, method, path, expires_at)
    # Bytes: compare_digest raises TypeError on a str that is not ASCII.
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise SignatureError("the URL signature does not match: ask for a new URL")
    if (time.time() if now is None else now) > expires_at:
        raise SignatureError(f"the signed URL expired at {expires_at}: ask for a new one")
