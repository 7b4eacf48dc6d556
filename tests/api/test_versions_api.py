"""Restore and the stable "latest" links over HTTP (FastAPI TestClient, real database)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from dam_app.assets.models import Rendition, Version
from dam_app.assets.service import PLAY_ACTION
from dam_app.audit.models import AuditEvent
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.notify.models import AlertOutbox
from tests import factories
from tests.conftest import MakeUser, ingest_path


@pytest.fixture
def na_asset(client: TestClient, make_user: MakeUser, tmp_path: Path) -> tuple[dict[str, str], str, list[str], Path]:
    """An NA asset with v1.0 and v1.1 uploaded through the API: editor headers, asset id, version ids,
    and v1.1's file."""
    user, editor = make_user("editor", regions=["NA"])
    headers = factories.bearer(user.id)
    first = ingest_path(editor, generate.product_shot(tmp_path / "blue.jpg", "Blue", (40, 110, 220)))
    newer = generate.product_shot(tmp_path / "red.jpg", "Red", (200, 40, 60))
    response = client.post(
        f"/api/v1/assets/{first.asset_id}/versions",
        headers=headers,
        files={"file": ("red.jpg", newer.read_bytes(), "image/jpeg")},
        data={"change_note": "red"},
    )
    assert response.status_code == 201, response.text
    return headers, str(first.asset_id), [str(first.version_id), response.json()["version_id"]], newer


def test_restore_over_http(client: TestClient, na_asset, make_user: MakeUser) -> None:
    headers, asset_id, (v10, v11), _ = na_asset
    url = f"/api/v1/assets/{asset_id}/versions/{v10}/restore"
    response = client.post(url, headers=headers, json={"note": "blue again"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["outcome"], body["version"], body["message"]) == ("new_version", "v1.2", "restored v1.0 as v1.2")
    listed = client.get(f"/api/v1/assets/{asset_id}/versions", headers=headers).json()
    assert listed[0]["label"] == "v1.2" and listed[0]["change_note"] == "Restored from v1.0: blue again"

    again = client.post(url, headers=headers)  # no body: no note
    assert again.status_code == 409 and again.json()["detail"] == "identical to the current version v1.2"

    viewer, _ = make_user("viewer", regions=["NA"])
    refused = client.post(f"/api/v1/assets/{asset_id}/versions/{v11}/restore", headers=factories.bearer(viewer.id))
    assert refused.status_code == 403
    eu_editor, _ = make_user("editor", regions=["EU"])
    hidden = client.post(f"/api/v1/assets/{asset_id}/versions/{v11}/restore", headers=factories.bearer(eu_editor.id))
    assert hidden.status_code == 404 and hidden.json()["detail"] == "asset not found"
    wrong = client.post(f"/api/v1/assets/{asset_id}/versions/{uuid.uuid4()}/restore", headers=headers)
    assert wrong.status_code == 404 and wrong.json()["detail"] == "version not found"


def test_an_urgent_upload_or_restore_is_alerted_through_quiet_hours(client: TestClient, na_asset, tmp_path) -> None:
    headers, asset_id, (v10, _), _ = na_asset
    newer = generate.product_shot(tmp_path / "green.jpg", "Green", (40, 200, 60))
    upload = client.post(
        f"/api/v1/assets/{asset_id}/versions",
        headers=headers,
        files={"file": ("green.jpg", newer.read_bytes(), "image/jpeg")},
        data={"change_note": "price fixed", "urgent": "true"},
    )
    assert upload.status_code == 201, upload.text
    restore = client.post(f"/api/v1/assets/{asset_id}/versions/{v10}/restore", headers=headers, json={"urgent": True})
    assert restore.status_code == 201, restore.text
    plain = client.post(f"/api/v1/assets/{asset_id}/versions/{upload.json()['version_id']}/restore", headers=headers)
    assert plain.status_code == 201, plain.text
    with session_scope() as session:
        rows = session.exec(
            select(AlertOutbox).where(AlertOutbox.asset_id == uuid.UUID(asset_id)).order_by(col(AlertOutbox.id))
        ).all()
    assert [(row.title.startswith("Urgent:"), row.urgent_markets) for row in rows[-3:]] == [
        (True, ["*"]),
        (True, ["*"]),
        (False, []),
    ]


def test_a_video_played_in_ones_own_player_is_noted(client: TestClient, na_asset, make_user: MakeUser) -> None:
    headers, _, (v10, _), _ = na_asset
    assert client.post(f"/api/v1/versions/{v10}/played", headers=headers).status_code == 204
    with session_scope() as session:
        noted = session.exec(select(AuditEvent).where(AuditEvent.action == PLAY_ACTION)).all()
    assert [event.object_id for event in noted] == [v10]
    eu_viewer, _ = make_user("viewer", regions=["EU"])
    hidden = client.post(f"/api/v1/versions/{v10}/played", headers=factories.bearer(eu_viewer.id))
    assert hidden.status_code == 404
    assert client.post(f"/api/v1/versions/{uuid.uuid4()}/played", headers=headers).status_code == 404


def test_latest_links_follow_the_newest_version(client: TestClient, na_asset) -> None:
    headers, asset_id, (v10, v11), newer = na_asset
    latest = client.get(f"/api/v1/assets/{asset_id}/latest", headers=headers)
    assert latest.status_code == 200 and latest.content == newer.read_bytes()
    assert latest.headers["cache-control"] == "private, no-store" and "red.jpg" in latest.headers["content-disposition"]
    part = client.get(f"/api/v1/assets/{asset_id}/latest", headers={**headers, "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == newer.read_bytes()[:100]

    old = client.get(f"/api/v1/versions/{v10}/file", headers=headers)
    assert old.status_code == 200
    assert old.headers["link"] == f'</api/v1/assets/{asset_id}/latest>; rel="latest-version"'
    assert "link" not in client.get(f"/api/v1/versions/{v11}/file", headers=headers).headers

    for kind in ("thumbnail", "preview"):  # no worker runs here: nothing rendered yet
        pending = client.get(f"/api/v1/assets/{asset_id}/latest/{kind}", headers=headers)
        assert pending.status_code == 404
        assert pending.json()["detail"] == f"v1.1 has no {kind} yet: it is still being processed"
    with session_scope() as session:
        version = session.get(Version, uuid.UUID(v11))
        assert version is not None
        thumbnail, copy = (
            Rendition(version_id=version.id, kind=kind, blob_sha256=version.blob_sha256, mime=mime, width=1, height=1)
            for kind, mime in (("thumbnail", "image/jpeg"), ("proxy", "video/mp4"))
        )
        session.add_all([thumbnail, copy])
        session.flush()
        thumbnail_id, copy_id = thumbnail.id, copy.id
    thumb = client.get(f"/api/v1/assets/{asset_id}/latest/thumbnail", headers=headers)
    assert thumb.status_code == 200 and thumb.headers["content-disposition"].startswith("inline")
    assert "link" not in client.get(f"/api/v1/renditions/{thumbnail_id}", headers=headers).headers  # v1.1 is current

    restored = client.post(f"/api/v1/assets/{asset_id}/versions/{v10}/restore", headers=headers).json()
    assert client.get(f"/api/v1/assets/{asset_id}/latest", headers=headers).content != newer.read_bytes()
    assert (
        client.get(f"/api/v1/assets/{asset_id}/latest/thumbnail", headers=headers).status_code == 404
    )  # v1.2 not rendered
    assert "link" in client.get(f"/api/v1/versions/{v11}/file", headers=headers).headers
    superseded = client.get(f"/api/v1/renditions/{thumbnail_id}", headers=headers)  # v1.1's, now that v1.2 exists
    assert superseded.status_code == 200
    assert superseded.headers["link"] == f'</api/v1/assets/{asset_id}/latest/thumbnail>; rel="latest-version"'
    assert "link" not in client.get(f"/api/v1/renditions/{copy_id}", headers=headers).headers  # no latest copy link
    assert "link" not in client.get(f"/api/v1/versions/{restored['version_id']}/file", headers=headers).headers


def test_latest_is_404_outside_the_callers_markets(client: TestClient, na_asset, make_user: MakeUser) -> None:
    _, asset_id, (v10, _v11), _ = na_asset
    eu_viewer, _ = make_user("viewer", regions=["EU"])
    eu = factories.bearer(eu_viewer.id)
    for path in ("latest", "latest/thumbnail", "latest/preview"):
        response = client.get(f"/api/v1/assets/{asset_id}/{path}", headers=eu)
        assert response.status_code == 404 and response.json()["detail"] == "asset not found", path
    assert client.get(f"/api/v1/versions/{v10}/file", headers=eu).status_code == 404
    assert client.get(f"/api/v1/assets/{uuid.uuid4()}/latest", headers=eu).status_code == 404
    with session_scope() as session:
        assert session.exec(select(Version)).all()  # still there: refused, not missing
