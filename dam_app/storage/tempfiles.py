"""Names for the temp files under var/tmp, and the sweep that removes what a dead process left there.

A temp file's name carries the pid of the process that made it (`upload-4242-k3j9x`): a web process
killed mid-upload or a worker killed mid-write leaves its file behind, and the next start (the web,
the worker, `dam up`) removes it at once instead of letting var/tmp fill up. Files without a pid (the
UI's upload buffers) and files of a live process that nobody touched for an hour are removed too.
"""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

log = logging.getLogger(__name__)

STALE_AFTER_S = 3600.0
_OWNER = re.compile(r"^[a-z]+(?:-[a-z]+)*-(\d+)-")


def temp_prefix(kind: str) -> str:
    """The mkstemp prefix for one kind of temp file made by this process."""
    return f"{kind.strip('-')}-{os.getpid()}-"


def sweep_stale(tmp_dir: Path, *, stale_after_s: float = STALE_AFTER_S) -> int:
    """Remove temp files whose process is gone or that nobody touched for `stale_after_s`; how many."""
    try:
        entries = list(os.scandir(tmp_dir))
    except FileNotFoundError:
        return 0
    cutoff = time.time() - stale_after_s
    removed = 0
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            owner = _OWNER.match(entry.name)
            if (owner and not _alive(int(owner.group(1)))) or entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:  # its owner finished with it meanwhile
            continue
    if removed:
        log.info("removed %d stale temp files from %s", removed, tmp_dir)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
