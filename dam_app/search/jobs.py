"""RQ entry points for search: (re)index one asset, describe its pixels, or queue every asset that
lacks either (assets ingested before a stage existed, or after a failed stage was fixed)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import dam_app.models  # noqa: F401  (every table, so foreign keys resolve in a fresh worker)
from dam_app.assets.models import Asset, Version
from dam_app.db import session_scope
from dam_app.search import documents, signatures
from dam_app.worker import queues

log = logging.getLogger(__name__)


def index_asset(asset_id: str, force: bool = False) -> bool:
    with session_scope() as session:
        return documents.index_asset(session=session, asset_id=uuid.UUID(asset_id), force=force)


def reindex_soon(asset_id: uuid.UUID) -> None:
    """After an edit: rebuild the asset's document in a worker. If the queue cannot be reached, here
    and now, so an edit never waits for Redis to become searchable."""
    try:
        queues.enqueue(index_asset, str(asset_id))
    except Exception:
        log.warning("queue unreachable; indexing asset %s in this process", asset_id, exc_info=True)
        index_asset(str(asset_id))


def describe_asset(asset_id: str) -> bool:
    """Store the visual signature of the asset's current version; False when it has no pixels."""
    with session_scope() as session:
        asset = session.get(Asset, uuid.UUID(asset_id))
        version = session.get(Version, asset.current_version_id) if asset and asset.current_version_id else None
        if version is None:
            return False
        return signatures.store_signature(session=session, version=version) is not None


def enqueue_missing() -> int:
    """Queue an index job for every asset without a search document, and a describe job for every
    picture without a visual signature; returns how many jobs."""
    queued = 0
    jobs: list[tuple[Callable[..., object], str, Callable[..., list[uuid.UUID]]]] = [
        (index_asset, "index", documents.asset_ids_needing_index),
        (describe_asset, "describe", signatures.asset_ids_needing_signature),
    ]
    for job, prefix, pending in jobs:
        after: uuid.UUID | None = None
        while True:
            with session_scope() as session:
                batch = pending(session=session, after=after)
            if not batch:
                break
            for asset_id in batch:
                queues.enqueue(job, str(asset_id), job_id=f"{prefix}-{asset_id}")
            queued += len(batch)
            after = batch[-1]
    return queued
