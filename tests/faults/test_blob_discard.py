"""An upload whose transaction fails takes back the blob it created, and only that one."""

from __future__ import annotations

from pathlib import Path

from dam_app.storage.blobs import LocalBlobStore


def test_discard_removes_only_the_copy_this_put_created(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs", tmp_path / "tmp")
    first = store.put_bytes(b"festival banner")
    assert first.created
    assert store.discard(first) and not store.exists(first.sha256)

    again = store.put_bytes(b"festival banner")
    other = store.put_bytes(b"festival banner")  # a concurrent upload of the same bytes, maybe committed
    assert again.created and not other.created
    assert not store.discard(again)  # its copy was replaced: the other upload's stays
    assert store.open(other.sha256).read() == b"festival banner"
    assert not store.discard(other)  # not created by it: some row may rely on these bytes
    assert store.exists(other.sha256)
    assert list((tmp_path / "tmp").iterdir()) == []
