"""The worker's side of compliance: check an asset's current version again after an edit of its
words, and every current version after a rule pack changed."""

from __future__ import annotations

import logging
import uuid

from sqlmodel import col, select

from dam_app.assets.models import Asset
from dam_app.db import session_scope
from dam_app.review import compliance
from dam_app.worker import queues

log = logging.getLogger(__name__)
BATCH = 200
# An edit of these asset fields changes what the packs read or where they apply.
CHECKED_FIELDS = frozenset({"title", "description", "markets", "tags"})


def check_asset(asset_id: str) -> int:
    """Check the asset's current version; -1 when it has none (deleted, or nothing uploaded)."""
    with session_scope() as session:
        asset = session.get(Asset, uuid.UUID(asset_id))
        if asset is None or asset.current_version_id is None:
            return -1
        return compliance.check_version(session=session, version_id=asset.current_version_id)


def check_soon(asset_id: uuid.UUID) -> None:
    """After an edit of the title or description: check again in a worker, or here when the queue
    cannot be reached (a finding must not wait for Redis)."""
    try:
        queues.enqueue(check_asset, str(asset_id), job_id=f"compliance-{asset_id}")
    except Exception:
        log.warning("queue unreachable; checking asset %s in this process", asset_id, exc_info=True)
        check_asset(str(asset_id))


def recheck_all() -> int:
    """Check every current version again (after a pack was saved), one transaction per version: a
    check marks its asset unjudged (migration 0020), so a batch in one transaction would hold many
    assets' rows at once. Returns how many versions were checked."""
    checked, after = 0, uuid.UUID(int=0)
    while True:
        with session_scope() as session:
            batch = session.exec(
                select(col(Asset.id), col(Asset.current_version_id))
                .where(col(Asset.current_version_id).is_not(None), col(Asset.id) > after)
                .order_by(col(Asset.id))
                .limit(BATCH)
            ).all()
        for asset_id, version_id in batch:
            if version_id is None:
                continue
            try:
                with session_scope() as session:
                    compliance.check_version(session=session, version_id=version_id)
            except Exception:
                log.exception("compliance recheck of asset %s failed; the others go on", asset_id)
        if not batch:
            return checked
        checked += len(batch)
        after = batch[-1][0]


def queue_recheck_all(pack_key: str, version: int) -> None:
    """One recheck per saved pack version (a repeat of the same save collapses into one job). With
    the queue unreachable, this process does it on a thread: the saved pack must take effect."""
    queues.enqueue_or_run(recheck_all, job_id=f"compliance-recheck-{pack_key}-{version}", timeout=3600)
