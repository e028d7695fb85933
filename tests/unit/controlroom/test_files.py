"""The content-addressed blob store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from controlroom.files import BlobStore, CorruptBlobError, MissingBlobError


def test_put_get_and_dedup(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    data = b"invoice bytes" * 100
    blob = store.put(data)
    assert blob.key == hashlib.sha256(data).hexdigest() and blob.size == len(data)
    assert store.path(blob.key) == tmp_path / blob.key[:2] / blob.key[2:4] / blob.key
    assert store.put(data) == blob  # same content, same blob, written once
    assert store.get(blob.key) == data
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [blob.key]


def test_corruption_and_loss_are_reported(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    blob = store.put(b"original")
    store.path(blob.key).write_bytes(b"0riginal")
    with pytest.raises(CorruptBlobError, match=blob.key):
        store.get(blob.key)
    store.path(blob.key).unlink()
    with pytest.raises(MissingBlobError, match="restore"):
        store.get(blob.key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "ab", "G" * 64, ""])
def test_keys_must_be_sha256(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="sha256"):
        BlobStore(tmp_path).get(key)
