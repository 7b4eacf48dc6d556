"""Restoring versions and concurrent version numbering, on the real database (assets/versions.py)."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlmodel import col, select

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import overview, versions
from dam_app.assets.ingest import IngestResult, Outcome, add_version
from dam_app.assets.models import Asset, Version
from dam_app.assets.service import AssetNotFound
from dam_app.audit.models import AuditEvent
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.processing.models import JobRun
from dam_app.ui.state.asset_views import page_view
from tests.conftest import MakeUser, ingest_path


def _shot(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> Path:
    return generate.product_shot(tmp_path / name, f"Shot {name}", colour)


def _add(principal: Principal, asset_id: uuid.UUID, path: Path, note: str = "") -> IngestResult:
    with session_scope() as session:
        return add_version(
            session=session, principal=principal, asset_id=asset_id, path=path, filename=path.name, change_note=note
        )


def _restore(principal: Principal, asset_id: uuid.UUID, version_id: uuid.UUID, **kw: object) -> IngestResult:
    with session_scope() as session:
        return versions.restore_version(
            session=session,
            principal=principal,
            asset_id=asset_id,
            version_id=version_id,
            **kw,  # type: ignore[arg-type]
        )


def _versions(asset_id: uuid.UUID) -> list[Version]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Version).where(Version.asset_id == asset_id).order_by(col(Version.major), col(Version.minor))
            )
        )


@pytest.fixture
def two_versions(make_user: MakeUser, tmp_path: Path) -> tuple[Principal, uuid.UUID, list[Version]]:
    """An NA asset with v1.0 and v1.1 (different pictures), and the NA editor who made it."""
    _, editor = make_user("editor", regions=["NA"])
    first = ingest_path(editor, _shot(tmp_path, "blue.jpg", (40, 110, 220)))
    assert _add(editor, first.asset_id, _shot(tmp_path, "red.jpg", (200, 40, 60)), "red").ok
    return editor, first.asset_id, _versions(first.asset_id)


def test_restore_adds_a_new_version_with_the_old_bytes(two_versions) -> None:
    editor, asset_id, (v10, v11) = two_versions
    result = _restore(editor, asset_id, v10.id, note="back to blue")
    assert (result.outcome, result.version_label, result.message) == (
        Outcome.NEW_VERSION,
        "v1.2",
        "restored v1.0 as v1.2",
    )
    history = _versions(asset_id)
    assert [v.label for v in history] == ["v1.0", "v1.1", "v1.2"]
    restored = history[-1]
    assert restored.blob_sha256 == v10.blob_sha256 and restored.original_filename == v10.original_filename
    assert restored.change_note == "Restored from v1.0: back to blue"
    assert (history[0].change_note, history[1].change_note) == (v10.change_note, v11.change_note)  # untouched
    with session_scope() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.current_version_id == restored.id and asset.status == "processing"
        stages = session.exec(select(JobRun.stage).where(JobRun.version_id == restored.id)).all()
        assert stages  # queued like an uploaded version
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "version.restore")).one()
        assert audit.details == {"version": "v1.2", "restored_from": "v1.0", "sha256": v10.blob_sha256}

    major = _restore(editor, asset_id, v11.id, major=True)
    assert major.version_label == "v2.0"
    assert _versions(asset_id)[-1].change_note == "Restored from v1.1"


def test_restoring_the_current_bytes_is_refused(two_versions) -> None:
    editor, asset_id, (v10, v11) = two_versions
    same = _restore(editor, asset_id, v11.id)
    assert (same.outcome, same.message, same.version_label) == (
        Outcome.DUPLICATE,
        "identical to the current version v1.1",
        "v1.1",
    )
    assert _restore(editor, asset_id, v10.id).version_label == "v1.2"
    again = _restore(editor, asset_id, v10.id)  # v1.2 has v1.0's bytes now
    assert again.outcome == Outcome.DUPLICATE and again.message == "identical to the current version v1.2"
    assert len(_versions(asset_id)) == 3


def test_restore_needs_write_access_and_sight_of_the_asset(two_versions, make_user: MakeUser, tmp_path) -> None:
    editor, asset_id, (v10, _v11) = two_versions
    _, viewer = make_user("viewer", regions=["NA"])
    _, eu_editor = make_user("editor", regions=["EU"])
    with pytest.raises(PermissionDenied, match=r"asset\.write"):
        _restore(viewer, asset_id, v10.id)
    with pytest.raises(AssetNotFound):
        _restore(eu_editor, asset_id, v10.id)  # outside their markets: as if it did not exist
    other = ingest_path(editor, _shot(tmp_path, "green.jpg", (30, 160, 60)))
    with pytest.raises(versions.VersionNotFound):
        _restore(editor, other.asset_id, v10.id)  # a version of another asset
    with session_scope() as session:
        session.delete(session.get(Asset, asset_id))
    with pytest.raises(AssetNotFound):
        _restore(editor, asset_id, v10.id)
    assert len(_versions(other.asset_id)) == 1


def test_find_version_by_label_or_id(two_versions) -> None:
    editor, asset_id, (v10, v11) = two_versions
    with session_scope() as session:
        assert versions.find_version(session=session, principal=editor, asset_id=asset_id, ref="v1.1").id == v11.id
        assert versions.find_version(session=session, principal=editor, asset_id=asset_id, ref="1.0").id == v10.id
        assert versions.find_version(session=session, principal=editor, asset_id=asset_id, ref=str(v10.id)).id == v10.id
        for ref in ("v9.9", "latest", str(uuid.uuid4())):
            with pytest.raises(versions.VersionNotFound):
                versions.find_version(session=session, principal=editor, asset_id=asset_id, ref=ref)


def test_concurrent_adds_are_both_kept_numbered_in_commit_order(make_user: MakeUser, tmp_path) -> None:
    _, editor = make_user("editor", regions=["NA"])
    asset_id = ingest_path(editor, _shot(tmp_path, "base.jpg", (40, 110, 220))).asset_id
    first_file, second_file = _shot(tmp_path, "a.jpg", (200, 40, 60)), _shot(tmp_path, "b.jpg", (30, 160, 60))
    first_added, commit_first = threading.Event(), threading.Event()
    results: dict[str, IngestResult] = {}

    def first() -> None:
        with session_scope() as session:  # holds the numbering lock until it commits
            results["first"] = add_version(
                session=session, principal=editor, asset_id=asset_id, path=first_file, filename="a.jpg"
            )
            first_added.set()
            commit_first.wait(10)

    def second() -> None:
        results["second"] = _add(editor, asset_id, second_file)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_added.wait(10)
    threads[1].start()
    time.sleep(0.5)
    assert "second" not in results  # waits for the first to commit instead of taking the same number
    commit_first.set()
    for t in threads:
        t.join(20)
    assert (results["first"].version_label, results["second"].version_label) == ("v1.1", "v1.2")
    history = _versions(asset_id)
    assert [(v.label, v.original_filename) for v in history] == [
        ("v1.0", "base.jpg"),
        ("v1.1", "a.jpg"),
        ("v1.2", "b.jpg"),
    ]
    with session_scope() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.current_version_id == history[-1].id


def test_a_version_page_shows_that_version_and_says_a_newer_one_exists(two_versions) -> None:
    editor, asset_id, (v10, v11) = two_versions
    with session_scope() as session:
        older = overview.read(session=session, principal=editor, asset_id=asset_id, version_id=v10.id)
        latest = overview.read(session=session, principal=editor, asset_id=asset_id)
        stranger = overview.read(session=session, principal=editor, asset_id=asset_id, version_id=uuid.uuid4())
    assert older.detail.shown is not None and older.detail.shown.id == v10.id
    assert older.detail.current is not None and older.detail.current.id == v11.id
    shown = page_view(older, editor).asset
    assert (shown.version, shown.version_id) == ("v1.0", str(v10.id))
    assert shown.newer == "A newer version exists: v1.1, just now"
    assert shown.compare_latest_url == f"/assets/{asset_id}/compare?a={v10.id}&b={v11.id}"
    for read in (latest, stranger):  # no version asked, or one not of this asset: the current one
        assert page_view(read, editor).asset.version == "v1.1" and page_view(read, editor).asset.newer == ""


def test_a_video_may_replace_a_picture_and_the_asset_follows_its_current_version(two_versions, tmp_path: Path) -> None:
    editor, asset_id, (v10, _) = two_versions
    clip = generate.short_video(tmp_path / "teaser.mp4", seconds=0.5)
    added = _add(editor, asset_id, clip, "the banner slot becomes a short video")
    assert added.ok and added.version_label == "v1.2"
    with session_scope() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None and asset.media_kind == "video"
        assert session.get(Version, v10.id).mime == "image/jpeg"  # type: ignore[union-attr]
    assert _restore(editor, asset_id, v10.id).ok  # and back: the restored picture is current again
    with session_scope() as session:
        assert session.get(Asset, asset_id).media_kind == "image"  # type: ignore[union-attr]
