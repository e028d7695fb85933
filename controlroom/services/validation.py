"""Checks on what callers send: payload size and file names."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from controlroom.services.errors import InvalidInput, TooLarge

MAX_FILE_NAME_CHARS = 255
# Offsets, step positions and page numbers above this are refused (400): the columns
# are 32-bit on PostgreSQL, and SQLite overflows past 2**63 with a 500.
MAX_INT32 = 2**31 - 1
# A ``\u0000`` escape in JSON text that is not itself an escaped backslash's tail.
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


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
    """InvalidInput unless ``payload`` is plain JSON that both databases store as it is
    (PostgreSQL's jsonb refuses a NUL character and a lone surrogate; found by the API
    fuzz); TooLarge over ``limit`` bytes."""
    try:
        text = json.dumps(payload, separators=(",", ":"), allow_nan=False)  # ASCII only
        size = len(text)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"payload is not plain JSON: {exc}") from None
    except RecursionError:
        raise InvalidInput("payload is nested too deeply: flatten it", "JSON_TOO_DEEP") from None
    if "\\u0000" in text and _NUL_ESCAPE.search(text):
        raise InvalidInput(
            "payload holds a NUL character (\\u0000), which the database cannot store: remove it",
            "NUL_CHARACTER",
        )
    if "\\ud" in text:  # an escaped surrogate: fine in a pair, not alone
        try:
            json.dumps(payload, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise InvalidInput(
                "payload holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not "
                "text: send binary data base64-encoded or as a file",
                "LONE_SURROGATE",
            ) from None
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
