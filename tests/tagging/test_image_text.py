"""The ocr stage through the real worker: text stored per version with its lines and facts, tags with
evidence, search by the text in a picture, and a person's tag never overwritten by a re-run."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import select

from dam_app.assets.models import Asset, Version
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.demo.banners import COPY, PALETTES, banner
from dam_app.search import service as search_service
from dam_app.tagging import image_text
from dam_app.tagging import service as tagging_service
from dam_app.tagging.models import AssetTag, ImageText, TagKind, TagSource
from tests import factories
from tests.conftest import MakeUser, ingest_path, session_worker_paused, wait_until_processed

JAPANESE = next(c for c in COPY if c.language == "ja")


def _text_of(asset_id: object) -> ImageText:
    with session_scope() as session:
        row = session.exec(select(ImageText).where(ImageText.asset_id == asset_id)).one()
        session.expunge(row)
        return row


def test_a_banner_is_read_tagged_and_found_by_its_text(worker, admin, tmp_path: Path) -> None:
    path = tmp_path / "jp_black_friday.png"
    banner(JAPANESE, PALETTES[0], 64).save(path)
    result = ingest_path(admin, path, markets=["JP"])
    assert wait_until_processed(result.asset_id) == "ready"
    row = _text_of(result.asset_id)
    assert row.status == "read" and row.language == "ja" and row.languages == ["jpn", "eng"]
    assert "期間限定" in row.text and len(row.lines) == 2
    assert all(0 <= v <= 1 for line in row.lines for v in line["box"])
    assert {
        "kind": "discount",
        "text": "2点目半額",
        "value": {"form": "nth-item", "item": 2, "offer": "半額"},
    } in row.facts
    with session_scope() as session:
        tags = {(t.kind, t.name): t for t in tagging_service.tags_for(session=session, asset_id=result.asset_id)}
        found = search_service.search(session=session, principal=admin, query="期間限定")
    assert tags[("visual", "text")].evidence.startswith("OCR: 'ブラックフライデー")
    assert tags[("business", "discount")].evidence == "OCR: '2点目半額'"
    assert tags[("market", "Japanese text")].source == "auto"
    assert found.hits and found.hits[0].card.asset.id == result.asset_id


def test_a_picture_without_text_and_a_document_say_why(worker, admin, tmp_path: Path) -> None:
    shot = tmp_path / "plain.jpg"
    generate.offer_banner("").crop((700, 0, 1200, 400)).save(shot)  # the red pattern, no words
    copy = generate.copy_document(tmp_path / "copy.txt", "Hydra Glow Serum")
    picture, document = ingest_path(admin, shot), ingest_path(admin, copy)
    assert wait_until_processed(picture.asset_id) == "ready" and wait_until_processed(document.asset_id) == "ready"
    assert (_text_of(picture.asset_id).status, _text_of(picture.asset_id).reason) == ("none", "no text-like strokes")
    skipped = _text_of(document.asset_id)
    assert skipped.status == "skipped" and "copy" in skipped.reason
    with session_scope() as session:
        assert not [t for t in tagging_service.tags_for(session=session, asset_id=picture.asset_id) if t.name == "text"]


def test_a_rerun_replaces_its_own_tags_and_keeps_a_persons(worker, admin, tmp_path: Path) -> None:
    path = tmp_path / "offer.png"
    generate.offer_banner("40% OFF").save(path)
    result = ingest_path(admin, path, markets=["EU"])
    assert wait_until_processed(result.asset_id) == "ready"
    with session_scope() as session:
        tagging_service.attach(
            session=session, asset_id=result.asset_id, kind=TagKind.BUSINESS, name="discount", source=TagSource.PERSON
        )
        rows = session.exec(select(AssetTag).where(AssetTag.asset_id == result.asset_id)).all()
    assert any(r.evidence.startswith("OCR: 'Double Eleven / 40% OFF") and r.stage == "ocr" for r in rows)
    assert [(r.source, r.stage, r.created_by) for r in rows if r.evidence == ""] == [("person", None, None)]
    with session_scope() as session:
        asset = session.get(Asset, result.asset_id)
        assert asset is not None and asset.current_version_id is not None
        version = session.get(Version, asset.current_version_id)
        assert version is not None
        again = image_text.read_version(session=session, version=version)
    assert again.status == "read" and [f["text"] for f in again.facts if f["kind"] == "discount"] == ["40% OFF"]
    with session_scope() as session:
        tags = {t.name: t for t in tagging_service.tags_for(session=session, asset_id=result.asset_id)}
    assert tags["discount"].source == "person"  # a person's tag outlives every re-run
    assert tags["text"].source == "auto"


def test_the_text_over_the_api_with_scope(worker, client: TestClient, make_user: MakeUser, tmp_path: Path) -> None:
    user, editor = make_user("editor", regions=["NA"])
    outsider, _ = make_user("editor", regions=["JP"])
    path = tmp_path / "offer.png"
    generate.offer_banner("40% OFF").save(path)
    result = ingest_path(editor, path, markets=["NA"])
    headers = factories.bearer(user.id)
    assert wait_until_processed(result.asset_id) == "ready"
    response = client.get(f"/api/v1/assets/{result.asset_id}/text", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "read" and body["version_id"] == str(result.version_id)
    assert body["lines"][0]["text"] == "Double Eleven" and len(body["lines"][0]["box"]) == 4
    assert {"kind": "discount", "text": "40% OFF", "value": {"form": "percent", "percent_off": 40}} in body["facts"]
    by_version = client.get(
        f"/api/v1/assets/{result.asset_id}/text", params={"version": str(result.version_id)}, headers=headers
    )
    assert by_version.json() == body
    # Outside the asset's markets, and a version of another asset: both plain 404s, nothing leaks.
    hidden = client.get(f"/api/v1/assets/{result.asset_id}/text", headers=factories.bearer(outsider.id))
    assert hidden.status_code == 404
    other = client.get(f"/api/v1/assets/{result.asset_id}/text", params={"version": str(uuid.uuid4())}, headers=headers)
    assert other.status_code == 404 and other.json()["detail"] == "version not found"


def test_not_read_yet_is_a_clear_404(client: TestClient, make_user: MakeUser, tmp_path: Path) -> None:
    user, editor = make_user("editor", regions=["NA"])
    with session_worker_paused():
        result = ingest_path(editor, generate.product_shot(tmp_path / "shot.jpg", "Shot", (40, 110, 220)))
        response = client.get(f"/api/v1/assets/{result.asset_id}/text", headers=factories.bearer(user.id))
    assert response.status_code == 404
    assert response.json()["detail"].startswith("the picture's text has not been read yet")


def test_an_editor_asks_for_a_reread_over_the_api(worker, client: TestClient, make_user: MakeUser, tmp_path) -> None:
    user, editor = make_user("editor", regions=["NA"])
    viewer, _ = make_user("viewer", regions=["NA"])
    outsider, _ = make_user("editor", regions=["JP"])
    path = tmp_path / "offer.png"
    generate.offer_banner("40% OFF").save(path)
    result = ingest_path(editor, path, markets=["NA"])
    assert wait_until_processed(result.asset_id) == "ready"
    url = f"/api/v1/assets/{result.asset_id}/retag"
    first = _text_of(result.asset_id).created_at

    response = client.post(url, headers=factories.bearer(user.id))
    assert response.status_code == 202 and response.json() == {
        "stages": ["ocr", "index", "compliance", "since-approved", "verdict"]
    }
    deadline = time.monotonic() + 60
    while _text_of(result.asset_id).created_at == first and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _text_of(result.asset_id).created_at > first
    with session_scope() as session:
        assert session.get(Asset, result.asset_id).status == "ready"  # type: ignore[union-attr]

    assert client.post(url, headers=factories.bearer(viewer.id)).status_code == 403
    assert client.post(url, headers=factories.bearer(outsider.id)).status_code == 404
    unknown = client.post(url, headers=factories.bearer(user.id), json={"stages": ["magic"]})
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("no such stage: magic")
