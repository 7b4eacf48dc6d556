"""The review queue: what waits for a reviewer's decision in their markets, by the stages each market
requires, oldest first, with the open compliance findings counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from dam_app.accounts.principal import PermissionDenied
from dam_app.catalog.models import Market
from dam_app.review import compliance, queue
from tests import factories
from tests.review.test_review import _decide


def test_the_queue_follows_each_markets_required_stages_oldest_first(tx: Session) -> None:
    cn_market = tx.get(Market, "CN")
    assert cn_market is not None and cn_market.review_stages == ["legal", "market"]
    reviewer = factories.user(tx, role="reviewer", regions=["CN"]).principal
    now = datetime.now(UTC)
    older = factories.asset(
        tx, title="Silk mask", markets=["CN"], copy="全网最低价", created_at=now - timedelta(days=3)
    )
    newer = factories.asset(tx, title="Tea set", markets=["CN", "NA"], created_at=now - timedelta(days=1))
    factories.asset(tx, title="NA only", markets=["NA"])
    assert older.current_version_id is not None
    compliance.check_version(session=tx, version_id=older.current_version_id)

    waiting = queue.awaiting_me(session=tx, principal=reviewer)
    assert [i.title for i in waiting.items] == ["Silk mask", "Tea set"] and waiting.total == 2
    assert waiting.items[0].awaiting == [("CN", "legal"), ("CN", "market")]
    assert waiting.items[1].awaiting == [("CN", "legal"), ("CN", "market")]  # NA is not theirs
    assert (waiting.items[0].open_findings, waiting.items[1].open_findings) == (1, 0)

    _decide(tx, reviewer, older.id, "CN", "legal")
    _decide(
        tx, reviewer, newer.id, "CN", "market", "rejected", note="Price claim unproven"
    )  # waits for a new version, not a second look
    _decide(tx, reviewer, newer.id, "CN", "legal")
    waiting = queue.awaiting_me(session=tx, principal=reviewer)
    assert [(i.title, i.awaiting) for i in waiting.items] == [("Silk mask", [("CN", "market")])]
    finding = compliance.findings_for(session=tx, principal=reviewer, asset_id=older.id).findings[0]
    compliance.accept_exception(
        session=tx, principal=reviewer, asset_id=older.id, finding_id=finding.id, reason="price log checked"
    )
    assert queue.awaiting_me(session=tx, principal=reviewer).items[0].open_findings == 0

    everywhere = factories.user(tx, role="reviewer", all_regions=True).principal
    titles = {i.title: i.awaiting for i in queue.awaiting_me(session=tx, principal=everywhere).items}
    assert titles["NA only"] == [("NA", "brand"), ("NA", "legal")] and titles["Tea set"] == [
        ("NA", "brand"),
        ("NA", "legal"),
    ]
    assert queue.awaiting_me(session=tx, principal=everywhere, limit=1, offset=1).total == 3
    with pytest.raises(PermissionDenied):
        queue.awaiting_me(session=tx, principal=factories.user(tx, role="viewer", regions=["CN"]).principal)


def test_the_queue_over_the_api(client, make_user) -> None:
    from dam_app.db import session_scope

    user, _ = make_user("reviewer", regions=["NA"])
    viewer, _ = make_user("viewer", regions=["NA"])
    with session_scope() as session:
        asset = factories.asset(session, title="Lumiere serum", markets=["NA"])
        asset_id = asset.id
    response = client.get("/api/v1/review/queue", headers=factories.bearer(user.id))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 1 and body["items"][0]["asset_id"] == str(asset_id)
    assert body["items"][0]["awaiting"] == [{"market": "NA", "stage": "brand"}, {"market": "NA", "stage": "legal"}]
    assert client.get("/api/v1/review/queue", headers=factories.bearer(viewer.id)).status_code == 403
    too_many = client.get("/api/v1/review/queue", params={"limit": 1000}, headers=factories.bearer(user.id))
    assert too_many.status_code == 422
