"""The alerts API over HTTP (FastAPI TestClient, real database, a real local webhook receiver)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dam_app.notify import jobs
from tests import factories
from tests.notify import helpers
from tests.notify.receivers import HttpReceiver


def test_channels_watches_and_deliveries_over_http(client: TestClient, receiver: HttpReceiver, fast_retries) -> None:
    me = helpers.person(regions=["NA"])
    headers = factories.bearer(me.user_id)
    url = receiver.url("json", "/api-hook/secret-token-123")

    bad = client.post("/api/v1/alerts/channels", headers=headers, json={"url": "nope://x"})
    assert bad.status_code == 422 and "not an Apprise notification URL" in bad.json()["detail"]
    added = client.post("/api/v1/alerts/channels", headers=headers, json={"url": url, "name": "hook"})
    assert added.status_code == 201, added.text
    channel = added.json()
    assert "secret-token-123" not in added.text and channel["masked"] == "json://12…/…123"
    listed = client.get("/api/v1/alerts/channels", headers=headers)
    assert [c["id"] for c in listed.json()] == [channel["id"]] and "secret-token" not in listed.text

    tested = client.post(f"/api/v1/alerts/channels/{channel['id']}/test", headers=headers)
    assert tested.json() == {"ok": True, "error": ""}
    assert "test alert" in receiver.wait_for(1)[0].fields()["title"]

    asset_id = helpers.asset(markets=("NA",))
    assert client.get(f"/api/v1/assets/{asset_id}/watch", headers=headers).json() == {"watching": False}
    assert client.put(f"/api/v1/assets/{asset_id}/watch", headers=headers).json() == {"watching": True}
    watches = client.get("/api/v1/alerts/watches", headers=headers).json()
    assert [(w["kind"], w["target"]) for w in watches] == [("asset", str(asset_id))]
    market = client.post("/api/v1/alerts/watches", headers=headers, json={"kind": "market", "target": "jp"})
    assert market.status_code == 201 and market.json()["target"] == "JP"
    assert client.delete(f"/api/v1/alerts/watches/{market.json()['id']}", headers=headers).status_code == 204

    prefs = client.put(
        "/api/v1/alerts/prefs",
        headers=headers,
        json={"time_zone": "Asia/Shanghai", "quiet_start": "22:00", "quiet_end": "07:00", "digest": "hourly"},
    )
    assert prefs.status_code == 200 and prefs.json()["quiet_start"] == "22:00"
    bad_zone = client.put("/api/v1/alerts/prefs", headers=headers, json={"time_zone": "Mars/Base"})
    assert bad_zone.status_code == 422 and "unknown time zone" in bad_zone.json()["detail"]
    client.put("/api/v1/alerts/prefs", headers=headers, json={"time_zone": "Asia/Shanghai"})

    helpers.new_version(helpers.person(regions=["NA"]), asset_id, note="over http")
    jobs.drain()
    deliveries = client.get("/api/v1/alerts/deliveries", headers=headers).json()
    assert [(d["status"], d["reason"]) for d in deliveries] == [("delivered", "asset")]
    assert "secret-token" not in str(deliveries)

    assert client.delete(f"/api/v1/alerts/channels/{channel['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/alerts/channels", headers=headers).json() == []


def test_team_channels_and_all_deliveries_are_for_admins(client: TestClient, admin, receiver: HttpReceiver) -> None:
    editor = helpers.person()
    editor_headers, admin_headers = factories.bearer(editor.user_id), factories.bearer(admin.user_id)
    body = {"url": receiver.url("json", "/team"), "name": "JP team", "markets": ["JP"]}
    assert client.post("/api/v1/admin/alerts/channels", headers=editor_headers, json=body).status_code == 403
    assert client.get("/api/v1/admin/alerts/deliveries", headers=editor_headers).status_code == 403
    created = client.post("/api/v1/admin/alerts/channels", headers=admin_headers, json=body)
    assert created.status_code == 201 and created.json()["team"] is True and created.json()["markets"] == ["JP"]
    unknown = client.post("/api/v1/admin/alerts/channels", headers=admin_headers, json={**body, "markets": ["ZZ"]})
    assert unknown.status_code == 422
    team_id = created.json()["id"]
    # A team channel is not anyone's own: an editor cannot see or remove it.
    assert client.delete(f"/api/v1/alerts/channels/{team_id}", headers=editor_headers).status_code == 404

    helpers.new_version(helpers.person(regions=["JP"]), helpers.asset(markets=("JP",)))
    jobs.drain()
    everything = client.get("/api/v1/admin/alerts/deliveries", headers=admin_headers).json()
    assert [(d["user"], d["status"]) for d in everything] == [("team", "delivered")]
    assert client.delete(f"/api/v1/admin/alerts/channels/{team_id}", headers=admin_headers).status_code == 204
