"""Safe names for e-mail attachments.

A sender controls an attachment's name, so it may try ``../../etc/passwd``, an absolute
path, Windows separators, drive letters or control characters. Clerk never writes
attachments under these names, but robots and operators might (saving the file into a
share, naming a work-item file), so the name every document carries is reduced here to
one harmless file name.
"""

from __future__ import annotations

import re
import unicodedata

from clerk.errors import BusinessError

_MAX_LENGTH = 120
# Characters no file system or shell should see in a name: controls, path separators,
# Windows-reserved punctuation.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def safe_name(raw: str) -> str:
    """The last path component of ``raw`` with unsafe characters removed.

    ``UNSAFE_NAME`` if nothing usable is left (``..``, ``/``, a name of only NULs)."""
    name = unicodedata.normalize("NFC", raw)
    name = name.replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("", name).strip().strip(".").strip()
    if len(name) > _MAX_LENGTH:  # keep the extension, it is the useful end
        stem, dot, ext = name.rpartition(".")
        name = stem[: _MAX_LENGTH - len(ext) - 1] + dot + ext if dot and len(ext) < 10 else name
        name = name[:_MAX_LENGTH]
    if not name or _RESERVED.match(name):
        raise BusinessError(
            "UNSAFE_NAME",
            f"the attachment name {raw!r} leaves no safe file name once path parts and "
            "control characters are removed; ask the sender to rename the file",
        )
    return name


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2).ext`` ... when an earlier attachment already has it."""
    if name not in taken:
        taken.add(name)
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    counter = 2
    while True:
        candidate = f"{stem} ({counter}){dot}{ext}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        counter += 1
