"""RQ entry points for search: (re)index one asset, or queue every asset that lacks a document."""

from __future__ import annotations

import uuid

import dam_app.models  # noqa: F401  (every table, so foreign keys resolve in a fresh worker)
from dam_app.db import session_scope
from dam_app.search import documents


def index_asset(asset_id: str, force: bool = False) -> bool:
    with session_scope() as session:
        return documents.index_asset(session=session, asset_id=uuid.UUID(asset_id), force=force)


def enqueue_missing() -> int:
    """Queue an index job for every asset without a search document; returns how many."""
    from dam_app.worker import queues

    queued = 0
    after: uuid.UUID | None = None
    while True:
        with session_scope() as session:
            batch = documents.asset_ids_needing_index(session=session, after=after)
        if not batch:
            return queued
        for asset_id in batch:
            queues.enqueue(index_asset, str(asset_id), job_id=f"index-{asset_id}")
        queued += len(batch)
        after = batch[-1]
