"""Keeping secrets and forged lines out of logs: scrubbing and escaping.

``scrub`` replaces what must never be stored in a log or artifact: Clerk token secrets
(``clerk_`` + urlsafe base64), the credentials of ``Authorization`` headers in the forms
HTTP clients, ``repr`` of a headers dict and JSON give them (robocorp's
``output.robolog`` records a request's headers on an HTTP error), and any exact secret
the caller knows (a worker's own token, a vault key). It works on bytes, so a binary
artifact passes through unchanged unless it holds one of them.

``escape`` makes one logged value one line: control characters (CR, LF, ESC, the
Unicode line separators, ...) become their backslash escapes, so a ``%0a`` in a URL
cannot start a forged record. ``EscapingFormatter`` applies it to every record's
message and fields and indents the lines of a traceback, so no line of a log record but
its first starts at the margin.

Part of the kernel: standard library only.
"""

from __future__ import annotations

import ast
import base64
import binascii
import gzip
import logging
import re
import zlib
from collections.abc import Iterable
from pathlib import PurePosixPath

MASK = "[REDACTED]"
_MASK = MASK.encode()
# A token is "clerk_" + 43 urlsafe base64 characters. A log may cut one: a run of 24 or
# more is masked (a shorter piece leaves 20+ characters, 120 bits, unknown), and names
# like "clerk_worker_token_file" stay readable.
_TOKEN = re.compile(rb"clerk_[A-Za-z0-9_-]{24,}")
# Authorization: Bearer x / 'Authorization': 'Basic x' / "authorization":"x" / \"...\"
_AUTH = re.compile(
    rb"(?i)(authorization(?:\\?['\"])?\s*[:=]\s*(?:\\?['\"])?\s*"
    rb"(?:(?:bearer|basic|token|digest)\s+)?+)"
    rb"(?!\[REDACTED\])[^\s'\"\\,;}\]]+"
)
_MIN_KNOWN = 8  # shorter "secrets" would scrub ordinary words
_CHUNKS = b"let chunks = ["  # where robocorp's log.html keeps the log it shows


def scrub(data: bytes, known: Iterable[str] = ()) -> bytes:
    """``data`` with every token, Authorization credential and ``known`` secret masked."""
    for secret in known:
        if len(secret) >= _MIN_KNOWN:
            data = data.replace(secret.encode(), _MASK)
    data = _TOKEN.sub(_MASK, data)
    return _AUTH.sub(lambda m: m.group(1) + _MASK, data)


def scrub_file(
    name: str, data: bytes, known: Iterable[str] = (), max_bytes: int = 1 << 30
) -> bytes:
    """``scrub`` for a file by its name: robocorp's ``log.html`` keeps the robot's log
    (request headers included) as zlib-and-base64 chunks, where no token is found as
    text, so those are opened, scrubbed and packed again. A chunk that does not open, or
    chunks that open to more than ``max_bytes``, leave nothing to show: the file is
    masked whole."""
    data = scrub(data, known)
    if PurePosixPath(name).name != "log.html":
        return data
    start = data.find(_CHUNKS)
    end = data.find(b"];", start)
    if start < 0 or end < 0:
        return data
    try:
        chunks = ast.literal_eval(data[start + len(_CHUNKS) - 1 : end + 1].decode("ascii"))
        budget, packed = max_bytes, []
        for chunk in chunks:
            inflate = zlib.decompressobj()
            plain = inflate.decompress(base64.b64decode(chunk), budget + 1)
            budget -= len(plain)
            if budget < 0 or not inflate.eof:
                return _MASK
            packed.append(base64.b64encode(zlib.compress(scrub(plain, known))).decode("ascii"))
    except (ValueError, SyntaxError, TypeError, zlib.error, binascii.Error, UnicodeDecodeError):
        return _MASK
    listed = ("[" + ", ".join(f"'{p}'" for p in packed) + "]").encode("ascii")
    return data[: start + len(_CHUNKS) - 1] + listed + data[end + 1 :]


def scrub_artifact(name: str, data: bytes, max_bytes: int) -> bytes:
    """``scrub_file`` for an uploaded artifact: one named ``*.gz`` is scrubbed inside (and
    packed again), since a token in compressed bytes is not found. Gzip that does not
    unpack, or unpacks to more than ``max_bytes``, is masked whole: what it holds cannot
    be checked, so it is not kept."""
    if not name.endswith(".gz"):
        return scrub_file(name, data, max_bytes=max_bytes)
    inflate = zlib.decompressobj(wbits=31)  # gzip framing
    try:
        plain = inflate.decompress(data, max_bytes + 1)
    except zlib.error:
        return _MASK
    if len(plain) > max_bytes or not inflate.eof or inflate.unused_data:
        return _MASK
    inner = scrub_file(name.removesuffix(".gz"), plain, max_bytes=max_bytes)
    return gzip.compress(inner, compresslevel=6, mtime=0)


def scrub_text(text: str, known: Iterable[str] = ()) -> str:
    return scrub(text.encode("utf-8", "surrogateescape"), known).decode("utf-8", "surrogateescape")


def escape(value: str) -> str:
    """``value`` with its control and other non-printable characters backslash-escaped
    (a backslash itself stays as it is: the result is for reading, not for parsing)."""
    if value.isprintable():
        return value
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in value
    )


class EscapingFormatter(logging.Formatter):
    """A ``logging.Formatter`` whose records cannot forge lines: see the module."""

    def format(self, record: logging.LogRecord) -> str:
        # A traceback another handler's formatter cached would be appended unindented.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape(record.message)
        for key, value in list(record.__dict__.items()):
            if isinstance(value, str) and key not in _RAW and not value.isprintable():
                setattr(record, key, escape(value))
        return super().formatMessage(record)

    def formatException(self, ei: logging._SysExcInfoType) -> str:
        return _indent(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indent(super().formatStack(stack_info))


_RAW = frozenset({"message", "msg", "exc_text", "stack_info"})


def _indent(text: str) -> str:
    lines = [escape(line) for line in text.splitlines()]
    return "\n".join(lines[:1] + ["  | " + line for line in lines[1:]])


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def log_to_stderr(
    level: int = logging.INFO, fmt: str = PLAIN_FORMAT, *, force: bool = False
) -> None:
    """``logging.basicConfig`` with an ``EscapingFormatter`` (the worker's and robots');
    ``force`` replaces handlers set before."""
    handler = logging.StreamHandler()
    handler.setFormatter(EscapingFormatter(fmt))
    logging.basicConfig(level=level, handlers=[handler], force=force)
