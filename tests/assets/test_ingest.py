"""Ingest through the service: assets, versions, duplicates, classification, region scope."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from dam_app.assets import service as assets_service
from dam_app.assets.ingest import Outcome, add_version
from dam_app.assets.models import Asset, Version
from dam_app.db import session_scope
from dam_app.processing.models import JobRun
from dam_app.storage.blobs import get_blob_store
from tests.conftest import ingest_path


def test_ingest_creates_asset_v1_with_queued_stages(admin, sample_files) -> None:
    result = ingest_path(
        admin,
        sample_files["jpeg"],
        markets=["north america"],
        content_type="Product shot",
        phase="Warm up",
        campaign="Black Friday 2026",
        channel="IG",
    )
    assert result.outcome == Outcome.IMPORTED and result.version_label == "v1.0"
    with session_scope() as session:
        asset = session.get(Asset, result.asset_id)
        assert asset is not None
        assert (asset.markets, asset.content_type, asset.phase, asset.campaign, asset.channel) == (
            ["NA"],
            "product_image",
            "warm-up",
            "black-friday-2026",
            "instagram",
        )
        assert asset.title == "shoe" and asset.status == "processing"
        version = session.get(Version, result.version_id)
        assert version is not None and version.mime == "image/jpeg" and version.width == 900
        assert get_blob_store().exists(version.blob_sha256)
        stages = session.exec(select(JobRun.stage, JobRun.status).where(JobRun.version_id == version.id)).all()
        assert sorted(stages) == [
            ("compliance", "queued"),
            ("index", "queued"),
            ("media", "queued"),
            ("metadata", "queued"),
            ("ocr", "queued"),
            ("pins", "queued"),
            ("proxy", "queued"),
            ("renditions", "queued"),
            ("since-approved", "queued"),
            ("verdict", "queued"),
            ("visual", "queued"),
        ]


def test_same_bytes_twice_is_reported_as_duplicate(admin, sample_files, tmp_path) -> None:
    first = ingest_path(admin, sample_files["jpeg"], markets=["NA"])
    copy = tmp_path / "renamed-copy.jpg"
    copy.write_bytes(sample_files["jpeg"].read_bytes())
    second = ingest_path(admin, copy, markets=["EU"])
    assert second.outcome == Outcome.DUPLICATE
    assert second.asset_id == first.asset_id
    assert "duplicate of 'shoe' v1.0" in second.message
    with session_scope() as session:
        assert len(session.exec(select(Asset)).all()) == 1


def test_unknown_classification_fails_precisely_and_stores_nothing(admin, sample_files) -> None:
    result = ingest_path(admin, sample_files["jpeg"], markets=["Atlantis"])
    assert result.outcome == Outcome.FAILED and result.reason == "unknown_value"
    assert "unknown market 'Atlantis'; valid:" in result.message
    with session_scope() as session:
        assert session.exec(select(Asset)).all() == []


def test_bad_file_does_not_touch_existing_assets(admin, sample_files, tmp_path) -> None:
    good = ingest_path(admin, sample_files["jpeg"], markets=["NA"])
    bad = tmp_path / "shoe.jpg"
    bad.write_bytes(sample_files["jpeg"].read_bytes()[:3000])
    result = ingest_path(admin, bad, markets=["NA"])
    assert result.outcome == Outcome.FAILED and result.reason == "corrupt_image"
    with session_scope() as session:
        assert [a.id for a in session.exec(select(Asset))] == [good.asset_id]


def test_size_limit(admin, sample_files, monkeypatch) -> None:
    from dam_app.config import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_bytes", 1000)
    result = ingest_path(admin, sample_files["jpeg"], markets=["NA"])
    assert result.outcome == Outcome.FAILED and result.reason == "too_large"
    assert "above the limit of 1,000 bytes" in result.message


def test_versions_are_numbered_and_earlier_ones_stay(admin, sample_files) -> None:
    first = ingest_path(admin, sample_files["jpeg"], markets=["NA"])
    with session_scope() as session:
        minor = add_version(
            session=session,
            principal=admin,
            asset_id=first.asset_id,
            path=sample_files["png"],
            filename="shoe-v2.png",
            change_note="brighter background",
        )
    with session_scope() as session:
        major = add_version(
            session=session,
            principal=admin,
            asset_id=first.asset_id,
            path=sample_files["video"],
            filename="shoe.mp4",
            major=True,
        )
    with session_scope() as session:
        again = add_version(
            session=session,
            principal=admin,
            asset_id=first.asset_id,
            path=sample_files["png"],
            filename="again.png",
        )
    assert (minor.version_label, major.version_label) == ("v1.1", "v2.0")
    assert again.outcome == Outcome.DUPLICATE and again.message == "identical to v1.1 of this asset"
    with session_scope() as session:
        detail = assets_service.get_detail(session=session, principal=admin, asset_id=first.asset_id)
        assert [v.label for v in detail.versions] == ["v2.0", "v1.1", "v1.0"]
        assert detail.current is not None and detail.current.label == "v2.0"
        assert detail.versions[1].change_note == "brighter background"
        v1 = detail.versions[2]
    with session_scope() as session:
        handle = assets_service.version_file(session=session, principal=admin, version_id=v1.id)
        assert handle.path.read_bytes() == sample_files["jpeg"].read_bytes()


def test_region_scope_hides_assets_everywhere(admin, make_user, sample_files) -> None:
    china = ingest_path(admin, sample_files["jpeg"], markets=["CN"])
    europe = ingest_path(admin, sample_files["png"], markets=["EU"])
    world = ingest_path(admin, sample_files["copy"], markets=["GLOBAL"])
    _, eu_viewer = make_user("viewer", regions=["EU"])
    with session_scope() as session:
        page = assets_service.list_assets(session=session, principal=eu_viewer, filters=assets_service.AssetFilter())
        assert {c.asset.id for c in page.items} == {europe.asset_id, world.asset_id}
        assert page.total == 2
        with pytest.raises(assets_service.AssetNotFound):
            assets_service.get_detail(session=session, principal=eu_viewer, asset_id=china.asset_id)
        with pytest.raises(assets_service.AssetNotFound):
            assets_service.version_file(session=session, principal=eu_viewer, version_id=china.version_id)


def test_viewer_cannot_upload_and_editor_only_into_own_markets(make_user, sample_files) -> None:
    _, viewer = make_user("viewer", regions=["EU"])
    assert ingest_path(viewer, sample_files["jpeg"]).reason == "forbidden"
    _, editor = make_user("editor", regions=["EU"])
    denied = ingest_path(editor, sample_files["jpeg"], markets=["CN"])
    assert denied.reason == "forbidden" and "not scoped to market(s) CN" in denied.message
    default = ingest_path(editor, sample_files["png"], markets=())  # no market: the uploader's own
    with session_scope() as session:
        asset = session.get(Asset, default.asset_id)
        assert asset is not None and asset.markets == ["EU"]


def test_keyset_pagination_walks_every_asset_once(admin, tmp_path) -> None:
    from dam_app.demo import generate

    ids = set()
    for i in range(7):
        path = generate.product_shot(tmp_path / f"p{i}.jpg", f"Product {i}", (10 * i, 80, 120), size=200, seed=i)
        ids.add(ingest_path(admin, path, markets=["NA"]).asset_id)
    seen: list[uuid.UUID] = []
    cursor = None
    with session_scope() as session:
        while True:
            page = assets_service.list_assets(
                session=session, principal=admin, filters=assets_service.AssetFilter(), cursor=cursor, limit=3
            )
            seen.extend(c.asset.id for c in page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        with pytest.raises(assets_service.BadCursor):
            assets_service.list_assets(
                session=session, principal=admin, filters=assets_service.AssetFilter(), cursor="garbage!"
            )
    assert len(seen) == 7 and set(seen) == ids
