"""Writes that a hot path defers: noted in memory, written in batches by a daemon thread; knows no domain.

A request must never update a shared row inside its own transaction (every caller of that row then
queues on its lock while holding a pooled connection). Instead it notes the change here, which costs
a dict update, and a thread writes all pending changes every few seconds in one short transaction
of its own. What the batch could not write (a row locked elsewhere, the database down) stays pending.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchWriter(Generic[K, V]):
    """Subclasses merge values for one key (`_merge`) and write a batch (`_write`), returning what is left."""

    flush_every_s = 5.0

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._pending: dict[K, V] = {}
        self._thread: threading.Thread | None = None
        self._pid = 0
        atexit.register(self._flush_at_exit)

    def _merge(self, old: V | None, new: V) -> V:
        raise NotImplementedError

    def _write(self, batch: dict[K, V]) -> dict[K, V]:
        """Write the batch; return the entries that must wait for the next flush."""
        raise NotImplementedError

    def note(self, key: K, value: V) -> None:
        with self._lock:
            self._pending[key] = self._merge(self._pending.get(key), value)
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()  # a forked child starts its own thread
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()

    @property
    def pending(self) -> dict[K, V]:
        with self._lock:
            return dict(self._pending)

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return
        try:
            left = self._write(batch)
        except BaseException:
            left = batch
            raise
        finally:
            with self._lock:
                for key, value in left.items():
                    self._pending[key] = self._merge(self._pending.get(key), value)

    def _run(self) -> None:
        while True:
            time.sleep(self.flush_every_s)
            self._flush_quietly()

    def _flush_at_exit(self) -> None:
        """Last chance for what is pending; at exit the database may already be gone, which is no news."""
        try:
            self.flush()
        except Exception:
            log.debug("%s: %d deferred changes not written at exit", self.name, len(self._pending), exc_info=True)

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception as exc:  # the database is down or busy: everything stays pending for the next round
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            log.warning("%s: could not write deferred changes (%s); retrying", self.name, first_line)
