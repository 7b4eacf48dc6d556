"""Compliance through the real worker and the API: a banner whose picture makes a forbidden claim
is checked after OCR with the words boxed, a reviewer accepts an exception over the API, an admin's
pack edit is checked against every current version, and bad input is refused with its reason."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from dam_app.demo.banners import CJK_FONT, PALETTES, Copy, banner
from tests import factories
from tests.conftest import MakeUser, ingest_path, wait_until_processed

CLAIMING = Copy("zh", "全网最低价 双十一", "顶级品质 限时抢购", CJK_FONT)


def _compliance(client: TestClient, asset_id: object, headers: dict[str, str]) -> dict:
    response = client.get(f"/api/v1/assets/{asset_id}/compliance", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_banner_claim_is_found_on_the_picture_and_excepted_over_the_api(
    worker, client: TestClient, make_user: MakeUser, tmp_path: Path
) -> None:
    user, editor = make_user("editor", regions=["CN"])
    reviewer, _ = make_user("reviewer", regions=["CN"])
    outsider, _ = make_user("reviewer", regions=["NA"])
    path = tmp_path / "cn_double_eleven.png"
    banner(CLAIMING, PALETTES[0], 64).save(path)
    result = ingest_path(editor, path, markets=["CN"], title="Double Eleven hero")
    assert wait_until_processed(result.asset_id) == "ready"
    headers = factories.bearer(reviewer.id)
    deadline = time.monotonic() + 60
    while (body := _compliance(client, result.asset_id, headers))["checked_at"] is None:
        assert time.monotonic() < deadline, "the compliance stage never ran"
        time.sleep(0.5)
    found = {f["matched"]: f for f in body["findings"]}
    assert {"最低价", "顶级"} <= set(found), body
    lowest = found["最低价"]
    assert lowest["field"] == "image_text" and lowest["market"] == "CN" and lowest["exception"] is None
    assert len(lowest["box"]) == 4 and all(0 <= v <= 1 for v in lowest["box"])
    assert body["open_findings"] == len(body["findings"])

    url = f"/api/v1/assets/{result.asset_id}/compliance/findings/{lowest['id']}/exception"
    empty = client.post(url, json={"reason": "  "}, headers=headers)
    assert empty.status_code == 422 and "say why" in empty.json()["detail"], empty.text
    scoped_out = client.post(url, json={"reason": "fine"}, headers=factories.bearer(outsider.id))
    assert scoped_out.status_code == 404  # the asset is outside their markets: nothing leaks
    viewer_says = client.post(url, json={"reason": "fine"}, headers=factories.bearer(user.id))
    assert viewer_says.status_code == 403
    accepted = client.post(url, json={"reason": "<b>Lowest</b> verified by Tmall price log"}, headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["exception"]["reason"] == "<b>Lowest</b> verified by Tmall price log"
    assert _compliance(client, result.asset_id, headers)["open_findings"] == len(body["findings"]) - 1


def test_an_admins_pack_edit_is_checked_against_current_versions(
    worker, client: TestClient, make_user: MakeUser
) -> None:
    admin_user, _ = make_user("admin", all_regions=True)
    editor_user, _ = make_user("editor", regions=["NA"])
    headers = factories.bearer(admin_user.id)
    from dam_app.db import session_scope

    with session_scope() as session:
        asset = factories.asset(session, title="Green tea", markets=["NA"], copy="Our green tea detoxes your body")
        asset_id = asset.id
    packs = client.get("/api/v1/compliance/packs", headers=headers).json()
    health = next(p for p in packs if p["key"] == "health-claims")
    broken = {**health["definition"], "patterns": [*health["definition"]["patterns"], "(detox"]}
    refused = client.put("/api/v1/compliance/packs/health-claims", json={"definition": broken}, headers=headers)
    assert refused.status_code == 422 and "'(detox' is not a valid regular expression" in refused.json()["detail"]
    edited = {**health["definition"], "patterns": [*health["definition"]["patterns"], r"\bdetox(?:es)?\b"]}
    not_admin = client.put(
        "/api/v1/compliance/packs/health-claims", json={"definition": edited}, headers=factories.bearer(editor_user.id)
    )
    assert not_admin.status_code == 403
    saved = client.put(
        "/api/v1/compliance/packs/health-claims",
        json={"definition": edited, "note": "detox claims", "base_version": health["version"]},
        headers=headers,
    )
    assert saved.status_code == 200 and saved.json()["version"] == health["version"] + 1
    stale = client.put(
        "/api/v1/compliance/packs/health-claims",
        json={"definition": edited, "base_version": health["version"]},
        headers=headers,
    )
    assert stale.status_code == 409 and "someone saved it meanwhile" in stale.json()["detail"]
    deadline = time.monotonic() + 60
    while not (body := _compliance(client, asset_id, headers))["findings"]:
        assert time.monotonic() < deadline, "the recheck after the pack edit never ran"
        time.sleep(0.5)
    assert [(f["matched"], f["pack_version"]) for f in body["findings"]] == [("detoxes", health["version"] + 1)]
    history = client.get("/api/v1/compliance/packs/health-claims/versions", headers=headers).json()
    assert [h["version"] for h in history] == [health["version"] + 1, health["version"]]
