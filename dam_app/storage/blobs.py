"""A content-addressed store: bytes live at <root>/ab/cd/<sha256>, written atomically.

The interface (put_stream, open, path_of, exists, discard, delete) is all the rest of the app uses, so
an S3-compatible backend can replace LocalBlobStore without touching callers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dam_app.config import get_settings
from dam_app.errors import TooLarge
from dam_app.storage.tempfiles import temp_prefix

CHUNK = 1024 * 1024


class BlobTooLarge(TooLarge):
    """The stream passed the configured size limit; nothing was stored."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    created: bool  # the store had no file for these bytes before this put
    inode: int = 0  # the file this put installed: `discard` takes back that one only


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
        """Hash while writing to a temp file, fsync, then move it into place.

        The file at the digest is always this put's own copy (same bytes, so nothing changes for a
        reader): linked into place when there was none, renamed over the old one otherwise. A put whose
        transaction then fails can `discard` its copy without removing one that another upload, which
        may have committed, relies on.
        """
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp_dir, prefix=temp_prefix("blob"))
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
                inode = os.fstat(out.fileno()).st_ino
            sha = digest.hexdigest()
            final = self.path_of(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(tmp, final)  # atomic "create if absent": two first uploads cannot both win
                created = True
                tmp.unlink()
            except FileExistsError:
                os.replace(tmp, final)
                created = False
            _fsync_dir(final.parent)
            return StoredBlob(sha, size, final, created=created, inode=inode)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def discard(self, blob: StoredBlob) -> bool:
        """Take back a blob that `put_stream` created for a transaction that did not commit; True when
        removed. Kept when a later put installed its own copy meanwhile (that upload may have
        committed). The file is moved aside before it is compared, so no concurrent put is lost."""
        if not blob.created or not blob.inode:
            return False
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        parked = self.tmp_dir / f"{temp_prefix('discard')}{uuid.uuid4().hex}"
        try:
            os.rename(blob.path, parked)
        except FileNotFoundError:
            return False
        if parked.stat().st_ino == blob.inode:
            parked.unlink()
            return True
        with contextlib.suppress(FileExistsError):  # another upload's copy: put it back (unless a newer one is)
            os.link(parked, blob.path)
        parked.unlink()
        return False

    def delete(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get_blob_store() -> LocalBlobStore:
    settings = get_settings()
    return LocalBlobStore(settings.blob_dir, settings.tmp_dir)
