"""Download counts are added in batches that never wait for a row lock, and none is lost."""

from __future__ import annotations

import uuid

from dam_app.assets.models import Asset
from dam_app.assets.usage import UsageCounter
from dam_app.db import session_scope
from tests.concurrency import finishes_within, row_locked
from tests.conftest import ingest_path


def test_counts_for_a_locked_asset_wait_for_the_next_flush(make_user, sample_files) -> None:
    _, editor = make_user("editor", regions=["NA"])
    asset_id = ingest_path(editor, sample_files["jpeg"]).asset_id
    counter = UsageCounter()
    for _ in range(3):
        counter.note(asset_id, 1)
    counter.note(uuid.uuid4(), 1)  # an asset deleted meanwhile: dropped, not retried forever
    with row_locked("assets", asset_id):
        assert finishes_within(5, counter.flush), "the flush waited for the row lock"
        assert counter.pending == {asset_id: 3}
    counter.note(asset_id, 1)
    counter.flush()
    assert counter.pending == {}
    with session_scope() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.use_count == 4 and asset.last_used_at is not None
