"""Spool an upload (API or UI) to a temp file under var/tmp, enforcing the size limit while copying."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from dam_app.config import get_settings
from dam_app.errors import TooLarge
from dam_app.storage.tempfiles import temp_prefix

CHUNK = 1024 * 1024


class UploadTooLarge(TooLarge):
    """The upload streamed past the configured limit; the temp file is gone."""


@contextmanager
def spooled(source: BinaryIO, *, prefix: str = "upload") -> Iterator[Path]:
    """A temp file holding what `source` reads, removed afterwards; UploadTooLarge past the limit.
    If this process dies first, `tempfiles.sweep_stale` removes it at the next start."""
    settings = get_settings()
    settings.tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=settings.tmp_dir, prefix=temp_prefix(prefix))
    path = Path(name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise UploadTooLarge(f"file is larger than the limit of {settings.max_upload_bytes:,} bytes")
                out.write(chunk)
        yield path
    finally:
        path.unlink(missing_ok=True)
