"""Rights over the API: records added, edited at their revision, refused when stale, overlapping or
malformed, removed; the verdict per market; a blocked original refused to its market with the
reasons, an admin's audited override; the `usable_in` filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from dam_app.assets.models import Asset, Version
from dam_app.audit.models import AuditEvent
from dam_app.db import session_scope
from dam_app.storage.blobs import get_blob_store
from dam_app.storage.models import ensure_blob
from tests import factories
from tests.conftest import MakeUser

NOW = datetime.now(UTC)


def _day(delta_days: int) -> str:
    return (NOW + timedelta(days=delta_days)).date().isoformat()


def test_rights_records_verdicts_and_the_download_block_over_the_api(client: TestClient, make_user: MakeUser) -> None:
    admin, _ = make_user("admin", all_regions=True)
    reviewer, _ = make_user("reviewer", regions=["NA"])
    viewer, _ = make_user("viewer", regions=["NA"])
    with session_scope() as session:
        asset = factories.asset(session, markets=["NA"], title="Trail runner")
        version = session.get(Version, asset.current_version_id)
        assert version is not None
        stored = get_blob_store().put_bytes(b"trail runner original")
        ensure_blob(session, stored.sha256, stored.size, "image/jpeg")
        version.blob_sha256, version.size = stored.sha256, stored.size
        asset_id, version_id = asset.id, version.id
    as_reviewer, as_viewer, as_admin = (factories.bearer(u.id) for u in (reviewer, viewer, admin))
    url = f"/api/v1/assets/{asset_id}/rights"

    expired = {"licence_source": "Getty Images", "licence_id": "GI-77", "licensed_markets": ["na"],
               "licence_start": _day(-400), "licence_end": _day(-1), "usages": ["web"]}  # fmt: skip
    added = client.post(url, json=expired, headers=as_reviewer)
    assert added.status_code == 201, added.text
    record = added.json()
    assert (record["licensed_markets"], record["revision"], record["source"]) == (["NA"], 1, "person")
    assert client.post(url, json=expired, headers=as_viewer).status_code == 403
    overlapping = client.post(
        url, json={**expired, "licence_start": _day(-30), "licence_end": None}, headers=as_reviewer
    )
    assert overlapping.status_code == 409 and f"record #{record['id']}" in overlapping.json()["detail"]
    for bad, words in (
        ({**expired, "licensed_markets": ["ZZ"]}, "unknown market"),
        ({**expired, "note": "a\x00b"}, "NUL"),
        ({**expired, "licence_start": _day(5), "licence_end": _day(1)}, "before it starts"),
        ({**expired, "licence_end": "next tuesday"}, "licence_end"),
    ):
        refused = client.post(url, json=bad, headers=as_reviewer)
        assert refused.status_code == 422 and words in refused.text, refused.text

    verdict = client.get(f"/api/v1/assets/{asset_id}/verdict", headers=as_viewer).json()
    assert verdict["version_id"] == str(version_id)
    (na,) = verdict["verdicts"]
    assert na["market"] == "NA" and na["verdict"] == "blocked"
    assert f"the licence ended on {_day(-1)}" in [r["text"] for r in na["reasons"]]

    file_url = f"/api/v1/versions/{version_id}/file"
    blocked = client.get(file_url, headers=as_viewer)
    assert blocked.status_code == 403 and "blocked for use in your markets. NA: the licence ended" in blocked.text
    assert client.get(f"/api/v1/assets/{asset_id}/latest", headers=as_viewer).status_code == 403
    assert "only an admin" in client.get(file_url, params={"override": "launch"}, headers=as_viewer).text
    assert client.get(file_url, headers=as_admin).status_code == 403
    overridden = client.get(file_url, params={"override": "Legal archive request #12"}, headers=as_admin)
    assert overridden.status_code == 200 and overridden.content == b"trail runner original"
    assert client.get(f"/api/v1/assets/{asset_id}/latest/thumbnail", headers=as_viewer).status_code != 403
    with session_scope() as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "asset.download_override")).one()
        assert audit.actor_id == admin.id and audit.details["reason"] == "Legal archive request #12"

    listed = client.get("/api/v1/assets", params={"usable_in": "NA"}, headers=as_admin).json()
    assert str(asset_id) not in {a["id"] for a in listed["items"]}
    renewed = {**expired, "licence_end": _day(300)}
    stale = client.put(f"{url}/{record['id']}", json={**renewed, "revision": 2}, headers=as_reviewer)
    assert stale.status_code == 409 and "changed meanwhile" in stale.text
    edited = client.put(f"{url}/{record['id']}", json={**renewed, "revision": 1}, headers=as_reviewer)
    assert edited.status_code == 200 and edited.json()["revision"] == 2
    assert client.get(file_url, headers=as_viewer).status_code == 200  # usable (with conditions) again
    listed = client.get("/api/v1/assets", params={"usable_in": "NA"}, headers=as_admin).json()
    assert str(asset_id) in {a["id"] for a in listed["items"]}
    (na,) = client.get(f"/api/v1/assets/{asset_id}/verdict", headers=as_viewer).json()["verdicts"]
    assert na["verdict"] == "conditions" and "licensed for web use only" in [r["text"] for r in na["reasons"]]

    assert client.delete(f"{url}/{record['id']}", params={"revision": 1}, headers=as_reviewer).status_code == 409
    assert client.delete(f"{url}/{record['id']}", params={"revision": 2}, headers=as_reviewer).status_code == 204
    assert client.get(url, headers=as_viewer).json() == []
    assert client.delete(f"{url}/{record['id']}", headers=as_reviewer).status_code == 404


def test_audit_trail_and_required_stages_over_the_api(client: TestClient, make_user: MakeUser) -> None:
    from dam_app.catalog.models import Market
    from dam_app.rights import jobs as rights_jobs

    admin, _ = make_user("admin", all_regions=True)
    reviewer, _ = make_user("reviewer", regions=["EU"])
    viewer, _ = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        asset_id = factories.asset(session, markets=["EU"], title="Berlin window").id
    as_admin, as_reviewer = factories.bearer(admin.id), factories.bearer(reviewer.id)
    decided = client.post(
        f"/api/v1/assets/{asset_id}/approvals",
        json={"market": "EU", "stage": "legal", "decision": "approved_with_changes", "note": "+Add the UVP"},
        headers=as_reviewer,
    )
    assert decided.status_code == 201, decided.text
    no_note = client.post(
        f"/api/v1/assets/{asset_id}/approvals",
        json={"market": "EU", "stage": "legal", "decision": "rejected"},
        headers=as_reviewer,
    )
    assert no_note.status_code == 422 and "needs a note" in no_note.text

    page = client.get("/api/v1/audit", params={"kind": "approval", "asset_id": str(asset_id)}, headers=as_reviewer)
    assert page.status_code == 200, page.text
    (event,) = page.json()["events"]
    assert event["label"] == "approved with changes" and event["actor"] == reviewer.email
    assert client.get("/api/v1/audit", headers=factories.bearer(viewer.id)).status_code == 403
    assert client.get("/api/v1/audit", params={"kind": "gossip"}, headers=as_admin).status_code == 422
    exported = client.get("/api/v1/audit/export.csv", params={"asset_id": str(asset_id)}, headers=as_admin)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert 'filename="audit.csv"' in exported.headers["content-disposition"]
    lines = exported.text.splitlines()
    assert lines[0] == "when (UTC),who,action,asset id,asset,details" and "approved with changes" in lines[1]
    assert client.get("/api/v1/audit/export.csv", headers=factories.bearer(viewer.id)).status_code == 403

    stages = {m["code"]: m["stages"] for m in client.get("/api/v1/markets/review-stages", headers=as_admin).json()}
    assert stages["CN"] == ["legal", "market"] and stages["EU"] == ["legal"]
    url = "/api/v1/markets/EU/review-stages"
    assert client.put(url, json={"stages": ["brand"]}, headers=as_reviewer).status_code == 403
    assert client.put(url, json={"stages": []}, headers=as_admin).status_code == 422
    assert (
        client.put("/api/v1/markets/XX/review-stages", json={"stages": ["legal"]}, headers=as_admin).status_code == 404
    )
    changed = client.put(url, json={"stages": ["brand", "legal"]}, headers=as_admin)
    assert changed.status_code == 200 and changed.json()["stages"] == ["legal", "brand"]
    assert rights_jobs.rejudge_market("EU") >= 1  # what the queued job does
    (eu,) = client.get(f"/api/v1/assets/{asset_id}/verdict", headers=as_reviewer).json()["verdicts"]
    reasons = [r["text"] for r in eu["reasons"]]
    assert "awaiting brand approval" in reasons and any(r.startswith("approved at legal review with") for r in reasons)
    with session_scope() as session:  # search's "approved" now awaits brand too
        assert session.get_one(Asset, asset_id).approval_states == ["in_review", "legal_approved"]
    with session_scope() as session:
        market = session.get(Market, "EU")
        assert market is not None
        market.review_stages = ["legal"]  # as the other tests expect it
