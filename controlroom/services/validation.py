"""Checks on what callers send: payload size and file names."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from controlroom.services.errors import InvalidInput, TooLarge

MAX_FILE_NAME_CHARS = 255
# Offsets, step positions and page numbers above this are refused (400): the columns
# are 32-bit on PostgreSQL, and SQLite overflows past 2**63 with a 500.
MAX_INT32 = 2**31 - 1


def load_json(raw: bytes) -> Any:
    """``raw`` parsed as JSON; InvalidInput (400) when it is not, or is nested too deeply
    for the parser (``RecursionError``)."""
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}", "INVALID_JSON") from None
    except RecursionError:
        raise InvalidInput(
            "the body is JSON nested too deeply: flatten it", "JSON_TOO_DEEP"
        ) from None


def check_payload(payload: Any, limit: int) -> None:
    try:
        size = len(json.dumps(payload, separators=(",", ":"), allow_nan=False).encode())
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"payload is not plain JSON: {exc}") from None
    except RecursionError:
        raise InvalidInput("payload is nested too deeply: flatten it", "JSON_TOO_DEEP") from None
    if size > limit:
        raise TooLarge(
            f"payload is {size} bytes, over the limit of {limit} (CLERK_MAX_PAYLOAD_BYTES): "
            "put large content into a file instead"
        )


def check_file_name(name: str) -> str:
    """A file name safe to write into any directory: no path parts, no control chars.

    Blobs are stored by hash, never by name, but robots write files out under these
    names (``item.get_file(name, path)``), so a name like ``../x`` must never exist.
    """
    if not isinstance(name, str) or not name or name in (".", ".."):
        raise InvalidInput(f"file name {name!r} is empty or a directory name", "BAD_FILE_NAME")
    if len(name) > MAX_FILE_NAME_CHARS:
        raise InvalidInput(
            f"file name is {len(name)} characters; the limit is {MAX_FILE_NAME_CHARS}",
            "BAD_FILE_NAME",
        )
    if "/" in name or "\\" in name or ".." in name.split("."):
        raise InvalidInput(
            f"file name {name!r} contains a path separator or '..': give a bare name",
            "BAD_FILE_NAME",
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidInput(f"file name {name!r} contains control characters", "BAD_FILE_NAME")
    return name
