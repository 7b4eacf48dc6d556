"""A content-addressed store: bytes live at <root>/ab/cd/<sha256>, written atomically.

The interface (put_stream, open, path_of, exists, delete) is all the rest of the app uses, so an
S3-compatible backend can replace LocalBlobStore without touching callers.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class BlobTooLarge(ValueError):
    """The stream passed the configured size limit; nothing was stored."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    created: bool


class LocalBlobStore:
    def __init__(self, root: Path, tmp_dir: Path | None = None) -> None:
        self.root = root
        self.tmp_dir = tmp_dir or root / ".tmp"

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        return self.path_of(sha256).open("rb")

    def put_bytes(self, data: bytes) -> StoredBlob:
        return self.put_stream([data])

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> StoredBlob:
        with path.open("rb") as fh:
            return self.put_stream(iter(lambda: fh.read(CHUNK), b""), max_bytes=max_bytes)

    def put_stream(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Hash while writing to a temp file, fsync, then rename into place (same bytes: kept once)."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp_dir, prefix="upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise BlobTooLarge(f"file is larger than the limit of {max_bytes:,} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_of(sha)
            if final.is_file():
                tmp.unlink()
                return StoredBlob(sha, size, final, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return StoredBlob(sha, size, final, created=True)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def delete(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get_blob_store() -> LocalBlobStore:
    from dam_app.config import get_settings

    settings = get_settings()
    return LocalBlobStore(settings.blob_dir, settings.tmp_dir)
