"""Comments over the API and through the real worker: a pin on a banner's offer follows the asset into
v1.1 as "changed here", a pin on its headline as "untouched"; replies, mentions and the inbox,
resolve, filters; bad anchors refused with their reasons."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from fastapi.testclient import TestClient

from dam_app.demo import generate
from tests import factories
from tests.conftest import MakeUser, ingest_path, wait_until_processed

OFFER = "xywh=percent:5,46.2,35,17.5"  # "30% OFF" on the 1200 x 628 banner
HEADLINE = "xywh=percent:5,25.5,36.7,11.1"  # "Double Eleven"


def test_pins_follow_the_banner_into_its_next_version(
    worker, client: TestClient, make_user: MakeUser, tmp_path: Path
) -> None:
    from dam_app.assets.ingest import add_version
    from dam_app.db import session_scope

    editor_user, editor = make_user("editor", regions=["CN"])
    reviewer, _ = make_user("reviewer", regions=["CN"])
    first = tmp_path / "offer-30.png"
    generate.offer_banner("30% OFF").save(first)
    result = ingest_path(editor, first, markets=["CN"], title="Double Eleven offer")
    assert wait_until_processed(result.asset_id) == "ready"
    url = f"/api/v1/assets/{result.asset_id}/comments"
    as_reviewer, as_editor = factories.bearer(reviewer.id), factories.bearer(editor_user.id)

    offer = client.post(
        url, json={"body": f"Is 30% still right? @{editor_user.email}", "anchor": {"type": "FragmentSelector",
                   "value": OFFER}}, headers=as_reviewer,
    )  # fmt: skip
    assert offer.status_code == 201, offer.text
    headline = client.post(
        url, json={"body": "Font too thin", "anchor": {"type": "FragmentSelector", "value": HEADLINE}},
        headers=as_reviewer,
    )  # fmt: skip
    assert headline.status_code == 201
    for anchor, reason in (
        ({"type": "FragmentSelector", "value": "xywh=percent:80,80,30,30"}, "outside the picture"),
        ({"type": "FragmentSelector", "value": "t=2"}, "only a video has times"),
    ):
        refused = client.post(url, json={"body": "x", "anchor": anchor}, headers=as_reviewer)
        assert refused.status_code == 422 and reason in refused.json()["detail"]
    mentions = client.get("/api/v1/me/mentions", headers=as_editor).json()
    assert [m["thread_id"] for m in mentions] == [offer.json()["id"]]

    second = tmp_path / "offer-40.png"
    generate.offer_banner("40% OFF").save(second)
    with session_scope() as session:
        added = add_version(
            session=session, principal=editor, asset_id=result.asset_id, path=second, filename=second.name,
            change_note="40% OFF",
        )  # fmt: skip
    assert wait_until_processed(result.asset_id) == "ready"
    deadline = time.monotonic() + 60
    while True:
        body = client.get(url, params={"version_id": str(added.version_id)}, headers=as_reviewer).json()
        placed = {t["id"]: t for t in body["threads"]}
        if len(placed) == 2:
            break
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
    assert placed[offer.json()["id"]]["placement"] == "changed"
    assert placed[offer.json()["id"]]["placement_label"] == "changed here — please verify"
    assert placed[headline.json()["id"]]["placement"] == "untouched"
    assert placed[headline.json()["id"]]["anchor"]["kind"] == "region"

    thread_id = offer.json()["id"]
    replied = client.post(f"{url}/{thread_id}/replies", json={"body": "Changed to 40%"}, headers=as_editor)
    assert replied.status_code == 201 and len(replied.json()["comments"]) == 2
    resolved = client.post(f"{url}/{thread_id}/resolve", headers=as_reviewer)
    assert resolved.status_code == 200 and resolved.json()["resolved"] is True
    still_open = client.get(url, params={"version_id": str(added.version_id)}, headers=as_reviewer).json()
    assert [t["id"] for t in still_open["threads"]] == [headline.json()["id"]] and still_open["open"] == 1
    assert client.get(f"/api/v1/assets/{uuid.uuid4()}/comments", headers=as_reviewer).status_code == 404
    assert client.post(f"{url}/999999/replies", json={"body": "x"}, headers=as_reviewer).status_code == 404
