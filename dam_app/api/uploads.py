"""Spool an uploaded file to a temp file under var/tmp, enforcing the size limit while copying."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.datastructures import UploadFile

from dam_app.config import get_settings

CHUNK = 1024 * 1024


class UploadTooLarge(ValueError):
    pass


@contextmanager
def spooled(upload: UploadFile) -> Iterator[Path]:
    settings = get_settings()
    settings.tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=settings.tmp_dir, prefix="api-upload-")
    path = Path(name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.file.read(CHUNK):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise UploadTooLarge(f"file is larger than the limit of {settings.max_upload_bytes:,} bytes")
                out.write(chunk)
        yield path
    finally:
        path.unlink(missing_ok=True)
