"""When API tokens and login sessions were last used, written in batches outside any request.

50 scripts sharing one token once queued on `UPDATE api_tokens SET last_used_at` while each held a
pooled connection, and the pool deadlocked. Now a request notes the use (at most once a minute per
record and process) and a thread writes the batch, skipping rows another transaction holds (`SKIP
LOCKED`): the write never waits for a lock, and a skipped row simply keeps its older time.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime

from sqlalchemy import text

from dam_app.batching import BatchWriter
from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.fields import utcnow

TABLES = {"token": ("api_tokens", "last_used_at"), "session": ("auth_sessions", "last_seen_at")}


class LastUseRecorder(BatchWriter[tuple[str, uuid.UUID], datetime]):
    def __init__(self, interval_s: float | None = None) -> None:
        super().__init__("last-use")
        self._interval_s = interval_s
        self._noted: dict[tuple[str, uuid.UUID], float] = {}
        self._noted_lock = threading.Lock()
        self.written = 0

    @property
    def interval_s(self) -> float:
        return self._interval_s if self._interval_s is not None else get_settings().last_use_interval_s

    def touch(self, kind: str, record_id: uuid.UUID) -> None:
        """Note one use of a token or session; a dict lookup on the request path."""
        key, now, interval = (kind, record_id), time.monotonic(), self.interval_s
        with self._noted_lock:
            if now - self._noted.get(key, -interval) < interval:
                return
            self._noted[key] = now
        self.note(key, utcnow())

    def _merge(self, old: datetime | None, new: datetime) -> datetime:
        return new if old is None else max(old, new)

    def _write(self, batch: dict[tuple[str, uuid.UUID], datetime]) -> dict[tuple[str, uuid.UUID], datetime]:
        for kind, (table, column) in TABLES.items():
            rows = [(record_id, at) for (k, record_id), at in batch.items() if k == kind]
            if not rows:
                continue
            with session_scope() as session:
                result = session.execute(
                    text(
                        "WITH v AS (SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:ats AS timestamptz[]))"
                        " AS v(id, at)),"
                        f" free AS (SELECT t.id FROM {table} t JOIN v USING (id) FOR UPDATE OF t SKIP LOCKED)"
                        f" UPDATE {table} t SET {column} = v.at FROM v"
                        f" WHERE t.id = v.id AND t.id IN (SELECT id FROM free)"
                        f" AND ({column} IS NULL OR {column} < v.at)"
                    ),
                    {"ids": [r for r, _ in rows], "ats": [a for _, a in rows]},
                )
                self.written += int(getattr(result, "rowcount", 0) or 0)
        return {}  # a time that could not be written is superseded by the next use anyway


recorder = LastUseRecorder()
