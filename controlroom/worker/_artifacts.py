"""What the worker keeps of a robot's ``ROBOT_ARTIFACTS`` folder, and how.

robocorp-tasks writes ``log.html`` (a self-contained viewer, 0.86 MB of it the viewer
itself, robocorp-log's ``_index_v3.FILE_CONTENTS["index.html"]``, with every
``output*.robolog`` part embedded) and the parts themselves (rotated at 1 MB, up to
five). The parts repeat what ``log.html`` holds, so they are left out when it is there;
without it (a robot killed before it wrote it) the newest part is kept. Text files
(HTML, logs, JSON) go up gzipped under their name plus ``.gz``: log.html shrinks to
about a third (the viewer: 0.86 to 0.27 MB with ``gzip.compress``). Anything else (a
screenshot, a trace) goes as it is.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from clerk.redact import scrub_file

LOG_HTML = "log.html"
_ROBOLOG = re.compile(r"output(?:_(\d+))?\.robolog")
COMPRESSED_SUFFIXES = frozenset({".html", ".robolog", ".log", ".txt", ".json", ".xml", ".csv"})
MIN_COMPRESS_BYTES = 1024  # smaller files gain nothing worth a .gz a person must unpack


def _part(path: Path) -> int | None:
    """The rotation number of an ``output*.robolog`` part (1 for ``output.robolog``)."""
    match = _ROBOLOG.fullmatch(path.name)
    return None if match is None else int(match.group(1) or 1)


def kept_files(folder: Path) -> list[Path]:
    """The files of ``folder`` worth uploading, in name order."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    parts = [p for p in files if _part(p) is not None]
    if (folder / LOG_HTML).is_file():
        drop = set(parts)
    else:
        newest = max(parts, key=lambda p: _part(p) or 0, default=None)
        drop = {p for p in parts if p != newest}
    return [p for p in files if p not in drop]


def packed(path: Path, name: str, secrets: Iterable[str] = ()) -> tuple[str, bytes]:
    """The upload name and bytes of one file, scrubbed of tokens and ``secrets``
    (``clerk.redact.scrub``: before packing, where they can still be found), and gzipped
    when it is text worth it."""
    data = scrub_file(name, path.read_bytes(), secrets)
    if path.suffix.lower() in COMPRESSED_SUFFIXES and len(data) >= MIN_COMPRESS_BYTES:
        # mtime=0: the same file always gives the same bytes (one blob in the store).
        return f"{name}.gz", gzip.compress(data, compresslevel=6, mtime=0)
    return name, data


def uploads(folder: Path, secrets: Iterable[str] = ()) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every file to upload from a robot's artifacts folder."""
    known = tuple(secrets)
    for path in kept_files(folder):
        yield packed(path, path.relative_to(folder).as_posix(), known)
