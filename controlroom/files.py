"""Content-addressed blob store: bytes are kept once, under their sha256.

Layout: ``<root>/<aa>/<bb>/<sha256>`` (two fan-out levels keep directories small).
Writes go to a temporary file and are renamed into place, so a crash never leaves a
half-written blob under a valid name. Every read re-hashes the bytes: a blob that no
longer matches its address raises ``CorruptBlobError`` instead of serving bad data.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

_HEX = frozenset("0123456789abcdef")


class BlobError(Exception):
    """A blob is missing or damaged."""


class CorruptBlobError(BlobError):
    pass


class MissingBlobError(BlobError):
    pass


@dataclass(frozen=True)
class Blob:
    key: str  # the sha256 hex digest
    size: int


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if len(key) != 64 or not set(key) <= _HEX:
            raise ValueError(f"blob key {key!r} is not a sha256 hex digest")
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> Blob:
        key = hashlib.sha256(data).hexdigest()
        target = self.path(key)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return Blob(key=key, size=len(data))

    def get(self, key: str) -> bytes:
        target = self.path(key)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            raise MissingBlobError(
                f"blob {key} is missing from {self.root}: restore the file store from backup"
            ) from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != key:
            raise CorruptBlobError(
                f"blob {target} is corrupt: its sha256 is {actual}, expected {key}; "
                "restore it from backup"
            )
        return data

    def exists(self, key: str) -> bool:
        return self.path(key).exists()
