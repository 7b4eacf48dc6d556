"""Downloads counted on the asset (usage facet, "most used" sort) in batches, never in the request.

Fifty people downloading one hero shot for a launch would otherwise queue on that asset's row lock,
each holding a pooled connection for as long as its download streams. The request notes the use
after its transaction commits (the audit event, an insert, is the durable record); a thread adds
the counts every few seconds, and counts for a row locked elsewhere wait for the next round.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text

from dam_app.batching import BatchWriter
from dam_app.db import session_scope


class UsageCounter(BatchWriter[uuid.UUID, int]):
    def __init__(self) -> None:
        super().__init__("usage-counter")

    def _merge(self, old: int | None, new: int) -> int:
        return (old or 0) + new

    def _write(self, batch: dict[uuid.UUID, int]) -> dict[uuid.UUID, int]:
        ids = list(batch)
        with session_scope() as session:
            updated = set(
                session.execute(
                    text(
                        "WITH v AS (SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:counts AS int[])) AS v(id, n)),"
                        " free AS (SELECT a.id FROM assets a JOIN v USING (id) FOR UPDATE OF a SKIP LOCKED)"
                        " UPDATE assets a SET use_count = a.use_count + v.n, last_used_at = now() FROM v"
                        " WHERE a.id = v.id AND a.id IN (SELECT id FROM free) RETURNING a.id"
                    ),
                    {"ids": ids, "counts": [batch[i] for i in ids]},
                ).scalars()
            )
            existing = set(session.execute(text("SELECT id FROM assets WHERE id = ANY(:ids)"), {"ids": ids}).scalars())
        return {asset_id: n for asset_id, n in batch.items() if asset_id in existing - updated}


counter = UsageCounter()
