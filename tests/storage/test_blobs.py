from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dam_app.storage.blobs import BlobTooLarge, LocalBlobStore


def test_same_bytes_are_stored_once_at_their_digest(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    first = store.put_bytes(b"hello festival")
    second = store.put_bytes(b"hello festival")
    digest = hashlib.sha256(b"hello festival").hexdigest()
    assert first.sha256 == second.sha256 == digest
    assert first.created and not second.created
    assert first.path == tmp_path / "blobs" / digest[:2] / digest[2:4] / digest
    assert store.open(digest).read() == b"hello festival"


def test_too_large_stream_leaves_no_file_behind(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs", tmp_path / "tmp")
    with pytest.raises(BlobTooLarge, match="limit of 10 bytes"):
        store.put_stream([b"12345", b"678901"], max_bytes=10)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not any((tmp_path / "blobs").rglob("*")) if (tmp_path / "blobs").exists() else True


def test_a_failing_stream_keeps_existing_blobs_intact(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs", tmp_path / "tmp")
    kept = store.put_bytes(b"v1 bytes")

    def broken():
        yield b"partial"
        raise OSError("disk vanished")

    with pytest.raises(OSError, match="disk vanished"):
        store.put_stream(broken())
    assert store.open(kept.sha256).read() == b"v1 bytes"
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ab" * 31, "Z" * 64])
def test_paths_only_come_from_real_digests(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="not a sha256"):
        LocalBlobStore(tmp_path).path_of(bad)
